//! The navbar's and the footer's links (`navbar:` and `footer_links:` in `lectern.yml`, or
//! Docusaurus's `themeConfig.navbar.items` and `themeConfig.footer.links`), resolved against the
//! docs and the sidebars once both exist.
//!
//! In: the links as written, the docs and the built sidebars. Out: each link's label and final
//! URL, and a diagnostic at the link's line for a sidebar or doc id that names nothing. Paths
//! of the site are checked against its pages by `lectern check` like sidebar links.
//!
//! Docusaurus's rules (theme-classic `NavbarItem` types): a `docSidebar` item links to the
//! sidebar's first page and is labelled as written; a `doc` item links to the doc and is
//! labelled with the doc's sidebar label, else its title, unless a label is written; `to` and
//! `href` are paths (with the base URL added) or full URLs.

use std::collections::HashMap;

use serde::Serialize;

use crate::config::{Config, SiteLinkSpec};
use crate::content::Content;
use crate::diagnostic::{Diagnostic, closest};
use crate::located::Place;

use super::{Sidebar, Stop};

/// One link, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteLink {
    pub label: String,
    pub url: String,
    /// Leaves the site (opens in a new tab, as Docusaurus's navbar and footer do).
    pub external: bool,
    /// The sidebar it opens, if it is a sidebar's link (the navbar marks the current one).
    pub sidebar: Option<usize>,
    /// Where it was written; `None` for the navbar lectern makes from the sidebars.
    #[serde(skip)]
    pub at: Option<Place>,
}

/// A column of footer links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FooterColumn {
    pub title: Option<String>,
    pub links: Vec<SiteLink>,
}

/// The navbar and the footer's links.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteLinks {
    /// The navbar's links: as written, else one per sidebar when there are several.
    pub navbar: Vec<SiteLink>,
    pub footer: Vec<FooterColumn>,
}

/// Resolves the config's links; `order` is each sidebar's previous/next order.
pub fn resolve(
    config: &Config,
    content: &Content,
    sidebars: &[Sidebar],
    order: &[Vec<Stop>],
    problems: &mut Vec<Diagnostic>,
) -> SiteLinks {
    let first_url = |i: usize| {
        order.get(i).and_then(|o| o.first()).map(|stop| match stop {
            Stop::Doc(d) => content.docs[*d].url.clone(),
            Stop::Generated(url) => url.clone(),
        })
    };
    let resolver = Resolver {
        config,
        content,
        sidebars,
        by_id: content.docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect(),
        first_url: &first_url,
    };
    let navbar = match &config.navbar {
        Some(written) => written.iter().filter_map(|l| resolver.link(l, problems)).collect(),
        None if sidebars.len() > 1 => (0..sidebars.len())
            .filter_map(|i| {
                Some(SiteLink {
                    label: sidebars[i].label.clone(),
                    url: first_url(i)?,
                    external: false,
                    sidebar: Some(i),
                    at: None,
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let footer = config
        .footer_links
        .iter()
        .map(|c| FooterColumn {
            title: c.title.clone(),
            links: c.items.iter().filter_map(|l| resolver.link(l, problems)).collect(),
        })
        .filter(|c| !c.links.is_empty())
        .collect();
    SiteLinks { navbar, footer }
}

struct Resolver<'a> {
    config: &'a Config,
    content: &'a Content,
    sidebars: &'a [Sidebar],
    by_id: HashMap<&'a str, usize>,
    first_url: &'a dyn Fn(usize) -> Option<String>,
}

impl Resolver<'_> {
    fn link(&self, spec: &SiteLinkSpec, problems: &mut Vec<Diagnostic>) -> Option<SiteLink> {
        let error = |message: String, help: String| {
            let d = match &spec.at {
                Some(at) => at.error(message),
                None => Diagnostic::error(crate::config::CONFIG_FILE, 0, 0, message),
            };
            d.with_help(help)
        };
        let targets = [&spec.sidebar, &spec.doc, &spec.href].iter().filter(|t| t.is_some()).count();
        if targets != 1 {
            let label = spec.label.as_deref().unwrap_or("(no label)");
            problems.push(error(
                format!("link `{label}` needs exactly one of `sidebar`, `doc` and `href`"),
                "e.g. `{label: Guides, sidebar: guides}`, `{label: Start, doc: intro}` or `{label: GitHub, href: https://github.com/org/repo}`".into(),
            ));
            return None;
        }
        if let Some(id) = &spec.sidebar {
            let Some(i) = self.sidebars.iter().position(|s| &s.id == id) else {
                let ids = self.sidebars.iter().map(|s| s.id.as_str());
                let help = match closest(id, ids.clone()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the sidebars are: {}", ids.collect::<Vec<_>>().join(", ")),
                };
                problems.push(error(format!("there is no sidebar `{id}`"), help));
                return None;
            };
            // A sidebar with no page has nowhere to go: left out, as Docusaurus leaves it.
            let url = (self.first_url)(i)?;
            let label = spec.label.clone().unwrap_or_else(|| self.sidebars[i].label.clone());
            return Some(SiteLink { label, url, external: false, sidebar: Some(i), at: spec.at.clone() });
        }
        if let Some(id) = &spec.doc {
            let Some(&d) = self.by_id.get(id.as_str()) else {
                let help = match closest(id, self.by_id.keys().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "a doc's id is its path below the docs folder without the extension and number prefixes, or its front matter `id`".into(),
                };
                problems.push(error(format!("there is no doc with id `{id}`"), help));
                return None;
            };
            let doc = &self.content.docs[d];
            let label =
                spec.label.clone().or_else(|| doc.front.sidebar_label.clone()).unwrap_or_else(|| doc.title.clone());
            return Some(SiteLink { label, url: doc.url.clone(), external: false, sidebar: None, at: spec.at.clone() });
        }
        let href = spec.href.as_deref().unwrap_or_default();
        let url = super::written::link_href(href, &self.config.base_url, true);
        let external = crate::links::is_external(&url);
        let label = spec.label.clone().unwrap_or_else(|| href.to_string());
        Some(SiteLink { label, url, external, sidebar: None, at: spec.at.clone() })
    }
}
