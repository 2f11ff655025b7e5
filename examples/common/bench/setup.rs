//! Getting ready to measure: finding (or building) the lectern binary, finding hugo and mdbook,
//! copying a real site into the scratch folder (so its caches never land in the original) and
//! switching speech pre-rendering off in a site's config.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::common::Layout;
use crate::run;

/// The lectern binary: `given`, else `../lectern` from this program (target/PROFILE/examples),
/// built with cargo when missing. Warns when it is older than the sources.
pub fn lectern_binary(given: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = given {
        return if path.is_file() { Ok(path) } else { bail!("--lectern {}: no such file", path.display()) };
    }
    let exe = std::env::current_exe().context("finding this program's path")?;
    let profile_dir = exe.parent().and_then(Path::parent).context("this program is not in target/PROFILE/examples")?;
    let binary = profile_dir.join(format!("lectern{}", std::env::consts::EXE_SUFFIX));
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    if !release {
        eprintln!("note: {} holds unoptimised code; run the bench with `--release`", profile_dir.display());
    }
    if !binary.is_file() {
        eprintln!("{} is missing; building it with cargo", binary.display());
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo.args(["build", "--bin", "lectern"]).current_dir(env!("CARGO_MANIFEST_DIR"));
        if release {
            cargo.arg("--release");
        }
        let status = cargo.status().context("running cargo build")?;
        if !status.success() || !binary.is_file() {
            bail!("could not build {}; run `cargo build --release` first", binary.display());
        }
    }
    warn_if_stale(&binary);
    Ok(binary)
}

/// Says so when a source file is newer than the binary (someone edited without rebuilding).
fn warn_if_stale(binary: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = std::fs::metadata(binary).and_then(|m| m.modified()).ok();
    let newest = ["src", "theme"]
        .iter()
        .flat_map(|d| walk_files(&root.join(d)))
        .chain([root.join("Cargo.toml")])
        .filter_map(|p| std::fs::metadata(&p).and_then(|m| m.modified()).ok().map(|t| (t, p)))
        .max();
    if let (Some(built), Some((newest, path))) = (built, newest)
        && newest > built
    {
        eprintln!(
            "warning: {} is older than {}; run `cargo build --release` to measure the current code",
            binary.display(),
            path.display()
        );
    }
}

/// Every file below `dir` (empty when it cannot be read).
fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { stack.push(path) } else { out.push(path) }
        }
    }
    out
}

/// A comparison tool found on PATH.
pub struct Other {
    pub layout: Layout,
    pub name: &'static str,
    pub program: PathBuf,
}

/// hugo and mdbook when on PATH, and one line naming those that are not and how to install them.
pub fn comparison_tools() -> (Vec<Other>, Vec<String>) {
    let candidates =
        [(Layout::Hugo, "hugo", "apt-get install hugo"), (Layout::Mdbook, "mdbook", "cargo install mdbook")];
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (layout, name, install) in candidates {
        match run::on_path(name) {
            Some(program) => found.push(Other { layout, name, program }),
            None => missing.push(format!("`{name}` (install: {install})")),
        }
    }
    let skipped = if missing.is_empty() {
        Vec::new()
    } else {
        vec![format!("skipped comparisons, not on PATH: {}", missing.join(", "))]
    };
    (found, skipped)
}

/// Appends `speech: {prerender: never}` to the site's lectern.yml, so no audio is synthesised.
/// Returns false (and changes nothing) when the file already has a `speech:` section.
pub fn disable_speech(root: &Path) -> Result<bool> {
    let path = root.join("lectern.yml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    if text.lines().any(|line| line.starts_with("speech:")) {
        return Ok(false);
    }
    let separator = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
    let added = "# Added by the lectern bench (pass --speech to synthesise audio).\nspeech:\n  prerender: never\n";
    std::fs::write(&path, format!("{text}{separator}{added}"))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(true)
}
