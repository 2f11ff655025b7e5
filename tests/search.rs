//! Site search end to end: the `search-basic` fixture is built with the `lectern` binary, its
//! index files are read back as the browser reads them, and the navbar box is driven in headless
//! Chromium (`tests/browser/tests/search.mjs`): ranking, unlisted and draft pages, keyboard use,
//! and axe-core with the results open, light and dark.

mod support;

use serde_json::{Value, json};
use std::path::Path;
use support::{StaticServer, browser};

fn build(out: &Path) -> tempfile::TempDir {
    let site = support::copy_fixture("search-basic");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    site
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Every stem of the built index and every word listed with one, read through the manifest's
/// shard list.
fn indexed_terms(out: &Path) -> Vec<String> {
    let manifest = read_json(&out.join("search/manifest.json"));
    let shards = manifest["shards"].as_array().expect("shards").len();
    let mut terms = Vec::new();
    for n in 0..shards {
        let shard = read_json(&out.join(format!("search/t/{n}.json")));
        for entry in shard.as_array().expect("a shard is an array") {
            terms.push(entry[0].as_str().expect("term").to_string());
            for word in entry.get(3).and_then(Value::as_array).into_iter().flatten() {
                terms.push(word.as_str().expect("word").to_string());
            }
        }
    }
    terms
}

#[test]
fn index_leaves_out_unlisted_and_draft_pages_and_is_byte_identical_across_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (first, second) = (dir.path().join("one"), dir.path().join("two"));
    let _site = build(&first);
    build(&second);

    let terms = indexed_terms(&first);
    for word in ["quokka", "rolling", "service", "straße", "数", "dashboard", "cafe", "pagination"] {
        assert!(terms.iter().any(|t| t == word), "{word} should be indexed");
    }
    assert!(!terms.iter().any(|t| t == "café"), "accents are folded in the index");
    for word in ["zanzibar", "unlisted", "xylophone"] {
        assert!(!terms.iter().any(|t| t == word), "{word} comes from an unlisted or draft page");
    }
    assert!(first.join("guides/hidden/index.html").is_file(), "the unlisted page itself is still built");
    let pages = read_json(&first.join("search/d/0.json"));
    let urls: Vec<&str> = pages.as_array().expect("pages").iter().filter_map(|p| p[1].as_str()).collect();
    assert!(!urls.iter().any(|u| u.contains("hidden") || u.contains("wip")), "{urls:?}");

    let listing = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walk(&root.join("search"))
            .into_iter()
            .map(|p| (p.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    };
    let (a, b) = (listing(&first), listing(&second));
    assert!(a.len() >= 3, "{:?}", a.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert!(a == b, "two builds of the same site wrote different search files");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn navbar_holds_a_labelled_search_form() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let _site = build(&out);
    let html = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    let doc = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).expect("selector");
    let form =
        doc.select(&select("header .navbar-search form[role=search]")).next().expect("a search form in the navbar");
    assert_eq!(form.value().attr("data-index"), Some("/search/"));
    let input = form.select(&select("input[type=search]")).next().expect("a search input");
    let id = input.value().attr("id").expect("the input has an id");
    let label = form.select(&select(&format!("label[for={id}]"))).next().expect("a label for the input");
    assert_eq!(label.text().collect::<String>(), "Search the docs");
    // search.js loads when the box is first used (base.html's loader), not with the page.
    assert!(doc.select(&select("script[data-search^='/assets/search.js?v=']")).next().is_some());
    assert!(doc.select(&select("script[src*='search.js']")).next().is_none());
    assert_eq!(doc.select(&select("style[data-href^='/assets/search.css?v=']")).count(), 1);
    assert!(out.join("assets/search.js").is_file() && out.join("assets/search.css").is_file());
}

#[test]
fn search_box_finds_sections_works_by_keyboard_and_passes_axe_in_chromium() {
    if !support::require("chromium") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let _site = build(&out);
    let server = StaticServer::start(&out);
    let result = browser::run_script("tests/search.mjs", &server.url, json!({}));
    browser::assert_ok(&result);
    let tests = result["script"]["tests"].as_array().map(Vec::len).unwrap_or(0);
    assert!(tests >= 10, "expected every browser test to run: {result:#}");
}
