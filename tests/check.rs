//! `lectern check` and the link policies: a fixture with every kind of link, checked in four
//! environments whose policies differ; the exact diagnostics (text, line, column, suggestion)
//! and exit codes are in `tests/fixtures/links/expected-<env>.{stderr,code}`.

mod support;

use std::fs;

use scraper::{Html, Selector};

fn check(env: &str, format: Option<&str>) -> std::process::Output {
    let site = support::fixture_path("links");
    let mut args = vec!["check".to_string(), site.display().to_string(), "--env".into(), env.into()];
    if let Some(f) = format {
        args.extend(["--format".into(), f.into()]);
    }
    support::lectern(args)
}

#[test]
fn diagnostics_and_exit_codes_follow_each_policy() {
    let dir = support::fixture_path("links");
    for env in ["development", "production", "strict", "lenient"] {
        let run = check(env, Some("human"));
        let expected = fs::read_to_string(dir.join(format!("expected-{env}.stderr"))).unwrap();
        let code: i32 = fs::read_to_string(dir.join(format!("expected-{env}.code"))).unwrap().trim().parse().unwrap();
        assert_eq!(String::from_utf8_lossy(&run.stderr), expected, "{env}");
        assert_eq!(run.status.code(), Some(code), "{env}");
    }
}

#[test]
fn policies_change_severity() {
    let dev = String::from_utf8(check("development", Some("human")).stderr).unwrap();
    let strict = String::from_utf8(check("strict", Some("human")).stderr).unwrap();
    let lenient = String::from_utf8(check("lenient", Some("human")).stderr).unwrap();
    let anchor = "docs/index.md:18:1: anchor '#godo-links' does not exist on this page";
    assert!(dev.contains(&format!("warning: {anchor}")));
    assert!(strict.contains(&format!("error: {anchor}")));
    assert!(!lenient.contains(anchor), "ignored in lenient");
    assert!(lenient.contains("warning: docs/index.md:19:1: image 'img/nope.png' matches no file"));
    assert!(!lenient.contains("unit_testin'"));
    // Drafts exist outside production, so linking to one is only a problem there.
    let prod = String::from_utf8(check("production", Some("human")).stderr).unwrap();
    assert!(prod.contains("error: docs/index.md:21:1: link './01-Guides/draft.md' points to a draft"));
    assert!(!dev.contains("points to a draft"));
}

#[test]
fn github_format_annotates_pull_requests() {
    let run = check("development", Some("github"));
    let out = String::from_utf8(run.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=docs/index.md,line=16,col=1::link '/unit_testin' matches no page%0Ahelp: did you mean '/Guides/unit_testing'? (the page with id 'unit_testing')"
    );
    assert!(lines.iter().any(|l| l.starts_with("::warning file=docs/index.md,line=18,col=1::anchor")));
    assert_eq!(run.status.code(), Some(1));
    // Chosen on its own inside GitHub Actions.
    let site = support::fixture_path("links");
    let auto = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["check".as_ref(), site.as_os_str(), "--env".as_ref(), "development".as_ref()])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(auto.stdout).unwrap(), out);
}

#[test]
fn json_format_is_one_object_per_problem() {
    let run = check("development", Some("json"));
    let out = String::from_utf8(run.stdout).unwrap();
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0]["severity"], "error");
    assert_eq!(rows[0]["path"], "docs/index.md");
    assert_eq!((rows[0]["line"].as_u64(), rows[0]["column"].as_u64()), (Some(16), Some(1)));
    assert_eq!(rows[0]["message"], "link '/unit_testin' matches no page");
}

#[test]
fn build_applies_the_policies_and_keeps_the_previous_output() {
    let site = support::copy_fixture("links");
    let out = site.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "previous").unwrap();
    let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("error: docs/index.md:16:1: link '/unit_testin' matches no page")
    );
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "previous");

    // Lenient: the build passes, and links are written as the built site needs them.
    support::lectern_ok([
        "build".as_ref(),
        site.path().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--env".as_ref(),
        "lenient".as_ref(),
    ]);
    let html = Html::parse_document(&fs::read_to_string(out.join("index.html")).unwrap());
    let sel = Selector::parse("article p a").unwrap();
    let hrefs: Vec<&str> = html.select(&sel).filter_map(|a| a.value().attr("href")).take(5).collect();
    assert_eq!(
        hrefs,
        vec![
            "/site/Guides/unit_testing#arrange-act-assert",
            "/site/Guides/unit_testing",
            "/site/Guides/unit_testing#raw-anchor",
            "#good-links",
            "/site/files/report.txt"
        ]
    );
    assert!(out.join("files/report.txt").is_file());
    assert!(out.join("img/ok.png").is_file());
    assert!(!out.join("etc").exists(), "nothing outside the root is copied");
}
