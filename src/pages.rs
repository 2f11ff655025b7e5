//! Page assembly: turns a loaded [`Site`] into the theme's views and renders every file of the
//! built site (pages, generated category pages, 404, sitemap, assets, copies).
//!
//! In: a [`Site`] and a [`Theme`]. Out: every file, into a [`Sink`]: [`Memory`] for `serve`
//! and `check`, a new output folder for `build`. One render loop ([`render_into`]) serves both;
//! pages render in parallel.

use rayon::prelude::*;

use crate::content::Doc;
use crate::files::{OutputFile, SiteFiles};
use crate::links::encode_path;
use crate::render::{
    self, Crumb, FooterColumnView, HomeCard, NavItem, NavKind, NavLink, PageView, PagerLink, SiteView, Theme, TocEntry,
};
use crate::sidebar::{CategoryLink, Item, Stop};
use crate::site::Site;

/// Up to this many sidebar entries, every page carries the whole sidebar; above it, pages carry
/// their own branch and load other categories on demand, so output grows linearly.
const FULL_SIDEBAR_LIMIT: usize = 300;

/// Pages rendered in parallel before the sink takes them, in page order.
const PAGE_BATCH: usize = 256;

/// Where the render loop puts what it makes: memory for `serve` and `check`, a new output
/// folder for `build`. Called from several threads.
pub trait Sink: Sync {
    /// What the sink keeps of each page once written, handed back in page order.
    type Page: Send;
    /// Takes one file; for a path given twice the first wins.
    fn write(&self, rel: &str, file: OutputFile) -> anyhow::Result<()>;
    /// The size of page `i`'s file when the sink already holds it unchanged: it is then not
    /// rendered again.
    fn kept(&self, _i: usize) -> anyhow::Result<Option<u64>> {
        Ok(None)
    }
    /// Whether the sink reads page `i`'s markdown-stage HTML even when its file was kept.
    fn reads_html(&self, _i: usize) -> bool {
        false
    }
    /// Page `i` is written: its markdown-stage `html` when it was read, the `size` of its file
    /// and whether the file was `kept`.
    fn page(&self, i: usize, html: Option<&str>, size: u64, kept: bool) -> anyhow::Result<Self::Page>;
    /// A batch of pages is written, in page order.
    fn batch(&mut self, _pages: Vec<(usize, Self::Page)>) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Which files the render loop makes.
#[derive(Debug, Clone, Copy)]
pub enum Pages<'a> {
    /// Every file of the site.
    All,
    /// Only these docs' pages (indices into the site's docs).
    Only(&'a [usize]),
}

/// The site in memory, for `serve` and `check`.
#[derive(Default)]
pub struct Memory(std::sync::Mutex<SiteFiles>);

impl Memory {
    /// The files written into it.
    pub fn into_files(self) -> anyhow::Result<SiteFiles> {
        self.0.into_inner().map_err(|_| anyhow::anyhow!("a rendering thread panicked"))
    }
}

impl Sink for Memory {
    type Page = ();

    fn write(&self, rel: &str, file: OutputFile) -> anyhow::Result<()> {
        let mut files = self.0.lock().map_err(|_| anyhow::anyhow!("a rendering thread panicked"))?;
        files.entry(rel.to_string()).or_insert(file);
        Ok(())
    }

