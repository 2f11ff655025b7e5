//! Rebuilding for `serve`: keeps the loaded site and its theme ([`Live`]) and the served files
//! other than pages, and applies a [`Plan`] through the same pipeline as `build` (`load_site`,
//! `reparse_doc`, `render_site`, `load_theme`), doing as little as the change allows.
//!
//! In: plans from the watcher. Out: the next [`Snapshot`], the [`Event`]s for open tabs, and the
//! search index's updates ([`SearchJob`]). A failed rebuild changes nothing that is served; it
//! only sets the error shown as an overlay. After a good rebuild the pages it touched are
//! checked ([`super::problems`]).
//!
//! What is held: the site as `build` loads it for writing ([`Mode::Disk`]: each page's facts,
//! not its HTML), the theme's and the site's other files (assets, sidebar fragments, 404,
//! sitemap, images), and nothing per page: pages are rendered when asked for ([`super::live`]).
//! An edited page is rendered at once, which checks that it renders and has it ready for the
//! reload; its HTML then goes into the page cache, and the site keeps only its facts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;

use crate::build::{self, BuildError, Mode, PageUpdate};
use crate::config::Overrides;
use crate::files::OutputFile;
use crate::pages::Pages;
use crate::site::{HtmlFacts, PageBody, Site};

use super::dependents::{Dependents, Keys};
use super::live::{Live, LiveState, release_memory};
use super::problems::{Gone, Problem, Problems, Scope};
use super::search::{SearchIndex, SearchJob};
use super::state::{ErrorReport, Event, Served, ServedFiles, Snapshot, served, served_files};
use super::watch::Plan;

/// What a rebuild touched, for the version map and the tabs.
enum Touched {
    /// Every page (a full load, navigation, templates).
    All,
    /// Only these output files.
    Files(Vec<String>),
    /// Only the theme's assets.
    Stylesheets,
}

/// The site as last built successfully, and whether the newest attempt failed.
pub struct Rebuilder {
    root: PathBuf,
    overrides: Overrides,
    live: Arc<Live>,
    search: Arc<SearchIndex>,
    /// Every served file but pages, the `llms` files' markers and the search index's files.
    files: Arc<ServedFiles>,
    error: Option<Arc<ErrorReport>>,
    /// Docs whose speech blocks the background thread should synthesise next.
    speech_docs: Vec<usize>,
    /// What the search index should take in next.
    search_jobs: Vec<SearchJob>,
    /// Pages rendered by the last rebuild, for the cache once its version is known.
    rendered: Vec<(String, Bytes)>,
    /// The site's broken links and the like, as last checked, and the list the tabs show.
    problems: Problems,
    problem_list: Arc<Vec<Problem>>,
    /// Pages rebuilt since the last check, and pages the last full load no longer has.
    unchecked: Option<Scope>,
    gone: Vec<Gone>,
    /// What the site's links are checked against, made at the first check after a full load or
    /// a change of navigation.
    targets: Option<crate::check::Targets>,
    /// Which pages link to which anchors, include which partials, have card lists.
    dependents: Dependents,
}

impl Rebuilder {
    /// Builds the site at `root` for the first time into `live`. A broken site is not an error
    /// here: the server starts anyway and shows what is wrong.
    pub fn start(root: &Path, overrides: Overrides, live: Arc<Live>, search: Arc<SearchIndex>) -> Rebuilder {
        let mut r = Rebuilder {
            root: root.to_path_buf(),
            overrides,
            live,
            search,
            files: Arc::new(ServedFiles::new()),
            error: None,
            speech_docs: Vec::new(),
            search_jobs: Vec::new(),
            rendered: Vec::new(),
            problems: Problems::default(),
            problem_list: Arc::new(Vec::new()),
            unchecked: None,
            gone: Vec::new(),
            targets: None,
            dependents: Dependents::default(),
        };
        if let Err(e) = r.load_outline() {
            // Loading everything reports every problem of the site at once.
            drop(e);
            r.apply(&Plan { site: true, ..Plan::default() });
        }
        r
    }

