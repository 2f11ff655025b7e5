//! Problems as you type in headless Chromium: under `lectern serve`, a broken link added to a
//! page shows a notice on open tabs (not the error overlay), which passes axe, is dismissed
//! from the keyboard and goes away when the link is fixed. Needs chromium (required in CI
//! through `LECTERN_REQUIRE`). The script is `tests/browser/tests/serve-problems.mjs`.

mod serve_support;
mod support;

use serde_json::json;
use serve_support::Serve;
use support::browser;

#[test]
fn a_broken_link_shows_a_dismissible_notice_until_it_is_fixed() {
    if !support::require("chromium") {
        return;
    }
    let site = support::copy_fixture("serve-problems");
    let serve = Serve::start(site.path());
    let file = site.path().join("docs/guide/edit-me.md");
    let result = browser::run_script(
        "tests/serve-problems.mjs",
        serve.url.trim_end_matches('/'),
        json!({ "file": file, "marker": "Original marker paragraph" }),
    );
    browser::assert_ok(&result);
    let names: Vec<&str> =
        result["script"]["tests"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names.len(), 2, "{result:#}");
}
