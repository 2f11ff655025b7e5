//! Search stage: builds a static, chunked full-text index the browser queries piece by piece.
//!
//! In: a loaded [`Site`] — every listed, non-draft page's title, URL, breadcrumbs and rendered
//! HTML. Out: [`SearchFiles`], to add to the site's files under `OUT/search/`:
//!
//! - `search/manifest.json`: `{ version, hash, sections, shards: [[first word, last word] of
//!   each shard], chunks: [number of sections in each chunk] }` — all a query needs before its
//!   words' shards.
//! - `search/t/<n>.json`: shard `n` of the inverted index (see [`index::shards`]), keyed by
//!   stem ([`stem`], for the site's `lang`), each stem listing the site's words that have it.
//! - `search/d/<n>.json`: chunk `n` of page records, `[[title, url, [crumb, ...], [[anchor,
//!   heading, text], ...]], ...]`, whole pages of about [`CHUNK_TARGET_BYTES`], fetched only for
//!   the results shown.
//!
//! `theme/search.js` is the other half. Output is byte-identical for identical input. `serve`
//! can call [`build_index`] on its own, off the path of a page reload.

pub mod extract;
pub mod index;
pub mod live;
pub mod merged;
pub mod saved;
pub mod stem;
pub mod tokenize;
pub mod vocab;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::site::Site;
use extract::Section;

/// Files of the search index, by path below the output folder (`search/...`).
pub type SearchFiles = BTreeMap<String, Vec<u8>>;

/// Folder of the index below the output folder.
pub const INDEX_DIR: &str = "search";
/// Format of the files; `search.js` refuses others.
pub const FORMAT_VERSION: u32 = 2;
/// Uncompressed size a chunk of page records grows to before the next one starts.
pub const CHUNK_TARGET_BYTES: usize = 8 * 1024;
/// Text kept per section for excerpts; an excerpt shows about 200 characters of it.
pub const EXCERPT_SOURCE_CHARS: usize = 2000;

/// One page to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInput<'a> {
    pub title: &'a str,
    /// URL path, already percent-encoded, without fragment.
    pub url: String,
    /// Category labels from the sidebar, outermost first.
    pub crumbs: Vec<String>,
    /// The page body as rendered by the markdown stage.
    pub html: &'a str,
}

/// The index of every listed, non-draft page of `site`.
pub fn build_index(site: &Site) -> SearchFiles {
    index_pages_in(&page_inputs(site), &site.config.lang)
}

/// The pages of `site` that are indexed: listed and not drafts. Only a site loaded with its
/// pages' HTML has any (a build indexes pages as it renders them again).
pub fn page_inputs(site: &Site) -> Vec<PageInput<'_>> {
    indexed_docs(site).into_iter().filter_map(|i| Some(page_input(site, i, site.pages[i].body.html()?))).collect()
}

/// The docs that are indexed, by index: listed and not drafts.
pub fn indexed_docs(site: &Site) -> Vec<usize> {
    let docs = &site.content.docs;
    (0..docs.len()).filter(|&i| is_indexed(&docs[i])).collect()
}

/// Whether the index lists the doc `d` (drafts and unlisted pages are left out).
pub fn is_indexed(d: &crate::content::Doc) -> bool {
    !d.is_unlisted() && d.front.draft != Some(true)
}

/// Doc `i` to index, with its markdown-stage HTML `html`.
pub fn page_input<'a>(site: &'a Site, i: usize, html: &'a str) -> PageInput<'a> {
    let d = &site.content.docs[i];
    PageInput {
        title: &d.title,
        url: crate::links::encode_path(&d.url),
        crumbs: site.sidebars.placements[i]
            .as_ref()
            .map(|p| p.categories.iter().map(|(label, _)| label.clone()).collect())
            .unwrap_or_default(),
        html,
    }
}

/// A [`PageInput`] that owns its text, to index on another thread (`serve`).
#[derive(Debug, Clone)]
pub struct OwnedPage {
    pub title: String,
    pub url: String,
    pub crumbs: Vec<String>,
    pub html: String,
}

impl OwnedPage {
    /// Copies of the site's indexed pages.
    pub fn from_site(site: &Site) -> Vec<OwnedPage> {
        page_inputs(site)
            .into_iter()
            .map(|p| OwnedPage { title: p.title.to_string(), url: p.url, crumbs: p.crumbs, html: p.html.to_string() })
            .collect()
    }

    /// Borrowed views for [`index_pages`].
    pub fn inputs(pages: &[OwnedPage]) -> Vec<PageInput<'_>> {
        pages
            .iter()
            .map(|p| PageInput { title: &p.title, url: p.url.clone(), crumbs: p.crumbs.clone(), html: &p.html })
            .collect()
    }
}

/// The index of `pages`, in this order, stemmed as English.
pub fn index_pages(pages: &[PageInput]) -> SearchFiles {
    index_pages_in(pages, "en")
}

