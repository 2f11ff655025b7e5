//! Reads a page's rendered HTML (the markdown stage's output) back into searchable sections.
//!
//! In: the page body HTML. Out: [`Section`]s — the text before the first heading, then one per
//! heading that has an `id` — each with its heading text, its prose and its code (block code in
//! `<pre>`, kept apart so it can rank below prose). Heading anchor links (`#`), scripts, styles,
//! SVG, buttons and media are left out. A small tag scanner, not an HTML parser: the input is
//! lectern's own output plus whatever raw HTML authors wrote, and it only needs the text.

use std::borrow::Cow;

/// One part of a page: before the first heading, or from a heading to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// The heading's id (the URL fragment); empty for the part before the first heading.
    pub anchor: String,
    /// Plain text of the heading; empty for the first part.
    pub heading: String,
    /// Text outside code blocks (inline code included: it is part of a sentence).
    pub prose: String,
    /// Text of code blocks.
    pub code: String,
}

/// Elements whose content is never text a reader searches for.
const SKIPPED: &[&str] = &["script", "style", "svg", "button", "audio", "video", "template", "noscript", "object"];
/// Elements that do not break a word: everything else is a word boundary.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// Splits `html` into sections. Always returns at least one (possibly empty) section.
pub fn sections(html: &str) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut state = State::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        state.text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
            state.text(&mut out, "<");
            rest = &rest[1..];
            continue;
        }
        let end = tag_end(rest);
        state.tag(&mut out, &rest[1..end.saturating_sub(1).max(1)]);
        rest = &rest[end..];
    }
    state.text(&mut out, rest);
    for s in &mut out {
        for text in [&mut s.heading, &mut s.prose, &mut s.code] {
            text.truncate(text.trim_end().len());
        }
    }
    out
}

#[derive(Default)]
struct State {
    /// Open skipped element (name, nesting depth of that name).
    skipping: Option<(&'static str, usize)>,
    in_anchor_link: bool,
    /// The heading being read, when it opened a section.
    heading: Option<&'static str>,
    pre_depth: usize,
}

impl State {
    fn text(&mut self, out: &mut [Section], raw: &str) {
        if raw.is_empty() || self.skipping.is_some() || self.in_anchor_link {
            return;
        }
        let Some(section) = out.last_mut() else { return };
        let target = if self.heading.is_some() {
            &mut section.heading
        } else if self.pre_depth > 0 {
            &mut section.code
        } else {
            &mut section.prose
        };
        push_collapsed(target, &decode_entities(raw));
    }

    fn tag(&mut self, out: &mut Vec<Section>, inner: &str) {
        let closing = inner.starts_with('/');
        let mut buffer = [0u8; 12];
        let name = tag_name(inner.trim_start_matches('/'), &mut buffer);
        if let Some((skipped, depth)) = &mut self.skipping {
            if *skipped == name {
                if closing {
                    *depth -= 1;
                } else if !inner.ends_with('/') {
                    *depth += 1;
                }
                if *depth == 0 {
                    self.skipping = None;
                }
            }
            return;
        }
        if closing {
            self.close(out, name);
        } else {
            self.open(out, name, inner);
        }
        if !INLINE.contains(&name)
            && let Some(s) = out.last_mut()
        {
            // A word boundary, in whichever text is being collected.
            match (&self.heading, self.pre_depth) {
                (Some(_), _) => push_collapsed(&mut s.heading, " "),
                (None, 0) => push_collapsed(&mut s.prose, " "),
                (None, _) => {}
            }
            if name == "pre" && closing {
                push_collapsed(&mut s.code, " ");
            }
        }
    }

    fn open(&mut self, out: &mut Vec<Section>, name: &str, inner: &str) {
        if let Some(skipped) = SKIPPED.iter().find(|s| **s == name) {
            if !inner.ends_with('/') {
                self.skipping = Some((skipped, 1));
            }
        } else if name == "a" && attribute(inner, "class").is_some_and(|c| c.split(' ').any(|c| c == "anchor")) {
            self.in_anchor_link = true;
        } else if name == "pre" {
            self.pre_depth += 1;
        } else if let Some(level) = HEADINGS.iter().find(|h| **h == name)
            && self.pre_depth == 0
            && let Some(id) = attribute(inner, "id").filter(|id| !id.is_empty())
        {
            out.push(Section { anchor: decode_entities(id).into_owned(), ..Section::default() });
            self.heading = Some(level);
        }
    }

