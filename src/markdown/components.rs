//! Docusaurus's built-in components that playbooks use, read from their JSX tags: `<Tabs>` with
//! `<TabItem>`s, `<Details>` and `<Admonition>`. The line pass (`preprocess`) turns their tags
//! into markers; this module reads the tags' attributes and writes the HTML of each marker.
//!
//! In: the text of a tag's attributes (`groupId="os" values={[{label: 'A', value: 'a'}]}`).
//! Out: attribute values, and HTML that reads whole without JavaScript (every tab panel shown
//! with its label); `lectern.js` turns `.tabs` into accessible tabs and remembers `groupId`.

use super::escape;

/// One tab of a `<Tabs>` block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tab {
    pub value: String,
    pub label: String,
}

/// A JSX attribute's value: a string (`a="x"`, `a={'x'}`), a bare name (`default`), or an
/// expression kept as written (`values={[…]}`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Flag,
    Expr(String),
}

/// The attributes of a tag, in order.
pub(crate) fn attributes(text: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '-' | '_' | ':')) {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name: String = chars[start..i].iter().collect();
        if chars.get(i) != Some(&'=') {
            out.push((name, Value::Flag));
            continue;
        }
        i += 1;
        match chars.get(i) {
            Some(&q @ ('"' | '\'')) => {
                let end = chars[i + 1..].iter().position(|c| *c == q).map_or(chars.len(), |p| i + 1 + p);
                out.push((name, Value::Str(chars[i + 1..end.min(chars.len())].iter().collect())));
                i = end + 1;
            }
            Some('{') => {
                let mut depth = 0;
                let begin = i;
                while i < chars.len() {
                    match chars[i] {
                        '{' | '[' | '(' => depth += 1,
                        '}' | ']' | ')' => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
                let inner: String = chars[begin + 1..i.saturating_sub(1).max(begin + 1)].iter().collect();
                let inner = inner.trim();
                out.push((name, string_literal(inner).map_or_else(|| Value::Expr(inner.to_string()), Value::Str)));
            }
            _ => out.push((name, Value::Flag)),
        }
    }
    out
}

/// The string a JS string literal (`'x'`, `"x"`, `` `x` ``) holds, when `text` is exactly one.
pub(crate) fn string_literal(text: &str) -> Option<String> {
    let text = text.trim();
    let q = text.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = text.strip_prefix(q)?.strip_suffix(q)?;
    (!inner.contains(q) || inner.contains(&format!("\\{q}"))).then(|| inner.replace(&format!("\\{q}"), &q.to_string()))
}

/// The value of attribute `name` as a string.
pub(crate) fn get<'v>(attrs: &'v [(String, Value)], name: &str) -> Option<&'v str> {
    attrs.iter().find(|(n, _)| n == name).and_then(|(_, v)| match v {
        Value::Str(s) => Some(s.as_str()),
        _ => None,
    })
}

/// Whether attribute `name` is present (as a flag or `name={true}`).
pub(crate) fn flag(attrs: &[(String, Value)], name: &str) -> bool {
    attrs.iter().any(|(n, v)| n == name && (matches!(v, Value::Flag) || *v == Value::Expr("true".into())))
}

/// The `{label, value}` objects of a `<Tabs values={[…]}>` array, read without running it.
pub(crate) fn tab_values(expr: &str) -> Vec<Tab> {
    let mut tabs = Vec::new();
    for object in expr.split('{').skip(1) {
        let object = object.split('}').next().unwrap_or_default();
        let field = |key: &str| {
            object.split(',').find_map(|part| {
                let (k, v) = part.split_once(':')?;
                (k.trim().trim_matches(['"', '\'']) == key).then(|| string_literal(v)).flatten()
            })
        };
        if let Some(value) = field("value") {
            let label = field("label").unwrap_or_else(|| value.clone());
            tabs.push(Tab { value, label });
        }
    }
    tabs
}

/// The opening of a tabs block: its tab labels come from its panels in the browser, so
/// without JavaScript each panel shows its label instead.
pub(crate) fn tabs_open(group: Option<&str>, selected: &str) -> String {
    let group = group.map(|g| format!(" data-group-id=\"{}\"", escape(g))).unwrap_or_default();
    format!("<div class=\"tabs\"{group} data-default=\"{}\">\n", escape(selected))
}

