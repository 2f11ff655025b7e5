//! Benchmark of `lectern serve`: `cargo run --release --example serve-bench [-- --pages 1000 --edits 50]`.
//!
//! Generates a corpus (examples/common, as `gen-corpus` does), starts serve on it in this process
//! on a free port, and measures:
//! - start-up: from calling `serve::run` to the first page served (HTTP 200 for the home page);
//! - for each of N edits of one page: write → reload message on the live-reload websocket, and
//!   the time to the first byte of the new page requested right after the message (checked to
//!   contain the edit).
//!
//! Prints p50/p95/max of each. Edits are 150 ms apart so each is one rebuild. Speech synthesis
//! is off unless `--speech` is given (serve never waits for it, but it shares the CPU).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
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
    #[arg(long, default_value_t = 50)]
    edits: usize,
    /// Keep speech synthesis on: it then runs in the background during the edits (by default the
    /// site gets `speech.prerender: never`, to measure the preview alone).
    #[arg(long)]
    speech: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("site");
    common::generate(args.pages, 1, common::Layout::Lectern, &root)?;
    if !args.speech {
        let config = root.join("lectern.yml");
        let text = std::fs::read_to_string(&config)?;
        std::fs::write(&config, format!("{text}\nspeech:\n  prerender: never\n"))?;
    }
    let mut config = lectern::config::load(&root, &Default::default()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    config.speech.cache_only = true;
    let site = lectern::build::load_site(config, lectern::build::Mode::Memory).map_err(|e| anyhow::anyhow!("{e}"))?;
    let doc = &site.content.docs[site.content.docs.len() / 2];
    let (file, url) = (doc.file.clone(), lectern::links::encode_path(&doc.url));
    let url = if url.ends_with('/') || url.ends_with(".html") { url } else { format!("{url}/") };
    drop(site);

    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let address = format!("127.0.0.1:{port}");
    let options = lectern::serve::ServeOptions {
        root: root.clone(),
        host: "127.0.0.1".into(),
        port,
        open: false,
        overrides: Default::default(),
    };
    let started = Instant::now();
    std::thread::spawn(move || lectern::serve::run(options));
    let startup = loop {
        if let Ok((200, _, _)) = get(&address, "/") {
            break started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("serve did not answer within 60 s");
        }
        std::thread::sleep(Duration::from_millis(2));
    };

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (to_message, to_first_byte) = runtime.block_on(edit_loop(&address, &url, &file, args.edits))?;
    println!("site: {} pages; edited page {url}", args.pages);
    println!("start-up to first page served: {:.0} ms", ms(startup));
    report("write → reload message", &to_message);
    report("reload message → first byte of new page", &to_first_byte);
    let total: Vec<Duration> = to_message.iter().zip(&to_first_byte).map(|(a, b)| *a + *b).collect();
    report("write → first byte of new page", &total);
    // The server thread is still watching: leave before deleting the site makes it rebuild.
    let site_dir = dir.keep();
    let _ = std::fs::remove_dir_all(&site_dir);
    std::process::exit(0)
}

async fn edit_loop(
    address: &str,
    url: &str,
    file: &std::path::Path,
    edits: usize,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let socket_url = format!("ws://{address}/__lectern/livereload?page={url}");
    let (mut socket, _) = tokio_tungstenite::connect_async(&socket_url).await.context("connecting the websocket")?;
    wait_for_type(&mut socket, "hello").await?;
    let original = std::fs::read_to_string(file)?;
    let (mut to_message, mut to_first_byte) = (Vec::new(), Vec::new());
    for n in 0..edits {
        let marker = format!("Benchmark edit number {n}.");
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
    std::fs::write(file, original)?;
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

/// GET over a fresh connection: (status, time to the first byte, body).
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
    let at = |q: f64| sorted[((sorted.len() as f64 - 1.0) * q).round() as usize];
    if sorted.is_empty() {
        return;
    }
    println!(
        "{what}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} samples)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
        sorted.len()
    );
}
