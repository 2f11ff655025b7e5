//! The sidebar builder over arbitrary trees: each input line is a page path (folders with and
//! without number prefixes, index files) and optional front matter values. No panic, every
//! listed page placed at most once, and previous/next visits each sidebar page once.
#![no_main]

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use lectern::config::{GitInfo, Overrides, RawConfig, resolve};
use lectern::content::{Content, category, parse_doc};
use lectern::sidebar::{Stop, build_sidebars};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let config = resolve(Path::new("/site"), RawConfig::default(), "development", &Overrides::default(), &GitInfo::default());
    let mut docs = Vec::new();
    let mut cats = BTreeMap::new();
    let mut seen = HashSet::new();
    for line in text.lines().take(200) {
        let (path, rest) = line.split_once('|').unwrap_or((line, ""));
        let path = path.trim_matches('/');
        if path.is_empty() || path.split('/').any(|p| p.is_empty() || p == "." || p == "..") {
            continue;
        }
        if let Some(dir) = path.strip_suffix("/_category_.yml") {
            if let Ok(meta) = category::parse(rest, Path::new(path)) {
                cats.insert(dir.to_string(), meta);
            }
            continue;
        }
        let source = format!("{path}.md");
        if !seen.insert(source.clone()) {
            continue;
        }
        let page = format!("---\n{}\n---\n# T\n", rest.replace(';', "\n"));
        if let Ok(mut doc) = parse_doc(&config, &source, Path::new(&source), page.into_bytes()) {
            doc.title = doc.base_id.clone();
            docs.push(doc);
        }
    }
    let content = Content { docs, categories: cats, ..Default::default() };
    let (sidebars, _) = build_sidebars(&content, &config);
    let docs = &content.docs;
    for order in &sidebars.order {
        let mut visited = HashSet::new();
        for stop in order {
            if let Stop::Doc(i) = stop {
                assert!(*i < docs.len());
                assert!(visited.insert(*i), "doc {i} twice in previous/next");
            }
        }
    }
});
