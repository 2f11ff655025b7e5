//! No-change builds: a record of everything a build's output was made from, so that the next
//! build into the same folder can prove that nothing changed and leave the output as it is,
//! without parsing, checking, rendering or writing anything.
//!
//! In: the resolved [`Config`] (lectern.yml or the Docusaurus config with `--env` and the
//! `LECTERN_*` variables applied, git's remote and branch), the program, the git commit the docs folder is at, every
//! entry of the site's source folders as the file system describes it (docs, `src/pages`,
//! static folders, `theme/`, the config files), the speech engine when the last build's audio
//! depended on it, and the output folder. Out: an [`Inputs`] snapshot, taken before a build
//! reads anything; a [`record`] of it with the output folder's fingerprint and the warnings the
//! build printed, saved once the build is swapped in; and [`unchanged`], which compares the next
//! build's snapshot and the output folder with that record.
//!
//! Sources are compared by metadata (path, type, size, modification and change times, inode),
//! and by content too for files changed within [`RACY`] of the snapshot, whose metadata a later
//! change in the same clock tick could leave as it was (git's "racily clean" entries). The
//! output is compared by every entry's path, type, size, modification time and inode, and the
//! folder's own: each real build swaps in a new folder, so another build's output never matches.
//! Anything that cannot be read or compared means "changed", and the build runs.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{CONFIG_FILE, Config};
use crate::output::Listing;
use crate::speech::EngineUse;

/// How recently a source may have changed for its metadata alone to be trusted: a change in the
/// same tick of the file system's clock can leave size and times as they were (2 s covers FAT's
/// coarsest timestamps).
pub const RACY: Duration = Duration::from_secs(2);

/// The record's format; another value is not read.
const FORMAT: &str = "lectern no-change record 1";

/// What a build's output depends on, as found on disk before the build read anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// A hash of the settings, the program, the git commit and every source entry's metadata.
    digest: String,
    /// Files changed within [`RACY`] of the snapshot: absolute path → hash of their content.
    racy: HashMap<String, String>,
    /// What an incremental build compares ([`crate::incremental`]).
    pub parts: Parts,
    /// The partials the pages include from outside the pages' folders, which the snapshot
    /// does not walk: path → hash of their content, set once the build has read the pages
    /// ([`outside_includes`]).
    pub outside: Vec<(String, String)>,
}

/// The snapshot in the parts an incremental build tells apart: the pages' folders entry by
/// entry, and the rest as one hash.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Parts {
    /// A hash of everything but the pages' folders and git: the program, the settings, the
    /// config files, `theme/` and the static folders.
    pub settings: String,
    /// The git commit and shallow boundary the pages' dates come from ([`git_state`]).
    pub git: String,
    /// Every entry of the docs folder and of `src/pages`, by [`entry_key`]: a hash of its
    /// metadata, and of its content when it changed within [`RACY`] of the snapshot.
    pub entries: Vec<(String, u64, Option<String>)>,
}

/// The key of an entry of the docs folder (`folder` 0) or of `src/pages` (1): `rel` is its path
/// below that folder, with `/` separators.
pub fn entry_key(folder: usize, rel: &str) -> String {
    format!("{folder}:{rel}")
}

impl Parts {
    /// The keys of the entries that differ between `self` (an earlier snapshot) and `now`:
    /// added, removed, with other metadata, or racy before and with other content now. `root`
    /// finds the files: the docs folder and `src/pages` of the site.
    pub fn changed_entries(&self, now: &Parts, folders: &[PathBuf; 2]) -> Vec<String> {
        let before: HashMap<&str, (u64, Option<&String>)> =
            self.entries.iter().map(|(k, m, c)| (k.as_str(), (*m, c.as_ref()))).collect();
        let mut changed: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (key, meta, content) in &now.entries {
            seen.insert(key.as_str());
            match before.get(key.as_str()) {
                None => changed.push(key.clone()),
                Some((m, _)) if m != meta => changed.push(key.clone()),
                // Changing when the last snapshot was taken: its content too.
                Some((_, Some(hash))) => {
                    let now_hash = content.clone().or_else(|| content_hash(&path_of(key, folders)));
                    if now_hash.as_ref() != Some(*hash) {
                        changed.push(key.clone());
                    }
                }
                Some(_) => {}
            }
        }
        changed.extend(self.entries.iter().filter(|(k, _, _)| !seen.contains(k.as_str())).map(|(k, _, _)| k.clone()));
        changed.sort();
        changed
    }
}

