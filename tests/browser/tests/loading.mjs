// How a built page loads, in a real browser (tests/page_weight.rs, the `page-weight` fixture):
// its first paint is styled and in the reader's theme; its scripts load after that paint (and
// after the images then in view); nothing on it moves when they arrive; search's script loads
// only when the reader goes to search.

import { enhanced } from "./enhanced.mjs";

const PHONE = { width: 412, height: 823 };

/** Layout shifts (not caused by input) from the start of the page, summed. */
async function shifted(page) {
  return page.evaluate(() => window.__shifts.reduce((sum, s) => sum + s.value, 0));
}

async function recordShifts(context) {
  await context.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.hadRecentInput) window.__shifts.push({ value: e.value, sources: e.sources.map((s) => s.node?.className ?? "") });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

/** When the page (at `url`) asked for each script, and when its first paint happened. */
function timings(page, file) {
  return page.evaluate((file) => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0]?.startTime;
    const script = performance.getEntriesByType("resource").find((e) => e.name.includes(`/assets/${file}`));
    return { paint, script: script?.startTime };
  }, file);
}

export const tests = {
  async "the first paint is styled, in the reader's theme, before any script runs"({ context, page, baseUrl, assert }) {
    await context.addInitScript(() => {
      localStorage.setItem("lectern-theme", "dark");
      document.addEventListener("DOMContentLoaded", () => {
        window.__atParse = {
          theme: document.documentElement.dataset.theme,
          background: getComputedStyle(document.body).backgroundColor,
          navbar: getComputedStyle(document.querySelector(".navbar")).position,
          linked: document.querySelectorAll("link[rel=stylesheet]").length,
          enhanced: document.documentElement.dataset.enhanced ?? null,
        };
      });
    });
    await page.goto(`${baseUrl}/code/`);
    await enhanced(page);
    const atParse = await page.evaluate(() => window.__atParse);
    assert.deepEqual(atParse, { theme: "dark", background: "rgb(23, 24, 28)", navbar: "sticky", linked: 0, enhanced: null });
    // The code's colours are there from the start too: the highlighting stylesheet is in the page.
    const token = await page.locator("pre code span[class^='hl-']").first().evaluate((el) => getComputedStyle(el).color);
    assert.notEqual(token, await page.evaluate(() => getComputedStyle(document.body).color));
  },

  async "the first paint shows the page whole"({ context, page, baseUrl, assert }) {
    await context.addInitScript(() => {
      window.__largest = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__largest.push({ at: e.startTime, inMain: Boolean(e.element?.closest("main")) });
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    await page.setViewportSize(PHONE);
    // The pages of this site have a long sidebar before their main content.
    for (const path of ["/", "/code/", "/speech/"]) {
      await page.goto(`${baseUrl}${path}`);
      await enhanced(page);
      const { first, largest } = await page.evaluate(() => ({
        first: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
        largest: window.__largest,
      }));
      assert.ok(first !== undefined && largest.length > 0, `${path}: no paint entries`);
      for (const entry of largest) {
        assert.ok(Math.abs(entry.at - first) < 1, `${path}: painted at ${entry.at} ms, after the first paint at ${first} ms`);
      }
      assert.ok(largest.at(-1).inMain, `${path}: the largest text is not the main content's`);
    }
  },

  async "scripts load after the first paint"({ page, baseUrl, assert }) {
    for (const path of ["/", "/speech/"]) {
      await page.goto(`${baseUrl}${path}`);
      await enhanced(page);
      const { paint, script } = await timings(page, "lectern.js");
      assert.ok(paint !== undefined && script !== undefined, `${path}: paint ${paint}, lectern.js ${script}`);
      assert.ok(script >= paint, `${path}: lectern.js asked for at ${script} ms, before the first paint at ${paint} ms`);
    }
    await page.locator(".speech-player").waitFor({ state: "visible" });
    const speech = await timings(page, "speech.js");
    assert.ok(speech.script >= speech.paint, `speech.js at ${speech.script} ms, first paint at ${speech.paint} ms`);
  },

  async "scripts wait for the picture in view"({ page, baseUrl, assert }) {
    const events = [];
    await page.route("**/images/diagram.png", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    page.on("request", (r) => r.url().includes("/assets/lectern.js") && events.push(["script", Date.now()]));
    page.on("requestfinished", (r) => r.url().includes("diagram.png") && events.push(["picture", Date.now()]));
    await page.setViewportSize(PHONE);
    await page.goto(`${baseUrl}/picture/`);
    await enhanced(page);
    const order = events.map(([what]) => what);
    assert.deepEqual(order, ["picture", "script"], `${JSON.stringify(events)}`);
    // A picture out of view holds nothing up: on a screen too short to show it, the script
    // comes first, while the picture is still on its way.
    events.length = 0;
    await page.setViewportSize({ width: 412, height: 100 });
    await page.goto(`${baseUrl}/picture/`);
    await enhanced(page);
    assert.equal(events[0]?.[0], "script", `${JSON.stringify(events)}`);
  },

  async "a picture that never comes holds the scripts up for three seconds at most"({ page, baseUrl, assert }) {
    const stalled = [];
    await page.route("**/images/diagram.png", (route) => stalled.push(route));
    await page.setViewportSize(PHONE);
    const started = Date.now();
    await page.goto(`${baseUrl}/picture/`, { waitUntil: "domcontentloaded" });
    await enhanced(page);
    const waited = Date.now() - started;
    assert.ok(stalled.length === 1, "the picture was asked for");
    assert.ok(waited >= 2500 && waited < 8000, `the scripts came ${waited} ms after the page`);
    await Promise.all(stalled.map((route) => route.abort()));
  },

  async "nothing moves while the scripts arrive"({ context, page, baseUrl, assert, log }) {
    await recordShifts(context);
    for (const viewport of [PHONE, { width: 1280, height: 900 }]) {
      await page.setViewportSize(viewport);
      for (const path of ["/", "/code/", "/speech/", "/picture/", "/tabs/"]) {
        await page.goto(`${baseUrl}${path}`);
        await enhanced(page);
        if (path === "/speech/") await page.locator(".speech-player").waitFor({ state: "visible" });
        if (path === "/tabs/") await page.locator(".tabs-ready").waitFor();
        await page.waitForTimeout(200);
        const cls = await shifted(page);
        const sources = await page.evaluate(() => window.__shifts.flatMap((s) => s.sources));
        log(`${path} at ${viewport.width}px: layout shift ${cls.toFixed(4)}`);
        assert.ok(cls < 0.001, `${path} at ${viewport.width}px moved (layout shift ${cls}) in ${sources}`);
      }
    }
    // The tabs show the default tab, as the page showed it before lectern.js came.
    const shown = await page.locator(".tab-panel:visible").getAttribute("data-value");
    assert.equal(shown, "linux");
  },

  async "search's script loads when the reader goes to search"({ page, baseUrl, assert }) {
    const asked = [];
    page.on("request", (r) => r.url().includes("/assets/search.js") && asked.push(r.url()));
    await page.goto(`${baseUrl}/`);
    await enhanced(page);
    await page.waitForTimeout(300);
    assert.deepEqual(asked, [], "search.js before the box was used");
    assert.equal(await page.locator("#search-results").count(), 0);
    // The box is a combobox from the start, so a screen reader meets it as what it becomes.
    const box = page.getByRole("combobox", { name: "Search the docs" });
    await box.focus();
    await page.locator("#search-results").waitFor({ state: "attached" });
    assert.equal(asked.length, 1);
    // Typed before the script arrived, or after: the words are searched.
    await box.fill("picture");
    await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "picture");
    assert.ok((await page.locator("#search-results [role=option]").count()) >= 1);

    // The shortcut focuses the box (and so loads the script) on a page that has not used it.
    asked.length = 0;
    await page.goto(`${baseUrl}/code/`);
    await enhanced(page);
    await page.keyboard.press("Control+K");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "search-input");
    await page.locator("#search-results").waitFor({ state: "attached" });
    assert.equal(asked.length, 1);

    // A page opened from a result loads it at once, to mark the words.
    asked.length = 0;
    await page.goto(`${baseUrl}/picture/?highlight=picture`);
    await page.locator("mark.search-highlight").first().waitFor();
    assert.equal(asked.length, 1);
  },
};
