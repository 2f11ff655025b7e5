//! One HTTP request of the external link checker: `GET url`, with a time limit, over plain TCP
//! or rustls (Mozilla's roots), through hyper's HTTP/1 client. Only the status line and the
//! headers are read; the body is dropped unread.
//!
//! In: a URL and a timeout. Out: the status, `Location` and `Retry-After`, or why there was none.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// What became of a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The last status, after redirects; `final_url` when redirects led elsewhere.
    Status { status: u16, final_url: Option<String> },
    /// No answer: a timeout, a refused connection, a TLS or protocol failure.
    Failed(String),
}

/// One response's status and the headers the checker uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub location: Option<String>,
    /// `Retry-After` in seconds (the delay form only).
    pub retry_after: Option<u64>,
}

/// A URL's parts: (https, host, port, path and query).
fn parts(url: &str) -> Option<(bool, String, u16, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return None,
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let authority = authority.rsplit('@').next()?;
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => match p.parse() {
            Ok(port) => (h, port),
            Err(_) => (authority, if https { 443 } else { 80 }),
        },
        _ => (authority, if https { 443 } else { 80 }),
    };
    if host.is_empty() {
        return None;
    }
    let path = if path.starts_with('?') { format!("/{path}") } else { path.to_string() };
    Some((https, host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase(), port, path))
}

/// `host:port` of a URL: the unit the per-host rate limit counts.
pub fn authority(url: &str) -> Option<String> {
    parts(url).map(|(_, host, port, _)| format!("{host}:{port}"))
}

/// A `Location` resolved against the URL that sent it.
pub fn join(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let Some((https, host, port, path)) = parts(base) else { return location.to_string() };
    let scheme = if https { "https" } else { "http" };
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    let default_port = if https { 443 } else { 80 };
    let origin = if port == default_port { format!("{scheme}://{host}") } else { format!("{scheme}://{host}:{port}") };
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let dir = path.split('?').next().unwrap_or("/");
    let dir = &dir[..dir.rfind('/').map_or(0, |i| i + 1)];
    format!("{origin}{dir}{location}")
}

fn tls_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| b.with_root_certificates(roots).with_no_client_auth())
                .unwrap_or_else(|_| {
                    rustls::ClientConfig::builder()
                        .with_root_certificates(rustls::RootCertStore::empty())
                        .with_no_client_auth()
                });
            Arc::new(config)
        })
        .clone()
}

/// `GET url`, within `timeout` from connecting to the end of the headers.
pub async fn fetch(url: &str, timeout: Duration) -> Result<Reply, String> {
    match tokio::time::timeout(timeout, fetch_inner(url)).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs_f64())),
    }
}

async fn fetch_inner(url: &str) -> Result<Reply, String> {
    let (https, host, port, path) = parts(url).ok_or_else(|| format!("'{url}' is not an http(s) URL"))?;
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| format!("cannot connect to {host}:{port} ({e})"))?;
    let default_port = if https { 443 } else { 80 };
    let host_header = if port == default_port { host.clone() } else { format!("{host}:{port}") };
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, host_header)
        .header(hyper::header::USER_AGENT, concat!("lectern-link-check/", env!("CARGO_PKG_VERSION")))
        .header(hyper::header::ACCEPT, "text/html,*/*;q=0.8")
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .map_err(|e| format!("bad request ({e})"))?;
    if https {
        let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| format!("bad host name ({e})"))?;
        let tls = tokio_rustls::TlsConnector::from(tls_config())
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS with {host} failed ({e})"))?;
        send(TokioIo::new(tls), request).await
    } else {
        send(TokioIo::new(tcp), request).await
    }
}

async fn send<T>(io: T, request: hyper::Request<http_body_util::Empty<bytes::Bytes>>) -> Result<Reply, String>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(io).await.map_err(|e| format!("HTTP failed ({e})"))?;
    // Dropped with the response: the body is never read.
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender.send_request(request).await.map_err(|e| format!("HTTP failed ({e})"));
    driver.abort();
    let response = response?;
    let header = |name: hyper::header::HeaderName| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_string())
    };
    Ok(Reply {
        status: response.status().as_u16(),
        location: header(hyper::header::LOCATION),
        retry_after: header(hyper::header::RETRY_AFTER).and_then(|v| v.parse().ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_and_locations_resolve() {
        assert_eq!(parts("https://Example.org"), Some((true, "example.org".into(), 443, "/".into())));
        assert_eq!(parts("http://127.0.0.1:8080/a?b=1"), Some((false, "127.0.0.1".into(), 8080, "/a?b=1".into())));
        assert_eq!(parts("http://x.org?q"), Some((false, "x.org".into(), 80, "/?q".into())));
        assert_eq!(parts("http://[::1]:81/"), Some((false, "::1".into(), 81, "/".into())));
        assert_eq!(parts("ftp://x.org/"), None);
        assert_eq!(authority("https://x.org/a"), Some("x.org:443".into()));
        assert_eq!(join("http://h:81/a/b", "/c"), "http://h:81/c");
        assert_eq!(join("http://h:81/a/b", "c"), "http://h:81/a/c");
        assert_eq!(join("https://h/a/", "https://other/x"), "https://other/x");
        assert_eq!(join("https://h/a/", "//cdn.h/x"), "https://cdn.h/x");
    }
}