/// The file an [`entry_key`] names.
pub(crate) fn path_of(key: &str, folders: &[PathBuf; 2]) -> PathBuf {
    match key.split_once(':') {
        Some(("1", rel)) => folders[1].join(rel),
        Some((_, rel)) => folders[0].join(rel),
        None => folders[0].join(key),
    }
}

/// Of the files `includes` (partials the pages include), those outside the docs folder and
/// `src/pages`, each once with a hash of its content: what the next build compares, as the
/// snapshot does not walk them.
pub fn outside_includes<'a>(config: &Config, includes: impl IntoIterator<Item = &'a PathBuf>) -> Vec<(String, String)> {
    let folders = page_folders(config).map(|f| crate::links::lexical(&f));
    let mut files: Vec<&PathBuf> = includes.into_iter().filter(|f| !folders.iter().any(|d| f.starts_with(d))).collect();
    files.sort();
    files.dedup();
    files.into_iter().map(|f| (f.to_string_lossy().into_owned(), content_hash(f).unwrap_or_default())).collect()
}

/// Whether every file of `outside` ([`outside_includes`]) still has the content it had.
pub fn outside_unchanged(outside: &[(String, String)]) -> bool {
    outside.par_iter().all(|(path, hash)| content_hash(Path::new(path)).is_some_and(|now| now == *hash))
}

/// The docs folder and `src/pages` of the site, as [`entry_key`] numbers them.
pub fn page_folders(config: &Config) -> [PathBuf; 2] {
    [config.docs_path(), config.root.join(crate::content::PAGES_DIR)]
}

/// What the last build into an output folder printed, when nothing changed since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The warnings the build printed, as printed.
    pub warnings: String,
    /// How many pages it built.
    pub pages: usize,
}

/// The record kept in the cache folder ([`crate::output::cache_file_of`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    format: String,
    inputs: String,
    racy: Vec<(String, String)>,
    output: String,
    /// [`crate::speech::engine_state`] as the build found it, when its audio depended on it.
    speech: Option<String>,
    pages: usize,
    warnings: String,
    /// [`Inputs::outside`].
    #[serde(default)]
    outside: Vec<(String, String)>,
}

fn record_file(config: &Config, out: &Path) -> PathBuf {
    crate::output::cache_file_of(config, out, "inputs.json")
}

