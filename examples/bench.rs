//! Build benchmark for lectern: generates corpora of N pages (and/or copies real sites), builds
//! each with `target/release/lectern` (built by cargo if missing; a warning when it is older than
//! `src/`) and prints wall and CPU time, pages/s, peak RSS, output size per page, per-stage
//! medians, the user and system parts of a cold build's CPU time, a no-change rebuild's wall and
//! CPU time (and whether lectern said nothing changed), and a rebuild after a one-page edit (and
//! whether it was incremental). When `hugo` or `mdbook` are on PATH, builds the same
//! generated content with them and prints ratios. Speech synthesis is off unless `--speech`.
//!
//! `cargo build --release && cargo run --release --example bench -- --sizes 100,1000 --runs 3
//! --corpus ../shared/corpora/api-playbook [--json results.json]`; `--smoke` for CI.
//! Prints figures only: nothing here asserts on time.

mod common;
#[path = "common/bench/copy.rs"]
mod copy;
#[path = "common/bench/report.rs"]
mod report;
#[path = "common/bench/run.rs"]
mod run;
#[path = "common/bench/setup.rs"]
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use common::Layout;
use report::{Report, SiteResult, Stats, ToolResult};
use setup::Other;

/// Benchmarks `lectern build` on generated and real sites.
#[derive(Parser)]
struct Args {
    /// Page counts of the generated corpora.
    #[arg(long, value_delimiter = ',', default_values_t = [100, 1000, 10000])]
    sizes: Vec<usize>,
    /// Measured runs per build (after one warm-up run).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// A real site to benchmark too (a folder with lectern.yml and docs/); repeatable.
    #[arg(long)]
    corpus: Vec<PathBuf>,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// CI mode: 100 pages, one run, no warm-up, no comparisons, no --corpus.
    #[arg(long)]
    smoke: bool,
    /// Seed of the generated corpora.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The lectern binary [default: `lectern` beside this program's folder].
    #[arg(long)]
    lectern: Option<PathBuf>,
    /// Keep the generated corpora and outputs (their folder is printed).
    #[arg(long)]
    keep: bool,
    /// Synthesise `<TextToSpeech>` audio with espeak-ng, as a default build does when it is
    /// installed. Off by default: ~25 sentences per page are synthesised on the (untimed
    /// warm-up) first build, and the cache grows by ~4 MB per spoken page.
    #[arg(long)]
    speech: bool,
}

/// How each site is measured.
#[derive(Clone, Copy)]
struct Settings {
    runs: usize,
    warm_up: bool,
    compare: bool,
    seed: u64,
    speech: bool,
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

fn run(mut args: Args) -> Result<()> {
    if args.smoke {
        args.sizes = vec![100];
        args.runs = 1;
        args.corpus.clear();
    }
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    // Checked first, so a typo does not surface after minutes of generated builds.
    if let Some(bad) = args.corpus.iter().find(|c| !c.join("docs").is_dir() && !c.join("lectern.yml").is_file()) {
        bail!("--corpus {}: no lectern.yml or docs/ there", bad.display());
    }
    let settings =
        Settings { runs: args.runs, warm_up: !args.smoke, compare: !args.smoke, seed: args.seed, speech: args.speech };
    let lectern = setup::lectern_binary(args.lectern.clone())?;
    let (others, skipped) = if settings.compare { setup::comparison_tools() } else { (Vec::new(), Vec::new()) };
    let work = tempfile::Builder::new().prefix("lectern-bench-").tempdir().context("creating a temporary folder")?;
    eprintln!(
        "lectern bench: {} ({} run{}{} per build, speech synthesis {}), working in {}",
        lectern.display(),
        settings.runs,
        if settings.runs == 1 { "" } else { "s" },
        if settings.warm_up { " after a warm-up" } else { "" },
        if settings.speech { "on" } else { "off" },
        work.path().display()
    );
    let mut sites = Vec::new();
    for &n in &args.sizes {
        sites.push(bench_generated(&lectern, &others, n, &settings, work.path())?);
    }
    for corpus in &args.corpus {
        sites.push(bench_corpus(&lectern, corpus, &settings, work.path())?);
    }
    let report = Report {
        lectern_binary: lectern.display().to_string(),
        runs: settings.runs,
        warm_up: settings.warm_up,
        seed: settings.seed,
        speech: settings.speech,
        sites,
        skipped,
    };
    report::print(&report);
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).context("serialising the results")?;
        std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    if args.keep {
        eprintln!("kept {}", work.keep().display());
    }
    Ok(())
}

