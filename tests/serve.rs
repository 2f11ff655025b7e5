//! `lectern serve` end to end: the real binary on a free port, a copy of `tests/fixtures/serve`
//! edited on disk, raw HTTP requests and live-reload websocket clients.

mod serve_support;
mod support;

use std::time::{Duration, Instant};

use serve_support::{Serve, attrs, connect, save_atomically, texts, wait_for};

const EDIT_ME: &str = "/guide/edit-me/";
const EDIT_ME_FILE: &str = "docs/guide/edit-me.md";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

#[test]
fn an_edit_sends_reload_within_two_seconds_and_the_new_html_is_served() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    runtime().block_on(async {
        let version = serve.page_version(EDIT_ME);
        let (mut socket, hello) = connect(&serve.socket_url(EDIT_ME, &version)).await;
        assert_eq!(hello["stale"], false, "a freshly served page is not stale: {hello}");
        // A tab served by an earlier run of the server (it reconnects after a restart) reloads.
        let (_, restarted) = connect(&serve.socket_url(EDIT_ME, "0123abc.1")).await;
        assert_eq!(restarted["stale"], true, "{restarted}");
        let text = std::fs::read_to_string(site.path().join(EDIT_ME_FILE)).unwrap();
        let written = Instant::now();
        save_atomically(&site.path().join(EDIT_ME_FILE), &text.replace("Original marker", "Edited marker"));
        let reload = wait_for(&mut socket, "reload", Duration::from_secs(2)).await;
        assert!(reload.is_some(), "no reload message within 2 s");
        eprintln!("write → reload message: {} ms", written.elapsed().as_millis());
    });
    let (status, html) = serve.get(EDIT_ME);
    assert_eq!(status, 200);
    assert_eq!(texts(&html, "main article p, main p").iter().filter(|t| t.contains("Edited marker")).count(), 1);
}

#[test]
fn an_edit_to_another_page_does_not_reload_this_one() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    runtime().block_on(async {
        let version = serve.page_version("/");
        let (mut home, _) = connect(&serve.socket_url("/", &version)).await;
        let (mut edited, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        let path = site.path().join(EDIT_ME_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("Original marker", "Body-only edit")).unwrap();
        assert!(wait_for(&mut edited, "reload", Duration::from_secs(2)).await.is_some());
        assert!(wait_for(&mut home, "reload", Duration::from_millis(500)).await.is_none(), "home reloaded");
        // A title is in every page's sidebar: now every tab reloads.
        std::fs::write(&path, text.replace("title: Edit me", "title: Renamed page")).unwrap();
        assert!(wait_for(&mut home, "reload", Duration::from_secs(2)).await.is_some(), "home kept a stale sidebar");
    });
    let (_, html) = serve.get("/");
    assert!(texts(&html, "nav a").contains(&"Renamed page".to_string()), "{:?}", texts(&html, "nav a"));
}

#[test]
fn broken_front_matter_shows_the_overlay_keeps_the_last_good_page_and_the_fix_clears_it() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let path = site.path().join(EDIT_ME_FILE);
    let good = std::fs::read_to_string(&path).unwrap();
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        std::fs::write(&path, good.replace("title: Edit me", "title: [broken")).unwrap();
        let error = wait_for(&mut socket, "error", Duration::from_secs(2)).await.expect("an error message");
        let first = &error["errors"][0];
        assert_eq!(first["location"], "docs/guide/edit-me.md:2:8", "{error}");
        assert!(first["message"].as_str().unwrap_or_default().contains("front matter"), "{error}");
        assert_eq!(first["source"], "title: [broken", "{error}");

        // The last good page still serves, and a tab opened now gets the error in its hello.
        let (status, html) = serve.get(EDIT_ME);
        assert_eq!(status, 200);
        assert_eq!(texts(&html, "h1"), ["Edit me"]);
        let (_, hello) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        assert_eq!(hello["errors"][0]["location"], "docs/guide/edit-me.md:2:8", "{hello}");

        std::fs::write(&path, good.replace("title: Edit me", "title: Fixed")).unwrap();
        assert!(wait_for(&mut socket, "clear", Duration::from_secs(3)).await.is_some(), "no clear message");
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(1)).await.is_some(), "no reload after the fix");
        let (_, hello) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        assert!(hello["errors"].is_null(), "{hello}");
    });
    assert_eq!(texts(&serve.get(EDIT_ME).1, "h1"), ["Fixed"]);
}

