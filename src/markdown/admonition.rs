//! Admonitions: the callout boxes made by `:::note` fences and GitHub alerts (`> [!NOTE]`).
//!
//! In: a kind and an optional title (already rendered as inline HTML). Out: the opening
//! `<aside>` and its title paragraph; the caller emits the content and `</aside>`.

use super::escape;
use pulldown_cmark::BlockQuoteKind;

/// The Docusaurus admonition kinds, and the legacy names it still accepts (`important`,
/// `success`, `secondary`: theme-classic's `Admonition/Types`), which take the style of the kind
/// they stand for and keep their own title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AdmonitionKind {
    Note,
    Tip,
    Info,
    Warning,
    Danger,
    Caution,
    Important,
    Success,
    Secondary,
}

impl AdmonitionKind {
    /// The names accepted after `:::`.
    pub(crate) const NAMES: [&'static str; 9] =
        ["note", "tip", "info", "warning", "danger", "caution", "important", "success", "secondary"];

    /// The kind written after `:::` (case-insensitive).
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        const KINDS: [AdmonitionKind; 9] = [
            AdmonitionKind::Note,
            AdmonitionKind::Tip,
            AdmonitionKind::Info,
            AdmonitionKind::Warning,
            AdmonitionKind::Danger,
            AdmonitionKind::Caution,
            AdmonitionKind::Important,
            AdmonitionKind::Success,
            AdmonitionKind::Secondary,
        ];
        let name = name.to_ascii_lowercase();
        Self::NAMES.iter().position(|n| *n == name).map(|i| KINDS[i])
    }

    /// GitHub alerts map onto the Docusaurus kinds (CAUTION → danger).
    pub(crate) fn from_alert(kind: BlockQuoteKind) -> Self {
        match kind {
            BlockQuoteKind::Note => Self::Note,
            BlockQuoteKind::Tip => Self::Tip,
            BlockQuoteKind::Important => Self::Important,
            BlockQuoteKind::Warning => Self::Warning,
            BlockQuoteKind::Caution => Self::Danger,
        }
    }

    /// The style's lowercase name, used in class names: an alias takes its kind's.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Important => "info",
            Self::Success => "tip",
            Self::Secondary => "note",
            other => Self::NAMES[other as usize],
        }
    }

    /// The default title.
    pub(crate) fn label(self) -> &'static str {
        ["Note", "Tip", "Info", "Warning", "Danger", "Caution", "Important", "Success", "Secondary"][self as usize]
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
