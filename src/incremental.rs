//! What a build leaves for the next one, so that a build after a change to a few pages reads,
//! checks and renders only those pages and what depends on them, and changes only their files
//! in the output folder.
//!
//! In: a built [`Site`] (its docs without their text, each page's facts: element ids, the pages
//! whose anchors its links point at, its warnings and problems, git date, images, audio, its
//! part of `llms-full.txt`), the snapshot its sources were taken in ([`Parts`]) and the search
//! index's files. Out: a [`State`], saved beside the build records in `.lectern-cache/builds/`
//! and read back by the next build into the same folder, which compares the snapshots
//! ([`State::changed_docs`]) and makes a [`Site`] of it without reading a page
//! ([`State::site`]). The search index's inputs are saved apart, in [`crate::search::saved`]'s
//! format. A missing, damaged or foreign record means a full build.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::{CategoryMeta, Content, Doc};
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::{Component, Rendered};
use crate::site::{HtmlFacts, Page, PageBody, PageWarnings, Site, SiteWarnings, Timings};
use crate::unchanged::{Parts, entry_key};

/// The record's format; another value is not read.
const FORMAT: &str = "lectern incremental state 2";

/// Everything the next build needs of this one's site beside the sources it reads again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    format: String,
    program: u64,
    /// The snapshot of the sources the build was made from.
    pub parts: Parts,
    /// [`crate::fingerprint::site_fingerprint`] of the site: what every page shows of it.
    pub site_fingerprint: u64,
    /// The docs, without their text.
    pub docs: Vec<Doc>,
    pub categories: BTreeMap<String, CategoryMeta>,
    pub assets: Vec<String>,
    pub drafts: Vec<(String, String)>,
    pub draft_ids: std::collections::BTreeSet<String>,
    /// Per doc, what the build made of it.
    pub pages: Vec<StoredPage>,
    /// The warnings of loading that belong to no page: the settings' and the docs folder's, and
    /// the sidebars'.
    pub head_warnings: Vec<StoredDiagnostic>,
    /// That the diagrams are shown as their source, at the first diagram.
    pub diagram_warning: Option<StoredDiagnostic>,
    pub sidebar_warnings: Vec<StoredDiagnostic>,
    pub speech_warnings: Vec<StoredDiagnostic>,
    /// The problems of the sidebars' links and of the redirects.
    pub check_rest: Vec<StoredDiagnostic>,
}

/// What a build made of one doc.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredPage {
    /// [`crate::site::html_hash`] of its markdown-stage HTML.
    pub html_hash: u64,
    /// Its element ids, sorted.
    pub ids: Vec<String>,
    /// The other pages whose anchors its links point at.
    pub anchor_targets: Vec<usize>,
    /// Lines of its `<DocCardList />`s.
    pub card_lists: Vec<usize>,
    /// A hash of what a card says of it ([`crate::cards::card_description`]).
    pub card_text: u64,
    pub git_date: Option<i64>,
    /// Its warnings from loading.
    pub markdown_warnings: Vec<StoredDiagnostic>,
    pub components: Vec<(StoredComponent, Option<String>)>,
    pub languages: Vec<String>,
    pub card_list_warnings: Vec<StoredDiagnostic>,
    /// Its links' problems.
    pub problems: Vec<StoredDiagnostic>,
    /// The files beside the pages it links or embeds (relative to the docs folder).
    pub copies: Vec<String>,
    /// The audio files its players use.
    pub audio: Vec<String>,
    /// The length of its part of `llms-full.txt`, when it has one.
    pub llms_len: usize,
    /// Where its first Mermaid diagram starts (line, column), if it has one.
    pub diagram: Option<(usize, usize)>,
    /// The partials' files it includes.
    pub includes: Vec<PathBuf>,
}

/// The search index as the build wrote it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredSearch {
    /// [`crate::fingerprint::search`].
    pub fingerprint: u64,
    /// Every file: its path, [`crate::render::fnv1a`] hash and length.
    pub files: Vec<(String, u64, usize)>,
    /// Which saved inputs ([`crate::search::saved`]) it was made from.
    pub terms_id: u64,
}

/// `.lectern-cache/builds/<hash>.search.json`: [`StoredSearch`].
fn search_file(config: &Config, out: &Path) -> PathBuf {
    crate::output::cache_file_of(config, out, "search.json")
}

impl StoredSearch {
    /// The record of the search index in `out`, if any.
    pub fn load(config: &Config, out: &Path) -> Option<StoredSearch> {
        serde_json::from_slice(&std::fs::read(search_file(config, out)).ok()?).ok()
    }

