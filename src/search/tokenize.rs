//! Tokeniser shared (rule for rule) with `theme/search.js`: text in, index terms out.
//!
//! A term is a run of Unicode alphanumerics (`char::is_alphanumeric`, which is JavaScript's
//! `[\p{Alphabetic}\p{N}]`), lowercased, with English plurals folded (`services` → `service`).
//! Han, Hiragana and Katakana characters are written without spaces, so each is a term of its
//! own. Anything else (punctuation, `_`, `-`, `.`) separates terms. The browser tokenises a query
//! with the same rules, so every change here must be made in `search.js` too.

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
                lowercase_into(word, &mut buffer);
                stem_in_place(&mut buffer);
                emit(&buffer);
            }
        }
    };
    for (i, c) in text.char_indices() {
        if !c.is_alphanumeric() {
            flush(&mut word_start, i, &mut emit);
        } else if is_ideograph(c) {
            flush(&mut word_start, i, &mut emit);
            emit(&c.to_lowercase().collect::<String>());
        } else {
            word_start.get_or_insert(i);
        }
    }
    flush(&mut word_start, text.len(), &mut emit);
}

fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        // Not char by char: the final sigma depends on its neighbours.
        out.push_str(&word.to_lowercase());
    }
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

/// Light English stemming: plural endings only, so that stems stay real words and the last
/// query term can still be matched as a prefix while it is being typed.
pub fn stem(word: &str) -> String {
    let mut out = word.to_string();
    stem_in_place(&mut out);
    out
}

fn stem_in_place(word: &mut String) {
    let n = if word.is_ascii() { word.len() } else { word.chars().count() };
    if n >= 5 && word.ends_with("ies") {
        word.truncate(word.len() - 3);
        word.push('y');
    } else if n >= 5 && word.ends_with("sses") {
        word.truncate(word.len() - 2);
    } else if n >= 4 && word.ends_with('s') && !["ss", "us", "is"].iter().any(|end| word.ends_with(end)) {
        word.truncate(word.len() - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lowercases_and_folds_plurals() {
        let cases: &[(&str, &[&str])] = &[
            ("Install the SDK", &["install", "the", "sdk"]),
            ("Services & policies", &["service", "policy"]),
            ("processes, classes, status, analysis, bus", &["process", "class", "status", "analysis", "bus"]),
            ("snake_case-name.v2", &["snake", "case", "name", "v2"]),
            ("don't", &["don", "t"]),
            ("Ärger über Straße", &["ärger", "über", "straße"]),
            ("ΣΟΦΟΣ", &["σοφος"]),
            ("数据库 setup・アプリ", &["数", "据", "库", "setup", "ア", "プ", "リ"]),
            ("cafés", &["café"]),
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

    #[test]
    fn short_words_are_not_stemmed() {
        for w in ["is", "was", "has", "its", "gas"] {
            assert_eq!(stem(w), w);
        }
        assert_eq!(stem("tests"), "test");
        assert_eq!(stem("queries"), "query");
    }
}
