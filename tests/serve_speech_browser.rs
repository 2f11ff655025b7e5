//! Seekable audio under `lectern serve` in headless Chromium (required in CI through
//! `LECTERN_REQUIRE`): a page whose speech block has 30 one-paragraph sentences (fake engine, one
//! second of tone each, so about 39 s of MP3) is built once to fill the speech cache, then served
//! by the real binary — not a static test server — and driven by
//! `tests/browser/tests/serve-speech.mjs`: the player's Next and a click on a sentence land the
//! audio inside that sentence's cue, early and late in the file. Chromium seeks with Range
//! requests, so this fails when `serve` sends whole files.

mod serve_support;
mod speech_support;
mod support;

use serde_json::json;
use serve_support::Serve;
use support::browser;

const WORDS: [&str; 10] =
    ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbour", "island", "juniper"];

#[test]
fn next_and_a_click_on_a_sentence_seek_the_audio_under_serve() {
    if !support::require("chromium") {
        return;
    }
    let site = speech_support::site_with_fake_engine("speech");
    let sentences: Vec<String> = (0..30)
        .map(|i| format!("Sentence {} walks past the {} {}.", i + 1, WORDS[i % 10], WORDS[(i / 10) % 10]))
        .collect();
    let body: String = sentences.iter().map(|s| format!("{s}\n\n")).collect();
    let page = format!(
        "---\ntitle: Many sentences\n---\n\nimport TextToSpeech from '../src/components/TextToSpeech';\n\n<TextToSpeech>\n\n{body}</TextToSpeech>\n"
    );
    std::fs::write(site.path().join("docs/many.md"), page).expect("writing docs/many.md");
    speech_support::build(site.path());
    let serve = Serve::start(site.path());
    let (status, html) = serve.get("/many/");
    assert_eq!(status, 200, "{html}");
    assert_eq!(serve_support::attrs(&html, "audio.speech-audio", "src").len(), 1, "the served page has its audio");

    let url = format!("{}many/", serve.url);
    let result = browser::run_script(
        "tests/serve-speech.mjs",
        serve.url.trim_end_matches('/'),
        json!({ "url": url, "sentences": sentences }),
    );
    browser::assert_ok(&result);
    let names: Vec<&str> =
        result["script"]["tests"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names.len(), 2, "{result:#}");
}
