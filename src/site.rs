//! The site model: everything the stages made of the site, one record per page. Below every
//! stage: stages take it and give back data; only the pipeline (`build`) fills it.
//!
//! In: what `config`, `content`, `markdown`, `sidebar`, `speech` made. Out: [`Site`], whose
//! [`Page`] `i` holds what the stages made of `content.docs[i]`.

use std::collections::{BTreeMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::sidebar::Sidebars;

/// A loaded site: every page parsed and placed, ready to render.
pub struct Site {
    pub config: Config,
    /// The pages' sources (`docs`), categories, assets and drafts as the content stage read them.
    pub content: Content,
    /// What the later stages made of each doc: `pages[i]` is `content.docs[i]`'s.
    pub pages: Vec<Page>,
    pub sidebars: Sidebars,
    /// Files to copy into the output, by path relative to the output folder.
    pub copies: BTreeMap<String, PathBuf>,
    /// What links are resolved against (pages by source and URL, assets, static files).
    pub links: crate::links::Table,
    /// Warnings to print; errors fail loading instead. Made by [`assemble_warnings`] from
    /// `site_warnings`, `page_warnings` and the speech stage's.
    pub warnings: Vec<Diagnostic>,
    /// The warnings of loading that belong to no page.
    pub site_warnings: SiteWarnings,
    /// Each page's warnings from loading: `page_warnings[i]` is `content.docs[i]`'s.
    pub page_warnings: Vec<PageWarnings>,
    /// How long each stage took, for benchmarks.
    pub timings: Timings,
    /// The speech stage's players and audio files.
    pub speech: crate::speech::SiteSpeech,
}

/// The warnings of loading that belong to no page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteWarnings {
    /// Of the settings and the docs folder: printed first.
    pub head: Vec<Diagnostic>,
    /// That the site's diagrams are shown as their source (mermaid is not installed), at the
    /// first diagram: printed after `head`.
    pub diagram: Option<Diagnostic>,
    /// Of the sidebars: printed after those of the pages' markdown.
    pub sidebars: Vec<Diagnostic>,
}

/// One page's warnings from loading, as [`assemble_warnings`] takes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageWarnings {
    /// The page's file, as warnings name it.
    pub path: PathBuf,
    /// The markdown stage's warnings.
    pub markdown: Vec<Diagnostic>,
    /// The components lectern does not know, with the line of the file each is first used on.
    pub components: Vec<(crate::markdown::Component, Option<String>)>,
    /// Code languages with no syntax.
    pub languages: Vec<String>,
    /// Of its card lists.
    pub card_lists: Vec<Diagnostic>,
}

impl PageWarnings {
    /// Doc `doc`'s warnings from its markdown stage `r`, and those of its card lists.
    pub fn of(doc: &crate::content::Doc, r: &Rendered, card_lists: Vec<Diagnostic>) -> PageWarnings {
        PageWarnings {
            path: doc.display_path.clone(),
            markdown: r.diagnostics.iter().filter(|d| !d.is_error()).cloned().collect(),
            components: r
                .components
                .iter()
                .map(|c| (c.clone(), doc.text.lines().nth(c.line.wrapping_sub(1)).map(str::to_string)))
                .collect(),
            languages: r.unknown_languages.clone(),
            card_lists,
        }
    }
}

/// The warnings of loading, in the order they are printed: the settings' and the docs
/// folder's, the diagrams', each page's markdown warnings, each unknown component once (at its first use)
/// and each unknown code language once, the sidebars', the card lists', then `speech`.
pub fn assemble_warnings(site: &SiteWarnings, pages: &[PageWarnings], speech: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut out = site.head.clone();
    out.extend(site.diagram.iter().cloned());
    let mut components = BTreeMap::new();
    let mut languages = BTreeMap::new();
    for page in pages {
        out.extend(page.markdown.iter().cloned());
        for (c, line) in &page.components {
            let (first, _, _) = components.entry(c.name.clone()).or_insert_with(|| (c.clone(), &page.path, line));
            first.dropped &= c.dropped;
        }
        for l in &page.languages {
            languages.entry(l.clone()).or_insert(&page.path);
        }
    }
    for (first, path, line) in components.into_values() {
        out.push(first.warning_on(path, line.as_deref()));
    }
    for (lang, path) in languages {
        out.push(
            Diagnostic::warning(path, 0, 0, format!("code language `{lang}` is not known; shown as plain text"))
                .with_help("use a language name such as `csharp`, `yaml`, `bash`, `json`, or leave it out"),
        );
    }
    out.extend(site.sidebars.iter().cloned());
    for page in pages {
        out.extend(page.card_lists.iter().cloned());
    }
    out.extend(speech.iter().cloned());
    out
}

/// What the stages made of one doc.
pub struct Page {
    /// The markdown stage's result: title, headings, links, diagnostics. Its HTML is in `body`.
    pub markdown: Rendered,
    /// The markdown stage's HTML, or only what later stages need of it.
    pub body: PageBody,
    /// The date of the doc's last git commit (seconds since 1970), when in git.
    pub git_date: Option<i64>,
}

/// A page's markdown-stage HTML as the load mode kept it.
#[derive(Debug, Clone, PartialEq)]
pub enum PageBody {
    /// The HTML itself (`serve`, `check`).
    Html(String),
    /// Only its facts (`build`): the page's markdown is rendered again as it is written, so
    /// memory does not grow with every page's HTML.
    Facts(HtmlFacts),
}

/// What a build keeps of a page's markdown-stage HTML once it has dropped the HTML itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlFacts {
    /// [`html_hash`] of the HTML.
    pub hash: u64,
    /// Every element id in it, for the anchor check.
    pub ids: HashSet<String>,
}

impl PageBody {
    /// The page's markdown-stage HTML, when it was kept.
    pub fn html(&self) -> Option<&str> {
        match self {
            PageBody::Html(html) => Some(html),
            PageBody::Facts(_) => None,
        }
    }

    /// [`html_hash`] of the page's markdown-stage HTML.
    pub fn html_hash(&self) -> u64 {
        match self {
            PageBody::Html(html) => html_hash(html),
            PageBody::Facts(facts) => facts.hash,
        }
    }
}

/// A hash of a page's markdown-stage HTML.
pub fn html_hash(html: &str) -> u64 {
    let mut h = DefaultHasher::new();
    html.hash(&mut h);
    h.finish()
}

/// Wall time per pipeline stage, in the order they run. `highlight` is the time spent in code
/// highlighting summed over threads (part of `markdown` in `serve` and `check`, of `render` in `build`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    pub load: f64,
    pub markdown: f64,
    pub highlight: f64,
    pub sidebar: f64,
    pub speech: f64,
    pub check: f64,
    pub render: f64,
    pub search: f64,
    pub write: f64,
    /// Peak resident memory (MiB) when each stage ended, in order: which stage raised the peak.
    #[serde(skip)]
    pub peak_rss: Vec<(&'static str, f64)>,
}

impl Timings {
    /// Notes the process's peak resident memory so far as of the end of `stage`.
    pub fn mark_peak(&mut self, stage: &'static str) {
        if let Some(mib) = peak_rss_mib() {
            self.peak_rss.push((stage, mib));
        }
    }
}

/// The process's peak resident set size in MiB (Linux `VmHWM`); `None` elsewhere.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
}

/// Milliseconds since `t`.
pub fn ms_since(t: std::time::Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
