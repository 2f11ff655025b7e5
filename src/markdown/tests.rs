//! Tests of [`render`] as a whole: MDX-lite, headings, admonitions, code, links, images.

use super::*;
use scraper::{Html, Selector};
use std::sync::Mutex;

/// Resolves `.md` links to `/resolved/<name>` and images to `/img/<name>`, remembering calls.
#[derive(Default)]
struct FakeResolver {
    image_dir: Option<PathBuf>,
    seen: Mutex<Vec<String>>,
}

impl LinkResolver for FakeResolver {
    fn resolve_link(&self, dest: &str) -> Option<String> {
        self.seen.lock().ok()?.push(dest.to_string());
        let (path, hash) = dest.split_once('#').map_or((dest, None), |(p, h)| (p, Some(h)));
        let name = path.strip_suffix(".md")?.rsplit('/').next()?;
        Some(match hash {
            Some(h) => format!("/resolved/{name}#{h}"),
            None => format!("/resolved/{name}"),
        })
    }

    fn resolve_image(&self, src: &str) -> Option<ResolvedImage> {
        let name = src.rsplit('/').next()?;
        let file = self.image_dir.as_ref().map(|d| d.join(name)).filter(|f| f.exists());
        Some(ResolvedImage { url: format!("/img/{name}"), file })
    }
}

fn render_with(body: &str, resolver: &FakeResolver) -> Rendered {
    render(body, Path::new("docs/a.md"), 0, &MarkdownOptions::default(), resolver)
}

fn md(body: &str) -> Rendered {
    render_with(body, &FakeResolver::default())
}

fn select(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let sel = Selector::parse(selector).expect("test selector");
    doc.select(&sel).map(|e| e.html()).collect()
}

fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let sel = Selector::parse(selector).expect("test selector");
    doc.select(&sel).map(|e| e.text().collect::<String>()).collect()
}

fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let sel = Selector::parse(selector).expect("test selector");
    doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

#[test]
fn mdx_lite() {
    // (body, selector, expected texts of the matches)
    let cases: &[(&str, &str, &[&str])] = &[
        ("import X from '../src/X.js';\n\nHello\n", "p", &["Hello"]),
        ("Text {/* hidden */} shown\n", "p", &["Text                shown"]),
        ("Before\n\n<!-- gone -->\n\nAfter <!-- inline --> end\n", "p", &["Before", "After  end"]),
        (
            "```cs\nList<Entity> x = new IntegrationTests<Startup>();\n```\n",
            "code",
            &["List<Entity> x = new IntegrationTests<Startup>();\n"],
        ),
        (
            "```xml\n<PropertyGroup>\n  <Version>1</Version>\n</PropertyGroup>\n```\n",
            "code",
            &["<PropertyGroup>\n  <Version>1</Version>\n</PropertyGroup>\n"],
        ),
        ("Use `List<Entity>` here\n", "code", &["List<Entity>"]),
        ("para\n\n    indented <Startup> code\n", "pre code", &["indented <Startup> code\n"]),
        ("<Tabs>\n<TabItem value=\"a\">\n\n**Inside**\n\n</TabItem>\n</Tabs>\n", "strong", &["Inside"]),
        ("A <Entity> in prose\n", "p", &["A  in prose"]),
    ];
    for (body, selector, want) in cases {
        let r = md(body);
        assert_eq!(texts(&r.html, selector), *want, "{body:?} -> {}", r.html);
        assert!(!r.html.contains("<!--"), "comment left in {}", r.html);
        assert!(!r.html.contains("import"), "{}", r.html);
    }
}

#[test]
fn components_are_reported_once_and_code_is_not_a_component() {
    let r = md(
        "<Steps>\n<Step value=\"a\">\n\nx\n\n</Step>\n</Steps>\n\n<Tabs>\n</Tabs>\n\nA <Entity> and `<Startup>`\n\n```\n<Code>\n```\n\n<Carousel />\n\nAn <Icon name=\"x\" /> inline.\n",
    );
    let got: Vec<(&str, usize, bool)> = r.components.iter().map(|c| (c.name.as_str(), c.line, c.dropped)).collect();
    assert_eq!(
        got,
        [("Steps", 1, false), ("Step", 2, false), ("Entity", 12, false), ("Carousel", 18, true), ("Icon", 20, true)]
    );
    let warning = r.components[3].warning(Path::new("docs/a.md"), "");
    assert_eq!(
        warning.message,
        "component <Carousel /> is not known to lectern and is left out: nothing is shown in its place"
    );
    let warning = r.components[0].warning(Path::new("docs/a.md"), "");
    assert_eq!(
        warning.message,
        "component <Steps> is not known to lectern: its tags are left out and what it wraps is shown"
    );
    assert!(Component::is_warning(&warning));
}

