//! Footnotes as Docusaurus writes them (remark-gfm through mdast-util-to-hast), so links to
//! `#user-content-fn-1` from other pages and bookmarks keep working after a migration.
//!
//! In: footnote references as the event pass meets them, and each definition's events.
//! Out: the reference's `<sup>` link, and one `<section class="footnotes">` at the end of the
//! page listing the referenced definitions in the order of their first reference, each with
//! links back to its references. Definitions nobody references are left out, as in GFM.

use pulldown_cmark::{CowStr, Event, TagEnd};

/// The id prefix remark adds so that user content cannot clobber the page's own ids.
const PREFIX: &str = "user-content-";

/// The footnotes of one page.
#[derive(Default)]
pub(crate) struct Footnotes<'a> {
    /// Identifiers in the order of their first reference, with how often each is referenced.
    order: Vec<(String, usize)>,
    /// Definitions by identifier, as events (without their start and end tags).
    definitions: Vec<(String, Vec<Event<'a>>)>,
}

/// A label as GFM compares them (case and runs of white space folded).
fn identifier(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The identifier as it appears in ids and hrefs: URL-safe, as micromark's `normalizeUri`.
fn safe_id(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, URI_UNSAFE).to_string()
}

/// What `normalizeUri` escapes: everything outside ASCII alphanumerics and `!#$%&'()*+,-./:;=?@_~`.
const URI_UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b'-')
    .remove(b'.')
    .remove(b'/')
    .remove(b':')
    .remove(b';')
    .remove(b'=')
    .remove(b'?')
    .remove(b'@')
    .remove(b'_')
    .remove(b'~');

impl<'a> Footnotes<'a> {
    /// The HTML of a reference to `label`, numbered by first reference.
    pub(crate) fn reference(&mut self, label: &str) -> String {
        let id = identifier(label);
        let (number, count) = match self.order.iter().position(|(i, _)| *i == id) {
            Some(n) => {
                self.order[n].1 += 1;
                (n + 1, self.order[n].1)
            }
            None => {
                self.order.push((id.clone(), 1));
                (self.order.len(), 1)
            }
        };
        let safe = safe_id(&id);
        let suffix = if count > 1 { format!("-{count}") } else { String::new() };
        format!(
            "<sup><a href=\"#{PREFIX}fn-{safe}\" id=\"{PREFIX}fnref-{safe}{suffix}\" data-footnote-ref=\"\" \
             aria-describedby=\"footnote-label\">{number}</a></sup>"
        )
    }

    /// Keeps a definition's events; the first definition of a label wins.
    pub(crate) fn define(&mut self, label: &str, events: Vec<Event<'a>>) {
        let id = identifier(label);
        if !self.definitions.iter().any(|(i, _)| *i == id) {
            self.definitions.push((id, events));
        }
    }

    /// The closing section, or nothing when no defined footnote was referenced.
    pub(crate) fn section(mut self) -> Vec<Event<'a>> {
        let mut out = Vec::new();
        for (id, count) in &self.order {
            let Some(n) = self.definitions.iter().position(|(i, _)| i == id) else { continue };
            let (_, mut events) = self.definitions.swap_remove(n);
            let number = out.len() + 1;
            let safe = safe_id(id);
            let backrefs = (1..=*count)
                .map(|k| {
                    let (suffix, sup) =
                        if k > 1 { (format!("-{k}"), format!("<sup>{k}</sup>")) } else { Default::default() };
                    let label = if k > 1 { format!("{number}-{k}") } else { number.to_string() };
                    format!(
                        " <a href=\"#{PREFIX}fnref-{safe}{suffix}\" data-footnote-backref=\"\" \
                         aria-label=\"Back to reference {label}\" class=\"data-footnote-backref\">↩{sup}</a>"
                    )
                })
                .collect::<String>();
            // The links back go at the end of the definition's last paragraph, or after it.
            match events.iter().rposition(|e| matches!(e, Event::End(TagEnd::Paragraph))) {
                Some(end) if end + 1 == events.len() => events.insert(end, Event::InlineHtml(CowStr::from(backrefs))),
                _ => events.push(Event::Html(CowStr::from(backrefs))),
            }
            out.push((safe, events));
        }
        if out.is_empty() {
            return Vec::new();
        }
        let mut events = vec![Event::Html(CowStr::from(
            "<section data-footnotes=\"\" class=\"footnotes\"><h2 class=\"sr-only\" id=\"footnote-label\">Footnotes</h2>\n<ol>\n",
        ))];
        for (safe, body) in out {
            events.push(Event::Html(CowStr::from(format!("<li id=\"{PREFIX}fn-{safe}\">\n"))));
            events.extend(body);
            events.push(Event::Html(CowStr::from("</li>\n")));
        }
        events.push(Event::Html(CowStr::from("</ol>\n</section>\n")));
        events
    }
}
