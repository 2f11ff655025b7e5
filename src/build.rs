//! The build pipeline: config → content → markdown → sidebar → render, shared by `build`,
//! `routes`, `check` and `serve`.
//!
//! In: a site root and overrides. Out: a [`Site`] (everything loaded and parsed) and, from
//! [`render_site`], the list of files of the built site, in memory. Writing them is `output`'s job.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config, Overrides};
use crate::content::{self, Content};
use crate::diagnostic::Diagnostic;
use crate::links::Resolver;
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::sidebar::{self, Sidebars};

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Mistakes in the user's files, printed like a compiler (exit code 1).
    Content(Vec<Diagnostic>),
    /// Anything else, with the path in its message (exit code 2).
    Other(anyhow::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Content(ds) => write!(f, "{}", crate::Diagnostics(ds.clone())),
            BuildError::Other(e) => write!(f, "error: {e:#}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<anyhow::Error> for BuildError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<crate::Diagnostics>() {
            Ok(ds) => BuildError::Content(ds.0),
            Err(e) => match e.downcast::<Diagnostic>() {
                Ok(d) => BuildError::Content(vec![d]),
                Err(e) => BuildError::Other(e),
            },
        }
    }
}

/// A loaded site: every page parsed and placed, ready to render.
pub struct Site {
    pub config: Config,
    pub content: Content,
    /// Per doc, the markdown stage's result.
    pub rendered: Vec<Rendered>,
    pub sidebars: Sidebars,
    /// Files to copy into the output, by path relative to the output folder.
    pub copies: BTreeMap<String, PathBuf>,
    /// Per doc, the date of its last git commit (seconds since 1970), when in git.
    pub git_dates: Vec<Option<i64>>,
    /// Warnings to print; errors fail [`load_site`] instead.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, for benchmarks.
    pub timings: Timings,
    /// The speech stage's players and audio files.
    pub speech: crate::speech::SiteSpeech,
}

/// Wall time per pipeline stage, in the order they run. `highlight` is the time spent in code
/// highlighting summed over threads (it is part of `markdown`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    pub load: f64,
    pub markdown: f64,
    pub highlight: f64,
    pub sidebar: f64,
    pub speech: f64,
    pub check: f64,
    pub render: f64,
    pub search: f64,
    pub write: f64,
}

/// Milliseconds since `t`.
pub fn ms_since(t: std::time::Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

impl From<config::ConfigError> for BuildError {
    fn from(e: config::ConfigError) -> Self {
        match e {
            config::ConfigError::Invalid(d) => BuildError::Content(vec![d]),
            config::ConfigError::Io(e) => BuildError::Other(e),
        }
    }
}

/// Loads, parses and places every page of the site at `root`.
pub fn load_site(root: &Path, overrides: &Overrides) -> Result<Site, BuildError> {
    load_site_timed(root, overrides, false)
}

/// As [`load_site`], but speech uses cached audio only and synthesises nothing: for `check` and
/// `routes`, which write no audio and must not wait for it.
pub fn load_site_cached(root: &Path, overrides: &Overrides) -> Result<Site, BuildError> {
    load_site_timed(root, overrides, true)
}

fn load_site_timed(root: &Path, overrides: &Overrides, speech_cache_only: bool) -> Result<Site, BuildError> {
    let started = std::time::Instant::now();
    let mut config = config::load(root, overrides)?;
    config.speech.cache_only |= speech_cache_only;
    let mut site = load_site_with(config)?;
    site.timings.load += ms_since(started) - site.timings.markdown - site.timings.sidebar - site.timings.speech;
    Ok(site)
}

/// As [`load_site`], for a config already loaded.
pub fn load_site_with(config: Config) -> Result<Site, BuildError> {
    let mut timings = Timings::default();
    let mut content = content::load(&config).map_err(BuildError::Content)?;
    let statics = content::walk_static(&config);
    let resolver_index = crate::links::Index::new(&config, &content, &statics);
    let started = std::time::Instant::now();
    let highlight_before = markdown::highlight_time();
    let rendered: Vec<Rendered> = content.docs.par_iter().map(|doc| render_markdown(&resolver_index, doc)).collect();
    timings.markdown = ms_since(started);
    timings.highlight = (markdown::highlight_time() - highlight_before).as_secs_f64() * 1000.0;
    let copies = resolver_index.copies(&content, &rendered);
    drop(resolver_index);

    let mut errors = Vec::new();
    let mut warnings = std::mem::take(&mut content.warnings);
    let mut components = BTreeMap::new();
    let mut languages = BTreeMap::new();
    for (doc, r) in content.docs.iter_mut().zip(&rendered) {
        if doc.title.is_empty() {
            doc.title = r.title.clone().unwrap_or_else(|| doc.base_id.clone());
        }
        for d in &r.diagnostics {
            if d.is_error() { errors.push(d.clone()) } else { warnings.push(d.clone()) }
        }
        for c in &r.components {
            components.entry(c.clone()).or_insert_with(|| doc.display_path.clone());
        }
        for l in &r.unknown_languages {
            languages.entry(l.clone()).or_insert_with(|| doc.display_path.clone());
        }
    }
    // Once per name per build, pointing at the first page that uses it.
    for (name, path) in components {
        warnings.push(
            Diagnostic::warning(
                path,
                0,
                0,
                format!("component <{name}> is not known; its content is shown without it"),
            )
            .with_help("lectern understands <TextToSpeech>; other components keep their children only"),
        );
    }
    for (lang, path) in languages {
        warnings.push(
            Diagnostic::warning(path, 0, 0, format!("code language `{lang}` is not known; shown as plain text"))
                .with_help("use a language name such as `csharp`, `yaml`, `bash`, `json`, or leave it out"),
        );
    }
    let started = std::time::Instant::now();
    let (sidebars, problems) = sidebar::build_sidebars(&content.docs, &content.categories, &config);
    timings.sidebar = ms_since(started);
    errors.extend(problems);
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    let started = std::time::Instant::now();
    let titles: Vec<&str> = content.docs.iter().map(|d| d.title.as_str()).collect();
    let html: Vec<&str> = rendered.iter().map(|r| r.html.as_str()).collect();
    let speech = crate::speech::run(&config, &titles, &html)?;
    timings.speech = ms_since(started);
    warnings.extend(speech.warnings.iter().cloned());
    let git_dates = content::git_dates(&config, &content.docs);
    Ok(Site { config, content, rendered, sidebars, copies, git_dates, warnings, timings, speech })
}

/// The markdown stage for one page, with links resolved against `index`.
fn render_markdown(index: &crate::links::Index, doc: &content::Doc) -> Rendered {
    let opts = MarkdownOptions {
        toc_min_level: doc.front.toc_min_heading_level.unwrap_or(2),
        toc_max_level: doc.front.toc_max_heading_level.unwrap_or(3),
    };
    let resolver = Resolver::new(index, doc);
    markdown::render(doc.body(), &doc.display_path, doc.body_line_offset, &opts, &resolver)
}

/// What re-reading one page changed (for `serve`'s incremental rebuilds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageUpdate {
    /// Only the page's own HTML: re-render it alone.
    Body,
    /// Its title, label or place in the sidebar: every page shows those, re-render them all.
    Navigation,
}

