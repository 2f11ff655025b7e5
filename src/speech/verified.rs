//! What a build of the site found intact in the speech cache: per block, its cue times and the
//! stamps (length, modification time, inode) of its MP3 and VTT files when they were checked,
//! and where the block was found (a hash of its page's HTML, its place and the engine).
//! The next build takes a block whose files still have those stamps without opening them, and a
//! block found in the same place without hashing its sentences for its key: a warm build then
//! costs two `stat`s per block instead of reading three files. A file that was rewritten,
//! replaced or truncated since has other stamps and is checked in full again.
//!
//! In: the cache folder and the site root. Out: the record, and it saved again when it changed.
//! One file per site, `<cache>/verified/<hash of the site root>`, with a checksum: a damaged
//! one is ignored, so every block is checked in full.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::cache::{BlockAudio, checksum};
use crate::files::OutputFile;

/// The record's format; also bumped when block keys change meaning (03: blocks encoded at
/// 40 kb/s have new keys, and a record from before would find the old blocks by their place).
const MAGIC: &[u8; 8] = b"LSVER03\n";

/// A file's length, modification time (nanoseconds since the epoch) and inode number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp([u64; 3]);

impl Stamp {
    /// The file's stamp, or `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos() as u64;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp([meta.len(), modified, inode]))
    }
}

/// One block as it was found: its MP3's and VTT's stamps, and its cue times.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// Where the block was found.
    source: u64,
    mp3: Stamp,
    vtt: Stamp,
    cues: Vec<(f64, f64)>,
}

