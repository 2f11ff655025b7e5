//! Runs one build as a child process and measures it: wall time, CPU time and the child's peak
//! resident memory (from `wait4`'s rusage, so nothing is sampled and short runs are measured
//! exactly) and its stderr, where lectern prints `built N pages` and, with `LECTERN_TIMINGS=1`, `timings:`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// One measured run of a child process.
#[derive(Debug, Clone)]
pub struct Sample {
    pub wall_ms: f64,
    /// User plus system CPU time of the child, which contention from other processes inflates
    /// far less than wall time.
    pub cpu_ms: f64,
    /// The two parts of `cpu_ms`: in the program, and in the kernel on its behalf (file system
    /// calls, mostly).
    pub user_ms: f64,
    pub sys_ms: f64,
    /// Peak resident set size of the child, in KiB (Linux reports `ru_maxrss` in KiB).
    pub max_rss_kib: u64,
    pub stderr: String,
}

/// A measured run and its exit code (`None` when a signal ended it).
#[derive(Debug, Clone)]
pub struct Finished {
    pub sample: Sample,
    pub code: Option<i32>,
}

/// Runs `command` to completion and measures it; a non-zero exit is an error showing stderr.
pub fn measure(command: &mut Command) -> Result<Sample> {
    let shown = format!("{command:?}");
    let run = measure_any(command)?;
    if run.code != Some(0) {
        let tail: Vec<&str> = run.sample.stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!("{shown} failed (exit {:?}):\n{}", run.code, tail.join("\n"));
    }
    Ok(run.sample)
}

/// Runs `command` to completion and measures it, whatever its exit code.
pub fn measure_any(command: &mut Command) -> Result<Finished> {
    let shown = format!("{command:?}");
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().with_context(|| format!("starting {shown}"))?;
    let mut pipe = child.stderr.take().context("no stderr pipe")?;
    // Drain stderr on a thread so a chatty child never blocks on a full pipe.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        pipe.read_to_string(&mut text).map(|_| text)
    });
    let (status, usage) = wait4(child.id()).with_context(|| format!("waiting for {shown}"))?;
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    let stderr = match reader.join() {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => return Err(e).with_context(|| format!("reading the stderr of {shown}")),
        Err(_) => bail!("the stderr reader of {shown} panicked"),
    };
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let (user_ms, sys_ms) = (millis(usage.ru_utime), millis(usage.ru_stime));
    let max_rss_kib = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    let sample = Sample { wall_ms, cpu_ms: user_ms + sys_ms, user_ms, sys_ms, max_rss_kib, stderr };
    Ok(Finished { sample, code })
}

fn millis(t: libc::timeval) -> f64 {
    t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0
}

/// Waits for the child `pid` and returns its wait status and resource usage.
fn wait4(pid: u32) -> std::io::Result<(i32, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid).map_err(std::io::Error::other)?;
    let mut status = 0;
    // SAFETY: rusage is plain old data, so all zeroes is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child; both pointers are valid for the call.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            return Ok((status, usage));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Removes a folder if it exists.
pub fn remove_dir(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Total size in bytes and number of the files below `dir` (symlinks not followed).
pub fn dir_size(dir: &Path) -> Result<(u64, usize)> {
    let mut total = (0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let entry = entry.with_context(|| format!("reading {}", d.display()))?;
            let kind = entry.file_type().with_context(|| format!("reading {}", entry.path().display()))?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let meta = entry.metadata().with_context(|| format!("reading {}", entry.path().display()))?;
                total.0 += meta.len();
                total.1 += 1;
            }
        }
    }
    Ok(total)
}

/// The first program called `name` on PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}
