//! Mermaid diagrams in headless Chromium: `tests/fixtures/diagrams` built with the `mermaid` npm
//! package (the one tests/browser installs, or LECTERN_MERMAID's), served over HTTP, and driven
//! by `tests/browser/tests/diagrams.mjs` (drawn as SVG in light and dark, loaded lazily and only
//! by diagram pages, the source kept, axe clean with the diagrams drawn).

mod support;

use serde_json::json;
use support::{StaticServer, browser};

#[test]
fn diagrams_draw_in_light_and_dark_lazily_and_accessibly() {
    if !support::require("chromium") || !support::require("mermaid") {
        return;
    }
    let site = support::copy_fixture("diagrams");
    let out = site.path().join("build");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()])
        .env("LECTERN_MERMAID", support::mermaid_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("running lectern");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let server = StaticServer::start(&out);
    let result = browser::run(json!({
        "script": browser::driver_dir().join("tests/diagrams.mjs"),
        "baseUrl": server.url,
        "scriptArgs": { "mermaid": "/assets/mermaid/mermaid.esm.min.mjs" },
        "timeoutMs": 600_000,
    }));
    browser::assert_ok(&result);
    let tests = result["script"]["tests"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(tests, 7, "every test of diagrams.mjs ran: {result:#}");
}
