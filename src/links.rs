//! Link resolution (spec section 7): what a link or image written in a page points at.
//!
//! In: the loaded docs, the asset files beside them and the static files. Out: for each link,
//! the URL to emit, and the set of local files the built site must carry. Pure: it looks
//! things up in lists made by the content stage and never touches the disk.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{Content, Doc};
use crate::markdown::{ImportedFile, LinkResolver, Rendered, ResolvedImage};

/// What links are resolved against, owned: the pages by source and by URL, the files beside
/// them and the static files. Made once per load of the site ([`crate::site::Site::links`]); it
/// stays true while no page, asset or static file is added, removed or moved (`serve` loads the
/// whole site again then), so an edit resolves its links without a pass over every page.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Doc index by source (relative to docs_dir).
    sources: HashMap<String, usize>,
    assets: HashSet<String>,
    statics: HashSet<String>,
    /// Doc index by URL, decoded and without a trailing slash.
    urls: HashMap<String, usize>,
}

impl Table {
    /// The table of `content`'s docs and assets; `statics` are the files of the static dirs,
    /// relative to their dir.
    pub fn new(content: &Content, statics: Vec<String>) -> Table {
        let docs = &content.docs;
        Table {
            sources: docs.iter().enumerate().map(|(i, d)| (d.source.clone(), i)).collect(),
            assets: content.assets.iter().cloned().collect(),
            statics: statics.into_iter().collect(),
            urls: docs.iter().enumerate().map(|(i, d)| (d.url.trim_end_matches('/').to_string(), i)).collect(),
        }
    }

    /// The doc whose source (relative to docs_dir) is `source`.
    pub fn doc(&self, source: &str) -> Option<usize> {
        self.sources.get(source).copied()
    }

    /// Whether `rel` (relative to docs_dir) is a file beside the pages.
    pub fn is_asset(&self, rel: &str) -> bool {
        self.assets.contains(rel)
    }

    /// The files of the static dirs, relative to their dir, in no order.
    pub fn statics(&self) -> impl Iterator<Item = &str> {
        self.statics.iter().map(String::as_str)
    }
}

/// What every page's resolver looks things up in: the site's docs and their [`Table`].
pub struct Index<'a> {
    config: &'a Config,
    docs: &'a [Doc],
    table: Cow<'a, Table>,
}

/// What a local link points at.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A page, with its URL (query and hash kept).
    Doc { url: String },
    /// A file beside the pages (path relative to docs_dir).
    Asset { rel: String, url: String },
    /// A file of a static dir (path relative to the static dir).
    Static { url: String },
}

impl<'a> Index<'a> {
    /// `statics` are the files of the static dirs, relative to their dir.
    pub fn new(config: &'a Config, content: &'a Content, statics: &[String]) -> Self {
        Index { config, docs: &content.docs, table: Cow::Owned(Table::new(content, statics.to_vec())) }
    }

    /// The index of `content` with its table made already (`table` must be `content`'s).
    pub fn with_table(config: &'a Config, content: &'a Content, table: &'a Table) -> Self {
        Index { config, docs: &content.docs, table: Cow::Borrowed(table) }
    }

    /// Resolves a link written in `from`. `None`: external, same-page anchor, or nothing found.
    pub fn resolve(&self, from: &Doc, dest: &str) -> Option<Target> {
        if dest.is_empty() || dest.starts_with('#') || is_external(dest) {
            return None;
        }
        let cut = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(cut);
        let path = percent_decode(path);
        let here = from.dir_path();
        if path.ends_with(".md") || path.ends_with(".mdx") {
            return source_candidates(&here, &path, &self.config.docs_dir)
                .into_iter()
                .flatten()
                .find_map(|c| self.table.doc(&c))
                .and_then(|i| self.docs.get(i))
                .map(|d| Target::Doc { url: format!("{}{suffix}", encode_path(&d.url)) });
        }
        if let Some(abs) = path.strip_prefix('/') {
            let base = self.config.base_url.trim_start_matches('/');
            let rel = abs.strip_prefix(base).unwrap_or(abs);
            if self.table.statics.contains(rel) {
                return Some(Target::Static { url: format!("{}{}{suffix}", self.config.base_url, encode_path(rel)) });
            }
            // A page's URL, written with or without base_url.
            let full = format!("{}{}", self.config.base_url, rel.trim_end_matches('/'));
            return self
                .table
                .urls
                .get(full.trim_end_matches('/'))
                .and_then(|&i| self.docs.get(i))
                .map(|d| Target::Doc { url: format!("{}{suffix}", encode_path(&d.url)) });
        }
        let rel = normalise_rel(&here, &path)?;
        if self.table.assets.contains(rel.as_str()) {
            let url = format!("{}{}{suffix}", self.config.base_url, encode_path(&rel));
            return Some(Target::Asset { rel, url });
        }
        None
    }

