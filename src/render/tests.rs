//! Tests of the render stage: whole pages parsed back with `scraper` and checked by selector.

use scraper::{ElementRef, Html, Selector};

use super::*;

/// Stands in for the markdown stage's generated highlighting stylesheet.
const HIGHLIGHT: &str = ".hl-0 { color: #333 }";

fn site(production: bool) -> SiteView {
    SiteView {
        title: "Acme Docs".into(),
        tagline: "Everything about Acme".into(),
        base_url: "/base/".into(),
        url: "https://docs.acme.dev".into(),
        environment: if production { "production" } else { "staging" }.into(),
        is_production: production,
        banner: (!production).then(|| "You are viewing the staging environment".into()),
        repository: Some("https://github.com/acme/docs".into()),
        footer: Some("<p>© Acme</p>".into()),
        navbar: vec![NavLink { label: "Guides".into(), url: "/base/guides/".into(), active: true, external: false }],
        assets_url: "/base/assets/".into(),
        ..SiteView::default()
    }
}

fn doc(label: &str, url: &str) -> NavItem {
    NavItem { label: label.into(), url: Some(url.into()), ..NavItem::default() }
}

fn category(label: &str, open: bool, items: Vec<NavItem>) -> NavItem {
    NavItem { label: label.into(), kind: NavKind::Category, collapsible: true, open, items, ..NavItem::default() }
}

fn page(site: &SiteView) -> PageView<'_> {
    let mut page = PageView::new(site, "Install", "/base/guides/setup/install");
    page.description = Some("How to install Acme".into());
    page.canonical_url = Some("https://docs.acme.dev/base/guides/setup/install".into());
    page.content_html =
        "<p>Run the installer.</p><h2 id=\"linux\">Linux<a class=\"anchor\" href=\"#linux\">#</a></h2><p>Use apt.</p>"
            .into();
    page.toc = vec![
        TocEntry { level: 2, id: "linux".into(), text: "Linux".into() },
        TocEntry { level: 3, id: "debian".into(), text: "Debian & Ubuntu".into() },
    ];
    page.breadcrumbs = vec![
        Crumb { label: "Guides".into(), url: Some("/base/guides/".into()) },
        Crumb { label: "Setup".into(), url: None },
        Crumb { label: "Install".into(), url: Some("/base/guides/setup/install".into()) },
    ];
    page.sidebar = vec![
        doc("Intro", "/base/intro"),
        category(
            "Guides",
            true,
            vec![
                category("Setup", true, vec![NavItem { active: true, ..doc("Install", "/base/guides/setup/install") }]),
                category("Advanced", false, vec![doc("Tuning", "/base/guides/tuning")]),
            ],
        ),
    ];
    page.edit_url = Some("https://github.com/acme/docs/edit/main/docs/install.md".into());
    page.feedback_url = Some(feedback_url("https://github.com/acme/docs", &page.title, &page.url));
    page.last_updated = Some("23 November 2026".into());
    page.prev = Some(PagerLink { label: "Intro".into(), url: "/base/intro".into() });
    page.next = Some(PagerLink { label: "Tuning".into(), url: "/base/guides/tuning".into() });
    page
}

fn render(page: &PageView) -> Html {
    let theme = Theme::load(None, HIGHLIGHT).unwrap();
    Html::parse_document(&theme.render_page(page).unwrap())
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let parsed = Selector::parse(selector).unwrap();
    html.select(&parsed).collect()
}

fn text(element: &ElementRef) -> String {
    element.text().collect::<String>().trim().to_string()
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    select(html, selector).iter().map(text).collect()
}

fn attr(html: &Html, selector: &str, name: &str) -> Option<String> {
    select(html, selector).first().and_then(|e| e.value().attr(name)).map(str::to_string)
}

#[test]
fn page_has_title_meta_and_landmarks() {
    let site = site(true);
    let html = render(&page(&site));
    assert_eq!(texts(&html, "title"), ["Install | Acme Docs"]);
    assert_eq!(attr(&html, "html", "lang").as_deref(), Some("en"));
    assert_eq!(attr(&html, "meta[name=description]", "content").as_deref(), Some("How to install Acme"));
    assert_eq!(
        attr(&html, "link[rel=canonical]", "href").as_deref(),
        Some("https://docs.acme.dev/base/guides/setup/install")
    );
    assert_eq!(attr(&html, "meta[property='og:title']", "content").as_deref(), Some("Install"));
    assert_eq!(attr(&html, "link[rel=icon]", "href").as_deref(), Some("/base/assets/favicon.svg"));
    assert_eq!(attr(&html, "a.skip-link", "href").as_deref(), Some("#main"));
    assert_eq!(texts(&html, "main#main article h1"), ["Install"]);
    assert_eq!(select(&html, "#search.navbar-search").len(), 1);
    // One toggle in the navbar, one in the menu (the sidebar) for when the header collapses.
    assert_eq!(select(&html, ".navbar-actions button.theme-toggle").len(), 1);
    assert_eq!(select(&html, "#sidebar .menu-actions button.theme-toggle").len(), 1);
    assert_eq!(
        attr(&html, ".navbar a[aria-label='Source repository']", "href").as_deref(),
        Some("https://github.com/acme/docs")
    );
    assert_eq!(texts(&html, "footer.site-footer p"), ["© Acme"]);
    assert!(
        attr(&html, "script[data-scripts]", "data-scripts")
            .is_some_and(|s| s.starts_with("/base/assets/lectern.js?v="))
    );
}

