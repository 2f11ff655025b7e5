//! The content model end to end: a fixture playbook with number-prefixed folders, index docs,
//! slugs, a `_category_.json`, drafts and unlisted pages is built with the binary, and the
//! output is checked file by file and by parsing the HTML.

mod support;

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};

fn build(site: &Path, out: &Path, env: &str) {
    support::lectern_ok([
        "build".as_ref(),
        site.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--env".as_ref(),
        env.as_ref(),
    ]);
}

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Html::parse_document(&text)
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

#[test]
fn builds_every_route_to_its_file() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    build(site.path(), &out, "development");
    for file in [
        "index.html",
        "Getting Started/setup/index.html",
        "Getting Started/install/index.html",
        "Guides/first-guide/index.html",
        "Guides/Deep Dive/index.html",
        "Guides/Deep Dive/details/index.html",
        "elsewhere/index.html",
        "Reference/api/index.html",
        "Reference/draft/index.html",
        "Reference/hidden/index.html",
        "404.html",
        "sitemap.xml",
        "doc-images/diagram.png",
        "img/logo.svg",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    for not_a_page in ["_partials", "Reference/x.test", "Reference/x"] {
        assert!(!out.join(not_a_page).exists(), "{not_a_page} must not be built");
    }
    let html_pages =
        walkdir::WalkDir::new(&out).into_iter().flatten().filter(|e| e.file_name() == "index.html").count();
    assert_eq!(html_pages, 10);
}

#[test]
fn pages_link_to_each_other_and_to_copied_files() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    build(site.path(), &out, "development");
    let home = page(&out, "index.html");
    assert_eq!(texts(&home, "title"), vec!["Getting started | Fixture Playbook"]);
    let hrefs = attrs(&home, "article a", "href");
    assert!(hrefs.contains(&"/playbook/Guides/first-guide#why".to_string()), "{hrefs:?}");
    assert_eq!(attrs(&home, "article img", "src"), vec!["/playbook/doc-images/diagram.png"]);
    assert_eq!(
        fs::read(out.join("doc-images/diagram.png")).unwrap(),
        fs::read(site.path().join("docs/doc-images/diagram.png")).unwrap()
    );
    let install = page(&out, "Getting Started/install/index.html");
    let hrefs = attrs(&install, "article a", "href");
    assert_eq!(hrefs, vec!["/playbook/Getting%20Started/setup", "/playbook/img/logo.svg"]);
}

#[test]
fn sidebar_follows_positions_categories_and_index_docs() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    build(site.path(), &out, "development");
    let deep = page(&out, "Guides/Deep Dive/index.html");
    let labels = texts(&deep, "nav[aria-label='Docs sidebar'] .sidebar-list a");
    assert_eq!(
        labels,
        vec![
            "Getting started",
            "Set up your machine",
            "Install the tools",
            "Relative slug",
            "Deep dive overview",
            "Details",
            "First guide",
            "API",
            "Work in progress",
        ]
    );
    assert_eq!(
        attrs(&deep, "nav[aria-label='Docs sidebar'] [aria-current='page']", "href"),
        vec!["/playbook/Guides/Deep%20Dive/"]
    );
    let crumbs = texts(&deep, "nav[aria-label='Breadcrumbs'] li");
    assert_eq!(
        crumbs.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>(),
        vec!["All the guides", "Deep dive overview"]
    );
    // The unlisted page is built but in no sidebar, and asks not to be indexed.
    let hidden = page(&out, "Reference/hidden/index.html");
    assert_eq!(attrs(&hidden, "meta[name='robots']", "content"), vec!["noindex"]);
    assert!(!labels.contains(&"Hidden page".to_string()));
}

#[test]
fn production_leaves_out_drafts_and_the_banner() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    build(site.path(), &out, "production");
    assert!(!out.join("Reference/draft").exists());
    let api = page(&out, "Reference/api/index.html");
    assert!(texts(&api, ".env-banner, [role='status'].banner").is_empty());
    assert!(attrs(&api, "meta[name='robots']", "content").is_empty());
    assert_eq!(attrs(&api, "link[rel='canonical']", "href"), vec!["https://prod.example.org/playbook/Reference/api"]);
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap.lines().filter_map(|l| l.trim().strip_prefix("<url><loc>")).collect();
    assert_eq!(locs.len(), 8, "{sitemap}");
    assert!(!sitemap.contains("hidden"));
}

#[test]
fn trailing_slash_false_writes_html_files() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    build(site.path(), &out, "flat");
    for file in ["index.html", "Guides/Deep Dive.html", "Guides/first-guide.html", "elsewhere.html"] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
}

#[test]
fn routes_lists_sidebar_pages_first_in_every_format() {
    let site = support::copy_fixture("content");
    let tsv = support::lectern_ok(["routes".as_ref(), site.path().as_os_str(), "--format".as_ref(), "tsv".as_ref()]);
    let tsv = String::from_utf8(tsv.stdout).unwrap();
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0], vec!["source", "url", "title", "sidebar", "label", "categories"]);
    assert_eq!(
        rows[1],
        vec!["01-Getting Started/index.md", "/playbook/", "Getting started", "docs", "Getting started", ""]
    );
    assert_eq!(
        rows[5],
        vec![
            "02-Guides/01-Deep Dive/01-Deep Dive.md",
            "/playbook/Guides/Deep Dive/",
            "Deep dive overview",
            "docs",
            "Deep dive overview",
            "All the guides"
        ]
    );
    assert_eq!(rows.last().unwrap()[0], "03-Reference/hidden.md");
    assert_eq!(rows.last().unwrap()[3], "");

    let json = support::lectern_ok(["routes".as_ref(), site.path().as_os_str(), "--format".as_ref(), "json".as_ref()]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let arr = json.as_array().unwrap();
    assert_eq!(arr.len(), rows.len() - 1);
    assert_eq!(arr[4]["categories"], serde_json::json!(["All the guides"]));
    assert_eq!(arr[5]["source"], "02-Guides/01-Deep Dive/details.md");
    // The category takes its label from its index doc.
    assert_eq!(arr[5]["categories"], serde_json::json!(["All the guides", "Deep dive overview"]));
}

#[test]
fn environment_variables_override_the_config() {
    let site = support::copy_fixture("content");
    let out = site.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()])
        .env("LECTERN_ENV", "production")
        .env("LECTERN_BASE_URL", "/other/")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(!out.join("Reference/draft").exists(), "LECTERN_ENV=production leaves drafts out");
    let api = page(&out, "Reference/api/index.html");
    assert_eq!(attrs(&api, "link[rel='canonical']", "href"), vec!["https://prod.example.org/other/Reference/api"]);
}

#[test]
fn refuses_to_write_over_the_sources() {
    let site = support::copy_fixture("content");
    for out in [site.path().to_path_buf(), site.path().join("docs"), site.path().join("docs/inside")] {
        let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
        assert_eq!(run.status.code(), Some(2), "{}", out.display());
        assert!(String::from_utf8_lossy(&run.stderr).contains("refusing to write the build"));
    }
    assert!(site.path().join("docs/01-Getting Started/index.md").is_file());
}
