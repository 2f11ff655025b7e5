//! Where the npm package `mermaid` is installed, for drawing a site's diagrams in the browser.
//! lectern carries no copy of mermaid: like the Piper voice, it uses the one a site installs
//! (`npm install mermaid`, or a Docusaurus site's `@docusaurus/theme-mermaid`), and copies its
//! browser build into the built site, so pages never load it from elsewhere.
//!
//! In: the site root and `LECTERN_MERMAID` (a path to the package's folder). Out: [`Mermaid`],
//! found (folder and version) or missing (and why); [`build_files`] lists the files of its ES
//! module build that a browser loads.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

/// The oldest major version whose browser build lectern loads (`dist/mermaid.esm.min.mjs`).
pub const MIN_MAJOR: u64 = 10;

/// The ES module build's entry, below the package's `dist/` folder.
pub const ENTRY: &str = "mermaid.esm.min.mjs";

/// The folder below the site's `assets/` that the build is copied into.
pub const ASSETS_DIR: &str = "mermaid";

/// The environment variable naming the package's folder.
pub const ENV_VAR: &str = "LECTERN_MERMAID";

/// The mermaid package a build uses, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Mermaid {
    /// An installed package: its folder (absolute) and its version.
    Found { dir: PathBuf, version: String },
    /// None usable; `reason` says where lectern looked or what was wrong.
    Missing { reason: String },
}

impl Mermaid {
    /// The package's version when one was found.
    pub fn version(&self) -> Option<&str> {
        match self {
            Mermaid::Found { version, .. } => Some(version),
            Mermaid::Missing { .. } => None,
        }
    }
}

/// Finds the package: the folder `explicit` names (`LECTERN_MERMAID`) when set, else the first
/// `node_modules/mermaid` in `root` or a folder above it, as Node resolves a package.
pub fn find(root: &Path, explicit: Option<&str>) -> Mermaid {
    if let Some(dir) = explicit.map(str::trim).filter(|d| !d.is_empty()) {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| PathBuf::from(dir));
        return match check(&dir) {
            Ok(version) => Mermaid::Found { dir, version },
            Err(why) => Mermaid::Missing { reason: format!("{ENV_VAR} is set to {}, but {why}", dir.display()) },
        };
    }
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    for folder in root.ancestors() {
        let dir = folder.join("node_modules").join("mermaid");
        if !dir.is_dir() {
            continue;
        }
        return match check(&dir) {
            Ok(version) => Mermaid::Found { dir, version },
            Err(why) => Mermaid::Missing { reason: format!("{} was found, but {why}", dir.display()) },
        };
    }
    Mermaid::Missing {
        reason: format!(
            "the npm package `mermaid` is not installed (no node_modules/mermaid in {} or a folder above it, and {ENV_VAR} is not set)",
            root.display()
        ),
    }
}

/// The version of the mermaid package in `dir`, or what is wrong with it.
fn check(dir: &Path) -> Result<String, String> {
    let manifest = dir.join("package.json");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{} cannot be read ({e})", manifest.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON ({e})", manifest.display()))?;
    let name = json.get("name").and_then(|n| n.as_str()).unwrap_or("");
    if name != "mermaid" {
        return Err(format!("{} is the package `{name}`, not `mermaid`", manifest.display()));
    }
    let version = json.get("version").and_then(|v| v.as_str()).unwrap_or("").to_string();
    let major = version.split('.').next().and_then(|m| m.parse::<u64>().ok());
    match major {
        Some(major) if major >= MIN_MAJOR => {}
        _ => return Err(format!("it is version `{version}`; lectern needs mermaid {MIN_MAJOR} or later")),
    }
    let entry = dir.join("dist").join(ENTRY);
    if !entry.is_file() {
        return Err(format!("it has no {}", entry.display()));
    }
    Ok(version)
}

/// The files of the package's ES module build that a browser may load: `dist/mermaid.esm.min.mjs`
/// and every module it imports, directly or through others (its chunks), by path relative to
/// `dist/` with `/` separators, and the package's `LICENSE` as `LICENSE`. Source maps are left out. Following the imports, rather than
/// listing a folder, fits every layout mermaid has shipped since version 10.
pub fn build_files(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let dist = dir.join("dist");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue = vec![ENTRY.to_string()];
    while let Some(rel) = queue.pop() {
        if !seen.insert(rel.clone()) {
            continue;
        }
        let path = dist.join(&rel);
        let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
        for spec in relative_imports(&text) {
            if let Some(target) = join(folder, spec)
                && !seen.contains(&target)
                && dist.join(&target).is_file()
            {
                queue.push(target);
            }
        }
    }
    let mut files: Vec<(String, PathBuf)> = seen.into_iter().map(|rel| (rel.clone(), dist.join(rel))).collect();
    // The MIT licence asks that its notice go with every copy.
    let licence = dir.join("LICENSE");
    if licence.is_file() {
        files.push(("LICENSE".to_string(), licence));
    }
    Ok(files)
}

