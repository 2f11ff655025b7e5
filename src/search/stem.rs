//! Stemming for the site's language (`lang` in lectern.yml), with the Snowball stemmers.
//!
//! In: folded terms (see [`super::tokenize`]). Out: their stems. The index is keyed by stem and
//! lists, with each stem, the words of the site that have it, so the browser never stems: it
//! finds a query word among those words (see `theme/search.js`). The rule lives here only.

use rust_stemmers::{Algorithm, Stemmer};

/// The stemmer for a BCP 47 language code (`en`, `en-GB`, `pt-BR`...); none for languages
/// Snowball has no stemmer for, whose terms are then their own stems.
pub struct SiteStemmer(Option<Stemmer>);

impl SiteStemmer {
    /// The stemmer for `lang`.
    pub fn new(lang: &str) -> SiteStemmer {
        let primary = lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        let algorithm = match primary.as_str() {
            "ar" => Algorithm::Arabic,
            "da" => Algorithm::Danish,
            "nl" => Algorithm::Dutch,
            "en" => Algorithm::English,
            "fi" => Algorithm::Finnish,
            "fr" => Algorithm::French,
            "de" => Algorithm::German,
            "el" => Algorithm::Greek,
            "hu" => Algorithm::Hungarian,
            "it" => Algorithm::Italian,
            "no" | "nb" | "nn" => Algorithm::Norwegian,
            "pt" => Algorithm::Portuguese,
            "ro" => Algorithm::Romanian,
            "ru" => Algorithm::Russian,
            "es" => Algorithm::Spanish,
            "sv" => Algorithm::Swedish,
            "ta" => Algorithm::Tamil,
            "tr" => Algorithm::Turkish,
            _ => return SiteStemmer(None),
        };
        SiteStemmer(Some(Stemmer::create(algorithm)))
    }

    /// The stem of a folded term. Terms with digits (versions, codes) and single characters
    /// stay whole: `v2`, `404`, `数`.
    pub fn stem(&self, term: &str) -> String {
        match &self.0 {
            Some(stemmer) if term.chars().nth(1).is_some() && !term.chars().any(|c| c.is_numeric()) => {
                let stem = stemmer.stem(term);
                if stem.is_empty() { term.to_string() } else { stem.into_owned() }
            }
            _ => term.to_string(),
        }
    }
}

impl Default for SiteStemmer {
    fn default() -> Self {
        SiteStemmer::new("en")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_by_default_and_by_region() {
        for lang in ["en", "en-GB", "EN_us"] {
            let s = SiteStemmer::new(lang);
            assert_eq!(s.stem("deployments"), "deploy", "{lang}");
            assert_eq!(s.stem("deploying"), s.stem("deploy"));
            assert_eq!(s.stem("pagination"), s.stem("paginated"));
        }
        assert_eq!(SiteStemmer::default().stem("policies"), SiteStemmer::default().stem("policy"));
    }

    #[test]
    fn other_languages_and_none() {
        assert_eq!(SiteStemmer::new("fr").stem("déploiements"), SiteStemmer::new("fr").stem("déploiement"));
        assert_eq!(SiteStemmer::new("cy").stem("datblygwyr"), "datblygwyr");
        assert_eq!(SiteStemmer::new("en").stem("v2"), "v2");
        assert_eq!(SiteStemmer::new("en").stem("数"), "数");
    }
}
