//! Diagnostics: mistakes in a user's content, printed like a compiler.
//!
//! In: a source path, a 1-based line and column, a message and an optional hint.
//! Out: text such as
//! ```text
//! error: docs/a.md:3:7: sidebar_position must be a number
//!   |
//! 3 | sidebar_position: abc
//!   |       ^
//!   = help: write a number such as `2` or `1.5`
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported, the build goes on.
    Warning,
    /// The build fails.
    Error,
}

/// A problem in a user's file, with its position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the user would name it (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line of the file (front matter included); 0 when the whole file is meant.
    pub line: usize,
    /// 1-based column in characters; 0 when the whole line is meant.
    pub column: usize,
    pub message: String,
    /// A likely fix, printed as `help: ...`.
    pub help: Option<String>,
    /// The text of the offending line, shown under the message with a caret; a long line is cut
    /// to a window around the column, with `…` where it was cut.
    pub source_line: Option<String>,
    /// 1-based character position of the caret within `source_line`; 0 for no caret. A `u32`
    /// keeps the struct small: it is the error type of many `Result`s.
    #[serde(skip)]
    pub source_caret: u32,
}

impl Diagnostic {
    /// An error at `path:line:column`.
    pub fn error(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            column,
            message: message.into(),
            help: None,
            source_line: None,
            source_caret: 0,
        }
    }

    /// A warning at `path:line:column`.
    pub fn warning(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(path, line, column, message) }
    }

    /// Adds a `help:` hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Takes the offending line out of the file's text (`line` is 1-based). For one diagnostic;
    /// many in one file go through [`Diagnostic::with_line_index`], which finds a line at once.
    pub fn with_source(self, text: &str) -> Self {
        match self.line {
            0 => self,
            l => match text.lines().nth(l - 1) {
                Some(src) => self.with_source_line(src),
                None => self,
            },
        }
    }

    /// Takes the offending line out of a file's [`LineIndex`].
    pub fn with_line_index(self, index: &LineIndex<'_>) -> Self {
        match index.line(self.line) {
            Some(src) => self.with_source_line(src),
            None => self,
        }
    }

    /// Shows `src` (the text of line `line`) under the message: whole when short, else a
    /// window of about [`WINDOW`] characters around the column, so that a diagnostic's size
    /// never depends on the length of the line.
    pub fn with_source_line(mut self, src: &str) -> Self {
        let src = src.trim_end_matches(['\r', '\n']);
        let (text, caret) = source_window(src, self.column);
        self.source_line = Some(text);
        self.source_caret = u32::try_from(caret).unwrap_or(u32::MAX);
        self
    }

    /// `path:line:col`, or less when line or column are unknown.
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.column) {
            (0, _) => path,
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Paths print with `/` on every platform so messages are the same everywhere.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{kind}: {}: {}", self.location(), self.message)?;
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {src}")?;
            if self.source_caret > 0 {
                // The caret sits under the column'th character; tabs are kept so it lines up.
                let lead: String = src
                    .chars()
                    .take(self.source_caret as usize - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{pad} | {lead}^")?;
            }
        }
        if let Some(help) = &self.help {
            let pad = " ".repeat(self.line.to_string().len());
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// About how many characters of a long source line a diagnostic shows.
pub const WINDOW: usize = 100;

/// The part of `line` to show for a caret at 1-based character `column` (0: none), and the
/// caret's 1-based position in it. The caret counts characters, not bytes.
fn source_window(line: &str, column: usize) -> (String, usize) {
    // Byte offset of each character index; ASCII lines (the usual long ones) index directly.
    let ascii = line.is_ascii();
    let byte_of = |chars: usize| -> Option<usize> {
        if ascii {
            (chars <= line.len()).then_some(chars)
        } else {
            line.char_indices().map(|(b, _)| b).chain([line.len()]).nth(chars)
        }
    };
    let total = if ascii {
        line.len()
    } else if line.len() <= WINDOW {
        line.chars().count()
    } else {
        usize::MAX
    };
    if total <= WINDOW || byte_of(WINDOW + 1).is_none() {
        return (line.to_string(), column);
    }
    // The caret about two fifths into the window; a window near the end ends with the line.
    let mut start = column.saturating_sub(WINDOW * 2 / 5 + 1);
    let mut from = byte_of(start);
    let to_end = from.map(|f| line[f..].char_indices().nth(WINDOW).is_none()).unwrap_or(true);
    if to_end {
        let count = if ascii { line.len() } else { line.chars().count() };
        start = count - WINDOW;
        from = byte_of(start);
    }
    let from = from.unwrap_or(line.len());
    let to = line[from..].char_indices().nth(WINDOW).map_or(line.len(), |(b, _)| from + b);
    let mut text = String::with_capacity(to - from + 8);
    let mut caret = column.saturating_sub(start);
    if start > 0 {
        text.push('…');
        caret += usize::from(column > 0);
    }
    text.push_str(&line[from..to]);
    if to < line.len() {
        text.push('…');
    }
    (text, caret)
}

/// Where each line of a file starts, built once per file: a byte offset becomes a line and
/// column by binary search, and a line's text is found without reading the lines before it.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` (one pass).
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop();
        }
        LineIndex { text, starts }
    }

    /// 1-based line and 1-based character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let idx = self.starts.partition_point(|s| *s <= offset).saturating_sub(1);
        let start = self.starts[idx];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (idx + 1, column)
    }

    /// The text of 1-based line `line`, without its line ending; `None` past the end or for 0.
    pub fn line(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches('\n').trim_end_matches('\r'))
    }

    /// How many lines the text has.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Several diagnostics as one error, for `anyhow` to carry to `main`.