    /// Loads the site's outline ([`build::load_outline`]): enough to serve pages, each rendered
    /// from its Markdown read when asked for. The rebuild thread then loads every page
    /// ([`Rebuilder::outline`] says it must), and the server answers meanwhile.
    fn load_outline(&mut self) -> Result<(), BuildError> {
        let mut config = crate::config::load(&self.root, &self.overrides)?;
        config.speech.cache_only = true;
        let site = build::load_outline(config)?;
        let theme = build::load_theme(&site.config)?;
        // No first page to check the page template with: the outline holds no page's facts.
        let (files, _) = render_extras(&site, &theme, false)?;
        let pages = site.content.docs.iter().enumerate().map(|(i, d)| (d.output_file.clone(), i)).collect();
        let mut state = self.live.write();
        state.site = Some(site);
        state.theme = Some(theme);
        state.pages = pages;
        state.load += 1;
        state.outline = true;
        drop(state);
        self.files = Arc::new(files);
        self.record(Touched::All, false);
        Ok(())
    }

    /// Whether the site served is still the outline the server started with: the rebuild
    /// thread's first work is then to load every page.
    pub fn outline(&self) -> bool {
        self.live.read().outline
    }

    /// Checks the pages rebuilt since the last check (every page, the first time) and prints
    /// what changed; the event for the tabs when their list of problems changed. Called after
    /// the rebuilt site is published, so the check never delays a reload.
    pub fn check_problems(&mut self) -> Vec<Event> {
        if self.error.is_some() {
            return Vec::new();
        }
        let live = self.live.clone();
        let state = live.read();
        let (Some(site), Some(scope)) = (state.site.as_ref(), self.unchecked.take()) else { return Vec::new() };
        let targets = self.targets.get_or_insert_with(|| crate::check::Targets::new(site));
        let outcome = self.problems.check(site, targets, &scope, &std::mem::take(&mut self.gone));
        if scope == Scope::All {
            // Checking every page read every page's element ids once.
            release_memory();
        }
        eprint!("{}", outcome.text);
        match outcome.list {
            Some(list) => {
                self.problem_list = Arc::new(list);
                vec![Event::Problems(self.problem_list.clone())]
            }
            None => Vec::new(),
        }
    }

    /// What a batch of changed paths asks for.
    pub fn plan(&self, paths: &[PathBuf]) -> Plan {
        let state = self.live.read();
        let Some(site) = state.site.as_ref() else {
            // Never built: any file of the site may be the fix.
            return Plan { site: true, ..Default::default() };
        };
        let last = LastBuild { site, dependents: &self.dependents, failing: self.failing() };
        super::watch::classify(&site.config, paths, &last)
    }

    /// Whether the newest rebuild failed (the overlay is showing).
    pub fn failing(&self) -> bool {
        self.error.is_some()
    }

    /// The snapshot to serve now.
    pub fn snapshot(&self) -> Snapshot {
        let state = self.live.read();
        let (base_url, trailing_slash) = match state.site.as_ref().map(|s| &s.config) {
            Some(c) => (c.base_url.clone(), c.trailing_slash),
            None => ("/".to_string(), None),
        };
        Snapshot {
            files: self.files.clone(),
            search: Some(self.search.clone()),
            base_url,
            trailing_slash,
            version: state.version,
            changed: state.changed.clone(),
            all_changed: state.all_changed,
            error: self.error.clone(),
            problems: self.problem_list.clone(),
            outline: state.outline,
        }
    }

