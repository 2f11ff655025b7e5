//! Output stage: writes a built site to disk, all or nothing.
//!
//! In: a build's files ([`OutputFile`]) as the render loop makes them, and the output folder.
//! Out: the folder, replaced only once every file of the new build is written: the build goes
//! into a hidden sibling folder first and is swapped in at the end, so a failed or killed build
//! leaves the previous output whole.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use rayon::prelude::*;

use crate::config::Config;
use crate::files::OutputFile;

mod patch;
mod safety;

pub use patch::{Applied, Patch, Splice};
pub use safety::{MARKER, OutDir, check_out_dir, claim_out_dir, resolve};

/// Saves the highlight cache for the next build; a cache that cannot be written is skipped.
/// `prune`: this build rendered every page, so blocks it did not use are no longer needed.
pub fn save_highlight_cache(config: &Config, prune: bool) {
    if !crate::markdown::memo::needs_saving(prune) {
        return;
    }
    write_cache_file(&crate::content::highlight_cache_file(config), |out| crate::markdown::memo::write(prune, out));
}

/// Writes a cache file whole (a temporary file renamed over it) or not at all: a cache that
/// cannot be written only costs the next build its reuse.
pub fn write_cache_file(file: &Path, contents: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) {
    let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(fs::File::create(&tmp)?);
        contents(&mut out)?;
        std::io::Write::flush(&mut out)
    };
    let written = file.parent().is_some_and(|d| fs::create_dir_all(d).is_ok())
        && write().is_ok()
        && fs::rename(&tmp, file).is_ok();
    if !written {
        let _ = fs::remove_file(&tmp);
    }
}

/// A cache file written as it is made ([`write_cache_file`] for one made in pieces): into a
/// temporary file, renamed over the cache file by [`CacheFile::finish`]. Dropped unfinished,
/// it is removed and the cache file stays as it was.
pub struct CacheFile {
    file: PathBuf,
    tmp: PathBuf,
    out: Option<std::io::BufWriter<fs::File>>,
}

impl CacheFile {
    /// Starts writing `file`; `None` when it cannot be made (the cache is then not kept).
    pub fn create(file: &Path) -> Option<CacheFile> {
        // The whole name kept: `x.terms` and `x.txt` are made side by side.
        let mut name = file.file_name()?.to_os_string();
        name.push(format!(".tmp-{}", std::process::id()));
        let tmp = file.with_file_name(name);
        fs::create_dir_all(file.parent()?).ok()?;
        let out = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(&tmp).ok()?);
        Some(CacheFile { file: file.to_path_buf(), tmp, out: Some(out) })
    }

    /// Puts the file in place; false when it could not be written.
    pub fn finish(mut self) -> bool {
        let flushed = self.out.take().is_some_and(|mut out| std::io::Write::flush(&mut out).is_ok());
        let done = flushed && fs::rename(&self.tmp, &self.file).is_ok();
        if !done {
            let _ = fs::remove_file(&self.tmp);
        }
        done
    }
}

impl std::io::Write for CacheFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.out {
            Some(out) => out.write(buf),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for CacheFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// What the previous build into an output folder was made from ([`crate::fingerprint`]): each
/// page file's fingerprint and size, and the search index's fingerprint and files. Kept in the
/// site's cache folder, one file per output folder; a missing or damaged record means a full
/// build.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BuildRecord {
    /// Page file (relative to the output folder) → (fingerprint, size in bytes).
    pub pages: std::collections::HashMap<String, (u64, u64)>,
    /// The search index's fingerprint and its files.
    pub search: Option<(u64, Vec<String>)>,
}

const RECORD_HEADER: &str = "lectern build record 1";

impl BuildRecord {
    /// The record of the last build into `out`, if any.
    pub fn load(config: &Config, out: &Path) -> BuildRecord {
        fs::read_to_string(record_file(config, out)).ok().and_then(|t| BuildRecord::parse(&t)).unwrap_or_default()
    }

