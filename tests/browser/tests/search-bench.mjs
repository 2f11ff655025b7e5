// Measures the navbar search for examples/search-bench.rs (not a test: it reports, never fails
// on time). For each query, in a fresh browser context (empty cache): load the home page, focus
// the box, type the query key by key like a person (args.keyDelayMs apart), and record which
// index files were fetched and, per keystroke, the time from keydown to the results painted.
// Logs one line of JSON per query: { query, files: [path], latencies: [{ value, ms }] }.

export async function run({ browser, baseUrl, args, log }) {
  for (const query of args.queries) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const files = [];
    page.on("response", (res) => {
      const path = new URL(res.url()).pathname;
      if (path.includes("/search/") && res.ok()) files.push(path);
    });
    await page.goto(`${baseUrl}/`, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelector("#search-input")?.getAttribute("role") === "combobox");
    await page.evaluate(() => {
      const input = document.querySelector("#search-input");
      const form = input.form;
      window.__latencies = [];
      const typedAt = new Map();
      let keyAt = 0;
      document.addEventListener("keydown", (e) => (keyAt = e.timeStamp), true);
      input.addEventListener("input", () => typedAt.set(input.value, keyAt), true);
      form.addEventListener("lectern:search-results", (e) => {
        const started = typedAt.get(e.detail.query);
        if (started === undefined) return;
        typedAt.delete(e.detail.query);
        requestAnimationFrame(() =>
          window.__latencies.push({ value: e.detail.query, ms: performance.now() - started, count: e.detail.count }),
        );
      });
    });
    await page.focus("#search-input");
    // A person's first key comes a moment after focusing; args.focusDelayMs = 0 measures the worst case.
    await page.waitForTimeout(args.focusDelayMs);
    for (const ch of query) {
      await page.keyboard.type(ch);
      await page.waitForTimeout(args.keyDelayMs);
    }
    await page.waitForFunction((q) => document.querySelector("#search-results")?.dataset.query === q, query);
    await page.waitForTimeout(50);
    const latencies = await page.evaluate(() => window.__latencies);
    log(JSON.stringify({ query, files, latencies }));
    await context.close();
  }
}
