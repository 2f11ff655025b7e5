//! Mermaid diagrams, built: `tests/fixtures/diagrams` (a flowchart, a sequence diagram inside
//! `<TextToSpeech>`, a state diagram, and a page without any) is built with the real binary and
//! its HTML parsed. With the `mermaid` npm package (tests/browser installs it; LECTERN_MERMAID
//! may name another): its browser build is copied into the site and only pages with a diagram
//! load the diagram script. Without it: the source stays readable and the build warns once, at
//! the first diagram. `lectern serve` serves the build and live-reloads pages with diagrams.

mod serve_support;
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use scraper::{Html, Selector};
use serve_support::{Serve, connect, save_atomically, wait_for};

const FLOWCHART: &str = "---\ntitle: From merge to production\n---\nflowchart LR\n  merge[Merge the pull request] --> build[Build & test]\n  build --> staging{Staging healthy?}\n  staging -- yes --> production[Deploy to production]\n  staging -- no --> fix[Fix forward]\n";

/// Runs `lectern ARGS` with `LECTERN_MERMAID` set to `mermaid`, or unset when `None`.
fn lectern(args: &[&str], site: &Path, mermaid: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lectern"));
    command.args(args).arg(site).env("NO_COLOR", "1");
    match mermaid {
        Some(dir) => command.env("LECTERN_MERMAID", dir),
        None => command.env_remove("LECTERN_MERMAID"),
    };
    let output = command.output().expect("running lectern");
    assert!(output.status.success(), "lectern {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn page(site: &Path, rel: &str) -> Html {
    let path = site.join("build").join(rel);
    Html::parse_document(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())))
}

fn select<'a>(doc: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(selector).expect("valid selector")).collect()
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    select(doc, selector).iter().filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    select(doc, selector).iter().map(|e| e.text().collect::<String>()).collect()
}

/// The sentences of the page's first speech player.
fn spoken(doc: &Html) -> Vec<String> {
    let data = texts(doc, ".speech-player script.speech-data");
    let json: serde_json::Value = serde_json::from_str(data.first().expect("a player")).expect("player data");
    json["sentences"].as_array().expect("sentences").iter().map(|s| s.as_str().unwrap_or("").to_string()).collect()
}

fn version(mermaid: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(mermaid.join("package.json")).expect("package.json")).unwrap();
    manifest["version"].as_str().expect("a version").to_string()
}

