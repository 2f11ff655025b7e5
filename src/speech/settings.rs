//! The `speech:` section of `lectern.yml`: as written ([`RawSpeech`]) and resolved with every
//! default filled ([`SpeechConfig`]).
//!
//! In: the parsed YAML section (or nothing). Out: the settings the speech stage runs with.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// When to pre-render audio at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Prerender {
    /// Use the engine when it is installed; otherwise warn once and leave it to browser voices.
    #[default]
    Auto,
    /// Fail the build when the engine is missing.
    Always,
    /// Never synthesise: players use the browser's voices.
    Never,
}

/// Which program synthesises speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum EngineKind {
    /// Piper when it and a voice are installed, else espeak-ng.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// Piper's neural voices (pip `piper-tts`), the model kept loaded in worker processes.
    #[serde(rename = "piper")]
    Piper,
    /// `espeak-ng`, run as a subprocess (never linked: it is GPL).
    #[serde(rename = "espeak-ng")]
    EspeakNg,
    /// Any program (`speech.command`) reading text on stdin and writing WAV on stdout.
    #[serde(rename = "command")]
    Command,
}

impl EngineKind {
    /// The name used in `lectern.yml` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Auto => "auto",
            EngineKind::Piper => "piper",
            EngineKind::EspeakNg => "espeak-ng",
            EngineKind::Command => "command",
        }
    }
}

/// `speech:` as written; every key optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpeech {
    pub prerender: Option<Prerender>,
    pub engine: Option<EngineKind>,
    pub command: Option<String>,
    pub voice: Option<String>,
    pub rate: Option<u32>,
    pub cache_dir: Option<String>,
    pub whole_page: Option<bool>,
    pub timeout: Option<u64>,
    pub python: Option<String>,
}

/// Default speaking rate, in words per minute (espeak-ng's own default).
pub const DEFAULT_RATE: u32 = 175;

/// Default engine timeout per sentence, in seconds.
pub const DEFAULT_TIMEOUT: u64 = 60;

/// The environment variable naming the Python that runs Piper (when `speech.python` is unset).
pub const PYTHON_ENV: &str = "LECTERN_PYTHON";

/// Default cache folder, relative to the site root.
pub const DEFAULT_CACHE_DIR: &str = ".lectern-cache/speech";

/// The speech settings, all defaults filled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeechConfig {
    pub prerender: Prerender,
    pub engine: EngineKind,
    /// Shell command for `engine: command`; run with `sh -c` (`cmd /C` on Windows).
    pub command: Option<String>,
    /// Engine voice, e.g. `en-gb`; the engine's default when `None`.
    pub voice: Option<String>,
    /// Words per minute, 80..=450.
    pub rate: u32,
    /// Absolute: the configured folder joined to the site root.
    pub cache_dir: PathBuf,
    /// Every page gets a "Listen to this page" player.
    pub whole_page: bool,
    /// How long one call of the engine may take before it is stopped, in seconds.
    pub timeout: u64,
    /// The Python that runs Piper: `speech.python`, else `$LECTERN_PYTHON`, else `python3`.
    pub python: String,
    /// Use cached audio only and synthesise nothing (blocks without it get browser voices): for
    /// callers that must not wait, such as a preview server. Not a `lectern.yml` key.
    pub cache_only: bool,
    /// Synthesise only this shard of the missing sentences into the cache, and assemble no
    /// block (`lectern speech --shard I/N`). Not a `lectern.yml` key.
    pub shard: Option<Shard>,
}

