//! The speech stage end to end with a fake engine (a shell script that logs each sentence and
//! answers with one second of tone): player markup, audio and VTT files, the cache (second
//! build synthesises nothing; one edited sentence, one synthesis; corrupt entries are redone),
//! the fallbacks when the engine is missing, `whole_page`, and `lectern speak --out`.

mod speech_support;
mod support;

use speech_support::*;

#[test]
fn players_audio_and_vtt_are_built() {
    let site = site_with_fake_engine("speech");
    let output = build(site.path());
    let intro = page(site.path(), "intro/index.html");

    // One player, at the top of the block, hidden until speech.js enhances it.
    assert_eq!(count(&intro, "section.lectern-speech > .speech-player:first-child"), 1);
    assert_eq!(count(&intro, ".speech-player[hidden][role=group][aria-label='Listen to this section']"), 1);
    // The toggle's words say what it does (Listen / Pause), not a pressed state.
    assert_eq!(texts(&intro, ".speech-toggle .speech-toggle-label"), ["Listen"]);
    assert_eq!(count(&intro, ".speech-toggle[aria-pressed]"), 0);
    // The status is a live region that takes no room.
    assert_eq!(count(&intro, "p.speech-status.visually-hidden[role=status]"), 1);
    for control in [".speech-prev", ".speech-next", ".speech-stop"] {
        assert_eq!(count(&intro, &format!("button[type=button]{control}[aria-label]")), 1, "{control}");
    }
    assert_eq!(attrs(&intro, "select.speech-rate option", "value"), ["0.75", "1", "1.25", "1.5", "1.75", "2"]);
    // speech.js runs once the page has painted; speech.css goes into the page.
    assert!(attrs(&intro, "script[data-scripts]", "data-scripts")[0].contains("/assets/speech.js?v="));
    assert_eq!(count(&intro, "style[data-href^='/assets/speech.css?v=']"), 1);
    // Text outside the block stays outside it.
    assert_eq!(sentences(&intro), INTRO_SENTENCES);

    // The audio element: never preloaded, with the cues as a track.
    let src = attrs(&intro, "audio.speech-audio[preload=none][controls]", "src");
    let vtt = attrs(&intro, "audio.speech-audio > track[kind=metadata]", "src");
    assert_eq!((src.len(), vtt.len()), (1, 1));
    assert!(src[0].starts_with("/audio/") && src[0].ends_with(".mp3"), "{src:?}");
    assert_eq!(vtt[0], src[0].replace(".mp3", ".vtt"));
    // A seek bar over the recording's whole seconds, its times, and a link to download the MP3.
    let seconds = 9.0 * FAKE_SECONDS + 8.0 * lectern::speech::SENTENCE_GAP;
    assert_eq!(
        attrs(&intro, "input[type=range].speech-seek[aria-label=Position]", "max"),
        [format!("{}", seconds.ceil())]
    );
    assert_eq!(texts(&intro, ".speech-elapsed"), ["0:00"]);
    assert_eq!(texts(&intro, ".speech-total"), [format!("0:{:02}", seconds.round() as u64)]);
    assert_eq!(attrs(&intro, "a.speech-download[download]", "href"), src);
    let mp3 = std::fs::read(built_file(site.path(), &src[0])).expect("the MP3 was written");
    assert_eq!(&mp3[..2], &[0xff, 0xf3], "an MPEG-2 layer III frame");
    let kbps = mp3.len() as f64 * 8.0 / seconds / 1000.0;
    assert!((37.0..43.0).contains(&kbps), "{kbps} kb/s");

    // One cue per sentence, in the same order, ending where the audio ends.
    let vtt_text = std::fs::read_to_string(built_file(site.path(), &vtt[0])).expect("the VTT was written");
    assert!(vtt_text.starts_with("WEBVTT\n"));
    let cue_texts: Vec<&str> =
        vtt_text.split("\n\n").skip(1).map(|cue| cue.lines().nth(2).unwrap_or_default()).collect();
    assert_eq!(cue_texts, INTRO_SENTENCES);
    assert!(vtt_text.contains("\n9\n00:00:10.400 --> 00:00:11.400\n"), "{vtt_text}");
    let data = &player_data(&intro)[0];
    assert_eq!(data["cues"][1], serde_json::json!([1.3, 2.3]));

    // A page without a block gets no player and no speech assets.
    let plain = page(site.path(), "plain/index.html");
    assert_eq!(count(&plain, ".speech-player"), 0);
    assert!(!attrs(&plain, "script[data-scripts]", "data-scripts")[0].contains("speech.js"));
    assert_eq!(count(&plain, "script[src*='speech.js'], style[data-href*='speech.css'], link[href*='speech.css']"), 0);

    let mut asked = calls(site.path());
    asked.sort();
    let mut want: Vec<String> = INTRO_SENTENCES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(asked, want, "each sentence synthesised once");
    assert!(summary(&output).starts_with("speech: 1 blocks, 9 sentences, 0 cached, 9 synthesised in "));
}

