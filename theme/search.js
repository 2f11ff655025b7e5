// Site search: the navbar box shows results as you type, from the static index in OUT/search/.
//
// The index (built by src/search/) is a small manifest, shards of the inverted index by term
// range, and chunks of page records. A query fetches the manifest once, then only the shards its
// terms fall in and the chunks of the results it shows. Tokenising here must match
// src/search/tokenize.rs rule for rule (tests/search_tokenize.rs runs both on one table).
// The index is keyed by stem (Snowball, for the site's language) and lists each stem's words,
// so this side never stems: a query word is looked up among the words of the site.
//
// Forgiving: accents and case are folded; a word of five letters or more that the site does not
// use matches words one edit away ("pagnation"), if the first two letters are right, or else the
// longest stem it starts with ("deployments" → "deploy"). A result opens with `?highlight=` naming the words it matched;
// the page marks them and scrolls to the first.
//
// ARIA 1.2 combobox: focus stays in the input; aria-activedescendant names the highlighted option.
// Keys: ↓/↑ move; Enter opens; Escape closes, then clears. The page loads this module when the box
// is first focused, or when a result opened it; its shortcuts ("/", Ctrl/⌘+K) are in base.html.

const FORMAT_VERSION = 2;
const MAX_RESULTS = 8;
const MAX_TERM_CHARS = 32;
const MAX_PREFIX_SHARDS = 3; // a short prefix spans many shards: look at the first few only
const MAX_FORGIVE_SHARDS = 3; // typos: the shards nearest to where the misspelt word sorts
const MAX_PREFIX_TERMS = 64;
const PREFIX_FACTOR = 0.6; // "dep" matching "deploy" counts less than an exact "deploy"
const FORGIVEN_FACTOR = 0.5; // a typo or a guessed stem counts less still
const FORGIVE_MIN_CHARS = 5; // shorter words have too many neighbours one edit away
const MIN_GUESSED_STEM = 4;
const MAX_HIGHLIGHT_WORDS = 24;
const DEBOUNCE_MS = 60; // only while keys come fast; a key after a pause searches at once
const FAST_KEYS_MS = 150;
const EXCERPT_CHARS = 180;

const WORD = /[\p{Alphabetic}\p{N}]+/gu;
const IDEOGRAPH = /[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FFFF}]/u;

