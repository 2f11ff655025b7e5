//! What is spoken: finds the speech blocks in a page's HTML and turns each into the plain text a
//! listener needs, one segment per heading, paragraph, list item or table row.
//!
//! In: HTML from the markdown stage. Out: [`BlockSpan`]s (where each block is) and, per block,
//! text segments: headings, paragraphs, list items, table rows (cells in order), link text,
//! image alt text ("Image: …"), admonition titles; a code block becomes a short note; URLs become
//! their host name; heading anchors, buttons, scripts, SVG, iframes and hidden elements are
//! skipped. Pure.

use std::ops::Range;

use super::html::{self, Token, attr, decode_entities, has_class};
use super::sentences::split_sentences;

/// Class of the `<section>` the markdown stage writes for a `<TextToSpeech>` block.
pub const BLOCK_CLASS: &str = "lectern-speech";

/// Class of the player the speech stage inserts; never spoken.
pub const PLAYER_CLASS: &str = "speech-player";

/// One speech block in a page's HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockSpan {
    /// The block's `data-speech-block` number.
    pub number: String,
    /// Byte range of the block's content (between its `<section …>` and `</section>`).
    pub content: Range<usize>,
}

/// Every top-level speech block of `html`, in order.
pub fn find_blocks(html: &str) -> Vec<BlockSpan> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, usize)> = None;
    let mut depth = 0usize;
    for (start, end, token) in html::tokens(html) {
        match token {
            Token::Start { name, attrs, self_closing: false } if name == "section" => {
                if open.is_some() {
                    depth += 1;
                } else if has_class(attrs, BLOCK_CLASS) {
                    let number = attr(attrs, "data-speech-block").unwrap_or_default();
                    open = Some((number, end));
                }
            }
            Token::End { name } if name == "section" && open.is_some() => {
                if depth > 0 {
                    depth -= 1;
                } else if let Some((number, from)) = open.take() {
                    blocks.push(BlockSpan { number, content: from..start });
                }
            }
            _ => {}
        }
    }
    blocks
}

/// The sentences a listener hears for a block of HTML: [`spoken_segments`], each split into
/// sentences.
pub fn extract_speech(html: &str) -> Vec<String> {
    spoken_segments(html).iter().flat_map(|s| split_sentences(s)).collect()
}

/// Elements whose content is never spoken.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "svg", "iframe", "button", "select", "textarea", "audio", "video", "object",
    "canvas", "noscript", "math",
];

/// Elements that end a segment.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "details",
    "summary",
    "hr",
    "br",
    "form",
    "fieldset",
    "legend",
];

/// The text segments of a block of HTML, in reading order.
pub fn spoken_segments(html: &str) -> Vec<String> {
    let mut w = Walker::default();
    for (_, _, token) in html::tokens(html) {
        w.token(token);
    }
    w.flush();
    w.segments
}

#[derive(Default)]
struct Walker {
    segments: Vec<String>,
    text: String,
    /// Inside an element that is not spoken: its name and nesting depth.
    skip: Option<(String, usize)>,
    /// How many table cells are open: a `<br>` in a cell is a space, not a new segment.
    cells: usize,
}

