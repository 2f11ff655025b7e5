//! Live reload: the script `serve` puts into every page and the websocket that drives it.
//!
//! In: the [`Event`]s of the rebuild thread. Out: JSON messages to each open tab —
//! `hello` (on connect: whether the tab's page is already stale, and the current error),
//! `reload`, `css` (swap stylesheets), `error` (show the overlay), `clear` (hide it), and
//! `problems` (the site's broken links, anchors, images and unknown components, for a notice
//! that is not the error overlay; an empty list hides it). The hello carries the problems too.
//! A tab says which page it shows and the version it was served at (`?page=/x/&v=ID.N`), so the
//! server sends `reload` only to tabs whose page changed, and a tab that connects after a change
//! (or to a restarted server) learns it was stale at once.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use warp::ws::{Message, WebSocket};

use super::http::{Resolved, resolve};
use super::state::{ErrorReport, Event, Shared};

/// Where the client script is served; outside any `base_url` a site can have.
pub const SCRIPT_PATH: &str = "/__lectern/livereload.js";
/// The websocket's path (as a warp path: `/__lectern/livereload`).
pub const SOCKET_SEGMENTS: (&str, &str) = ("__lectern", "livereload");
/// The client script.
pub const SCRIPT: &str = include_str!("../../theme/livereload.js");
/// Stands in the rendered pages for the version token, filled in when a page is served.
const VERSION_PLACEHOLDER: &str = "@@lectern-version@@";

/// The tag `serve` asks the theme to put before `</body>` of every page.
pub fn script_tag() -> String {
    format!("<script type=\"module\" src=\"{SCRIPT_PATH}\" data-lectern-version=\"{VERSION_PLACEHOLDER}\"></script>")
}

/// The page with its version token filled in. The tag is the page's last script, so the search
/// starts from the end.
pub fn stamp(html: Bytes, token: &str) -> Bytes {
    let needle = VERSION_PLACEHOLDER.as_bytes();
    let Some(at) = html.windows(needle.len()).rposition(|w| w == needle) else { return html };
    let mut out = Vec::with_capacity(html.len() + token.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(token.as_bytes());
    out.extend_from_slice(&html[at + needle.len()..]);
    Bytes::from(out)
}

/// The query a tab connects with.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Hello {
    /// `location.pathname` of the tab.
    #[serde(default)]
    pub page: String,
    /// The version token its page was served with.
    #[serde(default)]
    pub v: String,
}

/// Runs one tab's connection until it closes.
pub async fn connection(socket: WebSocket, hello: Hello, shared: Arc<Shared>) {
    let (mut tx, mut rx) = socket.split();
    // Subscribe before reading the snapshot: no event can fall between the two.
    let mut events = shared.events.subscribe();
    let snapshot = shared.current();
    let file = match resolve(&snapshot, &hello.page) {
        Resolved::File(f) => Some(f),
        _ => None,
    };
    let stale = match hello.v.split_once('.') {
        Some((id, n)) if id == shared.server_id => {
            n.parse::<u64>().map_or(true, |n| snapshot.changed_since(file.as_deref(), n))
        }
        _ => true,
    };
    let first = json!({
        "type": "hello",
        "stale": stale,
        "errors": snapshot.error.as_ref().map(|e| &e.errors),
        "problems": snapshot.problems.as_slice(),
    });
    drop(snapshot);
    if tx.send(Message::text(first.to_string())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            incoming = rx.next() => match incoming {
                Some(Ok(m)) if !m.is_close() => continue,
                _ => break,
            },
            event = events.recv() => {
                let message = match event {
                    Ok(event) => message_for(&event, file.as_deref()),
                    // Missed events: reloading is always right.
                    Err(RecvError::Lagged(_)) => Some(json!({ "type": "reload" }).to_string()),
                    Err(RecvError::Closed) => break,
                };
                if let Some(text) = message
                    && tx.send(Message::text(text)).await.is_err()
                {
                    break;
                }
            }
        }
    }
}

/// The message for a tab showing output file `file` (None: a page that did not exist), if any.
fn message_for(event: &Event, file: Option<&str>) -> Option<String> {
    let message = match event {
        Event::Reload { all, files } => {
            let mine = *all || file.is_none_or(|f| files.iter().any(|changed| changed == f));
            if !mine {
                return None;
            }
            json!({ "type": "reload" })
        }
        Event::Stylesheets => json!({ "type": "css" }),
        Event::Error(report) => error_message(report),
        Event::Clear => json!({ "type": "clear" }),
        Event::Problems(problems) => json!({ "type": "problems", "problems": problems.as_slice() }),
    };
    Some(message.to_string())
}

fn error_message(report: &ErrorReport) -> serde_json::Value {
    json!({ "type": "error", "errors": report.errors, "text": report.text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_the_version_into_the_script_tag() {
        let page = format!("<p>@@x</p>{}</body>", script_tag());
        let stamped = stamp(Bytes::from(page), "abc.7");
        let text = std::str::from_utf8(&stamped).unwrap();
        assert!(text.ends_with("data-lectern-version=\"abc.7\"></script></body>"), "{text}");
        assert_eq!(stamp(Bytes::from_static(b"<p>plain</p>"), "abc.7"), Bytes::from_static(b"<p>plain</p>"));
    }

    #[test]
    fn reload_goes_only_to_tabs_whose_page_changed() {
        let files = Arc::new(vec!["a/index.html".to_string()]);
        let edit = Event::Reload { all: false, files };
        assert!(message_for(&edit, Some("a/index.html")).is_some());
        assert!(message_for(&edit, Some("b/index.html")).is_none());
        assert!(message_for(&edit, None).is_some(), "a 404 tab reloads: its page may exist now");
        let all = Event::Reload { all: true, files: Arc::new(Vec::new()) };
        assert!(message_for(&all, Some("b/index.html")).is_some());
        assert_eq!(message_for(&Event::Stylesheets, Some("b/index.html")).as_deref(), Some(r#"{"type":"css"}"#));
    }
}
