//! Speech quality benchmark: how well a listener (stood in for by a speech recogniser) follows
//! each installed engine, and what the audio costs. For every engine found (espeak-ng, Piper) it
//! synthesises a fixed sample of sentences one by one, transcribes each clip with pocketsphinx
//! (Debian `pocketsphinx` + `pocketsphinx-en-us`) and prints:
//!
//! - WER: word error rate of the transcripts against the spoken sentences (issue 18's target for
//!   the default engine: at most 40%). The recogniser hears each clip as a listener does: encoded
//!   to MP3 at the build's settings and decoded, with the build's silence between sentences
//!   around it, made 16 kHz mono by sox. The sentence and the transcript are compared word by
//!   word after writing them alike ([`Scorer`]: numbers as words, spelled acronyms as letters,
//!   typographic apostrophes…); "WER plain" is the comparison without that, as first measured,
//! - RTF: real-time factor, synthesis time over audio time, one sentence at a time on one core,
//!   after the engine has started (its start-up, e.g. loading Piper's model, is printed apart),
//! - KB/min: MP3 bytes per minute of speech at the build's settings (target: at most 300 KB).
//!
//! `cargo run --release --example speech-quality -- [--corpus SITE] [--count 40]`
//! With `--corpus`, the sample is `--count` sentences spread evenly over the site's cues: the
//! `.vtt` files of a built copy when it has any, else the spoken text of the pages in its docs
//! folder. Without it, a built-in list of sentences. `--show` prints each sentence's errors,
//! `--breakdown` the rate as each step of the comparison is added, `--heard pcm,mp3` and
//! `--silence 0,0.3` a row for each way of hearing the same synthesis. Figures only, no
//! assertions.

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
    /// Read the sentences from this file (one a line, as `--dump` writes them) instead.
    #[arg(long, conflicts_with = "corpus")]
    sentences: Option<PathBuf>,
    /// How many sentences to sample.
    #[arg(long, default_value_t = 40)]
    count: usize,
    /// Speaking rates to try, in words per minute (e.g. `--rate 175,150`); each engine is measured
    /// at each. Default: the build's default rate.
    #[arg(long, value_delimiter = ',')]
    rate: Vec<u32>,
    /// Engines to measure (e.g. `--engine piper`); default: espeak-ng and Piper.
    #[arg(long, value_delimiter = ',')]
    engine: Vec<String>,
    /// Print each sentence's reference and transcript, with the words missed (`-word`), heard
    /// instead (`+word`) or wrongly (`word>heard`).
    #[arg(long)]
    show: bool,
    /// What the recogniser hears: `mp3`, the clip as a listener gets it (encoded and decoded
    /// again), or `pcm`, the engine's own samples (as this benchmark measured before).
    /// Several (`--heard pcm,mp3`) print a row each, from the same synthesis.
    #[arg(long, default_value = "mp3", value_delimiter = ',', value_parser = ["mp3", "pcm"])]
    heard: Vec<String>,
    /// Seconds of silence before and after each clip, as a listener hears a sentence between
    /// its neighbours in a section's MP3 (the gap lectern puts between sentences).
    /// Several (`--silence 0,0.3`) print a row each, from the same synthesis.
    #[arg(long, default_value = "0.3", value_delimiter = ',')]
    silence: Vec<f64>,
    /// Also print the word error rate as each step of the comparison is added, on the same
    /// transcripts (from the plain comparison to all of them).
    #[arg(long)]
    breakdown: bool,
    /// Write the sample (the spoken sentences, one a line) to this file.
    #[arg(long)]
    dump: Option<PathBuf>,
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
    let sentences = match (&args.corpus, &args.sentences) {
        (Some(site), _) => sample(&corpus_sentences(site)?, args.count),
        (None, Some(file)) => std::fs::read_to_string(file)
            .with_context(|| format!("reading {}", file.display()))?
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        (None, None) => BUILT_IN.iter().take(args.count).map(|s| s.to_string()).collect(),
    };
    if sentences.is_empty() {
        bail!("no sentences to speak");
    }
    for program in ["pocketsphinx_continuous", "sox"] {
        if which(program).is_none() {
            bail!("{program} is not installed (`apt-get install pocketsphinx pocketsphinx-en-us sox`)");
        }
    }
    if let Some(dump) = &args.dump {
        std::fs::write(dump, sentences.join("\n") + "\n").with_context(|| format!("writing {}", dump.display()))?;
    }
    let work = tempfile::tempdir().context("making a temp folder")?;
    let scorer = Scorer::new();
    let words: usize = sentences.iter().map(|s| scorer.reference(s).len()).sum();
    let unknown: usize = sentences.iter().flat_map(|s| scorer.reference(s)).filter(|w| !scorer.knows(w)).count();
    println!("{} sentences, {words} words; recogniser: pocketsphinx ({MODEL})", sentences.len());
    println!(
        "{unknown} of the words ({:.1}%) are not in the recogniser's vocabulary: it cannot write them, so they count as errors whatever the voice says",
        unknown as f64 * 100.0 / words.max(1) as f64
    );
    println!(
        "{:<44} {:>12} {:>7} {:>10} {:>7} {:>9} {:>10} {:>9}",
        "engine", "heard", "WER", "WER plain", "RTF", "start s", "audio s", "KB/min"
    );
    let rates: Vec<Option<u32>> =
        if args.rate.is_empty() { vec![None] } else { args.rate.iter().map(|r| Some(*r)).collect() };
    let kinds: Vec<EngineKind> = [EngineKind::EspeakNg, EngineKind::Piper]
        .into_iter()
        .filter(|k| args.engine.is_empty() || args.engine.iter().any(|e| e == k.name()))
        .collect();
    for (kind, rate) in kinds.into_iter().flat_map(|k| rates.iter().map(move |r| (k, *r))) {
        let raw = RawSpeech { engine: Some(kind), rate, ..Default::default() };
        let config = SpeechConfig::resolve(work.path(), Some(raw));
        let engine = match Engine::detect(&config, work.path()) {
            Ok(engine) => engine,
            Err(why) => {
                println!("{:<28} skipped: {why}", kind.name());
                continue;
            }
        };
        for row in measure(&engine, &sentences, &work.path().join(kind.name()), &args, &scorer)? {
            println!(
                "{:<44} {:>12} {:>6.1}% {:>9.1}% {:>7.3} {:>9.2} {:>10.1} {:>9.0}",
                format!("{} {} wpm", engine.describe(), config.rate),
                row.heard,
                row.wer * 100.0,
                row.wer_plain * 100.0,
                row.rtf,
                row.start_seconds,
                row.audio_seconds,
                row.kb_per_minute
            );
        }
    }
    Ok(())
}

