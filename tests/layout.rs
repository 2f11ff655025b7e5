//! Who may import whom (docs/06-ways-of-working/04-code-layout.md): the pipeline (`build`) sits on
//! top, so only the binary, the library root and `serve` name it; the output files' module sits
//! below everything and names nothing of the crate. Read from the sources, so a stray `use` fails
//! here with its line.

use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The lines of `file` that name one of `modules` (as `crate::name` or `lectern::name`).
fn naming(file: &Path, modules: &[&str]) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
    let word_at = |line: &str, at: usize, len: usize| {
        let before = line[..at].chars().next_back();
        !line[at + len..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            && !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
    };
    let names = |line: &str, module: &str| {
        ["crate::", "lectern::"].iter().any(|root| {
            let path = format!("{root}{module}");
            let direct = line.match_indices(&path).any(|(at, _)| word_at(line, at + root.len(), module.len()));
            // `use crate::{build, …}` on one line.
            let grouped = line.split(&format!("{root}{{")).skip(1).any(|group| {
                let group = group.split('}').next().unwrap_or("");
                group.match_indices(module).any(|(at, _)| word_at(group, at, module.len()))
            });
            direct || grouped
        })
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| modules.iter().any(|m| names(line, m)))
        .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
        .collect()
}

#[test]
fn only_the_binary_and_serve_import_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed = |p: &Path| p == src.join("main.rs") || p == src.join("lib.rs") || p.starts_with(src.join("serve"));
    let offending: Vec<String> =
        sources(&src).iter().filter(|p| !allowed(p)).flat_map(|p| naming(p, &["build", "pipeline"])).collect();
    assert!(offending.is_empty(), "only main.rs, lib.rs and serve/ may import the pipeline:\n{}", offending.join("\n"));
}

#[test]
fn the_ground_floor_imports_nothing_of_the_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for module in ["files.rs", "html.rs", "diagnostic.rs"] {
        let text = std::fs::read_to_string(src.join(module)).expect("a module of the ground floor");
        let offending: Vec<&str> = text.lines().filter(|l| l.contains("crate::") || l.contains("super::")).collect();
        let offending: Vec<&str> = offending.into_iter().filter(|l| l.trim() != "use super::*;").collect();
        assert!(offending.is_empty(), "src/{module} sits below every stage:\n{}", offending.join("\n"));
    }
}

#[test]
fn the_check_finds_an_offending_use() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("stage.rs");
    std::fs::write(&file, "use crate::buildings::X;\nuse crate::build::Site;\n// crate::build in a comment\nuse crate::{config, build};\n")
        .expect("writing");
    assert_eq!(
        naming(&file, &["build"]),
        vec![
            format!("{}:2: use crate::build::Site;", file.display()),
            format!("{}:4: use crate::{{config, build}};", file.display())
        ]
    );
}
