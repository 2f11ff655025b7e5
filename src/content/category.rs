//! `_category_.json|yml|yaml` files: a folder's label, position and link (spec section 5).
//!
//! In: the file. Out: [`CategoryMeta`], or a diagnostic. All three names are read as YAML, so a
//! JSON file with a trailing comma is accepted, as Docusaurus accepts it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::yaml::{explicit_null, scalar_string};
use crate::diagnostic::Diagnostic;

/// A category's link, as written.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum CategoryLinkSpec {
    /// The category links to a doc by id.
    Doc { id: String },
    /// lectern generates a page listing the category's items.
    GeneratedIndex {
        #[serde(default)]
        slug: Option<String>,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        description: Option<String>,
    },
}

/// The contents of a `_category_` file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryMeta {
    #[serde(default, deserialize_with = "scalar_string")]
    pub key: Option<String>,
    #[serde(default, deserialize_with = "scalar_string")]
    pub label: Option<String>,
    #[serde(default, deserialize_with = "scalar_string")]
    pub description: Option<String>,
    pub position: Option<f64>,
    pub collapsed: Option<bool>,
    pub collapsible: Option<bool>,
    pub class_name: Option<String>,
    pub custom_props: Option<yaml_serde::Value>,
    /// Absent: the index doc convention applies. `null`: no link at all.
    #[serde(default, deserialize_with = "explicit_null", skip_serializing_if = "Option::is_none")]
    pub link: Option<Option<CategoryLinkSpec>>,
    /// The file it was read from, for diagnostics.
    #[serde(skip)]
    pub file: Option<std::path::PathBuf>,
}

/// Reads a category file; `display` names it in diagnostics.
pub fn load(file: &Path, display: &Path) -> Result<CategoryMeta, Diagnostic> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Diagnostic::error(display, 0, 0, format!("cannot read the file: {e}")))?;
    let mut meta = parse(&text, display)?;
    meta.file = Some(display.to_path_buf());
    Ok(meta)
}

/// Parses a category file's text.
pub fn parse(text: &str, display: &Path) -> Result<CategoryMeta, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(CategoryMeta::default());
    }
    let value: yaml_serde::Value = super::yaml::from_str(text).map_err(|e| error(e, text, display))?;
    if !matches!(value, yaml_serde::Value::Mapping(_)) {
        let kind = match value {
            yaml_serde::Value::Sequence(_) => "a list",
            yaml_serde::Value::Null => "empty",
            _ => "a single value",
        };
        return Err(Diagnostic::error(
            display,
            1,
            1,
            format!("a category file must be a mapping, but this one is {kind}"),
        )
        .with_source(text)
        .with_help("write keys and values, e.g. `label: Guides` and `position: 2`"));
    }
    super::yaml::from_str(text).map_err(|e| error(e, text, display))
}

fn error(e: yaml_serde::Error, text: &str, display: &Path) -> Diagnostic {
    if let Some(p) = super::yaml::problem(&e, text) {
        return p.diagnostic(display, 0, text);
    }
    let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
    let full = e.to_string();
    let msg = full.split(" at line ").next().unwrap_or(&full);
    Diagnostic::error(display, line, column, format!("category file is not valid: {msg}")).with_source(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("docs/g/_category_.json")
    }

    #[test]
    fn json_with_trailing_comma_is_accepted() {
        let m = parse("{\n  \"label\": \"Guides\",\n  \"position\": 2.5,\n  \"collapsed\": false,\n}\n", p()).unwrap();
        assert_eq!((m.label.as_deref(), m.position, m.collapsed), (Some("Guides"), Some(2.5), Some(false)));
    }

    #[test]
    fn links() {
        let m = parse("label: X\nlink:\n  type: generated-index\n  title: All\n", p()).unwrap();
        assert_eq!(
            m.link,
            Some(Some(CategoryLinkSpec::GeneratedIndex { slug: None, title: Some("All".into()), description: None }))
        );
        let m = parse("link: {type: doc, id: guides/intro}\nclassName: big\n", p()).unwrap();
        assert_eq!(m.link, Some(Some(CategoryLinkSpec::Doc { id: "guides/intro".into() })));
        assert_eq!(m.class_name.as_deref(), Some("big"));
        assert_eq!(parse("link: null\n", p()).unwrap().link, Some(None));
        assert_eq!(parse("label: y\n", p()).unwrap().link, None);
    }

    #[test]
    fn a_list_is_an_error() {
        let e = parse("- label: x\n", p()).unwrap_err();
        assert_eq!(e.location(), "docs/g/_category_.json:1:1");
        assert_eq!(e.message, "a category file must be a mapping, but this one is a list");
    }

    #[test]
    fn wrong_types_point_at_the_value() {
        let e = parse("label: x\nposition: first\n", p()).unwrap_err();
        assert_eq!(e.location(), "docs/g/_category_.json:2:11");
    }
}
