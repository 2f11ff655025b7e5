//! Helpers for the `lectern serve` tests: run the real binary on a free port, speak raw HTTP to
//! it (so request paths reach the server exactly as written) and listen on its live-reload
//! websocket.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

/// A running `lectern serve`; killed on drop.
pub struct Serve {
    child: Child,
    /// Its terminal output (stderr) so far; each line is also echoed to the test's own stderr.
    stderr: Arc<Mutex<String>>,
    /// `http://127.0.0.1:PORT/` (base_url included).
    pub url: String,
    /// `127.0.0.1:PORT`.
    pub address: String,
}

/// What a server started with [`Serve::start_printing`] printed on stderr so far.
#[derive(Clone)]
pub struct Printed(Arc<Mutex<String>>);

impl Printed {
    /// Everything so far.
    pub fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    /// Waits until the output contains `needle`; everything so far. Panics after `limit`.
    pub fn wait_for(&self, needle: &str, limit: Duration) -> String {
        let started = Instant::now();
        loop {
            let all = self.text();
            if all.contains(needle) {
                return all;
            }
            assert!(started.elapsed() < limit, "serve never printed {needle:?}; it printed:\n{all}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Serve {
    /// Starts `lectern serve ROOT --port 0`, waits until it prints its URL, then until it has
    /// read every page and indexed them (it answers from the site's outline before that; see
    /// tests/serve_start.rs), so that a test's edits never race the start.
    pub fn start(root: &Path) -> Serve {
        let serve = Serve::spawn(root, &[]);
        // Answered once the index is whole, or at once when the site does not build.
        serve.request("GET", "/search/manifest.json");
        serve
    }

    /// [`Serve::start`] with `envs` set, not waiting for the index: what the server prints on
    /// stderr (also kept by every [`Serve`], and echoed) to read as it comes.
    pub fn start_printing(root: &Path, envs: &[(&str, &str)]) -> (Serve, Printed) {
        let serve = Serve::spawn(root, envs);
        let printed = Printed(serve.stderr.clone());
        (serve, printed)
    }

    fn spawn(root: &Path, envs: &[(&str, &str)]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .arg("serve")
            .arg(root)
            .args(["--port", "0"])
            .env("NO_COLOR", "1")
            .envs(envs.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting lectern serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let pipe = child.stderr.take().expect("serve stderr");
            let stderr = stderr.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    eprintln!("serve: {line}");
                    let mut all = stderr.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    all.push_str(&line);
                    all.push('\n');
                }
            });
        }
        let stdout = child.stdout.take().expect("serve stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).expect("lectern serve printed no URL within 30 s");
        let url =
            line.split_whitespace().find(|w| w.starts_with("http://")).expect("a URL in the first line").to_string();
        let address = url.trim_start_matches("http://").split('/').next().unwrap_or_default().to_string();
        Serve { child, stderr, url, address }
    }

    /// How much terminal output there is so far (a place to wait from).
    pub fn stderr_len(&self) -> usize {
        self.stderr.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    /// Waits until the terminal output after byte `from` contains `needle`; the output so far.
    pub fn wait_stderr(&self, from: usize, needle: &str, limit: Duration) -> String {
        let started = Instant::now();
        loop {
            let all = self.stderr.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
            if all.get(from..).is_some_and(|rest| rest.contains(needle)) {
                return all[from..].to_string();
            }
            assert!(started.elapsed() < limit, "serve never printed {needle:?}; it printed:\n{}", &all[from..]);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `METHOD raw_path` as written and returns (status, headers lower-cased, body).
    pub fn request(&self, method: &str, raw_path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.request_for(&self.address, method, raw_path)
    }

    /// [`Serve::request`] with `Host: host`.
    pub fn request_for(&self, host: &str, method: &str, raw_path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.request_with(method, raw_path, &[("Host", host)])
    }

    /// `METHOD raw_path` with `headers` (`Host` is this server's unless given): (status,
    /// lower-cased headers, body).
    pub fn request_with(
        &self,
        method: &str,
        raw_path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).expect("connecting to serve");
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("setting a timeout");
        let mut head = format!("{method} {raw_path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.address));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("sending a request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("reading the response");
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        (status, headers, raw[split + 4..].to_vec())
    }

    /// GET `raw_path`: (status, body as text).
    pub fn get(&self, raw_path: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", raw_path);
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// The version token a page was served with (what a tab connects with).
    pub fn page_version(&self, raw_path: &str) -> String {
        let (_, html) = self.get(raw_path);
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("script[data-lectern-version]").expect("selector");
        doc.select(&sel).next().and_then(|s| s.value().attr("data-lectern-version")).unwrap_or_default().to_string()
    }

    /// The websocket URL a tab showing `page`, served at `version`, connects to.
    pub fn socket_url(&self, page: &str, version: &str) -> String {
        format!("ws://{}/__lectern/livereload?page={page}&v={version}", self.address)
    }
}

impl Serve {
    /// The server process's resident memory, in KiB (Linux), read from /proc.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Connects to the live-reload websocket as a page of the server would (`Origin` is the server)
/// and reads its hello.
pub async fn connect(url: &str) -> (Socket, Value) {
    let authority = url.trim_start_matches("ws://").split('/').next().unwrap_or_default();
    let origin = format!("http://{authority}");
    let mut socket = connect_from(url, Some(&origin)).await.expect("connecting to the live-reload socket");
    let hello = next_message(&mut socket, Duration::from_secs(5)).await.expect("a hello message");
    assert_eq!(hello["type"], "hello", "{hello}");
    (socket, hello)
}

/// Opens the websocket with `Origin: origin` (none when None); the HTTP status of a refusal.
pub async fn connect_from(url: &str, origin: Option<&str>) -> Result<Socket, u16> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = url.into_client_request().expect("a websocket request");
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", origin.parse().expect("an Origin value"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("connecting to the live-reload socket: {e}"),
    }
}

/// The next JSON message, or None after `timeout`.
pub async fn next_message(socket: &mut Socket, timeout: Duration) -> Option<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, socket.next()).await.ok()?? {
            Ok(Message::Text(text)) => return serde_json::from_str(&text).ok(),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
}

/// Waits for a message of `kind`, skipping others; None after `timeout`.
pub async fn wait_for(socket: &mut Socket, kind: &str, timeout: Duration) -> Option<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        let message = next_message(socket, left).await?;
        if message["type"] == kind {
            return Some(message);
        }
    }
}

/// Texts of the elements matching `selector` in `html`.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

/// Values of attribute `attr` of the elements matching `selector`.
pub fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

/// Writes `text` to `path` the way many editors save: a temp file renamed over the original.
pub fn save_atomically(path: &Path, text: &str) {
    let temp = path.with_extension("md.tmp");
    std::fs::write(&temp, text).expect("writing the temp file");
    std::fs::rename(&temp, path).expect("renaming over the page");
}
