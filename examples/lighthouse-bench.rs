//! Lighthouse benchmark (issue 20): builds a copy of a site for production, serves it on
//! 127.0.0.1 and runs Lighthouse (mobile, its default) with Debian's chromium on a few of its
//! pages, printing the performance, accessibility, best-practices and SEO scores (targets: 100
//! each), the simulated paint times behind the performance score, the bytes of each page's first
//! load, its layout shift and the audits that lost points. Scores vary from run to run (Lighthouse
//! times the page's own work on a machine that may be busy), so `--runs N` measures each page N
//! times and prints the medians, the performance score's range and the load average.
//!
//! `cargo run --example lighthouse-bench -- ../shared/corpora/api-playbook --runs 5`
//!
//! `--compare-with DIR` measures the same pages of a site another tool built (Docusaurus's
//! `build/` folder of the same content, say), served the same way at the same base URL, and prints
//! its table and the first-load bytes of each page side by side.
//!
//! Text files are served gzipped, as GitHub Pages, Netlify and CDNs serve them (`--no-gzip` for
//! uncompressed), to both sites alike.
//!
//! Lighthouse comes from npm into `examples/lighthouse/` (`npm ci` there, done on the first run).
//! Prints figures only: nothing here asserts.

#[path = "../tests/support/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::Parser;
use serde_json::Value;

/// Lighthouse scores and first-load bytes of a built site's pages.
#[derive(Parser)]
struct Args {
    /// The site's root folder (where lectern.yml is); a copy is built, never the folder itself.
    site: PathBuf,
    /// Paths below the site's base_url to measure; default: the home page and the first two
    /// other pages of the sitemap.
    #[arg(long, value_delimiter = ',')]
    pages: Vec<String>,
    /// Build without pre-rendered speech (much faster on a cold cache; pages then carry no audio).
    #[arg(long)]
    no_speech: bool,
    /// The lectern binary; default: the one next to this example's folder.
    #[arg(long)]
    lectern: Option<PathBuf>,
    /// A folder another tool built from the same site (e.g. Docusaurus's `build/`): its same pages
    /// are measured too and their first-load bytes compared with lectern's.
    #[arg(long)]
    compare_with: Option<PathBuf>,
    /// Serve files uncompressed (by default text files are gzipped, as GitHub Pages, Netlify and
    /// CDNs send them; the bytes in the tables are what crossed the network).
    #[arg(long)]
    no_gzip: bool,
    /// Lighthouse runs per page; the tables show each figure's median.
    #[arg(long, default_value_t = 1)]
    runs: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let lectern = args.lectern.clone().unwrap_or_else(default_lectern);
    if !lectern.is_file() {
        bail!("no lectern binary at {}; run `cargo build` first", lectern.display());
    }
    let work = tempfile::tempdir().context("creating a temp dir")?;
    let site = work.path().join("site");
    copy_dir(&args.site, &site)?;
    if args.no_speech {
        use std::io::Write as _;
        let mut config = std::fs::OpenOptions::new().append(true).open(site.join("lectern.yml"))?;
        writeln!(config, "\nspeech:\n  prerender: never")?;
    }
    let base_url = base_url(&site)?;
    let root = work.path().join("www");
    let out = root.join(base_url.trim_matches('/'));
    let status = Command::new(&lectern)
        .args(["build", "--env", "production", "--out"])
        .arg(&out)
        .arg(&site)
        .status()
        .context("running lectern build")?;
    if !status.success() {
        bail!("lectern build failed");
    }
    let pages = if args.pages.is_empty() { sitemap_pages(&out, &base_url)? } else { args.pages.clone() };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/lighthouse");
    if !dir.join("node_modules/lighthouse").is_dir() {
        let npm = Command::new("npm").args(["install", "--no-audit", "--no-fund"]).current_dir(&dir).status()?;
        if !npm.success() {
            bail!("npm install in {} failed", dir.display());
        }
    }
    println!("load average before: {}", load_average());
    let ours = measure(&dir, &root, &base_url, &pages, &args)?;
    print_table("lectern", &ours, args.runs);
    if let Some(other) = &args.compare_with {
        // Served at the same base URL as lectern's, so the same paths answer.
        let other_root = work.path().join("other");
        copy_dir(other, &other_root.join(base_url.trim_matches('/')))?;
        let theirs = measure(&dir, &other_root, &base_url, &pages, &args)?;
        println!();
        print_table(&other.display().to_string(), &theirs, args.runs);
        println!("\n{:<48} {:>12} {:>12} {:>7}", "first-load bytes", "lectern", "other", "ratio");
        for (path, (a, b)) in pages.iter().zip(ours.iter().zip(&theirs)) {
            let (a, b) = (median(a, "/bytes"), median(b, "/bytes"));
            println!("{:<48} {:>9.1} KB {:>9.1} KB {:>6.2}x", format!("/{path}"), a / 1024.0, b / 1024.0, a / b);
        }
    }
    println!("\nload average after: {}", load_average());
    Ok(())
}

