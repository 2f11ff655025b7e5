//! The pipeline: drives the stages in order for `build`, `check`, `routes` and `serve`. It sits
//! on top: only `main.rs` and `serve/` import it, and no stage does (tests/layout.rs checks).
//!
//! In: a [`Config`] and a [`Mode`]. Out: a [`Site`] (everything loaded and parsed, [`load_site`]),
//! then its files: in memory ([`render_site`]) or in a new output folder ([`write_site`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::config::{self, Config, Overrides};
use crate::content::{self, Content};
use crate::diagnostic::Diagnostic;
use crate::files::{OutputFile, SiteFiles};
use crate::markdown::{self, Rendered};
use crate::pages::{self, Pages};
use crate::sidebar::{self, Sidebars};

pub mod incremental;
use crate::site::{self, HtmlFacts, Page, PageBody, Site, Timings, ms_since};

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

impl From<config::ConfigError> for BuildError {
    fn from(e: config::ConfigError) -> Self {
        match e {
            config::ConfigError::Invalid(d) => BuildError::Content(vec![d]),
            config::ConfigError::Io(e) => BuildError::Other(e),
        }
    }
}

/// The title speech announces: the front matter's, else the heading the page shows, else its id.
/// Read from the front matter, not `doc.title`, which holds the page's metadata title once the
/// site is loaded: an incremental build reads a page again after that.
fn spoken_title(doc: &content::Doc, r: &Rendered) -> String {
    match doc.front.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => title.to_string(),
        None => r.title.clone().unwrap_or_else(|| doc.base_id.clone()),
    }
}

/// The title of a page's metadata (sidebar, `<title>`, previous/next): its front matter's, else
/// the H1 its body starts with ([`markdown::leading_title`]), else its id, as Docusaurus names a
/// doc. The heading the page shows is the rendered one, which may differ.
fn page_title(doc: &content::Doc) -> String {
    if doc.title.is_empty() {
        markdown::leading_title(doc.body()).unwrap_or_else(|| doc.base_id.clone())
    } else {
        doc.title.clone()
    }
}

/// What a caller loads the site for. Whether speech may synthesise audio is the config's
/// `speech.cache_only`, which `check` and `serve` set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// For writing to disk (`lectern build`) and for `serve`: each page's HTML is read for what
    /// later stages need ([`PageBody::Facts`]) and dropped, so memory does not grow with every
    /// page's HTML; [`write_site`] (or `serve`, when a page is asked for) renders each page's
    /// markdown again.
    Disk,
    /// For `check` and tests: every page's HTML is kept ([`PageBody::Html`]).
    Memory,
}