#[test]
fn a_deleted_page_gives_404_and_leaves_the_sidebar() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let sidebar = |html: &str| attrs(html, "nav a", "href");
    assert!(sidebar(&serve.get("/").1).contains(&"/guide/delete-me".to_string()));
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url("/", &serve.page_version("/"))).await;
        std::fs::remove_file(site.path().join("docs/guide/delete-me.md")).unwrap();
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(3)).await.is_some(), "no reload");
    });
    let (status, html) = serve.get("/guide/delete-me/");
    assert_eq!(status, 404);
    assert_eq!(texts(&html, "title"), ["Page not found | Serve Fixture"]);
    let links = sidebar(&serve.get("/").1);
    assert!(!links.contains(&"/guide/delete-me".to_string()), "{links:?}");
    assert!(links.contains(&"/guide/edit-me".to_string()), "{links:?}");
}

#[test]
fn two_hundred_clients_all_get_the_reload() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let version = serve.page_version(EDIT_ME);
    let received = runtime().block_on(async {
        let url = serve.socket_url(EDIT_ME, &version);
        let mut sockets = Vec::new();
        for _ in 0..200 {
            sockets.push(connect(&url).await.0);
        }
        let path = site.path().join(EDIT_ME_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("Original marker", "Seen by everyone")).unwrap();
        let waits = sockets.iter_mut().map(|s| wait_for(s, "reload", Duration::from_secs(5)));
        futures_util::future::join_all(waits).await.iter().filter(|m| m.is_some()).count()
    });
    assert_eq!(received, 200);
}

#[test]
fn traversal_attempts_give_404() {
    let site = support::copy_fixture("serve");
    std::fs::write(site.path().join("secret.txt"), "secret").unwrap();
    let serve = Serve::start(site.path());
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/guide/../../secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "//etc/passwd",
        "/guide//edit-me/",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/guide\\..\\..\\secret.txt",
        "/secret.txt",
        "/lectern.yml",
        "/docs/guide/edit-me.md",
    ] {
        let (status, body) = serve.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("secret") || body.contains("<html"), "{path} leaked a file");
    }
}

#[test]
fn only_get_and_head_with_content_types() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let header = |h: &[(String, String)], name: &str| h.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    for method in ["POST", "PUT", "DELETE"] {
        assert_eq!(serve.request(method, "/").0, 405, "{method}");
    }
    let (status, headers, body) = serve.request("HEAD", EDIT_ME);
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert!(header(&headers, "content-length").and_then(|l| l.parse::<usize>().ok()).unwrap_or(0) > 0);
    for (path, want) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/lectern.css", "text/css; charset=utf-8"),
        ("/assets/lectern.js", "text/javascript; charset=utf-8"),
        ("/__lectern/livereload.js", "text/javascript; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
    ] {
        let (status, headers, _) = serve.request("GET", path);
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&headers, "content-type").as_deref(), Some(want), "{path}");
    }
    assert_eq!(serve.request("GET", "/guide/edit-me").0, 301);
    // A search result's `?highlight=` survives the redirect to the folder.
    let (status, headers, _) = serve.request("GET", "/guide/edit-me?highlight=caf%C3%A9");
    assert_eq!(status, 301);
    assert_eq!(header(&headers, "location").as_deref(), Some("/guide/edit-me/?highlight=caf%C3%A9"));
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let site = support::copy_fixture("serve");
    std::fs::create_dir_all(site.path().join("theme")).unwrap();
    std::fs::write(site.path().join("theme/lectern.css"), "body { color: red }\n").unwrap();
    let serve = Serve::start(site.path());
    // Pages carry their stylesheets, each naming its file for the swap.
    let inline = |html: &str| -> Vec<String> { texts(html, "style[data-href^='/assets/lectern.css?v=']") };
    assert_eq!(inline(&serve.get(EDIT_ME).1), ["body{color: red}"]);
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        std::fs::write(site.path().join("theme/lectern.css"), "body { color: blue }\n").unwrap();
        let message = serve_support::next_message(&mut socket, Duration::from_secs(2)).await;
        assert_eq!(message.as_ref().map(|m| m["type"].clone()), Some("css".into()), "{message:?}");
    });
    assert_eq!(serve.get("/assets/lectern.css").1, "body { color: blue }\n");
    // The page the tab had and one it had not asked for yet both carry the new stylesheet.
    assert_eq!(inline(&serve.get(EDIT_ME).1), ["body{color: blue}"]);
    assert_eq!(inline(&serve.get("/").1), ["body{color: blue}"]);
    assert_eq!(inline(&serve.get("/404-nothing-here").1), ["body{color: blue}"]);
}

