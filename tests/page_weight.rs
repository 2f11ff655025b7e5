//! What each built page carries and loads (issue 20, "no page ships more than it uses"), on the
//! `page-weight` fixture: a page of text, one with code, one with a speech player, one with a
//! picture first, one with tabs. Each carries the stylesheets it uses in the page itself (so its
//! first paint waits for no other file) and names its scripts, which load once it has painted;
//! search's script loads when the reader goes to search. Then in Chromium: the first paint is
//! styled, scripts come after it and after the images then in view, and nothing moves.

mod support;

use std::path::Path;

use scraper::{Html, Selector};
use serde_json::json;
use support::{StaticServer, browser};

fn build(site: &Path) -> std::path::PathBuf {
    let out = site.join("build");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    out
}

fn page(out: &Path, file: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}")))
}

fn select<'a>(doc: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(selector).unwrap()).collect()
}

/// The asset a URL names: `/assets/lectern.css?v=1a2b` → `lectern.css`.
fn asset(url: &str) -> String {
    let path = url.split('?').next().unwrap_or(url);
    assert!(path.starts_with("/assets/") && url.contains("?v="), "{url}");
    path["/assets/".len()..].to_string()
}

/// CSS without comments or whitespace, to compare a stylesheet with the page's copy of it.
fn bare_css(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out.split_whitespace().collect()
}

#[test]
fn each_page_carries_the_stylesheets_it_uses_and_names_its_scripts() {
    let site = support::copy_fixture("page-weight");
    let out = build(site.path());
    let theme = ["lectern.css", "search.css"];
    let cases: [(&str, &[&str], &[&str]); 6] = [
        ("index.html", &theme, &["lectern.js"]),
        ("code/index.html", &["lectern.css", "highlight.css", "search.css"], &["lectern.js"]),
        ("speech/index.html", &["lectern.css", "speech.css", "search.css"], &["lectern.js", "speech.js"]),
        ("picture/index.html", &theme, &["lectern.js"]),
        ("tabs/index.html", &theme, &["lectern.js"]),
        ("404.html", &theme, &["lectern.js"]),
    ];
    for (file, stylesheets, scripts) in cases {
        let doc = page(&out, file);
        let styles = select(&doc, "head style[data-href]");
        let names: Vec<String> = styles.iter().map(|s| asset(s.value().attr("data-href").unwrap())).collect();
        assert_eq!(names, stylesheets, "{file}: stylesheets");
        // Each is the file's text (without its comments and spaces), and the file is written too.
        for (style, name) in styles.iter().zip(&names) {
            let written = std::fs::read_to_string(out.join("assets").join(name)).unwrap();
            assert_eq!(bare_css(&style.text().collect::<String>()), bare_css(&written), "{file}: {name}");
        }
        assert!(select(&doc, "link[rel=stylesheet]").is_empty(), "{file}: a stylesheet holds up the first paint");
        // The first paint waits for the main content, which every page has.
        assert_eq!(select(&doc, "head link[rel=expect][href='#main'][blocking=render]").len(), 1, "{file}");
        assert_eq!(select(&doc, "main#main").len(), 1, "{file}");
        assert!(select(&doc, "script[src]").is_empty(), "{file}: a script is fetched with the page");
        let loader = select(&doc, "body > script[data-scripts]");
        assert_eq!(loader.len(), 1, "{file}: one loader");
        let named: Vec<String> = loader[0].value().attr("data-scripts").unwrap().split(' ').map(asset).collect();
        assert_eq!(named, scripts, "{file}: scripts");
        assert_eq!(asset(loader[0].value().attr("data-search").unwrap()), "search.js", "{file}");
        for name in named {
            assert!(out.join("assets").join(&name).is_file(), "{file}: {name} not written");
        }
    }
    // The search box is a combobox from the start, though its script loads when it is used.
    let doc = page(&out, "index.html");
    let input = select(&doc, "input#search-input[role=combobox][aria-expanded=false]");
    assert_eq!(input.len(), 1);
    assert_eq!(input[0].value().attr("aria-controls"), Some("search-results"));
    // The picture at the top keeps its room before it arrives.
    let picture = page(&out, "picture/index.html");
    let img = select(&picture, "article img");
    assert_eq!((img[0].value().attr("width"), img[0].value().attr("height")), (Some("320"), Some("120")));
}

#[test]
fn a_sites_own_stylesheets_are_the_ones_its_pages_carry() {
    let site = support::copy_fixture("page-weight");
    let theme = site.path().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("lectern.css"), "/* ours */\nbody {\n  color: #123456;\n}\n").unwrap();
    std::fs::write(theme.join("speech.css"), ".speech-player { order: 2 }\n").unwrap();
    // One that cannot go into a <style> element is linked instead.
    std::fs::write(theme.join("search.css"), ".search-form::after { content: \"</style>\" }\n").unwrap();
    let out = build(site.path());
    let doc = page(&out, "speech/index.html");
    let inline: Vec<(String, String)> = select(&doc, "style[data-href]")
        .iter()
        .map(|s| (asset(s.value().attr("data-href").unwrap()), s.text().collect()))
        .collect();
    assert_eq!(
        inline,
        [
            ("lectern.css".to_string(), "body{color: #123456;}".to_string()),
            ("speech.css".to_string(), ".speech-player{order: 2}".to_string()),
        ]
    );
    let linked: Vec<String> =
        select(&doc, "link[rel=stylesheet]").iter().map(|l| asset(l.value().attr("href").unwrap())).collect();
    assert_eq!(linked, ["search.css"]);
    let written = std::fs::read_to_string(out.join("assets/lectern.css")).unwrap();
    assert_eq!(written, "/* ours */\nbody {\n  color: #123456;\n}\n");
}

#[test]
fn pages_paint_styled_then_load_their_scripts_and_nothing_moves() {
    if !support::require("chromium") {
        return;
    }
    let site = support::copy_fixture("page-weight");
    // A long sidebar before each page's main content, as a real playbook has.
    for n in 0..160 {
        let text = format!("---\ntitle: Reference page {n}\n---\n\nWords of reference page {n}.\n");
        std::fs::create_dir_all(site.path().join("docs/reference")).unwrap();
        std::fs::write(site.path().join(format!("docs/reference/page-{n:03}.md")), text).unwrap();
    }
    let out = build(site.path());
    let server = StaticServer::start(&out);
    let result = browser::run_script("tests/loading.mjs", &server.url, json!({}));
    browser::assert_ok(&result);
    let tests = result["script"]["tests"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(tests, 7, "{result:#}");
}
