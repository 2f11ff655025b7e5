//! The speech cache, under `speech.cache_dir` (default `ROOT/.lectern-cache/speech/`), safe to
//! keep between CI runs: one file per synthesised sentence, and each block's encoded MP3 with
//! its cue timings, all named by content hashes.
//!
//! In: keys ([`sentence_key`], [`block_key`]) and audio. Out: the audio back, or `None` when the
//! entry is missing or corrupt, so the caller redoes it. Sentence entries are checked whole
//! (magic, length, checksum). A block's MP3 is published straight from the cache, so only its
//! length and a checksum of its first 4 KB are checked: reading every MP3 whole on every build
//! would cost more than the rest of a warm build.
//! Writes go to a temporary file renamed into place, so a killed build leaves no half entry.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use super::wav::Pcm;

const PCM_MAGIC: &[u8; 8] = b"LSPCM01\n";
const CUE_MAGIC: &[u8; 8] = b"LSCUE01\n";

/// Bumped when the format of the audio changes, so old entries are never reused.
const VERSION: &str = "lectern-speech-1";

/// The cache key of one sentence: hash of (engine identity, sentence text).
pub fn sentence_key(engine_identity: &str, text: &str) -> String {
    hex_hash(&[VERSION, engine_identity, text])
}

/// The key of a block's audio: hash of its sentences' keys, in order.
pub fn block_key(sentence_keys: &[String]) -> String {
    let mut parts = vec![VERSION, "block"];
    parts.extend(sentence_keys.iter().map(String::as_str));
    hex_hash(&parts)
}

fn hex_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    h.finalize().iter().flat_map(|b| [HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char]).collect()
}

/// 64-bit FNV-1a: the checksum that detects damaged entries.
pub fn checksum(bytes: &[u8]) -> u64 {
    crate::render::fnv1a([bytes])
}

/// A block's cached audio: where its MP3 is, and each sentence's (start, end) in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockAudio {
    pub mp3: PathBuf,
    pub cues: Vec<(f64, f64)>,
}

/// How much of a block's MP3 the checksum covers.
const HEAD: usize = 4096;

/// The cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: &Path) -> Cache {
        Cache { dir: dir.to_path_buf() }
    }

    fn sentence_path(&self, key: &str) -> PathBuf {
        self.dir.join("sentences").join(&key[..2]).join(format!("{key}.pcm"))
    }

    fn block_paths(&self, key: &str) -> (PathBuf, PathBuf) {
        let dir = self.dir.join("blocks");
        (dir.join(format!("{key}.mp3")), dir.join(format!("{key}.cues")))
    }

    /// A sentence's audio, if cached and intact.
    pub fn sentence(&self, key: &str) -> Option<Pcm> {
        let bytes = std::fs::read(self.sentence_path(key)).ok()?;
        decode_pcm(&bytes)
    }

    /// Stores a sentence's audio.
    pub fn put_sentence(&self, key: &str, pcm: &Pcm) -> anyhow::Result<()> {
        write_atomic(&self.sentence_path(key), &encode_pcm(pcm))
    }

    /// A block's audio, if cached and intact.
    pub fn block(&self, key: &str) -> Option<BlockAudio> {
        use std::io::Read;
        let (mp3_path, cue_path) = self.block_paths(key);
        let cues = std::fs::read(cue_path).ok()?;
        let (len, sum, cues) = decode_cues(&cues)?;
        let mut file = std::fs::File::open(&mp3_path).ok()?;
        let mut head = Vec::with_capacity(HEAD);
        file.by_ref().take(HEAD as u64).read_to_end(&mut head).ok()?;
        let size = file.metadata().ok()?.len();
        (size == len && checksum(&head) == sum).then_some(BlockAudio { mp3: mp3_path, cues })
    }

    /// Stores a block's MP3 and cue times; returns the entry.
    pub fn put_block(&self, key: &str, mp3: &[u8], cues: Vec<(f64, f64)>) -> anyhow::Result<BlockAudio> {
        let (mp3_path, cue_path) = self.block_paths(key);
        write_atomic(&mp3_path, mp3)?;
        write_atomic(&cue_path, &encode_cues(mp3, &cues))?;
        Ok(BlockAudio { mp3: mp3_path, cues })
    }
}

