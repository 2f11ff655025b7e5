//! Docusaurus sites of our own writing (tests/fixtures/docusaurus-real-*), each built once with
//! real Docusaurus; what that build gave is kept in tests/data/docusaurus-reference/ (written by
//! scripts/docusaurus-reference, whose header defines every field). Each site is built here with
//! the lectern binary, the same fields are read from lectern's HTML by the same definitions, and
//! the two are compared: the same pages at the same URLs and files, the same title and heading ids
//! on each page, the same sidebar entries, and on every page at least 95% of Docusaurus's words.
//! A page with far more words than Docusaurus's is reported too (leaked markup), and fails.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// A page as both generators' output is read: see scripts/docusaurus-reference.
#[derive(Debug, Clone, PartialEq)]
struct Page {
    file: String,
    url: String,
    title: Option<String>,
    headings: Vec<String>,
    words: usize,
    sidebar: Vec<String>,
    /// lectern's page asks search engines not to index it (not read from Docusaurus's build).
    noindex: bool,
}

/// Lectern's pages must keep this share of Docusaurus's words, page by page.
const MIN_WORDS: f64 = 0.95;
/// More than this share of Docusaurus's words on a page means markup leaked into the text.
const MAX_WORDS: f64 = 1.25;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words as scripts/docusaurus-reference counts them: maximal runs of alphanumeric characters.
fn count_words(text: &str) -> usize {
    let mut count = 0;
    let mut inside = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if !inside {
                count += 1;
            }
            inside = true;
        } else {
            inside = false;
        }
    }
    count
}

/// Elements that end a word, as on screen (`<td>a</td><td>b</td>` is two words): the same list
/// as `BLOCKS` in scripts/docusaurus-reference.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The text of `element`, leaving out the subtrees `skip` says.
fn text_without(element: ElementRef, skip: &dyn Fn(ElementRef) -> bool) -> String {
    let mut out = String::new();
    for child in element.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
        } else if let Some(e) = ElementRef::wrap(child).filter(|e| !skip(*e)) {
            let gap = if BLOCKS.contains(&e.value().name()) { " " } else { "" };
            out.push_str(gap);
            out.push_str(&text_without(e, skip));
            out.push_str(gap);
        }
    }
    out
}

/// Chrome inside lectern's content that Docusaurus's extraction leaves out too: navigation,
/// footers, scripts, styles and heading anchors (Docusaurus's `.hash-link`).
fn left_out(e: ElementRef) -> bool {
    let v = e.value();
    matches!(v.name(), "nav" | "footer" | "script" | "style") || (v.name() == "a" && v.classes().any(|c| c == "anchor"))
}

/// The classes a sidebar item was given (`className`, `sidebar_class_name`), less the theme's.
fn own_classes(li: ElementRef) -> String {
    const THEME: &[&str] = &[
        "sidebar-item",
        "sidebar-item-doc",
        "sidebar-item-category",
        "sidebar-item-link",
        "sidebar-item-html",
        "sidebar-html-padded",
        "has-link",
    ];
    li.value().classes().filter(|c| !THEME.contains(c)).map(|c| format!(" .{c}")).collect()
}

/// lectern's sidebar in scripts/docusaurus-reference's lines. Docusaurus renders no items of a
/// collapsed category, so the items of a closed `<details>` are not listed either.
fn lectern_sidebar(doc: &Html) -> Vec<String> {
    fn label_of(a: ElementRef) -> String {
        squash(&text_without(a, &|e| e.value().attr("aria-hidden") == Some("true")))
    }
    fn walk(list: ElementRef, depth: usize, out: &mut Vec<String>) {
        for li in list.children().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "li") {
            let classes: Vec<&str> = li.value().classes().collect();
            let pad = "  ".repeat(depth);
            let own = own_classes(li);
            let direct = |name: &str| li.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == name);
            if classes.contains(&"sidebar-item-html") {
                out.push(format!("{pad}html {}{own}", squash(&li.text().collect::<String>())));
            } else if classes.contains(&"sidebar-item-category") {
                let link = direct("a");
                let details = direct("details");
                let label = match (link, details) {
                    (Some(a), _) => label_of(a),
                    (None, Some(d)) => d.select(&sel("summary")).next().map(label_of).unwrap_or_default(),
                    (None, None) => li.select(&sel(".sidebar-category-label")).next().map(label_of).unwrap_or_default(),
                };
                let (arrow, current) = match link.and_then(|a| a.value().attr("href")) {
                    Some(href) => {
                        let current = link.and_then(|a| a.value().attr("aria-current")).is_some();
                        (format!(" -> {href}"), if current { " *" } else { "" })
                    }
                    None => (String::new(), ""),
                };
                let open = details.is_none_or(|d| d.value().attr("open").is_some());
                out.push(format!("{pad}category {label}{arrow}{current}{}{own}", if open { " (open)" } else { "" }));
                if open {
                    let holder = details.unwrap_or(li);
                    let inner = holder.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "ul");
                    if let Some(inner) = inner {
                        walk(inner, depth + 1, out);
                    }
                }
            } else {
                let a = direct("a");
                let href = a.and_then(|a| a.value().attr("href")).unwrap_or("");
                let current = if a.and_then(|a| a.value().attr("aria-current")).is_some() { " *" } else { "" };
                out.push(format!("{pad}link {} {href}{current}{own}", a.map(label_of).unwrap_or_default()));
            }
        }
    }
    let mut out = Vec::new();
    if let Some(list) = doc.select(&sel("#sidebar > ul.sidebar-list")).next() {
        walk(list, 0, &mut out);
    }
    out
}