/// Loads, parses and places every page of the site that `config` describes.
pub fn load_site(mut config: Config, mode: Mode) -> Result<Site, BuildError> {
    let loading = std::time::Instant::now();
    let keep_html = mode == Mode::Memory;
    let mut timings = Timings::default();
    let mut content = content::load(&config).map_err(BuildError::Content)?;
    timings.mark_peak("load");
    let links = crate::links::Table::new(&content, content::walk_static(&config));
    let resolver_index = crate::links::Index::with_table(&config, &content, &links);
    let started = std::time::Instant::now();
    let highlight_before = markdown::highlight_time();
    let whole_page = config.speech.whole_page;
    let pages: Vec<(Rendered, Read)> = content
        .docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| read_page(&resolver_index, doc, i, keep_html, whole_page))
        .collect();
    let (rendered, read): (Vec<Rendered>, Vec<Read>) = pages.into_iter().unzip();
    let (mut bodies, mut blocks): (Vec<PageBody>, Vec<_>) = read.into_iter().unzip();
    timings.markdown = ms_since(started);
    timings.highlight = (markdown::highlight_time() - highlight_before).as_secs_f64() * 1000.0;
    timings.mark_peak("markdown");
    let mut copies = resolver_index.copies(&content, &rendered);
    drop(resolver_index);
    let first_diagram = content.docs.iter().zip(&rendered).find_map(|(d, r)| r.diagrams.first().map(|at| (d, *at)));
    let diagram_warning = match first_diagram {
        Some(first) => diagrams(&config, first, &mut copies)?,
        None => None,
    };

    let mut errors = Vec::new();
    let mut head = std::mem::take(&mut config.warnings);
    head.append(&mut content.warnings);
    for (doc, r) in content.docs.iter_mut().zip(&rendered) {
        doc.title = page_title(doc);
        errors.extend(r.diagnostics.iter().filter(|d| d.is_error()).cloned());
    }
    let started = std::time::Instant::now();
    let (sidebars, problems) = sidebar::build_sidebars(&content, &config);
    timings.sidebar = ms_since(started);
    let (sidebar_errors, sidebar_warnings): (Vec<_>, Vec<_>) = problems.into_iter().partition(Diagnostic::is_error);
    errors.extend(sidebar_errors);
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    let mut page_warnings = Vec::with_capacity(content.docs.len());
    for (i, r) in rendered.iter().enumerate() {
        let doc = &content.docs[i];
        if !r.card_lists.is_empty()
            && let Some(page_blocks) =
                fill_card_lists(&content, &sidebars, i, &mut bodies[i], mode == Mode::Disk, whole_page)
        {
            blocks[i] = Some(page_blocks);
        }
        let card_lists =
            if r.card_lists.is_empty() { Vec::new() } else { card_list_warnings(doc, r, &sidebars.placements[i]) };
        page_warnings.push(site::PageWarnings::of(doc, r, card_lists));
    }
    let site_warnings = site::SiteWarnings { head, diagram: diagram_warning, sidebars: sidebar_warnings };
    let started = std::time::Instant::now();
    let titles: Vec<&str> = content.docs.iter().map(|d| d.title.as_str()).collect();
    let speech = match mode {
        Mode::Disk => crate::speech::run_on_blocks(&config, &titles, blocks.into_iter().flatten().collect())?,
        Mode::Memory => {
            let html: Vec<&str> = bodies.iter().filter_map(PageBody::html).collect();
            crate::speech::run(&config, &titles, &html)?
        }
    };
    timings.speech = ms_since(started);
    timings.mark_peak("speech");
    let warnings = site::assemble_warnings(&site_warnings, &page_warnings, &speech.warnings);
    let git_dates = content::git_dates(&config, &content.docs);
    let pages = rendered
        .into_iter()
        .zip(bodies)
        .zip(git_dates)
        .map(|((markdown, body), git_date)| Page { markdown, body, git_date })
        .collect();
    timings.load = ms_since(loading) - timings.markdown - timings.sidebar - timings.speech;
    Ok(Site {
        config,
        content,
        pages,
        sidebars,
        copies,
        links,
        warnings,
        site_warnings,
        page_warnings,
        timings,
        speech,
    })
}

/// What the markdown stage makes of a page for later stages: its HTML or only its facts, and
/// (with its facts) its speech blocks.
type Read = (PageBody, Option<Vec<crate::speech::Block>>);

/// The markdown stage for doc `i`, as [`load_site`] runs it.
fn read_page(
    index: &crate::links::Index,
    doc: &content::Doc,
    i: usize,
    keep_html: bool,
    whole_page: bool,
) -> (Rendered, Read) {
    // Without its HTML kept, this pass needs only the page's facts: code is highlighted
    // when the page is written, and only if it is. A page with a card list keeps its
    // HTML (highlighted) whatever the mode: its cards are filled in once the sidebars exist.
    let mut r = pages::page_markdown(index, doc, keep_html);
    if !keep_html && !r.card_lists.is_empty() {
        r = pages::page_markdown(index, doc, true);
    }
    let html = std::mem::take(&mut r.html);
    if keep_html || !r.card_lists.is_empty() {
        return (r, (PageBody::Html(html), None));
    }
    let title = spoken_title(doc, &r);
    let facts = HtmlFacts { hash: site::html_hash(&html), ids: crate::html::element_ids(&html) };
    let mut blocks = crate::speech::page_blocks(i, &title, &html, whole_page);
    for block in &mut blocks {
        block.set_source(facts.hash, &title);
    }
    (r, (PageBody::Facts(facts), Some(blocks)))
}