    /// Saves it as the record of the search index just put into `out`.
    pub fn save(&self, config: &Config, out: &Path) {
        save_json(&search_file(config, out), self);
    }

    /// Forgets the search index's record and saved inputs: called before the index changes.
    pub fn forget(config: &Config, out: &Path) {
        let _ = std::fs::remove_file(search_file(config, out));
        let _ = std::fs::remove_file(terms_file(config, out));
    }
}

/// A [`Diagnostic`] as the record keeps it (the caret too, which `--format json` leaves out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDiagnostic {
    error: bool,
    path: PathBuf,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
    source_line: Option<String>,
    source_caret: u32,
}

impl From<&Diagnostic> for StoredDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        StoredDiagnostic {
            error: d.is_error(),
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            source_line: d.source_line.clone(),
            source_caret: d.source_caret,
        }
    }
}

impl From<&StoredDiagnostic> for Diagnostic {
    fn from(d: &StoredDiagnostic) -> Self {
        Diagnostic {
            severity: if d.error { Severity::Error } else { Severity::Warning },
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            source_line: d.source_line.clone(),
            source_caret: d.source_caret,
        }
    }
}

/// Diagnostics for the record.
pub fn store(ds: &[Diagnostic]) -> Vec<StoredDiagnostic> {
    ds.iter().map(StoredDiagnostic::from).collect()
}

/// Diagnostics from the record.
pub fn restore(ds: &[StoredDiagnostic]) -> Vec<Diagnostic> {
    ds.iter().map(Diagnostic::from).collect()
}

/// A [`Component`] as the record keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredComponent {
    name: String,
    line: usize,
    column: usize,
    dropped: bool,
}

impl StoredPage {
    /// Takes in doc `doc`'s warnings from loading.
    pub fn set_warnings(&mut self, w: &PageWarnings) {
        self.markdown_warnings = store(&w.markdown);
        self.components = w
            .components
            .iter()
            .map(|(c, line)| {
                let c = StoredComponent { name: c.name.clone(), line: c.line, column: c.column, dropped: c.dropped };
                (c, line.clone())
            })
            .collect();
        self.languages = w.languages.clone();
        self.card_list_warnings = store(&w.card_lists);
    }

    /// Its warnings from loading, as [`crate::site::assemble_warnings`] takes them.
    pub fn warnings(&self, doc: &Doc) -> PageWarnings {
        PageWarnings {
            path: doc.display_path.clone(),
            markdown: restore(&self.markdown_warnings),
            components: self
                .components
                .iter()
                .map(|(c, line)| {
                    let c = Component { name: c.name.clone(), line: c.line, column: c.column, dropped: c.dropped };
                    (c, line.clone())
                })
                .collect(),
            languages: self.languages.clone(),
            card_lists: restore(&self.card_list_warnings),
        }
    }
}

/// A hash of what a card says of a doc.
pub fn card_text(doc: &Doc) -> u64 {
    crate::render::fnv1a([crate::cards::card_description(doc).unwrap_or_default()])
}

/// The key of doc `d`'s file in a snapshot ([`entry_key`]).
pub fn doc_key(d: &Doc) -> String {
    match d.standalone {
        true => {
            let mut rest = d.source.as_str();
            while let Some(r) = rest.strip_prefix("../") {
                rest = r;
            }
            let rel = rest.strip_prefix(crate::content::PAGES_DIR).map_or(rest, |r| r.trim_start_matches('/'));
            entry_key(1, rel)
        }
        false => entry_key(0, &d.source),
    }
}

/// `.lectern-cache/builds/<hash>.state.json`.
fn state_file(config: &Config, out: &Path) -> PathBuf {
    crate::output::cache_file_of(config, out, "state.json")
}

/// `.lectern-cache/builds/<hash>.terms`: the search index's inputs ([`crate::search::saved`]).
pub fn terms_file(config: &Config, out: &Path) -> PathBuf {
    crate::output::cache_file_of(config, out, "terms")
}

/// A number naming one build's saved search inputs.
pub fn new_terms_id() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    crate::render::fnv1a([now.to_le_bytes().as_slice(), &std::process::id().to_le_bytes()])
}

