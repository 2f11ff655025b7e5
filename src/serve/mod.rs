//! `lectern serve`: a live-reloading preview. Sits on top of the pipeline and adds no second
//! rendering path.
//!
//! In: a site root and [`ServeOptions`]. Out: an HTTP server on `host:port` serving the site from
//! memory under its `base_url` (nothing is written to disk), a watcher that rebuilds what changed,
//! and a websocket at `/__lectern/livereload` that reloads open tabs, swaps stylesheets, shows
//! build errors as an overlay and the changed pages' broken links as a notice ([`problems`]).
//!
//! Only requests that name the server are answered ([`guard`]), and a connection that sends no
//! request for [`IDLE_TIMEOUT`] is closed.
//!
//! Threads: the tokio runtime serves requests (pages are rendered on demand on its blocking
//! pool, see [`live`]); one plain thread owns the [`rebuild::Rebuilder`] and applies batches
//! from the watcher, publishing each new site as one immutable snapshot; the [`search`] and
//! [`speech`] threads keep the search index and the speech cache up to date behind it.
//!
//! Ready first: the server answers once it has the site's outline (every page's front matter,
//! title and place in the sidebars, [`crate::build::load_outline`]), rendering each page asked
//! for from its Markdown read then. The rebuild thread then reads every page as `build` does;
//! requests for what only that brings (images, audio, `llms` files, a page with speech) wait
//! for it, search requests wait for the index, and the problems are printed once every page is
//! checked. When the whole site is in, the tabs whose page it changed reload.

pub mod cache;
pub mod dependents;
pub mod guard;
pub mod http;
pub mod live;
pub mod livereload;
pub mod overlay;
pub mod problems;
pub mod rebuild;
pub mod search;
mod speech;
pub mod state;
pub mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use anyhow::Context as _;
use warp::Filter;

use crate::build::BuildError;
use crate::config::Overrides;
use guard::Allowed;
use rebuild::Rebuilder;
use state::Shared;
use watch::Plan;

/// How long a connection may wait before sending (the whole head of) its next request. Live-reload
/// sockets are exempt: once upgraded, a connection is no longer HTTP.
pub const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// Address to listen on; 127.0.0.1 unless the user asks for more.
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    pub overrides: Overrides,
}

/// Why `serve` stopped.
#[derive(Debug)]
pub enum ServeError {
    /// The address is taken (exit code 2, with a hint).
    AddressInUse(SocketAddr),
    Other(anyhow::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::AddressInUse(addr) => write!(
                f,
                "error: {addr} is already in use (is another `lectern serve` running?)\n  \
                 = help: pick another port with `--port 3001`, or `--port 0` for any free one\n"
            ),
            ServeError::Other(e) => writeln!(f, "error: {e:#}"),
        }
    }
}

impl From<ServeError> for BuildError {
    fn from(e: ServeError) -> Self {
        match e {
            ServeError::AddressInUse(_) => BuildError::Other(anyhow::anyhow!("{}", e.to_string().trim_end())),
            ServeError::Other(e) => BuildError::Other(e),
        }
    }
}

/// Serves until the process is stopped (Ctrl-C). Content errors never end it.
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
        .map_err(ServeError::Other)?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let started = std::time::Instant::now();
    let root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("reading the site folder {}", options.root.display()))
        .map_err(ServeError::Other)?;
    // Bind first: a taken port is reported before any work, and requests wait for the first build.
    let listener = bind(&options.host, options.port).await?;
    let address = listener.local_addr().context("reading the server's address").map_err(ServeError::Other)?;
    let (work_tx, work_rx) = std::sync::mpsc::channel();
    // Watch before the first build, so nothing saved while it runs is missed.
    let watcher = {
        let work = work_tx.clone();
        watch::start(&root, move |paths| drop(work.send(Work::Changed(paths)))).map_err(ServeError::Other)?
    };
    let live = Arc::new(live::Live::default());
    let index = Arc::new(search::SearchIndex::default());
    let search = search::start(live.clone(), index.clone());
    let speech = speech::start(live.clone(), move || drop(work_tx.send(Work::SpeechReady)));
    let rebuilder =
        tokio::task::block_in_place(|| Rebuilder::start(&root, options.overrides.clone(), live.clone(), index));
    let shared = Arc::new(Shared::new(rebuilder.snapshot(), live));
    let base_url = shared.current().base_url.clone();
    // Ready is said before the rebuild thread starts: it reads every page of the site (when the
    // server started from its outline), then checks them, then indexes them for search.
    let url = format!("http://{}{base_url}", display_address(address));
    println!("serving {} at {url}", root.display());
    eprintln!("ready in {:.0} ms; watching for changes (Ctrl-C to stop)", started.elapsed().as_secs_f64() * 1000.0);
    {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("lectern-rebuild".into())
            .spawn(move || rebuild_loop(rebuilder, work_rx, speech, search, &shared))
            .context("starting the rebuild thread")
            .map_err(ServeError::Other)?;
    }
    if options.open {
        open_browser(&url);
    }
    let allowed = Allowed::new(&options.host, address);
    let service = warp::service(routes(shared, allowed));
    accept_loop(listener, move |stream| {
        let service = hyper_util::service::TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                // Counts from the end of the last response too, so it is also the keep-alive limit.
                .header_read_timeout(IDLE_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .with_upgrades();
            // A closed or timed-out connection is nothing to report.
            let _ = connection.await;
        });
    })
    .await;
    drop(watcher);
    Ok(())
}

