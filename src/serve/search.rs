//! Search while serving: a [`LiveIndex`] on a background thread, so no reload waits for it. A
//! full load of the site builds it again, a batch of pages at a time (each page's markdown is
//! rendered again for it: the preview keeps no page's HTML); an edit replaces the edited pages'
//! entries only. Requests read the index's files as it is now ([`SearchIndex::file`]); the
//! previous index serves until a new one is whole, so search never answers 404 while the site
//! rebuilds. The browser fetches the manifest without caching and adds its hash to every other
//! file's URL.
//!
//! In: [`SearchJob`]s from the rebuild thread. Out: the index behind [`SearchIndex`].

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};

use rayon::prelude::*;

use crate::search::live::{LiveIndex, PageTerms, page_terms, record};

use super::live::{Live, markdown_html, release_memory};

/// What the search thread is asked to do.
#[derive(Debug)]
pub enum SearchJob {
    /// Index every page of site load `load`.
    Full { load: u64 },
    /// These docs of site load `load` were edited: their new terms.
    Pages { load: u64, pages: Vec<(usize, PageTerms)> },
}

/// The index as served, shared by the search thread and requests.
#[derive(Default)]
pub struct SearchIndex {
    current: RwLock<Option<Current>>,
    /// Whether an index was ever whole; requests for its files wait on `built_changed` until then.
    built: Mutex<bool>,
    built_changed: Condvar,
}

struct Current {
    /// The site load it indexes.
    load: u64,
    index: LiveIndex,
    /// Per doc of that load, its place in the index (drafts and unlisted pages have none).
    slots: Vec<Option<usize>>,
    /// Per place in the index, its doc.
    docs: Vec<usize>,
}

impl SearchIndex {
    /// Whether an index was ever whole.
    pub fn is_built(&self) -> bool {
        *self.built.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until an index is whole, for at most `limit`; whether one is.
    pub fn wait_built(&self, limit: std::time::Duration) -> bool {
        let built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        let (built, _) =
            self.built_changed.wait_timeout_while(built, limit, |b| !*b).unwrap_or_else(PoisonError::into_inner);
        *built
    }

    fn set_built(&self) {
        *self.built.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.built_changed.notify_all();
    }

    /// Whether the index has a file at `path` (below the output folder).
    pub fn has(&self, path: &str) -> bool {
        self.current.read().unwrap_or_else(PoisonError::into_inner).as_ref().is_some_and(|c| c.index.has(path))
    }

    /// The file at `path`, made now. The index keeps no page records: a chunk of them is made
    /// from its pages' markdown, rendered again from `live`.
    pub fn file(&self, path: &str, live: &Live) -> Option<Vec<u8>> {
        let (load, pages) = {
            let guard = self.current.read().unwrap_or_else(PoisonError::into_inner);
            let current = guard.as_ref()?;
            if let Some(file) = current.index.file(path) {
                return Some(file);
            }
            let n: usize = path.strip_prefix("search/d/")?.strip_suffix(".json")?.parse().ok()?;
            let pages: Vec<(usize, u32)> =
                current.index.chunk(n)?.into_iter().map(|(slot, sections)| (current.docs[slot], sections)).collect();
            (current.load, pages)
        };
        let docs: Vec<usize> = pages.iter().map(|&(doc, _)| doc).collect();
        let mut records = Vec::new();
        let current = markdown_html(live, load, &docs, false, |site, html| {
            for ((i, html), &(_, sections)) in html.iter().zip(&pages[records.len()..]) {
                records.push(record(&crate::search::page_input(site, *i, html), sections));
            }
        });
        (current && records.len() == pages.len()).then(|| format!("[{}]", records.join(",")).into_bytes())
    }
}

/// Starts the indexing thread; returns where to send jobs.
pub fn start(live: Arc<Live>, index: Arc<SearchIndex>) -> Sender<SearchJob> {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new().name("lectern-search".into()).spawn(move || run(&rx, &live, &index));
    if let Err(e) = spawned {
        eprintln!("warning: no background search indexing ({e}); search is unavailable while serving");
    }
    tx
}

fn run(jobs: &Receiver<SearchJob>, live: &Live, served: &SearchIndex) {
    while let Ok(first) = jobs.recv() {
        let mut batch: Vec<SearchJob> = std::iter::once(first).chain(jobs.try_iter()).collect();
        // A full build reads the site as it is now: edits before the last one are in it.
        if let Some(last_full) = batch.iter().rposition(|j| matches!(j, SearchJob::Full { .. })) {
            batch.drain(..last_full);
        }
        for job in batch {
            match job {
                SearchJob::Full { load } => {
                    if let Some(current) = build(live, load) {
                        let old = served.current.write().unwrap_or_else(PoisonError::into_inner).replace(current);
                        served.set_built();
                        drop(old);
                        release_memory();
                    }
                }
                SearchJob::Pages { load, pages } => {
                    let mut guard = served.current.write().unwrap_or_else(PoisonError::into_inner);
                    let Some(current) = guard.as_mut().filter(|c| c.load == load) else { continue };
                    for (doc, terms) in pages {
                        if let Some(&Some(slot)) = current.slots.get(doc) {
                            current.index.update(slot, terms);
                        }
                    }
                }
            }
        }
    }
}

/// The index of every listed page of site load `load`; `None` when the site was loaded again
/// meanwhile (a job for the new load follows).
fn build(live: &Live, load: u64) -> Option<Current> {
    let (docs, lang, count) = {
        let state = live.read();
        let site = state.site.as_ref().filter(|_| state.load == load)?;
        (crate::search::indexed_docs(site), site.config.lang.clone(), site.content.docs.len())
    };
    let mut index = LiveIndex::without_records(&lang);
    // Code is not highlighted: the index reads the same text either way.
    let whole = markdown_html(live, load, &docs, false, |site, html| {
        let terms: Vec<PageTerms> =
            html.par_iter().map(|(i, html)| page_terms(&crate::search::page_input(site, *i, html))).collect();
        for t in terms {
            index.push(t);
        }
    });
    if !whole || index.pages() != docs.len() {
        return None;
    }
    index.finish();
    let mut slots = vec![None; count];
    for (slot, &doc) in docs.iter().enumerate() {
        slots[doc] = Some(slot);
    }
    Some(Current { load, index, slots, docs })
}

#[cfg(test)]
mod tests {
    use crate::search::extract::sections;

    /// The index reads pages rendered without highlighting; the build, highlighted ones.
    #[test]
    fn highlighting_changes_no_text_the_index_reads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("lectern.yml"), "title: T\ndocs_dir: docs\n").unwrap();
        let page = "# A\n\nSome `inline <code>` & text.\n\n## Code\n\n```rust\nfn main() { let x = \"<a>\" && 1 < 2; }\n```\n\n```yaml\nkey: 'value' # comment\n```\n\n```bash\necho \"$HOME\" | grep -v '&amp;'\n```\n";
        std::fs::write(dir.path().join("docs/a.md"), page).unwrap();
        let config = crate::config::load(dir.path(), &crate::config::Overrides::default()).unwrap();
        let content = crate::content::load(&config).unwrap();
        let links = crate::links::Index::new(&config, &content, &[]);
        let doc = &content.docs[0];
        let plain = crate::pages::page_markdown(&links, doc, false).html;
        let highlighted = crate::pages::page_markdown(&links, doc, true).html;
        assert_ne!(plain, highlighted, "the code is highlighted");
        assert_eq!(sections(&plain), sections(&highlighted));
    }
}
