//! Docusaurus's magic comments in code blocks: `// highlight-next-line`, and
//! `// highlight-start` … `// highlight-end`, in the comment syntax of the block's language.
//!
//! In: a code block's language and code. Out: the code without those comment lines, and the
//! lines (1-based, of the code that remains) to highlight. This follows `parseLines` of
//! `@docusaurus/theme-common` (`codeBlockUtils.ts`) with its default magic comments: a directive
//! is a line holding only such a comment; which comment styles count depends on the language
//! (`//` and `/* */` for JavaScript, also `{/* */}` for JSX, `<!-- -->` for HTML, `#` for
//! Python and Bash, all of `//`, `/* */`, `{/* */}`, `#` and `<!-- -->` for any other
//! language); a block without a language is left as it is. (The caller skips this, as
//! Docusaurus does, when the info string gives line ranges such as `{1,3-4}`.) Pure.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

/// The directives of Docusaurus's default magic comment.
const DIRECTIVES: &str = "highlight-next-line|highlight-start|highlight-end";

/// Comment styles by name: the regular expressions of their start and end.
const STYLES: &[(&str, &str, &str)] = &[
    ("js", r"//", ""),
    ("jsBlock", r"/\*", r"\*/"),
    ("jsx", r"\{\s*/\*", r"\*/\s*\}"),
    ("bash", "#", ""),
    ("html", "<!--", "-->"),
    ("lua", "--", ""),
    ("wasm", ";;", ""),
    ("tex", "%", ""),
    ("vb", "['‘’]", ""),
    ("vbnet", r"(?:_\s*)?['‘’]", ""),
    ("rem", r"[Rr][Ee][Mm]\b", ""),
    ("f90", "!", ""),
    ("ml", r"\(\*", r"\*\)"),
    ("cobol", r"\*>", ""),
];

/// The comment styles a language's magic comments may use (`getAllMagicCommentDirectiveStyles`).
fn styles_for(lang: &str) -> &'static [&'static str] {
    match lang {
        "js" | "javascript" | "ts" | "typescript" => &["js", "jsBlock"],
        "jsx" | "tsx" => &["js", "jsBlock", "jsx"],
        "html" => &["js", "jsBlock", "html"],
        "python" | "py" | "bash" => &["bash"],
        "markdown" | "md" => &["html", "jsx", "bash"],
        "tex" | "latex" | "matlab" => &["tex"],
        "lua" | "haskell" => &["lua"],
        "sql" => &["lua", "jsBlock"],
        "wasm" => &["wasm"],
        "vb" | "vba" | "visual-basic" => &["vb", "rem"],
        "vbnet" => &["vbnet", "rem"],
        "batch" => &["rem"],
        "basic" => &["rem", "f90"],
        "fsharp" => &["js", "ml"],
        "ocaml" | "sml" => &["ml"],
        "fortran" => &["f90"],
        "cobol" => &["cobol"],
        _ => &["js", "jsBlock", "jsx", "bash", "html"],
    }
}

/// The line pattern for a set of comment styles, built once per set.
fn pattern(styles: &'static [&'static str]) -> Regex {
    static CACHE: OnceLock<Mutex<HashMap<usize, Regex>>> = OnceLock::new();
    let key = styles.as_ptr() as usize ^ styles.len();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return re;
    }
    let alternatives: Vec<String> = styles
        .iter()
        .filter_map(|name| STYLES.iter().find(|(n, _, _)| n == name))
        .map(|(_, start, end)| format!(r"(?:{start}\s*({DIRECTIVES})\s*{end})"))
        .collect();
    let re = Regex::new(&format!(r"^\s*(?:{})\s*$", alternatives.join("|"))).expect("a valid pattern");
    if let Ok(mut c) = cache.lock() {
        c.insert(key, re.clone());
    }
    re
}

/// `code` without its magic comment lines, and the 1-based lines of what remains to highlight.
/// `None` when the block has none (or no language).
pub(crate) fn strip(lang: Option<&str>, code: &str) -> Option<(String, Vec<usize>)> {
    let lang = lang?;
    if !code.contains("highlight-") {
        return None;
    }
    let re = pattern(styles_for(lang));
    let mut kept: Vec<&str> = Vec::new();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut found = false;
    for line in code.split_inclusive('\n') {
        let bare = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(line);
        let Some(directive) = re.captures(bare).and_then(|c| c.iter().skip(1).flatten().next().map(|m| m.as_str()))
        else {
            kept.push(line);
            continue;
        };
        found = true;
        // Indices are 0-based, of the lines kept so far, as in Docusaurus.
        let here = kept.len();
        match directive {
            "highlight-next-line" => lines.push(here),
            "highlight-start" => start = here,
            _ => {
                let end = here.saturating_sub(1);
                lines.extend(start.min(end)..=start.max(end));
            }
        }
    }
    if !found {
        return None;
    }
    let mut code = kept.concat();
    if code.is_empty() {
        code.push('\n');
    }
    let mut numbers: Vec<usize> = lines.into_iter().map(|l| l + 1).collect();
    numbers.sort_unstable();
    numbers.dedup();
    Some((code, numbers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_removed_and_their_lines_highlighted() {
        let cases: &[(&str, &str, &str, &[usize])] = &[
            ("js", "a();\n// highlight-next-line\nb();\nc();\n", "a();\nb();\nc();\n", &[2]),
            ("js", "// highlight-start\na();\nb();\n// highlight-end\nc();\n", "a();\nb();\nc();\n", &[1, 2]),
            ("jsx", "<div>\n  {/* highlight-next-line */}\n  <b/>\n</div>\n", "<div>\n  <b/>\n</div>\n", &[2]),
            ("python", "x = 1\n# highlight-next-line\ny = 2\n", "x = 1\ny = 2\n", &[2]),
            ("bash", "  #   highlight-next-line  \nls\n", "ls\n", &[1]),
            ("yaml", "# highlight-next-line\nkey: v\n", "key: v\n", &[1]),
            ("html", "<p>\n<!-- highlight-next-line -->\n<b>\n", "<p>\n<b>\n", &[2]),
        ];
        for (lang, code, want, lines) in cases {
            let (got, got_lines) = strip(Some(lang), code).unwrap_or_else(|| panic!("{lang}: {code}"));
            assert_eq!(got, *want, "{lang}: {code}");
            assert_eq!(got_lines, *lines, "{lang}: {code}");
        }
    }

    #[test]
    fn comments_of_other_languages_and_other_text_stay() {
        assert_eq!(strip(Some("python"), "// highlight-next-line\nx\n"), None, "not a Python comment");
        assert_eq!(strip(Some("js"), "a(); // highlight-next-line\n"), None, "not alone on its line");
        assert_eq!(strip(None, "// highlight-next-line\nx\n"), None, "no language");
        assert_eq!(strip(Some("js"), "plain\n"), None);
    }
}
