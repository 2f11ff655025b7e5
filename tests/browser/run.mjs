// Browser driver for lectern's Rust integration tests.
//
// In:  one JSON job, from argv[2] (inline JSON or a path to a .json file) or from stdin.
// Out: one JSON result on stdout (everything else goes to stderr). Exit code 0 when the job ran,
//      whatever it found; 2 when the driver itself failed (the JSON then carries `errors`).
//
// Job fields (all optional but at least one of pages/script/screenshots):
//   pages:       [url, ...]                      pages to load in every mode
//   checks:      ["axe"]                         what to run on each page (none = just load it)
//   modes:       [{ colorScheme: "light"|"dark", width, height?, isMobile?, hasTouch?,
//                   deviceScaleFactor? }, ...]   default: light at 1280
//   axe:         { tags?: [...], disableRules?: [...] }   override the axe rule selection
//   screenshots: { url, dir, name?: "page", modes?: [...], fullPage?: false }
//   script:      path to a test module (relative to tests/browser, see below); scriptArgs: any
//                JSON, handed to it as ctx.args. The module runs in the first mode.
//   baseUrl:     origin handed to the script (default: origin of pages[0] or screenshots.url)
//   timeoutMs:   whole-job watchdog (default 240000)
//
// A test module exports either `async function run(ctx)` or `export const tests = { name: fn }`
// (each test gets a fresh context and page). ctx = { browser, context, page, baseUrl, assert,
// log, args, mode }. A test passes when it returns, fails when it throws; `assert` is
// node:assert/strict.

import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.LECTERN_CHROMIUM || "/usr/bin/chromium";

// The machine's network is closed: without these Chromium floods refused connections.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// WCAG 2.0/2.1/2.2 levels A and AA, plus axe's best practices.
const DEFAULT_AXE_TAGS = [
  "wcag2a",
  "wcag2aa",
  "wcag21a",
  "wcag21aa",
  "wcag22aa",
  "best-practice",
];

const DEFAULT_MODE = { colorScheme: "light", width: 1280 };

function readJob() {
  const arg = process.argv[2];
  let text;
  if (arg === undefined || arg === "-") {
    text = readFileSync(0, "utf8");
  } else if (arg.trimStart().startsWith("{")) {
    text = arg;
  } else {
    text = readFileSync(arg, "utf8");
  }
  return JSON.parse(text);
}

function normaliseMode(mode) {
  const width = mode.width ?? 1280;
  // Phone-sized widths get a phone-sized height; the rest a laptop's.
  const height = mode.height ?? (width < 600 ? 844 : 900);
  return {
    colorScheme: mode.colorScheme ?? "light",
    width,
    height,
    isMobile: mode.isMobile ?? false,
    hasTouch: mode.hasTouch ?? false,
    deviceScaleFactor: mode.deviceScaleFactor ?? 1,
  };
}

async function newContext(browser, mode) {
  return browser.newContext({
    colorScheme: mode.colorScheme,
    viewport: { width: mode.width, height: mode.height },
    isMobile: mode.isMobile,
    hasTouch: mode.hasTouch,
    deviceScaleFactor: mode.deviceScaleFactor,
    // Transitions would let axe read colours half-way through a theme fade.
    reducedMotion: "reduce",
  });
}

// Listens to a page for the things a test should know about beyond axe.
function watch(page) {
  const seen = { pageErrors: [], consoleErrors: [], failedRequests: [] };
  const httpErrors = new Set(); // a 404 also aborts its request: report it once
  page.on("pageerror", (err) => seen.pageErrors.push(String(err?.stack || err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") seen.consoleErrors.push(msg.text());
  });
  page.on("requestfailed", (req) => {
    if (httpErrors.has(req.url())) return;
    seen.failedRequests.push(`${req.url()}: ${req.failure()?.errorText ?? "failed"}`);
  });
  page.on("response", (res) => {
    const url = res.url();
    if (res.status() >= 400 && !url.endsWith("/favicon.ico")) {
      httpErrors.add(url);
      seen.failedRequests.push(`${url}: HTTP ${res.status()}`);
    }
  });
  return seen;
}

async function load(page, url) {
  const response = await page.goto(url, { waitUntil: "load" });
  // Layout (and so contrast and target sizes) is final only once web fonts are in.
  await page.evaluate(() => document.fonts?.ready.then(() => undefined));
  return response;
}

async function runAxe(page, axeOptions) {
  await page.addScriptTag({ path: AXE_PATH });
  const tags = axeOptions.tags ?? DEFAULT_AXE_TAGS;
  const rules = Object.fromEntries(
    (axeOptions.disableRules ?? []).map((id) => [id, { enabled: false }]),
  );
  const results = await page.evaluate(
    ({ tags, rules }) =>
      window.axe.run(document, {
        runOnly: { type: "tag", values: tags },
        rules,
        resultTypes: ["violations"],
      }),
    { tags, rules },
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target,
      html: n.html.length > 300 ? `${n.html.slice(0, 300)}…` : n.html,
      failureSummary: n.failureSummary,
    })),
  }));
}