#[test]
fn the_cache_makes_rebuilds_free_and_edits_cheap() {
    let site = site_with_fake_engine("speech");
    build(site.path());
    let first_url = attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src");
    assert_eq!(calls(site.path()).len(), 9);

    let output = build_full(site.path());
    assert_eq!(calls(site.path()).len(), 9, "an unchanged rebuild synthesises nothing");
    assert!(summary(&output).starts_with("speech: 1 blocks, 9 sentences, 9 cached, 0 synthesised in "));
    assert_eq!(attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src"), first_url);
    // That rebuild took the block from the site's record of what it found intact.
    let records = walk_files(&site.path().join(".lectern-cache/speech/verified"));
    assert_eq!(records.len(), 1, "{records:?}");

    edit(site.path(), "docs/intro.md", "Watch it fail.", "Watch it fail first.");
    let output = build(site.path());
    assert_eq!(calls(site.path())[9..], ["Watch it fail first."], "only the edited sentence");
    assert!(summary(&output).contains("8 cached, 1 synthesised"), "{}", summary(&output));
    let new_url = attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src");
    assert_ne!(new_url, first_url, "changed audio gets a new URL");
    assert!(built_file(site.path(), &new_url[0]).is_file());
    assert!(!built_file(site.path(), &first_url[0]).exists(), "the old audio is not published any more");

    // Back as it was: the first audio again, from the cache.
    edit(site.path(), "docs/intro.md", "Watch it fail first.", "Watch it fail.");
    build(site.path());
    assert_eq!(calls(site.path()).len(), 10, "nothing synthesised");
    assert_eq!(attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src"), first_url);
}

#[test]
fn corrupt_cache_entries_are_redone() {
    let site = site_with_fake_engine("speech");
    build(site.path());
    let cache = site.path().join(".lectern-cache/speech");
    // Damage every block entry (truncated MP3) and one sentence entry (a flipped byte).
    for entry in std::fs::read_dir(cache.join("blocks")).expect("block entries exist") {
        let path = entry.expect("a block entry").path();
        if path.extension().is_some_and(|e| e == "mp3") {
            let bytes = std::fs::read(&path).expect("reading");
            std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncating");
        }
    }
    let sentence = walk_files(&cache.join("sentences")).into_iter().next().expect("a sentence entry");
    let mut bytes = std::fs::read(&sentence).expect("reading");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(&sentence, bytes).expect("corrupting");

    let output = build(site.path());
    assert_eq!(calls(site.path()).len(), 10, "exactly the corrupt sentence is synthesised again");
    assert!(summary(&output).contains("8 cached, 1 synthesised"), "{}", summary(&output));
    let src = attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src");
    let mp3 = std::fs::read(built_file(site.path(), &src[0])).expect("the MP3 was written");
    let seconds = 9.0 * FAKE_SECONDS + 8.0 * lectern::speech::SENTENCE_GAP;
    assert!(mp3.len() as f64 > seconds * 3_500.0, "the whole block was encoded again");
}

/// An incremental build after an edit to one page's speech block runs the speech stage for that
/// page alone: its block only, its new sentence synthesised, the other page's audio kept, the
/// old audio of the edited block gone; the output equals a fresh build's.
#[test]
fn an_incremental_build_speaks_the_edited_page_only() {
    let site = site_with_fake_engine("speech");
    std::fs::write(
        site.path().join("docs/second.md"),
        "---\ntitle: Second\n---\n\n<TextToSpeech>\n\nA second page speaks. It has its own block.\n\n</TextToSpeech>\n",
    )
    .unwrap();
    let first = build(site.path());
    assert!(summary(&first).starts_with("speech: 2 blocks, 11 sentences"), "{}", summary(&first));
    let second_url = attrs(&page(site.path(), "second/index.html"), "audio.speech-audio", "src");
    let intro_url = attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src");
    let calls_before = calls(site.path()).len();

    edit(site.path(), "docs/intro.md", "Watch it fail.", "Watch it fail twice.");
    let output = build(site.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("(incremental: 1 page made again"), "{stderr}");
    assert!(
        summary(&output).starts_with("speech: 1 blocks, 9 sentences, 8 cached, 1 synthesised"),
        "{}",
        summary(&output)
    );
    assert_eq!(calls(site.path())[calls_before..], ["Watch it fail twice."]);
    assert_eq!(attrs(&page(site.path(), "second/index.html"), "audio.speech-audio", "src"), second_url);
    assert!(built_file(site.path(), &second_url[0]).is_file(), "the other page's audio stays");
    let new_url = attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src");
    assert_ne!(new_url, intro_url);
    assert!(built_file(site.path(), &new_url[0]).is_file());
    assert!(!built_file(site.path(), &intro_url[0]).exists(), "the old audio is not published any more");

    let fresh = tempfile::tempdir().unwrap();
    let fresh_out = fresh.path().join("out");
    support::lectern_ok([
        "build".as_ref(),
        site.path().as_os_str(),
        "--out".as_ref(),
        fresh_out.as_os_str(),
        "--full".as_ref(),
    ]);
    assert_eq!(support::tree(&site.path().join("build")), support::tree(&fresh_out), "the same as a fresh build");
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walk_files(&path)) } else { out.push(path) }
    }
    out.sort();
    out
}

