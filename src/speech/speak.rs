//! Support for `lectern speak PAGE.md`: one page's spoken text, and audio made with the build's
//! engine, written to a file (`--out FILE.mp3|FILE.wav`, no audio device needed) or played.
//!
//! In: a Markdown page on disk and speech settings. Out: its sentences; a WAV or MP3 file, or
//! sound: Piper's and a command's audio through an audio player program, espeak-ng and the
//! operating system's voice directly.

use std::path::Path;

use anyhow::{Context, bail};
use rayon::prelude::*;

use super::encode::{join, mp3};
use super::engine::Engine;
use super::extract::extract_speech;
use super::settings::{EngineKind, SpeechConfig};
use super::wav::{Pcm, write_wav};
use crate::markdown::{self, LinkResolver, MarkdownOptions, ResolvedImage};

/// Links are not spoken, so `speak` resolves none.
struct KeepLinks;

impl LinkResolver for KeepLinks {
    fn resolve_link(&self, _dest: &str) -> Option<String> {
        None
    }
    fn resolve_image(&self, _src: &str) -> Option<ResolvedImage> {
        None
    }
}

/// The page's title and every sentence a listener hears on it: the title, then the whole body
/// (inside and outside `<TextToSpeech>` blocks).
pub fn page_sentences(path: &Path) -> anyhow::Result<(String, Vec<String>)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let split =
        crate::content::frontmatter::split(&text, path).map_err(|d| anyhow::Error::new(crate::Diagnostics(vec![d])))?;
    let rendered = markdown::render(split.body, path, split.body_line_offset, &MarkdownOptions::default(), &KeepLinks);
    let title = rendered
        .title
        .clone()
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().replace(['-', '_'], " ")))
        .unwrap_or_default();
    let mut sentences = extract_speech(&format!("<h1>{}</h1>", markdown::escape(&title)));
    sentences.extend(extract_speech(&rendered.html));
    Ok((title, sentences))
}

/// Synthesises every sentence with the configured engine and joins them; with the engine's
/// description (`piper 1.8.0 (en_US-joe-medium, 2 workers)`).
pub fn synthesise_pcm(settings: &SpeechConfig, root: &Path, sentences: &[String]) -> anyhow::Result<(Pcm, String)> {
    let engine = Engine::detect(settings, root).map_err(|why| anyhow::anyhow!("cannot make audio: {why}"))?;
    let pcm = synthesise_with(&engine, sentences)?;
    Ok((pcm, engine.describe()))
}

fn synthesise_with(engine: &Engine, sentences: &[String]) -> anyhow::Result<Pcm> {
    let parts: Vec<Pcm> = sentences
        .par_iter()
        .map(|s| engine.synthesise(s).with_context(|| format!("synthesising the sentence \"{s}\"")))
        .collect::<anyhow::Result<_>>()?;
    Ok(join(&parts).0)
}

/// Programs that play a WAV file given as their one argument, in the order they are tried.
const PLAYERS: &[&str] = &["paplay", "pw-play", "aplay", "play", "afplay"];

/// The first audio player on PATH.
fn audio_player() -> Option<std::path::PathBuf> {
    PLAYERS.iter().find_map(|name| super::engine::find_on_path(name))
}

/// Plays `pcm` with `player`, through a WAV file in the temporary folder.
fn play(player: &Path, pcm: &Pcm) -> anyhow::Result<()> {
    let wav = std::env::temp_dir().join(format!("lectern-speak-{}.wav", std::process::id()));
    std::fs::write(&wav, write_wav(pcm)).with_context(|| format!("writing {}", wav.display()))?;
    let status = std::process::Command::new(player).arg(&wav).stdin(std::process::Stdio::null()).status();
    let _ = std::fs::remove_file(&wav);
    let status = status.with_context(|| format!("starting {}", player.display()))?;
    anyhow::ensure!(status.success(), "{} failed ({status}): is there an audio device?", player.display());
    Ok(())
}

