//! Hand-written sidebars: a Docusaurus site of our own (tests/fixtures/docusaurus-sidebars, two
//! sidebars in `sidebars.js` with every item kind) built with the binary and its HTML parsed,
//! and compared page by page with what Docusaurus 3.10.2 built from it; the same sidebars
//! written in `lectern.yml`; an unknown doc id shown with its caret; and
//! `lectern migrate`, whose lectern.yml builds the same site as the Docusaurus files.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(e: ElementRef) -> String {
    e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's sidebar as indented lines: `doc Label href`, `category Label -> href (open)`,
/// `link Label href`, `html <markup> (padded)`; `*` marks the current page, `.class` an item's own class.
fn sidebar(doc: &Html) -> Vec<String> {
    fn walk(list: ElementRef, depth: usize, out: &mut Vec<String>) {
        for li in list.children().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "li") {
            let classes: Vec<&str> = li.value().classes().collect();
            let own: String = classes
                .iter()
                .filter(|c| !c.starts_with("sidebar-") && **c != "has-link")
                .map(|c| format!(" .{c}"))
                .collect();
            let pad = "  ".repeat(depth);
            let link = li.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "a");
            let href = link.and_then(|a| a.value().attr("href")).unwrap_or("");
            let current = if link.and_then(|a| a.value().attr("aria-current")).is_some() { " *" } else { "" };
            if classes.contains(&"sidebar-item-html") {
                let padded = if classes.contains(&"sidebar-html-padded") { " (padded)" } else { "" };
                out.push(format!("{pad}html {}{padded}{own}", li.inner_html()));
            } else if classes.contains(&"sidebar-item-category") {
                let details = li.select(&sel("details")).next();
                let label = match link {
                    Some(a) => text_of(a),
                    None => li.select(&sel("summary, .sidebar-category-label")).next().map(text_of).unwrap_or_default(),
                };
                let arrow = if href.is_empty() { String::new() } else { format!(" -> {href}") };
                let open = match details {
                    Some(d) if d.value().attr("open").is_some() => " (open)",
                    Some(_) => "",
                    None => " (always open)",
                };
                out.push(format!("{pad}category {label}{arrow}{open}{own}"));
                let inner = li.select(&sel("ul.sidebar-list")).next().expect("a category has a list");
                walk(inner, depth + 1, out);
            } else {
                let kind = if classes.contains(&"sidebar-item-link") { "link" } else { "doc" };
                let label = link.map(|a| a.text().next().unwrap_or_default().trim().to_string()).unwrap_or_default();
                out.push(format!("{pad}{kind} {label} {href}{current}{own}"));
            }
        }
    }
    let mut out = Vec::new();
    if let Some(list) = doc.select(&sel("#sidebar > ul.sidebar-list")).next() {
        walk(list, 0, &mut out);
    }
    out
}

/// `(Previous label -> url, Next label -> url)` of a page.
fn pager(doc: &Html) -> (Option<String>, Option<String>) {
    let one = |class: &str| {
        doc.select(&sel(&format!("nav.pager a.{class}"))).next().map(|a| {
            let label = a.select(&sel(".pager-label")).next().map(text_of).unwrap_or_default();
            format!("{label} -> {}", a.value().attr("href").unwrap_or(""))
        })
    };
    (one("pager-prev"), one("pager-next"))
}

fn crumbs(doc: &Html) -> Vec<String> {
    doc.select(&sel("nav.breadcrumbs li")).map(text_of).filter(|t| !t.is_empty()).collect()
}

