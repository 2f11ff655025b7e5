//! The navbar's and footer's links, and the default collapsing of sidebar categories: written
//! in `lectern.yml` (tests/fixtures/site-links) and read from a Docusaurus config's
//! `themeConfig.navbar.items`, `themeConfig.footer.links` and the docs options'
//! `sidebarCollapsible` (tests/fixtures/docusaurus-navbar). Built with the binary and the HTML
//! parsed; ids that name nothing and paths that match no page are reported at their line;
//! `lectern migrate` carries all of it over.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

fn build(site: &Path) -> PathBuf {
    let out = site.join("build");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    out
}

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    Html::parse_document(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())))
}

/// `label -> href` of each link matched by `css`, with `[new tab]` for a link that opens one and
/// `*` for the current one.
fn links(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).expect("selector"))
        .map(|a| {
            let label: String = a.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
            let v = a.value();
            let tab = if v.attr("target") == Some("_blank") && v.attr("rel") == Some("noopener noreferrer") {
                " [new tab]"
            } else {
                ""
            };
            let current = if v.attr("aria-current").is_some() { " *" } else { "" };
            format!("{label} -> {}{tab}{current}", v.attr("href").unwrap_or_default())
        })
        .collect()
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).expect("selector"))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Each sidebar category's label and state: `open`, `closed` or `always open` (not collapsible).
fn categories(doc: &Html) -> Vec<String> {
    let item = Selector::parse(".sidebar .sidebar-item-category").expect("selector");
    let details = Selector::parse("details").expect("selector");
    let label = Selector::parse("summary, .sidebar-category-label").expect("selector");
    doc.select(&item)
        .map(|li| {
            let name = li.select(&label).next().map(|l| l.text().collect::<String>().trim().to_string());
            let state = match li.select(&details).next() {
                Some(d) if d.value().attr("open").is_some() => "open",
                Some(_) => "closed",
                None => "always open",
            };
            format!("{}: {state}", name.unwrap_or_default())
        })
        .collect()
}

#[test]
fn navbar_and_footer_links_from_lectern_yml() {
    let site = support::copy_fixture("site-links");
    let out = build(site.path());
    let api = page(&out, "reference/api/index.html");
    let navbar = [
        "Guides -> /guides/intro",
        "API -> /reference/api *",
        "Glossary -> /reference/glossary",
        "Status (opens in a new tab) -> https://status.example.org [new tab]",
        "Setting up -> /guides/setup/install",
    ];
    assert_eq!(links(&api, ".navbar-links a"), navbar, "in order, the page's sidebar marked current");
    assert_eq!(links(&api, ".menu-links a"), navbar, "the phone menu has the same links");
    let intro = page(&out, "guides/intro/index.html");
    assert_eq!(links(&intro, ".navbar-links a")[0], "Guides -> /guides/intro *");
    assert_eq!(texts(&intro, ".site-footer .footer-title"), ["Docs", "Elsewhere"]);
    assert_eq!(
        links(&intro, ".site-footer a"),
        [
            "Start here -> /guides/intro",
            "Glossary -> /reference/glossary",
            "GitHub (opens in a new tab) -> https://github.com/example/site-links [new tab]",
        ]
    );
    // `sidebar_collapsed: false` opens every category that does not say otherwise.
    assert_eq!(categories(&intro), ["Setup: open", "Archive: closed"]);
    // The generated home page has the same header and footer.
    let home = page(&out, "index.html");
    assert_eq!(links(&home, ".navbar-links a").len(), 5);
    assert_eq!(links(&home, ".site-footer a").len(), 3);
}

