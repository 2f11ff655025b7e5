//! Incremental builds: after an edit to a few pages' text, a build reads, checks and renders
//! those pages and what depends on them, and changes only their files in the output folder; a
//! change to what every page shows (a title, the settings, the theme) builds every page,
//! keeping the page files whose inputs did not change. Either way the output is byte-identical
//! to a fresh build of the same site into an empty folder: every test compares the two, file by
//! file and folder by folder.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small playbook: pages in two categories, code, links to anchors of other pages, a speech
/// block, a page with no front matter title, a card list, a generated category page, an image.
fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let docs = site.path().join("docs");
    for (path, text) in [
        ("index.md", "---\nslug: /\n---\n# Welcome\n\nStart with [the first step](guide/one.md#prepare).\n"),
        (
            "guide/one.md",
            "---\ntitle: Step one\nsidebar_position: 1\n---\n\nThe first step of three.\n\n## Prepare\n\nGather the tools.\n\n```rust\nfn main() {}\n```\n",
        ),
        (
            "guide/two.md",
            "---\ntitle: Step two\nsidebar_position: 2\n---\n\nThe second step.\n\n## Review\n\nAsk a colleague. See [preparing](one.md#prepare).\n",
        ),
        (
            "guide/three.md",
            "---\nsidebar_position: 3\n---\n# Step three\n\n```yaml\nsteps: [one, two]\nowner: team\n```\n\n<TextToSpeech>\n\nRead this aloud. It has two sentences.\n\n</TextToSpeech>\n",
        ),
        ("guide/overview.md", "---\ntitle: Overview\nsidebar_position: 0\n---\n\nThe steps:\n\n<DocCardList />\n"),
        ("reference/terms.md", "---\ntitle: Terms\n---\n\nA glossary of the playbook's words.\n"),
        ("reference/tools.md", "---\ntitle: Tools\n---\n\nWhat the team uses.\n"),
    ] {
        let file = docs.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    fs::write(docs.join("reference/_category_.yml"), "label: Reference\nlink:\n  type: generated-index\n").unwrap();
    fs::write(docs.join("guide/diagram.png"), b"\x89PNG\r\n\x1a\nnot really an image").unwrap();
    fs::write(
        site.path().join("lectern.yml"),
        "title: Incremental\nrepository: https://github.com/example/playbook\nspeech:\n  prerender: never\n",
    )
    .unwrap();
    site
}

const PAGES: usize = 7;

/// What a build said it did.
#[derive(Debug, PartialEq)]
enum Built {
    /// Nothing changed: the output was left as it was.
    Nothing,
    /// Incremental: this many pages made again.
    Pages(usize),
    /// Every page built; this many page files kept from the last build.
    Full(usize),
}

/// Builds `root` into `out` with `args`; panics when the build fails.
fn build_with(root: &Path, out: &Path, args: &[&str]) -> (Built, String) {
    let mut all = vec!["build".as_ref(), root.as_os_str(), "--out".as_ref(), out.as_os_str()];
    all.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
    let output = support::lectern_ok(all);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if stderr.contains("nothing changed since the last build") {
        return (Built::Nothing, stderr);
    }
    let line = stderr.lines().find(|l| l.starts_with("built ")).unwrap_or_else(|| panic!("no summary:\n{stderr}"));
    let number_after = |marker: &str| {
        let rest = line.split_once(marker)?.1;
        rest.split(' ').next()?.parse::<usize>().ok()
    };
    let built = match number_after("(incremental: ") {
        Some(n) => Built::Pages(n),
        None => Built::Full(number_after(" (").unwrap_or(0)),
    };
    (built, stderr)
}

fn build(root: &Path, out: &Path) -> Built {
    build_with(root, out, &[]).0
}