/// The index of `pages`, in this order, stemmed for the language `lang`.
pub fn index_pages_in(pages: &[PageInput], lang: &str) -> SearchFiles {
    let mut builder = IndexBuilder::new(lang);
    let mut files = SearchFiles::new();
    let mut keep = |path: String, bytes: Vec<u8>| -> anyhow::Result<()> {
        files.insert(path, bytes);
        Ok(())
    };
    let indexed: Vec<IndexedPage> = pages.par_iter().map(|p| builder.page(p)).collect();
    // Collecting into memory cannot fail.
    let _ = indexed.into_iter().try_for_each(|p| builder.add(p, &mut keep));
    let _ = builder.finish(&mut keep);
    files
}

/// Where the index's files go as they are made: (path below the output folder, bytes).
pub type SearchSink<'a> = dyn FnMut(String, Vec<u8>) -> anyhow::Result<()> + 'a;

/// Builds an index page by page, so a build can index each page while it still has its HTML
/// and keep only the page's postings: [`IndexBuilder::page`] from many threads, then
/// [`IndexBuilder::add`] with the pages in order (page records leave in chunk files as soon as
/// a chunk is full), then [`IndexBuilder::finish`].
#[derive(Default)]
pub struct IndexBuilder {
    vocabulary: vocab::Vocabulary,
    inverted: index::Inverted,
    /// The chunk of page records being filled, and how many sections it holds.
    chunk: String,
    chunk_sections: usize,
    /// Sections per chunk written so far.
    chunk_sizes: Vec<usize>,
    /// Every file written so far, with a hash of its bytes, for the manifest's hash.
    written: Vec<(String, u64)>,
    /// The site's language's stemmer (English by default).
    stemmer: stem::SiteStemmer,
}

/// What the index takes of one page in [`IndexBuilder::add`].
pub struct IndexedPage {
    postings: index::PagePostings,
    /// The page's record for the `d/` chunks, as JSON.
    record: String,
    sections: usize,
}

impl IndexBuilder {
    /// A builder that stems for the language `lang` (`lang` in lectern.yml).
    pub fn new(lang: &str) -> IndexBuilder {
        IndexBuilder { stemmer: stem::SiteStemmer::new(lang), ..IndexBuilder::default() }
    }

    /// Reads one page's sections into postings and its record.
    pub fn page(&self, page: &PageInput) -> IndexedPage {
        let sections = extract::sections(page.html);
        IndexedPage {
            postings: index::page_postings(page.title, &sections, &self.vocabulary),
            record: page_record(page, &sections),
            sections: sections.len(),
        }
    }

    /// Takes in the next page, in page order; writes a chunk of records when one is full.
    pub fn add(&mut self, page: IndexedPage, sink: &mut SearchSink) -> anyhow::Result<()> {
        self.inverted.add(&page.postings);
        self.chunk.push(if self.chunk.is_empty() { '[' } else { ',' });
        self.chunk.push_str(&page.record);
        self.chunk_sections += page.sections;
        if self.chunk.len() >= CHUNK_TARGET_BYTES {
            self.write_chunk(sink)?;
        }
        Ok(())
    }

    fn write_chunk(&mut self, sink: &mut SearchSink) -> anyhow::Result<()> {
        let mut json = std::mem::take(&mut self.chunk);
        json.push(']');
        let path = chunk_path(self.chunk_sizes.len());
        self.chunk_sizes.push(std::mem::take(&mut self.chunk_sections));
        self.write(path, json.into_bytes(), sink)
    }

    fn write(&mut self, path: String, bytes: Vec<u8>, sink: &mut SearchSink) -> anyhow::Result<()> {
        self.written.push((path.clone(), crate::render::fnv1a([&bytes])));
        sink(path, bytes)
    }

    /// Takes in the next page's postings alone, in page order, for a build that makes the
    /// chunks of page records itself ([`chunk_layout`], [`IndexBuilder::finish_with_chunks`]).
    pub fn add_postings(&mut self, postings: &index::PagePostings) {
        self.inverted.add(postings);
    }

    /// The vocabulary's terms so far, to save with the pages' postings ([`saved`]).
    pub fn terms(&self) -> Vec<Vec<Box<str>>> {
        self.vocabulary.terms()
    }

    /// A builder whose vocabulary gives the terms of a saved index ([`saved::Saved::terms`])
    /// the ids its postings use. `None` when they do not fit ([`vocab::Vocabulary::from_terms`]).
    pub fn with_terms(lang: &str, terms: Vec<Vec<Box<str>>>) -> Option<IndexBuilder> {
        Some(IndexBuilder { vocabulary: vocab::Vocabulary::from_terms(terms)?, ..IndexBuilder::new(lang) })
    }

    /// Writes the rest: the last chunk, the inverted index's shards and the manifest. Returns
    /// the paths of every file of the index.
    pub fn finish(self, sink: &mut SearchSink) -> anyhow::Result<Vec<String>> {
        self.finish_keeping(sink, &mut |_| {})
    }

