//! Machine-readable exports: `llms.txt` and `llms-full.txt`.
//!
//! In: a loaded [`Site`] (pages, sidebars, config). Out: two text files for the output folder,
//! following the llms.txt proposal (llmstxt.org): `llms.txt` is the site's title, its tagline as a
//! blockquote, then one section per sidebar listing `- [Title](URL): description` in sidebar order;
//! `llms-full.txt` is every page's Markdown source, without front matter, in the same order.

use crate::links::encode_path;
use crate::sidebar::Stop;
use crate::site::Site;

/// The pages of each section, in order: each sidebar by its label, then listed pages that are in
/// no sidebar. Unlisted pages are left out (drafts are already gone in production).
pub fn sections(site: &Site) -> Vec<(String, Vec<usize>)> {
    let docs = &site.content.docs;
    let mut seen = vec![false; docs.len()];
    let mut out = Vec::new();
    for (si, sb) in site.sidebars.sidebars.iter().enumerate() {
        let mut pages = Vec::new();
        for stop in site.sidebars.order.get(si).map(Vec::as_slice).unwrap_or_default() {
            // A page listed by several sidebars goes with the one it belongs to.
            let belongs =
                |i: usize| site.sidebars.placements.get(i).and_then(Option::as_ref).is_none_or(|p| p.sidebar == si);
            if let Stop::Doc(i) = stop
                && *i < docs.len()
                && !seen[*i]
                && belongs(*i)
                && !docs[*i].is_unlisted()
            {
                seen[*i] = true;
                pages.push(*i);
            }
        }
        if !pages.is_empty() {
            out.push((sb.label.clone(), pages));
        }
    }
    let rest: Vec<usize> = (0..docs.len()).filter(|&i| !seen[i] && !docs[i].is_unlisted()).collect();
    if !rest.is_empty() {
        out.push(("Other pages".to_string(), rest));
    }
    out
}

/// The page's address: absolute when the site's `url` is known.
fn page_url(site: &Site, i: usize) -> String {
    format!("{}{}", site.config.url, encode_path(&site.content.docs[i].url))
}

/// Text on one line, for a Markdown list item or link label.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `[` and `]` would end a link label early.
fn link_label(text: &str) -> String {
    one_line(text).replace('[', "\\[").replace(']', "\\]")
}

/// `llms.txt`: an index of the site for language models.
pub fn index(site: &Site) -> String {
    let c = &site.config;
    let mut out = format!("# {}\n", one_line(&c.title));
    if !c.tagline.trim().is_empty() {
        out.push_str(&format!("\n> {}\n", one_line(&c.tagline)));
    }
    for (label, pages) in sections(site) {
        out.push_str(&format!("\n## {}\n\n", one_line(&label)));
        for i in pages {
            let doc = &site.content.docs[i];
            out.push_str(&format!("- [{}]({})", link_label(&doc.title), page_url(site, i)));
            match doc.front.description.as_deref().map(one_line) {
                Some(d) if !d.is_empty() => out.push_str(&format!(": {d}\n")),
                _ => out.push('\n'),
            }
        }
    }
    out
}

/// `llms-full.txt`: every page's Markdown in sidebar order, each under its title and address.
/// A leading `# Heading` of the page is dropped: it is the title written above it.
pub fn full(site: &Site) -> String {
    let mut out = full_header(site);
    for (_, pages) in sections(site) {
        for i in pages {
            out.push_str(&full_page(site, i));
        }
    }
    out
}

/// The start of `llms-full.txt`: the site's title and tagline.
pub fn full_header(site: &Site) -> String {
    let c = &site.config;
    let mut out = format!("# {}\n", one_line(&c.title));
    if !c.tagline.trim().is_empty() {
        out.push_str(&format!("\n> {}\n", one_line(&c.tagline)));
    }
    out
}

/// Doc `i`'s part of `llms-full.txt` (its text must be loaded).
pub fn full_page(site: &Site, i: usize) -> String {
    let doc = &site.content.docs[i];
    let body = doc.body().trim_start_matches(['\n', '\r']);
    let body = match body.lines().next() {
        Some(first) if first.starts_with("# ") => body[first.len()..].trim_start_matches(['\n', '\r']),
        _ => body,
    };
    format!("\n---\n\n# {}\n\nURL: {}\n\n{}\n", one_line(&doc.title), page_url(site, i), body.trim_end())
}

/// Both files, unless `llms_txt: false`.
pub fn files(site: &Site) -> Vec<(&'static str, String)> {
    if !site.config.llms_txt {
        return Vec::new();
    }
    vec![("llms.txt", index(site)), ("llms-full.txt", full(site))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_on_one_line_and_inside_the_link() {
        assert_eq!(link_label("A [draft]\n title"), "A \\[draft\\] title");
        assert_eq!(one_line("  two\n lines "), "two lines");
    }
}
