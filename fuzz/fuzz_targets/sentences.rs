//! The sentence splitter and speech extraction from arbitrary text and HTML: no panic, no
//! empty sentence, and no words lost or invented.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sentences = lectern::speech::split_sentences(text);
    for s in &sentences {
        assert!(!s.trim().is_empty(), "empty sentence from {text:?}");
    }
    let words = |s: &str| s.split_whitespace().count();
    let total: usize = sentences.iter().map(|s| words(s)).sum();
    assert!(total <= words(text) + sentences.len(), "{total} words out of {}", words(text));
    let _ = lectern::speech::extract_speech(text);
});