fn encode_pcm(pcm: &Pcm) -> Vec<u8> {
    let mut data = Vec::with_capacity(pcm.samples.len() * 2);
    for s in &pcm.samples {
        data.extend_from_slice(&s.to_le_bytes());
    }
    let mut out = Vec::with_capacity(24 + data.len());
    out.extend_from_slice(PCM_MAGIC);
    out.extend_from_slice(&pcm.sample_rate.to_le_bytes());
    out.extend_from_slice(&(pcm.samples.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(&data).to_le_bytes());
    out.extend_from_slice(&data);
    out
}

fn decode_pcm(bytes: &[u8]) -> Option<Pcm> {
    let header = bytes.get(..24)?;
    if &header[..8] != PCM_MAGIC {
        return None;
    }
    let sample_rate = u32::from_le_bytes(header[8..12].try_into().ok()?);
    let count = u32::from_le_bytes(header[12..16].try_into().ok()?) as usize;
    let sum = u64::from_le_bytes(header[16..24].try_into().ok()?);
    let data = &bytes[24..];
    if data.len() != count * 2 || checksum(data) != sum || sample_rate == 0 {
        return None;
    }
    let samples = data.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
    Some(Pcm { sample_rate, samples })
}

fn encode_cues(mp3: &[u8], cues: &[(f64, f64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(28 + cues.len() * 16);
    out.extend_from_slice(CUE_MAGIC);
    out.extend_from_slice(&(mp3.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(&mp3[..mp3.len().min(HEAD)]).to_le_bytes());
    out.extend_from_slice(&(cues.len() as u32).to_le_bytes());
    for (start, end) in cues {
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&end.to_le_bytes());
    }
    out
}

/// What a cue file holds: the MP3's length and checksum, and the cue times.
type CueFile = (u64, u64, Vec<(f64, f64)>);

fn decode_cues(bytes: &[u8]) -> Option<CueFile> {
    if bytes.get(..8)? != CUE_MAGIC {
        return None;
    }
    let u64_at = |i: usize| bytes.get(i..i + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let (len, sum) = (u64_at(8)?, u64_at(16)?);
    let n = u32::from_le_bytes(bytes.get(24..28)?.try_into().ok()?) as usize;
    if bytes.len() != 28 + n * 16 {
        return None;
    }
    let f = |i: usize| u64_at(i).map(f64::from_bits);
    let cues = (0..n).map(|k| Some((f(28 + k * 16)?, f(36 + k * 16)?))).collect::<Option<Vec<_>>>()?;
    Some((len, sum, cues))
}

/// Writes `bytes` to `path` through a temporary sibling, creating folders as needed.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("cache path has no folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating the speech cache folder {}", dir.display()))?;
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".tmp-{}-{n}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing the speech cache file {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing the speech cache file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_is_detected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path());
        let key = sentence_key("espeak-ng|1.51|default|175", "Hello.");
        assert_ne!(key, sentence_key("espeak-ng|1.51|default|200", "Hello."));
        assert_eq!(cache.sentence(&key), None);
        let pcm = Pcm { sample_rate: 22_050, samples: vec![1, -2, 3, 400] };
        cache.put_sentence(&key, &pcm).expect("writes");
        assert_eq!(cache.sentence(&key), Some(pcm));

        let path = cache.sentence_path(&key);
        let mut bytes = std::fs::read(&path).expect("reads");
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).expect("writes");
        assert_eq!(cache.sentence(&key), None, "a flipped byte is caught by the checksum");
        std::fs::write(&path, &bytes[..bytes.len() - 2]).expect("writes");
        assert_eq!(cache.sentence(&key), None, "a truncated entry is caught by its length");

        let block = block_key(std::slice::from_ref(&key));
        let audio = cache.put_block(&block, &[0xff, 0xfb, 1, 2, 3], vec![(0.0, 1.25)]).expect("writes");
        assert_eq!(cache.block(&block), Some(audio.clone()));
        assert_eq!(std::fs::read(&audio.mp3).expect("reads"), [0xff, 0xfb, 1, 2, 3]);
        std::fs::write(&audio.mp3, b"\xff\xfb\x01\x02\x04").expect("writes");
        assert_eq!(cache.block(&block), None, "a changed byte in the head is caught");
        std::fs::write(&audio.mp3, b"\xff\xfb\x01\x02\x03\x00").expect("writes");
        assert_eq!(cache.block(&block), None, "a changed length is caught");
    }
}