impl State {
    /// The record of `site`, built from sources in the snapshot `parts`. `problems[i]` and
    /// `anchor_targets[i]` are what checking page `i`'s links found, `check_rest` the rest.
    pub fn of(
        site: &Site,
        parts: &Parts,
        site_fingerprint: u64,
        problems: &[Vec<Diagnostic>],
        anchor_targets: &[Vec<usize>],
        check_rest: &[Diagnostic],
    ) -> State {
        let llms = llms_lengths(site);
        let statics = crate::content::walk_static(&site.config);
        let index = crate::links::Index::new(&site.config, &site.content, &statics);
        let pages = site
            .content
            .docs
            .iter()
            .enumerate()
            .map(|(i, doc)| {
                let page = &site.pages[i];
                let mut ids: Vec<String> = match &page.body {
                    PageBody::Html(html) => crate::html::element_ids(html).into_iter().collect(),
                    PageBody::Facts(facts) => facts.ids.iter().cloned().collect(),
                };
                ids.sort();
                let copies = index.page_copies(doc, &page.markdown);
                let mut stored = StoredPage {
                    html_hash: page.body.html_hash(),
                    ids,
                    anchor_targets: anchor_targets.get(i).cloned().unwrap_or_default(),
                    card_lists: page.markdown.card_lists.clone(),
                    card_text: card_text(doc),
                    git_date: page.git_date,
                    problems: problems.get(i).map(|p| store(p)).unwrap_or_default(),
                    copies,
                    audio: site.speech.page_files.get(i).cloned().unwrap_or_default(),
                    llms_len: llms.get(&i).copied().unwrap_or(0),
                    diagram: page.markdown.diagrams.first().map(|d| (d.line, d.column)),
                    includes: page.markdown.includes.clone(),
                    ..StoredPage::default()
                };
                if let Some(w) = site.page_warnings.get(i) {
                    stored.set_warnings(w);
                }
                stored
            })
            .collect();
        State {
            format: FORMAT.to_string(),
            program: crate::fingerprint::program_hash(),
            parts: parts.clone(),
            site_fingerprint,
            docs: site.content.docs.clone(),
            categories: site.content.categories.clone(),
            assets: site.content.assets.clone(),
            drafts: site.content.drafts.clone(),
            draft_ids: site.content.draft_ids.clone(),
            pages,
            head_warnings: store(&site.site_warnings.head),
            diagram_warning: site.site_warnings.diagram.as_ref().map(StoredDiagnostic::from),
            sidebar_warnings: store(&site.site_warnings.sidebars),
            speech_warnings: store(&site.speech.warnings),
            check_rest: store(check_rest),
        }
    }

    /// The record of the last build into `out`, if it is one of this program's.
    pub fn load(config: &Config, out: &Path) -> Option<State> {
        let bytes = std::fs::read(state_file(config, out)).ok()?;
        let state: State = serde_json::from_slice(&bytes).ok()?;
        let fits = state.format == FORMAT
            && state.program == crate::fingerprint::program_hash()
            && state.pages.len() == state.docs.len();
        fits.then_some(state)
    }

    /// Saves it as the record of the build just put into `out`.
    pub fn save(&self, config: &Config, out: &Path) {
        save_json(&state_file(config, out), self);
    }

    /// Forgets the record of `out`: called before the output folder changes.
    pub fn forget(config: &Config, out: &Path) {
        let _ = std::fs::remove_file(state_file(config, out));
    }

    /// The docs whose files changed between this record's snapshot and `now`, with the docs
    /// that include a changed partial's file; or the first changed entry that is neither a
    /// page's file nor a partial a page includes (a folder, an image, a category file, a page
    /// added or removed): then the whole site is built.
    pub fn changed_docs(&self, now: &Parts, folders: &[PathBuf; 2]) -> Result<Vec<usize>, String> {
        let by_key: HashMap<String, usize> = self.docs.iter().enumerate().map(|(i, d)| (doc_key(d), i)).collect();
        let present: std::collections::HashSet<&str> = now.entries.iter().map(|(k, _, _)| k.as_str()).collect();
        let mut includers: HashMap<&Path, Vec<usize>> = HashMap::new();
        for (i, p) in self.pages.iter().enumerate() {
            for f in &p.includes {
                includers.entry(f.as_path()).or_default().push(i);
            }
        }
        let mut changed = Vec::new();
        for key in self.parts.changed_entries(now, folders) {
            match by_key.get(&key) {
                Some(&i) if present.contains(key.as_str()) => changed.push(i),
                None if !includers.is_empty() => {
                    let file = crate::links::lexical(&crate::unchanged::path_of(&key, folders));
                    match includers.get(file.as_path()) {
                        // Pages read a partial again as they read themselves: its removal is
                        // their error.
                        Some(pages) => changed.extend(pages.iter().copied()),
                        None => return Err(key.split_once(':').map_or(key.clone(), |(_, rel)| rel.to_string())),
                    }
                }
                _ => return Err(key.split_once(':').map_or(key.clone(), |(_, rel)| rel.to_string())),
            }
        }
        changed.sort_unstable();
        changed.dedup();
        Ok(changed)
    }

