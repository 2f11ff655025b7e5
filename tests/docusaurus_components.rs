//! Docusaurus's components and MDX beyond tags (docs/05-migrating-from-docusaurus.md lists each
//! rule with the Docusaurus source it follows): `<DocCardList />`, imported partials, `<CodeBlock>`,
//! line numbers and highlight comments, `{constants}` exported in the page, and what lectern says
//! of components it does not know. The fixture `docusaurus-components` is built with the binary
//! and its HTML parsed.

mod serve_support;
mod support;

use std::fs;
use std::path::{Path, PathBuf};

use std::time::Duration;

use scraper::{ElementRef, Html, Selector};
use serde_json::json;
use serve_support::{Serve, connect, save_atomically, wait_for};
use support::{StaticServer, browser};

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

fn text(e: &ElementRef) -> String {
    e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(|e| text(&e)).collect()
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector)).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

struct Built {
    _site: tempfile::TempDir,
    out: PathBuf,
    stderr: String,
}

fn built() -> Built {
    let site = support::copy_fixture("docusaurus-components");
    let out = site.path().join("build");
    let run = support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    Built { stderr: String::from_utf8_lossy(&run.stderr).into_owned(), out, _site: site }
}

/// (title, link, description) of each card of the page's first card list.
fn cards(doc: &Html) -> Vec<(String, String, String)> {
    let list = doc.select(&sel("article section.doc-card-list")).next().expect("a card list");
    list.select(&sel("article.doc-card"))
        .map(|card| {
            let link = card.select(&sel("h2.doc-card-title > a")).next().expect("a heading link");
            let description = card.select(&sel("p.doc-card-description")).next().map(|p| text(&p)).unwrap_or_default();
            (text(&link), link.value().attr("href").unwrap_or_default().to_string(), description)
        })
        .collect()
}

#[test]
fn doc_card_lists_show_the_category_items_with_descriptions() {
    let b = built();
    let guides = page(&b.out, "docs/guides/index.html");
    let want = [
        ("📄️ First guide", "/docs/guides/first", "The first guide, described in its front matter."),
        ("📄️ Second guide", "/docs/guides/second", "The second guide's first line, as the card shows it."),
        ("📄️ Hooks", "/docs/guides/hooks", ""),
        ("🗃️ Advanced", "/docs/guides/advanced/deep", "Deeper topics for later."),
        ("🗃️ More", "/docs/guides/more/a", "3 items"),
    ];
    let want: Vec<(String, String, String)> =
        want.iter().map(|(t, h, d)| (t.to_string(), h.to_string(), d.to_string())).collect();
    assert_eq!(cards(&guides), want);
    // The description's whole text is its title; the icon is not read out.
    assert_eq!(
        attrs(&guides, "p.doc-card-description", "title")[1],
        "The second guide's first line, as the card shows it."
    );
    assert_eq!(attrs(&guides, "span.doc-card-icon", "aria-hidden"), ["true"; 5]);
    // `items={useCurrentSidebarCategory().items}` lists the same.
    assert_eq!(cards(&page(&b.out, "docs/guides/hooks/index.html")), want);
    // A page at the top level lists the top level of its sidebar.
    let intro = page(&b.out, "docs/intro/index.html");
    let top: Vec<(String, String)> = cards(&intro).into_iter().map(|(t, h, _)| (t, h)).collect();
    let want_top = [("📄️ Introduction", "/docs/intro"), ("🗃️ MDX", "/docs/mdx/code"), ("🗃️ Guides", "/docs/guides/")];
    let want_top: Vec<(String, String)> = want_top.iter().map(|(t, h)| (t.to_string(), h.to_string())).collect();
    assert_eq!(top, want_top);
    assert!(!b.stderr.lines().any(|l| l.starts_with("warning:") && l.contains("DocCardList")), "{}", b.stderr);
}

#[test]
fn a_generated_index_page_lists_its_items_as_cards() {
    let site = support::copy_fixture("docusaurus-components");
    fs::write(
        site.path().join("docs/guides/more/_category_.yml"),
        "label: More\nposition: 5\nlink:\n  type: generated-index\n  description: All the more pages.\n",
    )
    .unwrap();
    let out = site.path().join("build");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let more = page(&out, "docs/category/more/index.html");
    let got: Vec<(String, String)> = cards(&more).into_iter().map(|(t, h, _)| (t, h)).collect();
    let want: Vec<(String, String)> =
        ["a", "b", "c"].iter().map(|n| (format!("📄️ More {n}"), format!("/docs/guides/more/{n}"))).collect();
    assert_eq!(got, want);
    assert_eq!(
        texts(&more, "article p.doc-card-description"),
        ["Page a of more.", "Page b of more.", "Page c of more."]
    );
    // The category's card on its parent's page links to the generated page.
    let guides = page(&out, "docs/guides/index.html");
    assert!(cards(&guides).contains(&("🗃️ More".into(), "/docs/category/more".into(), "3 items".into())));
}