/// Reads and parses the page at `source` (relative to docs_dir) again, alone, into `site`.
///
/// `Ok(None)` when the page is gone or its id, URL, draft or unlisted state changed: other pages'
/// links and the sitemap depend on those, so the caller loads the whole site again. On an error
/// `site` is left as it was.
pub fn reparse_doc(site: &mut Site, source: &str) -> Result<Option<PageUpdate>, BuildError> {
    let Some(i) = site.content.docs.iter().position(|d| d.source == source) else { return Ok(None) };
    let old = &site.content.docs[i];
    let mut doc = content::load_doc(&site.config, source, &old.file).map_err(|d| BuildError::Content(vec![d]))?;
    if route_key(&doc) != route_key(old) {
        return Ok(None);
    }
    let statics = content::walk_static(&site.config);
    let index = crate::links::Index::new(&site.config, &site.content, &statics);
    let rendered = render_markdown(&index, &doc);
    let errors: Vec<Diagnostic> = rendered.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    if doc.title.is_empty() {
        doc.title = rendered.title.clone().unwrap_or_else(|| doc.base_id.clone());
    }
    let speech = crate::speech::run(&site.config, &[doc.title.as_str()], &[rendered.html.as_str()])?;
    // Images the page now embeds; files it no longer uses stay servable until the next full load.
    let new_copies =
        index.copies(&Content { docs: vec![doc.clone()], ..Default::default() }, std::slice::from_ref(&rendered));
    let update = if nav_key(&doc) == nav_key(old) { PageUpdate::Body } else { PageUpdate::Navigation };
    drop(index);
    let previous = std::mem::replace(&mut site.content.docs[i], doc);
    if update == PageUpdate::Navigation {
        let (sidebars, problems) = sidebar::build_sidebars(&site.content.docs, &site.content.categories, &site.config);
        if !problems.is_empty() {
            site.content.docs[i] = previous;
            return Err(BuildError::Content(problems));
        }
        site.sidebars = sidebars;
    }
    site.warnings = rendered.diagnostics.clone();
    site.rendered[i] = rendered;
    site.speech.update_page(i, speech);
    site.copies.extend(new_copies);
    Ok(Some(update))
}

/// What other pages' links, the sitemap and the output paths depend on.
fn route_key(d: &content::Doc) -> (&str, &str, &str, &str, Option<bool>, Option<bool>) {
    (&d.id, &d.slug, &d.url, &d.output_file, d.front.draft, d.front.unlisted)
}

/// What the sidebar, breadcrumbs and previous/next links of other pages show of a page.
fn nav_key(d: &content::Doc) -> impl PartialEq + '_ {
    let f = &d.front;
    (
        &d.title,
        (&f.sidebar_label, f.sidebar_position, &f.sidebar_class_name, &f.sidebar_custom_props),
        (&f.displayed_sidebar, &f.pagination_label),
    )
}

