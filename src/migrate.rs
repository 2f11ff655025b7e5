//! `lectern migrate`: writes the `lectern.yml` equivalent to a Docusaurus site's own files, for
//! teams leaving Node behind.
//!
//! In: the site's root, holding `docusaurus.config.*` and the sidebars file it names (read as
//! [`crate::config::read_docusaurus`] reads them for a build). Out: the text of `lectern.yml`
//! (the same settings, sidebars written out item by item) and what could not be carried over,
//! each at its line; [`write`] puts it beside them. Building with the written file gives the
//! same URLs and sidebars as building from the Docusaurus files.

use std::path::{Path, PathBuf};

use yaml_serde::{Mapping, Value};

use crate::config::{CONFIG_FILE, ItemKind, ItemSpec, LinkSpec, Policy, RawConfig, SidebarSpec, SiteLinkSpec};
use crate::diagnostic::Diagnostic;

/// A migration worked out, not yet written.
#[derive(Debug)]
pub struct Migration {
    /// The text of `lectern.yml`.
    pub text: String,
    /// The files it was made from: the Docusaurus config, then the sidebars file if any.
    pub sources: Vec<PathBuf>,
    /// What the Docusaurus files say that lectern.yml cannot (values only running JavaScript
    /// would give), each at its line.
    pub not_carried: Vec<Diagnostic>,
}

/// Why a migration could not be made or written.
#[derive(Debug)]
pub enum MigrateError {
    /// A mistake in the Docusaurus files, with its position.
    Invalid(Diagnostic),
    /// Anything else: no Docusaurus config, a lectern.yml in the way, an unwritable file.
    Other(anyhow::Error),
}

impl From<crate::config::ConfigError> for MigrateError {
    fn from(e: crate::config::ConfigError) -> Self {
        match e {
            crate::config::ConfigError::Invalid(d) => MigrateError::Invalid(d),
            crate::config::ConfigError::Io(e) => MigrateError::Other(e),
        }
    }
}

/// Works out the `lectern.yml` of the Docusaurus site at `root`.
pub fn migrate(root: &Path) -> Result<Migration, MigrateError> {
    let Some(read) = crate::config::read_docusaurus(root)? else {
        return Err(MigrateError::Other(anyhow::anyhow!(
            "{} has no {}: nothing to migrate",
            root.display(),
            crate::docusaurus::CONFIG_FILES.join(", ")
        )));
    };
    let mut sources = vec![PathBuf::from(read.config_file)];
    sources.extend(read.sidebars_file.clone());
    let names: Vec<String> = sources.iter().map(|p| crate::diagnostic::display_path(p)).collect();
    let mut text = format!(
        "# Written by `lectern migrate` from {}.\n# lectern reads this file, and no longer those, from now on.\n",
        names.join(" and ")
    );
    text.push_str(&to_yaml(&read.raw));
    Ok(Migration { text, sources, not_carried: read.warnings })
}

/// Writes `migration` as `ROOT/lectern.yml`; an existing one is replaced only with `force`.
pub fn write(root: &Path, migration: &Migration, force: bool) -> Result<PathBuf, MigrateError> {
    let path = root.join(CONFIG_FILE);
    if path.exists() && !force {
        return Err(MigrateError::Other(anyhow::anyhow!(
            "{} exists already; lectern reads it instead of the Docusaurus files. Run with --force to replace it",
            path.display()
        )));
    }
    std::fs::write(&path, &migration.text)
        .map_err(|e| MigrateError::Other(anyhow::anyhow!("writing {}: {e}", path.display())))?;
    Ok(path)
}