#[test]
fn speech_blocks_keep_markdown() {
    let body = "import TextToSpeech from '../src/SpeechComponent.js';\n\n<TextToSpeech>\n## Right after\n- one\n- two\n\nText\n</TextToSpeech>\n\nOutside\n\n<TextToSpeech>\nSecond\n</TextToSpeech>\n";
    let r = md(body);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.speech_blocks, 2);
    assert_eq!(attrs(&r.html, "section.lectern-speech", "data-speech-block"), ["0", "1"]);
    assert_eq!(texts(&r.html, "section[data-speech-block=\"0\"] h2"), ["Right after#"]);
    assert_eq!(texts(&r.html, "section[data-speech-block=\"0\"] li"), ["one", "two"]);
    assert_eq!(texts(&r.html, "section[data-speech-block=\"1\"] p"), ["Second"]);
    assert_eq!(texts(&r.html, "html > p"), ["Outside"]);
    assert!(r.components.is_empty());
}

#[test]
fn speech_diagnostics_have_file_positions() {
    let body = "<TextToSpeech>\n\nText\n\n<TextToSpeech>\n";
    let r = render(body, Path::new("docs/a.md"), 4, &MarkdownOptions::default(), &FakeResolver::default());
    let got: Vec<(bool, usize, usize, &str)> =
        r.diagnostics.iter().map(|d| (d.is_error(), d.line, d.column, d.message.as_str())).collect();
    assert_eq!(
        got,
        [(true, 5, 1, "<TextToSpeech> is never closed"), (true, 9, 1, "<TextToSpeech> inside another <TextToSpeech>"),]
    );
    assert_eq!(r.diagnostics[0].source_line.as_deref(), Some("<TextToSpeech>"));
    assert_eq!(select(&r.html, "section").len(), 1);
}

#[test]
fn headings_get_ids_and_anchors() {
    let body = "# Title\n\nIntro\n\n## Step 1: Install & configure\n\n## Foo\n\n## Foo\n\n### Foo-1\n\n## Custom {#my-id}\n\n#### Deep\n\n# Late h1\n";
    let r = md(body);
    assert_eq!(r.title.as_deref(), Some("Title"));
    assert!(select(&r.html, "h1").iter().all(|h| !h.contains("Title")));
    let ids: Vec<(u8, &str)> = r.headings.iter().map(|h| (h.level, h.id.as_str())).collect();
    assert_eq!(
        ids,
        [
            (2, "step-1-install--configure"),
            (2, "foo"),
            (2, "foo-1"),
            (3, "foo-1-1"),
            (2, "my-id"),
            (4, "deep"),
            (1, "late-h1")
        ]
    );
    assert_eq!(r.toc.len(), 5);
    assert_eq!(attrs(&r.html, "h2", "id"), ["step-1-install--configure", "foo", "foo-1", "my-id"]);
    assert_eq!(attrs(&r.html, "h2#my-id a.anchor", "href"), ["#my-id"]);
    assert_eq!(attrs(&r.html, "h2#my-id a.anchor", "aria-label"), ["Direct link to Custom"]);
    assert_eq!(r.headings[4].text, "Custom");
}

#[test]
fn heading_html_keeps_inline_markup() {
    let r = md("## Use `code` and *em*\n");
    assert_eq!(r.headings[0].html, "Use <code>code</code> and <em>em</em>");
    assert_eq!(r.headings[0].id, "use-code-and-em");
}