    /// The site as the build left it, no page read: docs without their text (taken out of the
    /// record, which the caller gives back before saving it), each page's facts without its
    /// HTML, no players, the sidebars built again. `config` is the new build's.
    pub fn site(&mut self, config: Config) -> Site {
        let content = Content {
            docs: std::mem::take(&mut self.docs),
            categories: self.categories.clone(),
            assets: self.assets.clone(),
            drafts: self.drafts.clone(),
            draft_ids: self.draft_ids.clone(),
            warnings: Vec::new(),
        };
        let (sidebars, _) = crate::sidebar::build_sidebars(&content, &config);
        let links = crate::links::Table::new(&content, crate::content::walk_static(&config));
        let docs_path = config.docs_path();
        let mut copies = BTreeMap::new();
        let pages = self
            .pages
            .iter()
            .map(|p| {
                for rel in &p.copies {
                    copies.insert(rel.clone(), docs_path.join(rel));
                }
                Page {
                    markdown: Rendered { card_lists: p.card_lists.clone(), ..Rendered::default() },
                    body: PageBody::Facts(HtmlFacts { hash: p.html_hash, ids: p.ids.iter().cloned().collect() }),
                    git_date: p.git_date,
                }
            })
            .collect();
        let page_warnings = self.pages.iter().zip(&content.docs).map(|(p, d)| p.warnings(d)).collect();
        let speech = crate::speech::SiteSpeech {
            players: vec![Vec::new(); self.pages.len()],
            page_files: self.pages.iter().map(|p| p.audio.clone()).collect(),
            warnings: restore(&self.speech_warnings),
            ..Default::default()
        };
        Site {
            config,
            content,
            pages,
            sidebars,
            copies,
            links,
            warnings: Vec::new(),
            site_warnings: SiteWarnings {
                head: restore(&self.head_warnings),
                diagram: self.diagram_warning.as_ref().map(Diagnostic::from),
                sidebars: restore(&self.sidebar_warnings),
            },
            page_warnings,
            timings: Timings::default(),
            speech,
        }
    }
}

/// Each page's part of `llms-full.txt`, by doc, when the site writes one (texts loaded).
fn llms_lengths(site: &Site) -> HashMap<usize, usize> {
    if !site.config.llms_txt {
        return HashMap::new();
    }
    crate::llms::sections(site)
        .into_iter()
        .flat_map(|(_, pages)| pages)
        .map(|i| (i, crate::llms::full_page(site, i).len()))
        .collect()
}

/// Writes `value` as JSON to the cache file at `path`; a record that cannot be written is
/// left out (the next build is then a full one).
fn save_json(path: &Path, value: &impl serde::Serialize) {
    let Some(mut file) = crate::output::CacheFile::create(path) else { return };
    if serde_json::to_writer(&mut file, value).is_ok() {
        file.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A doc read back from the record equals the doc, but for its text; its front matter too,
    /// absent, null and nested values alike.
    #[test]
    fn docs_read_back_as_they_were() {
        use crate::config::{GitInfo, Overrides, RawConfig, resolve};
        let config =
            resolve(Path::new("/site"), RawConfig::default(), "production", &Overrides::default(), &GitInfo::default());
        let text = "---\nid: two\ntitle: 'Step: two'\nsidebar_position: 2.5\nsidebar_label: 3\npagination_next: null\n\
                    custom_edit_url: https://example.org/x\nsidebar_custom_props:\n  badge: new\n  list: [1, two]\n\
                    tags: [a, b]\nlast_update:\n  date: 2024-01-02\nkeywords: [k]\nunlisted: false\n---\n# Body\n";
        let doc =
            crate::content::parse_doc(&config, "guide/02-two.md", Path::new("/site/docs/guide/02-two.md"), text.into())
                .expect("a doc");
        let back: Doc = serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(back.front, doc.front);
        assert_eq!(back.front.pagination_next, Some(None), "null stays null");
        assert_eq!(back.front.pagination_prev, None, "absent stays absent");
        assert_eq!(format!("{:?}", back.front), format!("{:?}", doc.front), "what fingerprints hash");
        assert_eq!((back.text.as_str(), back.body()), ("", ""));
        let mut without_text = doc.clone();
        without_text.text = String::new();
        assert_eq!(format!("{back:?}"), format!("{without_text:?}"));
    }

    #[test]
    fn diagnostics_keep_their_caret() {
        let d = Diagnostic::warning("docs/a.md", 3, 7, "something")
            .with_help("a fix")
            .with_source("a\nb\nsome text here\n");
        let back = Diagnostic::from(&StoredDiagnostic::from(&d));
        assert_eq!(back, d);
        assert_eq!(back.to_string(), d.to_string());
    }
}