    fn page(&self, _: usize, _: Option<&str>, _: u64, _: bool) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Renders `which` files of the site in memory. `live_reload` is the script `serve` injects.
pub fn render_all(site: &Site, theme: &Theme, live_reload: Option<String>, which: Pages) -> anyhow::Result<SiteFiles> {
    let mut memory = Memory::default();
    render_into(site, theme, live_reload, which, &mut memory)?;
    memory.into_files()
}

/// The render loop: renders `which` files of the site into `sink` as soon as each is made. Pages
/// go in batches in page order; within a batch they render in parallel, so the sink can take
/// each batch in order and none wait in memory for the whole site.
pub fn render_into<S: Sink>(
    site: &Site,
    theme: &Theme,
    live_reload: Option<String>,
    which: Pages,
    sink: &mut S,
) -> anyhow::Result<()> {
    let site_view = site_view(site, live_reload);
    let docs = &site.content.docs;
    let indices: Vec<usize> = match which {
        Pages::All => (0..docs.len()).collect(),
        Pages::Only(only) => only.iter().copied().filter(|&i| i < docs.len()).collect(),
    };
    // Only pages loaded without their HTML render their markdown again.
    let links = crate::links::Index::with_table(&site.config, &site.content, &site.links);
    let markdown_html = |i: usize| match site.pages[i].body.html() {
        Some(html) => std::borrow::Cow::Borrowed(html),
        None => std::borrow::Cow::Owned(page_markdown(&links, &docs[i], true).html),
    };
    for batch in indices.chunks(PAGE_BATCH) {
        let sink_ref = &*sink;
        let pages = batch
            .par_iter()
            .map(|&i| {
                let kept = sink_ref.kept(i)?;
                if let Some(size) = kept
                    && !sink_ref.reads_html(i)
                {
                    return Ok((i, sink_ref.page(i, None, size, true)?));
                }
                let html = markdown_html(i);
                let size = match kept {
                    Some(size) => size,
                    None => {
                        let page = render_doc(site, theme, &site_view, i, &html)?.into_bytes();
                        let size = page.len() as u64;
                        sink_ref.write(&docs[i].output_file, OutputFile::Bytes(page))?;
                        size
                    }
                };
                Ok((i, sink_ref.page(i, Some(&html), size, kept.is_some())?))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        sink.batch(pages)?;
    }
    match which {
        Pages::All => render_extras_to(site, theme, &site_view, sink, true),
        Pages::Only(_) => Ok(()),
    }
}

/// Every file of the site but the docs' pages and the `llms` files, in memory: `serve` renders
/// those when they are asked for. `live_reload` is the script `serve` injects.
pub fn render_extras(site: &Site, theme: &Theme, live_reload: Option<String>) -> anyhow::Result<SiteFiles> {
    let memory = Memory::default();
    render_extras_to(site, theme, &site_view(site, live_reload), &memory, false)?;
    memory.into_files()
}

/// The markdown stage for one page, with links resolved against `index`; `highlight` colours
/// code blocks.
pub fn page_markdown(index: &crate::links::Index, doc: &Doc, highlight: bool) -> crate::markdown::Rendered {
    let opts = crate::markdown::MarkdownOptions {
        toc_min_level: doc.front.toc_min_heading_level.unwrap_or(2),
        toc_max_level: doc.front.toc_max_heading_level.unwrap_or(3),
        highlight,
    };
    let resolver = crate::links::Resolver::new(index, doc);
    crate::markdown::render(doc.body(), &doc.display_path, doc.body_line_offset, &opts, &resolver)
}

/// The file of doc `i`'s page, whose markdown-stage HTML (code highlighted) is `html`: what an
/// incremental build writes for a page it makes again.
pub fn page_file(site: &Site, theme: &Theme, i: usize, html: &str) -> anyhow::Result<String> {
    render_doc(site, theme, &site_view(site, None), i, html)
}

/// The HTML document of doc `i`, whose markdown-stage HTML is `html`.
fn render_doc(site: &Site, theme: &Theme, site_view: &SiteView, i: usize, html: &str) -> anyhow::Result<String> {
    let view = doc_view(site, site_view, i, &site.pages[i].markdown, html, (&site.speech, i));
    theme.render_page(&view)
}

/// Doc `i`'s page made from `markdown`, its Markdown read now (highlighted), rather than from
/// what the site holds of it: `serve` answers this way while the site is an outline
/// ([`crate::build::load_outline`]). Card lists are filled and the page's speech is read
/// (`speech.cache_only` as the site's config says), as loading the whole site would.
pub fn render_read_page(
    site: &Site,
    theme: &Theme,
    live_reload: Option<String>,
    i: usize,
    markdown: &crate::markdown::Rendered,
) -> anyhow::Result<String> {
    let filled = crate::cards::fill_doc(&markdown.html, &site.content.docs, &site.sidebars, i);
    let html = filled.as_deref().unwrap_or(&markdown.html);
    let speech = crate::speech::run(&site.config, &[site.content.docs[i].title.as_str()], &[html])?;
    let site_view = site_view(site, live_reload);
    theme.render_page(&doc_view(site, &site_view, i, markdown, html, (&speech, 0)))
}

/// Every file of the site but the docs' pages: generated category pages, sidebar fragments,
/// 404, sitemap, theme assets, static files, copied images and speech audio, and with `llms`
/// the `llms` files.
fn render_extras_to(
    site: &Site,
    theme: &Theme,
    site_view: &SiteView,
    sink: &impl Sink,
    llms: bool,
) -> anyhow::Result<()> {
    for (path, html) in generated_pages(site, site_view, theme)? {
        sink.write(&path, OutputFile::Bytes(html.into_bytes()))?;
    }
    for (si, sb) in site.sidebars.sidebars.iter().enumerate() {
        if site.sidebars.index[si].item_count > FULL_SIDEBAR_LIMIT {
            for (n, items) in lazy_fragments(site, si) {
                sink.write(&format!("sidebar/{}/{n}.json", sb.id), OutputFile::Bytes(items.into_bytes()))?;
            }
        }
    }
    if let Some(cards) = home_cards(site) {
        sink.write(HOME_FILE, OutputFile::Bytes(theme.render_home(site_view, &cards)?.into_bytes()))?;
    }
    for (path, html) in crate::redirects::pages(site) {
        sink.write(&path, OutputFile::Bytes(html.into_bytes()))?;
    }
    for (path, text) in if llms { crate::llms::files(site) } else { Vec::new() } {
        sink.write(path, OutputFile::Bytes(text.into_bytes()))?;
    }
    sink.write("404.html", OutputFile::Bytes(theme.render_404(site_view)?.into_bytes()))?;
    sink.write("sitemap.xml", OutputFile::Bytes(sitemap(site).into_bytes()))?;
    for (name, bytes) in theme.assets() {
        sink.write(&format!("assets/{name}"), OutputFile::Bytes(bytes))?;
    }
    for rel in crate::content::walk_static(&site.config) {
        if let Some(src) = crate::content::static_file(&site.config, &rel) {
            sink.write(&rel, OutputFile::Copy(src))?;
        }
    }
    for (rel, src) in &site.copies {
        sink.write(rel, OutputFile::Copy(src.clone()))?;
    }
    // Speech audio in parallel: hundreds of small files, each a hard link where it can be.
    site.speech.files.par_iter().try_for_each(|(rel, file)| sink.write(rel, file.clone()))
}

/// What every page shows of the site; `live_reload` is the script `serve` injects.
fn site_view(site: &Site, live_reload: Option<String>) -> SiteView {
    let c = &site.config;
    let view = |l: &crate::sidebar::links::SiteLink| NavLink {
        label: l.label.clone(),
        url: if l.external { l.url.clone() } else { encode_path(&l.url) },
        active: false,
        external: l.external,
    };
    let navbar = site.sidebars.links.navbar.iter().map(view).collect();
    let footer_links = site
        .sidebars
        .links
        .footer
        .iter()
        .map(|c| FooterColumnView { title: c.title.clone(), links: c.links.iter().map(view).collect() })
        .collect();
    SiteView {
        title: c.title.clone(),
        language: c.lang.clone(),
        tagline: c.tagline.clone(),
        base_url: c.base_url.clone(),
        url: c.url.clone(),
        environment: c.environment.clone(),
        is_production: c.is_production(),
        banner: (!c.is_production()).then(|| format!("You are viewing the {} environment", c.environment)),
        repository: c.repository.clone(),
        logo: c.logo.as_ref().map(|l| asset_link(c, l)),
        footer: c.footer.as_ref().map(|f| render::escape_html(f)),
        navbar,
        footer_links,
        assets_url: format!("{}assets/", c.base_url),
        favicon: c.favicon.as_ref().map(|f| asset_link(c, f)),
        live_reload_script: live_reload,
        mermaid_url: c.mermaid.version().map(|version| {
            use crate::config::mermaid::{ASSETS_DIR, ENTRY};
            format!("{}assets/{ASSETS_DIR}/{ENTRY}?v={}", c.base_url, crate::render::percent_encode(version))
        }),
    }
}

/// A config path to a static file becomes a URL under base_url; full URLs stay.
fn asset_link(c: &crate::config::Config, path: &str) -> String {
    if crate::links::is_external(path) {
        path.to_string()
    } else {
        format!("{}{}", c.base_url, encode_path(path.trim_start_matches('/')))
    }
}

fn stop_url(site: &Site, stop: &Stop) -> String {
    match stop {
        Stop::Doc(i) => site.content.docs[*i].url.clone(),
        Stop::Generated(url) => url.clone(),
    }
}

fn stop_label(site: &Site, stop: &Stop) -> String {
    match stop {
        Stop::Doc(i) => {
            let d = &site.content.docs[*i];
            d.front
                .pagination_label
                .clone()
                .or_else(|| d.front.sidebar_label.clone())
                .unwrap_or_else(|| d.title.clone())
        }
        Stop::Generated(url) => generated_title(site, url).unwrap_or_else(|| url.clone()),
    }
}

fn generated_title(site: &Site, url: &str) -> Option<String> {
    fn find(items: &[Item], url: &str) -> Option<String> {
        items.iter().find_map(|it| match it {
            Item::Category(c) => match &c.link {
                Some(CategoryLink::Generated { url: u, title, .. }) if u == url => Some(title.clone()),
                _ => find(&c.items, url),
            },
            _ => None,
        })
    }
    site.sidebars.sidebars.iter().find_map(|sb| find(&sb.items, url))
}

fn pager(site: &Site, stop: Option<&Stop>) -> Option<PagerLink> {
    stop.map(|s| PagerLink { label: stop_label(site, s), url: encode_path(&stop_url(site, s)) })
}

/// Previous and next of a stop in its sidebar, with front matter overrides.
fn neighbours(site: &Site, sidebar: usize, here: &Stop, doc: Option<&Doc>) -> (Option<PagerLink>, Option<PagerLink>) {
    let order = &site.sidebars.order[sidebar];
    let labels = &site.sidebars.pager_labels[sidebar];
    // The label the sidebar gives that place (a doc item's own label counts), else the page's.
    let at = |p: usize| {
        order.get(p).map(|stop| PagerLink {
            label: labels.get(p).cloned().unwrap_or_else(|| stop_label(site, stop)),
            url: encode_path(&stop_url(site, stop)),
        })
    };
    let pos = site.sidebars.index[sidebar].position.get(here).copied();
    let mut prev = pos.and_then(|p| p.checked_sub(1)).and_then(at);
    let mut next = pos.and_then(|p| at(p + 1));
    if let Some(d) = doc {
        let by_id = |id: &Option<String>| {
            id.as_ref().and_then(|id| site.content.by_id(id)).and_then(|i| pager(site, Some(&Stop::Doc(i))))
        };
        if let Some(p) = &d.front.pagination_prev {
            prev = by_id(p);
        }
        if let Some(n) = &d.front.pagination_next {
            next = by_id(n);
        }
    }
    (prev, next)
}

/// The view of doc `i`, from its markdown stage's facts `r` and HTML `html`, and its players
/// (doc `speech.1` of `speech.0`).
fn doc_view<'a>(
    site: &'a Site,
    site_view: &'a SiteView,
    i: usize,
    r: &crate::markdown::Rendered,
    html: &str,
    speech: (&crate::speech::SiteSpeech, usize),
) -> PageView<'a> {
    let d = &site.content.docs[i];
    let page = &site.pages[i];
    let c = &site.config;
    let mut v = PageView::new(site_view, d.title.clone(), encode_path(&d.url));
    // As Docusaurus's DocItem: `hide_title` hides only the title the theme adds for a page
    // without an H1; an H1 of the page's own is always shown, where it was written. A page of
    // src/pages shows its content only, as Docusaurus's MDXPage adds no title.
    v.heading = r.title.clone();
    v.hide_title = match r.title {
        Some(_) => r.title_in_place,
        None => d.standalone || d.front.hide_title == Some(true),
    };
    v.description = d.front.description.clone().or_else(|| r.description.clone());
    v.canonical_url = (!c.url.is_empty()).then(|| format!("{}{}", c.url, encode_path(&d.url)));
    v.og_image = d.front.image.as_ref().map(|img| absolute(c, &asset_link(c, img)));
    v.noindex = d.is_unlisted();
    v.standalone = d.standalone;
    v.content_html = speech.0.page_html(speech.1, html).into_owned();
    v.has_speech = speech.0.has_players(speech.1);
    v.has_diagrams = !r.diagrams.is_empty();
    v.has_code = r.code_blocks > 0;
    if d.front.hide_table_of_contents != Some(true) {
        v.toc = r.toc.iter().map(|h| TocEntry { level: h.level, id: h.id.clone(), text: h.text.clone() }).collect();
    }
    v.edit_url = match &d.front.custom_edit_url {
        Some(Some(u)) if !u.is_empty() => Some(u.clone()),
        Some(_) => None,
        None if d.standalone => c.edit_url.as_ref().map(|e| {
            let path = crate::diagnostic::display_path(&d.display_path);
            format!("{}/{}", e.trim_end_matches('/'), encode_path(&path))
        }),
        None => c.edit_url.as_ref().map(|e| {
            let docs_dir = crate::diagnostic::display_path(&c.docs_dir);
            format!("{}/{}/{}", e.trim_end_matches('/'), docs_dir.trim_matches('/'), encode_path(&d.source))
        }),
    };
    let page_url = if c.url.is_empty() { encode_path(&d.url) } else { format!("{}{}", c.url, encode_path(&d.url)) };
    v.feedback_url = c.repository.as_ref().map(|repo| render::feedback_url(repo, &d.title, &page_url));
    v.last_updated =
        d.front.last_update.as_ref().and_then(|l| l.date.clone()).or_else(|| page.git_date.map(format_date));
    if let Some(p) = &site.sidebars.placements[i] {
        v.navbar_current = site.sidebars.links.navbar.iter().position(|l| l.sidebar == Some(p.sidebar));
        v.breadcrumbs = p
            .categories
            .iter()
            .map(|(label, target)| Crumb {
                label: label.clone(),
                url: target.as_ref().map(|t| encode_path(&stop_url(site, t))),
            })
            .collect();
        v.breadcrumbs.push(Crumb { label: p.label.clone(), url: None });
        v.sidebar = nav_items(site, p.sidebar, &Stop::Doc(i));
        let (prev, next) = neighbours(site, p.sidebar, &Stop::Doc(i), Some(d));
        v.prev = prev;
        v.next = next;
    }
    v
}

fn absolute(c: &crate::config::Config, url: &str) -> String {
    if url.starts_with('/') && !c.url.is_empty() { format!("{}{url}", c.url) } else { url.to_string() }
}

/// The sidebar of one page: everything on small sites; the page's branch on large ones.
fn nav_items(site: &Site, sidebar: usize, here: &Stop) -> Vec<NavItem> {
    let sb = &site.sidebars.sidebars[sidebar];
    let full = site.sidebars.index[sidebar].item_count <= FULL_SIDEBAR_LIMIT;
    let mut counter = 0;
    convert(site, sidebar, &sb.items, here, full, &mut counter)
}

fn link_stop(link: &Option<CategoryLink>) -> Option<Stop> {
    match link {
        Some(CategoryLink::Doc(d)) => Some(Stop::Doc(*d)),
        Some(CategoryLink::Generated { url, .. }) => Some(Stop::Generated(url.clone())),
        None => None,
    }
}

/// Converts sidebar items to the theme's nav items. `counter` numbers categories in a stable,
/// depth-first order, which names their lazy JSON fragments.
fn convert(site: &Site, sidebar: usize, items: &[Item], here: &Stop, full: bool, counter: &mut usize) -> Vec<NavItem> {
    let index = &site.sidebars.index[sidebar];
    let sidebar_id = &site.sidebars.sidebars[sidebar].id;
    items
        .iter()
        .map(|it| match it {
            Item::Doc { doc, label, class_name } | Item::Ref { doc, label, class_name } => NavItem {
                label: label.clone(),
                url: Some(encode_path(&site.content.docs[*doc].url)),
                kind: NavKind::Doc,
                active: Stop::Doc(*doc) == *here,
                class_name: class_name.clone(),
                ..Default::default()
            },
            Item::Link { label, href, class_name, .. } => NavItem {
                label: label.clone(),
                url: Some(href.clone()),
                kind: NavKind::Link,
                class_name: class_name.clone(),
                ..Default::default()
            },
            Item::Html { value, class_name, default_style } => NavItem {
                kind: NavKind::Html,
                html: Some(value.clone()),
                default_style: *default_style,
                class_name: class_name.clone(),
                ..Default::default()
            },
            Item::Category(c) => {
                let number = *counter;
                *counter += 1;
                let link = link_stop(&c.link);
                let inside = index.ancestors.get(here).is_some_and(|a| a.contains(&number));
                let expand = full || inside;
                let children = if expand {
                    convert(site, sidebar, &c.items, here, full, counter)
                } else {
                    *counter += index.categories_below.get(number).copied().unwrap_or(0);
                    Vec::new()
                };
                NavItem {
                    label: c.label.clone(),
                    url: link.as_ref().map(|s| encode_path(&stop_url(site, s))),
                    kind: NavKind::Category,
                    active: link.as_ref() == Some(here),
                    open: inside || !c.collapsed,
                    collapsible: c.collapsible,
                    class_name: c.class_name.clone(),
                    items: children,
                    lazy_src: (!expand)
                        .then(|| format!("{}sidebar/{}/{number}.json", site.config.base_url, encode_path(sidebar_id))),
                    ..Default::default()
                }
            }
        })
        .collect()
}

/// The JSON fragments of every category of a large sidebar: its direct children, closed.
fn lazy_fragments(site: &Site, sidebar: usize) -> Vec<(usize, String)> {
    fn walk(site: &Site, sidebar: usize, items: &[Item], counter: &mut usize, out: &mut Vec<(usize, String)>) {
        for it in items {
            if let Item::Category(c) = it {
                let number = *counter;
                *counter += 1;
                // Children as a closed branch: their own categories load on demand in turn.
                let mut inner = *counter;
                let nav = convert(site, sidebar, &c.items, &Stop::Generated(String::new()), false, &mut inner);
                out.push((number, render::sidebar_fragment_json(&nav)));
                walk(site, sidebar, &c.items, counter, out);
            }
        }
    }
    let mut out = Vec::new();
    let mut counter = 0;
    walk(site, sidebar, &site.sidebars.sidebars[sidebar].items, &mut counter, &mut out);
    out
}

/// Pages for categories whose link is a generated index: a list of their items.
/// The home page's file below the output folder (the URL `base_url`).
pub const HOME_FILE: &str = "index.html";

/// Whether a page of the site (a doc or a generated category page) is its home page.
pub fn has_home_page(site: &Site) -> bool {
    let c = &site.config;
    let generated = |url: &str| crate::content::route::output_file(url, &c.base_url, c.trailing_slash) == HOME_FILE;
    site.content.docs.iter().any(|d| d.output_file == HOME_FILE)
        || site.sidebars.order.iter().flatten().any(|stop| matches!(stop, Stop::Generated(url) if generated(url)))
}

/// The generated home page's cards, one per sidebar with a page, or `None` when a page of the
/// site is the home page already.
pub fn home_cards(site: &Site) -> Option<Vec<HomeCard>> {
    if has_home_page(site) {
        return None;
    }
    let cards = site
        .sidebars
        .sidebars
        .iter()
        .enumerate()
        .filter_map(|(si, sb)| {
            let first = site.sidebars.order[si].first()?;
            let spec = site.config.sidebars.get(si);
            let root = spec.map_or("", |spec| spec.dir.trim_matches('/').trim_start_matches("./"));
            let root = if root == "." { "" } else { root };
            // A folder sidebar's index page: the index doc of its folder, else (and for a sidebar
            // written by hand) its first page.
            let folder = spec.is_some_and(|spec| spec.items.is_none());
            let index = site
                .content
                .docs
                .iter()
                .enumerate()
                .find(|(i, d)| {
                    folder
                        && d.is_index
                        && !d.standalone
                        && d.dir_path() == root
                        && site.sidebars.placements[*i].is_some()
                })
                .map(|(_, d)| d)
                .or(match first {
                    Stop::Doc(i) => site.content.docs.get(*i),
                    Stop::Generated(_) => None,
                });
            let description = index
                .and_then(|d| d.front.description.clone())
                .or_else(|| site.content.categories.get(root).and_then(|m| m.description.clone()));
            Some(HomeCard {
                label: sb.label.clone(),
                url: encode_path(&stop_url(site, first)),
                first_title: stop_label(site, first),
                description,
            })
        })
        .collect();
    Some(cards)
}

fn generated_pages(site: &Site, site_view: &SiteView, theme: &Theme) -> anyhow::Result<Vec<(String, String)>> {
    generated_pages_where(site, site_view, theme, &|_| true)
}

/// The generated category pages whose cards show one of the docs `listing` ([`crate::cards`]),
/// by output file: what an incremental build makes again when those docs' descriptions change.
pub fn generated_pages_listing(site: &Site, theme: &Theme, listing: &[usize]) -> anyhow::Result<Vec<(String, String)>> {
    let shows = |items: &[Item]| crate::cards::card_docs(items).iter().any(|d| listing.contains(d));
    generated_pages_where(site, &site_view(site, None), theme, &shows)
}

/// The docs whose cards the generated category pages show.
pub fn generated_pages_cards(site: &Site) -> Vec<usize> {
    generated_card_lists(site).into_iter().flatten().collect()
}

/// For each generated category page, the docs whose cards it shows.
pub fn generated_card_lists(site: &Site) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for sb in &site.sidebars.sidebars {
        let mut stack: Vec<&Item> = sb.items.iter().collect();
        while let Some(it) = stack.pop() {
            let Item::Category(c) = it else { continue };
            stack.extend(c.items.iter());
            if let Some(CategoryLink::Generated { .. }) = &c.link {
                out.push(crate::cards::card_docs(&c.items));
            }
        }
    }
    out
}

fn generated_pages_where(
    site: &Site,
    site_view: &SiteView,
    theme: &Theme,
    which: &dyn Fn(&[Item]) -> bool,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (si, sb) in site.sidebars.sidebars.iter().enumerate() {
        let mut stack: Vec<&Item> = sb.items.iter().collect();
        while let Some(it) = stack.pop() {
            let Item::Category(c) = it else { continue };
            stack.extend(c.items.iter());
            let Some(CategoryLink::Generated { url, title, description }) = &c.link else { continue };
            if !which(&c.items) {
                continue;
            }
            let here = Stop::Generated(url.clone());
            let mut v = PageView::new(site_view, title.clone(), encode_path(url));
            let base = &site.config.url;
            v.canonical_url = (!base.is_empty()).then(|| format!("{base}{}", encode_path(url)));
            let mut html = String::new();
            if let Some(desc) = description {
                html.push_str(&format!("<p>{}</p>\n", render::escape_html(desc)));
            }
            // As Docusaurus's generated index: a card per item (`DocCardList`).
            html.push_str(&crate::cards::html(&crate::cards::cards(&c.items, &site.content.docs)));
            v.content_html = html;
            v.description = description.clone();
            v.sidebar = nav_items(site, si, &here);
            let (prev, next) = neighbours(site, si, &here, None);
            v.prev = prev;
            v.next = next;
            v.breadcrumbs.push(Crumb { label: c.label.clone(), url: None });
            let file = crate::content::route::output_file(url, &site.config.base_url, site.config.trailing_slash);
            out.push((file, theme.render_page(&v)?));
        }
    }
    Ok(out)
}

/// The URL of every generated index page, once each, in sidebar order.
fn generated_urls(site: &Site) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    site.sidebars
        .order
        .iter()
        .flatten()
        .filter_map(|stop| match stop {
            Stop::Generated(url) if seen.insert(url.clone()) => Some(url.clone()),
            _ => None,
        })
        .collect()
}

