//! Render stage: turns page views into HTML with the theme's tera templates.
//!
//! In: [`PageView`]s and a [`SiteView`] (every string final: URLs absolute paths, dates
//! formatted, content already HTML) and optionally a site's own `theme/` folder.
//! Out: one HTML document per page, a 404 page, and the static assets (CSS, JS, icons) to write
//! under `OUT/assets/`. The default theme lives in `theme/` at the repository root and is compiled
//! in; a site's `theme/` replaces any of its files by name and may add more.

mod css;
mod escape;
mod header;
mod nav;
mod views;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;
use tera::{Context, Tera};

use crate::{Diagnostic, Diagnostics};

pub use escape::{escape_html, feedback_url, percent_encode};
pub use header::header_collapse_width;
pub use nav::{sidebar_fragment_json, sidebar_html};
pub use views::{
    Crumb, FooterColumnView, HomeCard, NavItem, NavKind, NavLink, PageView, PagerLink, SiteView, TocEntry,
};

/// The built-in templates, by the names templates use to refer to each other.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../theme/base.html")),
    ("page.html", include_str!("../../theme/page.html")),
    ("404.html", include_str!("../../theme/404.html")),
    ("home.html", include_str!("../../theme/home.html")),
    ("menu-extras.html", include_str!("../../theme/menu-extras.html")),
    ("theme-toggle.html", include_str!("../../theme/theme-toggle.html")),
    ("repo-link.html", include_str!("../../theme/repo-link.html")),
];

/// The built-in assets, served from `SiteView::assets_url`.
const BUILTIN_ASSETS: &[(&str, &[u8])] = &[
    ("lectern.css", include_bytes!("../../theme/lectern.css")),
    ("lectern.js", include_bytes!("../../theme/lectern.js")),
    ("search.js", include_bytes!("../../theme/search.js")),
    ("search.css", include_bytes!("../../theme/search.css")),
    ("favicon.svg", include_bytes!("../../theme/favicon.svg")),
    ("speech.css", include_bytes!("../../theme/speech.css")),
    ("speech.js", include_bytes!("../../theme/speech.js")),
    ("diagrams.js", include_bytes!("../../theme/diagrams.js")),
];

/// Name under which [`Theme::assets`] returns the code-highlighting CSS.
pub const HIGHLIGHT_CSS: &str = "highlight.css";

/// A stylesheet a page uses: its URL, and its text when it goes into the page itself.
#[derive(Debug, Clone, Serialize)]
pub struct Stylesheet {
    /// Name of the asset, e.g. `lectern.css`.
    pub name: String,
    /// Its URL, with the assets' version.
    pub href: String,
    /// The stylesheet's text, made smaller, for a `<style>` element; `None` when it cannot go
    /// inline (not UTF-8, or it holds `</style`), and the page links it instead.
    pub css: Option<String>,
}

/// Loaded templates and assets; cheap to share across threads while pages render in parallel.
pub struct Theme {
    tera: Tera,
    assets: BTreeMap<String, Vec<u8>>,
    /// Each stylesheet's text as pages carry it ([`css::inline_css`]), by asset name.
    inline: BTreeMap<String, Option<String>>,
    /// Short hash of the assets, appended to their URLs so browsers fetch new versions.
    asset_version: String,
    /// Hash of every template and asset: a page rendered with an equal theme is equal.
    fingerprint: u64,
}

