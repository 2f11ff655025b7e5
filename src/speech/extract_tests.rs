//! Table tests for [`super::spoken_segments`] and [`super::extract_speech`] on HTML as the
//! markdown stage writes it for real playbook pages.

use super::*;

fn segments(html: &str) -> Vec<String> {
    spoken_segments(html)
}

#[test]
fn headings_paragraphs_links_and_inline_code() {
    let html = r##"<h2 id="introduction">Introduction:<a class="anchor" href="#introduction" aria-label="Direct link to Introduction:">#</a></h2>
<p>Unit tests are used to test the functionality of an individual function or a
collection of functions. This will be a simple introduction to unit testing.</p>
<p><strong>This article assumes you are working in a repository forked from <a href="https://github.com/LBHackney-IT/lbh-example-api">LBHackney-IT/lbh-example-api</a>.</strong></p>
<p>Create a new file somewhere, named <code>GreetingGatewayTests.cs</code>.</p>
<p>Use a separate <code>&lt;ProjectName&gt;.Tests</code> namespace &amp; folder.</p>"##;
    assert_eq!(
        segments(html),
        [
            "Introduction.",
            "Unit tests are used to test the functionality of an individual function or a collection of functions. This will be a simple introduction to unit testing.",
            "This article assumes you are working in a repository forked from LBHackney-IT or lbh-example-api.",
            "Create a new file somewhere, named greeting gateway tests dot C S.",
            "Use a separate project name tests namespace and folder.",
        ]
    );
}

#[test]
fn lists_nested_lists_and_emphasis() {
    let html = "<ul>\n<li><em>The <code>using</code> statements at the top provide references.</em></li>\n<li>Parent item<ul><li>Child one</li><li>Child two</li></ul></li>\n</ul>\n<ol><li>First</li></ol>";
    assert_eq!(
        segments(html),
        [
            "The using statements at the top provide references.",
            "Parent item.",
            "Child one.",
            "Child two.",
            "1: First."
        ]
    );
}

#[test]
fn tables_are_read_row_by_row() {
    let html = r#"<div class="table-wrapper"><table><thead><tr><th>Env Var Name</th><th>Description</th><th>Default Value</th></tr></thead><tbody>
<tr><td><strong>DynamoDb_LocalMode</strong></td><td>Indicates whether or not to use a local DynamoDb instance.<br/>If false it is assumed that credentials were given.</td><td>true</td></tr>
<tr><td><strong>DynamoDb_LocalServiceUrl</strong></td><td>The Uri to the local DynamoDb instance.</td><td>http://localhost:8000</td></tr>
<tr><td></td><td>Only description</td><td></td></tr>
</tbody></table></div>"#;
    assert_eq!(
        segments(html),
        [
            "Env Var Name: dynamo DB local mode. Description: Indicates whether or not to use a local DynamoDb instance. If false it is assumed that credentials were given. Default Value: true.",
            "Env Var Name: dynamo DB local service URL. Description: The Uri to the local DynamoDb instance. Default Value: localhost:8000.",
            "Description: Only description.",
        ]
    );
}

#[test]
fn code_images_admonitions_and_skipped_things() {
    let html = r#"<p>Create the class.</p>
<div class="code-block" data-lang="csharp"><div class="code-title">Tests.cs</div><pre class="code hl-code" tabindex="0"><code class="language-csharp"><span class="code-line">using NUnit.Framework; // a comment. With sentences.</span></code></pre></div>
<div class="code-block"><pre class="code"><code>plain</code></pre></div>
<div class="code-block" data-lang="yaml"><pre><code>a: 1</code></pre></div>
<p><img src="/img/arch.png" alt="Architecture  diagram" width="10"></p>
<p><img src="/img/spacer.png" alt=""></p>
<aside class="admonition admonition-tip" role="note" aria-label="Tip"><p class="admonition-title">Tip</p>
<p>Run the tests often!</p></aside>
<figure class="video-container"><iframe title="YouTube video player" src="https://youtube.com/x"></iframe></figure>
<details><summary>More detail</summary><p>Hidden until opened, still read.</p></details>
<p>Visible <span aria-hidden="true">decoration</span>text<svg><title>icon</title></svg>.</p>
<div hidden><p>Never shown</p></div>
<script>var a = "not spoken";</script>"#;
    assert_eq!(
        segments(html),
        [
            "Create the class.",
            "Code example in C sharp, skipped.",
            "Code example, skipped.",
            "Code example in YAML, skipped.",
            "Image: Architecture diagram.",
            "Tip.",
            "Run the tests often!",
            "Video: YouTube video player.",
            "More detail.",
            "Hidden until opened, still read.",
            "Visible text.",
        ]
    );
}

#[test]
fn urls_are_not_read() {
    let html = "<p>See https://www.github.com/LBHackney-IT/API-Playbook/blob/main/x.md, or (http://localhost:8000/health).</p><p>Go to www.hackney.gov.uk.</p>";
    assert_eq!(segments(html), ["See github.com, or (localhost:8000).", "Go to hackney.gov.uk."]);
}

