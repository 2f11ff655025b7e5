//! HTTP for `serve`: answers GET and HEAD from the in-memory site, exactly as a static host would
//! serve the built folder under `base_url`.
//!
//! In: a method, the raw request path and the current [`Snapshot`]. Out: a response. Paths are
//! looked up in the snapshot's map, never joined onto a folder, so no request can reach a file
//! the build did not list; `..`, empty segments, backslashes and NUL give the site's 404 page.

use std::sync::Arc;

use bytes::Bytes;
use warp::http::{Method, Response, StatusCode, header};

use super::livereload;
use super::state::{Served, Shared, Snapshot};

/// Where a request path leads in the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site, by its key in the snapshot.
    File(String),
    /// A folder asked for without its slash: send the browser there, as static hosts do.
    Redirect(String),
    NotFound,
}

/// Finds the file for a raw (percent-encoded) request path.
pub fn resolve(snapshot: &Snapshot, raw_path: &str) -> Resolved {
    let Some(key) = site_key(&snapshot.base_url, raw_path) else { return Resolved::NotFound };
    let files = &snapshot.files;
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if files.contains_key(&index) { Resolved::File(index) } else { Resolved::NotFound };
    }
    if files.contains_key(&key) {
        return Resolved::File(key);
    }
    if snapshot.trailing_slash != Some(false) && files.contains_key(&format!("{key}/index.html")) {
        return Resolved::Redirect(format!("{}/", raw_path.trim_end_matches('/')));
    }
    let html = format!("{key}.html");
    if files.contains_key(&html) { Resolved::File(html) } else { Resolved::NotFound }
}

/// The decoded path below `base_url` (`Getting Started/install/`), or None when the path is
/// outside the site or could name something outside it.
pub fn site_key(base_url: &str, raw_path: &str) -> Option<String> {
    let decoded = crate::links::percent_decode_exact(raw_path)?;
    let base = if base_url.ends_with('/') { base_url.to_string() } else { format!("{base_url}/") };
    let rest = if decoded == base.trim_end_matches('/') { "" } else { decoded.strip_prefix(&base)? };
    if rest.contains(['\\', '\0']) {
        return None;
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == ".." || *segment == "." || (segment.is_empty() && i != last) {
            return None;
        }
    }
    Some(rest.to_string())
}

/// Answers one request; `query` (without `?`) goes along when a folder's path is redirected.
pub async fn respond(method: Method, raw_path: String, query: String, shared: Arc<Shared>) -> Response<Bytes> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        r.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let response = if raw_path == livereload::SCRIPT_PATH {
        file(StatusCode::OK, "livereload.js", Bytes::from_static(livereload::SCRIPT.as_bytes()))
    } else {
        site_response(&raw_path, &query, &shared).await
    };
    if method == Method::HEAD { without_body(response) } else { response }
}

async fn site_response(raw_path: &str, query: &str, shared: &Shared) -> Response<Bytes> {
    let snapshot = shared.current();
    let token = shared.version_token(snapshot.version);
    if snapshot.files.is_empty() {
        // The site has never built: every page is the error page, until it does.
        let html = super::overlay::error_page(snapshot.error.as_deref(), &token);
        return file(StatusCode::INTERNAL_SERVER_ERROR, "error.html", Bytes::from(html));
    }
    let (status, key) = match resolve(&snapshot, raw_path) {
        Resolved::File(key) => (StatusCode::OK, key),
        Resolved::Redirect(mut location) => {
            // Search results open pages with `?highlight=`: keep it.
            if !query.is_empty() {
                location = format!("{location}?{query}");
            }
            let mut r = plain(StatusCode::MOVED_PERMANENTLY, "");
            if let Ok(value) = header::HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, value);
            }
            return r;
        }
        Resolved::NotFound => (StatusCode::NOT_FOUND, "404.html".to_string()),
    };
    let body = match snapshot.files.get(&key) {
        Some(Served::Bytes(b)) => b.clone(),
        Some(Served::Copy(path)) => match tokio::fs::read(path).await {
            Ok(bytes) => Bytes::from(bytes),
            // Deleted since the last rebuild; the watcher will catch up.
            Err(_) => return plain(StatusCode::NOT_FOUND, "not found\n"),
        },
        None => return plain(StatusCode::NOT_FOUND, "not found\n"),
    };
    let body = if key.ends_with(".html") { livereload::stamp(body, &token) } else { body };
    file(status, &key, body)
}

