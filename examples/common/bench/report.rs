//! Benchmark results: the figures kept per site and tool, the helpers that read lectern's
//! stderr (`built N pages`, `timings: {...}`), and the human-readable tables. The same structs
//! serialise to the `--json` file.

use serde::Serialize;

/// Wall times of several runs.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub samples_ms: Vec<f64>,
}

impl Stats {
    /// Median, min and max of `samples` (not empty).
    pub fn of(samples: Vec<f64>) -> Stats {
        let mut sorted = samples.clone();
        sorted.sort_by(f64::total_cmp);
        Stats { median_ms: median(&sorted), min_ms: sorted[0], max_ms: sorted[sorted.len() - 1], samples_ms: samples }
    }
}

/// Median of sorted values; the mean of the middle two for an even count.
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 }
}

/// Median time of one pipeline stage, from lectern's `timings:` lines.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub name: String,
    pub median_ms: f64,
}

/// One tool's figures on one site.
#[derive(Debug, Clone, Serialize)]
pub struct ToolResult {
    pub tool: String,
    pub pages: usize,
    /// Builds into an empty output folder.
    pub build: Stats,
    /// CPU time (user + system) of the same builds: steadier than wall time on a busy machine.
    pub cpu: Stats,
    /// Its user part (the program's own work) and system part (the kernel's: file system calls).
    pub user: Stats,
    pub sys: Stats,
    /// The warm-up build: the first on this machine, with the site's caches empty.
    pub first_build_ms: Option<f64>,
    pub pages_per_s: f64,
    /// Highest peak RSS over the measured runs.
    pub peak_rss_mib: f64,
    pub output_bytes: u64,
    pub output_files: usize,
    pub bytes_per_page: f64,
    /// Per-stage medians (lectern only), in pipeline order.
    pub stages: Vec<Stage>,
    /// Builds into the output folder of the previous build, nothing changed (lectern only).
    pub rebuild: Option<Stats>,
    /// Their CPU time (user + system).
    pub rebuild_cpu: Option<Stats>,
    /// How many of them said that nothing changed ([`SKIPPED`]) and left the output as it was.
    pub rebuilds_skipped: usize,
    /// Builds into the previous output after one page's text was edited (lectern only), and
    /// their CPU time.
    pub edit: Option<Stats>,
    pub edit_cpu: Option<Stats>,
    /// How many of those builds were incremental ([`INCREMENTAL`]: only the changed pages made
    /// again).
    pub edits_incremental: usize,
    /// Lines starting with `warning` in the last run's stderr.
    pub warnings: usize,
}

/// Every tool's figures on one site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteResult {
    pub site: String,
    /// Where the site came from: a path, or `generated (N pages, seed S)`.
    pub source: String,
    pub lectern: ToolResult,
    pub others: Vec<ToolResult>,
}

/// The whole run, as written by `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub lectern_binary: String,
    pub runs: usize,
    pub warm_up: bool,
    pub seed: u64,
    /// Whether speech audio was synthesised (else `speech.prerender: never` was added).
    pub speech: bool,
    pub sites: Vec<SiteResult>,
    /// Comparison tools that were not found, with how to install them.
    pub skipped: Vec<String>,
}

/// What lectern prints when a build finds nothing changed since the last one.
pub const SKIPPED: &str = "nothing changed since the last build";

/// What lectern's summary line says of an incremental build.
pub const INCREMENTAL: &str = "(incremental: ";

/// `N` from lectern's `built N pages ...` line.
pub fn built_pages(stderr: &str) -> Option<usize> {
    stderr.lines().find_map(|line| line.strip_prefix("built ")?.split(' ').next()?.parse().ok())
}

/// The stages of lectern's `timings: {"load":1.5,...}` line, in the order printed.
pub fn timings(stderr: &str) -> Option<Vec<(String, f64)>> {
    let json = stderr.lines().find_map(|line| line.strip_prefix("timings: "))?;
    let inner = json.trim().strip_prefix('{')?.strip_suffix('}')?;
    inner
        .split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once(':')?;
            Some((key.trim().trim_matches('"').to_string(), value.trim().parse().ok()?))
        })
        .collect()
}

/// Per-stage medians over several runs' timings.
pub fn stage_medians(runs: &[Vec<(String, f64)>]) -> Vec<Stage> {
    let Some(first) = runs.first() else { return Vec::new() };
    first
        .iter()
        .map(|(name, _)| {
            let mut values: Vec<f64> =
                runs.iter().filter_map(|r| r.iter().find(|(n, _)| n == name).map(|(_, v)| *v)).collect();
            values.sort_by(f64::total_cmp);
            Stage { name: name.clone(), median_ms: median(&values) }
        })
        .collect()
}

/// Seconds, with precision that suits the size.
fn secs(ms: f64) -> String {
    if ms < 10_000.0 { format!("{:.3}", ms / 1000.0) } else { format!("{:.2}", ms / 1000.0) }
}

