//! Sentence splitting for speech: one text segment in, the sentences a listener hears out.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets allowed after it) when
//! the next word starts with a capital letter, a digit or an opening quote. Abbreviations (e.g.,
//! i.e., etc., Dr., …), initials, decimals, versions such as 3.3 and URLs never split. Sentences
//! longer than [`MAX_WORDS`] are split again at clause boundaries. Pure.

/// Sentences longer than this many words are split at clause boundaries.
pub const MAX_WORDS: usize = 30;

/// Words after which a full stop never ends a sentence (compared lowercased).
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "etc.", "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "vs.", "cf.", "approx.", "fig.", "no.", "jr.",
    "sr.", "inc.", "ltd.", "co.", "corp.", "dept.", "est.", "min.", "max.", "incl.", "ca.", "al.", "eg.", "ie.",
];

/// Words before which a long sentence may be split (the word starts the new part).
const CONJUNCTIONS: &[&str] =
    &["and", "but", "or", "so", "because", "which", "when", "where", "while", "although", "then", "if", "unless"];

/// Splits a segment of plain text into sentences.
pub fn split_sentences(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..words.len() {
        if ends_sentence(words[i], words.get(i + 1).copied()) {
            split_long(&words[start..=i], &mut out);
            start = i + 1;
        }
    }
    if start < words.len() {
        split_long(&words[start..], &mut out);
    }
    out
}

/// Whether `word` ends a sentence, given the word after it.
fn ends_sentence(word: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return false };
    let core = word.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»', '*', '_']);
    if !core.ends_with(['.', '!', '?', '…']) {
        return false;
    }
    let next_start = next.trim_start_matches(['(', '[', '*', '_']);
    let opens_quote = next_start.starts_with(['"', '“', '‘', '«']);
    let first = next_start.chars().find(|c| c.is_alphanumeric());
    if !opens_quote && !first.is_some_and(|c| c.is_uppercase() || c.is_numeric()) {
        return false;
    }
    if core.ends_with('.') && !core.ends_with("..") {
        let bare = core.trim_start_matches(['(', '[', '"', '\'', '“', '‘']).to_lowercase();
        if ABBREVIATIONS.contains(&bare.as_str()) || is_initials(&bare) {
            return false;
        }
    }
    true
}

/// `J.`, `U.S.`, `a.m.`: letters each followed by a full stop, one of them at most two long.
fn is_initials(word: &str) -> bool {
    let parts: Vec<&str> = word.trim_end_matches('.').split('.').collect();
    let all_short = parts.iter().all(|p| (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic));
    all_short && (parts.len() >= 2 || parts[0].chars().count() == 1)
}

/// Pushes `words` as one sentence, or as several when it is longer than [`MAX_WORDS`].
fn split_long(words: &[&str], out: &mut Vec<String>) {
    if words.len() <= MAX_WORDS {
        out.push(words.join(" "));
        return;
    }
    let at = clause_boundary(words).unwrap_or(MAX_WORDS.min(words.len() / 2).max(1));
    split_long(&words[..at], out);
    split_long(&words[at..], out);
}

/// Where to split a long sentence, strongest boundary first: after `;` or `:` or before a dash,
/// then after a comma that a conjunction follows, then after any comma, then before a
/// conjunction. Within a kind, the candidate nearest the middle that leaves at least four words
/// on each side.
fn clause_boundary(words: &[&str]) -> Option<usize> {
    let middle = words.len() / 2;
    let conj = |i: usize| CONJUNCTIONS.contains(&words[i].to_lowercase().as_str());
    let comma = |i: usize| words[i - 1].ends_with(',');
    let tiers: [&dyn Fn(usize) -> bool; 4] = [
        &|i| words[i - 1].ends_with([';', ':']) || matches!(words[i], "—" | "–" | "-"),
        &|i| comma(i) && conj(i),
        &comma,
        &conj,
    ];
    tiers
        .iter()
        .find_map(|tier| (4..=words.len().saturating_sub(4)).filter(|&i| tier(i)).min_by_key(|&i| i.abs_diff(middle)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_sentence_ends_only() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two! Three? Four", &["One.", "Two!", "Three?", "Four"]),
            (
                "Use a test framework, e.g. NUnit or xUnit. Then run it.",
                &["Use a test framework, e.g. NUnit or xUnit.", "Then run it."],
            ),
            ("Tools i.e. Docker, Terraform etc. Are all used.", &["Tools i.e. Docker, Terraform etc. Are all used."]),
            ("Ask Dr. Smith. She knows.", &["Ask Dr. Smith.", "She knows."]),
            (
                "We use .NET Core 3.1 and version 3.3. It works.",
                &["We use .NET Core 3.1 and version 3.3.", "It works."],
            ),
            ("It costs 2.50 pounds. Cheap.", &["It costs 2.50 pounds.", "Cheap."]),
            (
                "See https://example.org/a.b.c for more. Then continue.",
                &["See https://example.org/a.b.c for more.", "Then continue."],
            ),
            ("Written by J. R. Hartley. Good book.", &["Written by J. R. Hartley.", "Good book."]),
            ("The U.S. Government. And more.", &["The U.S. Government.", "And more."]),
            ("a sentence. lowercase follows", &["a sentence. lowercase follows"]),
            ("He said \"Stop.\" Then left.", &["He said \"Stop.\"", "Then left."]),
            ("Wait... What? (Really.) Yes.", &["Wait...", "What?", "(Really.)", "Yes."]),
            ("Step 1. 2 is next.", &["Step 1.", "2 is next."]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(split_sentences(text), *want, "{text}");
        }
    }

    #[test]
    fn long_sentences_split_at_clauses() {
        // A real sentence from the API playbook, 44 words long.
        let text = "Unit tests are used to test the functionality of an individual function or a collection of functions, and they should be fast, isolated and repeatable so that every developer in the team can run them many times a day without waiting.";
        let got = split_sentences(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|s| s.split(' ').count() <= MAX_WORDS), "{got:?}");
        assert_eq!(got.join(" "), text);
        assert!(got[0].ends_with("collection of functions,"), "{got:?}");

        let no_punct = "and ".repeat(70);
        let got = split_sentences(no_punct.trim());
        assert!(got.iter().all(|s| s.split(' ').count() <= MAX_WORDS), "{got:?}");
        assert_eq!(got.iter().map(|s| s.split(' ').count()).sum::<usize>(), 70);
    }
}