/// One engine's figures.
struct Row {
    heard: String,
    /// Against the reference normalised as the recogniser writes words ([`Scorer`]).
    wer: f64,
    /// Against the reference as this benchmark first compared it: lower case, punctuation
    /// dropped, nothing else.
    wer_plain: f64,
    rtf: f64,
    start_seconds: f64,
    audio_seconds: f64,
    kb_per_minute: f64,
}

fn measure(engine: &Engine, sentences: &[String], dir: &Path, args: &Args, scorer: &Scorer) -> Result<Vec<Row>> {
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
    let mut rows = Vec::new();
    for (heard, silence) in args.heard.iter().flat_map(|h| args.silence.iter().map(move |s| (h, *s))) {
        let transcripts: Vec<String> = clips
            .par_iter()
            .enumerate()
            .map(|(i, clip)| {
                let stem = format!("{heard}-{}ms-{i:03}", (silence * 1000.0).round());
                transcribe(&padded(clip, silence), &dir.join(stem), heard == "mp3")
            })
            .collect::<Result<_>>()?;
        if args.breakdown {
            println!("heard as {heard}, {silence} s of silence around each sentence:");
            for steps in 0..=STEPS.len() {
                let scorer = scorer.with_steps(steps);
                let (mut errors, mut total) = (0, 0);
                for (sentence, said) in sentences.iter().zip(&transcripts) {
                    let reference = scorer.reference(sentence);
                    errors += align(&reference, &scorer.hypothesis(said), steps >= 5).0;
                    total += reference.len();
                }
                let step = if steps == 0 { "plain comparison" } else { STEPS[steps - 1] };
                println!(
                    "  {:<22} {:>6.1}% ({errors} errors in {total} words)",
                    format!("+ {step}"),
                    errors as f64 * 100.0 / total.max(1) as f64
                );
            }
        }
        let (mut errors, mut plain_errors, mut total, mut plain_total) = (0, 0, 0, 0);
        for (sentence, said) in sentences.iter().zip(&transcripts) {
            let (reference, hypothesis) = (scorer.reference(sentence), scorer.hypothesis(said));
            let (wrong, ops) = align(&reference, &hypothesis, true);
            if args.show {
                println!("{wrong:>3}/{:<3} {sentence}\n        heard: {said}\n        {ops}", reference.len());
            }
            errors += wrong;
            total += reference.len();
            let (reference, hypothesis) = (plain_words(sentence), plain_words(said));
            plain_errors += align(&reference, &hypothesis, false).0;
            plain_total += reference.len();
        }
        rows.push(Row {
            heard: format!("{heard}, {silence} s"),
            wer: errors as f64 / total.max(1) as f64,
            wer_plain: plain_errors as f64 / plain_total.max(1) as f64,
            rtf: synthesis / audio_seconds.max(f64::EPSILON),
            start_seconds,
            audio_seconds,
            kb_per_minute,
        });
    }
    Ok(rows)
}