#[test]
fn sidebar_marks_current_page_and_opens_its_categories() {
    let site = site(true);
    let html = render(&page(&site));
    let current = select(&html, "nav[aria-label='Docs sidebar'] [aria-current=page]");
    assert_eq!(current.iter().map(text).collect::<Vec<_>>(), ["Install"]);
    assert_eq!(texts(&html, "nav[aria-label='Docs sidebar'] details[open] > summary"), ["Guides", "Setup"]);
    assert_eq!(texts(&html, "nav[aria-label='Docs sidebar'] details:not([open]) > summary"), ["Advanced"]);
}

#[test]
fn breadcrumbs_toc_meta_and_pager() {
    let site = site(true);
    let html = render(&page(&site));
    assert_eq!(texts(&html, "nav[aria-label=Breadcrumbs] li"), ["", "Guides", "Setup", "Install"]);
    assert_eq!(texts(&html, "nav[aria-label=Breadcrumbs] [aria-current=page]"), ["Install"]);
    assert_eq!(texts(&html, "nav[aria-label='On this page'] li a"), ["Linux", "Debian & Ubuntu"]);
    assert_eq!(attr(&html, "nav[aria-label='On this page'] li.toc-level-3 a", "href").as_deref(), Some("#debian"));
    let meta = texts(&html, ".doc-meta a");
    assert_eq!(meta, ["Edit this page", "Report a problem with this page"]);
    assert_eq!(texts(&html, ".last-updated"), ["Last updated on 23 November 2026"]);
    assert_eq!(texts(&html, "nav[aria-label='Docs pages'] .pager-label"), ["Intro", "Tuning"]);
    assert_eq!(attr(&html, "a[rel=next]", "href").as_deref(), Some("/base/guides/tuning"));
}

#[test]
fn banner_and_noindex_only_off_production() {
    let staging = site(false);
    let html = render(&page(&staging));
    assert_eq!(texts(&html, ".env-banner"), ["You are viewing the staging environment"]);
    assert_eq!(attr(&html, "meta[name=robots]", "content").as_deref(), Some("noindex"));

    let production = site(true);
    let html = render(&page(&production));
    assert!(select(&html, ".env-banner").is_empty());
    assert!(select(&html, "meta[name=robots]").is_empty());

    let mut hidden = page(&production);
    hidden.noindex = true;
    assert_eq!(attr(&render(&hidden), "meta[name=robots]", "content").as_deref(), Some("noindex"));
}

#[test]
fn hide_title_drops_the_h1() {
    let site = site(true);
    let mut page = page(&site);
    page.hide_title = true;
    assert!(select(&render(&page), "h1").is_empty());
}

#[test]
fn user_text_is_escaped_everywhere() {
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let mut site = site(false);
    site.title = "Site <b>&</b>".into();
    site.banner = Some(evil.into());
    site.navbar[0].label = evil.into();
    let mut page = page(&site);
    page.title = evil.into();
    page.description = Some(evil.into());
    page.toc[0].text = evil.into();
    page.breadcrumbs[0].label = evil.into();
    page.sidebar[0].label = evil.into();
    page.sidebar[0].class_name = Some(evil.into());
    page.prev = Some(PagerLink { label: evil.into(), url: "/\"onmouseover=\"x".into() });
    let theme = Theme::load(None, HIGHLIGHT).unwrap();
    let raw = theme.render_page(&page).unwrap();
    let html = Html::parse_document(&raw);
    // The only scripts are the theme's own; no element got an injected handler.
    assert_eq!(select(&html, "script").len(), 2);
    assert!(select(&html, "img[onerror], [onmouseover]").is_empty());
    assert_eq!(texts(&html, "title"), [format!("{evil} | Site <b>&</b>")]);
    assert_eq!(texts(&html, ".navbar-title"), ["Site <b>&</b>"]);
    assert_eq!(attr(&html, "meta[name=description]", "content").as_deref(), Some(evil));
    assert_eq!(texts(&html, "article h1"), [evil]);
    assert_eq!(texts(&html, ".sidebar-item-doc a")[0], evil);
    assert_eq!(texts(&html, "nav[aria-label='On this page'] a")[0], evil);
    assert!(!raw.contains("<script>alert"));
}