/// Every folder below `dir`, by path relative to it.
fn folders(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// The build in `out` equals a fresh build of the same site (`--full`, into an empty folder),
/// file by file and folder by folder.
fn assert_same_as_fresh(root: &Path, out: &Path) {
    let fresh = tempfile::tempdir().unwrap();
    let fresh_out = fresh.path().join("out");
    assert_eq!(build_with(root, &fresh_out, &["--full"]).0, Built::Full(0));
    assert_eq!(folders(out), folders(&fresh_out), "the same folders");
    let (got, want) = (support::tree(out), support::tree(&fresh_out));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "the same files");
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

/// The playbook, built once into its `build` folder.
fn built_site() -> (tempfile::TempDir, PathBuf) {
    let root = site();
    let out = root.path().join("build");
    assert_eq!(build(root.path(), &out), Built::Full(0), "the first build renders everything");
    (root, out)
}

/// Every file below `dir` with its inode: which files a build replaced.
#[cfg(unix)]
fn inodes(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), e.metadata().unwrap().ino()))
        .collect()
}

#[cfg(unix)]
#[test]
fn an_edit_changes_only_the_files_made_from_it() {
    let (root, out) = built_site();
    let before = inodes(&out);

    // A body edit: its page, the search index and llms-full.txt are made again, in place.
    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a reviewer from another team.");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    let after = inodes(&out);
    let replaced: Vec<&String> = after.keys().filter(|f| before.get(*f) != Some(&after[*f])).collect();
    assert!(replaced.contains(&&"guide/two/index.html".to_string()), "{replaced:?}");
    assert!(replaced.contains(&&"search/manifest.json".to_string()), "{replaced:?}");
    assert!(replaced.contains(&&"llms-full.txt".to_string()), "{replaced:?}");
    for f in &replaced {
        assert!(
            *f == "guide/two/index.html" || f.starts_with("search/") || *f == "llms-full.txt",
            "{f} was not made from the edited page"
        );
    }
    assert_eq!(before["guide/one/index.html"], after["guide/one/index.html"]);
    assert_eq!(before["index.html"], after["index.html"]);
    assert!(fs::read_to_string(out.join("guide/two/index.html")).unwrap().contains("another team"));
    assert_same_as_fresh(root.path(), &out);

    // Nothing changed since: nothing to do.
    assert_eq!(build(root.path(), &out), Built::Nothing);

    // A page saved again unchanged: read again, and its file comes out the same.
    let page = root.path().join("docs/guide/one.md");
    fs::write(&page, fs::read(&page).unwrap()).unwrap();
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    assert_same_as_fresh(root.path(), &out);

    // A speech block's text: its page, and the card list that shows its first paragraph.
    edit(root.path(), "guide/three.md", "two sentences", "three sentences. Really");
    assert_eq!(build(root.path(), &out), Built::Pages(2));
    assert_same_as_fresh(root.path(), &out);

    // Two pages at once.
    edit(root.path(), "guide/one.md", "Gather the tools.", "Gather every tool.");
    edit(root.path(), "reference/tools.md", "What the team uses.", "What the team uses daily.");
    assert_eq!(build(root.path(), &out), Built::Pages(2));
    assert_same_as_fresh(root.path(), &out);
}

#[test]
fn the_search_index_finds_what_the_edit_wrote() {
    let (root, out) = built_site();
    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a colleague.\n\n## Escalate\n\nPage the zeppelin crew.");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    let shards: Vec<serde_json::Value> = fs::read_dir(out.join("search/t"))
        .unwrap()
        .map(|e| serde_json::from_slice(&fs::read(e.unwrap().path()).unwrap()).unwrap())
        .collect();
    let terms: Vec<&str> = shards.iter().flat_map(|s| s.as_array().unwrap()).filter_map(|t| t[0].as_str()).collect();
    assert!(terms.contains(&"zeppelin"), "the new word is indexed");
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("search/manifest.json")).unwrap()).unwrap();
    let chunks = manifest["chunks"].as_array().unwrap().len();
    let records: Vec<serde_json::Value> = (0..chunks)
        .flat_map(|n| {
            let chunk: serde_json::Value =
                serde_json::from_slice(&fs::read(out.join(format!("search/d/{n}.json"))).unwrap()).unwrap();
            chunk.as_array().unwrap().clone()
        })
        .collect();
    let two = records.iter().find(|r| r[1] == "/guide/two").expect("the page's record");
    let headings: Vec<&str> = two[3].as_array().unwrap().iter().filter_map(|s| s[1].as_str()).collect();
    assert!(headings.contains(&"Escalate"), "{headings:?}");
    assert_same_as_fresh(root.path(), &out);
}

