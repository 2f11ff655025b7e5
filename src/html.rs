//! Reading HTML back: the one HTML reader for what later stages take out of the markdown stage's
//! HTML (speech text, search text, element ids). Built on html5ever's tokenizer, so tags,
//! attributes, raw-text elements and character references (the full HTML5 entity table) are read
//! as a browser reads them.
//!
//! In: an HTML fragment. Out: [`Token`]s with their byte ranges in the fragment, attribute values
//! and decoded text, and facts such as the fragment's element ids. Comments, doctypes and the
//! bodies of `<script>`/`<style>` are left out.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{RawKind, State};
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token as Html5Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// One piece of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attrs>`; `name` lowercased, `attrs` the raw attribute text as written (read it
    /// with [`attr`] and [`has_class`]).
    Start { name: String, attrs: &'a str, self_closing: bool },
    /// `</name>`.
    End { name: String },
    /// Text between tags as written, character references not yet decoded ([`decode_entities`]).
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

/// The tokens of an HTML fragment as `(start, end, token)`, byte offsets into `html`.
pub fn tokens(html: &str) -> std::vec::IntoIter<(usize, usize, Token<'_>)> {
    let mut out = Vec::new();
    let mut text: Option<(usize, usize)> = None;
    // A run of text ends where the next tag starts (a `\n` after a `\r` is read with the tag), or
    // where the tokenizer last handed text over, less a `<` read again as the start of a tag that
    // the input ends in.
    let flush_text = |out: &mut Vec<_>, text: &mut Option<(usize, usize)>, next_tag: Option<usize>| {
        if let Some((from, last)) = text.take() {
            let reread = last < html.len() && html[..last].ends_with('<');
            let to = next_tag.unwrap_or(last - usize::from(reread));
            if from < to {
                out.push((from, to, Token::Text(&html[from..to])));
            }
        }
    };
    let mut prev = 0;
    for (end, piece) in read(html, None).pieces {
        let (kind, name, self_closing) = match piece {
            Piece::Text { shown } => {
                if shown {
                    text.get_or_insert((prev, end)).1 = end;
                } else {
                    flush_text(&mut out, &mut text, None);
                }
                prev = end;
                continue;
            }
            Piece::Tag { kind, name, self_closing } => (kind, Some(name), self_closing),
            Piece::Other => (TagKind::StartTag, None, false),
        };
        // Text before a tag is handed over before its `<` is read, so the tag starts at the first
        // `<` after the last piece; or, when that piece was a `<` that began no tag (`<<p>`), at
        // the `<` read with it and read again.
        let from = if html[..prev].ends_with('<') { prev - 1 } else { prev };
        let start = html[from..end].find('<').map_or(from, |i| from + i);
        flush_text(&mut out, &mut text, Some(start));
        prev = end;
        let Some(name) = name else { continue };
        let name_start = start + 1 + usize::from(html[start + 1..].starts_with('/'));
        let name_end = html[name_start..end]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .map_or(end, |i| name_start + i);
        out.push(match kind {
            TagKind::StartTag => {
                let attrs = &html[name_end..(end - 1).max(name_end)];
                (start, end, Token::Start { name, attrs, self_closing })
            }
            TagKind::EndTag => (start, end, Token::End { name }),
        });
    }
    flush_text(&mut out, &mut text, None);
    out.into_iter()
}

/// The value of attribute `name` in raw attribute text (a [`Token::Start`]'s `attrs`),
/// character references decoded. A bare attribute (`hidden`) has the empty value.
pub fn attr(attrs: &str, name: &str) -> Option<String> {
    thread_local! {
        /// The attributes read last: callers ask one tag for several in a row.
        static LAST: RefCell<(String, Vec<(String, String)>)> = RefCell::default();
    }
    LAST.with_borrow_mut(|(text, read)| {
        if text != attrs {
            *read = attributes(attrs);
            attrs.clone_into(text);
        }
        read.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.clone())
    })
}

/// Every attribute of a tag in raw attribute text, in order (of a repeated name, the first).
fn attributes(attrs: &str) -> Vec<(String, String)> {
    read(&format!("<a {attrs}>"), None).attributes
}

