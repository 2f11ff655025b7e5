//! Helpers shared by the speech tests: the `speech` fixture site with a fake speech engine
//! (a shell script that logs each sentence it is given and answers with one second of tone),
//! builds, and readers for the built players.

#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

use crate::support;

/// Seconds of audio the fake engine returns for every sentence.
pub const FAKE_SECONDS: f64 = 1.0;

/// A copy of `tests/fixtures/<fixture>` with the fake engine (`fake-tts.sh`, `tone.wav`).
pub fn site_with_fake_engine(fixture: &str) -> tempfile::TempDir {
    let site = support::copy_fixture(fixture);
    let rate = 22_050u32;
    let samples = (0..(rate as f64 * FAKE_SECONDS) as usize)
        .map(|i| ((i as f64 * 440.0 * std::f64::consts::TAU / f64::from(rate)).sin() * 6000.0) as i16)
        .collect();
    let wav = lectern::speech::write_wav(&lectern::speech::Pcm { sample_rate: rate, samples });
    std::fs::write(site.path().join("tone.wav"), wav).expect("writing tone.wav");
    // Reads the sentence, appends it to calls.log, answers with the tone.
    std::fs::write(
        site.path().join("fake-tts.sh"),
        "text=$(cat)\nprintf '%s\\n' \"$text\" >> calls.log\ncat tone.wav\n",
    )
    .expect("writing fake-tts.sh");
    site
}

/// `lectern build SITE --out SITE/build`, which must succeed.
pub fn build(site: &Path) -> Output {
    let out = site.join("build");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str()])
}

/// The sentences the fake engine was asked for, in the order it was asked.
pub fn calls(site: &Path) -> Vec<String> {
    std::fs::read_to_string(site.join("calls.log")).unwrap_or_default().lines().map(str::to_string).collect()
}

/// The `speech:` summary line on stderr.
pub fn summary(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().find(|l| l.starts_with("speech: ")).unwrap_or_default().to_string()
}

/// A built page, parsed.
pub fn page(site: &Path, rel: &str) -> Html {
    let path = site.join("build").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Html::parse_document(&text)
}

/// Values of `attr` on every element matching `selector`.
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).expect("valid selector");
    doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

/// The text of every element matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).expect("valid selector");
    doc.select(&sel).map(|e| e.text().collect()).collect()
}

/// How many elements match `selector`.
pub fn count(doc: &Html, selector: &str) -> usize {
    doc.select(&Selector::parse(selector).expect("valid selector")).count()
}

/// The JSON data of each player on the page.
pub fn player_data(doc: &Html) -> Vec<serde_json::Value> {
    let sel = Selector::parse(".speech-player script.speech-data").expect("valid selector");
    doc.select(&sel)
        .map(|e| serde_json::from_str(&e.text().collect::<String>()).expect("player data is JSON"))
        .collect()
}

/// The sentences of the first player on the page.
pub fn sentences(doc: &Html) -> Vec<String> {
    let data = player_data(doc);
    let first = data.first().expect("the page has a player");
    first["sentences"].as_array().expect("sentences").iter().map(|s| s.as_str().unwrap_or("").to_string()).collect()
}

/// The file under `SITE/build` that a site URL such as `/audio/x.mp3` points at.
pub fn built_file(site: &Path, url: &str) -> PathBuf {
    site.join("build").join(url.trim_start_matches('/'))
}

/// Replaces `from` with `to` in a file of the site.
pub fn edit(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).expect("reading the file to edit");
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replace(from, to)).expect("writing the edited file");
}

/// The sentences of the fixture's speech block, as the build must extract them.
pub const INTRO_SENTENCES: [&str; 9] = [
    "Introduction.",
    "Unit tests check one function at a time.",
    "They run in seconds, for example on every save.",
    "Write the test first.",
    "Watch it fail.",
    "Name: LocalMode.",
    "Default: true.",
    "Code example in C sharp, skipped.",
    "Create a file named greeting tests dot C S and see the example API.",
];