fn canonical_path(doc: &Html) -> Option<String> {
    let href = doc.select(&sel("link[rel=canonical]")).next()?.value().attr("href")?;
    let path = match href.split_once("://") {
        Some((_, rest)) => format!("/{}", rest.split_once('/').map(|(_, p)| p).unwrap_or("")),
        None => href.to_string(),
    };
    Some(path)
}

fn lectern_page(file: &str, html: &str) -> Page {
    let doc = Html::parse_document(html);
    let root = doc.select(&sel("main article.content")).next();
    // A page without a canonical link is listed under a URL no page of Docusaurus has.
    let url = canonical_path(&doc).unwrap_or_else(|| format!("(no canonical link in {file})"));
    let (title, headings, words) = match root {
        Some(root) => {
            let title = root.select(&sel("h1")).next().map(|h| squash(&text_without(h, &left_out)));
            let headings = root
                .select(&sel("h2[id], h3[id], h4[id], h5[id], h6[id]"))
                .map(|h| format!("{} {}", h.value().name(), h.value().attr("id").unwrap_or("")))
                .collect();
            (title, headings, count_words(&text_without(root, &left_out)))
        }
        None => (None, Vec::new(), 0),
    };
    let noindex = doc.select(&sel("meta[name=robots]")).any(|m| m.value().attr("content") == Some("noindex"));
    Page { file: file.to_string(), url, title, headings, words, sidebar: lectern_sidebar(&doc), noindex }
}

fn reference_pages(name: &str) -> (String, Vec<Page>) {
    let path = support::manifest_dir().join("tests/data/docusaurus-reference").join(format!("{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
    };
    let pages = json["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no pages", path.display()))
        .iter()
        .map(|p| Page {
            file: p["file"].as_str().unwrap_or_default().to_string(),
            url: p["url"].as_str().unwrap_or_default().to_string(),
            title: p["title"].as_str().map(str::to_string),
            headings: strings(&p["headings"]),
            words: p["words"].as_u64().unwrap_or_default() as usize,
            sidebar: strings(&p["sidebar"]),
            noindex: false,
        })
        .collect();
    (json["generator"].as_str().unwrap_or("Docusaurus").to_string(), pages)
}

/// Every HTML page lectern built for the fixture (404.html aside, as in the reference).
fn lectern_pages(out: &Path) -> Vec<Page> {
    let mut pages: Vec<Page> = walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(out).ok()?.to_string_lossy().replace('\\', "/");
            (rel != "404.html").then(|| lectern_page(&rel, &fs::read_to_string(e.path()).unwrap()))
        })
        .collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    pages
}

/// Where a sidebar differs: the lines of each, marked `-` (Docusaurus only) and `+` (lectern only).
fn sidebar_diff(want: &[String], got: &[String]) -> String {
    let mut out = String::new();
    let max = want.len().max(got.len());
    for i in 0..max {
        match (want.get(i), got.get(i)) {
            (Some(w), Some(g)) if w == g => out.push_str(&format!("      {w}\n")),
            (w, g) => {
                if let Some(w) = w {
                    out.push_str(&format!("    - {w}\n"));
                }
                if let Some(g) = g {
                    out.push_str(&format!("    + {g}\n"));
                }
            }
        }
    }
    out
}