#[test]
fn a_site_broken_at_startup_serves_an_error_page_until_fixed() {
    let site = support::copy_fixture("serve");
    let path = site.path().join(EDIT_ME_FILE);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replace("title: Edit me", "title: [broken")).unwrap();
    let serve = Serve::start(site.path());
    let (status, html) = serve.get(EDIT_ME);
    assert_eq!(status, 500);
    assert_eq!(texts(&html, "li code"), ["docs/guide/edit-me.md:2:8"]);
    runtime().block_on(async {
        let (mut socket, hello) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        assert_eq!(hello["errors"][0]["location"], "docs/guide/edit-me.md:2:8", "{hello}");
        std::fs::write(&path, &good).unwrap();
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(3)).await.is_some());
    });
    let (status, html) = serve.get(EDIT_ME);
    assert_eq!(status, 200);
    assert_eq!(texts(&html, "h1"), ["Edit me"]);
}

#[test]
fn a_port_in_use_is_a_clear_error_with_exit_code_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = support::copy_fixture("serve");
    let out = support::lectern(["serve".as_ref(), site.path().as_os_str(), "--port".as_ref(), port.as_ref()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("127.0.0.1:{port} is already in use")), "{stderr}");
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[test]
fn build_output_never_carries_the_live_reload_script() {
    let site = support::copy_fixture("serve");
    let out = site.path().join("build");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let html = std::fs::read_to_string(out.join("guide/edit-me/index.html")).unwrap();
    assert_eq!(attrs(&html, "script", "src").iter().filter(|s| s.contains("__lectern")).count(), 0);
    let serve = Serve::start(site.path());
    let served = serve.get(EDIT_ME).1;
    assert_eq!(attrs(&served, "script[data-lectern-version]", "src"), ["/__lectern/livereload.js"]);
}

/// Polls `check` every 50 ms for up to `limit`.
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Whether the served search index has the word `term` (as a stem or one of a stem's words),
/// read as the browser reads it: the manifest, then every shard it lists.
fn index_has(serve: &Serve, term: &str) -> bool {
    let (status, manifest) = serve.get("/search/manifest.json");
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&manifest) else { return false };
    status == 200
        && manifest["shards"].as_array().into_iter().flatten().enumerate().any(|(n, _)| {
            let (_, shard) = serve.get(&format!("/search/t/{n}.json"));
            serde_json::from_str::<serde_json::Value>(&shard).ok().and_then(|s| s.as_array().cloned()).is_some_and(
                |terms| {
                    terms.iter().any(|t| t[0] == term || t[3].as_array().is_some_and(|w| w.iter().any(|w| w == term)))
                },
            )
        })
}

#[test]
fn the_search_index_is_rebuilt_in_the_background_after_an_edit() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    assert!(eventually(Duration::from_secs(10), || index_has(&serve, "original")), "no index after start-up");
    assert!(!index_has(&serve, "zebrafinch"));
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        let path = site.path().join(EDIT_ME_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        save_atomically(&path, &text.replace("Original marker", "Zebrafinch marker"));
        // The reload comes first; the index follows without holding it up.
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(2)).await.is_some());
    });
    assert!(eventually(Duration::from_secs(10), || index_has(&serve, "zebrafinch")), "edit never reached the index");
}

