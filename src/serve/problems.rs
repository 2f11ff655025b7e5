//! Problems as you type: after each rebuild of `serve`, the links, anchors, images and unknown
//! components of the pages it rebuilt, checked against the current site with the check stage
//! ([`crate::check::check_pages`]).
//!
//! In: the loaded [`Site`], which pages a rebuild touched ([`Scope`]) and the pages a full load
//! no longer has. Out: the site's current problems (the notice every open tab shows), and what
//! changed since the last check as terminal text: new problems in full, fixed ones in one line,
//! and, for a page deleted or renamed, the pages whose links it broke.
//!
//! A page's problems are checked again when it is rebuilt; pages that have problems are checked
//! after every rebuild too, so a fix made elsewhere (the missing page added back, the heading
//! written) clears them. When an edit takes a heading away, the pages linking to that anchor
//! are checked as well. A full load checks every page. The "did you mean" of a broken link
//! searches every page, so it is looked for only on the pages the rebuild touched; a page
//! checked again only because it has problems keeps the hints it had.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::check::Targets;
use crate::diagnostic::{Diagnostic, Severity, capped};
use crate::site::Site;

/// How many new problems of one file the terminal shows in full.
const PRINTED_PER_FILE: usize = 10;

/// Which pages a rebuild touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every page (a full load).
    All,
    /// These pages (indices into the site's docs).
    Pages(BTreeSet<usize>),
}

impl Scope {
    /// Both scopes at once.
    pub fn merge(self, other: Scope) -> Scope {
        match (self, other) {
            (Scope::Pages(mut a), Scope::Pages(b)) => {
                a.extend(b);
                Scope::Pages(a)
            }
            _ => Scope::All,
        }
    }
}

/// One problem as the notice shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// `warning` or `error` (from the site's `on_broken_*` policies; neither stops the preview).
    pub severity: Severity,
    /// `path:line:col`.
    pub location: String,
    pub message: String,
    /// The offending line of the file.
    pub source: Option<String>,
    /// 1-based column of the caret under `source`; 0 when unknown.
    pub column: usize,
    pub help: Option<String>,
}

impl Problem {
    fn from_diagnostic(d: &Diagnostic) -> Problem {
        Problem {
            severity: d.severity,
            location: d.location(),
            message: d.message.clone(),
            source: d.source_line.clone(),
            column: d.source_caret as usize,
            help: d.help.clone(),
        }
    }
}

/// A page that a full load no longer has at its URL: deleted, renamed or given a new slug.
#[derive(Debug, Clone)]
pub struct Gone {
    /// Its file as the user names it (`docs/guide/x.md`).
    pub path: String,
    pub url: String,
}

/// The problems of the site as last checked, per page.
#[derive(Debug, Default)]
pub struct Problems {
    by_page: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The doc (index into the site's docs) of each page in `by_page`.
    docs: BTreeMap<PathBuf, usize>,
}

/// What one check found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// For the terminal; empty when nothing changed.
    pub text: String,
    /// Every current problem, when the list differs from the one before the check.
    pub list: Option<Vec<Problem>>,
}

impl Problems {
    /// Every current problem, by file and position.
    pub fn list(&self) -> Vec<Problem> {
        self.by_page.values().flatten().map(Problem::from_diagnostic).collect()
    }

