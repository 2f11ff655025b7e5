//! The responsive header in headless Chromium: at 320 to 1,920 px the page never scrolls
//! sideways, and the search box, the theme toggle and the repository link are reachable by
//! keyboard, on a site with a 40-character title and seven sidebars (seven navbar links) and on
//! lectern's own docs. The header's markup is checked without a browser too.

mod support;

use scraper::{Html, Selector};
use serde_json::json;
use std::path::Path;
use support::{StaticServer, browser};

const WIDTHS: [u32; 6] = [320, 390, 768, 1000, 1280, 1920];

fn build(site: &Path) -> std::path::PathBuf {
    let out = site.join("build");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    out
}

fn check_widths(out: &Path, pages: &[&str], repository: bool) {
    let server = StaticServer::start(out);
    let result = browser::run(json!({
        "script": browser::driver_dir().join("tests/header.mjs"),
        "baseUrl": server.url,
        "scriptArgs": { "pages": pages, "widths": WIDTHS, "repository": repository },
        "timeoutMs": 600_000,
    }));
    browser::assert_ok(&result);
}

#[test]
fn long_title_and_seven_navbar_links_fit_every_width() {
    if !support::require("chromium") {
        return;
    }
    let site = support::copy_fixture("header-seven");
    let out = build(site.path());
    // `/playbooks/working` has a previous page and a long "Next" label, which once pushed
    // phones sideways.
    check_widths(&out, &["/", "/guides/", "/playbooks/working", "/404.html"], true);
}

#[test]
fn lecterns_own_docs_fit_every_width() {
    if !support::require("chromium") {
        return;
    }
    let site = tempfile::tempdir().expect("temp dir");
    for entry in ["docs", "doc-images", "lectern.yml"] {
        let from = support::manifest_dir().join(entry);
        if from.is_dir() {
            support::copy_dir(&from, &site.path().join(entry));
        } else {
            std::fs::copy(&from, site.path().join(entry)).expect("copying lectern.yml");
        }
    }
    let out = build(site.path());
    check_widths(&out, &["/", "/reference/configuration"], false);
}

#[test]
fn the_title_link_names_the_whole_title_and_the_menu_has_the_actions() {
    let site = support::copy_fixture("header-seven");
    let out = build(site.path());
    let html = Html::parse_document(&std::fs::read_to_string(out.join("guides/index.html")).expect("reading a page"));
    let select = |css: &str| html.select(&Selector::parse(css).expect("selector")).collect::<Vec<_>>();
    let title = "Hackney Development System Documentation";
    assert_eq!(title.chars().count(), 40);
    let brand = select(".navbar-brand");
    assert_eq!(brand[0].value().attr("title"), Some(title));
    assert_eq!(brand[0].text().collect::<String>(), title);
    assert_eq!(select(".navbar-links a").len(), 7);
    // The sidebar, which is the menu on narrow screens, carries the links and both actions.
    assert_eq!(select("#sidebar .menu-links a").len(), 7);
    assert_eq!(select("#sidebar .menu-actions .theme-toggle").len(), 1);
    assert_eq!(select("#sidebar .menu-actions a[aria-label='Source repository']").len(), 1);
    // Pages without a sidebar have a menu of their own.
    let not_found = Html::parse_document(&std::fs::read_to_string(out.join("404.html")).expect("reading 404"));
    let menu = Selector::parse("#site-menu .menu-actions .theme-toggle").expect("selector");
    assert_eq!(not_found.select(&menu).count(), 1);
}
