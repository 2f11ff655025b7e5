//! The JavaScript of an MDX page that lectern reads without running it: the `import`s of
//! Markdown partials and the constants a page exports, and `{name}` expressions in its text.
//!
//! In: a page's (or partial's) lines. Out: its ESM statements read with a JavaScript parser
//! (`oxc`): default imports (`import Shared from './_shared.mdx'`) with the position of their
//! path, and constants (`export const version = '1.2';`: strings, template strings of other
//! constants, numbers, booleans) by name; and a line of text with each `{name}` of a known
//! constant replaced by its value. Statements are found by MDX's rule, as `preprocess` drops
//! them: a line at the top level that starts with `import`/`export`, after a blank line, up to
//! the next blank line. Pure.

use std::borrow::Cow;
use std::collections::HashMap;

use oxc_allocator::Allocator;
use oxc_ast::ast::{Declaration, Expression, ImportDeclarationSpecifier, Statement};
use oxc_parser::Parser;
use oxc_span::SourceType;

use super::preprocess::{closes_fence, code_span_end, is_esm, opens_fence};

/// `import Name from 'source'`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Import {
    pub name: String,
    pub source: String,
    /// 1-based line and character column of the quoted source, in the lines scanned.
    pub line: usize,
    pub column: usize,
}

/// What the ESM statements of one file say.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Esm {
    pub imports: Vec<Import>,
    /// Exported constants, as the text they print.
    pub consts: HashMap<String, String>,
}

impl Esm {
    /// The imports of Markdown partials (`.md`, `.mdx`).
    pub fn partials(&self) -> impl Iterator<Item = &Import> {
        self.imports.iter().filter(|i| is_partial_path(&i.source))
    }
}

/// Whether an import path names a Markdown file.
pub(crate) fn is_partial_path(source: &str) -> bool {
    let path = source.split(['?', '#']).next().unwrap_or(source);
    path.ends_with(".md") || path.ends_with(".mdx")
}

/// Reads the ESM statements of `lines`.
pub(crate) fn scan(lines: &[&str]) -> Esm {
    let mut esm = Esm::default();
    for (first, text) in statements(lines) {
        read_statements(&text, first, &mut esm);
    }
    esm
}

/// Each run of ESM lines, as `preprocess` finds them: its first line (1-based) and its text.
fn statements(lines: &[&str]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut fence = None;
    let mut in_comment = false;
    let mut in_esm = false;
    let mut prev_blank = true;
    for (idx, raw) in lines.iter().enumerate() {
        let trimmed = raw.trim_start();
        let blank = trimmed.is_empty();
        if let Some(open) = &fence {
            if closes_fence(trimmed, open) {
                fence = None;
            }
        } else if in_comment {
            in_comment = !raw.contains("-->");
        } else if in_esm {
            in_esm = !blank;
            if let Some((_, text)) = out.last_mut().filter(|_| !blank) {
                text.push('\n');
                text.push_str(raw);
            }
        } else if let Some(open) = opens_fence(trimmed) {
            fence = Some(open);
        } else if raw.len() - trimmed.len() <= 3 && trimmed.starts_with("<!--") && !trimmed[4..].contains("-->") {
            in_comment = true;
        } else if raw.len() == trimmed.len() && prev_blank && is_esm(trimmed) {
            in_esm = true;
            out.push((idx + 1, raw.to_string()));
        }
        prev_blank = blank;
    }
    out
}

