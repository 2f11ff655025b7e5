//! Bad input: every case under tests/fixtures/invalid/ is a site that must fail with the exact
//! diagnostic in its `expected.stderr`, the exit code in `expected.code`, no panic, and the
//! previous build output left untouched.

mod support;

use std::fs;
use std::path::Path;

fn cases() -> Vec<String> {
    let dir = support::fixture_path("invalid");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("tests/fixtures/invalid exists")
        .flatten()
        .filter(|e| e.path().join("expected.stderr").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Lists a folder's files with their contents, to compare before and after.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            out.push((rel, fs::read(e.path()).unwrap()));
        }
    }
    out
}

#[test]
fn every_invalid_fixture_fails_with_its_exact_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 9, "expected the invalid fixtures, found {cases:?}");
    let mut failures = Vec::new();
    for name in &cases {
        let site = support::copy_fixture(&format!("invalid/{name}"));
        let out = site.path().join("previous-build");
        fs::create_dir_all(out.join("guide")).unwrap();
        fs::write(out.join("index.html"), "<p>the previous build</p>").unwrap();
        fs::write(out.join("guide/index.html"), "<p>a page of it</p>").unwrap();
        let before = snapshot(&out);

        let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        let expected = fs::read_to_string(site.path().join("expected.stderr")).unwrap();
        let code: i32 = fs::read_to_string(site.path().join("expected.code")).unwrap().trim().parse().unwrap();
        if stderr != expected {
            failures.push(format!("{name}: stderr differs\n--- expected\n{expected}--- got\n{stderr}"));
        }
        if run.status.code() != Some(code) {
            failures.push(format!("{name}: exit code {:?}, expected {code}", run.status.code()));
        }
        if stderr.contains("panicked") {
            failures.push(format!("{name}: panicked"));
        }
        if snapshot(&out) != before {
            failures.push(format!("{name}: the previous build output changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
