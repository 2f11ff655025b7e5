//! Watching the site for `serve`: notify with a short debounce, and what each changed path means.
//!
//! In: file-system events under the site's root. Out: batches of changed paths (to the rebuild
//! thread), and [`classify`] turns a batch into a [`Plan`] of what to rebuild. Classification
//! looks at what is on disk now, not at the event kinds, so editors' atomic saves (write a temp
//! file, rename it over the page), deletes, renames and new folders all come out right.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::{CONFIG_FILE, Config};

/// How long the watcher waits for a burst of events to settle. Editors write a page in one to
/// three events within a few milliseconds.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// What one changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// `lectern.yml`: load everything again.
    Config,
    /// A page that exists and existed before (path relative to docs_dir): parse it alone.
    Page(String),
    /// A partial some pages include (`import Shared from './_shared.mdx'`), wherever it lies:
    /// parse those pages (by source) alone.
    Included(Vec<String>),
    /// Pages added, deleted or renamed, `_category_` files, files beside the pages, static
    /// files: load the site again.
    Content,
    /// A stylesheet of the site's `theme/` folder: swap stylesheets in open tabs.
    Stylesheet,
    /// Any other file of `theme/` (templates, scripts): load the theme, re-render every page.
    Theme,
    /// Nothing the site is made of (the build folder, editor backups, .git).
    Ignored,
}

/// What a batch of changes asks for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Load the whole site again.
    pub site: bool,
    /// Load the theme again and re-render every page.
    pub theme: bool,
    /// Load the theme again and swap only the stylesheets.
    pub stylesheets: bool,
    /// Pages edited in place, by source path.
    pub pages: BTreeSet<String>,
}

impl Plan {
    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        !self.site && !self.theme && !self.stylesheets && self.pages.is_empty()
    }
}

/// What the watcher asks of the last good build about a changed path.
pub trait Known {
    /// Whether a file of the docs folder (page or asset, relative to docs_dir) was part of it,
    /// or a folder holding one.
    fn knows(&self, source: &str) -> bool;
    /// The pages (by source) whose Markdown includes the file `path` as a partial.
    fn includers(&self, _path: &Path) -> Vec<String> {
        Vec::new()
    }
}

impl<F: Fn(&str) -> bool> Known for F {
    fn knows(&self, source: &str) -> bool {
        self(source)
    }
}

/// What one path means, given what the last good build knows.
pub fn change_kind(config: &Config, path: &Path, known: &dyn Known) -> ChangeKind {
    let includers = known.includers(path);
    if !includers.is_empty() {
        return ChangeKind::Included(includers);
    }
    let Ok(rel) = path.strip_prefix(&config.root) else { return ChangeKind::Ignored };
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let Some(name) = parts.last() else { return ChangeKind::Ignored };
    let generated = matches!(parts[0].as_str(), "build" | "node_modules" | "target");
    if generated || parts.iter().any(|p| p.starts_with('.')) || is_editor_temp(name) {
        return ChangeKind::Ignored;
    }
    let is_sidebars_file = config.sidebars_file.as_deref() == Some(rel)
        || (parts.len() == 1 && crate::docusaurus::SIDEBAR_FILES.contains(&name.as_str()));
    if is_sidebars_file
        || parts.len() == 1 && (name == CONFIG_FILE || crate::docusaurus::CONFIG_FILES.contains(&name.as_str()))
    {
        return ChangeKind::Config;
    }
    if parts[0] == "theme" {
        return if name.ends_with(".css") && path.is_file() { ChangeKind::Stylesheet } else { ChangeKind::Theme };
    }
    if let Ok(in_docs) = rel.strip_prefix(&config.docs_dir) {
        let source = in_docs.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let is_page = name.ends_with(".md") || name.ends_with(".mdx");
        let category = matches!(name.as_str(), "_category_.json" | "_category_.yml" | "_category_.yaml");
        let (exists, known) = (path.exists(), category || known.knows(&source));
        return match (exists, known) {
            (true, true) if is_page && path.is_file() => ChangeKind::Page(source),
            // A temp file that came and went during an editor's save. A page that is gone is a
            // change even if the last build never had it: it may be the page that broke it.
            (false, false) if !is_page => ChangeKind::Ignored,
            _ => ChangeKind::Content,
        };
    }
    let under = |dir: &Path| dir.components().all(|c| matches!(c, Component::CurDir)) || rel.starts_with(dir);
    // Standalone pages (`src/pages`): the whole site is loaded again, as for a new page.
    if rel.starts_with(crate::content::PAGES_DIR) || config.static_dirs.iter().any(|d| under(d)) {
        return ChangeKind::Content;
    }
    ChangeKind::Ignored
}