#[test]
fn without_an_engine_auto_falls_back_to_browser_voices_and_always_fails() {
    let site = site_with_fake_engine("speech");
    edit(site.path(), "lectern.yml", "command: sh ./fake-tts.sh", "command: ./no-such-engine --speak");
    let output = build(site.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("speech players use the browser's voices").count(), 1, "warned once:\n{stderr}");
    assert!(summary(&output).starts_with("speech: 1 blocks, 9 sentences, browser voices, no audio"));
    let intro = page(site.path(), "intro/index.html");
    assert_eq!(count(&intro, ".speech-player[data-speech-mode=voices][hidden]"), 1);
    assert_eq!(count(&intro, "audio"), 0);
    // Browser voices: the seek bar runs over the sentences; no times and nothing to download.
    assert_eq!(attrs(&intro, ".speech-seek", "max"), ["8"]);
    assert_eq!(count(&intro, ".speech-time, .speech-download"), 0);
    assert_eq!(sentences(&intro), INTRO_SENTENCES);
    assert!(player_data(&intro)[0].get("cues").is_none());
    assert!(!site.path().join("build/audio").exists());

    edit(site.path(), "lectern.yml", "speech:\n", "speech:\n  prerender: always\n");
    let output = support::lectern(["build".as_ref(), site.path().as_os_str()]);
    assert_eq!(output.status.code(), Some(2), "a missing engine is an environment error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("speech.prerender is `always`, but the speech command `./no-such-engine` was not found"),
        "{stderr}"
    );
}

#[test]
fn never_prerenders_nothing_and_warns_about_nothing() {
    let site = site_with_fake_engine("speech");
    edit(site.path(), "lectern.yml", "speech:\n", "speech:\n  prerender: never\n");
    let output = build(site.path());
    assert!(calls(site.path()).is_empty());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"), "{output:?}");
    assert_eq!(count(&page(site.path(), "intro/index.html"), ".speech-player[data-speech-mode=voices]"), 1);
}