#[test]
fn links_to_an_anchor_a_page_lost_are_checked_again() {
    let (root, out) = built_site();
    let fresh_warnings = |root: &Path| {
        let fresh = tempfile::tempdir().unwrap();
        let (_, stderr) = build_with(root, &fresh.path().join("out"), &["--full"]);
        warnings_of(&stderr)
    };

    // Two pages link to `one.md#prepare`: renaming the heading breaks both links.
    edit(root.path(), "guide/one.md", "## Prepare", "## Get ready");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Pages(1), "only the edited page is made again");
    let printed = warnings_of(&stderr);
    assert!(printed.contains("docs/index.md:6:12: anchor '#prepare' does not exist on '/guide/one'"), "{stderr}");
    assert!(printed.contains("docs/guide/two.md:"), "{stderr}");
    assert_eq!(printed, fresh_warnings(root.path()), "the warnings a full build prints");
    assert_same_as_fresh(root.path(), &out);

    // The heading back: the warnings go.
    edit(root.path(), "guide/one.md", "## Get ready", "## Prepare");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Pages(1));
    assert!(!stderr.contains("does not exist"), "{stderr}");

    // Broken anchors as errors: the build fails and the output stays as it was.
    let config = root.path().join("lectern.yml");
    fs::write(&config, fs::read_to_string(&config).unwrap() + "on_broken_anchors: error\n").unwrap();
    assert_eq!(build(root.path(), &out), Built::Full(0), "the settings changed");
    let before = support::tree(&out);
    edit(root.path(), "guide/one.md", "## Prepare", "## Get ready");
    let output = support::lectern(["build".as_ref(), root.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("anchor '#prepare' does not exist"));
    assert_eq!(support::tree(&out), before, "the previous output stays whole");
    // Fixed: the record of the last build still holds, so the build is incremental.
    edit(root.path(), "guide/one.md", "## Get ready", "## Prepare");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    assert_same_as_fresh(root.path(), &out);
}