/// Fills the card lists of doc `i`'s HTML (a page with card lists keeps it) from the sidebars;
/// for a build (`disk`), finds its speech blocks in the filled HTML.
fn fill_card_lists(
    content: &Content,
    sidebars: &Sidebars,
    i: usize,
    body: &mut PageBody,
    disk: bool,
    whole_page: bool,
) -> Option<Vec<crate::speech::Block>> {
    let doc = &content.docs[i];
    let PageBody::Html(html) = body else { return None };
    let filled = crate::cards::fill_doc(html, &content.docs, sidebars, i)?;
    *html = filled;
    if !disk {
        return None;
    }
    let hash = site::html_hash(html);
    let mut page_blocks = crate::speech::page_blocks(i, &doc.title, html, whole_page);
    for block in &mut page_blocks {
        block.set_source(hash, &doc.title);
    }
    Some(page_blocks)
}

/// For a site with diagrams (`first` is the first, in `doc`): mermaid's browser build, added to
/// `copies` under `assets/mermaid/` when it is installed, else the one warning that says it is
/// not and where the first diagram is.
pub(crate) fn diagrams(
    config: &Config,
    (doc, first): (&content::Doc, markdown::DiagramAt),
    copies: &mut BTreeMap<String, std::path::PathBuf>,
) -> Result<Option<Diagnostic>, BuildError> {
    use crate::config::mermaid::{self, Mermaid};
    match &config.mermaid {
        Mermaid::Found { dir, .. } => {
            for (rel, file) in mermaid::build_files(dir)? {
                copies.insert(format!("assets/{}/{rel}", mermaid::ASSETS_DIR), file);
            }
            Ok(None)
        }
        Mermaid::Missing { reason } => {
            let d = Diagnostic::warning(
                &doc.display_path,
                first.line,
                first.column,
                format!("Mermaid diagrams are shown as their source: {reason}"),
            )
            .with_help(format!(
                "run `npm install mermaid` in the site's folder, or set {} to the folder of an installed mermaid package (version {} or later)",
                mermaid::ENV_VAR,
                mermaid::MIN_MAJOR
            ));
            Ok(Some(match doc.text.lines().nth(first.line.wrapping_sub(1)) {
                Some(text) => d.with_source_line(text),
                None => d,
            }))
        }
    }
}

/// A `<DocCardList />` on a page in no sidebar has nothing to list (Docusaurus fails there).
fn card_list_warnings(doc: &content::Doc, r: &Rendered, placement: &Option<sidebar::Placement>) -> Vec<Diagnostic> {
    if placement.is_some() {
        return Vec::new();
    }
    let source = doc.text.lines().collect::<Vec<_>>();
    r.card_lists
        .iter()
        .map(|&line| {
            let d = Diagnostic::warning(
                &doc.display_path,
                line,
                1,
                "<DocCardList /> lists nothing: this page is in no sidebar",
            )
            .with_help("a card list shows the items of the page's sidebar category; link the pages instead");
            match source.get(line.wrapping_sub(1)) {
                Some(text) => d.with_source_line(text),
                None => d,
            }
        })
        .collect()
}

/// Fills the card lists of `pages` again, from the current sidebars, titles and descriptions
/// (for `serve`, after pages were read again): the pages whose HTML changed, their speech read
/// again.
pub fn refill_card_lists(site: &mut Site, pages: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut changed = Vec::new();
    for i in pages {
        if site.pages.get(i).is_none_or(|p| p.markdown.card_lists.is_empty()) {
            continue;
        }
        let Some(html) = site.pages[i].body.html() else { continue };
        let Some(filled) = crate::cards::fill_doc(html, &site.content.docs, &site.sidebars, i) else { continue };
        if filled == html {
            continue;
        }
        let title = site.content.docs[i].title.as_str();
        match crate::speech::run(&site.config, &[title], &[filled.as_str()]) {
            Ok(speech) => site.speech.update_page(i, speech),
            Err(e) => eprintln!("warning: speech of {}: {e:#}", site.content.docs[i].display_path.display()),
        }
        site.pages[i].body = PageBody::Html(filled);
        changed.push(i);
    }
    changed
}

