//! HTTP for `serve`: answers GET and HEAD from the in-memory site, exactly as a static host would
//! serve the built folder under `base_url`.
//!
//! In: a method, the raw request path, the request's headers and the current [`Snapshot`]. Out: a
//! response. Paths are looked up in the snapshot's map, never joined onto a folder, so no request
//! can reach a file the build did not list; `..`, empty segments, backslashes and NUL give the
//! site's 404 page.
//!
//! Pages and the `llms` files are made when asked for ([`super::live`]); a page's
//! `Server-Timing` says whether it was rendered for this request (`render;dur=ms`) or came from
//! the cache (`cache`).
//!
//! Every file answered with 200 carries a strong `ETag` (a hash of the bytes sent),
//! `Accept-Ranges: bytes` and `Cache-Control: no-cache` (the browser may keep it but asks again
//! each time, so nothing is shown stale after an edit). `If-None-Match` gives 304; a GET with one
//! `Range` gives 206 with those bytes, or 416 when it lies past the end; a request for several
//! ranges gets the whole file (200), which HTTP allows. Errors and 404s are `no-store`.

use std::sync::Arc;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use warp::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};

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
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if snapshot.has(&index) { Resolved::File(index) } else { Resolved::NotFound };
    }
    if snapshot.has(&key) {
        return Resolved::File(key);
    }
    if snapshot.trailing_slash != Some(false) && snapshot.has(&format!("{key}/index.html")) {
        return Resolved::Redirect(format!("{}/", raw_path.trim_end_matches('/')));
    }
    let html = format!("{key}.html");
    if snapshot.has(&html) { Resolved::File(html) } else { Resolved::NotFound }
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

/// Answers one request; `query` (without `?`) goes along when a folder's path is redirected;
/// `request` is the request's headers (for `Range`, `If-None-Match` and `If-Range`).
pub async fn respond(
    method: Method,
    raw_path: String,
    query: String,
    request: HeaderMap,
    shared: Arc<Shared>,
) -> Response<Bytes> {
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
    let response = as_static_host(&method, &request, response);
    if method == Method::HEAD { without_body(response) } else { response }
}

/// Gives a 200 answer its validators and answers the request's conditions and range: 304 when
/// `If-None-Match` names the file's tag, 206 or 416 for a GET with a `Range` (unless `If-Range`
/// names another tag). Any other status passes through unchanged.
pub fn as_static_host(method: &Method, request: &HeaderMap, response: Response<Bytes>) -> Response<Bytes> {
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let tag = etag(&body);
    let headers = &mut parts.headers;
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let text = |name| request.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if text(header::IF_NONE_MATCH).is_some_and(|list| none_match_hits(list, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Bytes::new());
    }
    let range_applies = *method == Method::GET && text(header::IF_RANGE).is_none_or(|v| v.trim() == tag);
    let Some(range) = text(header::RANGE).filter(|_| range_applies) else {
        return Response::from_parts(parts, body);
    };
    let len = body.len() as u64;
    match byte_range(range, len) {
        Range::Whole => Response::from_parts(parts, body),
        Range::Part(first, last) => {
            parts.status = StatusCode::PARTIAL_CONTENT;
            let value = format!("bytes {first}-{last}/{len}");
            parts.headers.insert(header::CONTENT_RANGE, HeaderValue::from_str(&value).expect("ASCII"));
            Response::from_parts(parts, body.slice(first as usize..=last as usize))
        }
        Range::Unsatisfiable => {
            parts.status = StatusCode::RANGE_NOT_SATISFIABLE;
            let value = format!("bytes */{len}");
            parts.headers.insert(header::CONTENT_RANGE, HeaderValue::from_str(&value).expect("ASCII"));
            parts.headers.remove(header::CONTENT_TYPE);
            Response::from_parts(parts, Bytes::new())
        }
    }
}