/// One tab panel's opening, with the label shown when the panel stands alone. The panel shown
/// first (`shown`) is marked, so the page can lay the block out as a tab before lectern.js runs.
pub(crate) fn panel_open(tab: &Tab, shown: bool) -> String {
    format!(
        "<div class=\"tab-panel\"{} data-value=\"{}\" data-label=\"{}\">\n<p class=\"tab-panel-label\">{}</p>\n",
        if shown { " data-shown" } else { "" },
        escape(&tab.value),
        escape(&tab.label),
        escape(&tab.label)
    )
}

/// A `<CodeBlock>` read from its source: its attributes, the code it holds, and how many
/// lines after the first it took.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CodeBlockSource {
    pub attrs: Vec<(String, Value)>,
    pub code: String,
    pub extra_lines: usize,
}

/// Reads a `<CodeBlock …>…</CodeBlock>` that starts at `lines[0]` (which starts with the tag)
/// and may run over the lines after it. The code is the children: a template literal
/// (`` {`…`} ``, with `${name}` of a constant in `consts` filled in), a string, or plain text
/// (its common indentation removed). `None` when the element does not end within the lines.
pub(crate) fn code_block(
    lines: &[&str],
    consts: &std::collections::HashMap<String, String>,
) -> Option<CodeBlockSource> {
    const CLOSE: &str = "</CodeBlock>";
    let mut text = String::new();
    for (extra, line) in lines.iter().enumerate().take(10_000) {
        if extra > 0 {
            text.push('\n');
        }
        text.push_str(line);
        let Some(tag_end) = tag_end(&text) else { continue };
        let tag = &text[..tag_end];
        let attrs = attributes(tag.strip_prefix("<CodeBlock").unwrap_or(tag).trim_end_matches('>'));
        if tag.ends_with("/>") {
            return Some(CodeBlockSource { attrs, code: String::new(), extra_lines: extra });
        }
        let Some(close) = text[tag_end..].find(CLOSE) else { continue };
        let children = &text[tag_end..tag_end + close];
        return Some(CodeBlockSource { attrs, code: code_children(children, consts), extra_lines: extra });
    }
    None
}

/// Where the opening tag at the start of `text` ends (after its `>`), quotes and braces skipped.
fn tag_end(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => depth -= 1,
            (None, '>') if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The code a `<CodeBlock>`'s children hold; a trailing line break is dropped, as Docusaurus's
/// `parseLines` drops it.
fn code_children(children: &str, consts: &std::collections::HashMap<String, String>) -> String {
    let trimmed = children.trim();
    let code = match trimmed.strip_prefix('{').and_then(|r| r.strip_suffix('}')).map(str::trim) {
        Some(inner) => match inner.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
            Some(template) => cooked_template(template, consts),
            None => string_literal(inner).unwrap_or_else(|| inner.to_string()),
        },
        None => plain_children(children),
    };
    code.strip_suffix('\n').map(|c| c.strip_suffix('\r').unwrap_or(c)).unwrap_or(&code).to_string()
}

