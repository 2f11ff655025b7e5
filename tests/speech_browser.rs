//! Speech players in headless Chromium (required in CI through `LECTERN_REQUIRE`): the fixture
//! is built twice — with pre-rendered audio from the fake engine, and with `prerender: never` —
//! served over HTTP, and driven by `tests/browser/tests/speech.mjs`: Listen plays the audio and
//! the highlight follows the cues, browser voices speak one sentence at a time in order,
//! everything works from the keyboard, the seek bar moves playback and shows the times, the
//! place is remembered across reloads, a system pause shows as paused, a browser without a
//! working voice says listening is not available, a long sentence's highlight moves in
//! fragments, the lock screen (Media Session) gets position and seeking, the player fits every
//! screen width from 320 px, and axe finds no violations (light and dark, both by the
//! system setting and by the theme toggle).

mod speech_support;
mod support;

use serde_json::json;
use speech_support::*;
use support::{StaticServer, browser};

#[test]
fn players_work_in_chromium() {
    if !support::require("chromium") {
        return;
    }
    let audio_site = site_with_fake_engine("speech");
    // A block with a long sentence, whose highlight moves in fragments.
    std::fs::write(audio_site.path().join("docs/long.md"), LONG_PAGE).expect("writing docs/long.md");
    build(audio_site.path());
    let voices_site = site_with_fake_engine("speech");
    edit(voices_site.path(), "lectern.yml", "speech:\n", "speech:\n  prerender: never\n");
    std::fs::write(voices_site.path().join("docs/long.md"), LONG_PAGE).expect("writing docs/long.md");
    build(voices_site.path());

    let audio_server = StaticServer::start(audio_site.path().join("build"));
    let voices_server = StaticServer::start(voices_site.path().join("build"));
    let (audio_url, voices_url) = (audio_server.url_for("/intro/"), voices_server.url_for("/intro/"));
    let (long_url, long_voices_url) = (audio_server.url_for("/long/"), voices_server.url_for("/long/"));
    let result = browser::run_script(
        "tests/speech.mjs",
        &audio_server.url,
        json!({ "audioUrl": audio_url, "voicesUrl": voices_url, "longUrl": long_url, "longVoicesUrl": long_voices_url, "sentences": INTRO_SENTENCES }),
    );
    browser::assert_ok(&result);
    assert_eq!(result["script"]["tests"].as_array().map(Vec::len), Some(14), "{result:#}");

    // The page's players by the system's colour scheme, light and dark, laptop and phone.
    let result = browser::run(json!({
        "pages": [audio_url, voices_url],
        "checks": ["axe"],
        "modes": browser::standard_modes(),
    }));
    browser::assert_ok(&result);
    assert_eq!(result["pages"].as_array().map(Vec::len), Some(2 * 4));
}

const LONG_PAGE: &str = "---
title: Long sentences
---

import TextToSpeech from '../src/components/TextToSpeech';

<TextToSpeech>

These guidelines are not intended to be prescriptive on what developers should test but to ensure that with a consistent understanding of our tests, it will be easy to grasp by other developers. Short one.

</TextToSpeech>
";