    /// The files beside the pages that one page links or embeds, by output path (relative to
    /// the docs folder), sorted.
    pub fn page_copies(&self, doc: &Doc, r: &Rendered) -> Vec<String> {
        let mut out: Vec<String> = r
            .links
            .iter()
            .filter_map(|link| match self.resolve(doc, &link.dest) {
                Some(Target::Asset { rel, .. }) => Some(rel),
                _ => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every local file the pages link or embed, by output path, with its source file.
    pub fn copies(&self, content: &Content, rendered: &[Rendered]) -> BTreeMap<String, PathBuf> {
        let mut out = BTreeMap::new();
        let docs_path = self.config.docs_path();
        for (doc, r) in content.docs.iter().zip(rendered) {
            for link in &r.links {
                if let Some(Target::Asset { rel, .. }) = self.resolve(doc, &link.dest) {
                    out.insert(rel.clone(), docs_path.join(&rel));
                }
            }
        }
        out
    }
}

/// One page's resolver, handed to the markdown stage.
pub struct Resolver<'a> {
    index: &'a Index<'a>,
    doc: &'a Doc,
}

impl<'a> Resolver<'a> {
    pub fn new(index: &'a Index<'a>, doc: &'a Doc) -> Self {
        Resolver { index, doc }
    }
}

impl LinkResolver for Resolver<'_> {
    fn resolve_link(&self, dest: &str) -> Option<String> {
        match self.index.resolve(self.doc, dest)? {
            Target::Doc { url } | Target::Asset { url, .. } | Target::Static { url } => Some(url),
        }
    }

    fn resolve_image(&self, src: &str) -> Option<ResolvedImage> {
        match self.index.resolve(self.doc, src)? {
            Target::Asset { rel, url } => {
                Some(ResolvedImage { url, file: Some(self.index.config.docs_path().join(rel)) })
            }
            Target::Static { url } => {
                let rel = src.trim_start_matches('/');
                let base = self.index.config.base_url.trim_start_matches('/');
                let rel = rel.strip_prefix(base).unwrap_or(rel);
                let file =
                    self.index.config.static_dirs.iter().map(|d| self.index.config.root.join(d).join(rel)).next();
                Some(ResolvedImage { url, file })
            }
            Target::Doc { url } => Some(ResolvedImage { url, file: None }),
        }
    }

    fn rebase_link(&self, partial: &Path, dest: &str) -> Option<String> {
        self.rebased(partial, dest)
    }

    /// `./x.mdx` and `../x.md` against the importing file's folder, `@site/x.md` against the
    /// site's root, as Docusaurus's bundler resolves them; nothing else is a partial's path.
    fn import_file(&self, importer: Option<&Path>, spec: &str) -> Option<ImportedFile> {
        let config = self.index.config;
        let spec = spec.split(['?', '#']).next().unwrap_or(spec);
        let file = if let Some(rest) = spec.strip_prefix("@site/") {
            config.root.join(rest)
        } else if spec.starts_with("./") || spec.starts_with("../") {
            importer.unwrap_or(&self.doc.file).parent()?.join(spec)
        } else {
            return None;
        };
        let file = lexical(&file);
        let root = lexical(&config.root);
        let display = file.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| file.clone());
        Some(ImportedFile { file, display })
    }
}

impl Resolver<'_> {
    /// [`LinkResolver::rebase_link`]: a relative destination written in a partial inside the
    /// docs folder, as a path from the page's folder to the same file.
    fn rebased(&self, partial: &Path, dest: &str) -> Option<String> {
        if dest.is_empty() || dest.starts_with(['#', '/']) || is_external(dest) {
            return None;
        }
        let docs = lexical(&self.index.config.docs_path());
        let partial_dir = partial.parent()?.strip_prefix(&docs).ok()?;
        let partial_dir: Vec<String> =
            partial_dir.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let partial_dir = partial_dir.join("/");
        let here = self.doc.dir_path();
        if partial_dir == here {
            return None;
        }
        let cut = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(cut);
        let target = normalise_rel(&partial_dir, path)?;
        let up = "../".repeat(self.doc.dirs.len());
        Some(format!("{up}{target}{suffix}"))
    }
}

