//! Check stage: every link and embed of every page (or of the pages `serve` just rebuilt),
//! checked against the whole site.
//!
//! In: a loaded [`Site`] (its docs, their rendered HTML and link model, the static files).
//! Out: diagnostics with the link's position, a severity from the site's policies
//! (`on_broken_links`, `on_broken_anchors`, `on_broken_images`) and, where one is likely, a fix.
//! Pure: it looks things up in what the earlier stages made.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::config::Policy;
use crate::content::Doc;
use crate::diagnostic::{Diagnostic, LineIndex, Severity, closest};
use crate::links::{Index, Target, encode_path, is_external, normalise_rel, percent_decode, source_candidates};
use crate::markdown::{LinkKind, LinkRef};
use crate::sidebar::{CategoryLink, Item};
use crate::site::{PageBody, Site};

/// What links are checked against beside the site's link table ([`Site::links`]): page URLs,
/// generated pages, static files and drafts, by URL. Made from the whole site; `serve` keeps it
/// while no page is added, moved or removed and the sidebars stay as they were, so checking an
/// edited page's links costs no pass over every page.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// Page URLs (decoded, no trailing slash) to doc index.
    pages: HashMap<String, usize>,
    /// URLs of generated pages: category pages and the home page.
    generated: HashSet<String>,
    /// Static files, by URL (decoded).
    statics: HashSet<String>,
    /// Draft sources and URLs left out of production.
    draft_sources: HashSet<String>,
    draft_urls: HashSet<String>,
}

impl Targets {
    /// The targets of `site` as it is now.
    pub fn new(site: &Site) -> Targets {
        let c = &site.config;
        let mut generated = HashSet::new();
        for sb in &site.sidebars.sidebars {
            collect_generated(&sb.items, &mut generated);
        }
        if !crate::pages::has_home_page(site) {
            // The generated home page (see `pages::home_cards`).
            generated.insert(url_key(&c.base_url));
        }
        Targets {
            pages: site.content.docs.iter().enumerate().map(|(i, d)| (url_key(&d.url), i)).collect(),
            generated,
            statics: site.links.statics().map(|s| url_key(&format!("{}{s}", c.base_url))).collect(),
            draft_sources: site.content.drafts.iter().map(|(s, _)| s.clone()).collect(),
            draft_urls: site.content.drafts.iter().map(|(_, u)| url_key(u)).collect(),
        }
    }
}

/// What every page's checks look things up in.
struct Lookup<'a> {
    site: &'a Site,
    index: Index<'a>,
    targets: &'a Targets,
    /// Element ids of the pages whose HTML the site keeps, read from it the first time a link
    /// needs them (other pages keep theirs).
    html_ids: Mutex<HashMap<usize, Arc<HashSet<String>>>>,
    /// Whether to look for a likely fix of a broken link on page `i`: the search goes through
    /// every page of the site.
    hints: &'a (dyn Fn(usize) -> bool + Sync),
}

/// A page's element ids: kept by the site, or read from its HTML.
enum Ids<'a> {
    Kept(&'a HashSet<String>),
    Read(Arc<HashSet<String>>),
}

impl std::ops::Deref for Ids<'_> {
    type Target = HashSet<String>;
    fn deref(&self) -> &HashSet<String> {
        match self {
            Ids::Kept(ids) => ids,
            Ids::Read(ids) => ids,
        }
    }
}

/// From how many pages [`check_pages`] spreads the work over threads.
const PARALLEL_FROM: usize = 64;

/// Checks every link of every page; the result is sorted by file and position.
pub fn check_site(site: &Site) -> Vec<Diagnostic> {
    let all: Vec<usize> = (0..site.content.docs.len()).collect();
    let targets = Targets::new(site);
    let pages = check_each_with(site, &targets, &all, &|_| true).problems.into_iter().flatten();
    combine(pages, check_site_links(site, &targets))
}

