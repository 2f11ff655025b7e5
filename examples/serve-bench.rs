//! Benchmark of `lectern serve`: `cargo build --release && cargo run --release --example
//! serve-bench [-- --pages 1000 --edits 400]`.
//!
//! Generates a corpus (examples/common, as `gen-corpus` does) and runs `target/release/lectern
//! serve` on it as a child process on a free port, so its memory and CPU time are its own
//! (`/proc/PID/status` and `/proc/PID/stat`, Linux). It measures:
//! - time to ready: from starting the process to its "ready" line, and to the first page served
//!   (HTTP 200 for the home page), and the server's CPU time by then; then how long reading
//!   every page took behind it (the server's own line) and when search first answered;
//! - memory at ready: resident memory (RSS) once the start-up work in the background (the first
//!   check of every page, the search index) has finished, and the peak so far;
//! - for each of N edits of one page: write → reload message on the live-reload websocket, and
//!   the time to the first byte of the new page requested right after the message (checked to
//!   contain the edit);
//! - CPU per edit: the server's CPU time (user + system) over the edits, once its background
//!   work has finished, divided by the number of edits;
//! - memory after the edits, and after browsing `--browse` other pages (each rendered on
//!   demand: this shows the bound of the page cache);
//! - that search has the last edit: a word only the last edit wrote is looked up in the served
//!   index (manifest → shard), as `search.js` does.
//!
//! Edits are 150 ms apart so each is one rebuild. Speech synthesis is off unless `--speech` is
//! given (serve never waits for it, but it shares the CPU).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