/// Renders the pages `docs` (indices into `site.content.docs`) alone: (output path, HTML).
pub fn render_pages(
    site: &Site,
    theme: &crate::render::Theme,
    live_reload: Option<String>,
    docs: &[usize],
) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    crate::pages::render_pages(site, theme, live_reload, docs).map_err(BuildError::from)
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputFile {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied from the source tree.
    Copy(PathBuf),
}

/// The whole built site, by path relative to the output folder (`/` separators).
pub type SiteFiles = BTreeMap<String, OutputFile>;

/// A route of the site, for `lectern routes`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Route {
    pub source: String,
    pub url: String,
    pub title: String,
    pub sidebar: String,
    pub label: String,
    pub categories: Vec<String>,
}

/// What `lectern routes` needs: every page with its title, and the sidebars.
pub struct RouteSite {
    pub config: Config,
    pub content: Content,
    pub sidebars: Sidebars,
}

/// Loads pages and sidebars without rendering them: titles come from front matter or the
/// page's leading H1 ([`markdown::leading_title`]), which is all routing needs.
pub fn load_routes(root: &Path, overrides: &Overrides) -> Result<RouteSite, BuildError> {
    let config = config::load(root, overrides)?;
    let mut content = content::load(&config).map_err(BuildError::Content)?;
    content.docs.par_iter_mut().filter(|d| d.title.is_empty()).for_each(|d| {
        d.title = markdown::leading_title(d.body()).unwrap_or_else(|| d.base_id.clone());
    });
    let (sidebars, problems) = sidebar::build_sidebars(&content.docs, &content.categories, &config);
    if !problems.is_empty() {
        return Err(BuildError::Content(problems));
    }
    Ok(RouteSite { config, content, sidebars })
}

/// Every page: sidebar pages in sidebar order first, then the rest by source path.
pub fn routes(content: &Content, sidebars: &Sidebars) -> Vec<Route> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let route = |i: usize| {
        let d = &content.docs[i];
        let placement = sidebars.placements[i].as_ref();
        Route {
            source: d.source.clone(),
            url: d.url.clone(),
            title: d.title.clone(),
            sidebar: placement.map(|p| sidebars.sidebars[p.sidebar].id.clone()).unwrap_or_default(),
            label: placement
                .map(|p| p.label.clone())
                .unwrap_or_else(|| d.front.sidebar_label.clone().unwrap_or_else(|| d.title.clone())),
            categories: placement.map(|p| p.categories.iter().map(|(l, _)| l.clone()).collect()).unwrap_or_default(),
        }
    };
    for order in &sidebars.order {
        for stop in order {
            if let sidebar::Stop::Doc(i) = stop
                && seen.insert(*i)
            {
                out.push(route(*i));
            }
        }
    }
    for i in 0..content.docs.len() {
        if seen.insert(i) {
            out.push(route(i));
        }
    }
    out
}

/// Renders every page of the site with the theme. `live_reload` is the script `serve` injects.
pub fn render_site(
    site: &Site,
    theme: &crate::render::Theme,
    live_reload: Option<String>,
) -> Result<SiteFiles, BuildError> {
    crate::pages::render_all(site, theme, live_reload).map_err(BuildError::from)
}

/// Renders the site and its search index straight into a new output folder and swaps it in
/// for `out`; pages are written as they are rendered, so they are never all in memory. On any
/// error the previous output stays as it was.
pub fn write_site(site: &mut Site, theme: &crate::render::Theme, out: &Path) -> Result<(), BuildError> {
    let staging = crate::output::Staging::begin(out)?;
    let t = std::time::Instant::now();
    crate::pages::render_all_to(site, theme, None, &|rel, file| staging.write(rel, &file))?;
    site.timings.render = ms_since(t);
    let t = std::time::Instant::now();
    let index = crate::search::build_index(site);
    site.timings.search = ms_since(t);
    let t = std::time::Instant::now();
    index.into_par_iter().try_for_each(|(rel, bytes)| staging.write(&rel, &OutputFile::Bytes(bytes)))?;
    staging.finish()?;
    crate::output::save_highlight_cache(&site.config);
    site.timings.write = ms_since(t);
    Ok(())
}

/// Loads the theme: the built-in one with the site's `theme/` folder over it.
pub fn load_theme(config: &Config) -> Result<crate::render::Theme, BuildError> {
    let dir = config.root.join("theme");
    crate::render::Theme::load(dir.is_dir().then_some(dir.as_path())).map_err(|e| match BuildError::from(e) {
        // Theme files print relative to the site root, like pages: `theme/page.html`.
        BuildError::Content(ds) => BuildError::Content(
            ds.into_iter()
                .map(|mut d| {
                    if let Ok(rel) = d.path.strip_prefix(&config.root) {
                        d.path = rel.to_path_buf();
                    }
                    d
                })
                .collect(),
        ),
        other => other,
    })
}

/// Docs by their source path, for link resolution.
pub fn docs_by_source(content: &Content) -> HashMap<&str, usize> {
    content.docs.iter().enumerate().map(|(i, d)| (d.source.as_str(), i)).collect()
}
