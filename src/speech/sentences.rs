//! Sentence splitting for speech: one text segment in, the sentences a listener hears out.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets allowed after it) when
//! the next word starts with a capital letter, a digit or an opening quote. Abbreviations (e.g.,
//! i.e., etc., Dr., …), initials, decimals, versions such as 3.3 and URLs never split. A long
//! sentence stays whole: cutting it gave each part a falling ending and a pause, sometimes inside
//! brackets. Only its highlight moves in fragments (`highlight_fragments`). Pure.

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

/// A sentence of at least this many words is highlighted a fragment at a time.
pub const LONG_SENTENCE_WORDS: usize = 25;
/// Fewest words in a highlight fragment (and in the last one).
const FRAGMENT_MIN_WORDS: usize = 7;
/// A fragment this long with no comma is ended before a joining word; one this long, anywhere.
const FRAGMENT_SOFT_MAX: usize = 12;
const FRAGMENT_HARD_MAX: usize = 20;
/// Words a clause may start with: where a long fragment without punctuation is cut.
const JOINING_WORDS: &[&str] =
    &["and", "or", "but", "which", "that", "so", "because", "while", "when", "where", "then", "with", "to", "if"];

/// Where the highlight of a long sentence moves on: the offsets, in the sentence's letters and
/// digits (as the player's `normalise` counts them), at which its second, third… fragment
/// starts. Fragments end at a comma, semicolon, colon, bracket or dash, or before a joining word
/// when there is none, and are at least `FRAGMENT_MIN_WORDS` long. Empty for a sentence shorter
/// than `LONG_SENTENCE_WORDS` words. The audio is one whole sentence; only the highlight moves.
pub fn highlight_fragments(shown: &str) -> Vec<usize> {
    let words: Vec<&str> = shown.split_whitespace().collect();
    if words.len() < LONG_SENTENCE_WORDS {
        return Vec::new();
    }
    let letters = |w: &str| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).count();
    let mut starts = Vec::new();
    let (mut offset, mut size) = (0, 0);
    for (i, word) in words.iter().enumerate() {
        let left = words.len() - i;
        if size >= FRAGMENT_MIN_WORDS && left >= FRAGMENT_MIN_WORDS && letters(word) > 0 {
            let before = words[i - 1].trim_end_matches(['"', '\'', '*', '_', '`', '”', '’']);
            let pause = before.ends_with([',', ';', ':', ')', ']'])
                || word.starts_with(['(', '['])
                || matches!(words[i - 1], "—" | "–" | "-");
            let joins = JOINING_WORDS.contains(&word.to_lowercase().as_str());
            if pause || (size >= FRAGMENT_SOFT_MAX && joins) || size >= FRAGMENT_HARD_MAX {
                starts.push(offset);
                size = 0;
            }
        }
        offset += letters(word);
        size += 1;
    }
    starts
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
    fn long_sentences_are_highlighted_in_fragments() {
        // Real playbook sentences: (sentence, the words each fragment starts with).
        let cases: &[(&str, &[&str])] = &[
            ("Unit tests check one function at a time.", &[]),
            (
                "When creating a new endpoint or adding new functionality to an API it's good practice to start by writing an end to end test outlining the functionality you are hoping to achieve.",
                &["When", "to start"],
            ),
            (
                "These guidelines are not intended to be prescriptive on what developers should test but to ensure that with a consistent understanding of our tests, it will be easy to grasp by other developers.",
                &["These", "but to", "it will"],
            ),
            (
                "Use PATCH (or PUT with complete objects, as long as feasible, which keeps the request simple and idempotent for every client that calls the API many times a day) to change it.",
                &["Use", "as long", "that calls"],
            ),
            (
                "Hackney’s development standards have evolved over the past couple of years and one of the underpinning principles of this evolution is the adoption of **Test-Driven Development** (TDD) where developers are encouraged to start implementing a solution by first writing tests.",
                &["Hackney’s", "is the adoption", "where developers"],
            ),
        ];
        let letters =
            |w: &str| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<Vec<_>>();
        for (sentence, firsts) in cases {
            let starts = highlight_fragments(sentence);
            if firsts.is_empty() {
                assert_eq!(starts, [0; 0], "{sentence}");
                continue;
            }
            let all = letters(sentence);
            let got: Vec<String> =
                std::iter::once(0).chain(starts).map(|at| all[at..].iter().take(20).collect()).collect();
            let want: Vec<String> = firsts.iter().map(|w| letters(w).into_iter().collect()).collect();
            assert_eq!(got.len(), want.len(), "{sentence}: {got:?}");
            for (fragment, first) in got.iter().zip(&want) {
                assert!(fragment.starts_with(first.as_str()), "{sentence}: {got:?}, want {want:?}");
            }
        }
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
