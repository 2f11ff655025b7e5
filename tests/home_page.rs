//! The home page: when no page of a site claims `/`, the build makes one with the site's title,
//! tagline and a card per sidebar; a site's own home page wins; `lectern check` treats the
//! generated page as a page. Checked by building fixtures and parsing the HTML.

mod support;

use scraper::{Html, Selector};
use std::path::Path;

fn build(site: &Path) -> std::path::PathBuf {
    let out = site.join("build");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    out
}

fn parse(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())))
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).expect("selector"))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).expect("selector"))
        .filter_map(|e| e.value().attr(attr))
        .map(String::from)
        .collect()
}

#[test]
fn a_site_of_seven_sidebars_gets_a_home_page_with_a_card_per_sidebar() {
    let site = support::copy_fixture("header-seven");
    let out = build(site.path());
    let home = parse(&out.join("index.html"));
    assert_eq!(texts(&home, "main h1"), ["Hackney Development System Documentation"]);
    assert_eq!(texts(&home, "main .home-tagline"), ["How the council's developers build, ship and run services"]);
    assert_eq!(texts(&home, "title"), ["Hackney Development System Documentation"]);
    let labels = texts(&home, ".home-card h2");
    assert_eq!(labels, ["Guides", "Standards", "Tools", "Services", "Support", "Playbooks", "About"]);
    // Each card opens its sidebar's first page, a page that was built.
    let links = attrs(&home, ".home-card h2 a", "href");
    assert_eq!(links.len(), 7);
    for link in &links {
        let file = out.join(link.trim_start_matches('/')).join("index.html");
        assert!(file.is_file(), "{link} was not built");
    }
    assert_eq!(links[0], "/guides/");
    // The description comes from the sidebar's index page.
    let cards: Vec<String> = texts(&home, ".home-card");
    assert!(cards[0].contains("Everything about guides, in one place."), "{cards:?}");
    assert!(cards[0].contains("Starts with Guides"), "{cards:?}");
    // The title link and the 404 page's way home lead here; the sitemap lists it.
    assert_eq!(attrs(&home, ".navbar-brand", "href"), ["/"]);
    let not_found = parse(&out.join("404.html"));
    assert_eq!(attrs(&not_found, "main a.button", "href"), ["/"]);
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    assert!(sitemap.lines().any(|l| l.trim() == "<url><loc>/</loc></url>"), "{sitemap}");
}

#[test]
fn a_sites_own_home_page_wins() {
    let site = support::copy_fixture("search-basic");
    let out = build(site.path());
    let home = parse(&out.join("index.html"));
    assert!(texts(&home, ".home-card").is_empty(), "the site's docs/index.md is its home page");
    assert!(!texts(&home, "article.content").is_empty());
}

#[test]
fn check_accepts_links_to_the_generated_home_page_and_still_reports_missing_pages() {
    let site = support::copy_fixture("header-seven");
    let page = site.path().join("docs/about/working.md");
    let text = std::fs::read_to_string(&page).expect("reading a page");
    std::fs::write(&page, format!("{text}\n[Home](/) and [gone](/no-such-page)\n")).expect("writing a page");
    let output = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/no-such-page"), "the missing page is reported: {stderr}");
    assert!(!stderr.lines().any(|l| l.contains("'/'") || l.contains("`/`")), "the home page exists: {stderr}");
}

#[test]
fn markdown_pages_of_src_pages_build_at_their_paths_without_a_sidebar_and_the_sites_landing_page_wins() {
    let site = support::copy_fixture("header-seven");
    let pages = site.path().join("src/pages");
    std::fs::create_dir_all(pages.join("team")).expect("creating src/pages");
    std::fs::write(pages.join("index.md"), "# Welcome to the handbook\n\nStart with the [guides](/guides/).\n")
        .expect("writing a page");
    std::fs::write(pages.join("team/people.mdx"), "---\ntitle: Our people\n---\n\nWho we are.\n")
        .expect("writing a page");
    std::fs::write(pages.join("_draft.md"), "# Not a page\n").expect("writing a partial");
    std::fs::write(pages.join("react.js"), "export default () => null;\n").expect("writing a React page");
    let out = build(site.path());

    let home = parse(&out.join("index.html"));
    assert_eq!(texts(&home, "article.content h1"), ["Welcome to the handbook"]);
    assert!(texts(&home, ".home-card").is_empty(), "the site's own landing page wins");
    assert!(texts(&home, "#sidebar").is_empty(), "no sidebar on a standalone page");
    assert_eq!(attrs(&home, "#site-menu .menu-links a", "href").len(), 7, "the site's menu instead");
    assert_eq!(attrs(&home, ".layout", "class"), ["layout layout-standalone"]);

    let people = parse(&out.join("team/people/index.html"));
    // As Docusaurus's MDXPage: the front matter title names the page, but adds no heading.
    assert!(texts(&people, "article.content h1").is_empty(), "no title added to a page of src/pages");
    assert!(texts(&people, "title")[0].starts_with("Our people"), "{:?}", texts(&people, "title"));
    assert!(texts(&people, "#sidebar").is_empty());
    // Not in any sidebar or the navbar; in the sitemap.
    let guide = parse(&out.join("guides/index.html"));
    assert!(!attrs(&guide, "#sidebar a, .navbar-links a", "href").iter().any(|h| h.contains("team")));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    assert!(sitemap.contains("<loc>/team/people</loc>") || sitemap.contains("<loc>/team/people/</loc>"), "{sitemap}");
    assert!(!out.join("_draft/index.html").exists() && !out.join("react/index.html").exists());
    // check follows their links too, and says the React page is not built.
    let check = support::lectern_ok(["check".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("warning: src/pages/react.js") && l.contains("React page")),
        "{stderr}"
    );
    assert!(!stderr.contains("_draft"), "{stderr}");
}