#[test]
fn whole_page_gives_every_page_a_player() {
    let site = site_with_fake_engine("speech");
    edit(site.path(), "lectern.yml", "speech:\n", "speech:\n  whole_page: true\n");
    build(site.path());
    let plain = page(site.path(), "plain/index.html");
    assert_eq!(count(&plain, "article .speech-player[aria-label='Listen to this page']"), 1);
    assert_eq!(
        sentences(&plain),
        ["Plain page.", "This page has no speech block.", "It is read only with whole page."]
    );
    let intro = page(site.path(), "intro/index.html");
    assert_eq!(count(&intro, ".speech-player"), 1, "one player per page, not one per block too");
    let all = sentences(&intro);
    assert_eq!(all[..2], ["Unit testing.", "Text before the block is not in the player."]);
    assert_eq!(all.last().map(String::as_str), Some("Text after the block."));
}

#[test]
fn speak_out_writes_audio_with_the_build_engine() {
    let site = site_with_fake_engine("speech");
    let wav = site.path().join("intro.wav");
    let page = site.path().join("docs/intro.md");
    let output = support::lectern_ok(["speak".as_ref(), page.as_os_str(), "--out".as_ref(), wav.as_os_str()]);
    let pcm = lectern::speech::parse_wav(&std::fs::read(&wav).expect("the WAV was written")).expect("valid WAV");
    // Title, the text before, the block's nine sentences, the text after.
    let n = 12.0;
    let want = n * FAKE_SECONDS + (n - 1.0) * lectern::speech::SENTENCE_GAP;
    assert!((pcm.seconds() - want).abs() < 0.01, "{} s, want {want}", pcm.seconds());
    assert_eq!(calls(site.path()).len(), 12);
    assert!(String::from_utf8_lossy(&output.stderr).contains("12 sentences"));

    let mp3 = site.path().join("intro.mp3");
    support::lectern_ok([
        "speak".as_ref(),
        page.as_os_str(),
        "--out".as_ref(),
        mp3.as_os_str(),
        "--rate".as_ref(),
        "200".as_ref(),
    ]);
    assert_eq!(&std::fs::read(&mp3).expect("the MP3 was written")[..2], &[0xff, 0xf3]);

    let bad = support::lectern(["speak".as_ref(), page.as_os_str(), "--out".as_ref(), "x.ogg".as_ref()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("must end in .mp3 or .wav"));
}

#[test]
fn cache_only_synthesises_nothing_and_leaves_the_rest_to_browser_voices() {
    let site = site_with_fake_engine("speech");
    let load = || {
        let mut config = lectern::config::load(site.path(), &Default::default()).expect("the config loads");
        config.speech.cache_only = true;
        lectern::build::load_site(config, lectern::build::Mode::Memory).unwrap_or_else(|e| panic!("{e}"))
    };
    let intro = |s: &lectern::site::Site| {
        let i = s.content.docs.iter().position(|d| d.source == "intro.md").expect("intro.md");
        s.speech.page_html(i, s.pages[i].body.html().unwrap_or_default()).into_owned()
    };
    let cold = load();
    assert!(calls(site.path()).is_empty());
    assert!(intro(&cold).contains("data-speech-mode=\"voices\""));
    assert!(cold.speech.summary.as_deref().unwrap_or("").contains("0 cached, 9 left to browser voices"));

    build(site.path());
    let warm = load();
    assert_eq!(calls(site.path()).len(), 9, "only the real build synthesised");
    assert!(intro(&warm).contains("data-speech-mode=\"audio\""));
    assert!(warm.speech.files.keys().any(|k| k.ends_with(".mp3")));
}

/// A crashing or hanging engine: `auto` warns and leaves the players to browser voices; `always`
/// fails the build with the engine's error, and the previous output stays.
#[test]
fn a_crashing_or_hanging_engine_falls_back_under_auto_and_fails_under_always() {
    for (script, expect) in [
        ("echo 'voice data missing' >&2; exit 3", "voice data missing"),
        ("sleep 30; cat tone.wav", "took longer than 1 s and was stopped"),
    ] {
        let site = site_with_fake_engine("speech");
        std::fs::write(site.path().join("fake-tts.sh"), format!("cat > /dev/null\n{script}\n")).unwrap();
        edit(site.path(), "lectern.yml", "speech:\n", "speech:\n  timeout: 1\n");
        let output = build(site.path());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.matches("the speech engine failed").count(), 1, "warned once:\n{stderr}");
        assert!(stderr.contains(expect), "{stderr}");
        // The summary does not call sentences without audio cached.
        let summary = stderr.lines().find(|l| l.starts_with("speech: ")).expect("a speech summary");
        assert!(summary.contains("the engine failed: browser voices, no audio"), "{summary}");
        assert!(!summary.contains("cached"), "{summary}");
        let intro = page(site.path(), "intro/index.html");
        assert_eq!(count(&intro, "audio"), 0);
        assert_eq!(sentences(&intro), INTRO_SENTENCES, "the text is still there to be read by the browser");

        edit(site.path(), "lectern.yml", "speech:\n", "speech:\n  prerender: always\n");
        let before = std::fs::read(site.path().join("build/intro/index.html")).unwrap();
        let failed = support::lectern(["build".as_ref(), site.path().as_os_str()]);
        assert_eq!(failed.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(stderr.contains("speech.prerender is `always` and the speech engine failed"), "{stderr}");
        assert!(stderr.contains(expect), "{stderr}");
        assert_eq!(std::fs::read(site.path().join("build/intro/index.html")).unwrap(), before);
    }
}

/// A block's MP3 is content-addressed and never changes once made: the build links the cache's
/// file into the output instead of copying megabytes of audio into every fresh output folder.
#[cfg(unix)]
#[test]
fn audio_is_linked_from_the_cache_not_copied() {
    use std::os::unix::fs::MetadataExt;
    let site = site_with_fake_engine("speech");
    build(site.path());
    let intro = page(site.path(), "intro/index.html");
    let src = attrs(&intro, "audio.speech-audio", "src");
    let published = built_file(site.path(), &src[0]);
    let cached: Vec<_> = walk_files(&site.path().join(".lectern-cache/speech"))
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "mp3"))
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    let inode = |p: &std::path::Path| std::fs::metadata(p).unwrap().ino();
    assert_eq!(inode(&published), inode(&cached[0]), "the same file");
    let bytes = std::fs::read(&published).unwrap();
    // So is the VTT file: a warm build makes no new file for a block.
    let vtt = built_file(site.path(), &src[0].replace(".mp3", ".vtt"));
    assert_eq!(inode(&vtt), inode(&cached[0].with_extension("vtt")), "the VTT is linked too");
    let cues = std::fs::read_to_string(&vtt).unwrap();
    assert!(cues.starts_with("WEBVTT\n") && cues.contains(" --> "), "{cues}");

    // The output stands on its own: without the cache it still holds the audio.
    std::fs::remove_dir_all(site.path().join(".lectern-cache")).unwrap();
    assert_eq!(std::fs::read(&published).unwrap(), bytes);
    assert_eq!(std::fs::read_to_string(&vtt).unwrap(), cues);
}

