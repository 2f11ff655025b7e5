//! Changes to an output folder in place, for an incremental build: the few files that changed
//! are made beside the folder first, then put in, each with one `rename`, and the files no page
//! uses any more removed. Every file replaced or removed is kept (a hard link) until all are in,
//! so an error puts the folder back as it was; a journal of what was done lets the next build
//! do the same after a build killed part-way ([`recover`]).
//!
//! In: the output folder, the files to write and the paths to remove. Out: the folder changed,
//! and what changed in it ([`Applied`]).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::files::OutputFile;

use super::{is_safe_relative, remove_dir};

/// The journal's name in a patch's folder.
const JOURNAL: &str = "journal";

/// Changes to an output folder, made beside it until [`Patch::apply`]. Dropped unapplied, it
/// removes what it made and the folder stays as it was.
pub struct Patch {
    out: PathBuf,
    dir: PathBuf,
    /// (path in the output folder, staged file name in `dir`).
    writes: Vec<(String, String)>,
    removes: Vec<String>,
    applied: bool,
}

/// A part of a file [`Patch::write_spliced`] makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Splice {
    /// `len` bytes of the old file from `start`.
    Old { start: u64, len: u64 },
    /// These bytes.
    New(Vec<u8>),
}

/// What [`Patch::apply`] changed, by path relative to the output folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Files written (made or replaced).
    pub written: Vec<String>,
    /// Folders made for them, outermost first.
    pub made: Vec<String>,
    /// Files removed.
    pub removed: Vec<String>,
    /// Folders removed because a removal left them empty, innermost first.
    pub emptied: Vec<String>,
}

/// `.NAME.lectern-patch-PID` beside the output folder `out`.
fn patch_dir(out: &Path, pid: u32) -> PathBuf {
    let (parent, name) = super::safety::parent_and_name(out);
    parent.join(format!(".{name}.lectern-patch-{pid}"))
}