/// What re-reading one page changed (for `serve`'s incremental rebuilds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageUpdate {
    /// Only the page's own HTML: re-render it alone.
    Body,
    /// Its title, label or place in the sidebar: every page shows those, re-render them all.
    Navigation,
}

/// What [`reparse_doc`] did.
#[derive(Debug, Clone)]
pub struct Reparsed {
    /// The doc read again (index into the site's docs).
    pub doc: usize,
    pub update: PageUpdate,
    /// The files the page now links, embeds or speaks (copies and audio), by output path: the
    /// caller serves the ones it lacks without a look at every file of the site.
    pub files: Vec<(String, OutputFile)>,
}

/// Reads and parses the page at `source` (relative to docs_dir) again, alone, into `site`. Its
/// links are resolved with the site's [`crate::links::Table`]: no pass over every page.
///
/// `Ok(None)` when the page is gone or its id, URL, draft or unlisted state changed: other pages'
/// links and the sitemap depend on those, so the caller loads the whole site again. On an error
/// `site` is left as it was.
pub fn reparse_doc(site: &mut Site, source: &str) -> Result<Option<Reparsed>, BuildError> {
    let Some(i) = site.links.doc(source) else { return Ok(None) };
    let old = &site.content.docs[i];
    let mut doc = content::load_doc(&site.config, source, &old.file).map_err(|d| BuildError::Content(vec![d]))?;
    if route_key(&doc) != route_key(old) {
        return Ok(None);
    }
    let index = crate::links::Index::with_table(&site.config, &site.content, &site.links);
    let mut rendered = pages::page_markdown(&index, &doc, true);
    let html = std::mem::take(&mut rendered.html);
    let errors: Vec<Diagnostic> = rendered.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    doc.title = page_title(&doc);
    // Images the page now embeds; files it no longer uses stay servable until the next full load.
    let mut new_copies =
        index.copies(&Content { docs: vec![doc.clone()], ..Default::default() }, std::slice::from_ref(&rendered));
    // A page's first diagram brings mermaid's build (or the warning that it is missing).
    let diagram_warning = match rendered.diagrams.first() {
        Some(first) => diagrams(&site.config, (&doc, *first), &mut new_copies)?,
        None => None,
    };
    let update = if nav_key(&doc) == nav_key(old) { PageUpdate::Body } else { PageUpdate::Navigation };
    drop(index);
    let previous = std::mem::replace(&mut site.content.docs[i], doc);
    let mut previous_sidebars = None;
    if update == PageUpdate::Navigation {
        let (sidebars, problems) = sidebar::build_sidebars(&site.content, &site.config);
        let problems: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
        if !problems.is_empty() {
            site.content.docs[i] = previous;
            return Err(BuildError::Content(problems));
        }
        previous_sidebars = Some(std::mem::replace(&mut site.sidebars, sidebars));
    }
    let html = crate::cards::fill_doc(&html, &site.content.docs, &site.sidebars, i).unwrap_or(html);
    let title = site.content.docs[i].title.as_str();
    let speech = match crate::speech::run(&site.config, &[title], &[html.as_str()]) {
        Ok(speech) => speech,
        Err(e) => {
            site.content.docs[i] = previous;
            if let Some(sidebars) = previous_sidebars {
                site.sidebars = sidebars;
            }
            return Err(e.into());
        }
    };
    let card_lists = card_list_warnings(&site.content.docs[i], &rendered, &site.sidebars.placements[i]);
    site.page_warnings[i] = site::PageWarnings::of(&site.content.docs[i], &rendered, card_lists.clone());
    site.warnings = rendered.diagnostics.clone();
    site.warnings.extend(diagram_warning);
    site.warnings.extend(card_lists);
    site.pages[i].markdown = rendered;
    site.pages[i].body = PageBody::Html(html);
    let mut files: Vec<(String, OutputFile)> =
        new_copies.iter().map(|(rel, src)| (rel.clone(), OutputFile::Copy(src.clone()))).collect();
    files.extend(speech.files.iter().map(|(rel, file)| (rel.clone(), file.clone())));
    site.speech.update_page(i, speech);
    site.copies.extend(new_copies);
    Ok(Some(Reparsed { doc: i, update, files }))
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
    let (content, sidebars) = titled_content(&config)?;
    Ok(RouteSite { config, content, sidebars })
}

