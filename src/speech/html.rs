//! A small, forgiving HTML tokenizer for the speech stage: enough to walk the HTML that the
//! markdown stage writes (plus authors' raw HTML) without a DOM.
//!
//! In: an HTML fragment. Out: [`Token`]s with their byte ranges, attribute lookup and entity
//! decoding. Comments, doctypes and the bodies of `<script>`/`<style>` are skipped.

/// One piece of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attrs>`; `attrs` is the raw attribute text.
    Start { name: String, attrs: &'a str, self_closing: bool },
    /// `</name>`.
    End { name: String },
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
}

/// Elements that never have content or an end tag.
pub fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Iterates over the tokens of `html` as `(start, end, token)`, byte offsets into `html`.
pub struct Tokens<'a> {
    html: &'a str,
    pos: usize,
}

/// Tokens of an HTML fragment.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens { html, pos: 0 }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (usize, usize, Token<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let html = self.html;
        while self.pos < html.len() {
            let start = self.pos;
            let rest = &html[start..];
            if !rest.starts_with('<') {
                let end = rest.find('<').map_or(html.len(), |i| start + i);
                self.pos = end;
                return Some((start, end, Token::Text(&html[start..end])));
            }
            if let Some(body) = rest.strip_prefix("<!--") {
                self.pos = body.find("-->").map_or(html.len(), |i| start + 4 + i + 3);
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                self.pos = rest.find('>').map_or(html.len(), |i| start + i + 1);
                continue;
            }
            let Some(token) = self.tag(start) else {
                // A `<` that starts no tag is text.
                self.pos = start + 1;
                return Some((start, start + 1, Token::Text("<")));
            };
            return Some(token);
        }
        None
    }
}

impl<'a> Tokens<'a> {
    fn tag(&mut self, start: usize) -> Option<(usize, usize, Token<'a>)> {
        let html = self.html;
        let rest = &html[start + 1..];
        let (closing, rest) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
        if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let after_name = start + 1 + usize::from(closing) + name_len;
        let end = tag_end(html, after_name);
        self.pos = end;
        if closing {
            return Some((start, end, Token::End { name }));
        }
        // An unclosed tag runs to the end of the text, which may end in a multi-byte character.
        let inner_end = if html.as_bytes().get(end.wrapping_sub(1)) == Some(&b'>') { end - 1 } else { end };
        let inner = &html[after_name..inner_end.max(after_name)];
        let self_closing = inner.trim_end().ends_with('/');
        if matches!(name.as_str(), "script" | "style") && !self_closing {
            // Raw text: jump over the body to the end tag, which the next call returns.
            let close = format!("</{name}");
            self.pos = find_ascii_ci(&html[end..], &close).map_or(html.len(), |i| end + i);
        }
        Some((start, end, Token::Start { name, attrs: inner, self_closing }))
    }
}

/// The byte after the `>` that closes a tag whose attributes start at `from`; quotes respected.
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in html.as_bytes()[from..].iter().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return from + i + 1,
            _ => {}
        }
    }
    html.len()
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The value of attribute `name` in raw attribute text, entities decoded. A bare attribute
/// (`hidden`) has the empty value.
pub fn attr(attrs: &str, name: &str) -> Option<String> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let round_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/' | b'>') {
            i += 1;
        }
        let key = &attrs[key_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v_start, v_end) = match bytes.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = attrs[i + 1..].find(q as char).map_or(attrs.len(), |j| i + 1 + j);
                    (i + 1, end)
                }
                _ => {
                    let end = attrs[i..].find(|c: char| c.is_ascii_whitespace()).map_or(attrs.len(), |j| i + j);
                    (i, end)
                }
            };
            value = decode_entities(&attrs[v_start..v_end]);
            i = (v_end + 1).min(attrs.len().max(v_end));
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        // Only a stray ASCII `>` makes no progress; stepping over it keeps `i` on a char boundary.
        if i == round_start {
            i += 1;
        }
    }
    None
}

/// Whether the space-separated `class` attribute holds `class`.
pub fn has_class(attrs: &str, class: &str) -> bool {
    attr(attrs, "class").is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
}

/// Decodes character references: the common named ones and every numeric one.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|j| j + 1).filter(|&j| j <= 10);
        let decoded = end.and_then(|j| entity(&rest[1..j]));
        match (end, decoded) {
            (Some(j), Some(c)) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "copy" => '©',
        "times" => '×',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    /// Found by the `sentences` fuzz target: an unclosed tag whose text ends in a two-byte
    /// character once sliced the character in half.
    #[test]
    fn attributes_with_stray_equals_signs_and_multibyte_text() {
        let attrs = " = x\u{e9}t\u{600}= \u{e9}\u{e9}\u{e9}";
        assert_eq!(attr(attrs, "class"), None);
        let _ = crate::speech::extract_speech("p= Lid<p= \u{e9}x =\u{600}y class=a>text</p>");
    }

    #[test]
    fn an_unclosed_tag_ending_in_a_multibyte_character() {
        let html = "lo <<<0<<<i\0\0{\u{19}Sh\u{600}";
        let tokens: Vec<_> = tokens(html).collect();
        assert!(!tokens.is_empty());
        let _ = crate::speech::extract_speech(html);
    }

    use super::*;

    #[test]
    fn tokenizes_tags_text_and_skips_comments_and_scripts() {
        let html = "<p class=\"a>b\">x &amp; y<!-- no --><br/><script>if (a<b) {}</script></p>";
        let got: Vec<Token> = tokens(html).map(|(_, _, t)| t).collect();
        assert_eq!(
            got,
            vec![
                Token::Start { name: "p".into(), attrs: " class=\"a>b\"", self_closing: false },
                Token::Text("x &amp; y"),
                Token::Start { name: "br".into(), attrs: "/", self_closing: true },
                Token::Start { name: "script".into(), attrs: "", self_closing: false },
                Token::End { name: "script".into() },
                Token::End { name: "p".into() },
            ]
        );
    }

    #[test]
    fn attributes_and_entities() {
        let attrs = " class='x code-block' data-lang=csharp hidden alt=\"Tom &amp; Jerry\"";
        assert_eq!(attr(attrs, "data-lang").as_deref(), Some("csharp"));
        assert_eq!(attr(attrs, "hidden").as_deref(), Some(""));
        assert_eq!(attr(attrs, "alt").as_deref(), Some("Tom & Jerry"));
        assert_eq!(attr(attrs, "title"), None);
        assert!(has_class(attrs, "code-block") && !has_class(attrs, "code"));
        assert_eq!(decode_entities("&lt;T&gt; &#39;a&#x27; &unknown; & x"), "<T> 'a' &unknown; & x");
        assert_eq!(tokens("a < b").map(|(_, _, t)| t).collect::<Vec<_>>().len(), 3);
    }
}
