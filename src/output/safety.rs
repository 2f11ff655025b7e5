//! Output safety: which folder a build may replace, and one build at a time into it.
//!
//! In: the site's config and the `--out` path as given. Out: an [`OutDir`] naming the real
//! folder (symbolic links resolved) and holding a lock on it, or an error that says what would
//! have been lost. Every comparison is made between resolved paths, so a link can never make the
//! site's sources look like somewhere else.

use std::fs;
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::config::Config;

/// The file each build leaves at the top of its output: a folder holding it was written by
/// lectern and may be replaced by the next build.
pub const MARKER: &str = ".lectern-build";

/// What the marker file says, the same in every build so that builds stay byte-identical.
pub const MARKER_TEXT: &str = "This folder was written by `lectern build`; the next build replaces it whole.\n";

/// How long a build waits for another build into the same folder, unless
/// `LECTERN_LOCK_TIMEOUT` (seconds) says otherwise.
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(600);

/// An output folder claimed for one build: where to write, locked against other lectern builds
/// into it until this value is dropped.
pub struct OutDir {
    /// The real folder: `--out` with every symbolic link resolved. A link given as `--out` stays
    /// a link; the build goes into the folder it points to.
    pub path: PathBuf,
    /// What `--force` is about to replace, when the folder was not written by lectern.
    pub replaced: Option<String>,
    _lock: OutLock,
}

/// Checks `out` against the site's sources, takes its lock (waiting for another build into it)
/// and checks that it is empty or written by lectern (or `force`).
pub fn claim_out_dir(config: &Config, out: &Path, force: bool) -> anyhow::Result<OutDir> {
    check_out_dir(config, out)?;
    let path = resolve(out)?;
    let lock = lock_out_dir(&path, out)?;
    // A build killed while changing the folder in place: put it back first.
    super::patch::recover(&path);
    let replaced = check_replaceable(config, out, &path, force)?;
    Ok(OutDir { path, replaced, _lock: lock })
}

/// Refuses output folders that are, contain or lie inside the site's sources: the root (being
/// inside it is fine, as `ROOT/build` is), the docs, theme, static, `.git` and cache folders.
pub fn check_out_dir(config: &Config, out: &Path) -> anyhow::Result<()> {
    let real = resolve(out)?;
    let root = resolve(&config.root)?;
    let shown = if std::path::absolute(out).is_ok_and(|a| normalise(&a) == real) {
        out.display().to_string()
    } else {
        format!("{} (which is {})", out.display(), real.display())
    };
    let refuse = |relation: &str, what: &str, path: &Path| -> anyhow::Result<()> {
        bail!(
            "refusing to write the build to {shown}: it {relation} {what} {}; a build replaces its output folder \
             whole, so the site's sources would be lost\nhelp: choose another --out, such as {}",
            path.display(),
            root.join("build").display()
        )
    };
    if real == root {
        return refuse("is", "the site's root", &root);
    }
    if root.starts_with(&real) {
        return refuse("contains", "the site's root", &root);
    }
    let mut sources = vec![
        ("the docs folder", resolve(&config.docs_path())?),
        ("the theme folder", resolve(&config.root.join("theme"))?),
        ("the git folder", resolve(&config.root.join(".git"))?),
        ("the cache folder", resolve(&config.root.join(".lectern-cache"))?),
    ];
    for dir in &config.static_dirs {
        sources.push(("the static folder", resolve(&config.root.join(dir))?));
    }
    for (what, source) in &sources {
        if real == *source {
            return refuse("is", what, source);
        }
        if source.starts_with(&real) {
            return refuse("contains", what, source);
        }
        if real.starts_with(source) {
            return refuse("is inside", what, source);
        }
    }
    Ok(())
}

/// `p` as an absolute path with every symbolic link resolved: the longest prefix that exists is
/// canonicalised and the rest, which does not exist yet, appended with `.` and `..` applied.
/// A link to nothing on the way is an error: where the build would go is unknown.
pub fn resolve(p: &Path) -> anyhow::Result<PathBuf> {
    let abs = std::path::absolute(p).with_context(|| format!("finding the absolute path of {}", p.display()))?;
    let parts: Vec<Component> = abs.components().collect();
    for existing in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..existing].iter().collect();
        match fs::canonicalize(&prefix) {
            Ok(mut real) => {
                for c in &parts[existing..] {
                    match c {
                        Component::ParentDir => {
                            real.pop();
                        }
                        Component::CurDir => {}
                        c => real.push(c),
                    }
                }
                return Ok(real);
            }
            Err(_) if fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink()) => {
                let target = fs::read_link(&prefix).unwrap_or_default();
                bail!(
                    "{} is a symbolic link to {}, which does not exist; lectern does not build through it\nhelp: \
                     create the folder it points to, or give --out the real folder",
                    prefix.display(),
                    target.display()
                );
            }
            Err(_) => {}
        }
    }
    Ok(normalise(&abs))
}

/// Resolves `.` and `..` without touching the disk.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The lock of one output folder: `flock` on `.<name>.lectern-lock` beside it, which holds the
/// pid of the build that has it. Dropped, it removes the file while still holding the lock; a
/// build that was waiting on that file then finds it gone and locks a new one (see
/// [`lock_out_dir`]), so two builds never hold "the" lock at once.
struct OutLock {
    file: fs::File,
    path: PathBuf,
}

