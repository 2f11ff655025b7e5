//! Redirects: old URLs that keep working after pages move.
//!
//! In: `redirects:` in `lectern.yml` (old path → new path) and each page's front matter
//! `old_paths:` (old paths of that page), all below `base_url` as links in pages are written.
//! Out: one small HTML page per old path (a `refresh` to the new URL, a canonical link, a visible
//! link, `noindex`), and diagnostics for redirects that cannot work: to a missing page, over an
//! existing page, through another redirect (a chain) or round in a loop.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::check::{collect_generated, url_key};
use crate::config::Config;
use crate::content::route;
use crate::diagnostic::{Diagnostic, closest};
use crate::links::{encode_path, is_external};
use crate::render::escape_html;
use crate::site::Site;

/// Where a redirect was written, for diagnostics.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Origin {
    /// `lectern.yml` or the page's display path.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of that line.
    pub source_line: Option<String>,
}

impl Origin {
    /// The first place `needle` is written quoted in `text` (a JavaScript file), in `file`.
    pub fn found_in(file: &str, text: &str, needle: &str) -> Origin {
        let mut origin = Origin { path: PathBuf::from(file), ..Origin::default() };
        let at = ['\'', '"', '`'].iter().find_map(|q| text.find(&format!("{q}{needle}{q}")).map(|i| i + 1));
        if let Some(at) = at {
            let index = crate::diagnostic::LineIndex::new(text);
            let (line, column) = index.line_col(at);
            origin.line = line;
            origin.column = column;
            origin.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
        }
        origin
    }

    fn error(&self, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(&self.path, self.line, self.column, message);
        match &self.source_line {
            Some(src) => d.with_source_line(src),
            None => d,
        }
    }
}

/// One `from: to` of `lectern.yml`'s `redirects:`, as written (both below base_url).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConfigRedirect {
    pub from: String,
    pub to: String,
    pub origin: Origin,
}

/// Turns `redirects:` into rules in file order, each with its position in `text` (the file's
/// text, when there is one). Pure.
pub fn from_config(map: &[(String, String)], text: Option<&str>) -> Vec<ConfigRedirect> {
    let lines: Vec<&str> = text.map(|t| t.lines().collect()).unwrap_or_default();
    let block = lines.iter().position(|l| l.starts_with("redirects:")).unwrap_or(0);
    let mut rules: Vec<ConfigRedirect> = map
        .iter()
        .map(|(from, to)| {
            let mut origin = Origin { path: PathBuf::from(crate::config::CONFIG_FILE), ..Origin::default() };
            if let Some((n, col)) = find_after(&lines, block, from) {
                origin.line = n + 1;
                origin.column = col + 1;
                origin.source_line = Some(lines[n].trim_end_matches('\r').to_string());
            }
            ConfigRedirect { from: from.clone(), to: to.clone(), origin }
        })
        .collect();
    rules.sort_by_key(|r| (r.origin.line == 0, r.origin.line));
    rules
}

/// The first line at or after `start` holding `needle` as a YAML key or list item: (line, byte
/// column of the needle).
fn find_after(lines: &[&str], start: usize, needle: &str) -> Option<(usize, usize)> {
    lines.iter().enumerate().skip(start).find_map(|(n, line)| {
        let trimmed = line.trim_start();
        let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let body = body.trim_start_matches(['"', '\'']);
        if body.starts_with(needle) {
            let col = line.len() - body.len();
            return Some((n, line[..col].chars().count()));
        }
        let at = line.find(needle)?;
        // Inline lists: `old_paths: [/a, /b]`.
        line.contains('[').then(|| (n, line[..at].chars().count()))
    })
}

/// A redirect of the site: full URL paths, base_url included (or an external URL as `to`).
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
    /// Doc index of the target, when it is a page.
    pub target_doc: Option<usize>,
    pub origin: Origin,
}

/// `/a/b` below base_url → `/base/a/b`.
fn full(config: &Config, path: &str) -> String {
    route::normalise(&format!("{}/{}", config.base_url, path.trim()))
}