/// The warnings in a build's output: everything but the environment line and the summary.
fn warnings_of(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("building for") && !l.starts_with("built ") && !l.starts_with("speech: "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn card_lists_and_generated_pages_show_the_new_excerpt() {
    let (root, out) = built_site();
    // `overview.md` lists the steps with their excerpts; the Reference category's generated
    // page lists its pages with theirs.
    edit(root.path(), "guide/two.md", "The second step.", "The second step, reviewed.");
    assert_eq!(build(root.path(), &out), Built::Pages(2), "the page and the card list showing it");
    let overview = fs::read_to_string(out.join("guide/overview/index.html")).unwrap();
    assert!(overview.contains("The second step, reviewed."));
    assert_same_as_fresh(root.path(), &out);

    edit(root.path(), "reference/terms.md", "A glossary of the playbook's words.", "The playbook's words.");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    let generated = fs::read_to_string(out.join("category/reference/index.html")).unwrap();
    assert!(generated.contains("The playbook&#x27;s words.") || generated.contains("The playbook's words."));
    assert_same_as_fresh(root.path(), &out);
}

#[test]
fn images_a_page_starts_or_stops_using_come_and_go() {
    let (root, out) = built_site();
    assert!(!out.join("guide/diagram.png").exists(), "no page uses it yet");
    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a colleague.\n\n![The flow](diagram.png)");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    assert!(out.join("guide/diagram.png").is_file());
    assert_same_as_fresh(root.path(), &out);
    edit(root.path(), "guide/two.md", "\n\n![The flow](diagram.png)", "");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    assert!(!out.join("guide/diagram.png").exists());
    assert_same_as_fresh(root.path(), &out);
}

#[test]
fn what_every_page_shows_builds_every_page() {
    let (root, out) = built_site();
    let says = |stderr: &str, why: &str| {
        assert!(stderr.contains(&format!("{why}: building every page")), "{stderr}");
    };

    // A title is in the sidebar of every page.
    edit(root.path(), "guide/two.md", "title: Step two", "title: Step 2");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Full(0));
    says(&stderr, "the front matter of docs/guide/two.md changed");
    assert_same_as_fresh(root.path(), &out);

    // So is a leading H1 that is the title.
    edit(root.path(), "guide/three.md", "# Step three", "# Step 3");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Full(0));
    says(&stderr, "the title of docs/guide/three.md changed");
    assert_same_as_fresh(root.path(), &out);

    // A page added, and removed.
    fs::write(root.path().join("docs/guide/four.md"), "# Step four\n\nDone.\n").unwrap();
    let (_, stderr) = build_with(root.path(), &out, &[]);
    says(&stderr, "guide/four.md changed, was added or was removed");
    assert_same_as_fresh(root.path(), &out);
    fs::remove_file(root.path().join("docs/guide/four.md")).unwrap();
    build(root.path(), &out);
    assert_same_as_fresh(root.path(), &out);

    // A file beside the pages.
    fs::write(root.path().join("docs/guide/diagram.png"), b"\x89PNG\r\n\x1a\nanother").unwrap();
    let (_, stderr) = build_with(root.path(), &out, &[]);
    says(&stderr, "guide/diagram.png changed, was added or was removed");
    assert_same_as_fresh(root.path(), &out);

    // The settings.
    let config = root.path().join("lectern.yml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("title: Incremental", "title: Renamed")).unwrap();
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Full(0));
    says(&stderr, "the settings, the theme, a static file or lectern itself changed");
    assert_same_as_fresh(root.path(), &out);

    // The theme: a site's own template.
    let theme = root.path().join("theme");
    fs::create_dir_all(&theme).unwrap();
    let builtin = fs::read_to_string(support::manifest_dir().join("theme/page.html")).unwrap();
    fs::write(theme.join("page.html"), builtin.replacen("<main", "<!-- custom -->\n<main", 1)).unwrap();
    assert_eq!(build(root.path(), &out), Built::Full(0));
    assert!(fs::read_to_string(out.join("guide/one/index.html")).unwrap().contains("<!-- custom -->"));
    assert_same_as_fresh(root.path(), &out);

    // Another environment (its banner is on every page; the builds above are production's).
    let (_, stderr) = build_with(root.path(), &out, &["--env", "staging"]);
    // The search index does not show the environment: it alone is kept.
    assert!(stderr.contains("(0 unchanged pages and the search index kept"), "{stderr}");
}

#[test]
fn output_changed_by_hand_or_lost_is_made_again() {
    let (root, out) = built_site();
    let page = out.join("guide/one/index.html");
    fs::write(&page, "edited by hand").unwrap();
    fs::remove_file(out.join("reference/terms/index.html")).unwrap();
    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a reviewer.");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert!(stderr.contains("the output folder changed since the last build: building every page"), "{stderr}");
    assert_eq!(built, Built::Full(PAGES - 3), "the pages changed by hand and the edited one are made again");
    assert_same_as_fresh(root.path(), &out);

    // A search file gone: the index is made again.
    fs::remove_file(out.join("search/manifest.json")).unwrap();
    assert_eq!(build(root.path(), &out), Built::Full(PAGES));
    assert_same_as_fresh(root.path(), &out);

    // Damaged records of the last build: everything is made again.
    let records = root.path().join(".lectern-cache/builds");
    for entry in fs::read_dir(&records).unwrap().flatten() {
        fs::write(entry.path(), "garbage").unwrap();
    }
    edit(root.path(), "guide/two.md", "Ask a reviewer.", "Ask a colleague.");
    assert_eq!(build(root.path(), &out), Built::Full(0));
    assert_same_as_fresh(root.path(), &out);
    // And the build after it is incremental again.
    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a reviewer.");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
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
    assert_eq!(build(root.path(), &out), Built::Pages(1), "the record still matches the output");
    assert_eq!(support::tree(&out), before);
}

/// Builds into one folder take turns: two incremental builds started together both finish, and
/// the folder holds a whole build.
#[test]
fn two_builds_at_once_take_turns() {
    let (root, out) = built_site();
    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a reviewer.");
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .arg("build")
            .arg(root.path())
            .arg("--out")
            .arg(&out)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(start);
        let b = s.spawn(start);
        (a.join().unwrap(), b.join().unwrap())
    });
    for o in [&a, &b] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let leftovers: Vec<String> = fs::read_dir(root.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| ["lectern-new-", "lectern-old-", "lectern-patch-", "lectern-lock"].iter().any(|p| n.contains(p)))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_same_as_fresh(root.path(), &out);
}

