//! The vocabulary of one index build: every distinct term gets a number, so the hot loops of
//! indexing move `u32`s instead of allocating and freeing a `String` per posting.
//!
//! In: terms, from many threads at once. Out: ids (`local index << 6 | shard`), and at the end
//! the terms themselves by shard and local index. Each thread keeps a private cache in front of
//! the shared, sharded table, so a term already seen costs one hash lookup and no lock.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// Number of shards of the shared table; also the merge's unit of parallel work.
pub const SHARDS: usize = 64;
const SHARD_BITS: u32 = 6;

/// Hash maps keyed by data the build made itself: no need for SipHash's flooding resistance.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The Fx hash (as in rustc): a rotate, xor and multiply per word.
#[derive(Default)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[derive(Default)]
struct Shard {
    ids: FastMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
}

/// Distinct terms, numbered in the order threads first met them (so ids are not deterministic;
/// nothing written depends on them).
pub struct Vocabulary {
    /// Tells the threads' caches which vocabulary they hold ids of.
    id: u64,
    shards: Vec<Mutex<Shard>>,
}

static NEXT_VOCABULARY: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static CACHE: RefCell<(u64, FastMap<Box<str>, u32>)> = RefCell::new((0, FastMap::default()));
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            id: NEXT_VOCABULARY.fetch_add(1, Ordering::Relaxed),
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }
}

impl Vocabulary {
    /// The id of `term`, adding it when new.
    pub fn intern(&self, term: &str) -> u32 {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != self.id {
                *cache = (self.id, FastMap::default());
            }
            if let Some(&id) = cache.1.get(term) {
                return id;
            }
            let id = self.intern_shared(term);
            cache.1.insert(term.into(), id);
            id
        })
    }

    fn intern_shared(&self, term: &str) -> u32 {
        let shard = shard_for(term);
        let mut table = self.shards[shard].lock().unwrap_or_else(PoisonError::into_inner);
        let local = match table.ids.get(term) {
            Some(&local) => local,
            None => {
                let local = table.terms.len() as u32;
                table.terms.push(term.into());
                table.ids.insert(term.into(), local);
                local
            }
        };
        (local << SHARD_BITS) | shard as u32
    }

    /// The terms so far, by shard, each by local index (a copy: the vocabulary goes on).
    pub fn terms(&self) -> Vec<Vec<Box<str>>> {
        self.shards.iter().map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).terms.clone()).collect()
    }

    /// A vocabulary that gives `terms` (as [`Vocabulary::terms`] listed them) the ids they had:
    /// each term stays in its shard at its index. `None` when a term is not in the shard its
    /// hash picks (the list was not made by this program).
    pub fn from_terms(terms: Vec<Vec<Box<str>>>) -> Option<Vocabulary> {
        let vocabulary = Vocabulary::default();
        if terms.len() > SHARDS {
            return None;
        }
        for (n, list) in terms.into_iter().enumerate() {
            let mut table = vocabulary.shards[n].lock().unwrap_or_else(PoisonError::into_inner);
            for (local, term) in list.into_iter().enumerate() {
                if shard_for(&term) != n || table.ids.insert(term.clone(), local as u32).is_some() {
                    return None;
                }
                table.terms.push(term);
            }
        }
        Some(vocabulary)
    }

    /// The terms, by shard, each by local index.
    pub fn into_terms(self) -> Vec<Vec<Box<str>>> {
        self.shards.into_iter().map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner).terms).collect()
    }
}

/// The shard a term's id is in.
fn shard_for(term: &str) -> usize {
    let mut hasher = FastHasher::default();
    hasher.write(term.as_bytes());
    (hasher.finish() >> 32) as usize % SHARDS
}

/// The shard of an id.
pub fn shard_of(id: u32) -> usize {
    (id as usize) % SHARDS
}

/// The index of an id within its shard.
pub fn local_of(id: u32) -> usize {
    (id >> SHARD_BITS) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn the_same_term_gets_the_same_id_across_threads() {
        let vocabulary = Vocabulary::default();
        let words: Vec<String> = (0..2000).map(|n| format!("w{}", n % 300)).collect();
        let ids: Vec<u32> = words.par_iter().map(|w| vocabulary.intern(w)).collect();
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(vocabulary.intern(w), *id);
        }
        let terms = vocabulary.into_terms();
        assert_eq!(terms.iter().map(Vec::len).sum::<usize>(), 300);
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(&*terms[shard_of(*id)][local_of(*id)], w.as_str());
        }
    }

    #[test]
    fn a_vocabulary_made_from_its_terms_gives_the_same_ids() {
        let first = Vocabulary::default();
        let ids: Vec<u32> = (0..500).map(|n| first.intern(&format!("t{}", n * 7 % 311))).collect();
        let again = Vocabulary::from_terms(first.terms()).expect("its own terms");
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(again.intern(&format!("t{}", n * 7 % 311)), *id);
        }
        let new = again.intern("unseen");
        assert!(!ids.contains(&new), "a new term gets a new id");
        let mut moved = first.terms();
        let from = moved.iter().position(|l| !l.is_empty()).unwrap();
        let term = moved[from].pop().unwrap();
        moved[(from + 1) % SHARDS].push(term);
        assert!(Vocabulary::from_terms(moved).is_none(), "a term in the wrong shard");
    }

    #[test]
    fn a_new_vocabulary_does_not_reuse_cached_ids() {
        let first = Vocabulary::default();
        for n in 0..500 {
            first.intern(&format!("x{n}"));
        }
        let b_in_first = first.intern("b");
        assert!(local_of(b_in_first) > 0);
        let second = Vocabulary::default();
        let b_in_second = second.intern("b");
        assert_eq!(local_of(b_in_second), 0, "a stale cache would hand back the first vocabulary's id");
        assert_eq!(second.into_terms()[shard_of(b_in_second)][0].as_ref(), "b");
    }
}