/// `clip` with `seconds` of silence before and after it.
fn padded(clip: &Pcm, seconds: f64) -> Pcm {
    let pad = vec![0i16; (seconds * f64::from(clip.sample_rate)).round() as usize];
    Pcm { sample_rate: clip.sample_rate, samples: [pad.as_slice(), &clip.samples, &pad].concat() }
}

/// What pocketsphinx hears in `clip`: the clip as a listener gets it (encoded to MP3 at the
/// build's settings and decoded again), made 16 kHz mono by sox with its guard against
/// clipping (Piper's clips peak at full scale, and resampling overshoots it).
fn transcribe(clip: &Pcm, stem: &Path, via_mp3: bool) -> Result<String> {
    let (raw, wav) = (stem.with_extension("heard.wav"), stem.with_extension("wav"));
    let heard = match via_mp3 {
        true => {
            let (rate, samples) = decode_mp3(&mp3(clip)?)?;
            float_wav(rate, &samples)
        }
        false => write_wav(clip),
    };
    std::fs::write(&raw, heard).with_context(|| format!("writing {}", raw.display()))?;
    // -V1: errors only. -G (with the MP3): sox lowers the level where its resampling would clip.
    let status = Command::new("sox")
        .args(if via_mp3 { ["-V1", "-G"].as_slice() } else { ["-V1"].as_slice() })
        .arg(&raw)
        .args(["-r", "16000", "-c", "1", "-b", "16"])
        .arg(&wav)
        .status()?;
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

/// An MP3's sample rate and samples (as a browser decodes it: floats, nothing clipped).
fn decode_mp3(bytes: &[u8]) -> Result<(u32, Vec<f32>)> {
    use symphonia::core::codecs::audio::AudioDecoderOptions;
    use symphonia::core::formats::probe::Hint;
    use symphonia::core::formats::{FormatOptions, TrackType};
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    let stream = MediaSourceStream::new(Box::new(std::io::Cursor::new(bytes.to_vec())), Default::default());
    let mut hint = Hint::new();
    hint.with_extension("mp3");
    let mut format = symphonia::default::get_probe()
        .probe(&hint, stream, FormatOptions::default(), MetadataOptions::default())
        .context("reading the MP3")?;
    let track = format.default_track(TrackType::Audio).context("an MP3 without audio")?;
    let track_id = track.id;
    let params = track.codec_params.as_ref().and_then(|p| p.audio()).context("no audio parameters")?.clone();
    let rate = params.sample_rate.context("no sample rate")?;
    let mut decoder = symphonia::default::get_codecs().make_audio_decoder(&params, &AudioDecoderOptions::default())?;
    let (mut samples, mut frame) = (Vec::new(), Vec::new());
    while let Some(packet) = format.next_packet()? {
        if packet.track_id == track_id {
            decoder.decode(&packet)?.copy_to_vec_interleaved(&mut frame);
            samples.extend_from_slice(&frame);
        }
    }
    Ok((rate, samples))
}

/// A mono 32-bit float WAV file.
fn float_wav(rate: u32, samples: &[f32]) -> Vec<u8> {
    let data = (samples.len() * 4) as u32;
    let mut out = Vec::with_capacity(44 + data as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&3u16.to_le_bytes()); // IEEE float
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 4).to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Lower-case words, punctuation dropped (apostrophes kept: "don't"): how this benchmark first
/// compared the texts, and how it picks sentences of at least four words.
fn plain_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The steps of [`Scorer`], in the order `--breakdown` adds them.
const STEPS: [&str; 5] = ["apostrophes", "numbers as words", "spelled letters", "split words", "joined words"];

/// Turns the spoken text (the reference) and the transcript into words the way the recogniser
/// writes them, so that a word heard right is not counted wrong:
/// - typographic apostrophes are apostrophes ("don’t" is "don't", not "don t");
/// - numbers are words, as the voice reads them ("429" → "four hundred twenty nine", "3.3" →
///   "three point three"): the recogniser never writes digits;
/// - a word in capitals that the voice spells out ("API", "SNS") is its letters ("a p i"): the
///   recogniser writes each letter it hears as a word. Whether the voice spells a word is asked
///   of espeak-ng, which makes the phonemes for both Piper and espeak-ng: its phonemes for the
///   word are those of its letters said one by one. Without espeak-ng nothing is spelled;
/// - a word that the voice says as several is those words: "CloudWatch" → "cloud watch" (a
///   capital inside a word starts a word, as espeak-ng reads it), "Hackney.Core" → "hackney dot
///   core";
/// - a word written as one by one side and two by the other ("setup" / "set up", "timeout" /
///   "time out") counts as the same words (in [`align`]).
///
/// The reference stays every word spoken: nothing is dropped, and words the recogniser does
/// not know still count.
struct Scorer {
    /// How many of [`STEPS`] apply (all of them but for `--breakdown`).
    steps: usize,
    espeak: Option<PathBuf>,
    /// Whether espeak-ng spells each capitalised word, once asked.
    spelled: std::sync::Mutex<std::collections::HashMap<String, bool>>,
    /// The recogniser's vocabulary (from its language model), when it could be read.
    vocabulary: std::collections::HashSet<String>,
}

impl Scorer {
    fn new() -> Scorer {
        Scorer {
            steps: STEPS.len(),
            espeak: which("espeak-ng"),
            spelled: Default::default(),
            vocabulary: read_vocabulary(&format!("{MODEL}/en-us.lm.bin")).unwrap_or_default(),
        }
    }

    /// The same scorer with only the first `steps` of [`STEPS`].
    fn with_steps(&self, steps: usize) -> Scorer {
        Scorer {
            steps,
            espeak: self.espeak.clone(),
            spelled: std::sync::Mutex::new(self.spelled.lock().map(|m| m.clone()).unwrap_or_default()),
            vocabulary: self.vocabulary.clone(),
        }
    }

    /// Whether the recogniser can write `word` (true when its vocabulary is unknown).
    fn knows(&self, word: &str) -> bool {
        self.vocabulary.is_empty() || self.vocabulary.contains(word)
    }

    fn reference(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let text = if self.steps >= 1 { apostrophes(text) } else { text.to_string() };
        for token in text.split_whitespace() {
            // Letters, digits, apostrophes, and a decimal point or thousands comma between digits.
            let chars: Vec<char> = token.chars().collect();
            let mut word = String::new();
            for (i, &c) in chars.iter().enumerate() {
                let between_digits =
                    i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                let between_letters =
                    i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                let between_digits = between_digits && self.steps >= 2;
                if c.is_alphanumeric() || c == '\'' || (matches!(c, '.' | ',') && between_digits) {
                    word.push(c);
                } else if c == '.' && between_letters && self.steps >= 4 {
                    // "Hackney.Core", "Node.js": the voice says the dot.
                    self.push_word(&word, &mut out);
                    word.clear();
                    out.push("dot".into());
                } else {
                    self.push_word(&word, &mut out);
                    word.clear();
                }
            }
            self.push_word(&word, &mut out);
        }
        out
    }

    fn hypothesis(&self, text: &str) -> Vec<String> {
        plain_words(&if self.steps >= 1 { apostrophes(text) } else { text.to_string() })
    }

    fn push_word(&self, word: &str, out: &mut Vec<String>) {
        let word = word.trim_matches('\'');
        if word.is_empty() {
            return;
        }
        if self.steps >= 2 && word.chars().any(|c| c.is_ascii_digit()) {
            // Runs of digits become number words; letters around them stay ("CA1303", "v2").
            let mut rest = word;
            while !rest.is_empty() {
                let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
                if digits > 0 {
                    out.extend(number_words(&rest[..digits]));
                    rest = &rest[digits..];
                } else {
                    let letters = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
                    self.push_word(&rest[..letters], out);
                    rest = &rest[letters..];
                }
            }
            return;
        }
        let parts = camel_parts(word);
        if parts.len() > 1 && self.steps >= 4 {
            for part in parts {
                self.push_word(part, out);
            }
            return;
        }
        if let Some(letters) = self.spelled_letters(word).filter(|_| self.steps >= 3) {
            out.extend(letters);
            return;
        }
        out.push(word.to_lowercase());
    }

    /// "API" → ["a", "p", "i"] when the voice spells it; "APIs" → ["a", "p", "i's"].
    fn spelled_letters(&self, word: &str) -> Option<Vec<String>> {
        let base = word.strip_suffix('s').filter(|b| b.len() >= 2).unwrap_or(word);
        let capitals = base.len() >= 2 && base.len() <= 6 && base.chars().all(|c| c.is_ascii_uppercase());
        if !capitals || !self.spells(base) {
            return None;
        }
        let mut letters: Vec<String> = base.chars().map(|c| c.to_ascii_lowercase().to_string()).collect();
        if base.len() < word.len()
            && let Some(last) = letters.last_mut()
        {
            last.push_str("'s");
        }
        Some(letters)
    }

    fn spells(&self, word: &str) -> bool {
        if let Some(known) = self.spelled.lock().ok().and_then(|m| m.get(word).copied()) {
            return known;
        }
        let Some(espeak) = &self.espeak else { return false };
        let phonemes = |text: &str| -> Option<String> {
            let out = Command::new(espeak).args(["-v", "en-us", "-q", "-x", text]).output().ok()?;
            Some(String::from_utf8_lossy(&out.stdout).chars().filter(|c| !"',;_: \n".contains(*c)).collect())
        };
        let hyphenated = word.chars().map(String::from).collect::<Vec<_>>().join("-");
        let spelled = matches!((phonemes(word), phonemes(&hyphenated)), (Some(a), Some(b)) if a == b);
        if let Ok(mut memo) = self.spelled.lock() {
            memo.insert(word.to_string(), spelled);
        }
        spelled
    }
}

/// A word's parts where the voice splits it, as espeak-ng does: "CloudWatch" → "Cloud",
/// "Watch"; "DynamoDBIndexingCore" → "Dynamo", "DB", "Indexing", "Core"; "APIs" stays whole.
fn camel_parts(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut cuts = vec![0];
    for k in 1..chars.len() {
        let (prev, cur) = (chars[k - 1].1, chars[k].1);
        let next = chars.get(k + 1).map(|c| c.1);
        // "DBIndexing": the capital that starts a word; not the "Is" of "APIs".
        let starts_word = prev.is_uppercase()
            && cur.is_uppercase()
            && next.is_some_and(char::is_lowercase)
            && !(next == Some('s') && k + 2 == chars.len());
        if (prev.is_lowercase() && cur.is_uppercase()) || starts_word {
            cuts.push(chars[k].0);
        }
    }
    cuts.push(word.len());
    cuts.windows(2).map(|w| &word[w[0]..w[1]]).filter(|p| !p.is_empty()).collect()
}

fn apostrophes(text: &str) -> String {
    text.replace(['’', '‘', 'ʼ'], "'")
}

/// A number as the voice reads it: "429" → four hundred twenty nine; "3.3" → three point three;
/// "10,000" → ten thousand; "007" → zero zero seven.
fn number_words(number: &str) -> Vec<String> {
    let number = number.trim_matches(|c| c == '.' || c == ',');
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w.replace(',', ""), Some(f)),
        None => (number.replace(',', ""), None),
    };
    let digit = |c: char| DIGITS[c.to_digit(10).unwrap_or(0) as usize].to_string();
    let mut out: Vec<String> = match whole.parse::<u64>() {
        Ok(n) if !(whole.len() > 1 && whole.starts_with('0')) => cardinal(n),
        _ => whole.chars().filter(char::is_ascii_digit).map(digit).collect(),
    };
    if let Some(fraction) = fraction {
        out.push("point".into());
        out.extend(fraction.chars().filter(char::is_ascii_digit).map(digit));
    }
    out
}

const DIGITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// U.S. English cardinal words, without "and", as espeak-ng's en-us voice reads them.
fn cardinal(n: u64) -> Vec<String> {
    const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if n < 20 {
        return vec![DIGITS[n as usize].to_string()];
    }
    if n < 100 {
        let mut out = vec![TENS[(n / 10) as usize].to_string()];
        if !n.is_multiple_of(10) {
            out.push(DIGITS[(n % 10) as usize].to_string());
        }
        return out;
    }
    for (size, name) in [
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
        (100, "hundred"),
    ] {
        if n >= size {
            let mut out = cardinal(n / size);
            out.push(name.to_string());
            if !n.is_multiple_of(size) {
                out.extend(cardinal(n % size));
            }
            return out;
        }
    }
    unreachable!("every number of at least 100 has a size")
}

/// The words of a pocketsphinx language model (its binary form ends with them, NUL-separated,
/// in sorted order, from "'em" on).
fn read_vocabulary(path: &str) -> Option<std::collections::HashSet<String>> {
    let bytes = std::fs::read(path).ok()?;
    let first = bytes.windows(4).rposition(|w| w == b"'em\0")?;
    let words = bytes[first..].split(|&b| b == 0).filter(|w| !w.is_empty());
    Some(words.map(|w| String::from_utf8_lossy(w).into_owned()).collect())
}