/// A strong entity tag: the first 128 bits of the SHA-256 of the bytes, in hex and quotes.
pub fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` list (`*`, or tags, weak or strong) names `tag` (weak comparison,
/// as RFC 9110 asks for this header).
fn none_match_hits(list: &str, tag: &str) -> bool {
    list.trim() == "*" || list.split(',').map(|t| t.trim()).any(|t| t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// What a `Range` header asks of a body.
#[derive(Debug, PartialEq, Eq)]
pub enum Range {
    /// Answer with the whole body: no usable range (another unit, a malformed or a multiple one).
    Whole,
    /// Bytes `first..=last`.
    Part(u64, u64),
    /// The range starts past the end (or the body is empty).
    Unsatisfiable,
}

/// Reads `bytes=a-b`, `bytes=a-` and `bytes=-n` against a body of `len` bytes; the end of a
/// range is cut to the body's.
pub fn byte_range(value: &str, len: u64) -> Range {
    let value = value.trim();
    let Some(spec) = value.get(..6).filter(|unit| unit.eq_ignore_ascii_case("bytes=")).map(|_| &value[6..]) else {
        return Range::Whole;
    };
    let specs: Vec<&str> = spec.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let [one] = specs.as_slice() else { return Range::Whole };
    let Some((first, last)) = one.split_once('-') else { return Range::Whole };
    let number =
        |s: &str| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { s.parse::<u64>().ok() } else { None };
    match (first.trim(), last.trim()) {
        ("", suffix) => match number(suffix) {
            None => Range::Whole,
            Some(0) => Range::Unsatisfiable,
            Some(_) if len == 0 => Range::Unsatisfiable,
            Some(n) => Range::Part(len - n.min(len), len - 1),
        },
        (first, "") => match number(first) {
            None => Range::Whole,
            Some(a) if a >= len => Range::Unsatisfiable,
            Some(a) => Range::Part(a, len - 1),
        },
        (first, last) => match (number(first), number(last)) {
            (Some(a), Some(b)) if a <= b => {
                if a >= len {
                    Range::Unsatisfiable
                } else {
                    Range::Part(a, b.min(len - 1))
                }
            }
            _ => Range::Whole,
        },
    }
}

async fn site_response(raw_path: &str, query: &str, shared: &Shared) -> Response<Bytes> {
    let mut snapshot = shared.current();
    if snapshot.outline && waits_for_load(&snapshot, raw_path) {
        // Served from the site's outline so far: images, audio and the like come with every
        // page, which the rebuild thread is reading now.
        let live = shared.live.clone();
        let _ = tokio::task::spawn_blocking(move || live.wait_loaded(super::live::LOAD_WAIT)).await;
        snapshot = shared.current();
    }
    if let Some(search) = snapshot.search.clone().filter(|s| snapshot.error.is_none() && !s.is_built())
        && site_key(&snapshot.base_url, raw_path)
            .is_some_and(|key| key.strip_prefix(crate::search::INDEX_DIR).is_some_and(|rest| rest.starts_with('/')))
    {
        // The index is built behind the server's start: search answers once it is whole.
        let _ = tokio::task::spawn_blocking(move || search.wait_built(super::live::LOAD_WAIT)).await;
        snapshot = shared.current();
    }
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
    // How a page was made, for the browser's developer tools: rendered now, or from the cache.
    let mut timing = None;
    let (body, token) = match snapshot.files.get(&key) {
        Some(Served::Bytes(b)) => (b.clone(), token),
        Some(Served::Copy(path)) => match tokio::fs::read(path).await {
            Ok(bytes) => (Bytes::from(bytes), token),
            // Deleted since the last rebuild; the watcher will catch up.
            Err(_) => return plain(StatusCode::NOT_FOUND, "not found\n"),
        },
        Some(kind @ (Served::Page | Served::Llms)) => {
            // Made now (or taken from the page cache): it carries the version it was made at.
            let (live, name, page) = (shared.live.clone(), key.clone(), matches!(kind, Served::Page));
            let made = tokio::task::spawn_blocking(move || {
                if page { live.page(&name, &super::rebuild::script()) } else { live.llms(&name) }
            })
            .await;
            match made {
                Ok(Some(Ok(made))) => {
                    timing = Some(match made.took {
                        Some(took) => format!("render;dur={:.1}", took.as_secs_f64() * 1000.0),
                        None => "cache".to_string(),
                    });
                    (made.body, shared.version_token(made.version))
                }
                Ok(Some(Err(message))) => {
                    let report = super::state::ErrorReport::from_build_error(&crate::build::BuildError::Other(
                        anyhow::anyhow!("{message}"),
                    ));
                    let html = super::overlay::error_page(Some(&report), &token);
                    return file(StatusCode::INTERNAL_SERVER_ERROR, "error.html", Bytes::from(html));
                }
                // Gone since this request's snapshot; the reload that follows finds out.
                _ => return plain(StatusCode::NOT_FOUND, "not found\n"),
            }
        }
        None => {
            let search = snapshot.search.clone().filter(|_| key.starts_with("search/"));
            let Some(search) = search else { return plain(StatusCode::NOT_FOUND, "not found\n") };
            let (name, live) = (key.clone(), shared.live.clone());
            match tokio::task::spawn_blocking(move || search.file(&name, &live)).await {
                Ok(Some(bytes)) => (Bytes::from(bytes), token),
                _ => return plain(StatusCode::NOT_FOUND, "not found\n"),
            }
        }
    };
    let body = if key.ends_with(".html") { livereload::stamp(body, &token) } else { body };
    let mut response = file(status, &key, body);
    if let Some(value) = timing.and_then(|t| HeaderValue::from_str(&t).ok()) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

/// Whether a request for `raw_path` of the site's outline must wait for every page to be read:
/// the outline has no such file (it may come with them), or it is an `llms` file.
fn waits_for_load(snapshot: &Snapshot, raw_path: &str) -> bool {
    match resolve(snapshot, raw_path) {
        Resolved::NotFound => true,
        Resolved::File(key) => matches!(snapshot.files.get(&key), Some(Served::Llms)),
        Resolved::Redirect(_) => false,
    }
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
    if parts.status != StatusCode::NOT_MODIFIED {
        parts.headers.insert(header::CONTENT_LENGTH, header::HeaderValue::from(body.len()));
    }
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
            files: Arc::new(files.iter().map(|f| (f.to_string(), Served::Bytes(Bytes::new()))).collect()),
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

    #[test]
    fn byte_ranges() {
        use Range::*;
        for (value, len, want) in [
            ("bytes=0-9", 100, Part(0, 9)),
            ("bytes=90-200", 100, Part(90, 99)),
            ("bytes=50-", 100, Part(50, 99)),
            ("bytes=-10", 100, Part(90, 99)),
            ("bytes=-500", 100, Part(0, 99)),
            ("BYTES= 5-5 ", 100, Part(5, 5)),
            ("bytes=100-", 100, Unsatisfiable),
            ("bytes=100-200", 100, Unsatisfiable),
            ("bytes=-0", 100, Unsatisfiable),
            ("bytes=0-", 0, Unsatisfiable),
            ("bytes=-5", 0, Unsatisfiable),
            ("bytes=0-1,5-6", 100, Whole),
            ("bytes=9-1", 100, Whole),
            ("bytes=a-b", 100, Whole),
            ("bytes=+1-2", 100, Whole),
            ("bytes=-", 100, Whole),
            ("items=0-1", 100, Whole),
            ("", 100, Whole),
        ] {
            assert_eq!(byte_range(value, len), want, "{value} of {len}");
        }
    }

    fn answer(method: Method, request: &[(header::HeaderName, &str)], body: &'static [u8]) -> Response<Bytes> {
        let mut headers = HeaderMap::new();
        for (name, value) in request {
            headers.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        as_static_host(&method, &headers, file(StatusCode::OK, "a.mp3", Bytes::from_static(body)))
    }

    #[test]
    fn validators_conditions_and_ranges() {
        let body: &[u8] = b"0123456789";
        let tag = etag(body);
        let whole = answer(Method::GET, &[], body);
        assert_eq!(whole.status(), StatusCode::OK);
        assert_eq!(whole.headers()[header::ETAG], tag.as_str());
        assert_eq!(whole.headers()[header::ACCEPT_RANGES], "bytes");
        assert_eq!(whole.headers()[header::CACHE_CONTROL], "no-cache");
        assert_ne!(etag(b"0123456788"), tag);

        for hit in [tag.clone(), format!("W/{tag}"), format!("\"x\", {tag}"), "*".into()] {
            let r = answer(Method::GET, &[(header::IF_NONE_MATCH, &hit)], body);
            assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{hit}");
            assert!(r.body().is_empty());
        }
        assert_eq!(answer(Method::GET, &[(header::IF_NONE_MATCH, "\"other\"")], body).status(), StatusCode::OK);

        let part = answer(Method::GET, &[(header::RANGE, "bytes=2-4")], body);
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(part.headers()[header::CONTENT_RANGE], "bytes 2-4/10");
        assert_eq!(&part.body()[..], b"234");
        let past = answer(Method::GET, &[(header::RANGE, "bytes=10-")], body);
        assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(past.headers()[header::CONTENT_RANGE], "bytes */10");
        // If-Range with another tag, or a HEAD: the whole file.
        let stale = answer(Method::GET, &[(header::RANGE, "bytes=2-4"), (header::IF_RANGE, "\"old\"")], body);
        assert_eq!((stale.status(), stale.body().len()), (StatusCode::OK, 10));
        let fresh = answer(Method::GET, &[(header::RANGE, "bytes=2-4"), (header::IF_RANGE, &tag)], body);
        assert_eq!(fresh.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(answer(Method::HEAD, &[(header::RANGE, "bytes=2-4")], body).status(), StatusCode::OK);
        // Errors keep their status and are never stored.
        let missing = as_static_host(&Method::GET, &HeaderMap::new(), plain(StatusCode::NOT_FOUND, "no\n"));
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert!(missing.headers().get(header::ETAG).is_none());
        assert_eq!(missing.headers()[header::CACHE_CONTROL], "no-store");
    }
}