/// What [`check_each`] found, per page checked.
pub struct PageChecks {
    /// Each page's problems, in the order its links are written.
    pub problems: Vec<Vec<Diagnostic>>,
    /// The other pages whose anchors each page's links point at: when one of them loses or
    /// gains an id, the page's links must be checked again.
    pub anchor_targets: Vec<Vec<usize>>,
}

/// Checks the links of the pages at `pages` (indices into the site's docs) against the whole
/// site; the result is in the order of `pages`. A broken link of page `i` gets a "did you mean"
/// only when `hints(i)`.
pub fn check_each(site: &Site, pages: &[usize], hints: &(dyn Fn(usize) -> bool + Sync)) -> PageChecks {
    check_each_with(site, &Targets::new(site), pages, hints)
}

/// [`check_each`] with the site's [`Targets`] made already.
pub fn check_each_with(
    site: &Site,
    targets: &Targets,
    pages: &[usize],
    hints: &(dyn Fn(usize) -> bool + Sync),
) -> PageChecks {
    let lookup = Lookup::new(site, targets, hints);
    let lookup = &lookup;
    let check_one = |i: usize| -> (Vec<Diagnostic>, Vec<usize>) {
        let Some(doc) = site.content.docs.get(i) else { return Default::default() };
        let links = &site.pages[i].markdown.links;
        let mut targets = Vec::new();
        let problems: Vec<Diagnostic> = links.iter().filter_map(|l| lookup.check(i, doc, l, &mut targets)).collect();
        targets.retain(|&t| t != i);
        targets.sort_unstable();
        targets.dedup();
        if problems.is_empty() {
            return (problems, targets);
        }
        // One line index per file with problems: each problem finds its line at once.
        let index = LineIndex::new(&doc.text);
        (problems.into_iter().map(|d| d.with_line_index(&index)).collect(), targets)
    };
    // A few pages (an edit in `serve`) are checked on this thread: no wait for a thread pool
    // that background work may be keeping busy.
    let checked: Vec<(Vec<Diagnostic>, Vec<usize>)> = if pages.len() < PARALLEL_FROM {
        pages.iter().map(|&i| check_one(i)).collect()
    } else {
        pages.par_iter().map(|&i| check_one(i)).collect()
    };
    let (problems, anchor_targets) = checked.into_iter().unzip();
    PageChecks { problems, anchor_targets }
}

/// The problems of the sidebars' links and of the redirects: what [`check_site`] finds beside
/// the pages' links. `targets` are the site's, as the pages' check made them.
pub fn check_site_links(site: &Site, targets: &Targets) -> Vec<Diagnostic> {
    let mut out = check_sidebar_links(site, targets);
    out.extend(crate::redirects::check(site));
    out
}

/// The pages' problems (in page order) and the rest ([`check_site_links`]) as [`check_site`]
/// gives them: sorted by file and position.
pub fn combine(pages: impl IntoIterator<Item = Diagnostic>, rest: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = pages.into_iter().collect();
    out.extend(rest);
    out.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    out
}

/// Checks the links of the pages at `pages` (indices into the site's docs) against the whole
/// site, as [`check_site`] does for every page. A broken link of page `i` gets a "did you mean"
/// only when `hints(i)`. Sorted by file and position; redirects are not checked.
pub fn check_pages(site: &Site, pages: &[usize], hints: &(dyn Fn(usize) -> bool + Sync)) -> Vec<Diagnostic> {
    check_pages_with(site, &Targets::new(site), pages, hints)
}

/// [`check_pages`] with the site's [`Targets`] made already: what `serve` runs after an edit,
/// in proportion to the pages it checks.
pub fn check_pages_with(
    site: &Site,
    targets: &Targets,
    pages: &[usize],
    hints: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> =
        check_each_with(site, targets, pages, hints).problems.into_iter().flatten().collect();
    out.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    out
}

