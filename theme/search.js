// Site search: the navbar box shows results as you type, from the static index in OUT/search/.
//
// The index (built by src/search/) is a small manifest, shards of the inverted index by term
// range, and chunks of page records. A query fetches the manifest once, then only the shards its
// terms fall in and the chunks of the results it shows. Tokenising here must match
// src/search/tokenize.rs rule for rule.
//
// ARIA 1.2 combobox: focus stays in the input; aria-activedescendant names the highlighted option.
// Keys: "/" or Ctrl/⌘+K focus the box; ↓/↑ move; Enter opens; Escape closes, then clears.

const FORMAT_VERSION = 1;
const MAX_RESULTS = 8;
const MAX_TERM_CHARS = 32;
const MAX_PREFIX_SHARDS = 3; // a short prefix spans many shards: look at the first few only
const MAX_PREFIX_TERMS = 64;
const PREFIX_FACTOR = 0.6; // "dep" matching "deploy" counts less than an exact "deploy"
const DEBOUNCE_MS = 60; // only while keys come fast; a key after a pause searches at once
const FAST_KEYS_MS = 150;
const EXCERPT_CHARS = 180;

const WORD = /[\p{Alphabetic}\p{N}]+/gu;
const IDEOGRAPH = /[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FFFF}]/u;