/// Whether `path` (relative to docs_dir; empty for docs_dir itself) is `source` or a folder
/// holding it.
pub fn is_or_holds(path: &str, source: &str) -> bool {
    path.is_empty() || source.strip_prefix(path).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Swap and backup files editors write beside the real one (vim, emacs, JetBrains, kate).
fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || name.starts_with('#')
        || name == "4913"
        || name.contains("___jb_")
}

/// The plan for a batch of changed paths.
pub fn classify(config: &Config, paths: &[PathBuf], known: &dyn Known) -> Plan {
    let mut plan = Plan::default();
    for path in paths {
        match change_kind(config, path, known) {
            ChangeKind::Config | ChangeKind::Content => plan.site = true,
            ChangeKind::Page(source) => {
                plan.pages.insert(source);
            }
            ChangeKind::Included(sources) => plan.pages.extend(sources),
            ChangeKind::Stylesheet => plan.stylesheets = true,
            ChangeKind::Theme => plan.theme = true,
            ChangeKind::Ignored => {}
        }
    }
    plan
}

/// The running watcher; watching stops when it drops.
pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches `root` recursively and hands each debounced batch of changed paths to `changed`.
/// Access events are dropped: the build reads the files it watches.
pub fn start(root: &Path, changed: impl Fn(Vec<PathBuf>) + Send + 'static) -> anyhow::Result<Watcher> {
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect();
        if !paths.is_empty() {
            changed(paths);
        }
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, handler).context("starting the file watcher")?;
    debouncer.watch(root, RecursiveMode::Recursive).with_context(|| format!("watching {}", root.display()))?;
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(root: &Path) -> Config {
        let mut c = crate::config::load(root, &Default::default()).unwrap_or_else(|e| panic!("{e:?}"));
        c.static_dirs = vec![PathBuf::from("static")];
        c
    }

    #[test]
    fn classifies_paths_by_what_is_on_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("docs/guide")).unwrap();
        std::fs::create_dir_all(root.join("theme")).unwrap();
        std::fs::write(root.join("lectern.yml"), "title: T\n").unwrap();
        for f in ["docs/guide/a.md", "docs/new.md", "theme/x.css", "theme/page.html"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let c = config(root);
        let known = |s: &str| ["guide/a.md", "gone.md", "guide/img.png"].contains(&s);
        let kind = |p: &str| change_kind(&c, &root.join(p), &known);
        assert_eq!(kind("lectern.yml"), ChangeKind::Config);
        assert_eq!(kind("sidebars.js"), ChangeKind::Config, "a Docusaurus sidebars file");
        let mut named = c.clone();
        named.sidebars_file = Some(PathBuf::from("config/nav.js"));
        assert_eq!(
            change_kind(&named, &root.join("config/nav.js"), &known),
            ChangeKind::Config,
            "the one sidebarPath names"
        );
        assert_eq!(kind("docs/guide/a.md"), ChangeKind::Page("guide/a.md".into()));
        assert_eq!(kind("docs/new.md"), ChangeKind::Content, "a new page");
        assert_eq!(kind("docs/gone.md"), ChangeKind::Content, "a deleted page");
        assert_eq!(kind("docs/never-built.md"), ChangeKind::Content, "a deleted page the last build failed on");
        assert_eq!(kind("docs/guide/_category_.yml"), ChangeKind::Content);
        assert_eq!(kind("docs/guide/img.png"), ChangeKind::Content, "a deleted image");
        assert_eq!(kind("docs/guide/a.md.tmp-123"), ChangeKind::Ignored, "an editor's temp file, renamed away");
        assert_eq!(kind("docs/guide/.a.md.swp"), ChangeKind::Ignored);
        assert_eq!(kind("docs/guide/a.md~"), ChangeKind::Ignored);
        assert_eq!(kind("docs/guide/4913"), ChangeKind::Ignored);
        assert_eq!(kind("theme/x.css"), ChangeKind::Stylesheet);
        assert_eq!(kind("theme/page.html"), ChangeKind::Theme);
        assert_eq!(kind("theme/gone.css"), ChangeKind::Theme, "a deleted stylesheet changes the theme");
        assert_eq!(kind("static/logo.png"), ChangeKind::Content);
        assert_eq!(kind("src/pages/index.md"), ChangeKind::Content, "a standalone page");
        assert_eq!(kind("src/other.rs"), ChangeKind::Ignored);
        assert_eq!(kind("build/index.html"), ChangeKind::Ignored);
        assert_eq!(kind(".git/index"), ChangeKind::Ignored);

        let holds = |s: &str| ["guide/a.md"].iter().any(|known| is_or_holds(s, known));
        assert_eq!(change_kind(&c, &root.join("docs/moved"), &holds), ChangeKind::Ignored, "never held a page");
        std::fs::rename(root.join("docs/guide"), root.join("moved")).unwrap();
        assert_eq!(change_kind(&c, &root.join("docs/guide"), &holds), ChangeKind::Content, "a folder moved away");
        std::fs::rename(root.join("docs"), root.join("docs-moved")).unwrap();
        assert_eq!(change_kind(&c, &root.join("docs"), &holds), ChangeKind::Content, "the docs folder moved away");
        std::fs::rename(root.join("docs-moved"), root.join("docs")).unwrap();
        std::fs::rename(root.join("moved"), root.join("docs/guide")).unwrap();

        let plan = classify(&c, &[root.join("docs/guide/a.md"), root.join("theme/x.css")], &known);
        assert_eq!(plan.pages.iter().collect::<Vec<_>>(), ["guide/a.md"]);
        assert!(plan.stylesheets && !plan.site && !plan.theme);
    }

    #[test]
    fn a_partial_rebuilds_the_pages_that_include_it() {
        struct Includes(PathBuf);
        impl Known for Includes {
            fn knows(&self, source: &str) -> bool {
                source == "a.md"
            }
            fn includers(&self, path: &Path) -> Vec<String> {
                if path == self.0 { vec!["a.md".into(), "guide/b.md".into()] } else { Vec::new() }
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(root.join("src/partials")).unwrap();
        std::fs::write(root.join("lectern.yml"), "title: T\n").unwrap();
        std::fs::write(root.join("src/partials/_x.md"), "x").unwrap();
        std::fs::write(root.join("src/partials/_unused.md"), "x").unwrap();
        let c = config(root);
        let known = Includes(root.join("src/partials/_x.md"));
        let plan = classify(&c, &[root.join("src/partials/_x.md")], &known);
        assert_eq!(plan.pages.iter().collect::<Vec<_>>(), ["a.md", "guide/b.md"]);
        assert!(!plan.site, "only the pages that include it");
        let plan = classify(&c, &[root.join("src/partials/_unused.md")], &known);
        assert!(plan.is_empty(), "a file outside the docs folder no page includes");
        std::fs::remove_file(root.join("src/partials/_x.md")).unwrap();
        let plan = classify(&c, &[root.join("src/partials/_x.md")], &known);
        assert_eq!(plan.pages.len(), 2, "a deleted partial: its pages report it missing");
    }

    #[test]
    fn a_folder_holds_the_sources_below_it() {
        for (path, source, want) in [
            ("guide", "guide/a.md", true),
            ("guide/a.md", "guide/a.md", true),
            ("", "guide/a.md", true),
            ("gui", "guide/a.md", false),
            ("guide/a", "guide/a.md", false),
            ("other", "guide/a.md", false),
        ] {
            assert_eq!(is_or_holds(path, source), want, "{path} {source}");
        }
    }
}
