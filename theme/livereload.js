// Live reload for `lectern serve`. Never part of a built site: only the preview server puts it
// into pages (as /__lectern/livereload.js) and serves it.
//
// Connects to the server's websocket, saying which page this tab shows and the version it was
// served at; the server then tells this tab to reload only when its page (or the navigation)
// changed. Keeps the scroll position across reloads, swaps stylesheets without a reload, shows
// build errors as an overlay until they are fixed, shows the site's broken links, anchors,
// images and unknown components as a notice (dismissible; it stays dismissed until the list
// changes), and reconnects with backoff after a restart.

const tag = document.querySelector("script[data-lectern-version]");
const version = tag?.dataset.lecternVersion ?? "";
const scrollKey = `lectern-scroll:${location.pathname}`;
const overlayId = "lectern-error-overlay";
const noticeId = "lectern-problems";
const dismissedKey = "lectern-problems-dismissed";
// The notice lists this many problems at most; a site with thousands stays usable.
const shownProblems = 50;

restoreScroll();
let retryDelay = 200;
connect();

function connect() {
  const url = new URL("/__lectern/livereload", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("page", location.pathname);
  url.searchParams.set("v", version);
  const socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    retryDelay = 200;
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    handle(message);
  });
  // The server stopped or restarted: try again, less and less often. A restarted server says
  // in its hello that this page is stale, and the tab reloads then.
  socket.addEventListener("close", () => {
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5000);
  });
}

function handle(message) {
  switch (message.type) {
    case "hello":
      showErrors(message.errors);
      showProblems(message.problems);
      if (message.stale) reload();
      break;
    case "reload":
      reload();
      break;
    case "css":
      swapStylesheets();
      break;
    case "error":
      showErrors(message.errors);
      break;
    case "clear":
      showErrors(null);
      break;
    case "problems":
      showProblems(message.problems);
      break;
  }
}

function reload() {
  try {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
  } catch {
    // Storage may be off; the browser's own restoration is the fallback.
  }
  location.reload();
}

function restoreScroll() {
  let saved = null;
  try {
    saved = sessionStorage.getItem(scrollKey);
    sessionStorage.removeItem(scrollKey);
  } catch {
    return;
  }
  if (saved === null) return;
  const y = Number(saved);
  if (!Number.isFinite(y)) return;
  // Once now, and again when images have their size and the page its full height.
  window.scrollTo(0, y);
  window.addEventListener("load", () => window.scrollTo(0, y), { once: true });
}

// Re-fetches every stylesheet of the page by giving it a new query string; the new sheet
// replaces the old one only once it has loaded, so the page never shows unstyled. Stylesheets
// the page carries inline (`<style data-href>`) get the new text of the file they name.
function swapStylesheets() {
  const stamp = Date.now().toString(36);
  for (const style of document.querySelectorAll("style[data-href]")) {
    const url = new URL(style.dataset.href, location.href);
    if (url.origin !== location.origin) continue;
    url.searchParams.set("lectern-reload", stamp);
    fetch(url, { cache: "no-store" })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then((css) => {
        style.textContent = css;
      })
      .catch((error) => console.warn("lectern: could not reload", style.dataset.href, error));
  }
  for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
    const url = new URL(link.href);
    if (url.origin !== location.origin) continue;
    url.searchParams.set("lectern-reload", stamp);
    const fresh = link.cloneNode();
    fresh.href = url.href;
    fresh.addEventListener("load", () => link.remove(), { once: true });
    link.after(fresh);
  }
}

// Shows the diagnostics of a failed rebuild over the page, or hides the overlay (errors null or
// empty). Built with textContent only: messages quote the user's files.
function showErrors(errors) {
  document.getElementById(overlayId)?.remove();
  if (!errors || errors.length === 0) return;
  const overlay = element("section", { id: overlayId, role: "alert", "aria-label": "Build error" });
  overlay.style.cssText =
    "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;" +
    "padding:1rem 1.25rem;background:#1e1e1e;color:#f5f5f5;border-top:4px solid #e5484d;" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 16px #0006";
  const heading = element("h2", {}, "The site does not build — the preview shows the last good version");
  heading.style.cssText = "font-size:1rem;margin:0 0 .75rem;color:#ff9592";
  const close = element("button", { type: "button", "aria-label": "Hide the error" }, "×");
  close.style.cssText =
    "position:absolute;top:.5rem;right:.75rem;font-size:1.25rem;background:none;color:inherit;border:0;cursor:pointer";
  close.addEventListener("click", () => overlay.remove());
  overlay.append(heading, close);
  for (const error of errors) overlay.append(errorItem(error));
  document.body.append(overlay);
}

