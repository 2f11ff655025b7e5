//! Reading a Docusaurus site's own `docusaurus.config.{js,mjs,cjs,ts}` when it has no
//! `lectern.yml`, so a playbook builds unchanged with its real title, URLs and edit links.
//!
//! In: the config file's text. Out: the `RawConfig` it describes, and a warning with `file:line`
//! for each value lectern would use but cannot know without running JavaScript (a function, a
//! `require`, `process.env`), which is skipped. Nothing is executed: the file is parsed with oxc
//! and its object literals are evaluated statically, following `const` names declared at the
//! top level (`const config = {…}; module.exports = config;`).

use std::collections::HashMap;
use std::path::Path;

use oxc_allocator::Allocator;
use oxc_ast::ast::{ArrayExpressionElement, ExportDefaultDeclarationKind, Expression, ObjectPropertyKind, Statement};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};

use crate::config::{FooterColumnSpec, Policy, RawConfig, SidebarSpec, SiteLinkSpec};
use crate::diagnostic::Diagnostic;
use crate::located::{Kind, Node, Source};

/// The names Docusaurus looks for, in its order.
pub const CONFIG_FILES: &[&str] =
    &["docusaurus.config.js", "docusaurus.config.mjs", "docusaurus.config.cjs", "docusaurus.config.ts"];

/// A JavaScript value known without running code; `Opaque` is what is not.
#[derive(Debug, Clone, PartialEq)]
pub enum Js {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Js>),
    Obj(Vec<(String, Js)>),
    /// Something only running the file would tell: where it is and what it is, in words, and
    /// the path a `require('…')` or `require.resolve('…')` names.
    Opaque {
        line: usize,
        column: usize,
        what: String,
        module: Option<String>,
    },
}

impl Js {
    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Js> {
        match self {
            Js::Obj(props) => props.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The config file in `root`, if the site has one.
pub fn find_config(root: &Path) -> Option<&'static str> {
    CONFIG_FILES.iter().copied().find(|name| root.join(name).is_file())
}

/// Evaluates the object a config or sidebars file exports (`module.exports = …` or
/// `export default …`). A file that does not parse is an error with its position.
pub fn exported_value(text: &str, path: &Path) -> Result<Js, Diagnostic> {
    exported_node(text, path).map(Js::from)
}

/// [`exported_value`] with the place of every part kept.
pub fn exported_node(text: &str, path: &Path) -> Result<Node, Diagnostic> {
    let allocator = Allocator::default();
    let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::mjs());
    let parsed = Parser::new(&allocator, text, source_type).parse();
    if let Some(err) = parsed.diagnostics.first() {
        let start = err.labels.as_ref().first().map_or(0, |l| l.offset());
        let (line, column) = line_col(text, start);
        return Err(Diagnostic::error(path, line, column, format!("cannot parse this file: {}", err.message))
            .with_source(text)
            .with_help(format!(
                "lectern reads {} without running it; fix the syntax, or write a lectern.yml",
                path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
            )));
    }
    let mut consts: HashMap<&str, &Expression> = HashMap::new();
    let mut exported: Option<&Expression> = None;
    for stmt in &parsed.program.body {
        match stmt {
            Statement::VariableDeclaration(decl) => {
                for d in &decl.declarations {
                    if let (Some(name), Some(init)) = (d.id.get_identifier_name(), &d.init) {
                        consts.insert(name.as_str(), init);
                    }
                }
            }
            Statement::ExpressionStatement(s) => {
                if let Expression::AssignmentExpression(a) = s.expression.get_inner_expression()
                    && &text[a.left.span().start as usize..a.left.span().end as usize] == "module.exports"
                {
                    exported = Some(&a.right);
                }
            }
            Statement::ExportDefaultDeclaration(d) => {
                if let Some(e) = d.declaration.as_expression() {
                    exported = Some(e);
                } else if let ExportDefaultDeclarationKind::FunctionDeclaration(f) = &d.declaration {
                    let (line, column) = line_col(text, f.span.start);
                    return Ok(Node::new(line, column, Kind::Opaque { what: "a function".into(), module: None }));
                }
            }
            _ => {}
        }
    }
    let Some(exported) = exported else {
        return Err(Diagnostic::error(path, 1, 1, "this file exports nothing lectern can read")
            .with_source(text)
            .with_help("lectern reads `module.exports = {…}` or `export default {…}`; write a lectern.yml instead"));
    };
    let eval = Eval { text, consts: &consts };
    Ok(eval.value(exported, 0))
}

impl From<Node> for Js {
    fn from(node: Node) -> Js {
        match node.kind {
            Kind::Null => Js::Null,
            Kind::Bool(b) => Js::Bool(b),
            Kind::Num(n) => Js::Num(n),
            Kind::Str(s) => Js::Str(s),
            Kind::Arr(items) => Js::Arr(items.into_iter().map(Js::from).collect()),
            Kind::Obj(props) => Js::Obj(props.into_iter().map(|(k, v)| (k, Js::from(v))).collect()),
            Kind::Opaque { what, module } => Js::Opaque { line: node.line, column: node.column, what, module },
        }
    }
}

struct Eval<'s, 'a> {
    text: &'s str,
    consts: &'s HashMap<&'a str, &'s Expression<'a>>,
}

impl Eval<'_, '_> {
    fn at(&self, e: &Expression, kind: Kind) -> Node {
        let (line, column) = line_col(self.text, e.span().start);
        Node::new(line, column, kind)
    }

