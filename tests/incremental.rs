//! Incremental builds: a rebuild keeps the previous build's page files whose inputs did not
//! change and renders the rest, and its output is always byte-identical to a fresh build of the
//! same site into an empty folder.

mod support;

use std::fs;
use std::path::Path;

/// A small playbook: pages in two categories, code, a link, a speech block, a page with no
/// front matter title.
fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let docs = site.path().join("docs");
    for (path, text) in [
        ("index.md", "---\nslug: /\n---\n# Welcome\n\nStart with [the first step](guide/one.md).\n"),
        (
            "guide/one.md",
            "---\ntitle: Step one\nsidebar_position: 1\n---\n\n## Prepare\n\nGather the tools.\n\n```rust\nfn main() {}\n```\n",
        ),
        ("guide/two.md", "---\ntitle: Step two\nsidebar_position: 2\n---\n\n## Review\n\nAsk a colleague.\n"),
        (
            "guide/three.md",
            "---\nsidebar_position: 3\n---\n# Step three\n\n```yaml\nsteps: [one, two]\nowner: team\n```\n\n<TextToSpeech>\n\nRead this aloud. It has two sentences.\n\n</TextToSpeech>\n\n<TextToSpeech>\n\nA second block.\n\n</TextToSpeech>\n",
        ),
        ("reference/terms.md", "---\ntitle: Terms\n---\n\nA glossary of the playbook's words.\n"),
    ] {
        let file = docs.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    fs::write(
        site.path().join("lectern.yml"),
        "title: Incremental\nrepository: https://github.com/example/playbook\nspeech:\n  prerender: never\n",
    )
    .unwrap();
    site
}

