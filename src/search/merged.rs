//! The site's stems with every posting, brought up to date for the pages an incremental build
//! read again: only the stems those pages use, old or new, change (and, when a page's number
//! of sections changed, the section numbers after it move).
//!
//! In: the stems as the last build saved them ([`super::saved`]), every indexed page's saved
//! postings, the changed pages' new postings, and the vocabulary the ids point into. Out: the
//! stems as a build of every page would make them ([`super::index::Inverted::terms`]), to
//! write with [`super::write_index`].

use std::collections::{BTreeMap, HashMap, HashSet};

use super::index::{PagePostings, Postings, Term};
use super::saved::SavedPage;
use super::stem::SiteStemmer;
use super::vocab::{local_of, shard_of};

/// Replaces the postings of the pages at the positions `changes` names (among the indexed
/// pages, whose saved postings are `pages`) with their new ones, in `stems` (sorted in the
/// browser's string order, and left so). `vocabulary` lists the terms of every id, old and new
/// ([`super::IndexBuilder::terms`]).
pub fn update(
    stems: &mut Vec<Term>,
    pages: &[SavedPage],
    changes: &[(usize, &PagePostings)],
    vocabulary: &[Vec<Box<str>>],
    stemmer: &SiteStemmer,
) {
    let word = |id: u32| -> &str { vocabulary.get(shard_of(id)).and_then(|s| s.get(local_of(id))).map_or("", |w| w) };
    let mut changes: Vec<(usize, &PagePostings)> = changes.iter().copied().filter(|(k, _)| *k < pages.len()).collect();
    changes.sort_by_key(|(k, _)| *k);
    let mut first = Vec::with_capacity(pages.len());
    let mut at = 0u32;
    for p in pages {
        first.push(at);
        at += p.postings.sections;
    }
    let mut by_text: HashMap<String, usize> = stems.iter().enumerate().map(|(i, t)| (t.text.clone(), i)).collect();
    let mut stem_of: HashMap<u32, usize> = HashMap::new();
    let mut find = |id: u32, stems: &mut Vec<Term>, by_text: &mut HashMap<String, usize>| -> usize {
        *stem_of.entry(id).or_insert_with(|| {
            let text = stemmer.stem(word(id));
            *by_text.entry(text.clone()).or_insert_with(|| {
                stems.push(Term { text, words: Vec::new(), sections: 0, postings: Postings::default() });
                stems.len() - 1
            })
        })
    };

    // The old postings go: each changed page's sections from the stems its words had.
    let mut old_words: HashSet<u32> = HashSet::new();
    let mut new_words: HashSet<u32> = HashSet::new();
    for &(k, new) in &changes {
        let (from, to) = (first[k], first[k] + pages[k].postings.sections);
        let mut touched = HashSet::new();
        for &(id, _, _) in pages[k].postings.entries() {
            old_words.insert(id);
            touched.insert(find(id, stems, &mut by_text));
        }
        for t in touched {
            remove_range(&mut stems[t].postings, from, to);
        }
        new_words.extend(new.entries().iter().map(|&(id, _, _)| id));
    }

    // The sections after a page whose number of sections changed move.
    let mut shifts: Vec<(u32, i64)> = Vec::new();
    let mut total = 0i64;
    for &(k, new) in &changes {
        total += i64::from(new.sections) - i64::from(pages[k].postings.sections);
        shifts.push((first[k] + pages[k].postings.sections, total));
    }
    if shifts.iter().any(|&(_, d)| d != 0) {
        let moved = |s: u32| -> u32 {
            let before = shifts.partition_point(|&(end, _)| end <= s);
            let delta = if before == 0 { 0 } else { shifts[before - 1].1 };
            (i64::from(s) + delta) as u32
        };
        for stem in stems.iter_mut() {
            for s in &mut stem.postings.sections {
                *s = moved(*s);
            }
        }
    }

    // The new postings come in: per stem and section, the strongest of its words.
    let mut delta = 0i64;
    for &(k, new) in &changes {
        let start = (i64::from(first[k]) + delta) as u32;
        delta += i64::from(new.sections) - i64::from(pages[k].postings.sections);
        let mut per_stem: BTreeMap<usize, BTreeMap<u32, u8>> = BTreeMap::new();
        for &(id, section, weight) in new.entries() {
            let t = find(id, stems, &mut by_text);
            let w = per_stem.entry(t).or_default().entry(start + section).or_insert(weight);
            *w = (*w).max(weight);
        }
        for (t, block) in per_stem {
            insert_block(&mut stems[t].postings, block);
        }
    }

    // The words: those no page uses any more go, new ones come.
    let mut gone: HashSet<u32> = old_words.difference(&new_words).copied().collect();
    if !gone.is_empty() {
        let changed: HashSet<usize> = changes.iter().map(|(k, _)| *k).collect();
        for (k, page) in pages.iter().enumerate() {
            if changed.contains(&k) {
                continue;
            }
            for (id, _, _) in page.postings.entries() {
                gone.remove(id);
            }
            if gone.is_empty() {
                break;
            }
        }
    }
    for id in gone {
        let t = find(id, stems, &mut by_text);
        let w = word(id);
        if let Ok(at) = stems[t].words.binary_search_by(|x| x.as_str().cmp(w)) {
            stems[t].words.remove(at);
        }
    }
    for id in new_words {
        let t = find(id, stems, &mut by_text);
        let w = word(id);
        if stems[t].text != w
            && let Err(at) = stems[t].words.binary_search_by(|x| x.as_str().cmp(w))
        {
            stems[t].words.insert(at, w.to_string());
        }
    }

    stems.retain(|t| !t.postings.is_empty());
    for t in stems.iter_mut() {
        t.sections = t.postings.len() as u32;
    }
    stems.sort_by(|a, b| a.text.encode_utf16().cmp(b.text.encode_utf16()));
}