fn build(site: &Path) -> PathBuf {
    let out = site.join("build");
    support::lectern_ok(["build".as_ref(), site.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    out
}

const GUIDES: &[&str] = &[
    "doc Welcome /hb/docs/welcome",
    "category Guides -> /hb/docs/guides/ (open)",
    "  doc Install /hb/docs/guides/install",
    "  doc Configure it /hb/docs/guides/configure * .highlight",
    "  doc Deploying /hb/docs/guides/deploy",
    "html <hr class=\"sidebar-rule\"> (padded)",
    "category Learn more",
    "  doc API overview /hb/docs/api/overview",
    "  link Questions /hb/docs/extras/faq",
    "  link Chat https://chat.example.org .chat",
];

/// Checks the built fixture: both sidebars, their pages, pagers and generated index pages.
fn assert_fixture_site(out: &Path) {
    let configure = page(out, "docs/guides/configure/index.html");
    assert_eq!(sidebar(&configure), GUIDES);
    assert_eq!(
        pager(&configure),
        (Some("Install -> /hb/docs/guides/install".into()), Some("Ship it -> /hb/docs/guides/deploy".into()))
    );
    assert_eq!(crumbs(&configure), ["Guides", "Configure it"]);
    // The external link says so; the site's own path got the base URL.
    let external = configure.select(&sel("#sidebar li.chat a .external-icon")).count();
    assert_eq!(external, 1);

    // The api sidebar: an autogenerated folder inside a generated-index category, then a
    // category that cannot collapse. `welcome` is listed by both sidebars and belongs to the
    // last, so its page shows this one.
    let api = [
        "category Reference -> /hb/docs/category/reference",
        "  doc API overview /hb/docs/api/overview",
        "  doc Authentication /hb/docs/api/auth",
        "  category Endpoints",
        "    doc Orders /hb/docs/api/endpoints/orders",
        "    doc Users /hb/docs/api/endpoints/users",
        "category Extras -> /hb/docs/extras-index (always open)",
        "  doc Questions and answers /hb/docs/extras/faq",
        "  doc Welcome /hb/docs/welcome *",
    ];
    let welcome = page(out, "docs/welcome/index.html");
    assert_eq!(sidebar(&welcome), api);
    assert_eq!(pager(&welcome), (Some("Questions and answers -> /hb/docs/extras/faq".into()), None));
    assert_eq!(crumbs(&welcome), ["Extras", "Welcome"]);

    // Previous/next run through the generated index pages, labelled with their categories.
    let overview = page(out, "docs/api/overview/index.html");
    assert_eq!(
        pager(&overview),
        (Some("Reference -> /hb/docs/category/reference".into()), Some("Authentication -> /hb/docs/api/auth".into()))
    );
    let users = page(out, "docs/api/endpoints/users/index.html");
    assert_eq!(pager(&users).1, Some("Extras -> /hb/docs/extras-index".into()));

    // Generated index pages: Docusaurus's default slug from the label, or the given one.
    let reference = page(out, "docs/category/reference/index.html");
    assert_eq!(reference.select(&sel("article h1, main h1")).next().map(text_of).as_deref(), Some("Reference"));
    // A card per item, as Docusaurus's generated index: the card's own text, less its icon.
    let listed: Vec<String> = reference
        .select(&sel(".doc-card-list .doc-card-title a"))
        .map(|a| a.children().filter_map(|c| c.value().as_text()).map(|t| t.trim()).collect::<String>())
        .collect();
    assert_eq!(listed, ["API overview", "Authentication", "Endpoints"]);
    assert!(
        reference.select(&sel("main p")).any(|p| text_of(p) == "Everything the API offers."),
        "the link's description is shown"
    );
    assert_eq!(pager(&reference), (None, Some("API overview -> /hb/docs/api/overview".into())));
    let extras = page(out, "docs/extras-index/index.html");
    assert_eq!(extras.select(&sel("main h1")).next().map(text_of).as_deref(), Some("All the extras"));

    // A page no hand-written sidebar lists has none, as in Docusaurus.
    let notes = page(out, "docs/notes/index.html");
    assert!(sidebar(&notes).is_empty());
    assert_eq!(pager(&notes), (None, None));

    // llms.txt lists each page once, under the sidebar it belongs to.
    let llms = fs::read_to_string(out.join("llms.txt")).unwrap();
    let sections: Vec<(&str, usize)> = llms
        .split("\n## ")
        .skip(1)
        .map(|s| (s.lines().next().unwrap_or(""), s.lines().filter(|l| l.starts_with("- [")).count()))
        .collect();
    assert_eq!(sections, [("Guides", 4), ("API", 6), ("Other pages", 1)]);
    assert!(llms.split("\n## ").nth(2).is_some_and(|api| api.contains("[Welcome]")), "{llms}");

    // The navbar names the sidebars as Docusaurus's navbar items do.
    let navbar: Vec<String> = configure.select(&sel(".navbar-links a")).map(text_of).collect();
    assert_eq!(navbar, ["Guides", "API"]);
}

/// The page's sidebar as Docusaurus serves it: categories as `category Label -> href (open)`
/// (no `-> href` without a page of their own), their items only when open, `..` per level;
/// docs and links alike as `link Label href`; html as `html <markup>`.
fn sidebar_as_served(doc: &Html) -> Vec<String> {
    fn walk(list: ElementRef, depth: usize, out: &mut Vec<String>) {
        for li in list.children().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "li") {
            let classes: Vec<&str> = li.value().classes().collect();
            let pad = "..".repeat(depth);
            let link = li.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "a");
            let href = link.and_then(|a| a.value().attr("href")).unwrap_or("");
            if classes.contains(&"sidebar-item-html") {
                out.push(format!("{pad}html {}", li.inner_html()));
            } else if classes.contains(&"sidebar-item-category") {
                let details = li.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "details");
                let label = match link {
                    Some(a) => text_of(a),
                    None => li.select(&sel("summary, .sidebar-category-label")).next().map(text_of).unwrap_or_default(),
                };
                let arrow = if href.is_empty() { String::new() } else { format!(" -> {href}") };
                let open = details.is_none_or(|d| d.value().attr("open").is_some());
                out.push(format!("{pad}category {label}{arrow}{}", if open { " (open)" } else { "" }));
                if open {
                    let inner = li.select(&sel("ul.sidebar-list")).next().expect("a category has a list");
                    walk(inner, depth + 1, out);
                }
            } else {
                let label = link.map(|a| a.text().next().unwrap_or_default().trim().to_string()).unwrap_or_default();
                out.push(format!("{pad}link {label} {href}"));
            }
        }
    }
    let mut out = Vec::new();
    if let Some(list) = doc.select(&sel("#sidebar > ul.sidebar-list")).next() {
        walk(list, 0, &mut out);
    }
    out
}