impl Drop for OutLock {
    fn drop(&mut self) {
        if same_file(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` still names the open `file` (not removed, not replaced by another file).
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Without inode numbers the file is never removed, so it always names the lock.
#[cfg(not(unix))]
fn same_file(_file: &fs::File, _path: &Path) -> bool {
    false
}

/// Takes the lock of the output folder `real`. A second build waits, saying so, and gives up
/// after `LECTERN_LOCK_TIMEOUT` seconds (10 minutes by default).
fn lock_out_dir(real: &Path, shown: &Path) -> anyhow::Result<OutLock> {
    let (parent, name) = parent_and_name(real);
    fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let path = parent.join(format!(".{name}.lectern-lock"));
    let timeout = lock_timeout();
    let started = Instant::now();
    let mut said_so = false;
    loop {
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("opening the lock file {}", path.display()))?;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {
                    if !said_so {
                        let holder = lock_holder(&mut file).map(|pid| format!(" (pid {pid})")).unwrap_or_default();
                        eprintln!("waiting for another lectern build into {}{holder}…", shown.display());
                        said_so = true;
                    }
                    if started.elapsed() >= timeout {
                        let holder = lock_holder(&mut file).map(|pid| format!(" (pid {pid})")).unwrap_or_default();
                        bail!(
                            "another lectern build into {}{holder} still runs after {} s; giving up\nhelp: wait \
                             for it to finish, or set LECTERN_LOCK_TIMEOUT (seconds) to wait longer",
                            shown.display(),
                            timeout.as_secs()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                // A file system without locks (some network mounts): build unlocked, as before.
                Err(fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => break,
                Err(fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("locking {}", path.display()));
                }
            }
        }
        // The build that held it may have removed the file meanwhile: then lock the new one.
        if cfg!(unix) && !same_file(&file, &path) {
            continue;
        }
        let noted = file.set_len(0).and_then(|_| file.rewind()).and_then(|_| writeln!(file, "{}", std::process::id()));
        noted.with_context(|| format!("writing {}", path.display()))?;
        return Ok(OutLock { file, path });
    }
}

/// The pid written in a lock file by the build that holds it.
fn lock_holder(file: &mut fs::File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn lock_timeout() -> Duration {
    std::env::var("LECTERN_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_LOCK_TIMEOUT, Duration::from_secs_f64)
}

/// The folder holding `out` and `out`'s name.
pub fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "build".into());
    (parent, name)
}

/// Whether the folder `real` may be replaced: it is missing or empty, holds the [`MARKER`], or
/// is the output of an earlier lectern (before the marker) according to this site's build
/// records. Anything else is refused unless `force`, which returns what will be replaced.
fn check_replaceable(config: &Config, out: &Path, real: &Path, force: bool) -> anyhow::Result<Option<String>> {
    let meta = match fs::symlink_metadata(real) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", real.display())),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        bail!(
            "refusing to write the build to {}: it is a file, not a folder\nhelp: choose another --out",
            out.display()
        );
    }
    let mut names: Vec<String> = fs::read_dir(real)
        .with_context(|| format!("reading {}", real.display()))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", real.display()))?;
    if names.is_empty()
        || fs::symlink_metadata(real.join(MARKER)).is_ok_and(|m| m.is_file())
        || super::BuildRecord::exists(config, real)
        || super::BuildRecord::exists(config, out)
    {
        return Ok(None);
    }
    names.sort();
    let count = names.len();
    let mut listed = names.into_iter().take(5).collect::<Vec<_>>().join(", ");
    if count > 5 {
        listed.push_str(", …");
    }
    let what = format!("{count} entr{} not written by lectern: {listed}", if count == 1 { "y" } else { "ies" });
    if force {
        return Ok(Some(what));
    }
    bail!(
        "refusing to replace {}: it holds {what}\nhelp: lectern replaces only an empty folder or one it wrote (with a \
         {MARKER} file); choose another --out, or pass --force to replace this folder and everything in it",
        out.display()
    )
}

/// Whether the process `pid` is running: a staging folder named after it is still being written.
#[cfg(unix)]
pub fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Elsewhere every owner counts as alive: a leftover is kept rather than a live build removed.
#[cfg(not(unix))]
pub fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_in_the_existing_prefix_only() {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir_all(base.join("real/sub")).unwrap();
        assert_eq!(resolve(&base.join("real/sub/../new/x")).unwrap(), base.join("real/new/x"));
        assert_eq!(resolve(&base.join("missing/./a/../b")).unwrap(), base.join("missing/b"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("real"), base.join("link")).unwrap();
            assert_eq!(resolve(&base.join("link")).unwrap(), base.join("real"));
            assert_eq!(resolve(&base.join("link/sub/new")).unwrap(), base.join("real/sub/new"));
            assert_eq!(resolve(&base.join("link/..")).unwrap(), base, "`..` of a link is its target's parent");
            std::os::unix::fs::symlink(base.join("nowhere"), base.join("dangling")).unwrap();
            let err = resolve(&base.join("dangling/out")).unwrap_err().to_string();
            assert!(err.contains("does not exist"), "{err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn this_process_is_alive_and_a_reaped_child_is_not() {
        assert!(process_alive(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!process_alive(pid));
    }
}
