//! The external link checker's memory: each URL's last definite answer and when it was had.
//!
//! In: the cache file (JSON; a missing or damaged one is an empty cache). Out: answers younger
//! than the configured age, and the file written again (through a temporary file renamed into
//! place, so two CI jobs or a killed run never leave half a file). Timeouts, refusals, 5xx and
//! 429 answers are never stored: the next run asks again.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// One remembered answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    pub status: u16,
    /// Where redirects ended, when they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// When it was checked, in seconds since 1970.
    pub checked: u64,
}

/// Answers by URL.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ResultCache {
    version: u32,
    entries: BTreeMap<String, CacheEntry>,
}

const VERSION: u32 = 1;

impl ResultCache {
    /// The cache in `file`, or an empty one.
    pub fn load(file: &Path) -> ResultCache {
        std::fs::read(file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<ResultCache>(&bytes).ok())
            .filter(|c| c.version == VERSION)
            .unwrap_or(ResultCache { version: VERSION, entries: BTreeMap::new() })
    }

    /// `url`'s answer when it is younger than `max_age` at `now`.
    pub fn fresh(&self, url: &str, now: u64, max_age: Duration) -> Option<&CacheEntry> {
        self.entries.get(url).filter(|e| e.checked <= now && now - e.checked < max_age.as_secs())
    }

    /// Remembers `url`'s answer.
    pub fn put(&mut self, url: &str, entry: CacheEntry) {
        self.entries.insert(url.to_string(), entry);
    }

    /// Writes the cache to `file`.
    pub fn save(&self, file: &Path) -> anyhow::Result<()> {
        let dir = file.parent().context("the cache file has no folder")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let tmp = dir.join(format!(".external-links-{}.tmp", std::process::id()));
        let json = serde_json::to_vec_pretty(self)?;
        std::fs::write(&tmp, json).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, file).with_context(|| format!("writing {}", file.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_age_and_damage_is_an_empty_cache() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("c/external-links.json");
        let mut cache = ResultCache::load(&file);
        cache.put("https://a.org/", CacheEntry { status: 200, final_url: None, checked: 1000 });
        cache.save(&file).expect("saves");
        let cache = ResultCache::load(&file);
        let day = Duration::from_secs(86_400);
        assert_eq!(cache.fresh("https://a.org/", 1000 + 86_399, day).map(|e| e.status), Some(200));
        assert_eq!(cache.fresh("https://a.org/", 1000 + 86_400, day), None, "too old");
        assert_eq!(cache.fresh("https://a.org/", 999, day), None, "from the future");
        std::fs::write(&file, b"{not json").expect("writes");
        assert_eq!(ResultCache::load(&file).fresh("https://a.org/", 1000, day), None);
    }
}
