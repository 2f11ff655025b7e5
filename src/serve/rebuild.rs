//! Rebuilding for `serve`: keeps the loaded site, its theme and the served files, and applies a
//! [`Plan`] through the same pipeline as `build` (`load_site`, `reparse_doc`, `render_site`,
//! `render_pages`, `load_theme`), doing as little as the change allows.
//!
//! In: plans from the watcher. Out: the next [`Snapshot`] and the [`Event`]s for open tabs. A
//! failed rebuild changes nothing that is served; it only sets the error shown as an overlay.
//! After a good rebuild the pages it touched are checked ([`super::problems`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::build::{self, BuildError, Mode, PageUpdate};
use crate::config::{Config, Overrides};
use crate::files::OutputFile;
use crate::pages::Pages;
use crate::render::Theme;
use crate::site::Site;

use super::problems::{Gone, Problem, Problems, Scope};
use super::state::{ErrorReport, Event, ServedFiles, Snapshot, served, served_files};
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
    site: Option<Site>,
    theme: Option<Theme>,
    files: ServedFiles,
    version: u64,
    changed: HashMap<String, u64>,
    all_changed: u64,
    error: Option<Arc<ErrorReport>>,
    /// Docs whose speech blocks the background thread should synthesise next.
    speech_docs: Vec<usize>,
    /// The site's broken links and the like, as last checked, and the list the tabs show.
    problems: Problems,
    problem_list: Arc<Vec<Problem>>,
    /// Pages rebuilt since the last check, and pages the last full load no longer has.
    unchecked: Option<Scope>,
    gone: Vec<Gone>,
}

impl Rebuilder {
    /// Builds the site at `root` for the first time. A broken site is not an error here: the
    /// server starts anyway and shows what is wrong.
    pub fn start(root: &Path, overrides: Overrides) -> Rebuilder {
        let mut r = Rebuilder {
            root: root.to_path_buf(),
            overrides,
            site: None,
            theme: None,
            files: ServedFiles::new(),
            version: 0,
            changed: HashMap::new(),
            all_changed: 0,
            error: None,
            speech_docs: Vec::new(),
            problems: Problems::default(),
            problem_list: Arc::new(Vec::new()),
            unchecked: None,
            gone: Vec::new(),
        };
        let plan = Plan { site: true, ..Plan::default() };
        r.apply(&plan);
        r
    }

    /// Checks the pages rebuilt since the last check (every page, the first time) and prints
    /// what changed; the event for the tabs when their list of problems changed. Called after
    /// the rebuilt site is published, so the check never delays a reload.
    pub fn check_problems(&mut self) -> Vec<Event> {
        if self.error.is_some() {
            return Vec::new();
        }
        let (Some(site), Some(scope)) = (self.site.as_ref(), self.unchecked.take()) else { return Vec::new() };
        let outcome = self.problems.check(site, &scope, &std::mem::take(&mut self.gone));
        eprint!("{}", outcome.text);
        match outcome.list {
            Some(list) => {
                self.problem_list = Arc::new(list);
                vec![Event::Problems(self.problem_list.clone())]
            }
            None => Vec::new(),
        }
    }

    /// The loaded config, when the site has built once.
    pub fn config(&self) -> Option<&Config> {
        self.site.as_ref().map(|s| &s.config)
    }

    /// Whether `source` (relative to docs_dir) is a page or asset of the last good build, or a
    /// folder holding one (a folder moved away is reported by its own path only).
    pub fn knows(&self, source: &str) -> bool {
        self.site.as_ref().is_some_and(|s| {
            let sources =
                s.content.docs.iter().map(|d| d.source.as_str()).chain(s.content.assets.iter().map(String::as_str));
            sources.into_iter().any(|known| super::watch::is_or_holds(source, known))
        })
    }

    /// The pages of the last good build (by source) whose Markdown includes the file `path`.
    pub fn includers(&self, path: &Path) -> Vec<String> {
        let Some(site) = &self.site else { return Vec::new() };
        site.pages
            .iter()
            .zip(&site.content.docs)
            .filter(|(p, _)| p.markdown.includes.iter().any(|f| f == path))
            .map(|(_, d)| d.source.clone())
            .collect()
    }