#[test]
fn title_is_the_first_heading_when_it_is_an_h1() {
    // (body, title, kept in place in the HTML): Docusaurus's `contentTitle` remark plugin.
    let cases = [
        ("# T\n\nx\n", Some("T"), false),
        ("import X from 'x';\n\n<TextToSpeech>\n\n# In speech\n\nx\n</TextToSpeech>\n", Some("In speech"), false),
        ("Para first\n\n# After a paragraph\n", Some("After a paragraph"), true),
        (":::warning\nOld.\n:::\n\n# After an admonition\n", Some("After an admonition"), true),
        ("## Section\n\n# Not after another heading\n", None, false),
        ("Para\n\n---\n\n# Not after a thematic break\n", None, false),
        ("## Section\n", None, false),
    ];
    for (body, want, in_place) in cases {
        let r = md(body);
        assert_eq!(r.title.as_deref(), want, "{body:?}");
        assert_eq!(r.title_in_place, in_place, "{body:?}");
        let h1s = r.html.matches("<h1").count();
        assert_eq!(h1s, usize::from(in_place || (want.is_none() && body.contains("\n# "))), "{body:?}: {}", r.html);
    }
    // Kept in place, the title is a plain `<h1>` (no id, no anchor), as Docusaurus's.
    assert!(md("Para\n\n# The *title*\n").html.contains("<h1>The <em>title</em></h1>"));
}

#[test]
fn admonitions() {
    // (body, class, title text, aria-label, content paragraph)
    let cases = [
        (":::note\nBody\n:::\n", "admonition-note", "Note", "Note", "Body"),
        (":::tip[Custom *title*]\nBody\n:::\n", "admonition-tip", "Custom title", "Tip: Custom title", "Body"),
        (":::warning Be careful\n\nBody\n\n:::\n", "admonition-warning", "Be careful", "Warning: Be careful", "Body"),
        ("> [!NOTE]\n> Body\n", "admonition-note", "Note", "Note", "Body"),
        ("> [!TIP]\n> Body\n", "admonition-tip", "Tip", "Tip", "Body"),
        ("> [!IMPORTANT]\n> Body\n", "admonition-info", "Important", "Important", "Body"),
        (":::important\nBody\n:::\n", "admonition-info", "Important", "Important", "Body"),
        (":::success\nBody\n:::\n", "admonition-tip", "Success", "Success", "Body"),
        (":::secondary Aside\nBody\n:::\n", "admonition-note", "Aside", "Secondary: Aside", "Body"),
        ("> [!WARNING]\n> Body\n", "admonition-warning", "Warning", "Warning", "Body"),
        ("> [!CAUTION]\n> Body\n", "admonition-danger", "Danger", "Danger", "Body"),
    ];
    for (body, class, title, aria, content) in cases {
        let r = md(body);
        let sel = format!("aside.admonition.{class}[role=\"note\"]");
        assert_eq!(select(&r.html, &sel).len(), 1, "{body:?} -> {}", r.html);
        assert_eq!(texts(&r.html, &format!("{sel} > p.admonition-title")), [title], "{body:?}");
        assert_eq!(attrs(&r.html, &sel, "aria-label"), [aria], "{body:?}");
        assert_eq!(texts(&r.html, &format!("{sel} > p:not(.admonition-title)")), [content], "{body:?}");
        assert!(select(&r.html, "blockquote").is_empty(), "{body:?}");
        assert!(r.diagnostics.is_empty(), "{body:?}: {:?}", r.diagnostics);
    }
}

#[test]
fn admonitions_nest_and_unclosed_ones_warn() {
    let r = md("::::info Outer\nA\n:::danger\nB\n:::\n::::\n");
    assert_eq!(select(&r.html, "aside.admonition-info aside.admonition-danger").len(), 1);
    let r = md("text\n\n:::caution\nnever closed\n");
    assert_eq!(select(&r.html, "aside.admonition-caution p").len(), 2);
    let d = &r.diagnostics[0];
    assert_eq!((d.is_error(), d.line, d.message.as_str()), (false, 3, "`:::caution` is never closed"));
}