/// Every redirect of the site: `lectern.yml`'s first, then each page's `old_paths`.
pub fn collect(site: &Site) -> Vec<Redirect> {
    let c = &site.config;
    let by_url: HashMap<String, usize> =
        site.content.docs.iter().enumerate().map(|(i, d)| (url_key(&d.url), i)).collect();
    let mut out: Vec<Redirect> = c
        .redirects
        .iter()
        .map(|r| {
            if is_external(&r.to) {
                return Redirect {
                    from: full(c, &r.from),
                    to: r.to.clone(),
                    target_doc: None,
                    origin: r.origin.clone(),
                };
            }
            // A page's own URL, whatever its trailing slash, so the redirect needs no second hop.
            let (path, anchor) = r.to.split_once('#').map_or((r.to.as_str(), None), |(p, a)| (p, Some(a)));
            let target_doc = by_url.get(&url_key(&full(c, path))).copied();
            let to = match target_doc {
                Some(i) => site.content.docs[i].url.clone() + &anchor.map(|a| format!("#{a}")).unwrap_or_default(),
                None => full(c, &r.to),
            };
            Redirect { from: full(c, &r.from), to, target_doc, origin: r.origin.clone() }
        })
        .collect();
    for (i, doc) in site.content.docs.iter().enumerate() {
        let Some(old) = &doc.front.old_paths else { continue };
        let fm_lines: Vec<&str> = doc.text.lines().take(doc.body_line_offset).collect();
        let block = fm_lines.iter().position(|l| l.starts_with("old_paths:")).unwrap_or(0);
        for p in old {
            let mut origin = Origin { path: doc.display_path.clone(), ..Origin::default() };
            if let Some((n, col)) = find_after(&fm_lines, block, p) {
                origin = Origin {
                    line: n + 1,
                    column: col + 1,
                    source_line: Some(fm_lines[n].trim_end_matches('\r').to_string()),
                    ..origin
                };
            }
            out.push(Redirect { from: full(c, p), to: doc.url.clone(), target_doc: Some(i), origin });
        }
    }
    out
}

/// The output file a redirect from `from` is written to, or `None` when it would land outside
/// the output folder.
pub fn output_file(config: &Config, from: &str) -> Option<String> {
    let rel = if from.ends_with(".html") {
        from.strip_prefix(&config.base_url).unwrap_or(from.trim_start_matches('/')).to_string()
    } else {
        route::output_file(from, &config.base_url, config.trailing_slash)
    };
    crate::output::is_safe_relative(&rel).then_some(rel)
}

/// Every problem with the site's redirects.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let redirects = collect(site);
    if redirects.is_empty() {
        return Vec::new();
    }
    let c = &site.config;
    let mut pages: HashMap<String, String> =
        site.content.docs.iter().map(|d| (url_key(&d.url), crate::diagnostic::display_path(&d.display_path))).collect();
    let mut generated = HashSet::new();
    for sb in &site.sidebars.sidebars {
        collect_generated(&sb.items, &mut generated);
    }
    for g in generated {
        pages.entry(g).or_insert_with(|| "a generated category page".into());
    }
    let statics: HashSet<String> = crate::content::walk_static(c)
        .iter()
        .chain(site.copies.keys())
        .map(|s| url_key(&format!("{}{s}", c.base_url)))
        .collect();
    let mut sources: HashMap<String, &Redirect> = HashMap::new();
    let mut out = Vec::new();
    for r in &redirects {
        let key = url_key(&r.from);
        if is_external(&r.from) || output_file(c, &r.from).is_none() || key == url_key(&c.base_url) {
            out.push(
                r.origin
                    .error(format!("cannot redirect from `{}`", strip_base(c, &r.from)))
                    .with_help("write the old path below base_url, such as `/guides/old-name`"),
            );
            continue;
        }
        if let Some(page) = pages.get(&key) {
            out.push(
                r.origin
                    .error(format!(
                        "redirect from `{}` would replace the page at that URL ({page})",
                        strip_base(c, &r.from)
                    ))
                    .with_help("remove the redirect, or move that page first"),
            );
            continue;
        }
        if let Some(first) = sources.get(&key) {
            out.push(r.origin.error(format!("`{}` is redirected twice", strip_base(c, &r.from))).with_help(format!(
                "it already redirects to `{}` ({})",
                strip_base(c, &first.to),
                first.origin_location()
            )));
            continue;
        }
        sources.insert(key, r);
    }
    for r in &redirects {
        if sources.get(&url_key(&r.from)).is_none_or(|s| !std::ptr::eq(*s, r)) || is_external(&r.to) {
            continue;
        }
        let (target, _) = r.to.split_once('#').unwrap_or((&r.to, ""));
        let target_key = url_key(target);
        if sources.contains_key(&target_key) {
            // Follow the chain to its end, or until it comes back round.
            let mut seen = vec![url_key(&r.from)];
            let mut at = target_key;
            let looped = loop {
                if seen.contains(&at) {
                    break true;
                }
                seen.push(at.clone());
                match sources.get(&at) {
                    Some(next) if !is_external(&next.to) => at = url_key(next.to.split('#').next().unwrap_or("")),
                    _ => break false,
                }
            };
            let from = strip_base(c, &r.from);
            out.push(if looped {
                r.origin
                    .error(format!("redirect from `{from}` loops: {}", path_list(c, &seen)))
                    .with_help("point one of them at a page")
            } else {
                let end = sources
                    .get(seen.last().map_or("", String::as_str))
                    .map_or_else(|| seen.last().cloned().unwrap_or_default(), |s| s.to.clone());
                r.origin
                    .error(format!(
                        "redirect from `{from}` goes to `{}`, which is itself redirected",
                        strip_base(c, &r.to)
                    ))
                    .with_help(format!("point it straight at `{}`", strip_base(c, &end)))
            });
            continue;
        }
        if !pages.contains_key(&target_key) && !statics.contains(&target_key) {
            let wanted = strip_base(c, &r.to);
            let urls: Vec<String> = site.content.docs.iter().map(|d| strip_base(c, &d.url)).collect();
            let mut d = r.origin.error(format!("redirect to `{wanted}`, which matches no page"));
            d = match closest(&wanted, urls.iter().map(String::as_str)) {
                Some(u) => d.with_help(format!("did you mean `{u}`?")),
                None => d.with_help("write the new path of a page below base_url, as links in pages are written"),
            };
            out.push(d);
        }
    }
    out
}