    fn parse(text: &str) -> Option<BuildRecord> {
        let mut lines = text.lines();
        if lines.next()? != RECORD_HEADER {
            return None;
        }
        let mut record = BuildRecord::default();
        let mut search_files = Vec::new();
        let mut search_hash = None;
        for line in lines {
            let (kind, rest) = line.split_once(' ')?;
            match kind {
                "p" => {
                    let mut parts = rest.splitn(3, ' ');
                    let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
                    let size = parts.next()?.parse().ok()?;
                    record.pages.insert(parts.next()?.to_string(), (hash, size));
                }
                "search" => search_hash = Some(u64::from_str_radix(rest, 16).ok()?),
                "s" => search_files.push(rest.to_string()),
                _ => return None,
            }
        }
        record.search = search_hash.map(|h| (h, search_files));
        Some(record)
    }

    fn to_text(&self) -> String {
        let mut out = format!("{RECORD_HEADER}\n");
        if let Some((hash, files)) = &self.search {
            out.push_str(&format!("search {hash:016x}\n"));
            for f in files {
                out.push_str(&format!("s {f}\n"));
            }
        }
        let mut pages: Vec<_> = self.pages.iter().collect();
        pages.sort();
        for (rel, (hash, size)) in pages {
            out.push_str(&format!("p {hash:016x} {size} {rel}\n"));
        }
        out
    }

    /// The size of the page file `rel` when `out` still holds it as built with `fingerprint`.
    pub fn current_page(&self, out: &Path, rel: &str, fingerprint: u64) -> Option<u64> {
        let &(hash, size) = self.pages.get(rel)?;
        (hash == fingerprint && fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.is_file() && m.len() == size))
            .then_some(size)
    }

    /// The previous search files, when `out` still holds every one of them and they were made
    /// from inputs with `fingerprint`.
    pub fn current_search(&self, out: &Path, fingerprint: u64) -> Option<&[String]> {
        let (hash, files) = self.search.as_ref()?;
        (*hash == fingerprint && !files.is_empty() && files.iter().all(|f| out.join(f).is_file()))
            .then_some(files.as_slice())
    }

    /// Forgets the record of `out`: called before the output folder changes, so a build killed
    /// half-way never leaves a record that describes another folder's files.
    pub fn forget(config: &Config, out: &Path) {
        let _ = fs::remove_file(record_file(config, out));
    }

    /// Whether a build into `out` left a record: the folder was written by lectern, perhaps by
    /// one from before the [`MARKER`] file.
    pub fn exists(config: &Config, out: &Path) -> bool {
        record_file(config, out).is_file()
    }

    /// Saves the record of the build just swapped into `out`.
    pub fn save(&self, config: &Config, out: &Path) {
        write_cache_file(&record_file(config, out), |w| w.write_all(self.to_text().as_bytes()));
    }
}

/// `.lectern-cache/builds/<hash of the output folder's absolute path>.txt`.
fn record_file(config: &Config, out: &Path) -> PathBuf {
    cache_file_of(config, out, "txt")
}

/// `.lectern-cache/builds/<hash of the output folder's absolute path>.<extension>`: where what
/// a build into `out` leaves for the next one is kept.
pub fn cache_file_of(config: &Config, out: &Path, extension: &str) -> PathBuf {
    let abs = std::path::absolute(out).map(|p| normalise(&p)).unwrap_or_else(|_| out.to_path_buf());
    let hash = crate::render::fnv1a([abs.to_string_lossy().as_bytes()]);
    config.root.join(".lectern-cache").join("builds").join(format!("{hash:016x}.{extension}"))
}