#[test]
fn code_blocks() {
    let body = "```C#\nvar x = 1;\n```\n\n```yml\na: 1\n```\n\n```dotnet\ndotnet build\n```\n\n```foo\nx\n```\n\n```DOTNET\ny\n```\n";
    let r = md(body);
    assert_eq!(attrs(&r.html, "div.code-block", "data-lang"), ["csharp", "yaml", "dotnet", "foo", "dotnet"]);
    assert_eq!(
        attrs(&r.html, "div.code-block > pre.code[tabindex=\"0\"] > code", "class"),
        ["language-csharp", "language-yaml", "language-dotnet", "language-foo", "language-dotnet"]
    );
    assert_eq!(r.unknown_languages, ["dotnet", "foo"]);
    assert_eq!(r.code_blocks, 5);
    assert_eq!(md("Text with `inline code` only.\n\n    indented code\n").code_blocks, 1);
    assert_eq!(md("Text with `inline code` only.\n").code_blocks, 0);
    assert!(!select(&r.html, "code.language-csharp span[class^=\"hl-\"]").is_empty(), "{}", r.html);
    assert!(select(&r.html, "code.language-foo span[class^=\"hl-\"]").is_empty());
    assert!(select(&r.html, "button").is_empty());
}

#[test]
fn mermaid_fences_become_figures_at_their_place() {
    let body = "Intro.\n\n```mermaid\nflowchart TD\n  A --> B\n```\n\n- item\n\n  ```Mermaid title=\"x\"\n  sequenceDiagram\n    A->>B: hi\n  ```\n\n```text\nmermaid\n```\n";
    let r = render(body, Path::new("docs/a.md"), 4, &MarkdownOptions::default(), &FakeResolver::default());
    assert_eq!(r.diagrams, [DiagramAt { line: 7, column: 1 }, DiagramAt { line: 14, column: 3 }]);
    assert_eq!(attrs(&r.html, "figure.diagram", "data-label"), ["Flowchart", "Sequence diagram"]);
    assert_eq!(
        texts(&r.html, "figure.diagram[data-diagram=\"mermaid\"] > div.code-block > pre > code.language-mermaid"),
        ["flowchart TD\n  A --> B\n", "sequenceDiagram\n  A->>B: hi\n"]
    );
    assert!(r.unknown_languages.is_empty(), "{:?}", r.unknown_languages);
    assert_eq!(texts(&r.html, "code.language-text"), ["mermaid\n"]);
    // Without highlighting (the facts pass), a diagram is the same.
    let plain = render(
        body,
        Path::new("docs/a.md"),
        4,
        &MarkdownOptions { highlight: false, ..Default::default() },
        &FakeResolver::default(),
    );
    assert_eq!(plain.html, r.html);
}

#[test]
fn code_metastring() {
    let r = md("```bash title=\"Terminal\" {2,4-5}\none\ntwo\nthree\nfour\nfive\nsix\n```\n");
    assert_eq!(texts(&r.html, "div.code-block > div.code-title"), ["Terminal"]);
    assert_eq!(texts(&r.html, "span.code-line.highlighted"), ["two\n", "four\n", "five\n"]);
    assert_eq!(select(&r.html, "span.code-line").len(), 6);
}

#[test]
fn links_are_resolved_and_positioned() {
    let body = "Intro [a](./a.md) and [b](../dir/b.md#part).\n\n- [ext](https://example.com)\n- <https://auto.example>\n\n[ref link][r] <a href=\"./raw.md\">raw</a>\n\n[r]: ./ref.md\n\n![pic](img/p.png)\n";
    let resolver = FakeResolver::default();
    let r = render(body, Path::new("docs/a.md"), 4, &MarkdownOptions::default(), &resolver);
    let got: Vec<(LinkKind, &str, usize, usize)> =
        r.links.iter().map(|l| (l.kind, l.dest.as_str(), l.line, l.column)).collect();
    assert_eq!(
        got,
        [
            (LinkKind::Link, "./a.md", 5, 7),
            (LinkKind::Link, "../dir/b.md#part", 5, 23),
            (LinkKind::Link, "https://example.com", 7, 3),
            (LinkKind::Link, "https://auto.example", 8, 3),
            (LinkKind::Link, "./ref.md", 10, 1),
            (LinkKind::Link, "./raw.md", 10, 24),
            (LinkKind::Image, "img/p.png", 14, 1),
        ]
    );
    assert_eq!(
        attrs(&r.html, "p a:not(.image-link)", "href"),
        ["/resolved/a", "/resolved/b#part", "/resolved/ref", "./raw.md"]
    );
    let seen = resolver.seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(seen.contains(&"./a.md".to_string()) && seen.contains(&"https://example.com".to_string()));
}