/// Hands each connection to `serve_connection` until Ctrl-C. warp's own server sets no timeouts,
/// so `serve` drives hyper itself: HTTP/1.1 with upgrades (for the live-reload socket).
async fn accept_loop(listener: tokio::net::TcpListener, serve_connection: impl Fn(tokio::net::TcpStream)) {
    let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => serve_connection(stream),
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    eprintln!("warning: accepting a connection: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            _ = &mut stop => return,
        }
    }
}

async fn bind(host: &str, port: u16) -> Result<tokio::net::TcpListener, ServeError> {
    let address: SocketAddr = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => SocketAddr::new(ip, port),
        Err(_) => tokio::net::lookup_host((host, port))
            .await
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| ServeError::Other(anyhow::anyhow!("`{host}` is not an address or a known host name")))?,
    };
    tokio::net::TcpListener::bind(address).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::AddressInUse(address),
        _ => ServeError::Other(anyhow::Error::new(e).context(format!("listening on {address}"))),
    })
}

fn display_address(address: SocketAddr) -> String {
    match address.ip() {
        ip if ip.is_unspecified() => format!("localhost:{}", address.port()),
        _ => address.to_string(),
    }
}

/// Refusals of foreign `Host`s and `Origin`s, the websocket at `/__lectern/livereload`, then
/// every GET and HEAD from the site.
fn routes(
    shared: Arc<Shared>,
    allowed: Allowed,
) -> impl Filter<Extract = (impl warp::Reply,), Error = std::convert::Infallible> + Clone {
    let with_shared = {
        let shared = shared.clone();
        warp::any().map(move || shared.clone())
    };
    // Matches only requests to refuse; every other request falls through to the routes below.
    let refuse = warp::header::headers_cloned().and_then(move |headers: warp::http::HeaderMap| {
        let refusal = allowed.refusal(&headers);
        async move { refusal.map(http::forbidden).ok_or_else(warp::reject::not_found) }
    });
    let (first, second) = livereload::SOCKET_SEGMENTS;
    let socket = warp::path(first)
        .and(warp::path(second))
        .and(warp::path::end())
        .and(warp::ws())
        .and(warp::query::<livereload::Hello>().or(warp::any().map(livereload::Hello::default)).unify())
        .and(with_shared.clone())
        .map(|ws: warp::ws::Ws, hello, shared| {
            ws.on_upgrade(move |socket| livereload::connection(socket, hello, shared))
        });
    let site = warp::method()
        .and(warp::path::full())
        .and(warp::query::raw().or(warp::any().map(String::new)).unify())
        .and(warp::header::headers_cloned())
        .and(with_shared)
        .then(|method, path: warp::path::FullPath, query: String, headers, shared| {
            http::respond(method, path.as_str().to_string(), query, headers, shared)
        });
    refuse.or(socket).or(site)
}

/// What the rebuild thread is asked to do.
enum Work {
    /// The watcher saw these paths change.
    Changed(Vec<PathBuf>),
    /// Background synthesis put new audio into the speech cache.
    SpeechReady,
}

/// Applies the watcher's batches one after another; a burst that arrived during a rebuild is
/// merged into one plan.
fn rebuild_loop(
    mut rebuilder: Rebuilder,
    work: Receiver<Work>,
    speech: Sender<speech::SpeechJob>,
    search: Sender<search::SearchJob>,
    shared: &Shared,
) {
    // The server answered from the site's outline: every page is read now, behind it.
    if rebuilder.outline() {
        let events = rebuilder.apply(&Plan { site: true, ..Plan::default() });
        shared.publish(rebuilder.snapshot(), events);
    }
    shared.live.set_loaded();
    // The first check of every page runs once the server is ready, so it never delays it.
    let events = rebuilder.check_problems();
    if !events.is_empty() {
        shared.publish(rebuilder.snapshot(), events);
    }
    if let Some(job) = rebuilder.take_speech_job() {
        let _ = speech.send(job);
    }
    for job in rebuilder.take_search_jobs() {
        let _ = search.send(job);
    }
    while let Ok(first) = work.recv() {
        let (mut paths, mut speech_ready) = (Vec::new(), false);
        for item in std::iter::once(first).chain(work.try_iter()) {
            match item {
                Work::Changed(more) => paths.extend(more),
                Work::SpeechReady => speech_ready = true,
            }
        }
        if speech_ready {
            let events = rebuilder.refresh_speech();
            shared.publish(rebuilder.snapshot(), events);
        }
        let plan = rebuilder.plan(&paths);
        if plan.is_empty() {
            continue;
        }
        let events = rebuilder.apply(&plan);
        shared.publish(rebuilder.snapshot(), events);
        // Checked once the new pages are served: the check never delays a reload.
        let events = rebuilder.check_problems();
        if !events.is_empty() {
            shared.publish(rebuilder.snapshot(), events);
        }
        if let Some(job) = rebuilder.take_speech_job() {
            let _ = speech.send(job);
        }
        for job in rebuilder.take_search_jobs() {
            let _ = search.send(job);
        }
    }
}

/// Opens `url` with the desktop's opener; a failure only prints a line.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not open a browser ({opener}: {e}); open {url} yourself");
    }
}
