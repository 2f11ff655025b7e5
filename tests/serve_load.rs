//! `lectern serve` under load, bounded and on 127.0.0.1 only: 20,000 requests over 64
//! connections at a time complete with no error, and memory stays flat over many rebuilds.
//! Prints throughput, p99 latency and RSS.

mod serve_support;
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serve_support::{Serve, connect, save_atomically, wait_for};

const REQUESTS: usize = 20_000;
const CONNECTIONS: usize = 64;

/// One GET on a fresh connection: the status code, or an error.
fn get(address: &str, path: &str) -> Result<u16, String> {
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]).into_owned();
    head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| format!("bad response: {head:?}"))
}

#[test]
fn twenty_thousand_requests_over_64_connections_all_succeed() {
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let paths = ["/", "/guide/edit-me/", "/guide/long/", "/assets/lectern.css", "/404-nothing-here"];
    let started = Instant::now();
    let per_thread = REQUESTS.div_ceil(CONNECTIONS);
    let results: Vec<(Vec<Duration>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CONNECTIONS)
            .map(|t| {
                let address = serve.address.clone();
                scope.spawn(move || {
                    let (mut times, mut errors) = (Vec::with_capacity(per_thread), Vec::new());
                    for n in 0..per_thread {
                        let path = paths[(t + n) % paths.len()];
                        let sent = Instant::now();
                        match get(&address, path) {
                            Ok(200) if !path.starts_with("/404") => {}
                            Ok(404) if path.starts_with("/404") => {}
                            Ok(code) => errors.push(format!("{path}: status {code}")),
                            Err(e) => errors.push(format!("{path}: {e}")),
                        }
                        times.push(sent.elapsed());
                    }
                    (times, errors)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a load thread")).collect()
    });
    let elapsed = started.elapsed();
    let mut times: Vec<Duration> = results.iter().flat_map(|(t, _)| t.iter().copied()).collect();
    let errors: Vec<&String> = results.iter().flat_map(|(_, e)| e).collect();
    times.sort();
    let p99 = times[times.len() * 99 / 100];
    eprintln!(
        "serve load: {} requests over {CONNECTIONS} connections in {:.2} s: {:.0} requests/s, p99 {:.1} ms, {} errors, RSS {} KiB",
        times.len(),
        elapsed.as_secs_f64(),
        times.len() as f64 / elapsed.as_secs_f64(),
        p99.as_secs_f64() * 1000.0,
        errors.len(),
        serve.rss_kib().unwrap_or(0)
    );
    assert_eq!(times.len(), per_thread * CONNECTIONS);
    assert!(errors.is_empty(), "{} errors, first: {:?}", errors.len(), errors.first());
}

/// Edits a page over and over; after a warm-up the server's memory must not keep growing.
#[test]
fn memory_stays_flat_over_many_rebuilds() {
    let rebuilds: usize = std::env::var("LECTERN_LOAD_REBUILDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let site = support::copy_fixture("serve");
    let serve = Serve::start(site.path());
    let file = site.path().join("docs/guide/edit-me.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut samples = Vec::new();
    runtime.block_on(async {
        let (mut socket, _) =
            connect(&serve.socket_url("/guide/edit-me/", &serve.page_version("/guide/edit-me/"))).await;
        for n in 0..rebuilds {
            save_atomically(&file, &text.replace("Original marker", &format!("Edit number {n}")));
            assert!(wait_for(&mut socket, "reload", Duration::from_secs(5)).await.is_some(), "no reload for edit {n}");
            if n == rebuilds / 5 || n + 1 == rebuilds {
                samples.push(serve.rss_kib().unwrap_or(0));
            }
        }
    });
    eprintln!("serve memory over {rebuilds} rebuilds: {} KiB after warm-up, {} KiB at the end", samples[0], samples[1]);
    assert!(samples[0] > 0);
    // Allocator noise is fine; a leak of even a page per rebuild is not.
    assert!(samples[1] < samples[0] + samples[0] / 5, "memory grew from {} to {} KiB", samples[0], samples[1]);
}
