//! Reads a page's rendered HTML (the markdown stage's output) back into searchable sections.
//!
//! In: the page body HTML. Out: [`Section`]s — the text before the first heading, then one per
//! heading that has an `id` — each with its heading text, its prose and its code (block code in
//! `<pre>`, kept apart so it can rank below prose). Heading anchor links (`#`), scripts, styles,
//! SVG, buttons and media are left out. The HTML is read with lectern's one HTML reader
//! ([`crate::html`]).

use crate::html::{Token, attr, decode_entities, has_class, is_void, tokens};

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
    for (_, _, token) in tokens(html) {
        match token {
            Token::Text(text) => state.text(&mut out, text),
            Token::Start { name, attrs, self_closing } => state.tag(&mut out, &name, Some((attrs, self_closing))),
            Token::End { name } => state.tag(&mut out, &name, None),
        }
    }
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

    /// A start tag (with its attributes and whether it closes itself) or an end tag (None).
    fn tag(&mut self, out: &mut Vec<Section>, name: &str, start: Option<(&str, bool)>) {
        if let Some((skipped, depth)) = &mut self.skipping {
            if *skipped == name {
                match start {
                    None => *depth -= 1,
                    Some((_, false)) if !is_void(name) => *depth += 1,
                    Some(_) => {}
                }
                if *depth == 0 {
                    self.skipping = None;
                }
            }
            return;
        }
        match start {
            Some((attrs, self_closing)) => self.open(out, name, attrs, self_closing),
            None => self.close(name),
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
            if name == "pre" && start.is_none() {
                push_collapsed(&mut s.code, " ");
            }
        }
    }

    fn open(&mut self, out: &mut Vec<Section>, name: &str, attrs: &str, self_closing: bool) {
        if let Some(skipped) = SKIPPED.iter().find(|s| **s == name) {
            if !self_closing {
                self.skipping = Some((skipped, 1));
            }
        } else if name == "a" && has_class(attrs, "anchor") {
            self.in_anchor_link = true;
        } else if name == "pre" {
            self.pre_depth += 1;
        } else if let Some(level) = HEADINGS.iter().find(|h| **h == name)
            && self.pre_depth == 0
            && let Some(id) = attr(attrs, "id").filter(|id| !id.is_empty())
        {
            out.push(Section { anchor: id, ..Section::default() });
            self.heading = Some(level);
        }
    }

    fn close(&mut self, name: &str) {
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
        assert_eq!(got[0].prose, "x AB&unknown; &", "a legacy name reads without `;`, as in a browser");
        assert_eq!(got[1].anchor, "q&a");
    }
}