/// One of `count` deterministic shards of the sentences to synthesise (`--shard I/N`, 1-based).
///
/// A sentence's shard depends only on its cache key, never on what else is missing, so shards
/// run from caches that differ still never both synthesise, or both skip, a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shard {
    /// 1..=count.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether the sentence with cache key `key` (hex, as [`super::sentence_key`] makes) is in
    /// this shard: its first 16 hex digits, modulo the count.
    pub fn contains(&self, key: &str) -> bool {
        let n = u64::from_str_radix(key.get(..16).unwrap_or(key), 16).unwrap_or(0);
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `I/N` with 1 <= I <= N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write I/N, e.g. 1/4, with I from 1 to N");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (i.trim().parse::<u32>().map_err(|_| bad())?, n.trim().parse::<u32>().map_err(|_| bad())?);
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl SpeechConfig {
    /// Fills the defaults; `root` anchors a relative cache folder.
    pub fn resolve(root: &Path, raw: Option<RawSpeech>) -> SpeechConfig {
        let raw = raw.unwrap_or_default();
        SpeechConfig {
            prerender: raw.prerender.unwrap_or_default(),
            engine: raw.engine.unwrap_or_default(),
            command: raw.command.filter(|c| !c.trim().is_empty()),
            voice: raw.voice.filter(|v| !v.trim().is_empty()),
            rate: raw.rate.unwrap_or(DEFAULT_RATE).clamp(80, 450),
            cache_dir: root.join(raw.cache_dir.as_deref().unwrap_or(DEFAULT_CACHE_DIR)),
            whole_page: raw.whole_page.unwrap_or(false),
            timeout: raw.timeout.unwrap_or(DEFAULT_TIMEOUT).max(1),
            python: raw
                .python
                .filter(|p| !p.trim().is_empty())
                .or_else(|| std::env::var(PYTHON_ENV).ok().filter(|p| !p.trim().is_empty()))
                .unwrap_or_else(|| "python3".to_string()),
            cache_only: false,
            shard: None,
        }
    }
}

impl Default for SpeechConfig {
    fn default() -> Self {
        SpeechConfig::resolve(Path::new("."), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let c = SpeechConfig::resolve(Path::new("/site"), None);
        assert_eq!(c.prerender, Prerender::Auto);
        assert_eq!(c.engine, EngineKind::Auto);
        assert_eq!(c.cache_dir, PathBuf::from("/site/.lectern-cache/speech"));
        assert_eq!((c.rate, c.whole_page, c.voice.as_deref()), (175, false, None));
        let raw: RawSpeech = yaml_serde::from_str(
            "prerender: always\nengine: command\ncommand: ./tts.sh\nvoice: en-gb\nrate: 1000\ncache_dir: /tmp/c\nwhole_page: true\npython: /opt/py/bin/python3\n",
        )
        .expect("valid speech settings");
        let c = SpeechConfig::resolve(Path::new("/site"), Some(raw));
        assert_eq!((c.prerender, c.engine), (Prerender::Always, EngineKind::Command));
        assert_eq!((c.command.as_deref(), c.voice.as_deref(), c.rate), (Some("./tts.sh"), Some("en-gb"), 450));
        assert_eq!(c.cache_dir, PathBuf::from("/tmp/c"));
        assert!(c.whole_page);
        assert_eq!(c.python, "/opt/py/bin/python3");
        let raw: RawSpeech = yaml_serde::from_str("engine: piper\n").expect("piper is an engine");
        assert_eq!(SpeechConfig::resolve(Path::new("/site"), Some(raw)).engine, EngineKind::Piper);
    }

    #[test]
    fn shards_parse_and_split_keys_without_overlap() {
        for (text, want) in [("1/1", Some((1, 1))), ("2/4", Some((2, 4))), (" 3 / 3 ", Some((3, 3)))] {
            assert_eq!(text.parse::<Shard>().ok().map(|s| (s.index, s.count)), want, "{text}");
        }
        for bad in ["0/2", "3/2", "1/0", "1", "a/b", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad} is not a shard");
        }
        let keys: Vec<String> =
            (0..200).map(|i| crate::speech::sentence_key("engine", &format!("Sentence {i}."))).collect();
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        for key in &keys {
            assert_eq!(shards.iter().filter(|s| s.contains(key)).count(), 1, "{key} is in exactly one shard");
            assert!(Shard { index: 1, count: 1 }.contains(key));
        }
        let sizes: Vec<usize> = shards.iter().map(|s| keys.iter().filter(|k| s.contains(k)).count()).collect();
        assert!(sizes.iter().all(|&n| n > 40), "200 keys spread over 3 shards: {sizes:?}");
    }
}