/// Takes the snapshot of a build's inputs. `None` when some source cannot be read: then nothing
/// is recorded and the next build runs in full.
pub fn snapshot(config: &Config) -> Option<Inputs> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos() as i128;
    let racy_after = now - RACY.as_nanos() as i128;
    // Two hashes: the whole snapshot, and the part an incremental build compares as one.
    let mut h = Sha256::new();
    let mut settings = Sha256::new();
    let mut feed_both = |label: &str, value: &[u8], settings_too: bool| {
        feed(&mut h, label, value);
        if settings_too {
            feed(&mut settings, label, value);
        }
    };
    let git = git_state(config);
    feed_both("format", FORMAT.as_bytes(), true);
    feed_both("program", program().as_bytes(), true);
    feed_both("config", serde_json::to_string(config).ok()?.as_bytes(), true);
    feed_both("git", git.as_bytes(), false);
    let mut files: Vec<PathBuf> = vec![config.root.join(CONFIG_FILE)];
    files.extend(crate::docusaurus::CONFIG_FILES.iter().map(|name| config.root.join(name)));
    let [docs, pages] = page_folders(config);
    let mut folders = vec![docs, pages, config.root.join("theme")];
    folders.extend(config.static_dirs.iter().map(|d| config.root.join(d)));
    let mut racy = HashMap::new();
    let mut entries = Vec::new();
    for file in &files {
        feed_both("file", file.to_string_lossy().as_bytes(), true);
        match fs::symlink_metadata(file) {
            Ok(m) => {
                let meta = Meta::of(file, &m);
                feed_both("entry", &meta.bytes(true), true);
                if meta.newest() >= racy_after {
                    racy.insert(file.to_string_lossy().into_owned(), content_hash(file)?);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => feed_both("absent", b"", true),
            Err(_) => return None,
        }
    }
    for (n, folder) in folders.iter().enumerate() {
        let pages_folder = n < 2;
        feed_both("folder", folder.to_string_lossy().as_bytes(), !pages_folder);
        for (rel, meta) in list(folder)? {
            feed_both("path", rel.as_os_str().as_encoded_bytes(), !pages_folder);
            let bytes = meta.bytes(true);
            feed_both("entry", &bytes, !pages_folder);
            let path = folder.join(&rel);
            // Kept apart from the digest, which must not change when the file stops being recent.
            let recent = (meta.kind != b'd' && meta.newest() >= racy_after).then(|| content_hash(&path));
            let recent = match recent {
                Some(hash) => Some(hash?),
                None => None,
            };
            if let Some(hash) = &recent {
                racy.insert(path.to_string_lossy().into_owned(), hash.clone());
            }
            if pages_folder {
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                entries.push((entry_key(n, &rel), crate::render::fnv1a([bytes]), recent));
            }
        }
    }
    let parts = Parts { settings: hex(&settings.finalize()), git, entries };
    Some(Inputs { digest: hex(&h.finalize()), racy, parts, outside: Vec::new() })
}

fn feed(h: &mut Sha256, label: &str, value: &[u8]) {
    h.update((label.len() as u64).to_le_bytes());
    h.update(label.as_bytes());
    h.update((value.len() as u64).to_le_bytes());
    h.update(value);
}

/// The last build into `out` when it was made from `inputs` and the folder is still as it left
/// it: what it printed. `None` when anything differs or cannot be told. Call it holding the
/// output folder's lock ([`crate::output::claim_out_dir`]).
pub fn unchanged(config: &Config, inputs: &Inputs, out: &Path) -> Option<Skip> {
    let file = record_file(config, out);
    let record: Record = serde_json::from_slice(&fs::read(&file).ok()?).ok()?;
    if record.format != FORMAT || record.inputs != inputs.digest {
        return None;
    }
    // Files that were changing when the last build began: their content too.
    let same_content = record.racy.par_iter().all(|(path, hash)| match inputs.racy.get(path) {
        Some(now) => now == hash,
        None => content_hash(Path::new(path)).is_some_and(|now| now == *hash),
    });
    if !same_content || !outside_unchanged(&record.outside) {
        return None;
    }
    if let Some(state) = &record.speech
        && crate::speech::engine_state(config) != *state
    {
        return None;
    }
    if output_digest(out)? != record.output {
        return None;
    }
    // Those no longer recent enough to be racy need not be read again next time.
    if record.racy.iter().any(|(path, _)| !inputs.racy.contains_key(path)) {
        let racy = record.racy.iter().filter(|(path, _)| inputs.racy.contains_key(path)).cloned().collect();
        save(&file, &Record { racy, ..record.clone() });
    }
    Some(Skip { warnings: record.warnings, pages: record.pages })
}

/// Records that the output folder `out`, just swapped in with every file and folder of
/// `listing`, was made from `inputs`, with the build's `pages` count, speech `engine` and
/// printed `warnings`. Call it holding the output folder's lock, so no other build's output is
/// recorded as this one's.
pub fn record(
    config: &Config,
    inputs: &Inputs,
    out: &Path,
    listing: &Listing,
    engine: &EngineUse,
    pages: usize,
    warnings: &str,
) {
    match listed_digest(out, listing) {
        Some(output) => record_output(config, inputs, out, output, engine, pages, warnings),
        None => forget(config, out),
    }
}

/// [`record`], with the output folder's digest already known ([`OutputEntries::digest`]).
pub fn record_output(
    config: &Config,
    inputs: &Inputs,
    out: &Path,
    output: String,
    engine: &EngineUse,
    pages: usize,
    warnings: &str,
) {
    let speech = match engine {
        EngineUse::NotAsked => None,
        EngineUse::Found(state) => Some(state.clone()),
        EngineUse::Unsettled => return forget(config, out),
    };
    let mut racy: Vec<(String, String)> = inputs.racy.iter().map(|(p, h)| (p.clone(), h.clone())).collect();
    racy.sort();
    let record = Record {
        format: FORMAT.to_string(),
        inputs: inputs.digest.clone(),
        racy,
        output,
        speech,
        pages,
        warnings: warnings.to_string(),
        outside: inputs.outside.clone(),
    };
    save(&record_file(config, out), &record);
}

/// What the last build into `out` recorded of its output and its speech engine, when its
/// record is there and readable.
pub struct Previous {
    /// The output folder's digest as that build left it ([`OutputEntries::digest`]).
    pub output: String,
    /// What its audio depended on.
    pub engine: EngineUse,
    /// The partials its pages included from outside the pages' folders ([`Inputs::outside`]).
    pub outside: Vec<(String, String)>,
}

/// The record of the last build into `out` ([`record`]), if any.
pub fn previous(config: &Config, out: &Path) -> Option<Previous> {
    let record: Record = serde_json::from_slice(&fs::read(record_file(config, out)).ok()?).ok()?;
    (record.format == FORMAT).then(|| Previous {
        output: record.output,
        engine: record.speech.map_or(EngineUse::NotAsked, EngineUse::Found),
        outside: record.outside,
    })
}

/// Every entry of an output folder as the file system describes it, to compare with a record
/// and to update as an incremental build changes a few of them.
pub struct OutputEntries {
    top: Meta,
    entries: std::collections::BTreeMap<PathBuf, Meta>,
}

impl OutputEntries {
    /// Reads the folder `out` (one `statx` per file). `None` when it cannot be read.
    pub fn read(out: &Path) -> Option<OutputEntries> {
        let top = fs::symlink_metadata(out).ok().filter(fs::Metadata::is_dir)?;
        Some(OutputEntries { top: Meta::of(out, &top), entries: list(out)?.into_iter().collect() })
    }

    /// The folder's digest, as [`output_digest`] makes it.
    pub fn digest(&self) -> String {
        digest_of(&self.top, self.entries.iter().map(|(p, m)| (p.clone(), *m)).collect())
    }

    /// Notes that the files `written` (paths relative to `out`) were made or replaced, the
    /// folders `made` made and the files `removed` removed (and the folders emptied by it).
    /// `None` when a written file cannot be read.
    pub fn update(&mut self, out: &Path, written: &[String], made: &[String], removed: &[String]) -> Option<()> {
        for rel in removed {
            self.entries.remove(Path::new(rel));
        }
        for rel in made {
            self.entries.insert(PathBuf::from(rel), Meta::FOLDER);
        }
        for rel in written {
            let path = out.join(rel);
            self.entries.insert(PathBuf::from(rel), Meta::of(&path, &fs::symlink_metadata(&path).ok()?));
        }
        Some(())
    }

    /// Forgets the folder `rel`, which a build removed.
    pub fn remove_folder(&mut self, rel: &str) {
        self.entries.remove(Path::new(rel));
    }
}

/// Forgets the record of `out`: called before the output folder changes.
pub fn forget(config: &Config, out: &Path) {
    let _ = fs::remove_file(record_file(config, out));
}

fn save(file: &Path, record: &Record) {
    if let Ok(text) = serde_json::to_vec(record) {
        crate::output::write_cache_file(file, |w| w.write_all(&text));
    }
}

/// This program: its version, and its file's size, times and inode, so that another build of
/// lectern never takes this one's output as its own.
fn program() -> String {
    let exe = std::env::current_exe().ok();
    let meta = exe.as_deref().and_then(|p| fs::metadata(p).ok().map(|m| Meta::of(p, &m)));
    format!(
        "{} {:016x} {:?} {:?}",
        env!("CARGO_PKG_VERSION"),
        crate::fingerprint::program_hash(),
        exe,
        meta.map(|m| m.bytes(true))
    )
}

/// The commit the docs folder is at, which the pages' "last updated" dates come from, and the
/// shallow clone's boundary (fetching more history changes those dates, not the commit).
pub fn git_state(config: &Config) -> String {
    let docs = config.docs_path();
    let args = ["rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "HEAD", "--git-path", "shallow"];
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(&docs)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    match out {
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let shallow = stdout.lines().last().filter(|_| out.status.success()).map(|p| docs.join(p));
            let boundary = shallow.and_then(|p| fs::read(p).ok()).map(|b| hex(&Sha256::digest(b)));
            format!("{:?} {stdout} {boundary:?}", out.status.code())
        }
        Err(e) => format!("no git: {}", e.kind()),
    }
}

/// The fingerprint of an output folder as it is on disk: the folder's own inode, and every
/// entry's path and type, and each file's size, modification time and inode. `None` when it
/// cannot be read.
pub fn output_digest(out: &Path) -> Option<String> {
    let top = fs::symlink_metadata(out).ok().filter(fs::Metadata::is_dir)?;
    Some(digest_of(&Meta::of(out, &top), list(out)?))
}

/// [`output_digest`] of a folder a build just wrote, from the build's own list of what it wrote
/// (`listing`): only its files are asked about, and no folder is read. Equal to
/// [`output_digest`] when the folder holds exactly that.
fn listed_digest(out: &Path, listing: &Listing) -> Option<String> {
    let top = fs::symlink_metadata(out).ok().filter(fs::Metadata::is_dir)?;
    let folders = listing.folders.iter().map(|rel| Some((PathBuf::from(rel), Meta::FOLDER)));
    let files = listing.files.par_iter().map(|rel| {
        let path = out.join(rel);
        Some((PathBuf::from(rel), Meta::of(&path, &fs::symlink_metadata(&path).ok()?)))
    });
    let mut entries: Vec<(PathBuf, Meta)> = files.collect::<Option<Vec<_>>>()?;
    entries.extend(folders.collect::<Option<Vec<_>>>()?);
    // Path order compares component by component: the order of a walk that sorts each folder.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Some(digest_of(&Meta::of(out, &top), entries))
}

fn digest_of(top: &Meta, entries: Vec<(PathBuf, Meta)>) -> String {
    let mut h = Sha256::new();
    h.update(top.bytes(false));
    for (rel, meta) in entries {
        let rel = rel.as_os_str().as_encoded_bytes();
        h.update((rel.len() as u64).to_le_bytes());
        h.update(rel);
        h.update(meta.bytes(false));
    }
    hex(&h.finalize())
}

/// Every entry below `dir` (symbolic links not followed), by path relative to it, in a stable
/// order; the subfolders of `dir` are walked in parallel. Empty when `dir` does not exist, `None`
/// when it cannot be read.
fn list(dir: &Path) -> Option<Vec<(PathBuf, Meta)>> {
    let mut children: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().ok()?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Vec::new()),
        Err(_) => return None,
    };
    children.sort();
    let walked: Vec<Option<Vec<(PathBuf, Meta)>>> = children
        .par_iter()
        .map(|child| {
            let mut out = Vec::new();
            for entry in walkdir::WalkDir::new(child).follow_links(false).sort_by_file_name() {
                let entry = entry.ok()?;
                let rel = entry.path().strip_prefix(dir).ok()?.to_path_buf();
                // A folder is known by its entries: its own metadata is not asked for.
                let meta = match entry.file_type().is_dir() {
                    true => Meta::FOLDER,
                    false => Meta::of(entry.path(), &entry.metadata().ok()?),
                };
                out.push((rel, meta));
            }
            Some(out)
        })
        .collect();
    let mut out = Vec::new();
    for part in walked {
        out.extend(part?);
    }
    Some(out)
}

