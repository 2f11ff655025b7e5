//! Redirects end to end: `redirects:` in lectern.yml and front matter `old_paths` become small
//! HTML pages at the old paths (checked by parsing them), and each kind of broken redirect is an
//! error of `lectern check` and `lectern build` pointing into the file that declares it.

mod support;

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&Selector::parse(selector).unwrap()).next().and_then(|e| e.value().attr(name).map(str::to_string))
}

fn text(doc: &Html, selector: &str) -> String {
    doc.select(&Selector::parse(selector).unwrap()).flat_map(|e| e.text()).collect::<String>().trim().to_string()
}

fn redirect_page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    Html::parse_document(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {rel}: {e}")))
}

#[test]
fn each_old_path_gets_a_redirect_page() {
    let site = support::copy_fixture("redirects");
    let out = site.path().join("out");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    for (file, href, canonical, label) in [
        ("old-start/index.html", "/handbook/start", "https://docs.example.org/handbook/start", "Start here"),
        (
            "guides/legacy.html",
            "/handbook/guides/new-name",
            "https://docs.example.org/handbook/guides/new-name",
            "The new name",
        ),
        (
            "guides/old-name/index.html",
            "/handbook/guides/new-name",
            "https://docs.example.org/handbook/guides/new-name",
            "The new name",
        ),
        (
            "guides/older/index.html",
            "/handbook/guides/new-name",
            "https://docs.example.org/handbook/guides/new-name",
            "The new name",
        ),
        ("vendor/index.html", "https://vendor.example.com/docs", "https://vendor.example.com/docs", ""),
    ] {
        let doc = redirect_page(&out, file);
        assert_eq!(attr(&doc, "meta[http-equiv=refresh]", "content"), Some(format!("0; url={href}")), "{file}");
        assert_eq!(attr(&doc, "link[rel=canonical]", "href").as_deref(), Some(canonical), "{file}");
        assert_eq!(attr(&doc, "meta[name=robots]", "content").as_deref(), Some("noindex"), "{file}");
        assert_eq!(attr(&doc, "body a", "href").as_deref(), Some(href), "{file}");
        if !label.is_empty() {
            assert_eq!(text(&doc, "body a"), label, "{file}");
        }
    }
    // Redirect pages are not pages of the site: not in the sitemap.
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("old-name") && !sitemap.contains("old-start"), "{sitemap}");
    // `lectern check` agrees the site is clean.
    let run = support::lectern_ok(["check".as_ref(), site.path().as_os_str()]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("0 errors"));
}

/// Writes `config` as the fixture's lectern.yml (and `page` as docs/guides/new-name.md when
/// given), then runs `lectern check` and returns its diagnostics and exit code.
fn check_with(config: &str, page: Option<&str>) -> (String, Option<i32>) {
    let site = support::copy_fixture("redirects");
    fs::write(site.path().join("lectern.yml"), config).unwrap();
    if let Some(page) = page {
        fs::write(site.path().join("docs/guides/new-name.md"), page).unwrap();
    }
    let run = support::lectern(["check".as_ref(), site.path().as_os_str(), "--format".as_ref(), "human".as_ref()]);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    // A failed build leaves the previous output as it was, and writes no redirects.
    let out = site.path().join("out");
    let build = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(build.status.code(), Some(1), "build fails too: {}", String::from_utf8_lossy(&build.stderr));
    assert!(!out.exists());
    (stderr, run.status.code())
}

const HEAD: &str = "title: Redirects\nbase_url: /handbook/\nredirects:\n";

#[test]
fn a_redirect_to_a_missing_page_is_an_error() {
    let (stderr, code) = check_with(&format!("{HEAD}  /old-start: /strat\n"), None);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(
            "error: lectern.yml:4:3: redirect to `/strat`, which matches no page\n  |\n4 |   /old-start: /strat\n  |   ^\n  = help: did you mean `/start`?"
        ),
        "{stderr}"
    );
}

#[test]
fn a_redirect_over_an_existing_page_is_an_error() {
    let (stderr, code) = check_with(&format!("{HEAD}  /start: /guides/new-name\n"), None);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(
            "error: lectern.yml:4:3: redirect from `/start` would replace the page at that URL (docs/start.md)"
        ),
        "{stderr}"
    );
    // From front matter too, pointing at the list item.
    let page = "---\ntitle: The new name\nold_paths:\n  - /start\n---\n\nText.\n";
    let (stderr, _) = check_with("title: Redirects\nbase_url: /handbook/\n", Some(page));
    assert!(
        stderr.contains("error: docs/guides/new-name.md:4:5: redirect from `/start` would replace the page at that URL (docs/start.md)"),
        "{stderr}"
    );
}

#[test]
fn chains_and_loops_are_errors() {
    let (stderr, code) = check_with(&format!("{HEAD}  /a: /b\n  /b: /start\n"), None);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(
            "error: lectern.yml:4:3: redirect from `/a` goes to `/b`, which is itself redirected\n  |\n4 |   /a: /b\n  |   ^\n  = help: point it straight at `/start`"
        ),
        "{stderr}"
    );
    // A front matter old path that another redirect points at is a chain as well.
    let page = "---\ntitle: The new name\nold_paths: [/guides/old-name]\n---\n\nText.\n";
    let (stderr, _) = check_with(&format!("{HEAD}  /older: /guides/old-name\n"), Some(page));
    assert!(
        stderr.contains(
            "error: lectern.yml:4:3: redirect from `/older` goes to `/guides/old-name`, which is itself redirected"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("help: point it straight at `/guides/new-name`"), "{stderr}");
    let (stderr, code) = check_with(&format!("{HEAD}  /x: /y\n  /y: /z\n  /z: /x\n"), None);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("error: lectern.yml:4:3: redirect from `/x` loops: `/x` → `/y` → `/z` → `/x`"), "{stderr}");
    assert!(stderr.contains("error: lectern.yml:6:3: redirect from `/z` loops: `/z` → `/x` → `/y` → `/z`"), "{stderr}");
}
