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

/// One tab panel's opening, with the label shown when the panel stands alone.
pub(crate) fn panel_open(tab: &Tab) -> String {
    format!(
        "<div class=\"tab-panel\" data-value=\"{}\" data-label=\"{}\">\n<p class=\"tab-panel-label\">{}</p>\n",
        escape(&tab.value),
        escape(&tab.label),
        escape(&tab.label)
    )
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
}