#[test]
fn images_get_sizes_and_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("tiny.png"), tiny_png(3, 2)).expect("write png");
    let resolver = FakeResolver { image_dir: Some(dir.path().to_path_buf()), ..Default::default() };
    let body = "![Alt *text*](./tiny.png \"T\")\n\n[![Wrapped](tiny.png)](tiny.png)\n\n![Missing](gone.png)\n";
    let r = render_with(body, &resolver);
    let imgs = attrs(&r.html, "img", "src");
    assert_eq!(imgs, ["/img/tiny.png", "/img/tiny.png", "/img/gone.png"]);
    assert_eq!(attrs(&r.html, "img", "alt"), ["Alt text", "Wrapped", "Missing"]);
    assert_eq!(attrs(&r.html, "img", "width"), ["3", "3"]);
    assert_eq!(attrs(&r.html, "img", "height"), ["2", "2"]);
    assert_eq!(attrs(&r.html, "img", "loading"), ["lazy", "lazy", "lazy"]);
    assert_eq!(attrs(&r.html, "img", "decoding"), ["async", "async", "async"]);
    assert_eq!(attrs(&r.html, "a.image-link", "href"), ["/img/tiny.png", "/img/gone.png"]);
    assert_eq!(select(&r.html, "a > a").len(), 0);
    assert_eq!(attrs(&r.html, "a:not(.image-link) > img", "alt"), ["Wrapped"]);
}

/// The 33 bytes up to IHDR are all imagesize reads; a valid PNG signature and header.
fn tiny_png(width: u32, height: u32) -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

#[test]
fn gfm_tables_footnotes_tasks_strikethrough() {
    let body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ text[^1]\n\n[^1]: The note.\n";
    let r = md(body);
    assert_eq!(select(&r.html, "div.table-wrap > table").len(), 1);
    assert_eq!(select(&r.html, "input[type=\"checkbox\"]").len(), 2);
    assert_eq!(texts(&r.html, "del"), ["old"]);
    assert_eq!(attrs(&r.html, "sup > a[data-footnote-ref]", "href"), ["#user-content-fn-1"]);
}

#[test]
fn footnotes_have_docusaurus_ids_and_sit_at_the_end() {
    let body = "Intro[^Note] and[^1] again[^note].\n\n[^1]: First.\n\n[^note]: Second *one*.\n\n[^unused]: Never referenced.\n\nAfter.\n";
    let r = md(body);
    assert_eq!(
        attrs(&r.html, "sup > a", "id"),
        ["user-content-fnref-note", "user-content-fnref-1", "user-content-fnref-note-2"]
    );
    assert_eq!(texts(&r.html, "sup > a"), ["1", "2", "1"]);
    assert_eq!(attrs(&r.html, "section.footnotes li", "id"), ["user-content-fn-note", "user-content-fn-1"]);
    assert_eq!(texts(&r.html, "section.footnotes li p"), ["Second one. ↩ ↩2", "First. ↩"]);
    assert_eq!(
        attrs(&r.html, "section.footnotes a.data-footnote-backref", "href"),
        ["#user-content-fnref-note", "#user-content-fnref-note-2", "#user-content-fnref-1"]
    );
    // The section comes after the page's last paragraph, and unused definitions are dropped.
    assert!(r.html.find("After.").unwrap() < r.html.find("<section data-footnotes").unwrap());
    assert!(!r.html.contains("Never referenced"));
}

#[test]
fn description_is_first_paragraph_text() {
    let cases = [
        (
            "# T\n\n```\ncode\n```\n\nFirst **para** with `code`\nand [link](x.md).\n\nSecond\n",
            Some("First para with code and link."),
        ),
        (":::note Title here\nInside\n:::\n", Some("Inside")),
        ("## Only heading\n", None),
    ];
    for (body, want) in cases {
        assert_eq!(md(body).description.as_deref(), want, "{body:?}");
    }
    let long = format!("{}\n", "word ".repeat(200));
    let got = md(&long).description.unwrap_or_default();
    assert!(got.chars().count() <= 301 && got.ends_with('…'), "{got}");
}