#[test]
fn partials_are_inlined_where_they_are_used() {
    let b = built();
    let p = page(&b.out, "docs/mdx/partials/index.html");
    assert_eq!(
        texts(&p, "article p"),
        [
            "Before the partials.",
            "The shared text about the Widget.",
            "A nested partial, with a link and the {product} of its includer left as written.",
            "Text from outside the docs folder.",
            "After the partials.",
        ]
    );
    // The partial's own heading is the page's, in its table of contents; its front matter is not.
    assert_eq!(texts(&p, "article h2"), ["Shared section#"]);
    assert!(attrs(&p, "nav.toc a, .toc a", "href").contains(&"#shared-section".to_string()));
    assert!(!texts(&p, "article").join(" ").contains("Not a page"));
    // A partial's link is resolved from the partial's own folder (docs/_nested.md → docs/intro.md).
    assert_eq!(attrs(&p, "article p a", "href"), ["/docs/intro"]);
    // The outside partial is inside the <Details> it was used in.
    assert_eq!(texts(&p, "details.details > p"), ["Text from outside the docs folder."]);
    // Files starting with `_` are not pages.
    assert!(!b.out.join("docs/mdx/_shared/index.html").exists());
    assert!(!b.out.join("docs/_nested/index.html").exists());
    // The nested partial's `{product}` belongs to its includer: reported at the partial's line.
    assert!(
        b.stderr.contains("warning: docs/_nested.md:1:53: `{product}` is not evaluated: it is shown as written"),
        "{}",
        b.stderr
    );
}