/// Every page with its title, and the sidebars, without rendering any page.
fn titled_content(config: &Config) -> Result<(Content, Sidebars), BuildError> {
    let mut content = content::load(config).map_err(BuildError::Content)?;
    content.docs.par_iter_mut().filter(|d| d.title.is_empty()).for_each(|d| {
        d.title = page_title(d);
    });
    let (sidebars, problems) = sidebar::build_sidebars(&content, config);
    let problems: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
    if !problems.is_empty() {
        return Err(BuildError::Content(problems));
    }
    Ok((content, sidebars))
}

/// The site as far as it is known without reading any page's Markdown, for `serve` to answer
/// while [`load_site`] reads every page: each page with its front matter, URL and title (its
/// front matter's, else its leading H1 as [`markdown::leading_title`] finds it, which is the
/// title [`load_site`] finds), the sidebars, the link table and the pages' git dates. No page's
/// Markdown facts ([`Page::markdown`] is empty and [`PageBody::Facts`] holds nothing), no speech,
/// no copies and no warnings: [`load_site`] gives those. Its errors are those of the pages'
/// front matter and of the sidebars.
pub fn load_outline(config: Config) -> Result<Site, BuildError> {
    let (content, sidebars) = titled_content(&config)?;
    let links = crate::links::Table::new(&content, content::walk_static(&config));
    let pages_len = content.docs.len();
    let pages = content::git_dates(&config, &content.docs)
        .into_iter()
        .map(|git_date| Page { markdown: Rendered::default(), body: PageBody::Facts(HtmlFacts::default()), git_date })
        .collect();
    Ok(Site {
        config,
        content,
        pages,
        sidebars,
        copies: BTreeMap::new(),
        links,
        warnings: Vec::new(),
        site_warnings: site::SiteWarnings::default(),
        page_warnings: vec![site::PageWarnings::default(); pages_len],
        timings: Timings::default(),
        speech: crate::speech::SiteSpeech::default(),
    })
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
    for (si, order) in sidebars.order.iter().enumerate() {
        for stop in order {
            // A doc listed by several sidebars is routed with the one it belongs to.
            if let sidebar::Stop::Doc(i) = stop
                && sidebars.placements[*i].as_ref().is_some_and(|p| p.sidebar == si)
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

/// Renders `which` files of the site with the theme, in memory. `live_reload` is the script
/// `serve` injects.
pub fn render_site(
    site: &Site,
    theme: &crate::render::Theme,
    live_reload: Option<String>,
    which: Pages,
) -> Result<SiteFiles, BuildError> {
    pages::render_all(site, theme, live_reload, which).map_err(BuildError::from)
}

/// Renders the site and its search index straight into a new output folder and swaps it in
/// for `out`; pages are written as they are rendered, so they are never all in memory. On any
/// error the previous output stays as it was.
///
/// Incremental: a page whose fingerprint ([`crate::fingerprint`]) matches the previous build's
/// record is not rendered again but hard-linked from the previous output, and so is the search
/// index when its inputs are unchanged.
pub fn write_site(site: &mut Site, theme: &crate::render::Theme, out: &Path) -> Result<Reused, BuildError> {
    write_site_reusing(site, theme, out, true).map(|(reused, _)| reused)
}

/// [`write_site`], also returning every file and folder it wrote; with `reuse` false (`lectern
/// build --full`) every page and the search index are rendered again, whatever the previous
/// build's record says.
pub fn write_site_reusing(
    site: &mut Site,
    theme: &crate::render::Theme,
    out: &Path,
    reuse: bool,
) -> Result<(Reused, crate::output::Listing), BuildError> {
    let staging = crate::output::Staging::begin(out)?;
    // With no output folder (a first build, or one deleted since), the record of the last
    // build into it names files that are not there: no page asks for its previous file.
    let previous = if reuse && staging.has_previous() {
        crate::output::BuildRecord::load(&site.config, out)
    } else {
        crate::output::BuildRecord::default()
    };
    let t = std::time::Instant::now();
    let html_hashes: Vec<u64> = site.pages.par_iter().map(|p| p.body.html_hash()).collect();
    let indexed = crate::search::indexed_docs(site);
    let search_fingerprint = crate::fingerprint::search(site, &indexed, &html_hashes);
    let search_kept = previous.current_search(out, search_fingerprint).map(<[String]>::to_vec);
    let mut for_search = vec![false; site.pages.len()];
    if search_kept.is_none() {
        for &i in &indexed {
            for_search[i] = true;
        }
    }
    // The search index's inputs, saved as its pages pass for the next incremental build.
    let terms_id = crate::incremental::new_terms_id();
    let terms = match search_kept {
        Some(_) => None,
        None => {
            crate::incremental::StoredSearch::forget(&site.config, out);
            crate::output::CacheFile::create(&crate::incremental::terms_file(&site.config, out))
                .and_then(|file| crate::search::saved::Writer::new(file, terms_id).ok())
        }
    };
    crate::incremental::State::forget(&site.config, out);
    let mut disk = Disk {
        site,
        staging,
        terms,
        search_files: Vec::new(),
        fingerprints: crate::fingerprint::pages(site, theme, &html_hashes),
        for_search,
        previous,
        out,
        search: crate::search::IndexBuilder::new(&site.config.lang),
        record: crate::output::BuildRecord::default(),
        reused: Reused { pages: 0, search: search_kept.is_some() },
    };
    let highlight_before = markdown::highlight_time();
    pages::render_into(site, theme, None, Pages::All, &mut disk)?;
    let Disk { staging, search, mut record, reused, terms, mut search_files, .. } = disk;
    site.timings.render = ms_since(t);
    site.timings.highlight += (markdown::highlight_time() - highlight_before).as_secs_f64() * 1000.0;
    site.timings.mark_peak("render");

    let t = std::time::Instant::now();
    let mut saved_search = None;
    let search_files_list = match search_kept {
        Some(files) => {
            for f in &files {
                if !staging.keep_previous(f)? {
                    return Err(anyhow::anyhow!("the previous build's {f} vanished while building").into());
                }
            }
            files
        }
        None => {
            let vocabulary = search.terms();
            let mut terms = terms;
            let mut terms_file = None;
            let files = search.finish_keeping(
                &mut |path, bytes| {
                    search_files.push((path.clone(), crate::render::fnv1a([&bytes]), bytes.len()));
                    staging.write(&path, &OutputFile::Bytes(bytes))
                },
                &mut |stems| terms_file = terms.take().and_then(|t| t.finish(&vocabulary, stems).ok()),
            )?;
            saved_search = terms_file.map(|file| {
                let record = crate::incremental::StoredSearch {
                    fingerprint: search_fingerprint,
                    files: std::mem::take(&mut search_files),
                    terms_id,
                };
                (file, record)
            });
            site.timings.search = ms_since(t);
            site.timings.mark_peak("search");
            files
        }
    };
    record.search = Some((search_fingerprint, search_files_list));
    crate::output::BuildRecord::forget(&site.config, out);
    crate::unchanged::forget(&site.config, out);
    let listing = staging.listing();
    staging.finish()?;
    record.save(&site.config, out);
    if let Some((file, record)) = saved_search
        && file.finish()
    {
        record.save(&site.config, out);
    }
    crate::output::save_highlight_cache(&site.config, reused.pages == 0);
    site.timings.write = ms_since(t) - site.timings.search;
    site.timings.mark_peak("write");
    Ok((reused, listing))
}

/// [`write_site`]'s sink: a new output folder, with the previous build's unchanged pages linked
/// into it and the search index built from the pages as they pass.
struct Disk<'a> {
    site: &'a Site,
    staging: crate::output::Staging,
    /// Per page, what its file is made from ([`crate::fingerprint::pages`]).
    fingerprints: Vec<u64>,
    /// Per page, whether the search index reads it (the index is built again and lists it).
    for_search: Vec<bool>,
    previous: crate::output::BuildRecord,
    out: &'a Path,
    search: crate::search::IndexBuilder,
    record: crate::output::BuildRecord,
    reused: Reused,
    /// Where the search index's inputs are saved, while the index is built again.
    terms: Option<crate::search::saved::Writer<crate::output::CacheFile>>,
    /// The search files written so far: path, hash and length.
    search_files: Vec<(String, u64, usize)>,
}

impl pages::Sink for Disk<'_> {
    /// The page's search record (when the index is built again), the size of its file, and
    /// whether the file was kept from the previous build.
    type Page = (Option<crate::search::IndexedPage>, u64, bool);

    fn write(&self, rel: &str, file: OutputFile) -> anyhow::Result<()> {
        self.staging.write(rel, &file)
    }

    fn kept(&self, i: usize) -> anyhow::Result<Option<u64>> {
        let rel = &self.site.content.docs[i].output_file;
        Ok(match self.previous.current_page(self.out, rel, self.fingerprints[i]) {
            Some(size) if self.staging.keep_previous_file(rel)? => Some(size),
            _ => None,
        })
    }

    fn reads_html(&self, i: usize) -> bool {
        self.for_search[i]
    }

    fn page(&self, i: usize, html: Option<&str>, size: u64, kept: bool) -> anyhow::Result<Self::Page> {
        let indexed = html
            .filter(|_| self.for_search[i])
            .map(|html| self.search.page(&crate::search::page_input(self.site, i, html)));
        Ok((indexed, size, kept))
    }

    fn batch(&mut self, pages: Vec<(usize, Self::Page)>) -> anyhow::Result<()> {
        for (i, (indexed, size, kept)) in pages {
            let rel = self.site.content.docs[i].output_file.clone();
            self.record.pages.insert(rel, (self.fingerprints[i], size));
            self.reused.pages += usize::from(kept);
            if let Some(indexed) = indexed {
                if let Some(terms) = &mut self.terms
                    && terms.page(&indexed).is_err()
                {
                    self.terms = None;
                }
                let (staging, files) = (&self.staging, &mut self.search_files);
                self.search.add(indexed, &mut |path, bytes| {
                    files.push((path.clone(), crate::render::fnv1a([&bytes]), bytes.len()));
                    staging.write(&path, &OutputFile::Bytes(bytes))
                })?;
            }
        }
        Ok(())
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

/// What checking a site's links found, in the parts an incremental build keeps.
pub struct SiteChecks {
    /// Per page: its links' problems and the pages whose anchors they point at.
    pub pages: crate::check::PageChecks,
    /// The sidebars' links' and the redirects' problems.
    pub rest: Vec<Diagnostic>,
}

impl SiteChecks {
    /// Every problem, as [`crate::check::check_site`] gives them.
    pub fn problems(&self) -> Vec<Diagnostic> {
        crate::check::combine(self.pages.problems.iter().flatten().cloned(), self.rest.clone())
    }
}

/// Checks every link of the site ([`crate::check::check_site`]), keeping each page's part.
pub fn check_site(site: &Site) -> SiteChecks {
    let all: Vec<usize> = (0..site.content.docs.len()).collect();
    let targets = crate::check::Targets::new(site);
    SiteChecks {
        pages: crate::check::check_each_with(site, &targets, &all, &|_| true),
        rest: crate::check::check_site_links(site, &targets),
    }
}

/// Saves what the next build into `out` needs to build incrementally: call it once the build
/// is in `out` and recorded, holding the folder's lock. `inputs` is the snapshot the build was
/// made from.
pub fn save_state(
    site: &Site,
    theme: &crate::render::Theme,
    inputs: &crate::unchanged::Inputs,
    checks: &SiteChecks,
    out: &Path,
) {
    let state = crate::incremental::State::of(
        site,
        &inputs.parts,
        crate::fingerprint::site_fingerprint(site, theme),
        &checks.pages.problems,
        &checks.pages.anchor_targets,
        &checks.rest,
    );
    state.save(&site.config, out);
}

/// Loads the theme: the built-in one with the site's `theme/` folder over it.
pub fn load_theme(config: &Config) -> Result<crate::render::Theme, BuildError> {
    let dir = config.root.join("theme");
    let highlight = crate::markdown::highlight_css();
    crate::render::Theme::load(dir.is_dir().then_some(dir.as_path()), &highlight).map_err(|e| {
        match BuildError::from(e) {
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
        }
    })
}