impl<'a> Lookup<'a> {
    fn new(site: &'a Site, targets: &'a Targets, hints: &'a (dyn Fn(usize) -> bool + Sync)) -> Self {
        Lookup {
            site,
            index: Index::with_table(&site.config, &site.content, &site.links),
            targets,
            html_ids: Mutex::new(HashMap::new()),
            hints,
        }
    }

    /// The element ids of page `t`.
    fn ids(&self, t: usize) -> Ids<'a> {
        let html = match &self.site.pages[t].body {
            PageBody::Facts(facts) => return Ids::Kept(&facts.ids),
            PageBody::Html(html) => html,
        };
        let known = self.html_ids.lock().unwrap_or_else(PoisonError::into_inner).get(&t).cloned();
        let ids = known.unwrap_or_else(|| {
            let ids = Arc::new(crate::html::element_ids(html));
            self.html_ids.lock().unwrap_or_else(PoisonError::into_inner).insert(t, ids.clone());
            ids
        });
        Ids::Read(ids)
    }

    /// The problem with one link of page `i`, if any; `targets` gets the pages whose anchors it
    /// looked at.
    fn check(&self, i: usize, doc: &Doc, link: &LinkRef, targets: &mut Vec<usize>) -> Option<Diagnostic> {
        let dest = link.dest.trim();
        if dest.is_empty() || is_external(dest) {
            return None;
        }
        let (path, anchor) = split_link(dest);
        let image = matches!(link.kind, LinkKind::Image);
        if path.is_empty() {
            return self.check_anchor(i, doc, link, anchor, None, targets);
        }
        let decoded = percent_decode(path);
        if decoded.ends_with(".md") || decoded.ends_with(".mdx") {
            return self.check_source_link(i, doc, link, &decoded, anchor, targets);
        }
        match self.index.resolve(doc, dest) {
            // A page: its anchor, if any, must be one of the page's ids.
            Some(Target::Doc { .. }) => {
                let key = url_key(&self.absolute_url(doc, &decoded));
                return match (anchor, self.targets.pages.get(&key)) {
                    (Some(_), Some(&target)) => self.check_anchor(i, doc, link, anchor, Some(target), targets),
                    _ => None,
                };
            }
            Some(Target::Asset { .. } | Target::Static { .. }) => return None,
            None => {}
        }
        if !decoded.starts_with('/') && normalise_rel(&doc.dir_path(), &decoded).is_none() && image {
            return self.problem(
                doc,
                link,
                self.image_policy(),
                format!("image '{dest}' leaves the site's root"),
                Some("only files inside the docs folder or a static folder are published; move the file there".into()),
            );
        }
        if self.leaves_site(doc, &decoded) {
            let policy = if image { self.image_policy() } else { self.site.config.on_broken_links };
            let base = &self.site.config.base_url;
            return self.problem(
                doc,
                link,
                policy,
                format!("link '{dest}' climbs above the site's root ({base})"),
                Some(format!(
                    "it points outside the published site; write a path within it (e.g. `{base}guide/page`) or a full `https://` URL"
                )),
            );
        }
        let url = self.absolute_url(doc, &decoded);
        let key = url_key(&url);
        if let Some(&target) = self.targets.pages.get(&key) {
            return self.check_anchor(i, doc, link, anchor, Some(target), targets);
        }
        if self.targets.generated.contains(&key) || self.targets.statics.contains(&key) {
            return None;
        }
        if self.targets.draft_urls.contains(&key) {
            return self.draft(doc, link);
        }
        if image {
            return self.problem(doc, link, self.image_policy(), format!("image '{dest}' matches no file"), None);
        }
        let help = if (self.hints)(i) { self.suggest_url(&decoded) } else { None };
        self.problem(doc, link, self.site.config.on_broken_links, format!("link '{dest}' matches no page"), help)
    }

    /// `x.md` links: to a page's source file (spec section 7).
    fn check_source_link(
        &self,
        i: usize,
        doc: &Doc,
        link: &LinkRef,
        path: &str,
        anchor: Option<&str>,
        targets: &mut Vec<usize>,
    ) -> Option<Diagnostic> {
        let here = doc.dir_path();
        let candidates = source_candidates(&here, path, &self.site.config.docs_dir);
        if candidates.iter().all(Option::is_none) {
            return self.problem(
                doc,
                link,
                self.site.config.on_broken_links,
                format!("link '{}' leaves the docs folder", link.dest),
                Some("a `.md` link names a page's file inside the docs folder; remove the extra `../`".into()),
            );
        }
        let found = candidates.iter().flatten().find_map(|c| self.site.links.doc(c));
        match found {
            Some(target) => self.check_anchor(i, doc, link, anchor, Some(target), targets),
            None if candidates.iter().flatten().any(|c| self.targets.draft_sources.contains(c.as_str())) => {
                self.draft(doc, link)
            }
            None => {
                let name = path.rsplit('/').next().unwrap_or(path);
                let help = if (self.hints)(i) { self.suggest_source(doc, name) } else { None };
                self.problem(
                    doc,
                    link,
                    self.site.config.on_broken_links,
                    format!("link '{}' matches no page", link.dest),
                    help,
                )
            }
        }
    }

    /// `#anchor` on `target` (this page when `None`).
    fn check_anchor(
        &self,
        i: usize,
        doc: &Doc,
        link: &LinkRef,
        anchor: Option<&str>,
        target: Option<usize>,
        targets: &mut Vec<usize>,
    ) -> Option<Diagnostic> {
        let anchor = percent_decode(anchor?);
        if anchor.is_empty() {
            return None;
        }
        let t = target.unwrap_or(i);
        targets.push(t);
        let ids = self.ids(t);
        if ids.contains(&anchor) {
            return None;
        }
        let target_doc = &self.site.content.docs[t];
        let where_ = if t == i {
            "this page".to_string()
        } else {
            format!("'{}'", strip_base(&self.site.config.base_url, &target_doc.url))
        };
        let starting: Vec<&String> = ids.iter().filter(|id| id.starts_with(anchor.as_str())).collect();
        let guess = match starting.as_slice() {
            [only] => Some(only.as_str()),
            _ => closest(&anchor, ids.iter().map(String::as_str)),
        };
        let help = guess.map(|id| {
            let prefix = link.dest.rsplit_once('#').map(|(p, _)| p).unwrap_or("");
            format!("did you mean '{prefix}#{id}'? (a heading on {where_})")
        });
        self.problem(
            doc,
            link,
            self.site.config.on_broken_anchors,
            format!("anchor '#{anchor}' does not exist on {where_}"),
            help,
        )
    }

    fn draft(&self, doc: &Doc, link: &LinkRef) -> Option<Diagnostic> {
        self.problem(
            doc,
            link,
            self.site.config.on_broken_links,
            format!("link '{}' points to a draft, which is left out of production", link.dest),
            Some("publish the page (remove `draft: true`) or remove the link".into()),
        )
    }

    fn image_policy(&self) -> Policy {
        self.site.config.on_broken_images
    }

    /// The URL a browser would request for `path` written on `doc`'s page.
    fn absolute_url(&self, doc: &Doc, path: &str) -> String {
        let base = &self.site.config.base_url;
        if path.starts_with('/') {
            if path.starts_with(base.as_str()) || path == base.trim_end_matches('/') {
                path.to_string()
            } else {
                format!("{base}{}", path.trim_start_matches('/'))
            }
        } else {
            let dir = doc.url.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let dir = dir.trim_start_matches('/');
            format!("/{}", normalise_rel(dir, path).unwrap_or_default())
        }
    }

    /// Whether a link's path, resolved against the page's URL, climbs above the host's root, or
    /// (when relative) above base_url: `../../x` from a page one folder deep.
    fn leaves_site(&self, doc: &Doc, path: &str) -> bool {
        match path.strip_prefix('/') {
            Some(abs) => normalise_rel("", abs).is_none(),
            None => {
                let dir = doc.url.rsplit_once('/').map(|(d, _)| d).unwrap_or("").trim_start_matches('/');
                let base = self.site.config.base_url.trim_matches('/');
                match normalise_rel(dir, path) {
                    None => true,
                    Some(url) => !base.is_empty() && url != base && !url.starts_with(&format!("{base}/")),
                }
            }
        }
    }

    /// A page whose id or file name matches the link's last part, else the closest URL.
    fn suggest_url(&self, path: &str) -> Option<String> {
        let base = &self.site.config.base_url;
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
        let docs = &self.site.content.docs;
        let by_id: Vec<&Doc> = docs.iter().filter(|d| d.base_id == last || d.id == path.trim_matches('/')).collect();
        if let [d] = by_id.as_slice() {
            return Some(format!("did you mean '{}'? (the page with id '{}')", strip_base(base, &d.url), d.base_id));
        }
        let by_file: Vec<&Doc> =
            docs.iter().filter(|d| crate::content::route::strip_number_prefix(&d.stem).1 == last).collect();
        if let [d] = by_file.as_slice() {
            return Some(format!("did you mean '{}'? (the page from '{}')", strip_base(base, &d.url), d.source));
        }
        let ids: Vec<&str> = docs.iter().map(|d| d.base_id.as_str()).collect();
        if let Some(id) = closest(last, ids.iter().copied())
            && let [d] = docs.iter().filter(|d| d.base_id == id).collect::<Vec<_>>().as_slice()
        {
            return Some(format!("did you mean '{}'? (the page with id '{}')", strip_base(base, &d.url), d.base_id));
        }
        let wanted = path.trim_start_matches(base.as_str()).trim_start_matches('/');
        let urls: Vec<String> = docs.iter().map(|d| strip_base(base, &d.url)).collect();
        closest(&format!("/{wanted}"), urls.iter().map(String::as_str)).map(|u| format!("did you mean '{u}'?"))
    }

    /// A page whose file is named `name` (written relative to this page), or a close file name.
    fn suggest_source(&self, doc: &Doc, name: &str) -> Option<String> {
        let docs = &self.site.content.docs;
        let exact: Vec<&Doc> = docs.iter().filter(|d| d.source.rsplit('/').next() == Some(name)).collect();
        let pick = match exact.as_slice() {
            [d] => Some(*d),
            _ => {
                let names: Vec<&str> = docs.iter().filter_map(|d| d.source.rsplit('/').next()).collect();
                closest(name, names.iter().copied())
                    .and_then(|n| docs.iter().find(|d| d.source.rsplit('/').next() == Some(n)))
            }
        }?;
        Some(format!("did you mean '{}'? (the file {})", relative_source(&doc.dir_path(), &pick.source), pick.source))
    }

    fn problem(
        &self,
        doc: &Doc,
        link: &LinkRef,
        policy: Policy,
        message: String,
        help: Option<String>,
    ) -> Option<Diagnostic> {
        let severity = match policy {
            Policy::Ignore => return None,
            Policy::Warn => Severity::Warning,
            Policy::Error => Severity::Error,
        };
        let mut d = Diagnostic::error(doc.display_path.clone(), link.line, link.column, message);
        d.severity = severity;
        if let Some(h) = help {
            d = d.with_help(h);
        }
        Some(d)
    }
}