/// Every file below `dir`, relative, with `/`.
fn files_below(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

const WARNING: &str = "Mermaid diagrams are shown as their source";

/// The fixture's pages with diagrams but `release.md`.
const OTHER_DIAGRAM_PAGES: [&str; 3] = ["docs/calls.mdx", "docs/far.md", "docs/unparsable.md"];

#[test]
fn with_mermaid_the_build_carries_it_and_only_diagram_pages_load_it() {
    if !support::require("mermaid") {
        return;
    }
    let mermaid = support::mermaid_dir();
    let site = support::copy_fixture("diagrams");
    let output = lectern(&["build"], site.path(), Some(&mermaid));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");

    let release = page(site.path(), "release/index.html");
    let figure = "article figure.diagram[data-diagram=mermaid]";
    assert_eq!(attrs(&release, figure, "data-label"), ["Flowchart: From merge to production"]);
    // The source is in the page as a code block: it reads without JavaScript.
    assert_eq!(texts(&release, &format!("{figure} > .code-block[data-lang=mermaid] > pre > code")), [FLOWCHART]);
    assert!(select(&release, &format!("{figure} [hidden], {figure}[hidden]")).is_empty());
    let mermaid_url = format!("/assets/mermaid/mermaid.esm.min.mjs?v={}", version(&mermaid));
    assert_eq!(
        attrs(&release, "head script[type=module][src^='/assets/diagrams.js?v=']", "data-mermaid"),
        std::slice::from_ref(&mermaid_url)
    );
    // The other code block is still highlighted code.
    assert_eq!(select(&release, "article .code-block[data-lang=bash] span[class^=hl-]").len(), 1);

    let calls = page(site.path(), "calls/index.html");
    assert_eq!(
        attrs(&calls, figure, "data-label"),
        ["Sequence diagram: A request from the browser to the database", "State diagram"]
    );
    assert_eq!(attrs(&calls, "script[data-mermaid]", "data-mermaid"), [mermaid_url]);
    // Inside <TextToSpeech> the diagram is announced, not read as its source.
    assert_eq!(
        spoken(&calls),
        [
            "The browser asks the API, which asks the database.",
            "Sequence diagram: A request from the browser to the database.",
            "The answer comes back the same way.",
        ]
    );

    let overview = page(site.path(), "index.html");
    assert!(select(&overview, "figure.diagram").is_empty());
    assert!(select(&overview, "script[data-mermaid], script[src*='diagrams.js']").is_empty());
    assert_eq!(texts(&overview, "code.language-text"), ["graph TD\n  A --> B\n"]);

    // Mermaid's module build, byte for byte, and every module it imports, with no source maps.
    let copied = site.path().join("build/assets/mermaid");
    let files = files_below(&copied);
    assert!(files.contains("mermaid.esm.min.mjs"), "{files:?}");
    assert!(files.len() > 10, "the chunks too: {files:?}");
    // Its licence goes with it.
    assert_eq!(std::fs::read(copied.join("LICENSE")).unwrap(), std::fs::read(mermaid.join("LICENSE")).unwrap());
    for rel in files.iter().filter(|rel| *rel != "LICENSE") {
        assert!(rel.ends_with(".mjs") || rel.ends_with(".js"), "{rel}");
        let built = std::fs::read(copied.join(rel)).unwrap();
        assert_eq!(built, std::fs::read(mermaid.join("dist").join(rel)).unwrap(), "{rel} is mermaid's own");
        // Every relative import resolves to a copied file.
        let text = String::from_utf8_lossy(&built);
        let folder = Path::new(rel).parent().unwrap_or(Path::new(""));
        for spec in regex_imports(&text) {
            let target = normalise(&folder.join(&spec));
            assert!(files.contains(&target), "{rel} imports {spec}, which was not copied");
        }
    }
    assert!(site.path().join("build/assets/diagrams.js").is_file());
}

/// The relative module specifiers of `import … from "./x"`, `import("./x")` and `import "./x"`.
fn regex_imports(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:from|import)\s*\(?\s*["'](\.\.?/[^"']+)["']"#).unwrap();
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn a_site_without_diagrams_copies_no_mermaid() {
    if !support::require("mermaid") {
        return;
    }
    let site = support::copy_fixture("diagrams");
    for page in OTHER_DIAGRAM_PAGES.iter().chain(&["docs/release.md"]) {
        std::fs::remove_file(site.path().join(page)).unwrap();
    }
    let output = lectern(&["build"], site.path(), Some(&support::mermaid_dir()));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
    assert!(!site.path().join("build/assets/mermaid").exists());
    assert!(select(&page(site.path(), "index.html"), "script[data-mermaid]").is_empty());
    // Nor does a missing mermaid matter to it.
    let output = lectern(&["build"], site.path(), None);
    assert!(!String::from_utf8_lossy(&output.stderr).contains(WARNING));
}

#[test]
fn without_mermaid_the_source_stays_and_the_build_and_check_warn_once() {
    let site = support::copy_fixture("diagrams");
    let found = site.path().ancestors().find(|a| a.join("node_modules/mermaid").exists());
    assert!(found.is_none(), "a mermaid package above the temp folder ({found:?}) would be found");
    let output = lectern(&["build"], site.path(), None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let root = std::path::absolute(site.path()).unwrap();
    let expected = format!(
        "warning: docs/calls.mdx:14:1: {WARNING}: the npm package `mermaid` is not installed (no node_modules/mermaid in {} or a folder above it, and LECTERN_MERMAID is not set)
   |
14 | ```mermaid
   | ^
   = help: run `npm install mermaid` in the site's folder, or set LECTERN_MERMAID to the folder of an installed mermaid package (version 10 or later)
",
        root.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert_eq!(stderr.matches(WARNING).count(), 1, "once per site, though five diagrams:\n{stderr}");

    for (rel, count) in [("release/index.html", 1), ("calls/index.html", 2)] {
        let doc = page(site.path(), rel);
        assert_eq!(select(&doc, "figure.diagram > .code-block > pre > code.language-mermaid").len(), count, "{rel}");
        assert!(select(&doc, "script[data-mermaid], script[src*='diagrams.js']").is_empty(), "{rel}");
    }
    assert_eq!(
        texts(&page(site.path(), "release/index.html"), "figure.diagram code"),
        [FLOWCHART],
        "the source reads as written"
    );
    assert!(!site.path().join("build/assets/mermaid").exists());

    let output = lectern(&["check"], site.path(), None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&expected), "{stderr}");
    assert_eq!(stderr.matches(WARNING).count(), 1, "{stderr}");
}

#[test]
fn a_wrong_lectern_mermaid_or_an_old_mermaid_is_named_in_the_warning() {
    let site = support::copy_fixture("diagrams");
    let nowhere = site.path().join("no-such-folder");
    let output = lectern(&["check"], site.path(), Some(&nowhere));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{WARNING}: LECTERN_MERMAID is set to {}, but ", nowhere.display())), "{stderr}");

    let old = site.path().join("node_modules/mermaid");
    std::fs::create_dir_all(old.join("dist")).unwrap();
    std::fs::write(old.join("package.json"), r#"{"name": "mermaid", "version": "9.4.3"}"#).unwrap();
    std::fs::write(old.join("dist/mermaid.esm.min.mjs"), "").unwrap();
    let output = lectern(&["check"], site.path(), None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("but it is version `9.4.3`; lectern needs mermaid 10 or later"), "{stderr}");
}

/// The site in `TEMP/website`, with mermaid installed in `TEMP/node_modules` (a link to the
/// tests' package): found above the site's folder, as in a repository whose package.json is at
/// its top.
#[cfg(unix)]
fn site_below_node_modules() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let site = temp.path().join("website");
    support::copy_dir(&support::fixture_path("diagrams"), &site);
    std::fs::create_dir_all(temp.path().join("node_modules")).unwrap();
    let mermaid = std::path::absolute(support::mermaid_dir()).unwrap();
    std::os::unix::fs::symlink(mermaid, temp.path().join("node_modules/mermaid")).unwrap();
    (temp, site)
}

#[cfg(unix)]
#[test]
fn mermaid_in_node_modules_above_the_site_is_found() {
    if !support::require("mermaid") {
        return;
    }
    let (_temp, site) = site_below_node_modules();
    let output = lectern(&["build"], &site, None);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
    assert!(site.join("build/assets/mermaid/mermaid.esm.min.mjs").is_file());
    assert_eq!(attrs(&page(&site, "release/index.html"), "script[data-mermaid]", "data-mermaid").len(), 1);
}

#[cfg(unix)]
#[test]
fn serve_serves_mermaid_and_reloads_pages_with_diagrams() {
    if !support::require("mermaid") {
        return;
    }
    let (_temp, site) = site_below_node_modules();
    // The preview starts without a diagram; the first one is added while it runs.
    for page in OTHER_DIAGRAM_PAGES {
        std::fs::remove_file(site.join(page)).unwrap();
    }
    let release_file = site.join("docs/release.md");
    let release_text = std::fs::read_to_string(&release_file).unwrap();
    std::fs::write(&release_file, release_text.replace("```mermaid", "```text")).unwrap();
    let serve = Serve::start(&site);
    let entry = "/assets/mermaid/mermaid.esm.min.mjs";
    assert_eq!(serve.get(entry).0, 404, "no diagram yet, no mermaid");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (mut socket, _) = connect(&serve.socket_url("/release/", &serve.page_version("/release/"))).await;
        save_atomically(&release_file, &release_text);
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(5)).await.is_some(), "no reload");
    });
    let (status, html) = serve.get("/release/");
    assert_eq!(status, 200);
    let doc = Html::parse_document(&html);
    let url = attrs(&doc, "script[data-mermaid]", "data-mermaid");
    assert_eq!(url.len(), 1, "{html}");
    assert_eq!(attrs(&doc, "figure.diagram", "data-label"), ["Flowchart: From merge to production"]);
    let (status, headers, body) = serve.request("GET", &url[0]);
    assert_eq!(status, 200, "{}", url[0]);
    assert!(headers.iter().any(|(k, v)| k == "content-type" && v.contains("javascript")), "{headers:?}");
    assert_eq!(body, std::fs::read(support::mermaid_dir().join("dist/mermaid.esm.min.mjs")).unwrap());
    let chunk = regex_imports(&String::from_utf8_lossy(&body)).into_iter().next().expect("the entry imports chunks");
    assert_eq!(serve.request("GET", &format!("/assets/mermaid/{}", chunk.trim_start_matches("./"))).0, 200);
    assert_eq!(serve.get("/assets/diagrams.js").0, 200);

    // An edit of the diagram reloads the page, which shows the new source.
    runtime.block_on(async {
        let (mut socket, _) = connect(&serve.socket_url("/release/", &serve.page_version("/release/"))).await;
        save_atomically(&release_file, &release_text.replace("Fix forward", "Roll back"));
        assert!(wait_for(&mut socket, "reload", Duration::from_secs(5)).await.is_some(), "no reload");
    });
    let (_, html) = serve.get("/release/");
    let doc = Html::parse_document(&html);
    assert!(texts(&doc, "figure.diagram code")[0].contains("fix[Roll back]"), "{html}");
}

#[test]
fn installing_mermaid_after_a_build_makes_the_next_build_a_real_one() {
    if !support::require("mermaid") {
        return;
    }
    let site = support::copy_fixture("diagrams");
    lectern(&["build"], site.path(), None);
    assert!(!site.path().join("build/assets/mermaid").exists());
    let again = lectern(&["build"], site.path(), None);
    let unchanged = "nothing changed since the last build";
    assert!(String::from_utf8_lossy(&again.stderr).contains(unchanged), "{again:?}");
    let with = lectern(&["build"], site.path(), Some(&support::mermaid_dir()));
    assert!(!String::from_utf8_lossy(&with.stderr).contains(unchanged), "{with:?}");
    assert!(site.path().join("build/assets/mermaid/mermaid.esm.min.mjs").is_file());
    assert_eq!(attrs(&page(site.path(), "release/index.html"), "script[data-mermaid]", "data-mermaid").len(), 1);
}
