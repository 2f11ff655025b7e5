//! The preview's cache of rendered pages: pages are rendered when first asked for, and the most
//! recently used stay, up to a number of bytes.
//!
//! In: rendered pages, each with the site version it was rendered at. Out: a page again, while
//! the caller says that version is still current for it (see [`super::live`]); the least
//! recently used pages go first when the bound is reached, and a page larger than the whole
//! bound is never kept.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;

/// How many bytes of pages the preview keeps: about a thousand pages of a typical site.
pub const PAGE_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Rendered pages by output file, least recently used first out.
#[derive(Debug)]
pub struct PageCache {
    limit: usize,
    /// Bytes held: each page's body and key.
    bytes: usize,
    /// Counts uses; an entry's last use orders evictions.
    clock: u64,
    entries: HashMap<String, Entry>,
    /// Keys by last use.
    by_use: BTreeMap<u64, String>,
}

#[derive(Debug)]
struct Entry {
    version: u64,
    body: Bytes,
    used: u64,
}

impl PageCache {
    /// An empty cache that holds at most `limit` bytes.
    pub fn new(limit: usize) -> PageCache {
        PageCache { limit, bytes: 0, clock: 0, entries: HashMap::new(), by_use: BTreeMap::new() }
    }

    /// The page at `key`, if cached at a version `current` accepts; a stale entry is dropped.
    pub fn get(&mut self, key: &str, current: impl Fn(u64) -> bool) -> Option<Bytes> {
        let entry = self.entries.get(key)?;
        if !current(entry.version) {
            self.remove(key);
            return None;
        }
        self.clock += 1;
        let clock = self.clock;
        let entry = self.entries.get_mut(key)?;
        self.by_use.remove(&entry.used);
        entry.used = clock;
        self.by_use.insert(clock, key.to_string());
        Some(entry.body.clone())
    }

    /// The page at `key` whatever its version, without counting it as a use.
    pub fn peek(&self, key: &str) -> Option<Bytes> {
        self.entries.get(key).map(|e| e.body.clone())
    }

    /// Keeps `body` as the page at `key`, rendered at `version`, making room for it.
    pub fn insert(&mut self, key: &str, version: u64, body: Bytes) {
        self.remove(key);
        let size = Self::size(key, &body);
        if size > self.limit {
            return;
        }
        while self.bytes + size > self.limit {
            let Some((_, oldest)) = self.by_use.pop_first() else { break };
            if let Some(entry) = self.entries.remove(&oldest) {
                self.bytes -= Self::size(&oldest, &entry.body);
            }
        }
        self.clock += 1;
        self.bytes += size;
        self.by_use.insert(self.clock, key.to_string());
        self.entries.insert(key.to_string(), Entry { version, body, used: self.clock });
    }

    /// Forgets every page.
    pub fn clear(&mut self) {
        self.entries = HashMap::new();
        self.by_use.clear();
        self.bytes = 0;
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Pages held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no page is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.by_use.remove(&entry.used);
            self.bytes -= Self::size(key, &entry.body);
        }
    }

    fn size(key: &str, body: &Bytes) -> usize {
        key.len() + body.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    #[test]
    fn holds_at_most_its_bound_dropping_the_least_recently_used() {
        // Keys of 1 byte: each entry is 101 bytes.
        let mut cache = PageCache::new(1000);
        for (n, key) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
            cache.insert(key, n as u64, page(100));
            assert!(cache.bytes() <= 1000);
        }
        assert_eq!(cache.len(), 9);
        // `a` is used, so `b` is the oldest now.
        assert!(cache.get("a", |_| true).is_some());
        cache.insert("j", 0, page(100));
        assert!(cache.get("b", |_| true).is_none(), "the least recently used went");
        assert!(cache.get("a", |_| true).is_some(), "a recently used page stays");
        assert_eq!((cache.len(), cache.bytes()), (9, 909));
        // A big page pushes out as many as it needs.
        cache.insert("big", 0, page(600));
        assert!(cache.bytes() <= 1000, "{}", cache.bytes());
        assert_eq!(cache.len(), 4, "three small pages and the big one");
        assert!(cache.get("big", |_| true).is_some());
        // One larger than the bound is never kept, and takes nothing out.
        cache.insert("huge", 0, page(5000));
        assert!(cache.get("huge", |_| true).is_none());
        assert_eq!(cache.len(), 4);
    }

    #[test]
    fn a_stale_page_is_dropped_and_a_new_render_replaces_the_old() {
        let mut cache = PageCache::new(10_000);
        cache.insert("a/index.html", 3, page(10));
        assert!(cache.get("a/index.html", |v| v >= 3).is_some());
        assert!(cache.get("a/index.html", |v| v >= 4).is_none(), "changed since version 3");
        assert!(cache.is_empty() && cache.bytes() == 0);
        cache.insert("a/index.html", 4, page(10));
        cache.insert("a/index.html", 5, page(20));
        assert_eq!((cache.len(), cache.bytes()), (1, 32));
        assert_eq!(cache.get("a/index.html", |v| v == 5).map(|b| b.len()), Some(20));
        cache.clear();
        assert!(cache.is_empty() && cache.bytes() == 0);
    }

    #[test]
    fn the_bound_holds_over_many_pages_of_any_size() {
        let mut cache = PageCache::new(64 * 1024);
        for n in 0..5000usize {
            let key = format!("p{}/index.html", n % 700);
            cache.insert(&key, n as u64, page((n * 7919) % 9000));
            let _ = cache.get(&format!("p{}/index.html", (n * 31) % 700), |_| true);
            assert!(cache.bytes() <= 64 * 1024);
        }
        let held: usize = cache.entries.iter().map(|(k, e)| k.len() + e.body.len()).sum();
        assert_eq!(held, cache.bytes());
        assert_eq!(cache.by_use.len(), cache.len());
    }
}