/// `path` with `.` and `..` parts worked out without asking the disk.
pub(crate) fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !matches!(out.components().next_back(), Some(Component::Normal(_))) || !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The sources (relative to docs_dir) a `.md` link written in folder `here` may mean, in the
/// order spec section 7 tries them; `None` for one that would leave the docs folder. A link
/// starting with `/` is tried, as Docusaurus's `resolveMarkdownLinkPathname` does, against the docs
/// folder, then the site's root (`/docs/a/b.md` with `docs_dir: docs`), then the page's folder.
pub fn source_candidates(here: &str, path: &str, docs_dir: &std::path::Path) -> Vec<Option<String>> {
    if let Some(abs) = path.strip_prefix('/') {
        let docs_dir = normalise_rel("", &crate::diagnostic::display_path(docs_dir)).unwrap_or_default();
        let from_root = normalise_rel("", abs)
            .and_then(|p| p.strip_prefix(docs_dir.as_str()).and_then(|r| r.strip_prefix('/')).map(str::to_string));
        vec![normalise_rel("", abs), from_root, normalise_rel(here, abs)]
    } else if path.starts_with("./") || path.starts_with("../") {
        vec![normalise_rel(here, path)]
    } else {
        vec![normalise_rel(here, path), normalise_rel("", path)]
    }
}

/// Whether a link leaves the site: it has a scheme (`https:`, `mailto:`) or is protocol-relative.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Joins `rel` onto the folder `base` (both relative to docs_dir) and resolves `.` and `..`.
/// `None` when the result would leave the docs folder.
pub fn normalise_rel(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `%XX` decoding of a link as written in a page: malformed escapes stay as written, and the
/// text stays as it is when the decoded bytes are not UTF-8.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8().map_or_else(|_| s.to_string(), |d| d.into_owned())
}

/// `%XX` decoding; None when an escape is malformed or the bytes are not UTF-8 (`serve` answers
/// such a request with 400).
pub fn percent_decode_exact(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let well_formed = s
        .match_indices('%')
        .all(|(i, _)| bytes.get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)));
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    well_formed.then(|| decoded.into_owned())
}

/// What [`encode_path`] escapes of ASCII: controls and what would end or change a URL path.
const PATH_ESCAPED: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'\\');

/// A URL path as it goes into `href`: characters that would end or change the path and control
/// characters escaped; other Unicode kept as it is, as Docusaurus writes it.
pub fn encode_path(path: &str) -> String {
    let kept = |c: char| !c.is_ascii() && !c.is_control();
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while !rest.is_empty() {
        let plain = rest.find(|c: char| !kept(c)).unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        let escaped = rest[plain..].find(kept).map_or(rest.len(), |i| plain + i);
        out.extend(percent_encoding::utf8_percent_encode(&rest[plain..escaped], PATH_ESCAPED));
        rest = &rest[escaped..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links() {
        for (d, want) in [
            ("https://x.org", true),
            ("mailto:a@b", true),
            ("//cdn.x/y", true),
            ("./a.md", false),
            ("/Guides/x", false),
            ("a:b/c.md", true),
            ("dir/a:b.md", false),
            ("#frag", false),
        ] {
            assert_eq!(is_external(d), want, "{d}");
        }
    }

    #[test]
    fn relative_paths() {
        assert_eq!(normalise_rel("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalise_rel("a/b", "./c.md").as_deref(), Some("a/b/c.md"));
        assert_eq!(normalise_rel("", "../../../../etc/passwd"), None);
        assert_eq!(normalise_rel("a", "../../x.png"), None);
    }

    #[test]
    fn source_link_candidates() {
        let docs = std::path::Path::new("docs");
        let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        assert_eq!(source_candidates("guide", "x.md", docs), some(&["guide/x.md", "x.md"]));
        assert_eq!(source_candidates("guide", "../x.md", docs), some(&["x.md"]));
        // Site-relative: the docs folder, then the site's root, then the page's folder.
        assert_eq!(
            source_candidates("guide", "/docs/a/b.md", docs),
            some(&["docs/a/b.md", "a/b.md", "guide/docs/a/b.md"])
        );
        assert_eq!(source_candidates("", "/a.md", docs), vec![Some("a.md".into()), None, Some("a.md".into())]);
        assert_eq!(source_candidates("", "/a.md", std::path::Path::new("./docs/"))[1], None);
        assert_eq!(source_candidates("", "/docs/a.md", std::path::Path::new("./docs/"))[1].as_deref(), Some("a.md"));
    }

    #[test]
    fn encoding() {
        assert_eq!(percent_decode("My%20Doc.md"), "My Doc.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(encode_path("/Release Notes/v#1?"), "/Release%20Notes/v%231%3F");
    }
}