#[test]
fn not_found_page_links_home() {
    let site = site(true);
    let theme = Theme::load(None, HIGHLIGHT).unwrap();
    let html = Html::parse_document(&theme.render_404(&site).unwrap());
    assert_eq!(texts(&html, "title"), ["Page not found | Acme Docs"]);
    assert_eq!(texts(&html, "main h1"), ["Page not found"]);
    assert_eq!(attr(&html, "main a.button", "href").as_deref(), Some("/base/"));
    assert_eq!(texts(&html, ".navbar-links a"), ["Guides"]);
    assert_eq!(attr(&html, "meta[name=robots]", "content").as_deref(), Some("noindex"));
}

#[test]
fn live_reload_script_goes_before_body_end() {
    let mut site = site(true);
    site.live_reload_script = Some("<script src=\"/__lectern/live.js\"></script>".into());
    let theme = Theme::load(None, HIGHLIGHT).unwrap();
    let raw = theme.render_page(&page(&site)).unwrap();
    assert!(raw.trim_end().ends_with("<script src=\"/__lectern/live.js\"></script>\n</body>\n</html>"));
}

#[test]
fn assets_include_theme_files_and_highlight_css() {
    let theme = Theme::load(None, ".hl-keyword { color: red }").unwrap();
    let assets = theme.assets();
    let names: Vec<&str> = assets.iter().map(|(name, _)| name.as_str()).collect();
    for name in ["favicon.svg", "lectern.css", "lectern.js", "search.css", "search.js", "speech.css", "speech.js"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let highlight = assets.iter().find(|(name, _)| name == "highlight.css").map(|a| a.1.as_slice());
    assert_eq!(highlight, Some(b".hl-keyword { color: red }".as_slice()));
}

/// Names of the stylesheets a page carries inline, and of those it links.
fn stylesheets(html: &Html) -> (Vec<String>, Vec<String>) {
    let name = |href: &str| href.rsplit('/').next().unwrap_or("").split('?').next().unwrap_or("").to_string();
    let inline =
        select(html, "style[data-href]").iter().filter_map(|e| e.value().attr("data-href")).map(name).collect();
    let linked = select(html, "link[rel=stylesheet]").iter().filter_map(|e| e.value().attr("href")).map(name).collect();
    (inline, linked)
}

#[test]
fn a_page_carries_the_stylesheets_it_uses_and_no_more() {
    let site = site(true);
    let theme = Theme::load(None, HIGHLIGHT).unwrap();
    let cases = [
        (false, false, vec!["lectern.css", "search.css"]),
        (true, false, vec!["lectern.css", "highlight.css", "search.css"]),
        (false, true, vec!["lectern.css", "speech.css", "search.css"]),
        (true, true, vec!["lectern.css", "highlight.css", "speech.css", "search.css"]),
    ];
    for (has_code, has_speech, want) in cases {
        let mut page = page(&site);
        page.has_code = has_code;
        page.has_speech = has_speech;
        let html = Html::parse_document(&theme.render_page(&page).unwrap());
        let (inline, linked) = stylesheets(&html);
        assert_eq!(inline, want, "code {has_code}, speech {has_speech}");
        assert!(linked.is_empty(), "nothing holds up the first paint: {linked:?}");
        // Each carries its file's text, and names the file with the assets' version.
        for style in select(&html, "style[data-href]") {
            let href = style.value().attr("data-href").unwrap();
            assert!(href.starts_with("/base/assets/") && href.contains("?v="), "{href}");
            let file = href["/base/assets/".len()..].split('?').next().unwrap();
            let bytes = theme.assets().into_iter().find(|(n, _)| n == file).map(|(_, b)| b).unwrap();
            let want = css::minify(std::str::from_utf8(&bytes).unwrap());
            assert_eq!(style.text().collect::<String>(), want, "{file}");
        }
        let scripts = attr(&html, "script[data-scripts]", "data-scripts").unwrap();
        let scripts: Vec<&str> =
            scripts.split(' ').map(|s| s.rsplit('/').next().unwrap().split('?').next().unwrap()).collect();
        let want_scripts = if has_speech { vec!["lectern.js", "speech.js"] } else { vec!["lectern.js"] };
        assert_eq!(scripts, want_scripts);
        assert!(
            attr(&html, "script[data-search]", "data-search")
                .is_some_and(|s| s.starts_with("/base/assets/search.js?v="))
        );
        // No script is fetched before the page has painted.
        assert!(select(&html, "script[src]").is_empty());
    }
}

#[test]
fn home_and_404_pages_carry_the_theme_and_search_stylesheets() {
    let site = site(true);
    let theme = Theme::load(None, HIGHLIGHT).unwrap();
    for raw in [theme.render_404(&site).unwrap(), theme.render_home(&site, &[]).unwrap()] {
        let html = Html::parse_document(&raw);
        assert_eq!(stylesheets(&html), (vec!["lectern.css".to_string(), "search.css".to_string()], vec![]));
    }
}

#[test]
fn a_stylesheet_that_cannot_go_inline_is_linked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("search.css"), "a::after { content: \"</STYLE>\" }").unwrap();
    std::fs::write(dir.path().join("speech.css"), [0xff, 0xfe, b'a']).unwrap();
    let theme = Theme::load(Some(dir.path()), HIGHLIGHT).unwrap();
    let site = site(true);
    let mut page = page(&site);
    page.has_speech = true;
    let html = Html::parse_document(&theme.render_page(&page).unwrap());
    let (inline, linked) = stylesheets(&html);
    assert_eq!(inline, ["lectern.css"]);
    assert_eq!(linked, ["speech.css", "search.css"]);
}