    /// Carries out `plan`; returns what to tell the tabs (nothing when nothing was done).
    pub fn apply(&mut self, plan: &Plan) -> Vec<Event> {
        let started = Instant::now();
        let was_failing = self.error.is_some();
        let completing = self.outline();
        let never_built = self.live.read().site.is_none();
        // After a failure only a full load knows whether every error is gone.
        let plan = if was_failing || never_built { &Plan { site: true, ..plan.clone() } } else { plan };
        self.rendered.clear();
        match self.rebuild(plan) {
            Ok(touched) => {
                if was_failing {
                    eprintln!("the site builds again; the error overlay is cleared");
                }
                self.error = None;
                let what = match &touched {
                    _ if completing => "every page after the start".to_string(),
                    Touched::All => "every page".to_string(),
                    Touched::Files(f) if f.len() == 1 => f[0].clone(),
                    Touched::Files(f) => format!("{} files", f.len()),
                    Touched::Stylesheets => "stylesheets".to_string(),
                };
                let events = self.record(touched, was_failing);
                if let Some(site) = &self.live.read().site {
                    // Unknown components are reported per page with the other problems.
                    for w in site.warnings.iter().filter(|w| !super::problems::is_unknown_component(w)) {
                        eprint!("{w}");
                    }
                }
                eprintln!("rebuilt {what} in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
                events
            }
            Err(e) => {
                self.rendered.clear();
                if completing {
                    // As a start that failed: every page is the error page until a fix.
                    self.forget_site();
                }
                let text = e.to_string();
                eprint!("{text}");
                if !text.ends_with('\n') {
                    eprintln!();
                }
                let report = Arc::new(ErrorReport::from_build_error(&e));
                self.error = Some(report.clone());
                eprintln!("the preview keeps the last good site until this is fixed");
                vec![Event::Error(report)]
            }
        }
    }

    /// Bumps the version and notes what changed in it; the pages the rebuild rendered go into
    /// the cache as of that version.
    fn record(&mut self, touched: Touched, was_failing: bool) -> Vec<Event> {
        let mut state = self.live.write();
        state.version += 1;
        let version = state.version;
        let mut events = Vec::new();
        if was_failing {
            events.push(Event::Clear);
        }
        events.push(match touched {
            Touched::Files(files) if files.is_empty() => return events,
            Touched::All => {
                state.all_changed = version;
                state.changed.clear();
                Event::Reload { all: true, files: Arc::new(Vec::new()) }
            }
            Touched::Files(files) => {
                for f in &files {
                    state.changed.insert(f.clone(), version);
                }
                Event::Reload { all: false, files: Arc::new(files) }
            }
            Touched::Stylesheets => Event::Stylesheets,
        });
        drop(state);
        for (file, body) in std::mem::take(&mut self.rendered) {
            self.live.keep(&file, version, body);
        }
        events
    }

    fn rebuild(&mut self, plan: &Plan) -> Result<Touched, BuildError> {
        if plan.site {
            return self.load_all();
        }
        if plan.theme {
            let live = self.live.clone();
            let mut state = live.write();
            let site = state.site.as_ref().ok_or_else(|| anyhow::anyhow!("the site has not been loaded"))?;
            let theme = build::load_theme(&site.config)?;
            let (files, first) = render_extras(site, &theme, true)?;
            state.theme = Some(theme);
            drop(state);
            self.files = Arc::new(files);
            self.rendered.extend(first);
            self.live.forget_pages();
            return Ok(Touched::All);
        }
        // Stylesheets first: pages carry them, so pages rendered after are rendered with the new ones.
        if plan.stylesheets {
            self.swap_stylesheets()?;
        }
        let mut touched = Touched::Files(Vec::new());
        if !plan.pages.is_empty() {
            touched = self.reparse(plan)?;
        }
        if plan.stylesheets && matches!(&touched, Touched::Files(f) if f.is_empty()) {
            touched = Touched::Stylesheets;
        }
        Ok(touched)
    }

    /// Loads and parses everything, as `build` does, and renders every file but the pages
    /// (which are rendered when asked for) into memory. Speech audio comes from the cache only:
    /// synthesis never holds up the preview (see [`super::speech`]).
    fn load_all(&mut self) -> Result<Touched, BuildError> {
        let mut config = crate::config::load(&self.root, &self.overrides)?;
        config.speech.cache_only = true;
        let site = build::load_site(config, Mode::Disk)?;
        let theme = build::load_theme(&site.config)?;
        let (files, first) = render_extras(&site, &theme, true)?;
        let pages: HashMap<String, usize> =
            site.content.docs.iter().enumerate().map(|(i, d)| (d.output_file.clone(), i)).collect();
        let docs = site.content.docs.len();
        let mut state = self.live.write();
        // After the outline, only what a tab may have seen of it matters.
        let from_outline = match state.site.as_ref().filter(|_| state.outline) {
            Some(outline) if same_navigation(outline, &site) => {
                let pages: Vec<usize> =
                    self.live.take_from_outline().iter().filter_map(|f| pages.get(f).copied()).collect();
                Some(self.outline_changes(&site, &theme, &files, &pages))
            }
            _ => None,
        };
        state.outline = false;
        if let Some(old) = &state.site {
            let urls: std::collections::HashSet<&str> = site.content.docs.iter().map(|d| d.url.as_str()).collect();
            self.gone = old
                .content
                .docs
                .iter()
                .filter(|d| !urls.contains(d.url.as_str()))
                .map(|d| Gone { path: crate::diagnostic::display_path(&d.display_path), url: d.url.clone() })
                .collect();
        }
        self.dependents = Dependents::new(&site.pages);
        self.targets = None;
        let old = (state.site.replace(site), state.theme.replace(theme));
        state.pages = pages;
        state.load += 1;
        let load = state.load;
        drop(state);
        drop(old);
        let touched = match from_outline {
            Some((changed, rendered)) => {
                self.rendered.extend(rendered);
                Touched::Files(changed)
            }
            None => {
                self.live.forget_pages();
                Touched::All
            }
        };
        self.files = Arc::new(files);
        self.rendered.extend(first);
        to_check(&mut self.unchecked, Scope::All);
        self.speech_docs = (0..docs).collect();
        self.search_jobs = vec![SearchJob::Full { load }];
        release_memory();
        Ok(touched)
    }

    /// What differs between the outline as served and the whole `site` (whose navigation is the
    /// same): its files other than pages, and the `pages` rendered from the outline, rendered
    /// again now. Returns the changed files and the pages as rendered now, for the cache.
    fn outline_changes(
        &self,
        site: &Site,
        theme: &crate::render::Theme,
        files: &ServedFiles,
        pages: &[usize],
    ) -> (Vec<String>, Vec<(String, Bytes)>) {
        let same = |a: &Served, b: &Served| match (a, b) {
            (Served::Bytes(a), Served::Bytes(b)) => a == b,
            (Served::Copy(a), Served::Copy(b)) => a == b,
            (Served::Page, Served::Page) | (Served::Llms, Served::Llms) => true,
            _ => false,
        };
        // Files the outline lacked were never served: requests for them waited for this load.
        let mut changed: Vec<String> = self
            .files
            .iter()
            .filter(|(path, was)| files.get(path.as_str()).is_none_or(|now| !same(was, now)))
            .map(|(path, _)| path.clone())
            .collect();
        let mut rendered = Vec::new();
        if pages.len() > OUTLINE_PAGES_COMPARED {
            changed.extend(pages.iter().map(|&i| site.content.docs[i].output_file.clone()));
            return (changed, rendered);
        }
        match build::render_site(site, theme, Some(script()), Pages::Only(pages)) {
            Ok(now) => {
                for (path, page) in now {
                    let OutputFile::Bytes(html) = page else { continue };
                    let body = Bytes::from(html);
                    if self.live.cached_body(&path).as_ref() != Some(&body) {
                        changed.push(path.clone());
                    }
                    rendered.push((path, body));
                }
            }
            // An error shows when the page is asked for again.
            Err(_) => changed.extend(pages.iter().map(|&i| site.content.docs[i].output_file.clone())),
        }
        (changed, rendered)
    }

    /// Forgets the site: every page is the error page until a load succeeds.
    fn forget_site(&mut self) {
        let mut state = self.live.write();
        state.site = None;
        state.theme = None;
        state.pages.clear();
        state.outline = false;
        drop(state);
        self.files = Arc::new(ServedFiles::new());
        self.live.forget_pages();
    }

    /// The synthesis the last rebuild calls for: its pages that have speech blocks.
    pub fn take_speech_job(&mut self) -> Option<super::speech::SpeechJob> {
        let docs = std::mem::take(&mut self.speech_docs);
        let state = self.live.read();
        let site = state.site.as_ref()?;
        if site.config.speech.prerender == crate::speech::Prerender::Never {
            return None;
        }
        let with_speech: Vec<usize> = docs.into_iter().filter(|&i| site.speech.has_players(i)).collect();
        if with_speech.is_empty() || self.error.is_some() {
            return None;
        }
        let mut config = site.config.clone();
        config.speech.cache_only = false;
        Some(super::speech::SpeechJob { config, load: state.load, docs: with_speech })
    }

    /// What the search index should take in since the last call.
    pub fn take_search_jobs(&mut self) -> Vec<SearchJob> {
        if self.error.is_some() {
            return Vec::new();
        }
        std::mem::take(&mut self.search_jobs)
    }

    /// Background synthesis filled the cache: runs the speech stage again (cache only) over the
    /// pages with speech blocks, and notes the pages whose players changed.
    pub fn refresh_speech(&mut self) -> Vec<Event> {
        let live = self.live.clone();
        let (speech, load) = {
            let state = live.read();
            let Some(site) = state.site.as_ref() else { return Vec::new() };
            let with_blocks: Vec<usize> =
                (0..site.pages.len()).filter(|&i| site.pages[i].markdown.speech_blocks > 0).collect();
            (with_blocks, state.load)
        };
        let mut html = Vec::new();
        if !super::live::markdown_html(&live, load, &speech, false, |_, pages| html.extend(pages)) {
            return Vec::new();
        }
        let mut state = live.write();
        let Some(site) = state.site.as_mut() else { return Vec::new() };
        let mut pages = vec![String::new(); site.content.docs.len()];
        for (i, h) in html {
            pages[i] = h;
        }
        let titles: Vec<&str> = site.content.docs.iter().map(|d| d.title.as_str()).collect();
        let html: Vec<&str> = pages.iter().map(String::as_str).collect();
        let speech = match crate::speech::run(&site.config, &titles, &html) {
            Ok(speech) => speech,
            Err(e) => {
                eprintln!("warning: speech: {e:#}");
                return Vec::new();
            }
        };
        let changed: Vec<String> = (0..site.content.docs.len())
            .filter(|&i| speech.players.get(i) != site.speech.players.get(i))
            .map(|i| site.content.docs[i].output_file.clone())
            .collect();
        site.speech = speech;
        if changed.is_empty() {
            return Vec::new();
        }
        let files = Arc::make_mut(&mut self.files);
        for (rel, file) in &site.speech.files {
            files.insert(rel.clone(), served(file.clone()));
        }
        drop(state);
        self.record(Touched::Files(changed), false)
    }

    /// Parses the edited pages alone and renders them; every page is rendered anew (when asked
    /// for) when navigation changed.
    fn reparse(&mut self, plan: &Plan) -> Result<Touched, BuildError> {
        let live = self.live.clone();
        let mut state = live.write();
        let load = state.load;
        let LiveState { site, theme, .. } = &mut *state;
        let site = site.as_mut().ok_or_else(|| anyhow::anyhow!("the site has not been loaded"))?;
        let mut navigation = false;
        let mut indices = Vec::new();
        // Headings (element ids) the edits took away: links to them from other pages broke.
        let mut removed_ids = std::collections::HashSet::new();
        // Audio and images the edited pages now use that are not served yet.
        let mut new_files = Vec::new();
        for source in &plan.pages {
            let before =
                site.links.doc(source).map(|i| (element_ids(&site.pages[i].body), Keys::of(&site.pages[i].markdown)));
            let Some(reparsed) = build::reparse_doc(site, source)? else {
                drop(state);
                return self.load_all();
            };
            let i = reparsed.doc;
            navigation |= reparsed.update == PageUpdate::Navigation;
            if !indices.contains(&i) {
                indices.push(i);
            }
            if let Some((ids_before, keys)) = before {
                let now = element_ids(&site.pages[i].body);
                removed_ids.extend(ids_before.into_iter().filter(|id| !now.contains(id)));
                self.dependents.replace(i, &keys, &site.pages[i].markdown);
            }
            new_files.extend(
                reparsed
                    .files
                    .into_iter()
                    .filter(|(rel, _)| !self.files.contains_key(rel.as_str()))
                    .map(|(rel, file)| (rel, served(file))),
            );
        }
        if navigation {
            // Labels, places and generated pages may have moved.
            self.targets = None;
        }
        // Card lists show the titles and descriptions of the pages of their category: those
        // that show an edited page (every one, when navigation changed) are filled again.
        let cards: Vec<usize> = self
            .dependents
            .card_pages()
            .filter(|&p| navigation || indices.iter().any(|&i| crate::cards::lists_doc(&site.sidebars, p, i)))
            .collect();
        for i in build::refill_card_lists(site, cards) {
            if !indices.contains(&i) {
                indices.push(i);
            }
        }
        let theme = theme.as_ref().ok_or_else(|| anyhow::anyhow!("the theme has not been loaded"))?;
        let mut check: std::collections::BTreeSet<usize> = indices.iter().copied().collect();
        if !removed_ids.is_empty() {
            check.extend(self.dependents.linking_to(&removed_ids));
        }
        // Rendered now: an error shows at once, and the reload finds the page ready.
        let rendered = build::render_site(site, theme, Some(script()), Pages::Only(&indices))?;
        // The index reads each edited page's HTML; then the site keeps only its facts.
        let mut terms = Vec::new();
        for &i in &indices {
            let PageBody::Html(html) = &site.pages[i].body else { continue };
            if crate::search::is_indexed(&site.content.docs[i]) {
                terms.push((i, crate::search::live::page_terms(&crate::search::page_input(site, i, html))));
            }
            if !site.pages[i].markdown.card_lists.is_empty() {
                // Its cards are filled in again when a page they describe changes.
                continue;
            }
            let facts = HtmlFacts { hash: crate::site::html_hash(html), ids: crate::html::element_ids(html) };
            site.pages[i].body = PageBody::Facts(facts);
        }
        drop(state);
        if !new_files.is_empty() {
            Arc::make_mut(&mut self.files).extend(new_files);
        }
        to_check(&mut self.unchecked, Scope::Pages(check));
        self.speech_docs.extend(&indices);
        if !terms.is_empty() {
            self.search_jobs.push(SearchJob::Pages { load, pages: terms });
        }
        let mut changed = Vec::new();
        for (path, page) in rendered {
            if let OutputFile::Bytes(html) = page {
                self.rendered.push((path.clone(), Bytes::from(html)));
            }
            changed.push(path);
        }
        if navigation {
            // Every page shows the sidebar, breadcrumbs or neighbours that changed.
            self.live.forget_pages();
            return Ok(Touched::All);
        }
        Ok(Touched::Files(changed))
    }

    /// Loads the theme again for a changed stylesheet. Pages carry their stylesheets, so cached
    /// pages are dropped (rendered again when asked for) and the other files rendered again; open
    /// tabs swap the stylesheets in place (`livereload.js`) instead of reloading.
    fn swap_stylesheets(&mut self) -> Result<(), BuildError> {
        let live = self.live.clone();
        let mut state = live.write();
        let site = state.site.as_ref().ok_or_else(|| anyhow::anyhow!("the site has not been loaded"))?;
        let theme = build::load_theme(&site.config)?;
        let (files, first) = render_extras(site, &theme, true)?;
        state.theme = Some(theme);
        drop(state);
        self.files = Arc::new(files);
        self.rendered.extend(first);
        self.live.forget_pages();
        Ok(())
    }
}

/// What the last good build knows of the site's files, for the watcher.
struct LastBuild<'s> {
    site: &'s Site,
    dependents: &'s Dependents,
    /// While the overlay shows, anything may be the fix: a file that came and went too.
    failing: bool,
}