/// Generates an N-page corpus and measures lectern on it, and each comparison tool on the same
/// content in its own layout.
fn bench_generated(lectern: &Path, others: &[Other], n: usize, settings: &Settings, work: &Path) -> Result<SiteResult> {
    let site = format!("generated-{n}");
    let root = work.join(&site);
    generate(n, settings.seed, Layout::Lectern, &root)?;
    if !settings.speech {
        setup::disable_speech(&root)?;
    }
    let result = bench_lectern(lectern, &site, &root, settings, work)?;
    let mut measured = Vec::new();
    for other in others {
        let root = work.join(format!("{site}-{}", other.name));
        generate(n, settings.seed, other.layout, &root)?;
        let out = work.join(format!("out-{site}-{}", other.name));
        eprintln!("{site}: {} ...", other.name);
        match bench_other(other, &root, &out, n, settings) {
            Ok(r) => measured.push(r),
            Err(e) => eprintln!("{site}: {} failed, left out of the results: {e:#}", other.name),
        }
    }
    Ok(SiteResult {
        site,
        source: format!("generated ({n} pages, seed {})", settings.seed),
        lectern: result,
        others: measured,
    })
}

fn generate(n: usize, seed: u64, layout: Layout, root: &Path) -> Result<()> {
    let started = Instant::now();
    let s = common::generate(n, seed, layout, root)?;
    let layout = format!("{layout:?}").to_lowercase();
    eprintln!("generated {s} in the {layout} layout in {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Measures lectern on a copy of a real site (so caches and speech settings stay in the copy).
fn bench_corpus(lectern: &Path, corpus: &Path, settings: &Settings, work: &Path) -> Result<SiteResult> {
    let site = corpus
        .canonicalize()
        .with_context(|| format!("reading {}", corpus.display()))?
        .file_name()
        .map_or("corpus".to_string(), |n| n.to_string_lossy().into_owned());
    let root = work.join(format!("site-{site}"));
    copy::copy_site(corpus, &root)?;
    if !settings.speech && !setup::disable_speech(&root)? {
        eprintln!("{site}: its lectern.yml has a `speech:` section; kept as it is");
    }
    let result = bench_lectern(lectern, &site, &root, settings, work)?;
    Ok(SiteResult { site, source: corpus.display().to_string(), lectern: result, others: Vec::new() })
}

/// Warm-up, `runs` builds into an empty folder, `runs` rebuilds into the previous output with
/// nothing changed, then `runs` rebuilds after an edit to one page's text.
fn bench_lectern(lectern: &Path, site: &str, root: &Path, settings: &Settings, work: &Path) -> Result<ToolResult> {
    let out = work.join(format!("out-{site}"));
    let command = || {
        let mut c = Command::new(lectern);
        c.arg("build").arg(root).arg("--out").arg(&out).env("LECTERN_TIMINGS", "1");
        c
    };
    eprintln!("{site}: lectern ...");
    let (first, fresh) = measure_runs(command, &out, settings, true)?;
    let (_, rebuilds) = measure_runs(command, &out, &Settings { warm_up: false, ..*settings }, false)?;
    let page = first_page(&root.join("docs"))?;
    let edits = (0..settings.runs)
        .map(|k| {
            let mut text = std::fs::read_to_string(&page).with_context(|| format!("reading {}", page.display()))?;
            text.push_str(&format!("\n\nAn edit made by the benchmark, number {k}.\n"));
            std::fs::write(&page, text).with_context(|| format!("writing {}", page.display()))?;
            run::measure(&mut command())
        })
        .collect::<Result<Vec<_>>>()?;
    let last = &fresh[fresh.len() - 1];
    let pages = report::built_pages(&last.stderr).context("lectern printed no `built N pages` line")?;
    let timings: Vec<_> = fresh.iter().filter_map(|s| report::timings(&s.stderr)).collect();
    let mut result = summarise("lectern", pages, first, &fresh, &out)?;
    result.stages = report::stage_medians(&timings);
    result.rebuild = Some(Stats::of(rebuilds.iter().map(|s| s.wall_ms).collect()));
    result.rebuild_cpu = Some(Stats::of(rebuilds.iter().map(|s| s.cpu_ms).collect()));
    result.rebuilds_skipped = rebuilds.iter().filter(|s| s.stderr.contains(report::SKIPPED)).count();
    result.edit = Some(Stats::of(edits.iter().map(|s| s.wall_ms).collect()));
    result.edit_cpu = Some(Stats::of(edits.iter().map(|s| s.cpu_ms).collect()));
    result.edits_incremental = edits.iter().filter(|s| s.stderr.contains(report::INCREMENTAL)).count();
    Ok(result)
}

/// The first Markdown page below `docs` (by path): the page the edit benchmark changes.
fn first_page(docs: &Path) -> Result<PathBuf> {
    let mut stack = vec![docs.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry.with_context(|| format!("reading {}", dir.display()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md" || e == "mdx") {
                found.push(path);
            }
        }
    }
    found.sort();
    found.into_iter().next().with_context(|| format!("no Markdown page below {}", docs.display()))
}

/// Measures a comparison tool building the generated site at `root` into `out`.
fn bench_other(other: &Other, root: &Path, out: &Path, pages: usize, settings: &Settings) -> Result<ToolResult> {
    let command = || {
        let mut c = Command::new(&other.program);
        match other.layout {
            Layout::Hugo => c.arg("--source").arg(root).arg("--destination").arg(out).arg("--quiet"),
            Layout::Mdbook | Layout::Lectern => c.arg("build").arg(root).arg("--dest-dir").arg(out),
        };
        c
    };
    let (first, samples) = measure_runs(command, out, settings, true)?;
    summarise(other.name, pages, first, &samples, out)
}

/// The warm-up run (when set), then `settings.runs` measured runs; `fresh` empties `out` before
/// each.
fn measure_runs(
    command: impl Fn() -> Command,
    out: &Path,
    settings: &Settings,
    fresh: bool,
) -> Result<(Option<run::Sample>, Vec<run::Sample>)> {
    let first = if settings.warm_up {
        run::remove_dir(out)?;
        Some(run::measure(&mut command())?)
    } else {
        None
    };
    let runs = (0..settings.runs)
        .map(|_| {
            if fresh {
                run::remove_dir(out)?;
            }
            run::measure(&mut command())
        })
        .collect::<Result<_>>()?;
    Ok((first, runs))
}

/// The figures of one tool from its warm-up, its samples and its last output folder.
fn summarise(
    tool: &str,
    pages: usize,
    first: Option<run::Sample>,
    samples: &[run::Sample],
    out: &Path,
) -> Result<ToolResult> {
    let build = Stats::of(samples.iter().map(|s| s.wall_ms).collect());
    let (output_bytes, output_files) = run::dir_size(out)?;
    let peak = samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0);
    let warnings = samples.last().map_or(0, |s| s.stderr.lines().filter(|l| l.starts_with("warning")).count());
    Ok(ToolResult {
        tool: tool.to_string(),
        pages,
        pages_per_s: pages as f64 / (build.median_ms / 1000.0),
        build,
        cpu: Stats::of(samples.iter().map(|s| s.cpu_ms).collect()),
        user: Stats::of(samples.iter().map(|s| s.user_ms).collect()),
        sys: Stats::of(samples.iter().map(|s| s.sys_ms).collect()),
        first_build_ms: first.map(|s| s.wall_ms),
        peak_rss_mib: peak as f64 / 1024.0,
        output_bytes,
        output_files,
        bytes_per_page: output_bytes as f64 / pages.max(1) as f64,
        stages: Vec::new(),
        rebuild: None,
        rebuild_cpu: None,
        rebuilds_skipped: 0,
        edit: None,
        edit_cpu: None,
        edits_incremental: 0,
        warnings,
    })
}