/// Aligns the words: the number of errors (substitutions, deletions, insertions) and what they
/// were (`-missed`, `+inserted`, `said>heard`). A word of one side that is two adjacent words of
/// the other joined ("setup" / "set up") is a match.
fn align(reference: &[String], hypothesis: &[String], join: bool) -> (usize, String) {
    let (n, m) = (reference.len(), hypothesis.len());
    let joined = |a: &[String], i: usize, b: &[String], j: usize| {
        join && i >= 1
            && j >= 2
            && a[i - 1].len() == b[j - 2].len() + b[j - 1].len()
            && a[i - 1] == format!("{}{}", b[j - 2], b[j - 1])
    };
    let mut cost = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in cost.iter_mut().enumerate() {
        row[0] = i;
    }
    cost[0] = (0..=m).collect();
    for i in 1..=n {
        for j in 1..=m {
            let mut best = (cost[i - 1][j - 1] + usize::from(reference[i - 1] != hypothesis[j - 1]))
                .min(cost[i - 1][j] + 1)
                .min(cost[i][j - 1] + 1);
            if joined(reference, i, hypothesis, j) {
                best = best.min(cost[i - 1][j - 2]);
            }
            if joined(hypothesis, j, reference, i) {
                best = best.min(cost[i - 2][j - 1]);
            }
            cost[i][j] = best;
        }
    }
    let (mut i, mut j, mut ops) = (n, m, Vec::new());
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && cost[i][j] == cost[i - 1][j - 1] + usize::from(reference[i - 1] != hypothesis[j - 1]) {
            if reference[i - 1] != hypothesis[j - 1] {
                ops.push(format!("{}>{}", reference[i - 1], hypothesis[j - 1]));
            }
            (i, j) = (i - 1, j - 1);
        } else if joined(reference, i, hypothesis, j) && cost[i][j] == cost[i - 1][j - 2] {
            (i, j) = (i - 1, j - 2);
        } else if joined(hypothesis, j, reference, i) && cost[i][j] == cost[i - 2][j - 1] {
            (i, j) = (i - 2, j - 1);
        } else if i > 0 && (j == 0 || cost[i][j] == cost[i - 1][j] + 1) {
            ops.push(format!("-{}", reference[i - 1]));
            i -= 1;
        } else {
            ops.push(format!("+{}", hypothesis[j - 1]));
            j -= 1;
        }
    }
    ops.reverse();
    (cost[n][m], ops.join(" "))
}

