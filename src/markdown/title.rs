//! The title a page's Markdown gives its metadata (sidebar label, `<title>`, previous/next,
//! cards) when front matter sets none, found the way Docusaurus's docs plugin finds it
//! (`parseMarkdownContentTitle` in `@docusaurus/utils` `markdownUtils.ts`): the body, trimmed,
//! less its leading `import` blocks, must start with an ATX `# H1` or a setext `===` heading;
//! the raw heading text is the title, less a trailing `{#id}` or closing `#`s, with code
//! backticks removed (other Markdown is kept as written). Anything else first, an `export`, a
//! comment or a component, means no title, and the page is named by its id.
//!
//! This is not always the heading the page shows: [`super::render`]'s `title` is the page's
//! first heading if it is an H1, after comments, exports, other content or inside an opening
//! `<TextToSpeech>`, as Docusaurus's MDX loader finds it. Found without rendering, so `lectern routes` needs no render of 10,000 pages.
//!
//! In: a page's body. Out: the title, if the page starts with one.

use regex::Regex;
use std::sync::OnceLock;

/// The metadata title of `body`, as Docusaurus reads it.
pub fn leading_title(body: &str) -> Option<String> {
    let rest = skip_import_blocks(body.trim()).trim();
    let (first, after) = match rest.find('\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let first = first.strip_suffix('\r').unwrap_or(first);
    if let Some(atx) = atx_title(first) {
        return clean(&closing_marks().replace(atx.trim(), ""));
    }
    let underline = after.split('\n').next().unwrap_or("").trim_end_matches('\r');
    // JavaScript's `.` stops at `\r`, so a lone carriage return ends the title line.
    if !underline.is_empty() && underline.chars().all(|c| c == '=') && !first.contains('\r') {
        let text = first.trim();
        return clean(text.trim_end_matches('=').trim_end());
    }
    None
}

/// `# Title` (a `#`, spaces or tabs, then the text): the text.
fn atx_title(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('#')?;
    let text = rest.trim_start_matches([' ', '\t']);
    (text.len() < rest.len() && !text.is_empty() && !line.contains('\r')).then_some(text)
}

/// A trailing `{#id}` (or `{id}`) or closing `#`s, with the spaces before them.
fn closing_marks() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\s*(?:\{#*[\w-]+\}|#+)$").expect("a valid pattern"))
}

/// Code backticks removed, trimmed; `None` when nothing is left.
fn clean(title: &str) -> Option<String> {
    let text = title.replace('`', "");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// `content` less its leading `import` blocks: each starts with `import` and a space, runs to
/// the first blank line, and is followed by at least one (Docusaurus's
/// `/^(?:import\s(?:.|\r?\n(?!\r?\n))*(?:\r?\n){2,})*/`).
fn skip_import_blocks(mut content: &str) -> &str {
    loop {
        let Some(after) = content.strip_prefix("import") else { return content };
        if !after.starts_with(|c: char| c.is_whitespace()) {
            return content;
        }
        let Some(blank) = blank_line(content) else { return content };
        content = content[blank..].trim_start_matches(['\r', '\n']);
    }
}

/// Where the first blank line begins: the end of the first line that another line break follows.
fn blank_line(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let next = &bytes[i + 1..];
            if next.starts_with(b"\n") || next.starts_with(b"\r\n") {
                return Some(i + 1);
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{LinkResolver, MarkdownOptions, ResolvedImage, render};

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve_link(&self, _: &str) -> Option<String> {
            None
        }
        fn resolve_image(&self, _: &str) -> Option<ResolvedImage> {
            None
        }
    }

    #[test]
    fn follows_docusaurus_parse_markdown_content_title() {
        let cases = [
            ("# Plain title\n\nText.", Some("Plain title")),
            ("import X from 'x';\nimport Y from 'y';\n\n# After imports\n", Some("After imports")),
            ("import X from 'x';\n\nimport Y from 'y';\n\n\n# After two blocks\n", Some("After two blocks")),
            ("# Title with `code` and **bold**\n", Some("Title with code and **bold**")),
            ("# Custom id {#custom}\n", Some("Custom id")),
            ("# Closing marks ##\n", Some("Closing marks")),
            ("#\tTabbed\n", Some("Tabbed")),
            ("Setext title\n============\n\nText.", Some("Setext title")),
            ("  \n\n# Leading blank lines\n", Some("Leading blank lines")),
            // Docusaurus skips only imports: an export, a comment or a component first means none.
            ("export const a = 1;\n\n# After an export\n", None),
            ("{/* comment */}\n# After a comment\n", None),
            ("<!-- comment -->\n\n# After a comment\n", None),
            ("<TextToSpeech>\n\n# Inside speech\n\n</TextToSpeech>\n", None),
            ("import X from 'x';\n# No blank line after the import\n", None),
            ("Text first.\n\n# Not a title\n", None),
            ("## Second level\n", None),
            ("", None),
            ("#NoSpace\n", None),
            ("# \n", None),
            // The body is trimmed first, so indentation does not matter (nor does it in MDX,
            // which has no indented code).
            ("    # Indented\n", Some("Indented")),
        ];
        for (body, want) in cases {
            assert_eq!(leading_title(body).as_deref(), want, "{body:?}");
        }
    }

    #[test]
    fn agrees_with_the_full_render_where_the_page_starts_with_its_heading() {
        let cases = [
            "# Plain title\n\nText.",
            "import X from 'x';\n\n# After an import\n\nText.\n",
            "# Title with `code`\n",
            "# Custom id {#custom}\n",
            "Setext title\n============\n\nText.",
            "## Second level\n",
            "",
            "#NoSpace\n",
        ];
        let opts = MarkdownOptions::default();
        for body in cases {
            let full = render(body, std::path::Path::new("docs/a.md"), 0, &opts, &NoLinks).title;
            assert_eq!(leading_title(body), full, "{body:?}");
        }
    }
}