#[test]
fn only_requests_naming_the_server_are_answered() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let port = serve.address.rsplit(':').next().unwrap().to_string();
    for host in [serve.address.clone(), format!("localhost:{port}"), format!("[::1]:{port}")] {
        let (status, _, body) = serve.request_for(&host, "GET", EDIT_ME);
        assert_eq!(status, 200, "{host}");
        assert_eq!(texts(&String::from_utf8_lossy(&body), "h1"), ["Edit me"], "{host}");
    }
    // What a page of another site reaches through DNS rebinding, or a wrong port.
    for host in [format!("evil.example:{port}"), "evil.example".to_string(), "127.0.0.1:1".to_string()] {
        let (status, headers, body) = serve.request_for(&host, "GET", EDIT_ME);
        assert_eq!(status, 403, "{host}");
        let content_type = headers.iter().find(|(k, _)| k == "content-type").map(|(_, v)| v.as_str());
        assert_eq!(content_type, Some("text/plain; charset=utf-8"), "{host}");
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("DNS rebinding") && text.contains(&format!("localhost:{port}")), "{text}");
    }
}

#[test]
fn the_live_reload_socket_opens_only_to_pages_of_the_server() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let url = serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME));
    let port = serve.address.rsplit(':').next().unwrap().to_string();
    runtime().block_on(async {
        for origin in [Some("http://evil.example".to_string()), Some(format!("http://evil.example:{port}")), None] {
            let refused = serve_support::connect_from(&url, origin.as_deref()).await.err();
            assert_eq!(refused, Some(403), "{origin:?}");
        }
        for origin in [format!("http://{}", serve.address), format!("http://localhost:{port}")] {
            let mut socket = serve_support::connect_from(&url, Some(&origin)).await.expect("a same-origin socket");
            let hello = serve_support::next_message(&mut socket, Duration::from_secs(5)).await;
            assert_eq!(hello.map(|h| h["type"].clone()), Some("hello".into()), "{origin}");
        }
    });
}

/// The reported sequence: a new page with broken front matter shows the overlay; deleting that
/// page (which the last good build never had) must clear it and rebuild.
#[test]
fn deleting_the_broken_new_page_clears_the_overlay() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let broken = site.path().join("docs/guide/broken.md");
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        std::fs::write(&broken, "---\ntitle: [broken\n---\n\nNew page.\n").unwrap();
        let error = wait_for(&mut socket, "error", Duration::from_secs(3)).await.expect("an error message");
        // (Only the file: the line and column of YAML errors are another test's business.)
        let location = error["errors"][0]["location"].as_str().unwrap_or_default();
        assert!(location.starts_with("docs/guide/broken.md:"), "{error}");
        std::fs::remove_file(&broken).unwrap();
        assert!(wait_for(&mut socket, "clear", Duration::from_secs(3)).await.is_some(), "the overlay stayed");
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(1)).await.is_some(), "no reload after the delete");
        let (_, hello) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        assert!(hello["errors"].is_null(), "{hello}");
    });
}

/// Moving `docs/` away is an error on the overlay, not a deleted site served as if nothing
/// happened; moving it back clears it.
#[test]
fn moving_the_docs_folder_away_is_an_error_on_the_overlay() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        std::fs::rename(site.path().join("docs"), site.path().join("docs-moved")).unwrap();
        let error = wait_for(&mut socket, "error", Duration::from_secs(3)).await.expect("an error message");
        assert_eq!(error["errors"][0]["message"], "the docs folder does not exist", "{error}");
        let (_, hello) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        assert_eq!(hello["errors"][0]["message"], "the docs folder does not exist", "{hello}");
        std::fs::rename(site.path().join("docs-moved"), site.path().join("docs")).unwrap();
        assert!(wait_for(&mut socket, "clear", Duration::from_secs(3)).await.is_some(), "the overlay stayed");
    });
    assert_eq!(texts(&serve.get(EDIT_ME).1, "h1"), ["Edit me"]);
}

