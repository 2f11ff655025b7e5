//! The data the theme renders: views built by the pipeline, with every string final.
//!
//! In: nothing — these are plain structs the build fills in (URLs already absolute paths that
//! include `base_url`, dates already formatted, footer already HTML).
//! Out: serialized into the tera context by [`super::Theme`].

use serde::Serialize;

/// Site-wide values shared by every page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteView {
    pub title: String,
    /// BCP 47 language of the pages (`<html lang>`); "en" when empty.
    pub language: String,
    pub tagline: String,
    /// Path prefix of the site, e.g. `/` or `/docs/`.
    pub base_url: String,
    /// Site origin such as `https://docs.acme.dev`; may be empty.
    pub url: String,
    pub environment: String,
    pub is_production: bool,
    /// Text of the environment banner, e.g. "You are viewing the staging environment".
    pub banner: Option<String>,
    /// Repository web address, for the GitHub link.
    pub repository: Option<String>,
    /// URL of the logo image shown beside the title.
    pub logo: Option<String>,
    /// Footer, as HTML.
    pub footer: Option<String>,
    pub navbar: Vec<NavLink>,
    /// The footer's columns of links.
    pub footer_links: Vec<FooterColumnView>,
    /// Where [`super::Theme::assets`] are served, ending in `/`, e.g. `/base/assets/`.
    pub assets_url: String,
    /// Favicon URL; the theme's own `favicon.svg` when `None`.
    pub favicon: Option<String>,
    /// HTML (usually a `<script>`) inserted verbatim before `</body>`; set only by `serve`.
    pub live_reload_script: Option<String>,
    /// URL of mermaid's browser build in the site, when lectern found mermaid: pages with a
    /// diagram load `diagrams.js`, which imports it.
    pub mermaid_url: Option<String>,
}

/// A link in the top navigation bar.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NavLink {
    pub label: String,
    pub url: String,
    /// The current page is in this section.
    pub active: bool,
    /// It leaves the site: opens in a new tab.
    pub external: bool,
}

/// A column of footer links.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FooterColumnView {
    pub title: Option<String>,
    pub links: Vec<NavLink>,
}

/// One card of the generated home page: a sidebar.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HomeCard {
    /// The sidebar's label.
    pub label: String,
    /// Its first page's URL.
    pub url: String,
    /// Its first page's title.
    pub first_title: String,
    /// From the sidebar's index page (front matter `description`), else its `_category_` file.
    pub description: Option<String>,
}

/// One documentation page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub site: &'a SiteView,
    pub title: String,
    /// The page's own leading `# H1`, shown as its heading instead of `title` when present:
    /// Docusaurus keeps the body's H1 even when front matter sets another title.
    pub heading: Option<String>,
    pub hide_title: bool,
    pub description: Option<String>,
    pub canonical_url: Option<String>,
    pub og_image: Option<String>,
    /// Asks search engines to skip this page even in production.
    pub noindex: bool,
    /// The page body as HTML, from the markdown stage.
    pub content_html: String,
    pub toc: Vec<TocEntry>,
    pub breadcrumbs: Vec<Crumb>,
    /// Rendered to HTML in Rust (templates get `sidebar_html`), so it is not serialized.
    #[serde(skip)]
    pub sidebar: Vec<NavItem>,
    pub edit_url: Option<String>,
    pub feedback_url: Option<String>,
    /// Already formatted, e.g. "23 November 2026".
    pub last_updated: Option<String>,
    pub prev: Option<PagerLink>,
    pub next: Option<PagerLink>,
    /// This page's URL (absolute path).
    pub url: String,
    /// The page has speech players: the theme loads `speech.css` and `speech.js`.
    pub has_speech: bool,
    /// The page has Mermaid diagrams: the theme loads `diagrams.js` (when `site.mermaid_url`).
    pub has_diagrams: bool,
    /// The page shows code blocks: the theme adds the code-highlighting stylesheet.
    pub has_code: bool,
    /// A standalone page (`src/pages`): no sidebar, the site's menu instead.
    pub standalone: bool,
    /// Which of the navbar's links leads to the sidebar this page is in (marked current).
    pub navbar_current: Option<usize>,
}

impl<'a> PageView<'a> {
    /// An empty page of `site`, for filling in field by field.
    pub fn new(site: &'a SiteView, title: impl Into<String>, url: impl Into<String>) -> Self {
        PageView {
            site,
            title: title.into(),
            heading: None,
            hide_title: false,
            description: None,
            canonical_url: None,
            og_image: None,
            noindex: false,
            content_html: String::new(),
            toc: Vec::new(),
            breadcrumbs: Vec::new(),
            sidebar: Vec::new(),
            edit_url: None,
            feedback_url: None,
            last_updated: None,
            prev: None,
            next: None,
            url: url.into(),
            has_speech: false,
            has_diagrams: false,
            has_code: false,
            standalone: false,
            navbar_current: None,
        }
    }
}

/// A heading listed in "On this page".
#[derive(Debug, Clone, Default, Serialize)]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`, ...
    pub level: u8,
    pub id: String,
    /// Plain text (escaped when rendered).
    pub text: String,
}

/// One step of the breadcrumb trail; categories without a page have no URL.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Crumb {
    pub label: String,
    pub url: Option<String>,
}

/// The previous or next page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PagerLink {
    pub label: String,
    pub url: String,
}

/// What a sidebar entry is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NavKind {
    #[default]
    Doc,
    Category,
    /// A link to anywhere, usually another site.
    Link,
    /// Markup of the site's own ([`NavItem::html`]), shown as it is.
    Html,
}

/// An entry of the left sidebar.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NavItem {
    pub label: String,
    pub url: Option<String>,
    pub kind: NavKind,
    /// This entry is the current page.
    pub active: bool,
    /// A category shown expanded (the current page is inside it, or it is not collapsed).
    pub open: bool,
    pub collapsible: bool,
    pub class_name: Option<String>,
    pub items: Vec<NavItem>,
    /// URL of a JSON file (see [`super::sidebar_fragment_json`]) with this category's children,
    /// when `items` were left out to keep pages small.
    pub lazy_src: Option<String>,
    /// For [`NavKind::Html`]: the markup, written by the site's authors and shown unescaped.
    pub html: Option<String>,
    /// For [`NavKind::Html`]: padded like the other entries (Docusaurus's `defaultStyle`).
    pub default_style: bool,
}