impl Patch {
    /// Starts changes to the output folder `out` (a real folder, its lock held).
    pub fn begin(out: &Path) -> anyhow::Result<Patch> {
        let dir = patch_dir(out, std::process::id());
        remove_dir(&dir)?;
        fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Patch { out: out.to_path_buf(), dir, writes: Vec::new(), removes: Vec::new(), applied: false })
    }

    /// Makes the file `rel` of the new output, beside the folder for now.
    pub fn write(&mut self, rel: &str, file: &OutputFile) -> anyhow::Result<()> {
        if !is_safe_relative(rel) {
            bail!("refusing to write `{rel}`: the path would leave the output folder");
        }
        let staged = format!("f{}", self.writes.len());
        let dest = self.dir.join(&staged);
        match file {
            OutputFile::Bytes(b) => fs::write(&dest, b).with_context(|| format!("writing {}", dest.display()))?,
            OutputFile::Cached(src) if fs::hard_link(src, &dest).is_ok() => {}
            OutputFile::Copy(src) | OutputFile::Cached(src) => {
                fs::copy(src, &dest).with_context(|| format!("copying {} to {}", src.display(), dest.display()))?;
            }
        }
        self.writes.push((rel.to_string(), staged));
        Ok(())
    }

    /// Makes the file `rel` of the new output from parts: ranges of the file `from` (the
    /// output's file, say, copied by the system without passing through the build) and new
    /// bytes, in order.
    pub fn write_spliced(&mut self, rel: &str, from: &Path, parts: &[Splice]) -> anyhow::Result<()> {
        use std::io::{Read, Seek};
        if !is_safe_relative(rel) {
            bail!("refusing to write `{rel}`: the path would leave the output folder");
        }
        let staged = format!("f{}", self.writes.len());
        let dest = self.dir.join(&staged);
        let mut old = fs::File::open(from).with_context(|| format!("reading {}", from.display()))?;
        let mut new = fs::File::create(&dest).with_context(|| format!("writing {}", dest.display()))?;
        for part in parts {
            match part {
                Splice::Old { start, len } => {
                    old.seek(std::io::SeekFrom::Start(*start))
                        .with_context(|| format!("reading {}", from.display()))?;
                    let copied = std::io::copy(&mut (&mut old).take(*len), &mut new)
                        .with_context(|| format!("copying {} to {}", from.display(), dest.display()))?;
                    if copied != *len {
                        bail!("{} is shorter than its record says", from.display());
                    }
                }
                Splice::New(bytes) => new.write_all(bytes).with_context(|| format!("writing {}", dest.display()))?,
            }
        }
        self.writes.push((rel.to_string(), staged));
        Ok(())
    }

    /// Removes the file `rel` from the output folder, and its folders that this leaves empty.
    pub fn remove(&mut self, rel: &str) -> anyhow::Result<()> {
        if !is_safe_relative(rel) {
            bail!("refusing to remove `{rel}`: the path would leave the output folder");
        }
        self.removes.push(rel.to_string());
        Ok(())
    }

    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.removes.is_empty()
    }

    /// Puts the new files in and removes the old ones. On an error, what was done is undone and
    /// the folder is as it was.
    pub fn apply(mut self) -> anyhow::Result<Applied> {
        let result = self.apply_all();
        if result.is_err() {
            rollback(&self.dir, &self.out);
        }
        self.applied = true;
        let _ = fs::remove_dir_all(&self.dir);
        result
    }

    fn apply_all(&self) -> anyhow::Result<Applied> {
        let journal_path = self.dir.join(JOURNAL);
        let mut journal =
            fs::File::create(&journal_path).with_context(|| format!("creating {}", journal_path.display()))?;
        let mut note = |line: String| -> anyhow::Result<()> {
            journal.write_all(line.as_bytes()).with_context(|| format!("writing {}", journal_path.display()))
        };
        let mut applied = Applied::default();
        for (n, (rel, staged)) in self.writes.iter().enumerate() {
            // The folders it needs, outermost first.
            let mut missing = Vec::new();
            let mut at = Path::new(rel).parent();
            while let Some(dir) = at.filter(|d| !d.as_os_str().is_empty()) {
                if self.out.join(dir).is_dir() {
                    break;
                }
                missing.push(dir.to_path_buf());
                at = dir.parent();
            }
            for dir in missing.into_iter().rev() {
                let shown = dir.to_string_lossy().replace('\\', "/");
                note(entry("m", 0, &shown))?;
                let path = self.out.join(&dir);
                fs::create_dir(&path).with_context(|| format!("creating {}", path.display()))?;
                applied.made.push(shown);
            }
            note(entry("w", n, rel))?;
            let target = self.out.join(rel);
            let backup = self.dir.join(format!("b{n}"));
            match fs::symlink_metadata(&target) {
                Ok(m) if m.is_dir() => {
                    bail!("{} is a folder; the build would replace it with a file", target.display())
                }
                Ok(_) => fs::hard_link(&target, &backup)
                    .with_context(|| format!("keeping {} until the build is in", target.display()))?,
                Err(_) => {}
            }
            let from = self.dir.join(staged);
            fs::rename(&from, &target).with_context(|| format!("moving the new {} in", target.display()))?;
            applied.written.push(rel.clone());
        }
        for (n, rel) in self.removes.iter().enumerate() {
            let target = self.out.join(rel);
            if !fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
                continue;
            }
            note(entry("r", n, rel))?;
            let backup = self.dir.join(format!("r{n}"));
            fs::rename(&target, &backup).with_context(|| format!("removing {}", target.display()))?;
            applied.removed.push(rel.clone());
            let mut at = Path::new(rel).parent();
            while let Some(dir) = at.filter(|d| !d.as_os_str().is_empty()) {
                // Only an empty folder goes.
                if fs::remove_dir(self.out.join(dir)).is_err() {
                    break;
                }
                let shown = dir.to_string_lossy().replace('\\', "/");
                note(entry("e", 0, &shown))?;
                applied.emptied.push(shown);
                at = dir.parent();
            }
        }
        Ok(applied)
    }
}