impl Theme {
    /// Built-in theme, with files from `override_dir` (a site's theme/ folder) replacing built-in ones by file name.
    /// `highlight_css` (the code-highlighting stylesheet the markdown stage generates) becomes
    /// the asset `highlight.css` unless the site's theme folder has its own.
    ///
    /// A template that fails to parse is an error naming the file (a [`Diagnostic`] with line and
    /// column when tera gives them, else anyhow with the path).
    pub fn load(override_dir: Option<&Path>, highlight_css: &str) -> anyhow::Result<Theme> {
        let mut templates: BTreeMap<String, (PathBuf, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), (Path::new("theme").join(name), text.to_string())))
            .collect();
        let mut assets: BTreeMap<String, Vec<u8>> =
            BUILTIN_ASSETS.iter().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
        assets.insert(HIGHLIGHT_CSS.to_string(), highlight_css.as_bytes().to_vec());
        if let Some(dir) = override_dir {
            read_overrides(dir, &mut templates, &mut assets)?;
        }

        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        // Parse one by one first so a syntax error names its file and position.
        for (name, (path, text)) in &templates {
            tera::Template::new(name, None, text).map_err(|e| template_error(path, text, &e))?;
        }
        tera.add_raw_templates(templates.iter().map(|(name, (_, text))| (name, text)))
            .map_err(anyhow::Error::new)
            .context("loading the theme's templates")?;

        let asset_version = format!("{:08x}", fnv1a(assets.values()) as u32);
        let names_and_texts = templates.iter().flat_map(|(name, (_, text))| [name.as_bytes(), text.as_bytes()]);
        let fingerprint = fnv1a(names_and_texts.chain(assets.values().map(Vec::as_slice)));
        let inline = assets
            .iter()
            .filter(|(name, _)| name.ends_with(".css"))
            .map(|(name, bytes)| (name.clone(), css::inline_css(bytes)))
            .collect();
        Ok(Theme { tera, assets, inline, asset_version, fingerprint })
    }

    /// A hash of every template and asset of the theme.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The HTML document of one page, from `page.html`.
    pub fn render_page(&self, page: &PageView) -> anyhow::Result<String> {
        let mut context = Context::from_serialize(page).map_err(anyhow::Error::new)?;
        context.insert("sidebar_html", &sidebar_html(&page.sidebar));
        self.render("page.html", page, context)
    }

    /// The "page not found" document, from `404.html`.
    pub fn render_404(&self, site: &SiteView) -> anyhow::Result<String> {
        let url = format!("{}404.html", site.base_url);
        let mut page = PageView::new(site, "Page not found", url);
        page.noindex = true;
        let context = Context::from_serialize(&page).map_err(anyhow::Error::new)?;
        self.render("404.html", &page, context)
    }

    /// The generated home page, from `home.html`: the site's title and tagline and `cards`.
    pub fn render_home(&self, site: &SiteView, cards: &[HomeCard]) -> anyhow::Result<String> {
        let mut page = PageView::new(site, site.title.clone(), site.base_url.clone());
        page.description = (!site.tagline.is_empty()).then(|| site.tagline.clone());
        let mut context = Context::from_serialize(&page).map_err(anyhow::Error::new)?;
        context.insert("cards", cards);
        self.render("home.html", &page, context)
    }

    /// Static assets to write under OUT/assets/ (css, js, icons), as (relative path, bytes).
    ///
    /// Pages carry their stylesheets inline; the files are written too, for templates that link
    /// them and for stylesheets that cannot go inline.
    pub fn assets(&self) -> Vec<(String, Vec<u8>)> {
        self.assets.iter().map(|(name, bytes)| (name.clone(), bytes.clone())).collect()
    }

    /// The stylesheets `page` uses, in cascade order: the theme's own, code highlighting when
    /// the page shows code, the speech player's when it has one, and search's (the box is in
    /// every page's navbar). Each goes into the page, so nothing holds up its first paint.
    pub fn stylesheets(&self, page: &PageView) -> Vec<Stylesheet> {
        let names = [
            ("lectern.css", true),
            (HIGHLIGHT_CSS, page.has_code),
            ("speech.css", page.has_speech),
            ("search.css", true),
        ];
        names
            .iter()
            .filter(|(name, used)| *used && self.assets.contains_key(*name))
            .map(|(name, _)| Stylesheet {
                name: name.to_string(),
                href: self.asset_url(page.site, name),
                css: self.inline.get(*name).cloned().flatten(),
            })
            .collect()
    }

    /// The scripts `page` runs once it has painted: the theme's, and the speech player's when it
    /// has one. Search's loads when the reader goes to search (see `base.html`).
    pub fn scripts(&self, page: &PageView) -> Vec<String> {
        let names = [("lectern.js", true), ("speech.js", page.has_speech)];
        names.iter().filter(|(_, used)| *used).map(|(name, _)| self.asset_url(page.site, name)).collect()
    }

    /// The URL of the asset `name`, with the assets' version so browsers fetch a new one.
    fn asset_url(&self, site: &SiteView, name: &str) -> String {
        format!("{}{name}?v={}", site.assets_url, self.asset_version)
    }

    fn render(&self, template: &str, page: &PageView, mut context: Context) -> anyhow::Result<String> {
        context.insert("document_title", &document_title(&page.title, &page.site.title));
        context.insert("robots_noindex", &(page.noindex || !page.site.is_production));
        context.insert("asset_version", &self.asset_version);
        context.insert("stylesheets", &self.stylesheets(page));
        context.insert("scripts", &self.scripts(page));
        context.insert("search_script", &self.asset_url(page.site, "search.js"));
        // Collapsed below the width it needs; one that never fits collapses at every width.
        let collapse_below = header_collapse_width(page.site).min(100_000);
        context.insert("header_collapse_px", &(collapse_below - 1));
        self.tera
            .render(template, &context)
            .map_err(anyhow::Error::new)
            .with_context(|| format!("rendering {} with the theme's {template}", page.url))
    }
}

