//! The speech cache, under `speech.cache_dir` (default `ROOT/.lectern-cache/speech/`), safe to
//! keep between CI runs: one file per synthesised sentence, and each block's encoded MP3 and
//! WebVTT file with its cue timings, all named by content hashes.
//!
//! In: keys ([`sentence_key`], [`block_key`]) and audio. Out: the audio back, or `None` when the
//! entry is missing or corrupt, so the caller redoes it. Sentence entries are checked whole
//! (magic, length, checksum), and so is a block's VTT file. A block's MP3 is published straight
//! from the cache, so only its length and a checksum of its first 4 KB are checked: reading every
//! MP3 whole on every build would cost more than the rest of a warm build.
//! Writes go to a temporary file renamed into place, so a killed build leaves no half entry.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use super::wav::Pcm;
use crate::files::OutputFile;

const PCM_MAGIC: &[u8; 8] = b"LSPCM01\n";
/// A cue file that also records the block's VTT file (its length and checksum).
const CUE_MAGIC: &[u8; 8] = b"LSCUE02\n";
/// A cue file from before VTT files were cached: its VTT is made again, once.
const CUE_MAGIC_V1: &[u8; 8] = b"LSCUE01\n";

/// Bumped when the format of the audio changes, so old entries are never reused.
const VERSION: &str = "lectern-speech-1";

/// The cache key of one sentence: hash of (engine identity, sentence text).
pub fn sentence_key(engine_identity: &str, text: &str) -> String {
    hex_hash(&[VERSION, engine_identity, text])
}

/// What a block's key holds besides its sentences: how its recording is encoded
/// (the MP3 bit rate, 40 kb/s), so a change of encoding makes each block again from its
/// sentences' cached audio, with nothing synthesised again.
const BLOCK: &str = "block-mp3-40";

/// The key of a block's audio: hash of its sentences' keys, in order.
pub fn block_key(sentence_keys: &[String]) -> String {
    let mut parts = vec![VERSION, BLOCK];
    parts.extend(sentence_keys.iter().map(String::as_str));
    hex_hash(&parts)
}

/// What [`block_key`] gives for the keys of `sentences`, without making each sentence's key
/// string: a warm build looks every block up by this key and needs no sentence keys.
pub fn block_key_of(engine_identity: &str, sentences: &[String]) -> String {
    let mut block = Sha256::new();
    for p in [VERSION, BLOCK] {
        add_part(&mut block, p.as_bytes());
    }
    // Every sentence key starts with the same two parts: hashed once, the state copied.
    let mut prefix = Sha256::new();
    for p in [VERSION, engine_identity] {
        add_part(&mut prefix, p.as_bytes());
    }
    for text in sentences {
        let mut sentence = prefix.clone();
        add_part(&mut sentence, text.as_bytes());
        add_part(&mut block, &hex(sentence.finalize().as_slice()));
    }
    String::from_utf8(hex(block.finalize().as_slice()).to_vec()).unwrap_or_default()
}

fn hex_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        add_part(&mut h, p.as_bytes());
    }
    String::from_utf8(hex(h.finalize().as_slice()).to_vec()).unwrap_or_default()
}

/// One length-prefixed part of a key.
fn add_part(h: &mut Sha256, part: &[u8]) {
    h.update((part.len() as u64).to_le_bytes());
    h.update(part);
}

/// A SHA-256 digest in lower-case hex.
fn hex(digest: &[u8]) -> [u8; 64] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0; 64];
    for (i, b) in digest.iter().take(32).enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 15)];
    }
    out
}

/// 64-bit FNV-1a: the checksum that detects damaged entries.
pub fn checksum(bytes: &[u8]) -> u64 {
    crate::render::fnv1a([bytes])
}

