// Live reload in a real browser, against `lectern serve` (started by tests/serve_browser.rs).
// args: { path: URL path of the long page, file: its Markdown file on disk, before, after,
// stylesheet: the site's theme/lectern.css }.
// The page is scrolled down, its file is edited from here, and the tab must reload by itself,
// show the new text and come back to the same scroll position. A changed stylesheet is swapped
// into the open tab without a reload.

import { readFileSync, writeFileSync } from "node:fs";

export const tests = {
  async reloadsAfterAnEditAndKeepsTheScrollPosition({ page, baseUrl, assert, args, log }) {
    await page.goto(new URL(args.path, baseUrl).href, { waitUntil: "load" });
    assert.ok((await page.textContent("main")).includes(args.before), "the page shows the original text");
    // Wait until the live-reload socket is open, so the edit is not seen only through the hello.
    await page.waitForFunction(() =>
      performance.getEntriesByType("resource").some((e) => e.name.includes("/__lectern/livereload.js")),
    );
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 1500));
    const scrolled = await page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 1000, `the page scrolls (scrollY ${scrolled})`);

    const text = readFileSync(args.file, "utf8");
    const started = Date.now();
    const navigation = page.waitForEvent("framenavigated", { timeout: 5000 });
    writeFileSync(args.file, text.replace(args.before, args.after));
    await navigation;
    await page.waitForLoadState("load");
    await page.waitForFunction((after) => document.querySelector("main")?.textContent.includes(after), args.after, {
      timeout: 5000,
    });
    log(`reloaded ${Date.now() - started} ms after the write`);
    const kind = await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.type);
    assert.equal(kind, "reload", "the tab reloaded itself");
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 2, scrolled, { timeout: 3000 });
    assert.equal(await page.locator("#lectern-error-overlay").count(), 0, "no error overlay");
  },

  async swapsAChangedStylesheetWithoutAReload({ page, baseUrl, assert, args }) {
    await page.goto(new URL(args.path, baseUrl).href, { waitUntil: "load" });
    await page.waitForFunction(() =>
      performance.getEntriesByType("resource").some((e) => e.name.includes("/__lectern/livereload.js")),
    );
    await page.waitForTimeout(300);
    // The stylesheet is in the page (a <style> naming its file), not linked.
    assert.equal(await page.locator("style[data-href*='lectern.css']").count(), 1);
    await page.evaluate(() => (window.__sameDocument = true));
    const css = readFileSync(args.stylesheet, "utf8");
    try {
      writeFileSync(args.stylesheet, `${css}\nbody { outline: 7px solid rgb(1, 2, 3); }\n`);
      await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)", null, {
        timeout: 5000,
      });
      assert.equal(await page.evaluate(() => window.__sameDocument), true, "the tab did not reload");
      // A page opened after the change carries the new stylesheet too.
      await page.reload({ waitUntil: "load" });
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).outlineColor), "rgb(1, 2, 3)");
    } finally {
      writeFileSync(args.stylesheet, css);
    }
  },

  async showsTheOverlayForABrokenFileAndHidesItWhenFixed({ page, baseUrl, assert, args }) {
    await page.goto(new URL(args.path, baseUrl).href, { waitUntil: "load" });
    await page.waitForTimeout(300);
    const text = readFileSync(args.file, "utf8");
    writeFileSync(args.file, text.replace(/^title: .*$/m, "title: [broken"));
    const overlay = page.locator("#lectern-error-overlay");
    await overlay.waitFor({ state: "visible", timeout: 5000 });
    assert.match(await overlay.locator(".lectern-error-location").textContent(), /docs\/guide\/long\.md:2:8/);
    assert.match(await overlay.locator(".lectern-error-message").textContent(), /front matter/);
    writeFileSync(args.file, text);
    await overlay.waitFor({ state: "detached", timeout: 5000 });
  },
};
