//! Reading HTML back: what later stages need to know of the markdown stage's HTML.
//!
//! In: an HTML fragment. Out: facts about it, such as its element ids.

use std::collections::HashSet;

/// Every `id="…"` in an HTML fragment (headings, explicit ids, footnotes).
pub fn element_ids(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids() {
        let ids = element_ids("<h2 id=\"a-b\">x</h2><p id=\"q&amp;a\">y</p><a href=\"#z\">");
        assert!(ids.contains("a-b") && ids.contains("q&a") && ids.len() == 2);
    }
}