/** Light English stemming: plural endings only (as `stem` in tokenize.rs). */
export function stem(word) {
  const n = [...word].length;
  if (n >= 5 && word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (n >= 5 && word.endsWith("sses")) return word.slice(0, -2);
  if (n >= 4 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Terms of `text` with their positions: [{ term, start, end }]. */
export function tokens(text) {
  const out = [];
  for (const match of text.matchAll(WORD)) {
    let start = null;
    let i = match.index;
    const flush = (end) => {
      if (start === null) return;
      const word = text.slice(start, end);
      if ([...word].length <= MAX_TERM_CHARS) out.push({ term: stem(word.toLowerCase()), start, end });
      start = null;
    };
    for (const ch of match[0]) {
      if (IDEOGRAPH.test(ch)) {
        flush(i);
        out.push({ term: ch.toLowerCase(), start: i, end: i + ch.length });
      } else if (start === null) {
        start = i;
      }
      i += ch.length;
    }
    flush(i);
  }
  return out;
}

/** The index files, fetched on demand and kept. */
class Index {
  constructor(base) {
    this.base = base;
    this.files = new Map();
    this.manifest = null;
  }

  load() {
    this.manifest ??= fetch(`${this.base}manifest.json`, { cache: "no-cache" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`search index: HTTP ${r.status}`))))
      .then((m) => {
        if (m.version !== FORMAT_VERSION) throw new Error(`search index: format ${m.version}`);
        m.chunkStarts = [];
        let n = 0;
        for (const size of m.chunks) {
          m.chunkStarts.push(n);
          n += size;
        }
        return m;
      });
    this.manifest.catch(() => (this.manifest = null)); // let a later query try again
    return this.manifest;
  }

  async file(path) {
    const m = await this.load();
    if (!this.files.has(path)) {
      const p = fetch(`${this.base}${path}?v=${m.hash}`).then((r) =>
        r.ok ? r.json() : Promise.reject(new Error(`search index: ${path}: HTTP ${r.status}`)),
      );
      p.catch(() => this.files.delete(path));
      this.files.set(path, p);
    }
    return this.files.get(path);
  }

  /** Index terms equal to `term`, or starting with it: [{ term, sections, postings: Map }]. */
  async lookup(term, prefix) {
    const m = await this.load();
    let first = lastAtMost(m.shards, term);
    const wanted = [];
    if (first >= 0) wanted.push(first);
    if (prefix) {
      for (let i = first + 1; i < m.shards.length && wanted.length < MAX_PREFIX_SHARDS; i++) {
        if (!m.shards[i].startsWith(term)) break;
        wanted.push(i);
      }
    }
    const shards = await Promise.all(wanted.map((i) => this.file(`t/${i}.json`)));
    const found = [];
    for (const shard of shards) {
      for (const entry of shard) {
        if (entry[0] === term || (prefix && entry[0].startsWith(term))) found.push(entry);
      }
    }
    found.sort((a, b) => b[1] - a[1]);
    return found.slice(0, prefix ? MAX_PREFIX_TERMS : 1).map(decodeEntry);
  }

  /** Records of sections (title, url, crumbs, heading, text), fetching their chunks. */
  async records(sections) {
    const m = await this.load();
    return Promise.all(
      sections.map(async (section) => {
        const c = lastAtMost(m.chunkStarts, section);
        let n = section - m.chunkStarts[c];
        for (const [title, url, crumbs, parts] of await this.file(`d/${c}.json`)) {
          if (n < parts.length) {
            const [anchor, heading, text] = parts[n];
            return { title, crumbs, heading, text, url: anchor ? `${url}#${encodeURIComponent(anchor)}` : url };
          }
          n -= parts.length;
        }
        throw new Error(`search index: no section ${section}`);
      }),
    );
  }
}

/** Index of the last item of sorted `list` that is not after `value`; -1 if none. */
function lastAtMost(list, value) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function decodeEntry([term, sections, flat]) {
  const postings = new Map();
  let section = 0;
  for (let i = 0; i < flat.length; i += 2) {
    section += flat[i];
    postings.set(section, flat[i + 1]);
  }
  return { term, sections, postings, capped: sections > postings.size };
}

/** Ranked results for `query`: { results: [record], terms: [{ term, prefix }] }. */
export async function search(index, query) {
  const words = [...new Set(tokens(query).map((t) => t.term))];
  if (words.length === 0) return { results: [], terms: [] };
  const endsWord = !/\s$/.test(query);
  const m = await index.load();
  const terms = words.map((term, i) => ({ term, prefix: endsWord && i === words.length - 1 && [...term].length >= 2 }));
  const matches = await Promise.all(terms.map(({ term, prefix }) => index.lookup(term, prefix)));

  const total = new Map();
  const filters = [];
  matches.forEach((found, i) => {
    const scores = new Map();
    for (const { term, sections, postings } of found) {
      const idf = Math.log(1 + m.sections / sections);
      const factor = term === terms[i].term ? 1 : PREFIX_FACTOR;
      for (const [section, weight] of postings) {
        scores.set(section, Math.max(scores.get(section) ?? 0, weight * idf * factor));
      }
    }
    // A capped list may lack sections that hold the term, so only complete lists filter.
    if (found.length === 0 || found.every((f) => !f.capped)) filters.push(scores);
    for (const [section, score] of scores) total.set(section, (total.get(section) ?? 0) + score);
  });
  const all = [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  let ranked = all.filter(([section]) => filters.every((f) => f.has(section)));
  if (ranked.length === 0 && terms.length > 1) ranked = all; // no page has every word: show the best partial matches
  const results = await index.records(ranked.slice(0, MAX_RESULTS).map(([section]) => section));
  return { results, terms };
}

/** The part of `text` around the first query term, as nodes with the terms in <mark>. */
export function excerpt(text, terms) {
  const hit = (t) => terms.some(({ term, prefix }) => t.term === term || (prefix && t.term.startsWith(term)));
  const marks = tokens(text).filter(hit);
  let start = 0;
  if (marks.length && marks[0].start > EXCERPT_CHARS / 3) {
    start = text.indexOf(" ", marks[0].start - EXCERPT_CHARS / 3) + 1;
  }
  let end = Math.min(text.length, start + EXCERPT_CHARS);
  if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
  const nodes = [];
  if (start > 0) nodes.push("…");
  let at = start;
  for (const t of marks) {
    if (t.start < start || t.end > end) continue;
    nodes.push(text.slice(at, t.start));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(t.start, t.end);
    nodes.push(mark);
    at = t.end;
  }
  nodes.push(text.slice(at, end));
  if (end < text.length) nodes.push("…");
  return nodes;
}

function isEditable(el) {
  return el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

function setup() {
  const form = document.querySelector("form.search-form");
  const input = form?.querySelector("input[type=search]");
  if (!form || !input) return;
  const index = new Index(form.dataset.index);
  const popup = document.createElement("div");
  popup.className = "search-popup";
  popup.hidden = true;
  const list = document.createElement("ul");
  list.id = "search-results";
  list.className = "search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search results");
  const status = document.createElement("p");
  status.className = "search-status";
  status.setAttribute("role", "status");
  popup.append(list);
  form.append(popup, status);
  Object.entries({ role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": list.id })
    .forEach(([k, v]) => input.setAttribute(k, v));

  let options = [];
  let active = -1;
  let generation = 0;
  const setOpen = (open) => {
    popup.hidden = !open || options.length === 0;
    input.setAttribute("aria-expanded", String(!popup.hidden));
    if (popup.hidden) setActive(-1);
  };
  const setActive = (n) => {
    options.forEach((o, i) => o.setAttribute("aria-selected", String(i === n)));
    active = n;
    if (n >= 0) {
      input.setAttribute("aria-activedescendant", options[n].id);
      options[n].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const go = (n) => {
    const option = options[n];
    if (!option) return;
    setOpen(false);
    location.assign(option.dataset.href);
  };
  const say = (text, visible) => {
    status.textContent = text;
    status.classList.toggle("visually-hidden", !visible);
  };

  const render = (query, { results, terms }) => {
    list.replaceChildren();
    options = results.map((r, i) => {
      const li = document.createElement("li");
      li.id = `search-result-${i}`;
      li.className = "search-result";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = r.url;
      const title = document.createElement("span");
      title.className = "search-result-title";
      title.textContent = r.heading || r.title;
      const path = document.createElement("span");
      path.className = "search-result-path";
      path.textContent = [...r.crumbs, ...(r.heading ? [r.title] : [])].join(" › ");
      const text = document.createElement("span");
      text.className = "search-result-excerpt";
      text.append(...excerpt(r.text, terms));
      li.append(title, ...(path.textContent ? [path] : []), text);
      return li;
    });
    list.append(...options);
    active = -1;
    setOpen(document.activeElement === input);
    const count = results.length === 1 ? "1 result" : `${results.length} results`;
    say(results.length ? count : `No results for “${query.trim()}”`, !results.length && document.activeElement === input);
    list.dataset.query = query;
    form.dispatchEvent(new CustomEvent("lectern:search-results", { detail: { query, count: results.length } }));
  };

  const run = async () => {
    const query = input.value;
    const mine = ++generation;
    if (!query.trim()) {
      options = [];
      list.replaceChildren();
      setOpen(false);
      say("", false);
      return;
    }
    try {
      const found = await search(index, query);
      if (mine === generation) render(query, found);
    } catch (err) {
      if (mine !== generation) return;
      options = [];
      setOpen(false);
      say("Search is unavailable right now.", true);
      console.warn(err);
    }
  };

  let timer = 0;
  let lastInput = 0;
  input.addEventListener("input", () => {
    const now = performance.now();
    const fast = now - lastInput < FAST_KEYS_MS;
    lastInput = now;
    clearTimeout(timer);
    if (fast) timer = setTimeout(run, DEBOUNCE_MS);
    else run();
  });
  input.addEventListener("focus", () => {
    index.load().catch(() => {}); // warm up before the first key
    if (options.length) setOpen(true);
  });
  input.addEventListener("keydown", (event) => {
    const n = options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!n) return;
      event.preventDefault();
      if (popup.hidden) setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!popup.hidden) go(active < 0 ? 0 : active);
    } else if (event.key === "Escape") {
      if (!popup.hidden) setOpen(false);
      else if (input.value) {
        input.value = "";
        run();
      } else return;
      event.preventDefault();
      event.stopPropagation();
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  // Keep focus in the input while an option is clicked.
  list.addEventListener("mousedown", (event) => event.preventDefault());
  list.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) go(options.indexOf(option));
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) {
      setOpen(false);
      say("", false);
    }
  });
  document.addEventListener("keydown", (event) => {
    const shortcut = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k";
    if (shortcut || (event.key === "/" && !isEditable(event.target) && !event.altKey && !event.ctrlKey && !event.metaKey)) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
}

setup();