/** Accent and case folding, as `fold` in tokenize.rs: NFD, combining marks dropped, lowercased. */
export function fold(word) {
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
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
      if ([...word].length <= MAX_TERM_CHARS) {
        const term = fold(word);
        if (term) out.push({ term, start, end });
      }
      start = null;
    };
    for (const ch of match[0]) {
      if (IDEOGRAPH.test(ch)) {
        flush(i);
        out.push({ term: fold(ch), start: i, end: i + ch.length });
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

  /**
   * Entries of the shards whose span of words meets `lo`..`hi`, at most `max` shards: those
   * nearest to where `near` sorts.
   */
  async entriesBetween(lo, hi, near, max) {
    const m = await this.load();
    const meets = [];
    m.shards.forEach(([first, last], i) => {
      if (first <= hi && last >= lo) meets.push(i);
    });
    const at = m.shards.findIndex(([, last]) => last >= near);
    const anchor = at < 0 ? m.shards.length : at;
    meets.sort((a, b) => Math.abs(a - anchor) - Math.abs(b - anchor) || a - b);
    const shards = await Promise.all(meets.slice(0, max).map((i) => this.file(`t/${i}.json`)));
    return shards.flat();
  }

  /**
   * The stems a query word matches: [{ term, words, sections, postings, factor }]. In order of
   * preference: the word is a word of the site (or a stem); it is being typed (`prefix`) and
   * words start with it; it is one edit from a word of the site; it starts with a stem.
   */
  async lookup(word, prefix) {
    const wordsOf = (e) => [e[0], ...(e[3] ?? [])];
    const found = new Map();
    const add = (e, factor) => {
      if (!found.has(e[0])) found.set(e[0], { entry: e, factor });
    };
    const hi = prefix ? word + "\uffff" : word;
    let entries = await this.entriesBetween(word, hi, word, prefix ? MAX_PREFIX_SHARDS : 2);
    for (const e of entries) if (wordsOf(e).includes(word)) add(e, 1);
    if (prefix) for (const e of entries) if (wordsOf(e).some((w) => w.startsWith(word))) add(e, PREFIX_FACTOR);
    if (found.size === 0 && [...word].length >= FORGIVE_MIN_CHARS) {
      // A typo or an unseen form: the site's words that share the first two letters, in the
      // shards nearest to where the word would be.
      const start = String.fromCodePoint(...[...word].slice(0, 2).map((c) => c.codePointAt(0)));
      entries = await this.entriesBetween(start, start + "\uffff", word, MAX_FORGIVE_SHARDS);
      for (const e of entries) if (wordsOf(e).some((w) => oneEditApart(w, word))) add(e, FORGIVEN_FACTOR);
      if (found.size === 0) {
        const stems = entries.filter((e) => [...e[0]].length >= MIN_GUESSED_STEM && word.startsWith(e[0]));
        const longest = stems.sort((a, b) => b[0].length - a[0].length)[0];
        if (longest) add(longest, FORGIVEN_FACTOR);
      }
    }
    return [...found.values()]
      .sort((a, b) => b.entry[1] - a.entry[1])
      .slice(0, prefix ? MAX_PREFIX_TERMS : 8)
      .map(({ entry, factor }) => ({ ...decodeEntry(entry), factor, words: wordsOf(entry) }));
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

/** Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours. */
export function oneEditApart(a, b) {
  if (a === b) return false;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const rest = (p, q) => x.slice(p).join("") === y.slice(q).join("");
  if (x.length === y.length) {
    return rest(i + 1, i + 1) || (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(i + 2, i + 2));
  }
  return x.length > y.length ? rest(i + 1, i) : rest(i, i + 1);
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

/** Ranked results for `query`: { results: [record], terms: [{ term, prefix, words: Set }] }. */
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
    terms[i].words = new Set(found.flatMap((f) => f.words));
    for (const { sections, postings, factor } of found) {
      const idf = Math.log(1 + m.sections / sections);
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
  const highlight = [...new Set(terms.flatMap((t) => [...t.words]))].slice(0, MAX_HIGHLIGHT_WORDS).join(" ");
  for (const r of results) r.url = withHighlight(r.url, highlight);
  return { results, terms };
}

/** `url` with `?highlight=words` before its fragment. */
function withHighlight(url, words) {
  if (!words) return url;
  const hash = url.indexOf("#");
  const [path, fragment] = hash < 0 ? [url, ""] : [url.slice(0, hash), url.slice(hash)];
  return `${path}?highlight=${encodeURIComponent(words)}${fragment}`;
}

/** On a page opened from a result: marks the words named by `?highlight=` and scrolls to the first. */
export function highlightFromUrl() {
  const param = new URLSearchParams(location.search).get("highlight");
  const root = document.querySelector("article.content") ?? document.querySelector("main");
  if (!param || !root) return;
  const words = new Set(tokens(param).map((t) => t.term));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement.closest("script, style, mark, .anchor") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const marks = [];
  for (const node of nodes) {
    const hits = tokens(node.data).filter((t) => words.has(t.term));
    if (!hits.length) continue;
    const parts = [];
    let at = 0;
    for (const t of hits) {
      parts.push(node.data.slice(at, t.start));
      const mark = document.createElement("mark");
      mark.className = "search-highlight";
      mark.textContent = node.data.slice(t.start, t.end);
      parts.push(mark);
      marks.push(mark);
      at = t.end;
    }
    parts.push(node.data.slice(at));
    node.replaceWith(...parts);
  }
  if (!marks.length) return;
  // The first mark in the section the result named, else the first on the page.
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  const after = target && marks.find((mark) => target.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING);
  (after || marks[0]).scrollIntoView({ block: "center" });
}

/** The part of `text` around the first query term, as nodes with the terms in <mark>. */
export function excerpt(text, terms) {
  const hit = (t) => terms.some(({ term, prefix, words }) => words?.has(t.term) || t.term === term || (prefix && t.term.startsWith(term)));
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
  // This module loads when the box is first focused (base.html): a reader may have typed already.
  if (document.activeElement === input) index.load().catch(() => {});
  if (input.value.trim()) run();
}

// Node imports this module for the tokenizer test: it has no document.
if (typeof document !== "undefined") {
  setup();
  highlightFromUrl();
}