#[derive(Parser)]
struct Args {
    /// Pages in the generated site.
    #[arg(long, default_value_t = 1000)]
    pages: usize,
    /// Edits of one page.
    #[arg(long, default_value_t = 400)]
    edits: usize,
    /// Other pages to request after the edits (each one a page not yet served).
    #[arg(long, default_value_t = 1000)]
    browse: usize,
    /// Keep speech synthesis on: it then runs in the background during the edits (by default the
    /// site gets `speech.prerender: never`, to measure the preview alone).
    #[arg(long)]
    speech: bool,
    /// The lectern binary (default: `lectern` beside this example's folder, i.e. target/release).
    #[arg(long)]
    lectern: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let lectern = match &args.lectern {
        Some(p) => p.clone(),
        None => std::env::current_exe()?
            .parent()
            .and_then(Path::parent)
            .map(|dir| dir.join("lectern"))
            .context("finding target/release/lectern")?,
    };
    if !lectern.is_file() {
        bail!("{} is missing: run `cargo build --release` first", lectern.display());
    }
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("site");
    common::generate(args.pages, 1, common::Layout::Lectern, &root)?;
    if !args.speech {
        let config = root.join("lectern.yml");
        let text = std::fs::read_to_string(&config)?;
        std::fs::write(&config, format!("{text}\nspeech:\n  prerender: never\n"))?;
    }
    let site = lectern::build::load_routes(&root, &Default::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let page_url = |i: usize| {
        let url = lectern::links::encode_path(&site.content.docs[i].url);
        if url.ends_with('/') || url.ends_with(".html") { url } else { format!("{url}/") }
    };
    let edited = site.content.docs.len() / 2;
    let (file, url) = (site.content.docs[edited].file.clone(), page_url(edited));
    // Pages to browse: spread over the site, never the edited one.
    let step = (site.content.docs.len() / args.browse.max(1)).max(1);
    let browse: Vec<String> =
        (0..site.content.docs.len()).step_by(step).filter(|&i| i != edited).take(args.browse).map(page_url).collect();
    drop(site);

    let mut server = Server::start(&lectern, &root)?;
    let address = server.address.clone();
    let first_page = loop {
        if let Ok((200, _, _)) = get(&address, "/") {
            break server.started.elapsed();
        }
        if server.started.elapsed() > Duration::from_secs(120) {
            bail!("serve did not answer within 120 s");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let ready_line = server.wait_stderr("ready in", Duration::from_secs(10));
    let (rss_first, cpu_ready) = (server.rss("VmRSS:"), server.cpu());
    // Answered once every page is read and indexed (the server waits with the answer).
    let (status, _, _) = get(&address, "/search/manifest.json")?;
    let search_ready = server.started.elapsed();
    if status != 200 {
        bail!("the search manifest gave {status}");
    }
    let every_page = server.wait_stderr("rebuilt every page after the start", Duration::from_secs(120));
    let settled_after = server.settle();
    let (rss_ready, peak_ready) = (server.rss("VmRSS:"), server.rss("VmHWM:"));
    let cpu_before = server.cpu();

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (to_message, to_first_byte) = runtime.block_on(edit_loop(&address, &url, &file, args.edits))?;
    let edits_started = Instant::now();
    server.settle();
    let cpu_edits = server.cpu() - cpu_before;
    let (rss_edits, peak_edits) = (server.rss("VmRSS:"), server.rss("VmHWM:"));
    let search = if args.edits > 0 { Some(search_has(&address, &format!("zqx{}x", args.edits - 1))?) } else { None };
    let _ = edits_started;

    let browsing = Instant::now();
    let mut browse_times = Vec::new();
    for path in &browse {
        let (status, first_byte, _) = get(&address, path)?;
        if status != 200 {
            bail!("{path} gave {status}");
        }
        browse_times.push(first_byte);
    }
    let browse_wall = browsing.elapsed();
    server.settle();
    let (rss_browse, peak_browse) = (server.rss("VmRSS:"), server.rss("VmHWM:"));

    let mib = |kib: u64| kib as f64 / 1024.0;
    println!("site: {} pages; edited page {url}; lectern {}", args.pages, lectern.display());
    println!(
        "time to ready: {} ({:.0} ms to the first page served; CPU {:.0} ms)",
        ready_line.trim().trim_end_matches("; watching for changes (Ctrl-C to stop)"),
        ms(first_page),
        cpu_ready.total()
    );
    println!(
        "behind it: {}; search answered {:.0} ms after the start",
        every_page.trim().trim_start_matches("rebuilt "),
        ms(search_ready)
    );
    println!(
        "memory at ready: RSS {:.0} MiB at the first page, {:.0} MiB once start-up work settled ({:.1} s); peak {:.0} MiB",
        mib(rss_first),
        mib(rss_ready),
        settled_after.as_secs_f64(),
        mib(peak_ready)
    );
    report("write → reload message", &to_message);
    report("reload message → first byte of new page", &to_first_byte);
    let total: Vec<Duration> = to_message.iter().zip(&to_first_byte).map(|(a, b)| *a + *b).collect();
    report("edit → visible (write → first byte of new page)", &total);
    if args.edits > 0 {
        println!(
            "CPU per edit: {:.1} ms (user {:.1} + system {:.1}; {} edits, background work included)",
            cpu_edits.total() / args.edits as f64,
            cpu_edits.user / args.edits as f64,
            cpu_edits.system / args.edits as f64,
            args.edits
        );
    }
    println!("memory after {} edits: RSS {:.0} MiB, peak {:.0} MiB", args.edits, mib(rss_edits), mib(peak_edits));
    if let Some(found) = search {
        println!("search has the last edit's word: {}", if found { "yes" } else { "NO" });
    }
    if !browse.is_empty() {
        report(&format!("first byte of {} other pages, one after another", browse.len()), &browse_times);
        println!(
            "memory after browsing {} pages ({:.1} s): RSS {:.0} MiB, peak {:.0} MiB",
            browse.len(),
            browse_wall.as_secs_f64(),
            mib(rss_browse),
            mib(peak_browse)
        );
    }
    drop(server);
    Ok(())
}

/// `lectern serve` as a child process.
struct Server {
    child: Child,
    address: String,
    started: Instant,
    stderr: mpsc::Receiver<String>,
    stderr_seen: Vec<String>,
}

/// CPU time in ms.
#[derive(Debug, Clone, Copy)]
struct Cpu {
    user: f64,
    system: f64,
}

impl Cpu {
    fn total(&self) -> f64 {
        self.user + self.system
    }
}

impl std::ops::Sub for Cpu {
    type Output = Cpu;
    fn sub(self, other: Cpu) -> Cpu {
        Cpu { user: self.user - other.user, system: self.system - other.system }
    }
}

impl Server {
    fn start(lectern: &Path, root: &Path) -> anyhow::Result<Server> {
        let started = Instant::now();
        let mut child = Command::new(lectern)
            .arg("serve")
            .arg(root)
            .args(["--port", "0"])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", lectern.display()))?;
        let (out_tx, out_rx) = mpsc::channel();
        let stdout = child.stdout.take().context("serve's stdout")?;
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = out_tx.send(line);
            }
        });
        let (err_tx, err_rx) = mpsc::channel();
        let stderr = child.stderr.take().context("serve's stderr")?;
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = err_tx.send(line);
            }
        });
        let line = out_rx.recv_timeout(Duration::from_secs(120)).context("serve printed no URL")?;
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).context("a URL")?.to_string();
        let address = url.trim_start_matches("http://").split('/').next().unwrap_or_default().to_string();
        Ok(Server { child, address, started, stderr: err_rx, stderr_seen: Vec::new() })
    }

    /// The first line of stderr so far or within `limit` that contains `needle`.
    fn wait_stderr(&mut self, needle: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            self.stderr_seen.extend(self.stderr.try_iter());
            if let Some(line) = self.stderr_seen.iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { return String::new() };
            if let Ok(line) = self.stderr.recv_timeout(left) {
                self.stderr_seen.push(line);
            }
        }
    }

    /// A `/proc/PID/status` figure in KiB.
    fn rss(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix(field))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0)
    }

    /// The process's CPU time so far.
    fn cpu(&self) -> Cpu {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name (which may hold spaces) in parentheses.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // SAFETY: sysconf has no preconditions.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        let at = |n: usize| fields.get(n).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) * 1000.0 / ticks;
        // utime and stime are fields 14 and 15 of stat; 12 and 13 after the name and state.
        Cpu { user: at(11), system: at(12) }
    }

    /// Waits until the server has used no CPU for 500 ms (its background work is done);
    /// returns how long it waited.
    fn settle(&mut self) -> Duration {
        let started = Instant::now();
        let mut last = self.cpu().total();
        loop {
            std::thread::sleep(Duration::from_millis(500));
            self.stderr_seen.extend(self.stderr.try_iter());
            let now = self.cpu().total();
            if now - last <= 20.0 || started.elapsed() > Duration::from_secs(120) {
                return started.elapsed();
            }
            last = now;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn edit_loop(
    address: &str,
    url: &str,
    file: &std::path::Path,
    edits: usize,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let socket_url = format!("ws://{address}/__lectern/livereload?page={url}");
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = socket_url.into_client_request()?;
    // As a page of the server connects: serve refuses sockets from other origins.
    request.headers_mut().insert("origin", format!("http://{address}").parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.context("connecting the websocket")?;
    wait_for_type(&mut socket, "hello").await?;
    let original = std::fs::read_to_string(file)?;
    let (mut to_message, mut to_first_byte) = (Vec::new(), Vec::new());
    for n in 0..edits {
        let marker = format!("Benchmark edit number {n}, zqx{n}x.");
        let written = Instant::now();
        std::fs::write(file, format!("{original}\n{marker}\n"))?;
        wait_for_type(&mut socket, "reload").await?;
        to_message.push(written.elapsed());
        let (status, first_byte, body) = get(address, url)?;
        if status != 200 || !body.contains(&marker) {
            bail!("edit {n}: {url} gave {status} without the edit");
        }
        to_first_byte.push(first_byte);
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    Ok((to_message, to_first_byte))
}

async fn wait_for_type<S>(socket: &mut S, kind: &str) -> anyhow::Result<()>
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let next = tokio::time::timeout_at(deadline, socket.next()).await.with_context(|| format!("no {kind}"))?;
        if let Some(Ok(Message::Text(text))) = next {
            let value: serde_json::Value = serde_json::from_str(&text)?;
            if value["type"] == kind {
                return Ok(());
            }
        } else if next.is_none() {
            bail!("the websocket closed");
        }
    }
}

/// Whether the served search index lists `word`: the manifest names the shards whose span
/// holds it, and one of them has it (as a stem or one of a stem's words).
fn search_has(address: &str, word: &str) -> anyhow::Result<bool> {
    let body = |path: &str| -> anyhow::Result<String> {
        let (status, _, text) = get(address, path)?;
        if status != 200 {
            bail!("{path} gave {status}");
        }
        Ok(text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
    };
    let manifest: serde_json::Value = serde_json::from_str(&body("/search/manifest.json")?)?;
    let hash = manifest["hash"].as_str().unwrap_or_default();
    for (n, span) in manifest["shards"].as_array().into_iter().flatten().enumerate() {
        let (first, last) = (span[0].as_str().unwrap_or_default(), span[1].as_str().unwrap_or_default());
        if first <= word && word <= last {
            let shard: serde_json::Value = serde_json::from_str(&body(&format!("/search/t/{n}.json?{hash}"))?)?;
            let listed = shard.as_array().into_iter().flatten().any(|term| {
                term[0] == word || term.get(3).and_then(|w| w.as_array()).is_some_and(|ws| ws.iter().any(|w| w == word))
            });
            if listed {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// GET over a fresh connection: (status, time to the first byte, the whole response as text).
fn get(address: &str, path: &str) -> anyhow::Result<(u16, Duration, String)> {
    let mut stream = TcpStream::connect(address)?;
    let sent = Instant::now();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")?;
    let mut first = [0u8; 1];
    stream.read_exact(&mut first)?;
    let first_byte = sent.elapsed();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest)?;
    let text = format!("{}{}", first[0] as char, String::from_utf8_lossy(&rest));
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, first_byte, text))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(what: &str, samples: &[Duration]) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return;
    }
    let at = |q: f64| sorted[((sorted.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{what}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} samples)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
        sorted.len()
    );
}