/// Whether the space-separated `class` attribute holds `class`.
pub fn has_class(attrs: &str, class: &str) -> bool {
    attr(attrs, "class").is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
}

/// Text with its character references decoded: named ones from the full HTML5 table, numeric
/// ones, and the legacy names a browser reads without `;`. Unknown ones stay as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    // Read as the content of an element that holds no tags (`<textarea>`): references decoded,
    // a `<` kept as text.
    read(text, Some(State::RawData(RawKind::Rcdata))).text
}

/// Every element id in an HTML fragment (headings, explicit ids, footnotes).
pub fn element_ids(html: &str) -> HashSet<String> {
    tokens(html)
        .filter_map(|(_, _, token)| match token {
            Token::Start { attrs, .. } => attr(attrs, "id"),
            _ => None,
        })
        .collect()
}

/// What the tokenizer handed over.
enum Piece {
    /// Text (or the raw text of a `<script>` or `<style>`, left out: `shown` false).
    Text { shown: bool },
    /// A start or end tag.
    Tag { kind: TagKind, name: String, self_closing: bool },
    /// A comment or doctype.
    Other,
}

/// Collects the tokenizer's output, each piece with the byte offset just after it: the input's
/// length less what is still queued when the piece is handed over.
struct Sink<'q> {
    queue: &'q BufferQueue,
    len: usize,
    pieces: RefCell<Vec<(usize, Piece)>>,
    /// The decoded text, all of it.
    text: RefCell<String>,
    /// The first start tag's attributes.
    attributes: RefCell<Option<Vec<(String, String)>>>,
    /// Inside `<script>` or `<style>`.
    in_raw_text: Cell<bool>,
}

impl Sink<'_> {
    fn offset(&self) -> usize {
        let queued = self.queue.clone();
        let mut left = 0;
        while let Some(buffer) = queued.pop_front() {
            left += buffer.len();
        }
        self.len - left
    }
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Html5Token, _line: u64) -> TokenSinkResult<()> {
        let (piece, result) = match token {
            Html5Token::CharacterTokens(text) => {
                let shown = !self.in_raw_text.get();
                if shown {
                    self.text.borrow_mut().push_str(&text);
                }
                (Piece::Text { shown }, TokenSinkResult::Continue)
            }
            Html5Token::NullCharacterToken => {
                self.text.borrow_mut().push('\0');
                (Piece::Text { shown: !self.in_raw_text.get() }, TokenSinkResult::Continue)
            }
            Html5Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let start = tag.kind == TagKind::StartTag;
                if start && self.attributes.borrow().is_none() {
                    *self.attributes.borrow_mut() =
                        Some(tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect());
                }
                // Elements whose content is text, as the HTML tree builder tells the tokenizer.
                let raw = match name.as_str() {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
                    "title" | "textarea" => Some(RawKind::Rcdata),
                    _ => None,
                };
                if matches!(name.as_str(), "script" | "style") {
                    self.in_raw_text.set(start && !tag.self_closing);
                }
                let result = match raw {
                    Some(kind) if start && !tag.self_closing => TokenSinkResult::RawData(kind),
                    _ => TokenSinkResult::Continue,
                };
                (Piece::Tag { kind: tag.kind, name, self_closing: tag.self_closing }, result)
            }
            Html5Token::CommentToken(_) | Html5Token::DoctypeToken(_) => (Piece::Other, TokenSinkResult::Continue),
            Html5Token::ParseError(_) | Html5Token::EOFToken => return TokenSinkResult::Continue,
        };
        self.pieces.borrow_mut().push((self.offset(), piece));
        result
    }
}

/// What [`read`] found.
struct Read {
    pieces: Vec<(usize, Piece)>,
    text: String,
    attributes: Vec<(String, String)>,
}

