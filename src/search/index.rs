//! The inverted index: which sections hold which terms, how strongly, split into small shards.
//!
//! In: each page's [`Section`]s (in page order; sections are numbered across the site in that
//! order). Out: [`Term`]s sorted in the browser's string order, each with its postings (section
//! number, weight), and then [`shards`]: JSON files of consecutive terms of about
//! [`SHARD_TARGET_BYTES`] each, so a query fetches only the shards its terms fall in.
//!
//! Pages are tokenised in parallel; the merge runs in parallel too, by vocabulary shard.

use rayon::prelude::*;

use super::extract::Section;
use super::stem::SiteStemmer;
use super::tokenize::for_each_term;
use super::vocab::{FastMap, SHARDS, Vocabulary, local_of, shard_of};

/// Uncompressed size a shard grows to before the next one starts.
pub const SHARD_TARGET_BYTES: usize = 16 * 1024;
/// Postings kept per term: the strongest. Terms in more sections than this are so common that
/// they barely tell sections apart; the browser ranks with them but does not filter by them.
pub const MAX_POSTINGS: usize = 1000;

/// How often a term occurs in each part of one section.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Hits {
    pub title: u32,
    pub heading: u32,
    pub prose: u32,
    pub code: u32,
}

/// A term's weight in a section, 1..=255: title > heading > prose > code. Code never outweighs
/// a single mention in prose, however often it repeats.
pub fn weight(h: Hits) -> u8 {
    let log = |n: u32| f64::from(n).ln();
    let mut w = 0.0;
    if h.title > 0 {
        w += 120.0;
    }
    if h.heading > 0 {
        w += 60.0;
    }
    if h.prose > 0 {
        w += 24.0 + 12.0 * log(h.prose);
    }
    if h.code > 0 {
        w += (8.0 + 4.0 * log(h.code)).min(20.0);
    }
    w.round().clamp(1.0, 255.0) as u8
}

/// (term id, section number within its page, weight).
type Entry = (u32, u32, u8);

/// One page's postings: (term id, section within the page, weight), in section order.
pub struct PagePostings {
    pub sections: u32,
    entries: Vec<Entry>,
}

impl PagePostings {
    /// A page's postings as [`PagePostings::entries`] listed them.
    pub fn from_entries(sections: u32, entries: Vec<(u32, u32, u8)>) -> PagePostings {
        PagePostings { sections, entries }
    }

    /// (term id, section within the page, weight), in section order.
    pub fn entries(&self) -> &[(u32, u32, u8)] {
        &self.entries
    }
}

/// Tokenises one page. The title counts towards the first section, the page's own entry.
pub fn page_postings(title: &str, sections: &[Section], vocabulary: &Vocabulary) -> PagePostings {
    let mut entries: Vec<Entry> = Vec::new();
    let mut hits: FastMap<u32, Hits> = FastMap::default();
    for (n, s) in sections.iter().enumerate() {
        let mut count = |text: &str, field: fn(&mut Hits) -> &mut u32| {
            for_each_term(text, |t| *field(hits.entry(vocabulary.intern(t)).or_default()) += 1);
        };
        if n == 0 {
            count(title, |h| &mut h.title);
        }
        count(&s.heading, |h| &mut h.heading);
        count(&s.prose, |h| &mut h.prose);
        count(&s.code, |h| &mut h.code);
        entries.extend(hits.drain().map(|(id, h)| (id, n as u32, weight(h))));
    }
    entries.shrink_to_fit();
    PagePostings { sections: sections.len() as u32, entries }
}

/// A term's postings: section numbers and weights apart (5 bytes a posting rather than a
/// padded 8), grown by half rather than doubled while the index grows, since a large site holds
/// millions of them at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    /// Section numbers, ascending.
    pub sections: Vec<u32>,
    /// The term's weight in each of those sections.
    pub weights: Vec<u8>,
}

impl Postings {
    fn push(&mut self, section: u32, weight: u8) {
        if self.sections.len() == self.sections.capacity() {
            let more = (self.sections.len() / 2).max(4);
            self.sections.reserve_exact(more);
            self.weights.reserve_exact(more);
        }
        self.sections.push(section);
        self.weights.push(weight);
    }

    /// (section, weight) pairs, by section.
    pub fn pairs(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.sections.iter().copied().zip(self.weights.iter().copied())
    }