/// Builds the components fixture with `files` added; the failed build's diagnostics.
fn failing_build(files: &[(&str, &str)]) -> String {
    let site = support::copy_fixture("docusaurus-components");
    for (path, text) in files {
        let path = site.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let out = site.path().join("build");
    let run = support::lectern(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(!out.exists(), "a failed build writes nothing");
    String::from_utf8_lossy(&run.stderr).into_owned()
}

#[test]
fn a_missing_partial_is_an_error_at_its_import() {
    let stderr = failing_build(&[("docs/broken.mdx", "# Broken\n\nimport Gone from './_gone.mdx';\n\n<Gone />\n")]);
    let want = "error: docs/broken.mdx:3:18: the partial `./_gone.mdx` is not there (looked for `docs/_gone.mdx`)\n  |\n3 | import Gone from './_gone.mdx';\n  |                  ^\n";
    assert!(stderr.contains(want), "{stderr}");
}

#[test]
fn partials_that_include_each_other_are_an_error_with_the_chain() {
    let stderr = failing_build(&[
        ("docs/loop.mdx", "import A from './_a.mdx';\n\n# Loop\n\n<A />\n"),
        ("docs/_a.mdx", "import B from './parts/_b.md';\n\nA says hello.\n\n<B />\n"),
        ("docs/parts/_b.md", "---\ntitle: B\n---\nimport A from '../_a.mdx';\n\nB says hello.\n\n  <A />\n"),
    ]);
    let want = "error: docs/parts/_b.md:8:3: <A /> includes `docs/_a.mdx` inside itself\n  |\n8 |   <A />\n  |   ^\n  = help: partials include each other in a loop: docs/loop.mdx → docs/_a.mdx → docs/parts/_b.md → docs/_a.mdx\n";
    assert!(stderr.contains(want), "{stderr}");
    assert_eq!(stderr.matches("error:").count(), 2, "one error and the summary: {stderr}");
}

/// The text of each code line of the page's `n`th code block, and which lines are highlighted.
fn code_lines(doc: &Html, n: usize) -> (Vec<String>, Vec<usize>) {
    let block = doc.select(&sel("article div.code-block")).nth(n).expect("a code block");
    let lines: Vec<ElementRef> = block.select(&sel("span.code-line")).collect();
    let text = lines.iter().map(|l| l.text().collect::<String>().trim_end_matches('\n').to_string()).collect();
    let marked = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.value().classes().any(|c| c == "highlighted"))
        .map(|(i, _)| i + 1)
        .collect();
    (text, marked)
}

#[test]
fn code_blocks_written_as_components_are_highlighted_like_fenced_ones() {
    let b = built();
    let p = page(&b.out, "docs/mdx/code/index.html");
    let first = p.select(&sel("article div.code-block")).next().unwrap();
    assert_eq!(first.value().attr("data-lang"), Some("bash"));
    assert_eq!(texts(&p, "article div.code-block > .code-title"), ["install.sh"]);
    assert_eq!(code_lines(&p, 0).0, ["npm install tool@1.2.3", "tool --version"], "`${{version}}` is filled in");
    assert_eq!(attrs(&p, "article pre.line-numbers", "style")[0], "counter-reset: code-line 0");
    assert!(first.select(&sel("code span[class^='hl-']")).next().is_some(), "highlighted");
    // Indented inside a tab: a code block and a paragraph, not indented code.
    let panels: Vec<ElementRef> = p.select(&sel("div.tab-panel")).collect();
    assert_eq!(code_lines(&p, 1).0, ["const a = 1;", "const b = 2;"]);
    assert_eq!(panels[0].select(&sel("div.code-block[data-lang=javascript]")).count(), 1);
    assert_eq!(
        texts(&p, "div.tab-panel[data-value=text] > p:not(.tab-panel-label)"),
        ["Indented text inside a tab is a paragraph."]
    );
    assert_eq!(panels[1].select(&sel("pre")).count(), 0);
}

#[test]
fn line_numbers_and_highlight_comments() {
    let b = built();
    let p = page(&b.out, "docs/mdx/code/index.html");
    // ```js showLineNumbers=5 with // highlight-next-line and a highlight-start/end block.
    assert_eq!(
        code_lines(&p, 2),
        (
            vec!["const a = 1;".into(), "const b = 2;".into(), "const c = 3;".into(), "const d = 4;".into()],
            vec![2, 3, 4]
        )
    );
    assert_eq!(attrs(&p, "article pre.line-numbers", "style")[1], "counter-reset: code-line 4");
    // With {1,3} the ranges win and the comment stays, as in Docusaurus.
    assert_eq!(code_lines(&p, 3), (vec!["x = 1".into(), "# highlight-next-line".into(), "y = 2".into()], vec![1, 3]));
    assert_eq!(code_lines(&p, 4), (vec!["key: value".into()], vec![1]), "`#` in YAML");
    assert_eq!(
        code_lines(&p, 5),
        (vec!["<p>".into(), "  <b>bold</b>".into(), "</p>".into()], vec![2]),
        "`<!-- -->` in HTML"
    );
    assert_eq!(p.select(&sel("pre:not(.line-numbers)")).count(), 4);
}

#[test]
fn constants_exported_in_the_page_are_filled_in_and_other_expressions_reported() {
    let b = built();
    let p = page(&b.out, "docs/mdx/code/index.html");
    assert_eq!(
        texts(&p, "article p")[0],
        "Install version 1.2.3 of the tool; {new Date().getFullYear()} stays as written."
    );
    assert!(!texts(&p, "article").join(" ").contains("export const"));
    let want =
        "warning: docs/mdx/code.mdx:7:40: `{new Date().getFullYear()}` is not evaluated: it is shown as written\n";
    assert!(b.stderr.contains(want), "{}", b.stderr);
    assert!(!b.stderr.contains("`{version}` is not evaluated"), "{}", b.stderr);
}

#[test]
fn unknown_components_say_what_happened_to_them() {
    let b = built();
    let p = page(&b.out, "docs/mdx/unknown/index.html");
    assert_eq!(texts(&p, "article p"), ["A kept phrase in a sentence.", "The step's text is kept."]);
    let warnings: Vec<&str> = b.stderr.lines().filter(|l| l.starts_with("warning: docs/mdx/unknown.mdx")).collect();
    assert_eq!(
        warnings,
        [
            "warning: docs/mdx/unknown.mdx:3:1: component <Carousel /> is not known to lectern and is left out: nothing is shown in its place",
            "warning: docs/mdx/unknown.mdx:5:3: component <Highlight> is not known to lectern: its tags are left out and what it wraps is shown",
            "warning: docs/mdx/unknown.mdx:7:1: component <Steps> is not known to lectern: its tags are left out and what it wraps is shown",
        ]
    );
    // The components lectern renders are not reported.
    for known in ["CodeBlock", "Tabs", "TabItem", "Details", "DocCardList", "Shared", "Outside", "Nested"] {
        let reported =
            b.stderr.lines().any(|l| l.starts_with("warning:") && l.contains(&format!("component <{known}")));
        assert!(!reported, "{known}: {}", b.stderr);
    }
}

#[test]
fn speech_reads_partials_and_cards_inside_text_to_speech() {
    let site = support::copy_fixture("docusaurus-components");
    fs::write(
        site.path().join("docs/guides/spoken.mdx"),
        "import Shared from '../mdx/_shared.mdx';\n\n# Spoken\n\n<TextToSpeech>\n\n<Shared />\n\n<DocCardList />\n\n</TextToSpeech>\n",
    )
    .unwrap();
    let mut config = lectern::config::load(site.path(), &Default::default()).expect("the config");
    config.speech.cache_only = true;
    let loaded = lectern::build::load_site(config, lectern::build::Mode::Memory).unwrap_or_else(|e| panic!("{e}"));
    let i = loaded.content.docs.iter().position(|d| d.source == "guides/spoken.mdx").expect("the page");
    let html = loaded.pages[i].body.html().expect("its HTML");
    let blocks = lectern::speech::find_blocks(html);
    assert_eq!(blocks.len(), 1);
    let said = lectern::speech::spoken_segments(&html[blocks[0].content.clone()]).join(" | ");
    for words in [
        "Shared section",
        "The shared text about the Widget.",
        "First guide",
        "The first guide, described in its front matter.",
        "3 items",
    ] {
        assert!(said.contains(words), "{words}: {said}");
    }
    assert!(!said.contains("📄"), "icons are not read: {said}");
}

/// The preview rebuilds a page when a partial it includes changes, wherever the partial lies,
/// and only that page; a page's card list follows an edit to a page it describes.
#[test]
fn serve_rebuilds_the_pages_that_include_an_edited_partial() {
    const PARTIALS: &str = "/docs/mdx/partials/";
    const INTRO: &str = "/docs/intro/";
    const GUIDES: &str = "/docs/guides/";
    let site = support::copy_fixture("docusaurus-components");
    let serve = Serve::start(site.path());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let (mut partials, _) = connect(&serve.socket_url(PARTIALS, &serve.page_version(PARTIALS))).await;
        let (mut intro, _) = connect(&serve.socket_url(INTRO, &serve.page_version(INTRO))).await;
        // A partial outside the docs folder (`@site/src/partials/_outside.md`).
        save_atomically(&site.path().join("src/partials/_outside.md"), "Edited text from outside.\n");
        assert!(wait_for(&mut partials, "reload", Duration::from_secs(3)).await.is_some(), "no reload");
        assert!(wait_for(&mut intro, "reload", Duration::from_millis(300)).await.is_none(), "another page reloaded");
        // A partial inside it, included by another partial's page.
        let shared = site.path().join("docs/mdx/_shared.mdx");
        let text = fs::read_to_string(&shared).unwrap();
        save_atomically(&shared, &text.replace("## Shared section", "## Edited section"));
        assert!(wait_for(&mut partials, "reload", Duration::from_secs(3)).await.is_some(), "no reload");
        assert!(wait_for(&mut intro, "reload", Duration::from_millis(300)).await.is_none(), "another page reloaded");
    });
    let (status, html) = serve.get(PARTIALS);
    assert_eq!(status, 200);
    let doc = Html::parse_document(&html);
    assert_eq!(texts(&doc, "article h2"), ["Edited section#"]);
    assert_eq!(texts(&doc, "details.details > p"), ["Edited text from outside."]);

    runtime.block_on(async {
        let (mut guides, _) = connect(&serve.socket_url(GUIDES, &serve.page_version(GUIDES))).await;
        let second = site.path().join("docs/guides/02-second.md");
        let text = fs::read_to_string(&second).unwrap();
        save_atomically(&second, &text.replace("The second guide's **first** line", "A new first line"));
        assert!(wait_for(&mut guides, "reload", Duration::from_secs(3)).await.is_some(), "the card list kept its text");
    });
    let (_, html) = serve.get(GUIDES);
    let doc = Html::parse_document(&html);
    assert_eq!(cards(&doc)[1].2, "A new first line, as the card shows it.");
}

/// Card lists, code with line numbers and highlighted lines, and inlined partials pass axe in
/// light and dark, on a laptop and on a phone.
#[test]
fn cards_and_code_pass_axe_in_light_and_dark() {
    if !support::require("chromium") {
        return;
    }
    let b = built();
    let server = StaticServer::start(&b.out);
    let pages: Vec<String> =
        ["/docs/guides/", "/docs/mdx/code/", "/docs/mdx/partials/"].iter().map(|p| server.url_for(p)).collect();
    let job = json!({ "pages": pages, "checks": ["axe"], "modes": browser::standard_modes() });
    browser::assert_ok(&browser::run(job));
}