/// Docusaurus 3.10.2 built this fixture once (tests/fixtures/docusaurus-sidebars/
/// docusaurus-pages.tsv keeps what the comparison needs): lectern makes the same pages, and on
/// each the same previous and next links, breadcrumbs and sidebar.
#[test]
fn every_page_matches_what_docusaurus_built() {
    let site = support::copy_fixture("docusaurus-sidebars");
    let out = build(site.path());
    let tsv = fs::read_to_string(site.path().join("docusaurus-pages.tsv")).unwrap();
    let rows: Vec<Vec<&str>> =
        tsv.lines().filter(|l| !l.starts_with('#')).skip(1).map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 13);
    for row in &rows {
        let [file, previous, next, breadcrumbs, served] = row[..] else { panic!("{row:?}") };
        let doc = page(&out, file);
        let (prev, nxt) = pager(&doc);
        let got = (
            prev.unwrap_or_default(),
            nxt.unwrap_or_default(),
            crumbs(&doc).join(" > "),
            sidebar_as_served(&doc).join(" | "),
        );
        assert_eq!(
            got,
            (previous.to_string(), next.to_string(), breadcrumbs.to_string(), served.to_string()),
            "{file}"
        );
    }
    let built: Vec<String> =
        support::tree(&out).into_keys().filter(|p| p.starts_with("docs/") && p.ends_with("index.html")).collect();
    let mut theirs: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    theirs.sort();
    assert_eq!(built, theirs, "the same pages at the same URLs");
}

#[test]
fn sidebars_js_with_every_item_kind_builds_like_docusaurus() {
    let site = support::copy_fixture("docusaurus-sidebars");
    let out = build(site.path());
    assert_fixture_site(&out);
}

/// The same sidebars written in lectern.yml, in the shorter forms YAML allows.
#[test]
fn the_same_sidebars_in_lectern_yml() {
    let site = support::copy_fixture("docusaurus-sidebars");
    fs::write(
        site.path().join("lectern.yml"),
        r#"title: Sidebars Fixture
url: https://example.org
base_url: /hb/
route_base_path: /docs
sidebars:
  - id: guides
    label: Guides
    items:
      - welcome
      - type: category
        label: Guides
        link: {type: doc, id: guides/index}
        collapsed: false
        items:
          - guides/install
          - {type: doc, id: guides/configure, label: Configure it, className: highlight}
          - guides/deploy
      - {type: html, value: '<hr class="sidebar-rule">', defaultStyle: true}
      - Learn more:
          - {type: ref, id: api/overview}
          - {type: link, label: Questions, href: /docs/extras/faq}
          - {type: link, label: Chat, href: 'https://chat.example.org', className: chat}
  - id: api
    label: API
    items:
      - type: category
        label: Reference
        link: {type: generated-index, description: Everything the API offers.}
        items: [{type: autogenerated, dirName: 02-api}]
      - type: category
        label: Extras
        collapsible: false
        link: {type: generated-index, title: All the extras, slug: /extras-index}
        items: [extras/faq, welcome]
"#,
    )
    .unwrap();
    let out = build(site.path());
    assert_fixture_site(&out);
}

