//! Search benchmark: generates sites of N pages (`examples/common`, as `gen-corpus` does), builds
//! each with `target/release/lectern build` and prints, against the budgets of issue 7:
//!
//! - index build time vs the whole build (median of `--runs` builds; `LECTERN_TIMINGS`),
//! - index size, and the bytes (gzipped) a browser downloads for its first query,
//! - first-results latency after a keystroke in headless Chromium (`tests/browser`, real typing).
//!
//! `cargo build --release && cargo run --release --example search-bench -- --sizes 1000,10000`
//! Prints figures only: nothing here asserts on time.

mod common;
#[path = "../tests/support/server.rs"]
#[allow(dead_code)]
mod server;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use serde_json::{Value, json};

/// Measures the search index's cost to the build and to the reader.
#[derive(Parser)]
struct Args {
    /// Page counts of the generated sites.
    #[arg(long, value_delimiter = ',', default_values_t = [1000, 10000])]
    sizes: Vec<usize>,
    /// Builds per size (the median is printed).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Queries typed in the browser, each in a fresh context (empty cache).
    #[arg(long, value_delimiter = ',', default_values_t = ["service".to_string(), "rotate credentials".to_string(), "idempotent retry".to_string()])]
    queries: Vec<String>,
    /// Milliseconds between keystrokes.
    #[arg(long, default_value_t = 180)]
    key_delay: u64,
    /// Skip the browser measurements.
    #[arg(long)]
    no_browser: bool,
    /// The lectern binary [default: `lectern` beside this program's folder].
    #[arg(long)]
    lectern: Option<PathBuf>,
}

/// The budgets of issue 7.
const FIRST_QUERY_BUDGET_BYTES: u64 = 300 * 1024;
const LATENCY_BUDGET_MS: f64 = 100.0;
const BUILD_SHARE_BUDGET: f64 = 0.25;

fn main() -> Result<()> {
    let args = Args::parse();
    let lectern = args.lectern.clone().unwrap_or_else(default_lectern);
    if !lectern.is_file() {
        bail!("no lectern binary at {}; run `cargo build --release` first", lectern.display());
    }
    let work = tempfile::tempdir().context("creating a temp dir")?;
    for &pages in &args.sizes {
        let root = work.path().join(format!("site-{pages}"));
        let t = Instant::now();
        let corpus = common::generate(pages, 1, common::Layout::Lectern, &root)?;
        println!(
            "\n== {} pages in {} folders (depth {}), {} files, {:.1} MB of Markdown (generated in {:.1} s)",
            corpus.pages,
            corpus.folders,
            corpus.depth,
            corpus.files,
            corpus.bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        // Speech synthesis (espeak-ng, cached) would dwarf every other stage of a first build;
        // measured without it, the index's share of the build is the stricter figure.
        let mut config = std::fs::OpenOptions::new().append(true).open(root.join("lectern.yml"))?;
        writeln!(config, "speech:\n  prerender: never")?;
        let out = work.path().join(format!("out-{pages}"));
        let wall = build_figures(&lectern, &root, &out, args.runs)?;
        in_process_figures(&root, args.runs, wall)?;
        index_figures(&out)?;
        if !args.no_browser {
            browser_figures(&out, &args)?;
        }
    }
    Ok(())
}

fn default_lectern() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/release/examples/search-bench → target/release/lectern
    exe.parent().and_then(Path::parent).map(|dir| dir.join("lectern")).unwrap_or_else(|| "lectern".into())
}

/// Builds `runs` times; prints the median wall time and the search stage's share of it, and
/// returns the wall time.
fn build_figures(lectern: &Path, root: &Path, out: &Path, runs: usize) -> Result<f64> {
    let mut walls = Vec::new();
    let mut searches = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let output = Command::new(lectern)
            .args(["build".as_ref(), root.as_os_str(), "--out".as_ref(), out.as_os_str()])
            .env("LECTERN_TIMINGS", "1")
            .output()
            .with_context(|| format!("running {}", lectern.display()))?;
        let wall = t.elapsed().as_secs_f64() * 1000.0;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!("lectern build failed:\n{stderr}");
        }
        let timings: Value = stderr
            .lines()
            .find_map(|l| l.strip_prefix("timings: "))
            .and_then(|json| serde_json::from_str(json).ok())
            .context("lectern printed no timings line")?;
        walls.push(wall);
        searches.push(timings["search"].as_f64().unwrap_or(0.0));
    }
    let (wall, search) = (median(&mut walls), median(&mut searches));
    let share = search / (wall - search);
    println!(
        "build: {wall:.0} ms wall (median of {}), search index {search:.0} ms = adds {:.1}% to the build \
         without it [budget ≤ {:.0}%: {}]",
        walls.len(),
        share * 100.0,
        BUILD_SHARE_BUDGET * 100.0,
        verdict(share <= BUILD_SHARE_BUDGET)
    );
    Ok(wall)
}