/// What the file system says of one entry.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Meta {
    /// `f` file, `d` folder, `l` symbolic link, `o` other.
    kind: u8,
    size: u64,
    /// Modification and change (metadata) times, nanoseconds since 1970.
    modified: i128,
    changed: i128,
    inode: u64,
    /// For a symbolic link, the same of what it points to (`kind` `-` when nothing).
    target: Option<(u8, u64, i128, i128, u64)>,
}

impl Meta {
    /// A folder below the one walked.
    const FOLDER: Meta = Meta { kind: b'd', size: 0, modified: 0, changed: 0, inode: 0, target: None };

    fn of(path: &Path, m: &fs::Metadata) -> Meta {
        let kind = |m: &fs::Metadata| match m.file_type() {
            t if t.is_symlink() => b'l',
            t if t.is_dir() => b'd',
            t if t.is_file() => b'f',
            _ => b'o',
        };
        let (modified, changed, inode) = times(m);
        let target = (m.file_type().is_symlink()).then(|| match fs::metadata(path) {
            Ok(t) => {
                let (tm, tc, ti) = times(&t);
                (kind(&t), t.len(), tm, tc, ti)
            }
            Err(_) => (b'-', 0, 0, 0, 0),
        });
        Meta { kind: kind(m), size: m.len(), modified, changed, inode, target }
    }

