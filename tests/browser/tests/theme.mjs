// Behaviour of the default theme in a real browser: copy buttons, the remembered dark-mode
// toggle, the phone menu, lazily loaded sidebar categories, and reading with JavaScript off.
// args: { page: path of a page with a code block, other: another page, lazyBase: URL of a site with a large sidebar,
//         lazyPage: path on it }

import { enhanced } from "./enhanced.mjs";

export const tests = {
  async "the copy button copies the code without line markup"({ context, page, baseUrl, assert, args }) {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await page.goto(`${baseUrl}${args.page}`);
    await enhanced(page);
    const block = page.locator(".code-block").first();
    const button = block.getByRole("button", { name: "Copy" });
    await button.click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const shown = await block.locator("pre code").innerText();
    assert.equal(copied, shown.replace(/\n$/, ""));
    assert.ok(copied.length > 0);
    await page.getByRole("button", { name: "Copied" }).waitFor();
  },

  async "the dark-mode toggle is remembered across pages"({ page, baseUrl, assert, args }) {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(`${baseUrl}${args.page}`);
    await enhanced(page);
    const toggle = page.locator(".navbar .theme-toggle");
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    // The menu's copy of the toggle (for a collapsed header) follows.
    assert.equal(await page.locator("#sidebar .theme-toggle").getAttribute("aria-pressed"), "true");
    await page.goto(`${baseUrl}${args.other}`);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, "rgb(255, 255, 255)", "dark background applied");
  },

  async "on a phone the sidebar is a menu opened by a button"({ page, baseUrl, assert, args }) {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${baseUrl}${args.page}`);
    await enhanced(page);
    const sidebar = page.locator("#sidebar");
    const menu = page.locator(".menu-button");
    assert.ok(await menu.isVisible(), "menu button shown on a phone");
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    await menu.click();
    assert.equal(await menu.getAttribute("aria-expanded"), "true");
    assert.ok(await sidebar.isVisible());
    await page.keyboard.press("Escape");
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
  },

  async "closed categories of a large sidebar load their pages when opened"({ page, assert, args }) {
    await page.goto(`${args.lazyBase}${args.lazyPage}`);
    await enhanced(page);
    const lazy = page.locator("details[data-lazy-src]").nth(5);
    const summary = lazy.locator(":scope > summary");
    await summary.click();
    await lazy.locator(":scope > ul a").first().waitFor();
    const labels = await lazy.locator(":scope > ul a").allInnerTexts();
    assert.ok(labels.includes("Page 6.0"), `loaded: ${labels}`);
  },

  async "pages read fine with JavaScript off"({ browser, baseUrl, assert, args }) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}${args.page}`);
    const article = await page.locator("article").innerText();
    assert.ok(article.length > 100, "content is in the HTML");
    assert.ok(await page.locator("pre code").first().isVisible(), "code is visible");
    assert.equal(await page.locator("nav[aria-label='Docs sidebar'] > ul a").first().innerText(), "Features & \"quotes\" <tags>");
    await context.close();
  },
};
