//! Headless Chromium for integration tests, through the Node driver in `tests/browser/run.mjs`
//! (playwright-core + axe-core, installed from npm into `tests/browser/node_modules` on first use,
//! with the `mermaid` package the diagram tests build sites with).
//!
//! In: a JSON job (pages × modes to check with axe, screenshots, a JS test module).
//! Out: the driver's JSON result; [`assert_ok`] turns it into a readable test failure.
//! Call [`crate::support::require`]`("chromium")` first: these helpers assume node and chromium.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Default whole-job limit, in milliseconds; a job may set its own `timeoutMs`.
const DEFAULT_JOB_TIMEOUT_MS: u64 = 240_000;

/// `tests/browser`, the driver's node project.
pub fn driver_dir() -> PathBuf {
    super::manifest_dir().join("tests/browser")
}

/// Light and dark, each at a laptop (1280) and a phone (390) width.
pub fn standard_modes() -> Value {
    json!([
        { "colorScheme": "light", "width": 1280 },
        { "colorScheme": "dark", "width": 1280 },
        { "colorScheme": "light", "width": 390 },
        { "colorScheme": "dark", "width": 390 },
    ])
}

/// Installs the driver's npm packages (`npm ci`, or `npm install` without a lock) unless they are
/// already there for this package.json/lock. Safe to call from many tests and test processes.
pub fn ensure_node_modules() {
    if let Err(e) = try_ensure_node_modules() {
        panic!("{e}");
    }
}

/// As [`ensure_node_modules`], but says what went wrong instead of failing the test.
pub fn try_ensure_node_modules() -> Result<(), String> {
    static INSTALLED: Mutex<bool> = Mutex::new(false);
    let mut installed = INSTALLED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if !*installed {
        install_node_modules()?;
        *installed = true;
    }
    Ok(())
}

