//! Machine-readable exports on a fixture with two sidebars: `llms.txt` (sections per sidebar,
//! links in sidebar order with descriptions), `llms-full.txt` (each page's Markdown without front
//! matter, under its title and URL), `llms_txt: false`, and `<lastmod>` in the sitemap from git.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use scraper::{Html, Selector};

fn build(site: &Path) -> std::path::PathBuf {
    let out = site.join("out");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    out
}

#[test]
fn llms_txt_lists_pages_by_sidebar_in_order() {
    let site = support::copy_fixture("exports");
    let out = build(site.path());
    let index = fs::read_to_string(out.join("llms.txt")).unwrap();
    assert_eq!(
        index,
        "# Exports Playbook\n\
         \n> How we [ship] things\n\
         \n## Guides\n\n\
         - [First guide](https://docs.example.org/pb/guides/a-first)\n\
         - [Second guide](https://docs.example.org/pb/guides/b-second): The second guide, on two lines.\n\
         \n## Reference\n\n\
         - [API reference](https://docs.example.org/pb/reference/api): Every endpoint.\n\
         \n## Other pages\n\n\
         - [Welcome](https://docs.example.org/pb/): Where to start.\n"
    );
    let full = fs::read_to_string(out.join("llms-full.txt")).unwrap();
    let pages: Vec<&str> = full.split("\n---\n\n").collect();
    assert_eq!(pages[0], "# Exports Playbook\n\n> How we [ship] things\n");
    assert_eq!(
        pages[1],
        "# First guide\n\nURL: https://docs.example.org/pb/guides/a-first\n\nBody of the first guide, with `code`.\n\n```bash\necho hello\n```\n"
    );
    // The page's own H1 becomes the heading, not a second one.
    assert_eq!(
        pages[2],
        "# Second guide\n\nURL: https://docs.example.org/pb/guides/b-second\n\nBody of the second guide.\n"
    );
    assert!(pages[3].starts_with("# API reference\n"));
    assert!(pages[4].starts_with("# Welcome\n"));
    assert_eq!(pages.len(), 5, "the unlisted page is left out: {full}");
    assert!(!full.contains("sidebar_position"), "no front matter");
}

#[test]
fn llms_txt_can_be_turned_off() {
    let site = support::copy_fixture("exports");
    let config = fs::read_to_string(site.path().join("lectern.yml")).unwrap();
    fs::write(site.path().join("lectern.yml"), format!("{config}llms_txt: false\n")).unwrap();
    let out = build(site.path());
    assert!(!out.join("llms.txt").exists() && !out.join("llms-full.txt").exists());
    assert!(out.join("index.html").is_file());
}

fn git(dir: &Path, date: &str, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("running git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn sitemap_has_lastmod_from_git() {
    let site = support::copy_fixture("exports");
    let dir = site.path();
    git(dir, "2024-01-15T10:00:00Z", &["init", "-q"]);
    git(dir, "2024-01-15T10:00:00Z", &["add", "."]);
    git(dir, "2024-01-15T10:00:00Z", &["commit", "-q", "-m", "first"]);
    let api = dir.join("docs/reference/api.md");
    fs::write(&api, fs::read_to_string(&api).unwrap() + "\nMore.\n").unwrap();
    git(dir, "2025-03-02T23:30:00Z", &["commit", "-q", "-am", "second"]);
    let out = build(dir);
    let xml = Html::parse_document(&fs::read_to_string(out.join("sitemap.xml")).unwrap());
    let url = Selector::parse("url").unwrap();
    let (loc, lastmod) = (Selector::parse("loc").unwrap(), Selector::parse("lastmod").unwrap());
    let entries: Vec<(String, String)> = xml
        .select(&url)
        .map(|u| {
            let text = |s: &Selector| u.select(s).next().map(|e| e.text().collect::<String>()).unwrap_or_default();
            (text(&loc), text(&lastmod))
        })
        .collect();
    assert!(
        entries.contains(&("https://docs.example.org/pb/reference/api".into(), "2025-03-02".into())),
        "{entries:?}"
    );
    assert!(
        entries.contains(&("https://docs.example.org/pb/guides/a-first".into(), "2024-01-15".into())),
        "{entries:?}"
    );
    assert_eq!(entries.len(), 4, "the unlisted page is not in the sitemap: {entries:?}");
}
