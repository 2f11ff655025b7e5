//! A tiny static file server for tests: serves a built site folder over HTTP/1.1 on
//! `127.0.0.1:<free port>` so a browser sees it as a host would (GitHub Pages and the like).
//!
//! In: a folder. Out: `StaticServer { url }`; the server stops when the value is dropped.
//! Only `std::net`; one thread per connection, `Connection: close` after every response.
//! [`StaticServer::start_gzip`] also compresses text files for clients that accept gzip, as
//! GitHub Pages, Netlify and CDNs do (the Lighthouse benchmark measures pages served that way).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running static file server; stops on drop.
pub struct StaticServer {
    /// Origin of the server, without a trailing slash: `http://127.0.0.1:PORT`.
    pub url: String,
    /// The folder being served.
    pub root: PathBuf,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Starts serving `dir` on a free loopback port.
    pub fn start(dir: impl AsRef<Path>) -> StaticServer {
        StaticServer::start_with(dir, false)
    }

    /// Starts serving `dir` as [`StaticServer::start`] does, sending text files (HTML, CSS,
    /// JavaScript, JSON, SVG, XML, plain text) gzip-compressed to clients that accept it.
    pub fn start_gzip(dir: impl AsRef<Path>) -> StaticServer {
        StaticServer::start_with(dir, true)
    }

    fn start_with(dir: impl AsRef<Path>, gzip: bool) -> StaticServer {
        let root = dir.as_ref().canonicalize().unwrap_or_else(|e| panic!("serving {}: {e}", dir.as_ref().display()));
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        let address = listener.local_addr().expect("reading the server's address");
        let stop = Arc::new(AtomicBool::new(false));
        let accept_thread = {
            let (root, stop) = (root.clone(), stop.clone());
            std::thread::Builder::new()
                .name("static-server".into())
                .spawn(move || accept_loop(listener, root, stop, gzip))
                .expect("spawning the server thread")
        };
        StaticServer { url: format!("http://{address}"), root, stop, accept_thread: Some(accept_thread) }
    }

    /// The absolute URL of `path` on this server (`path` starts with `/`; give it encoded).
    pub fn url_for(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the thread sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: TcpListener, root: PathBuf, stop: Arc<AtomicBool>, gzip: bool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let root = root.clone();
        std::thread::spawn(move || {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = handle(stream, &root, gzip);
        });
    }
}

struct Response {
    status: u16,
    reason: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, reason: &'static str, body: &str) -> Response {
        Response {
            status,
            reason,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

fn handle(mut stream: TcpStream, root: &Path, gzip: bool) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut range = None;
    let mut accepts_gzip = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("range")
        {
            range = Some(value.trim().to_string());
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("accept-encoding")
        {
            accepts_gzip = value.split(',').any(|v| v.split(';').next().is_some_and(|e| e.trim() == "gzip"));
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut response = match method {
        "GET" | "HEAD" => respond(root, target, range.as_deref()),
        _ => Response::text(405, "Method Not Allowed", "only GET and HEAD\n"),
    };
    if gzip && accepts_gzip && response.status == 200 {
        compress(&mut response);
    }
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        response.status,
        response.reason,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    // Drain what the client may still send so closing doesn't reset the connection.
    let _ = stream.shutdown(Shutdown::Write);
    let _ = reader.read(&mut [0; 512]);
    Ok(())
}

fn respond(root: &Path, target: &str, range: Option<&str>) -> Response {
    let raw_path = target.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = lectern::links::percent_decode_exact(raw_path) else {
        return Response::text(400, "Bad Request", "bad percent-encoding\n");
    };
    if !decoded.starts_with('/') {
        return Response::text(400, "Bad Request", "path must start with /\n");
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || s.contains('\\') || s.contains('\0')) {
        return Response::text(403, "Forbidden", "no `..` in paths\n");
    }
    let path = segments.iter().fold(root.to_path_buf(), |p, s| p.join(s));
    let file = if path.is_dir() {
        if !decoded.ends_with('/') && path.join("index.html").is_file() {
            // As GitHub Pages does: relative links in the page then resolve as they will live.
            // The query string goes along (search results carry `?highlight=`).
            let mut location = raw_path.to_string();
            location.push('/');
            if let Some(query) = target.split('#').next().and_then(|t| t.split_once('?')).map(|(_, q)| q) {
                location.push('?');
                location.push_str(query);
            }
            let mut response = Response::text(301, "Moved Permanently", "");
            response.headers.push(("Location".into(), location));
            return response;
        }
        path.join("index.html")
    } else if !path.exists() && path.extension().is_none() {
        // `trailing_slash: false` sites write `/x` as `x.html`.
        path.with_extension("html")
    } else {
        path
    };
    match fs::read(&file) {
        Ok(body) => file_response(&file, body, range),
        Err(_) => Response::text(404, "Not Found", &format!("not found: {decoded}\n")),
    }
}

fn file_response(file: &Path, body: Vec<u8>, range: Option<&str>) -> Response {
    let mut headers =
        vec![("Content-Type".to_string(), content_type(file)), ("Accept-Ranges".to_string(), "bytes".to_string())];
    // Media elements seek with `Range: bytes=a-b`; serve single ranges, ignore the rest.
    if let Some((start, end)) = range.and_then(|r| parse_range(r, body.len())) {
        headers.push(("Content-Range".into(), format!("bytes {start}-{end}/{}", body.len())));
        return Response { status: 206, reason: "Partial Content", headers, body: body[start..=end].to_vec() };
    }
    Response { status: 200, reason: "OK", headers, body }
}

/// Gzips a text response's body (level 9, as static hosts precompress), marking it so.
fn compress(response: &mut Response) {
    use std::io::Write as _;
    let Some((_, kind)) = response.headers.iter().find(|(n, _)| n == "Content-Type") else { return };
    let text = ["text/", "javascript", "json", "svg", "xml"].iter().any(|t| kind.contains(t));
    if !text {
        return;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    if encoder.write_all(&response.body).is_err() {
        return;
    }
    let Ok(body) = encoder.finish() else { return };
    response.body = body;
    response.headers.push(("Content-Encoding".into(), "gzip".into()));
    response.headers.push(("Vary".into(), "Accept-Encoding".into()));
}

fn parse_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.strip_prefix("bytes=")?;
    if spec.contains(',') || len == 0 {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let suffix: usize = suffix.parse().ok()?;
            (len.saturating_sub(suffix), len - 1)
        }
        (start, "") => (start.parse().ok()?, len - 1),
        (start, end) => (start.parse().ok()?, end.parse::<usize>().ok()?.min(len - 1)),
    };
    (start <= end && start < len).then_some((start, end))
}

/// The Content-Type a static host sends for `path`: lectern's own table, which `serve` sends.
pub fn content_type(path: &Path) -> String {
    lectern::serve::http::content_type(&path.to_string_lossy())
}
