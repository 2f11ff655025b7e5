//! Content stage: walks the docs folder, reads front matter and `_category_` files, and gives
//! every page its id, slug, URL and output file.
//!
//! In: a [`Config`]. Out: [`Content`] (docs and category metadata), or diagnostics. Only this
//! stage and `config` read the filesystem.

pub mod category;
pub mod frontmatter;
pub mod route;
pub mod yaml;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
pub use category::CategoryMeta;
pub use frontmatter::FrontMatter;

/// One page of the docs folder. Kept in the incremental build's record without its text
/// ([`crate::incremental`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Doc {
    /// Path relative to docs_dir with `/` separators, raw (prefixes kept): `01-Intro/index.md`.
    pub source: String,
    /// The file on disk.
    pub file: PathBuf,
    /// The path to print in diagnostics: docs_dir joined with `source`.
    pub display_path: PathBuf,
    /// The file's text, BOM removed; empty for a page an incremental build did not read.
    #[serde(skip)]
    pub text: String,
    pub front: FrontMatter,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// Lines of `text` before the body.
    pub body_line_offset: usize,
    /// Raw folder names from docs_dir down to the file's folder.
    pub dirs: Vec<String>,
    /// The file name without extension, raw.
    pub stem: String,
    /// Number prefix of the file name.
    pub file_position: Option<f64>,
    /// Last part of the id.
    pub base_id: String,
    /// Full id: stripped folder path + `/` + base id.
    pub id: String,
    /// Route below route_base_path, starting with `/`.
    pub slug: String,
    /// Full URL path, base_url included.
    pub url: String,
    /// Output file relative to the output folder.
    pub output_file: String,
    /// Whether this is its folder's index doc (spec section 4).
    pub is_index: bool,
    /// Title from front matter; the first H1 is filled in by the markdown stage.
    pub title: String,
    /// A page of `src/pages` (Docusaurus's standalone pages): routed by its path below that
    /// folder, in no sidebar.
    pub standalone: bool,
}

impl Doc {
    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }

    /// Raw folder path relative to docs_dir (`05-Dev/01-Design`), empty at the root.
    pub fn dir_path(&self) -> String {
        self.dirs.join("/")
    }

    /// Whether the page is left out of sidebar, pagination, sitemap and search.
    pub fn is_unlisted(&self) -> bool {
        self.front.unlisted == Some(true)
    }

    /// The sidebar position: front matter, else the file's number prefix.
    pub fn position(&self) -> Option<f64> {
        self.front.sidebar_position.or(self.file_position)
    }
}

/// Everything loaded from the docs folder.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Sorted by source path, so every later stage sees one stable order.
    pub docs: Vec<Doc>,
    /// `_category_` metadata by raw folder path relative to docs_dir.
    pub categories: BTreeMap<String, CategoryMeta>,
    /// Files next to the pages that are not pages (images and other assets), relative to docs_dir.
    pub assets: Vec<String>,
    /// Drafts left out of this (production) build: source path and the URL they would have.
    pub drafts: Vec<(String, String)>,
    /// The ids of those drafts: a hand-written sidebar that lists one leaves it out quietly.
    pub draft_ids: std::collections::BTreeSet<String>,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
}

impl Content {
    /// The doc with this full id.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.docs.iter().position(|d| d.id == id)
    }
}

/// What the walk found, before any file is parsed.
struct Found {
    pages: Vec<(String, PathBuf)>,
    categories: Vec<(String, PathBuf)>,
    assets: Vec<String>,
}

/// Loads every page and category file of the docs folder.
pub fn load(config: &Config) -> Result<Content, Vec<Diagnostic>> {
    let docs_path = config.docs_path();
    if !docs_path.is_dir() {
        return Err(vec![
            Diagnostic::error(config.docs_dir.clone(), 0, 0, "the docs folder does not exist").with_help(format!(
                "create `{}` with Markdown pages, or set `docs_dir` in lectern.yml",
                config.docs_dir.display()
            )),
        ]);
    }
    let mut found = walk(&docs_path, &config.docs_dir)?;
    let (pages, page_warnings) = walk_pages(config)?;
    found.pages.extend(pages);
    // Read when a code block is first looked up: a rebuild that renders no page never pays for it.
    let cache_file = highlight_cache_file(config);
    crate::markdown::memo::load_lazily(Box::new(move || std::fs::read(&cache_file).ok()));
    let results: Vec<Result<Doc, Diagnostic>> =
        found.pages.par_iter().map(|(source, file)| load_doc(config, source, file)).collect();
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    let mut drafts = Vec::new();
    let mut draft_ids = std::collections::BTreeSet::new();
    for r in results {
        match r {
            Ok(d) if d.front.draft == Some(true) && config.is_production() => {
                draft_ids.insert(d.id);
                drafts.push((d.source, d.url));
            }
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
    }
    let mut categories = BTreeMap::new();
    for (dir, file) in &found.categories {
        match category::load(file, &config.docs_dir.join(rel_file(dir, file))) {
            Ok(meta) => {
                categories.insert(dir.clone(), meta);
            }
            Err(e) => errors.push(e),
        }
    }
    errors.extend(check_unique(&docs));
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        return Err(errors);
    }
    let mut warnings = check_folded_collisions(&docs);
    warnings.extend(page_warnings);
    Ok(Content { docs, categories, assets: found.assets, drafts, draft_ids, warnings })
}

