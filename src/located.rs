//! Values read from a settings file with the place of every part, so that a mistake deep inside
//! (an unknown doc id in the third category of a sidebar) is reported at its own line.
//!
//! In: the text of a YAML file (`lectern.yml`, also JSON), or a JavaScript file evaluated by
//! [`crate::docusaurus`]. Out: a [`Node`] tree. Shared by the readers of hand-written sidebars,
//! which read `lectern.yml` and `sidebars.js` into the same items.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostic::Diagnostic;

/// A value and where it starts (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: usize,
    pub column: usize,
    pub kind: Kind,
}

/// What a [`Node`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Node>),
    /// Keys in file order; a later duplicate wins, as in JavaScript and YAML readers.
    Obj(Vec<(String, Node)>),
    /// What only running the file would tell (JavaScript only), in words. `module` is the path a
    /// `require('…')` or `require.resolve('…')` names.
    Opaque {
        what: String,
        module: Option<String>,
    },
}

impl Node {
    /// A value at `line` and `column`.
    pub fn new(line: usize, column: usize, kind: Kind) -> Self {
        Node { line, column, kind }
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Obj(props) => props.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string, or a number or boolean written where a string was meant (`- 2021` as an id).
    pub fn text(&self) -> Option<String> {
        match &self.kind {
            Kind::Str(s) => Some(s.clone()),
            Kind::Num(n) => Some(number_text(*n)),
            Kind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The kind of value in words, for messages: "a list", "a string".
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Num(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Arr(_) => "a list",
            Kind::Obj(_) => "an object",
            Kind::Opaque { .. } => "a value known only by running the file",
        }
    }
}

/// `3` for 3.0, `1.5` for 1.5: how JavaScript prints a number.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

/// A file being read: its name in diagnostics and its text, to show the line of a problem.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    /// Where `node` is, with the text of its line.
    pub fn place(&self, node: &Node) -> Place {
        Place {
            path: self.path.to_path_buf(),
            line: node.line,
            column: node.column,
            source_line: self.text.lines().nth(node.line.saturating_sub(1)).map(str::to_string),
        }
    }

    /// An error at `node`.
    pub fn error(&self, node: &Node, message: impl Into<String>) -> Diagnostic {
        self.place(node).error(message)
    }

    /// A warning at `node`.
    pub fn warning(&self, node: &Node, message: impl Into<String>) -> Diagnostic {
        self.place(node).warning(message)
    }
}

/// Where something was written, kept past reading so that later stages (which see no files)
/// can still point at it with a caret.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Place {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of that line.
    pub source_line: Option<String>,
}

impl Place {
    /// An error here.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        self.with_line(Diagnostic::error(&self.path, self.line, self.column, message))
    }

    /// A warning here.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        self.with_line(Diagnostic::warning(&self.path, self.line, self.column, message))
    }

    fn with_line(&self, d: Diagnostic) -> Diagnostic {
        match &self.source_line {
            Some(line) => d.with_source_line(line),
            None => d,
        }
    }
}

/// Nesting deeper than this is refused (yaml_serde, which reads the file first, stops earlier).
const MAX_DEPTH: usize = 256;

/// Reads YAML (or JSON) text into a [`Node`]. Plain scalars follow YAML 1.2's core schema
/// (`null`, `~`, `true`, numbers); quoted ones are strings. An error is (line, column, message).
pub fn from_yaml(text: &str) -> Result<Node, (usize, usize, String)> {
    let mut reader = YamlReader { parser: Parser::new(text.chars()), anchors: HashMap::new() };
    loop {
        let (event, mark) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
            Event::StreamEnd | Event::DocumentEnd => return Ok(Node::new(1, 1, Kind::Null)),
            other => return reader.node(other, mark, 0),
        }
    }
}

struct YamlReader<'a> {
    parser: Parser<std::str::Chars<'a>>,
    anchors: HashMap<usize, Node>,
}

