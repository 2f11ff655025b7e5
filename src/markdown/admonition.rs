//! Admonitions: the callout boxes made by `:::note` fences and GitHub alerts (`> [!NOTE]`).
//!
//! In: a kind and an optional title (already rendered as inline HTML). Out: the opening
//! `<aside>` and its title paragraph; the caller emits the content and `</aside>`.

use super::escape;
use pulldown_cmark::BlockQuoteKind;

/// The six Docusaurus admonition kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AdmonitionKind {
    Note,
    Tip,
    Info,
    Warning,
    Danger,
    Caution,
}

impl AdmonitionKind {
    /// The names accepted after `:::`.
    pub(crate) const NAMES: [&'static str; 6] = ["note", "tip", "info", "warning", "danger", "caution"];

    /// The kind written after `:::` (case-insensitive).
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "note" => Self::Note,
            "tip" => Self::Tip,
            "info" => Self::Info,
            "warning" => Self::Warning,
            "danger" => Self::Danger,
            "caution" => Self::Caution,
            _ => return None,
        })
    }

    /// GitHub alerts map onto the Docusaurus kinds (IMPORTANT → info, CAUTION → danger).
    pub(crate) fn from_alert(kind: BlockQuoteKind) -> Self {
        match kind {
            BlockQuoteKind::Note => Self::Note,
            BlockQuoteKind::Tip => Self::Tip,
            BlockQuoteKind::Important => Self::Info,
            BlockQuoteKind::Warning => Self::Warning,
            BlockQuoteKind::Caution => Self::Danger,
        }
    }

    /// The lowercase name, used in class names.
    pub(crate) fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The default title.
    pub(crate) fn label(self) -> &'static str {
        ["Note", "Tip", "Info", "Warning", "Danger", "Caution"][self as usize]
    }
}

/// `<aside>` plus its title. `title_html` is the author's title rendered inline, and
/// `title_text` its plain text, used for the accessible name.
pub(crate) fn open_html(kind: AdmonitionKind, title: Option<(&str, &str)>) -> String {
    let label = kind.label();
    // `role="note"` for every kind: these are static asides, and `alert` would make screen
    // readers interrupt the user when the page loads.
    let (aria, visible) = match title {
        Some((html, text)) if text != label => (format!("{label}: {text}"), html.to_string()),
        Some((html, _)) => (label.to_string(), html.to_string()),
        None => (label.to_string(), label.to_string()),
    };
    format!(
        "<aside class=\"admonition admonition-{}\" role=\"note\" aria-label=\"{}\"><p class=\"admonition-title\">{}</p>\n",
        kind.name(),
        escape(&aria),
        visible
    )
}