fn install_node_modules() -> Result<(), String> {
    let dir = driver_dir();
    // Test binaries (and nextest's processes) run at once: one installs, the others wait.
    let lock_dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(lock_dir).expect("creating CARGO_TARGET_TMPDIR");
    let lock_path = lock_dir.join("lectern-npm-install.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap_or_else(|e| panic!("opening {}: {e}", lock_path.display()));
    lock.lock().unwrap_or_else(|e| panic!("locking {}: {e}", lock_path.display()));

    let manifest = std::fs::read_to_string(dir.join("package.json"))
        .unwrap_or_else(|e| panic!("reading {}/package.json: {e}", dir.display()));
    let lockfile = std::fs::read_to_string(dir.join("package-lock.json")).ok();
    let wanted_stamp = format!("{manifest}\0{}", lockfile.as_deref().unwrap_or(""));
    let stamp_path = dir.join("node_modules/.lectern-stamp");
    let complete = ["playwright-core/package.json", "axe-core/axe.min.js", "mermaid/package.json"]
        .iter()
        .all(|p| dir.join("node_modules").join(p).is_file());
    if complete && std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(&wanted_stamp) {
        return Ok(());
    }

    let command = if lockfile.is_some() { "ci" } else { "install" };
    let output = Command::new("npm")
        .args([command, "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("running `npm {command}` in {}: {e}", dir.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`npm {command}` in {} failed with {}\n{}\n{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    std::fs::write(&stamp_path, wanted_stamp).map_err(|e| format!("writing {}: {e}", stamp_path.display()))
    // The lock is released when `lock` drops.
}

/// Runs one job through `tests/browser/run.mjs` and returns its JSON result:
/// `{ ok, pages: [{ url, mode, status, title, violations, pageErrors, consoleErrors,
/// failedRequests, error }], screenshots: [path], script: { ok, tests, logs, pageErrors } | null,
/// errors: [..] }`. Panics only when the driver gives no result at all.
pub fn run(job: Value) -> Value {
    ensure_node_modules();
    let timeout_ms = job.get("timeoutMs").and_then(Value::as_u64).unwrap_or(DEFAULT_JOB_TIMEOUT_MS);
    let chromium = super::chromium_path().unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let mut child = Command::new("node")
        .arg(driver_dir().join("run.mjs"))
        .arg("-")
        .current_dir(driver_dir())
        .env("LECTERN_CHROMIUM", chromium)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting `node tests/browser/run.mjs`");

    let mut stdin = child.stdin.take().expect("driver stdin");
    stdin.write_all(job.to_string().as_bytes()).expect("writing the job to the driver");
    drop(stdin);
    let stdout = read_in_background(child.stdout.take().expect("driver stdout"));
    let stderr = read_in_background(child.stderr.take().expect("driver stderr"));

    // The driver has its own watchdog; this one catches a driver that hangs anyway.
    let deadline = Instant::now() + Duration::from_millis(timeout_ms + 30_000);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the driver") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the browser driver hung for over {timeout_ms} ms and was killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (stdout.join().unwrap_or_default(), stderr.join().unwrap_or_default());
    let last_line = stdout.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut result: Value = serde_json::from_str(last_line).unwrap_or_else(|e| {
        panic!("the browser driver ({status}) printed no JSON result ({e})\n--- stdout\n{stdout}\n--- stderr\n{stderr}")
    });
    if !stderr.trim().is_empty() {
        result["driverStderr"] = Value::String(stderr);
    }
    result
}

fn read_in_background(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// Runs the JS test module `module` (a path under `tests/browser/`, or absolute) against
/// `base_url`, handing it `args` as `ctx.args`, in light mode at 1280×900.
pub fn run_script(module: &str, base_url: &str, args: Value) -> Value {
    let path = driver_dir().join(module);
    assert!(path.is_file(), "no browser test module at {}", path.display());
    run(json!({ "script": path, "baseUrl": base_url, "scriptArgs": args }))
}

/// Panics with [`report`] unless the driver found nothing wrong.
pub fn assert_ok(result: &Value) {
    if result["ok"].as_bool() != Some(true) {
        panic!("browser checks failed:\n{}", report(result));
    }
}

/// A readable account of everything wrong in a driver result (empty when nothing is).
pub fn report(result: &Value) -> String {
    let mut out = String::new();
    let pages: Vec<&Value> = array(&result["pages"]).collect();
    let bad = pages.iter().filter(|p| !page_is_clean(p)).count();
    if bad > 0 {
        out.push_str(&format!("{bad} of {} page views have problems:\n", pages.len()));
    }
    for page in pages {
        let mut lines = Vec::new();
        if let Some(error) = page["error"].as_str() {
            lines.push(format!("  error: {error}"));
        }
        for violation in array(&page["violations"]) {
            lines.push(format!(
                "  {} ({}): {}\n    {}",
                text(&violation["id"]),
                text(&violation["impact"]),
                text(&violation["help"]),
                text(&violation["helpUrl"])
            ));
            for node in array(&violation["nodes"]) {
                lines.push(format!(
                    "    - {}\n      {}\n      {}",
                    node["target"],
                    text(&node["html"]),
                    text(&node["failureSummary"]).replace('\n', "\n      ")
                ));
            }
        }
        for error in array(&page["pageErrors"]) {
            lines.push(format!("  uncaught error in page: {}", text(error)));
        }
        for failed in array(&page["failedRequests"]) {
            lines.push(format!("  failed request: {}", text(failed)));
        }
        if !lines.is_empty() {
            let mode = &page["mode"];
            out.push_str(&format!(
                "{} [{} {}x{}]\n{}\n",
                text(&page["url"]),
                text(&mode["colorScheme"]),
                mode["width"],
                mode["height"],
                lines.join("\n")
            ));
        }
    }
    let script = &result["script"];
    if script.is_object() {
        for test in array(&script["tests"]).filter(|t| t["ok"] != Value::Bool(true)) {
            out.push_str(&format!(
                "{}: test `{}` failed:\n  {}\n",
                text(&script["path"]),
                text(&test["name"]),
                text(&test["error"]).replace('\n', "\n  ")
            ));
        }
        for error in array(&script["pageErrors"]) {
            out.push_str(&format!("uncaught error in page: {}\n", text(error)));
        }
        if script["ok"] != Value::Bool(true) && array(&script["logs"]).next().is_some() {
            out.push_str("logs:\n");
            for log in array(&script["logs"]) {
                out.push_str(&format!("  {}\n", text(log)));
            }
        }
    }
    for error in array(&result["errors"]) {
        out.push_str(&format!("driver error: {}\n", text(error)));
    }
    if array(&result["errors"]).next().is_some()
        && let Some(stderr) = result["driverStderr"].as_str()
    {
        out.push_str(&format!("driver stderr:\n{stderr}\n"));
    }
    out
}

fn page_is_clean(page: &Value) -> bool {
    page["error"].is_null()
        && ["violations", "pageErrors", "failedRequests"].iter().all(|key| array(&page[*key]).next().is_none())
}

fn array(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}
