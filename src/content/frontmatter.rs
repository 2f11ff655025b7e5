//! Front matter: the YAML between `---` lines at the top of a page.
//!
//! In: a page's text and its path (for diagnostics). Out: the typed [`FrontMatter`] and where
//! the Markdown body starts, or a [`Diagnostic`] whose line is a line of the file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::yaml::{explicit_null, scalar_string};
use crate::diagnostic::Diagnostic;

/// `last_update` in front matter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct LastUpdate {
    #[serde(default, deserialize_with = "scalar_string")]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "scalar_string")]
    pub date: Option<String>,
}

/// The front matter fields lectern understands (spec section 2). Unknown keys are ignored.
/// Serialized for the incremental build's record ([`crate::incremental`]): an absent field is
/// left out, so that an `Option<Option<_>>` reads back absent rather than null.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct FrontMatter {
    #[serde(default, deserialize_with = "scalar_string", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "scalar_string", skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_title: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_table_of_contents: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toc_min_heading_level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toc_max_heading_level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<String>>,
    #[serde(default, deserialize_with = "scalar_string", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, deserialize_with = "scalar_string", skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "scalar_string", skip_serializing_if = "Option::is_none")]
    pub sidebar_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sidebar_position: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sidebar_class_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sidebar_custom_props: Option<yaml_serde::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub displayed_sidebar: Option<String>,
    #[serde(default, deserialize_with = "scalar_string", skip_serializing_if = "Option::is_none")]
    pub pagination_label: Option<String>,
    #[serde(default, deserialize_with = "explicit_null", skip_serializing_if = "Option::is_none")]
    pub pagination_next: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit_null", skip_serializing_if = "Option::is_none")]
    pub pagination_prev: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit_null", skip_serializing_if = "Option::is_none")]
    pub custom_edit_url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parse_number_prefixes: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<yaml_serde::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlisted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_update: Option<LastUpdate>,
    /// Earlier URLs of this page, below base_url: each gets a redirect page ([`crate::redirects`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_paths: Option<Vec<String>>,
}

/// A page split into front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text, without the `---` lines.
    pub yaml: Option<&'a str>,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// How many lines of the file come before `body`.
    pub body_line_offset: usize,
}

/// Finds the front matter block. An opening `---` with no closing one is an error.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let mut lines = LineIter { text, pos: 0 };
    let Some((first, _)) = lines.next() else {
        return Ok(Split { yaml: None, body: text, body_line_offset: 0 });
    };
    if first.trim_end() != "---" {
        return Ok(Split { yaml: None, body: text, body_line_offset: 0 });
    }
    let yaml_start = lines.pos;
    let mut line_no = 1;
    while let Some((line, start)) = lines.next() {
        line_no += 1;
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: Some(&text[yaml_start..start]),
                body: &text[lines.pos..],
                body_line_offset: line_no,
            });
        }
    }
    Err(Diagnostic::error(path, 1, 1, "front matter is never closed")
        .with_source(text)
        .with_help("end the front matter with a line that holds only `---`"))
}

/// Lines with their byte offsets; `\r\n` and `\n` both end a line.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, usize);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let end = rest.find('\n').map(|i| start + i + 1).unwrap_or(self.text.len());
        self.pos = end;
        Some((self.text[start..end].trim_end_matches('\n').trim_end_matches('\r'), start))
    }
}

/// Parses the YAML of a page's front matter. `yaml` starts on line 2 of the file.
pub fn parse(yaml: &str, text: &str, path: &Path) -> Result<FrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    if let Some((line, col)) = leading_tab(yaml) {
        return Err(Diagnostic::error(path, line + 1, col, "front matter YAML cannot be indented with a tab")
            .with_source(text)
            .with_help("indent with spaces"));
    }
    let value: yaml_serde::Value = super::yaml::from_str(yaml).map_err(|e| yaml_error(e, text, path))?;
    if !matches!(value, yaml_serde::Value::Mapping(_) | yaml_serde::Value::Null) {
        return Err(Diagnostic::error(path, 2, 1, "front matter must be a mapping of `key: value` lines")
            .with_source(text)
            .with_help("write front matter as `key: value` lines, e.g. `title: My page`"));
    }
    // Deserialise from the text (not the value) so type errors keep their position.
    let fm: FrontMatter = super::yaml::from_str(yaml).map_err(|e| yaml_error(e, text, path))?;
    if let Some(id) = &fm.id
        && id.contains('/')
    {
        let line = key_line(yaml, "id").map(|l| l + 1).unwrap_or(2);
        return Err(Diagnostic::error(path, line, 1, format!("id `{id}` contains a `/`"))
            .with_source(text)
            .with_help("an id names the page within its folder; move the file to change its folder"));
    }
    for (key, level) in
        [("toc_min_heading_level", fm.toc_min_heading_level), ("toc_max_heading_level", fm.toc_max_heading_level)]
    {
        if let Some(l) = level
            && !(2..=6).contains(&l)
        {
            let line = key_line(yaml, key).map(|l| l + 1).unwrap_or(2);
            return Err(Diagnostic::error(
                path,
                line,
                key.len() + 3,
                format!("{key} must be between 2 and 6, not {l}"),
            )
            .with_source(text)
            .with_help("heading levels in the table of contents run from 2 (##) to 6 (######)"));
        }
    }
    Ok(fm)
}

/// The 1-based line (within the YAML) and column of the first tab used for indentation.
fn leading_tab(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, l)| {
        let indent: String = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        indent.find('\t').map(|c| (i + 1, c + 1))
    })
}

/// The 1-based line within `yaml` where a top-level key is set.
fn key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines().position(|l| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':'))).map(|i| i + 1)
}