    /// Checks the pages in `scope`, plus the pages that had problems, against `site`. `gone`:
    /// pages the rebuild removed (a full load only).
    pub fn check(&mut self, site: &Site, targets: &Targets, scope: &Scope, gone: &[Gone]) -> Outcome {
        let before = self.list();
        let indices: Vec<usize> = match scope {
            Scope::All => (0..site.content.docs.len()).collect(),
            Scope::Pages(pages) => {
                let mut all: BTreeSet<usize> = pages.iter().copied().collect();
                // A full load checks every page, so these are docs of the site as it is.
                all.extend(self.docs.values().copied());
                all.into_iter().collect()
            }
        };
        // A "did you mean" searches every page: only for the pages the rebuild touched. A page
        // checked again because it had problems keeps the hints it had.
        let hints = |i: usize| match scope {
            Scope::All => true,
            Scope::Pages(pages) => pages.contains(&i),
        };
        let mut found: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        let checked_now = crate::check::check_pages_with(site, targets, &indices, &hints);
        for d in checked_now.into_iter().chain(unknown_components(site, &indices)) {
            found.entry(d.path.clone()).or_default().push(d);
        }
        for list in found.values_mut() {
            list.sort_by_key(|d| (d.line, d.column));
        }
        let checked: Vec<PathBuf> = indices.iter().map(|&i| site.content.docs[i].display_path.clone()).collect();
        let old = match scope {
            Scope::All => {
                self.docs.clear();
                std::mem::take(&mut self.by_page)
            }
            Scope::Pages(_) => checked
                .iter()
                .filter_map(|p| {
                    self.docs.remove(p);
                    self.by_page.remove_entry(p)
                })
                .collect(),
        };
        for (path, list) in found.iter_mut() {
            let Some(was) = old.get(path) else { continue };
            for d in list.iter_mut().filter(|d| d.help.is_none()) {
                d.help = was.iter().find(|o| same_problem(o, d)).and_then(|o| o.help.clone());
            }
        }
        let (mut added, mut fixed) = (Vec::new(), Vec::new());
        for path in &checked {
            let new = found.get(path).map(Vec::as_slice).unwrap_or_default();
            let was = old.get(path).map(Vec::as_slice).unwrap_or_default();
            added.extend(missing_from(new, was));
            fixed.extend(missing_from(was, new));
        }
        for (&i, path) in indices.iter().zip(&checked) {
            if found.contains_key(path) {
                self.docs.insert(path.clone(), i);
            }
        }
        for (path, list) in found {
            self.by_page.insert(path, list);
        }
        let mut text = String::new();
        for shown in capped(&added, PRINTED_PER_FILE) {
            let _ = write!(text, "{shown}");
        }
        for d in &fixed {
            let _ = writeln!(text, "fixed: {}: {}", d.location(), d.message);
        }
        let broken: BTreeSet<String> = added
            .iter()
            .filter(|d| d.message.starts_with("link ") || d.message.starts_with("anchor "))
            .map(|d| crate::diagnostic::display_path(&d.path))
            .collect();
        if !broken.is_empty() {
            for g in gone {
                let pages = broken.iter().cloned().collect::<Vec<_>>().join(", ");
                let _ = writeln!(
                    text,
                    "note: {} ({}) was deleted or renamed; links to it broke on: {pages}",
                    g.path, g.url
                );
            }
        }
        if !added.is_empty() || !fixed.is_empty() {
            let list: Vec<&Diagnostic> = self.by_page.values().flatten().collect();
            let _ = match list.len() {
                0 => writeln!(text, "no problems left"),
                n => {
                    let s = if n == 1 { "" } else { "s" };
                    let pages = self.by_page.len();
                    let ps = if pages == 1 { "" } else { "s" };
                    writeln!(text, "{n} problem{s} on {pages} page{ps}; the preview shows them in a notice")
                }
            };
        }
        let now = self.list();
        Outcome { text, list: (now != before).then_some(now) }
    }
}

/// Whether two diagnostics are the same problem: same message (it quotes the link) and
/// severity, wherever they are (a line added above a broken link moves it without fixing it).
fn same_problem(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.message == b.message && a.severity == b.severity
}

/// The diagnostics of `a` that `b` does not have (see [`same_problem`]).
fn missing_from(a: &[Diagnostic], b: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut left: Vec<&Diagnostic> = b.iter().collect();
    let mut out = Vec::new();
    for d in a {
        match left.iter().position(|o| same_problem(o, d)) {
            Some(at) => {
                left.swap_remove(at);
            }
            None => out.push(d.clone()),
        }
    }
    out
}

/// A warning per unknown component per page (a full build names each component once).
fn unknown_components(site: &Site, indices: &[usize]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &i in indices {
        let doc = &site.content.docs[i];
        for c in &site.pages[i].markdown.components {
            out.push(c.warning(&doc.display_path, &doc.text));
        }
    }
    out
}

/// Whether `d` is the build's unknown-component warning (serve reports those per page here).
pub fn is_unknown_component(d: &Diagnostic) -> bool {
    crate::markdown::Component::is_warning(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_problem_is_neither_new_nor_fixed() {
        let at = |line| Diagnostic::warning("docs/a.md", line, 1, "link 'x' matches no page");
        assert!(missing_from(&[at(3)], &[at(5)]).is_empty());
        let other = Diagnostic::warning("docs/a.md", 3, 1, "link 'y' matches no page");
        assert_eq!(missing_from(&[at(3), other.clone()], &[at(5)]), vec![other]);
        assert_eq!(missing_from(&[at(3), at(4)], &[at(5)]).len(), 1, "two of the same, one left");
    }

    #[test]
    fn the_builds_component_warning_is_the_one_serve_reports_per_page() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("lectern.yml"), "title: T\ndocs_dir: docs\n").unwrap();
        std::fs::write(dir.path().join("docs/a.md"), "# A\n\n<Carousel>x</Carousel>\n").unwrap();
        let config = crate::config::load(dir.path(), &crate::config::Overrides::default()).unwrap();
        let site = crate::build::load_site(config, crate::build::Mode::Memory).unwrap();
        let build: Vec<&Diagnostic> = site.warnings.iter().filter(|w| is_unknown_component(w)).collect();
        let mine = unknown_components(&site, &[0]);
        assert_eq!(build.len(), 1, "{:?}", site.warnings);
        assert_eq!(mine.len(), 1);
        assert_eq!((&build[0].message, &build[0].help), (&mine[0].message, &mine[0].help));
    }
}
