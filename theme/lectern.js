// lectern.js: progressive enhancements for the default theme. Every page reads fine without it
// (and before it: the page loads it once it has painted);
// this adds the theme toggle, the mobile menu, copy buttons, lazy sidebar categories, the
// "On this page" highlight and an image lightbox.

const root = document.documentElement;
const THEME_KEY = "lectern-theme";

// Flip between light and dark; the choice is remembered, and the inline script in <head>
// applies it before the first paint so there is no flash.
function setupThemeToggle() {
  // One in the navbar and one in the menu; the header shows whichever fits.
  const buttons = document.querySelectorAll(".theme-toggle");
  if (!buttons.length) return;
  const media = matchMedia("(prefers-color-scheme: dark)");
  const current = () => root.dataset.theme || (media.matches ? "dark" : "light");
  const sync = () => buttons.forEach((b) => b.setAttribute("aria-pressed", String(current() === "dark")));
  sync();
  media.addEventListener("change", sync);
  const flip = () => {
    root.dataset.theme = current() === "dark" ? "light" : "dark";
    try {
      localStorage.setItem(THEME_KEY, root.dataset.theme);
    } catch {
      // Private modes may refuse storage; the toggle still works for this page.
    }
    sync();
  };
  buttons.forEach((b) => b.addEventListener("click", flip));
}

// On narrow screens the sidebar (or, on pages without one, the site menu) is a full-screen menu
// opened by the navbar button; it also holds the navbar links and actions the header had no
// room for.
function setupMenu() {
  const sidebar = document.getElementById("sidebar");
  if (sidebar) {
    const current = sidebar.querySelector('[aria-current="page"]');
    if (current) sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 3;
  }
  const button = document.querySelector(".menu-button");
  const panel = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!panel) return;
  const header = document.querySelector(".navbar");
  const setOpen = (open) => {
    // The menu hangs below the navbar, which sits lower while the banner is in view.
    if (open && header) panel.style.top = `${header.getBoundingClientRect().bottom}px`;
    root.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => setOpen(!root.classList.contains("menu-open")));
  panel.addEventListener("click", (event) => {
    if (event.target.closest("a")) setOpen(false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && root.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
}

// A copy button on every code block; lines are spans, so join them with newlines.
function setupCopyButtons() {
  for (const block of document.querySelectorAll(".code-block")) {
    const code = block.querySelector("pre code");
    if (!code) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", async () => {
      const lines = code.querySelectorAll(".code-line");
      const text = lines.length
        ? Array.from(lines, (line) => line.textContent.replace(/\n$/, "")).join("\n")
        : code.textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Copy failed";
      }
      setTimeout(() => (button.textContent = "Copy"), 1500);
    });
    block.append(button);
  }
}

// Large categories ship without children; fetch them the first time they open.
function setupLazySidebar() {
  for (const details of document.querySelectorAll("details[data-lazy-src]")) {
    const load = async () => {
      if (!details.open || details.dataset.loaded) return;
      details.dataset.loaded = "1";
      try {
        const response = await fetch(details.dataset.lazySrc);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { html } = await response.json();
        details.querySelector(":scope > ul").innerHTML = html;
      } catch {
        delete details.dataset.loaded; // try again next time it opens
      }
    };
    details.addEventListener("toggle", load);
    load();
  }
}

// Mark the heading being read in "On this page".
function setupTocHighlight() {
  const links = [...document.querySelectorAll('.toc a[href^="#"]')];
  const targets = links.map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1))));
  if (!links.length) return;
  let scheduled = false;
  const update = () => {
    scheduled = false;
    let active = 0;
    targets.forEach((heading, i) => {
      if (heading && heading.getBoundingClientRect().top < 120) active = i;
    });
    links.forEach((a, i) => a.classList.toggle("active", i === active));
  };
  addEventListener("scroll", () => {
    if (!scheduled) requestAnimationFrame(update);
    scheduled = true;
  }, { passive: true });
  update();
}

// Wide tables scroll sideways; make that reachable from the keyboard.
function setupTables() {
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    if (wrap.scrollWidth > wrap.clientWidth) wrap.tabIndex = 0;
  }
}

// Open linked images in a dialog instead of leaving the page.
function setupLightbox() {
  const links = document.querySelectorAll("a.image-link");
  if (!links.length || !window.HTMLDialogElement) return;
  const dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", "Enlarged image");
  const image = document.createElement("img");
  dialog.append(image);
  dialog.addEventListener("click", () => dialog.close());
  document.body.append(dialog);
  for (const link of links) {
    link.addEventListener("click", (event) => {
      const thumb = link.querySelector("img");
      if (!thumb || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      image.src = link.href;
      image.alt = thumb.alt;
      dialog.showModal();
    });
  }
}

// <Tabs>: the build writes every panel with its label, readable without JavaScript; here they
// become tabs (WAI-ARIA tabs pattern, arrow keys move between them). Tabs that share a groupId
// switch together, and the choice is remembered.
function setupTabs() {
  const blocks = [...document.querySelectorAll("div.tabs")];
  const key = (group) => "lectern-tabs-" + group;
  const stored = (group) => {
    try { return group ? localStorage.getItem(key(group)) : null; } catch { return null; }
  };
  const selectors = [];
  blocks.forEach((block, n) => {
    const panels = [...block.children].filter((c) => c.classList.contains("tab-panel"));
    if (!panels.length) return;
    const list = document.createElement("div");
    list.className = "tabs-list";
    list.setAttribute("role", "tablist");
    const buttons = panels.map((panel, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "tab";
      button.id = `tabs-${n}-${i}`;
      button.setAttribute("role", "tab");
      button.textContent = panel.dataset.label;
      panel.id = `tabs-${n}-${i}-panel`;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", button.id);
      panel.tabIndex = 0;
      button.setAttribute("aria-controls", panel.id);
      list.append(button);
      return button;
    });
    const select = (value, remember) => {
      const index = Math.max(0, panels.findIndex((p) => p.dataset.value === value));
      panels.forEach((panel, i) => {
        panel.hidden = i !== index;
        buttons[i].setAttribute("aria-selected", String(i === index));
        buttons[i].tabIndex = i === index ? 0 : -1;
      });
      const group = block.dataset.groupId;
      if (remember && group) {
        try { localStorage.setItem(key(group), panels[index].dataset.value); } catch { /* private mode */ }
        for (const other of selectors) if (other.group === group && other.select !== select) other.select(value, false);
      }
    };
    selectors.push({ group: block.dataset.groupId, select });
    buttons.forEach((button, i) => {
      button.addEventListener("click", () => select(panels[i].dataset.value, true));
      button.addEventListener("keydown", (event) => {
        const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 };
        if (!(event.key in moves)) return;
        event.preventDefault();
        const next = (moves[event.key] + buttons.length) % buttons.length;
        select(panels[next].dataset.value, true);
        buttons[next].focus();
      });
    });
    block.prepend(list);
    block.classList.add("tabs-ready");
    select(stored(block.dataset.groupId) ?? block.dataset.default, false);
  });
}

for (const setup of [setupThemeToggle, setupMenu, setupCopyButtons, setupLazySidebar, setupTocHighlight, setupTables, setupLightbox, setupTabs]) {
  try {
    setup();
  } catch (error) {
    console.error("lectern:", error);
  }
}
// The page loads this module once it has painted (base.html); a site's own scripts, and tests,
// can wait for this mark.
root.dataset.enhanced = "true";
