//! `lectern check --external` against real HTTP servers on 127.0.0.1 (never the internet): one
//! that answers 200, 301, 404, 429 with `Retry-After`, and slowly; a port where nothing listens;
//! four more hosts that hold each request, to see the concurrency bound. The servers log every
//! request with its time, so the tests see retries, waits, the per-host interval and the cache.

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A test server: every request's path and arrival time, and the most requests in flight at once
/// (shared between servers to measure them together).
struct Server {
    port: u16,
    log: Arc<Mutex<Vec<(String, Instant)>>>,
}

#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Server {
    fn start(in_flight: Arc<InFlight>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
        let port = listener.local_addr().expect("an address").port();
        let log: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
        let server_log = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, in_flight) = (server_log.clone(), in_flight.clone());
                std::thread::spawn(move || answer(stream, &log, &in_flight));
            }
        });
        Server { port, log }
    }

    /// How many requests each path had.
    fn hits(&self) -> BTreeMap<String, usize> {
        let mut hits = BTreeMap::new();
        for (path, _) in self.log.lock().expect("log").iter() {
            *hits.entry(path.clone()).or_insert(0) += 1;
        }
        hits
    }

    fn times(&self, path: &str) -> Vec<Instant> {
        self.log.lock().expect("log").iter().filter(|(p, _)| p == path).map(|(_, t)| *t).collect()
    }

    fn clear(&self) {
        self.log.lock().expect("log").clear();
    }
}

fn answer(stream: TcpStream, log: &Mutex<Vec<(String, Instant)>>, in_flight: &InFlight) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).map_or(true, |n| n == 0) || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
    let busy_before = {
        let mut log = log.lock().expect("log");
        let before = log.iter().filter(|(p, _)| p == "/busy").count();
        log.push((path.clone(), Instant::now()));
        before
    };
    let now = in_flight.now.fetch_add(1, Ordering::SeqCst) + 1;
    in_flight.most.fetch_max(now, Ordering::SeqCst);
    let (status, extra) = match path.as_str() {
        "/ok" => ("200 OK", String::new()),
        "/moved" => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        "/gone" => ("404 Not Found", String::new()),
        "/busy" if busy_before == 0 => ("429 Too Many Requests", "Retry-After: 1\r\n".to_string()),
        "/busy" => ("200 OK", String::new()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        "/hold" => {
            std::thread::sleep(Duration::from_millis(400));
            ("200 OK", String::new())
        }
        _ => ("404 Not Found", String::new()),
    };
    in_flight.now.fetch_sub(1, Ordering::SeqCst);
    let body = "<!doctype html><title>x</title>";
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The fixture with the servers' ports in place of `{A}`, `{C1}`…, `{CLOSED}`.
fn site(ports: &[(&str, u16)]) -> tempfile::TempDir {
    let site = support::copy_fixture("external");
    for rel in ["lectern.yml", "docs/index.md", "docs/wide.md"] {
        let path = site.path().join(rel);
        let mut text = std::fs::read_to_string(&path).expect("reading the fixture");
        for (name, port) in ports {
            text = text.replace(&format!("{{{name}}}"), &port.to_string());
        }
        std::fs::write(&path, text).expect("writing the fixture");
    }
    site
}

/// A port where nothing listens: bound, then let go.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
    listener.local_addr().expect("an address").port()
}

fn check(site: &Path, format: &str) -> Output {
    support::lectern(["check".as_ref(), site.as_os_str(), "--external".as_ref(), "--format".as_ref(), format.as_ref()])
}