/// Every cue of a built copy (its `.vtt` files), or else the spoken text of its pages: the
/// Markdown files of its docs folder (a file beside the site, such as a NOTICE.md, is no page).
fn corpus_sentences(site: &Path) -> Result<Vec<String>> {
    let mut vtt = Vec::new();
    let mut pages = Vec::new();
    let docs = match lectern::config::load(site, &lectern::config::Overrides::default()) {
        Ok(config) => site.join(&config.docs_dir),
        Err(_) => site.to_path_buf(),
    };
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", site.display()))?;
        let path = entry.path();
        if path.components().any(|c| c.as_os_str() == "node_modules" || c.as_os_str() == ".lectern-cache") {
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("vtt") => vtt.extend(cues(path)?),
            Some("md" | "mdx") if path.starts_with(&docs) => pages.push(path.to_path_buf()),
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
    let eligible: Vec<&String> = all.iter().filter(|s| plain_words(s).len() >= 4).collect();
    if eligible.len() <= count {
        return eligible.into_iter().cloned().collect();
    }
    (0..count).map(|i| eligible[i * eligible.len() / count].clone()).collect()
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    /// A scorer that asks no program: nothing is taken as spelled.
    fn scorer() -> Scorer {
        Scorer { steps: STEPS.len(), espeak: None, spelled: Default::default(), vocabulary: Default::default() }
    }

    #[test]
    fn references_are_words_as_the_recogniser_writes_them() {
        for (spoken, reference) in [
            ("We don’t use the customers’ data.", "we don't use the customers data"),
            (
                "Return 404 or 429 Too Many Requests.",
                "return four hundred four or four hundred twenty nine too many requests",
            ),
            (
                "Docusaurus 3.3 builds 10,000 pages in 2024.",
                "docusaurus three point three builds ten thousand pages in two thousand twenty four",
            ),
            (
                "Rule CA1303 and v2, code 007.",
                "rule ca one thousand three hundred three and v two code zero zero seven",
            ),
            (
                "Use CloudWatch and DynamoDBIndexingCore with APIs.",
                "use cloud watch and dynamo db indexing core with apis",
            ),
            ("In the Hackney.Core monorepo, with Node.js", "in the hackney dot core monorepo with node dot js"),
            ("2: Set the end-to-end test up.", "two set the end to end test up"),
        ] {
            assert_eq!(scorer().reference(spoken), words(reference), "{spoken}");
        }
        assert_eq!(scorer().hypothesis("they don’t"), words("they don't"));
    }

    #[test]
    fn spelled_acronyms_are_their_letters() {
        let scorer = scorer();
        for (word, spelled) in [("API", true), ("AWS", true), ("JSON", false)] {
            scorer.spelled.lock().unwrap().insert(word.to_string(), spelled);
        }
        assert_eq!(scorer.reference("An API, the APIs, AWS and JSON."), words("an a p i the a p i's a w s and json"));
    }

    #[test]
    fn alignment_counts_errors_and_joins_split_words() {
        assert_eq!(align(&words("the set up works"), &words("the setup works"), true), (0, String::new()));
        assert_eq!(align(&words("a timeout here"), &words("a time out here"), true), (0, String::new()));
        assert_eq!(
            align(&words("one two three"), &words("one too three four"), true),
            (2, "two>too +four".to_string())
        );
        assert_eq!(align(&words("one two"), &[], true), (2, "-one -two".to_string()));
        // Joining is only for the exact letters: "cloud" + "what" is not "cloudwatch".
        assert_eq!(align(&words("cloudwatch"), &words("cloud what"), true).0, 2);
    }

    #[test]
    fn numbers_and_camel_case() {
        assert_eq!(number_words("1,000,000"), words("one million"));
        assert_eq!(number_words("115"), words("one hundred fifteen"));
        assert_eq!(number_words("0.5"), words("zero point five"));
        assert_eq!(camel_parts("LBHackney"), ["LB", "Hackney"]);
        assert_eq!(camel_parts("IDs"), ["IDs"]);
        assert_eq!(camel_parts("iPhone"), ["i", "Phone"]);
    }
}
