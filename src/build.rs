//! The build pipeline: config → content → markdown → sidebar → render, shared by `build`,
//! `routes`, `check` and `serve`.
//!
//! In: a site root and overrides. Out: a [`Site`] (everything loaded and parsed) and, from
//! [`render_site`], the list of files of the built site, in memory. Writing them is `output`'s job.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
    /// Set when the markdown stage's HTML was dropped once read (a build loaded with
    /// [`load_site_for_build`]): per doc, what later stages need of it. `rendered[i].html` is then
    /// empty and [`write_site`] renders each page's markdown again as it writes it.
    pub html_facts: Option<Vec<HtmlFacts>>,
}

/// What a build keeps of a page's markdown-stage HTML once it has dropped the HTML itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlFacts {
    /// [`crate::fingerprint::html_hash`] of the HTML.
    pub hash: u64,
    /// Every element id in it, for the anchor check.
    pub ids: HashSet<String>,
}

/// Wall time per pipeline stage, in the order they run. `highlight` is the time spent in code
/// highlighting summed over threads (part of `markdown` in `serve` and `check`, of `render` in `build`).
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
    /// Peak resident memory (MiB) when each stage ended, in order: which stage raised the peak.
    #[serde(skip)]
    pub peak_rss: Vec<(&'static str, f64)>,
}

impl Timings {
    /// Notes the process's peak resident memory so far as of the end of `stage`.
    pub fn mark_peak(&mut self, stage: &'static str) {
        if let Some(mib) = peak_rss_mib() {
            self.peak_rss.push((stage, mib));
        }
    }
}

/// The process's peak resident set size in MiB (Linux `VmHWM`); `None` elsewhere.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
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
    load_site_timed(root, overrides, false, true)
}

/// As [`load_site`], but speech uses cached audio only and synthesises nothing: for `check` and
/// `routes`, which write no audio and must not wait for it.
pub fn load_site_cached(root: &Path, overrides: &Overrides) -> Result<Site, BuildError> {
    load_site_timed(root, overrides, true, true)
}

/// As [`load_site`], for `lectern build`: each page's HTML is read for what later stages need
/// ([`Site::html_facts`]) and dropped, so memory does not grow with every page's HTML;
/// [`write_site`] renders pages again one at a time as it writes them.
pub fn load_site_for_build(root: &Path, overrides: &Overrides) -> Result<Site, BuildError> {
    load_site_timed(root, overrides, false, false)
}

/// As [`load_site_for_build`], for a config already loaded.
pub fn load_site_for_build_with(config: Config) -> Result<Site, BuildError> {
    let started = std::time::Instant::now();
    let mut site = load(config, false)?;
    site.timings.load += ms_since(started) - site.timings.markdown - site.timings.sidebar - site.timings.speech;
    Ok(site)
}

fn load_site_timed(
    root: &Path,
    overrides: &Overrides,
    speech_cache_only: bool,
    keep_html: bool,
) -> Result<Site, BuildError> {
    let started = std::time::Instant::now();
    let mut config = config::load(root, overrides)?;
    config.speech.cache_only |= speech_cache_only;
    let mut site = load(config, keep_html)?;
    site.timings.load += ms_since(started) - site.timings.markdown - site.timings.sidebar - site.timings.speech;
    Ok(site)
}

/// As [`load_site`], for a config already loaded.
pub fn load_site_with(config: Config) -> Result<Site, BuildError> {
    load(config, true)
}

/// The title a page shows: its front matter's, else its leading H1's, else its file name.
fn page_title(doc: &content::Doc, r: &Rendered) -> String {
    if doc.title.is_empty() { r.title.clone().unwrap_or_else(|| doc.base_id.clone()) } else { doc.title.clone() }
}