/// A block's VTT file damaged or lost in the cache is made again from its cue times, without
/// synthesising or encoding anything, and the output gets the whole file.
#[test]
fn a_damaged_or_lost_vtt_in_the_cache_is_made_again() {
    let site = site_with_fake_engine("speech");
    build(site.path());
    let src = attrs(&page(site.path(), "intro/index.html"), "audio.speech-audio", "src");
    let vtt_path = src[0].replace(".mp3", ".vtt");
    let good = std::fs::read_to_string(built_file(site.path(), &vtt_path)).unwrap();
    let cached: Vec<_> = walk_files(&site.path().join(".lectern-cache/speech/blocks"))
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "vtt"))
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    let mp3 = cached[0].with_extension("mp3");
    let mp3_bytes = std::fs::read(&mp3).unwrap();

    // Damaged in place (the output's copy is the same file, so it is damaged too).
    std::fs::write(&cached[0], &good[..good.len() / 2]).unwrap();
    let output = build(site.path());
    assert!(summary(&output).contains("0 synthesised"), "{}", summary(&output));
    assert_eq!(std::fs::read_to_string(built_file(site.path(), &vtt_path)).unwrap(), good);
    assert_eq!(std::fs::read_to_string(&cached[0]).unwrap(), good, "and the cache holds it whole again");
    assert_eq!(std::fs::read(&mp3).unwrap(), mp3_bytes, "the audio is not encoded again");

    // Lost. The output still holds its own link to the file, so nothing the output is made of
    // changed and a plain build does nothing; a full one makes the cache's file again.
    std::fs::remove_file(&cached[0]).unwrap();
    build_full(site.path());
    assert_eq!(std::fs::read_to_string(built_file(site.path(), &vtt_path)).unwrap(), good);
    assert_eq!(std::fs::read_to_string(&cached[0]).unwrap(), good);
    assert_eq!(calls(site.path()).len(), 9, "nothing was synthesised after the first build");
}

