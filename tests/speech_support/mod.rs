//! Helpers shared by the speech tests: the `speech` fixture site with a fake speech engine
//! (a shell script that logs each sentence it is given and answers with one second of tone),
//! builds, and readers for the built players.

#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

use crate::support;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

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

/// [`build`] with `--full`: the speech stage runs even when nothing changed since the last build
/// (which otherwise does nothing), as a warm build after a change to another page would run it.
pub fn build_full(site: &Path) -> Output {
    let out = site.join("build");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str(), "--full".as_ref()])
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

/// Checks the intro page's block audio: the MP3 decodes completely (symphonia), and its length
/// and its Info tag's match the end of the last VTT cue within 2%. Returns that end, in seconds.
pub fn assert_audio_matches_cues(site: &Path) -> f64 {
    let intro = page(site, "intro/index.html");
    let src = attrs(&intro, "audio.speech-audio", "src");
    let vtt = std::fs::read_to_string(built_file(site, &src[0].replace(".mp3", ".vtt"))).expect("the VTT");
    let last_end = vtt
        .lines()
        .filter_map(|l| l.split_once(" --> ").map(|(_, end)| end))
        .next_back()
        .and_then(parse_timestamp)
        .expect("a last cue");
    assert!(last_end > 5.0, "nine sentences of speech last more than 5 s, not {last_end}");

    let (decoded, announced) = decode_mp3(&built_file(site, &src[0]));
    let error = (decoded - last_end).abs() / last_end;
    eprintln!("decoded {decoded:.3} s, Info tag {announced:?}, last cue ends {last_end:.3} s");
    assert!(error < 0.02, "decoded {decoded:.3} s, last cue ends at {last_end:.3} s ({:.2}% off)", error * 100.0);
    if let Some(announced) = announced {
        assert!((announced - last_end).abs() / last_end < 0.02, "Info tag says {announced:.3} s");
    }
    last_end
}

/// Decodes an MP3 completely: (seconds of audio decoded, seconds the Info tag announces).
fn decode_mp3(path: &std::path::Path) -> (f64, Option<f64>) {
    let file = std::fs::File::open(path).expect("opening the MP3");
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    hint.with_extension("mp3");
    let mut format = symphonia::default::get_probe()
        .probe(&hint, stream, FormatOptions::default(), MetadataOptions::default())
        .expect("symphonia recognises the MP3");
    let track = format.default_track(TrackType::Audio).expect("an audio track");
    let (track_id, announced) = (track.id, track.num_frames);
    let params = track.codec_params.as_ref().and_then(|p| p.audio()).expect("audio parameters").clone();
    let rate = f64::from(params.sample_rate.expect("a sample rate"));
    assert_eq!(params.channels.as_ref().map(|c| c.count()), Some(1), "mono");
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .expect("an MP3 decoder");
    let mut frames = 0usize;
    while let Some(packet) = format.next_packet().expect("reading a packet") {
        if packet.track_id == track_id {
            frames += decoder.decode(&packet).expect("every frame decodes").frames();
        }
    }
    (frames as f64 / rate, announced.map(|n| n as f64 / rate))
}

/// `00:01:02.345` → 62.345.
fn parse_timestamp(t: &str) -> Option<f64> {
    let mut parts = t.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    Some(h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?)
}
