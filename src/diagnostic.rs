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
    /// The text of the offending line, shown under the message with a caret.
    pub source_line: Option<String>,
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

    /// Takes the offending line out of the file's text (`line` is 1-based).
    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0 {
            self.source_line = text.lines().nth(self.line - 1).map(|l| l.trim_end_matches('\r').to_string());
        }
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
            if self.column > 0 {
                // The caret sits under the column'th character; tabs are kept so it lines up.
                let lead: String =
                    src.chars().take(self.column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
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

/// Several diagnostics as one error, for `anyhow` to carry to `main`.
#[derive(Debug, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            write!(f, "{d}")?;
        }
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            write!(f, "error: {errors} error{} found", if errors == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

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
    fn closest_finds_typos_only() {
        let keys = ["title", "tagline", "base_url", "docs_dir"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("baseurl", keys), Some("base_url"));
        assert_eq!(closest("zzzzzzzz", keys), None);
    }
}