#[test]
fn players_and_nested_markup_are_skipped_and_blocks_found() {
    let page = r#"<p>Outside</p>
<section class="lectern-speech" data-speech-block="0">
<div class="speech-player" hidden><button>Listen</button><span>Status text</span></div>
<section><p>Inner section</p></section>
<p>After.</p>
</section>
<section class="lectern-speech" data-speech-block="1"><p>Second</p></section>"#;
    let blocks = find_blocks(page);
    assert_eq!(blocks.iter().map(|b| b.number.as_str()).collect::<Vec<_>>(), ["0", "1"]);
    assert_eq!(extract_speech(&page[blocks[0].content.clone()]), ["Inner section.", "After."]);
    assert_eq!(extract_speech(&page[blocks[1].content.clone()]), ["Second."]);
}

#[test]
fn sentences_of_a_block() {
    let html = "<h2>Why?</h2><p>It is fast, e.g. 3.3 times faster. Versions 1.2.3 and 2.0 work. See Dr. Who etc. for details.</p>";
    assert_eq!(
        extract_speech(html),
        [
            "Why?",
            "It is fast, for example 3.3 times faster.",
            "Versions 1.2.3 and 2.0 work.",
            "See Dr. Who et cetera for details."
        ]
    );
}

#[test]
fn code_notes_name_languages() {
    for (lang, want) in [
        (Some("csharp"), "Code example in C sharp, skipped."),
        (Some("bash"), "Code example in shell, skipped."),
        (Some("json"), "Code example in JSON, skipped."),
        (Some("python"), "Code example in Python, skipped."),
        (Some("go"), "Code example in Go, skipped."),
        (Some("text"), "Code example, skipped."),
        (None, "Code example, skipped."),
    ] {
        assert_eq!(code_note(lang), want, "{lang:?}");
    }
}

#[test]
fn numbered_lists_keep_their_numbers() {
    let html = "<p>Then see step 3.</p><ol>\n<li>Open your distribution.</li>\n<li>Choose <strong>Create Behavior</strong>. Or edit one.</li>\n<li><p>Under Cache key, select:</p><ul><li>Legacy settings</li></ul></li>\n</ol><ol start=\"7\"><li>Seventh</li></ol>";
    assert_eq!(
        extract_speech(html),
        [
            "Then see step 3.",
            "1: Open your distribution.",
            "2: Choose Create Behavior.",
            "Or edit one.",
            "3: Under Cache key, select.",
            "Legacy settings.",
            "7: Seventh."
        ]
    );
}

#[test]
fn placeholder_images_are_skipped_and_videos_announced() {
    let html = r#"<p><img src="a.png" alt="alt_text"><img src="b.png" alt="Pic"><img src="c.png" alt="img_01.png"><img src="d.png" alt="Staging &amp;amp; Prod Workflow"></p>
<h3>Video Tutorial:</h3>
<figure class="video-container"><iframe width="100%" src="https://www.youtube.com/embed/x" title="YouTube video player"></iframe></figure>
<iframe src="https://example.org/form"></iframe>"#;
    assert_eq!(
        extract_speech(html),
        ["Image: Staging and Prod Workflow.", "Video Tutorial.", "Video: YouTube video player.", "Embedded page."]
    );
}

#[test]
fn run_in_labels_and_stray_markers() {
    let html = "<p><em>Product Name: API Playbook</em>\n<em>Version: V4</em>\n<em>Release Date: September 2022</em></p>\n<p>** Service Maps ** - one view of every dependency;</p><p>Set <code>AWS_ACCESS_KEY_ID</code> in <code>serverless.yml</code>, i.e. the config.</p>";
    assert_eq!(
        extract_speech(html),
        [
            "Product Name: API Playbook.",
            "Version: V4.",
            "Release Date: September 2022.",
            "Service Maps - one view of every dependency.",
            "Set A-W-S access key I-D in serverless dot YAML, that is the config."
        ]
    );
}

#[test]
fn sentences_keep_the_words_the_page_shows() {
    let html = "<ol><li>Edit <code>serverless.yml</code> (e.g. the <code>/customers/{id}</code> route).</li></ol>";
    let got = extract_sentences(html);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].spoken, "1: Edit serverless dot YAML (for example the customers path route).");
    assert_eq!(got[0].shown, "Edit serverless.yml (e.g. the /customers/{id} route).");
}

#[test]
fn diagrams_are_announced_by_name_never_read_as_source() {
    let flowchart = crate::markdown::render(
        "Before.\n\n```mermaid\n---\ntitle: Release & deploy\n---\nflowchart TD\n  A[Merge] --> B[Deploy]\n```\n\n```mermaid\nsequenceDiagram\n  Alice->>Bob: Hello\n```\n\nAfter.\n",
        std::path::Path::new("docs/a.md"),
        0,
        &crate::markdown::MarkdownOptions::default(),
        &NoLinks,
    );
    assert_eq!(segments(&flowchart.html), ["Before.", "Flowchart: Release and deploy.", "Sequence diagram.", "After."]);
    let bare = r#"<figure class="diagram" data-diagram="mermaid"><div class="code-block"><pre><code>graph TD</code></pre></div></figure>"#;
    assert_eq!(segments(bare), ["Diagram."]);
}

struct NoLinks;

impl crate::markdown::LinkResolver for NoLinks {
    fn resolve_link(&self, _: &str) -> Option<String> {
        None
    }
    fn resolve_image(&self, _: &str) -> Option<crate::markdown::ResolvedImage> {
        None
    }
}