#[test]
fn raw_html_passes_through() {
    let r = md("<details>\n<summary>More</summary>\n\nHidden *md*\n\n</details>\n\nA <kbd>Ctrl</kbd> key\n");
    assert_eq!(texts(&r.html, "details > summary"), ["More"]);
    assert_eq!(texts(&r.html, "kbd"), ["Ctrl"]);
    assert_eq!(texts(&r.html, "em"), ["md"]);
}

#[test]
fn odd_input_does_not_panic() {
    let cases = [
        "",
        "<",
        ":::",
        "```",
        "{/*",
        "<TextToSpeech",
        "![",
        "[a](",
        "<a href=",
        "<img src='é",
        "\r\n\r\n# T\r\n",
        "# 🚀\n## 🚀\n",
        "<!--",
        ":::note[",
        "```js {99999999999999999999}\nx\n```\n",
        "> [!NOTE]\n",
        "|a|\n|-|\n",
        "<Foo\n",
        "</TextToSpeech>",
        "import",
        "export",
        "[^x]\n\n[^x]: y",
        "<a href=\"é\" title=é>",
        "\u{feff}x",
    ];
    for body in cases {
        let r = md(body);
        assert!(r.html.len() < 10_000, "{body:?}");
    }
}

#[test]
fn admonition_inside_a_list_item() {
    let r = md("1. Step one\n   :::tip\n   Do this\n   :::\n2. Step two\n");
    assert_eq!(select(&r.html, "ol > li").len(), 2, "{}", r.html);
    assert_eq!(texts(&r.html, "ol > li aside.admonition-tip > p:not(.admonition-title)"), ["Do this"]);
}

#[test]
fn crlf_bodies() {
    let r = md("# T\r\n\r\n:::note\r\nx [a](b.md)\r\n:::\r\n");
    assert_eq!(r.title.as_deref(), Some("T"));
    assert_eq!(select(&r.html, "aside.admonition-note").len(), 1);
    assert_eq!((r.links[0].line, r.links[0].column), (4, 3));
}

/// The build reads pages once without highlighting (for links, headings, speech and a hash)
/// and highlights code only when it writes a page: both passes must agree on everything else.
#[test]
fn rendering_without_highlighting_changes_only_the_code_markup() {
    let body = "# Title\n\nIntro with `inline` code.\n\n## Steps {#steps}\n\n<TextToSpeech>\n\nSay this.\n\n```csharp title=\"Program.cs\" {2}\nvar x = 1;\nConsole.WriteLine(x);\n```\n\n</TextToSpeech>\n\n```unknownlang\nplain\n```\n\n[a link](./b.md#part)\n";
    let resolver = FakeResolver::default();
    let plain_opts = MarkdownOptions { highlight: false, ..MarkdownOptions::default() };
    let full = render(body, Path::new("docs/a.md"), 0, &MarkdownOptions::default(), &resolver);
    let plain = render(body, Path::new("docs/a.md"), 0, &plain_opts, &resolver);
    assert_ne!(full.html, plain.html, "highlighting adds spans");
    assert_eq!(Rendered { html: String::new(), ..full.clone() }, Rendered { html: String::new(), ..plain.clone() });
    assert_eq!(crate::speech::extract_speech(&full.html), crate::speech::extract_speech(&plain.html));
    assert_eq!(crate::html::element_ids(&full.html), crate::html::element_ids(&plain.html));
    let text = |html: &str| Html::parse_fragment(html).root_element().text().collect::<String>();
    assert_eq!(text(&full.html), text(&plain.html));
    assert_eq!(select(&plain.html, "pre code.language-csharp").len(), 1);
}

#[test]
fn placeholder_alt_text_is_an_accessibility_warning() {
    let body = "Intro.\n\n![alt_text](a.png) and ![Pic](b.png)\n\n![Deploy workflow](c.png) ![](d.png)\n";
    let r = render(body, Path::new("docs/a.md"), 2, &MarkdownOptions::default(), &FakeResolver::default());
    let got: Vec<(bool, usize, usize, &str)> =
        r.diagnostics.iter().map(|d| (d.is_error(), d.line, d.column, d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            (false, 5, 1, "image alt text 'alt_text' does not describe the image"),
            (false, 5, 24, "image alt text 'Pic' does not describe the image"),
        ]
    );
}

