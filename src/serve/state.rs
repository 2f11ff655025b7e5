//! What the server shares between the rebuild thread and the request handlers: the current site
//! as one immutable [`Snapshot`], swapped whole after every rebuild, the loaded site pages are
//! rendered from ([`Live`]), the search index, and the live-reload events.
//!
//! In: rebuilt files and what changed. Out: snapshots for requests (a request holds one `Arc` for
//! its whole life, so it never sees half of one build and half of another; a page it renders is
//! made from one version of the site, see [`super::live`]) and [`Event`]s for the websocket
//! clients. A snapshot carries the failed build's error and the site's problems (see
//! [`super::problems`]), which a tab learns when it connects.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::broadcast;

use crate::build::BuildError;
use crate::files::{OutputFile, SiteFiles};

use super::live::Live;
use super::problems::Problem;
use super::search::SearchIndex;

/// One file as the server holds it: cheap to clone into the next snapshot.
#[derive(Debug, Clone)]
pub enum Served {
    /// Generated content.
    Bytes(Bytes),
    /// A file lectern found inside the site's root, read when requested.
    Copy(PathBuf),
    /// A page, rendered when requested ([`Live::page`]).
    Page,
    /// `llms.txt` or `llms-full.txt`, made when requested ([`Live::llms`]).
    Llms,
}

/// Files by path below the output folder (`/` separators, not percent-encoded).
pub type ServedFiles = HashMap<String, Served>;

/// Converts the build's files without copying their bytes.
pub fn served_files(files: SiteFiles) -> ServedFiles {
    files.into_iter().map(|(path, file)| (path, served(file))).collect()
}

/// One build file as served.
pub fn served(file: OutputFile) -> Served {
    match file {
        OutputFile::Bytes(b) => Served::Bytes(Bytes::from(b)),
        OutputFile::Copy(p) | OutputFile::Cached(p) => Served::Copy(p),
    }
}

/// The site as served at one moment.
#[derive(Default)]
pub struct Snapshot {
    /// Every file but the search index's (pages and `llms` files are made when requested).
    pub files: Arc<ServedFiles>,
    /// The search index, whose files are made when requested.
    pub search: Option<Arc<SearchIndex>>,
    /// `base_url` of the site, e.g. `/` or `/docs/`.
    pub base_url: String,
    /// The site's `trailing_slash` setting: `Some(false)` sites write `/x` as `x.html`.
    pub trailing_slash: Option<bool>,
    /// Counts successful rebuilds; pages carry the version they were served at.
    pub version: u64,
    /// Per output file, the version that last changed it.
    pub changed: HashMap<String, u64>,
    /// The version that last changed every page (navigation, theme, config, a full reload).
    pub all_changed: u64,
    /// Why the last rebuild failed, shown as an overlay until a rebuild succeeds.
    pub error: Option<Arc<ErrorReport>>,
    /// Broken links, anchors and images and unknown components, shown as a notice.
    pub problems: Arc<Vec<Problem>>,
    /// Whether the site is still the outline the server started with: files it lacks (images,
    /// audio, `llms` files) may come with the whole site, so a request for one waits for it.
    pub outline: bool,
}

impl Snapshot {
    /// Whether the site has a file at `key` (below the output folder).
    pub fn has(&self, key: &str) -> bool {
        self.files.contains_key(key) || (key.starts_with("search/") && self.search.as_ref().is_some_and(|s| s.has(key)))
    }

    /// Whether the page at output file `file` (None: it did not exist) changed after `version`.
    pub fn changed_since(&self, file: Option<&str>, version: u64) -> bool {
        if self.all_changed > version {
            return true;
        }
        match file {
            Some(f) => self.changed.get(f).is_some_and(|v| *v > version) || !self.has(f),
            None => self.version > version,
        }
    }
}

/// A failed rebuild, for the overlay and the terminal.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorReport {
    pub errors: Vec<OverlayError>,
    /// The diagnostics as printed in the terminal.
    pub text: String,
}

/// One diagnostic as the overlay shows it.
#[derive(Debug, Clone, Serialize)]
pub struct OverlayError {
    /// `path:line:col`.
    pub location: String,
    pub message: String,
    /// The offending line of the file.
    pub source: Option<String>,
    /// 1-based column of the caret under `source`; 0 when unknown.
    pub column: usize,
    pub help: Option<String>,
}

impl ErrorReport {
    /// The report for a failed build.
    pub fn from_build_error(error: &BuildError) -> ErrorReport {
        let errors = match error {
            BuildError::Content(ds) => ds
                .iter()
                .map(|d| OverlayError {
                    location: d.location(),
                    message: d.message.clone(),
                    source: d.source_line.clone(),
                    column: d.source_caret as usize,
                    help: d.help.clone(),
                })
                .collect(),
            BuildError::Other(e) => vec![OverlayError {
                location: String::new(),
                message: format!("{e:#}"),
                source: None,
                column: 0,
                help: None,
            }],
        };
        ErrorReport { errors, text: error.to_string() }
    }
}

/// What the rebuild thread tells open tabs.
#[derive(Debug, Clone)]
pub enum Event {
    /// These output files changed (every page when `all`).
    Reload { all: bool, files: Arc<Vec<String>> },
    /// Only stylesheets changed: swap them without a reload.
    Stylesheets,
    /// A rebuild failed: show the overlay.
    Error(Arc<ErrorReport>),
    /// A rebuild succeeded after a failure: hide the overlay.
    Clear,
    /// The site's problems changed: show these in the notice (none: hide it).
    Problems(Arc<Vec<Problem>>),
}

/// The state behind every request.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    /// The loaded site, which pages are rendered from.
    pub live: Arc<Live>,
    /// Live-reload events, one receiver per open tab.
    pub events: broadcast::Sender<Event>,
    /// Tells pages served by an earlier run of the server from this one's.
    pub server_id: String,
}

impl Shared {
    /// Shared state serving `snapshot`, rendering pages from `live`.
    pub fn new(snapshot: Snapshot, live: Arc<Live>) -> Shared {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            live,
            events: broadcast::channel(64).0,
            server_id: format!("{:x}", nanos & 0xffff_ffff_ffff),
        }
    }

    /// The site as it is now.
    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Replaces the site, then tells the tabs (so a reload always fetches the new files).
    pub fn publish(&self, snapshot: Snapshot, events: Vec<Event>) {
        *self.snapshot.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(snapshot);
        for event in events {
            // No receivers is fine: no tab is open.
            let _ = self.events.send(event);
        }
    }

    /// The token a page served now carries: `server_id.version`.
    pub fn version_token(&self, version: u64) -> String {
        format!("{}.{version}", self.server_id)
    }
}