fn json_problems(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn summary_line(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr.lines().find(|l| l.starts_with("external links: ")).unwrap_or_default().to_string()
}

#[test]
fn external_links_are_checked_with_retries_rate_limits_and_a_cache() {
    let in_flight = Arc::new(InFlight::default());
    let a = Server::start(Arc::new(InFlight::default()));
    let wide: Vec<Server> = (0..4).map(|_| Server::start(in_flight.clone())).collect();
    let closed = closed_port();
    let site = site(&[
        ("A", a.port),
        ("C1", wide[0].port),
        ("C2", wide[1].port),
        ("C3", wide[2].port),
        ("C4", wide[3].port),
        ("CLOSED", closed),
    ]);

    let out = check(site.path(), "json");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "a 404 fails the check:\n{stderr}");
    let problems = json_problems(&out);
    let found: Vec<(String, u64, u64, String)> = problems
        .iter()
        .map(|p| {
            (
                p["severity"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64().unwrap_or_default(),
                p["column"].as_u64().unwrap_or_default(),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let url = |path: &str| format!("http://127.0.0.1:{}{path}", a.port);
    // Where `[slow one]` starts on line 9, which holds a port number before it.
    let page = std::fs::read_to_string(site.path().join("docs/index.md")).expect("the page");
    let line9 = page.lines().nth(8).expect("line 9");
    let slow_column = line9[..line9.find("[slow one]").expect("the slow link")].chars().count() as u64 + 1;
    let closed_url = format!("http://127.0.0.1:{closed}/");
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found.contains(&(
        "error".into(),
        7,
        13,
        format!("external link '{}' is broken: the server answered 404", url("/gone"))
    )));
    assert!(
        found.contains(&(
            "warning".into(),
            9,
            slow_column,
            format!("external link '{}' could not be checked: no answer within 1 s", url("/slow"))
        )),
        "{found:#?}"
    );
    let refused = found.iter().find(|f| f.3.contains(&closed_url)).expect("the closed port is reported");
    assert_eq!((refused.0.as_str(), refused.1), ("warning", 11));
    assert!(refused.3.contains("cannot connect to 127.0.0.1:"), "{refused:?}");
    assert_eq!(
        summary_line(&out),
        "external links: 10 checked (0 from the cache), 1 broken, 2 could not be checked, 2 ignored",
        "{stderr}"
    );

    let hits = a.hits();
    assert_eq!(hits.get("/ok"), Some(&2), "once for the link, once at the end of the redirect: {hits:?}");
    assert_eq!(hits.get("/moved"), Some(&1));
    assert_eq!(hits.get("/gone"), Some(&1), "a 404 is not retried");
    assert!(!hits.keys().any(|p| p.contains("ignored") || p.contains("never")), "ignored links: {hits:?}");
    let busy = a.times("/busy");
    assert_eq!(busy.len(), 2, "a 429 is retried");
    assert!(busy[1] - busy[0] >= Duration::from_millis(990), "after its Retry-After: {:?}", busy[1] - busy[0]);
    assert_eq!(a.times("/slow").len(), 2, "a timeout is retried once (retries: 1)");
    let mut arrivals: Vec<Instant> = a.log.lock().expect("log").iter().map(|(_, t)| *t).collect();
    arrivals.sort();
    // The limiter starts requests to one host 100 ms apart; their arrival here jitters by the
    // connection's setup on a loaded machine (a gap of 44 ms seen after a late one during a full
    // test run), while without the limiter they arrive within a few milliseconds of each other.
    // So: no two nearly together, and the whole run as long as its intervals less some jitter.
    for pair in arrivals.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(20), "one host, 100 ms apart: {:?}", pair[1] - pair[0]);
    }
    let span = arrivals[arrivals.len() - 1] - arrivals[0];
    let intervals = arrivals.len() as u32 - 1;
    assert!(span >= Duration::from_millis(80) * intervals, "{intervals} intervals of 100 ms took {span:?}");
    // Here the slow link can hold one of the two places while the wide hosts are asked, so only
    // the bound is certain; `concurrency_is_bounded_and_used` sees both places used.
    let most = in_flight.most.load(Ordering::SeqCst);
    assert!((1..=2).contains(&most), "never more than `concurrency: 2` in flight: {most}");

    // Again at once: the definite answers come from the cache; what failed is asked again.
    a.clear();
    let out = check(site.path(), "github");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        summary_line(&out),
        "external links: 10 checked (8 from the cache), 1 broken, 2 could not be checked, 2 ignored"
    );
    assert_eq!(a.hits().keys().collect::<Vec<_>>(), ["/slow"], "only the unanswered link is fetched again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let annotation = format!(
        "::error file=docs/index.md,line=7,col=13::external link '{}' is broken%3A the server answered 404",
        url("/gone")
    );
    let annotations: Vec<&str> = stdout.lines().collect();
    assert!(annotations.iter().any(|l| l.starts_with(&annotation.replace("%3A", ":"))), "{stdout}");
    let cache: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.path().join(".lectern-cache/external-links.json")).expect("the cache file"),
    )
    .expect("JSON");
    let entries = cache["entries"].as_object().expect("entries");
    assert_eq!(entries[&url("/moved")]["status"], 200);
    assert_eq!(entries[&url("/moved")]["final_url"], url("/ok"));
    assert_eq!(entries[&url("/gone")]["status"], 404);
    assert!(entries[&url("/ok")]["checked"].as_u64().is_some_and(|t| t > 1_700_000_000), "checked at a time");
    assert!(!entries.contains_key(&url("/slow")) && !entries.contains_key(&closed_url), "failures are not kept");

    // An answer older than max_age_hours is asked again.
    let yml = site.path().join("lectern.yml");
    let text = std::fs::read_to_string(&yml).expect("reading lectern.yml");
    std::fs::write(&yml, text.replace("  timeout: 1\n", "  timeout: 1\n  max_age_hours: 0\n")).expect("writing");
    a.clear();
    let out = check(site.path(), "human");
    assert_eq!(
        summary_line(&out),
        "external links: 10 checked (0 from the cache), 1 broken, 2 could not be checked, 2 ignored"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("error: docs/index.md:7:13: external link '{}' is broken", url("/gone"))),
        "{stderr}"
    );
    assert!(a.hits().contains_key("/gone") && a.hits().contains_key("/ok"), "{:?}", a.hits());

    // `on_broken_links: warn` makes a broken external link a warning: the check passes.
    let text = std::fs::read_to_string(&yml).expect("reading lectern.yml");
    std::fs::write(&yml, format!("on_broken_links: warn\n{text}")).expect("writing");
    let out = check(site.path(), "human");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("warning: docs/index.md:7:13: external link '{}' is broken", url("/gone"))),
        "{stderr}"
    );
    assert!(summary_line(&out).contains(", 1 broken, 2 could not be checked, "), "{stderr}");
}

