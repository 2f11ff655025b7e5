//! `lectern speech --shard I/N`: speech synthesis spread over CI jobs.
//!
//! Each shard synthesises its own part of the missing sentences into its cache folder and writes
//! nothing else; the shards' cache folders copied into one give a build that synthesises nothing
//! and writes the same bytes as a build on one machine. Once with the fake engine (which logs
//! every sentence it is asked for), once with the real espeak-ng.

mod speech_support;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use speech_support::*;

const FAKE_ENGINE: &str = "  engine: command\n  command: sh ./fake-tts.sh\n";
const ESPEAK: &str = "  engine: espeak-ng\n";

/// A copy of the `speech-shards` fixture whose speech engine is `engine` (lines under `speech:`).
fn site(engine: &str) -> tempfile::TempDir {
    let site = site_with_fake_engine("speech-shards");
    let yml = site.path().join("lectern.yml");
    let text = std::fs::read_to_string(&yml).expect("reading lectern.yml");
    std::fs::write(&yml, format!("{text}{engine}")).expect("writing lectern.yml");
    site
}

fn speech(site: &Path, shard: &str) -> Output {
    support::lectern_ok(["speech".as_ref(), site.as_os_str(), "--shard".as_ref(), shard.as_ref()])
}

/// The line `speech shard …` or `speech: …` on stderr.
fn speech_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().find(|l| l.starts_with("speech")).unwrap_or_default().to_string()
}

fn cache(site: &Path) -> std::path::PathBuf {
    site.join(".lectern-cache/speech")
}

/// Every file of the site apart from the speech cache and the fake engine's log.
fn site_files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = support::tree(site);
    files.retain(|path, _| !path.starts_with(".lectern-cache") && path != "calls.log");
    files
}

/// The sentence entries in a site's cache, by file name.
fn sentence_entries(site: &Path) -> BTreeSet<String> {
    support::tree(&cache(site).join("sentences"))
        .into_keys()
        .map(|p| p.rsplit('/').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn fake_engine_shards_split_the_sentences_and_the_merged_build_synthesises_none() {
    // One machine: a plain cold build.
    let whole = site(FAKE_ENGINE);
    build(whole.path());
    let all: BTreeSet<String> = calls(whole.path()).into_iter().collect();
    assert_eq!(calls(whole.path()).len(), all.len(), "each sentence once");
    assert!(all.contains("Run the tests."), "{all:?}");

    // Two jobs, each with its own checkout and cache folder.
    let jobs = [site(FAKE_ENGINE), site(FAKE_ENGINE)];
    let mut asked = Vec::new();
    for (k, job) in jobs.iter().enumerate() {
        let before = site_files(job.path());
        let shard = format!("{}/2", k + 1);
        let line = speech_line(&speech(job.path(), &shard));
        let said = calls(job.path());
        assert!(
            line.starts_with(&format!(
                "speech shard {shard}: 3 blocks, 14 sentences, 1 cached, {} left to other shards, {} synthesised in ",
                all.len() - said.len(),
                said.len()
            )),
            "{line}"
        );
        assert_eq!(site_files(job.path()), before, "shard {shard} wrote nothing outside the speech cache");
        assert!(!cache(job.path()).join("blocks").exists(), "a shard assembles no block");
        assert_eq!(sentence_entries(job.path()).len(), said.len(), "one cache entry per sentence synthesised");
        // Run again on its own cache: nothing left in its shard.
        let again = speech_line(&speech(job.path(), &shard));
        assert!(again.contains(&format!(", {} cached, ", 14 - (all.len() - said.len()))), "{again}");
        assert!(again.contains(" 0 synthesised in "), "{again}");
        assert_eq!(calls(job.path()), said, "a second run asks the engine for nothing");
        asked.push(said.into_iter().collect::<BTreeSet<String>>());
    }
    assert!(!asked[0].is_empty() && !asked[1].is_empty(), "both shards have work: {asked:?}");
    assert!(asked[0].is_disjoint(&asked[1]), "no sentence in both shards: {asked:?}");
    assert_eq!(&asked[0] | &asked[1], all, "together the shards cover every sentence");

    // The final job: the shards' cache folders copied into its own, then a build.
    let last = site(FAKE_ENGINE);
    for job in &jobs {
        support::copy_dir(&cache(job.path()), &cache(last.path()));
    }
    let line = summary(&build(last.path()));
    assert!(line.starts_with("speech: 3 blocks, 14 sentences, 14 cached, 0 synthesised in "), "{line}");
    assert!(calls(last.path()).is_empty(), "the build asked the engine for nothing");
    assert_eq!(
        support::tree(&last.path().join("build")),
        support::tree(&whole.path().join("build")),
        "the same site as the one-machine build"
    );
}

#[test]
fn espeak_shards_merged_by_copying_build_the_same_bytes_as_one_machine() {
    if !support::require("espeak-ng") {
        return;
    }
    let whole = site(ESPEAK);
    let line = summary(&build(whole.path()));
    assert!(line.starts_with("speech: 3 blocks, 14 sentences, 1 cached, 13 synthesised in "), "{line}");

    let jobs = [site(ESPEAK), site(ESPEAK)];
    let mut entries = Vec::new();
    for (k, job) in jobs.iter().enumerate() {
        let before = site_files(job.path());
        speech(job.path(), &format!("{}/2", k + 1));
        assert_eq!(site_files(job.path()), before, "shard {} wrote nothing outside the speech cache", k + 1);
        entries.push(sentence_entries(job.path()));
    }
    assert!(!entries[0].is_empty() && !entries[1].is_empty(), "both shards have work: {entries:?}");
    assert!(entries[0].is_disjoint(&entries[1]));
    assert_eq!(entries[0].len() + entries[1].len(), 13);

    let last = site(ESPEAK);
    for job in &jobs {
        support::copy_dir(&cache(job.path()), &cache(last.path()));
    }
    let line = summary(&build(last.path()));
    assert!(line.starts_with("speech: 3 blocks, 14 sentences, 14 cached, 0 synthesised in "), "{line}");
    assert_eq!(sentence_entries(last.path()).len(), 13, "the build added no sentence");
    let (merged, single) = (support::tree(&last.path().join("build")), support::tree(&whole.path().join("build")));
    assert!(merged.keys().any(|p| p.starts_with("audio/") && p.ends_with(".mp3")), "{:?}", merged.keys());
    assert_eq!(merged.keys().collect::<Vec<_>>(), single.keys().collect::<Vec<_>>());
    for (path, bytes) in &merged {
        assert!(bytes == &single[path], "{path} differs from the one-machine build");
    }
}

#[test]
fn bad_shards_and_a_site_without_audio_are_usage_errors() {
    let site = site(FAKE_ENGINE);
    for bad in ["3/2", "0/2", "1/0", "half"] {
        let out = support::lectern(["speech".as_ref(), site.path().as_os_str(), "--shard".as_ref(), bad.as_ref()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains(&format!("`{bad}` is not a shard: write I/N, e.g. 1/4")), "{bad}: {stderr}");
    }
    edit(site.path(), "lectern.yml", "prerender: always", "prerender: never");
    let out = support::lectern(["speech".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("speech.prerender is `never`"), "{stderr}");
    assert!(calls(site.path()).is_empty());
    assert!(!cache(site.path()).exists(), "nothing written");
}