/// While a burst of saves keeps the site rebuilding, the last good search index keeps serving
/// (`search/manifest.json` answered 404 over a thousand times in 200 saves).
#[test]
fn search_answers_throughout_a_burst_of_saves() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    assert!(eventually(Duration::from_secs(10), || index_has(&serve, "original")), "no index after start-up");
    let path = site.path().join(EDIT_ME_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    let statuses = std::thread::scope(|scope| {
        let poller = scope.spawn(|| {
            let mut statuses = Vec::new();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                statuses.push(serve.get("/search/manifest.json").0);
            }
            statuses
        });
        for n in 0..100 {
            // A new title each time: every page's sidebar changes, so every page is rendered again.
            save_atomically(&path, &text.replace("title: Edit me", &format!("title: Saved {n}")));
            std::thread::sleep(Duration::from_millis(30));
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        poller.join().unwrap()
    });
    let failed: Vec<&u16> = statuses.iter().filter(|s| **s != 200).collect();
    assert!(statuses.len() > 100, "only {} requests", statuses.len());
    assert!(
        failed.is_empty(),
        "{} of {} requests failed: {:?}",
        failed.len(),
        statuses.len(),
        &failed[..failed.len().min(5)]
    );
    assert!(eventually(Duration::from_secs(10), || index_has(&serve, "99")), "the last save never reached the index");
}

/// A connection that sends nothing is closed after the idle timeout (30 s); an open live-reload
/// socket is not, and still gets its reload.
#[test]
fn idle_connections_are_closed_but_live_reload_sockets_stay() {
    use std::io::Read;
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        let mut idle = std::net::TcpStream::connect(&serve.address).unwrap();
        // Well past the timeout: a server that never closes it fails here instead of hanging.
        idle.set_read_timeout(Some(Duration::from_secs(90))).unwrap();
        let closed = tokio::task::spawn_blocking(move || idle.read(&mut [0u8; 64])).await.unwrap();
        assert!(matches!(closed, Ok(0)), "the idle connection was not closed: {closed:?}");
        let path = site.path().join(EDIT_ME_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("Original marker", "After the timeout")).unwrap();
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(3)).await.is_some(), "the socket was closed");
    });
}

/// Pages are rendered when a tab first asks for them, not when the site loads, and kept in a
/// cache until they change: `Server-Timing` says which (`render;dur=…` or `cache`).
#[test]
fn pages_are_rendered_when_first_asked_for_and_cached_until_they_change() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let timing = |path: &str| {
        let (status, headers, body) = serve.request("GET", path);
        assert_eq!(status, 200, "{path}");
        let timing = headers.iter().find(|(k, _)| k == "server-timing").map(|(_, v)| v.clone()).unwrap_or_default();
        (timing, String::from_utf8_lossy(&body).into_owned())
    };
    const LONG: &str = "/guide/long/";
    let (first, html) = timing(LONG);
    assert!(first.starts_with("render;dur="), "never rendered before it was asked for: {first}");
    assert_eq!(texts(&html, "h1"), ["A long page"]);
    let (again, same) = timing(LONG);
    assert_eq!(again, "cache");
    assert_eq!(same, html);
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        let path = site.path().join(EDIT_ME_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        save_atomically(&path, &text.replace("Original marker", "Edited marker"));
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(5)).await.is_some());
        // The edited page was rendered by the rebuild, ready for the reload; the others stay.
        let (edited, html) = timing(EDIT_ME);
        assert_eq!(edited, "cache");
        assert!(html.contains("Edited marker"));
        assert_eq!(timing(LONG).0, "cache", "an edit of another page keeps this one");
        // A new title shows in every page's sidebar: every page is rendered again.
        let text = std::fs::read_to_string(&path).unwrap();
        save_atomically(&path, &text.replace("title: Edit me", "title: Renamed page"));
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(5)).await.is_some());
    });
    let (after, html) = timing(LONG);
    assert!(after.starts_with("render;dur="), "{after}");
    assert!(texts(&html, "nav a").iter().any(|t| t == "Renamed page"), "{:?}", texts(&html, "nav a"));
    assert_eq!(timing(LONG).0, "cache");
}

