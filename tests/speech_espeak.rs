//! The speech stage with the real espeak-ng (required in CI through `LECTERN_REQUIRE`): the
//! block's MP3 decodes (symphonia), and its length matches the end of the last VTT cue within 2%.

mod speech_support;
mod support;

use speech_support::*;

#[test]
fn espeak_audio_decodes_and_matches_its_cues() {
    if !support::require("espeak-ng") {
        return;
    }
    let site = support::copy_fixture("speech");
    std::fs::write(
        site.path().join("lectern.yml"),
        "title: Speech Fixture\nspeech:\n  engine: espeak-ng\n  prerender: always\n",
    )
    .expect("writing lectern.yml");
    let output = build(site.path());
    assert!(summary(&output).starts_with("speech: 1 blocks, 9 sentences, 0 cached, 9 synthesised in "));
    assert!(summary(&output).contains(" with espeak-ng "), "{}", summary(&output));
    assert_audio_matches_cues(site.path());
}