#[derive(Debug, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for shown in capped(&self.0, PER_FILE_CAP) {
            write!(f, "{shown}")?;
        }
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            write!(f, "error: {errors} error{} found", if errors == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// How many problems of one file printed output shows; JSON output shows them all.
pub const PER_FILE_CAP: usize = 20;

/// One entry of printed output: a problem, or how many of a file's problems were left out.
#[derive(Debug, PartialEq)]
pub enum Shown<'a> {
    Problem(&'a Diagnostic),
    More { path: &'a Path, count: usize },
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Problem(d) => write!(f, "{d}"),
            Shown::More { path, count } => writeln!(f, "note: {}: {}", display_path(path), more_text(*count)),
        }
    }
}

/// "… and N more problems in this file", with where to find them all.
pub fn more_text(count: usize) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("… and {count} more problem{s} in this file (`lectern check --format json` lists every one)")
}

/// The problems to print, at most `cap` per file; right after a file's last shown problem, how
/// many of its others were left out. Keeps the printed output of a file with thousands of
/// broken links readable and small.
pub fn capped(problems: &[Diagnostic], cap: usize) -> Vec<Shown<'_>> {
    let mut totals: std::collections::HashMap<&Path, usize> = std::collections::HashMap::new();
    for d in problems {
        *totals.entry(d.path.as_path()).or_default() += 1;
    }
    let mut seen: std::collections::HashMap<&Path, usize> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for d in problems {
        let n = seen.entry(d.path.as_path()).or_default();
        *n += 1;
        if *n <= cap {
            out.push(Shown::Problem(d));
        }
        let total = totals[d.path.as_path()];
        if *n == cap && total > cap {
            out.push(Shown::More { path: d.path.as_path(), count: total - cap });
        }
    }
    out
}

/// Closest candidate by edit distance, for "did you mean" hints; `None` when nothing is close.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_a_compiler() {
        let d = Diagnostic::error("docs/a.md", 3, 19, "sidebar_position must be a number")
            .with_source("---\nid: a\nsidebar_position: abc\n---\n")
            .with_help("write a number such as `2` or `1.5`");
        assert_eq!(
            d.to_string(),
            "error: docs/a.md:3:19: sidebar_position must be a number\n  |\n3 | sidebar_position: abc\n  |                   ^\n  = help: write a number such as `2` or `1.5`\n"
        );
    }

    #[test]
    fn long_lines_show_a_window_with_the_caret_under_the_column() {
        // 400 characters, some of them multi-byte: the caret goes under the 300th character.
        let line: String = (0..400)
            .map(|i| {
                if i == 299 {
                    'X'
                } else if i % 7 == 0 {
                    'é'
                } else {
                    'a'
                }
            })
            .collect();
        let d = Diagnostic::error("docs/a.md", 1, 300, "here").with_source(&format!("{line}\n"));
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[2].strip_prefix("1 | ").unwrap();
        let caret = lines[3].strip_prefix("  | ").unwrap();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), WINDOW + 2);
        assert_eq!(caret.trim_start().len(), 1);
        let at = caret.chars().count() - 1;
        assert_eq!(shown.chars().nth(at), Some('X'), "{text}");
        assert_eq!(d.column, 300);
        // Near the end of the line, the window ends with the line.
        let d = Diagnostic::error("docs/a.md", 1, 399, "end").with_source(&line);
        let shown = d.source_line.clone().unwrap();
        assert!(shown.starts_with('…') && !shown.ends_with('…'));
        assert_eq!(shown.chars().nth(d.source_caret as usize - 1), line.chars().nth(398));
        // Near the start: no cut before it.
        let d = Diagnostic::error("docs/a.md", 1, 3, "start").with_source(&line);
        let shown = d.source_line.clone().unwrap();
        assert!(!shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(d.source_caret, 3);
        // A short line is shown whole.
        let d = Diagnostic::error("docs/a.md", 1, 2, "short").with_source("héllo");
        assert_eq!((d.source_line.as_deref(), d.source_caret), (Some("héllo"), 2));
    }

    #[test]
    fn line_index_finds_lines_and_character_columns() {
        let text = "ab\r\ncafé ünï\n\n日本語 x\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.len(), 5);
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(text.find("café").unwrap()), (2, 1));
        assert_eq!(index.line_col(text.find("ünï").unwrap()), (2, 6));
        assert_eq!(index.line_col(text.find(" x").unwrap() + 1), (4, 5));
        assert_eq!(index.line_col(text.find("last").unwrap() + 2), (5, 3));
        assert_eq!(index.line_col(text.len() + 10), (5, 5));
        assert_eq!(index.line(1), Some("ab"));
        assert_eq!(index.line(3), Some(""));
        assert_eq!(index.line(4), Some("日本語 x"));
        assert_eq!(index.line(5), Some("last"));
        assert_eq!((index.line(0), index.line(6)), (None, None));
        assert_eq!(LineIndex::new("a\n").len(), 1);
    }

    #[test]
    fn printed_problems_are_capped_per_file() {
        let many: Vec<Diagnostic> = (1..=25)
            .map(|l| Diagnostic::warning("docs/a.md", l, 1, "x"))
            .chain([Diagnostic::warning("docs/b.md", 1, 1, "y")])
            .collect();
        let shown = capped(&many, 20);
        assert_eq!(shown.len(), 22);
        assert_eq!(shown[20], Shown::More { path: Path::new("docs/a.md"), count: 5 });
        assert_eq!(shown[21], Shown::Problem(&many[25]));
        assert!(shown[20].to_string().starts_with("note: docs/a.md: … and 5 more problems in this file"));
    }

    #[test]
    fn closest_finds_typos_only() {
        let keys = ["title", "tagline", "base_url", "docs_dir"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("baseurl", keys), Some("base_url"));
        assert_eq!(closest("zzzzzzzz", keys), None);
    }
}
