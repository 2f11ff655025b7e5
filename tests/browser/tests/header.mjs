// The header at every width: the page never scrolls sideways, and the search box, the theme
// toggle and the repository link can be reached with the keyboard — straight from the header
// when it has room, else by opening the menu with Enter and tabbing on.
// args: { pages: [path, ...], widths: [px, ...], repository: bool }

import { enhanced } from "./enhanced.mjs";

const TARGETS = {
  search: (el) => el.id === "search-input",
  toggle: (el) => el.classList.contains("theme-toggle"),
  repository: (el) => el.getAttribute("aria-label") === "Source repository",
};

async function check(page, assert, url, width, args) {
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await page.goto(url);
  await enhanced(page);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${url} at ${width}px is ${scrollWidth}px wide`);

  const wanted = args.repository ? ["search", "toggle", "repository"] : ["search", "toggle"];
  const found = new Set();
  let openedMenu = false;
  for (let i = 0; i < 120 && found.size < wanted.length; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate((targets) => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const box = el.getBoundingClientRect();
      const shown = box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth;
      const kinds = Object.entries(targets)
        .filter(([, test]) => new Function("el", `return (${test})(el)`)(el))
        .map(([kind]) => kind);
      return { kinds, shown, menu: el.classList.contains("menu-button"), open: el.getAttribute("aria-expanded") };
    }, Object.fromEntries(Object.entries(TARGETS).map(([k, f]) => [k, f.toString()])));
    if (!focus) continue;
    for (const kind of focus.kinds) {
      assert.ok(focus.shown, `${url} at ${width}px: the focused ${kind} is off-screen`);
      found.add(kind);
    }
    if (focus.menu && focus.open === "false" && !openedMenu) {
      await page.keyboard.press("Enter");
      openedMenu = true;
    }
  }
  const missing = wanted.filter((kind) => !found.has(kind));
  assert.deepEqual(missing, [], `${url} at ${width}px: not reached by Tab (menu opened: ${openedMenu})`);
}

export async function run({ page, baseUrl, assert, args, log }) {
  const failures = [];
  for (const path of args.pages) {
    for (const width of args.widths) {
      try {
        await check(page, assert, `${baseUrl}${path}`, width, args);
      } catch (error) {
        failures.push(error.message);
      }
    }
  }
  log(`checked ${args.pages.length} pages at ${args.widths.join(", ")} px`);
  assert.deepEqual(failures, []);
}
