// Pages load their scripts once they have painted (theme/base.html), so a test that uses what
// lectern.js adds (the menu, the theme toggle, tabs, copy buttons) waits for it first: lectern.js
// marks the page when it has set everything up.
export function enhanced(page) {
  return page.waitForFunction(() => document.documentElement.dataset.enhanced === "true", null, { timeout: 10000 });
}