/// The settings as `lectern.yml` text, keys in the configuration reference's order.
fn to_yaml(raw: &RawConfig) -> String {
    let mut map = Mapping::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            map.insert(Value::String(key.into()), v);
        }
    };
    let string = |s: &Option<String>| s.clone().map(Value::String);
    let policy = |p: &Option<Policy>| {
        p.map(|p| {
            Value::String(
                match p {
                    Policy::Error => "error",
                    Policy::Warn => "warn",
                    Policy::Ignore => "ignore",
                }
                .into(),
            )
        })
    };
    put("title", string(&raw.title));
    put("tagline", string(&raw.tagline));
    put("url", string(&raw.url));
    put("base_url", string(&raw.base_url));
    put("docs_dir", string(&raw.docs_dir));
    put("route_base_path", string(&raw.route_base_path));
    put("trailing_slash", raw.trailing_slash.map(Value::Bool));
    put(
        "static_dirs",
        raw.static_dirs.as_ref().map(|d| Value::Sequence(d.iter().cloned().map(Value::String).collect())),
    );
    put("repository", string(&raw.repository));
    put("edit_url", string(&raw.edit_url));
    put("on_broken_links", policy(&raw.on_broken_links));
    put("on_broken_anchors", policy(&raw.on_broken_anchors));
    put("on_broken_images", policy(&raw.on_broken_images));
    put("sidebars", raw.sidebars.as_ref().map(|s| Value::Sequence(s.iter().map(sidebar).collect())));
    put("logo", string(&raw.logo));
    put("favicon", string(&raw.favicon));
    put("footer", string(&raw.footer));
    put("sidebar_collapsible", raw.sidebar_collapsible.map(Value::Bool));
    put("sidebar_collapsed", raw.sidebar_collapsed.map(Value::Bool));
    put("navbar", raw.navbar.as_ref().map(|links| Value::Sequence(links.iter().map(site_link).collect())));
    put(
        "footer_links",
        raw.footer_links.as_ref().map(|columns| {
            Value::Sequence(
                columns
                    .iter()
                    .map(|c| {
                        let mut m = Mapping::new();
                        if let Some(t) = &c.title {
                            m.insert(Value::String("title".into()), Value::String(t.clone()));
                        }
                        m.insert(
                            Value::String("items".into()),
                            Value::Sequence(c.items.iter().map(site_link).collect()),
                        );
                        Value::Mapping(m)
                    })
                    .collect(),
            )
        }),
    );
    put(
        "redirects",
        raw.redirects.as_ref().map(|r| {
            Value::Mapping(
                r.iter().map(|(from, to)| (Value::String(from.clone()), Value::String(to.clone()))).collect(),
            )
        }),
    );
    if map.is_empty() {
        return String::new();
    }
    // One key at a time, with a blank line before the long ones, for a file people edit.
    let mut out = String::new();
    for (key, value) in map {
        let mut one = Mapping::new();
        one.insert(key, value);
        let block = yaml_serde::to_string(&Value::Mapping(one)).unwrap_or_default();
        if block.lines().count() > 1 {
            out.push('\n');
        }
        out.push_str(&block);
    }
    out
}

/// A navbar or footer link as `lectern.yml` writes it.
fn site_link(link: &SiteLinkSpec) -> Value {
    let mut m = Mapping::new();
    for (key, value) in [("label", &link.label), ("sidebar", &link.sidebar), ("doc", &link.doc), ("href", &link.href)] {
        if let Some(v) = value {
            m.insert(Value::String(key.into()), Value::String(v.clone()));
        }
    }
    Value::Mapping(m)
}

fn sidebar(spec: &SidebarSpec) -> Value {
    let mut m = Mapping::new();
    m.insert("id".into(), Value::String(spec.id.clone()));
    if let Some(label) = &spec.label {
        m.insert("label".into(), Value::String(label.clone()));
    }
    match &spec.items {
        Some(items) => {
            m.insert("items".into(), Value::Sequence(items.iter().map(item).collect()));
        }
        None if !spec.dir.is_empty() => {
            m.insert("dir".into(), Value::String(spec.dir.clone()));
        }
        None => {}
    }
    Value::Mapping(m)
}