impl YamlReader<'_> {
    fn next(&mut self) -> Result<(Event, Marker), (usize, usize, String)> {
        self.parser.next_token().map_err(|e| (e.marker().line(), e.marker().col() + 1, e.to_string()))
    }

    fn node(&mut self, event: Event, mark: Marker, depth: usize) -> Result<Node, (usize, usize, String)> {
        let (line, column) = (mark.line(), mark.col() + 1);
        if depth > MAX_DEPTH {
            return Err((line, column, "nested too deeply".into()));
        }
        let (kind, anchor) = match event {
            Event::Scalar(value, style, anchor, _) => (scalar(value, style), anchor),
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node::new(line, column, Kind::Null));
                return Ok(Node { line, column, ..node });
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (event, mark) = self.next()?;
                    if event == Event::SequenceEnd {
                        break;
                    }
                    items.push(self.node(event, mark, depth + 1)?);
                }
                (Kind::Arr(items), anchor)
            }
            Event::MappingStart(anchor, _) => {
                let mut props = Vec::new();
                let mut starts = (line, column);
                loop {
                    let (event, mark) = self.next()?;
                    if event == Event::MappingEnd {
                        break;
                    }
                    let key = self.node(event, mark, depth + 1)?;
                    // A block mapping's mark is at its first `:`; it starts at its first key.
                    starts = starts.min((key.line, key.column));
                    let (event, mark) = self.next()?;
                    let value = self.node(event, mark, depth + 1)?;
                    props.push((key.text().unwrap_or_default(), value));
                }
                let node = Node::new(starts.0, starts.1, Kind::Obj(props));
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                return Ok(node);
            }
            other => return Err((line, column, format!("unexpected YAML event {other:?}"))),
        };
        let node = Node::new(line, column, kind);
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

fn scalar(value: String, style: TScalarStyle) -> Kind {
    if style != TScalarStyle::Plain {
        return Kind::Str(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        _ => match value.parse::<f64>() {
            Ok(n) if value.chars().next().is_some_and(|c| c.is_ascii_digit() || "-+.".contains(c)) => Kind::Num(n),
            _ => Kind::Str(value),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(node: &Node) -> String {
        match &node.kind {
            Kind::Null => "null".into(),
            Kind::Bool(b) => b.to_string(),
            Kind::Num(n) => number_text(*n),
            Kind::Str(s) => format!("{s:?}@{}:{}", node.line, node.column),
            Kind::Arr(items) => format!("[{}]", items.iter().map(kinds).collect::<Vec<_>>().join(", ")),
            Kind::Obj(props) => {
                format!(
                    "{{{}}}",
                    props.iter().map(|(k, v)| format!("{k}: {}", kinds(v))).collect::<Vec<_>>().join(", ")
                )
            }
            Kind::Opaque { what, .. } => what.clone(),
        }
    }

    #[test]
    fn yaml_nodes_know_their_lines() {
        let text = "sidebars:\n  - id: guides\n    items:\n      - intro\n      - {type: doc, id: 'x'}\n      - 2021\n      - ~\n      - true\n";
        let node = from_yaml(text).unwrap();
        assert_eq!(
            kinds(&node),
            "{sidebars: [{id: \"guides\"@2:9, items: [\"intro\"@4:9, {type: \"doc\"@5:16, id: \"x\"@5:25}, 2021, null, true]}]}"
        );
        let items = node.get("sidebars").and_then(|s| match &s.kind {
            Kind::Arr(a) => a[0].get("items").cloned(),
            _ => None,
        });
        assert_eq!(items.map(|i| (i.line, i.column)), Some((4, 7)));
    }

    #[test]
    fn json_and_anchors_read_too() {
        let node = from_yaml("{\"a\": [1, \"b\"],\n \"c\": &x {\"d\": null}, \"e\": *x}").unwrap();
        assert_eq!(kinds(&node), "{a: [1, \"b\"@1:11], c: {d: null}, e: {d: null}}");
    }

    #[test]
    fn errors_have_a_position() {
        let err = from_yaml("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.0 >= 1, "{err:?}");
    }
}