    /// Whether the newest rebuild failed (the overlay is showing).
    pub fn failing(&self) -> bool {
        self.error.is_some()
    }

    /// The snapshot to serve now.
    pub fn snapshot(&self) -> Snapshot {
        let (base_url, trailing_slash) = match self.config() {
            Some(c) => (c.base_url.clone(), c.trailing_slash),
            None => ("/".to_string(), None),
        };
        Snapshot {
            files: self.files.clone(),
            base_url,
            trailing_slash,
            version: self.version,
            changed: self.changed.clone(),
            all_changed: self.all_changed,
            error: self.error.clone(),
            problems: self.problem_list.clone(),
        }
    }

    /// Carries out `plan`; returns what to tell the tabs (nothing when nothing was done).
    pub fn apply(&mut self, plan: &Plan) -> Vec<Event> {
        let started = Instant::now();
        let was_failing = self.error.is_some();
        // After a failure only a full load knows whether every error is gone.
        let plan = if was_failing || self.site.is_none() { &Plan { site: true, ..plan.clone() } } else { plan };
        match self.rebuild(plan) {
            Ok(touched) => {
                if was_failing {
                    eprintln!("the site builds again; the error overlay is cleared");
                }
                self.error = None;
                let what = match &touched {
                    Touched::All => "every page".to_string(),
                    Touched::Files(f) if f.len() == 1 => f[0].clone(),
                    Touched::Files(f) => format!("{} files", f.len()),
                    Touched::Stylesheets => "stylesheets".to_string(),
                };
                let events = self.record(touched, was_failing);
                if let Some(site) = &self.site {
                    // Unknown components are reported per page with the other problems.
                    for w in site.warnings.iter().filter(|w| !super::problems::is_unknown_component(w)) {
                        eprint!("{w}");
                    }
                }
                eprintln!("rebuilt {what} in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
                events
            }
            Err(e) => {
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

    /// Bumps the version and notes what changed in it.
    fn record(&mut self, touched: Touched, was_failing: bool) -> Vec<Event> {
        self.version += 1;
        let mut events = Vec::new();
        if was_failing {
            events.push(Event::Clear);
        }
        events.push(match touched {
            Touched::All => {
                self.all_changed = self.version;
                self.changed.clear();
                Event::Reload { all: true, files: Arc::new(Vec::new()) }
            }
            Touched::Files(files) => {
                for f in &files {
                    self.changed.insert(f.clone(), self.version);
                }
                Event::Reload { all: false, files: Arc::new(files) }
            }
            Touched::Stylesheets => Event::Stylesheets,
        });
        events
    }

    fn rebuild(&mut self, plan: &Plan) -> Result<Touched, BuildError> {
        if plan.site {
            return self.load_all();
        }
        if plan.theme {
            let site = self.site.as_ref().ok_or_else(|| anyhow::anyhow!("the site has not been loaded"))?;
            let theme = build::load_theme(&site.config)?;
            self.files = keeping_search(&self.files, build::render_site(site, &theme, Some(script()), Pages::All)?);
            self.theme = Some(theme);
            return Ok(Touched::All);
        }
        let mut touched = Touched::Files(Vec::new());
        if !plan.pages.is_empty() {
            touched = self.reparse(plan)?;
        }
        if plan.stylesheets {
            self.swap_stylesheets()?;
            if matches!(&touched, Touched::Files(f) if f.is_empty()) {
                touched = Touched::Stylesheets;
            }
        }
        Ok(touched)
    }

    /// Loads, parses and renders everything, as `build` does, into memory. Speech audio comes
    /// from the cache only: synthesis never holds up the preview (see [`super::speech`]).
    fn load_all(&mut self) -> Result<Touched, BuildError> {
        let mut config = crate::config::load(&self.root, &self.overrides)?;
        config.speech.cache_only = true;
        let site = build::load_site(config, Mode::Memory)?;
        let theme = build::load_theme(&site.config)?;
        let files = build::render_site(&site, &theme, Some(script()), Pages::All)?;
        self.files = keeping_search(&self.files, files);
        if let Some(old) = &self.site {
            let urls: std::collections::HashSet<&str> = site.content.docs.iter().map(|d| d.url.as_str()).collect();
            self.gone = old
                .content
                .docs
                .iter()
                .filter(|d| !urls.contains(d.url.as_str()))
                .map(|d| Gone { path: crate::diagnostic::display_path(&d.display_path), url: d.url.clone() })
                .collect();
        }
        to_check(&mut self.unchecked, Scope::All);
        self.speech_docs = (0..site.content.docs.len()).collect();
        self.site = Some(site);
        self.theme = Some(theme);
        Ok(Touched::All)
    }

    /// The index the last rebuild calls for; `None` while the site is broken or unloaded.
    pub fn take_search_job(&mut self) -> Option<super::search::SearchJob> {
        let site = self.site.as_ref().filter(|_| self.error.is_none())?;
        Some(super::search::SearchJob {
            generation: self.version,
            pages: crate::search::OwnedPage::from_site(site),
            lang: site.config.lang.clone(),
        })
    }

    /// Serves the index made for rebuild `generation`, unless the site changed since. The
    /// previous index stays until then: it is consistent, only a little behind.
    pub fn install_search(&mut self, generation: u64, files: crate::search::SearchFiles) -> bool {
        if generation != self.version {
            return false;
        }
        self.files.retain(|path, _| !path.starts_with("search/"));
        for (path, bytes) in files {
            self.files.insert(path, served(OutputFile::Bytes(bytes)));
        }
        true
    }

    /// The synthesis the last rebuild calls for: its pages that have speech blocks.
    pub fn take_speech_job(&mut self) -> Option<super::speech::SpeechJob> {
        let docs = std::mem::take(&mut self.speech_docs);
        let site = self.site.as_ref()?;
        let with_speech: Vec<usize> = docs.into_iter().filter(|&i| site.speech.has_players(i)).collect();
        if with_speech.is_empty() || self.error.is_some() {
            return None;
        }
        let mut config = site.config.clone();
        config.speech.cache_only = false;
        Some(super::speech::SpeechJob {
            config,
            titles: with_speech.iter().map(|&i| site.content.docs[i].title.clone()).collect(),
            html: with_speech.iter().map(|&i| site.pages[i].body.html().unwrap_or_default().to_string()).collect(),
        })
    }

    /// Background synthesis filled the cache: runs the speech stage again (cache only) and
    /// re-renders the pages whose players changed.
    pub fn refresh_speech(&mut self) -> Vec<Event> {
        let Some(site) = self.site.as_mut() else { return Vec::new() };
        let titles: Vec<&str> = site.content.docs.iter().map(|d| d.title.as_str()).collect();
        let html: Vec<&str> = site.pages.iter().map(|p| p.body.html().unwrap_or_default()).collect();
        let speech = match crate::speech::run(&site.config, &titles, &html) {
            Ok(speech) => speech,
            Err(e) => {
                eprintln!("warning: speech: {e:#}");
                return Vec::new();
            }
        };
        let changed: Vec<usize> =
            (0..site.content.docs.len()).filter(|&i| speech.players.get(i) != site.speech.players.get(i)).collect();
        site.speech = speech;
        if changed.is_empty() {
            return Vec::new();
        }
        let Some(theme) = self.theme.as_ref() else { return Vec::new() };
        match build::render_site(site, theme, Some(script()), Pages::Only(&changed)) {
            Ok(pages) => {
                for (rel, file) in &site.speech.files {
                    self.files.insert(rel.clone(), served(file.clone()));
                }
                let mut files = Vec::new();
                for (path, page) in pages {
                    self.files.insert(path.clone(), served(page));
                    files.push(path);
                }
                self.record(Touched::Files(files), false)
            }
            Err(e) => {
                eprintln!("warning: rendering pages with new speech audio: {e}");
                Vec::new()
            }
        }
    }

    /// Parses the edited pages alone; re-renders them, or every page when navigation changed.
    fn reparse(&mut self, plan: &Plan) -> Result<Touched, BuildError> {
        let site = self.site.as_mut().ok_or_else(|| anyhow::anyhow!("the site has not been loaded"))?;
        let mut navigation = false;
        let mut indices = Vec::new();
        // Headings (element ids) the edits took away: links to them from other pages broke.
        let mut removed_ids = std::collections::HashSet::new();
        for source in &plan.pages {
            let ids_before = site
                .content
                .docs
                .iter()
                .position(|d| &d.source == source)
                .and_then(|i| site.pages[i].body.html().map(crate::html::element_ids));
            match build::reparse_doc(site, source)? {
                None => return self.load_all(),
                Some(PageUpdate::Navigation) => navigation = true,
                Some(PageUpdate::Body) => {}
            }
            if let Some(i) = site.content.docs.iter().position(|d| &d.source == source) {
                indices.push(i);
                if let (Some(before), Some(html)) = (ids_before, site.pages[i].body.html()) {
                    let now = crate::html::element_ids(html);
                    removed_ids.extend(before.into_iter().filter(|id| !now.contains(id)));
                }
            }
        }
        // Card lists on other pages show the edited pages' titles and descriptions.
        for i in build::refill_card_lists(site) {
            if !indices.contains(&i) {
                indices.push(i);
            }
        }
        let theme = self.theme.as_ref().ok_or_else(|| anyhow::anyhow!("the theme has not been loaded"))?;
        let mut check: std::collections::BTreeSet<usize> = indices.iter().copied().collect();
        if !removed_ids.is_empty() {
            check.extend(super::problems::linking_to_anchors(site, &removed_ids));
        }
        to_check(&mut self.unchecked, Scope::Pages(check));
        if navigation {
            self.files = keeping_search(&self.files, build::render_site(site, theme, Some(script()), Pages::All)?);
            self.speech_docs.extend(&indices);
            return Ok(Touched::All);
        }
        for (rel, file) in &site.speech.files {
            self.files.insert(rel.clone(), served(file.clone()));
        }
        self.speech_docs.extend(&indices);
        let mut changed = Vec::new();
        for (path, page) in build::render_site(site, theme, Some(script()), Pages::Only(&indices))? {
            self.files.insert(path.clone(), served(page));
            changed.push(path);
        }
        Ok(Touched::Files(changed))
    }

    /// Loads the theme again and replaces only its assets; pages keep their HTML.
    fn swap_stylesheets(&mut self) -> Result<(), BuildError> {
        let site = self.site.as_ref().ok_or_else(|| anyhow::anyhow!("the site has not been loaded"))?;
        let theme = build::load_theme(&site.config)?;
        for (name, bytes) in theme.assets(&crate::markdown::highlight_css()) {
            self.files.insert(format!("assets/{name}"), served(OutputFile::Bytes(bytes)));
        }
        self.theme = Some(theme);
        Ok(())
    }
}

/// The files of a new render, with the search index of the files served so far: the index is
/// made in the background (see [`super::search`]) and the last good one serves until the next is
/// installed, so search never answers 404 while a burst of saves keeps the site rebuilding.
fn keeping_search(served: &ServedFiles, files: crate::files::SiteFiles) -> ServedFiles {
    let mut next = served_files(files);
    for (path, file) in served {
        if path.starts_with("search/") {
            next.entry(path.clone()).or_insert_with(|| file.clone());
        }
    }
    next
}

/// Adds `scope` to the pages to check after this rebuild.
fn to_check(unchecked: &mut Option<Scope>, scope: Scope) {
    *unchecked = Some(match unchecked.take() {
        Some(before) => before.merge(scope),
        None => scope,
    });
}

fn script() -> String {
    super::livereload::script_tag()
}