// Shows the site's problems in a notice at the side of the page, or hides it (none). Not the
// error overlay: the site builds, these are warnings (or errors under `on_broken_*: error`)
// that `lectern build` and `lectern check` would report. Dismissing it hides this list of
// problems in every tab of the session; a different list shows again.
function showProblems(problems) {
  document.getElementById(noticeId)?.remove();
  if (!problems || problems.length === 0) return;
  const signature = JSON.stringify(problems.map((p) => [p.location, p.message]));
  if (readDismissed() === signature) return;
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const notice = element("aside", { id: noticeId, "aria-labelledby": `${noticeId}-title` });
  notice.style.cssText =
    "position:fixed;right:1rem;bottom:1rem;width:min(34rem,calc(100vw - 2rem));max-height:50vh;overflow:auto;" +
    "z-index:2147483646;margin:0;padding:.75rem 1rem;background:#fff8db;color:#1f1a00;" +
    "border:1px solid #8a6d00;border-left:6px solid #b58900;border-radius:6px;" +
    "font:14px/1.45 system-ui,sans-serif;box-shadow:0 4px 16px #0003";
  const heading = element("h2", { id: `${noticeId}-title` }, `lectern found ${count} in the pages`);
  heading.style.cssText = "font-size:1rem;margin:0 6rem .5rem 0;color:#1f1a00";
  const live = element("p", { class: "lectern-problems-summary", "aria-live": "polite" },
    "Broken links, anchors, images or unknown components; the preview still shows the pages.");
  live.style.cssText = "margin:0 0 .5rem";
  const dismiss = element("button", { type: "button", class: "lectern-problems-dismiss" }, "Dismiss");
  dismiss.style.cssText =
    "position:absolute;top:.6rem;right:.75rem;font:inherit;padding:.15rem .6rem;background:#fff;color:#1f1a00;" +
    "border:1px solid #8a6d00;border-radius:4px;cursor:pointer";
  dismiss.addEventListener("click", () => {
    writeDismissed(signature);
    notice.remove();
  });
  const list = element("ul", {});
  list.style.cssText = "margin:0;padding:0 0 0 1.1rem";
  for (const problem of problems.slice(0, shownProblems)) list.append(problemItem(problem));
  notice.append(heading, dismiss, live, list);
  if (problems.length > shownProblems) {
    const more = problems.length - shownProblems;
    notice.append(element("p", { class: "lectern-problems-more" },
      `… and ${more} more; the terminal and \`lectern check\` list them all.`));
  }
  document.body.append(notice);
}

function problemItem(problem) {
  const item = element("li", { class: "lectern-problem", "data-severity": problem.severity });
  item.style.cssText = "margin:0 0 .5rem";
  const location = element("code", { class: "lectern-problem-location" }, problem.location);
  location.style.cssText = "font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
  const message = element("div", { class: "lectern-problem-message" }, `${problem.severity}: ${problem.message}`);
  item.append(location, message);
  if (problem.help) item.append(element("div", { class: "lectern-problem-help" }, `help: ${problem.help}`));
  return item;
}

function readDismissed() {
  try {
    return sessionStorage.getItem(dismissedKey);
  } catch {
    return null;
  }
}

function writeDismissed(signature) {
  try {
    sessionStorage.setItem(dismissedKey, signature);
  } catch {
    // Storage may be off: the notice comes back on the next reload.
  }
}

function errorItem(error) {
  const item = element("div", { class: "lectern-error" });
  item.style.cssText = "margin:0 0 1rem";
  if (error.location) item.append(element("div", { class: "lectern-error-location" }, error.location));
  const message = element("div", { class: "lectern-error-message" }, error.message);
  message.style.cssText = "font-weight:bold";
  item.append(message);
  if (error.source != null) {
    const caret = error.column > 0 ? `\n${" ".repeat(error.column - 1)}^` : "";
    const source = element("pre", { class: "lectern-error-source" }, `${error.source}${caret}`);
    source.style.cssText = "margin:.25rem 0;padding:.5rem;background:#000;color:#f5f5f5;overflow:auto";
    item.append(source);
  }
  if (error.help) item.append(element("div", { class: "lectern-error-help" }, `help: ${error.help}`));
  return item;
}

function element(name, attributes, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}
