//! `lectern check --external`: every link that leaves the site, checked over HTTP.
//!
//! In: a loaded [`Site`] (each page's links with their positions) and its `external_links`
//! settings. Out: a [`Diagnostic`] per link occurrence that is broken (a 4xx answer: an error, or
//! what `on_broken_links` says) or could not be checked (no answer in time, refused, 5xx, still
//! rate limited after the retries: a warning), and a [`Summary`]. Requests run with bounded
//! concurrency, a minimum interval per host, retries with exponential backoff (and the wait a
//! `Retry-After` asks for); definite answers are kept in a cache with their age
//! (`.lectern-cache/external-links.json`), reused until `max_age_hours` has passed.

mod cache;
mod http;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::config::Policy;
use crate::diagnostic::{Diagnostic, Severity};
use crate::site::Site;

pub use cache::{CacheEntry, ResultCache};
pub use http::{Answer, fetch};

/// `external_links:` as written in `lectern.yml`; every key optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExternalLinks {
    pub ignore: Option<Vec<String>>,
    pub concurrency: Option<usize>,
    pub host_interval_ms: Option<u64>,
    pub retries: Option<u32>,
    pub backoff_ms: Option<u64>,
    pub timeout: Option<u64>,
    pub max_age_hours: Option<u64>,
}

/// The external link checker's settings, defaults filled.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExternalLinks {
    /// URLs not to check: a pattern with `*` matches any run of characters; one without matches
    /// URLs that start with it.
    pub ignore: Vec<String>,
    /// Requests in flight at once, over all hosts.
    pub concurrency: usize,
    /// The least time between two requests to one host (`host:port`).
    pub host_interval: Duration,
    /// Further attempts after a timeout, a refused connection, a 5xx or a 429.
    pub retries: u32,
    /// The wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// How long one request may take, connecting included.
    pub timeout: Duration,
    /// How long a cached answer is trusted.
    pub max_age: Duration,
    /// The cache file.
    pub cache_file: PathBuf,
}

impl ExternalLinks {
    /// Fills the defaults; the cache file goes below `root`.
    pub fn resolve(root: &Path, raw: Option<RawExternalLinks>) -> ExternalLinks {
        let raw = raw.unwrap_or_default();
        ExternalLinks {
            ignore: raw.ignore.unwrap_or_default(),
            concurrency: raw.concurrency.unwrap_or(8).clamp(1, 64),
            host_interval: Duration::from_millis(raw.host_interval_ms.unwrap_or(200)),
            retries: raw.retries.unwrap_or(2).min(10),
            backoff: Duration::from_millis(raw.backoff_ms.unwrap_or(1000)),
            timeout: Duration::from_secs(raw.timeout.unwrap_or(15).max(1)),
            max_age: Duration::from_secs(raw.max_age_hours.unwrap_or(24) * 3600),
            cache_file: root.join(".lectern-cache/external-links.json"),
        }
    }

    /// Whether `url` matches an `ignore` pattern.
    pub fn ignores(&self, url: &str) -> bool {
        self.ignore.iter().any(|p| if p.contains('*') { glob_match(p, url) } else { url.starts_with(p.as_str()) })
    }
}

/// `*` matches any run of characters (including none); everything else matches itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// What a check found, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Distinct URLs checked (from the cache or over the network).
    pub urls: usize,
    pub from_cache: usize,
    pub broken: usize,
    pub unchecked: usize,
    pub ignored: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "external links: {} checked ({} from the cache), {} broken, {} could not be checked, {} ignored",
            self.urls, self.from_cache, self.broken, self.unchecked, self.ignored
        )
    }
}

/// The URL a written link is checked as: `http(s)` only (protocol-relative as https), without
/// its `#fragment`; `None` for other schemes (`mailto:`, `tel:`) and links inside the site.
pub fn checkable_url(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let url = if let Some(rest) = dest.strip_prefix("//") { format!("https://{rest}") } else { dest.to_string() };
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    Some(url.split('#').next().unwrap_or(&url).to_string())
}