/// One item in the form the configuration reference documents: a doc without options as its
/// id alone, everything else as an object with `type`.
fn item(spec: &ItemSpec) -> Value {
    let mut m = Mapping::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            m.insert(Value::String(key.into()), v);
        }
    };
    let s = |v: &str| Some(Value::String(v.to_string()));
    let opt = |v: &Option<String>| v.clone().map(Value::String);
    let flag = |v: &Option<bool>| v.map(Value::Bool);
    match &spec.kind {
        ItemKind::Doc { id, label: None, class_name: None, reference: false } => return Value::String(id.clone()),
        ItemKind::Doc { id, label, class_name, reference } => {
            put("type", s(if *reference { "ref" } else { "doc" }));
            put("id", s(id));
            put("label", opt(label));
            put("className", opt(class_name));
        }
        ItemKind::Category { label, items, link, collapsed, collapsible, class_name, description } => {
            put("type", s("category"));
            put("label", s(label));
            put("link", link.as_ref().map(category_link));
            put("collapsed", flag(collapsed));
            put("collapsible", flag(collapsible));
            put("className", opt(class_name));
            put("description", opt(description));
            put("items", Some(Value::Sequence(items.iter().map(item).collect())));
        }
        ItemKind::Link { label, href, class_name, auto_add_base_url } => {
            put("type", s("link"));
            put("label", s(label));
            put("href", s(href));
            put("className", opt(class_name));
            put("autoAddBaseUrl", flag(auto_add_base_url));
        }
        ItemKind::Html { value, class_name, default_style } => {
            put("type", s("html"));
            put("value", s(value));
            put("className", opt(class_name));
            put("defaultStyle", flag(default_style));
        }
        ItemKind::Autogenerated { dir_name } => {
            put("type", s("autogenerated"));
            put("dirName", s(dir_name));
        }
    }
    Value::Mapping(m)
}

fn category_link(link: &LinkSpec) -> Value {
    let mut m = Mapping::new();
    match link {
        LinkSpec::Doc { id, .. } => {
            m.insert("type".into(), "doc".into());
            m.insert("id".into(), Value::String(id.clone()));
        }
        LinkSpec::GeneratedIndex { slug, title, description } => {
            m.insert("type".into(), "generated-index".into());
            for (key, value) in [("slug", slug), ("title", title), ("description", description)] {
                if let Some(v) = value {
                    m.insert(key.into(), Value::String(v.clone()));
                }
            }
        }
    }
    Value::Mapping(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_sidebars_become_yaml_that_reads_back_the_same() {
        let js = "module.exports = {\n  s: ['intro', {type: 'doc', id: '2021', label: 'Year'},\n    {type: 'category', label: 'G', link: {type: 'generated-index', slug: '/g'}, collapsed: false, items: [{type: 'ref', id: 'a'}, {X: ['b']}]},\n    {type: 'link', label: 'L', href: 'https://x.test', autoAddBaseUrl: false},\n    {type: 'html', value: '<b>yes: no</b>', defaultStyle: true},\n    {type: 'autogenerated', dirName: '.'}],\n};\n";
        let read = crate::docusaurus::sidebars(js, Path::new("sidebars.js"), &[("s".into(), "Guides".into())]).unwrap();
        let raw = RawConfig {
            title: Some("T: a title".into()),
            base_url: Some("/hb/".into()),
            route_base_path: Some("/docs".into()),
            trailing_slash: Some(false),
            on_broken_links: Some(Policy::Warn),
            sidebars: Some(read.sidebars.clone()),
            redirects: Some([("/old".to_string(), "/new".to_string())].into_iter().collect()),
            ..RawConfig::default()
        };
        let yaml = to_yaml(&raw);
        let back = crate::config::parse(&yaml, Path::new("lectern.yml")).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(back.title.as_deref(), Some("T: a title"));
        assert_eq!((back.base_url.as_deref(), back.route_base_path.as_deref()), (Some("/hb/"), Some("/docs")));
        assert_eq!((back.trailing_slash, back.on_broken_links), (Some(false), Some(Policy::Warn)));
        assert_eq!(back.redirects, raw.redirects);
        // The same items, only their places differ (lectern.yml's lines, not sidebars.js's).
        fn strip(items: &mut [ItemSpec]) {
            for i in items {
                i.at = Default::default();
                if let ItemKind::Category { items, link, .. } = &mut i.kind {
                    strip(items);
                    if let Some(LinkSpec::Doc { at, .. }) = link {
                        *at = Default::default();
                    }
                }
            }
        }
        let mut want = read.sidebars;
        let mut got = back.sidebars.unwrap();
        for s in want.iter_mut().chain(got.iter_mut()) {
            strip(s.items.as_mut().unwrap());
        }
        assert_eq!(got, want, "{yaml}");
        assert!(yaml.contains("\n  - intro\n"), "a plain doc is its id alone:\n{yaml}");
    }
}