async function checkPage(browser, url, mode, job) {
  const context = await newContext(browser, mode);
  const page = await context.newPage();
  const seen = watch(page);
  const result = { url, mode, status: null, title: null, violations: [], error: null };
  try {
    const response = await load(page, url);
    result.status = response?.status() ?? null;
    if (result.status === null || result.status >= 400) {
      result.error = `loading ${url} gave HTTP ${result.status}`;
    }
    result.title = await page.title();
    if ((job.checks ?? []).includes("axe")) {
      result.violations = await runAxe(page, job.axe ?? {});
    }
  } catch (err) {
    result.error = String(err?.stack || err);
  } finally {
    await context.close();
  }
  return { ...result, ...seen };
}

async function takeScreenshots(browser, spec, jobModes) {
  const dir = path.resolve(spec.dir);
  mkdirSync(dir, { recursive: true });
  const name = spec.name ?? "page";
  const saved = [];
  for (const mode of (spec.modes ?? jobModes).map(normaliseMode)) {
    const context = await newContext(browser, mode);
    const page = await context.newPage();
    try {
      await load(page, spec.url);
      const file = path.join(dir, `${name}-${mode.colorScheme}-${mode.width}.png`);
      await page.screenshot({ path: file, fullPage: spec.fullPage ?? false });
      saved.push(file);
    } finally {
      await context.close();
    }
  }
  return saved;
}

async function runScript(browser, job, mode) {
  const scriptPath = path.resolve(job.script);
  const outcome = { path: scriptPath, ok: true, tests: [], logs: [], pageErrors: [] };
  const module = await import(pathToFileURL(scriptPath).href);
  const tests = module.tests ?? (module.run ? { run: module.run } : null);
  if (!tests || Object.keys(tests).length === 0) {
    throw new Error(`${scriptPath} exports neither run() nor tests`);
  }
  for (const [name, fn] of Object.entries(tests)) {
    const context = await newContext(browser, mode);
    const page = await context.newPage();
    page.on("pageerror", (err) => outcome.pageErrors.push(`${name}: ${err?.stack || err}`));
    page.on("console", (msg) => outcome.logs.push(`${name}: console.${msg.type()}: ${msg.text()}`));
    const log = (...parts) => outcome.logs.push(`${name}: ${parts.join(" ")}`);
    const started = Date.now();
    const test = { name, ok: true, error: null, durationMs: 0 };
    try {
      await fn({ browser, context, page, baseUrl: job.baseUrl, assert, log, args: job.scriptArgs, mode });
    } catch (err) {
      test.ok = false;
      test.error = String(err?.stack || err);
      outcome.ok = false;
    } finally {
      test.durationMs = Date.now() - started;
      await context.close();
    }
    outcome.tests.push(test);
  }
  return outcome;
}

function defaultBaseUrl(job) {
  const first = job.pages?.[0] ?? job.screenshots?.url;
  return first ? new URL(first).origin : undefined;
}

async function main(job) {
  job.baseUrl ??= defaultBaseUrl(job);
  const modes = (job.modes?.length ? job.modes : [DEFAULT_MODE]).map(normaliseMode);
  const output = { ok: true, pages: [], screenshots: [], script: null, errors: [] };

  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    for (const url of job.pages ?? []) {
      for (const mode of modes) {
        const page = await checkPage(browser, url, mode, job);
        const clean =
          !page.error &&
          page.violations.length === 0 &&
          page.pageErrors.length === 0 &&
          page.failedRequests.length === 0;
        if (!clean) output.ok = false;
        output.pages.push(page);
      }
    }
    if (job.screenshots) {
      output.screenshots = await takeScreenshots(browser, job.screenshots, job.modes ?? [DEFAULT_MODE]);
    }
    if (job.script) {
      output.script = await runScript(browser, job, modes[0]);
      if (!output.script.ok || output.script.pageErrors.length) output.ok = false;
    }
  } finally {
    await browser.close();
  }
  return output;
}

function finish(output, code) {
  process.stdout.write(JSON.stringify(output) + "\n");
  process.exitCode = code;
}

function failure(message) {
  return { ok: false, pages: [], screenshots: [], script: null, errors: [message] };
}

let job;
try {
  job = readJob();
} catch (err) {
  finish(failure(`reading the job: ${err?.message || err}`), 2);
}
if (job) {
  const timeoutMs = job.timeoutMs ?? 240000;
  const watchdog = setTimeout(() => {
    finish(failure(`browser job timed out after ${timeoutMs} ms`), 2);
    process.exit(2);
  }, timeoutMs);
  main(job).then(
    (output) => {
      clearTimeout(watchdog);
      finish(output, 0);
    },
    (err) => {
      clearTimeout(watchdog);
      finish(failure(String(err?.stack || err)), 2);
    },
  );
}
