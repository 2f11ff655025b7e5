//! Speech engines, always run as subprocesses: Piper's neural voices ([`super::piper`]),
//! `espeak-ng` (GPL, so never linked) or any command that reads text on stdin and writes WAV on
//! stdout (a cloud provider's CLI…). `auto` is Piper when a voice is installed, else espeak-ng.
//!
//! In: [`SpeechConfig`] and one sentence at a time. Out: the sentence's audio as [`Pcm`]. One
//! call per sentence gives exact sentence timings; a hanging engine is killed after
//! `speech.timeout` seconds. Each engine runs in a process group of its own, and the whole group
//! is killed, so a shell's children (`sh -c 'piper …'`) never outlive it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::piper::Piper;
use super::settings::{EngineKind, SpeechConfig};
use super::wav::{Pcm, parse_wav};

/// A speech engine found on this machine.
#[derive(Debug, Clone)]
pub struct Engine {
    kind: EngineKind,
    /// espeak-ng's path, or the shell command.
    program: String,
    /// Where commands run (the site root).
    dir: PathBuf,
    /// Reported version (espeak-ng) or the command itself: part of every cache key.
    version: String,
    voice: Option<String>,
    rate: u32,
    /// How long one call may take (`speech.timeout`).
    timeout: Duration,
    /// Piper's workers, shared by every clone; they stop when the last clone is dropped.
    piper: Option<std::sync::Arc<Piper>>,
}

impl Engine {
    /// The configured engine, or why it cannot be used (not installed, no command set).
    pub fn detect(config: &SpeechConfig, root: &Path) -> Result<Engine, String> {
        let base = |program: String, version: String| Engine {
            kind: config.engine,
            program,
            dir: root.to_path_buf(),
            version,
            voice: config.voice.clone(),
            rate: config.rate,
            timeout: Duration::from_secs(config.timeout),
            piper: None,
        };
        let piper = |piper: Piper| Engine {
            kind: EngineKind::Piper,
            voice: Some(piper.voice_name()),
            piper: Some(std::sync::Arc::new(piper)),
            ..base(config.python.clone(), String::new())
        };
        match config.engine {
            EngineKind::Piper => Piper::detect(config, root).map(piper),
            EngineKind::Auto => match Piper::detect(config, root) {
                Ok(found) => Ok(piper(found)),
                Err(_) => Engine::detect(&SpeechConfig { engine: EngineKind::EspeakNg, ..config.clone() }, root)
                    .map_err(|why| format!("{why}, and Piper is not installed with a voice")),
            },
            EngineKind::EspeakNg => {
                let path = find_on_path("espeak-ng").ok_or("espeak-ng is not installed (not found on PATH)")?;
                let program = path.to_string_lossy().into_owned();
                let version = espeak_version(&path, root, &config.cache_dir)?;
                Ok(base(program, version))
            }
            EngineKind::Command => {
                let command = config.command.clone().ok_or("`speech.engine: command` needs `speech.command`")?;
                let first = command.split_whitespace().next().unwrap_or_default();
                let found =
                    if first.contains('/') { root.join(first).is_file() } else { find_on_path(first).is_some() };
                if !found {
                    return Err(format!("the speech command `{first}` was not found"));
                }
                Ok(base(command.clone(), format!("command: {command}")))
            }
        }
    }

    /// Identifies everything that changes the audio apart from the text: engine, version,
    /// voice and rate.
    pub fn identity(&self) -> String {
        let version = self.piper.as_ref().map_or(self.version.as_str(), |p| p.version());
        format!("{}\0{}\0{}\0{}", self.kind.name(), version, self.voice.as_deref().unwrap_or("default"), self.rate)
    }

    /// The engine chosen (never `auto`).
    pub fn kind(&self) -> EngineKind {
        self.kind
    }

    /// How many Piper worker processes this engine started so far (each loads the model once).
    pub fn workers_started(&self) -> usize {
        self.piper.as_ref().map_or(0, |p| p.workers_started())
    }

    /// A short description for messages, e.g. `espeak-ng 1.51`.
    pub fn describe(&self) -> String {
        match (&self.piper, self.kind) {
            (Some(piper), _) => piper.describe(),
            (None, EngineKind::Command) => format!("`{}`", self.program),
            (None, _) => self.version.replace("eSpeak NG text-to-speech: ", "espeak-ng "),
        }
    }

    /// Synthesises one sentence.
    pub fn synthesise(&self, text: &str) -> anyhow::Result<Pcm> {
        if let Some(piper) = &self.piper {
            return piper.synthesise(text, self.rate);
        }
        let wav = match self.kind {
            EngineKind::Auto | EngineKind::Piper | EngineKind::EspeakNg => {
                let rate = self.rate.to_string();
                // -z: no pause after the text; the player's gap between sentences is added later.
                let mut args = vec!["--stdout", "--stdin", "-z", "-s", &rate];
                if let Some(v) = &self.voice {
                    args.extend(["-v", v]);
                }
                run(&self.program, &args, &self.dir, text.as_bytes(), self.timeout)?
            }
            EngineKind::Command => self.run_command(text)?,
        };
        parse_wav(&wav).with_context(|| format!("{} wrote no usable WAV", self.describe()))
    }

