//! Speaking through the operating system's voice for `lectern speak` without `--out`.
//!
//! With the `speak` feature (always on for macOS and Windows) this is the `tts` crate; on Linux
//! builds without it, lectern plays the text through `espeak-ng` directly (it speaks to the
//! audio device when not asked for `--stdout`), and says how to get either when neither exists.
//!
//! In: sentences, a voice name and words per minute. Out: sound, or an error saying why not.

/// Speaks `sentences` in order and returns when done.
#[cfg(any(feature = "speak", target_os = "macos", target_os = "windows"))]
pub fn speak(sentences: &[String], voice: Option<&str>, rate: u32) -> anyhow::Result<()> {
    use anyhow::anyhow;
    let mut tts = tts::Tts::default().map_err(|e| anyhow!("the system voice is not available: {e}"))?;
    if let Some(name) = voice {
        let voices = tts.voices().map_err(|e| anyhow!("listing the system voices: {e}"))?;
        let Some(found) = voices.iter().find(|v| v.name().eq_ignore_ascii_case(name) || v.id() == name) else {
            let names: Vec<String> = voices.iter().map(|v| v.name()).collect();
            anyhow::bail!("no system voice called `{name}`; the voices are: {}", names.join(", "));
        };
        tts.set_voice(found).map_err(|e| anyhow!("choosing the voice `{name}`: {e}"))?;
    }
    // Words per minute, relative to espeak-ng's default of 175, scaled onto the engine's range.
    let wanted = tts.normal_rate() * rate as f32 / super::settings::DEFAULT_RATE as f32;
    tts.set_rate(wanted.clamp(tts.min_rate(), tts.max_rate())).map_err(|e| anyhow!("setting the rate: {e}"))?;
    for sentence in sentences {
        tts.speak(sentence.as_str(), false).map_err(|e| anyhow!("speaking: {e}"))?;
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    while tts.is_speaking().map_err(|e| anyhow!("speaking: {e}"))? {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok(())
}

/// Speaks `sentences` through espeak-ng, when it is installed.
#[cfg(not(any(feature = "speak", target_os = "macos", target_os = "windows")))]
pub fn speak(sentences: &[String], voice: Option<&str>, rate: u32) -> anyhow::Result<()> {
    use std::io::Write;
    let Some(espeak) = super::engine::find_on_path("espeak-ng") else {
        anyhow::bail!(
            "this lectern was built without the `speak` feature, and espeak-ng is not installed.\n\
             To listen: install espeak-ng (`apt-get install espeak-ng`), or rebuild lectern with\n\
             `cargo install --features speak` (needs libspeechd-dev and libclang-dev, and\n\
             speech-dispatcher to run). To make a file instead: `lectern speak PAGE.md --out page.mp3`."
        );
    };
    let mut cmd = std::process::Command::new(&espeak);
    cmd.args(["--stdin", "-s", &rate.to_string()]);
    if let Some(v) = voice {
        cmd.args(["-v", v]);
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| anyhow::anyhow!("starting {}: {e}", espeak.display()))?;
    if let Some(mut stdin) = child.stdin.take() {
        // One sentence per line; espeak-ng pauses between them.
        let text = sentences.join("\n");
        stdin.write_all(text.as_bytes()).map_err(|e| anyhow::anyhow!("sending text to espeak-ng: {e}"))?;
    }
    let status = child.wait().map_err(|e| anyhow::anyhow!("waiting for espeak-ng: {e}"))?;
    anyhow::ensure!(status.success(), "espeak-ng failed ({status}): is there an audio device?");
    Ok(())
}
