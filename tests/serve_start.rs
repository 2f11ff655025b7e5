//! `lectern serve` is ready before it has read every page: it answers from the site's outline
//! (front matter, titles, sidebars) at once, and what needs every page (images, search, the
//! problems) follows once the rebuild thread has read them all.
//!
//! To hold the reading of every page for as long as the test needs, the server finds a `git`
//! of the test's on its PATH: the site is a checkout for it, and its second `git log` (the one
//! that reads the pages' dates when every page is read; the outline's is the first) waits until
//! the test creates a file.

#![cfg(unix)]

mod serve_support;
mod support;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

use serve_support::{Serve, connect, texts, wait_for};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d,
    0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A small site at `root`, with an image one page embeds and a broken link.
fn site(root: &Path) {
    let docs = root.join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(root.join("lectern.yml"), "title: Start Fixture\ndocs_dir: docs\nroute_base_path: /\n").unwrap();
    fs::write(
        docs.join("index.md"),
        "---\nsidebar_position: 1\n---\n# Home\n\nWelcome home. ![Logo](./logo.png)\n\nA [broken link](./missing.md).\n",
    )
    .unwrap();
    fs::write(docs.join("second.md"), "---\nsidebar_position: 2\n---\n# Second page\n\nMore text.\n").unwrap();
    fs::write(docs.join("logo.png"), PNG).unwrap();
}

/// A `git` for the server's PATH (in `dir`/bin): every folder is a checkout, with no dates;
/// from its second `git log` on, it answers once `dir`/release exists. Returns the PATH to use.
fn held_git(dir: &Path) -> String {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let (count, release) = (dir.join("logs"), dir.join("release"));
    let script = format!(
        "#!/bin/sh\n\
         for a in \"$@\"; do\n\
         \x20 case \"$a\" in\n\
         \x20   --is-inside-work-tree) echo true; exit 0 ;;\n\
         \x20   log)\n\
         \x20     echo x >> '{count}'\n\
         \x20     if [ \"$(wc -l < '{count}')\" -ge 2 ]; then\n\
         \x20       while [ ! -e '{release}' ]; do sleep 0.02; done\n\
         \x20     fi\n\
         \x20     exit 0 ;;\n\
         \x20 esac\n\
         done\n\
         exit 1\n",
        count = count.display(),
        release = release.display()
    );
    let git = bin.join("git");
    fs::write(&git, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&git, fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// `GET path` on its own thread: (status, body).
fn get_later(serve: &Serve, path: &'static str) -> JoinHandle<(u16, Vec<u8>)> {
    let address = serve.address.clone();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
        let status = String::from_utf8_lossy(&raw[..split]).split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, raw[split + 4..].to_vec())
    })
}

#[test]
fn the_server_answers_from_the_outline_and_the_rest_follows_once_every_page_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let path = held_git(dir.path());
    let (serve, printed) = Serve::start_printing(&root, &[("PATH", path.as_str())]);

    // Pages answer at once, with the whole site's navigation.
    let (status, home) = serve.get("/");
    assert_eq!(status, 200, "{home}");
    assert_eq!(texts(&home, "article h1, main h1"), ["Home"]);
    assert!(texts(&home, "nav a").contains(&"Second page".to_string()), "{:?}", texts(&home, "nav a"));
    let version = serve.page_version("/");
    // What only every page brings waits: the image (a file the pages embed), search, problems.
    let image = get_later(&serve, "/logo.png");
    let manifest = get_later(&serve, "/search/manifest.json");
    std::thread::sleep(Duration::from_millis(500));
    assert!(!image.is_finished() && !manifest.is_finished(), "answered before every page was read");
    let so_far = printed.text();
    assert!(so_far.contains("ready in") && !so_far.contains("rebuilt every page"), "{so_far}");
    assert!(!so_far.contains("matches no page"), "problems before every page was checked:\n{so_far}");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (mut tab, hello) = connect(&serve.socket_url("/", &version)).await;
        assert_eq!(hello["stale"], false, "{hello}");
        fs::write(dir.path().join("release"), "").unwrap();

        let (status, bytes) = image.join().unwrap();
        assert_eq!((status, bytes.as_slice()), (200, PNG));
        let (status, body) = manifest.join().unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let manifest: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(manifest["sections"].as_u64().unwrap_or(0) >= 2, "{manifest}");

        let all = printed.wait_for("link './missing.md' matches no page", Duration::from_secs(20));
        let (ready, read, problem) = (
            all.find("ready in").unwrap(),
            all.find("rebuilt every page after the start").expect(&all),
            all.find("link './missing.md' matches no page").unwrap(),
        );
        assert!(ready < read && read < problem, "{all}");
        // The page the tab shows is what the whole site renders: it does not reload.
        assert!(wait_for(&mut tab, "reload", Duration::from_millis(500)).await.is_none(), "the tab reloaded");
        let (_, again) = connect(&serve.socket_url("/", &version)).await;
        assert_eq!(again["stale"], false, "{again}");
    });
}
