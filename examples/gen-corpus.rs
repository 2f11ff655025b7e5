//! Generates a deterministic documentation corpus for benchmarks and manual testing:
//! `cargo run --release --example gen-corpus -- --pages 1000 [--seed 7] [--layout hugo] OUT`.
//!
//! N pages of ~600 words in nested numbered folders (10 pages and up to 10 subfolders per
//! folder), with headings, a code block, a table, internal links that always resolve, and
//! `<TextToSpeech>` on a third of the pages. The same seed gives the same files everywhere.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use common::Layout;

/// Generates a documentation site of N pages.
#[derive(Parser)]
struct Args {
    /// Number of pages.
    #[arg(long)]
    pages: usize,
    /// Seed of the generator: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder layout to write.
    #[arg(long, value_enum, default_value_t = Layout::Lectern)]
    layout: Layout,
    /// Output folder (created; must be empty if it exists).
    out: PathBuf,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let summary = common::generate(args.pages, args.seed, args.layout, &args.out)?;
    eprintln!("wrote {summary} into {} in {:.2} s", args.out.display(), started.elapsed().as_secs_f64());
    Ok(())
}
