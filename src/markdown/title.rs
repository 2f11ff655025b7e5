//! The title a page's Markdown gives it, found without rendering the page: a leading `# H1`
//! (or a setext `===` heading), even inside an opening `<TextToSpeech>`, after imports and
//! comments. `lectern routes` needs only titles, and rendering 10,000 pages for them would take
//! seconds; the result is the same as [`super::render`]'s `title` (tested against it).
//!
//! In: a page's body. Out: the heading's plain text, if the page starts with one.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The leading H1 of `body` as plain text.
pub fn leading_title(body: &str) -> Option<String> {
    let mut lines = body.lines().map(|l| l.trim_end_matches('\r'));
    let mut in_comment = false;
    let first = loop {
        let line = lines.next()?;
        let t = line.trim();
        if in_comment {
            in_comment = !t.contains("*/}") && !t.contains("-->");
            continue;
        }
        if t.is_empty() || t == "<TextToSpeech>" || t.starts_with("import ") || t.starts_with("export ") {
            continue;
        }
        if t.starts_with("{/*") || t.starts_with("<!--") {
            in_comment = !t.contains("*/}") && !t.contains("-->");
            continue;
        }
        break line;
    };
    let heading = if first.trim_start().starts_with("# ") || first.trim() == "#" {
        first.to_string()
    } else {
        let underline = lines.next()?.trim();
        if underline.is_empty() || !underline.chars().all(|c| c == '=') || first.starts_with("    ") {
            return None;
        }
        format!("{first}\n{underline}")
    };
    let mut text = String::new();
    let mut depth = 0;
    for event in Parser::new_ext(&heading, pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES) {
        match event {
            Event::Start(Tag::Heading { level: pulldown_cmark::HeadingLevel::H1, .. }) => depth += 1,
            Event::End(TagEnd::Heading(_)) => depth -= 1,
            Event::Text(t) | Event::Code(t) if depth > 0 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if depth > 0 => text.push(' '),
            _ => {}
        }
    }
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
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
    fn agrees_with_the_full_render() {
        let cases = [
            "# Plain title\n\nText.",
            "import X from 'x';\n\n<TextToSpeech>\n\n# Inside speech\n\nText.\n\n</TextToSpeech>\n",
            "# Title with `code` and **bold** and [a link](x.md)\n",
            "# Custom id {#custom}\n",
            "{/* comment */}\n<!-- another\nline -->\n# After comments\n",
            "Setext title\n============\n\nText.",
            "Text first.\n\n# Not a title\n",
            "## Second level\n",
            "",
            "    # indented code\n",
            "#NoSpace\n",
        ];
        let opts = MarkdownOptions::default();
        for body in cases {
            let full = render(body, std::path::Path::new("docs/a.md"), 0, &opts, &NoLinks).title;
            assert_eq!(leading_title(body), full, "{body:?}");
        }
    }
}