/// Writes `pcm` to `out` as MP3 or WAV, chosen by the file's extension.
pub fn write_audio(pcm: &Pcm, out: &Path) -> anyhow::Result<()> {
    let bytes = if audio_format(out)? == "mp3" { mp3(pcm)? } else { write_wav(pcm) };
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))
}

/// `mp3` or `wav`, from the file name.
fn audio_format(out: &Path) -> anyhow::Result<&'static str> {
    match out.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).as_deref() {
        Some("mp3") => Ok("mp3"),
        Some("wav") => Ok("wav"),
        _ => bail!("--out {}: the file name must end in .mp3 or .wav", out.display()),
    }
}

/// What `lectern speak` was asked to do.
#[derive(Debug, Clone)]
pub struct SpeakOptions {
    pub page: std::path::PathBuf,
    pub voice: Option<String>,
    /// Words per minute.
    pub rate: Option<u32>,
    /// Write audio here (`.mp3` or `.wav`) instead of speaking.
    pub out: Option<std::path::PathBuf>,
}

/// Runs `lectern speak`: the page's text, spoken aloud or written to `out`. Settings come from
/// the `lectern.yml` of the site the page is in (searched upwards), flags overriding them.
/// Returns a line to print on success.
pub fn speak(opts: &SpeakOptions) -> anyhow::Result<String> {
    if let Some(out) = &opts.out {
        audio_format(out)?;
    }
    let (title, sentences) = page_sentences(&opts.page)?;
    if sentences.is_empty() {
        bail!("{} has nothing to read aloud", opts.page.display());
    }
    let (root, mut settings) = site_settings(&opts.page)?;
    if opts.voice.is_some() {
        settings.voice.clone_from(&opts.voice);
    }
    if let Some(rate) = opts.rate {
        settings.rate = rate.clamp(80, 450);
    }
    match &opts.out {
        Some(out) => {
            let (pcm, engine) = synthesise_pcm(&settings, &root, &sentences)?;
            write_audio(&pcm, out)?;
            Ok(format!(
                "wrote {} ({} sentences, {:.1} s of \"{title}\") with {engine}",
                out.display(),
                sentences.len(),
                pcm.seconds()
            ))
        }
        None => {
            // Piper's or a command's voice is what the site's players say: it is played through
            // an audio player. espeak-ng and the system voice speak to the device themselves.
            if let Ok(engine) = Engine::detect(&settings, &root)
                && matches!(engine.kind(), EngineKind::Piper | EngineKind::Command)
                && let Some(player) = audio_player()
            {
                let pcm = synthesise_with(&engine, &sentences)?;
                play(&player, &pcm)?;
                return Ok(format!(
                    "read {} sentences of \"{title}\" with {}, played by {}",
                    sentences.len(),
                    engine.describe(),
                    player.display()
                ));
            }
            super::os_voice::speak(&sentences, settings.voice.as_deref(), settings.rate)?;
            Ok(format!("read {} sentences of \"{title}\"", sentences.len()))
        }
    }
}

/// The speech settings of the site around `page` (the nearest folder above it with a
/// `lectern.yml`), or the defaults with the page's folder as root.
fn site_settings(page: &Path) -> anyhow::Result<(std::path::PathBuf, SpeechConfig)> {
    let absolute = std::path::absolute(page).with_context(|| format!("resolving {}", page.display()))?;
    let start = absolute.parent().unwrap_or(Path::new("."));
    for dir in start.ancestors() {
        if dir.join(crate::config::CONFIG_FILE).is_file() {
            let overrides = crate::config::Overrides::from_process(None);
            let config = crate::config::load(dir, &overrides).map_err(|e| anyhow::anyhow!("{e}"))?;
            return Ok((dir.to_path_buf(), config.speech));
        }
    }
    Ok((start.to_path_buf(), SpeechConfig::resolve(start, None)))
}