/// Loads the site; `keep_html: false` keeps [`HtmlFacts`] and the speech blocks of each page
/// instead of its HTML.
fn load(config: Config, keep_html: bool) -> Result<Site, BuildError> {
    let mut timings = Timings::default();
    let mut content = content::load(&config).map_err(BuildError::Content)?;
    timings.mark_peak("load");
    let statics = content::walk_static(&config);
    let resolver_index = crate::links::Index::new(&config, &content, &statics);
    let started = std::time::Instant::now();
    let highlight_before = markdown::highlight_time();
    let whole_page = config.speech.whole_page;
    type Kept = (HtmlFacts, Vec<crate::speech::Block>);
    let pages: Vec<(Rendered, Option<Kept>)> = content
        .docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| {
            // Without its HTML kept, this pass needs only the page's facts: code is highlighted
            // when the page is written, and only if it is.
            let mut r = render_markdown(&resolver_index, doc, keep_html);
            if keep_html {
                return (r, None);
            }
            let title = page_title(doc, &r);
            let facts =
                HtmlFacts { hash: crate::fingerprint::html_hash(&r.html), ids: crate::check::element_ids(&r.html) };
            let mut blocks = crate::speech::page_blocks(i, &title, &r.html, whole_page);
            for block in &mut blocks {
                block.set_source(facts.hash, &title);
            }
            r.html = String::new();
            (r, Some((facts, blocks)))
        })
        .collect();
    let (rendered, kept): (Vec<Rendered>, Vec<_>) = pages.into_iter().unzip();
    let (html_facts, blocks): (Vec<HtmlFacts>, Vec<Vec<crate::speech::Block>>) = kept.into_iter().flatten().unzip();
    timings.markdown = ms_since(started);
    timings.highlight = (markdown::highlight_time() - highlight_before).as_secs_f64() * 1000.0;
    timings.mark_peak("markdown");
    let copies = resolver_index.copies(&content, &rendered);
    drop(resolver_index);

    let mut errors = Vec::new();
    let mut warnings = std::mem::take(&mut content.warnings);
    let mut components = BTreeMap::new();
    let mut languages = BTreeMap::new();
    for (doc, r) in content.docs.iter_mut().zip(&rendered) {
        doc.title = page_title(doc, r);
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
    let speech = if keep_html {
        let html: Vec<&str> = rendered.iter().map(|r| r.html.as_str()).collect();
        crate::speech::run(&config, &titles, &html)?
    } else {
        crate::speech::run_on_blocks(&config, &titles, blocks)?
    };
    timings.speech = ms_since(started);
    timings.mark_peak("speech");
    warnings.extend(speech.warnings.iter().cloned());
    let git_dates = content::git_dates(&config, &content.docs);
    let html_facts = (!keep_html).then_some(html_facts);
    Ok(Site { config, content, rendered, sidebars, copies, git_dates, warnings, timings, speech, html_facts })
}

