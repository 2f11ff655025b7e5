// Mermaid diagrams in a real browser, on the built `tests/fixtures/diagrams` site: drawn as SVG
// named for screen readers, in light and in dark (and again when the theme flips), mermaid
// loaded only by pages with a diagram and only as one comes near, the source kept readable
// (without JavaScript, and in a disclosure once drawn), a diagram that does not parse left as
// source with a note, motion only when the reader allows it, and axe clean with diagrams drawn.
// args: { mermaid: path of the entry under the site (/assets/mermaid/mermaid.esm.min.mjs) }

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

const FLOWCHART = "Flowchart: From merge to production";

// Relative luminance (0..1) of a CSS colour as getComputedStyle gives it.
function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// The fill of the first node of a drawn diagram, and the theme it was drawn in.
async function drawn(figure) {
  await figure.locator("svg[role=img]").waitFor({ timeout: 20000 });
  return figure.evaluate((f) => ({
    theme: f.dataset.drawn,
    fill: getComputedStyle(f.querySelector("svg .node rect, svg .node polygon, svg rect.actor")).fill,
    label: f.querySelector("svg").getAttribute("aria-label"),
  }));
}

// Every request the page makes, by path.
function requests(page) {
  const seen = [];
  page.on("request", (r) => seen.push(new URL(r.url()).pathname));
  return seen;
}

// Console errors and page errors, which no diagram page should have.
function problems(page) {
  const seen = [];
  page.on("console", (m) => m.type() === "error" && seen.push(m.text()));
  page.on("pageerror", (e) => seen.push(String(e)));
  return seen;
}