/// The links of hand-written sidebars to paths of the site, checked against its pages like a
/// page's links (`on_broken_links`), at the place the link was written: Docusaurus's checker
/// finds them on every page that shows the sidebar. Paths outside `base_url` (written with
/// `autoAddBaseUrl: false`) belong to other sites on the host and are not checked.
fn check_sidebar_links(site: &Site, targets: &Targets) -> Vec<Diagnostic> {
    let severity = match site.config.on_broken_links {
        Policy::Ignore => return Vec::new(),
        Policy::Warn => Severity::Warning,
        Policy::Error => Severity::Error,
    };
    let mut links = Vec::new();
    fn collect<'i>(items: &'i [Item], out: &mut Vec<(&'i str, &'i crate::located::Place, &'static str)>) {
        for it in items {
            match it {
                Item::Link { href, at, .. } => out.push((href, at, "sidebar")),
                Item::Category(c) => collect(&c.items, out),
                _ => {}
            }
        }
    }
    for sb in &site.sidebars.sidebars {
        collect(&sb.items, &mut links);
    }
    // The navbar's and footer's links, checked the same way.
    let navbar = site.sidebars.links.navbar.iter().map(|l| (l, "navbar"));
    let footer = site.sidebars.links.footer.iter().flat_map(|c| &c.links).map(|l| (l, "footer"));
    links.extend(navbar.chain(footer).filter_map(|(l, kind)| Some((l.url.as_str(), l.at.as_ref()?, kind))));
    let base = &site.config.base_url;
    links.retain(|(href, _, _)| !is_external(href) && href.starts_with(base.as_str()));
    if links.is_empty() {
        return Vec::new();
    }
    let lookup = Lookup::new(site, targets, &|_| true);
    let mut out = Vec::new();
    for (href, at, kind) in links {
        let key = url_key(split_link(href).0);
        if targets.pages.contains_key(&key) || targets.generated.contains(&key) || targets.statics.contains(&key) {
            continue;
        }
        let mut d = at.error(format!("{kind} link '{href}' matches no page"));
        d.severity = severity;
        if let Some(help) = lookup.suggest_url(&percent_decode(split_link(href).0)) {
            d = d.with_help(help);
        }
        out.push(d);
    }
    out
}