    /// [`IndexBuilder::finish`], handing `keep` the site's terms with every posting (before
    /// the shards keep only the strongest), to save for an incremental build ([`saved`]).
    pub fn finish_keeping(
        mut self,
        sink: &mut SearchSink,
        keep: &mut dyn FnMut(&[index::Term]),
    ) -> anyhow::Result<Vec<String>> {
        if !self.chunk.is_empty() {
            self.write_chunk(sink)?;
        }
        let inverted = std::mem::take(&mut self.inverted);
        let sections = inverted.sections();
        let terms = inverted.terms(std::mem::take(&mut self.vocabulary), &self.stemmer);
        keep(&terms);
        let written = std::mem::take(&mut self.written);
        write_index(&terms, sections, written, std::mem::take(&mut self.chunk_sizes), sink)
    }
}

/// Writes the shards of `terms` (every stem with every posting, in the browser's string order)
/// and the manifest of an index of `sections` sections whose chunks of page records, already
/// written, hold `chunk_sizes` sections each; `written` lists every file written so far with
/// its [`crate::render::fnv1a`] hash. Returns the paths of every file of the index.
pub fn write_index(
    terms: &[index::Term],
    sections: u32,
    mut written: Vec<(String, u64)>,
    chunk_sizes: Vec<usize>,
    sink: &mut SearchSink,
) -> anyhow::Result<Vec<String>> {
    let capped: Vec<std::borrow::Cow<index::Term>> = terms.par_iter().map(index::cap).collect();
    let shards = index::shards(capped.iter().map(|t| t.as_ref()));
    drop(capped);
    let mut spans = Vec::with_capacity(shards.len());
    for (n, shard) in shards.into_iter().enumerate() {
        spans.push([shard.first, shard.last]);
        let (path, bytes) = (format!("{INDEX_DIR}/t/{n}.json"), shard.json.into_bytes());
        written.push((path.clone(), crate::render::fnv1a([&bytes])));
        sink(path, bytes)?;
    }
    written.sort();
    let manifest = serde_json::json!({
        "version": FORMAT_VERSION,
        // Appended to file URLs so browsers never mix files of two builds.
        "hash": format!("{:016x}", crate::render::fnv1a(written.iter().map(|(path, hash)| format!("{path} {hash:016x}")))),
        "sections": sections,
        // [first, last] word of each shard: a query word is looked up in the shards it falls in.
        "shards": spans,
        "chunks": chunk_sizes,
    });
    let path = format!("{INDEX_DIR}/manifest.json");
    sink(path.clone(), manifest.to_string().into_bytes())?;
    let mut paths: Vec<String> = written.into_iter().map(|(p, _)| p).collect();
    paths.push(path);
    Ok(paths)
}

impl IndexedPage {
    /// The page's record for the `d/` chunks, as JSON.
    pub fn record(&self) -> &str {
        &self.record
    }

    /// Its sections.
    pub fn sections(&self) -> u32 {
        self.postings.sections
    }

    /// Its postings.
    pub fn postings(&self) -> &index::PagePostings {
        &self.postings
    }
}

/// The file of chunk `n` of page records.
pub fn chunk_path(n: usize) -> String {
    format!("{INDEX_DIR}/d/{n}.json")
}

/// A chunk file's bytes: its pages' records, in order.
pub fn chunk_json<'a>(records: impl IntoIterator<Item = &'a str>) -> String {
    let mut json = String::new();
    for record in records {
        json.push(if json.is_empty() { '[' } else { ',' });
        json.push_str(record);
    }
    json.push(']');
    json
}

/// The chunks [`IndexBuilder::add`] makes of pages whose records have these lengths in bytes
/// and these numbers of sections, in order: each chunk's pages (positions in `pages`) and
/// sections.
pub fn chunk_layout(pages: &[(usize, u32)]) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut out = Vec::new();
    let (mut start, mut bytes, mut sections) = (0, 0, 0);
    for (k, &(len, n)) in pages.iter().enumerate() {
        // `[` or `,` before each record.
        bytes += len + 1;
        sections += n as usize;
        if bytes >= CHUNK_TARGET_BYTES {
            out.push((start..k + 1, sections));
            (start, bytes, sections) = (k + 1, 0, 0);
        }
    }
    if start < pages.len() {
        out.push((start..pages.len(), sections));
    }
    out
}

fn page_record(page: &PageInput, sections: &[Section]) -> String {
    let sections: Vec<serde_json::Value> = sections
        .iter()
        .map(|s| {
            let text = if s.prose.is_empty() { &s.code } else { &s.prose };
            serde_json::json!([s.anchor, s.heading, truncate(text, EXCERPT_SOURCE_CHARS)])
        })
        .collect();
    serde_json::json!([page.title, page.url, page.crumbs, sections]).to_string()
}

/// At most `max` characters of `text`, cut at a word boundary when there is one.
fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => {
            let cut = &text[..end];
            cut.rfind(' ').map_or(cut, |space| &cut[..space])
        }
    }
}

#[cfg(test)]
mod tests;
