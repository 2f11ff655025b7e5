// <Tabs> in a real browser: every panel readable without JavaScript; with it, accessible tabs
// driven by mouse and keyboard, synchronised by groupId and remembered across reloads.
// args: { page: path of a page with two <Tabs groupId="os"> blocks of macOS and Windows tabs }

import { enhanced } from "./enhanced.mjs";

export const tests = {
  async "tabs switch by click and arrow keys, in step across a groupId, and are remembered"({ page, baseUrl, assert, args }) {
    await page.goto(`${baseUrl}${args.page}`);
    await enhanced(page);
    const lists = page.getByRole("tablist");
    assert.equal(await lists.count(), 2);
    const first = lists.nth(0);
    assert.deepEqual(await first.getByRole("tab").allInnerTexts(), ["macOS", "Windows"]);
    assert.equal(await first.getByRole("tab", { name: "macOS" }).getAttribute("aria-selected"), "true");
    assert.ok(await page.getByRole("tabpanel").filter({ hasText: "brew install" }).isVisible());
    assert.ok(!(await page.getByText("winget install").isVisible()));
    // The labels shown without JavaScript are gone once the tabs work.
    assert.ok(!(await page.locator(".tab-panel-label").first().isVisible()));

    await first.getByRole("tab", { name: "Windows" }).click();
    assert.ok(await page.getByText("winget install").isVisible());
    assert.ok(!(await page.getByText("brew install").isVisible()));
    // Same groupId: the second block followed.
    assert.equal(await lists.nth(1).getByRole("tab", { name: "Windows" }).getAttribute("aria-selected"), "true");
    assert.ok(await page.getByText("tool.ini").isVisible());

    await first.getByRole("tab", { name: "Windows" }).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await first.getByRole("tab", { name: "macOS" }).getAttribute("aria-selected"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "macOS");
    await page.keyboard.press("End");
    assert.equal(await first.getByRole("tab", { name: "Windows" }).getAttribute("aria-selected"), "true");

    await page.reload();
    await enhanced(page);
    assert.equal(await page.getByRole("tablist").nth(0).getByRole("tab", { name: "Windows" }).getAttribute("aria-selected"), "true");
    assert.ok(await page.getByText("winget install").isVisible());
  },

  async "without JavaScript every panel shows with its label"({ browser, baseUrl, assert, args }) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}${args.page}`);
    for (const text of ["brew install", "winget install", "toolrc", "tool.ini"]) {
      assert.ok(await page.getByText(text).isVisible(), text);
    }
    assert.deepEqual(await page.locator(".tab-panel-label").allInnerTexts(), ["macOS", "Windows", "macOS", "Windows"]);
    await context.close();
  },
};
