//! Heading ids, the way Docusaurus makes them (github-slugger, spec section 6).
//!
//! In: a heading's plain text. Out: its slug, and with [`Slugger`] a page-unique id
//! (`foo`, `foo-1`, `foo-1-1`, ...).

use std::collections::HashMap;

/// github-slugger's slug of `text`: lowercase, punctuation and symbols removed, each
/// ASCII space turned into `-` without collapsing runs.
pub fn slugify(text: &str) -> String {
    dropped().replace_all(&text.trim().to_lowercase(), "").replace(' ', "-")
}

/// What github-slugger drops: everything but letters, marks, decimal and letter numbers,
/// connector punctuation (Unicode categories L, M, Nd, Nl, Pc), `-` and the ASCII space.
fn dropped() -> &'static regex::Regex {
    static DROPPED: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    DROPPED.get_or_init(|| regex::Regex::new(r"[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\- ]").expect("a valid pattern"))
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

    /// Thai, Bengali, Tamil, emoji and combining marks, slugged by github-slugger 2.0.0 itself
    /// (tests/fixtures/slugs/generate.mjs).
    #[test]
    fn github_slugger_table() {
        #[derive(serde::Deserialize)]
        struct Row {
            heading: String,
            slug: String,
        }
        let rows: Vec<Row> =
            serde_json::from_str(include_str!("../../tests/fixtures/slugs/github-slugger.json")).expect("the table");
        assert!(rows.len() >= 20);
        for row in rows {
            assert_eq!(slugify(&row.heading), row.slug, "slugify({:?})", row.heading);
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
