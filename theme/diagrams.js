// diagrams.js: draws a page's Mermaid diagrams. Only pages with a diagram load it, and only when
// lectern found the `mermaid` package, whose browser build the site carries under assets/mermaid/
// (the script tag's data-mermaid). Without JavaScript, or until a diagram is drawn, its source
// reads as a code block.
//
// Mermaid itself is imported the first time a diagram comes near the viewport. Each diagram is
// drawn as an SVG named for screen readers (role="img", aria-label: its kind and title, which
// lectern puts in data-label), with its source kept below in a "Diagram source" disclosure.
// Diagrams are drawn again, in the other colours, when the theme flips between light and dark.

const root = document.documentElement;
const script = document.querySelector("script[data-mermaid]");
const figures = [...document.querySelectorAll('figure.diagram[data-diagram="mermaid"]')];
const media = matchMedia("(prefers-color-scheme: dark)");
const theme = () => root.dataset.theme || (media.matches ? "dark" : "light");

let mermaid = null; // the module's promise, once asked for
let queue = Promise.resolve(); // mermaid's settings are global: one drawing at a time
let count = 0;

function loadMermaid() {
  mermaid ??= import(script.dataset.mermaid).then((module) => module.default);
  return mermaid;
}

// Mermaid's own light and dark themes, in the page's font. In dark, edge labels sit on the
// theme's hover colour: on mermaid's own grey their text falls short of 4.5:1.
function settings(dark) {
  const style = getComputedStyle(root);
  const font = style.getPropertyValue("--font").trim();
  const themeVariables = {};
  if (font) themeVariables.fontFamily = font;
  const labelBackground = style.getPropertyValue("--bg-hover").trim();
  if (dark && labelBackground) themeVariables.edgeLabelBackground = labelBackground;
  return {
    startOnLoad: false,
    securityLevel: "strict",
    theme: dark ? "dark" : "default",
    fontFamily: font || undefined,
    themeVariables,
  };
}

function draw(figure) {
  queue = queue.then(() => drawNow(figure));
  return queue;
}

async function drawNow(figure) {
  const source = figure.querySelector("code")?.textContent ?? "";
  const dark = theme() === "dark";
  if (figure.dataset.drawn === theme()) return; // drawn in these colours already
  const id = `lectern-diagram-${++count}`;
  let svg;
  try {
    const api = await loadMermaid();
    api.initialize(settings(dark));
    ({ svg } = await api.render(id, source));
  } catch (error) {
    // Mermaid may leave its scratch element behind when the source does not parse.
    document.getElementById(`d${id}`)?.remove();
    document.getElementById(id)?.remove();
    showError(figure, error);
    return;
  }
  const holder = drawing(figure);
  holder.innerHTML = svg;
  const image = holder.querySelector("svg");
  if (image) {
    // One image with one name; mermaid's own role ("graphics-document") is for SVG-aware tools.
    image.setAttribute("role", "img");
    image.setAttribute("aria-label", figure.dataset.label || "Diagram");
    image.removeAttribute("aria-roledescription");
    image.removeAttribute("aria-labelledby");
  }
  figure.querySelector(".diagram-error")?.remove();
  figure.dataset.drawn = dark ? "dark" : "light";
}

// The element that holds the SVG; the first drawing moves the source into a disclosure.
function drawing(figure) {
  let holder = figure.querySelector(".diagram-drawing");
  if (holder) return holder;
  holder = document.createElement("div");
  holder.className = "diagram-drawing";
  const details = document.createElement("details");
  details.className = "diagram-source";
  const summary = document.createElement("summary");
  summary.textContent = "Diagram source";
  details.append(summary, ...figure.children);
  figure.append(holder, details);
  figure.classList.add("diagram-drawn");
  return holder;
}

function showError(figure, error) {
  let note = figure.querySelector(".diagram-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "diagram-error";
    figure.prepend(note);
  }
  const message = String(error?.message ?? error).split("\n")[0];
  note.textContent = `This diagram could not be drawn: ${message}`;
  console.warn(`lectern: diagram not drawn: ${error?.message ?? error}`);
}

// Drawn when they come within a screen of the viewport, so a page's first paint never waits.
function observe() {
  if (!("IntersectionObserver" in window)) {
    figures.forEach(draw);
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        draw(entry.target);
      }
    },
    { rootMargin: "100% 0px" },
  );
  figures.forEach((figure) => observer.observe(figure));
}

// Light and dark: the toggle sets data-theme, the system preference may change underneath.
function redrawOnThemeChange() {
  const redraw = () => {
    for (const figure of figures) {
      if (figure.dataset.drawn && figure.dataset.drawn !== theme()) draw(figure);
    }
  };
  new MutationObserver(redraw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  media.addEventListener("change", redraw);
}

if (script && figures.length) {
  observe();
  redrawOnThemeChange();
}