#[test]
fn without_the_flag_nothing_goes_out_and_bad_settings_are_diagnosed() {
    let a = Server::start(Arc::new(InFlight::default()));
    let ports = [("A", a.port), ("C1", a.port), ("C2", a.port), ("C3", a.port), ("C4", a.port), ("CLOSED", a.port)];
    let site = site(&ports);
    let out = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(a.hits().is_empty(), "plain check makes no request: {:?}", a.hits());
    assert!(!site.path().join(".lectern-cache/external-links.json").exists());

    let yml = site.path().join("lectern.yml");
    let text = std::fs::read_to_string(&yml).expect("reading lectern.yml");
    std::fs::write(&yml, text.replace("  retries: 1\n", "  retrys: 1\n")).expect("writing");
    let out = check(site.path(), "human");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("lectern.yml:"), "{stderr}");
    assert!(stderr.contains("retrys"), "{stderr}");
    assert!(a.hits().is_empty());
}

#[test]
fn concurrency_is_bounded_and_used() {
    let in_flight = Arc::new(InFlight::default());
    let wide: Vec<Server> = (0..4).map(|_| Server::start(in_flight.clone())).collect();
    let mut ports: Vec<(&str, u16)> = vec![("A", closed_port()), ("CLOSED", closed_port())];
    ports.extend(["C1", "C2", "C3", "C4"].into_iter().zip(wide.iter().map(|s| s.port)));
    let site = site(&ports);
    // Only the page of four hosts that each hold a request for 400 ms.
    std::fs::write(site.path().join("docs/index.md"), "---\ntitle: Home\n---\n\nNo links here.\n").expect("page");
    let out = check(site.path(), "json");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        summary_line(&out),
        "external links: 4 checked (0 from the cache), 0 broken, 0 could not be checked, 0 ignored",
        "{stderr}"
    );
    for server in &wide {
        assert_eq!(server.hits().get("/hold"), Some(&1));
    }
    let most = in_flight.most.load(Ordering::SeqCst);
    assert_eq!(most, 2, "four hosts held at once, never more than `concurrency: 2` in flight");
}
