//! Rendering end to end: a fixture page with every Markdown and MDX-lite feature is built with
//! the binary and the HTML is checked by selectors: head metadata, admonitions, code, images,
//! headings and table of contents, edit/feedback/last-updated links, pagination, 404, sitemap.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use scraper::{ElementRef, Html, Selector};

struct Built {
    _site: tempfile::TempDir,
    out: std::path::PathBuf,
    stderr: String,
}

fn build_fixture(with_git: bool) -> Built {
    let site = support::copy_fixture("render");
    if with_git {
        git_commit(site.path(), "2024-01-02T10:00:00Z");
    }
    let out = site.path().join("out");
    let run = support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    Built { stderr: String::from_utf8_lossy(&run.stderr).into_owned(), out, _site: site }
}

fn git_commit(dir: &Path, date: &str) {
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .expect("git runs")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "fixture"]);
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn all<'a>(doc: &'a Html, s: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(s)).collect()
}

fn text(e: &ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn attr(doc: &Html, s: &str, a: &str) -> Option<String> {
    doc.select(&sel(s)).next().and_then(|e| e.value().attr(a).map(str::to_string))
}

#[test]
fn head_carries_title_description_canonical_and_open_graph() {
    let b = build_fixture(false);
    let p = page(&b.out, "Basics/features/index.html");
    assert_eq!(text(&all(&p, "title")[0]), "Features & \"quotes\" <tags> | Render fixture");
    assert_eq!(attr(&p, "meta[name=description]", "content").as_deref(), Some("Everything a page can hold."));
    assert_eq!(attr(&p, "link[rel=canonical]", "href").as_deref(), Some("https://docs.example.org/Basics/features"));
    assert_eq!(
        attr(&p, "meta[property='og:image']", "content").as_deref(),
        Some("https://docs.example.org/doc-images/diagram.png")
    );
    assert_eq!(attr(&p, "link[rel=icon]", "href").as_deref(), Some("/favicon.ico"));
    assert_eq!(text(&all(&p, "article h1, .doc > h1, header h1")[0]), "Features & \"quotes\" <tags>");
    // The first paragraph is the description when front matter has none.
    let plain = page(&b.out, "Basics/plain/index.html");
    assert_eq!(
        attr(&plain, "meta[name=description]", "content").as_deref(),
        Some("First paragraph becomes the description.")
    );
}

#[test]
fn mdx_lite_keeps_content_and_drops_syntax() {
    let b = build_fixture(false);
    let p = page(&b.out, "Basics/features/index.html");
    let article = text(&all(&p, "article")[0]);
    assert!(!article.contains("import "), "{article}");
    assert!(!article.contains("an MDX comment") && !article.contains("an HTML comment"));
    let speech = all(&p, "article section.lectern-speech");
    assert_eq!(speech.len(), 1);
    assert!(text(&speech[0]).contains("This part is read aloud."));
    assert_eq!(all(&p, "article section.lectern-speech h2").len(), 1);
    assert!(article.contains("Tab content stays."));
    assert_eq!(all(&p, "article steps").len(), 0);
    let inline: Vec<String> = all(&p, "article p code").iter().map(text).collect();
    assert!(inline.contains(&"IntegrationTests<Startup>".to_string()), "{inline:?}");
    // Warned about once per build, naming the first page that uses it.
    assert_eq!(b.stderr.matches("component <Steps> is not known").count(), 1, "{}", b.stderr);
    assert_eq!(b.stderr.matches("code language `brainfuck` is not known").count(), 1, "{}", b.stderr);
}

#[test]
fn admonitions_and_alerts_are_accessible_callouts() {
    let b = build_fixture(false);
    let p = page(&b.out, "Basics/features/index.html");
    let asides = all(&p, "article aside.admonition");
    let kinds: Vec<(String, String)> = asides
        .iter()
        .map(|a| {
            (
                a.value().attr("class").unwrap_or("").to_string(),
                text(&a.select(&sel(".admonition-title")).next().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("admonition admonition-tip".into(), "Try this".into()),
            ("admonition admonition-warning".into(), "Careful".into()),
            ("admonition admonition-note".into(), "Note".into()),
        ]
    );
    assert!(asides.iter().all(|a| a.value().attr("aria-label").is_some()));
}

#[test]
fn code_is_highlighted_with_titles_and_line_marks() {
    let b = build_fixture(false);
    let p = page(&b.out, "Basics/features/index.html");
    let blocks = all(&p, "article .code-block");
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[0].value().attr("data-lang"), Some("csharp"));
    assert!(blocks[0].select(&sel("span[class*='hl-']")).count() > 3, "c# is highlighted");
    assert_eq!(text(&blocks[0].select(&sel("code")).next().unwrap()), "public List<Entity> Items { get; }");
    assert_eq!(text(&blocks[1].select(&sel(".code-title")).next().unwrap()), "config.yml");
    let lines: Vec<bool> = blocks[1]
        .select(&sel(".code-line"))
        .map(|l| l.value().attr("class").unwrap_or("").contains("highlighted"))
        .collect();
    assert_eq!(lines, vec![false, true]);
    assert_eq!(blocks[2].select(&sel("span[class*='hl-']")).count(), 0, "unknown language is plain");
    let css = fs::read_to_string(b.out.join("assets/highlight.css")).unwrap();
    assert!(css.contains(".hl-") && css.contains("data-theme=\"dark\""));
}

#[test]
fn headings_get_ids_anchors_and_a_table_of_contents() {
    let b = build_fixture(false);
    let p = page(&b.out, "Basics/features/index.html");
    let ids: Vec<String> = all(&p, "article h2, article h3, article h4")
        .iter()
        .filter_map(|h| h.value().attr("id").map(String::from))
        .collect();
    assert_eq!(
        ids,
        vec![
            "spoken-section",
            "admonitions",
            "code",
            "third-level",
            "fourth-level",
            "images",
            "install",
            "repeat",
            "repeat-1",
            // The footnotes' heading, for screen readers only, as Docusaurus writes it.
            "footnote-label"
        ]
    );
    assert_eq!(attr(&p, "article h2#code a.anchor", "href").as_deref(), Some("#code"));
    let toc: Vec<String> = all(&p, "nav[aria-label='On this page'] a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(toc.contains(&"#fourth-level".to_string()), "toc_max_heading_level: 4 includes h4: {toc:?}");
    assert!(toc.contains(&"#install".to_string()));
    assert!(!toc.contains(&"#footnote-label".to_string()), "the footnotes' heading is not in the contents: {toc:?}");
    let plain = page(&b.out, "Basics/plain/index.html");
    assert!(all(&plain, "nav[aria-label='On this page']").is_empty(), "hide_table_of_contents");
    assert!(all(&plain, "h1").is_empty(), "hide_title hides the front matter's title");
}

#[test]
fn images_have_sizes_lazy_loading_and_open_full_size() {
    let b = build_fixture(false);
    let p = page(&b.out, "Basics/features/index.html");
    let imgs = all(&p, "article img");
    assert_eq!(imgs.len(), 2);
    for img in &imgs {
        let v = img.value();
        assert_eq!((v.attr("width"), v.attr("height")), (Some("64"), Some("32")));
        assert_eq!(v.attr("loading"), Some("lazy"));
        assert_eq!(v.attr("src"), Some("/doc-images/diagram.png"));
    }
    assert_eq!(imgs[0].value().attr("alt"), Some("A diagram"));
    let links: Vec<String> =
        all(&p, "article a:has(> img)").iter().filter_map(|a| a.value().attr("href").map(String::from)).collect();
    assert_eq!(links, vec!["/doc-images/diagram.png", "/doc-images/diagram.png"]);
    assert!(b.out.join("doc-images/diagram.png").is_file());
}

#[test]
fn edit_feedback_and_last_updated_links() {
    let b = build_fixture(true);
    let p = page(&b.out, "Basics/features/index.html");
    assert_eq!(
        attr(&p, "a.doc-meta-link[href*='/edit/']", "href").as_deref(),
        Some("https://github.com/example/handbook/edit/trunk/docs/01-Basics/01-features.md")
    );
    let feedback =
        all(&p, "a.doc-meta-link").into_iter().find(|a| text(a).contains("Report a problem")).expect("feedback link");
    let href = feedback.value().attr("href").unwrap();
    assert!(href.starts_with("https://github.com/example/handbook/issues/new?title="), "{href}");
    assert!(href.contains("Features%20%26%20%22quotes%22%20%3Ctags%3E"), "title is encoded: {href}");
    assert!(href.contains("https%3A%2F%2Fdocs.example.org%2FBasics%2Ffeatures"), "URL is encoded: {href}");
    assert_eq!(text(&all(&p, ".last-updated")[0]), "Last updated on 2 January 2024");
    // Front matter wins over git; custom_edit_url replaces or hides the link.
    let plain = page(&b.out, "Basics/plain/index.html");
    assert_eq!(text(&all(&plain, ".last-updated")[0]), "Last updated on 1 March 2024");
    assert!(all(&plain, "a.doc-meta-link[href*='/edit/']").is_empty());
    let custom = page(&b.out, "Basics/custom-edit/index.html");
    assert_eq!(attr(&custom, "a.doc-meta-link", "href").as_deref(), Some("https://example.org/edit-me"));
    // Outside git there is no date.
    let nogit = build_fixture(false);
    assert!(all(&page(&nogit.out, "Basics/features/index.html"), ".last-updated").is_empty());
}

#[test]
fn previous_next_follow_the_sidebar_with_pagination_labels() {
    let b = build_fixture(false);
    let first = page(&b.out, "Basics/features/index.html");
    assert!(all(&first, "a.pager-prev").is_empty());
    assert_eq!(attr(&first, "a.pager-next", "href").as_deref(), Some("/Basics/plain"));
    assert_eq!(text(&all(&first, "a.pager-next .pager-label")[0]), "Plain page");
    let last = page(&b.out, "Basics/custom-edit/index.html");
    assert_eq!(attr(&last, "a.pager-prev", "href").as_deref(), Some("/Basics/plain"));
}

#[test]
fn site_files_404_sitemap_and_footer() {
    let b = build_fixture(false);
    let nf = page(&b.out, "404.html");
    assert_eq!(attr(&nf, "meta[name=robots]", "content").as_deref(), Some("noindex"));
    assert!(nf.select(&sel("a[href='/']")).count() >= 1);
    let sitemap = fs::read_to_string(b.out.join("sitemap.xml")).unwrap();
    // Three pages and the generated home page (no page of this fixture is at `/`).
    assert_eq!(sitemap.matches("<loc>").count(), 4);
    assert!(sitemap.contains("<loc>https://docs.example.org/</loc>"));
    assert!(b.out.join("index.html").is_file());
    assert!(sitemap.contains("<loc>https://docs.example.org/Basics/features</loc>"));
    let p = page(&b.out, "Basics/plain/index.html");
    assert!(text(&all(&p, "footer")[0]).contains("Copyright Example Council"));
    assert!(b.out.join("favicon.ico").is_file());
}

/// A site with more sidebar entries than the full-sidebar limit: each page carries its own
/// branch, other categories load from small JSON files, so page size does not grow with the site.
#[test]
fn large_sidebars_carry_only_the_current_branch() {
    let site = tempfile::tempdir().unwrap();
    for f in 0..40 {
        let dir = site.path().join(format!("docs/{f:02}-Folder {f}"));
        fs::create_dir_all(&dir).unwrap();
        for p in 0..10 {
            fs::write(dir.join(format!("{p:02}-page-{p}.md")), format!("# Page {f}.{p}\n\nText.\n")).unwrap();
        }
    }
    let out = site.path().join("out");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let p = page(&out, "Folder 3/page-4/index.html");
    let links: Vec<String> = all(&p, "nav[aria-label='Docs sidebar'] .sidebar-list a").iter().map(text).collect();
    assert!(links.contains(&"Page 3.4".to_string()) && links.contains(&"Page 3.9".to_string()));
    assert!(!links.contains(&"Page 7.1".to_string()), "other categories are not inlined");
    let lazy: Vec<String> = all(&p, "nav[aria-label='Docs sidebar'] [data-lazy-src]")
        .iter()
        .filter_map(|e| e.value().attr("data-lazy-src").map(String::from))
        .collect();
    assert_eq!(lazy.len(), 39, "every other category loads on demand");
    let fragment = out.join(lazy[5].trim_start_matches('/'));
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&fragment).unwrap()).unwrap();
    assert!(json["html"].as_str().unwrap().contains("Page 6.0"), "{json}");
    let size_small = fs::metadata(out.join("Folder 3/page-4/index.html")).unwrap().len();
    let size_other = fs::metadata(out.join("Folder 39/page-9/index.html")).unwrap().len();
    assert!(size_small.abs_diff(size_other) < 200, "{size_small} vs {size_other}");
}

/// Highlighted code is kept in `.lectern-cache/highlight.bin` and reused by the next build: an
/// entry doctored in the cache file shows up in the next build's HTML, and editing the block
/// highlights it afresh.
#[test]
fn highlighted_code_is_cached_between_builds() {
    let site = support::copy_fixture("render");
    let out = site.path().join("out");
    let build = || {
        support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
        fs::read_to_string(out.join("Basics/features/index.html")).unwrap()
    };
    let first = build();
    assert!(first.contains("<span class=\"hl-"), "highlighted");
    let cache = site.path().join(".lectern-cache/highlight.bin");
    let bytes = fs::read(&cache).expect("the cache file is written");
    assert!(bytes.starts_with(b"LCTHL02\n"));
    // Same length, so the entry's length prefix still holds.
    let mut doctored = bytes.clone();
    let mut replaced = 0;
    for i in 0..doctored.len().saturating_sub(9) {
        if &doctored[i..i + 7] == b"hl-code" {
            doctored[i..i + 7].copy_from_slice(b"hl-CODE");
            replaced += 1;
        }
    }
    assert!(replaced > 0);
    fs::write(&cache, &doctored).unwrap();
    // Without the previous output the build renders every page again (none is kept from it).
    fs::remove_dir_all(&out).unwrap();
    let second = build();
    assert!(second.contains("hl-CODE"), "the second build used the cache");
    let page = site.path().join("docs/01-Basics/01-features.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("public List<Entity> Items", "public List<Entity> Things").replace("a: 1", "a: 2"))
        .unwrap();
    let third = build();
    let blocks = Html::parse_document(&third);
    let changed: Vec<String> = all(&blocks, ".code-block").iter().take(2).map(|b| b.html()).collect();
    assert!(changed.iter().all(|b| !b.contains("hl-CODE")), "edited blocks are highlighted again");
}

/// `lang` in lectern.yml is the language of every page, the 404 page included.
#[test]
fn lang_key_sets_the_page_language() {
    let site = tempfile::tempdir().unwrap();
    fs::create_dir_all(site.path().join("docs")).unwrap();
    fs::write(site.path().join("lectern.yml"), "title: Documentació\nlang: ca\n").unwrap();
    fs::write(site.path().join("docs/index.md"), "# Inici\n\nBenvinguts.\n").unwrap();
    let out = site.path().join("out");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    for file in ["index.html", "404.html"] {
        assert_eq!(attr(&page(&out, file), "html", "lang").as_deref(), Some("ca"), "{file}");
    }
    let default = build_fixture(false);
    assert_eq!(attr(&page(&default.out, "404.html"), "html", "lang").as_deref(), Some("en"));
}
