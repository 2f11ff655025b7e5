//! The search index of `serve`, kept up to date page by page: an edit costs work in proportion
//! to the pages it changed, never a pass over every page.
//!
//! In: each page's [`PageTerms`] ([`page_terms`]: its record and its words' weights per
//! section), all of them once in page order ([`LiveIndex::push`], then [`LiveIndex::finish`]),
//! then an edited page's new terms ([`LiveIndex::update`]). Out: the files of the index
//! ([`LiveIndex::file`]), made when asked for, in the format `build` writes (see [`super`]);
//! built from the same pages, they are the files [`super::index_pages_in`] makes, but for the
//! manifest's hash.
//!
//! What it holds: per page, its first section, its record and its words; per stem, its
//! postings (uncapped: capped only as a shard is written) and its words; and which shard each
//! stem is in. An update takes the page's old postings out of the stems it used and puts the new
//! ones in, so only those stems change; when the page's number of sections changed, the
//! sections after it are renumbered (integers only). A new stem joins the shard whose span it
//! falls in, so shards keep their numbers until the next full build.

use std::cmp::Ordering;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use super::index::{self, Hits, Postings};
use super::stem::SiteStemmer;
use super::tokenize::for_each_term;
use super::vocab::FastMap;
use super::{CHUNK_TARGET_BYTES, FORMAT_VERSION, INDEX_DIR, PageInput, SearchFiles};

/// What the index takes of one page: its record for the `d/` chunks and its words' weights.
#[derive(Debug, Clone, PartialEq)]
pub struct PageTerms {
    sections: u32,
    record: String,
    /// (word, section within the page, weight), one per word and section.
    words: Vec<(Box<str>, u32, u8)>,
}

impl PageTerms {
    /// Sections of the page.
    pub fn sections(&self) -> u32 {
        self.sections
    }
}

/// Reads one page: its sections, their words and its record. The title counts towards the
/// first section, as in [`index::page_postings`].
pub fn page_terms(page: &PageInput) -> PageTerms {
    let sections = super::extract::sections(page.html);
    let mut words = Vec::new();
    let mut hits: FastMap<Box<str>, Hits> = FastMap::default();
    for (n, s) in sections.iter().enumerate() {
        let mut count = |text: &str, field: fn(&mut Hits) -> &mut u32| {
            for_each_term(text, |t| match hits.get_mut(t) {
                Some(h) => *field(h) += 1,
                None => *field(hits.entry(t.into()).or_default()) += 1,
            });
        };
        if n == 0 {
            count(page.title, |h| &mut h.title);
        }
        count(&s.heading, |h| &mut h.heading);
        count(&s.prose, |h| &mut h.prose);
        count(&s.code, |h| &mut h.code);
        words.extend(hits.drain().map(|(word, h)| (word, n as u32, index::weight(h))));
    }
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    PageTerms { sections: sections.len() as u32, record: super::page_record(page, &sections), words }
}

/// A page's record for the `d/` chunks, of `sections` sections: the page's own, cut or padded
/// with empty ones (never the target of a result) when the index counts another number, so
/// the records of an index that has not yet taken in an edit still line up with its sections.
pub fn record(page: &PageInput, sections: u32) -> String {
    let mut read = super::extract::sections(page.html);
    read.resize_with(sections as usize, Default::default);
    super::page_record(page, &read)
}

/// The index of a running preview.
pub struct LiveIndex {
    stemmer: SiteStemmer,
    /// Whether pages' records are kept; without them, chunks are made by the caller
    /// ([`LiveIndex::chunk`] and [`record`]).
    records: bool,
    /// The indexed pages, in page order.
    slots: Vec<Slot>,
    /// The first slot of each chunk of page records.
    chunk_starts: Vec<u32>,
    /// Bytes of the last chunk so far (while pages are pushed).
    chunk_bytes: usize,
    words: Vec<Word>,
    word_ids: FastMap<Box<str>, u32>,
    stems: Vec<Stem>,
    stem_ids: FastMap<Box<str>, u32>,
    shards: Vec<Shard>,
    /// Sections of every page.
    sections: u32,
    /// The manifest as served, made again after every change.
    manifest: String,
}

