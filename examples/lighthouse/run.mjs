// Runs Lighthouse (mobile, its default) on each URL given as an argument, with Debian's
// chromium, and prints one JSON line per page: the four category scores (0-100), the metrics
// behind the performance score, the bytes of the first load and the audits that lost points.
// Called by examples/lighthouse-bench.rs; reports, never asserts.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const CHROMIUM = process.env.LECTERN_CHROMIUM || "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
// Lighthouse's simulated (throttled) values, in milliseconds.
const METRICS = {
  fcp_ms: "first-contentful-paint",
  lcp_ms: "largest-contentful-paint",
  si_ms: "speed-index",
  tbt_ms: "total-blocking-time",
};

const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic"],
});
try {
  for (const url of process.argv.slice(2)) {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
    const lhr = result.lhr;
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
    const failing = CATEGORIES.flatMap((c) =>
      (lhr.categories[c]?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
        .map((ref) => `${c}:${ref.id}`),
    );
    const metrics = Object.fromEntries(
      Object.entries(METRICS).map(([key, id]) => [key, Math.round(lhr.audits[id]?.numericValue ?? NaN)]),
    );
    const blocking = lhr.audits["render-blocking-insight"] ?? lhr.audits["render-blocking-resources"];
    console.log(
      JSON.stringify({
        url,
        scores,
        ...metrics,
        bytes: lhr.audits["total-byte-weight"]?.numericValue ?? null,
        requests: lhr.audits["network-requests"]?.details?.items?.length ?? null,
        render_blocking: (blocking?.details?.items ?? []).filter((i) => i.url).length,
        cls: lhr.audits["cumulative-layout-shift"]?.numericValue ?? null,
        benchmark_index: lhr.environment?.benchmarkIndex ?? null,
        failing,
      }),
    );
  }
} finally {
  await chrome.kill();
}
