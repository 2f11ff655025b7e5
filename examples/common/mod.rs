//! The corpus generator shared by the `gen-corpus` and `bench` examples: plans a site of N
//! pages from a seed and writes it in lectern's, Hugo's or mdBook's layout.
//!
//! In: page count, seed, layout, an empty output folder. Out: the files, and what was written.

mod body;
mod code;
mod layouts;
mod plan;
mod rng;
#[cfg(test)]
mod tests;
mod text;
mod words;

use std::path::Path;

use anyhow::{Result, bail};

/// Which static-site generator's folder layout to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// `lectern.yml` + `docs/` (Docusaurus-style).
    Lectern,
    /// `config.toml` + `content/` + `layouts/`.
    Hugo,
    /// `book.toml` + `src/SUMMARY.md`.
    Mdbook,
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub pages: usize,
    /// Folders below the docs folder.
    pub folders: usize,
    /// Deepest folder nesting below the docs folder.
    pub depth: usize,
    pub files: usize,
    pub bytes: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pages in {} folders (depth {}): {} files, {:.1} MB",
            self.pages,
            self.folders,
            self.depth,
            self.files,
            self.bytes as f64 / 1e6
        )
    }
}

/// Writes a site of `pages` pages for `seed` into `out` (created; must be empty if it exists).
pub fn generate(pages: usize, seed: u64, layout: Layout, out: &Path) -> Result<Summary> {
    if pages == 0 {
        bail!("--pages must be at least 1");
    }
    if let Ok(mut entries) = std::fs::read_dir(out)
        && entries.next().is_some()
    {
        bail!("{} is not empty; choose a new or empty folder", out.display());
    }
    let plan = plan::plan(pages, seed, layouts::TITLE);
    let mut writer = layouts::Writer::new(out);
    match layout {
        Layout::Lectern => layouts::write_lectern(&plan, &mut writer)?,
        Layout::Hugo => layouts::write_hugo(&plan, &mut writer)?,
        Layout::Mdbook => layouts::write_mdbook(&plan, &mut writer)?,
    }
    Ok(Summary {
        pages: plan.pages.len(),
        folders: plan.folders.len() - 1,
        depth: plan.folders.iter().map(|f| f.chain.len()).max().unwrap_or(0),
        files: writer.written.files,
        bytes: writer.written.bytes,
    })
}
