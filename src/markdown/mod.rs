//! The markdown stage: one page's Markdown body in, its HTML and facts out.
//!
//! In: the body of a page (front matter already removed), its path and line offset for
//! diagnostics, and a [`LinkResolver`] that knows the site's routes. Out: [`Rendered`] —
//! HTML plus title, headings, table of contents, description, links with file positions,
//! components, unknown code languages, speech block count and diagnostics.
//!
//! Steps: `partials` (imported Markdown partials inlined) → `preprocess` (MDX-lite, line by
//! line, keeping line numbers) → `events` (pulldown-cmark events rewritten: heading ids, links,
//! images, code via `highlight` and `magic`, Mermaid diagrams via `diagram`, admonitions, raw
//! HTML via `rawhtml`). [`render`]
//! is pure apart from reading partials and image headers, and safe to run on many pages in
//! parallel. A `<DocCardList />` leaves a slot ([`CARDS_OPEN`]) that `crate::cards` fills.

mod admonition;
mod components;
mod diagram;
mod events;
mod excerpt;
mod footnote;
mod highlight;
mod inline;
mod magic;
mod mdx;
pub mod memo;
mod partials;
mod preprocess;
mod rawhtml;
mod slug;
#[cfg(test)]
mod tests;
mod title;

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

pub use diagram::{FIGURE_CLASS as DIAGRAM_CLASS, label as diagram_label};
pub use excerpt::excerpt;
pub use highlight::{highlight_css, highlight_time};
pub(crate) use slug::Slugger;
pub use slug::slugify;
pub use title::leading_title;

/// Where a `<DocCardList />` stands in a page's HTML: the cards go between the two comments once
/// the sidebars are known (see [`crate::cards`]). Authors' own comments never reach the HTML, so
/// these are lectern's.
pub const CARDS_OPEN: &str = "<!--lectern:cards-->";
/// The end of a card list's slot.
pub const CARDS_CLOSE: &str = "<!--lectern:/cards-->";

/// Turns destinations written in a page into the URLs to emit.
pub trait LinkResolver: Sync {
    /// A link destination as written in the page (e.g. "../x.md#y", "./a.md", "/Guide/x", "#h", "https://..").
    /// Returns the href to emit instead, or None to keep it as written.
    fn resolve_link(&self, dest: &str) -> Option<String>;
    /// An image src as written. Returns the URL to emit and, for a local file that exists, its path on disk
    /// (so its width and height can be read). None: keep as written, size unknown.
    fn resolve_image(&self, src: &str) -> Option<ResolvedImage>;
    /// Where the Markdown partial of an MDX `import … from 'spec'` lies, `spec` written in
    /// `importer` (a partial's file) or, when `None`, in the page itself. `None`: not a path
    /// lectern follows. The file need not exist.
    fn import_file(&self, _importer: Option<&Path>, _spec: &str) -> Option<ImportedFile> {
        None
    }
    /// A link or image destination written in the partial `partial` (a file on disk), made
    /// relative to the page instead, as Docusaurus resolves a partial's links from the partial's
    /// own folder. `None`: keep it as written.
    fn rebase_link(&self, _partial: &Path, _dest: &str) -> Option<String> {
        None
    }
}

/// A partial's file: where it is on disk, and the path to print for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    pub file: PathBuf,
    pub display: PathBuf,
}

/// Where an image ends up, and the file it comes from when it is local.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedImage {
    pub url: String,
    pub file: Option<PathBuf>,
}

/// Settings for rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Shallowest heading level in the table of contents.
    pub toc_min_level: u8,
    /// Deepest heading level in the table of contents.
    pub toc_max_level: u8,
    /// Highlight code. Off, code blocks keep their markup and language but hold plain text:
    /// for a pass that only needs the page's facts (links, headings, speech, a hash).
    pub highlight: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions { toc_min_level: 2, toc_max_level: 3, highlight: true }
    }
}

/// A heading of the page, with its final id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text.
    pub text: String,
    /// Inline HTML of the heading's content (without the anchor link).
    pub html: String,
}

/// Whether a [`LinkRef`] is a link or an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum LinkKind {
    Link,
    Image,
}

/// A link or image destination as written, with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LinkRef {
    pub kind: LinkKind,
    /// As written (email autolinks get `mailto:` in front).
    pub dest: String,
    /// 1-based line of the file, front matter included.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A component lectern does not know (`<Carousel>`), as a page uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub name: String,
    /// The file line and character column of its first use.
    pub line: usize,
    pub column: usize,
    /// Every use of it closes itself (`<Carousel />`), so nothing of it is shown.
    pub dropped: bool,
}

impl Component {
    /// The warning about it, at its first use in `path`, whose text is `source`.
    pub fn warning(&self, path: &Path, source: &str) -> Diagnostic {
        self.warning_on(path, source.lines().nth(self.line.wrapping_sub(1)))
    }

