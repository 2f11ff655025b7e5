//! Fingerprints for incremental builds: what a page's output file, and the search index, are
//! made from, hashed, so a rebuild can keep the previous build's file when they are unchanged.
//!
//! In: a loaded [`Site`], the [`Theme`] and each page's markdown-stage HTML hash. Out: one
//! `u64` per page and one for the search index. Pure: nothing here touches the disk except
//! reading this program's own size and date, so a new lectern never reuses an old one's output.

use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use crate::render::Theme;
use crate::site::Site;

/// Streams `Debug` output into a hasher, so large structures are hashed without building a string.
struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

fn hash_debug(h: &mut DefaultHasher, value: &impl std::fmt::Debug) {
    let _ = write!(HashWriter(h), "{value:?}");
    h.write_u8(0xff);
}

/// This program: a hash of its version, size and modification time, so output made by another
/// build of lectern (another version, or the same version with other code) is never taken as
/// current. Worked out once per process.
pub fn program_hash() -> u64 {
    static HASH: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *HASH.get_or_init(|| {
        let mut h = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
            meta.len().hash(&mut h);
            if let Ok(modified) = meta.modified() {
                modified.hash(&mut h);
            }
        }
        h.finish()
    })
}

/// What every page shows of the whole site: the settings, the theme, the sidebars and every
/// page's route, title and front matter (the sidebar, breadcrumbs and previous/next links of
/// any page can show any other page).
pub fn site_fingerprint(site: &Site, theme: &Theme) -> u64 {
    let mut h = DefaultHasher::new();
    program_hash().hash(&mut h);
    theme.fingerprint().hash(&mut h);
    hash_debug(&mut h, &site.config);
    hash_debug(&mut h, &site.sidebars.sidebars);
    hash_debug(&mut h, &site.sidebars.placements);
    hash_debug(&mut h, &site.sidebars.order);
    for d in &site.content.docs {
        (&d.id, &d.url, &d.title, &d.source, &d.output_file).hash(&mut h);
        hash_debug(&mut h, &d.front);
    }
    h.finish()
}

/// Per page: a hash of everything its output file is made from. `html[i]` is the hash of page
/// `i`'s markdown-stage HTML ([`crate::site::html_hash`]).
pub fn pages(site: &Site, theme: &Theme, html: &[u64]) -> Vec<u64> {
    let whole = site_fingerprint(site, theme);
    (0..site.content.docs.len()).into_par_iter().map(|i| page(site, whole, i, html[i])).collect()
}

/// Page `i`'s fingerprint, in a site whose [`site_fingerprint`] is `whole` and where the page's
/// markdown-stage HTML hash is `html`.
pub fn page(site: &Site, whole: u64, i: usize, html: u64) -> u64 {
    let mut h = DefaultHasher::new();
    whole.hash(&mut h);
    i.hash(&mut h);
    html.hash(&mut h);
    let page = &site.pages[i];
    let r = &page.markdown;
    (&r.description, &page.git_date).hash(&mut h);
    hash_debug(&mut h, &r.toc);
    // Hashed as they are: players are kilobytes each, which `Debug` would escape first.
    site.speech.players.get(i).hash(&mut h);
    h.finish()
}

/// A hash of everything the search index is made from: each indexed page's title, URL,
/// breadcrumbs and HTML, in order.
pub fn search(site: &Site, indexed: &[usize], html: &[u64]) -> u64 {
    let mut h = DefaultHasher::new();
    program_hash().hash(&mut h);
    crate::search::FORMAT_VERSION.hash(&mut h);
    for &i in indexed {
        let d = &site.content.docs[i];
        (&d.title, &d.url, html[i]).hash(&mut h);
        hash_debug(&mut h, &site.sidebars.placements[i].as_ref().map(|p| &p.categories));
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use crate::site::html_hash;

    #[test]
    fn html_hash_tells_pages_apart() {
        assert_eq!(html_hash("<p>a</p>"), html_hash("<p>a</p>"));
        assert_ne!(html_hash("<p>a</p>"), html_hash("<p>b</p>"));
    }
}
