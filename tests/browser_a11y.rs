//! Accessibility of the default theme: a fixture playbook is built with the `lectern` binary,
//! served over HTTP, and checked with axe-core in headless Chromium, light and dark, at a laptop
//! and a phone width. The first tests check the harness itself (server, driver, a page with known
//! faults), so that "no violations" means something.
//!
//! `LECTERN_SCREENSHOTS=<dir>` also saves light and dark screenshots of one page there.

mod support;

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use support::{StaticServer, browser};

/// Pages of `tests/fixtures/theme-basic` to check, as built files and as URL paths.
const THEME_PAGES: [(&str, &str); 3] = [
    ("index.html", "/"),
    ("Getting Started/install/index.html", "/Getting%20Started/install/"),
    ("Guides/writing/index.html", "/Guides/writing/"),
];

#[test]
fn default_theme_has_no_axe_violations_in_light_and_dark_at_two_widths() {
    if !support::require("chromium") {
        return;
    }
    let site = support::copy_fixture("theme-basic");
    let out = site.path().join("build");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    for (file, _) in THEME_PAGES {
        assert!(out.join(file).is_file(), "the build wrote no {file} (routes changed? update THEME_PAGES)");
    }

    let server = StaticServer::start(&out);
    let pages: Vec<String> = THEME_PAGES.iter().map(|(_, path)| server.url_for(path)).collect();
    let mut job = json!({ "pages": pages, "checks": ["axe"], "modes": browser::standard_modes() });
    if let Some(dir) = std::env::var_os("LECTERN_SCREENSHOTS") {
        let dir = std::path::absolute(&dir).expect("resolving LECTERN_SCREENSHOTS");
        job["screenshots"] = json!({
            "url": server.url_for(THEME_PAGES[1].1),
            "dir": dir,
            "name": "theme",
            "modes": [
                { "colorScheme": "light", "width": 1280 },
                { "colorScheme": "dark", "width": 1280 },
            ],
        });
    }
    let result = browser::run(job);
    for path in result["screenshots"].as_array().into_iter().flatten() {
        // Past libtest's capture, so the path shows in a normal run.
        let _ = writeln!(std::io::stderr(), "saved {}", path.as_str().unwrap_or_default());
    }
    browser::assert_ok(&result);
    assert_eq!(result["pages"].as_array().map(Vec::len), Some(3 * 4));
}