fn read_statements(text: &str, first_line: usize, esm: &mut Esm) {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, SourceType::jsx()).parse();
    if !parsed.diagnostics.is_empty() {
        // Not JavaScript after all: dropped as before, unread.
        return;
    }
    for statement in &parsed.program.body {
        match statement {
            Statement::ImportDeclaration(import) => {
                let default = import.specifiers.iter().flatten().find_map(|s| match s {
                    ImportDeclarationSpecifier::ImportDefaultSpecifier(d) => Some(d.local.name.as_str()),
                    _ => None,
                });
                if let Some(name) = default {
                    let (line, column) = line_col(text, import.source.span.start as usize);
                    esm.imports.push(Import {
                        name: name.to_string(),
                        source: import.source.value.as_str().to_string(),
                        line: first_line + line - 1,
                        column,
                    });
                }
            }
            Statement::ExportNamedDeclaration(_) => {}
            Statement::ExportDeclaration(export) => {
                if let Declaration::VariableDeclaration(v) = &export.declaration {
                    for d in &v.declarations {
                        let (Some(name), Some(init)) = (d.id.get_identifier_name(), &d.init) else { continue };
                        if let Some(value) = constant(init, &esm.consts) {
                            esm.consts.insert(name.as_str().to_string(), value);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The text a constant's value prints, when it is a literal (or a template of known constants).
fn constant(e: &Expression, consts: &HashMap<String, String>) -> Option<String> {
    match e.get_inner_expression() {
        Expression::StringLiteral(s) => Some(s.value.as_str().to_string()),
        Expression::BooleanLiteral(b) => Some(b.value.to_string()),
        Expression::NumericLiteral(n) => Some(number(n.value)),
        Expression::Identifier(id) => consts.get(id.name.as_str()).cloned(),
        Expression::TemplateLiteral(t) => {
            let mut out = String::new();
            for (i, q) in t.quasis.iter().enumerate() {
                out.push_str(q.value.cooked.as_ref().map_or(q.value.raw.as_str(), |c| c.as_str()));
                if let Some(x) = t.expressions.get(i) {
                    out.push_str(&constant(x, consts)?);
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// A number as JavaScript prints it (`1`, `1.5`), for the values playbooks use.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// 1-based line and character column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// An expression in braces that lectern does not evaluate, as written, with its column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unknown {
    pub column: usize,
    pub text: String,
}

/// `line` with each `{name}` of a constant in `consts` replaced by its value (written so that
/// Markdown and HTML show it as it is), and the other expressions in braces, left as written.
/// Inline code, `\{` and heading attributes (`{#id}`) are not expressions.
pub(crate) fn substitute<'l>(line: &'l str, consts: &HashMap<String, String>) -> (Cow<'l, str>, Vec<Unknown>) {
    if !line.contains('{') {
        return (Cow::Borrowed(line), Vec::new());
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut unknown = Vec::new();
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                out.push(chars[i]);
                out.push(chars[i + 1]);
                i += 2;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                let end = code_span_end(&chars, i + run, run).unwrap_or(i + run);
                out.extend(&chars[i..end]);
                i = end;
            }
            '{' => {
                let Some(close) = matching_brace(&chars, i) else {
                    out.extend(&chars[i..]);
                    break;
                };
                let inner: String = chars[i + 1..close].iter().collect();
                let expr = inner.trim();
                match consts.get(expr) {
                    Some(value) => {
                        out.push_str(&as_text(value));
                        changed = true;
                    }
                    None => {
                        if !expr.is_empty() && !expr.starts_with(['#', '.']) && !expr.starts_with("/*") {
                            unknown.push(Unknown { column: i + 1, text: chars[i..=close].iter().collect() });
                        }
                        out.extend(&chars[i..=close]);
                    }
                }
                i = close + 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    (if changed { Cow::Owned(out) } else { Cow::Borrowed(line) }, unknown)
}

/// Where the brace opened at `open` closes on the line, nested braces and quotes skipped.
fn matching_brace(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A constant's value as text in Markdown or an HTML block: the characters either could read as
/// syntax become character references, which both show as the character itself.
pub(crate) fn as_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '`' | '[' | ']' | '\\' | '~' | '#' | '!' | '|' | '{' | '}' | ':' => {
                out.push_str(&format!("&#{};", u32::from(c)));
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_and_constants_are_read_from_esm_lines() {
        let body = "import Shared from './_shared.mdx';\nimport Tabs from '@theme/Tabs';\nimport {\n  a,\n} from 'x';\n\n\
                    export const version = '1.2';\nexport const name = \"lectern\", full = `${name} v${version}`;\nexport const n = 3, big = 1.5, yes = true;\nexport const f = () => 1;\n\n\
                    Text with import in it.\n\n```js\nimport Hidden from './_hidden.md';\n```\n\n    import Indented from './_i.md';\n";
        let lines: Vec<&str> = body.lines().collect();
        let esm = scan(&lines);
        let imports: Vec<(&str, &str, usize, usize)> =
            esm.imports.iter().map(|i| (i.name.as_str(), i.source.as_str(), i.line, i.column)).collect();
        assert_eq!(imports, [("Shared", "./_shared.mdx", 1, 20), ("Tabs", "@theme/Tabs", 2, 18)]);
        assert_eq!(esm.partials().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["Shared"]);
        let mut consts: Vec<(&str, &str)> = esm.consts.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        consts.sort();
        assert_eq!(
            consts,
            [
                ("big", "1.5"),
                ("full", "lectern v1.2"),
                ("n", "3"),
                ("name", "lectern"),
                ("version", "1.2"),
                ("yes", "true")
            ]
        );
    }

    #[test]
    fn expressions_of_constants_are_replaced_and_others_reported() {
        let consts: HashMap<String, String> =
            [("version", "1.2"), ("tag", "<b>*x*</b>")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (line, unknown) = substitute("Version {version}, { version }, `{version}`, \\{version}.", &consts);
        assert_eq!(line, "Version 1.2, 1.2, `{version}`, \\{version}.");
        assert!(unknown.is_empty());
        let (line, _) = substitute("{tag}", &consts);
        assert_eq!(line, "&lt;b&gt;&#42;x&#42;&lt;/b&gt;");
        let (line, unknown) = substitute("Year {new Date().getFullYear()} and {props.x} {#id}", &consts);
        assert_eq!(line, "Year {new Date().getFullYear()} and {props.x} {#id}");
        let got: Vec<(usize, &str)> = unknown.iter().map(|u| (u.column, u.text.as_str())).collect();
        assert_eq!(got, [(6, "{new Date().getFullYear()}"), (37, "{props.x}")]);
        let (line, unknown) = substitute("a { open", &consts);
        assert_eq!((line.as_ref(), unknown.len()), ("a { open", 0));
    }
}
