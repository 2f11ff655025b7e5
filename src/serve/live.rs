//! The site as the preview holds it: loaded once (content, sidebars, each page's markdown-stage
//! facts, not its HTML), and its pages rendered only when a tab asks for them.
//!
//! In: the site and theme the rebuild thread loads and changes (the only writer), with the
//! version of each change. Out: a page's HTML for a request, from the [`PageCache`] while it is
//! current, else rendered now from the site under a read lock (so a page is always made from
//! one whole version of the site); `llms.txt` and `llms-full.txt`, made when asked for; and the
//! markdown-stage HTML of pages for the search and speech threads, a batch at a time.
//!
//! A cached page is current while neither it nor every page ([`LiveState::all_changed`]) has
//! changed since the version it was rendered at.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Condvar, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use bytes::Bytes;
use rayon::prelude::*;

use crate::pages::Pages;
use crate::render::Theme;
use crate::site::Site;

use super::cache::{PAGE_CACHE_BYTES, PageCache};

/// What [`Live`] guards: the last good site, and what changed in it when.
#[derive(Default)]
pub struct LiveState {
    pub site: Option<Site>,
    pub theme: Option<Theme>,
    /// Counts full loads: doc numbers are those of load `load`.
    pub load: u64,
    /// Page files (below the output folder) and their docs.
    pub pages: HashMap<String, usize>,
    /// Counts successful rebuilds; pages carry the version they were rendered at.
    pub version: u64,
    /// Per output file, the version that last changed it.
    pub changed: HashMap<String, u64>,
    /// The version that last changed every page (navigation, theme, config, a full reload).
    pub all_changed: u64,
    /// Whether `site` is still the outline the server started with ([`crate::build::load_outline`]):
    /// its pages are then rendered from their Markdown read at the request.
    pub outline: bool,
}

impl LiveState {
    /// Whether the page at `file`, rendered at `version`, is still what the site shows.
    pub fn current(&self, file: &str, version: u64) -> bool {
        self.all_changed <= version && self.changed.get(file).is_none_or(|&v| v <= version)
    }
}

/// The shared site and its page cache.
pub struct Live {
    state: RwLock<LiveState>,
    cache: Mutex<PageCache>,
    /// Pages rendered from the outline, by output file: checked against the whole site once it
    /// is loaded.
    from_outline: Mutex<BTreeSet<String>>,
    /// Whether the first load of every page has ended (well or not); requests that need the
    /// whole site wait on `loaded_changed` until then.
    loaded: Mutex<bool>,
    loaded_changed: Condvar,
}

impl Default for Live {
    fn default() -> Self {
        Live::new(PAGE_CACHE_BYTES)
    }
}

/// How long a request waits for the whole site to load before it is answered from what there
/// is (a site whose pages take longer than this to read is very large, or the machine very busy).
pub const LOAD_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// A page or file made on demand (or an error that made it fail).
pub type Made = Result<Page, String>;

/// A page or file as [`Live`] gives it.
#[derive(Debug, Clone)]
pub struct Page {
    pub body: Bytes,
    /// The version of the site it was made from.
    pub version: u64,
    /// How long making it took; `None` when it came from the cache.
    pub took: Option<std::time::Duration>,
}

impl Live {
    /// Nothing loaded yet; pages are cached up to `cache_bytes`.
    pub fn new(cache_bytes: usize) -> Live {
        Live {
            state: RwLock::new(LiveState::default()),
            cache: Mutex::new(PageCache::new(cache_bytes)),
            from_outline: Mutex::new(BTreeSet::new()),
            loaded: Mutex::new(false),
            loaded_changed: Condvar::new(),
        }
    }

    /// Notes that the first load of every page has ended: requests waiting for it go on.
    pub fn set_loaded(&self) {
        *self.loaded.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.loaded_changed.notify_all();
    }

    /// Waits until the first load of every page has ended, for at most `limit`; whether it has.
    pub fn wait_loaded(&self, limit: std::time::Duration) -> bool {
        let loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        let (loaded, _) = self
            .loaded_changed
            .wait_timeout_while(loaded, limit, |loaded| !*loaded)
            .unwrap_or_else(PoisonError::into_inner);
        *loaded
    }