/// Prints rows as aligned columns: the first left-aligned, the others right-aligned.
fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| if c == 0 { format!("{s:<w$}", w = widths[c]) } else { format!("{s:>w$}", w = widths[c]) })
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

fn tool_row(site: &str, r: &ToolResult) -> Vec<String> {
    vec![
        site.to_string(),
        r.tool.clone(),
        r.pages.to_string(),
        secs(r.build.median_ms),
        format!("{}–{}", secs(r.build.min_ms), secs(r.build.max_ms)),
        r.first_build_ms.map_or("-".to_string(), secs),
        secs(r.cpu.median_ms),
        format!("{:.0}", r.pages_per_s),
        format!("{:.1}", r.peak_rss_mib),
        format!("{:.1}", r.bytes_per_page / 1024.0),
        r.rebuild.as_ref().map_or("-".to_string(), |s| secs(s.median_ms)),
        r.warnings.to_string(),
    ]
}

/// The main table, the stage table and the comparison lines.
pub fn print(report: &Report) {
    let mut rows = vec![
        [
            "site",
            "tool",
            "pages",
            "median s",
            "min–max s",
            "first s",
            "CPU s",
            "pages/s",
            "peak RSS MiB",
            "KiB/page",
            "rebuild s",
            "warnings",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in &report.sites {
        rows.push(tool_row(&s.site, &s.lectern));
        rows.extend(s.others.iter().map(|o| tool_row(&s.site, o)));
    }
    print_table(&rows);
    println!(
        "median, min–max: wall time of builds into an empty folder; first: the warm-up build; CPU: user+system \
         time (median); rebuild: a second build into the same folder, nothing changed (median)"
    );
    println!();
    print_rebuilds(report);
    print_stages(report);
    print_ratios(report);
    for line in &report.skipped {
        println!("{line}");
    }
}

/// Cold builds' CPU split into user and system time, against rebuilds with nothing changed and
/// after a one-page edit.
fn print_rebuilds(report: &Report) {
    let mut rows = vec![
        [
            "lectern",
            "pages",
            "cold wall s",
            "cold CPU s",
            "user s",
            "sys s",
            "no-change wall s",
            "no-change CPU s",
            "cold/no-change CPU",
            "skipped",
            "1-page edit wall s",
            "edit CPU s",
            "incremental",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in &report.sites {
        let r = &s.lectern;
        let (Some(rebuild), Some(rebuild_cpu)) = (&r.rebuild, &r.rebuild_cpu) else { continue };
        rows.push(vec![
            s.site.clone(),
            r.pages.to_string(),
            secs(r.build.median_ms),
            secs(r.cpu.median_ms),
            secs(r.user.median_ms),
            secs(r.sys.median_ms),
            secs(rebuild.median_ms),
            secs(rebuild_cpu.median_ms),
            format!("{:.1}×", r.cpu.median_ms / rebuild_cpu.median_ms.max(0.001)),
            format!("{}/{}", r.rebuilds_skipped, rebuild.samples_ms.len()),
            r.edit.as_ref().map_or("-".to_string(), |e| secs(e.median_ms)),
            r.edit_cpu.as_ref().map_or("-".to_string(), |e| secs(e.median_ms)),
            format!("{}/{}", r.edits_incremental, r.edit.as_ref().map_or(0, |e| e.samples_ms.len())),
        ]);
    }
    print_table(&rows);
    println!(
        "cold: builds into an empty folder (medians); user and sys: the two parts of their CPU time; no-change: \
         a build into the previous output with nothing changed; skipped: how many said nothing changed; \
         1-page edit: a build after appending a paragraph to one page; incremental: how many of those \
         made only the changed page again"
    );
    println!();
}

fn print_stages(report: &Report) {
    let Some(names) = report.sites.iter().find(|s| !s.lectern.stages.is_empty()).map(|s| &s.lectern.stages) else {
        println!("no `timings:` line from lectern (it prints one when LECTERN_TIMINGS=1)");
        return;
    };
    let mut header = vec!["lectern stage medians, ms".to_string()];
    header.extend(names.iter().map(|s| s.name.clone()));
    let mut rows = vec![header];
    for s in &report.sites {
        let mut row = vec![s.site.clone()];
        row.extend(names.iter().map(|n| {
            s.lectern.stages.iter().find(|st| st.name == n.name).map_or("-".into(), |st| format!("{:.1}", st.median_ms))
        }));
        rows.push(row);
    }
    print_table(&rows);
    println!("(highlight is summed over threads and is part of render: build highlights code as it writes pages)");
}

fn print_ratios(report: &Report) {
    for s in &report.sites {
        for o in &s.others {
            println!(
                "{}: lectern vs {}: {:.2}× the wall time ({} s vs {} s), {:.2}× the peak RSS, {:.2}× the output",
                s.site,
                o.tool,
                s.lectern.build.median_ms / o.build.median_ms,
                secs(s.lectern.build.median_ms),
                secs(o.build.median_ms),
                s.lectern.peak_rss_mib / o.peak_rss_mib,
                s.lectern.output_bytes as f64 / o.output_bytes.max(1) as f64,
            );
        }
    }
}