// Brings each diagram near the viewport in turn and waits until every one is drawn or noted.
async function drawAll(page) {
  for (const figure of await page.locator("figure.diagram").all()) {
    await figure.scrollIntoViewIfNeeded();
    await page.waitForFunction(
      (f) => f.dataset.drawn === (document.documentElement.dataset.theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light")) || f.querySelector(".diagram-error"),
      await figure.elementHandle(),
      { timeout: 20000 },
    );
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

export const tests = {
  async "a diagram is drawn as a named SVG, light, then dark when the theme flips"({ page, baseUrl, assert }) {
    const errors = problems(page);
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(`${baseUrl}/release/`);
    const figure = page.locator("figure.diagram").first();
    const light = await drawn(figure);
    assert.equal(light.theme, "light");
    assert.equal(light.label, FLOWCHART);
    assert.ok(luminance(light.fill) > 0.6, `light nodes: ${light.fill}`);
    assert.ok(await page.getByRole("img", { name: FLOWCHART }).isVisible());
    assert.ok(await figure.locator("svg").getByText("Merge the pull request").isVisible(), "labels drawn");

    await page.locator(".navbar .theme-toggle").click();
    await page.waitForFunction(() => document.querySelector("figure.diagram").dataset.drawn === "dark");
    const dark = await drawn(figure);
    assert.ok(luminance(dark.fill) < 0.2, `dark nodes: ${dark.fill}`);
    assert.equal(await figure.locator("svg").count(), 1, "drawn again in place, not twice");
    assert.equal(dark.label, FLOWCHART);
    assert.deepEqual(errors, []);
  },

  async "a page that opens dark draws its diagrams dark"({ page, baseUrl, assert }) {
    const errors = problems(page);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${baseUrl}/calls/`);
    const sequence = await drawn(page.locator("figure.diagram").first());
    assert.equal(sequence.theme, "dark");
    assert.equal(sequence.label, "Sequence diagram: A request from the browser to the database");
    assert.ok(luminance(sequence.fill) < 0.2, `dark actors: ${sequence.fill}`);
    // The system preference changing redraws too.
    await page.emulateMedia({ colorScheme: "light" });
    await page.waitForFunction(() => document.querySelector("figure.diagram").dataset.drawn === "light");
    assert.ok(luminance((await drawn(page.locator("figure.diagram").first())).fill) > 0.6);
    assert.deepEqual(errors, []);
  },

  async "mermaid is loaded only by pages with a diagram, and only as one comes near"({ page, baseUrl, assert, args }) {
    const seen = requests(page);
    await page.goto(`${baseUrl}/`);
    await page.waitForLoadState("networkidle");
    assert.deepEqual(seen.filter((p) => p.includes("mermaid") || p.includes("diagrams.js")), [], "a page without diagrams");

    seen.length = 0;
    await page.goto(`${baseUrl}/far/`);
    await page.waitForLoadState("networkidle");
    assert.ok(seen.some((p) => p.endsWith("/assets/diagrams.js")), "the small script is loaded");
    assert.ok(!seen.includes(args.mermaid), `mermaid waits for the diagram far below: ${seen}`);
    await page.locator("figure.diagram").scrollIntoViewIfNeeded();
    const far = await drawn(page.locator("figure.diagram"));
    assert.equal(far.label, "Flowchart");
    assert.ok(seen.includes(args.mermaid), "loaded once the diagram came near");
    assert.ok(seen.filter((p) => p.startsWith("/assets/mermaid/")).every((p) => !p.endsWith(".map")));
  },

  async "the source reads without JavaScript and stays in a disclosure once drawn"({ browser, page, baseUrl, assert }) {
    const off = await browser.newContext({ javaScriptEnabled: false });
    const still = await off.newPage();
    await still.goto(`${baseUrl}/release/`);
    const code = still.locator("figure.diagram pre code");
    assert.ok(await code.isVisible(), "the source shows");
    assert.match(await code.innerText(), /flowchart LR\n\s+merge\[Merge the pull request\] --> build\[Build & test\]/);
    await off.close();

    await page.goto(`${baseUrl}/release/`);
    const figure = page.locator("figure.diagram");
    await drawn(figure);
    const summary = figure.getByText("Diagram source");
    assert.equal(await figure.locator("pre code").isVisible(), false, "folded once drawn");
    await summary.focus();
    await page.keyboard.press("Enter");
    assert.ok(await figure.locator("pre code").isVisible(), "opened from the keyboard");
    assert.match(await figure.locator("pre code").innerText(), /staging -- no --> fix\[Fix forward\]/);
  },

  async "a diagram that does not parse keeps its source and says so"({ page, baseUrl, assert }) {
    await page.goto(`${baseUrl}/unparsable/`);
    const note = page.locator("figure.diagram .diagram-error");
    await note.waitFor({ timeout: 20000 });
    assert.match(await note.innerText(), /^This diagram could not be drawn: /);
    assert.ok(await page.locator("figure.diagram pre code").isVisible(), "the source still shows");
    assert.equal(await page.locator("figure.diagram svg").count(), 0);
    // Mermaid leaves no error drawing of its own on the page.
    assert.equal(await page.locator("body > div[id^=dlectern-diagram], body > svg").count(), 0);
    assert.ok(await page.getByText("The text after it still reads.").isVisible());
  },

  async "the drawing fades in only when motion is welcome"({ browser, baseUrl, assert }) {
    for (const [reducedMotion, expected] of [["reduce", "none"], ["no-preference", "diagram-in"]]) {
      const context = await browser.newContext({ reducedMotion });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/release/`);
      await drawn(page.locator("figure.diagram"));
      const animation = await page.locator(".diagram-drawing").evaluate((e) => getComputedStyle(e).animationName);
      assert.equal(animation, expected, reducedMotion);
      await context.close();
    }
  },

  async "axe finds nothing with the diagrams drawn, light and dark, laptop and phone"({ page, baseUrl, assert }) {
    const found = [];
    for (const theme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: theme });
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
        for (const path of ["/", "/release/", "/calls/"]) {
          await page.goto(`${baseUrl}${path}`);
          await drawAll(page);
          await page.addScriptTag({ path: AXE_PATH });
          const violations = await page.evaluate(async () => {
            const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
            const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
            return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
          });
          const diagrams = await page.locator("figure.diagram svg[role=img]").count();
          found.push(...violations.map((v) => `${path} ${theme} ${width}: ${v}`));
          if (path !== "/") assert.ok(diagrams > 0, `${path} ${theme} ${width}: drawn before axe ran`);
        }
      }
    }
    assert.deepEqual(found, []);
  },
};
