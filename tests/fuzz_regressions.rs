//! Every input a fuzz target ever crashed on (tests/fixtures/fuzz-crashes/<target>/) runs again
//! here, so a fixed crash stays fixed.

mod support;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = support::fixture_path(&format!("fuzz-crashes/{target}"));
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn sentence_splitter_and_speech_extraction_crashes_stay_fixed() {
    let cases = inputs("sentences");
    assert!(cases.len() >= 2);
    for (name, bytes) in cases {
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        let sentences = lectern::speech::split_sentences(text);
        assert!(sentences.iter().all(|s| !s.trim().is_empty()), "{name}");
        let _ = lectern::speech::extract_speech(text);
    }
}