    fn run_command(&self, text: &str) -> anyhow::Result<Vec<u8>> {
        let (shell, flag) = if cfg!(windows) { ("cmd", "/C") } else { ("sh", "-c") };
        let mut cmd = Command::new(shell);
        cmd.args([flag, &self.program])
            .env("LECTERN_SPEECH_RATE", self.rate.to_string())
            .env("LECTERN_SPEECH_VOICE", self.voice.as_deref().unwrap_or(""));
        run_command(cmd, &self.dir, text.as_bytes(), self.timeout)
            .with_context(|| format!("running {}", self.describe()))
    }
}

/// espeak-ng's version line. Starting it costs a warm build more than the rest of the speech
/// stage, so the answer is remembered in the cache folder, keyed by the binary's path, size and
/// modification time (an upgrade changes them).
fn espeak_version(path: &Path, root: &Path, cache_dir: &Path) -> Result<String, String> {
    let stamp = std::fs::metadata(path).ok().and_then(|m| {
        let modified = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(format!("{}\n{}\n{}\n", path.display(), m.len(), modified.as_nanos()))
    });
    let memo = cache_dir.join("espeak-ng-version");
    if let (Some(stamp), Ok(text)) = (&stamp, std::fs::read_to_string(&memo))
        && let Some(version) = text.strip_prefix(stamp.as_str())
    {
        return Ok(version.trim_end().to_string());
    }
    let program = path.to_string_lossy();
    let out = run(&program, &["--version"], root, b"", Duration::from_secs(10))
        .map_err(|e| format!("espeak-ng does not run: {e:#}"))?;
    let line = String::from_utf8_lossy(&out).lines().next().unwrap_or("").trim().to_string();
    // "eSpeak NG text-to-speech: 1.51  Data at: /usr/…": the data path is not the version.
    let version = line.split("  Data at").next().unwrap_or(&line).to_string();
    if let Some(stamp) = stamp {
        // Only a speed-up: a cache folder that cannot be written is no reason to fail.
        let _ = std::fs::create_dir_all(cache_dir).and_then(|_| std::fs::write(&memo, format!("{stamp}{version}\n")));
    }
    Ok(version)
}

/// Runs `program args` in `dir` with `input` on stdin; its stdout, or an error with its stderr.
fn run(program: &str, args: &[&str], dir: &Path, input: &[u8], timeout: Duration) -> anyhow::Result<Vec<u8>> {
    let mut cmd = Command::new(program);
    cmd.args(args);
    run_command(cmd, dir, input, timeout).with_context(|| format!("running {program}"))
}

fn run_command(mut cmd: Command, dir: &Path, input: &[u8], timeout: Duration) -> anyhow::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own group: a timeout can then stop the engine and everything it started.
        cmd.process_group(0);
    }
    let mut child = cmd
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting it")?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // A program that exits without reading all of its input is not an error here.
        let _ = stdin.write_all(&input);
    });
    let stdout = reader(child.stdout.take().context("no stdout")?);
    let stderr = reader(child.stderr.take().context("no stderr")?);
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for it")? {
            // What it left running in its group (`… &`) would outlive the build, and hold the
            // pipes open so the reads below never end.
            kill_group(&child);
            break status;
        }
        if Instant::now() > deadline {
            // The group first, while the leader is unreaped and its id cannot be reused.
            kill_group(&child);
            let _ = child.kill();
            let _ = child.wait();
            bail!("it took longer than {} s and was stopped", timeout.as_secs());
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let _ = writer.join();
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    if !status.success() {
        bail!("it failed ({status}): {}", String::from_utf8_lossy(&err).trim());
    }
    Ok(out)
}

/// Kills every process of the group `child` leads (see [`run_command`]).
fn kill_group(child: &std::process::Child) {
    #[cfg(unix)]
    if let Ok(group) = libc::pid_t::try_from(child.id()) {
        // SAFETY: killpg only sends a signal. The group id is the child's and stays reserved
        // while the child is unreaped or any process of its group lives; otherwise there is
        // nothing to kill.
        unsafe {
            libc::killpg(group, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = child;
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// The first executable called `name` in a PATH folder.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file() || path.with_extension("exe").is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(60);

    #[test]
    fn a_hanging_engine_is_stopped() {
        if cfg!(windows) {
            return;
        }
        let err = run("sh", &["-c", "sleep 5"], Path::new("."), b"", Duration::from_millis(200)).unwrap_err();
        assert!(format!("{err:#}").contains("longer than"), "{err:#}");
        let err = run("sh", &["-c", "echo boom >&2; exit 3"], Path::new("."), b"", TIMEOUT).unwrap_err();
        assert!(format!("{err:#}").contains("boom"), "{err:#}");
        let out = run("sh", &["-c", "cat"], Path::new("."), b"text", TIMEOUT).expect("cat runs");
        assert_eq!(out, b"text");
    }
}
