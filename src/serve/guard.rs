//! Who may talk to `serve`: the preview answers only requests that name it, so a web page on
//! another site cannot read it through DNS rebinding, and only its own pages may open the
//! live-reload socket (which carries build errors with paths and source lines).
//!
//! In: the address the server listens on, `--host`, and each request's `Host`, `Origin` and
//! `Upgrade` headers. Out: `None` (serve it) or the reason for a 403.

use std::net::{IpAddr, SocketAddr};

use warp::http::HeaderMap;
use warp::http::header::{HOST, ORIGIN, UPGRADE};

/// The host names a request may use to reach the server.
#[derive(Debug, Clone)]
pub struct Allowed {
    /// Lower-case names, IPv6 addresses in brackets: `127.0.0.1`, `localhost`, `[::1]`, `--host`.
    names: Vec<String>,
    port: u16,
    /// Listening on every interface (`--host 0.0.0.0`): any IP address names this machine. An
    /// address, unlike a domain name, cannot be rebound to another machine.
    any_address: bool,
}

impl Allowed {
    /// The names for a server started with `--host host`, listening on `address`.
    pub fn new(host: &str, address: SocketAddr) -> Allowed {
        let host = host.trim().to_ascii_lowercase();
        let host = match host.parse::<IpAddr>() {
            Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
            _ => host,
        };
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"].map(String::from).into();
        if !names.contains(&host) {
            names.push(host);
        }
        Allowed { names, port: address.port(), any_address: address.ip().is_unspecified() }
    }

    /// Whether `authority` (`name:port`, as in `Host`) names this server.
    pub fn accepts(&self, authority: &str) -> bool {
        let authority = authority.to_ascii_lowercase();
        let (name, port) = match authority.rsplit_once(':') {
            // `[::1]` alone: the colons are the address's own.
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (authority.as_str(), Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        let is_address = name.parse::<IpAddr>().is_ok()
            || name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).is_some_and(|n| n.parse::<IpAddr>().is_ok());
        self.names.iter().any(|n| n == name) || (self.any_address && is_address)
    }

    /// Why a request with these headers is refused, or None to serve it.
    pub fn refusal(&self, headers: &HeaderMap) -> Option<String> {
        let text = |name| headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"));
        let host = text(HOST).unwrap_or_default();
        if !self.accepts(host) {
            return Some(format!(
                "403 Forbidden: lectern serve answers only requests addressed to {}; this one named \
                 `{host}`. This protects the preview from other web sites (DNS rebinding). Open one \
                 of those addresses, or start `lectern serve --host NAME` to be reached as NAME.\n",
                self.listing()
            ));
        }
        let websocket = headers.get(UPGRADE).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
        if websocket {
            let origin = text(ORIGIN).unwrap_or_default();
            let same = origin.strip_prefix("http://").is_some_and(|authority| self.accepts(authority));
            if !same {
                return Some(format!(
                    "403 Forbidden: the live-reload socket is open only to pages of this preview \
                     (Origin {}); this request came from `{origin}`.\n",
                    self.names.iter().map(|n| format!("http://{n}:{}", self.port)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        None
    }

    fn listing(&self) -> String {
        let names: Vec<String> = self.names.iter().map(|n| format!("{n}:{}", self.port)).collect();
        let any = if self.any_address { " or any of this machine's IP addresses" } else { "" };
        format!("{}{any}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warp::http::HeaderValue;

    fn headers(pairs: &[(warp::http::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.clone(), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn accepts_only_names_of_the_server_with_its_port() {
        let local = Allowed::new("127.0.0.1", "127.0.0.1:3000".parse().unwrap());
        for (authority, want) in [
            ("127.0.0.1:3000", true),
            ("localhost:3000", true),
            ("LOCALHOST:3000", true),
            ("[::1]:3000", true),
            ("127.0.0.1:3001", false),
            ("localhost", false),
            ("evil.example:3000", false),
            ("localhost.evil.example:3000", false),
            ("192.168.1.5:3000", false),
            ("", false),
            ("[::1]", false),
        ] {
            assert_eq!(local.accepts(authority), want, "{authority}");
        }
        let named = Allowed::new("docs.internal", "10.0.0.2:80".parse().unwrap());
        assert!(named.accepts("docs.internal") && named.accepts("docs.internal:80"));
        assert!(!named.accepts("10.0.0.2:80"), "an address the server was not started with");
        let everywhere = Allowed::new("0.0.0.0", "0.0.0.0:3000".parse().unwrap());
        assert!(everywhere.accepts("192.168.1.5:3000") && everywhere.accepts("[fe80::1]:3000"));
        assert!(!everywhere.accepts("evil.example:3000"));
        let v6 = Allowed::new("::1", "[::1]:3000".parse().unwrap());
        assert!(v6.accepts("[::1]:3000"));
    }

    #[test]
    fn websockets_need_an_origin_of_this_server() {
        let allowed = Allowed::new("127.0.0.1", "127.0.0.1:3000".parse().unwrap());
        let socket = |origin: Option<&str>| {
            let mut h = headers(&[(HOST, "127.0.0.1:3000"), (UPGRADE, "websocket")]);
            if let Some(o) = origin {
                h.insert(ORIGIN, HeaderValue::from_str(o).unwrap());
            }
            allowed.refusal(&h)
        };
        assert_eq!(socket(Some("http://127.0.0.1:3000")), None);
        assert_eq!(socket(Some("http://localhost:3000")), None);
        assert!(socket(Some("http://evil.example:3000")).is_some());
        assert!(socket(Some("https://127.0.0.1:3000")).is_some());
        assert!(socket(Some("null")).is_some());
        assert!(socket(None).is_some());
        assert_eq!(allowed.refusal(&headers(&[(HOST, "localhost:3000"), (ORIGIN, "http://evil.example")])), None);
        assert!(allowed.refusal(&headers(&[(HOST, "evil.example:3000")])).is_some());
        assert!(allowed.refusal(&HeaderMap::new()).is_some(), "no Host at all");
    }
}
