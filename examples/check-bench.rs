//! Benchmark of `lectern check` on pathological pages: a 5 MB page of broken anchors and one
//! 119 KB line holding 8,000 broken links. Each goes into its own temporary site; the program
//! prints the wall time, peak RSS and bytes written to stderr of `lectern check` on each, plus
//! the line count of `--format json` (every problem, uncapped).
//!
//! `cargo build --release && cargo run --release --example check-bench [-- --lectern PATH]`.
//! Prints figures only: nothing here asserts on time.

#[path = "common/bench/run.rs"]
#[allow(dead_code)]
mod run;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};
use clap::Parser;

/// Times `lectern check` on pages full of broken links.
#[derive(Parser)]
struct Args {
    /// The lectern binary to run.
    #[arg(long, default_value = "target/release/lectern")]
    lectern: PathBuf,
    /// Size of the page of broken anchors, in MB.
    #[arg(long, default_value_t = 5)]
    megabytes: usize,
    /// Broken links on the single long line.
    #[arg(long, default_value_t = 8000)]
    links: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let lectern = args.lectern.canonicalize().with_context(|| format!("finding {}", args.lectern.display()))?;
    let anchors = anchors_page(args.megabytes * 1024 * 1024);
    let line = long_line_page(args.links);
    for (name, page) in [
        (format!("{} MB of broken anchors", args.megabytes), anchors),
        (format!("{} KB line with {} broken links", line.len() / 1024, args.links), line),
    ] {
        let site = tempfile::tempdir()?;
        std::fs::create_dir_all(site.path().join("docs"))?;
        std::fs::write(site.path().join("lectern.yml"), "title: Check bench\n")?;
        std::fs::write(site.path().join("docs/index.md"), "# Home\n")?;
        std::fs::write(site.path().join("docs/broken.md"), &page)?;
        let human = run::measure_any(Command::new(&lectern).arg("check").arg(site.path()).env("NO_COLOR", "1"))?;
        let json = Command::new(&lectern).args(["check", "--format", "json"]).arg(site.path()).output()?;
        let problems = json.stdout.iter().filter(|b| **b == b'\n').count();
        println!(
            "{name}: {:.0} ms wall, {:.0} ms CPU, peak RSS {:.1} MiB, {} bytes to stderr, exit {:?}; json lists {problems} problems",
            human.sample.wall_ms,
            human.sample.cpu_ms,
            human.sample.max_rss_kib as f64 / 1024.0,
            human.sample.stderr.len(),
            human.code,
        );
    }
    Ok(())
}

/// A page of paragraphs of same-page links to anchors that do not exist, `size` bytes long.
fn anchors_page(size: usize) -> String {
    let mut page = String::from("# Broken anchors\n\n## A real heading\n\n");
    let mut n = 0;
    while page.len() < size {
        for _ in 0..10 {
            let _ = write!(page, "See [part {n}](#missing-part-{n}) here. ");
            n += 1;
        }
        page.push_str("\n\n");
    }
    page
}

/// A page whose second paragraph is one line of `links` broken links.
fn long_line_page(links: usize) -> String {
    let mut line = String::new();
    for n in 0..links {
        let _ = write!(line, "[{n}](#nope{n}) ");
    }
    format!("# One long line\n\n{line}\n")
}