/// The markdown stage for one page, with links resolved against `index`.
fn render_markdown(index: &crate::links::Index, doc: &content::Doc, highlight: bool) -> Rendered {
    let opts = MarkdownOptions {
        toc_min_level: doc.front.toc_min_heading_level.unwrap_or(2),
        toc_max_level: doc.front.toc_max_heading_level.unwrap_or(3),
        highlight,
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
    let rendered = render_markdown(&index, &doc, true);
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
    /// A file of lectern's own cache that never changes once made (named by a hash of what it
    /// holds, such as a block's audio): hard-linked into the output where it can be, as copying
    /// megabytes of audio into every fresh output folder costs more than the rest of the build.
    Cached(PathBuf),
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
///
/// Incremental: a page whose fingerprint ([`crate::fingerprint`]) matches the previous build's
/// record is not rendered again but hard-linked from the previous output, and so is the search
/// index when its inputs are unchanged.
pub fn write_site(site: &mut Site, theme: &crate::render::Theme, out: &Path) -> Result<Reused, BuildError> {
    let staging = crate::output::Staging::begin(out)?;
    let previous = crate::output::BuildRecord::load(&site.config, out);
    let t = std::time::Instant::now();
    let docs = &site.content.docs;
    let html_hashes: Vec<u64> = match &site.html_facts {
        Some(facts) => facts.iter().map(|f| f.hash).collect(),
        None => site.rendered.par_iter().map(|r| crate::fingerprint::html_hash(&r.html)).collect(),
    };
    let fingerprints = crate::fingerprint::pages(site, theme, &html_hashes);
    let indexed = crate::search::indexed_docs(site);
    let search_fingerprint = crate::fingerprint::search(site, &indexed, &html_hashes);
    let search_kept = previous.current_search(out, search_fingerprint);
    let mut wanted_for_search = vec![false; docs.len()];
    if search_kept.is_none() {
        for &i in &indexed {
            wanted_for_search[i] = true;
        }
    }
    let links = site
        .html_facts
        .is_some()
        .then(|| crate::links::Index::new(&site.config, &site.content, &content::walk_static(&site.config)));
    let site_view = crate::pages::site_view(site, None);
    let mut search = crate::search::IndexBuilder::default();
    let mut to_staging =
        |path: String, bytes: Vec<u8>| -> anyhow::Result<()> { staging.write(&path, &OutputFile::Bytes(bytes)) };
    let highlight_before = markdown::highlight_time();
    let mut record = crate::output::BuildRecord::default();
    let mut reused = Reused { pages: 0, search: search_kept.is_some() };
    // In batches in page order: pages render in parallel within a batch, and their search
    // records go to the index in order, so none wait in memory for the whole site.
    for batch in (0..docs.len()).collect::<Vec<_>>().chunks(PAGE_BATCH) {
        // Made per batch: it borrows the index builder, which then takes the batch's records.
        let pass = PagePass {
            site,
            theme,
            site_view: &site_view,
            links: links.as_ref(),
            previous: &previous,
            staging: &staging,
            out,
            search: &search,
        };
        let pages: Vec<WrittenPage> = batch
            .par_iter()
            .map(|&i| pass.write(i, fingerprints[i], wanted_for_search[i]))
            .collect::<anyhow::Result<_>>()?;
        for (&i, page) in batch.iter().zip(pages) {
            record.pages.insert(docs[i].output_file.clone(), (fingerprints[i], page.size));
            reused.pages += usize::from(page.kept);
            if let Some(indexed) = page.indexed {
                search.add(indexed, &mut to_staging)?;
            }
        }
    }
    crate::pages::render_extras_to(site, theme, &site_view, &|rel, file| staging.write(rel, &file))?;
    site.timings.render = ms_since(t);
    site.timings.highlight += (markdown::highlight_time() - highlight_before).as_secs_f64() * 1000.0;
    site.timings.mark_peak("render");

    let t = std::time::Instant::now();
    let search_files = match search_kept {
        Some(files) => {
            for f in files {
                if !staging.keep_previous(f)? {
                    return Err(anyhow::anyhow!("the previous build's {f} vanished while building").into());
                }
            }
            files.to_vec()
        }
        None => {
            let files = search.finish(&mut to_staging)?;
            site.timings.search = ms_since(t);
            site.timings.mark_peak("search");
            files
        }
    };
    record.search = Some((search_fingerprint, search_files));
    crate::output::BuildRecord::forget(&site.config, out);
    staging.finish()?;
    record.save(&site.config, out);
    crate::output::save_highlight_cache(&site.config, reused.pages == 0);
    site.timings.write = ms_since(t) - site.timings.search;
    site.timings.mark_peak("write");
    Ok(reused)
}

/// Pages rendered in parallel before their search records go to the index, in page order.
const PAGE_BATCH: usize = 256;

/// What writing one page needs: [`write_site`]'s pass over the pages.
struct PagePass<'a> {
    site: &'a Site,
    theme: &'a crate::render::Theme,
    site_view: &'a crate::render::SiteView,
    /// Set when the site's HTML was dropped: each page's markdown is rendered again.
    links: Option<&'a crate::links::Index<'a>>,
    previous: &'a crate::output::BuildRecord,
    staging: &'a crate::output::Staging,
    out: &'a Path,
    search: &'a crate::search::IndexBuilder,
}

/// One page of [`write_site`]'s pass.
struct WrittenPage {
    /// Its search record, when the index is built again.
    indexed: Option<crate::search::IndexedPage>,
    /// The size of its file.
    size: u64,
    /// Whether the file was kept from the previous build.
    kept: bool,
}

impl PagePass<'_> {
    /// Keeps doc `i`'s file from the previous build when its `fingerprint` is unchanged, else
    /// renders and writes it; reads it for the search index when `for_search`.
    fn write(&self, i: usize, fingerprint: u64, for_search: bool) -> anyhow::Result<WrittenPage> {
        let doc = &self.site.content.docs[i];
        let rel = &doc.output_file;
        let kept = match self.previous.current_page(self.out, rel, fingerprint) {
            Some(size) if self.staging.keep_previous(rel)? => Some(size),
            _ => None,
        };
        if let Some(size) = kept
            && !for_search
        {
            return Ok(WrittenPage { indexed: None, size, kept: true });
        }
        let html = match self.links {
            Some(links) => std::borrow::Cow::Owned(render_markdown(links, doc, true).html),
            None => std::borrow::Cow::Borrowed(self.site.rendered[i].html.as_str()),
        };
        let size = match kept {
            Some(size) => size,
            None => {
                let page = crate::pages::render_doc(self.site, self.theme, self.site_view, i, &html)?.into_bytes();
                let size = page.len() as u64;
                self.staging.write(rel, &OutputFile::Bytes(page))?;
                size
            }
        };
        let indexed = for_search.then(|| self.search.page(&crate::search::page_input(self.site, i, &html)));
        Ok(WrittenPage { indexed, size, kept: kept.is_some() })
    }
}

/// What [`write_site`] took unchanged from the previous build instead of rendering it again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reused {
    /// Pages hard-linked from the previous build.
    pub pages: usize,
    /// Whether the search index was.
    pub search: bool,
}

impl std::fmt::Display for Reused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let search = if self.search { " and the search index" } else { "" };
        write!(
            f,
            "{} unchanged page{}{search} kept from the last build",
            self.pages,
            if self.pages == 1 { "" } else { "s" }
        )
    }
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