/// Builds `root` into `out`; returns the number of pages the build kept from the last one and
/// whether it kept the search index.
fn build(root: &Path, out: &Path) -> (usize, bool) {
    let output = support::lectern_ok(["build".as_ref(), root.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let line = stderr.lines().find(|l| l.starts_with("built ")).unwrap_or_else(|| panic!("no summary:\n{stderr}"));
    let kept = line
        .split_once(" (")
        .and_then(|(_, rest)| rest.split(' ').next())
        .map_or(0, |n| n.parse().unwrap_or_else(|_| panic!("{line}")));
    (kept, line.contains("and the search index"))
}

/// The incremental build in `out` equals a fresh build of the same site.
fn assert_same_as_fresh(root: &Path, out: &Path) {
    let fresh = tempfile::tempdir().unwrap();
    let fresh_out = fresh.path().join("out");
    // A fresh folder: no record, nothing to keep.
    assert_eq!(build(root, &fresh_out), (0, false));
    let (got, want) = (support::tree(out), support::tree(&fresh_out));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    for (path, bytes) in &want {
        assert!(got[path] == *bytes, "{path} differs from a fresh build");
    }
}

fn edit(root: &Path, page: &str, from: &str, to: &str) {
    let path = root.join("docs").join(page);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{page} has no {from:?}");
    fs::write(&path, text.replace(from, to)).unwrap();
}

const PAGES: usize = 5;

/// The playbook, built once into its `build` folder.
fn built_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = site();
    let out = root.path().join("build");
    assert_eq!(build(root.path(), &out), (0, false), "the first build renders everything");
    (root, out)
}

#[test]
fn an_unchanged_site_is_kept_whole_and_an_edit_renders_only_its_page() {
    let (root, out) = built_site();
    // Nothing changed: nothing is built (tests/no_change.rs). A page saved again unchanged is a
    // change of its file's times: the build runs and keeps every page.
    let again = support::lectern_ok(["build".as_ref(), root.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing changed since the last build"));
    let page = root.path().join("docs/guide/one.md");
    fs::write(&page, fs::read(&page).unwrap()).unwrap();
    assert_eq!(build(root.path(), &out), (PAGES, true), "no page's content changed");
    assert_same_as_fresh(root.path(), &out);

    // A body edit: that page and the search index are made again, the rest is kept.
    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a reviewer from another team.");
    assert_eq!(build(root.path(), &out), (PAGES - 1, false));
    let page = fs::read_to_string(out.join("guide/two/index.html")).unwrap();
    assert!(page.contains("another team"));
    assert_same_as_fresh(root.path(), &out);

    // A speech block's text: its page only.
    edit(root.path(), "guide/three.md", "two sentences", "three sentences. Really");
    assert_eq!(build(root.path(), &out), (PAGES - 1, false));
    assert_same_as_fresh(root.path(), &out);
}

/// The build reads a page without highlighting code and writes it highlighted: the players
/// still go inside their own blocks, after highlighted code that is longer than the plain.
#[test]
fn players_go_inside_their_blocks_after_highlighted_code() {
    let (_root, out) = built_site();
    let html = scraper::Html::parse_document(&fs::read_to_string(out.join("guide/three/index.html")).unwrap());
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    assert_eq!(html.select(&select("pre > code.language-yaml")).count(), 1, "the code block is whole");
    assert!(html.select(&select("pre.code span[class^=hl-]")).count() > 0, "and highlighted");
    let blocks: Vec<_> = html.select(&select("section.lectern-speech")).collect();
    assert_eq!(blocks.len(), 2);
    for block in blocks {
        let players = block.select(&select(".speech-player")).count();
        assert_eq!(players, 1, "one player in each block: {}", block.html());
    }
}

#[test]
fn what_every_page_shows_renders_every_page_again() {
    let (root, out) = built_site();

    // A title is in the sidebar of every page.
    edit(root.path(), "guide/two.md", "title: Step two", "title: Step 2");
    assert_eq!(build(root.path(), &out), (0, false));
    assert_same_as_fresh(root.path(), &out);

    // So is a leading H1 that is the title.
    edit(root.path(), "guide/three.md", "# Step three", "# Step 3");
    assert_eq!(build(root.path(), &out).0, 0);
    assert_same_as_fresh(root.path(), &out);

    // The settings.
    let config = root.path().join("lectern.yml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("title: Incremental", "title: Renamed")).unwrap();
    assert_eq!(build(root.path(), &out).0, 0);
    assert_same_as_fresh(root.path(), &out);

    // The theme: a site's own template.
    let theme = root.path().join("theme");
    fs::create_dir_all(&theme).unwrap();
    let builtin = fs::read_to_string(support::manifest_dir().join("theme/page.html")).unwrap();
    fs::write(theme.join("page.html"), builtin.replacen("<main", "<!-- custom -->\n<main", 1)).unwrap();
    assert_eq!(build(root.path(), &out).0, 0);
    assert!(fs::read_to_string(out.join("guide/one/index.html")).unwrap().contains("<!-- custom -->"));
    assert_same_as_fresh(root.path(), &out);

    // Another environment (its banner is on every page; the builds above are production's).
    let output = support::lectern_ok([
        "build".as_ref(),
        root.path().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--env".as_ref(),
        "staging".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The search index does not show the environment: it alone is kept.
    assert!(stderr.contains("(0 unchanged pages and the search index kept"), "{stderr}");
}

#[test]
fn output_changed_by_hand_or_lost_is_made_again() {
    let (root, out) = built_site();
    let page = out.join("guide/one/index.html");
    fs::write(&page, "edited by hand").unwrap();
    fs::remove_file(out.join("reference/terms/index.html")).unwrap();
    assert_eq!(build(root.path(), &out), (PAGES - 2, true));
    assert_same_as_fresh(root.path(), &out);

    // A search file gone: the index is made again.
    let manifest = out.join("search/manifest.json");
    assert!(manifest.is_file());
    fs::remove_file(&manifest).unwrap();
    assert_eq!(build(root.path(), &out), (PAGES, false));
    assert_same_as_fresh(root.path(), &out);

    // A damaged record of the last build: everything is made again.
    let records = root.path().join(".lectern-cache/builds");
    for entry in fs::read_dir(&records).unwrap().flatten() {
        fs::write(entry.path(), "garbage").unwrap();
    }
    assert_eq!(build(root.path(), &out), (0, false));
    assert_same_as_fresh(root.path(), &out);
}

#[test]
fn a_failed_build_keeps_the_output_and_its_record() {
    let (root, out) = built_site();
    let before = support::tree(&out);
    edit(root.path(), "guide/two.md", "Ask a colleague.", "See [nowhere](missing.md).");
    let output = support::lectern(["build".as_ref(), root.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(support::tree(&out), before, "the previous output stays whole");
    edit(root.path(), "guide/two.md", "See [nowhere](missing.md).", "Ask a colleague.");
    assert_eq!(build(root.path(), &out), (PAGES, true), "the record still matches the output");
}