#[test]
fn override_dir_replaces_templates_and_assets_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("page.html"),
        "{% extends \"base.html\" %}{% block body %}<main id=\"main\"><p class=\"custom\">{{ title }}</p></main>{% endblock body %}",
    )
    .unwrap();
    std::fs::write(dir.path().join("lectern.css"), "body{color:red}").unwrap();
    std::fs::write(dir.path().join("extra.svg"), "<svg/>").unwrap();
    let theme = Theme::load(Some(dir.path()), HIGHLIGHT).unwrap();
    let site = site(true);
    let html = Html::parse_document(&theme.render_page(&page(&site)).unwrap());
    assert_eq!(texts(&html, "main p.custom"), ["Install"]);
    assert!(select(&html, "nav[aria-label='Docs sidebar']").is_empty());
    let assets = theme.assets();
    let css = assets.iter().find(|(name, _)| name == "lectern.css").map(|(_, b)| b.as_slice());
    assert_eq!(css, Some(&b"body{color:red}"[..]));
    // Pages carry the site's stylesheet, not the built-in one.
    let inline = select(&html, "style[data-href*='lectern.css']").first().map(|e| e.text().collect::<String>());
    assert_eq!(inline.as_deref(), Some("body{color:red}"));
    assert!(assets.iter().any(|(name, _)| name == "extra.svg"));
}

#[test]
fn broken_override_template_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(&path, "<h1>\n{{ title | }}\n</h1>\n").unwrap();
    let error = Theme::load(Some(dir.path()), HIGHLIGHT).err().unwrap();
    let diagnostics = error.downcast_ref::<Diagnostics>().unwrap();
    let diagnostic = &diagnostics.0[0];
    assert_eq!(diagnostic.path, path);
    assert_eq!(diagnostic.line, 2);
    assert!(diagnostic.column > 0);
    assert_eq!(diagnostic.source_line.as_deref(), Some("{{ title | }}"));
    assert!(error.to_string().contains("page.html:2:"), "{error}");
}

#[test]
fn override_extending_a_missing_template_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), "{% extends \"nope.html\" %}").unwrap();
    let error = Theme::load(Some(dir.path()), HIGHLIGHT).err().unwrap();
    let message = format!("{error:#}");
    assert!(message.contains("page.html") && message.contains("nope.html"), "{message}");
}

#[test]
fn document_titles() {
    let cases = [("Install", "Acme", "Install | Acme"), ("Acme", "Acme", "Acme"), ("", "Acme", "Acme"), ("A", "", "A")];
    for (page, site, want) in cases {
        assert_eq!(document_title(page, site), want);
    }
}

#[test]
fn main_of_a_small_page_snapshot() {
    let site = site(true);
    let mut small = PageView::new(&site, "Hello", "/base/hello");
    small.content_html = "<p>Hi <code>there</code>.</p>".into();
    small.toc = vec![TocEntry { level: 2, id: "more".into(), text: "More".into() }];
    small.breadcrumbs = vec![Crumb { label: "Hello".into(), url: Some("/base/hello".into()) }];
    small.last_updated = Some("23 November 2026".into());
    small.next = Some(PagerLink { label: "Next one".into(), url: "/base/next".into() });
    let html = render(&small);
    let main = select(&html, "main").first().map(|m| m.html()).unwrap_or_default();
    insta::assert_snapshot!(main);
}
