//! Speech quality benchmark: how well a listener (stood in for by a speech recogniser) follows
//! each installed engine, and what the audio costs. For every engine found (espeak-ng, Piper) it
//! synthesises a fixed sample of sentences one by one, transcribes each clip with pocketsphinx
//! (Debian `pocketsphinx` + `pocketsphinx-en-us`; 16 kHz mono WAV made by sox) and prints:
//!
//! - WER: word error rate of the transcripts against the sentences (issue 18's target for the
//!   default engine: at most 40%),
//! - RTF: real-time factor, synthesis time over audio time, one sentence at a time on one core,
//!   after the engine has started (its start-up, e.g. loading Piper's model, is printed apart),
//! - KB/min: MP3 bytes per minute of speech at the build's settings (target: at most 300 KB).
//!
//! `cargo run --example speech-quality -- [--corpus SITE] [--count 40]`
//! With `--corpus`, the sample is `--count` sentences spread evenly over the site's cues: the
//! `.vtt` files of a built copy when it has any, else the spoken text of its Markdown pages. Without
//! it, a built-in list of sentences. Figures only, no assertions.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use lectern::speech::{Engine, EngineKind, Pcm, RawSpeech, SpeechConfig, join, mp3, page_sentences, write_wav};
use rayon::prelude::*;

/// Measures intelligibility, speed and size of each installed speech engine.
#[derive(Parser)]
struct Args {
    /// A site (or a built copy of one) to take the sentences from.
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// How many sentences to sample.
    #[arg(long, default_value_t = 40)]
    count: usize,
    /// Speaking rates to try, in words per minute (e.g. `--rate 175,150`); each engine is measured
    /// at each. Default: the build's default rate.
    #[arg(long, value_delimiter = ',')]
    rate: Vec<u32>,
}

const MODEL: &str = "/usr/share/pocketsphinx/model/en-us";

/// Sentences of the kind a playbook has, when no corpus is given.
const BUILT_IN: &[&str] = &[
    "Every service publishes its contract before the first line of code is written.",
    "Reviewers check that each endpoint returns the same error shape.",
    "A request without a valid token is answered with status four hundred and one.",
    "Keep the changelog next to the code it describes.",
    "The gateway adds a correlation identifier to every incoming request.",
    "Clients should retry only the requests that are safe to repeat.",
    "When a field is renamed, the old name stays readable for two releases.",
    "Pagination uses an opaque cursor instead of page numbers.",
    "Our teams meet once a week to review proposed changes to the interface.",
    "Deprecated endpoints answer with a warning header until they are removed.",
    "The staging environment mirrors production, apart from customer data.",
    "Write the test before you change the behaviour.",
    "Logs must never contain passwords, keys or personal details.",
    "Each release is tagged, signed and announced on the mailing list.",
    "Timeouts are set by the caller, not by the service.",
    "A health check reports whether the service can reach its database.",
    "Use plain words in error messages, and say what the reader can do next.",
    "Rate limits protect the platform from a single noisy client.",
    "The documentation is built from the same repository as the service.",
    "Dates are written in the international format, with the time zone.",
    "Large uploads are sent in parts and joined on the server.",
    "The search index is rebuilt every night from the catalogue.",
    "An incident report describes what happened, why, and what we changed.",
    "Feature flags let us ship code that is not yet switched on.",
    "Every team owns the alerts for the services it runs.",
    "Secrets are read from the vault when the service starts.",
    "Versioning happens in the path, so old clients keep working.",
    "The mobile application caches responses for five minutes.",
    "Before merging, a second engineer reads and approves the change.",
    "Monitoring dashboards show latency, errors and traffic for each endpoint.",
    "Batch jobs run outside office hours to spare the shared database.",
    "Customers are told about breaking changes three months in advance.",
    "A good example is worth more than a long description.",
    "The style guide prefers short sentences and active verbs.",
    "Every webhook delivery is signed so that receivers can trust it.",
    "Contract tests run on each pull request and block the merge when they fail.",
    "The on call engineer can roll back a release with a single command.",
    "Field names are written in lower case with underscores between words.",
    "Sandbox accounts are reset every Sunday night.",
    "Questions about this guide go to the platform team's channel.",
];

fn main() -> Result<()> {
    let args = Args::parse();
    let sentences = match &args.corpus {
        Some(site) => sample(&corpus_sentences(site)?, args.count),
        None => BUILT_IN.iter().take(args.count).map(|s| s.to_string()).collect(),
    };
    if sentences.is_empty() {
        bail!("no sentences to speak");
    }
    for program in ["pocketsphinx_continuous", "sox"] {
        if which(program).is_none() {
            bail!("{program} is not installed (`apt-get install pocketsphinx pocketsphinx-en-us sox`)");
        }
    }
    let work = tempfile::tempdir().context("making a temp folder")?;
    let words: usize = sentences.iter().map(|s| normalise(s).len()).sum();
    println!("{} sentences, {words} words; recogniser: pocketsphinx ({MODEL})", sentences.len());
    println!("{:<28} {:>7} {:>7} {:>9} {:>10} {:>9}", "engine", "WER", "RTF", "start s", "audio s", "KB/min");
    let rates: Vec<Option<u32>> =
        if args.rate.is_empty() { vec![None] } else { args.rate.iter().map(|r| Some(*r)).collect() };
    for (kind, rate) in
        [EngineKind::EspeakNg, EngineKind::Piper].into_iter().flat_map(|k| rates.iter().map(move |r| (k, *r)))
    {
        let raw = RawSpeech { engine: Some(kind), rate, ..Default::default() };
        let config = SpeechConfig::resolve(work.path(), Some(raw));
        let engine = match Engine::detect(&config, work.path()) {
            Ok(engine) => engine,
            Err(why) => {
                println!("{:<28} skipped: {why}", kind.name());
                continue;
            }
        };
        let row = measure(&engine, &sentences, &work.path().join(kind.name()))?;
        println!(
            "{:<28} {:>6.1}% {:>7.3} {:>9.2} {:>10.1} {:>9.0}",
            format!("{} {} wpm", engine.describe(), config.rate),
            row.wer * 100.0,
            row.rtf,
            row.start_seconds,
            row.audio_seconds,
            row.kb_per_minute
        );
    }
    Ok(())
}

