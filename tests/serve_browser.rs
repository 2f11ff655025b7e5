//! `lectern serve` in headless Chromium: a served page reloads itself when its file is edited,
//! shows the new text and keeps its scroll position; a changed stylesheet is swapped in without a
//! reload; a broken file shows the error overlay, and fixing it hides the overlay. Needs chromium
//! (required in CI through `LECTERN_REQUIRE`).

mod serve_support;
mod support;

use serde_json::json;
use serve_support::Serve;
use support::browser;

#[test]
fn a_served_page_reloads_itself_after_an_edit_and_keeps_its_scroll_position() {
    if !support::require("chromium") {
        return;
    }
    let site = support::copy_fixture("serve");
    // The site's own copy of the theme's stylesheet, which the stylesheet test changes.
    let stylesheet = site.path().join("theme/lectern.css");
    std::fs::create_dir_all(site.path().join("theme")).unwrap();
    std::fs::copy(support::manifest_dir().join("theme/lectern.css"), &stylesheet).unwrap();
    let serve = Serve::start(site.path());
    let file = site.path().join("docs/guide/long.md");
    let result = browser::run_script(
        "tests/serve-reload.mjs",
        serve.url.trim_end_matches('/'),
        json!({
            "path": "/guide/long/",
            "file": file,
            "before": "Original marker paragraph.",
            "after": "Edited in the browser test.",
            "stylesheet": stylesheet,
        }),
    );
    browser::assert_ok(&result);
    let names: Vec<&str> =
        result["script"]["tests"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names.len(), 3, "{result:#}");
}