/// Loads the site once in this process and times the index alone, `runs` times: the same work
/// as the build's search stage, without other processes' disk writes in the way.
fn in_process_figures(root: &Path, runs: usize, build_wall: f64) -> Result<()> {
    let config =
        lectern::config::load(root, &lectern::config::Overrides::default()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let site = lectern::build::load_site(config, lectern::build::Mode::Memory)
        .map_err(|e| anyhow::anyhow!("loading {}: {e}", root.display()))?;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let files = lectern::search::build_index(&site);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(files);
    }
    let search = median(&mut times);
    println!(
        "index alone, in process: {search:.0} ms (median of {}) = {:.1}% of the build without it",
        times.len(),
        search / (build_wall - search) * 100.0
    );
    Ok(())
}

/// Prints the index's size: files, bytes, gzipped bytes.
fn index_figures(out: &Path) -> Result<()> {
    let manifest: Value = serde_json::from_slice(&std::fs::read(out.join("search/manifest.json"))?)?;
    let (mut files, mut raw, mut gz) = (0, 0, 0);
    for dir in ["t", "d"] {
        for entry in std::fs::read_dir(out.join("search").join(dir))? {
            let bytes = std::fs::read(entry?.path())?;
            files += 1;
            raw += bytes.len() as u64;
            gz += gzipped(&bytes)?;
        }
    }
    println!(
        "index: {} sections, {} shards, {} chunks, {files} files, {:.1} MB ({:.1} MB gzipped); manifest {} gzipped",
        manifest["sections"],
        manifest["shards"].as_array().map_or(0, Vec::len),
        manifest["chunks"].as_array().map_or(0, Vec::len),
        raw as f64 / 1e6,
        gz as f64 / 1e6,
        kb(gzipped(&std::fs::read(out.join("search/manifest.json"))?)?)
    );
    Ok(())
}

/// Types each query in Chromium; prints bytes fetched and keystroke-to-results latencies.
fn browser_figures(out: &Path, args: &Args) -> Result<()> {
    let server = server::StaticServer::start(out);
    for (label, focus_delay) in [("person (focus, 300 ms, then type)", 300), ("worst (type at once)", 0)] {
        println!("browser, {label}, keys {} ms apart:", args.key_delay);
        let result = run_driver(&json!({
            "script": driver_dir().join("tests/search-bench.mjs"),
            "baseUrl": server.url,
            "scriptArgs": { "queries": args.queries, "keyDelayMs": args.key_delay, "focusDelayMs": focus_delay },
        }))?;
        for line in result["script"]["logs"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            let Some(report) = line.strip_prefix("run: ").and_then(|j| serde_json::from_str::<Value>(j).ok()) else {
                continue;
            };
            print_query(out, &report)?;
        }
    }
    Ok(())
}

fn print_query(out: &Path, report: &Value) -> Result<()> {
    let mut bytes = 0;
    let files: Vec<&str> = report["files"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    for path in &files {
        bytes += gzipped(&std::fs::read(out.join(path.trim_start_matches('/')))?)?;
    }
    let mut ms: Vec<f64> =
        report["latencies"].as_array().into_iter().flatten().filter_map(|l| l["ms"].as_f64()).collect();
    let first = ms.first().copied().unwrap_or(f64::NAN);
    let results = report["latencies"].as_array().and_then(|l| l.last()).map_or(0, |l| l["count"].as_u64().unwrap_or(0));
    let worst = ms.iter().copied().fold(0.0, f64::max);
    let mid = median(&mut ms);
    println!(
        "  {:<22} {} files, {} gzipped [≤ {}: {}]; latency first key {first:.0} ms, median {mid:.0}, max {worst:.0} \
         [≤ {LATENCY_BUDGET_MS:.0} ms: {}]; {results} results",
        format!("{:?}", report["query"].as_str().unwrap_or("")),
        files.len(),
        kb(bytes),
        kb(FIRST_QUERY_BUDGET_BYTES),
        verdict(bytes <= FIRST_QUERY_BUDGET_BYTES),
        verdict(worst <= LATENCY_BUDGET_MS),
    );
    Ok(())
}

fn driver_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Runs `tests/browser/run.mjs` (its node_modules installed, as the browser tests do).
fn run_driver(job: &Value) -> Result<Value> {
    if !driver_dir().join("node_modules/playwright-core").is_dir() {
        bail!("run `npm ci` in {} (or any browser test) first", driver_dir().display());
    }
    let mut child = Command::new("node")
        .arg(driver_dir().join("run.mjs"))
        .arg("-")
        .current_dir(driver_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting node")?;
    child.stdin.take().context("driver stdin")?.write_all(job.to_string().as_bytes())?;
    let output = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    let result: Value = serde_json::from_str(last).with_context(|| format!("driver output: {text}"))?;
    if result["ok"] != json!(true) {
        bail!("the browser driver failed: {result:#}");
    }
    Ok(result)
}

fn gzipped(bytes: &[u8]) -> Result<u64> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "OVER" }
}
