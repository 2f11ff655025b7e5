//! Which environment each command uses when none is named, and what a mistyped one does:
//! `build` publishes (production: no banner, indexable, drafts left out), `serve` previews
//! (development), and an unknown name stops with exit code 2 and a "did you mean" hint.

mod serve_support;
mod support;

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}")))
}

fn count(doc: &Html, selector: &str) -> usize {
    doc.select(&Selector::parse(selector).unwrap()).count()
}

#[test]
fn build_defaults_to_production() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    let run = support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("building for production"), "first line: {first}");
    assert!(stderr.contains("pages for production into"), "{stderr}");
    let home = page(&out, "index.html");
    assert_eq!(count(&home, "aside.env-banner"), 0, "no environment banner");
    assert_eq!(count(&home, "meta[name=robots][content=noindex]"), 0, "indexable");
    assert!(!out.join("Reference/draft/index.html").exists(), "drafts are left out");
}

#[test]
fn a_named_environment_is_said_first_and_shown() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    let run = support::lectern_ok([
        "build".as_ref(),
        site.path().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--env".as_ref(),
        "staging".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.lines().next().unwrap_or_default().starts_with("building for staging"), "{stderr}");
    let home = page(&out, "index.html");
    let banner: String = home.select(&Selector::parse("aside.env-banner").unwrap()).flat_map(|e| e.text()).collect();
    assert_eq!(banner.trim(), "You are viewing the staging environment");
    assert_eq!(count(&home, "meta[name=robots][content=noindex]"), 1);
    assert!(out.join("Reference/draft/index.html").is_file(), "drafts are built outside production");
}

#[test]
fn serve_defaults_to_development() {
    let site = support::copy_fixture("serve");
    let serve = serve_support::Serve::start(site.path());
    let (status, html) = serve.get("/");
    assert_eq!(status, 200);
    assert_eq!(
        serve_support::texts(&html, "aside.env-banner"),
        vec!["You are viewing the development environment".to_string()]
    );
    assert_eq!(serve_support::attrs(&html, "meta[name=robots]", "content"), vec!["noindex".to_string()]);
}

#[test]
fn an_unknown_environment_is_an_error_with_a_hint() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    for (command, env, hint) in [
        ("build", "prod", "did you mean `production`?"),
        ("check", "stagin", "did you mean `staging`?"),
        ("routes", "flta", "did you mean `flat`?"),
    ] {
        let mut args = vec![command.as_ref(), site.path().as_os_str(), "--env".as_ref(), env.as_ref()];
        if command == "build" {
            args.extend(["--out".as_ref(), out.as_os_str()]);
        }
        let run = support::lectern(args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{command} --env {env}: {stderr}");
        assert!(stderr.starts_with(&format!("error: unknown environment `{env}`\nhelp: {hint}")), "{stderr}");
        assert!(stderr.contains("`development`, `staging`, `production`, `flat`"), "{stderr}");
    }
    assert!(!out.exists(), "nothing is written");
    // LECTERN_ENV is checked the same way.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["check".as_ref(), site.path().as_os_str()])
        .env("LECTERN_ENV", "prodution")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("did you mean `production`?"));
}
