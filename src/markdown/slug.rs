//! Heading ids, the way Docusaurus makes them (github-slugger, spec section 6).
//!
//! In: a heading's plain text. Out: its slug, and with [`Slugger`] a page-unique id
//! (`foo`, `foo-1`, `foo-1-1`, ...).

use std::collections::HashMap;

/// github-slugger's slug of `text`: lowercase, punctuation and symbols removed, each
/// ASCII space turned into `-` without collapsing runs.
pub fn slugify(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if keeps(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// github-slugger keeps letters, marks, numbers and connector punctuation (Unicode
/// categories L, M, N, Pc) plus `-`, and drops everything else. `char::is_alphanumeric`
/// covers L and N; the common combining-mark blocks and the connector punctuation are
/// listed here so that no Unicode-tables crate is needed.
fn keeps(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '-' | '_'
            | '\u{0300}'..='\u{036F}' // combining diacritical marks
            | '\u{0483}'..='\u{0489}' // Cyrillic combining marks
            | '\u{0591}'..='\u{05BD}' // Hebrew points
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}' // Arabic marks
            | '\u{0900}'..='\u{0903}'
            | '\u{093A}'..='\u{094F}' // Devanagari signs
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}' // combining marks for symbols
            | '\u{FE00}'..='\u{FE0F}' // variation selectors (category Mn)
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{203F}'
            | '\u{2040}'
            | '\u{2054}'
            | '\u{FE33}'
            | '\u{FE34}'
            | '\u{FE4D}'..='\u{FE4F}'
            | '\u{FF3F}') // connector punctuation
}

/// Hands out page-unique ids, exactly as github-slugger's `Slugger.slug` does.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// The unique id for a heading with this plain text.
    pub(crate) fn slug(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            // github-slugger would give "" (an invalid id); a word keeps anchors usable.
            base = "heading".to_string();
        }
        self.unique(base)
    }

    /// Registers an id chosen by the author (`{#custom-id}`) so that later slugs avoid it.
    pub(crate) fn claim(&mut self, id: &str) {
        self.occurrences.entry(id.to_string()).or_insert(0);
    }

    fn unique(&mut self, base: String) -> String {
        let mut slug = base.clone();
        while self.occurrences.contains_key(&slug) {
            let n = self.occurrences.entry(base.clone()).or_insert(0);
            *n += 1;
            slug = format!("{base}-{n}");
        }
        self.occurrences.insert(slug.clone(), 0);
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vectors() {
        let cases = [
            ("Must avoid actions — think about resources", "must-avoid-actions--think-about-resources"),
            ("Step 1: Install & configure", "step-1-install--configure"),
            ("Emoji 🚀 rocket", "emoji--rocket"),
            ("Ünïcödé Façade", "ünïcödé-façade"),
            ("Don't stop? Yes. 100%!", "dont-stop-yes-100"),
            ("tab\there\u{a0}nbsp", "tabherenbsp"),
            ("snake_case and-dash", "snake_case-and-dash"),
            ("Introduction:", "introduction"),
            ("`code` *em*", "code-em"),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "slugify({input:?})");
        }
    }

    #[test]
    fn duplicates_get_numbered() {
        let mut s = Slugger::default();
        let got: Vec<String> = ["Foo", "Foo", "Foo-1", "Foo"].iter().map(|t| s.slug(t)).collect();
        assert_eq!(got, ["foo", "foo-1", "foo-1-1", "foo-2"]);
    }

    #[test]
    fn custom_ids_are_avoided_and_empty_slugs_get_a_word() {
        let mut s = Slugger::default();
        s.claim("setup");
        assert_eq!(s.slug("Setup"), "setup-1");
        assert_eq!(s.slug("🚀"), "heading");
    }
}