    fn opaque(&self, e: &Expression, what: &str) -> Node {
        self.at(e, Kind::Opaque { what: what.to_string(), module: None })
    }

    fn value(&self, e: &Expression, depth: usize) -> Node {
        if depth > 64 {
            return self.opaque(e, "a value nested too deeply");
        }
        match e.get_inner_expression() {
            Expression::NullLiteral(_) => self.at(e, Kind::Null),
            Expression::BooleanLiteral(b) => self.at(e, Kind::Bool(b.value)),
            Expression::NumericLiteral(n) => self.at(e, Kind::Num(n.value)),
            Expression::StringLiteral(s) => self.at(e, Kind::Str(s.value.as_str().to_string())),
            Expression::TemplateLiteral(t) => {
                let mut out = String::new();
                for (i, q) in t.quasis.iter().enumerate() {
                    out.push_str(q.value.cooked.as_ref().map_or(q.value.raw.as_str(), |c| c.as_str()));
                    match t.expressions.get(i).map(|x| (x, self.value(x, depth + 1).kind)) {
                        None => {}
                        Some((_, Kind::Str(s))) => out.push_str(&s),
                        Some((_, Kind::Num(n))) => out.push_str(&n.to_string()),
                        Some((x, _)) => return self.opaque(x, "a value in a template string not known here"),
                    }
                }
                self.at(e, Kind::Str(out))
            }
            Expression::UnaryExpression(u) if u.operator.as_str() == "-" => {
                match self.value(&u.argument, depth + 1).kind {
                    Kind::Num(n) => self.at(e, Kind::Num(-n)),
                    _ => self.opaque(e, "an expression"),
                }
            }
            Expression::UnaryExpression(u) if u.operator.as_str() == "!" => {
                match self.value(&u.argument, depth + 1).kind {
                    Kind::Num(n) => self.at(e, Kind::Bool(n == 0.0)),
                    Kind::Bool(b) => self.at(e, Kind::Bool(!b)),
                    _ => self.opaque(e, "an expression"),
                }
            }
            Expression::Identifier(id) if id.name.as_str() == "undefined" => self.at(e, Kind::Null),
            Expression::Identifier(id) => match self.consts.get(id.name.as_str()) {
                Some(init) => self.value(init, depth + 1),
                None => self.opaque(e, &format!("`{}`, a name imported or computed elsewhere", id.name.as_str())),
            },
            Expression::ArrayExpression(a) => {
                let items = a
                    .elements
                    .iter()
                    .filter_map(|el| match el {
                        ArrayExpressionElement::SpreadElement(s) => match self.value(&s.argument, depth + 1) {
                            Node { kind: Kind::Arr(items), .. } => Some(items),
                            _ => Some(vec![self.opaque(&s.argument, "a spread of a value not known here")]),
                        },
                        ArrayExpressionElement::Elision(_) => None,
                        other => other.as_expression().map(|x| vec![self.value(x, depth + 1)]),
                    })
                    .flatten()
                    .collect();
                self.at(e, Kind::Arr(items))
            }
            Expression::ObjectExpression(o) => {
                let mut props = Vec::new();
                for p in &o.properties {
                    match p {
                        ObjectPropertyKind::ObjectProperty(p) => {
                            let Some(key) = p.key.static_name() else { continue };
                            props.push((key.to_string(), self.value(&p.value, depth + 1)));
                        }
                        ObjectPropertyKind::SpreadProperty(s) => {
                            if let Kind::Obj(more) = self.value(&s.argument, depth + 1).kind {
                                props.extend(more);
                            }
                        }
                    }
                }
                self.at(e, Kind::Obj(props))
            }
            Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_) => self.opaque(e, "a function"),
            Expression::CallExpression(c) => {
                let callee = &self.text[c.callee.span().start as usize..c.callee.span().end as usize];
                if callee == "require" || callee == "require.resolve" {
                    let module = match c.arguments.first().and_then(|a| a.as_expression()) {
                        Some(Expression::StringLiteral(s)) => Some(s.value.as_str().to_string()),
                        _ => None,
                    };
                    self.at(e, Kind::Opaque { what: "a `require(…)`".into(), module })
                } else {
                    self.opaque(e, &format!("a call of `{callee}`"))
                }
            }
            Expression::StaticMemberExpression(m) => {
                let path = &self.text[m.span.start as usize..m.span.end as usize];
                if path.starts_with("process.env") {
                    self.opaque(e, &format!("`{path}`, an environment variable"))
                } else {
                    let object = self.value(&m.object, depth + 1);
                    match &object.kind {
                        Kind::Obj(_) => {
                            object.get(m.property.name.as_str()).cloned().unwrap_or_else(|| self.at(e, Kind::Null))
                        }
                        _ => self.opaque(e, &format!("`{path}`")),
                    }
                }
            }
            _ => self.opaque(e, "an expression"),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let before = &text[..(offset as usize).min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A config read: what lectern understood and what it had to skip.
#[derive(Debug, Default)]
pub struct Read {
    pub raw: RawConfig,
    pub warnings: Vec<Diagnostic>,
    /// Where the docs plugin's sidebars come from.
    pub sidebar_path: SidebarPath,
    /// Labels the navbar gives sidebars (`{type: 'docSidebar', sidebarId, label}`), by id.
    pub sidebar_labels: Vec<(String, String)>,
}

/// The docs plugin's `sidebarPath` (Docusaurus's `loadSidebarsFile`).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum SidebarPath {
    /// Not set: one sidebar autogenerated from the whole docs folder.
    #[default]
    Autogenerated,
    /// `false`: no sidebars.
    Disabled,
    /// A file, relative to the site's root, as written (`./sidebars.js`).
    File(String),
    /// Set to something only running the file would tell, at this line and column.
    Unknown { line: usize, column: usize, what: String },
}

/// The names a sidebars file usually has, in the order they are looked for when `sidebarPath`
/// cannot be read.
pub const SIDEBAR_FILES: &[&str] = &["sidebars.js", "sidebars.ts", "sidebars.mjs", "sidebars.cjs", "sidebars.json"];

/// Reads `docusaurus.config.*` as lectern settings (the keys in the configuration reference's
/// "From Docusaurus" table). `display` names the file in diagnostics.
pub fn config(text: &str, display: &Path) -> Result<Read, Diagnostic> {
    let node = exported_node(text, display)?;
    let value = Js::from(node.clone());
    let mut read = Read::default();
    if let Js::Opaque { line, column, what, .. } = &value {
        read.warnings.push(opaque_warning(display, text, *line, *column, what, "the whole config"));
        return Ok(read);
    }
    let mut take = |key: &str, v: Option<&Js>| -> Option<Js> {
        match v? {
            Js::Opaque { line, column, what, .. } => {
                read.warnings.push(opaque_warning(display, text, *line, *column, what, key));
                None
            }
            Js::Null => None,
            other => Some(other.clone()),
        }
    };
    let string = |v: Option<Js>| match v {
        Some(Js::Str(s)) => Some(s),
        _ => None,
    };
    let policy = |v: Option<Js>| match v {
        Some(Js::Str(s)) => match s.as_str() {
            "throw" => Some(Policy::Error),
            "warn" | "log" => Some(Policy::Warn),
            "ignore" => Some(Policy::Ignore),
            _ => None,
        },
        _ => None,
    };
    let mut raw = RawConfig {
        title: string(take("title", value.get("title"))),
        tagline: string(take("tagline", value.get("tagline"))),
        url: string(take("url", value.get("url"))),
        base_url: string(take("baseUrl", value.get("baseUrl"))),
        favicon: string(take("favicon", value.get("favicon"))),
        on_broken_links: policy(take("onBrokenLinks", value.get("onBrokenLinks"))),
        on_broken_anchors: policy(take("onBrokenAnchors", value.get("onBrokenAnchors"))),
        on_broken_images: policy(take("onBrokenMarkdownImages", value.get("onBrokenMarkdownImages"))),
        ..RawConfig::default()
    };
    if let Some(Js::Bool(b)) = take("trailingSlash", value.get("trailingSlash")) {
        raw.trailing_slash = Some(b);
    }
    if let Some(Js::Arr(dirs)) = take("staticDirectories", value.get("staticDirectories")) {
        raw.static_dirs = Some(dirs.into_iter().filter_map(|d| string(Some(d))).collect());
    }
    if let (Some(org), Some(project)) = (
        string(take("organizationName", value.get("organizationName"))),
        string(take("projectName", value.get("projectName"))),
    ) {
        raw.repository = Some(format!("https://github.com/{org}/{project}"));
    }
    read.sidebar_labels = navbar_sidebar_labels(&value);
    let src = Source { path: display, text };
    let mut link_warnings = Vec::new();
    let theme_config = node.get("themeConfig");
    if let Some(items) = theme_config.and_then(|t| t.get("navbar")).and_then(|n| n.get("items")) {
        raw.navbar = Some(navbar_links(items, src, &mut link_warnings));
    }
    if let Some(links) = theme_config.and_then(|t| t.get("footer")).and_then(|f| f.get("links")) {
        raw.footer_links = Some(footer_links(links, src, &mut link_warnings));
    }
    let logo =
        value.get("themeConfig").and_then(|t| t.get("navbar")).and_then(|n| n.get("logo")).and_then(|l| l.get("src"));
    raw.logo = string(take("themeConfig.navbar.logo.src", logo));
    let copyright = value.get("themeConfig").and_then(|t| t.get("footer")).and_then(|f| f.get("copyright"));
    raw.footer = string(take("themeConfig.footer.copyright", copyright));
    // Docusaurus's docs default to /docs; lectern's own default (/) is for lectern.yml sites.
    raw.route_base_path = Some("/docs".into());
    if let Some(docs) = docs_options(&value) {
        match docs {
            Js::Obj(_) => {
                raw.docs_dir = string(take("docs.path", docs.get("path")));
                if let Some(r) = string(take("docs.routeBasePath", docs.get("routeBasePath"))) {
                    raw.route_base_path = Some(r);
                }
                raw.edit_url = string(take("docs.editUrl", docs.get("editUrl")));
                if let Some(Js::Bool(b)) = take("docs.sidebarCollapsible", docs.get("sidebarCollapsible")) {
                    raw.sidebar_collapsible = Some(b);
                }
                if let Some(Js::Bool(b)) = take("docs.sidebarCollapsed", docs.get("sidebarCollapsed")) {
                    raw.sidebar_collapsed = Some(b);
                }
                read.sidebar_path = match docs.get("sidebarPath") {
                    None | Some(Js::Null) => SidebarPath::Autogenerated,
                    Some(Js::Bool(false)) => SidebarPath::Disabled,
                    Some(Js::Str(file)) => SidebarPath::File(file.clone()),
                    Some(Js::Opaque { module: Some(file), .. }) => SidebarPath::File(file.clone()),
                    Some(Js::Opaque { line, column, what, .. }) => {
                        SidebarPath::Unknown { line: *line, column: *column, what: what.clone() }
                    }
                    Some(_) => SidebarPath::Autogenerated,
                };
            }
            Js::Opaque { .. } => {
                take("the docs options", Some(docs));
            }
            _ => {}
        }
    }
    let mut redirects = std::collections::BTreeMap::new();
    for options in plugin_options(&value, &["@docusaurus/plugin-client-redirects", "client-redirects"]) {
        // A function: only the warning `take` gives.
        take("createRedirects", options.get("createRedirects"));
        let rules = match take("client-redirects redirects", options.get("redirects")) {
            Some(Js::Arr(rules)) => rules,
            _ => continue,
        };
        for rule in rules {
            let to = string(take("client-redirects to", rule.get("to")));
            let from = match take("client-redirects from", rule.get("from")) {
                Some(Js::Str(one)) => vec![one],
                Some(Js::Arr(many)) => many.into_iter().filter_map(|f| string(Some(f))).collect(),
                _ => Vec::new(),
            };
            if let Some(to) = to {
                for from in from {
                    redirects.insert(from, to.clone());
                }
            }
        }
    }
    if !redirects.is_empty() {
        raw.redirects = Some(redirects);
    }
    read.raw = raw;
    read.warnings.extend(link_warnings);
    Ok(read)
}

/// `themeConfig.navbar.items` as lectern's navbar: `docSidebar`, `doc` and plain (`to`, `href`)
/// items, a dropdown's items in its place, the left ones before the right ones as Docusaurus
/// lays them out. The search box is lectern's own; versions and locales do not exist in lectern;
/// anything else is reported and left out.
fn navbar_links(items: &Node, src: Source, warnings: &mut Vec<Diagnostic>) -> Vec<SiteLinkSpec> {
    let (mut left, mut right) = (Vec::new(), Vec::new());
    let Kind::Arr(items) = &items.kind else { return Vec::new() };
    for item in items {
        let to_right = item.get("position").and_then(Node::text).is_some_and(|p| p == "right");
        let out = if to_right { &mut right } else { &mut left };
        navbar_item(item, src, warnings, out);
    }
    left.extend(right);
    left
}

fn navbar_item(item: &Node, src: Source, warnings: &mut Vec<Diagnostic>, out: &mut Vec<SiteLinkSpec>) {
    if let Kind::Opaque { what, .. } = &item.kind {
        warnings.push(opaque_warning(src.path, src.text, item.line, item.column, what, "a navbar item"));
        return;
    }
    let text = |key: &str| item.get(key).and_then(Node::text);
    let link = SiteLinkSpec { label: text("label"), at: Some(src.place(item)), ..SiteLinkSpec::default() };
    match text("type").as_deref() {
        Some("docSidebar") => out.push(SiteLinkSpec { sidebar: text("sidebarId"), ..link }),
        Some("doc") => out.push(SiteLinkSpec { doc: text("docId"), ..link }),
        Some("dropdown") => {
            if let Some(Node { kind: Kind::Arr(inner), .. }) = item.get("items") {
                for i in inner {
                    navbar_item(i, src, warnings, out);
                }
            }
        }
        Some("search" | "localeDropdown" | "docsVersionDropdown" | "docsVersion") => {}
        None | Some("default") => match text("to").or_else(|| text("href")) {
            Some(href) => out.push(SiteLinkSpec { href: Some(href), ..link }),
            None => warnings.push(src.warning(item, "a navbar item with neither `to` nor `href` is left out")),
        },
        Some(other) => warnings.push(
            src.warning(item, format!("navbar items of type `{other}` are not shown by lectern; left out"))
                .with_help("lectern's navbar shows links to sidebars, docs and URLs"),
        ),
    }
}

/// `themeConfig.footer.links`: columns (`{title, items}`), or links in one row.
fn footer_links(links: &Node, src: Source, warnings: &mut Vec<Diagnostic>) -> Vec<FooterColumnSpec> {
    let Kind::Arr(entries) = &links.kind else { return Vec::new() };
    let link = |item: &Node, warnings: &mut Vec<Diagnostic>| {
        let text = |key: &str| item.get(key).and_then(Node::text);
        match text("to").or_else(|| text("href")) {
            Some(href) => Some(SiteLinkSpec {
                label: text("label"),
                href: Some(href),
                at: Some(src.place(item)),
                ..SiteLinkSpec::default()
            }),
            None => {
                warnings.push(src.warning(item, "a footer link with neither `to` nor `href` is left out"));
                None
            }
        }
    };
    let mut columns = Vec::new();
    let mut row = Vec::new();
    for entry in entries {
        match entry.get("items") {
            Some(Node { kind: Kind::Arr(items), .. }) => columns.push(FooterColumnSpec {
                title: entry.get("title").and_then(Node::text),
                items: items.iter().filter_map(|i| link(i, warnings)).collect(),
            }),
            _ => row.extend(link(entry, warnings)),
        }
    }
    if !row.is_empty() {
        columns.push(FooterColumnSpec { title: None, items: row });
    }
    columns
}

/// The labels the navbar gives sidebars: `themeConfig.navbar.items` of `type: 'docSidebar'`.
fn navbar_sidebar_labels(config: &Js) -> Vec<(String, String)> {
    let items = config.get("themeConfig").and_then(|t| t.get("navbar")).and_then(|n| n.get("items"));
    let Some(Js::Arr(items)) = items else { return Vec::new() };
    items
        .iter()
        .filter(|item| item.get("type") == Some(&Js::Str("docSidebar".into())))
        .filter_map(|item| match (item.get("sidebarId"), item.get("label")) {
            (Some(Js::Str(id)), Some(Js::Str(label))) => Some((id.clone(), label.clone())),
            _ => None,
        })
        .collect()
}

/// A sidebars file read: one sidebar per key it exports, and what had to be skipped.
#[derive(Debug, Default)]
pub struct SidebarsRead {
    pub sidebars: Vec<SidebarSpec>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads a Docusaurus sidebars file (`sidebars.js`, `.ts`, `.mjs`, `.cjs` or `.json`) into
/// hand-written sidebars, labelled from `labels` (the navbar's). `display` names the file.
/// A mistake in an item is an error at its line; values only running JavaScript would give
/// are warnings, and their items are skipped.
pub fn sidebars(text: &str, display: &Path, labels: &[(String, String)]) -> Result<SidebarsRead, Diagnostic> {
    let is_json = display.extension().is_some_and(|e| e == "json");
    let node = if is_json {
        crate::located::from_yaml(text).map_err(|(line, column, message)| {
            Diagnostic::error(display, line, column, format!("cannot parse this file: {message}")).with_source(text)
        })?
    } else {
        exported_node(text, display)?
    };
    let src = Source { path: display, text };
    let mut read = SidebarsRead::default();
    let props = match &node.kind {
        Kind::Obj(props) => props,
        Kind::Opaque { what, .. } => {
            read.warnings.push(opaque_warning(display, text, node.line, node.column, what, "the whole sidebars file"));
            return Ok(read);
        }
        _ => {
            return Err(src
                .error(&node, format!("a sidebars file exports an object of sidebars, not {}", node.describe()))
                .with_help("`module.exports = {docs: ['intro', …]}`"));
        }
    };
    let mut problems = Vec::new();
    for (id, value) in props {
        let items = crate::config::sidebar_items::read_sidebar(value, src, &mut problems);
        let label = labels.iter().find(|(l, _)| l == id).map(|(_, label)| label.clone());
        read.sidebars.push(SidebarSpec { id: id.clone(), label, dir: String::new(), items: Some(items) });
    }
    if let Some(error) = problems.iter().find(|d| d.is_error()) {
        return Err(error.clone());
    }
    read.warnings.extend(problems);
    Ok(read)
}

/// The options of every plugin named one of `names` (`plugins: [[name, options]]`).
fn plugin_options<'v>(config: &'v Js, names: &[&str]) -> Vec<&'v Js> {
    let Some(Js::Arr(items)) = config.get("plugins") else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item {
            Js::Arr(pair) => match (pair.first(), pair.get(1)) {
                (Some(Js::Str(name)), Some(options)) if names.contains(&name.as_str()) => Some(options),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The docs plugin's options: from the classic preset (`presets: [['classic', {docs: …}]]`) or a
/// `@docusaurus/plugin-content-docs` plugin without an `id` (the default docs instance).
fn docs_options(config: &Js) -> Option<&Js> {
    for (key, names) in [
        ("presets", &["classic", "@docusaurus/preset-classic"][..]),
        ("plugins", &["@docusaurus/plugin-content-docs", "content-docs"][..]),
    ] {
        let Some(Js::Arr(items)) = config.get(key) else { continue };
        for item in items {
            let Js::Arr(pair) = item else { continue };
            let (Some(Js::Str(name)), Some(options)) = (pair.first(), pair.get(1)) else { continue };
            if !names.contains(&name.as_str()) {
                continue;
            }
            let docs = if key == "presets" { options.get("docs") } else { Some(options) };
            match docs {
                Some(d @ Js::Obj(_)) if d.get("id").is_none_or(|id| *id == Js::Str("default".into())) => {
                    return Some(d);
                }
                Some(d @ Js::Opaque { .. }) => return Some(d),
                _ => {}
            }
        }
    }
    None
}

fn opaque_warning(path: &Path, text: &str, line: usize, column: usize, what: &str, key: &str) -> Diagnostic {
    Diagnostic::warning(
        path,
        line,
        column,
        format!("`{key}` is {what}, which lectern cannot know without running JavaScript; skipped"),
    )
    .with_source(text)
    .with_help("set it in a lectern.yml beside this file (`lectern.yml` takes precedence over docusaurus.config.js)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Read {
        config(text, Path::new("docusaurus.config.js")).unwrap()
    }

    #[test]
    fn a_commonjs_config_with_the_classic_preset() {
        let r = read(
            r#"// @ts-check
const lightCodeTheme = require('prism-react-renderer/themes/github');
const org = 'LBHackney-IT';
/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Hackney API Playbook',
  tagline: `A guide on Hackney's practices`,
  url: 'https://playbook.hackney.gov.uk',
  baseUrl: '/API-Playbook/',
  onBrokenLinks: 'warn',
  trailingSlash: false,
  favicon: 'img/favicon.ico',
  organizationName: org,
  projectName: "API-Playbook",
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          routeBasePath: '/',
          sidebarPath: require.resolve('./sidebars.js'),
          editUrl: 'https://github.com/LBHackney-IT/API-Playbook/edit/main/',
        },
        theme: { customCss: require.resolve('./src/css/custom.css') },
      }),
    ],
  ],
  themeConfig: { navbar: { logo: { alt: 'Logo', src: 'img/logo.svg' } }, prism: { theme: lightCodeTheme } },
};
module.exports = config;
"#,
        );
        let raw = &r.raw;
        assert_eq!(raw.title.as_deref(), Some("Hackney API Playbook"));
        assert_eq!(raw.tagline.as_deref(), Some("A guide on Hackney's practices"));
        assert_eq!(raw.url.as_deref(), Some("https://playbook.hackney.gov.uk"));
        assert_eq!(raw.base_url.as_deref(), Some("/API-Playbook/"));
        assert_eq!(raw.on_broken_links, Some(Policy::Warn));
        assert_eq!(raw.trailing_slash, Some(false));
        assert_eq!(raw.route_base_path.as_deref(), Some("/"));
        assert_eq!(raw.edit_url.as_deref(), Some("https://github.com/LBHackney-IT/API-Playbook/edit/main/"));
        assert_eq!(raw.repository.as_deref(), Some("https://github.com/LBHackney-IT/API-Playbook"));
        assert_eq!(raw.logo.as_deref(), Some("img/logo.svg"));
        // The theme and sidebarPath are functions of require: not read, so not reported.
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn an_esm_typescript_config_with_the_docs_plugin() {
        let text = "import type {Config} from '@docusaurus/types';\nexport default {\n  title: 'Handbook',\n  url: process.env.SITE_URL,\n  baseUrl: '/',\n  plugins: [['@docusaurus/plugin-content-docs', {path: 'handbook', editUrl: ({docPath}) => docPath}]],\n} satisfies Config;\n";
        let r = config(text, Path::new("docusaurus.config.ts")).unwrap();
        assert_eq!(r.raw.title.as_deref(), Some("Handbook"));
        assert_eq!(r.raw.docs_dir.as_deref(), Some("handbook"));
        assert_eq!(r.raw.route_base_path.as_deref(), Some("/docs"), "Docusaurus's default");
        assert_eq!(r.raw.url, None);
        let w: Vec<(usize, usize, &str)> = r.warnings.iter().map(|d| (d.line, d.column, d.message.as_str())).collect();
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!((w[0].0, w[0].1), (4, 8));
        assert!(w[0].2.contains("`url` is `process.env.SITE_URL`, an environment variable"), "{w:?}");
        assert_eq!((w[1].0, w[1].1), (6, 77));
        assert!(w[1].2.contains("`docs.editUrl` is a function"), "{w:?}");
    }

    #[test]
    fn client_redirects_become_redirects() {
        let r = read(
            "module.exports = {\n  plugins: [\n    ['@docusaurus/plugin-client-redirects', {\n      redirects: [\n        {to: '/new', from: ['/old', '/older']},\n        {from: '/gone', to: '/new'},\n      ],\n    }],\n  ],\n};\n",
        );
        let got: Vec<(String, String)> = r.raw.redirects.unwrap().into_iter().collect();
        assert_eq!(
            got,
            [("/gone".into(), "/new".into()), ("/old".into(), "/new".into()), ("/older".into(), "/new".into())]
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn a_config_built_by_a_function_is_one_warning() {
        let r = read("module.exports = async function createConfig() {\n  return {title: 'x'};\n};\n");
        assert_eq!(r.raw.title, None);
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].message.contains("`the whole config` is a function"));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = config("module.exports = {\n  title: 'x',,\n};\n", Path::new("docusaurus.config.js")).unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
    }
}
