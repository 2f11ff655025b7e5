//! Front matter, MDX-lite and Markdown rendering of one page, from arbitrary text: no panic,
//! no hang, and every diagnostic points inside the file.
#![no_main]

use std::path::Path;

use lectern::markdown::{LinkResolver, MarkdownOptions, ResolvedImage};
use libfuzzer_sys::fuzz_target;

struct Resolver;

impl LinkResolver for Resolver {
    fn resolve_link(&self, dest: &str) -> Option<String> {
        dest.ends_with(".md").then(|| format!("/resolved/{}", dest.len()))
    }
    fn resolve_image(&self, src: &str) -> Option<ResolvedImage> {
        Some(ResolvedImage { url: format!("/img/{}", src.len()), file: None })
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("docs/fuzz.md");
    let Ok(split) = lectern::content::frontmatter::split(text, path) else { return };
    if let Some(yaml) = split.yaml {
        let _ = lectern::content::frontmatter::parse(yaml, text, path);
    }
    let opts = MarkdownOptions::default();
    let out = lectern::markdown::render(split.body, path, split.body_line_offset, &opts, &Resolver);
    let lines = text.lines().count() + 1;
    for d in &out.diagnostics {
        assert!(d.line <= lines, "diagnostic line {} past the end ({lines} lines)", d.line);
    }
    for l in &out.links {
        assert!(l.line >= 1 && l.line <= lines, "link line {} outside 1..={lines}", l.line);
    }
});