/// Runs the tokenizer over `html`, from `initial_state` (data, as in a page body, when None).
fn read(html: &str, initial_state: Option<State>) -> Read {
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let sink = Sink {
        queue: &queue,
        len: html.len(),
        pieces: RefCell::default(),
        text: RefCell::default(),
        attributes: RefCell::default(),
        in_raw_text: Cell::new(false),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts { initial_state, ..TokenizerOpts::default() });
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let sink = tokenizer.sink;
    Read { pieces: sink.pieces.take(), text: sink.text.take(), attributes: sink.attributes.take().unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<Token<'_>> {
        tokens(html).map(|(_, _, t)| t).collect()
    }

    #[test]
    fn tokenizes_tags_text_and_skips_comments_and_scripts() {
        let html = "<p class=\"a>b\">x &amp; y<!-- no --><br/><script>if (a<b) {}</script></p>";
        assert_eq!(
            kinds(html),
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
    fn byte_ranges_cover_each_token() {
        let html = "a<<p title=\"x<y\">\u{e9}<!--c--></P >\r\n<A\nhref=x>l</a>";
        for (start, end, token) in tokens(html) {
            let written = &html[start..end];
            match &token {
                Token::Start { name, .. } => {
                    assert!(written.to_lowercase().starts_with(&format!("<{name}")), "{written}")
                }
                Token::End { name } => assert!(written.to_lowercase().starts_with(&format!("</{name}")), "{written}"),
                Token::Text(text) => assert_eq!(written, *text),
            }
            assert!(!matches!(token, Token::Start { .. } | Token::End { .. }) || written.ends_with('>'));
        }
        let texts: Vec<_> = kinds(html).into_iter().filter(|t| matches!(t, Token::Text(_))).collect();
        assert_eq!(texts, vec![Token::Text("a<"), Token::Text("\u{e9}"), Token::Text("\r\n"), Token::Text("l")]);
        assert_eq!(kinds("a < b"), vec![Token::Text("a < b")]);
    }

    #[test]
    fn attributes_and_entities() {
        let attrs = " class='x code-block' data-lang=csharp hidden alt=\"Tom &amp; Jerry\" ALT=no";
        assert_eq!(attr(attrs, "data-lang").as_deref(), Some("csharp"));
        assert_eq!(attr(attrs, "hidden").as_deref(), Some(""));
        assert_eq!(attr(attrs, "alt").as_deref(), Some("Tom & Jerry"));
        assert_eq!(attr(attrs, "title"), None);
        assert!(has_class(attrs, "code-block") && !has_class(attrs, "code"));
        assert_eq!(decode_entities("&lt;T&gt; &#39;a&#x27; &unknown; & x"), "<T> 'a' &unknown; & x");
        // The full table, and the legacy names a browser reads without `;`.
        assert_eq!(
            decode_entities("&hookleftarrow; &Uuml;ber &copy 2024 &notin; </p>"),
            "\u{21a9} \u{dc}ber \u{a9} 2024 \u{2209} </p>"
        );
    }

    #[test]
    fn finds_ids() {
        let ids = element_ids("<h2 id=\"a-b\">x</h2><p id='q&amp;a'>y</p><a href=\"#z\">id=\"no\"</a>");
        assert_eq!(ids, HashSet::from(["a-b".to_string(), "q&a".to_string()]));
    }

    /// Found by the `sentences` fuzz target: an unclosed tag whose text ends in a two-byte
    /// character once sliced the character in half.
    #[test]
    fn attributes_with_stray_equals_signs_and_multibyte_text() {
        let attrs = " = x\u{e9}t\u{600}= \u{e9}\u{e9}\u{e9}";
        assert_eq!(attr(attrs, "class"), None);
        let html = "p= Lid<p= \u{e9}x =\u{600}y class=a>text</p>";
        assert!(
            tokens(html).any(
                |(_, _, t)| matches!(t, Token::Start { attrs, .. } if attr(attrs, "class").as_deref() == Some("a"))
            )
        );
    }

    #[test]
    fn an_unclosed_tag_ending_in_a_multibyte_character() {
        let html = "lo <<<0<<<i\0\0{\u{19}Sh\u{600}";
        assert_eq!(tokens(html).map(|(_, _, t)| t).collect::<Vec<_>>(), vec![Token::Text("lo <<<0<<")]);
    }
}
