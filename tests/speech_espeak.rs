//! The speech stage with the real espeak-ng (required in CI through `LECTERN_REQUIRE`): the
//! block's MP3 decodes (symphonia), and its length matches the end of the last VTT cue within 2%.

mod speech_support;
mod support;

use speech_support::*;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

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

#[test]
fn espeak_audio_decodes_and_matches_its_cues() {
    if !support::require("espeak-ng") {
        return;
    }
    let site = support::copy_fixture("speech");
    std::fs::write(site.path().join("lectern.yml"), "title: Speech Fixture\nspeech:\n  prerender: always\n")
        .expect("writing lectern.yml");
    let output = build(site.path());
    assert!(summary(&output).starts_with("speech: 1 blocks, 9 sentences, 0 cached, 9 synthesised in "));

    let intro = page(site.path(), "intro/index.html");
    let src = attrs(&intro, "audio.speech-audio", "src");
    let vtt = std::fs::read_to_string(built_file(site.path(), &src[0].replace(".mp3", ".vtt"))).expect("the VTT");
    let last_end = vtt
        .lines()
        .filter_map(|l| l.split_once(" --> ").map(|(_, end)| end))
        .next_back()
        .and_then(parse_timestamp)
        .expect("a last cue");
    assert!(last_end > 5.0, "nine sentences of speech last more than 5 s, not {last_end}");

    let (decoded, announced) = decode_mp3(&built_file(site.path(), &src[0]));
    let error = (decoded - last_end).abs() / last_end;
    eprintln!("decoded {decoded:.3} s, Info tag {announced:?}, last cue ends {last_end:.3} s");
    assert!(error < 0.02, "decoded {decoded:.3} s, last cue ends at {last_end:.3} s ({:.2}% off)", error * 100.0);
    if let Some(announced) = announced {
        assert!((announced - last_end).abs() / last_end < 0.02, "Info tag says {announced:.3} s");
    }
}

/// `00:01:02.345` → 62.345.
fn parse_timestamp(t: &str) -> Option<f64> {
    let mut parts = t.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    Some(h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?)
}