struct Slot {
    first: u32,
    sections: u32,
    record: Box<str>,
    /// The words of the page, by id, each once.
    words: Box<[u32]>,
}

struct Word {
    text: Box<str>,
    stem: u32,
    /// Pages that use the word: a stem lists the words some page still uses.
    pages: u32,
}

struct Stem {
    text: Box<str>,
    /// Per section, the strongest weight of the stem's words in it.
    postings: Postings,
    /// Its words in use, by id.
    words: Vec<u32>,
    shard: u32,
}

#[derive(Default)]
struct Shard {
    /// By the browser's string order of their text.
    stems: Vec<u32>,
    first: String,
    last: String,
}

/// A stem not yet in a shard (while pages are pushed).
const NO_SHARD: u32 = u32::MAX;

/// Changes of every live index of the process, for the manifests' hashes.
static CHANGES: AtomicU64 = AtomicU64::new(0);

/// Widens a shard's span to take in `word`.
fn widen(shard: &mut Shard, word: &str) {
    if shard.first.is_empty() || utf16_cmp(word, &shard.first).is_lt() {
        shard.first = word.to_string();
    }
    if shard.last.is_empty() || utf16_cmp(&shard.last, word).is_lt() {
        shard.last = word.to_string();
    }
}

/// The browser's (UTF-16) string order.
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

impl LiveIndex {
    /// An empty index that stems for the language `lang`.
    pub fn new(lang: &str) -> LiveIndex {
        LiveIndex {
            stemmer: SiteStemmer::new(lang),
            records: true,
            slots: Vec::new(),
            chunk_starts: Vec::new(),
            chunk_bytes: 0,
            words: Vec::new(),
            word_ids: FastMap::default(),
            stems: Vec::new(),
            stem_ids: FastMap::default(),
            shards: Vec::new(),
            sections: 0,
            manifest: String::new(),
        }
    }

    /// An empty index that keeps no page's record: [`LiveIndex::file`] then makes no chunk.
    pub fn without_records(lang: &str) -> LiveIndex {
        LiveIndex { records: false, ..LiveIndex::new(lang) }
    }

    /// The pages of chunk `n`, by slot, and how many sections the index counts for each.
    pub fn chunk(&self, n: usize) -> Option<Vec<(usize, u32)>> {
        let slots = self.chunk_slots(n)?;
        Some(slots.map(|k| (k, self.slots[k].sections)).collect())
    }

    /// Appends the next page, in page order (before [`LiveIndex::finish`]).
    pub fn push(&mut self, page: PageTerms) {
        let k = self.slots.len() as u32;
        // As the build's chunks: one ends once its records reach the target size.
        if self.chunk_starts.is_empty() || self.chunk_bytes >= CHUNK_TARGET_BYTES {
            self.chunk_starts.push(k);
            self.chunk_bytes = 0;
        }
        self.chunk_bytes += page.record.len() + 1;
        let first = self.sections;
        let (words, _) = self.add_postings(first, &page.words, first);
        self.sections += page.sections;
        let record = if self.records { page.record.into() } else { Box::default() };
        self.slots.push(Slot { first, sections: page.sections, record, words });
    }

    /// Groups the stems into shards, as the build does, and makes the manifest.
    pub fn finish(&mut self) {
        let mut order: Vec<u32> =
            (0..self.stems.len() as u32).filter(|&s| !self.stems[s as usize].postings.is_empty()).collect();
        order.sort_unstable_by(|&a, &b| utf16_cmp(&self.stems[a as usize].text, &self.stems[b as usize].text));
        self.shards.clear();
        let mut json_len = 0;
        let mut scratch = String::new();
        for s in order {
            if self.shards.is_empty() || json_len >= index::SHARD_TARGET_BYTES {
                self.shards.push(Shard::default());
                json_len = 1;
            }
            scratch.clear();
            index::encode_term(&self.term(s), &mut scratch);
            json_len += scratch.len() + usize::from(json_len > 1);
            let n = self.shards.len() - 1;
            self.shards[n].stems.push(s);
            self.stems[s as usize].shard = n as u32;
        }
        for n in 0..self.shards.len() {
            self.update_span(n);
        }
        self.make_manifest();
    }