/// Resolves `.` and `..` without touching the disk.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// A build being written: files go into a hidden sibling of the output folder as they are made
/// (pages need not all be in memory at once), and [`Staging::finish`] swaps it in. Dropped
/// unfinished, it deletes itself and the previous output stays.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    retired: PathBuf,
    parent: PathBuf,
    name: String,
    /// Whether `out` held a previous build when this one began. When it did not (a first
    /// build, or one into an emptied folder), no file is looked for there: a cold build then
    /// asks the file system nothing per file but to make and write it.
    previous: bool,
    /// Paths written so far (the first write of a path wins), and the folders made for them.
    written: std::sync::Mutex<Written>,
    finished: bool,
}

impl Staging {
    /// Creates the staging folder next to `out`.
    pub fn begin(out: &Path) -> anyhow::Result<Staging> {
        let (parent, name) = safety::parent_and_name(out);
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let dir = parent.join(format!(".{name}.lectern-new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.lectern-old-{}", std::process::id()));
        remove_dir(&dir)?;
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let previous = fs::symlink_metadata(out).is_ok_and(|m| m.is_dir());
        let staging = Staging {
            dir,
            out: out.to_path_buf(),
            retired,
            parent,
            name,
            previous,
            written: Default::default(),
            finished: false,
        };
        // First, so that no file of the site can take its place.
        staging.write(MARKER, &OutputFile::Bytes(safety::MARKER_TEXT.as_bytes().to_vec()))?;
        Ok(staging)
    }

    /// Whether the output folder held a previous build when this one began.
    pub fn has_previous(&self) -> bool {
        self.previous
    }

    /// Writes one file, unless a file was already written at `rel`. A file that the previous
    /// build already holds unchanged is hard-linked from there instead: a rebuild of an unchanged
    /// site then writes almost nothing, and removing the previous build frees no data.
    pub fn write(&self, rel: &str, file: &OutputFile) -> anyhow::Result<()> {
        let Some(dest) = self.claim(rel)? else { return Ok(()) };
        let earlier = self.out.join(rel);
        match file {
            OutputFile::Bytes(b) => {
                if self.previous && same_bytes(&earlier, b) && fs::hard_link(&earlier, &dest).is_ok() {
                    return Ok(());
                }
                fs::write(&dest, b).with_context(|| format!("writing {}", dest.display()))
            }
            OutputFile::Copy(src) | OutputFile::Cached(src) => {
                // A cache file never changes: link it itself. A source file may be edited in
                // place later, so only the previous build's copy of it is linked.
                let linked = match file {
                    OutputFile::Cached(_) => fs::hard_link(src, &dest).is_ok(),
                    _ => self.previous && unchanged(src, &earlier) && fs::hard_link(&earlier, &dest).is_ok(),
                };
                if linked {
                    return Ok(());
                }
                fs::copy(src, &dest)
                    .map(|_| ())
                    .with_context(|| format!("copying {} to {}", src.display(), dest.display()))
            }
        }
    }

    /// Hard-links the previous build's file at `rel` into the new one, unless a file was already
    /// written there. False when there is no such file or it cannot be linked or copied.
    pub fn keep_previous(&self, rel: &str) -> anyhow::Result<bool> {
        let earlier = self.out.join(rel);
        if !self.previous || !fs::symlink_metadata(&earlier).is_ok_and(|m| m.is_file()) {
            return Ok(false);
        }
        self.keep_previous_file(rel)
    }

    /// [`Staging::keep_previous`] for a path the caller has just found to be a file of the
    /// previous build (as [`BuildRecord::current_page`] does), which is not asked about again.
    pub fn keep_previous_file(&self, rel: &str) -> anyhow::Result<bool> {
        let earlier = self.out.join(rel);
        let Some(dest) = self.claim(rel)? else { return Ok(true) };
        let kept = fs::hard_link(&earlier, &dest).is_ok() || fs::copy(&earlier, &dest).is_ok();
        if !kept && let Ok(mut written) = self.written.lock() {
            written.files.remove(rel);
        }
        Ok(kept)
    }