/// A block's cached audio: where its MP3 is, its VTT file, and each sentence's (start, end) in
/// seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockAudio {
    pub mp3: PathBuf,
    /// `Cached` in the cache; `Bytes` when the cache could not take it (a read-only cache).
    pub vtt: OutputFile,
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

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where a block's MP3 and VTT files are (whether or not they exist).
    pub fn block_files(&self, key: &str) -> (PathBuf, PathBuf) {
        let [mp3, _, vtt] = self.block_paths(key);
        (mp3, vtt)
    }

    /// A block's MP3, cue and VTT files.
    fn block_paths(&self, key: &str) -> [PathBuf; 3] {
        let dir = self.dir.join("blocks");
        ["mp3", "cues", "vtt"].map(|ext| dir.join(format!("{key}.{ext}")))
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

    /// A block's audio, if cached and intact; `sentences` are the block's, which its VTT file
    /// is made from again when it is missing or damaged but the audio is intact.
    pub fn block(&self, key: &str, sentences: &[String]) -> Option<BlockAudio> {
        use std::io::Read;
        let [mp3_path, cue_path, vtt_path] = self.block_paths(key);
        let entry = decode_cues(&std::fs::read(&cue_path).ok()?)?;
        let mut file = std::fs::File::open(&mp3_path).ok()?;
        let mut head = Vec::with_capacity(HEAD);
        file.by_ref().take(HEAD as u64).read_to_end(&mut head).ok()?;
        let size = file.metadata().ok()?.len();
        if size != entry.mp3.0 || checksum(&head) != entry.mp3.1 || entry.cues.len() != sentences.len() {
            return None;
        }
        let vtt_intact = entry.vtt.is_some_and(|(len, sum)| {
            std::fs::read(&vtt_path).is_ok_and(|bytes| bytes.len() as u64 == len && checksum(&bytes) == sum)
        });
        let vtt = if vtt_intact {
            OutputFile::Cached(vtt_path)
        } else {
            let text = super::encode::vtt(sentences, &entry.cues);
            self.put_vtt(key, entry.mp3, &entry.cues, text.as_bytes())
                .map_or(OutputFile::Bytes(text.into_bytes()), |()| OutputFile::Cached(vtt_path))
        };
        Some(BlockAudio { mp3: mp3_path, vtt, cues: entry.cues })
    }

    /// Stores a block's MP3, cue times and the VTT file made of them and its `sentences`;
    /// returns the entry.
    pub fn put_block(
        &self,
        key: &str,
        mp3: &[u8],
        cues: Vec<(f64, f64)>,
        sentences: &[String],
    ) -> anyhow::Result<BlockAudio> {
        let [mp3_path, _, vtt_path] = self.block_paths(key);
        write_atomic(&mp3_path, mp3)?;
        let text = super::encode::vtt(sentences, &cues);
        self.put_vtt(key, (mp3.len() as u64, checksum(&mp3[..mp3.len().min(HEAD)])), &cues, text.as_bytes())?;
        Ok(BlockAudio { mp3: mp3_path, vtt: OutputFile::Cached(vtt_path), cues })
    }

    /// Writes a block's VTT file, then its cue file, which records the VTT's checksum.
    fn put_vtt(&self, key: &str, mp3: (u64, u64), cues: &[(f64, f64)], vtt: &[u8]) -> anyhow::Result<()> {
        let [_, cue_path, vtt_path] = self.block_paths(key);
        write_atomic(&vtt_path, vtt)?;
        let entry = CueFile { mp3, vtt: Some((vtt.len() as u64, checksum(vtt))), cues: cues.to_vec() };
        write_atomic(&cue_path, &encode_cues(&entry))
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

/// What a cue file holds: the MP3's (length, head checksum), the VTT's (length, checksum) when
/// recorded, and the cue times.
struct CueFile {
    mp3: (u64, u64),
    vtt: Option<(u64, u64)>,
    cues: Vec<(f64, f64)>,
}

fn encode_cues(entry: &CueFile) -> Vec<u8> {
    let mut out = Vec::with_capacity(44 + entry.cues.len() * 16);
    out.extend_from_slice(CUE_MAGIC);
    let (vtt_len, vtt_sum) = entry.vtt.unwrap_or_default();
    for n in [entry.mp3.0, entry.mp3.1, vtt_len, vtt_sum] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out.extend_from_slice(&(entry.cues.len() as u32).to_le_bytes());
    for (start, end) in &entry.cues {
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&end.to_le_bytes());
    }
    out
}

fn decode_cues(bytes: &[u8]) -> Option<CueFile> {
    let u64_at = |i: usize| bytes.get(i..i + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let (vtt, count_at) = match bytes.get(..8)? {
        m if m == CUE_MAGIC => (Some((u64_at(24)?, u64_at(32)?)), 40),
        m if m == CUE_MAGIC_V1 => (None, 24),
        _ => return None,
    };
    let mp3 = (u64_at(8)?, u64_at(16)?);
    let n = u32::from_le_bytes(bytes.get(count_at..count_at + 4)?.try_into().ok()?) as usize;
    let first = count_at + 4;
    if bytes.len() != first + n * 16 {
        return None;
    }
    let f = |i: usize| u64_at(i).map(f64::from_bits);
    let cues = (0..n).map(|k| Some((f(first + k * 16)?, f(first + 8 + k * 16)?))).collect::<Option<Vec<_>>>()?;
    Some(CueFile { mp3, vtt, cues })
}

/// Writes `bytes` to `path` through a temporary sibling, creating folders as needed.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
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
        let said = ["Hello.".to_string()];
        assert_eq!(block, block_key_of("espeak-ng|1.51|default|175", &said));
        let two = ["One.".to_string(), "Two, and a half.".to_string()];
        let keys: Vec<String> = two.iter().map(|t| sentence_key("x", t)).collect();
        assert_eq!(block_key(&keys), block_key_of("x", &two), "the same key, made without the sentence keys");
        assert_ne!(block_key(&keys), block_key_of("y", &two));
        assert_eq!(key.len(), 64);
        let audio = cache.put_block(&block, &[0xff, 0xfb, 1, 2, 3], vec![(0.0, 1.25)], &said).expect("writes");
        assert_eq!(cache.block(&block, &said), Some(audio.clone()));
        assert_eq!(std::fs::read(&audio.mp3).expect("reads"), [0xff, 0xfb, 1, 2, 3]);
        let OutputFile::Cached(vtt_path) = &audio.vtt else { panic!("the VTT is in the cache: {:?}", audio.vtt) };
        let vtt = std::fs::read_to_string(vtt_path).expect("reads");
        assert_eq!(vtt, super::super::encode::vtt(&said, &[(0.0, 1.25)]));
        assert_eq!(cache.block(&block, &["Hello.".into(), "Two.".into()]), None, "a cue per sentence, or none");

        std::fs::write(vtt_path, vtt.replace("Hello", "Jello")).expect("writes");
        assert_eq!(cache.block(&block, &said), Some(audio.clone()), "a damaged VTT is made again");
        assert_eq!(std::fs::read_to_string(vtt_path).expect("reads"), vtt);
        std::fs::remove_file(vtt_path).expect("removes");
        assert_eq!(cache.block(&block, &said), Some(audio.clone()), "a missing VTT is made again");
        assert_eq!(std::fs::read_to_string(vtt_path).expect("reads"), vtt);

        // An entry from before VTT files were cached: its VTT is made and the entry upgraded.
        let [_, cue_path, _] = cache.block_paths(&block);
        let mut v1 = CUE_MAGIC_V1.to_vec();
        v1.extend_from_slice(&5u64.to_le_bytes());
        v1.extend_from_slice(&checksum(&[0xff, 0xfb, 1, 2, 3]).to_le_bytes());
        v1.extend_from_slice(&1u32.to_le_bytes());
        v1.extend_from_slice(&0f64.to_le_bytes());
        v1.extend_from_slice(&1.25f64.to_le_bytes());
        std::fs::write(&cue_path, &v1).expect("writes");
        std::fs::remove_file(vtt_path).expect("removes");
        assert_eq!(cache.block(&block, &said), Some(audio.clone()), "a version 1 entry is still used");
        assert_eq!(std::fs::read_to_string(vtt_path).expect("reads"), vtt);
        assert_eq!(&std::fs::read(&cue_path).expect("reads")[..8], CUE_MAGIC, "and upgraded");

        std::fs::write(&audio.mp3, b"\xff\xfb\x01\x02\x04").expect("writes");
        assert_eq!(cache.block(&block, &said), None, "a changed byte in the head is caught");
        std::fs::write(&audio.mp3, b"\xff\xfb\x01\x02\x03\x00").expect("writes");
        assert_eq!(cache.block(&block, &said), None, "a changed length is caught");
    }
}
