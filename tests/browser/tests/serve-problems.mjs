// Problems as you type, in a real browser against `lectern serve` (started by
// tests/serve_problems_browser.rs on a copy of tests/fixtures/serve-problems).
// args: { file: the edit-me page's Markdown file on disk, marker: a sentence in it }.
// The home page is open while another page gets a broken link: its notice appears without a
// reload, is not the red error overlay, passes axe, can be dismissed from the keyboard, and goes
// away when the link is fixed.

import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

async function openHome(page, baseUrl) {
  await page.goto(new URL("/", baseUrl).href, { waitUntil: "load" });
  // Wait until the live-reload socket is open, so the edit is seen through a message.
  await page.waitForFunction(() =>
    performance.getEntriesByType("resource").some((e) => e.name.includes("/__lectern/livereload.js")),
  );
  await page.waitForTimeout(300);
}

/** Writes `text` into the page's file, with `[link](dest)` put before the marker sentence. */
function breakWith(args, original, ...dests) {
  const links = dests.map((d, i) => `[broken ${i}](${d})`).join(" ");
  writeFileSync(args.file, original.replace(args.marker, `${links} ${args.marker}`));
}

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
  return results.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target).join(", ")}`);
}

export const tests = {
  async aBrokenLinkShowsANoticeThatTheFixRemoves({ page, baseUrl, assert, args, log }) {
    const original = readFileSync(args.file, "utf8");
    try {
      await openHome(page, baseUrl);
      await page.evaluate(() => {
        window.notReloaded = true;
      });
      const notice = page.locator("#lectern-problems");
      assert.equal(await notice.count(), 0, "no notice while the site has no problems");

      const started = Date.now();
      breakWith(args, original, "/guide/nowhere");
      await notice.waitFor({ state: "visible", timeout: 5000 });
      log(`notice shown ${Date.now() - started} ms after the write`);
      assert.ok(await page.evaluate(() => window.notReloaded), "the notice came without a reload of this tab");
      assert.equal(await notice.locator(".lectern-problem").count(), 1);
      assert.equal(
        await notice.locator(".lectern-problem-location").textContent(),
        "docs/guide/edit-me.md:6:1",
      );
      assert.match(
        await notice.locator(".lectern-problem-message").textContent(),
        /^error: link '\/guide\/nowhere' matches no page$/,
      );
      assert.match(await notice.getByRole("heading").textContent(), /1 problem/);
      // A notice, not the error overlay: the site builds and the page is served as usual.
      assert.equal(await page.locator("#lectern-error-overlay").count(), 0, "no error overlay");
      assert.equal(await page.getByRole("alert").count(), 0, "nothing interrupts as an alert");
      assert.equal(await page.getByRole("complementary", { name: /1 problem/ }).count(), 1);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], "axe finds nothing on the page with the notice");

      writeFileSync(args.file, original);
      await notice.waitFor({ state: "detached", timeout: 5000 });
      assert.ok(await page.evaluate(() => window.notReloaded), "the notice went without a reload");
    } finally {
      writeFileSync(args.file, original);
    }
  },

  async theNoticeIsDismissedFromTheKeyboardAndStaysDismissedUntilTheListChanges({ page, baseUrl, assert, args }) {
    const original = readFileSync(args.file, "utf8");
    try {
      await openHome(page, baseUrl);
      breakWith(args, original, "/guide/nowhere");
      const notice = page.locator("#lectern-problems");
      await notice.waitFor({ state: "visible", timeout: 5000 });

      // Tab until the Dismiss button has focus: it is reachable without a mouse.
      const dismiss = notice.getByRole("button", { name: "Dismiss" });
      let reached = false;
      for (let i = 0; i < 100 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = await dismiss.evaluate((el) => el === document.activeElement);
      }
      assert.ok(reached, "Tab reaches the Dismiss button");
      await page.keyboard.press("Enter");
      await notice.waitFor({ state: "detached", timeout: 2000 });

      // The same problems after a reload: still dismissed.
      await openHome(page, baseUrl);
      await page.waitForTimeout(500);
      assert.equal(await notice.count(), 0, "a dismissed list stays dismissed across reloads");

      // A new problem: the notice is back, with both.
      breakWith(args, original, "/guide/nowhere", "/guide/elsewhere");
      await notice.waitFor({ state: "visible", timeout: 5000 });
      assert.equal(await notice.locator(".lectern-problem").count(), 2);
    } finally {
      writeFileSync(args.file, original);
    }
  },
};
