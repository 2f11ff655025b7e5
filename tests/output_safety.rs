//! Output safety with the real binary: `lectern build` never replaces the site's sources, even
//! through symbolic links; it replaces only an empty folder or one it wrote (unless `--force`);
//! and two builds into one folder take turns, each leaving a complete site.

mod support;

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use support::tree;

/// A small site with docs, a theme override, a static folder and a `.git` folder.
fn site_in(dir: &Path) {
    for (path, text) in [
        ("lectern.yml", "title: Safety\n"),
        ("docs/index.md", "---\nslug: /\n---\n# Welcome\n\nSee [the guide](guide.md).\n"),
        ("docs/guide.md", "---\ntitle: Guide\n---\n\nSome words.\n"),
        ("theme/extra.css", "body { color: black; }\n"),
        ("static/img/logo.txt", "a logo\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ] {
        let file = dir.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
}

fn build<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(args: I) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern")).arg("build").args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The build exited 2 and printed an error that names every one of `names`.
fn assert_refused(o: &Output, names: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let error = err.lines().find(|l| l.starts_with("error: ")).unwrap_or_else(|| panic!("no error line:\n{err}"));
    for name in names {
        assert!(error.contains(name), "`{name}` is not named in: {error}");
    }
}

fn real(p: &Path) -> String {
    fs::canonicalize(p).unwrap().display().to_string()
}

#[cfg(unix)]
use std::os::unix::fs::symlink;

#[cfg(unix)]
#[test]
fn a_link_to_the_root_as_out_is_refused_and_every_source_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let r1 = tmp.path().join("r1");
    site_in(&r1);
    let before = tree(&r1);
    symlink(&r1, tmp.path().join("r1link")).unwrap();
    let o = build([r1.as_os_str(), "--out".as_ref(), tmp.path().join("r1link").as_os_str()]);
    assert_refused(&o, &["r1link", &real(&r1), "the site's root"]);
    let o = build([r1.as_os_str(), "--force".as_ref(), "--out".as_ref(), tmp.path().join("r1link").as_os_str()]);
    assert_refused(&o, &["r1link", "the site's root"]);
    let after = tree(&r1);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().filter(|k| !k.starts_with(".lectern-cache")).collect::<Vec<_>>()
    );
    assert!(fs::symlink_metadata(tmp.path().join("r1link")).unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn a_root_given_through_a_link_is_compared_after_resolving() {
    let tmp = tempfile::tempdir().unwrap();
    let r2 = tmp.path().join("r2");
    site_in(&r2);
    let sources = tree(&r2.join("docs"));
    symlink(&r2, tmp.path().join("r2link")).unwrap();
    let o = build([tmp.path().join("r2link").as_os_str(), "--out".as_ref(), r2.as_os_str()]);
    assert_refused(&o, &[&r2.display().to_string(), "the site's root"]);
    // The docs folder, named through the link to the root.
    let o = build([r2.as_os_str(), "--out".as_ref(), tmp.path().join("r2link/docs").as_os_str()]);
    assert_refused(&o, &["r2link/docs", &real(&r2.join("docs")), "the docs folder"]);
    assert_eq!(tree(&r2.join("docs")), sources);
}

#[cfg(unix)]
#[test]
fn an_out_linking_to_the_roots_parent_is_refused_and_its_files_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("projects");
    let root = parent.join("site");
    site_in(&root);
    fs::write(parent.join("sibling.txt"), "another project's file\n").unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    symlink(&parent, elsewhere.join("up")).unwrap();
    let o = build([root.as_os_str(), "--out".as_ref(), elsewhere.join("up").as_os_str()]);
    assert_refused(&o, &["up", &real(&parent), "contains the site's root"]);
    assert_eq!(fs::read_to_string(parent.join("sibling.txt")).unwrap(), "another project's file\n");
    assert!(root.join("docs/guide.md").is_file());
}

/// A link to a deploy folder is followed: the build goes into the folder it points to, the
/// link stays a link, and nothing beside the folder is touched.
#[cfg(unix)]
#[test]
fn a_linked_deploy_folder_receives_the_build_and_stays_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site_in(&root);
    let www = tmp.path().join("srv/www");
    fs::create_dir_all(&www).unwrap();
    fs::write(tmp.path().join("srv/keep.txt"), "keep\n").unwrap();
    let deploy = tmp.path().join("deploy");
    symlink(&www, &deploy).unwrap();
    for _ in 0..2 {
        let o = build([root.as_os_str(), "--out".as_ref(), deploy.as_os_str()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(fs::symlink_metadata(&deploy).unwrap().file_type().is_symlink(), "the link stays");
        assert!(www.join("guide/index.html").is_file());
        assert!(www.join(".lectern-build").is_file());
    }
    assert_eq!(fs::read_to_string(tmp.path().join("srv/keep.txt")).unwrap(), "keep\n");
    let leftovers: Vec<_> = fs::read_dir(tmp.path().join("srv"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".lectern-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A link to nothing: where the build would go is unknown.
    let dangling = tmp.path().join("dangling");
    symlink(tmp.path().join("nowhere"), &dangling).unwrap();
    let o = build([root.as_os_str(), "--out".as_ref(), dangling.as_os_str()]);
    assert_refused(&o, &["dangling", "does not exist"]);
    assert!(!tmp.path().join("nowhere").exists());
}

#[test]
fn a_folder_of_user_files_is_refused_and_force_replaces_it_saying_what() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site_in(&root);
    let out = tmp.path().join("mine");
    fs::create_dir_all(out.join("photos")).unwrap();
    fs::write(out.join("notes.txt"), "my notes\n").unwrap();
    let before = tree(&out);
    let o = build([root.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_refused(&o, &["mine", "not written by lectern", "notes.txt"]);
    assert!(stderr(&o).contains("--force"), "a hint names --force: {}", stderr(&o));
    assert_eq!(tree(&out), before);

    let o = build([root.as_os_str(), "--out".as_ref(), out.as_os_str(), "--force".as_ref()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stderr(&o);
    let line = said.lines().find(|l| l.starts_with("--force: replaced")).unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("mine") && line.contains("notes.txt") && line.contains("photos"), "{line}");
    assert!(!out.join("notes.txt").exists());
    assert!(out.join("guide/index.html").is_file());
    // Now it is lectern's: the next build replaces it without --force.
    let o = build([root.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_sources_are_refused_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site_in(&root);
    let before = tree(&root);
    for (out, what) in [
        ("theme", "the theme folder"),
        (".git", "the git folder"),
        ("static", "the static folder"),
        ("static/img", "the static folder"),
        ("docs", "the docs folder"),
        ("docs/build", "the docs folder"),
        (".", "the site's root"),
        ("..", "the site's root"),
    ] {
        for force in [false, true] {
            let mut args = vec![root.as_os_str().to_owned(), "--out".into(), root.join(out).into_os_string()];
            if force {
                args.push("--force".into());
            }
            let o = build(&args);
            assert_refused(&o, &[what, &real(&root)]);
        }
    }
    let after = tree(&root);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().filter(|k| !k.starts_with(".lectern-cache")).collect::<Vec<_>>()
    );
    // Inside the root is fine: that is where the default output goes.
    let o = build([root.as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("build/guide/index.html").is_file());
}

#[test]
fn every_build_leaves_its_marker_and_an_older_lecterns_output_is_recognised() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site_in(&root);
    let out = tmp.path().join("out");
    let o = build([root.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let marker = fs::read_to_string(out.join(".lectern-build")).unwrap();
    assert!(marker.contains("lectern"), "{marker}");
    // Listed nowhere: not in the sitemap, the search index or any page.
    for (path, bytes) in tree(&out) {
        if path != ".lectern-build" {
            assert!(!String::from_utf8_lossy(&bytes).contains(".lectern-build"), "{path} mentions the marker");
        }
    }
    // An output from before the marker: this site's build record says lectern wrote it.
    fs::remove_file(out.join(".lectern-build")).unwrap();
    let o = build([root.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join(".lectern-build").is_file());
    // Without the marker or the record, nothing tells it from a folder of someone's files.
    fs::remove_file(out.join(".lectern-build")).unwrap();
    fs::remove_dir_all(root.join(".lectern-cache")).unwrap();
    let o = build([root.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_refused(&o, &["not written by lectern"]);
    assert!(out.join("guide/index.html").is_file(), "the refused folder is untouched");
}

/// A build that finds the output folder locked waits, says for whom, and gives up after
/// `LECTERN_LOCK_TIMEOUT` with exit 2, leaving the folder as it was.
#[test]
fn a_locked_output_folder_makes_the_build_wait_then_give_up() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site_in(&root);
    let out = tmp.path().join("out");
    let lock = fs::File::create(tmp.path().join(".out.lectern-lock")).unwrap();
    lock.lock().unwrap();
    fs::write(tmp.path().join(".out.lectern-lock"), "4242\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["build".as_ref(), root.as_os_str(), "--out".as_ref(), out.as_os_str()])
        .env("LECTERN_LOCK_TIMEOUT", "1")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(
        err.lines().any(|l| l.starts_with("waiting for another lectern build into") && l.contains("(pid 4242)")),
        "{err}"
    );
    assert_refused(&o, &["another lectern build into", "1 s"]);
    assert!(!out.exists());
    drop(lock);
    let o = build([root.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("waiting"), "{}", stderr(&o));
    assert!(!tmp.path().join(".out.lectern-lock").exists(), "a build removes its lock file when done");
}

/// A generated site of `pages` pages in folders of 50.
fn generated_site(pages: usize) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    fs::write(site.path().join("lectern.yml"), "title: Many pages\n").unwrap();
    let body = "Some prose about the process, with `code` and a [link](#section).\n\n".repeat(5);
    for i in 0..pages {
        let dir = site.path().join(format!("docs/{:02}-part-{}", i / 50, i / 50));
        fs::create_dir_all(&dir).unwrap();
        let text = format!("---\nid: page-{i}\ntitle: Page {i}\n---\n\n## Section\n\n{body}");
        fs::write(dir.join(format!("{:03}-page.md", i % 50)), text).unwrap();
    }
    site
}

/// Two real builds into one folder at once: one waits for the other, both succeed, and the
/// folder afterwards holds every page (before the lock, the first to finish removed the
/// other's staging folder as a leftover).
#[test]
fn two_concurrent_builds_into_one_folder_take_turns_and_leave_every_page() {
    let pages = 2_000;
    let site = generated_site(pages);
    let out = site.path().join("build");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()])
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    let waited = [&a, &b].iter().filter(|o| stderr(o).contains("waiting for another lectern build into")).count();
    assert_eq!(waited, 1, "one build waits for the other:\n{}\n---\n{}", stderr(&a), stderr(&b));

    let routes =
        support::lectern_ok(["routes".as_ref(), site.path().as_os_str(), "--format".as_ref(), "json".as_ref()]);
    let routes: Vec<serde_json::Value> = serde_json::from_slice(&routes.stdout).unwrap();
    assert_eq!(routes.len(), pages);
    let missing: Vec<&str> = routes
        .iter()
        .filter_map(|r| r["url"].as_str())
        .filter(|url| !out.join(url.trim_start_matches('/')).join("index.html").is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {pages} pages missing, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".lectern-") && n != ".lectern-cache")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