/// `Page | Site`, or just the site's title on its home page.
fn document_title(page_title: &str, site_title: &str) -> String {
    if page_title.is_empty() || page_title == site_title {
        site_title.to_string()
    } else if site_title.is_empty() {
        page_title.to_string()
    } else {
        format!("{page_title} | {site_title}")
    }
}

/// Reads a site's theme folder: `*.html` files are templates, everything else an asset;
/// names are paths relative to the folder, with `/`.
fn read_overrides(
    dir: &Path,
    templates: &mut BTreeMap<String, (PathBuf, String)>,
    assets: &mut BTreeMap<String, Vec<u8>>,
) -> anyhow::Result<()> {
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| format!("reading theme folder {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let name = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if name.ends_with(".html") {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading theme template {}", path.display()))?;
            templates.insert(name, (path.to_path_buf(), text));
        } else {
            let bytes = std::fs::read(path).with_context(|| format!("reading theme asset {}", path.display()))?;
            assets.insert(name, bytes);
        }
    }
    Ok(())
}

/// A template parse error as a diagnostic at the position tera reports (` --> line:col`).
fn template_error(path: &Path, text: &str, error: &tera::Error) -> anyhow::Error {
    let mut detail = String::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        detail = e.to_string();
        source = e.source();
    }
    let position = detail.lines().find_map(|line| {
        let (l, c) = line.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?))
    });
    let message = detail.lines().filter_map(|line| line.trim().strip_prefix("= ")).collect::<Vec<_>>().join("; ");
    let message = if message.is_empty() { detail.trim().to_string() } else { message };
    match position {
        Some((line, column)) => {
            let diagnostic = Diagnostic::error(path, line, column, format!("template does not parse: {message}"))
                .with_source(text)
                .with_help("theme templates use tera 1 syntax: https://keats.github.io/tera/docs/");
            anyhow::Error::new(Diagnostics(vec![diagnostic]))
        }
        None => anyhow::anyhow!("theme template {} does not parse: {message}", path.display()),
    }
}

/// 64-bit FNV-1a over several byte strings: small, stable across builds, good enough for cache keys.
pub(crate) fn fnv1a<P: AsRef<[u8]>>(parts: impl IntoIterator<Item = P>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.as_ref() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
