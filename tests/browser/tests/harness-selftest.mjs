// Self-test of run.mjs's module runner (see tests/browser_a11y.rs), and the example to copy for
// a browser test: export `tests` (a fresh context and page each) or one `async function run`.
// ctx = { browser, context, page, baseUrl, assert, log, args, mode }; throw to fail.

export const tests = {
  async "clicking the button updates the page"({ page, baseUrl, assert, log }) {
    await page.goto(`${baseUrl}/ok/`);
    await page.getByRole("button", { name: "Count" }).click();
    log("clicked once");
    assert.equal(await page.locator("#count").textContent(), "1");
  },

  async "a failing assertion is reported"({ assert, args }) {
    assert.equal(args.expected, "something else", "this test fails on purpose");
  },
};
