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
}

fn record_file(config: &Config, out: &Path) -> PathBuf {
    crate::output::cache_file_of(config, out, "inputs.json")
}

/// Takes the snapshot of a build's inputs. `None` when some source cannot be read: then nothing
/// is recorded and the next build runs in full.
pub fn snapshot(config: &Config) -> Option<Inputs> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos() as i128;
    let racy_after = now - RACY.as_nanos() as i128;
    let mut h = Sha256::new();
    let mut feed = |label: &str, value: &[u8]| {
        h.update((label.len() as u64).to_le_bytes());
        h.update(label.as_bytes());
        h.update((value.len() as u64).to_le_bytes());
        h.update(value);
    };
    feed("format", FORMAT.as_bytes());
    feed("program", program().as_bytes());
    feed("config", serde_json::to_string(config).ok()?.as_bytes());
    feed("git", git_state(config).as_bytes());
    let mut files: Vec<PathBuf> = vec![config.root.join(CONFIG_FILE)];
    files.extend(crate::docusaurus::CONFIG_FILES.iter().map(|name| config.root.join(name)));
    let mut folders = vec![config.docs_path(), config.root.join(crate::content::PAGES_DIR), config.root.join("theme")];
    folders.extend(config.static_dirs.iter().map(|d| config.root.join(d)));
    let mut racy = HashMap::new();
    let mut note = |path: &Path, meta: &Meta, feed: &mut dyn FnMut(&str, &[u8])| -> Option<()> {
        feed("entry", &meta.bytes(true));
        if meta.kind != b'd' && meta.newest() >= racy_after {
            // Kept apart from the digest, which must not change when the file stops being recent.
            racy.insert(path.to_string_lossy().into_owned(), content_hash(path)?);
        }
        Some(())
    };
    for file in &files {
        feed("file", file.to_string_lossy().as_bytes());
        match fs::symlink_metadata(file) {
            Ok(m) => note(file, &Meta::of(file, &m), &mut feed)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => feed("absent", b""),
            Err(_) => return None,
        }
    }
    for folder in &folders {
        feed("folder", folder.to_string_lossy().as_bytes());
        for (rel, meta) in list(folder)? {
            feed("path", rel.as_os_str().as_encoded_bytes());
            note(&folder.join(&rel), &meta, &mut feed)?;
        }
    }
    Some(Inputs { digest: hex(&h.finalize()), racy })
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
    if !same_content {
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
    let speech = match engine {
        EngineUse::NotAsked => None,
        EngineUse::Found(state) => Some(state.clone()),
        EngineUse::Unsettled => return forget(config, out),
    };
    let Some(output) = listed_digest(out, listing) else { return forget(config, out) };
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
    };
    save(&record_file(config, out), &record);
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
fn git_state(config: &Config) -> String {
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
