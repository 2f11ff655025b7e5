//! Lighthouse benchmark (issue 20): builds a copy of a site for production, serves it on
//! 127.0.0.1 and runs Lighthouse (mobile, its default) with Debian's chromium on a few of its
//! pages, printing the performance, accessibility, best-practices and SEO scores (targets: 100
//! each), the bytes of each page's first load, its layout shift and the audits that lost points.
//!
//! `cargo run --example lighthouse-bench -- ../shared/corpora/api-playbook`
//!
//! `--compare-with DIR` measures the same pages of a site another tool built (Docusaurus's
//! `build/` folder of the same content, say), served the same way at the same base URL, and prints
//! its table and the first-load bytes of each page side by side.
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
    let ours = measure(&dir, &root, &base_url, &pages)?;
    print_table("lectern", &ours);
    if let Some(other) = &args.compare_with {
        // Served at the same base URL as lectern's, so the same paths answer.
        let other_root = work.path().join("other");
        copy_dir(other, &other_root.join(base_url.trim_matches('/')))?;
        let theirs = measure(&dir, &other_root, &base_url, &pages)?;
        println!();
        print_table(&other.display().to_string(), &theirs);
        println!("\n{:<48} {:>12} {:>12} {:>7}", "first-load bytes", "lectern", "other", "ratio");
        for (path, (a, b)) in pages.iter().zip(ours.iter().zip(&theirs)) {
            let (a, b) = (a["bytes"].as_f64().unwrap_or(f64::NAN), b["bytes"].as_f64().unwrap_or(f64::NAN));
            println!("{:<48} {:>9.1} KB {:>9.1} KB {:>6.2}x", format!("/{path}"), a / 1024.0, b / 1024.0, a / b);
        }
    }
    Ok(())
}

/// Serves `root` and runs Lighthouse on each page below `base_url`; one JSON record per page.
fn measure(dir: &Path, root: &Path, base_url: &str, pages: &[String]) -> Result<Vec<Value>> {
    let server = server::StaticServer::start(root);
    let urls: Vec<String> =
        pages.iter().map(|p| format!("{}{}{}", server.url, base_url, p.trim_start_matches('/'))).collect();
    let output = Command::new("node").arg(dir.join("run.mjs")).args(&urls).output().context("running node")?;
    if !output.status.success() {
        bail!("lighthouse failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let mut records = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines().filter(|l| l.starts_with('{')) {
        let mut r: Value = serde_json::from_str(line).context("lighthouse's JSON line")?;
        let path = r["url"].as_str().unwrap_or("").trim_start_matches(server.url.as_str()).to_string();
        r["path"] = Value::String(path);
        records.push(r);
    }
    Ok(records)
}

fn print_table(title: &str, records: &[Value]) {
    println!(
        "{:<48} {:>5} {:>5} {:>5} {:>5} {:>9} {:>6}",
        format!("{title} (mobile)"),
        "perf",
        "a11y",
        "best",
        "seo",
        "bytes",
        "CLS"
    );
    for r in records {
        let score = |c: &str| r["scores"][c].as_u64().map_or("-".to_string(), |s| s.to_string());
        println!(
            "{:<48} {:>5} {:>5} {:>5} {:>5} {:>9} {:>6.3}",
            r["path"].as_str().unwrap_or(""),
            score("performance"),
            score("accessibility"),
            score("best-practices"),
            score("seo"),
            r["bytes"].as_f64().map_or("-".to_string(), |b| format!("{:.1} KB", b / 1024.0)),
            r["cls"].as_f64().unwrap_or(f64::NAN),
        );
        let failing: Vec<&str> = r["failing"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        if !failing.is_empty() {
            println!("    lost points: {}", failing.join(", "));
        }
    }
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
