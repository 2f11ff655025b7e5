//! Speech while serving: pages are rendered with audio from the cache only (blocks without it use
//! the browser's voices), and the missing audio is synthesised here, on a background thread, so
//! no rebuild or reload ever waits for it. When a job made new audio, the rebuild thread is told
//! to pick it up from the cache and reload the pages concerned.
//!
//! In: [`SpeechJob`]s (the pages with speech blocks). Their HTML is made again here, a batch of
//! pages at a time ([`super::live::markdown_html`]): the preview keeps no page's HTML. Out:
//! audio in the speech cache and a call to `ready` after each job that synthesised something.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::config::Config;

use super::live::{BATCH, Live, markdown_html};

/// Pages whose speech blocks may lack audio.
pub struct SpeechJob {
    /// The site's config, with `speech.cache_only` off.
    pub config: Config,
    /// The site load the docs are of.
    pub load: u64,
    pub docs: Vec<usize>,
}

/// Starts the synthesis thread; returns where to send jobs. Jobs run one after another.
pub fn start(live: Arc<Live>, ready: impl Fn() + Send + 'static) -> Sender<SpeechJob> {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new().name("lectern-speech".into()).spawn(move || run(&rx, &live, &ready));
    if let Err(e) = spawned {
        eprintln!("warning: no background speech synthesis ({e}); pages use browser voices");
    }
    tx
}

fn run(jobs: &Receiver<SpeechJob>, live: &Live, ready: &dyn Fn()) {
    while let Ok(job) = jobs.recv() {
        let mut synthesised = 0;
        let mut failed = None;
        // A batch at a time, synthesised with no lock held: synthesis takes seconds.
        for batch in job.docs.chunks(BATCH) {
            let mut pages: Vec<(String, String)> = Vec::new();
            let current = markdown_html(live, job.load, batch, false, |site, html| {
                pages.extend(html.into_iter().map(|(i, html)| (site.content.docs[i].title.clone(), html)));
            });
            if !current {
                break;
            }
            let titles: Vec<&str> = pages.iter().map(|(title, _)| title.as_str()).collect();
            let html: Vec<&str> = pages.iter().map(|(_, html)| html.as_str()).collect();
            match crate::speech::run(&job.config, &titles, &html) {
                Ok(speech) => synthesised += speech.synthesised,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        match failed {
            Some(e) => eprintln!("warning: background speech synthesis failed: {e:#}"),
            None if synthesised > 0 => {
                eprintln!("speech: synthesised {synthesised} sentences in the background");
                ready();
            }
            None => {}
        }
    }
}