impl Redirect {
    fn origin_location(&self) -> String {
        Diagnostic::error(&self.origin.path, self.origin.line, self.origin.column, "").location()
    }
}

fn path_list(c: &Config, keys: &[String]) -> String {
    let mut shown: Vec<String> = keys.iter().map(|k| format!("`{}`", strip_base(c, k))).collect();
    if let Some(first) = shown.first().cloned() {
        shown.push(first);
    }
    shown.join(" → ")
}

/// A full URL path as an author writes it: without base_url.
fn strip_base(c: &Config, url: &str) -> String {
    if is_external(url) {
        return url.to_string();
    }
    let rest = url.strip_prefix(c.base_url.trim_end_matches('/')).unwrap_or(url);
    if rest.is_empty() { "/".into() } else { rest.to_string() }
}

/// The HTML page written at each old path: (output file, HTML). Redirects that would replace a
/// page or escape the output folder are left out (`check` reports them).
pub fn pages(site: &Site) -> Vec<(String, String)> {
    let c = &site.config;
    let taken: HashSet<&str> = site.content.docs.iter().map(|d| d.output_file.as_str()).collect();
    let mut seen = HashSet::new();
    collect(site)
        .into_iter()
        .filter_map(|r| {
            let file = output_file(c, &r.from)?;
            (!taken.contains(file.as_str()) && seen.insert(file.clone())).then(|| {
                let title = r.target_doc.map(|i| site.content.docs[i].title.as_str());
                (file, page_html(c, &r.to, title))
            })
        })
        .collect()
}

/// The redirect page itself: works without JavaScript, tells search engines where the page is now.
pub fn page_html(c: &Config, to: &str, title: Option<&str>) -> String {
    let href = if is_external(to) { to.to_string() } else { encode_path(to) };
    let canonical = if is_external(to) || c.url.is_empty() { href.clone() } else { format!("{}{href}", c.url) };
    let href = escape_html(&href);
    let label = escape_html(title.unwrap_or(&href));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {label}</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n\
         <body>\n<p>This page has moved to <a href=\"{href}\">{label}</a>.</p>\n</body>\n</html>\n",
        escape_html(&canonical)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_positions() {
        let text = "title: T\nredirects:\n  /old: /new\n  \"/a b\": /c\nfooter: x\n";
        let map = vec![("/a b".to_string(), "/c".to_string()), ("/old".to_string(), "/new".to_string())];
        let rules = from_config(&map, Some(text));
        let at: Vec<(&str, usize, usize)> =
            rules.iter().map(|r| (r.from.as_str(), r.origin.line, r.origin.column)).collect();
        assert_eq!(at, [("/old", 3, 3), ("/a b", 4, 4)]);
    }

    #[test]
    fn inline_and_block_lists() {
        let lines = ["title: x", "old_paths: [/one, /two]"];
        assert_eq!(find_after(&lines, 0, "/two"), Some((1, 18)));
        let lines = ["old_paths:", "  - /one", "  - '/two'"];
        assert_eq!(find_after(&lines, 0, "/two"), Some((2, 5)));
    }
}