impl Walker {
    fn token(&mut self, token: Token<'_>) {
        if let Some((skipped, depth)) = &mut self.skip {
            match token {
                Token::Start { name, self_closing: false, .. } if name == *skipped && !html::is_void(&name) => {
                    *depth += 1
                }
                Token::End { name } if name == *skipped => {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skip = None;
                    }
                }
                _ => {}
            }
            return;
        }
        match token {
            Token::Start { name, attrs, self_closing } => self.start(name, attrs, self_closing),
            Token::End { name } => self.end(&name),
            Token::Text(text) => self.text.push_str(&decode_entities(text)),
        }
    }

    fn start(&mut self, name: String, attrs: &str, self_closing: bool) {
        let hidden = attr(attrs, "hidden").is_some()
            || attr(attrs, "aria-hidden").as_deref() == Some("true")
            || has_class(attrs, "anchor")
            || has_class(attrs, PLAYER_CLASS);
        let code = (name == "div" && has_class(attrs, "code-block")) || name == "pre";
        if code {
            self.flush();
            self.segments.push(code_note(attr(attrs, "data-lang").as_deref()));
        }
        if name == "img" {
            if let Some(alt) = attr(attrs, "alt").map(|a| collapse(&a)).filter(|a| !a.is_empty()) {
                self.flush();
                let stop = if alt.ends_with(['.', '!', '?']) { "" } else { "." };
                self.segments.push(format!("Image: {alt}{stop}"));
            }
            return;
        }
        if hidden || code || SKIPPED.contains(&name.as_str()) {
            if !self_closing && !html::is_void(&name) {
                self.skip = Some((name, 1));
            }
            return;
        }
        if matches!(name.as_str(), "td" | "th") {
            self.cells += 1;
        } else if name == "br" && self.cells > 0 {
            self.text.push(' ');
        } else if BLOCKS.contains(&name.as_str()) {
            self.flush();
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            // Cells of a row are read as one sentence: "Name, Type, Description."
            "td" | "th" => {
                self.cells = self.cells.saturating_sub(1);
                let trimmed = self.text.trim_end().len();
                self.text.truncate(trimmed);
                if !self.text.is_empty() && !self.text.ends_with(['.', ',', ';', ':', '!', '?']) {
                    self.text.push(',');
                }
                self.text.push(' ');
            }
            "tr" => {
                let trimmed = self.text.trim_end().trim_end_matches(',').len();
                if trimmed < self.text.trim_end().len() {
                    self.text.truncate(trimmed);
                    self.text.push('.');
                }
                self.cells = 0;
                self.flush();
            }
            _ if BLOCKS.contains(&name) => self.flush(),
            _ => {}
        }
    }

    fn flush(&mut self) {
        let text = speakable(&self.text);
        self.text.clear();
        if text.chars().any(char::is_alphanumeric) {
            self.segments.push(text);
        }
    }
}

/// Whitespace runs (and no-break spaces) become one space; ends trimmed.
fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Collapsed text with every URL replaced by its host name.
fn speakable(text: &str) -> String {
    collapse(text).split(' ').map(speak_url).collect::<Vec<_>>().join(" ")
}

/// `https://www.github.com/x/y).` → `github.com).`; other words unchanged.
fn speak_url(word: &str) -> String {
    let lead = word.len() - word.trim_start_matches(['(', '[', '<', '"', '\'']).len();
    let body = &word[lead..];
    let rest = ["https://", "http://", "ftp://"].iter().find_map(|p| body.strip_prefix(p));
    let rest = match rest {
        Some(r) => r,
        None if body.starts_with("www.") && body.len() > 4 => body,
        None => return word.to_string(),
    };
    let host_end = rest.find(['/', '?', '#', ')', ']', '>', '"', '\'']).unwrap_or(rest.len());
    let host = rest[..host_end].trim_start_matches("www.").trim_end_matches(['.', ',', ';', ':']);
    let tail: String =
        word.chars().rev().take_while(|c| matches!(c, '.' | ',' | ';' | ':' | ')' | ']' | '!' | '?')).collect();
    let tail: String = tail.chars().rev().collect();
    format!("{}{host}{tail}", &word[..lead])
}

/// "Code example in C#, skipped." for a code block in `lang` (as in `data-lang`).
pub fn code_note(lang: Option<&str>) -> String {
    let name = match lang.unwrap_or("") {
        "" | "text" | "txt" | "plain" | "plaintext" | "none" | "output" | "log" => {
            return "Code example, skipped.".into();
        }
        "csharp" => "C#".to_string(),
        "javascript" => "JavaScript".into(),
        "typescript" => "TypeScript".into(),
        "tsx" | "jsx" => lang.unwrap_or_default().to_ascii_uppercase(),
        "bash" => "shell".into(),
        "powershell" => "PowerShell".into(),
        "hcl" => "Terraform".into(),
        "dockerfile" => "Dockerfile".into(),
        other if other.len() <= 4 && !matches!(other, "go" | "java" | "ruby" | "rust") => other.to_ascii_uppercase(),
        other => {
            let mut cs = other.chars();
            cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default()
        }
    };
    format!("Code example in {name}, skipped.")
}

#[cfg(test)]
#[path = "extract_tests.rs"]
mod tests;