fn compare_site(fixture: &str, reference: &str) {
    let (generator, want) = reference_pages(reference);
    assert!(!want.is_empty(), "tests/data/docusaurus-reference/{reference}.json lists no page");
    let site = support::copy_fixture(fixture);
    let out = site.path().join("build");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let got = lectern_pages(&out);
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).expect("lectern writes a sitemap");
    let in_sitemap: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>"))
        .filter_map(|(loc, _)| {
            loc.split_once("://").map(|(_, rest)| format!("/{}", rest.split_once('/').map_or("", |r| r.1)))
        })
        .collect();

    let mut problems = Vec::new();
    let got_by_url: BTreeMap<&str, &Page> = got.iter().map(|p| (p.url.as_str(), p)).collect();
    let want_urls: BTreeSet<&str> = want.iter().map(|p| p.url.as_str()).collect();
    for page in &got {
        if !want_urls.contains(page.url.as_str()) {
            problems.push(format!("{}: lectern has a page at {} that {generator} does not", page.file, page.url));
        }
    }

    let (mut urls_matched, mut entries, mut entries_matched) = (0, 0, 0);
    let mut shares = Vec::new();
    for w in &want {
        entries += w.sidebar.len();
        let Some(g) = got_by_url.get(w.url.as_str()) else {
            problems.push(format!("{}: {generator}'s page at {} is missing from lectern's build", w.file, w.url));
            continue;
        };
        urls_matched += 1;
        // As Docusaurus's sitemap plugin: every page a search engine may index, generated
        // index pages included.
        if !g.noindex && !in_sitemap.contains(&w.url) {
            problems.push(format!("{}: missing from lectern's sitemap.xml", w.url));
        }
        if g.file != w.file {
            problems.push(format!("{}: lectern writes it as {}, {generator} as {}", w.url, g.file, w.file));
        }
        if g.title != w.title {
            problems.push(format!("{}: title is {:?}, {generator} has {:?}", w.url, g.title, w.title));
        }
        if g.headings != w.headings {
            problems.push(format!("{}: heading ids are {:?}, {generator} has {:?}", w.url, g.headings, w.headings));
        }
        entries_matched += w.sidebar.iter().zip(&g.sidebar).filter(|(a, b)| a == b).count();
        if g.sidebar != w.sidebar {
            problems.push(format!("{}: sidebar differs\n{}", w.url, sidebar_diff(&w.sidebar, &g.sidebar)));
        }
        if w.words > 0 {
            let share = g.words as f64 / w.words as f64;
            shares.push((share, w.url.clone()));
            if share < MIN_WORDS {
                problems.push(format!(
                    "{}: {} words, {:.0}% of {generator}'s {} (at least {:.0}% needed)",
                    w.url,
                    g.words,
                    share * 100.0,
                    w.words,
                    MIN_WORDS * 100.0
                ));
            } else if share > MAX_WORDS {
                problems.push(format!(
                    "{}: {} words, {:.0}% of {generator}'s {}: more text than Docusaurus shows (leaked markup?)",
                    w.url,
                    g.words,
                    share * 100.0,
                    w.words
                ));
            }
        } else if g.words > 0 {
            problems.push(format!("{}: {} words where {generator} has none", w.url, g.words));
        }
    }
    shares.sort_by(|a, b| a.0.total_cmp(&b.0));
    let median = if shares.is_empty() { 0.0 } else { shares[shares.len() / 2].0 };
    let (min, min_url) = shares.first().map(|(s, u)| (*s, u.as_str())).unwrap_or((0.0, ""));
    let (max, max_url) = shares.last().map(|(s, u)| (*s, u.as_str())).unwrap_or((0.0, ""));
    // Straight to stderr, so `cargo test -- --nocapture` is not needed to see the figures.
    eprintln!(
        "{fixture} against {generator}: {urls_matched}/{} URLs, {entries_matched}/{entries} sidebar entries, \
         words per page min {:.1}% ({min_url}), median {:.1}%, max {:.1}% ({max_url})",
        want.len(),
        min * 100.0,
        median * 100.0,
        max * 100.0
    );
    assert!(problems.is_empty(), "{fixture} differs from {generator}'s build:\n{}", problems.join("\n"));
}

#[test]
fn handbook_matches_docusaurus() {
    compare_site("docusaurus-real-handbook", "handbook");
}

#[test]
fn api_guide_matches_docusaurus() {
    compare_site("docusaurus-real-api", "api");
}

#[test]
fn runbooks_match_docusaurus() {
    compare_site("docusaurus-real-runbooks", "runbooks");
}