/// The pages' dates come from git: a commit that changes a page changes its date, on the page
/// and in the sitemap, and the incremental build shows the new date.
#[test]
fn git_dates_follow_the_commits() {
    if !support::require("git") {
        return;
    }
    let (root, out) = built_site();
    let git = |args: &[&str], date: &str| {
        let status = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(root.path())
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"], "2024-01-02T10:00:00Z");
    fs::write(root.path().join(".gitignore"), "build/\n.lectern-cache/\n").unwrap();
    git(&["add", "."], "2024-01-02T10:00:00Z");
    git(&["commit", "-q", "-m", "first"], "2024-01-02T10:00:00Z");
    // The branch is in the settings (edit links name it): this build is a full one.
    assert!(matches!(build(root.path(), &out), Built::Full(_)));
    let lastmod = |out: &Path| {
        let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
        sitemap.lines().find(|l| l.contains("/guide/two<")).unwrap_or_default().to_string()
    };
    assert!(lastmod(&out).contains("<lastmod>2024-01-02</lastmod>"), "{}", lastmod(&out));

    edit(root.path(), "guide/two.md", "Ask a colleague.", "Ask a reviewer.");
    git(&["commit", "-q", "-am", "second"], "2024-03-04T10:00:00Z");
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    assert!(lastmod(&out).contains("<lastmod>2024-03-04</lastmod>"), "{}", lastmod(&out));
    let page = fs::read_to_string(out.join("guide/two/index.html")).unwrap();
    assert!(page.contains("4 March 2024"), "the page shows its new date");
    assert_same_as_fresh(root.path(), &out);

    // A commit that changes no page's date (a file outside the docs): nothing but the record.
    fs::write(root.path().join("README.md"), "readme").unwrap();
    git(&["add", "README.md"], "2024-05-06T10:00:00Z");
    git(&["commit", "-q", "-m", "third"], "2024-05-06T10:00:00Z");
    assert_eq!(build(root.path(), &out), Built::Pages(0));
    assert_same_as_fresh(root.path(), &out);
}

/// Players go inside their blocks, after highlighted code that is longer than the plain.
#[test]
fn players_go_inside_their_blocks_after_highlighted_code() {
    let (root, out) = built_site();
    edit(root.path(), "guide/three.md", "two sentences", "two short sentences");
    assert_eq!(build(root.path(), &out), Built::Pages(2), "the page and the card list showing its excerpt");
    let html = scraper::Html::parse_document(&fs::read_to_string(out.join("guide/three/index.html")).unwrap());
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    assert_eq!(html.select(&select("pre > code.language-yaml")).count(), 1, "the code block is whole");
    assert!(html.select(&select("pre.code span[class^=hl-]")).count() > 0, "and highlighted");
    let blocks: Vec<_> = html.select(&select("section.lectern-speech")).collect();
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].select(&select(".speech-player")).count(), 1, "one player in the block");
}

#[test]
fn a_partial_edited_makes_the_pages_that_include_it_again() {
    let (root, out) = built_site();
    let partial = root.path().join("docs/reference/_shared.md");
    fs::write(&partial, "Words every tool page shares.\n").unwrap();
    edit(
        root.path(),
        "reference/tools.md",
        "What the team uses.",
        "import Shared from './_shared.md';\n\nWhat the team uses.\n\n<Shared />",
    );
    assert!(matches!(build(root.path(), &out), Built::Full(_)), "a file was added beside the pages");
    assert!(
        fs::read_to_string(out.join("reference/tools/index.html")).unwrap().contains("Words every tool page shares.")
    );

    fs::write(&partial, "Words the tool pages share, edited.\n").unwrap();
    assert_eq!(build(root.path(), &out), Built::Pages(1), "the page that includes the partial");
    let tools = fs::read_to_string(out.join("reference/tools/index.html")).unwrap();
    assert!(tools.contains("Words the tool pages share, edited."), "{tools}");
    assert_same_as_fresh(root.path(), &out);

    // A file beside the pages that no page includes builds every page.
    fs::write(root.path().join("docs/reference/_unused.md"), "Nobody includes this.\n").unwrap();
    assert_eq!(build(root.path(), &out), Built::Full(PAGES));
    fs::write(root.path().join("docs/reference/_unused.md"), "Still nobody.\n").unwrap();
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert!(matches!(built, Built::Full(_)), "{stderr}");
    assert!(stderr.contains("reference/_unused.md changed"), "{stderr}");
    assert_same_as_fresh(root.path(), &out);
}