fn rel_file(dir: &str, file: &Path) -> PathBuf {
    let name = file.file_name().map(PathBuf::from).unwrap_or_default();
    if dir.is_empty() { name } else { Path::new(dir).join(name) }
}

/// Walks the docs folder: pages, `_category_` files and other files, in a stable order.
/// Symlinks are not followed (a link could leave the site's root or loop).
fn walk(docs_path: &Path, docs_dir: &Path) -> Result<Found, Vec<Diagnostic>> {
    let mut found = Found { pages: Vec::new(), categories: Vec::new(), assets: Vec::new() };
    let walker = walkdir::WalkDir::new(docs_path).follow_links(false).sort_by(|a, b| a.file_name().cmp(b.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| p.to_path_buf()).unwrap_or_else(|| docs_dir.to_path_buf());
                return Err(vec![Diagnostic::error(path, 0, 0, format!("cannot read the docs folder: {e}"))]);
            }
        };
        if entry.depth() == 0 || !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(docs_path) else { continue };
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let rel_str = parts.join("/");
        let name = parts.last().cloned().unwrap_or_default();
        let hidden = parts.iter().any(|p| p.starts_with('.'));
        let excluded =
            hidden || parts.iter().any(|p| p.starts_with('_') || p == "__tests__") || name.contains(".test.");
        let dir = parts[..parts.len() - 1].join("/");
        if matches!(name.as_str(), "_category_.json" | "_category_.yml" | "_category_.yaml") && !hidden {
            found.categories.push((dir, entry.path().to_path_buf()));
        } else if (name.ends_with(".md") || name.ends_with(".mdx")) && !excluded {
            found.pages.push((rel_str, entry.path().to_path_buf()));
        } else if !hidden {
            found.assets.push(rel_str);
        }
    }
    Ok(found)
}

/// Folder of standalone pages below the site's root, as in Docusaurus: `src/pages/about.md` is
/// `/about`, `src/pages/index.md` the home page. Only Markdown pages are built.
pub const PAGES_DIR: &str = "src/pages";

/// The source path (relative to docs_dir, like every page's) of a file of [`PAGES_DIR`].
fn standalone_source(config: &Config, rel: &str) -> String {
    let depth = config.docs_dir.components().filter(|c| matches!(c, std::path::Component::Normal(_))).count();
    format!("{}{PAGES_DIR}/{rel}", "../".repeat(depth))
}

/// The path below [`PAGES_DIR`] of a source made by [`standalone_source`], if it is one.
fn standalone_rel(source: &str) -> Option<&str> {
    let mut rest = source;
    while let Some(r) = rest.strip_prefix("../") {
        rest = r;
    }
    (rest.len() < source.len()).then(|| rest.strip_prefix(PAGES_DIR)?.strip_prefix('/')).flatten()
}

/// The Markdown pages of [`PAGES_DIR`], as (source, file), and a warning for each React page
/// there, which lectern cannot build; none when there is no such folder. As Docusaurus does,
/// names starting with `_` are left out.
type Pages = (Vec<(String, PathBuf)>, Vec<Diagnostic>);
fn walk_pages(config: &Config) -> Result<Pages, Vec<Diagnostic>> {
    let base = config.root.join(PAGES_DIR);
    if !base.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let found = walk(&base, Path::new(PAGES_DIR))?;
    let react = [".js", ".jsx", ".ts", ".tsx"];
    let warnings = found
        .assets
        .iter()
        .filter(|rel| react.iter().any(|ext| rel.ends_with(ext)) && !rel.split('/').any(|p| p.starts_with('_')))
        .map(|rel| {
            Diagnostic::warning(
                Path::new(PAGES_DIR).join(rel),
                0,
                0,
                "a React page: lectern builds only Markdown pages",
            )
            .with_help("rewrite it as a .md page, or leave it out: without a page at `/`, lectern makes a home page")
        })
        .collect();
    Ok((found.pages.into_iter().map(|(rel, file)| (standalone_source(config, &rel), file)).collect(), warnings))
}