    /// The pages rendered from the outline so far (each once), forgetting them.
    pub fn take_from_outline(&self) -> BTreeSet<String> {
        std::mem::take(&mut *self.from_outline.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The cached body of the page at `file`, if any, whatever its version.
    pub fn cached_body(&self, file: &str) -> Option<Bytes> {
        self.cache().peek(file)
    }

    pub fn read(&self) -> RwLockReadGuard<'_, LiveState> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, LiveState> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, PageCache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps a page rendered at `version`.
    pub fn keep(&self, file: &str, version: u64, body: Bytes) {
        self.cache().insert(file, version, body);
    }

    /// Forgets every cached page (the site was loaded again: none is current).
    pub fn forget_pages(&self) {
        self.cache().clear();
    }

    /// (pages, bytes) in the cache.
    pub fn cached(&self) -> (usize, usize) {
        let cache = self.cache();
        (cache.len(), cache.bytes())
    }

    /// The page at output file `file`: cached, or rendered now. `None` when the site has no
    /// such page (any longer).
    pub fn page(&self, file: &str, live_reload: &str) -> Option<Made> {
        let state = self.read();
        let (Some(site), Some(theme)) = (state.site.as_ref(), state.theme.as_ref()) else { return None };
        let &doc = state.pages.get(file)?;
        if let Some(body) = self.cache().get(file, |v| state.current(file, v)) {
            return Some(Ok(Page { body, version: state.version, took: None }));
        }
        let started = std::time::Instant::now();
        let rendered = if state.outline {
            let links = crate::links::Index::with_table(&site.config, &site.content, &site.links);
            let markdown = crate::pages::page_markdown(&links, &site.content.docs[doc], true);
            if markdown.speech_blocks > 0 {
                // Its players are made with the site's speech: wait for the whole site.
                drop(state);
                self.wait_loaded(LOAD_WAIT);
                return self.page_after_load(file, live_reload);
            }
            let page = crate::pages::render_read_page(site, theme, Some(live_reload.to_string()), doc, &markdown);
            self.from_outline.lock().unwrap_or_else(PoisonError::into_inner).insert(file.to_string());
            page.map(String::into_bytes).map_err(|e| e.to_string())
        } else {
            let rendered = crate::build::render_site(site, theme, Some(live_reload.to_string()), Pages::Only(&[doc]));
            match rendered.map(|mut files| files.remove(file)) {
                Ok(Some(crate::files::OutputFile::Bytes(html))) => Ok(html),
                Ok(_) => Err(format!("rendering {file} made no page")),
                Err(e) => Err(e.to_string()),
            }
        };
        let made = rendered.map(|html| {
            let body = Bytes::from(html);
            // Kept under the read lock: no rebuild can come between the render and this.
            self.keep(file, state.version, body.clone());
            Page { body, version: state.version, took: Some(started.elapsed()) }
        });
        Some(made)
    }

    /// [`Live::page`] once the wait for the whole site is over: from the outline only if the
    /// wait gave up.
    fn page_after_load(&self, file: &str, live_reload: &str) -> Option<Made> {
        let still_outline = self.read().outline;
        if still_outline {
            return Some(Err(format!("{file}: the site's pages are still being read; try again")));
        }
        self.page(file, live_reload)
    }

    /// `llms.txt` or `llms-full.txt` of the current site.
    pub fn llms(&self, file: &str) -> Option<Made> {
        // Made from every page's Markdown facts.
        self.wait_loaded(LOAD_WAIT);
        let state = self.read();
        let site = state.site.as_ref()?;
        let started = std::time::Instant::now();
        let text = match file {
            "llms.txt" => crate::llms::index(site),
            "llms-full.txt" => crate::llms::full(site),
            _ => return None,
        };
        Some(Ok(Page { body: Bytes::from(text), version: state.version, took: Some(started.elapsed()) }))
    }
}

/// How many pages' HTML the search and speech threads make under one read lock: the rebuild
/// thread waits for at most one batch.
pub const BATCH: usize = 128;

/// Calls `each` with batches of `docs` (of site load `load`) and their markdown-stage HTML,
/// made in parallel under a read lock released between batches. False when the site was loaded
/// again meanwhile (the caller's work is for a site that is gone).
pub fn markdown_html(
    live: &Live,
    load: u64,
    docs: &[usize],
    highlight: bool,
    mut each: impl FnMut(&Site, Vec<(usize, String)>),
) -> bool {
    for batch in docs.chunks(BATCH) {
        let state = live.read();
        let Some(site) = state.site.as_ref().filter(|_| state.load == load) else { return false };
        let links = crate::links::Index::with_table(&site.config, &site.content, &site.links);
        let html: Vec<(usize, String)> = batch
            .par_iter()
            .filter(|&&i| i < site.content.docs.len())
            .map(|&i| (i, crate::pages::page_markdown(&links, &site.content.docs[i], highlight).html))
            .collect();
        each(site, html);
    }
    true
}

/// Gives memory the allocator keeps but no longer uses back to the system (glibc keeps freed
/// memory of big loads for later, which would count as the preview's forever).
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