#[test]
fn the_diagram_warning_follows_the_first_diagram() {
    let (root, out) = built_site();
    let fresh_warnings = |root: &Path| {
        let fresh = tempfile::tempdir().unwrap();
        let (_, stderr) = build_with(root, &fresh.path().join("out"), &["--full"]);
        warnings_of(&stderr)
    };
    let diagram = "\n\n```mermaid\ngraph TD\n  A --> B\n```\n";
    // mermaid is not installed beside the test's site: one warning names the first diagram.
    edit(root.path(), "guide/two.md", "Ask a colleague.", &format!("Ask a colleague.{diagram}"));
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert!(matches!(built, Built::Full(_)), "the site's first diagram: {stderr}");
    assert!(stderr.contains("docs/guide/two.md:12:1: Mermaid diagrams are shown as their source"), "{stderr}");

    // The diagram moves down its page: only the page is made again, and the warning says where.
    edit(root.path(), "guide/two.md", "## Review", "A line more.\n\n## Review");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Pages(1));
    assert!(stderr.contains("docs/guide/two.md:14:1: Mermaid diagrams are shown as their source"), "{stderr}");
    assert_eq!(warnings_of(&stderr), fresh_warnings(root.path()));
    assert_same_as_fresh(root.path(), &out);

    // A diagram on a page before it: the warning names that one.
    edit(root.path(), "guide/one.md", "Gather the tools.", &format!("Gather the tools.{diagram}"));
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Pages(1));
    assert!(stderr.contains("docs/guide/one.md:"), "{stderr}");
    assert_eq!(warnings_of(&stderr), fresh_warnings(root.path()));
    assert_same_as_fresh(root.path(), &out);

    // Its removal: back to the other page's.
    edit(root.path(), "guide/one.md", diagram, "");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert_eq!(built, Built::Pages(1));
    assert_eq!(warnings_of(&stderr), fresh_warnings(root.path()));
    assert_same_as_fresh(root.path(), &out);

    // The last diagram gone: every page is built (mermaid's warning and files go).
    edit(root.path(), "guide/two.md", diagram, "");
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert!(matches!(built, Built::Full(_)), "{stderr}");
    assert!(!stderr.contains("Mermaid"), "{stderr}");
    assert_same_as_fresh(root.path(), &out);
}

#[test]
fn a_partial_outside_the_docs_folder_is_followed_too() {
    let (root, out) = built_site();
    let partial = root.path().join("partials/_note.md");
    fs::create_dir_all(partial.parent().unwrap()).unwrap();
    fs::write(&partial, "A note kept outside the docs.\n").unwrap();
    edit(
        root.path(),
        "reference/tools.md",
        "What the team uses.",
        "import Note from '@site/partials/_note.md';\n\nWhat the team uses.\n\n<Note />",
    );
    assert_eq!(build(root.path(), &out), Built::Pages(1));
    assert_eq!(build(root.path(), &out), Built::Nothing, "nothing changed");

    // The snapshot does not walk the partial's folder: its content is what tells.
    fs::write(&partial, "A note kept outside the docs, edited.\n").unwrap();
    let (built, stderr) = build_with(root.path(), &out, &[]);
    assert!(matches!(built, Built::Full(_)), "{stderr}");
    assert!(stderr.contains("a partial outside the pages' folders changed"), "{stderr}");
    let tools = fs::read_to_string(out.join("reference/tools/index.html")).unwrap();
    assert!(tools.contains("A note kept outside the docs, edited."), "{tools}");
    assert_same_as_fresh(root.path(), &out);
    assert_eq!(build(root.path(), &out), Built::Nothing);
}