/// The record of one site's blocks, by block key.
#[derive(Debug)]
pub struct Verified {
    file: PathBuf,
    entries: HashMap<String, Entry>,
    /// Block keys by where their blocks were found.
    by_source: HashMap<u64, String>,
    /// The keys [`Verified::block`] found as recorded.
    taken: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Verified {
    /// The record kept in `cache_dir` for the site at `root` (empty when there is none or it
    /// is damaged).
    pub fn load(cache_dir: &Path, root: &Path) -> Verified {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name = format!("{:016x}", checksum(root.to_string_lossy().as_bytes()));
        let file = cache_dir.join("verified").join(name);
        let entries: HashMap<String, Entry> = std::fs::read(&file).ok().and_then(|b| decode(&b)).unwrap_or_default();
        let by_source = entries.iter().map(|(k, e)| (e.source, k.clone())).collect();
        Verified { file, entries, by_source, taken: Default::default() }
    }

    /// The key of the block last found at `source` ([`super::Block::set_source`], with the
    /// engine).
    pub fn key_of_source(&self, source: u64) -> Option<String> {
        self.by_source.get(&source).cloned()
    }

    /// Block `key`'s audio, when the record has it with `sentences.len()` cues and its files
    /// still have the recorded stamps.
    pub fn block(&self, key: &str, mp3: PathBuf, vtt: PathBuf, sentences: usize) -> Option<BlockAudio> {
        let entry = self.entries.get(key).filter(|e| e.cues.len() == sentences)?;
        if Stamp::of(&mp3) != Some(entry.mp3) || Stamp::of(&vtt) != Some(entry.vtt) {
            return None;
        }
        if let Ok(mut taken) = self.taken.lock() {
            taken.insert(key.to_string());
        }
        Some(BlockAudio { mp3, vtt: OutputFile::Cached(vtt), cues: entry.cues.clone() })
    }

    /// Records this build's blocks (those with both files in the cache), found at `sources`,
    /// in place of the old record, and saves it when it changed. A failure to save costs only
    /// speed. Only a build that knows where every block was found saves: that is `lectern
    /// build` over the whole site, not the preview's rebuild of one page, which would drop the
    /// rest of the record.
    pub fn save(mut self, blocks: &[Option<(String, BlockAudio)>], sources: &[Option<u64>]) {
        let Some(sources) = sources.iter().copied().collect::<Option<Vec<u64>>>() else { return };
        if sources.len() != blocks.len() {
            return;
        }
        let taken = std::mem::take(&mut *self.taken.lock().unwrap_or_else(|e| e.into_inner()));
        let mut entries = HashMap::with_capacity(blocks.len());
        let mut changed = false;
        for (i, (key, audio)) in blocks.iter().enumerate().filter_map(|(i, b)| Some((i, b.as_ref()?))) {
            let OutputFile::Cached(vtt) = &audio.vtt else { continue };
            let source = sources[i];
            let entry = match self.entries.remove(key) {
                // Taken from the record by this build, and found in the same place.
                Some(e) if taken.contains(key) && e.source == source => Some(e),
                _ => {
                    changed = true;
                    Stamp::of(&audio.mp3).zip(Stamp::of(vtt)).map(|(mp3, vtt)| Entry {
                        source,
                        mp3,
                        vtt,
                        cues: audio.cues.clone(),
                    })
                }
            };
            if let Some(entry) = entry {
                entries.insert(key.clone(), entry);
            }
        }
        // Blocks this build no longer has are dropped from the record.
        changed |= !self.entries.is_empty();
        if changed {
            let _ = super::cache::write_atomic(&self.file, &encode(&entries));
        }
    }
}

fn encode(entries: &HashMap<String, Entry>) -> Vec<u8> {
    let mut keys: Vec<&String> = entries.keys().collect();
    keys.sort();
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    for key in keys {
        let e = &entries[key];
        out.extend_from_slice(&(key.len() as u32).to_le_bytes());
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(&e.source.to_le_bytes());
        for n in e.mp3.0.iter().chain(&e.vtt.0) {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&(e.cues.len() as u32).to_le_bytes());
        for (start, end) in &e.cues {
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&end.to_le_bytes());
        }
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

fn decode(bytes: &[u8]) -> Option<HashMap<String, Entry>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if body.get(..8)? != MAGIC || checksum(body).to_le_bytes() != sum {
        return None;
    }
    let mut at = 8;
    let mut take = |n: usize| -> Option<&[u8]> {
        let part = body.get(at..at + n)?;
        at += n;
        Some(part)
    };
    let u32_of = |b: &[u8]| b.try_into().ok().map(u32::from_le_bytes);
    let u64_of = |b: &[u8]| b.try_into().ok().map(u64::from_le_bytes);
    let count = u32_of(take(4)?)? as usize;
    let mut entries = HashMap::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        let len = u32_of(take(4)?)? as usize;
        let key = String::from_utf8(take(len)?.to_vec()).ok()?;
        let source = u64_of(take(8)?)?;
        let mut stamps = [0u64; 6];
        for n in &mut stamps {
            *n = u64_of(take(8)?)?;
        }
        let n = u32_of(take(4)?)? as usize;
        let mut cues = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            cues.push((f64::from_bits(u64_of(take(8)?)?), f64::from_bits(u64_of(take(8)?)?)));
        }
        let [a, b, c, d, e, f] = stamps;
        entries.insert(key, Entry { source, mp3: Stamp([a, b, c]), vtt: Stamp([d, e, f]), cues });
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_block_is_taken_until_its_files_change() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cache, site) = (dir.path().join("cache"), dir.path().join("site"));
        std::fs::create_dir_all(&site).expect("site");
        let (mp3, vtt) = (dir.path().join("a.mp3"), dir.path().join("a.vtt"));
        std::fs::write(&mp3, b"\xff\xfbaudio").expect("mp3");
        std::fs::write(&vtt, b"WEBVTT\n").expect("vtt");
        let audio = BlockAudio { mp3: mp3.clone(), vtt: OutputFile::Cached(vtt.clone()), cues: vec![(0.0, 1.5)] };

        let record = Verified::load(&cache, &site);
        assert_eq!(record.block("k", mp3.clone(), vtt.clone(), 1), None, "nothing recorded yet");
        record.save(&[Some(("k".into(), audio.clone())), None], &[Some(7), Some(8)]);
        let record = Verified::load(&cache, &site);
        assert_eq!(record.block("k", mp3.clone(), vtt.clone(), 1), Some(audio.clone()));
        assert_eq!(record.key_of_source(7).as_deref(), Some("k"), "found where it was");
        assert_eq!(record.key_of_source(8), None, "a block without audio is not recorded");
        // A run that does not know where its blocks were found (one page, in the preview)
        // leaves the record as it was.
        record.save(&[None], &[None]);
        assert_eq!(Verified::load(&cache, &site).key_of_source(7).as_deref(), Some("k"));
        let record = Verified::load(&cache, &site);
        assert_eq!(record.block("k", mp3.clone(), vtt.clone(), 2), None, "a cue per sentence");
        assert_eq!(record.block("other", mp3.clone(), vtt.clone(), 1), None);
        assert_eq!(Verified::load(&cache, &dir.path().join("elsewhere")).entries.len(), 0, "one record per site");

        // Rewritten in place (another length), or replaced by another file of the same length.
        std::fs::write(&mp3, b"\xff\xfbaudio, longer").expect("mp3");
        assert_eq!(record.block("k", mp3.clone(), vtt.clone(), 1), None, "a changed MP3 is checked again");
        std::fs::write(&mp3, b"\xff\xfbaudio").expect("mp3");
        let replacement = dir.path().join("b.vtt");
        std::fs::write(&replacement, b"WEBVTX\n").expect("vtt");
        std::fs::rename(&replacement, &vtt).expect("replace");
        let record = Verified::load(&cache, &site);
        assert_eq!(record.block("k", mp3.clone(), vtt.clone(), 1), None, "a replaced VTT is checked again");

        // A damaged record is ignored.
        record.save(&[Some(("k".into(), audio.clone()))], &[Some(9)]);
        let file = Verified::load(&cache, &site).file;
        let mut bytes = std::fs::read(&file).expect("reads");
        bytes[12] ^= 1;
        std::fs::write(&file, &bytes).expect("writes");
        assert_eq!(Verified::load(&cache, &site).entries.len(), 0);
    }
}