    /// Where the file at `rel` goes in the new build, its folder made; `None` when a file was
    /// already written there (the first write of a path wins).
    fn claim(&self, rel: &str) -> anyhow::Result<Option<PathBuf>> {
        if !is_safe_relative(rel) {
            bail!("refusing to write `{rel}`: the path would leave the output folder");
        }
        let folder = rel.rsplit_once('/').map(|(dir, _)| dir);
        // The folders to make, outermost first: those not made yet.
        let missing: Vec<&str> = {
            let Ok(mut written) = self.written.lock() else { bail!("a thread writing the build panicked") };
            if !written.files.insert(rel.to_string()) {
                return Ok(None);
            }
            let mut missing = Vec::new();
            let mut at = folder;
            while let Some(dir) = at
                && !written.dirs.contains(dir)
            {
                missing.push(dir);
                at = dir.rsplit_once('/').map(|(parent, _)| parent);
            }
            missing.reverse();
            missing
        };
        // One `mkdir` per folder, each into a parent known to exist (`create_dir_all` would try
        // the innermost first and fail once per missing level). Another thread may be making
        // the same folder: that it exists is enough.
        for dir in missing {
            let path = self.dir.join(dir);
            match fs::create_dir(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(e).with_context(|| format!("creating {}", path.display()));
                }
                _ => {}
            }
            if let Ok(mut written) = self.written.lock() {
                written.dirs.insert(dir.to_string());
            }
        }
        Ok(Some(self.dir.join(rel)))
    }

    /// Every file and folder written so far, by path relative to the output folder.
    pub fn listing(&self) -> Listing {
        match self.written.lock() {
            Ok(w) => Listing { files: w.files.iter().cloned().collect(), folders: w.dirs.iter().cloned().collect() },
            Err(_) => Listing::default(),
        }
    }

    /// Swaps the new build in for the output folder.
    pub fn finish(mut self) -> anyhow::Result<()> {
        swap(&self.dir, &self.out, &self.retired)?;
        self.finished = true;
        clean_leftovers(&self.parent, &self.name);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// What a build wrote into its output folder: every file and every folder, by path relative to
/// it ([`Staging::listing`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    pub files: Vec<String>,
    pub folders: Vec<String>,
}

/// What a [`Staging`] has written: file paths, and folders (relative to it) known to exist, so
/// that each folder is made once rather than asked for again for every file in it.
#[derive(Default)]
struct Written {
    files: std::collections::HashSet<String>,
    dirs: std::collections::HashSet<String>,
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
}

/// rsync's quick check: the earlier copy has the source's size and is no older than it.
fn unchanged(src: &Path, earlier: &Path) -> bool {
    match (fs::metadata(src), fs::symlink_metadata(earlier)) {
        (Ok(s), Ok(e)) => {
            e.is_file() && s.len() == e.len() && matches!((s.modified(), e.modified()), (Ok(sm), Ok(em)) if em >= sm)
        }
        _ => false,
    }
}

/// A relative path with no `..`, root or prefix components.
pub fn is_safe_relative(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Puts `staging` where `out` is. On Linux the two folders are exchanged in one atomic
/// `renameat2(RENAME_EXCHANGE)`, so at every instant `out` holds a whole build; elsewhere the
/// old output moves aside first, then the new one moves in. A symbolic link at `out` is never
/// exchanged or moved: the old tree would then be removed through it.
fn swap(staging: &Path, out: &Path, retired: &Path) -> anyhow::Result<()> {
    let existing = match fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => bail!(
            "{} is a symbolic link; lectern replaces only a real folder (give --out the folder it points to)",
            out.display()
        ),
        Ok(m) if !m.is_dir() => bail!("{} exists and is not a folder", out.display()),
        Ok(_) => true,
        Err(_) => false,
    };
    #[cfg(target_os = "linux")]
    if existing && exchange(staging, out).is_ok() {
        // `staging` now holds the previous build.
        return remove_tree(staging);
    }
    if existing {
        fs::rename(out, retired).with_context(|| format!("moving the previous build {} aside", out.display()))?;
        if let Err(e) = fs::rename(staging, out) {
            let _ = fs::rename(retired, out);
            return Err(e).with_context(|| format!("moving the new build into {}", out.display()));
        }
        remove_tree(retired)?;
    } else {
        fs::rename(staging, out).with_context(|| format!("moving the new build into {}", out.display()))?;
    }
    Ok(())
}