    fn close(&mut self, _out: &mut [Section], name: &str) {
        if name == "a" {
            self.in_anchor_link = false;
        } else if name == "pre" {
            self.pre_depth = self.pre_depth.saturating_sub(1);
        } else if self.heading == Some(name) {
            self.heading = None;
        }
    }
}

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// The tag's name, lowercased into `buffer` (names longer than it are none of ours: empty).
fn tag_name<'b>(inner: &str, buffer: &'b mut [u8; 12]) -> &'b str {
    let name = inner.as_bytes().iter().take_while(|b| b.is_ascii_alphanumeric());
    let mut len = 0;
    for &b in name {
        if len == buffer.len() {
            return "";
        }
        buffer[len] = b.to_ascii_lowercase();
        len += 1;
    }
    std::str::from_utf8(&buffer[..len]).unwrap_or("")
}

/// Appends `text` with runs of whitespace as one space, and none at the start.
fn push_collapsed(target: &mut String, text: &str) {
    for c in text.chars() {
        if !c.is_whitespace() {
            target.push(c);
        } else if !target.is_empty() && !target.ends_with(' ') {
            target.push(' ');
        }
    }
}

/// Index just past the `>` that ends the tag at the start of `s`, skipping quoted values.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in s.as_bytes().iter().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The value of attribute `name` in a tag's inside (`h2 id="x" class="y"`).
fn attribute<'a>(inner: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = inner;
    while let Some(pos) = rest.find(name) {
        let before_ok = rest[..pos].ends_with([' ', '\t', '\n']);
        let after = rest[pos + name.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
            return Some(match quote {
                Some(q) => value[1..].split(q).next().unwrap_or(""),
                None => value.split([' ', '\t', '\n', '/']).next().unwrap_or(""),
            });
        }
        rest = &rest[pos + name.len()..];
    }
    None
}

/// Decodes the character references lectern and authors write; unknown ones stay as written.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_headings_with_ids_and_keeps_code_apart() {
        let html = concat!(
            "<p>Intro with <code>inline</code> &amp; more</p>\n",
            "<h2 id=\"install-the-sdk\">Install the <em>SDK</em><a class=\"anchor\" href=\"#install-the-sdk\" ",
            "aria-label=\"Direct link to Install the SDK\">#</a></h2>\n",
            "<p>Run this:</p><div class=\"code-block\"><pre class=\"code\"><code>",
            "<span class=\"code-line\">npm install &lt;pkg&gt;\n</span><span class=\"code-line\">echo ok</span>",
            "</code></pre></div>\n<h3>No id</h3><p>still<br>here</p><!-- <h2 id=\"c\">x</h2> -->",
            "<h3 id=\"next\">Next</h3><script>var x = '<h2 id=\"no\">';</script><p>Last</p>",
        );
        let got = sections(html);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert_eq!(got[0], Section { prose: "Intro with inline & more".into(), ..Section::default() });
        assert_eq!(got[1].anchor, "install-the-sdk");
        assert_eq!(got[1].heading, "Install the SDK");
        assert_eq!(got[1].prose, "Run this: No id still here");
        assert_eq!(got[1].code, "npm install <pkg> echo ok");
        assert_eq!((got[2].anchor.as_str(), got[2].heading.as_str(), got[2].prose.as_str()), ("next", "Next", "Last"));
    }

    #[test]
    fn skips_buttons_media_and_nested_skipped_elements() {
        let html = "<p>a<button>Play <svg><svg></svg>x</svg></button>b</p><audio src=x></audio><p>c</p>";
        assert_eq!(sections(html)[0].prose, "a b c", "a button is a word boundary");
    }

    #[test]
    fn quoted_greater_than_and_entities() {
        let html = "<p title=\"a > b\">x &#x41;&#66;&unknown; &amp</p><h2 id='q&amp;a'>Q</h2>";
        let got = sections(html);
        assert_eq!(got[0].prose, "x AB&unknown; &amp");
        assert_eq!(got[1].anchor, "q&a");
    }

    #[test]
    fn attribute_lookup_needs_a_whole_name() {
        assert_eq!(attribute("h2 data-id=\"x\" id=\"y\"", "id"), Some("y"));
        assert_eq!(attribute("a class=anchor href=#x", "class"), Some("anchor"));
        assert_eq!(attribute("p", "id"), None);
    }
}
