//! The readers of hand-written sidebars over arbitrary text: as a Docusaurus `sidebars.js`
//! (evaluated without running it) and as a `lectern.yml` with sidebar items. No panic; every
//! item read has a place inside the text.
#![no_main]

use std::path::Path;

use lectern::config::ItemSpec;
use libfuzzer_sys::fuzz_target;

fn check_places(items: &[ItemSpec], lines: usize) {
    for item in items {
        assert!(item.at.line >= 1 && item.at.line <= lines.max(1), "{item:?}");
        if let lectern::config::ItemKind::Category { items, .. } = &item.kind {
            check_places(items, lines);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.lines().count();
    if let Ok(read) = lectern::docusaurus::sidebars(text, Path::new("sidebars.js"), &[]) {
        for s in &read.sidebars {
            check_places(s.items.as_deref().unwrap_or_default(), lines);
        }
    }
    if let Ok(raw) = lectern::config::parse(text, Path::new("lectern.yml")) {
        for s in raw.sidebars.iter().flatten() {
            check_places(s.items.as_deref().unwrap_or_default(), lines);
        }
    }
});
