// Runs Lighthouse (mobile, its default) on each URL given as an argument, with Debian's
// chromium, and prints one JSON line per page: the four category scores (0-100) and the bytes
// of the first load. Called by examples/lighthouse-bench.rs; reports, never asserts.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const CHROMIUM = process.env.LECTERN_CHROMIUM || "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

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
    console.log(
      JSON.stringify({
        url,
        scores,
        bytes: lhr.audits["total-byte-weight"]?.numericValue ?? null,
        requests: lhr.audits["network-requests"]?.details?.items?.length ?? null,
        lcp_ms: Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? 0),
        cls: lhr.audits["cumulative-layout-shift"]?.numericValue ?? null,
        failing,
      }),
    );
  }
} finally {
  await chrome.kill();
}