/// Removes the postings of sections `from..to`.
fn remove_range(p: &mut Postings, from: u32, to: u32) {
    let a = p.sections.partition_point(|&s| s < from);
    let b = p.sections.partition_point(|&s| s < to);
    p.sections.drain(a..b);
    p.weights.drain(a..b);
}

/// Puts a block of postings of consecutive sections, none of which it has, in place.
fn insert_block(p: &mut Postings, block: BTreeMap<u32, u8>) {
    let Some(&first) = block.keys().next() else { return };
    let at = p.sections.partition_point(|&s| s < first);
    p.sections.splice(at..at, block.keys().copied());
    p.weights.splice(at..at, block.values().copied());
}

#[cfg(test)]
mod tests {
    use super::super::{
        IndexBuilder, PageInput, chunk_json, chunk_layout, chunk_path, index_pages, saved, write_index,
    };
    use super::*;

    fn inputs<'a>(pages: &'a [(&'a str, String)]) -> Vec<PageInput<'a>> {
        pages
            .iter()
            .map(|(title, html)| PageInput { title, url: format!("/{title}/"), crumbs: vec!["Guide".into()], html })
            .collect()
    }

    /// Builds the index of `before`, saves it, then updates it for the pages of `after` that
    /// differ: the files equal those of a build of `after`.
    fn assert_update_equals_fresh(before: &[(&str, String)], after: &[(&str, String)]) {
        let builder = IndexBuilder::new("en");
        let old_inputs = inputs(before);
        let indexed: Vec<_> = old_inputs.iter().map(|p| builder.page(p)).collect();
        let mut writer = saved::Writer::new(Vec::new(), 7).unwrap();
        let mut builder = builder;
        for p in &indexed {
            writer.page(p).unwrap();
        }
        let vocabulary = builder.terms();
        let records: Vec<String> = indexed.iter().map(|p| p.record().to_string()).collect();
        for p in indexed {
            builder.add(p, &mut |_, _| Ok(())).unwrap();
        }
        let mut bytes = None;
        builder
            .finish_keeping(&mut |_, _| Ok(()), &mut |stems| {
                bytes = Some(
                    std::mem::replace(&mut writer, saved::Writer::new(Vec::new(), 0).unwrap())
                        .finish(&vocabulary, stems)
                        .unwrap(),
                );
            })
            .unwrap();
        let saved = saved::read(&bytes.unwrap()).expect("readable");

        let new_inputs = inputs(after);
        let builder = IndexBuilder::with_terms("en", saved.terms).unwrap();
        let changed: Vec<usize> = (0..after.len()).filter(|&k| before[k] != after[k]).collect();
        let fresh: Vec<(usize, super::super::IndexedPage)> =
            changed.iter().map(|&k| (k, builder.page(&new_inputs[k]))).collect();
        let changes: Vec<(usize, &PagePostings)> = fresh.iter().map(|(k, p)| (*k, p.postings())).collect();
        let mut stems = saved.stems;
        update(&mut stems, &saved.pages, &changes, &builder.terms(), &SiteStemmer::new("en"));

        let mut files = super::super::SearchFiles::new();
        let mut lens = Vec::new();
        let mut all_records = Vec::new();
        for (k, record) in records.iter().enumerate() {
            match fresh.iter().find(|(c, _)| *c == k) {
                Some((_, p)) => {
                    lens.push((p.record().len(), p.sections()));
                    all_records.push(p.record().to_string());
                }
                None => {
                    lens.push((saved.pages[k].record_len, saved.pages[k].postings.sections));
                    all_records.push(record.clone());
                }
            }
        }
        let (mut chunks, mut sizes) = (Vec::new(), Vec::new());
        for (n, (range, sections)) in chunk_layout(&lens).into_iter().enumerate() {
            let json = chunk_json(all_records[range].iter().map(String::as_str));
            chunks.push((chunk_path(n), crate::render::fnv1a([json.as_bytes()])));
            files.insert(chunk_path(n), json.into_bytes());
            sizes.push(sections);
        }
        let sections: u32 = lens.iter().map(|(_, s)| s).sum();
        write_index(&stems, sections, chunks, sizes, &mut |path, bytes| {
            files.insert(path, bytes);
            Ok(())
        })
        .unwrap();
        assert_eq!(files, index_pages(&new_inputs));
    }

    fn page(n: usize, body: &str) -> (&'static str, String) {
        let titles = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"];
        (titles[n % titles.len()], body.to_string())
    }

    #[test]
    fn an_edit_that_keeps_the_sections_changes_the_stems_it_touches() {
        let before = [
            page(0, "<p>Deploy the service with care.</p><h2 id=\"a\">Roll back</h2><p>Roll back fast.</p>"),
            page(1, "<p>Ask a colleague to review the deployment.</p>"),
            page(2, "<p>Grüße, naïve café: unique zebra words.</p>"),
        ];
        let mut after = before.clone();
        after[1].1 = "<p>Ask a reviewer to approve the deployments quickly.</p>".into();
        assert_update_equals_fresh(&before, &after);
    }

    #[test]
    fn sections_added_or_removed_move_the_sections_after() {
        let before = [
            page(0, "<p>One.</p><h2 id=\"a\">Two</h2><p>Deploy two.</p>"),
            page(1, "<p>Middle page deploys.</p>"),
            page(2, "<p>Last page deploying.</p><h2 id=\"b\">Tail</h2><p>zebra</p>"),
            page(3, "<p>After the last deploy.</p>"),
        ];
        let mut after = before.clone();
        after[1].1 = "<p>Middle.</p><h2 id=\"x\">New</h2><p>Deploy more.</p><h2 id=\"y\">More</h2><p>x</p>".into();
        after[2].1 = "<p>Last page, zebra gone.</p>".into();
        assert_update_equals_fresh(&before, &after);
        // And back.
        assert_update_equals_fresh(&after, &before);
    }

    #[test]
    fn words_and_stems_no_page_uses_any_more_go() {
        let before = [page(0, "<p>Shared words.</p>"), page(1, "<p>Only here: quixotic xylophones.</p>")];
        let mut after = before.clone();
        after[1].1 = "<p>Shared words too.</p>".into();
        assert_update_equals_fresh(&before, &after);
        assert_update_equals_fresh(&after, &before);
    }

    #[test]
    fn common_stems_keep_their_strongest_postings_after_an_edit() {
        // More sections hold `common` than a shard lists: the edit moves one into the strongest.
        let before: Vec<(&str, String)> =
            (0..super::super::index::MAX_POSTINGS + 40).map(|n| page(n, &format!("<p>common text {n}</p>"))).collect();
        let mut after = before.clone();
        after[700].1 = "<h2 id=\"c\">common</h2><p>common common</p>".into();
        after[3].1 = "<p>rare now</p>".into();
        assert_update_equals_fresh(&before, &after);
    }
}