/// Checks every external link of `site`; `now` is the time the cache ages are measured from
/// (seconds since 1970).
pub fn check(site: &Site, now: u64) -> anyhow::Result<(Vec<Diagnostic>, Summary)> {
    let settings = &site.config.external_links;
    // URL → where it is written: (doc, line, column).
    let mut uses: BTreeMap<String, Vec<(usize, usize, usize)>> = BTreeMap::new();
    let mut summary = Summary::default();
    let mut ignored = std::collections::BTreeSet::new();
    for (i, page) in site.pages.iter().enumerate() {
        for link in &page.markdown.links {
            let Some(url) = checkable_url(&link.dest) else { continue };
            if settings.ignores(&url) {
                ignored.insert(url);
                continue;
            }
            uses.entry(url).or_default().push((i, link.line, link.column));
        }
    }
    summary.ignored = ignored.len();
    summary.urls = uses.len();
    let mut cache = ResultCache::load(&settings.cache_file);
    let mut answers: HashMap<String, Answer> = HashMap::new();
    let mut to_fetch = Vec::new();
    for url in uses.keys() {
        match cache.fresh(url, now, settings.max_age) {
            Some(entry) => {
                summary.from_cache += 1;
                answers
                    .insert(url.clone(), Answer::Status { status: entry.status, final_url: entry.final_url.clone() });
            }
            None => to_fetch.push(url.clone()),
        }
    }
    let fetched = run_requests(settings, to_fetch)?;
    for (url, answer) in fetched {
        if let Answer::Status { status, final_url } = &answer
            && !(*status == 429 || *status >= 500)
        {
            cache.put(&url, CacheEntry { status: *status, final_url: final_url.clone(), checked: now });
        }
        answers.insert(url, answer);
    }
    cache.save(&settings.cache_file)?;

    let mut problems = Vec::new();
    for (url, places) in &uses {
        let Some(answer) = answers.get(url) else { continue };
        let Some((severity, message, help)) = judge(url, answer, site.config.on_broken_links) else { continue };
        if matches!(answer, Answer::Status { status, .. } if *status < 500 && *status != 429) {
            summary.broken += 1;
        } else {
            summary.unchecked += 1;
        }
        for &(doc, line, column) in places {
            let d = &site.content.docs[doc];
            let mut problem = Diagnostic::error(d.display_path.clone(), line, column, message.clone())
                .with_source(&d.text)
                .with_help(help.clone());
            problem.severity = severity;
            problems.push(problem);
        }
    }
    Ok((problems, summary))
}

/// What an answer means for a link: `None` when it works.
fn judge(url: &str, answer: &Answer, policy: Policy) -> Option<(Severity, String, String)> {
    let unchecked = |what: String| {
        Some((
            Severity::Warning,
            format!("external link '{url}' could not be checked: {what}"),
            "it may work in a browser; if the host is always unreachable from CI, add it to `external_links.ignore`"
                .to_string(),
        ))
    };
    match answer {
        // 3xx here had no Location to follow (a 304, say): the server is there and answers.
        Answer::Status { status, .. } if (200..400).contains(status) => None,
        Answer::Status { status: 429, .. } => unchecked("still rate limited (429) after the retries".into()),
        Answer::Status { status, .. } if *status >= 500 => unchecked(format!("the server answered {status}")),
        Answer::Status { status, final_url } => {
            let severity = match policy {
                Policy::Ignore => return None,
                Policy::Warn => Severity::Warning,
                Policy::Error => Severity::Error,
            };
            let via = final_url.as_deref().map(|f| format!(" (redirected to {f})")).unwrap_or_default();
            Some((
                severity,
                format!("external link '{url}' is broken: the server answered {status}{via}"),
                "fix or remove the link, or add it to `external_links.ignore` in lectern.yml".to_string(),
            ))
        }
        Answer::Failed(why) => unchecked(why.clone()),
    }
}

/// Fetches every URL with the settings' limits: (URL, answer).
fn run_requests(settings: &ExternalLinks, urls: Vec<String>) -> anyhow::Result<Vec<(String, Answer)>> {
    if urls.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let limits = Arc::new(Limits {
            permits: tokio::sync::Semaphore::new(settings.concurrency),
            hosts: std::sync::Mutex::new(HashMap::new()),
            settings: settings.clone(),
        });
        let tasks: Vec<_> = urls
            .into_iter()
            .map(|url| {
                let limits = limits.clone();
                tokio::spawn(async move {
                    let answer = limits.check(&url).await;
                    (url, answer)
                })
            })
            .collect();
        let mut out = Vec::with_capacity(tasks.len());
        for task in tasks {
            out.push(task.await?);
        }
        Ok(out)
    })
}