/// A cache folder that cannot be written (here one inside /proc) moves to the user's cache
/// folder with a warning, and the audio is still made and published.
#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_cache_folder_falls_back_to_the_users_cache() {
    let site = site_with_fake_engine("speech");
    edit(site.path(), "lectern.yml", "cache_dir: .lectern-cache/speech", "cache_dir: /proc/lectern-speech");
    let home_cache = tempfile::tempdir().unwrap();
    let out = site.path().join("build");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()])
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", home_cache.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("the speech cache folder cannot be written"), "{stderr}");
    let fallback = home_cache.path().join("lectern/speech");
    assert!(walk_files(&fallback).iter().any(|f| f.extension().is_some_and(|e| e == "mp3")), "{fallback:?}");
    let intro = page(site.path(), "intro/index.html");
    let src = attrs(&intro, "audio.speech-audio", "src");
    assert!(built_file(site.path(), &src[0]).is_file());
}

/// An engine past `speech.timeout` is stopped with everything it started: the fake engine leaves
/// a `sleep` running in the background, and after the build no such process remains.
#[cfg(target_os = "linux")]
#[test]
fn a_timed_out_engine_leaves_no_process_behind() {
    let marker = sleep_marker();
    let site = site_with_fake_engine("speech");
    std::fs::write(site.path().join("fake-tts.sh"), format!("cat > /dev/null\nsleep {marker} &\nwait\n")).unwrap();
    edit(site.path(), "lectern.yml", "speech:\n", "speech:\n  timeout: 1\n");
    let output = build(site.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("took longer than 1 s and was stopped"), "{stderr}");
    let left = processes_with_args(&["sleep", &marker]);
    for pid in &left {
        // Clean up what a failing run leaves, then report it.
        unsafe { libc::kill(*pid, libc::SIGKILL) };
    }
    assert!(left.is_empty(), "engine processes outlived the timeout: {left:?}");
}

/// An engine that answers but leaves a process running in the background: the process is stopped
/// when the engine exits, as it would otherwise outlive the build (and, holding the engine's
/// output open, could keep the build waiting).
#[cfg(target_os = "linux")]
#[test]
fn a_finished_engine_leaves_no_process_behind() {
    let marker = sleep_marker();
    let site = site_with_fake_engine("speech");
    let script = format!("cat > /dev/null\nsleep {marker} > /dev/null 2>&1 &\ncat tone.wav\n");
    std::fs::write(site.path().join("fake-tts.sh"), script).unwrap();
    let output = build(site.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("the speech engine failed"), "{stderr}");
    assert!(count(&page(site.path(), "intro/index.html"), "audio") > 0, "{stderr}");
    let left = processes_with_args(&["sleep", &marker]);
    for pid in &left {
        unsafe { libc::kill(*pid, libc::SIGKILL) };
    }
    assert!(left.is_empty(), "engine processes outlived the engine: {left:?}");
}

/// A `sleep` duration no other process uses: it marks a test's own `sleep`.
#[cfg(target_os = "linux")]
fn sleep_marker() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{}", 900_000_000 + nanos % 10_000_000)
}

/// Processes whose command line is exactly `args`, from /proc.
#[cfg(target_os = "linux")]
fn processes_with_args(args: &[&str]) -> Vec<i32> {
    let wanted: Vec<u8> = args.iter().flat_map(|a| a.bytes().chain([0])).collect();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c == wanted))
        .collect()
}