fn file(status: StatusCode, name: &str, body: Bytes) -> Response<Bytes> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let headers = r.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_str(&content_type(name))
            .unwrap_or(header::HeaderValue::from_static("application/octet-stream")),
    );
    // A preview must never show a stale file.
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    r
}

/// 403 with a plain-text reason (see [`super::guard`]).
pub fn forbidden(reason: String) -> Response<Bytes> {
    file(StatusCode::FORBIDDEN, "x.txt", Bytes::from(reason))
}

fn plain(status: StatusCode, text: &'static str) -> Response<Bytes> {
    file(status, "x.txt", Bytes::from_static(text.as_bytes()))
}

/// HEAD: the same headers, with the length of the body it would have had.
fn without_body(response: Response<Bytes>) -> Response<Bytes> {
    let (mut parts, body) = response.into_parts();
    parts.headers.insert(header::CONTENT_LENGTH, header::HeaderValue::from(body.len()));
    Response::from_parts(parts, Bytes::new())
}

/// The Content-Type for a file name, by extension ([`mime_guess`]); text in UTF-8, XML as
/// `application/xml` (RFC 7303: its encoding is its own declaration's).
pub fn content_type(name: &str) -> String {
    use mime_guess::mime;
    let guess = mime_guess::from_path(name).first_or_octet_stream();
    match (guess.type_(), guess.subtype()) {
        (mime::TEXT, mime::XML) => "application/xml".to_string(),
        (mime::TEXT, _) => format!("{guess}; charset=utf-8"),
        _ => guess.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::state::Served;

    fn snapshot(base: &str, trailing_slash: Option<bool>, files: &[&str]) -> Snapshot {
        Snapshot {
            files: files.iter().map(|f| (f.to_string(), Served::Bytes(Bytes::new()))).collect(),
            base_url: base.into(),
            trailing_slash,
            ..Default::default()
        }
    }

    #[test]
    fn resolves_paths_like_a_static_host() {
        let files = ["index.html", "a/index.html", "Getting Started/install/index.html", "b.html", "img/x.png"];
        let s = snapshot("/", None, &files);
        let file = |k: &str| Resolved::File(k.to_string());
        for (path, want) in [
            ("/", file("index.html")),
            ("/a/", file("a/index.html")),
            ("/a", Resolved::Redirect("/a/".into())),
            ("/Getting%20Started/install/", file("Getting Started/install/index.html")),
            ("/b", file("b.html")),
            ("/img/x.png", file("img/x.png")),
            ("/missing/", Resolved::NotFound),
            ("/../etc/passwd", Resolved::NotFound),
            ("/a/../index.html", Resolved::NotFound),
            ("/%2e%2e%2fetc/passwd", Resolved::NotFound),
            ("/%2E%2E/index.html", Resolved::NotFound),
            ("//etc/passwd", Resolved::NotFound),
            ("/a\\..\\index.html", Resolved::NotFound),
            ("/a%5c..%5cindex.html", Resolved::NotFound),
            ("/%00", Resolved::NotFound),
            ("/%zz", Resolved::NotFound),
            ("/%ff", Resolved::NotFound),
        ] {
            assert_eq!(resolve(&s, path), want, "{path}");
        }
    }

    #[test]
    fn paths_live_under_base_url() {
        let s = snapshot("/docs/", Some(false), &["index.html", "intro.html"]);
        assert_eq!(resolve(&s, "/docs/"), Resolved::File("index.html".into()));
        assert_eq!(resolve(&s, "/docs"), Resolved::File("index.html".into()));
        assert_eq!(resolve(&s, "/docs/intro"), Resolved::File("intro.html".into()));
        assert_eq!(resolve(&s, "/intro"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/docsintro"), Resolved::NotFound);
    }

    #[test]
    fn content_types() {
        for (name, want) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("assets/lectern.CSS", "text/css; charset=utf-8"),
            ("x.js", "text/javascript; charset=utf-8"),
            ("sitemap.xml", "application/xml"),
            ("search/manifest.json", "application/json"),
            ("audio/a.mp3", "audio/mpeg"),
            ("cues.vtt", "text/vtt; charset=utf-8"),
            ("a.woff2", "font/woff2"),
            ("a.JPG", "image/jpeg"),
            ("a.wasm", "application/wasm"),
            ("i.svg", "image/svg+xml"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(name), want, "{name}");
        }
    }
}
