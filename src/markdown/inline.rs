//! Text rewrites Docusaurus makes inside prose (not in code, not in link text it already
//! linked): emoji shortcodes (`:lock:`, remark-emoji's default) and GFM's autolinked bare URLs
//! (`https://…`, `www.…`, remark-gfm's autolink literals).
//!
//! In: the text of one `Text` event. Out: the text with emoji in place and its bare URLs cut
//! out as [`Piece::Url`] for the caller to wrap in links.

use std::borrow::Cow;

/// A run of prose or a bare URL found in it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'t> {
    Text(Cow<'t, str>),
    /// The URL as written, and the href to give it (`www.` gets `http://`, as GFM says).
    Url {
        text: &'t str,
        href: String,
    },
}

/// `text` with emoji shortcodes replaced and bare URLs separated, or `None` when it has neither.
pub(crate) fn rewrite(text: &str, in_link: bool) -> Option<Vec<Piece<'_>>> {
    if !text.contains(':') && !text.contains("www.") {
        return None;
    }
    let mut pieces = Vec::new();
    let mut rest = 0;
    let mut changed = false;
    if !in_link {
        for (start, end) in bare_urls(text) {
            if start > rest {
                pieces.push(Piece::Text(emojify(&text[rest..start])));
            }
            let url = &text[start..end];
            let href = if url.starts_with("www.") { format!("http://{url}") } else { url.to_string() };
            pieces.push(Piece::Url { text: url, href });
            rest = end;
            changed = true;
        }
    }
    let tail = emojify(&text[rest..]);
    changed |= matches!(tail, Cow::Owned(_));
    changed |= pieces.iter().any(|p| matches!(p, Piece::Text(Cow::Owned(_))));
    if !tail.is_empty() {
        pieces.push(Piece::Text(tail));
    }
    changed.then_some(pieces)
}

/// `:shortcode:` → the emoji, for GitHub's (gemoji) names; unknown names stay as written.
pub(crate) fn emojify(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b':'
            && let Some(len) = text[i + 1..].find(':')
        {
            let name = &text[i + 1..i + 1 + len];
            let is_name =
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'));
            if is_name && let Some(emoji) = emojis::get_by_shortcode(name) {
                out.push_str(&text[last..i]);
                out.push_str(emoji.as_str());
                i += len + 2;
                last = i;
                continue;
            }
            if is_name {
                // `a:b:c`: the closing colon may open the next shortcode.
                i += len + 1;
                continue;
            }
        }
        i += 1;
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// Byte ranges of GFM autolink literals: `http://`, `https://` or `www.` at a word start, up to
/// white space or `<`, without trailing punctuation (`?!.,:*_~`), an unbalanced `)`, or a
/// trailing entity-like `&x;`.
fn bare_urls(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let Some(start) = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| text[from..].find(p).map(|i| from + i))
            .filter(|&i| i == 0 || !text[..i].ends_with(|c: char| c.is_alphanumeric() || matches!(c, '/' | '.' | '@')))
            .min()
        else {
            break;
        };
        let end = start + text[start..].find(|c: char| c.is_whitespace() || c == '<').unwrap_or(text.len() - start);
        let end = trim_url_end(&text[start..end]) + start;
        let scheme_len =
            if text[start..].starts_with("www.") { 4 } else { text[start..].find("//").map_or(0, |i| i + 2) };
        // A domain must follow, with a dot for `www.` and at least one character otherwise.
        if end > start + scheme_len && text[start + scheme_len..end].chars().next().is_some_and(|c| c.is_alphanumeric())
        {
            found.push((start, end));
            from = end;
        } else {
            from = start + 1;
        }
    }
    found
}

/// The length of `url` once GFM's trailing-punctuation rules are applied.
fn trim_url_end(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let s = &url[..end];
        if let Some(last) = s.chars().last() {
            if matches!(last, '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '"' | '\'') {
                end -= last.len_utf8();
                continue;
            }
            if last == ')' && s.matches(')').count() > s.matches('(').count() {
                end -= 1;
                continue;
            }
            if last == ';'
                && let Some(amp) = s.rfind('&')
                && s[amp + 1..end - 1].chars().all(|c| c.is_ascii_alphanumeric())
            {
                end = amp;
                continue;
            }
        }
        return end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_shortcodes() {
        let cases = [
            (":lock: Secure", "🔒 Secure"),
            ("Done :white_check_mark:.", "Done ✅."),
            (":+1: and :-1:", "👍 and 👎"),
            ("time 10:30:00 stays", "time 10:30:00 stays"),
            (":not_an_emoji_name: stays", ":not_an_emoji_name: stays"),
            ("a:rocket:b", "a🚀b"),
            ("key:value:lock:", "key:value🔒"),
            ("no colon", "no colon"),
        ];
        for (text, want) in cases {
            assert_eq!(emojify(text), want, "{text:?}");
        }
    }

    #[test]
    fn bare_urls_as_gfm_finds_them() {
        fn urls(t: &str) -> Vec<&str> {
            bare_urls(t).into_iter().map(|(s, e)| &t[s..e]).collect()
        }
        assert_eq!(urls("See https://example.org/a?b=1."), ["https://example.org/a?b=1"]);
        assert_eq!(urls("(at www.example.org/x)"), ["www.example.org/x"]);
        assert_eq!(urls("Wiki https://en.wikipedia.org/wiki/Foo_(bar))"), ["https://en.wikipedia.org/wiki/Foo_(bar)"]);
        assert_eq!(urls("two: http://a.io, http://b.io!"), ["http://a.io", "http://b.io"]);
        assert_eq!(urls("x https://a.io/&amp; y"), ["https://a.io/"]);
        assert_eq!(urls("nothing https:// here and www."), Vec::<&str>::new());
        assert_eq!(urls("mid-wordhttps://a.io"), Vec::<&str>::new());
    }

    #[test]
    fn rewrite_splits_text_and_urls() {
        let pieces = rewrite("Go to www.example.org :rocket:", false).unwrap();
        assert_eq!(
            pieces,
            [
                Piece::Text(Cow::Borrowed("Go to ")),
                Piece::Url { text: "www.example.org", href: "http://www.example.org".into() },
                Piece::Text(Cow::Owned(" 🚀".into())),
            ]
        );
        assert_eq!(rewrite("plain text", false), None);
        assert_eq!(rewrite("inside https://a.io link", true), None);
    }
}