/// Serves `root` and runs Lighthouse `runs` times on each page below `base_url`: for each page,
/// its records, one per run.
fn measure(dir: &Path, root: &Path, base_url: &str, pages: &[String], args: &Args) -> Result<Vec<Vec<Value>>> {
    let server = if args.no_gzip { server::StaticServer::start(root) } else { server::StaticServer::start_gzip(root) };
    let runs = args.runs;
    let urls: Vec<String> =
        pages.iter().map(|p| format!("{}{}{}", server.url, base_url, p.trim_start_matches('/'))).collect();
    let mut records: Vec<Vec<Value>> = vec![Vec::new(); pages.len()];
    for _ in 0..runs.max(1) {
        let output = Command::new("node").arg(dir.join("run.mjs")).args(&urls).output().context("running node")?;
        if !output.status.success() {
            bail!("lighthouse failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        let lines = String::from_utf8_lossy(&output.stdout);
        for (page, line) in records.iter_mut().zip(lines.lines().filter(|l| l.starts_with('{'))) {
            let mut r: Value = serde_json::from_str(line).context("lighthouse's JSON line")?;
            let path = r["url"].as_str().unwrap_or("").trim_start_matches(server.url.as_str()).to_string();
            r["path"] = Value::String(path);
            page.push(r);
        }
    }
    Ok(records)
}

/// The median of a figure over a page's runs (`pointer` as in JSON Pointer), NaN when absent.
fn median(runs: &[Value], pointer: &str) -> f64 {
    let mut values: Vec<f64> = runs.iter().filter_map(|r| r.pointer(pointer).and_then(Value::as_f64)).collect();
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 }
}

fn print_table(title: &str, pages: &[Vec<Value>], runs: usize) {
    let what = if runs > 1 { format!("{title} (mobile, medians of {runs} runs)") } else { format!("{title} (mobile)") };
    println!(
        "{what:<48} {:>5} {:>7} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6} {:>5} {:>9} {:>6} {:>5}",
        "perf", "range", "a11y", "best", "seo", "FCP", "LCP", "SI", "TBT", "bytes", "CLS", "block"
    );
    for runs in pages {
        let score = |c: &str| median(runs, &format!("/scores/{c}"));
        let perf: Vec<u64> = runs.iter().filter_map(|r| r["scores"]["performance"].as_u64()).collect();
        let range = match (perf.iter().min(), perf.iter().max()) {
            (Some(lo), Some(hi)) if lo != hi => format!("{lo}-{hi}"),
            _ => String::new(),
        };
        let ms = |key: &str| format!("{:.0}", median(runs, &format!("/{key}")));
        println!(
            "{:<48} {:>5} {:>7} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6} {:>5} {:>6.1} KB {:>6.3} {:>5}",
            runs.first().and_then(|r| r["path"].as_str()).unwrap_or(""),
            score("performance"),
            range,
            score("accessibility"),
            score("best-practices"),
            score("seo"),
            ms("fcp_ms"),
            ms("lcp_ms"),
            ms("si_ms"),
            ms("tbt_ms"),
            median(runs, "/bytes") / 1024.0,
            median(runs, "/cls"),
            median(runs, "/render_blocking"),
        );
        // Each audit that lost points, with how many of the runs it did so in.
        let mut failing: Vec<(String, usize)> = Vec::new();
        for audit in runs.iter().flat_map(|r| r["failing"].as_array().into_iter().flatten().filter_map(Value::as_str)) {
            match failing.iter_mut().find(|(a, _)| a == audit) {
                Some((_, n)) => *n += 1,
                None => failing.push((audit.to_string(), 1)),
            }
        }
        if !failing.is_empty() {
            let list: Vec<String> = failing.iter().map(|(a, n)| format!("{a} ({n}/{})", runs.len())).collect();
            println!("    lost points: {}", list.join(", "));
        }
    }
    // Lighthouse times the page's own work and multiplies it: a busy machine costs points
    // (total blocking time) that a quiet one would not. Its CPU benchmark says how busy.
    let all: Vec<Value> = pages.iter().flatten().cloned().collect();
    println!("    Lighthouse CPU benchmark index (higher is faster): median {:.0}", median(&all, "/benchmark_index"));
}

/// The 1, 5 and 15 minute load averages, to say how busy the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn default_lectern() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/debug/examples/lighthouse-bench → target/debug/lectern
    exe.parent().and_then(Path::parent).map(|dir| dir.join("lectern")).unwrap_or_else(|| "lectern".into())
}

/// `base_url` of the site's lectern.yml, `/` when unset.
fn base_url(site: &Path) -> Result<String> {
    let text = std::fs::read_to_string(site.join("lectern.yml")).context("reading lectern.yml")?;
    let config: Value = yaml_serde::from_str(&text).context("parsing lectern.yml")?;
    let base = config["base_url"].as_str().unwrap_or("/");
    Ok(format!("/{}/", base.trim_matches('/')).replace("//", "/"))
}

/// The home page and the first two other pages of the built sitemap, as paths below base_url.
fn sitemap_pages(out: &Path, base_url: &str) -> Result<Vec<String>> {
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).context("reading sitemap.xml")?;
    let mut pages = vec![String::new()];
    for loc in xml.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()) {
        let path = loc.find("://").and_then(|i| loc[i + 3..].find('/').map(|j| &loc[i + 3 + j..])).unwrap_or(loc);
        let below = path.strip_prefix(base_url).unwrap_or(path.trim_start_matches('/'));
        if !below.is_empty() && pages.len() < 3 {
            pages.push(below.to_string());
        }
    }
    Ok(pages)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry?;
        let rel = entry.path().strip_prefix(from)?;
        if rel.starts_with("build") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}