/// Search results for `word` as the browser finds them: the manifest, the shards whose span
/// holds the word, its sections, and each section's record in the chunks (url#anchor, heading).
fn search_results(serve: &Serve, word: &str) -> Vec<(String, String)> {
    let json = |path: &str| -> serde_json::Value {
        let (status, body) = serve.get(path);
        assert_eq!(status, 200, "{path}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let manifest = json("/search/manifest.json");
    let mut sections = Vec::new();
    for (n, span) in manifest["shards"].as_array().unwrap().iter().enumerate() {
        if span[0].as_str().unwrap() > word || span[1].as_str().unwrap() < word {
            continue;
        }
        for e in json(&format!("/search/t/{n}.json")).as_array().unwrap() {
            let words = e.get(3).and_then(|w| w.as_array()).cloned().unwrap_or_default();
            if e[0] == word || words.iter().any(|w| w == word) {
                let mut section = 0;
                for pair in e[2].as_array().unwrap().chunks(2) {
                    section += pair[0].as_u64().unwrap();
                    sections.push(section);
                }
            }
        }
    }
    let mut out = Vec::new();
    for mut n in sections {
        for (c, size) in manifest["chunks"].as_array().unwrap().iter().enumerate() {
            let size = size.as_u64().unwrap();
            if n >= size {
                n -= size;
                continue;
            }
            for page in json(&format!("/search/d/{c}.json")).as_array().unwrap() {
                let parts = page[3].as_array().unwrap();
                if (n as usize) < parts.len() {
                    let part = &parts[n as usize];
                    let anchor = part[0].as_str().unwrap();
                    let url = page[1].as_str().unwrap();
                    let url = if anchor.is_empty() { url.to_string() } else { format!("{url}#{anchor}") };
                    out.push((url, part[1].as_str().unwrap().to_string()));
                    break;
                }
                n -= parts.len() as u64;
            }
            break;
        }
    }
    out.sort();
    out
}

/// An edit that adds sections to one page: the index takes in that page alone, and every
/// result, on that page and on the pages after it, still leads to the right section.
#[test]
fn search_results_follow_an_edit_that_adds_sections() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    assert!(eventually(Duration::from_secs(10), || index_has(&serve, "original")), "no index after start-up");
    let original = |serve: &Serve| search_results(serve, "original");
    assert_eq!(original(&serve), [("/guide/edit-me".into(), String::new()), ("/guide/long".into(), String::new())]);
    let path = site.path().join(EDIT_ME_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "Original marker paragraph.",
        "Plain paragraph.\n\n## Kingfisher nesting\n\nBirds dig tunnels.\n\n## Wren songs\n\nLoud for their size.\n",
    );
    save_atomically(&path, &edited);
    assert!(
        eventually(Duration::from_secs(10), || index_has(&serve, "kingfisher")),
        "the edit never reached the index"
    );
    assert_eq!(
        search_results(&serve, "kingfisher"),
        [("/guide/edit-me#kingfisher-nesting".into(), "Kingfisher nesting".into())]
    );
    assert_eq!(
        search_results(&serve, "tunnels"),
        [("/guide/edit-me#kingfisher-nesting".into(), "Kingfisher nesting".into())]
    );
    assert_eq!(search_results(&serve, "loud"), [("/guide/edit-me#wren-songs".into(), "Wren songs".into())]);
    assert_eq!(original(&serve), [("/guide/long".into(), String::new())], "the old text is gone");
    assert_eq!(search_results(&serve, "scroll"), [("/guide/long".into(), String::new())]);
    assert_eq!(search_results(&serve, "fixture"), [("/".into(), String::new())]);
}

/// `llms.txt` and `llms-full.txt` are made when asked for, from the site as it is now.
#[test]
fn the_llms_files_are_made_when_asked_for_and_follow_edits() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let (status, index) = serve.get("/llms.txt");
    assert_eq!(status, 200);
    assert!(index.contains("[Edit me](/guide/edit-me)"), "{index}");
    let (status, full) = serve.get("/llms-full.txt");
    assert_eq!(status, 200);
    assert!(full.contains("Original marker paragraph."), "{full}");
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url(EDIT_ME, &serve.page_version(EDIT_ME))).await;
        let path = site.path().join(EDIT_ME_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        save_atomically(&path, &text.replace("Original marker", "Heron marker"));
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(5)).await.is_some());
    });
    assert!(serve.get("/llms-full.txt").1.contains("Heron marker paragraph."));
}
