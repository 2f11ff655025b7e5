//! Speech while serving: pages are rendered with audio from the cache only (blocks without it use
//! the browser's voices), and the missing audio is synthesised here, on a background thread, so
//! no rebuild or reload ever waits for it. When a job made new audio, the rebuild thread is told
//! to pick it up from the cache and reload the pages concerned.
//!
//! In: [`SpeechJob`]s (the pages with speech blocks, as rendered). Out: audio in the speech cache
//! and a call to `ready` after each job that synthesised something.

use std::sync::mpsc::{Receiver, Sender, channel};

use crate::config::Config;

/// Pages whose speech blocks may lack audio.
pub struct SpeechJob {
    /// The site's config, with `speech.cache_only` off.
    pub config: Config,
    pub titles: Vec<String>,
    /// The markdown stage's HTML of each page.
    pub html: Vec<String>,
}

/// Starts the synthesis thread; returns where to send jobs. Jobs run one after another.
pub fn start(ready: impl Fn() + Send + 'static) -> Sender<SpeechJob> {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new().name("lectern-speech".into()).spawn(move || run(&rx, &ready));
    if let Err(e) = spawned {
        eprintln!("warning: no background speech synthesis ({e}); pages use browser voices");
    }
    tx
}

fn run(jobs: &Receiver<SpeechJob>, ready: &dyn Fn()) {
    while let Ok(job) = jobs.recv() {
        let titles: Vec<&str> = job.titles.iter().map(String::as_str).collect();
        let html: Vec<&str> = job.html.iter().map(String::as_str).collect();
        match crate::speech::run(&job.config, &titles, &html) {
            Ok(speech) if speech.synthesised > 0 => {
                eprintln!("speech: synthesised {} sentences in the background", speech.synthesised);
                ready();
            }
            Ok(_) => {}
            Err(e) => eprintln!("warning: background speech synthesis failed: {e:#}"),
        }
    }
}