/// One engine's figures.
struct Row {
    wer: f64,
    rtf: f64,
    start_seconds: f64,
    audio_seconds: f64,
    kb_per_minute: f64,
}

fn measure(engine: &Engine, sentences: &[String], dir: &Path) -> Result<Row> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // The first call starts the engine (Piper loads its model): timed apart from the rest.
    let started = Instant::now();
    engine.synthesise("Starting.").context("warming the engine up")?;
    let start_seconds = started.elapsed().as_secs_f64();
    let mut clips = Vec::with_capacity(sentences.len());
    let mut synthesis = 0.0;
    for sentence in sentences {
        let t = Instant::now();
        clips.push(engine.synthesise(sentence).with_context(|| format!("synthesising \"{sentence}\""))?);
        synthesis += t.elapsed().as_secs_f64();
    }
    let audio_seconds: f64 = clips.iter().map(Pcm::seconds).sum();
    let (joined, _) = join(&clips);
    let kb_per_minute = mp3(&joined)?.len() as f64 / 1000.0 / (joined.seconds() / 60.0);
    let transcripts: Vec<String> = clips
        .par_iter()
        .enumerate()
        .map(|(i, clip)| transcribe(clip, &dir.join(format!("{i:03}"))))
        .collect::<Result<_>>()?;
    let (mut errors, mut total) = (0, 0);
    for (sentence, heard) in sentences.iter().zip(&transcripts) {
        let (reference, hypothesis) = (normalise(sentence), normalise(heard));
        errors += edit_distance(&reference, &hypothesis);
        total += reference.len();
    }
    Ok(Row {
        wer: errors as f64 / total.max(1) as f64,
        rtf: synthesis / audio_seconds.max(f64::EPSILON),
        start_seconds,
        audio_seconds,
        kb_per_minute,
    })
}

/// What pocketsphinx hears in `clip` (made 16 kHz mono by sox first).
fn transcribe(clip: &Pcm, stem: &Path) -> Result<String> {
    let (raw, wav) = (stem.with_extension("raw.wav"), stem.with_extension("wav"));
    std::fs::write(&raw, write_wav(clip)).with_context(|| format!("writing {}", raw.display()))?;
    // -V1: errors only; clipping warnings on loud clips are no news here.
    let status =
        Command::new("sox").arg("-V1").arg(&raw).args(["-r", "16000", "-c", "1", "-b", "16"]).arg(&wav).status()?;
    if !status.success() {
        bail!("sox could not convert {}", raw.display());
    }
    let out = Command::new("pocketsphinx_continuous")
        .arg("-infile")
        .arg(&wav)
        .args(["-hmm", &format!("{MODEL}/en-us"), "-lm", &format!("{MODEL}/en-us.lm.bin")])
        .args(["-dict", &format!("{MODEL}/cmudict-en-us.dict"), "-logfn", "/dev/null"])
        .output()
        .context("running pocketsphinx_continuous")?;
    Ok(String::from_utf8_lossy(&out.stdout).lines().collect::<Vec<_>>().join(" "))
}

/// Lower-case words, punctuation dropped (apostrophes kept: "don't").
fn normalise(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Word-level Levenshtein distance: substitutions, deletions and insertions.
fn edit_distance(reference: &[String], hypothesis: &[String]) -> usize {
    let mut row: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, h) in hypothesis.iter().enumerate() {
            let next = (diagonal + usize::from(r != h)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[hypothesis.len()]
}

/// Every cue of a built copy (its `.vtt` files), or else the spoken text of its Markdown pages.
fn corpus_sentences(site: &Path) -> Result<Vec<String>> {
    let mut vtt = Vec::new();
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", site.display()))?;
        let path = entry.path();
        if path.components().any(|c| c.as_os_str() == "node_modules" || c.as_os_str() == ".lectern-cache") {
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("vtt") => vtt.extend(cues(path)?),
            Some("md" | "mdx") => pages.push(path.to_path_buf()),
            _ => {}
        }
    }
    if !vtt.is_empty() {
        return Ok(vtt);
    }
    let mut sentences = Vec::new();
    for page in pages {
        // A page lectern cannot read is not spoken either.
        if let Ok((_, spoken)) = page_sentences(&page) {
            sentences.extend(spoken);
        }
    }
    Ok(sentences)
}

/// The text of each cue in a WebVTT file.
fn cues(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.contains(" --> ") {
            let cue: Vec<&str> = lines.by_ref().take_while(|l| !l.trim().is_empty()).collect();
            out.push(cue.join(" "));
        }
    }
    Ok(out)
}

/// `count` sentences of at least four words, spread evenly over `all` (the same every run).
fn sample(all: &[String], count: usize) -> Vec<String> {
    let eligible: Vec<&String> = all.iter().filter(|s| normalise(s).len() >= 4).collect();
    if eligible.len() <= count {
        return eligible.into_iter().cloned().collect();
    }
    (0..count).map(|i| eligible[i * eligible.len() / count].clone()).collect()
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}