impl super::watch::Known for LastBuild<'_> {
    fn knows(&self, source: &str) -> bool {
        self.failing || knows(self.site, source)
    }

    /// The pages of the last good build (by source) whose Markdown includes the file `path`.
    fn includers(&self, path: &Path) -> Vec<String> {
        let docs = &self.site.content.docs;
        self.dependents.includers(path).into_iter().filter_map(|i| Some(docs.get(i)?.source.clone())).collect()
    }
}

/// Whether `source` (relative to docs_dir) is a page or asset of the site, or a folder holding
/// one (a folder moved away is reported by its own path only).
fn knows(site: &Site, source: &str) -> bool {
    if site.links.doc(source).is_some() || site.links.is_asset(source) {
        return true;
    }
    let sources =
        site.content.docs.iter().map(|d| d.source.as_str()).chain(site.content.assets.iter().map(String::as_str));
    sources.into_iter().any(|known| super::watch::is_or_holds(source, known))
}

/// The element ids of a page's markdown-stage HTML.
fn element_ids(body: &PageBody) -> std::collections::HashSet<String> {
    match body {
        PageBody::Html(html) => crate::html::element_ids(html),
        PageBody::Facts(facts) => facts.ids.clone(),
    }
}

/// How many pages rendered from the outline are rendered again and compared once every page is
/// loaded; past that, they are all reloaded.
const OUTLINE_PAGES_COMPARED: usize = 64;