    /// [`Component::warning`], given the line of its first use (`None` when there is none).
    pub fn warning_on(&self, path: &Path, line: Option<&str>) -> Diagnostic {
        let name = &self.name;
        let message = if self.dropped {
            format!("component <{name} /> is not known to lectern and is left out: nothing is shown in its place")
        } else {
            format!("component <{name}> is not known to lectern: its tags are left out and what it wraps is shown")
        };
        let d = Diagnostic::warning(path, self.line, self.column, message).with_help(
            "lectern renders <TextToSpeech>, <Tabs>, <TabItem>, <Details>, <Admonition>, <CodeBlock>, <DocCardList> and imported Markdown partials; write the rest as Markdown",
        );
        match line {
            Some(text) => d.with_source_line(text),
            None => d,
        }
    }

    /// Whether `d` is the warning [`Component::warning`] makes.
    pub fn is_warning(d: &Diagnostic) -> bool {
        d.message.starts_with("component <") && d.message.contains("is not known to lectern")
    }
}

/// Where a ```` ```mermaid ```` diagram starts in the page's file: the line and character column
/// of its opening fence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiagramAt {
    pub line: usize,
    pub column: usize,
}

/// One rendered page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Text of the page's title heading: the first heading, if it is an H1 with no thematic
    /// break before it. Not in `html` when it is the first block of content.
    pub title: Option<String>,
    /// The title heading came after other content, and `html` holds it where it was written.
    pub title_in_place: bool,
    /// Every heading h2..h6 (and any later h1) in order, with final ids.
    pub headings: Vec<Heading>,
    /// Headings within `toc_min_level..=toc_max_level`.
    pub toc: Vec<Heading>,
    /// Plain text of the first paragraph, trimmed, at most about 300 characters.
    pub description: Option<String>,
    /// Every link, image, reference link, autolink, and raw-HTML href/src.
    pub links: Vec<LinkRef>,
    /// The components lectern does not know, one per name, in the order they first appear.
    pub components: Vec<Component>,
    /// Code fence languages with no syntax, deduplicated, lowercased.
    pub unknown_languages: Vec<String>,
    /// Code blocks on the page (the theme adds the highlighting stylesheet where there are any).
    pub code_blocks: usize,
    /// Number of `<TextToSpeech>` blocks.
    pub speech_blocks: usize,
    /// The Mermaid diagrams, in page order: the theme loads its diagram script only on pages
    /// that have one.
    pub diagrams: Vec<DiagramAt>,
    /// File lines of the `<DocCardList />`s: their slots in `html` ([`CARDS_OPEN`]) are filled
    /// once the sidebars are built.
    pub card_lists: Vec<usize>,
    /// The partials' files (`import … from './_shared.mdx'`) the page includes, on disk.
    pub includes: Vec<PathBuf>,
    /// Problems with a position in the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders one page body. `path` is for diagnostics (e.g. "docs/a.md"); `line_offset` is the
/// number of file lines before `body` (front matter), so body line 1 is file line `line_offset + 1`.
pub fn render(
    body: &str,
    path: &Path,
    line_offset: usize,
    opts: &MarkdownOptions,
    links: &dyn LinkResolver,
) -> Rendered {
    let mut prepared = preprocess::prepare(body, path, line_offset, links);
    let page = events::transform(&prepared, path, line_offset, links, opts.highlight);

    let mut uses: Vec<Component> = prepared
        .components
        .drain(..)
        .map(|c| Component { line: c.line + line_offset, ..c })
        .chain(page.components)
        .collect();
    uses.sort_by_key(|c| (c.line, c.column));
    let mut components: Vec<Component> = Vec::new();
    for used in uses {
        match components.iter_mut().find(|c| c.name == used.name) {
            Some(c) => c.dropped &= used.dropped,
            None => components.push(used),
        }
    }

    let mut diagnostics = std::mem::take(&mut prepared.diagnostics);
    diagnostics.extend(page.diagnostics);
    diagnostics.sort_by_key(|d| (d.line, d.column));

    let toc = page
        .headings
        .iter()
        .filter(|h| (opts.toc_min_level..=opts.toc_max_level).contains(&h.level))
        .cloned()
        .collect();
    Rendered {
        html: page.html,
        title: page.title,
        title_in_place: page.title_in_place,
        headings: page.headings,
        toc,
        description: page.description,
        links: page.links,
        components,
        unknown_languages: page.unknown_languages,
        code_blocks: page.code_blocks,
        speech_blocks: prepared.speech_blocks,
        diagrams: page.diagrams,
        card_lists: prepared.card_lists.iter().map(|line| line + line_offset).collect(),
        includes: std::mem::take(&mut prepared.includes),
        diagnostics,
    }
}

/// Escapes text for HTML content or a double-quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Makes a URL safe for an attribute: characters a URL may not hold are percent-encoded
/// (as pulldown-cmark does for links), `&` and quotes are escaped.
pub(crate) fn escape_url(url: &str) -> String {
    const KEEP: &[u8] = b"-_.+!*(),%#@?=;:/$~[]";
    let mut out = String::with_capacity(url.len() + 8);
    for &b in url.as_bytes() {
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#x27;"),
            b if b.is_ascii_alphanumeric() || KEEP.contains(&b) => out.push(b as char),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