/// Reads one page.
pub fn load_doc(config: &Config, source: &str, file: &Path) -> Result<Doc, Diagnostic> {
    let display_path = display_path(config, source);
    let bytes = read_all(file)
        .map_err(|e| Diagnostic::error(display_path.clone(), 0, 0, format!("cannot read the file: {e}")))?;
    parse_doc(config, source, file, bytes)
}

/// A file's bytes, read to its end into a buffer large enough for most pages: unlike
/// `fs::read`, it does not ask the file's size first, one system call fewer per page of a build.
fn read_all(file: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(16 * 1024);
    // Through `Take`: `File`'s own `read_to_end` asks for the size and position first.
    std::fs::File::open(file)?.take(u64::MAX).read_to_end(&mut bytes)?;
    // The text is kept for the whole build: not the buffer's spare room.
    bytes.shrink_to_fit();
    Ok(bytes)
}

/// The path to print for a page: below docs_dir, or below [`PAGES_DIR`].
fn display_path(config: &Config, source: &str) -> PathBuf {
    match standalone_rel(source) {
        Some(rel) => Path::new(PAGES_DIR).join(rel),
        None => config.docs_dir.join(source),
    }
}

/// Makes a [`Doc`] from a page's bytes. Pure.
pub fn parse_doc(config: &Config, source: &str, file: &Path, bytes: Vec<u8>) -> Result<Doc, Diagnostic> {
    let display_path = display_path(config, source);
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let col = String::from_utf8_lossy(&valid[valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)..])
            .chars()
            .count()
            + 1;
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Diagnostic::error(display_path.clone(), line, col, "the file is not valid UTF-8")
            .with_source(&lossy)
            .with_help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")
    })?;
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    let split = frontmatter::split(&text, &display_path)?;
    let front = match split.yaml {
        Some(y) => frontmatter::parse(y, &text, &display_path)?,
        None => FrontMatter::default(),
    };
    let body_start = text.len() - split.body.len();
    let body_line_offset = split.body_line_offset;

    let mut parts: Vec<String> = source.split('/').map(str::to_string).collect();
    let file_name = parts.pop().unwrap_or_default();
    let stem = file_name.trim_end_matches(".mdx").trim_end_matches(".md").to_string();
    let parse_prefixes = front.parse_number_prefixes != Some(false);
    let (file_position, stripped_stem) =
        if parse_prefixes { route::strip_number_prefix(&stem) } else { (None, stem.as_str()) };
    let base_id = front.id.clone().unwrap_or_else(|| stripped_stem.to_string());
    let folder: Vec<&str> = parts.iter().map(|p| route::stripped(p, parse_prefixes)).collect();
    let folder = folder.join("/");
    let id = if folder.is_empty() { base_id.clone() } else { format!("{folder}/{base_id}") };
    let is_index = route::is_index_name(&stem, parts.last().map(String::as_str));
    let slug = route::slug_for(&folder, &base_id, front.slug.as_deref(), is_index);
    let url = route::url_for(&config.base_url, &config.route_base_path, &slug, config.trailing_slash);
    let output_file = route::output_file(&url, &config.base_url, config.trailing_slash);
    let title = front.title.clone().map(|t| t.trim().to_string()).unwrap_or_default();
    let standalone = standalone_rel(source);
    let (id, slug, is_index) = match standalone {
        // Routed by path alone, as Docusaurus routes its pages: no number prefixes, no `slug`.
        Some(rel) => {
            let path = rel.trim_end_matches(".mdx").trim_end_matches(".md");
            let is_index = stem == "index";
            let slug = if is_index { format!("/{}", path.trim_end_matches("index")) } else { format!("/{path}") };
            (format!("@pages/{path}"), slug, is_index)
        }
        None => (id, slug, is_index),
    };
    let (url, output_file) = match standalone {
        Some(_) => {
            let url = route::url_for(&config.base_url, "/", &slug, config.trailing_slash);
            let output_file = route::output_file(&url, &config.base_url, config.trailing_slash);
            (url, output_file)
        }
        None => (url, output_file),
    };
    Ok(Doc {
        source: source.to_string(),
        file: file.to_path_buf(),
        display_path,
        front,
        body_start,
        body_line_offset,
        dirs: parts,
        stem,
        file_position,
        base_id,
        id,
        slug,
        url,
        output_file,
        is_index,
        title,
        text,
        standalone: standalone.is_some(),
    })
}