    /// How many sections hold the term.
    pub fn len(&self) -> usize {
        self.sections.len()
    }

    /// Whether no section holds it.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }
}

impl FromIterator<(u32, u8)> for Postings {
    fn from_iter<I: IntoIterator<Item = (u32, u8)>>(pairs: I) -> Self {
        let (sections, weights) = pairs.into_iter().unzip();
        Postings { sections, weights }
    }
}

/// The inverted index as pages come in, in page order: each term's postings, numbering sections
/// across the site. A page's postings can go as soon as it is added.
#[derive(Default)]
pub struct Inverted {
    /// By vocabulary shard, then the term's number within its shard.
    lists: Vec<Vec<Postings>>,
    /// Sections added so far.
    sections: u32,
}

impl Inverted {
    /// Adds the next page's postings.
    pub fn add(&mut self, page: &PagePostings) {
        if self.lists.is_empty() {
            self.lists = (0..SHARDS).map(|_| Vec::new()).collect();
        }
        for &(id, n, w) in &page.entries {
            let shard = &mut self.lists[shard_of(id)];
            let local = local_of(id);
            if shard.len() <= local {
                shard.resize_with(local + 1, Postings::default);
            }
            // Pages come in order and a page's entries in section order: each list stays sorted.
            shard[local].push(self.sections + n, w);
        }
        self.sections += page.sections;
    }

    /// Sections added so far.
    pub fn sections(&self) -> u32 {
        self.sections
    }

    /// Every stem with postings, sorted in the browser's string order: the words of the site
    /// that share a stem are merged into one term (a section's weight is its strongest word's).
    /// Every posting is kept: [`cap`] keeps the strongest as a shard is written.
    pub fn terms(self, vocabulary: Vocabulary, stemmer: &SiteStemmer) -> Vec<Term> {
        let mut lists = self.lists;
        lists.resize_with(SHARDS, Vec::new);
        let mut words: Vec<(String, String, Postings)> = lists
            .into_par_iter()
            .zip(vocabulary.into_terms())
            .flat_map_iter(|(lists, texts)| {
                texts.into_iter().zip(lists).filter(|(_, l)| !l.is_empty()).map(|(t, l)| (String::from(t), l))
            })
            .map(|(word, postings)| (stemmer.stem(&word), word, postings))
            .collect();
        words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut groups: Vec<(String, Vec<(String, Postings)>)> = Vec::new();
        for (stem, word, postings) in words {
            match groups.last_mut() {
                Some((last, members)) if *last == stem => members.push((word, postings)),
                _ => groups.push((stem, vec![(word, postings)])),
            }
        }
        let mut terms: Vec<Term> = groups.into_par_iter().map(|(stem, members)| merged(stem, members)).collect();
        terms.par_sort_unstable_by(|a, b| a.text.encode_utf16().cmp(b.text.encode_utf16()));
        terms
    }
}

/// One stem's words merged: their postings united, the words other than the stem listed.
fn merged(stem: String, mut members: Vec<(String, Postings)>) -> Term {
    let words: Vec<String> = members.iter().map(|(w, _)| w.clone()).filter(|w| *w != stem).collect();
    let postings = if members.len() == 1 {
        members.pop().map(|(_, p)| p).unwrap_or_default()
    } else {
        let mut pairs: Vec<(u32, u8)> = members.iter().flat_map(|(_, p)| p.pairs()).collect();
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        pairs.dedup_by_key(|p| p.0);
        pairs.into_iter().collect()
    };
    Term { text: stem, words, sections: postings.len() as u32, postings }
}

/// `term` with at most [`MAX_POSTINGS`] postings, as a shard lists it ([`capped`]).
pub fn cap(term: &Term) -> std::borrow::Cow<'_, Term> {
    if term.postings.len() <= MAX_POSTINGS {
        return std::borrow::Cow::Borrowed(term);
    }
    let mut capped = capped(term.text.clone(), term.postings.clone());
    capped.words = term.words.clone();
    std::borrow::Cow::Owned(capped)
}

/// A term (a stem) and the sections it occurs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    /// The site's words with this stem, other than the stem itself, sorted.
    pub words: Vec<String>,
    /// Number of sections holding the term (more than `postings.len()` when capped).
    pub sections: u32,
    /// By section number.
    pub postings: Postings,
}