    /// The latest of its (and its target's) modification and change times.
    fn newest(&self) -> i128 {
        let own = self.modified.max(self.changed);
        self.target.map_or(own, |(_, _, m, c, _)| own.max(m).max(c))
    }

    /// Its fields as bytes; `changed` only for sources (an output's audio file is a link to the
    /// cache's, whose change time moves whenever another build links it).
    fn bytes(&self, with_changed: bool) -> Vec<u8> {
        let mut out = vec![self.kind];
        let folder = self.kind == b'd';
        // A folder's size and times change with what is made in it and are not compared: its
        // entries are (the top folder's inode is: each build swaps in a new folder).
        if !folder {
            out.extend(self.size.to_le_bytes());
            out.extend(self.modified.to_le_bytes());
            if with_changed {
                out.extend(self.changed.to_le_bytes());
            }
        }
        out.extend(self.inode.to_le_bytes());
        if let Some((kind, size, modified, changed, inode)) = self.target {
            out.push(kind);
            out.extend(size.to_le_bytes());
            out.extend(modified.to_le_bytes());
            if with_changed {
                out.extend(changed.to_le_bytes());
            }
            out.extend(inode.to_le_bytes());
        }
        out
    }
}

#[cfg(unix)]
fn times(m: &fs::Metadata) -> (i128, i128, u64) {
    use std::os::unix::fs::MetadataExt;
    let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
    (ns(m.mtime(), m.mtime_nsec()), ns(m.ctime(), m.ctime_nsec()), m.ino())
}

