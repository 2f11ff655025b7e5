//! Atomic and reproducible output: a build killed with SIGKILL at any moment leaves the previous
//! complete output in place, and two builds of the same input are byte-identical whatever the
//! number of threads.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

/// A generated site big enough that a build takes a noticeable time.
fn generated_site(pages: usize, marker: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    for i in 0..pages {
        let dir = site.path().join(format!("docs/{:02}-Part {}", i / 50, i / 50));
        fs::create_dir_all(&dir).unwrap();
        let body = "Some prose about the process, with `code` and a [link](#section).\n\n".repeat(20);
        let text = format!(
            "---\nid: page-{i}\ntitle: Page {i}\n---\n\n## Section\n\n{marker}\n\n{body}\n```rust\nfn main() {{ println!(\"{i}\"); }}\n```\n"
        );
        fs::write(dir.join(format!("{:03}-page.md", i % 50)), text).unwrap();
    }
    site
}

fn set_marker(site: &Path, pages: usize, marker: &str) {
    for i in 0..pages {
        let path = site.join(format!("docs/{:02}-Part {}/{:03}-page.md", i / 50, i / 50, i % 50));
        let text = fs::read_to_string(&path).unwrap();
        let old = text.lines().find(|l| l.starts_with("MARKER-")).unwrap().to_string();
        fs::write(&path, text.replacen(&old, marker, 1)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_previous_output_whole() {
    let pages = 600;
    let site = generated_site(pages, "MARKER-OLD");
    let out = site.path().join("out");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let old = support::tree(&out);
    assert!(old.len() > pages);
    set_marker(site.path(), pages, "MARKER-NEW");

    // Time one full build to spread the kills over its whole length.
    let started = std::time::Instant::now();
    let scratch = site.path().join("scratch");
    support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), scratch.as_os_str()]);
    let full = started.elapsed();
    let new = support::tree(&scratch);
    fs::remove_dir_all(&scratch).unwrap();

    let mut outcomes = Vec::new();
    for step in 1..=8u32 {
        let delay = full * step / 9;
        let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = support::tree(&out);
        let which = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            let missing = old.keys().filter(|k| !now.contains_key(*k)).count();
            panic!("after a kill at {delay:?} the output is neither build ({} files, {missing} missing)", now.len());
        };
        outcomes.push(format!("{delay:?}: {which}"));
        if which == "new" {
            // Start the next kill from the old build again.
            fs::remove_dir_all(&out).unwrap();
            set_marker(site.path(), pages, "MARKER-OLD");
            support::lectern_ok(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()]);
            assert_eq!(support::tree(&out), old);
            set_marker(site.path(), pages, "MARKER-NEW");
        }
    }
    eprintln!("kills over a {full:?} build: {outcomes:?}");
    assert!(outcomes.iter().any(|o| o.ends_with("old")), "no kill landed before the swap: {outcomes:?}");
}

#[test]
fn builds_are_byte_identical_with_one_thread_and_many() {
    let site = support::copy_fixture("render");
    let build = |threads: &str, out: &str| {
        let out = site.path().join(out);
        let run = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["build".as_ref(), site.path().as_os_str(), "--out".as_ref(), out.as_os_str()])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        support::tree(&out)
    };
    let one = build("1", "one");
    let many = build("8", "many");
    let again = build("8", "again");
    assert_eq!(one.keys().collect::<Vec<_>>(), many.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(many[path] == *bytes, "{path} differs between 1 and 8 threads");
        assert!(again[path] == *bytes, "{path} differs between two builds");
    }
}