/// `sitemap.xml`: every listed page, with its last commit's date, and the generated pages.
pub fn sitemap(site: &Site) -> String {
    let c = &site.config;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if !has_home_page(site) {
        let loc = format!("{}{}", c.url, encode_path(&c.base_url));
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", render::escape_html(&loc)));
    }
    for (i, d) in site.content.docs.iter().enumerate().filter(|(_, d)| !d.is_unlisted() && d.front.draft != Some(true))
    {
        let loc = format!("{}{}", c.url, encode_path(&d.url));
        // The page's last git commit, as a W3C date; no lastmod outside git.
        let lastmod = match site.pages.get(i).and_then(|p| p.git_date) {
            Some(secs) => format!("<lastmod>{}</lastmod>", iso_date(secs)),
            None => String::new(),
        };
        xml.push_str(&format!("  <url><loc>{}</loc>{lastmod}</url>\n", render::escape_html(&loc)));
    }
    // A category's generated index is a page of the site too, as in Docusaurus's sitemap.
    for url in generated_urls(site) {
        let loc = format!("{}{}", c.url, encode_path(&url));
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", render::escape_html(&loc)));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `1700000000` → `2023-11-14` (UTC), the sitemap's date format; empty for a date out of range.
pub fn iso_date(secs: i64) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem] =
        time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::from_unix_timestamp(secs).ok().and_then(|d| d.format(FORMAT).ok()).unwrap_or_default()
}

/// `1700000000` → `14 November 2023` (UTC); empty for a date out of range.
pub fn format_date(secs: i64) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem] =
        time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    time::OffsetDateTime::from_unix_timestamp(secs).ok().and_then(|d| d.format(FORMAT).ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(format_date(0), "1 January 1970");
        assert_eq!(format_date(1_700_000_000), "14 November 2023");
        assert_eq!(format_date(951_782_400), "29 February 2000");
        assert_eq!(format_date(1_795_392_000), "23 November 2026");
        assert_eq!(iso_date(951_782_400), "2000-02-29");
        assert_eq!(iso_date(1_700_000_000), "2023-11-14");
    }
}