/// Whether the sidebars, breadcrumbs and neighbours of every page are the same in `a` and `b`:
/// the same pages at the same URLs with the same titles and the same sidebars.
fn same_navigation(a: &Site, b: &Site) -> bool {
    fn key(d: &crate::content::Doc) -> (&str, &str, &str) {
        (&d.source, &d.url, &d.title)
    }
    a.content.docs.len() == b.content.docs.len()
        && a.content.docs.iter().map(key).eq(b.content.docs.iter().map(key))
        && a.sidebars == b.sidebars
}

/// Every file of the site but its pages, with markers for the pages and the `llms` files
/// (made when asked for); and with `first`, the first page, rendered to check the theme's page
/// template.
fn render_extras(
    site: &Site,
    theme: &crate::render::Theme,
    first: bool,
) -> Result<(ServedFiles, Vec<(String, Bytes)>), BuildError> {
    let mut files = served_files(crate::pages::render_extras(site, theme, Some(script()))?);
    // As in a build, where pages are written first and the first file written at a path wins.
    if site.config.llms_txt {
        for name in ["llms.txt", "llms-full.txt"] {
            files.insert(name.to_string(), Served::Llms);
        }
    }
    for doc in &site.content.docs {
        files.insert(doc.output_file.clone(), Served::Page);
    }
    let mut rendered = Vec::new();
    if first && !site.content.docs.is_empty() {
        for (path, page) in build::render_site(site, theme, Some(script()), Pages::Only(&[0]))? {
            if let OutputFile::Bytes(html) = page {
                rendered.push((path, Bytes::from(html)));
            }
        }
    }
    Ok((files, rendered))
}

/// Adds `scope` to the pages to check after this rebuild.
fn to_check(unchecked: &mut Option<Scope>, scope: Scope) {
    *unchecked = Some(match unchecked.take() {
        Some(before) => before.merge(scope),
        None => scope,
    });
}

/// The live-reload script tag every page carries.
pub fn script() -> String {
    super::livereload::script_tag()
}
