//! Tokeniser shared (rule for rule) with `theme/search.js`: text in, index terms out.
//!
//! A term is a run of Unicode alphanumerics (`char::is_alphanumeric`, which is JavaScript's
//! `[\p{Alphabetic}\p{N}]`), folded: decomposed (NFD), stripped of combining marks and
//! lowercased, so `Café` and `cafe` are one term. Han, Hiragana and Katakana characters are
//! written without spaces, so each is a term of its own. Anything else (punctuation, `_`, `-`,
//! `.`) separates terms. Stemming comes later ([`super::stem`]), once per distinct term.
//!
//! The browser tokenises a query with the same rules (`tokens` in `theme/search.js`);
//! `tests/search_tokenize.rs` runs both on one table of inputs, so they cannot drift apart.

/// Longer runs are hashes, base64 or minified code: nobody searches for them.
pub const MAX_TERM_CHARS: usize = 32;

/// Calls `emit` with every term of `text`, in order. The `&str` lives until the next call, so
/// callers that see a term again need not allocate.
pub fn for_each_term(text: &str, mut emit: impl FnMut(&str)) {
    let mut buffer = String::new();
    let mut word_start: Option<usize> = None;
    let mut flush = |start: &mut Option<usize>, end: usize, emit: &mut dyn FnMut(&str)| {
        if let Some(s) = start.take() {
            let word = &text[s..end];
            if end - s <= MAX_TERM_CHARS || word.chars().count() <= MAX_TERM_CHARS {
                fold_into(word, &mut buffer);
                if !buffer.is_empty() {
                    emit(&buffer);
                }
            }
        }
    };
    for (i, c) in text.char_indices() {
        if !c.is_alphanumeric() {
            flush(&mut word_start, i, &mut emit);
        } else if is_ideograph(c) {
            flush(&mut word_start, i, &mut emit);
            let mut one = String::new();
            fold_into(&text[i..i + c.len_utf8()], &mut one);
            emit(&one);
        } else {
            word_start.get_or_insert(i);
        }
    }
    flush(&mut word_start, text.len(), &mut emit);
}

/// Accent and case folding: NFD, combining marks dropped, then lowercased (in this order, as
/// `search.js` does: `normalize("NFD")`, strip `\p{M}`, `toLowerCase()`).
pub fn fold(word: &str) -> String {
    let mut out = String::new();
    fold_into(word, &mut out);
    out
}

fn fold_into(word: &str, out: &mut String) {
    use unicode_normalization::UnicodeNormalization as _;
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        let bare: String = word.nfd().filter(|c| !is_mark(*c)).collect();
        // Not char by char: the final sigma depends on its neighbours.
        out.push_str(&bare.to_lowercase());
    }
}

/// Unicode general category M (Mn, Mc, Me), JavaScript's `\p{M}`.
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Every term of `text`, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// Scripts written without spaces between words.
pub fn is_ideograph(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'      // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}'    // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'    // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FFFF}') // CJK extensions B and later
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lowercases_and_folds_accents() {
        let cases: &[(&str, &[&str])] = &[
            ("Install the SDK", &["install", "the", "sdk"]),
            ("Services & policies", &["services", "policies"]),
            ("snake_case-name.v2", &["snake", "case", "name", "v2"]),
            ("don't", &["don", "t"]),
            ("Ärger über Straße", &["arger", "uber", "straße"]),
            ("ΣΟΦΟΣ", &["σοφος"]),
            ("数据库 setup・アプリ", &["数", "据", "库", "setup", "ア", "フ", "リ"]), // marks go in kana too
            ("Cafés CAFÉ cafe\u{301}", &["cafes", "cafe", "cafe"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(terms(text), *want, "terms of {text:?}");
        }
    }

    #[test]
    fn skips_overlong_runs() {
        let hash = "a".repeat(MAX_TERM_CHARS + 1);
        assert_eq!(terms(&format!("sha {hash} done")), ["sha", "done"]);
        assert_eq!(terms(&"b".repeat(MAX_TERM_CHARS)).len(), 1);
    }
}
