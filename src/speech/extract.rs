//! What is spoken: finds the speech blocks in a page's HTML and turns each into the plain text a
//! listener needs, one segment per heading, paragraph, list item or table row.
//!
//! In: HTML from the markdown stage. Out: [`BlockSpan`]s (where each block is) and, per block,
//! text segments: headings, paragraphs, list items (numbered in ordered lists), table rows
//! (each cell after its column's header), link text, image alt text ("Image: …", placeholders
//! skipped), videos and iframes ("Video: title."), admonition titles; a code block becomes a
//! short note, a diagram its name ("Flowchart: Release process."); heading anchors, buttons, scripts, SVG and hidden elements are skipped. How each
//! word is said is `spoken`'s business. Pure.

use std::ops::Range;

use super::html::{self, Token, attr, decode_entities, has_class};
use super::sentences::{Sentence, split_words};
use super::spoken::{self, Piece, Word};

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
    extract_sentences(html).into_iter().map(|s| s.spoken).collect()
}

/// As [`extract_speech`], each sentence with the words of the page it reads.
pub fn extract_sentences(html: &str) -> Vec<Sentence> {
    segment_words(html).iter().flat_map(|words| split_words(words)).collect()
}

/// Elements whose content is never spoken.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "svg", "button", "select", "textarea", "audio", "video", "object", "canvas",
    "noscript", "math",
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