/// The shared limits of one run: the concurrency permits and each host's next free moment.
struct Limits {
    permits: tokio::sync::Semaphore,
    hosts: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<Instant>>>>,
    settings: ExternalLinks,
}

impl Limits {
    /// Waits for the host's turn, then books the next one.
    async fn wait_for_host(&self, host: &str, extra: Duration) {
        let slot = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts.entry(host.to_string()).or_insert_with(|| Arc::new(tokio::sync::Mutex::new(Instant::now()))).clone()
        };
        let mut next = slot.lock().await;
        let at = (*next).max(Instant::now() + extra);
        tokio::time::sleep_until(at.into()).await;
        *next = Instant::now() + self.settings.host_interval;
    }

    /// One URL, following redirects, with retries.
    async fn check(&self, url: &str) -> Answer {
        let s = &self.settings;
        let mut attempt = 0;
        let mut wait = Duration::ZERO;
        loop {
            let (answer, asked_wait) = {
                let Ok(_permit) = self.permits.acquire().await else { return Answer::Failed("stopped".into()) };
                self.follow(url, wait).await
            };
            let retry_after = match &answer {
                Answer::Status { status: 429, .. } | Answer::Failed(_) => true,
                Answer::Status { status, .. } => *status >= 500,
            };
            if !retry_after || attempt >= s.retries {
                return answer;
            }
            let backoff = s.backoff * 2u32.saturating_pow(attempt);
            wait = asked_wait.unwrap_or(backoff);
            attempt += 1;
        }
    }

    /// Requests `url`, following up to five redirects; `wait` is added before the first request.
    /// Also gives the wait a 429's `Retry-After` asks for (at most a minute).
    async fn follow(&self, url: &str, wait: Duration) -> (Answer, Option<Duration>) {
        let mut current = url.to_string();
        let mut wait = wait;
        for _ in 0..6 {
            let Some(host) = http::authority(&current) else {
                return (Answer::Failed(format!("'{current}' is not a URL")), None);
            };
            self.wait_for_host(&host, wait).await;
            wait = Duration::ZERO;
            match fetch(&current, self.settings.timeout).await {
                Ok(reply) if (300..400).contains(&reply.status) && reply.location.is_some() => {
                    current = http::join(&current, reply.location.as_deref().unwrap_or_default());
                }
                Ok(reply) => {
                    let asked = (reply.status == 429)
                        .then(|| reply.retry_after.map(|s| Duration::from_secs(s.min(60))))
                        .flatten();
                    let final_url = (current != url).then_some(current);
                    return (Answer::Status { status: reply.status, final_url }, asked);
                }
                Err(why) => return (Answer::Failed(why), None),
            }
        }
        (Answer::Failed("more than five redirects".into()), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_patterns_and_checkable_urls() {
        let mut s = ExternalLinks::resolve(Path::new("/site"), None);
        s.ignore = vec!["https://internal.example.org".into(), "*://*.example.com/private/*".into()];
        for (url, want) in [
            ("https://internal.example.org/a", true),
            ("https://www.example.com/private/x", true),
            ("http://a.example.com/private/", true),
            ("https://www.example.com/public/x", false),
            ("https://example.org/", false),
        ] {
            assert_eq!(s.ignores(url), want, "{url}");
        }
        assert_eq!(checkable_url("https://x.org/a#part").as_deref(), Some("https://x.org/a"));
        assert_eq!(checkable_url("//x.org/a").as_deref(), Some("https://x.org/a"));
        assert_eq!(checkable_url("HTTP://x.org").as_deref(), Some("HTTP://x.org"));
        for skipped in ["mailto:a@b.c", "tel:123", "/guides/a", "./a.md", "ftp://x.org"] {
            assert_eq!(checkable_url(skipped), None, "{skipped}");
        }
        assert!(glob_match("a*c*e", "abcde") && !glob_match("a*c*e", "abde") && glob_match("*", ""));
    }
}