/// An unknown doc id stops the build with its place in sidebars.js, a caret and the nearest id;
/// the previous output stays. A link item to a missing page is a broken link.
#[test]
fn an_unknown_doc_id_is_an_error_with_a_caret() {
    let site = support::copy_fixture("docusaurus-sidebars");
    let out = build(site.path());
    let before = support::tree(&out);
    let path = site.path().join("sidebars.js");
    let text = fs::read_to_string(&path).unwrap().replace("'guides/install',", "'guides/instal',");
    fs::write(&path, text).unwrap();
    let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let error = stderr.lines().skip_while(|l| !l.starts_with("error:")).take(5).collect::<Vec<_>>().join("\n");
    assert_eq!(
        error,
        "error: sidebars.js:16:9: sidebar `guides` lists the doc `guides/instal`, which does not exist\n   |\n16 |         'guides/instal',\n   |         ^\n   = help: did you mean `guides/install`?",
        "{stderr}"
    );
    assert_eq!(support::tree(&out), before, "the previous output is untouched");

    // A sidebar link to a path of the site that no page has is a broken link, at the item.
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("'guides/instal',", "'guides/install',")
        .replace("href: '/docs/extras/faq'", "href: '/docs/extras/fqa'");
    fs::write(&path, text).unwrap();
    let run = support::lectern(["check".as_ref(), site.path().as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let error = stderr.lines().skip_while(|l| !l.starts_with("error:")).take(5).collect::<Vec<_>>().join("\n");
    assert_eq!(
        error,
        "error: sidebars.js:25:9: sidebar link '/hb/docs/extras/fqa' matches no page\n   |\n25 |         {type: 'link', label: 'Questions', href: '/docs/extras/fqa'},\n   |         ^\n   = help: did you mean '/docs/extras/faq'? (the page with id 'faq')",
        "{stderr}"
    );
}

/// `lectern migrate` writes a lectern.yml that builds the same URLs and sidebars as the
/// Docusaurus files; it does not replace a lectern.yml without --force.
#[test]
fn migrate_writes_a_lectern_yml_that_builds_the_same_site() {
    let site = support::copy_fixture("docusaurus-sidebars");
    let root = site.path();
    // A value only running JavaScript would give, reported with its line.
    let config = root.join("docusaurus.config.js");
    let text =
        fs::read_to_string(&config).unwrap().replace("url: 'https://example.org',", "url: process.env.SITE_URL,");
    fs::write(&config, text).unwrap();

    let routes = |root: &Path| {
        let run = support::lectern_ok(["routes".as_ref(), root.as_os_str(), "--format".as_ref(), "tsv".as_ref()]);
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    let from_docusaurus = routes(root);
    let out_docusaurus = root.join("from-docusaurus");
    support::lectern_ok(["build".as_ref(), root.as_os_str(), "--out".as_ref(), out_docusaurus.as_os_str()]);

    let run = support::lectern_ok(["migrate".as_ref(), root.as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:") || l.starts_with("wrote")).collect();
    assert_eq!(
        lines,
        [
            "warning: docusaurus.config.js:5:8: `url` is `process.env.SITE_URL`, an environment variable, which lectern cannot know without running JavaScript; skipped",
            &format!(
                "wrote {} from docusaurus.config.js and sidebars.js; 1 value was not carried over (above)",
                root.join("lectern.yml").display()
            ),
        ],
        "{stderr}"
    );
    let yaml = fs::read_to_string(root.join("lectern.yml")).unwrap();
    assert!(yaml.contains("base_url: /hb/\n"), "{yaml}");

    // Built from lectern.yml alone: the same routes, and every page the same sidebar.
    assert_eq!(routes(root), from_docusaurus);
    let out_yml = root.join("from-lectern-yml");
    support::lectern_ok(["build".as_ref(), root.as_os_str(), "--out".as_ref(), out_yml.as_os_str()]);
    let pages: Vec<String> = support::tree(&out_docusaurus)
        .into_keys()
        .filter(|p| p.ends_with("index.html") && p.starts_with("docs/"))
        .collect();
    assert_eq!(pages.len(), 13, "{pages:?}");
    for p in &pages {
        let (a, b) = (page(&out_docusaurus, p), page(&out_yml, p));
        assert_eq!((sidebar(&a), pager(&a), crumbs(&a)), (sidebar(&b), pager(&b), crumbs(&b)), "{p}");
    }
    assert_fixture_site(&out_yml);

    // A second run refuses to replace it; --force does.
    fs::write(root.join("lectern.yml"), "title: Mine\n").unwrap();
    let run = support::lectern(["migrate".as_ref(), root.as_os_str()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("exists already"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(fs::read_to_string(root.join("lectern.yml")).unwrap(), "title: Mine\n");
    support::lectern_ok(["migrate".as_ref(), root.as_os_str(), "--force".as_ref()]);
    assert_eq!(fs::read_to_string(root.join("lectern.yml")).unwrap(), yaml);
}