/// Pages whose URLs or file names differ only by letter case or Unicode normalisation (`A.md`
/// and `a.md`; `café.md` with `é` as one code point or as `e` and a combining accent) are a
/// warning naming both files: macOS and Windows treat such names as one, so a checkout there
/// loses a file and the built site one page.
fn check_folded_collisions(docs: &[Doc]) -> Vec<Diagnostic> {
    use unicode_normalization::UnicodeNormalization;
    let fold = |s: &str| s.nfc().collect::<String>().to_lowercase().nfc().collect::<String>();
    let mut warnings = Vec::new();
    let mut seen: HashMap<String, &Doc> = HashMap::new();
    let mut warned: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    for d in docs {
        for (key, own) in [(fold(&d.output_file), &d.output_file), (fold(&d.source), &d.source)] {
            let Some(first) = seen.get(&key).copied() else {
                seen.insert(key, d);
                continue;
            };
            let other = if own == &d.output_file { &first.output_file } else { &first.source };
            if std::ptr::eq(first, d) || other == own || !warned.insert((first.source.as_str(), d.source.as_str())) {
                continue;
            }
            let how = if own.nfc().eq(other.nfc()) {
                "Unicode normalisation (an accented letter written as one code point or as two)"
            } else if own.to_lowercase() == other.to_lowercase() {
                "letter case"
            } else {
                "letter case and Unicode normalisation"
            };
            let what = if own == &d.output_file { "URL" } else { "file name" };
            let first_path = crate::diagnostic::display_path(&first.display_path);
            warnings.push(
                Diagnostic::warning(
                    d.display_path.clone(),
                    0,
                    0,
                    format!("this page and `{first_path}` have {what}s that differ only by {how}"),
                )
                .with_help("macOS and Windows treat such names as the same, so a checkout or a copy of the built site there keeps only one; rename one of the files or give it another `slug`"),
            );
        }
    }
    warnings
}

/// Two pages with one URL or one id are an error naming both files.
fn check_unique(docs: &[Doc]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut urls: HashMap<&str, &Doc> = HashMap::new();
    let mut ids: HashMap<&str, &Doc> = HashMap::new();
    for d in docs {
        if let Some(first) = urls.insert(d.output_file.as_str(), d) {
            errors.push(
                Diagnostic::error(d.display_path.clone(), 0, 0, format!("two pages have the URL `{}`", d.url))
                    .with_help(format!(
                        "`{}` has it too; give one of them another `slug` or `id`",
                        crate::diagnostic::display_path(&first.display_path)
                    )),
            );
        }
        if let Some(first) = ids.insert(d.id.as_str(), d) {
            errors.push(
                Diagnostic::error(d.display_path.clone(), 0, 0, format!("two pages have the id `{}`", d.id)).with_help(
                    format!(
                        "`{}` has it too; give one of them another `id`",
                        crate::diagnostic::display_path(&first.display_path)
                    ),
                ),
            );
        }
    }
    errors
}

/// Where highlighted code blocks are kept between builds.
pub fn highlight_cache_file(config: &Config) -> PathBuf {
    config.root.join(".lectern-cache").join("highlight.bin")
}

/// Every file of the static dirs, relative to its dir (the first dir wins for a name).
/// Symlinks are not followed, so nothing outside the root is served.
pub fn walk_static(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    for dir in &config.static_dirs {
        let base = config.root.join(dir);
        for entry in walkdir::WalkDir::new(&base).follow_links(false).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file()
                && let Ok(rel) = entry.path().strip_prefix(&base)
            {
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The static file to copy for an output path, from the first static dir that has it.
pub fn static_file(config: &Config, rel: &str) -> Option<PathBuf> {
    config.static_dirs.iter().map(|d| config.root.join(d).join(rel)).find(|p| p.is_file())
}

/// Per doc, the time of the last commit that touched it (seconds since 1970), read with one
/// `git log` for the whole docs folder. All `None` outside git.
pub fn git_dates(config: &Config, docs: &[Doc]) -> Vec<Option<i64>> {
    let none = vec![None; docs.len()];
    let docs_path = config.docs_path();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-c", "core.quotepath=false", "-C"])
            .arg(&docs_path)
            .args(args)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    if git(&["rev-parse", "--is-inside-work-tree"]).is_none() {
        return none;
    }
    let Some(log) = git(&["log", "--format=%x00%ct", "--name-only", "--no-renames", "--relative", "--", "."]) else {
        return none;
    };
    let mut latest: HashMap<&str, i64> = HashMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(ts) = line.strip_prefix('\0') {
            current = ts.trim().parse::<i64>().ok();
        } else if !line.is_empty()
            && let Some(t) = current
        {
            latest.entry(line).or_insert(t);
        }
    }
    docs.iter().map(|d| latest.get(d.source.as_str()).copied()).collect()
}