/// Atomically exchanges two paths (Linux 3.15+; fails on file systems without support).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// Removes a previous build: its top-level entries in parallel, as removing thousands of files
/// one by one keeps a single core busy while the rest of the build has finished. Never reads
/// through a symbolic link: a link at `p` is removed itself, and links inside are removed as
/// files.
fn remove_tree(p: &Path) -> anyhow::Result<()> {
    match fs::symlink_metadata(p) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("removing {}", p.display())),
        Ok(m) if !m.is_dir() => return fs::remove_file(p).with_context(|| format!("removing {}", p.display())),
        Ok(_) => {}
    }
    let entries: Vec<PathBuf> = match fs::read_dir(p) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("removing {}", p.display())),
    };
    entries.par_iter().try_for_each(|entry| match fs::symlink_metadata(entry) {
        Ok(m) if m.is_dir() => remove_dir(entry),
        _ => match fs::remove_file(entry) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("removing {}", entry.display()))
            }
            _ => Ok(()),
        },
    })?;
    remove_dir(p)
}

fn remove_dir(p: &Path) -> anyhow::Result<()> {
    match fs::remove_dir_all(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("removing {}", p.display())),
    }
}

/// Removes staging folders of earlier builds that were killed before they finished: those whose
/// owner (the pid in their name) is no longer running. Called with the output folder's lock
/// held, so no live lectern build can be starting one meanwhile.
fn clean_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.lectern-new-"), format!(".{name}.lectern-old-")];
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(owner) = prefixes.iter().find_map(|p| n.strip_prefix(p.as_str())) else { continue };
        let dead = owner.parse::<u32>().is_ok_and(|pid| pid != std::process::id() && !safety::process_alive(pid));
        if dead {
            let _ = remove_tree(&e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::SiteFiles;

    /// Writes every file into a fresh sibling folder, then swaps it in for `out`.
    fn write_site(out: &Path, files: &SiteFiles) -> anyhow::Result<()> {
        let staging = Staging::begin(out)?;
        files.par_iter().try_for_each(|(rel, file)| staging.write(rel, file))?;
        staging.finish()
    }

    #[test]
    fn build_records_round_trip_and_reject_damage() {
        let mut record = BuildRecord::default();
        record.pages.insert("a/index.html".into(), (0xabc, 120));
        record.pages.insert("a b/c.html".into(), (7, 3));
        record.search = Some((0x1234, vec!["search/manifest.json".into(), "search/t/0.json".into()]));
        assert_eq!(BuildRecord::parse(&record.to_text()), Some(record.clone()));
        assert_eq!(BuildRecord::parse("lectern build record 0\n"), None);
        assert_eq!(BuildRecord::parse(&record.to_text().replace("p 0000", "p zz00")), None);
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("a")).unwrap();
        fs::write(tmp.path().join("a/index.html"), vec![b'x'; 120]).unwrap();
        assert_eq!(record.current_page(tmp.path(), "a/index.html", 0xabc), Some(120));
        assert_eq!(record.current_page(tmp.path(), "a/index.html", 0xabd), None, "other inputs");
        fs::write(tmp.path().join("a/index.html"), b"edited by hand").unwrap();
        assert_eq!(record.current_page(tmp.path(), "a/index.html", 0xabc), None, "other size");
        assert!(record.current_search(tmp.path(), 0x1234).is_none(), "search files are missing");
    }

    #[test]
    fn safe_paths() {
        for (p, ok) in [
            ("a/index.html", true),
            ("index.html", true),
            ("../x", false),
            ("/etc/x", false),
            ("a/../../x", false),
            ("", false),
        ] {
            assert_eq!(is_safe_relative(p), ok, "{p}");
        }
    }

    #[test]
    fn unchanged_copies_are_linked_from_the_previous_build() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("image.png");
        fs::write(&src, b"picture").unwrap();
        let out = tmp.path().join("build");
        let mut files = SiteFiles::new();
        files.insert("img/image.png".into(), OutputFile::Copy(src.clone()));
        files.insert("page.html".into(), OutputFile::Bytes(b"<p>page</p>".to_vec()));
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        write_site(&out, &files).unwrap();
        #[cfg(unix)]
        let first = fs::metadata(out.join("img/image.png")).unwrap().ino();
        #[cfg(unix)]
        let page = fs::metadata(out.join("page.html")).unwrap().ino();
        write_site(&out, &files).unwrap();
        #[cfg(unix)]
        assert_eq!(fs::metadata(out.join("img/image.png")).unwrap().ino(), first, "linked, not copied");
        #[cfg(unix)]
        assert_eq!(fs::metadata(out.join("page.html")).unwrap().ino(), page, "unchanged page linked");
        files.insert("page.html".into(), OutputFile::Bytes(b"<p>new</p>".to_vec()));
        // A changed source is copied again, not linked.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&src, b"another picture").unwrap();
        write_site(&out, &files).unwrap();
        assert_eq!(fs::read(out.join("img/image.png")).unwrap(), b"another picture");
        #[cfg(unix)]
        assert_ne!(fs::metadata(out.join("img/image.png")).unwrap().ino(), first);
    }

    #[test]
    fn swaps_in_a_new_build_and_keeps_the_old_one_on_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("build");
        let mut files = SiteFiles::new();
        files.insert("index.html".into(), OutputFile::Bytes(b"one".to_vec()));
        write_site(&out, &files).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");
        files.insert("a/b.html".into(), OutputFile::Copy(tmp.path().join("missing.png")));
        assert!(write_site(&out, &files).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");
        assert!(!out.join("a").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn the_swap_never_goes_through_a_symbolic_link() {
        let tmp = tempfile::tempdir().unwrap();
        let precious = tmp.path().join("precious");
        fs::create_dir_all(precious.join("sub")).unwrap();
        fs::write(precious.join("sub/file.txt"), b"keep me").unwrap();
        let link = tmp.path().join("out");
        std::os::unix::fs::symlink(&precious, &link).unwrap();
        let mut files = SiteFiles::new();
        files.insert("index.html".into(), OutputFile::Bytes(b"one".to_vec()));
        let err = write_site(&link, &files).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert_eq!(fs::read(precious.join("sub/file.txt")).unwrap(), b"keep me");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays");
        // Removing a tree that is a link removes the link only.
        remove_tree(&link).unwrap();
        assert!(fs::symlink_metadata(&link).is_err());
        assert_eq!(fs::read(precious.join("sub/file.txt")).unwrap(), b"keep me");
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_live_builds_are_kept_and_of_dead_ones_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let mut sleeper = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let live = sleeper.id();
        for name in [format!(".build.lectern-new-{dead}"), format!(".build.lectern-new-{live}")] {
            fs::create_dir_all(tmp.path().join(&name).join("a")).unwrap();
            fs::write(tmp.path().join(&name).join("a/page.html"), b"x").unwrap();
        }
        clean_leftovers(tmp.path(), "build");
        let _ = sleeper.kill();
        let _ = sleeper.wait();
        assert!(!tmp.path().join(format!(".build.lectern-new-{dead}")).exists(), "a dead build's folder goes");
        assert!(tmp.path().join(format!(".build.lectern-new-{live}/a/page.html")).exists(), "a live one stays");
    }
}
