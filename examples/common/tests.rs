//! Checks of the generator that need no disk: every link resolves, the tree has the promised
//! shape, and a seed always gives the same text.

use super::body;
use super::plan::{FAN_OUT, plan};

/// `(path, anchor)` of every Markdown link in `text`.
fn links(text: &str) -> Vec<(String, String)> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')'))
        .map(|(dest, _)| match dest.split_once('#') {
            Some((path, anchor)) => (path.to_string(), anchor.to_string()),
            None => (dest.to_string(), String::new()),
        })
        .collect()
}

/// Joins a relative link onto a folder path, resolving `.` and `..`.
fn resolve(folder: &str, link: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for seg in link.split('/') {
        match seg {
            "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{link} leaves the docs folder from {folder}");
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn every_link_and_anchor_resolves() {
    let plan = plan(345, 9, "Site");
    for page in 0..plan.pages.len() {
        let text = body::docusaurus(&plan, page, &body::blocks(&plan, page));
        let found = links(&text);
        assert!((2..=4).contains(&found.len()), "page {page} has {} links", found.len());
        let folder = plan.folder_path(plan.pages[page].folder);
        for (path, anchor) in found {
            let target = if path.is_empty() {
                page
            } else {
                let resolved = resolve(&folder, &path);
                (0..plan.pages.len()).find(|&p| plan.page_path(p) == resolved).expect(&resolved)
            };
            let ids: Vec<&str> = plan.pages[target].headings.iter().map(|h| h.id.as_str()).collect();
            assert!(anchor.is_empty() || ids.contains(&anchor.as_str()), "#{anchor} not in {ids:?}");
        }
    }
}

#[test]
fn folders_hold_ten_pages_and_nest_deeper_as_the_site_grows() {
    let depth = |n| plan(n, 1, "Site").folders.iter().map(|f| f.chain.len()).max().unwrap_or(0);
    assert_eq!((depth(100), depth(1000), depth(10_000)), (1, 2, 3));
    let p = plan(1000, 1, "Site");
    assert_eq!(p.pages.len(), 1000);
    assert!(p.folders.iter().skip(1).all(|f| (1..=FAN_OUT).contains(&f.pages.len())));
}

#[test]
fn a_seed_always_gives_the_same_text() {
    let text = |seed| {
        let p = plan(50, seed, "Site");
        body::docusaurus(&p, 17, &body::blocks(&p, 17))
    };
    assert_eq!(text(3), text(3));
    assert_ne!(text(3), text(4));
}
