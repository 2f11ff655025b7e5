//! Search while serving: the index is rebuilt on a background thread after each successful
//! rebuild, so no reload waits for it. The browser fetches the manifest without caching and
//! names every shard by its hash, so a tab never mixes an old index with a new one.
//!
//! In: [`SearchJob`]s (the indexed pages of one rebuild). Out: the index files of the newest job,
//! handed back through `ready` with the job's generation; older jobs still queued are skipped.

use std::sync::mpsc::{Receiver, Sender, channel};

use crate::search::{OwnedPage, SearchFiles, index_pages_in};

/// The pages of one rebuild.
pub struct SearchJob {
    /// Counts rebuilds; a result is used only if no newer rebuild happened meanwhile.
    pub generation: u64,
    pub pages: Vec<OwnedPage>,
    /// The site's language, for the stemmer.
    pub lang: String,
}

/// Starts the indexing thread; returns where to send jobs.
pub fn start(ready: impl Fn(u64, SearchFiles) + Send + 'static) -> Sender<SearchJob> {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new().name("lectern-search".into()).spawn(move || run(&rx, &ready));
    if let Err(e) = spawned {
        eprintln!("warning: no background search indexing ({e}); search is unavailable while serving");
    }
    tx
}

fn run(jobs: &Receiver<SearchJob>, ready: &dyn Fn(u64, SearchFiles)) {
    while let Ok(first) = jobs.recv() {
        // Only the newest of a burst of rebuilds is worth indexing.
        let job = jobs.try_iter().last().unwrap_or(first);
        let files = index_pages_in(&OwnedPage::inputs(&job.pages), &job.lang);
        ready(job.generation, files);
    }
}