/// Merges the pages' postings into terms, numbering sections across the site in page order.
pub fn merge(pages: Vec<PagePostings>, vocabulary: Vocabulary, stemmer: &SiteStemmer) -> Vec<Term> {
    let mut inverted = Inverted::default();
    for p in &pages {
        inverted.add(p);
    }
    inverted.terms(vocabulary, stemmer).iter().map(|t| cap(t).into_owned()).collect()
}

/// Keeps the [`MAX_POSTINGS`] strongest postings (earlier sections win ties), by section.
pub(super) fn capped(text: String, postings: Postings) -> Term {
    let sections = postings.len() as u32;
    if postings.len() <= MAX_POSTINGS {
        return Term { text, words: Vec::new(), sections, postings };
    }
    let mut pairs: Vec<(u32, u8)> = postings.pairs().collect();
    pairs.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    pairs.truncate(MAX_POSTINGS);
    pairs.sort_unstable_by_key(|p| p.0);
    Term { text, words: Vec::new(), sections, postings: pairs.into_iter().collect() }
}

/// One shard of the index: its JSON and the span of words it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// The first of its stems and words in the browser's string order.
    pub first: String,
    /// The last of its stems and words. A stem's words mostly sort after it (`deploy`,
    /// `deployments`), sometimes before (`sky`, `skies`), so shards' spans may overlap.
    pub last: String,
    pub json: String,
}

/// Groups consecutive terms into shards of about [`SHARD_TARGET_BYTES`]. A shard is an array of
/// `[stem, sections, [first section, weight, gap to next section, weight, ...], [word, ...]?]`,
/// the words (the site's words with that stem, other than the stem) only when there are any.
pub fn shards<'a>(terms: impl IntoIterator<Item = &'a Term>) -> Vec<Shard> {
    let utf16_less = |a: &str, b: &str| a.encode_utf16().lt(b.encode_utf16());
    let mut out: Vec<Shard> = Vec::new();
    let mut current: Option<Shard> = None;
    for term in terms {
        let shard = current.get_or_insert_with(|| Shard {
            first: term.text.clone(),
            last: term.text.clone(),
            json: String::from("["),
        });
        for word in std::iter::once(&term.text).chain(&term.words) {
            if utf16_less(word, &shard.first) {
                shard.first.clone_from(word);
            }
            if utf16_less(&shard.last, word) {
                shard.last.clone_from(word);
            }
        }
        if shard.json.len() > 1 {
            shard.json.push(',');
        }
        encode_term(term, &mut shard.json);
        if shard.json.len() >= SHARD_TARGET_BYTES
            && let Some(mut full) = current.take()
        {
            full.json.push(']');
            out.push(full);
        }
    }
    if let Some(mut last) = current {
        last.json.push(']');
        out.push(last);
    }
    out
}

