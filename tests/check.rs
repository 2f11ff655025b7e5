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
    // A previous build: lectern replaces only folders with its marker.
    fs::write(out.join(".lectern-build"), "").unwrap();
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

/// A site in a temp folder with `docs/index.md` and the given pages.
fn temp_site(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    fs::create_dir_all(site.path().join("docs")).unwrap();
    fs::write(site.path().join("docs/index.md"), "# Home\n").unwrap();
    for (name, text) in pages {
        let path = site.path().join("docs").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    site
}

fn check_site(site: &std::path::Path, format: &str) -> std::process::Output {
    support::lectern(["check".to_string(), site.display().to_string(), "--format".into(), format.into()])
}

/// A file with hundreds of problems on one long line: the printed output shows a window of the
/// line around each link and the first 20 problems, then says how many more there are; the
/// JSON output lists every one.
#[test]
fn printed_problems_are_capped_per_file_and_json_lists_all() {
    let line: String = (0..300).map(|n| format!("[{n}](#nope{n}) ")).collect();
    let site = temp_site(&[("many.md", &format!("# Many\n\n{line}\n"))]);
    let human = String::from_utf8(check_site(site.path(), "human").stderr).unwrap();
    assert_eq!(human.matches("warning: docs/many.md:3:").count(), 20, "{human}");
    assert!(
        human.contains(
            "note: docs/many.md: … and 280 more problems in this file (`lectern check --format json` lists every one)\n"
        ),
        "{human}"
    );
    // Each shown line is a window of about 100 characters, not the 4,000-character line.
    assert!(human.lines().all(|l| l.chars().count() < 120), "{human}");
    assert!(human.contains("\n3 | …"), "{human}");
    let json = check_site(site.path(), "json");
    let problems: Vec<serde_json::Value> =
        String::from_utf8(json.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(problems.len(), 300);
    assert_eq!(problems[299]["column"], serde_json::json!(line.find("[299]").unwrap() + 1));
    let github = String::from_utf8(check_site(site.path(), "github").stdout).unwrap();
    assert_eq!(github.lines().filter(|l| l.starts_with("::warning file=docs/many.md")).count(), 20);
    assert_eq!(
        github.lines().last(),
        Some(
            "::notice file=docs/many.md::… and 280 more problems in this file (`lectern check --format json` lists every one)"
        )
    );
}

/// Links that climb above the site (`../../x` from a page one folder deep, or above base_url)
/// are broken links, with the severity `on_broken_links` gives them and a hint.
#[test]
fn links_climbing_above_the_site_are_broken() {
    let site = temp_site(&[
        ("g/b.md", "# B\n\n[up](../../../z) and [fine](../)\n\n[md](../../../y.md)\n"),
        ("c.md", "# C\n\n[up](../../x)\n"),
    ]);
    fs::write(site.path().join("lectern.yml"), "on_broken_links: error\n").unwrap();
    let run = check_site(site.path(), "human");
    let help = "  = help: it points outside the published site; write a path within it (e.g. `/guide/page`) or a full `https://` URL\n";
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        format!(
            "error: docs/c.md:3:1: link '../../x' climbs above the site's root (/)\n  |\n3 | [up](../../x)\n  | ^\n{help}\
             error: docs/g/b.md:3:1: link '../../../z' climbs above the site's root (/)\n  |\n3 | [up](../../../z) and [fine](../)\n  | ^\n{help}\
             error: docs/g/b.md:5:1: link '../../../y.md' leaves the docs folder\n  |\n5 | [md](../../../y.md)\n  | ^\n  = help: a `.md` link names a page's file inside the docs folder; remove the extra `../`\n\
             check: 3 pages, 3 errors, 0 warnings\n\n"
        )
    );
    assert_eq!(run.status.code(), Some(1));
    // A warning under `on_broken_links: warn`; above base_url counts as leaving too.
    fs::write(site.path().join("lectern.yml"), "on_broken_links: warn\nbase_url: /docs/\n").unwrap();
    let run = check_site(site.path(), "human");
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("warning: docs/g/b.md:3:1: link '../../../z' climbs above the site's root (/docs/)\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: docs/c.md:3:1: link '../../x' climbs above the site's root (/docs/)\n"),
        "{stderr}"
    );
    assert_eq!(run.status.code(), Some(0));
}

/// Alt text that says nothing ("alt_text", "Pic", a file name) is skipped by the speech player
/// and useless to screen readers: `check` warns where it is written.
#[test]
fn placeholder_alt_text_is_an_accessibility_warning() {
    let site = tempfile::tempdir().unwrap();
    fs::create_dir_all(site.path().join("docs")).unwrap();
    fs::write(site.path().join("lectern.yml"), "title: Alt text\n").unwrap();
    fs::write(
        site.path().join("docs/a.md"),
        "---\ntitle: A\n---\n\nSee ![alt_text](https://example.org/a.png).\n\n![Deploy workflow](https://example.org/b.png) ![img_01.png](https://example.org/c.png)\n",
    )
    .unwrap();
    let run = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(
        warnings,
        [
            "warning: docs/a.md:5:5: image alt text 'alt_text' does not describe the image",
            "warning: docs/a.md:7:47: image alt text 'img_01.png' does not describe the image",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("help: screen readers and the speech player skip it"), "{stderr}");
}

#[test]
fn anchors_on_pages_linked_by_url_are_checked() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    fs::create_dir_all(root.join("docs/guide")).unwrap();
    fs::write(root.join("lectern.yml"), "title: Anchors\nbase_url: /handbook/\ndocs_dir: docs\n").unwrap();
    fs::write(root.join("docs/guide/setup.md"), "---\ntitle: Setup\n---\n\n## First steps\n\nText.\n").unwrap();
    fs::write(
        root.join("docs/guide/links.md"),
        "---\ntitle: Links\n---\n\n\
         [a](/handbook/guide/setup#first-steps) [b](/guide/setup/#first-steps) [c](./setup#first-steps)\n\n\
         [d](/handbook/guide/setup#last-steps)\n\n\
         [e](/guide/setup/#firts-steps)\n\n\
         [f](/handbook/guide/setup)\n",
    )
    .unwrap();
    let run = support::lectern(["check".as_ref(), root.as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let problems: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:") || l.starts_with("error:")).collect();
    assert_eq!(
        problems,
        [
            "warning: docs/guide/links.md:7:1: anchor '#last-steps' does not exist on '/guide/setup'",
            "warning: docs/guide/links.md:9:1: anchor '#firts-steps' does not exist on '/guide/setup'",
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean '/guide/setup/#first-steps'? (a heading on '/guide/setup')"),
        "{stderr}"
    );
    assert_eq!(run.status.code(), Some(0), "broken anchors warn by default");
}