/// Every quoted relative module path (`"./x.mjs"`, `'../y.js'`) in a module's text: the
/// specifiers of its static and dynamic imports, and perhaps a few strings that only look like
/// them (harmless: only files that exist are followed).
fn relative_imports(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = text[at..].find("./") {
        let start = at + offset;
        at = start + 2;
        // Back to the opening quote: `"./`, `"../`.
        let mut open = start;
        while open > 0 && bytes[open - 1] == b'.' {
            open -= 1;
        }
        let Some(&quote) = open.checked_sub(1).and_then(|i| bytes.get(i)) else { continue };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let Some(len) = text[open..].find(quote as char) else { break };
        let spec = &text[open..open + len];
        if spec.ends_with(".mjs") || spec.ends_with(".js") {
            found.push(spec);
            at = open + len;
        }
    }
    found
}

/// `spec` (`./a.mjs`, `../b/c.js`) seen from `folder` (relative to `dist/`), as a path relative
/// to `dist/`; `None` when it leaves `dist/`.
fn join(folder: &str, spec: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for component in Path::new(spec).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(part) => parts.push(part.to_str()?),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &Path, version: &str, files: &[(&str, &str)]) {
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::write(dir.join("package.json"), format!("{{\"name\": \"mermaid\", \"version\": \"{version}\"}}"))
            .unwrap();
        for (rel, text) in files {
            let path = dir.join("dist").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn relative_imports_are_found_in_minified_code() {
        let text = r#"import{a as b}from"./chunks/x/chunk-A.mjs";import'./side.js';const c=()=>import("./chunks/x/flow-B.mjs");var u="./not-a-module.css",v="http://example.org/./x.js";export{b}"#;
        assert_eq!(relative_imports(text), ["./chunks/x/chunk-A.mjs", "./side.js", "./chunks/x/flow-B.mjs"]);
        assert_eq!(relative_imports(r#"from"../up.mjs""#), ["../up.mjs"]);
    }

    #[test]
    fn paths_stay_inside_dist() {
        assert_eq!(join("", "./chunks/a.mjs").as_deref(), Some("chunks/a.mjs"));
        assert_eq!(join("chunks/m", "./b.mjs").as_deref(), Some("chunks/m/b.mjs"));
        assert_eq!(join("chunks/m", "../c.mjs").as_deref(), Some("chunks/c.mjs"));
        assert_eq!(join("", "../../etc/passwd.js"), None);
    }

    #[test]
    fn the_build_is_the_entry_and_what_it_imports() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("mermaid");
        package(
            &dir,
            "11.2.0",
            &[
                (ENTRY, r#"import{x}from"./chunks/m/chunk-1.mjs";const l=()=>import("./chunks/m/flow-2.mjs");"#),
                ("chunks/m/chunk-1.mjs", r#"import"./chunk-3.mjs";"#),
                ("chunks/m/flow-2.mjs", r#"import{x}from"./chunk-1.mjs";"#),
                ("chunks/m/chunk-3.mjs", "export const y=1;"),
                ("chunks/m/unused.mjs", "export const z=1;"),
                ("mermaid.esm.min.mjs.map", "{}"),
                ("mermaid.js", "var big;"),
            ],
        );
        std::fs::write(dir.join("LICENSE"), "MIT").unwrap();
        let files: Vec<String> = build_files(&dir).unwrap().into_iter().map(|(rel, _)| rel).collect();
        assert_eq!(files, ["chunks/m/chunk-1.mjs", "chunks/m/chunk-3.mjs", "chunks/m/flow-2.mjs", ENTRY, "LICENSE"]);
    }

    #[test]
    fn found_in_the_root_or_above_or_where_the_variable_says() {
        let temp = tempfile::tempdir().unwrap();
        let site = temp.path().join("repo/website");
        std::fs::create_dir_all(&site).unwrap();
        assert!(matches!(find(&site, None), Mermaid::Missing { reason } if reason.contains("not installed")));

        let above = temp.path().join("repo/node_modules/mermaid");
        package(&above, "11.4.1", &[(ENTRY, "")]);
        assert_eq!(find(&site, None), Mermaid::Found { dir: above.clone(), version: "11.4.1".into() });

        let own = site.join("node_modules/mermaid");
        package(&own, "9.4.3", &[(ENTRY, "")]);
        match find(&site, None) {
            Mermaid::Missing { reason } => assert!(reason.contains("version `9.4.3`"), "{reason}"),
            found => panic!("{found:?}"),
        }

        let elsewhere = temp.path().join("tools/node_modules/mermaid");
        package(&elsewhere, "10.9.3", &[(ENTRY, "")]);
        let explicit = elsewhere.to_string_lossy().into_owned();
        assert_eq!(find(&site, Some(&explicit)), Mermaid::Found { dir: elsewhere, version: "10.9.3".into() });
        match find(&site, Some("/no/such/folder")) {
            Mermaid::Missing { reason } => {
                assert!(reason.starts_with("LECTERN_MERMAID is set to /no/such/folder"), "{reason}")
            }
            found => panic!("{found:?}"),
        }
    }

    #[test]
    fn a_package_without_the_module_build_is_not_used() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("node_modules/mermaid");
        package(&dir, "10.0.0", &[("mermaid.min.js", "")]);
        match find(temp.path(), None) {
            Mermaid::Missing { reason } => assert!(reason.contains("has no"), "{reason}"),
            found => panic!("{found:?}"),
        }
    }
}
