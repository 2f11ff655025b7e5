//! The highlight cache: code blocks already highlighted, by a hash of their text, fence info and
//! lectern's version, so an unchanged block is never highlighted twice — within a `serve`
//! session, and across builds through a file the pipeline loads and saves.
//!
//! In: the cache file's bytes (from `content`), lookups and new entries from the markdown stage.
//! Out: the bytes to save (by `output`): only the entries this process used, so it never grows
//! past what the site needs.
//!
//! A process that keeps running (`serve`) sets a bound ([`set_limit`]): it never holds more
//! than that of highlighted HTML, so browsing a large site does not keep every block it showed.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

/// A block's key: the first 16 bytes of SHA-256 over version, info string and code.
pub type Key = [u8; 16];

/// The format of the file and of the HTML in it: a new markup makes older files foreign.
const MAGIC: &[u8; 8] = b"LCTHL02\n";

#[derive(Default)]
struct Memo {
    /// Entries from the cache file, not yet used by this process.
    loaded: HashMap<Key, String>,
    /// Entries used or made by this process.
    used: HashMap<Key, String>,
    /// Entries made (highlighted) by this process.
    made: usize,
    /// Reads the cache file, when [`load_lazily`] registered one that is not read yet.
    pending: Option<Box<dyn FnOnce() -> Option<Vec<u8>> + Send>>,
    /// Bytes of HTML in `loaded` and `used`.
    bytes: usize,
    /// At most this many bytes are held ([`set_limit`]); none when `None`.
    limit: Option<usize>,
}

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

/// The key of a code block.
pub fn key(info: Option<&str>, code: &str) -> Key {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update([0]);
    h.update(info.unwrap_or("\u{1}").as_bytes());
    h.update([0]);
    h.update(code.as_bytes());
    let digest = h.finalize();
    let mut k = [0; 16];
    k.copy_from_slice(&digest[..16]);
    k
}

/// The cached HTML of a block.
pub fn get(key: &Key) -> Option<String> {
    memo().lock().ok()?.get(key)
}

/// Remembers a block's HTML.
pub fn put(key: Key, html: &str) {
    if let Ok(mut m) = memo().lock() {
        m.put(key, html);
    }
}

impl Memo {
    fn get(&mut self, key: &Key) -> Option<String> {
        if let Some(read) = self.pending.take() {
            let entries = read().map(|bytes| parse(&bytes)).unwrap_or_default();
            let bytes: usize = entries.values().map(String::len).sum();
            // A file larger than the bound is not kept: its blocks are highlighted again.
            if self.limit.is_none_or(|limit| self.bytes + bytes <= limit) {
                self.bytes += bytes;
                self.loaded.extend(entries);
            }
        }
        if let Some(html) = self.used.get(key) {
            return Some(html.clone());
        }
        let html = self.loaded.remove(key)?;
        self.used.insert(*key, html.clone());
        Some(html)
    }

    fn put(&mut self, key: Key, html: &str) {
        if self.limit.is_some_and(|limit| self.bytes + html.len() > limit) {
            // Over the bound: start again from this block (the blocks in use now come back as
            // their pages are rendered again).
            (self.loaded, self.used, self.bytes) = Default::default();
        }
        match self.used.insert(key, html.to_string()) {
            None => {
                self.made += 1;
                self.bytes += html.len();
            }
            Some(old) => self.bytes = self.bytes + html.len() - old.len(),
        }
    }
}

/// Holds at most `bytes` of highlighted HTML from now on (for a process that keeps running).
pub fn set_limit(bytes: usize) {
    if let Ok(mut m) = memo().lock() {
        m.limit = Some(bytes);
    }
}

/// Whether [`write`] would give other entries than the cache file holds: this process highlighted
/// blocks, or (`prune`) left entries of the file unused. A rebuild of an unchanged site saves
/// nothing.
pub fn needs_saving(prune: bool) -> bool {
    memo().lock().is_ok_and(|m| m.needs_saving(prune))
}

impl Memo {
    fn needs_saving(&self, prune: bool) -> bool {
        self.made > 0 || (prune && !self.loaded.is_empty())
    }
}

/// Adds the entries of the cache file that `read` returns, once a block is first looked up; a
/// damaged or foreign file is ignored.
pub fn load_lazily(read: Box<dyn FnOnce() -> Option<Vec<u8>> + Send>) {
    if let Ok(mut m) = memo().lock() {
        m.pending = Some(read);
    }
}

