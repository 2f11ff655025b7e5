//! Raw HTML written in a page: what the markdown stage takes out of it and reads from it.
//!
//! In: the text of an HTML block or inline HTML. Out: the same text without comments and
//! without capitalised MDX component tags (their children stay), the component names
//! seen, and the `href`/`src` values with their byte offsets, for link checking.
//!
//! A scanner of its own rather than lectern's HTML reader ([`crate::html`]): diagnostics point
//! at an attribute value's byte offset in the page, and component names keep their case, which
//! an HTML5 tokenizer gives neither of. It reads no character references.

/// A URL found in an `href` or `src` attribute.
#[derive(Debug, PartialEq)]
pub(crate) struct HtmlUrl {
    pub image: bool,
    pub url: String,
    /// Byte offset of the value in the scanned text.
    pub offset: usize,
}

/// The result of [`clean`].
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Cleaned {
    pub html: String,
    /// Capitalised tag names removed, in order, with repeats, each with whether the tag closes
    /// itself (`<Foo />`).
    pub components: Vec<(String, bool)>,
}

/// Removes `<!-- comments -->` and `<Capitalised>` tags.
pub(crate) fn clean(html: &str) -> Cleaned {
    let mut out = Cleaned { html: String::with_capacity(html.len()), components: Vec::new() };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.html.push_str(&rest[..lt]);
        let tail = &rest[lt..];
        if tail.starts_with("<!--") {
            rest = tail.find("-->").map_or("", |end| &tail[end + 3..]);
        } else if let Some((name, len)) = component_tag(tail) {
            out.components.push((name.to_string(), tail[..len].ends_with("/>")));
            rest = &tail[len..];
        } else {
            out.html.push('<');
            rest = &tail[1..];
        }
    }
    out.html.push_str(rest);
    out
}

/// A capitalised tag at the start of `s`: its name and its length in bytes.
fn component_tag(s: &str) -> Option<(&str, usize)> {
    let body = s.strip_prefix("</").or_else(|| s.strip_prefix('<'))?;
    if !body.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let name_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(body.len());
    let end = tag_end(s)?;
    Some((&body[..name_len], end))
}

/// The length of the tag starting at `s` (up to and including `>`), skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// Every `href`/`src` value in `html`, outside comments.
pub(crate) fn urls(html: &str) -> Vec<HtmlUrl> {
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(lt) = html[pos..].find('<').map(|i| i + pos) {
        let tail = &html[lt..];
        if tail.starts_with("<!--") {
            pos = tail.find("-->").map_or(html.len(), |end| lt + end + 3);
            continue;
        }
        let Some(len) = tag_end(tail) else {
            pos = lt + 1;
            continue;
        };
        let name_len = tail[1..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tail.len() - 1);
        let image = matches!(tail[1..1 + name_len].to_ascii_lowercase().as_str(), "img" | "source");
        for (offset, url) in attribute_values(&tail[..len], &["href", "src"]) {
            found.push(HtmlUrl { image, url: url.to_string(), offset: lt + offset });
        }
        pos = lt + len;
    }
    found
}

/// Values of the named attributes in one tag, with their offsets in it.
fn attribute_values<'a>(tag: &'a str, names: &[&str]) -> Vec<(usize, &'a str)> {
    let bytes = tag.as_bytes();
    let mut values = Vec::new();
    let mut i = 1;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b':') {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let name = &tag[start..i];
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= bytes.len() || bytes[j] != b'=' {
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let (value_start, value_end) = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = tag[j + 1..].find(q as char).map_or(tag.len(), |e| j + 1 + e);
                (j + 1, end)
            }
            _ => {
                let end = tag[j..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(tag.len(), |e| j + e);
                (j, end)
            }
        };
        if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            values.push((value_start, &tag[value_start..value_end]));
        }
        i = value_end + 1;
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        let cases = [
            ("<p>a<!-- hidden -->b</p>", "<p>ab</p>", vec![]),
            ("<Entity> and </Entity>", " and ", vec!["Entity", "Entity"]),
            ("<Tabs groupId=\"x>y\"><b>k</b></Tabs>", "<b>k</b>", vec!["Tabs", "Tabs"]),
            ("<Foo.Bar />x", "x", vec!["Foo.Bar"]),
            ("a < b <div>", "a < b <div>", vec![]),
            ("<!-- unterminated", "", vec![]),
        ];
        for (input, html, components) in cases {
            let got = clean(input);
            assert_eq!(got.html, html, "{input}");
            let names: Vec<&str> = got.components.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, components, "{input}");
        }
    }

    #[test]
    fn non_ascii_in_tags_is_safe() {
        assert_eq!(urls("<a title=\"é\" é href=x>").len(), 1);
        assert!(clean("<Ü é>").components.is_empty());
        assert_eq!(clean("<A /><B></B>").components, [("A".into(), true), ("B".into(), false), ("B".into(), false)]);
    }

    #[test]
    fn finds_urls() {
        let html = "<a class=x href=\"./a.md\">a</a><!-- <a href=\"no\"> --><img alt='' src='i.png'><a HREF=b.md>";
        let got = urls(html);
        let short: Vec<(bool, &str)> = got.iter().map(|u| (u.image, u.url.as_str())).collect();
        assert_eq!(short, [(false, "./a.md"), (true, "i.png"), (false, "b.md")]);
        assert_eq!(&html[got[0].offset..got[0].offset + 6], "./a.md");
        assert_eq!(&html[got[2].offset..got[2].offset + 4], "b.md");
    }
}