pub(crate) fn collect_generated(items: &[Item], out: &mut HashSet<String>) {
    for it in items {
        if let Item::Category(c) = it {
            if let Some(CategoryLink::Generated { url, .. }) = &c.link {
                out.insert(url_key(url));
            }
            collect_generated(&c.items, out);
        }
    }
}

/// `path?query#anchor` → (`path`, `anchor`).
fn split_link(dest: &str) -> (&str, Option<&str>) {
    let (before_hash, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let path = before_hash.split('?').next().unwrap_or(before_hash);
    (path, anchor)
}

/// A URL as a lookup key: decoded, without a trailing slash (except the root), without
/// `index.html`.
pub(crate) fn url_key(url: &str) -> String {
    let u = percent_decode(url);
    let u = u.strip_suffix("index.html").unwrap_or(&u);
    let u = u.strip_suffix(".html").unwrap_or(u);
    let t = u.trim_end_matches('/');
    if t.is_empty() { "/".into() } else { t.to_string() }
}

/// The URL as an author writes it in a page: without base_url.
fn strip_base(base: &str, url: &str) -> String {
    let rest = url.strip_prefix(base.trim_end_matches('/')).unwrap_or(url);
    let rest = if rest.is_empty() { "/" } else { rest };
    encode_path(rest)
}

/// The path from folder `from` to the source `to`, both relative to docs_dir: `../b/x.md`.
fn relative_source(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    let joined = out.join("/");
    if joined.starts_with("..") { joined } else { format!("./{joined}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keys() {
        assert_eq!(split_link("a/b?x=1#h"), ("a/b", Some("h")));
        assert_eq!(split_link("#h"), ("", Some("h")));
        assert_eq!(url_key("/a%20b/"), "/a b");
        assert_eq!(url_key("/x/index.html"), "/x");
        assert_eq!(url_key("/"), "/");
    }

    #[test]
    fn relative_sources() {
        assert_eq!(relative_source("06-Testing", "06-Testing/unit.md"), "./unit.md");
        assert_eq!(relative_source("a/b", "a/c/x.md"), "../c/x.md");
        assert_eq!(relative_source("", "a/x.md"), "./a/x.md");
    }
}