/// A template literal's text: escapes read, `${name}` of a known constant filled in, any other
/// `${…}` kept as written.
fn cooked_template(raw: &str, consts: &std::collections::HashMap<String, String>) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                match chars[i + 1] {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    c => out.push(c),
                }
                i += 2;
            }
            '$' if chars.get(i + 1) == Some(&'{') => {
                let end = chars[i..].iter().position(|c| *c == '}').map(|p| i + p);
                let Some(end) = end else {
                    out.extend(&chars[i..]);
                    break;
                };
                let name: String = chars[i + 2..end].iter().collect();
                match consts.get(name.trim()) {
                    Some(value) => out.push_str(value),
                    None => out.extend(&chars[i..=end]),
                }
                i = end + 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Children written as plain lines: blank lines at either end dropped, common indentation removed.
fn plain_children(children: &str) -> String {
    let lines: Vec<&str> = children.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let last = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(first, |p| p + 1);
    let lines = &lines[first..last.max(first)];
    let indent =
        lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    lines.iter().map(|l| l.get(indent..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n")
}

/// The info string of the fenced block a `<CodeBlock>` becomes: its language (`language`, else
/// a `language-…` class), `title`, `metastring` and `showLineNumbers`.
pub(crate) fn code_block_info(attrs: &[(String, Value)]) -> String {
    let lang = get(attrs, "language").map(str::to_string).or_else(|| {
        get(attrs, "className")
            .and_then(|c| c.split_whitespace().find_map(|w| w.strip_prefix("language-")).map(str::to_string))
    });
    let mut info = lang.unwrap_or_default();
    if let Some(title) = get(attrs, "title") {
        let q = if title.contains('"') { '\'' } else { '"' };
        info.push_str(&format!(" title={q}{title}{q}"));
    }
    if let Some(meta) = get(attrs, "metastring") {
        info.push(' ');
        info.push_str(meta);
    }
    match attrs.iter().find(|(n, _)| n == "showLineNumbers").map(|(_, v)| v) {
        Some(Value::Flag) => info.push_str(" showLineNumbers"),
        Some(Value::Expr(e)) if e == "true" => info.push_str(" showLineNumbers"),
        Some(Value::Expr(e) | Value::Str(e)) if e.parse::<usize>().is_ok() => {
            info.push_str(&format!(" showLineNumbers={e}"))
        }
        _ => {}
    }
    info.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_as_jsx_writes_them() {
        let attrs =
            attributes(r#"groupId="os" defaultValue={'mac'} lazy values={[{label: 'A', value: "a"}]} x={true} />"#);
        assert_eq!(get(&attrs, "groupId"), Some("os"));
        assert_eq!(get(&attrs, "defaultValue"), Some("mac"));
        assert!(flag(&attrs, "lazy") && flag(&attrs, "x") && !flag(&attrs, "groupId"));
        assert_eq!(attrs[3], ("values".into(), Value::Expr("[{label: 'A', value: \"a\"}]".into())));
    }

    #[test]
    fn tab_values_are_read_from_the_array() {
        let tabs = tab_values(
            "[\n {label: 'Apple', value: 'apple'},\n {value: \"orange\", label: \"Orange\"},\n {value: 'pear'},\n]",
        );
        let got: Vec<_> = tabs.iter().map(|t| (t.value.as_str(), t.label.as_str())).collect();
        assert_eq!(got, [("apple", "Apple"), ("orange", "Orange"), ("pear", "pear")]);
    }

    #[test]
    fn string_literals() {
        assert_eq!(string_literal("'a b'").as_deref(), Some("a b"));
        assert_eq!(string_literal("`x`").as_deref(), Some("x"));
        assert_eq!(string_literal("'it\\'s'").as_deref(), Some("it's"));
        assert_eq!(string_literal("a + 'b'"), None);
    }

    #[test]
    fn code_blocks_in_every_form() {
        let consts: std::collections::HashMap<String, String> = [("version".to_string(), "1.2".to_string())].into();
        let cases: &[(&str, &str, &str, usize)] = &[
            ("<CodeBlock language=\"bash\">{`npm i x@${version}`}</CodeBlock>", "bash", "npm i x@1.2", 0),
            (
                "<CodeBlock language=\"jsx\" title=\"/src/a.js\" showLineNumbers>\n{`function a() {\n  return \\`x\\`;\n}\n`}\n</CodeBlock>",
                "jsx title=\"/src/a.js\" showLineNumbers",
                "function a() {\n  return `x`;\n}",
                5,
            ),
            (
                "<CodeBlock\n  className=\"language-yaml\"\n  metastring=\"{2}\">\n    a: 1\n      b: 2\n</CodeBlock>",
                "yaml {2}",
                "a: 1\n  b: 2",
                5,
            ),
            ("<CodeBlock language=\"js\" showLineNumbers={3}>{'one'}</CodeBlock>", "js showLineNumbers=3", "one", 0),
            ("<CodeBlock />", "", "", 0),
        ];
        for (source, info, code, extra) in cases {
            let lines: Vec<&str> = source.split('\n').collect();
            let got = code_block(&lines, &consts).unwrap_or_else(|| panic!("{source}"));
            assert_eq!(code_block_info(&got.attrs), *info, "{source}");
            assert_eq!(got.code, *code, "{source}");
            assert_eq!(got.extra_lines, *extra, "{source}");
        }
        assert_eq!(code_block(&["<CodeBlock language=\"js\">", "x"], &consts), None, "never closed");
    }
}