#[cfg(not(unix))]
fn times(m: &fs::Metadata) -> (i128, i128, u64) {
    let ns = |t: std::io::Result<std::time::SystemTime>| {
        t.ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as i128)
    };
    (ns(m.modified()), ns(m.created()), 0)
}

/// A hash of a file's content (of what a link points to); `None` when it cannot be read.
fn content_hash(path: &Path) -> Option<String> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Some("folder".to_string()),
        Ok(_) => fs::read(path).ok().map(|bytes| hex(&Sha256::digest(bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("absent".to_string()),
        Err(_) => None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest a build makes from its own list equals a walk's of the same folder, whatever
    /// the names (a walk sorts each folder; a file `a.html` beside a folder `a`); any file
    /// changed, added or removed changes it.
    #[test]
    fn a_listed_digest_equals_a_walked_one() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let files = ["a.html", "a/index.html", "a/b/index.html", "a-b/index.html", "a b/x.txt", "z", ".lectern-build"];
        for f in files {
            let path = out.join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, f).unwrap();
        }
        let listing = Listing {
            files: files.iter().rev().map(|f| f.to_string()).collect(),
            folders: ["a", "a/b", "a-b", "a b"].map(String::from).to_vec(),
        };
        let walked = output_digest(&out).unwrap();
        assert_eq!(listed_digest(&out, &listing), Some(walked.clone()));

        fs::write(out.join("a/b/index.html"), "a/b/index.htmX").unwrap();
        let edited = output_digest(&out).unwrap();
        assert_ne!(edited, walked, "same size, edited");
        fs::write(out.join("a/extra"), "").unwrap();
        assert_ne!(output_digest(&out).unwrap(), edited, "a file added");
        fs::remove_file(out.join("a/extra")).unwrap();
        assert_eq!(output_digest(&out).unwrap(), edited);
        fs::remove_file(out.join("z")).unwrap();
        assert_ne!(output_digest(&out).unwrap(), edited, "a file removed");
        assert_eq!(output_digest(&tmp.path().join("missing")), None);
    }
}