#[test]
fn navbar_footer_and_collapsibility_from_docusaurus_config() {
    let site = support::copy_fixture("docusaurus-navbar");
    let out = build(site.path());
    let faq = page(&out, "docs/extras/faq/index.html");
    // Left items in order, then the right ones; the search box is lectern's own and the
    // dropdown's links stand in its place; the html item is reported (below) and left out.
    assert_eq!(
        links(&faq, ".navbar-links a"),
        [
            "Tutorial -> /docs/tutorial/first-steps",
            "Questions -> /docs/extras/faq",
            "Contact us -> /docs/extras/contact",
            "Extras -> /docs/extras/faq *",
            "GitHub (opens in a new tab) -> https://github.com/example/handbook [new tab]",
        ]
    );
    assert_eq!(texts(&faq, ".site-footer .footer-title"), ["Docs", "Community"]);
    assert_eq!(
        links(&faq, ".site-footer a"),
        ["Tutorial -> /docs/tutorial/first-steps", "Chat (opens in a new tab) -> https://chat.example.org [new tab]"]
    );
    assert!(texts(&faq, ".site-footer-inner").concat().contains("Copyright Example Council"));
    // `sidebarCollapsible: false`: no category collapses, even one written `collapsed: true`.
    let first = page(&out, "docs/tutorial/first-steps/index.html");
    assert_eq!(categories(&first), ["Going further: always open"]);

    let run = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(
            "warning: docusaurus.config.js:35:9: navbar items of type `html` are not shown by lectern; left out"
        ),
        "{stderr}"
    );
}

#[test]
fn links_that_lead_nowhere_are_reported_at_their_line() {
    let site = support::copy_fixture("site-links");
    let config = site.path().join("lectern.yml");
    let text = fs::read_to_string(&config).expect("lectern.yml");
    // An unknown sidebar: an error at its line, with the nearest id.
    fs::write(&config, text.replace("  - label: API\n    sidebar: reference", "  - label: API\n    sidebar: refrence"))
        .expect("write");
    let run = support::lectern(["build".as_ref(), site.path().as_os_str()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error: lectern.yml:13:5: there is no sidebar `refrence`"), "{stderr}");
    assert!(stderr.contains("did you mean `reference`?"), "{stderr}");
    // An unknown doc id.
    fs::write(&config, text.replace("doc: reference/glossary", "doc: reference/glosary")).expect("write");
    let run = support::lectern(["build".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error: lectern.yml:15:5: there is no doc with id `reference/glosary`"), "{stderr}");
    assert!(stderr.contains("did you mean `reference/glossary`?"), "{stderr}");
    // Two targets in one link.
    fs::write(&config, text.replace("  - label: Status\n", "  - label: Status\n    doc: guides/intro\n"))
        .expect("write");
    let run = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("link `Status` needs exactly one of `sidebar`, `doc` and `href`"), "{stderr}");
    // A path of the site that matches no page: checked like a page's links.
    fs::write(&config, text.replace("href: /reference/glossary", "href: /reference/glosary")).expect("write");
    let run = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error: lectern.yml:25:9: footer link '/reference/glosary' matches no page"), "{stderr}");
    assert!(stderr.contains("/reference/glossary"), "a suggestion: {stderr}");
}

#[test]
fn migrate_carries_the_navbar_footer_and_collapsibility_over() {
    let site = support::copy_fixture("docusaurus-navbar");
    let root = site.path();
    let from_docusaurus = build(root);
    support::lectern_ok(["migrate".as_ref(), root.as_os_str()]);
    let yaml = fs::read_to_string(root.join("lectern.yml")).expect("lectern.yml");
    assert!(yaml.contains("sidebar_collapsible: false\n"), "{yaml}");
    assert!(yaml.contains("  sidebar: tutorial\n"), "{yaml}");
    fs::remove_dir_all(&from_docusaurus).expect("clean");
    let from_yml = root.join("from-yml");
    support::lectern_ok(["build".as_ref(), root.as_os_str(), "--out".as_ref(), from_yml.as_os_str()]);
    let out_docusaurus = root.join("again");
    // Built again from the Docusaurus files alone, for the comparison.
    let docusaurus_only = tempfile::tempdir().expect("tempdir");
    support::copy_dir(&support::fixture_path("docusaurus-navbar"), docusaurus_only.path());
    support::lectern_ok([
        "build".as_ref(),
        docusaurus_only.path().as_os_str(),
        "--out".as_ref(),
        out_docusaurus.as_os_str(),
    ]);
    for rel in ["docs/extras/faq/index.html", "docs/tutorial/first-steps/index.html"] {
        let (a, b) = (page(&out_docusaurus, rel), page(&from_yml, rel));
        assert_eq!(links(&a, ".navbar-links a"), links(&b, ".navbar-links a"), "{rel}");
        assert_eq!(links(&a, ".site-footer a"), links(&b, ".site-footer a"), "{rel}");
        assert_eq!(categories(&a), categories(&b), "{rel}");
    }
}
