//! Docusaurus's rules beyond the spec's starting set (docs/05-migrating-from-docusaurus.md lists
//! them with their Docusaurus sources): the body's H1 as the page heading, site-relative
//! `/docs/….md` links, admonition aliases and footnote ids. A fixture of our own is built with
//! the binary and its HTML parsed.

mod support;

use serde_json::json;
use support::{StaticServer, browser};

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Html::parse_document(&text)
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = support::copy_fixture("docusaurus-compat");
    let out = site.path().join("build");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    (site, out)
}

#[test]
fn the_body_h1_is_the_heading_and_front_matter_names_the_page() {
    let (_site, out) = built();
    let intro = page(&out, "docs/intro/index.html");
    assert_eq!(texts(&intro, "article h1"), ["Radically Digital"]);
    assert_eq!(texts(&intro, "title"), ["Introduction | Compat Fixture"]);
    assert!(texts(&intro, "#sidebar a").contains(&"Introduction".to_string()));
}

#[test]
fn site_relative_markdown_links_resolve_like_docusaurus() {
    let (site, out) = built();
    let intro = page(&out, "docs/intro/index.html");
    let hrefs = attrs(&intro, "article p a:not([data-footnote-ref])", "href");
    assert_eq!(hrefs[..2], ["/docs/guide/second#a-section", "/docs/guide/second"]);
    // And `lectern check` agrees: no broken link, no broken anchor (footnote ids included).
    let check = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn admonition_aliases_and_footnotes() {
    let (_site, out) = built();
    let intro = page(&out, "docs/intro/index.html");
    assert_eq!(texts(&intro, "aside.admonition-info > p.admonition-title"), ["Important"]);
    assert_eq!(texts(&intro, "aside.admonition-tip > p.admonition-title"), ["Done"]);
    assert_eq!(attrs(&intro, "sup > a[data-footnote-ref]", "href"), ["#user-content-fn-1"]);
    assert_eq!(attrs(&intro, "section.footnotes li", "id"), ["user-content-fn-1"]);
    let second = page(&out, "docs/guide/second/index.html");
    assert_eq!(attrs(&second, "article a[href*='user-content']", "href"), ["/docs/intro#user-content-fn-1"]);
}

#[test]
fn emoji_shortcodes_and_bare_urls() {
    let (_site, out) = built();
    let intro = page(&out, "docs/intro/index.html");
    let para = texts(&intro, "article p").into_iter().find(|p| p.starts_with("Secure")).unwrap();
    assert_eq!(para, "Secure by default 🔒, checked ✅, see https://example.org/guide. or www.example.org.");
    assert_eq!(
        attrs(&intro, "article p a[href*='example.org']", "href"),
        ["https://example.org/guide", "http://www.example.org"]
    );
}

#[test]
fn tabs_and_details_are_built_readable() {
    let (_site, out) = built();
    let install = page(&out, "docs/guide/install/index.html");
    assert_eq!(attrs(&install, "div.tabs", "data-group-id"), ["os", "os"]);
    assert_eq!(attrs(&install, "div.tabs", "data-default"), ["mac", "mac"]);
    assert_eq!(texts(&install, "div.tab-panel > p.tab-panel-label"), ["macOS", "Windows", "macOS", "Windows"]);
    assert_eq!(texts(&install, "details.details > summary"), ["Why two steps?"]);
    assert_eq!(texts(&install, "details.details > p"), ["Because the second one is optional."]);
}

#[test]
fn tabs_work_in_a_browser_and_without_javascript() {
    if !support::require("chromium") {
        return;
    }
    let (_site, out) = built();
    let server = StaticServer::start(&out);
    let result = browser::run_script("tests/tabs.mjs", &server.url, json!({ "page": "/docs/guide/install/" }));
    browser::assert_ok(&result);
    // axe on the same page, tabs enhanced, light and dark.
    let job = json!({ "pages": [server.url_for("/docs/guide/install/")], "checks": ["axe"], "modes": browser::standard_modes() });
    browser::assert_ok(&browser::run(job));
}

/// A site with a docusaurus.config.js and no lectern.yml builds with the config's title, base
/// URL, docs folder, routes (Docusaurus's default /docs), edit links and logo; values only
/// running JavaScript would give are warnings at their line, and the build goes on.
#[test]
fn a_docusaurus_config_is_read_when_there_is_no_lectern_yml() {
    let site = support::copy_fixture("docusaurus-config");
    let out = site.path().join("build");
    let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(
        warnings,
        [
            "warning: docusaurus.config.js:11:8: `url` is `process.env.HANDBOOK_URL`, an environment variable, which lectern cannot know without running JavaScript; skipped"
        ],
        "{stderr}"
    );

    let home = page(&out, "docs/index.html");
    assert_eq!(texts(&home, "title"), ["Welcome | Example Council Handbook"]);
    assert!(attrs(&home, "a", "href").contains(&"/handbook/docs/guides/start".to_string()));
    assert_eq!(attrs(&home, "img.navbar-logo", "src"), ["/handbook/img/logo.svg"]);
    let hrefs = attrs(&home, "a", "href");
    assert!(
        hrefs.contains(&"https://github.com/example-council/handbook/tree/main/content/index.md".to_string()),
        "the edit link is editUrl (a template of a const) + the docs path + the file: {hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h.starts_with("https://github.com/example-council/handbook/issues/new?")),
        "{hrefs:?}"
    );
    assert!(out.join("docs/guides/start/index.html").is_file());
    // The client-redirects plugin's rules are redirect pages.
    for old in ["docs/old-start", "docs/getting-started"] {
        let redirect = page(&out, &format!("{old}/index.html"));
        assert_eq!(attrs(&redirect, "link[rel=canonical]", "href"), ["/handbook/docs/guides/start"], "{old}");
    }

    // A lectern.yml beside it wins, whole: the Docusaurus config is not read at all.
    fs::write(site.path().join("lectern.yml"), "title: From lectern.yml\ndocs_dir: content\n").unwrap();
    let out2 = site.path().join("build2");
    let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out2.as_os_str()]);
    assert_eq!(run.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&run.stderr).contains("docusaurus.config.js"));
    let home = page(&out2, "index.html");
    assert_eq!(texts(&home, "title"), ["Welcome | From lectern.yml"]);
}

/// Builds the docusaurus-config fixture with `from` replaced by `to` in its config: (exit code,
/// stderr).
fn build_with_config_edit(from: &str, to: &str) -> (Option<i32>, String) {
    let site = support::copy_fixture("docusaurus-config");
    let path = site.path().join("docusaurus.config.js");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "the fixture has {from}");
    fs::write(&path, text.replace(from, to)).unwrap();
    let out = site.path().join("b");
    let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    (run.status.code(), String::from_utf8_lossy(&run.stderr).into_owned())
}

/// A docusaurus.config.js that does not parse stops the build with its position.
#[test]
fn a_broken_docusaurus_config_is_an_error_with_its_position() {
    let (code, stderr) = build_with_config_edit("baseUrl: '/handbook/',", "baseUrl: '/handbook/',,");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.starts_with("error: docusaurus.config.js:12:"), "{stderr}");
    assert!(stderr.contains("help: lectern reads docusaurus.config.js without running it"), "{stderr}");
}

/// A client-redirects rule pointing nowhere is an error placed in docusaurus.config.js.
#[test]
fn a_broken_client_redirect_is_an_error_in_the_docusaurus_config() {
    let (code, stderr) = build_with_config_edit("to: '/docs/guides/start'", "to: '/docs/guides/strat'");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error: docusaurus.config.js:34:"), "{stderr}");
}
