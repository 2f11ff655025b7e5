//! YAML reading shared by `lectern.yml`, front matter and `_category_` files.
//!
//! In: text. Out: a typed value or yaml_serde's error (which carries the position).
//! yaml_serde refuses alias bombs and deep nesting on its own (it caps alias expansion and
//! recursion), so a hostile file fails with an error instead of eating memory.

use serde::de::DeserializeOwned;

/// Parses YAML text into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, yaml_serde::Error> {
    yaml_serde::from_str(text)
}

/// Accepts any scalar (string, number, bool) as a string: `title: 2021` is a title.
pub fn scalar_string<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::S(s) => s,
        Scalar::I(i) => i.to_string(),
        Scalar::F(f) => f.to_string(),
        Scalar::B(b) => b.to_string(),
    }))
}

/// Tells "key absent" (`None`) from "key: null" (`Some(None)`).
pub fn explicit_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Ok(Some(Option::<T>::deserialize(d)?))
}

/// A YAML error placed where the author must look, in words, with a hint.
#[derive(Debug, PartialEq)]
pub struct Problem {
    /// 1-based line within the YAML text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    /// The problem as an error in `path`, whose YAML starts after `line_offset` lines of `source`.
    pub fn diagnostic(self, path: &std::path::Path, line_offset: usize, source: &str) -> crate::diagnostic::Diagnostic {
        let d = crate::diagnostic::Diagnostic::error(path, self.line + line_offset, self.column, self.message)
            .with_source(source);
        match self.help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }
}

/// Reads an error for the place its construct opened. yaml_serde reports where the parser gave
/// up: an unclosed `[` or quote is noticed on a later line (often the end of the text), while
/// its message names where the list or quote began ("while parsing a flow sequence at line 3
/// column 8"). Alias bombs carry no position; they are placed at the first alias. `None` for
/// errors that are not about YAML syntax (a key's type, an unknown key), which callers word.
pub fn problem(e: &yaml_serde::Error, text: &str) -> Option<Problem> {
    let msg = e.to_string();
    let opened = |what: &str| -> Option<(usize, usize)> {
        let rest = &msg[msg.find(what)? + what.len()..];
        let rest = rest.strip_prefix(" at line ")?;
        let (line, rest) = rest.split_once(" column ")?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse().ok()?, column.parse().ok()?))
    };
    if let Some((line, column)) = opened("while parsing a flow sequence") {
        return Some(Problem {
            line,
            column,
            message: "this `[` is never closed".into(),
            help: Some(
                "end the list with `]`, or quote the value if the bracket is text, e.g. `title: \"[Draft] Intro\"`"
                    .into(),
            ),
        });
    }
    if let Some((line, column)) = opened("while parsing a flow mapping") {
        return Some(Problem {
            line,
            column,
            message: "this `{` is never closed".into(),
            help: Some("end the mapping with `}`, or quote the value if the brace is text".into()),
        });
    }
    if let Some((line, column)) = opened("while scanning a quoted scalar") {
        let quote = text.lines().nth(line.saturating_sub(1)).and_then(|l| l.chars().nth(column.saturating_sub(1)));
        let help = if quote == Some('\'') {
            "end the text with `'`; a `'` inside single-quoted text is written `''`"
        } else {
            "end the text with `\"`; a `\"` inside double-quoted text is written `\\\"`"
        };
        return Some(Problem { line, column, message: "this quote is never closed".into(), help: Some(help.into()) });
    }
    if msg.contains("repetition limit exceeded") || msg.contains("recursion limit exceeded") {
        let (line, column) = first_alias(text).unwrap_or((1, 1));
        return Some(Problem {
            line,
            column,
            message: "aliases here expand beyond lectern's limit (each repeats the ones before it)".into(),
            help: Some("write the values out instead of repeating aliases of aliases".into()),
        });
    }
    None
}

/// The 1-based line and column of the first alias (`*name`) outside quotes and comments.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let mut quote = None;
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if prev.is_whitespace() => break,
                (None, '*') if matches!(prev, ' ' | '[' | ',' | '{' | ':' | '\t') => return Some((i + 1, col + 1)),
                _ => {}
            }
            prev = c;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem_of(text: &str) -> Problem {
        let e = from_str::<yaml_serde::Value>(text).unwrap_err();
        problem(&e, text).unwrap()
    }

    #[test]
    fn unclosed_brackets_and_quotes_point_where_they_open() {
        let p = problem_of("id: a\nslug: b\ntitle: [x\nother: 1\n");
        assert_eq!((p.line, p.column, p.message.as_str()), (3, 8, "this `[` is never closed"));
        let p = problem_of("a: {b: 1\nc: 2\n");
        assert_eq!((p.line, p.column), (1, 4));
        assert!(p.message.contains('{'));
        let p = problem_of("id: a\ntitle: \"abc\nx: 1\n");
        assert_eq!((p.line, p.column, p.message.as_str()), (2, 8, "this quote is never closed"));
        assert!(p.help.unwrap().contains("`\\\"`"));
        let p = problem_of("title: 'abc\n");
        assert!(p.help.unwrap().contains("''"));
    }

    #[test]
    fn an_alias_bomb_is_placed_at_its_first_alias() {
        let mut text = String::from("# \"*quoted\" is not an alias\na: &a [1,1,1,1,1,1,1,1,1]\n");
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h'] {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            prev = name;
        }
        let p = problem_of(&text);
        assert_eq!((p.line, p.column), (3, 8), "{p:?}");
        assert!(p.message.contains("aliases"));
    }

    #[test]
    fn other_errors_are_left_to_the_caller() {
        let e = from_str::<std::collections::BTreeMap<String, u8>>("a: x\n").unwrap_err();
        assert_eq!(problem(&e, "a: x\n"), None);
    }
}