#[test]
fn axe_harness_finds_known_faults_and_only_those() {
    if !support::require("chromium") {
        return;
    }
    let site = tempfile::tempdir().expect("temp dir");
    write_harness_site(site.path());
    let server = StaticServer::start(site.path());
    let shots = site.path().join("shots");
    let result = browser::run(json!({
        "pages": [
            server.url_for("/ok/"),
            server.url_for("/dark-contrast/"),
            server.url_for("/broken/"),
        ],
        "checks": ["axe"],
        "modes": [{ "colorScheme": "light", "width": 1280 }, { "colorScheme": "dark", "width": 390 }],
        "screenshots": { "url": server.url_for("/ok/"), "dir": shots, "name": "ok" },
    }));
    assert_eq!(result["ok"], json!(false), "{result:#}");

    let found = |path: &str, scheme: &str| -> Vec<String> {
        let page = result["pages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["url"] == json!(server.url_for(path)) && p["mode"]["colorScheme"] == scheme)
            .unwrap_or_else(|| panic!("no result for {path} in {scheme}: {result:#}"));
        let mut ids: Vec<String> = page["violations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v["id"].as_str().unwrap_or_default().to_string())
            .collect();
        ids.extend(page["failedRequests"].as_array().into_iter().flatten().map(|_| "failed-request".to_string()));
        ids
    };
    let report = browser::report(&result);
    assert_eq!(found("/ok/", "light"), Vec::<String>::new(), "{report}");
    assert_eq!(found("/ok/", "dark"), Vec::<String>::new(), "{report}");
    assert_eq!(found("/dark-contrast/", "light"), Vec::<String>::new(), "{report}");
    assert_eq!(found("/dark-contrast/", "dark"), ["color-contrast"], "{report}");
    assert_eq!(found("/broken/", "light"), ["image-alt", "failed-request"], "{report}");
    assert!(report.contains("image-alt (critical)"), "{report}");

    let shot = shots.join("ok-light-1280.png");
    let size = imagesize::size(&shot).unwrap_or_else(|e| panic!("reading {}: {e}", shot.display()));
    assert_eq!((size.width, size.height), (1280, 900));
}

#[test]
fn browser_test_modules_report_passes_and_failures() {
    if !support::require("chromium") {
        return;
    }
    let site = tempfile::tempdir().expect("temp dir");
    write_harness_site(site.path());
    let server = StaticServer::start(site.path());
    let result = browser::run_script("tests/harness-selftest.mjs", &server.url, json!({ "expected": "this value" }));
    let tests = result["script"]["tests"].as_array().cloned().unwrap_or_default();
    let outcome = |name: &str| -> &Value {
        tests.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no test {name:?}: {result:#}"))
    };
    assert_eq!(outcome("clicking the button updates the page")["ok"], json!(true), "{result:#}");
    let failing = outcome("a failing assertion is reported");
    assert_eq!(failing["ok"], json!(false));
    assert!(failing["error"].as_str().unwrap_or_default().contains("this test fails on purpose"), "{result:#}");
    assert_eq!(result["ok"], json!(false));
    assert!(browser::report(&result).contains("a failing assertion is reported"));
}

#[test]
fn static_server_serves_a_site_like_a_static_host() {
    let site = tempfile::tempdir().expect("temp dir");
    write_harness_site(site.path());
    std::fs::create_dir_all(site.path().join("Getting Started/install")).unwrap();
    std::fs::write(site.path().join("Getting Started/install/index.html"), "<p>spaced</p>").unwrap();
    std::fs::write(site.path().join("flat.html"), "<p>flat</p>").unwrap();
    std::fs::write(site.path().join("speech.mp3"), b"0123456789").unwrap();
    let server = StaticServer::start(site.path());

    let (status, headers, body) = get(&server, "GET /ok/ HTTP/1.1");
    assert_eq!(status, 200);
    assert!(headers.contains("content-type: text/html; charset=utf-8"), "{headers}");
    assert!(body.starts_with(b"<!doctype html>"));

    let (status, _, body) = get(&server, "GET /Getting%20Started/install/?q=1#top HTTP/1.1");
    assert_eq!((status, body.as_slice()), (200, b"<p>spaced</p>".as_slice()));

    let (status, headers, _) = get(&server, "GET /Getting%20Started/install HTTP/1.1");
    assert_eq!(status, 301);
    assert!(headers.contains("location: /getting%20started/install/"), "{headers}");

    let (status, _, body) = get(&server, "GET /flat HTTP/1.1");
    assert_eq!((status, body.as_slice()), (200, b"<p>flat</p>".as_slice()));

    let (status, headers, body) = get(&server, "GET /speech.mp3 HTTP/1.1\r\nRange: bytes=2-5");
    assert_eq!((status, body.as_slice()), (206, b"2345".as_slice()));
    assert!(headers.contains("content-type: audio/mpeg"), "{headers}");
    assert!(headers.contains("content-range: bytes 2-5/10"), "{headers}");

    let (status, headers, body) = get(&server, "HEAD /speech.mp3 HTTP/1.1");
    assert_eq!((status, body.len()), (200, 0));
    assert!(headers.contains("content-length: 10"), "{headers}");

    assert_eq!(get(&server, "GET /nothing-here HTTP/1.1").0, 404);
    assert_eq!(get(&server, "GET /../etc/passwd HTTP/1.1").0, 403);
    assert_eq!(get(&server, "GET /ok/%2e%2e/%2e%2e/x HTTP/1.1").0, 403);
    assert_eq!(get(&server, "GET /%zz HTTP/1.1").0, 400);
    assert_eq!(get(&server, "POST /ok/ HTTP/1.1").0, 405);

    let kinds = [
        ("a.css", "text/css; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.json", "application/json"),
        ("a.svg", "image/svg+xml"),
        ("a.png", "image/png"),
        ("a.JPG", "image/jpeg"),
        ("a.vtt", "text/vtt; charset=utf-8"),
        ("a.wasm", "application/wasm"),
        ("a.woff2", "font/woff2"),
        ("a.pf_meta", "application/octet-stream"),
    ];
    for (name, kind) in kinds {
        assert_eq!(support::server::content_type(Path::new(name)), kind, "{name}");
    }

    let address = server.url.trim_start_matches("http://").to_string();
    drop(server);
    assert!(TcpStream::connect(&address).is_err(), "the server still accepts connections after drop");
}

/// Sends one raw request (so `..` reaches the server unnormalised); returns the status, the
/// lowercased head and the body.
fn get(server: &StaticServer, request: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    write!(stream, "{request}\r\nHost: test\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]).to_lowercase();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, response[split + 4..].to_vec())
}

/// Writes three pages with known accessibility: `/ok/` (none wrong), `/dark-contrast/` (poor
/// contrast in dark mode only) and `/broken/` (an image without alt, a missing stylesheet).
fn write_harness_site(root: &Path) {
    let page = |title: &str, head: &str, body: &str| {
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title}</title><style>\
             body {{ font: 16px/1.5 sans-serif; color: #111; background: #fff; }}\
             @media (prefers-color-scheme: dark) {{ body {{ color: #eee; background: #121212; }} }}\
             </style>{head}</head>\
             <body><header><p>Harness</p></header><main><h1>{title}</h1>{body}</main></body></html>\n"
        )
    };
    let pages = [
        (
            "ok",
            page(
                "All fine",
                "",
                "<p>Readable in light and dark.</p><button type=\"button\" \
                 onclick=\"const c = document.getElementById('count'); \
                 c.textContent = String(Number(c.textContent) + 1)\">Count</button> \
                 <output id=\"count\">0</output>",
            ),
        ),
        (
            "dark-contrast",
            page(
                "Dark contrast",
                "<style>@media (prefers-color-scheme: dark) { .faint { color: #333; } }</style>",
                "<p class=\"faint\">Hard to read in dark mode.</p>",
            ),
        ),
        (
            "broken",
            page(
                "Broken",
                "<link rel=\"stylesheet\" href=\"/missing.css\">",
                "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" width=\"40\" height=\"40\">",
            ),
        ),
    ];
    for (dir, html) in pages {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        std::fs::write(root.join(dir).join("index.html"), html).unwrap();
    }
}

/// The theme's scripts in a real browser: copy buttons, remembered dark mode, the phone menu,
/// lazy sidebar categories, and pages with JavaScript off.
#[test]
fn theme_behaviour_in_the_browser() {
    if !support::require("chromium") {
        return;
    }
    let site = support::copy_fixture("render");
    let out = site.path().join("build");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let large = tempfile::tempdir().unwrap();
    for f in 0..40 {
        let dir = large.path().join(format!("docs/{f:02}-Folder {f}"));
        std::fs::create_dir_all(&dir).unwrap();
        for p in 0..10 {
            std::fs::write(dir.join(format!("{p:02}-page-{p}.md")), format!("# Page {f}.{p}\n\nText.\n")).unwrap();
        }
    }
    let large_out = large.path().join("build");
    support::lectern_ok(["build".as_ref(), large.path().as_os_str(), "--out".as_ref(), large_out.as_os_str()]);
    let server = StaticServer::start(&out);
    let large_server = StaticServer::start(&large_out);
    let result = browser::run_script(
        "tests/theme.mjs",
        &server.url,
        json!({ "page": "/Basics/features", "other": "/Basics/plain", "lazyBase": large_server.url, "lazyPage": "/Folder%203/page-4" }),
    );
    browser::assert_ok(&result);
}