/// The text segments of a block of HTML, in reading order, as spoken.
pub fn spoken_segments(html: &str) -> Vec<String> {
    segment_words(html)
        .iter()
        .map(|words| words.iter().map(|w| w.spoken.trim()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
        .collect()
}

/// The words of each segment of a block of HTML, in reading order.
fn segment_words(html: &str) -> Vec<Vec<Word>> {
    let mut w = Walker::default();
    for (_, _, token) in html::tokens(html) {
        w.token(token);
    }
    w.flush();
    w.segments
}

#[derive(Default)]
struct Walker {
    segments: Vec<Vec<Word>>,
    pieces: Vec<Piece>,
    /// Inside an element that is not spoken: its name and nesting depth.
    skip: Option<(String, usize)>,
    /// Inside inline `<code>`: its text so far.
    code: Option<String>,
    /// How many table cells are open: a `<br>` in a cell is a space, not a new segment.
    cells: usize,
    /// Open lists: the next item's number in an ordered list, `None` in others.
    lists: Vec<Option<usize>>,
    /// The current table's column headers, and whether the row being read is the header row.
    headers: Vec<String>,
    in_head: bool,
    /// The current row's cell number and where the open cell's pieces start.
    column: usize,
    cell_start: usize,
    /// An ordered list item's number ("3:"), said before the item's first words.
    number: Option<String>,
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
            Token::Text(text) => self.text(&decode_entities(text)),
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.push_str(text);
            return;
        }
        // A line break inside a paragraph may end a run-in label ("Version: V4").
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.pieces.push(Piece::Break);
            }
            if !line.is_empty() {
                self.pieces.push(Piece::Text(line.to_string()));
            }
        }
    }

    /// A segment of its own for an element, spoken as `said`; `shown` is its text on the page
    /// if any (an image's alt text).
    fn said_segment(&mut self, shown: &str, said: String) {
        self.flush();
        self.segments.push(vec![Word { shown: shown.to_string(), spoken: said }]);
    }

    fn start(&mut self, name: String, attrs: &str, self_closing: bool) {
        let hidden = attr(attrs, "hidden").is_some()
            || attr(attrs, "aria-hidden").as_deref() == Some("true")
            || has_class(attrs, "anchor")
            || has_class(attrs, PLAYER_CLASS);
        if attr(attrs, "data-diagram").is_some() {
            // A diagram is announced by its name, never read as its source.
            let label = attr(attrs, "data-label").map(|l| collapse(&decode_entities(&l))).unwrap_or_default();
            let label = if label.is_empty() { "Diagram".to_string() } else { spoken_text(&label) };
            let stop = if label.ends_with(['.', '!', '?']) { "" } else { "." };
            self.said_segment("", format!("{label}{stop}"));
            if !self_closing && !html::is_void(&name) {
                self.skip = Some((name, 1));
            }
            return;
        }
        let code = (name == "div" && has_class(attrs, "code-block")) || name == "pre";
        if code {
            self.said_segment("", code_note(attr(attrs, "data-lang").as_deref()));
        }
        if name == "img" {
            // Entities are decoded twice: authors' `&amp;` arrives as `&amp;amp;`.
            let alt = attr(attrs, "alt").map(|a| collapse(&decode_entities(&a))).unwrap_or_default();
            if !spoken::is_placeholder_alt(&alt) {
                let stop = if alt.ends_with(['.', '!', '?']) { "" } else { "." };
                self.said_segment(&alt, format!("Image: {}{stop}", spoken_text(&alt)));
            }
            return;
        }
        if matches!(name.as_str(), "iframe" | "video") && !hidden {
            let title = attr(attrs, "title").or_else(|| attr(attrs, "aria-label")).map(|t| collapse(&t));
            let title = title.filter(|t| !t.is_empty()).map(|t| spoken_text(&t));
            let kind = if name == "video" || attr(attrs, "src").is_some_and(|s| is_video_host(&s)) {
                "Video"
            } else {
                "Embedded page"
            };
            self.said_segment(
                "",
                match title {
                    Some(t) if t.ends_with(['.', '!', '?']) => format!("{kind}: {t}"),
                    Some(t) => format!("{kind}: {t}."),
                    None => format!("{kind}."),
                },
            );
        }
        if name == "code" && !self_closing {
            self.code = Some(String::new());
            return;
        }
        if hidden || code || SKIPPED.contains(&name.as_str()) || matches!(name.as_str(), "iframe" | "video") {
            if !self_closing && !html::is_void(&name) {
                self.skip = Some((name, 1));
            }
            return;
        }
        match name.as_str() {
            "table" => {
                self.flush();
                self.headers.clear();
            }
            "thead" => self.in_head = true,
            "tbody" | "tfoot" => self.in_head = false,
            "tr" => {
                self.flush();
                self.column = 0;
            }
            "td" | "th" => {
                self.cells += 1;
                self.cell_start = self.pieces.len();
            }
            "br" if self.cells > 0 => self.pieces.push(Piece::Text(" ".into())),
            "ol" | "ul" => {
                self.flush();
                let first = attr(attrs, "start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
                self.lists.push((name == "ol").then_some(first));
            }
            "li" => {
                self.flush();
                if let Some(Some(n)) = self.lists.last_mut() {
                    let number = attr(attrs, "value").and_then(|v| v.trim().parse().ok()).unwrap_or(*n);
                    self.number = Some(format!("{number}:"));
                    *n = number + 1;
                }
            }
            _ if BLOCKS.contains(&name.as_str()) => self.flush(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "code" if self.code.is_some() => {
                let code = self.code.take().unwrap_or_default();
                self.pieces.push(Piece::Code(code));
            }
            "td" | "th" => self.end_cell(),
            "tr" => {
                if self.in_head {
                    self.pieces.clear();
                } else {
                    self.pieces.push(Piece::Stop('.'));
                }
                self.cells = 0;
                self.flush();
            }
            "thead" => self.in_head = false,
            "li" => {
                self.flush();
                self.number = None;
            }
            "ol" | "ul" => {
                self.flush();
                self.lists.pop();
            }
            _ if BLOCKS.contains(&name) => self.flush(),
            _ => {}
        }
    }

    /// Header cells name the columns; a body cell is read after its column's name ("Type: string.")
    /// or, in a table without headers, followed by a comma.
    fn end_cell(&mut self) {
        self.cells = self.cells.saturating_sub(1);
        let start = self.cell_start.min(self.pieces.len());
        let cell = spoken::words(&self.pieces[start..]);
        let said = cell.iter().map(|w| w.spoken.as_str()).collect::<Vec<_>>().join(" ");
        let column = self.column;
        self.column += 1;
        if self.in_head {
            if self.headers.len() <= column {
                self.headers.resize(column + 1, String::new());
            }
            self.headers[column] = said.trim().trim_end_matches([':', '.']).to_string();
            return;
        }
        if !said.chars().any(char::is_alphanumeric) {
            self.pieces.truncate(start);
            return;
        }
        match self.headers.get(column).filter(|h| !h.is_empty()) {
            Some(header) => {
                self.pieces.insert(start, Piece::Said(format!("{header}:")));
                self.pieces.push(Piece::Stop('.'));
            }
            None => self.pieces.push(Piece::Stop(',')),
        }
    }

    fn flush(&mut self) {
        if let Some(code) = self.code.take() {
            self.pieces.push(Piece::Code(code));
        }
        let mut words = spoken::words(&self.pieces);
        self.pieces.clear();
        if words.iter().any(|w| w.spoken.chars().any(char::is_alphanumeric)) {
            if let Some(number) = self.number.take() {
                words.insert(0, Word { shown: String::new(), spoken: number });
            }
            spoken::finish_segment(&mut words);
            self.segments.push(words);
        }
    }
}

/// Plain text (alt text, a title) as spoken.
fn spoken_text(text: &str) -> String {
    spoken::words(&[Piece::Text(text.to_string())])
        .iter()
        .map(|w| w.spoken.as_str())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_video_host(src: &str) -> bool {
    ["youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "loom.com", "wistia"]
        .iter()
        .any(|h| src.contains(h))
}

/// Whitespace runs (and no-break spaces) become one space; ends trimmed.
fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `https://www.github.com/x/y).` → `github.com).`; other words unchanged.
pub(super) fn speak_url(word: &str) -> String {
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
        "csharp" => "C sharp".to_string(),
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