/// The entries of a cache file; none for a damaged or foreign one.
fn parse(bytes: &[u8]) -> HashMap<Key, String> {
    let Some(mut rest) = bytes.strip_prefix(MAGIC.as_slice()) else { return HashMap::new() };
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let Some((entry, tail)) = read_entry(rest) else { return HashMap::new() };
        entries.insert(entry.0, entry.1);
        rest = tail;
    }
    entries
}

fn read_entry(bytes: &[u8]) -> Option<((Key, String), &[u8])> {
    let key: Key = bytes.get(..16)?.try_into().ok()?;
    let len = u32::from_le_bytes(bytes.get(16..20)?.try_into().ok()?) as usize;
    let html = std::str::from_utf8(bytes.get(20..20 + len)?).ok()?.to_string();
    Some(((key, html), &bytes[20 + len..]))
}

/// Writes the entries used by this process to `out` as a cache file, in a stable order, without
/// copying the cache whole into memory. With `prune: false` the file's entries this process did
/// not use are kept too: a build that rendered only some pages keeps the other pages' blocks.
pub fn write(prune: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let m = memo().lock().map_err(|_| std::io::Error::other("a highlighting thread panicked"))?;
    write_memo(&m, prune, out)
}

fn write_memo(m: &Memo, prune: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut keys: Vec<&Key> = m.used.keys().collect();
    if !prune {
        keys.extend(m.loaded.keys());
    }
    keys.sort();
    keys.dedup();
    out.write_all(MAGIC)?;
    for k in keys {
        let html = m.used.get(k).or_else(|| m.loaded.get(k)).map_or("", String::as_str);
        out.write_all(k)?;
        out.write_all(&u32::try_from(html.len()).unwrap_or(0).to_le_bytes())?;
        out.write_all(html.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_a_save_and_load_and_keys_depend_on_everything() {
        let k = key(Some("rust"), "fn main() {}");
        assert_ne!(k, key(Some("rust"), "fn main() { }"));
        assert_ne!(k, key(Some("c"), "fn main() {}"));
        assert_ne!(k, key(None, "fn main() {}"));
        put(k, "<b>html</b>");
        let mut bytes = Vec::new();
        write(true, &mut bytes).unwrap();
        assert!(bytes.starts_with(MAGIC));
        // A fresh process would start from the file alone.
        memo().lock().unwrap().used.clear();
        assert_eq!(get(&k), None);
        load_lazily(Box::new(move || Some(bytes)));
        assert_eq!(get(&k).as_deref(), Some("<b>html</b>"));
        for damaged in [b"LCTHL02\n\x01\x02truncated".as_slice(), b"not a cache"] {
            assert!(parse(damaged).is_empty());
            load_lazily(Box::new(move || Some(damaged.to_vec())));
            assert_eq!(get(&k).as_deref(), Some("<b>html</b>"));
        }
    }

    #[test]
    fn a_bound_keeps_the_memo_small() {
        let mut m = Memo { limit: Some(25), ..Memo::default() };
        m.put([1; 16], "<b>one</b>");
        m.put([2; 16], "<b>two</b>");
        assert_eq!((m.get(&[1; 16]).as_deref(), m.bytes), (Some("<b>one</b>"), 20));
        m.put([3; 16], "<b>three</b>");
        assert_eq!(m.get(&[1; 16]), None, "past the bound, the memo starts again");
        assert_eq!((m.get(&[3; 16]).as_deref(), m.bytes), (Some("<b>three</b>"), 12));
        // A cache file larger than the bound is not loaded.
        let mut file = Memo::default();
        file.put([4; 16], &"x".repeat(30));
        let mut bytes = Vec::new();
        let mut out = Memo { limit: Some(25), ..Memo::default() };
        write_memo(&file, true, &mut bytes).unwrap();
        out.pending = Some(Box::new(move || Some(bytes)));
        assert_eq!((out.get(&[4; 16]), out.bytes), (None, 0));
    }

    #[test]
    fn saving_is_needed_after_highlighting_or_when_entries_go_unused() {
        let mut m = Memo::default();
        assert!(!m.needs_saving(true), "nothing loaded, nothing made");
        m.used.insert([2; 16], "used".into());
        assert!(!m.needs_saving(true), "every entry of the file used, none made");
        m.loaded.insert([1; 16], "x".into());
        assert!(m.needs_saving(true), "an unused entry of the file, pruned");
        assert!(!m.needs_saving(false), "an unused entry of the file, kept");
        put([9; 16], "<i>new</i>");
        assert!(needs_saving(false), "a block highlighted by this process");
    }
}
