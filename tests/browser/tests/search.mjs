// The navbar search of a built `search-basic` fixture, driven like a reader would (tests/search.rs).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

const box = (page) => page.getByRole("combobox", { name: "Search the docs" });

/** A result's link without the `?highlight=` words it carries for the opened page. */
const bare = (href) => href.replace(/\?highlight=[^#]*/, "");

/** The links of the results shown, without their highlight words. */
const hrefsOf = (options) => options.evaluateAll((els) => els.map((el) => el.dataset.href)).then((h) => h.map(bare));

/** Types `text` into the search box and waits until the results for it are shown. */
async function searchFor(page, text) {
  await box(page).fill(text);
  await page.waitForFunction(
    (q) => document.querySelector("#search-results")?.dataset.query === q,
    text,
    { timeout: 5000 },
  );
  return page.locator("#search-results [role=option]");
}

async function openHome(page, baseUrl) {
  await page.goto(`${baseUrl}/`);
  await page.waitForFunction(() => document.querySelector("#search-input")?.getAttribute("role") === "combobox");
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
  async "a word from a section returns that page and section first"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    const options = await searchFor(page, "quokka");
    assert.ok((await options.count()) >= 2, "the prose section and the code section both match");
    const hrefs = await hrefsOf(options);
    assert.match(hrefs[0], /^\/guides\/deploy\/?#rolling-back$/, `prose first: ${hrefs}`);
    assert.match(hrefs[1], /^\/guides\/tools\/?#cli$/, `code below prose: ${hrefs}`);
    const first = options.first();
    assert.equal(await first.locator(".search-result-title").textContent(), "Rolling back");
    assert.equal(await first.locator(".search-result-path").textContent(), "Guides › Deploying services");
    assert.equal(await first.locator("mark").first().textContent(), "quokka");
  },

  async "results appear while typing, matching the last word as a prefix"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    const options = await searchFor(page, "rolli");
    assert.match(bare(await options.first().getAttribute("data-href")), /^\/guides\/deploy\/?#rolling-back$/);
    const plural = await searchFor(page, "dashboards traffic");
    const hrefs = await hrefsOf(plural);
    assert.match(hrefs[0], /^\/guides\/tools\/?#dashboards$/, `both words, heading match first: ${hrefs}`);
    const cjk = await searchFor(page, "数据库");
    assert.match(bare(await cjk.first().getAttribute("data-href")), /^\/guides\/deploy\/?#%C3%BCn%C3%AFc%C3%B6d%C3%A9-and-cjk$/);
  },

  async "unlisted and draft pages are absent"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    for (const word of ["zanzibar", "xylophone", "unlisted"]) {
      const options = await searchFor(page, word);
      assert.equal(await options.count(), 0, `${word} found`);
      assert.match(await page.locator(".search-status").textContent(), /No results/);
    }
  },

  async "keyboard: slash focuses, arrows move, Enter opens the result at its heading"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    await page.locator("main").click();
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "search-input");
    await page.keyboard.type("quokka");
    await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "quokka");
    const input = box(page);
    assert.equal(await input.getAttribute("aria-expanded"), "true");
    await page.keyboard.press("ArrowDown");
    assert.equal(await input.getAttribute("aria-activedescendant"), "search-result-0");
    await page.keyboard.press("ArrowDown");
    assert.equal(await input.getAttribute("aria-activedescendant"), "search-result-1");
    assert.equal(await page.locator("#search-result-1").getAttribute("aria-selected"), "true");
    await page.keyboard.press("ArrowUp");
    assert.equal(await input.getAttribute("aria-activedescendant"), "search-result-0");
    await Promise.all([page.waitForURL(/\/guides\/deploy\/?\?highlight=quokka#rolling-back$/), page.keyboard.press("Enter")]);
    assert.ok(await page.locator("h2#rolling-back").isVisible());
  },

  async "Escape closes the results, then clears; Ctrl+K focuses"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    await page.locator("main").click();
    await page.keyboard.press("Control+k");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "search-input");
    await searchFor(page, "canary");
    const input = box(page);
    assert.ok(await page.getByRole("listbox").isVisible());
    await page.keyboard.press("Escape");
    assert.equal(await input.getAttribute("aria-expanded"), "false");
    assert.ok(!(await page.getByRole("listbox").isVisible()));
    assert.equal(await input.inputValue(), "canary");
    await page.keyboard.press("ArrowDown");
    assert.equal(await input.getAttribute("aria-expanded"), "true", "ArrowDown reopens");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    assert.equal(await input.inputValue(), "");
  },

  async "accents and case fold both ways: cafe, CAFÉ and café find the café"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    for (const query of ["cafe", "CAFÉ", "café", "Cafe\u0301 hours"]) {
      const options = await searchFor(page, query);
      assert.ok((await options.count()) >= 1, `${query}: no results`);
      assert.match(bare(await options.first().getAttribute("data-href")), /^\/guides\/tools\/?#caf%C3%A9-hours$/, query);
      assert.equal(await options.first().locator("mark").first().textContent(), "café", `${query}: the excerpt marks the word`);
    }
  },

  async "one typo is forgiven: pagnation finds pagination, a short word is not forgiven"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    for (const query of ["pagnation ", "paginatoin ", "pagimation ", "PAGÏNATIOM "]) {
      const options = await searchFor(page, query);
      assert.ok((await options.count()) >= 1, `${query}: no results`);
      assert.match(bare(await options.first().getAttribute("data-href")), /^\/guides\/tools\/?#paging-through-results$/, query);
      assert.equal(await options.first().locator("mark").first().textContent(), "pagination");
    }
    const short = await searchFor(page, "quokak ");
    assert.ok((await short.count()) >= 1, "five letters: forgiven");
    const tiny = await searchFor(page, "opz ");
    assert.equal(await tiny.count(), 0, "three letters are not forgiven");
  },

  async "stemming: deployments finds the deploy page, and a stem's other words"({ page, baseUrl, assert }) {
    await openHome(page, baseUrl);
    const options = await searchFor(page, "deployments ");
    assert.ok((await options.count()) >= 1, "no results");
    const hrefs = await hrefsOf(options);
    assert.match(hrefs[0], /^\/guides\/deploy\/?#?$/, `the page titled Deploying services: ${hrefs}`);
    const releases = await searchFor(page, "released ");
    const marks = await releases.locator("mark").allTextContents();
    assert.ok(marks.some((m) => /^releases?$/i.test(m)), `released matches release and releases: ${marks}`);
  },

  async "the opened result marks the query's words and scrolls to the first"({ page, baseUrl, assert }) {
    await page.setViewportSize({ width: 1000, height: 400 });
    await openHome(page, baseUrl);
    await searchFor(page, "pagnation");
    await page.keyboard.press("ArrowDown");
    await Promise.all([page.waitForURL(/\/guides\/tools\/?\?highlight=[^#]*pagination[^#]*#paging-through-results$/), page.keyboard.press("Enter")]);
    const marks = page.locator("article mark.search-highlight");
    await marks.first().waitFor();
    assert.deepEqual(await marks.allTextContents(), ["pagination"]);
    const box = await marks.first().boundingBox();
    const height = await page.evaluate(() => window.innerHeight);
    assert.ok(box && box.y >= 0 && box.y + box.height <= height, `the mark is in view: ${JSON.stringify(box)}`);
    assert.ok(await page.evaluate(() => window.scrollY > 0), "the page scrolled");
    // Accented words are marked whatever the query's accents.
    await page.goto(`${baseUrl}/guides/tools/?highlight=cafe`);
    await page.locator("article mark.search-highlight").first().waitFor();
    assert.deepEqual(await page.locator("article mark.search-highlight").allTextContents(), ["Café", "café"]);
  },

  async "axe finds no violations with results open, light and dark"({ page, baseUrl, assert }) {
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await openHome(page, baseUrl);
      await page.evaluate((s) => (document.documentElement.dataset.theme = s), scheme);
      await searchFor(page, "traffic");
      await page.keyboard.press("ArrowDown");
      assert.ok(await page.getByRole("listbox").isVisible());
      assert.ok((await page.locator("#search-results mark").count()) > 0, "highlights are checked too");
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${scheme}: ${violations.join("\n")}`);
      await searchFor(page, "nothingmatchesthis");
      const empty = await axeViolations(page);
      assert.deepEqual(empty, [], `${scheme}, no results: ${empty.join("\n")}`);
    }
  },
};
