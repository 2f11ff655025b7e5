//! Sentence splitting for speech: one text segment in, the sentences a listener hears out.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets allowed after it) when
//! the next word starts with a capital letter, a digit or an opening quote. Abbreviations (e.g.,
//! i.e., etc., Dr., …), initials, decimals, versions such as 3.3 and URLs never split. A long
//! sentence stays whole: cutting it gave each part a falling ending and a pause, sometimes inside
//! brackets. Pure.

use super::spoken::Word;

/// One sentence: what is spoken, and the words of the page it reads (for the highlight).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub spoken: String,
    pub shown: String,
}

/// Words after which a full stop never ends a sentence (compared lowercased).
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "etc.", "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "vs.", "cf.", "approx.", "fig.", "no.", "jr.",
    "sr.", "inc.", "ltd.", "co.", "corp.", "dept.", "est.", "min.", "max.", "incl.", "ca.", "al.", "eg.", "ie.",
];

/// Splits a segment of plain text into sentences.
pub fn split_sentences(text: &str) -> Vec<String> {
    let words: Vec<Word> =
        text.split_whitespace().map(|w| Word { shown: w.to_string(), spoken: w.to_string() }).collect();
    split_words(&words).into_iter().map(|s| s.spoken).collect()
}

/// Splits a segment's words into sentences, at the ends of spoken words; words that are only
/// shown go with the sentence they stand in. Sentences with nothing to say are dropped.
pub fn split_words(words: &[Word]) -> Vec<Sentence> {
    let spoken: Vec<usize> = (0..words.len()).filter(|&i| !words[i].spoken.trim().is_empty()).collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &i) in spoken.iter().enumerate() {
        let next = spoken.get(k + 1).map(|&j| words[j].spoken.as_str());
        if ends_sentence(&words[i].spoken, next) {
            push_sentence(&words[start..=i], &mut out);
            start = i + 1;
        }
    }
    if start < words.len() {
        push_sentence(&words[start..], &mut out);
    }
    out
}

fn push_sentence(words: &[Word], out: &mut Vec<Sentence>) {
    let join = |f: fn(&Word) -> &str| {
        words.iter().map(f).map(str::trim).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    };
    let spoken = join(|w| &w.spoken);
    if !spoken.is_empty() {
        out.push(Sentence { spoken, shown: join(|w| &w.shown) });
    }
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
    fn long_sentences_stay_whole() {
        // 44 words, a comma and a conjunction near the middle: once cut there.
        let text = "Unit tests are used to test the functionality of an individual function or a collection of functions, and they should be fast, isolated and repeatable so that every developer in the team can run them many times a day without waiting.";
        assert_eq!(split_sentences(text), [text]);
        let brackets = "Use PATCH (or PUT with complete objects, as long as feasible, which keeps the request simple and idempotent for every client that calls the API many times a day) to change it.";
        assert_eq!(split_sentences(brackets), [brackets]);
    }

    #[test]
    fn words_split_on_spoken_ends_and_keep_shown_text() {
        let w = |shown: &str, spoken: &str| Word { shown: shown.into(), spoken: spoken.into() };
        let words = [
            w("", "3:"),
            w("Edit", "Edit"),
            w("`a.yml`.", "a dot YAML."),
            w("**", ""),
            w("Then", "Then"),
            w("go", "go."),
        ];
        let got = split_words(&words);
        assert_eq!(
            got,
            [
                Sentence { spoken: "3: Edit a dot YAML.".into(), shown: "Edit `a.yml`.".into() },
                Sentence { spoken: "Then go.".into(), shown: "** Then go".into() },
            ]
        );
    }
}
