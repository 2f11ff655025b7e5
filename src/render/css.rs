//! Stylesheets as pages carry them: the theme's CSS files, made smaller for a `<style>` element.
//!
//! In: a stylesheet's bytes. Out: its text without comments or needless whitespace, or `None`
//! when it cannot go inline (the page then links the file). Only whitespace that CSS never reads
//! is dropped, so the rules mean what they meant.

/// The stylesheet's text for a `<style>` element, made smaller by [`minify`]; `None` when it is
/// not UTF-8 or holds `</style`, which would end the element early.
pub(crate) fn inline_css(bytes: &[u8]) -> Option<String> {
    let css = std::str::from_utf8(bytes).ok()?;
    let closes = css.as_bytes().windows(7).any(|w| w.eq_ignore_ascii_case(b"</style"));
    (!closes).then(|| minify(css))
}

/// Drops comments, folds each run of whitespace into one space, and drops the space beside
/// `{`, `}`, `;` and `,`, and at either end. Strings (`"…"`, `'…'`) are kept as they are.
pub(crate) fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    // A space is written only when the next character needs it.
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                // `a/**/b` is two tokens: keep them apart.
                space = true;
            }
            c if c.is_whitespace() => space = true,
            '"' | '\'' => {
                push_space(&mut out, &mut space, c);
                out.push(c);
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == c {
                        break;
                    }
                }
            }
            c => {
                push_space(&mut out, &mut space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the pending space before `next`, unless one of them makes it needless.
fn push_space(out: &mut String, space: &mut bool, next: char) {
    let needless = |c: char| matches!(c, '{' | '}' | ';' | ',');
    if *space && !out.is_empty() && !needless(next) && !out.ends_with(needless) {
        out.push(' ');
    }
    *space = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minify_drops_only_what_css_never_reads() {
        let cases = [
            ("a { color: red; }\n", "a{color: red;}"),
            ("/* note */\nbody {\n  margin: 0;\n}\n", "body{margin: 0;}"),
            ("a, b\n, c > d { x: 1 }", "a,b,c > d{x: 1}"),
            (
                "@media (max-width: 10px) and (min-width: 2px) {\n  .a { b: c }\n}",
                "@media (max-width: 10px) and (min-width: 2px){.a{b: c}}",
            ),
            (".a :is(.b) { width: calc(100% - 2rem) }", ".a :is(.b){width: calc(100% - 2rem)}"),
            ("a::after { content: \"  /* kept */  \" }", "a::after{content: \"  /* kept */  \"}"),
            ("a::after { content: '\\'  ' }", "a::after{content: '\\'  '}"),
            ("a/**/b { c: d }", "a b{c: d}"),
            ("a { b: c /* unclosed", "a{b: c"),
            ("a { color: rgb(0 0 0 / .18) !important }", "a{color: rgb(0 0 0 / .18) !important}"),
            ("", ""),
        ];
        for (css, want) in cases {
            assert_eq!(minify(css), want, "{css:?}");
        }
    }

    #[test]
    fn inline_css_refuses_what_would_end_the_style_element() {
        let cases: [(&[u8], Option<&str>); 5] = [
            (b"body { color: red }", Some("body{color: red}")),
            (b"a::after { content: '</style>' }", None),
            (b"a::after { content: '</StYlE' }", None),
            (b"a::after { content: '</styl' }", Some("a::after{content: '</styl'}")),
            (&[0xff, 0x00], None),
        ];
        for (css, want) in cases {
            assert_eq!(inline_css(css).as_deref(), want, "{:?}", String::from_utf8_lossy(css));
        }
    }

    /// The built-in stylesheets keep every rule: the same selectors and declarations, in order.
    #[test]
    fn the_theme_stylesheets_keep_their_rules() {
        let comment = regex::Regex::new(r"(?s)/\*.*?\*/").unwrap();
        for css in [
            include_str!("../../theme/lectern.css"),
            include_str!("../../theme/search.css"),
            include_str!("../../theme/speech.css"),
        ] {
            let small = minify(css);
            assert!(small.len() < css.len() * 9 / 10, "{} of {}", small.len(), css.len());
            let words = |s: &str| -> Vec<String> {
                let no_comments = comment.replace_all(s, " ");
                no_comments
                    .split(|c: char| c.is_whitespace() || "{};,".contains(c))
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            assert_eq!(words(&small), words(css));
        }
    }
}