#[test]
fn tabs_render_every_panel_with_its_label() {
    let body = "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n<Tabs groupId=\"os\"\n  values={[\n    {label: 'macOS', value: 'mac'},\n    {label: 'Windows', value: 'win'},\n  ]}>\n<TabItem value=\"mac\">\n\nRun **brew**.\n\n</TabItem>\n<TabItem value=\"win\" default>\n\n```bash\n<TabItem value=\"not-a-tab\">\n```\n\n</TabItem>\n</Tabs>\n\nAfter.\n";
    let r = md(body);
    assert_eq!(attrs(&r.html, "div.tabs", "data-group-id"), ["os"]);
    assert_eq!(attrs(&r.html, "div.tabs", "data-default"), ["win"]);
    assert_eq!(attrs(&r.html, "div.tabs > div.tab-panel", "data-value"), ["mac", "win"]);
    assert_eq!(texts(&r.html, "div.tab-panel > p.tab-panel-label"), ["macOS", "Windows"]);
    // The default tab's panel is marked: it alone shows while the page waits for lectern.js.
    assert_eq!(attrs(&r.html, "div.tabs > div.tab-panel[data-shown]", "data-value"), ["win"]);
    assert_eq!(texts(&r.html, "div.tab-panel strong"), ["brew"]);
    assert_eq!(select(&r.html, "div.tab-panel pre").len(), 1);
    assert_eq!(texts(&r.html, "div.tabs + p"), ["After."]);
    assert!(r.components.is_empty(), "{:?}", r.components);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn details_and_admonition_components() {
    let body = "<Details summary=\"More\">\n\nHidden *text*.\n\n</Details>\n\n<Admonition type=\"warning\" title=\"Careful\">\n\nBody.\n\n</Admonition>\n\n<Tabs>\n<TabItem value=\"a\" label=\"A\">\n\nNever closed.\n</Tabs>\n";
    let r = md(body);
    assert_eq!(texts(&r.html, "details.details > summary"), ["More"]);
    assert_eq!(texts(&r.html, "details.details em"), ["text"]);
    assert_eq!(texts(&r.html, "aside.admonition-warning > p.admonition-title"), ["Careful"]);
    assert_eq!(texts(&r.html, "div.tabs > div.tab-panel > p:not(.tab-panel-label)"), ["Never closed."]);
    let messages: Vec<_> = r.diagnostics.iter().map(|d| (d.line, d.message.as_str())).collect();
    assert_eq!(messages, [(14, "<TabItem> is never closed")]);
}

#[test]
fn indentation_inside_components_is_not_code() {
    let body = "<Tabs>\n  <TabItem value=\"a\" label=\"A\">\n    Indented *text*.\n\n    - one\n      - two\n\n    ```js\n    if (x) {\n      y();\n    }\n    ```\n  </TabItem>\n</Tabs>\n\nAfter.\n\n    real indented code\n";
    let r = md(body);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(texts(&r.html, "div.tab-panel > p:not(.tab-panel-label)"), ["Indented text."]);
    assert_eq!(texts(&r.html, "div.tab-panel li li"), ["two"]);
    assert_eq!(texts(&r.html, "div.tab-panel pre code"), ["if (x) {\n  y();\n}\n"]);
    assert_eq!(texts(&r.html, "html > pre code, html > div > pre code"), ["real indented code\n"]);
}

#[test]
fn code_block_components_become_fenced_blocks() {
    let body = "export const v = '2';\n\n<CodeBlock language=\"bash\" title=\"t.sh\" metastring=\"{2}\">\n{`echo ${v}\nls`}\n</CodeBlock>\n\nAfter {v}.\n";
    let r = md(body);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(texts(&r.html, "div.code-block .code-title"), ["t.sh"]);
    assert_eq!(texts(&r.html, "span.code-line"), ["echo 2\n", "ls\n"]);
    assert_eq!(texts(&r.html, "span.code-line.highlighted"), ["ls\n"]);
    assert_eq!(texts(&r.html, "p"), ["After 2."]);
    assert!(r.components.is_empty());
}
