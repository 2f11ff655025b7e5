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

/// What lectern printed, less the opening `building for …` line (tests/environment.rs checks it)
/// and the closing `built …` line (it holds a time).
fn diagnostics(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| !l.starts_with("built ") && !l.starts_with("building for "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Runs `lectern build` on a copy of `site` into an output folder holding a previous build.
/// Returns the run and whether the previous build is still there untouched.
fn build_over_previous(site: &Path, extra: &[String]) -> (std::process::Output, bool) {
    let out = site.join("previous-build");
    fs::create_dir_all(out.join("guide")).unwrap();
    fs::write(out.join("index.html"), "<p>the previous build</p>").unwrap();
    fs::write(out.join("guide/index.html"), "<p>a page of it</p>").unwrap();
    // lectern replaces only folders with its marker.
    fs::write(out.join(".lectern-build"), "").unwrap();
    let before = snapshot(&out);
    let mut args: Vec<std::ffi::OsString> = vec!["build".into(), site.into(), "--out".into(), out.clone().into()];
    args.extend(extra.iter().map(Into::into));
    let run = support::lectern(args);
    let untouched = snapshot(&out) == before;
    (run, untouched)
}

#[test]
fn every_invalid_fixture_fails_with_its_exact_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 30, "expected at least 30 bad-input fixtures, found {}", cases.len());
    let mut failures = Vec::new();
    for name in &cases {
        let site = support::copy_fixture(&format!("invalid/{name}"));
        let extra: Vec<String> = fs::read_to_string(site.path().join("args"))
            .map(|a| a.split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        let (run, untouched) = build_over_previous(site.path(), &extra);
        let stderr = diagnostics(&run.stderr);
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
        match (code, untouched) {
            (0, true) => failures.push(format!("{name}: builds, but the output was not replaced")),
            (0, false) => {}
            (_, false) => failures.push(format!("{name}: the previous build output changed")),
            (_, true) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Inputs too big to keep as files: a 10 MB page, a 100,000-character line, lists and block
/// quotes nested 10,000 deep. They must build (no stack overflow, no hang) and keep their text.
#[test]
fn huge_and_deeply_nested_pages_build() {
    let site = tempfile::tempdir().unwrap();
    let docs = site.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    let para = "A sentence about the playbook that repeats until the page is large. ".repeat(20) + "\n\n";
    let mut big = String::from("# Big page\n\n");
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&para);
    }
    fs::write(docs.join("big.md"), &big).unwrap();
    fs::write(docs.join("long-line.md"), format!("# Long line\n\n{}\n", "word ".repeat(20_000))).unwrap();
    fs::write(docs.join("deep-quote.md"), format!("# Deep quote\n\n{} bottom\n", ">".repeat(10_000))).unwrap();
    fs::write(docs.join("deep-list.md"), format!("# Deep list\n\n{}bottom\n", "- ".repeat(10_000))).unwrap();
    let nested_tags = "<div>".repeat(10_000) + "inside" + &"</div>".repeat(10_000);
    fs::write(docs.join("deep-html.md"), format!("# Deep HTML\n\n{nested_tags}\n")).unwrap();
    let out = site.path().join("out");
    let (run, _) = build_over_previous(site.path(), &[]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let _ = out;
    let built = site.path().join("previous-build");
    let quote = fs::read_to_string(built.join("deep-quote/index.html")).unwrap();
    assert!(quote.contains("bottom"));
    let list = fs::read_to_string(built.join("deep-list/index.html")).unwrap();
    assert!(list.contains("bottom"));
    assert!(fs::metadata(built.join("big/index.html")).unwrap().len() > 10 * 1024 * 1024);
}

/// Symlinks are never followed: a loop does not hang the walk, and a link to a file or folder
/// outside the root is neither built nor copied.
#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let site = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), "# Secret\n\nDo not publish.\n").unwrap();
    fs::write(outside.path().join("secret.png"), "not really a png").unwrap();
    let docs = site.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(docs.join("index.md"), "# Home\n").unwrap();
    std::os::unix::fs::symlink(&docs, docs.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), docs.join("outside")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), docs.join("secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.png"), docs.join("secret.png")).unwrap();
    let (run, _) = build_over_previous(site.path(), &[]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let files: Vec<String> = snapshot(&site.path().join("previous-build")).into_iter().map(|(p, _)| p).collect();
    assert!(files.iter().all(|f| !f.contains("secret") && !f.contains("outside") && !f.contains("loop")), "{files:?}");
    assert!(files.contains(&"index.html".to_string()));
}

/// Markup in front matter is text wherever it appears: title, sidebar label, description.
#[test]
fn front_matter_markup_is_escaped() {
    let site = support::copy_fixture("invalid/script-in-front-matter-works");
    let (run, _) = build_over_previous(site.path(), &[]);
    assert!(run.status.success());
    let html = fs::read_to_string(site.path().join("previous-build/x/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    // The theme's scripts only: those in the head, and the loader at the end of the body.
    let in_body: Vec<_> = doc.select(&sel("body script:not([type]), body script[type=module]")).collect();
    assert_eq!(in_body.len(), 1);
    assert!(in_body[0].value().attr("data-scripts").is_some());
    assert!(doc.select(&sel("img[onerror]")).next().is_none());
    let title: String = doc.select(&sel("title")).next().unwrap().text().collect();
    assert_eq!(title, "<script>alert(1)</script> | Escapes");
    let label: String =
        doc.select(&sel("nav[aria-label='Docs sidebar'] .sidebar-list a")).next().unwrap().text().collect();
    assert_eq!(label.trim(), "\"><img src=x onerror=alert(1)>");
    let desc = doc.select(&sel("meta[name=description]")).next().unwrap();
    assert_eq!(desc.value().attr("content"), Some("</title><script>x()</script>"));
}

/// A static folder outside the site's root (`../outside`, or a symlink leading there) would
/// publish whatever is in it; it is refused with its position in lectern.yml, unless listed
/// under `external_static_dirs`, which publishes it on purpose.
#[test]
fn static_dirs_outside_the_root_are_refused_unless_external() {
    let fixture = support::copy_fixture("invalid/static-dir-outside");
    let site = fixture.path().join("site");
    let (run, untouched) = build_over_previous(&site, &[]);
    assert_eq!(
        diagnostics(&run.stderr),
        "error: lectern.yml:2:23: static folder `../outside` lies outside the site's root\n  |\n2 | static_dirs: [static, ../outside]\n  |                       ^\n  = help: every file of a static folder is published; move it inside the site, or list it under `external_static_dirs: [../outside]` if publishing it is intended\nerror: 1 error found\n"
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(untouched);
    // Through a symlink: `static` leads outside.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(fixture.path().join("outside"), site.join("static")).unwrap();
        fs::write(site.join("lectern.yml"), "title: Outside\n").unwrap();
        let (run, _) = build_over_previous(&site, &[]);
        let stderr = diagnostics(&run.stderr);
        assert!(
            stderr.starts_with("error: lectern.yml: static folder `static` lies outside the site's root\n"),
            "{stderr}"
        );
        assert_eq!(run.status.code(), Some(1));
        fs::remove_file(site.join("static")).unwrap();
    }
    fs::write(site.join("lectern.yml"), "title: Outside\nexternal_static_dirs: [../outside]\n").unwrap();
    let (run, _) = build_over_previous(&site, &[]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(fs::read_to_string(site.join("previous-build/keys/id_rsa")).unwrap(), "not a real key\n");
}
