//! Speech benchmark: builds a site (load, render, write) in-process with its speech blocks
//! pre-rendered by the site's engine (by default `auto`: Piper when installed, else espeak-ng)
//! and prints, against the targets of issue 4:
//!
//! - cold synthesis: the first build with an empty cache (the speech stage and the whole build),
//! - warm rebuild: the median of `--runs` builds with the cache full, against the median of builds
//!   with `speech.prerender: never` (players, no audio) — target: no slower than 1.1×,
//! - audio bytes per minute of speech (target: at most 300 KB).
//!
//! `cargo run --release --example speech-bench -- ../shared/corpora/api-playbook`
//! Each build is a `lectern build` (the same pipeline, in-process), with the speech and highlight
//! caches warm, measured two ways: into an empty output folder (nothing kept from an earlier
//! build: the cost of speech itself, as on a CI machine that keeps only `.lectern-cache/`), and
//! again into its own previous output (a rebuild on an author's machine). The site is copied into
//! a temp folder first, so its caches and output never land in the original. Prints figures only.

#[path = "common/bench/copy.rs"]
mod copy;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use clap::Parser;
use lectern::build::{self, Mode};
use lectern::config::{self, Overrides};
use lectern::files::OutputFile;
use lectern::site::Timings;
use lectern::speech::Prerender;

/// Measures what pre-rendered speech costs a build.
#[derive(Parser)]
struct Args {
    /// The site's root folder.
    site: PathBuf,
    /// Warm builds and speech-off builds each (the median is printed).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Keep the speech cache here (a filled one makes the first build warm too).
    #[arg(long)]
    cache: Option<PathBuf>,
}

/// One build's figures.
struct Run {
    total_ms: f64,
    speech_ms: f64,
    summary: String,
    timings: Timings,
    audio_bytes: u64,
    audio_seconds: f64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let work = tempfile::tempdir().context("creating a temp dir")?;
    let cache = args.cache.clone().unwrap_or_else(|| work.path().join("cache"));
    let out = work.path().join("out");
    let site = work.path().join("site");
    copy::copy_site(&args.site, &site)?;

    let (load_before, cpu_before) = (load_average(), cpu_seconds());
    let cold = build_once(&site, &cache, &out, Prerender::Always, true)?;
    // The engine's processes (Piper's workers) have ended and been waited for by now.
    let cold_cpu = cpu_seconds() - cpu_before;
    let load_after = load_average();
    // Alternating, so that a busy machine slows both kinds alike.
    let (mut warm, mut off) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        warm.push(build_once(&site, &cache, &out, Prerender::Always, true)?);
        off.push(build_once(&site, &cache, &out, Prerender::Never, true)?);
    }
    let warm_ms = median(warm.iter().map(|r| r.total_ms).collect());
    let warm_speech_ms = median(warm.iter().map(|r| r.speech_ms).collect());
    let off_ms = median(off.iter().map(|r| r.total_ms).collect());
    // Rebuilds, each kind into its own previous output.
    let (on_out, off_out) = (work.path().join("out-on"), work.path().join("out-off"));
    build_once(&site, &cache, &on_out, Prerender::Always, true)?;
    build_once(&site, &cache, &off_out, Prerender::Never, true)?;
    let (mut on_again, mut off_again) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        on_again.push(build_once(&site, &cache, &on_out, Prerender::Always, false)?);
        off_again.push(build_once(&site, &cache, &off_out, Prerender::Never, false)?);
    }
    let on_again_ms = median(on_again.iter().map(|r| r.total_ms).collect());
    let off_again_ms = median(off_again.iter().map(|r| r.total_ms).collect());
    let stages = |runs: &[Run]| {
        let stage = |f: fn(&Timings) -> f64| median(runs.iter().map(|r| f(&r.timings)).collect());
        format!(
            "load {:.1}, markdown {:.1}, sidebar {:.1}, speech {:.1}, render {:.1}, search {:.1}, write {:.1}",
            stage(|t| t.load),
            stage(|t| t.markdown),
            stage(|t| t.sidebar),
            stage(|t| t.speech),
            stage(|t| t.render),
            stage(|t| t.search),
            stage(|t| t.write)
        )
    };
    let minutes = cold.audio_seconds / 60.0;
    let per_minute = cold.audio_bytes as f64 / minutes.max(f64::EPSILON) / 1024.0;

    println!("site: {}", args.site.display());
    println!("cold:  {}", cold.summary);
    println!(
        "cold build: {:.2} s (speech stage {:.2} s), processor time {cold_cpu:.1} s (this process and the engine's), load average {load_before} before and {load_after} after",
        cold.total_ms / 1000.0,
        cold.speech_ms / 1000.0
    );
    println!("warm:  {}", warm.last().map(|r| r.summary.as_str()).unwrap_or(""));
    println!(
        "warm build into an empty folder: {:.0} ms (speech stage {:.0} ms), speech off (prerender: never): {:.0} ms, ratio {:.2}x (target <= 1.10x)",
        warm_ms,
        warm_speech_ms,
        off_ms,
        warm_ms / off_ms
    );
    println!("  stage medians (ms), speech on:  {}", stages(&warm));
    println!("  stage medians (ms), speech off: {}", stages(&off));
    println!(
        "warm rebuild into the previous output: {on_again_ms:.0} ms, speech off: {off_again_ms:.0} ms, ratio {:.2}x (target <= 1.10x)",
        on_again_ms / off_again_ms
    );
    println!("  stage medians (ms), speech on:  {}", stages(&on_again));
    println!("  stage medians (ms), speech off: {}", stages(&off_again));
    println!(
        "audio: {:.1} MB for {:.1} min of speech = {:.0} KB per minute (target <= 300 KB)",
        cold.audio_bytes as f64 / 1_048_576.0,
        minutes,
        per_minute
    );
    Ok(())
}

