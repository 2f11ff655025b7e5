//! What an edit reaches beyond the pages it changed, looked up without a pass over every page:
//! the pages that link to an anchor (checked again when an edit takes that heading away), the
//! pages that include a partial (parsed again when it changes) and the pages with card lists
//! (filled again when a page they show changes).
//!
//! In: each page's markdown-stage facts ([`Rendered`]): every page's at a full load, then each
//! page's before and after an edit parsed it again ([`Dependents::replace`]). Out: those pages,
//! by anchor, by partial file, and the pages with card lists.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::links::percent_decode;
use crate::markdown::Rendered;
use crate::site::Page;

/// The site's pages by what they depend on.
#[derive(Debug, Default)]
pub struct Dependents {
    /// By the hash of an anchor (as written, and decoded): the pages with a link to `#anchor`
    /// on any page. A hash that two anchors share only makes a page be checked once more.
    anchors: HashMap<u64, BTreeSet<usize>>,
    /// By partial file: the pages that include it.
    includes: HashMap<PathBuf, BTreeSet<usize>>,
    /// Pages with a `<DocCardList />`.
    card_pages: BTreeSet<usize>,
}

/// What one page is listed under, to take it out again when it changes.
#[derive(Debug, Default)]
pub struct Keys {
    anchors: Vec<u64>,
    includes: Vec<PathBuf>,
}

impl Keys {
    /// What the page with markdown-stage facts `r` is listed under.
    pub fn of(r: &Rendered) -> Keys {
        let mut anchors = Vec::new();
        for link in &r.links {
            if let Some((_, anchor)) = link.dest.rsplit_once('#') {
                anchors.push(hash(anchor));
                let decoded = percent_decode(anchor);
                if decoded != anchor {
                    anchors.push(hash(&decoded));
                }
            }
        }
        anchors.sort_unstable();
        anchors.dedup();
        Keys { anchors, includes: r.includes.clone() }
    }
}

fn hash(anchor: &str) -> u64 {
    let mut h = DefaultHasher::new();
    anchor.hash(&mut h);
    h.finish()
}

impl Dependents {
    /// The dependents of every page of a loaded site.
    pub fn new(pages: &[Page]) -> Dependents {
        let mut d = Dependents::default();
        for (i, page) in pages.iter().enumerate() {
            d.add(i, &Keys::of(&page.markdown), !page.markdown.card_lists.is_empty());
        }
        d
    }

    fn add(&mut self, i: usize, keys: &Keys, cards: bool) {
        for &a in &keys.anchors {
            self.anchors.entry(a).or_default().insert(i);
        }
        for f in &keys.includes {
            self.includes.entry(f.clone()).or_default().insert(i);
        }
        if cards {
            self.card_pages.insert(i);
        }
    }

    /// Page `i`, listed under `before`, now has the facts `now`.
    pub fn replace(&mut self, i: usize, before: &Keys, now: &Rendered) {
        for a in &before.anchors {
            if let Some(pages) = self.anchors.get_mut(a) {
                pages.remove(&i);
                if pages.is_empty() {
                    self.anchors.remove(a);
                }
            }
        }
        for f in &before.includes {
            if let Some(pages) = self.includes.get_mut(f) {
                pages.remove(&i);
                if pages.is_empty() {
                    self.includes.remove(f);
                }
            }
        }
        self.card_pages.remove(&i);
        self.add(i, &Keys::of(now), !now.card_lists.is_empty());
    }

    /// The pages with a link to one of `anchors` (`#id`, on any page).
    pub fn linking_to(&self, anchors: &HashSet<String>) -> BTreeSet<usize> {
        anchors.iter().filter_map(|a| self.anchors.get(&hash(a))).flatten().copied().collect()
    }

    /// The pages that include the partial `file`.
    pub fn includers(&self, file: &Path) -> Vec<usize> {
        self.includes.get(file).map(|pages| pages.iter().copied().collect()).unwrap_or_default()
    }

    /// The pages with card lists.
    pub fn card_pages(&self) -> impl Iterator<Item = usize> + '_ {
        self.card_pages.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{LinkKind, LinkRef};

    fn page(links: &[&str], includes: &[&str], cards: bool) -> Rendered {
        Rendered {
            links: links
                .iter()
                .map(|d| LinkRef { dest: d.to_string(), kind: LinkKind::Link, line: 1, column: 1 })
                .collect(),
            includes: includes.iter().map(PathBuf::from).collect(),
            card_lists: if cards { vec![3] } else { Vec::new() },
            ..Rendered::default()
        }
    }

    #[test]
    fn pages_are_found_by_anchor_partial_and_card_list_and_follow_edits() {
        let pages: Vec<Page> = [
            page(&["./b.md#setup", "#local"], &[], false),
            page(&["/c/#caf%C3%A9"], &["/site/_shared.mdx"], true),
            page(&[], &["/site/_shared.mdx"], false),
        ]
        .into_iter()
        .map(|markdown| Page { markdown, body: crate::site::PageBody::Html(String::new()), git_date: None })
        .collect();
        let mut d = Dependents::new(&pages);
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
        assert_eq!(d.linking_to(&ids(&["setup"])), BTreeSet::from([0]));
        assert_eq!(d.linking_to(&ids(&["café", "local"])), BTreeSet::from([0, 1]));
        assert!(d.linking_to(&ids(&["other"])).is_empty());
        assert_eq!(d.includers(Path::new("/site/_shared.mdx")), [1, 2]);
        assert_eq!(d.card_pages().collect::<Vec<_>>(), [1]);

        // Page 0 now links elsewhere, includes the partial and has a card list.
        let before = Keys::of(&pages[0].markdown);
        d.replace(0, &before, &page(&["./b.md#install"], &["/site/_shared.mdx"], true));
        assert!(d.linking_to(&ids(&["setup", "local"])).is_empty());
        assert_eq!(d.linking_to(&ids(&["install"])), BTreeSet::from([0]));
        assert_eq!(d.includers(Path::new("/site/_shared.mdx")), [0, 1, 2]);
        assert_eq!(d.card_pages().collect::<Vec<_>>(), [0, 1]);
    }
}
