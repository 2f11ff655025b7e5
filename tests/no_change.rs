//! No-change builds: a build into the folder of the last one, with nothing it is made from
//! changed, leaves the folder as it is (not one file rewritten or relinked), says so and prints
//! the last build's warnings again; anything that changed, or an output folder not as the last
//! build left it, makes a real build, whose output equals a fresh one's.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SKIPPED: &str = "nothing changed since the last build";

/// A small site with a warning from loading (an unknown component) and one from the checks (a
/// broken anchor, a warning by default).
fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let docs = site.path().join("docs");
    for (path, text) in [
        ("index.md", "---\nslug: /\n---\n# Welcome\n\nStart with [the first step](guide/one.md#no-such-heading).\n"),
        (
            "guide/one.md",
            "---\ntitle: Step one\n---\n\n## Prepare\n\nGather the tools.\n\n```rust\nfn main() {}\n```\n",
        ),
        ("guide/two.md", "---\ntitle: Step two\n---\n\n<Callout>\n\nAsk a colleague.\n\n</Callout>\n"),
    ] {
        let file = docs.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    fs::write(site.path().join("lectern.yml"), "title: No change\nspeech:\n  prerender: never\n").unwrap();
    site
}

/// Runs `lectern build ROOT --out OUT ARGS` with the extra environment variables `vars`.
fn run(root: &Path, out: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lectern"));
    command.arg("build").arg(root).arg("--out").arg(out).args(args).env("NO_COLOR", "1");
    for var in ["LECTERN_ENV", "LECTERN_URL", "LECTERN_BASE_URL"] {
        command.env_remove(var);
    }
    command.envs(vars.iter().copied());
    command.output().unwrap()
}

/// What a successful build printed; panics when it failed.
fn build_with(root: &Path, out: &Path, args: &[&str], vars: &[(&str, &str)]) -> String {
    let output = run(root, out, args, vars);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "the build failed:\n{stderr}");
    stderr
}

fn build(root: &Path, out: &Path) -> String {
    build_with(root, out, &[], &[])
}

/// Whether the build's output says it skipped (and not that it built).
fn skipped(stderr: &str) -> bool {
    let built = stderr.lines().any(|l| l.starts_with("built "));
    let skipped = stderr.lines().any(|l| l.starts_with(SKIPPED));
    assert!(built != skipped, "a build either builds or skips:\n{stderr}");
    skipped
}

/// The warnings a build printed: everything but its first line (the environment) and its last
/// (what it did).
fn warnings(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    lines[1..lines.len() - 1].join("\n")
}

/// Every entry below `dir` (and `dir` itself) with its inode and modification time.
#[cfg(unix)]
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