impl Drop for Patch {
    fn drop(&mut self) {
        if !self.applied {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// One line of the journal: what was about to be done to `rel` (as JSON, so any name fits).
fn entry(kind: &str, n: usize, rel: &str) -> String {
    format!("{kind} {n} {}\n", serde_json::Value::from(rel))
}

/// Undoes what the journal in `dir` says was done to `out`, last first: new files go, replaced
/// and removed ones come back, folders made go and folders emptied come back.
fn rollback(dir: &Path, out: &Path) {
    let Ok(text) = fs::read_to_string(dir.join(JOURNAL)) else { return };
    let lines: Vec<(&str, usize, String)> = text
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let kind = parts.next()?;
            let n = parts.next()?.parse().ok()?;
            let rel: String = serde_json::from_str(parts.next()?).ok()?;
            is_safe_relative(&rel).then_some((kind, n, rel))
        })
        .collect();
    for (kind, n, rel) in lines.into_iter().rev() {
        let target = out.join(&rel);
        match kind {
            "w" => {
                let backup = dir.join(format!("b{n}"));
                if backup.exists() {
                    let _ = fs::rename(&backup, &target);
                } else if !dir.join(format!("f{n}")).exists() {
                    // Made by the build: it was not there before.
                    let _ = fs::remove_file(&target);
                }
            }
            "r" => {
                let backup = dir.join(format!("r{n}"));
                if backup.exists() {
                    if let Some(parent) = target.parent() {
                        let _ = fs::create_dir_all(parent);
                    }
                    let _ = fs::rename(&backup, &target);
                }
            }
            "m" => {
                let _ = fs::remove_dir(&target);
            }
            "e" => {
                let _ = fs::create_dir_all(&target);
            }
            _ => {}
        }
    }
}

/// Puts back the output folder `out` after builds that were killed while changing it in place
/// (their process no longer runs): what their journals say they did is undone. Call it holding
/// the folder's lock.
pub fn recover(out: &Path) {
    let (parent, name) = super::safety::parent_and_name(out);
    let prefix = format!(".{name}.lectern-patch-");
    let Ok(entries) = fs::read_dir(&parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(owner) = n.strip_prefix(&prefix).and_then(|pid| pid.parse::<u32>().ok()) else { continue };
        if owner != std::process::id() && !super::safety::process_alive(owner) {
            rollback(&e.path(), out);
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.depth() > 0)
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                let bytes = if e.file_type().is_file() { fs::read(e.path()).unwrap() } else { b"/".to_vec() };
                (rel, bytes)
            })
            .collect();
        out.sort();
        out
    }

    fn folder() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("build");
        for (rel, text) in [("index.html", "home"), ("a/index.html", "a"), ("audio/x.mp3", "x"), ("s/t/0.json", "0")] {
            let path = out.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        (tmp, out)
    }

    #[test]
    fn applies_writes_and_removals_and_reports_them() {
        let (_tmp, out) = folder();
        let mut patch = Patch::begin(&out).unwrap();
        patch.write("a/index.html", &OutputFile::Bytes(b"a2".to_vec())).unwrap();
        patch.write("img/new/p.png", &OutputFile::Bytes(b"png".to_vec())).unwrap();
        let spliced = [
            Splice::New(b"<".to_vec()),
            Splice::Old { start: 1, len: 3 },
            Splice::New(b"-".to_vec()),
            Splice::Old { start: 0, len: 1 },
        ];
        patch.write_spliced("index.html", &out.join("index.html"), &spliced).unwrap();
        assert!(patch.write_spliced("x.txt", &out.join("index.html"), &[Splice::Old { start: 2, len: 9 }]).is_err());
        patch.remove("audio/x.mp3").unwrap();
        patch.remove("s/t/0.json").unwrap();
        let applied = patch.apply().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"a2");
        assert_eq!(fs::read(out.join("img/new/p.png")).unwrap(), b"png");
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"<ome-h");
        assert!(!out.join("audio").exists() && !out.join("s").exists(), "emptied folders go");
        assert_eq!(applied.made, ["img", "img/new"]);
        assert_eq!(applied.emptied, ["audio", "s/t", "s"]);
        assert_eq!(applied.written, ["a/index.html", "img/new/p.png", "index.html"]);
        let leftovers: Vec<_> = fs::read_dir(out.parent().unwrap()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "the patch's folder is gone: {leftovers:?}");
    }

    #[test]
    fn an_error_part_way_puts_everything_back() {
        let (_tmp, out) = folder();
        let before = tree(&out);
        let mut patch = Patch::begin(&out).unwrap();
        patch.write("a/index.html", &OutputFile::Bytes(b"a2".to_vec())).unwrap();
        patch.write("new/b.html", &OutputFile::Bytes(b"b".to_vec())).unwrap();
        patch.remove("audio/x.mp3").unwrap();
        // A file where a folder is: the second write fails after the first was put in.
        patch.write("index.html/oops", &OutputFile::Bytes(b"!".to_vec())).unwrap();
        assert!(patch.apply().is_err());
        assert_eq!(tree(&out), before);
    }

    #[cfg(unix)]
    #[test]
    fn a_killed_patch_is_undone_by_the_next_build() {
        let (_tmp, out) = folder();
        let before = tree(&out);
        let mut patch = Patch::begin(&out).unwrap();
        patch.write("a/index.html", &OutputFile::Bytes(b"a2".to_vec())).unwrap();
        patch.write("new/deep/b.html", &OutputFile::Bytes(b"b".to_vec())).unwrap();
        patch.remove("s/t/0.json").unwrap();
        patch.apply_all().unwrap();
        assert_ne!(tree(&out), before);
        // As if the process had been killed: its folder, named after a process that is gone.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        fs::rename(&patch.dir, patch_dir(&out, dead)).unwrap();
        patch.applied = true;
        drop(patch);
        recover(&out);
        assert_eq!(tree(&out), before);
        let leftovers: Vec<_> = fs::read_dir(out.parent().unwrap()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