/// Builds the site once into `out` (emptied first when `fresh`), as `lectern build` does, with
/// the given pre-rendering.
fn build_once(site: &Path, cache: &Path, out: &Path, prerender: Prerender, fresh: bool) -> Result<Run> {
    if fresh && out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    let started = Instant::now();
    let mut config = config::load(site, &Overrides::default()).map_err(|e| anyhow!("{e}"))?;
    config.speech.cache_dir = cache.to_path_buf();
    config.speech.prerender = prerender;
    let mut site_data = build::load_site(config, Mode::Disk).map_err(|e| anyhow!("{e}"))?;
    let theme = build::load_theme(&site_data.config).map_err(|e| anyhow!("{e}"))?;
    build::write_site(&mut site_data, &theme, out).map_err(|e| anyhow!("{e}"))?;
    let total_ms = started.elapsed().as_secs_f64() * 1000.0;

    let mut audio_bytes = 0;
    let mut audio_seconds = 0.0;
    let read = |file: &OutputFile| -> Result<Vec<u8>> {
        match file {
            OutputFile::Bytes(b) => Ok(b.clone()),
            OutputFile::Cached(p) | OutputFile::Copy(p) => Ok(std::fs::read(p)?),
        }
    };
    for (path, file) in &site_data.speech.files {
        match (path.strip_prefix("audio/"), file) {
            (Some(name), OutputFile::Cached(mp3) | OutputFile::Copy(mp3)) if name.ends_with(".mp3") => {
                audio_bytes += std::fs::metadata(mp3)?.len()
            }
            (Some(name), vtt) if name.ends_with(".vtt") => {
                audio_seconds += last_cue_end(&String::from_utf8_lossy(&read(vtt)?))
            }
            _ => {}
        }
    }
    Ok(Run {
        total_ms,
        speech_ms: site_data.timings.speech,
        summary: site_data.speech.summary.clone().unwrap_or_default(),
        timings: site_data.timings.clone(),
        audio_bytes,
        audio_seconds,
    })
}

/// The end of a VTT file's last cue, in seconds.
fn last_cue_end(vtt: &str) -> f64 {
    let end = vtt.lines().filter_map(|l| l.split_once(" --> ").map(|(_, e)| e.trim())).next_back().unwrap_or("0:0:0");
    end.split(':').fold(0.0, |acc, part| acc * 60.0 + part.parse::<f64>().unwrap_or(0.0))
}

/// Processor time (user and system) of this process and of its children that ended, in seconds.
#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    f64::NAN
}

/// Processor time (user and system) of this process and of its children that ended, in seconds.
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    let of = |who| {
        // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a valid value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut usage) } != 0 {
            return 0.0;
        }
        let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        time(usage.ru_utime) + time(usage.ru_stime)
    };
    of(libc::RUSAGE_SELF) + of(libc::RUSAGE_CHILDREN)
}

/// The one-minute load average (other work on the machine slows a build), or "?".
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