/// Reads serde's "invalid type: string \"abc\", expected f64" as (found, expected) in words.
pub fn type_mismatch(msg: &str) -> Option<(String, String)> {
    let rest = &msg[msg.find("invalid type: ")? + "invalid type: ".len()..];
    let (found, expected) = rest.split_once(", expected ")?;
    let found = match found.strip_prefix("string ") {
        Some(s) => format!("the text {s}"),
        None => found.to_string(),
    };
    let expected = match expected.trim() {
        "f64" | "i64" => "a number".to_string(),
        "u8" | "u32" | "u64" | "usize" => "a whole number".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "a string" => "text".to_string(),
        "a sequence" => "a list".to_string(),
        other => other.to_string(),
    };
    Some((found, expected))
}

/// A YAML error in front matter, moved to file lines, with a hint for the common mistakes.
fn yaml_error(e: yaml_serde::Error, text: &str, path: &Path) -> Diagnostic {
    let yaml = text.split_once('\n').map_or("", |(_, rest)| rest);
    if let Some(mut p) = super::yaml::problem(&e, yaml) {
        p.message = format!("front matter: {}", p.message);
        // The front matter's first line is the file's second.
        return p.diagnostic(path, 1, text);
    }
    let (line, column) = e.location().map(|l| (l.line() + 1, l.column())).unwrap_or((2, 1));
    let full = e.to_string();
    let msg = full.split(" at line ").next().unwrap_or(&full).to_string();
    let src_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let key = src_line.split(':').next().unwrap_or("").trim();
    let help = if msg.contains("expected f64") || msg.contains("expected u8") {
        Some(format!("`{key}` takes a number, e.g. `{key}: 2`"))
    } else if msg.contains("expected a boolean") {
        Some(format!("`{key}` takes `true` or `false`"))
    } else if msg.contains("mapping values are not allowed") {
        Some("quote a value that contains `: `, e.g. `title: \"Step 1: install\"`".to_string())
    } else {
        None
    };
    let message = match type_mismatch(&msg) {
        Some((found, expected)) if !key.is_empty() => format!("`{key}` must be {expected}, not {found}"),
        _ => format!("front matter is not valid YAML: {msg}"),
    };
    let d = Diagnostic::error(path, line, column, message).with_source(text);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("docs/a.md")
    }

    #[test]
    fn splits_front_matter() {
        let cases: &[(&str, Option<&str>, &str, usize)] = &[
            ("---\nid: a\n---\n# Hi\n", Some("id: a\n"), "# Hi\n", 3),
            ("---\r\nid: a\r\n---\r\nbody", Some("id: a\r\n"), "body", 3),
            ("---\n---\nbody", Some(""), "body", 2),
            ("# No front matter\n", None, "# No front matter\n", 0),
            ("", None, "", 0),
            ("--- \nid: a\n---   \nx", Some("id: a\n"), "x", 3),
        ];
        for (text, yaml, body, off) in cases {
            let s = split(text, p()).expect(text);
            assert_eq!((s.yaml, s.body, s.body_line_offset), (*yaml, *body, *off), "{text:?}");
        }
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\nid: a\n# Title\n", p()).unwrap_err();
        assert_eq!((e.location(), e.message.as_str()), ("docs/a.md:1:1".into(), "front matter is never closed"));
    }

    #[test]
    fn parses_fields() {
        let yaml = "id: x\ntitle: 2021\nsidebar_position: -1.5\npagination_next: null\ncustom_edit_url: ''\nunknown_key: 1\ndraft: true\n";
        let fm = parse(yaml, "", p()).unwrap();
        assert_eq!(fm.id.as_deref(), Some("x"));
        assert_eq!(fm.title.as_deref(), Some("2021"));
        assert_eq!(fm.sidebar_position, Some(-1.5));
        assert_eq!(fm.pagination_next, Some(None));
        assert_eq!(fm.pagination_prev, None);
        assert_eq!(fm.custom_edit_url, Some(Some(String::new())));
        assert_eq!(fm.draft, Some(true));
    }

    #[test]
    fn bad_position_points_at_the_value() {
        let text = "---\nid: a\nsidebar_position: abc\n---\n";
        let s = split(text, p()).unwrap();
        let e = parse(s.yaml.unwrap(), text, p()).unwrap_err();
        assert_eq!(e.location(), "docs/a.md:3:19");
        assert_eq!(e.message, "`sidebar_position` must be a number, not the text \"abc\"");
        assert_eq!(e.help.as_deref(), Some("`sidebar_position` takes a number, e.g. `sidebar_position: 2`"));
    }

    #[test]
    fn yaml_syntax_errors_and_tabs() {
        let text = "---\ntitle: Step 1: install\n---\n";
        let e = parse("title: Step 1: install\n", text, p()).unwrap_err();
        assert_eq!(e.location(), "docs/a.md:2:14");
        let text = "---\nlast_update:\n\tdate: 2020\n---\n";
        let e = parse("last_update:\n\tdate: 2020\n", text, p()).unwrap_err();
        assert_eq!(
            (e.location(), e.message.as_str()),
            ("docs/a.md:3:1".into(), "front matter YAML cannot be indented with a tab")
        );
    }

    #[test]
    fn id_with_slash_and_bad_toc_levels() {
        let e = parse("id: a/b\n", "---\nid: a/b\n---\n", p()).unwrap_err();
        assert_eq!(e.location(), "docs/a.md:2:1");
        let e = parse("title: x\ntoc_max_heading_level: 9\n", "---\ntitle: x\ntoc_max_heading_level: 9\n---\n", p())
            .unwrap_err();
        assert_eq!(e.location(), "docs/a.md:3:24");
    }

    #[test]
    fn alias_bomb_fails_quickly() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            yaml.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        yaml.push_str("title: x\n");
        assert!(parse(&yaml, &yaml, p()).is_err());
    }
}