/// The output in `out` equals a fresh build of the same site into an empty folder.
fn assert_same_as_fresh(root: &Path, out: &Path, args: &[&str], vars: &[(&str, &str)]) {
    let fresh = tempfile::tempdir().unwrap();
    let fresh_out = fresh.path().join("out");
    assert!(!skipped(&build_with(root, &fresh_out, args, vars)), "a new folder is always built");
    let (got, want) = (support::tree(out), support::tree(&fresh_out));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    for (path, bytes) in &want {
        assert!(got[path] == *bytes, "{path} differs from a fresh build");
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_second_build_with_nothing_changed_touches_nothing_and_prints_the_same_warnings() {
    let root = site();
    let out = root.path().join("build");
    let first = build(root.path(), &out);
    assert!(!skipped(&first));
    let printed = warnings(&first);
    assert!(printed.contains("component <Callout> is not known"), "{first}");
    assert!(printed.contains("no-such-heading"), "the check's warning:\n{first}");
    let before = identities(&out);
    let tree = support::tree(&out);

    for _ in 0..2 {
        let again = build(root.path(), &out);
        assert!(skipped(&again), "{again}");
        assert!(again.contains("build is up to date (3 pages for production"), "{again}");
        assert_eq!(warnings(&again), printed, "the warnings of the last build, as it printed them");
        assert_eq!(identities(&out), before, "no file or folder of the output was replaced or rewritten");
        assert_eq!(support::tree(&out), tree);
    }
    assert_same_as_fresh(root.path(), &out, &[], &[]);

    // `lectern check` is not affected: it checks the site itself.
    let check = support::lectern(["check".as_ref(), root.path().as_os_str()]);
    let check_err = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success() && check_err.contains("no-such-heading"), "{check_err}");

    // --full builds again, renders every page, and its output is the same.
    let full = build_with(root.path(), &out, &["--full"], &[]);
    assert!(!skipped(&full) && !full.contains("kept from the last build"), "{full}");
    assert_eq!(support::tree(&out), tree);
    assert!(skipped(&build(root.path(), &out)), "and the build after it has nothing to do");
}

#[test]
fn every_kind_of_change_makes_a_real_build() {
    let root = site();
    let out = root.path().join("build");
    build(root.path(), &out);
    let page = root.path().join("docs/guide/one.md");

    // A page's text, then each step back to the state before: a real build each time.
    edit(&page, "Gather the tools.", "Gather the tools first.");
    let edited = build(root.path(), &out);
    assert!(
        !skipped(&edited) && edited.contains("(incremental: 1 page made again"),
        "one page rendered again:\n{edited}"
    );
    assert!(fs::read_to_string(out.join("guide/one/index.html")).unwrap().contains("tools first"));
    assert!(skipped(&build(root.path(), &out)));
    assert_same_as_fresh(root.path(), &out, &[], &[]);

    // The same size and the same modification time: still seen (the change time moved).
    let modified = fs::metadata(&page).unwrap().modified().unwrap();
    edit(&page, "tools first", "tools FIRST");
    fs::File::options().write(true).open(&page).unwrap().set_modified(modified).unwrap();
    assert!(!skipped(&build(root.path(), &out)), "an edit that kept size and time");
    assert!(fs::read_to_string(out.join("guide/one/index.html")).unwrap().contains("tools FIRST"));

    // A page added, then removed.
    fs::write(root.path().join("docs/guide/three.md"), "# Step three\n\nDone.\n").unwrap();
    assert!(build(root.path(), &out).contains("built 4 pages"));
    assert!(skipped(&build(root.path(), &out)));
    fs::remove_file(root.path().join("docs/guide/three.md")).unwrap();
    assert!(build(root.path(), &out).contains("built 3 pages"));
    assert!(!out.join("guide/three").exists());

    // A file beside the pages, and a static file.
    fs::write(root.path().join("docs/guide/notes.txt"), "notes").unwrap();
    assert!(!skipped(&build(root.path(), &out)), "a file in the docs folder");
    fs::create_dir_all(root.path().join("static")).unwrap();
    fs::write(root.path().join("static/robots-extra.txt"), "extra").unwrap();
    assert!(!skipped(&build(root.path(), &out)), "a static file");
    assert_eq!(fs::read_to_string(out.join("robots-extra.txt")).unwrap(), "extra");
    assert!(skipped(&build(root.path(), &out)));

    // The config.
    edit(&root.path().join("lectern.yml"), "title: No change", "title: Changed");
    assert!(!skipped(&build(root.path(), &out)), "lectern.yml");
    assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("Changed"));
    assert!(skipped(&build(root.path(), &out)));

    // A theme override.
    let theme = root.path().join("theme");
    fs::create_dir_all(&theme).unwrap();
    let builtin = fs::read_to_string(support::manifest_dir().join("theme/page.html")).unwrap();
    fs::write(theme.join("page.html"), builtin.replacen("<main", "<!-- custom -->\n<main", 1)).unwrap();
    assert!(!skipped(&build(root.path(), &out)), "a theme file");
    assert!(fs::read_to_string(out.join("guide/one/index.html")).unwrap().contains("<!-- custom -->"));
    assert!(skipped(&build(root.path(), &out)));

    // The environment: the flag, the variable, and the variables that set the URL.
    let staging = build_with(root.path(), &out, &["--env", "staging"], &[]);
    assert!(!skipped(&staging), "--env staging");
    assert!(skipped(&build_with(root.path(), &out, &["--env", "staging"], &[])));
    assert!(skipped(&build_with(root.path(), &out, &[], &[("LECTERN_ENV", "staging")])), "the same environment");
    assert!(!skipped(&build(root.path(), &out)), "back to production");
    let url = [("LECTERN_URL", "https://docs.example.org")];
    assert!(!skipped(&build_with(root.path(), &out, &[], &url)), "LECTERN_URL");
    assert!(skipped(&build_with(root.path(), &out, &[], &url)));
    assert_same_as_fresh(root.path(), &out, &[], &url);
    assert!(!skipped(&build(root.path(), &out)), "without LECTERN_URL");

    // The output folder deleted, or a file of it changed, removed or added by hand.
    fs::remove_dir_all(&out).unwrap();
    assert!(!skipped(&build(root.path(), &out)), "the output deleted");
    assert!(out.join("guide/one/index.html").is_file());
    fs::write(out.join("guide/one/index.html"), "edited by hand").unwrap();
    assert!(!skipped(&build(root.path(), &out)), "a page edited in the output");
    fs::remove_file(out.join("guide/two/index.html")).unwrap();
    assert!(!skipped(&build(root.path(), &out)), "a page removed from the output");
    fs::write(out.join("guide/extra.html"), "added").unwrap();
    assert!(!skipped(&build(root.path(), &out)), "a file added to the output");
    assert!(!out.join("guide/extra.html").exists());
    assert_same_as_fresh(root.path(), &out, &[], &[]);

    // The record damaged or gone.
    for entry in fs::read_dir(root.path().join(".lectern-cache/builds")).unwrap().flatten() {
        fs::write(entry.path(), "garbage").unwrap();
    }
    assert!(!skipped(&build(root.path(), &out)), "a damaged record");
    fs::remove_dir_all(root.path().join(".lectern-cache")).unwrap();
    assert!(!skipped(&build(root.path(), &out)), "no record");
    assert!(skipped(&build(root.path(), &out)));
}