    /// Replaces the page in slot `k` (its place in page order) with `page`. False when there
    /// is no such slot.
    pub fn update(&mut self, k: usize, page: PageTerms) -> bool {
        let Some(old) = self.slots.get(k) else { return false };
        let (first, old_sections) = (old.first, old.sections);
        let old_end = first + old_sections;
        let mut touched: Vec<u32> = Vec::new();
        for &w in old.words.iter() {
            let word = &mut self.words[w as usize];
            word.pages -= 1;
            let stem = word.stem;
            touched.push(stem);
            if word.pages == 0 {
                self.stems[stem as usize].words.retain(|&x| x != w);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        let remove = |stem: &mut Stem| {
            let postings = &mut stem.postings;
            let from = postings.sections.partition_point(|&x| x < first);
            let to = postings.sections.partition_point(|&x| x < old_end);
            postings.sections.drain(from..to);
            postings.weights.drain(from..to);
        };
        // With as many sections as before, each stem's old postings are replaced where they are
        // (long lists of common words are not moved twice); else they go, and later sections move.
        let same = page.sections == old_sections;
        if !same {
            touched.iter().for_each(|&s| remove(&mut self.stems[s as usize]));
        }
        if !same {
            // Every later section moves by the difference.
            let shift = |x: &mut u32| *x = (i64::from(*x) + i64::from(page.sections) - i64::from(old_sections)) as u32;
            for stem in &mut self.stems {
                let at = stem.postings.sections.partition_point(|&x| x < old_end);
                stem.postings.sections[at..].iter_mut().for_each(shift);
            }
            for slot in &mut self.slots[k + 1..] {
                shift(&mut slot.first);
            }
            self.sections = self.sections + page.sections - old_sections;
        }
        let (words, written) = self.add_postings(first, &page.words, if same { old_end } else { first });
        if same {
            for &s in touched.iter().filter(|s| written.binary_search(s).is_err()) {
                remove(&mut self.stems[s as usize]);
            }
        }
        // A span takes in the new words; it keeps words no page uses any longer (a span wider
        // than its words costs a query a shard at most), until the next full build.
        let mut new_stems: Vec<u32> = words.iter().map(|&w| self.words[w as usize].stem).collect();
        new_stems.sort_unstable();
        new_stems.dedup();
        for &w in words.iter() {
            let stem = self.words[w as usize].stem;
            if self.stems[stem as usize].shard == NO_SHARD {
                self.place(stem);
            }
            let shard = self.stems[stem as usize].shard as usize;
            widen(&mut self.shards[shard], &self.words[w as usize].text);
        }
        for s in new_stems {
            let shard = self.stems[s as usize].shard as usize;
            widen(&mut self.shards[shard], &self.stems[s as usize].text);
        }
        let record = if self.records { page.record.into() } else { Box::default() };
        self.slots[k] = Slot { first, sections: page.sections, record, words };
        self.make_manifest();
        true
    }

    /// Pages in the index.
    pub fn pages(&self) -> usize {
        self.slots.len()
    }

    /// Whether the index has a file at `path` (below the output folder).
    pub fn has(&self, path: &str) -> bool {
        match parse_path(path) {
            Some(IndexFile::Manifest) => true,
            Some(IndexFile::Shard(n)) => n < self.shards.len(),
            Some(IndexFile::Chunk(n)) => n < self.chunk_starts.len(),
            None => false,
        }
    }

    /// The file at `path` (below the output folder), made now.
    pub fn file(&self, path: &str) -> Option<Vec<u8>> {
        match parse_path(path)? {
            IndexFile::Manifest => Some(self.manifest.clone().into_bytes()),
            IndexFile::Shard(n) => {
                let shard = self.shards.get(n)?;
                let mut json = String::from("[");
                for &s in &shard.stems {
                    if self.stems[s as usize].postings.is_empty() {
                        continue;
                    }
                    if json.len() > 1 {
                        json.push(',');
                    }
                    index::encode_term(&self.term(s), &mut json);
                }
                json.push(']');
                Some(json.into_bytes())
            }
            IndexFile::Chunk(_) if !self.records => None,
            IndexFile::Chunk(n) => {
                let slots = self.chunk_slots(n)?;
                let mut json = String::from("[");
                for (i, slot) in self.slots[slots].iter().enumerate() {
                    if i > 0 {
                        json.push(',');
                    }
                    json.push_str(&slot.record);
                }
                json.push(']');
                Some(json.into_bytes())
            }
        }
    }

    /// Every file of the index.
    pub fn files(&self) -> SearchFiles {
        let mut paths = vec![format!("{INDEX_DIR}/manifest.json")];
        paths.extend((0..self.shards.len()).map(|n| format!("{INDEX_DIR}/t/{n}.json")));
        paths.extend((0..self.chunk_starts.len()).map(|n| format!("{INDEX_DIR}/d/{n}.json")));
        paths.into_iter().filter_map(|p| Some((p.clone(), self.file(&p)?))).collect()
    }

    fn chunk_slots(&self, n: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.chunk_starts.get(n)? as usize;
        let end = self.chunk_starts.get(n + 1).map_or(self.slots.len(), |&e| e as usize);
        Some(start..end)
    }

    /// Adds a page's postings at section `first`, in place of each stem's postings before
    /// section `replace` (none when it is `first`); returns the page's words' ids and the stems
    /// it wrote, sorted.
    fn add_postings(&mut self, first: u32, words: &[(Box<str>, u32, u8)], replace: u32) -> (Box<[u32]>, Vec<u32>) {
        let mut ids: Vec<u32> = Vec::new();
        let mut postings: Vec<(u32, u32, u8)> = Vec::with_capacity(words.len());
        for (text, section, weight) in words {
            let id = match self.word_ids.get(text) {
                Some(&id) => id,
                None => {
                    let stem_text = self.stemmer.stem(text);
                    let stem = match self.stem_ids.get(stem_text.as_str()) {
                        Some(&s) => s,
                        None => {
                            let s = self.stems.len() as u32;
                            self.stems.push(Stem {
                                text: stem_text.as_str().into(),
                                postings: Postings::default(),
                                words: Vec::new(),
                                shard: NO_SHARD,
                            });
                            self.stem_ids.insert(stem_text.into(), s);
                            s
                        }
                    };
                    let id = self.words.len() as u32;
                    self.words.push(Word { text: text.clone(), stem, pages: 0 });
                    self.word_ids.insert(text.clone(), id);
                    id
                }
            };
            if ids.last() != Some(&id) {
                ids.push(id);
            }
            postings.push((self.words[id as usize].stem, first + section, *weight));
        }
        for &id in &ids {
            let word = &mut self.words[id as usize];
            word.pages += 1;
            if word.pages == 1 {
                let stem = word.stem;
                self.stems[stem as usize].words.push(id);
            }
        }
        // Per stem and section, the strongest of its words.
        postings.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
        postings.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
        let mut written = Vec::new();
        for group in postings.chunk_by(|a, b| a.0 == b.0) {
            written.push(group[0].0);
            let list = &mut self.stems[group[0].0 as usize].postings;
            let at = list.sections.partition_point(|&x| x < first);
            let to = list.sections.partition_point(|&x| x < replace).max(at);
            list.sections.splice(at..to, group.iter().map(|p| p.1));
            list.weights.splice(at..to, group.iter().map(|p| p.2));
        }
        (ids.into_boxed_slice(), written)
    }

    /// Puts a new stem into the shard whose span it falls in (or the one before its place).
    fn place(&mut self, s: u32) {
        if self.shards.is_empty() {
            self.shards.push(Shard::default());
        }
        let text = &self.stems[s as usize].text;
        let after = self.shards.partition_point(|sh| sh.first.is_empty() || utf16_cmp(&sh.first, text).is_le());
        let n = after.saturating_sub(1);
        let stems = &self.stems;
        let shard = &mut self.shards[n];
        let at = shard.stems.partition_point(|&o| utf16_cmp(&stems[o as usize].text, text).is_lt());
        shard.stems.insert(at, s);
        self.stems[s as usize].shard = n as u32;
    }

    /// The span of shard `n`: the first and last of its stems and their words.
    fn update_span(&mut self, n: usize) {
        let mut span: Option<(&str, &str)> = None;
        for &s in &self.shards[n].stems {
            let stem = &self.stems[s as usize];
            if stem.postings.is_empty() {
                continue;
            }
            let words = stem.words.iter().map(|&w| &*self.words[w as usize].text);
            for word in std::iter::once(&*stem.text).chain(words) {
                span = Some(match span {
                    None => (word, word),
                    Some((first, last)) => (
                        if utf16_cmp(word, first).is_lt() { word } else { first },
                        if utf16_cmp(last, word).is_lt() { word } else { last },
                    ),
                });
            }
        }
        let (first, last) = span.map(|(f, l)| (f.to_string(), l.to_string())).unwrap_or_default();
        self.shards[n].first = first;
        self.shards[n].last = last;
    }

    /// Stem `s` as the shards write it: capped postings, its other words sorted.
    fn term(&self, s: u32) -> index::Term {
        let stem = &self.stems[s as usize];
        let mut words: Vec<String> = stem
            .words
            .iter()
            .map(|&w| &self.words[w as usize].text)
            .filter(|w| ***w != *stem.text)
            .map(|w| w.to_string())
            .collect();
        words.sort_unstable();
        let mut term = index::capped(stem.text.to_string(), stem.postings.clone());
        term.words = words;
        term
    }

    fn make_manifest(&mut self) {
        let chunks: Vec<u32> = (0..self.chunk_starts.len())
            .map(|n| self.chunk_slots(n).map_or(0, |r| self.slots[r].iter().map(|s| s.sections).sum()))
            .collect();
        let spans: Vec<[&str; 2]> = self.shards.iter().map(|s| [s.first.as_str(), s.last.as_str()]).collect();
        let change = CHANGES.fetch_add(1, AtomicOrdering::Relaxed);
        let hash = crate::render::fnv1a([format!("{} {change} {}", std::process::id(), self.sections)]);
        self.manifest = serde_json::json!({
            "version": FORMAT_VERSION,
            "hash": format!("{hash:016x}"),
            "sections": self.sections,
            "shards": spans,
            "chunks": chunks,
        })
        .to_string();
    }
}

enum IndexFile {
    Manifest,
    Shard(usize),
    Chunk(usize),
}

fn parse_path(path: &str) -> Option<IndexFile> {
    let rest = path.strip_prefix(INDEX_DIR)?.strip_prefix('/')?;
    if rest == "manifest.json" {
        return Some(IndexFile::Manifest);
    }
    let (kind, file) = rest.split_once('/')?;
    let number = file.strip_suffix(".json")?;
    // Only the canonical spelling of a number: `t/01.json` is not a file of the index.
    if number.is_empty() || (number.len() > 1 && number.starts_with('0')) || !number.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let n: usize = number.parse().ok()?;
    match kind {
        "t" => Some(IndexFile::Shard(n)),
        "d" => Some(IndexFile::Chunk(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{PageInput, index_pages_in};

    fn page<'a>(title: &'a str, url: &str, html: &'a str) -> PageInput<'a> {
        PageInput { title, url: url.into(), crumbs: vec!["Guides".into()], html }
    }

    fn live(pages: &[PageInput]) -> LiveIndex {
        let mut index = LiveIndex::new("en");
        for p in pages {
            index.push(page_terms(p));
        }
        index.finish();
        index
    }

    fn without_hash(mut files: SearchFiles) -> SearchFiles {
        let manifest = files.get_mut("search/manifest.json").expect("a manifest");
        let mut value: serde_json::Value = serde_json::from_slice(manifest).unwrap();
        value["hash"] = "".into();
        *manifest = value.to_string().into_bytes();
        files
    }

    /// Every stem as the browser reads it: (sections, postings by section, words), and every
    /// section's (url, anchor, heading, text), found through the manifest's chunk sizes.
    type Read = (std::collections::BTreeMap<String, (u64, Vec<(u64, u64)>, Vec<String>)>, Vec<[String; 4]>);

    fn read(files: &SearchFiles) -> Read {
        let json = |p: &str| -> serde_json::Value { serde_json::from_slice(&files[p]).unwrap() };
        let manifest = json("search/manifest.json");
        let mut stems = std::collections::BTreeMap::new();
        for (n, span) in manifest["shards"].as_array().unwrap().iter().enumerate() {
            for e in json(&format!("search/t/{n}.json")).as_array().unwrap() {
                let words: Vec<String> = e
                    .get(3)
                    .and_then(|w| w.as_array())
                    .into_iter()
                    .flatten()
                    .map(|w| w.as_str().unwrap().into())
                    .collect();
                for w in std::iter::once(e[0].as_str().unwrap()).chain(words.iter().map(String::as_str)) {
                    assert!(span[0].as_str().unwrap() <= w && w <= span[1].as_str().unwrap(), "{w} outside {span}");
                }
                let flat: Vec<u64> = e[2].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
                let mut section = 0;
                let postings = flat
                    .chunks(2)
                    .map(|p| {
                        section += p[0];
                        (section, p[1])
                    })
                    .collect();
                let was = stems.insert(e[0].as_str().unwrap().to_string(), (e[1].as_u64().unwrap(), postings, words));
                assert!(was.is_none(), "{} twice", e[0]);
            }
        }
        let mut sections = Vec::new();
        for (c, size) in manifest["chunks"].as_array().unwrap().iter().enumerate() {
            let before = sections.len();
            for p in json(&format!("search/d/{c}.json")).as_array().unwrap() {
                for s in p[3].as_array().unwrap() {
                    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
                    sections.push([text(&p[1]), text(&s[0]), text(&s[1]), text(&s[2])]);
                }
            }
            assert_eq!((sections.len() - before) as u64, size.as_u64().unwrap(), "chunk {c}");
        }
        assert_eq!(sections.len() as u64, manifest["sections"].as_u64().unwrap());
        (stems, sections)
    }

    const A: &str = "<p>Deploying the service is easy.</p><h2 id=\"b\">Rollback</h2><p>Deploy again.</p>";
    const B: &str = "<p>Services deploy to clusters.</p><pre><code>cargo run</code></pre>";
    const C: &str = "<p>The skies are blue.</p><h2 id=\"x\">Sky</h2><p>One sky.</p><h2 id=\"y\">Clouds</h2>";

    #[test]
    fn built_at_once_it_writes_the_builds_files() {
        let pages = [page("Alpha", "/a/", A), page("Beta", "/b/", B), page("Gamma", "/c/", C)];
        assert_eq!(without_hash(live(&pages).files()), without_hash(index_pages_in(&pages, "en")));
        // Big enough for several chunks and shards.
        let htmls: Vec<String> = (0..300)
            .map(|n| {
                format!(
                    "<p>word{n} shared text {}</p><h2 id=\"h{n}\">Part {n}</h2><p>more{n} words</p>",
                    "x ".repeat(n)
                )
            })
            .collect();
        let titles: Vec<String> = (0..300).map(|n| format!("Page {n}")).collect();
        let many: Vec<PageInput> = (0..300).map(|n| page(&titles[n], &format!("/p{n}/"), &htmls[n])).collect();
        let files = live(&many).files();
        assert!(files.keys().filter(|k| k.starts_with("search/t/")).count() > 1);
        assert!(files.keys().filter(|k| k.starts_with("search/d/")).count() > 1);
        assert_eq!(without_hash(files), without_hash(index_pages_in(&many, "en")));
    }

    #[test]
    fn an_update_reads_as_an_index_built_with_the_new_page() {
        let edits = [
            ("same sections, new words", "<p>Deploying zebras.</p><h2 id=\"b\">Rollback</h2><p>Finch.</p>"),
            ("fewer sections", "<p>Only one section, deployed.</p>"),
            ("more sections", "<p>a</p><h2 id=\"1\">One sky</h2><h2 id=\"2\">Two</h2><h2 id=\"3\">Three clouds</h2>"),
            ("empty", ""),
        ];
        for (what, html) in edits {
            let mut pages = vec![page("Alpha", "/a/", A), page("Beta", "/b/", B), page("Gamma", "/c/", C)];
            let mut index = live(&pages);
            let before = index.files();
            pages[1] = page("Beta edited", "/b/", html);
            assert!(index.update(1, page_terms(&pages[1])));
            let now = index.files();
            assert_ne!(before["search/manifest.json"], now["search/manifest.json"], "{what}: a new hash");
            assert_eq!(read(&now), read(&index_pages_in(&pages, "en")), "{what}");
            // And back.
            pages[1] = page("Beta", "/b/", B);
            assert!(index.update(1, page_terms(&pages[1])));
            assert_eq!(read(&index.files()), read(&index_pages_in(&pages, "en")), "{what}, undone");
        }
    }

    #[test]
    fn many_updates_keep_the_index_equal_to_a_fresh_one() {
        let htmls: Vec<String> = (0..40)
            .map(|n| format!("<p>word{n} common</p><h2 id=\"h\">Part {}</h2><p>tail{}</p>", n % 7, n % 3))
            .collect();
        let titles: Vec<String> = (0..40).map(|n| format!("Page {n}")).collect();
        let mut pages: Vec<PageInput> = (0..40).map(|n| page(&titles[n], &format!("/p{n}/"), &htmls[n])).collect();
        let mut index = live(&pages);
        let edited: Vec<String> = (0..40)
            .map(|n| {
                let headings: String =
                    (0..n % 4).map(|h| format!("<h2 id=\"e{h}\">Edited {h} brandnew{n}</h2>")).collect();
                format!("<p>rewritten{n} common</p>{headings}")
            })
            .collect();
        for n in (0..40).rev().step_by(3) {
            pages[n] = page(&titles[n], &format!("/p{n}/"), &edited[n]);
            assert!(index.update(n, page_terms(&pages[n])));
        }
        assert_eq!(read(&index.files()), read(&index_pages_in(&pages, "en")));
        assert!(!index.update(40, page_terms(&pages[0])), "no such slot");
    }

    #[test]
    fn capped_stems_keep_their_strongest_postings_after_an_update() {
        let html = "<p>common</p>";
        let strong = "<h2 id=\"c\">Common</h2><p>common</p>";
        let n = index::MAX_POSTINGS + 20;
        let titles: Vec<String> = (0..n).map(|i| format!("Page {i}")).collect();
        let mut pages: Vec<PageInput> = (0..n).map(|i| page(&titles[i], &format!("/p{i}/"), html)).collect();
        let mut index = live(&pages);
        pages[n - 1] = page(&titles[n - 1], &format!("/p{}/", n - 1), strong);
        index.update(n - 1, page_terms(&pages[n - 1]));
        assert_eq!(read(&index.files()), read(&index_pages_in(&pages, "en")));
    }

    #[test]
    fn without_records_chunks_are_made_from_the_pages_again() {
        let pages = [page("Alpha", "/a/", A), page("Beta", "/b/", B), page("Gamma", "/c/", C)];
        let mut index = LiveIndex::without_records("en");
        for p in &pages {
            index.push(page_terms(p));
        }
        index.finish();
        assert!(index.has("search/d/0.json") && index.file("search/d/0.json").is_none());
        let chunk = index.chunk(0).expect("a chunk");
        let made: Vec<String> = chunk.iter().map(|&(k, sections)| record(&pages[k], sections)).collect();
        let json = format!("[{}]", made.join(","));
        assert_eq!(json.as_bytes(), &index_pages_in(&pages, "en")["search/d/0.json"][..]);
        // A page read again with another number of sections than the index counts.
        let cut: serde_json::Value = serde_json::from_str(&record(&pages[2], 1)).unwrap();
        assert_eq!(cut[3].as_array().unwrap().len(), 1);
        let padded: serde_json::Value = serde_json::from_str(&record(&pages[0], 4)).unwrap();
        assert_eq!(padded[3][3], serde_json::json!(["", "", ""]));
    }

    #[test]
    fn only_the_index_files_are_files() {
        let index = live(&[page("Alpha", "/a/", A)]);
        for (path, has) in [
            ("search/manifest.json", true),
            ("search/t/0.json", true),
            ("search/d/0.json", true),
            ("search/t/1.json", false),
            ("search/t/00.json", false),
            ("search/t/+0.json", false),
            ("search/x/0.json", false),
            ("search/t/0.js", false),
            ("other/manifest.json", false),
        ] {
            assert_eq!(index.has(path), has, "{path}");
            assert_eq!(index.file(path).is_some(), has, "{path}");
        }
    }
}
