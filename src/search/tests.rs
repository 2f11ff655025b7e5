//! Tests of the whole index: built from pages, then read back the way `search.js` reads it.

use super::*;
use serde_json::Value;

fn page<'a>(title: &'a str, url: &str, html: &'a str) -> PageInput<'a> {
    PageInput { title, url: url.into(), crumbs: vec!["Guides".into()], html }
}

fn json(files: &SearchFiles, path: &str) -> Value {
    serde_json::from_slice(files.get(path).unwrap_or_else(|| panic!("no {path}"))).expect("valid JSON")
}

/// The browser's exact lookup of a word: the shards whose span holds it, then the stem that is
/// the word or lists it among its words.
fn postings(files: &SearchFiles, term: &str) -> Option<(u64, Vec<(u64, u64)>)> {
    let manifest = json(files, "search/manifest.json");
    let holds = |e: &Value| e[0] == term || e[3].as_array().is_some_and(|w| w.iter().any(|w| w == term));
    let entry = manifest["shards"].as_array()?.iter().enumerate().find_map(|(n, span)| {
        let (first, last) = (span[0].as_str()?, span[1].as_str()?);
        if first > term || last < term {
            return None;
        }
        json(files, &format!("search/t/{n}.json")).as_array()?.iter().find(|e| holds(e)).cloned()
    })?;
    let flat: Vec<u64> = entry[2].as_array()?.iter().filter_map(Value::as_u64).collect();
    let mut section = 0;
    let list = flat
        .chunks(2)
        .map(|pair| {
            section += pair[0];
            (section, pair[1])
        })
        .collect();
    Some((entry[1].as_u64()?, list))
}

/// Sections for a one-word query, best first, as `search.js` ranks them.
fn ranked(files: &SearchFiles, term: &str) -> Vec<u64> {
    let Some((_, mut list)) = postings(files, term) else { return Vec::new() };
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.into_iter().map(|(s, _)| s).collect()
}

/// (url#anchor, heading) of section `n`, found through the manifest's chunk sizes.
fn section_record(files: &SearchFiles, mut n: u64) -> (String, String) {
    let manifest = json(files, "search/manifest.json");
    for (c, size) in manifest["chunks"].as_array().expect("chunks").iter().enumerate() {
        let size = size.as_u64().expect("size");
        if n >= size {
            n -= size;
            continue;
        }
        for page in json(files, &format!("search/d/{c}.json")).as_array().expect("pages") {
            let sections = page[3].as_array().expect("sections");
            if (n as usize) < sections.len() {
                let s = &sections[n as usize];
                return (
                    format!("{}#{}", page[1].as_str().unwrap_or(""), s[0].as_str().unwrap_or("")),
                    s[1].to_string(),
                );
            }
            n -= sections.len() as u64;
        }
    }
    panic!("no section {n}");
}

const HTML_A: &str = "<p>Deploying services.</p><h2 id=\"rollback\">Rollback<a class=\"anchor\" href=\"#rollback\">#</a></h2>\
    <p>Use the zebra switch to undo a release.</p><pre><code>zebra --undo</code></pre>";
const HTML_B: &str = "<p>About releases.</p><h2 id=\"cli\">CLI</h2><pre><code>zebra zebra zebra</code></pre>";
const HTML_C: &str = "<p>The word zebra appears in passing.</p>";

#[test]
fn a_word_from_a_section_finds_that_section_first_and_prose_beats_code() {
    let pages = [page("Deploy", "/deploy/", HTML_A), page("Tools", "/tools/", HTML_B), page("Zebra", "/z/", HTML_C)];
    let files = index_pages(&pages);
    let order: Vec<(String, String)> = ranked(&files, "zebra").into_iter().map(|s| section_record(&files, s)).collect();
    assert_eq!(order[0].0, "/z/#", "the page titled Zebra first: {order:?}");
    assert_eq!(order[1].0, "/deploy/#rollback", "prose beats code-only: {order:?}");
    assert_eq!(order[2].0, "/tools/#cli");
    assert_eq!(order.len(), 3);
    let (_, rollback) = postings(&files, "rollback").expect("heading term indexed");
    assert_eq!(section_record(&files, rollback[0].0).0, "/deploy/#rollback");
    assert!(postings(&files, "services").is_some());
    assert!(postings(&files, "deploying").is_some());
    assert_eq!(postings(&files, "deploy"), postings(&files, "deploying"), "one stem");
    assert!(postings(&files, "#").is_none() && postings(&files, "anchor").is_none(), "anchor links skipped");
}

#[test]
fn manifest_counts_sections_and_chunks_hold_whole_pages() {
    let long = format!("<p>{}</p>", "lorem ipsum dolor ".repeat(400));
    let pages: Vec<PageInput> = (0..12).map(|n| page("Long", &format!("/p{n}/"), long.as_str())).collect();
    let files = index_pages(&pages);
    let manifest = json(&files, "search/manifest.json");
    assert_eq!(manifest["version"], FORMAT_VERSION);
    assert_eq!(manifest["sections"], 12);
    let chunks: Vec<u64> = manifest["chunks"].as_array().expect("chunks").iter().filter_map(Value::as_u64).collect();
    assert!(chunks.len() > 1 && chunks.iter().sum::<u64>() == 12, "{chunks:?}");
    for n in 0..chunks.len() {
        let records = json(&files, &format!("search/d/{n}.json"));
        let text = records[0][3][0][2].as_str().expect("text");
        assert!(text.chars().count() <= EXCERPT_SOURCE_CHARS && text.ends_with("dolor"), "cut at a word");
    }
    assert_eq!(section_record(&files, 11).0, "/p11/#");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let pages = [page("Deploy", "/deploy/", HTML_A), page("Tools", "/tools/", HTML_B)];
    let first = index_pages(&pages);
    for _ in 0..3 {
        assert_eq!(index_pages(&pages), first);
    }
    let changed = index_pages(&[page("Deploy", "/deploy/", HTML_A), page("Tools", "/tools/", HTML_C)]);
    assert_ne!(json(&changed, "search/manifest.json")["hash"], json(&first, "search/manifest.json")["hash"]);
}