#[test]
fn another_output_folder_or_another_build_into_it_is_not_taken_as_current() {
    let root = site();
    let (a, b) = (root.path().join("build-a"), root.path().join("build-b"));
    build(root.path(), &a);
    assert!(!skipped(&build(root.path(), &b)), "each folder has its own record");
    assert!(skipped(&build(root.path(), &a)));
    assert!(skipped(&build(root.path(), &b)));
    // Another build's output moved into a's place: a real build.
    fs::remove_dir_all(&a).unwrap();
    fs::rename(&b, &a).unwrap();
    assert!(!skipped(&build(root.path(), &a)), "a's folder holds b's build");
    assert_same_as_fresh(root.path(), &a, &[], &[]);
}

#[test]
fn a_failed_build_leaves_the_output_and_the_next_build_works() {
    let root = site();
    let out = root.path().join("build");
    build(root.path(), &out);
    let before = support::tree(&out);
    let page = root.path().join("docs/guide/two.md");
    edit(&page, "Ask a colleague.", "See [nowhere](missing.md).");
    for _ in 0..2 {
        let failed = run(root.path(), &out, &[], &[]);
        assert_eq!(failed.status.code(), Some(1), "{}", String::from_utf8_lossy(&failed.stderr));
        assert!(!String::from_utf8_lossy(&failed.stderr).contains(SKIPPED), "a broken site is never skipped");
        assert_eq!(support::tree(&out), before, "the previous output stays whole");
    }
    edit(&page, "See [nowhere](missing.md).", "Ask a colleague.");
    let fixed = build(root.path(), &out);
    assert!(!skipped(&fixed), "the page was written again since the last build: {fixed}");
    assert_eq!(support::tree(&out), before);
    assert!(skipped(&build(root.path(), &out)));
}

/// When the last build's audio depended on the speech engine, the engine is part of what the
/// output is made from: one that appears, or fails part-way, makes a real build.
#[cfg(unix)]
#[test]
fn the_speech_engine_is_an_input_when_the_site_speaks() {
    use std::os::unix::fs::PermissionsExt;
    let root = site();
    let out = root.path().join("build");
    fs::write(
        root.path().join("docs/guide/one.md"),
        "# Step one\n\n<TextToSpeech>\n\nRead this aloud.\n\n</TextToSpeech>\n",
    )
    .unwrap();
    fs::write(
        root.path().join("lectern.yml"),
        "title: Speech\nspeech:\n  prerender: auto\n  engine: command\n  command: ./tts.sh\n",
    )
    .unwrap();
    let first = build(root.path(), &out);
    assert!(first.contains("was not found"), "no engine, browser voices:\n{first}");
    let again = build(root.path(), &out);
    assert!(skipped(&again) && again.contains("was not found"), "{again}");

    // The engine appears (and fails): a real build, and one that failed part-way is never skipped.
    let script = root.path().join("tts.sh");
    fs::write(&script, "#!/bin/sh\necho broken >&2\nexit 3\n").unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    let found = build(root.path(), &out);
    assert!(!skipped(&found), "{found}");
    assert!(found.contains("the speech engine failed"), "{found}");
    assert!(!skipped(&build(root.path(), &out)), "the engine failed: building again may give audio");
}
