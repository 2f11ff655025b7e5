//! A page's excerpt as Docusaurus makes it: the description a doc has when its front matter
//! gives none, which `<DocCardList />` shows on each page's card.
//!
//! In: a page's Markdown body (front matter removed). Out: the first line with text once
//! Markdown syntax is taken away, whole (never cut: Docusaurus's cards cut it to one line with
//! CSS, the full text in a `title`). This follows `createExcerpt` of `@docusaurus/utils`
//! (`markdownUtils.ts`) rule by rule: a leading setext title, blank lines, `import`/`export`
//! statements (up to the next blank line) and fenced code are skipped; HTML tags, `# Title`
//! lines, heading marks, emphasis, strikethrough, images and links (their text kept),
//! footnotes, inline code marks, a blockquote mark, admonition fences, emoji shortcodes and a
//! `{#custom-id}` are removed. Unlike lectern's own meta description (the first paragraph), it
//! is one source line, as Docusaurus's is. Pure.

use std::sync::OnceLock;

use regex::Regex;

/// The excerpt of `body`, or `None` when no line has text.
pub fn excerpt(body: &str) -> Option<String> {
    let text = body.trim_start();
    let text = setext_title().find(text).filter(|m| m.start() == 0).map_or(text, |m| &text[m.end()..]);
    let mut in_code = false;
    let mut in_import = false;
    let mut fence_len = 0;
    for line in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        let blank = line.trim().is_empty();
        if blank {
            in_import = false;
            continue;
        }
        if (in_import || is_statement(line)) && !in_code {
            in_import = true;
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            let run = trimmed.chars().take_while(|c| *c == '`').count();
            if !in_code {
                in_code = true;
                fence_len = run;
            } else if run >= fence_len {
                in_code = false;
            }
            continue;
        }
        if in_code {
            continue;
        }
        let cleaned = clean_line(line);
        if !cleaned.is_empty() {
            return Some(cleaned);
        }
    }
    None
}

/// `/^(?:import|export)\s.*/`
fn is_statement(line: &str) -> bool {
    ["import", "export"]
        .iter()
        .any(|k| line.strip_prefix(k).is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace())))
}

fn setext_title() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[^\r\n]*\r?\n=+").expect("a valid pattern"))
}

/// The replacements of `createExcerpt`, in its order; `$text`/`$alt` keep a part. JavaScript's
/// `\w` is ASCII, hence `[A-Za-z0-9_]`. Each is applied to every match unless marked `first`.
fn rules() -> &'static [(Regex, &'static str, bool)] {
    static RULES: OnceLock<Vec<(Regex, &'static str, bool)>> = OnceLock::new();
    RULES.get_or_init(|| {
        let rule =
            |pattern: &str, with: &'static str, all: bool| (Regex::new(pattern).expect("a valid pattern"), with, all);
        vec![
            rule(r"<[^>]*>", "", true),
            rule(r"^#[^#]+#?", "", true),
            rule(r"^#{1,6}\s*(?<text>[^#]*?)\s*#{0,6}", "$text", true),
            // Emphasis (`(?<opening>[*_]{1,3})(?<text>.*?)\1`) needs a back-reference: see `emphasis`.
            rule(r"~~(?<text>\S.*\S)~~", "$text", true),
            rule(r"!\[(?<alt>.*?)\][\[(].*?[\])]", "$alt", true),
            rule(r"\[\^.+?\](?:: .*$)?", "", true),
            rule(r"\[(?<alt>.*?)\][\[(].*?[\])]", "$alt", true),
            rule(r"`(?<text>.+?)`", "$text", true),
            rule(r"^\s{0,3}>\s?", "", true),
            rule(r":::.*", "", false),
            rule(r"\s?:(?:::|[^:\n])+:", "", true),
            rule(r"\{#*[A-Za-z0-9_-]+\}", "", false),
        ]
    })
}

fn clean_line(line: &str) -> String {
    let mut text = line.to_string();
    for (n, (re, with, all)) in rules().iter().enumerate() {
        text = if *all { re.replace_all(&text, *with) } else { re.replace(&text, *with) }.into_owned();
        if n == 2 {
            text = emphasis(&text);
        }
    }
    text.trim().to_string()
}

/// `.replace(/(?<opening>[*_]{1,3})(?<text>.*?)\1/g, '$2')`, as JavaScript matches it: at each
/// place a run of `*`/`_` starts, the longest opening (up to three) that is closed again later
/// on the line by the same characters wins, the nearest closing first.
fn emphasis(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'scan: while i < chars.len() {
        if matches!(chars[i], '*' | '_') {
            let run = chars[i..].iter().take(3).take_while(|c| matches!(c, '*' | '_')).count();
            for len in (1..=run).rev() {
                let opening = &chars[i..i + len];
                let from = i + len;
                if let Some(at) = (from..=chars.len().saturating_sub(len)).find(|&j| &chars[j..j + len] == opening) {
                    out.extend(&chars[from..at]);
                    i = at + len;
                    continue 'scan;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_with_text_as_docusaurus_takes_it() {
        // Cases from Docusaurus's own tests of `createExcerpt`, and lectern's.
        let cases: &[(&str, Option<&str>)] = &[
            ("Lorem ipsum dolor.\n\nNunc porttitor.", Some("Lorem ipsum dolor.")),
            ("# Markdown Regular Title\n\nLorem ipsum.", Some("Lorem ipsum.")),
            ("Title\n=====\n\nLorem *ipsum* dolor.", Some("Lorem ipsum dolor.")),
            ("## Overview\n\nText.", Some("Overview")),
            ("import A from 'a';\nimport {\n  B,\n} from 'b';\n\nAfter imports.", Some("After imports.")),
            ("export const x = 1;\n\n`code` and **bold** and __b__ text", Some("code and bold and b text")),
            ("```js\nconst x = 1;\n```\n\nAfter code.", Some("After code.")),
            ("````md\n```js\nx\n```\n````\nAfter.", Some("After.")),
            ("See [the guide](./guide.md) and ![a cat](cat.png).", Some("See the guide and a cat.")),
            ("Note[^1] here.\n\n[^1]: The note.", Some("Note here.")),
            ("> Quoted ~~not~~ words", Some("Quoted not words")),
            (":::tip\n\nInside a tip :rocket: here.\n\n:::", Some("Inside a tip here.")),
            ("<DocCardList />\n\n<div>Real <b>text</b></div>", Some("Real text")),
            ("### Custom {#custom-id}\n", Some("Custom")),
            ("", None),
            ("import X from './_x.mdx';\n\n<X />\n", None),
        ];
        for (body, want) in cases {
            assert_eq!(excerpt(body).as_deref(), *want, "{body:?}");
        }
    }

    #[test]
    fn emphasis_as_javascript_matches_it() {
        assert_eq!(emphasis("a *b* c"), "a b c");
        assert_eq!(emphasis("***all***"), "all");
        assert_eq!(emphasis("snake_case_name"), "snakecasename");
        assert_eq!(emphasis("2 * 3"), "2 * 3");
        assert_eq!(emphasis("**open *inner*"), "open inner");
    }
}