/// Writes one term as a shard lists it.
pub(super) fn encode_term(term: &Term, out: &mut String) {
    use std::fmt::Write as _;
    out.push('[');
    out.push_str(&serde_json::Value::from(term.text.as_str()).to_string());
    let _ = write!(out, ",{},[", term.sections);
    let mut previous = 0;
    for (i, (section, w)) in term.postings.pairs().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(out, "{sep}{},{w}", section - previous);
        previous = section;
    }
    out.push(']');
    if !term.words.is_empty() {
        out.push(',');
        out.push_str(&serde_json::Value::from(term.words.clone()).to_string());
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(heading: &str, prose: &str, code: &str) -> Section {
        Section { anchor: String::new(), heading: heading.into(), prose: prose.into(), code: code.into() }
    }

    #[test]
    fn weights_rank_title_heading_prose_code() {
        let w = |title, heading, prose, code| weight(Hits { title, heading, prose, code });
        assert!(w(1, 0, 0, 0) > w(0, 1, 0, 0));
        assert!(w(0, 1, 0, 0) > w(0, 0, 5, 0));
        assert!(w(0, 0, 2, 0) > w(0, 0, 1, 0));
        assert!(w(0, 0, 1, 0) > w(0, 0, 0, 1000), "code never outranks prose");
        assert!(w(0, 0, 0, 3) > w(0, 0, 0, 1));
        assert_eq!(w(9, 9, 9999, 9999), 255);
    }

    #[test]
    fn merge_numbers_sections_across_pages_and_sorts_terms() {
        let vocabulary = Vocabulary::default();
        let a = page_postings(
            "Alpha",
            &[section("", "shared words", ""), section("Deploy", "shared", "cargo")],
            &vocabulary,
        );
        let b = page_postings("Beta", &[section("", "shared zeta", "")], &vocabulary);
        let terms = merge(vec![a, b], vocabulary, &SiteStemmer::default());
        let names: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(names, ["alpha", "beta", "cargo", "deploy", "share", "word", "zeta"]);
        assert_eq!(terms[4].words, ["shared"]);
        assert_eq!(terms[5].words, ["words"]);
        let shared = &terms[4];
        assert_eq!(shared.postings.sections, [0, 1, 2]);
        let pairs = |t: &Term| t.postings.pairs().collect::<Vec<_>>();
        assert_eq!(pairs(&terms[0]), [(0, 120)]);
        assert_eq!(pairs(&terms[3]), [(1, 60)]);
        assert_eq!(pairs(&terms[2]), [(1, 8)]);
    }

    #[test]
    fn words_with_one_stem_merge_keeping_each_sections_strongest_weight() {
        let vocabulary = Vocabulary::default();
        let a = page_postings("Deployments", &[section("", "deploy", "")], &vocabulary);
        let b = page_postings("Other", &[section("", "deploying", "")], &vocabulary);
        let terms = merge(vec![a, b], vocabulary, &SiteStemmer::default());
        let deploy = terms.iter().find(|t| t.text == "deploy").expect("the stem");
        assert_eq!(deploy.words, ["deploying", "deployments"]);
        assert_eq!(deploy.postings.pairs().collect::<Vec<_>>(), [(0, 120), (1, 24)]);
        assert_eq!(deploy.sections, 2);
    }

    #[test]
    fn common_terms_keep_their_strongest_postings() {
        let mut postings: Vec<(u32, u8)> = (0..MAX_POSTINGS as u32 + 10).map(|n| (n, 24)).collect();
        let last = postings.len() as u32 - 1;
        postings[last as usize].1 = 200;
        let term = capped("common".into(), postings.into_iter().collect());
        let kept: Vec<(u32, u8)> = term.postings.pairs().collect();
        assert_eq!(term.sections, MAX_POSTINGS as u32 + 10);
        assert_eq!(kept.len(), MAX_POSTINGS);
        assert!(kept.contains(&(last, 200)), "the strongest survives");
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0), "still by section");
        assert_eq!(kept[0], (0, 24), "ties go to earlier sections");
    }

    #[test]
    fn shards_hold_consecutive_terms_with_gap_encoded_postings() {
        let term = |text: &str, postings: Vec<(u32, u8)>| Term {
            text: text.into(),
            words: Vec::new(),
            sections: 3,
            postings: postings.into_iter().collect(),
        };
        let mut small = [term("a", vec![(2, 24), (5, 60), (9, 8)]), term("b\"q", vec![(0, 1)])];
        small[0].words = vec!["as".into()];
        let out = shards(&small);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].json, r#"[["a",3,[2,24,3,60,4,8],["as"]],["b\"q",3,[0,1]]]"#);
        assert_eq!((out[0].first.as_str(), out[0].last.as_str()), ("a", "b\"q"));

        let big: Vec<Term> =
            (0..400).map(|n| term(&format!("t{n:03}"), (0..20).map(|s| (s * 7, 24)).collect())).collect();
        let out = shards(&big);
        assert!(out.len() > 2, "{} shards", out.len());
        for shard in &out {
            let parsed: serde_json::Value = serde_json::from_str(&shard.json).expect("valid JSON");
            assert_eq!(parsed[0][0].as_str(), Some(shard.first.as_str()));
            assert!(shard.json.len() < SHARD_TARGET_BYTES + 400);
        }
        assert!(out.windows(2).all(|w| w[0].last < w[1].first));

        // A stem's words widen its shard's span both ways.
        let mut sky = [term("sky", vec![(0, 1)])];
        sky[0].words = vec!["skies".into(), "skying".into()];
        let out = shards(&sky);
        assert_eq!((out[0].first.as_str(), out[0].last.as_str()), ("skies", "skying"));
    }
}
