// Speech players: enhances the `.speech-player` markup that lectern renders above each
// TextToSpeech block. With pre-rendered audio it drives the block's <audio> and its cue times;
// otherwise it speaks one sentence at a time with the browser's voices (Web Speech API). The
// sentence being spoken is highlighted in the text (CSS Custom Highlight API, or a class on its
// paragraph where that API is missing). Nothing plays until the reader asks; the text is never
// hidden; when neither audio nor a working browser voice exists, the player says so. A long
// sentence's highlight moves a fragment at a time. The seek bar, the lock screen (Media Session
// actions and position state) and a place remembered per block (localStorage) complete it; a
// pause by the system (a call, headphones unplugged) shows as paused.

const RATE_KEY = "lectern-speech-rate";
const VOICE_KEY = "lectern-speech-voice";
const RECORDED = "recorded";
const HIGHLIGHT_NAME = "lectern-speech";
const canHighlight = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";
const synth = window.speechSynthesis && typeof SpeechSynthesisUtterance === "function" ? window.speechSynthesis : null;
const players = [];

function stored(key, fallback) {
  try {
    return localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

// Letters and digits only, lowercased: how spoken sentences are found in the page's text.
function normalise(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

// Text nodes that are read, with a map from each letter or digit back to its node and offset.
function textIndex(root, skip) {
  const nodes = [];
  const offsets = [];
  let text = "";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = node.data;
    for (let i = 0; i < data.length; i++) {
      const lower = data[i].toLowerCase();
      if (/[\p{L}\p{N}]/u.test(lower)) {
        text += lower;
        nodes.push(node);
        offsets.push(i);
      }
    }
  }
  return { text, nodes, offsets };
}

// One DOM Range (or null) per sentence, searching forward through the block's text for the
// words each sentence reads (`shown`, from the server, where the spoken words differ: "1: Edit
// serverless dot YAML" reads "Edit serverless.yml"). Images are found by their alt text, videos,
// embeds and code blocks in order; a sentence whose words moved is matched by its ends. A long
// sentence found whole gets `parts`: [share of its letters before the part, Range] per fragment
// of its highlight (`fragments`, letter offsets from the server).
function locateSentences(root, sentences, shown, fragments) {
  const skip = ".speech-player, .speech-audio, .anchor, [aria-hidden='true'], script, style, .code-block, pre";
  const index = textIndex(root, skip);
  const outside = (el) => !el.closest(".speech-player");
  const images = [...root.querySelectorAll("img[alt]")].filter(outside);
  const embeds = [...root.querySelectorAll("iframe, video")].filter(outside);
  const codes = [...root.querySelectorAll(".code-block, pre")].filter((el) => !el.parentElement.closest(".code-block, pre"));
  const rangeOf = (start, end) => {
    const range = document.createRange();
    range.setStart(index.nodes[start], index.offsets[start]);
    range.setEnd(index.nodes[end - 1], index.offsets[end - 1] + 1);
    return range;
  };
  const elementRange = (el) => {
    const range = document.createRange();
    range.selectNode(el);
    return range;
  };
  let cursor = 0;
  return sentences.map((sentence, i) => {
    const words = shown?.[i] ?? sentence;
    if (sentence.startsWith("Image: ") && images.length) {
      // Images with placeholder alt text are not spoken: skip past them.
      const alt = normalise(words);
      const at = Math.max(0, images.findIndex((img) => normalise(img.alt) === alt));
      return elementRange(images.splice(0, at + 1).pop());
    }
    if (/^(Video|Embedded page)\b/.test(sentence) && !words && embeds.length) return elementRange(embeds.shift());
    if (sentence.startsWith("Code example") && sentence.endsWith("skipped.") && codes.length) {
      return elementRange(codes.shift());
    }
    const wanted = normalise(words);
    if (!wanted) return null;
    let at = index.text.indexOf(wanted, cursor);
    if (at >= 0) {
      cursor = at + wanted.length;
      const range = rangeOf(at, cursor);
      const starts = [0, ...(fragments?.[i] ?? []).filter((f) => f > 0 && f < wanted.length), wanted.length];
      if (starts.length > 2) {
        range.parts = starts.slice(0, -1).map((f, k) => [f / wanted.length, rangeOf(at + f, at + starts[k + 1])]);
      }
      return range;
    }
    const size = Math.min(16, wanted.length);
    at = index.text.indexOf(wanted.slice(0, size), cursor);
    const end = at < 0 ? -1 : index.text.indexOf(wanted.slice(-size), at);
    if (at < 0 || end < 0 || end - at > wanted.length * 2 + 40) return null;
    cursor = end + size;
    return rangeOf(at, cursor);
  });
}

// `65.2` → "1:05".
function clock(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// A short, stable key for a block without audio: FNV-1a over its sentences.
function textKey(sentences) {
  let h = 0x811c9dc5;
  for (const ch of sentences.join("\n")) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

// Browser speech errors that mean "stopped on purpose", not "this voice does not work".
const BENIGN_ERRORS = new Set(["interrupted", "canceled"]);

class Player {
  constructor(el) {
    this.el = el;
    this.data = JSON.parse(el.querySelector(".speech-data")?.textContent || "{}");
    this.sentences = this.data.sentences ?? [];
    this.root = el.closest(".lectern-speech") ?? el.parentElement;
    const next = el.nextElementSibling;
    this.audio = next?.matches("audio.speech-audio") && this.data.cues ? next : null;
    this.toggle = el.querySelector(".speech-toggle");
    this.toggleLabel = el.querySelector(".speech-toggle-label");
    this.rateSelect = el.querySelector(".speech-rate");
    this.voiceField = el.querySelector(".speech-voice-field");
    this.voiceSelect = el.querySelector(".speech-voice");
    this.status = el.querySelector(".speech-status");
    this.progress = el.querySelector(".speech-progress");
    this.seek = el.querySelector(".speech-seek");
    this.elapsed = el.querySelector(".speech-elapsed");
    this.total = el.querySelector(".speech-total");
    this.index = 0;
    this.state = "stopped";
    this.token = 0; // bumped whenever browser speech is cancelled: stale callbacks are ignored
    this.ranges = null;
    this.useAudio = Boolean(this.audio);
    // The reader's place, remembered per block: the recording's file name is a hash of its content.
    const file = this.audio?.getAttribute("src")?.split("/").pop()?.replace(/\.mp3$/, "");
    this.placeKey = `lectern-speech-place:${file || textKey(this.sentences)}`;
    if (this.audio) this.audio.removeAttribute("controls");
    this.el.hidden = false;
    if (!this.audio && !synth) {
      this.unavailable("Listening is not available in this browser, and no recording was made for this section.");
      return;
    }
    this.rateSelect.value = this.validRate(stored(RATE_KEY, "1"));
    this.bind();
    this.fillVoices();
    synth?.addEventListener?.("voiceschanged", () => this.fillVoices());
    this.restorePlace();
    this.render();
  }

  validRate(value) {
    return [...this.rateSelect.options].some((o) => o.value === value) ? value : "1";
  }

  get rate() {
    return Number(this.rateSelect.value) || 1;
  }

  get duration() {
    const d = this.audio?.duration;
    return Number.isFinite(d) && d > 0 ? d : (this.data.cues?.at(-1)?.[1] ?? 0);
  }

  bind() {
    this.toggle.addEventListener("click", () => (this.state === "playing" ? this.pause() : this.play()));
    this.el.querySelector(".speech-stop").addEventListener("click", () => this.stop());
    this.el.querySelector(".speech-prev").addEventListener("click", () => this.jump(this.index - 1));
    this.el.querySelector(".speech-next").addEventListener("click", () => this.jump(this.index + 1));
    this.rateSelect.addEventListener("change", () => {
      store(RATE_KEY, this.rateSelect.value);
      for (const p of players) p.setRate(this.rateSelect.value);
    });
    this.voiceSelect.addEventListener("change", () => {
      store(VOICE_KEY, this.voiceSelect.value);
      this.voiceSelect.dataset.chosen = this.voiceSelect.value;
      const wasPlaying = this.state === "playing";
      this.halt();
      this.useAudio = Boolean(this.audio) && this.voiceSelect.value === RECORDED;
      this.setupSeek();
      if (wasPlaying) this.play();
    });
    this.seek?.addEventListener("input", () => this.seekTo(Number(this.seek.value)));
    this.root.addEventListener("click", (event) => this.clickSentence(event));
    if (this.audio) {
      this.audio.addEventListener("timeupdate", () => this.followAudio());
      this.audio.addEventListener("ended", () => this.finish());
      this.audio.addEventListener("error", () => this.audioFailed());
      this.audio.addEventListener("loadedmetadata", () => this.showTime());
      // The system paused the recording (a call, headphones unplugged, another tab): show it.
      this.audio.addEventListener("pause", () => {
        if (this.useAudio && this.state === "playing" && !this.audio.ended) this.pause();
      });
    }
    this.setupSeek();
  }

  // The seek bar runs over the recording's seconds, or over the sentences with browser voices.
  setupSeek() {
    if (!this.seek) return;
    this.seek.max = String(this.useAudio ? Math.ceil(this.duration) : Math.max(0, this.sentences.length - 1));
    this.showTime();
  }

  // The voice chooser: browser voices for the page's language, after "Recorded audio" if any.
  fillVoices() {
    const lang = (this.data.lang || "en").toLowerCase();
    const voices = synth ? synth.getVoices().filter((v) => v.lang.toLowerCase().startsWith(lang)) : [];
    this.voices = voices;
    const options = [];
    if (this.audio) options.push([RECORDED, "Recorded audio"]);
    for (const v of voices) options.push([v.name, v.name]);
    this.voiceSelect.replaceChildren(
      ...options.map(([value, label]) => Object.assign(document.createElement("option"), { value, textContent: label })),
    );
    const current = this.voiceSelect.dataset.chosen ?? stored(VOICE_KEY, RECORDED);
    if (options.some(([value]) => value === current)) this.voiceSelect.value = current;
    this.voiceSelect.dataset.chosen = this.voiceSelect.value;
    // A voice list arriving mid-sentence must not switch engines under the reader.
    if (this.state === "stopped") {
      this.useAudio = Boolean(this.audio) && (this.voiceSelect.value === RECORDED || !voices.length);
      this.setupSeek();
    }
    this.voiceField.hidden = voices.length === 0;
  }

  setRate(value) {
    this.rateSelect.value = this.validRate(value);
    if (this.audio) this.audio.playbackRate = this.rate;
    if (!this.useAudio && this.state === "playing") this.speak(this.index);
    this.positionState();
  }

  async play() {
    for (const p of players) if (p !== this && p.state !== "stopped") p.pause();
    if (!this.useAudio && !(await this.voicesReady())) {
      this.unavailable(
        "Listening is not available: this browser has no working voice, and no recording was made for this section.",
      );
      return;
    }
    const fromStart = this.state === "stopped";
    this.state = "playing";
    this.root.classList.add("speech-active");
    this.mediaSession();
    if (this.useAudio) {
      this.audio.playbackRate = this.rate;
      if (this.audio.ended) this.audio.currentTime = 0;
      else if (fromStart || this.audio.currentTime === 0) this.audio.currentTime = this.resumeAt ?? this.data.cues[this.index]?.[0] ?? 0;
      this.resumeAt = null;
      this.audio.play().catch((err) => {
        if (err.name !== "AbortError") this.say(`The recording could not play (${err.name}).`);
      });
      this.highlight(this.index);
    } else {
      this.speak(this.index);
    }
    this.render();
  }

  // Browser speech needs a voice: Chrome fills the list a moment after the page loads.
  async voicesReady() {
    if (!synth) return false;
    if (synth.getVoices().length) return true;
    await new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        synth.removeEventListener?.("voiceschanged", done);
        resolve();
      };
      const timer = setTimeout(done, 1500);
      synth.addEventListener?.("voiceschanged", done);
    });
    return synth.getVoices().length > 0;
  }

  // Says, visibly and to screen readers, that this section cannot be heard here; the text stays.
  unavailable(message) {
    this.halt();
    this.state = "stopped";
    this.root.classList.remove("speech-active");
    this.highlight(-1);
    this.el.querySelector(".speech-controls").hidden = true;
    this.el.querySelector(".speech-position")?.setAttribute("hidden", "");
    let note = this.el.querySelector(".speech-note");
    if (!note) {
      note = Object.assign(document.createElement("p"), { className: "speech-note" });
      this.el.insertBefore(note, this.status);
    }
    note.textContent = message;
    this.say(message);
    this.el.dataset.state = "unavailable";
  }

  pause() {
    if (this.state !== "playing") return;
    this.halt();
    this.state = "paused";
    this.savePlace();
    this.render();
  }

  stop() {
    this.halt();
    if (this.audio) this.audio.currentTime = 0;
    this.state = "stopped";
    this.index = 0;
    this.resumeAt = null;
    this.forgetPlace();
    this.root.classList.remove("speech-active");
    this.highlight(-1);
    this.render();
  }

  finish() {
    this.stop();
    this.say("Finished.");
  }

  // Stops sound without forgetting where we are. Browser speech is cancelled rather than
  // paused: native pause is unreliable (Android, Linux), so resuming restarts the sentence.
  halt() {
    this.token++;
    clearTimeout(this.watchdog);
    if (this.audio && !this.audio.paused) this.audio.pause();
    if (synth && !this.useAudio) synth.cancel();
  }

  jump(index) {
    const i = Math.max(0, Math.min(this.sentences.length - 1, index));
    this.index = i;
    this.resumeAt = null;
    if (this.state === "stopped") {
      this.state = "paused";
      this.root.classList.add("speech-active");
    }
    if (this.useAudio) {
      this.audio.currentTime = this.data.cues[i][0];
    } else if (this.state === "playing") {
      this.speak(i);
    }
    this.highlight(i);
    this.savePlace();
    this.render();
  }

  // The seek bar moved (pointer or keys): seconds with audio, a sentence with voices.
  seekTo(value) {
    if (!this.useAudio) return this.jump(value);
    const t = Math.max(0, Math.min(this.duration, value));
    if (this.state === "stopped") {
      this.state = "paused";
      this.root.classList.add("speech-active");
    }
    this.resumeAt = null;
    this.audio.currentTime = t;
    this.index = this.cueAt(t);
    const cue = this.data.cues[this.index] ?? [0, 1];
    this.highlight(this.index, this.partAt(this.index, (t - cue[0]) / Math.max(0.001, cue[1] - cue[0])));
    this.savePlace(t);
    this.positionState();
    this.render();
  }

  cueAt(t) {
    const cues = this.data.cues;
    let i = 0;
    while (i + 1 < cues.length && cues[i + 1][0] <= t + 0.01) i++;
    return i;
  }

  // Once the reader has started a player, clicking a sentence of its text plays from there.
  clickSentence(event) {
    if (this.state === "stopped" || event.target.closest("a, button, select, input, summary, .speech-player")) return;
    if (!window.getSelection()?.isCollapsed) return;
    const ranges = this.locate();
    const hit = ranges.findIndex((range) =>
      [...(range?.getClientRects() ?? [])].some(
        (r) => event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom,
      ),
    );
    if (hit < 0) return;
    this.jump(hit);
    if (this.state !== "playing") this.play();
  }

  followAudio() {
    if (!this.useAudio || this.state === "stopped") return;
    const i = this.cueAt(this.audio.currentTime);
    this.showTime();
    const now = Date.now();
    if (this.state === "playing" && now - (this.savedAt ?? 0) > 2000) {
      this.savedAt = now;
      this.savePlace();
      this.positionState();
    }
    const cue = this.data.cues[i] ?? [0, 1];
    const part = this.partAt(i, (this.audio.currentTime - cue[0]) / Math.max(0.001, cue[1] - cue[0]));
    if (i !== this.index || !this.lit) {
      this.index = i;
      this.highlight(i, part);
      this.render();
    } else if (part !== this.part) {
      this.highlight(i, part);
    }
  }

  // Which fragment of a long sentence's highlight is being heard, `share` of the way through it.
  partAt(i, share) {
    const parts = this.locate()[i]?.parts;
    if (!parts) return 0;
    let k = 0;
    while (k + 1 < parts.length && parts[k + 1][0] <= share) k++;
    return k;
  }

  // The place in this block, kept across reloads: seconds of the recording, or a sentence.
  savePlace(at) {
    const place = this.useAudio ? (at ?? this.audio.currentTime) : this.index;
    if (place > 0) store(this.placeKey, JSON.stringify({ audio: this.useAudio, at: place }));
    else this.forgetPlace();
  }

  forgetPlace() {
    try {
      localStorage.removeItem(this.placeKey);
    } catch {
      // Private mode: nothing was kept.
    }
  }

  restorePlace() {
    let place = null;
    try {
      place = JSON.parse(stored(this.placeKey, "null"));
    } catch {
      return;
    }
    if (!place || !(place.at > 0) || place.audio !== this.useAudio) return;
    if (this.useAudio) {
      if (place.at >= this.duration - 0.5) return;
      this.resumeAt = place.at;
      this.index = this.cueAt(place.at);
    } else {
      this.index = Math.min(place.at, this.sentences.length - 1);
    }
    this.state = "paused";
    this.root.classList.add("speech-active");
    this.say(`Resume from sentence ${this.index + 1} of ${this.sentences.length}.`);
    this.announced = "paused";
  }

  showTime() {
    if (!this.seek) return;
    if (this.useAudio) {
      const t = this.resumeAt ?? this.audio.currentTime;
      if (!this.seek.matches(":active")) this.seek.value = String(t);
      this.seek.setAttribute("aria-valuetext", `${clock(t)} of ${clock(this.duration)}`);
      if (this.elapsed) this.elapsed.textContent = clock(t);
      if (this.total) this.total.textContent = clock(this.duration);
    } else {
      this.seek.value = String(this.index);
      this.seek.setAttribute("aria-valuetext", `Sentence ${this.index + 1} of ${this.sentences.length}`);
    }
  }

  audioFailed() {
    this.audio = null;
    this.useAudio = false;
    this.fillVoices();
    this.setupSeek();
    if (!synth) return this.unavailable("The recording could not be loaded, and this browser cannot speak.");
    this.say("The recording could not be loaded; using your browser's voice.");
    if (this.state === "playing") this.speak(this.index);
  }

  // Browser speech, one sentence at a time, with a watchdog for an `end` event that never comes.
  // A voice that fails (an error, or an end without a start) twice running means none works.
  speak(i) {
    this.halt();
    if (i >= this.sentences.length) return this.finish();
    const token = this.token;
    this.index = i;
    this.highlight(i);
    this.render();
    const utterance = new SpeechSynthesisUtterance(this.sentences[i]);
    utterance.lang = this.data.lang || "en";
    utterance.rate = this.rate;
    const voice = this.voices?.find((v) => v.name === this.voiceSelect.value);
    if (voice) utterance.voice = voice;
    let started = false;
    utterance.onstart = () => {
      started = true;
    };
    // A long sentence's highlight moves on with the voice's word boundaries, where it gives them.
    utterance.onboundary = (event) => {
      if (token !== this.token) return;
      const said = this.sentences[i];
      const part = this.partAt(i, normalise(said.slice(0, event.charIndex ?? 0)).length / Math.max(1, normalise(said).length));
      if (part !== this.part) this.highlight(i, part);
    };
    const next = (failed) => {
      if (token !== this.token || this.state !== "playing") return;
      this.failures = failed ? (this.failures ?? 0) + 1 : 0;
      if (this.failures >= 2 || (failed && i === 0 && !this.spokeOnce)) {
        return this.unavailable("Listening is not available: this browser's voices do not work here.");
      }
      if (!failed) this.spokeOnce = true;
      this.speak(i + 1);
    };
    utterance.onend = () => next(!started);
    utterance.onerror = (event) => next(!BENIGN_ERRORS.has(event?.error));
    const words = this.sentences[i].split(/\s+/).length;
    this.watchdog = setTimeout(() => next(false), 4000 + (words / (2.5 * this.rate)) * 2000);
    synth.speak(utterance);
  }

  locate() {
    this.ranges ??= locateSentences(this.root, this.sentences, this.data.shown, this.data.fragments);
    return this.ranges;
  }

  // Highlights sentence `i` (-1: none), or only fragment `part` of a long one.
  highlight(i, part = 0) {
    document.querySelector(".speech-current")?.classList.remove("speech-current");
    const whole = i >= 0 ? this.locate()[i] : null;
    const range = whole?.parts?.[part]?.[1] ?? whole;
    this.lit = Boolean(range);
    this.part = part;
    if (canHighlight) {
      if (range) CSS.highlights.set(HIGHLIGHT_NAME, new Highlight(range));
      else CSS.highlights.delete(HIGHLIGHT_NAME);
    }
    if (!range) return;
    const start = range.startContainer;
    const el = start.nodeType === Node.ELEMENT_NODE ? start.childNodes[range.startOffset] ?? start : start.parentElement;
    if (!canHighlight) el.closest("p, li, h1, h2, h3, h4, h5, h6, td, th, dt, dd, figcaption, summary, .code-block, img")?.classList.add("speech-current");
    const rect = range.getBoundingClientRect();
    if (rect.top < 64 || rect.bottom > window.innerHeight - 16) {
      const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      el.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
    }
  }

  mediaSession() {
    if (!("mediaSession" in navigator) || typeof MediaMetadata !== "function") return;
    navigator.mediaSession.metadata = new MediaMetadata({ title: this.data.title || document.title, artist: document.title });
    const by = (seconds) => () => this.useAudio && this.seekTo(this.audio.currentTime + seconds);
    const actions = {
      play: () => this.play(),
      pause: () => this.pause(),
      stop: () => this.stop(),
      previoustrack: () => this.jump(this.index - 1),
      nexttrack: () => this.jump(this.index + 1),
      seekto: (details) => this.useAudio && this.seekTo(details.seekTime),
      seekbackward: by(-10),
      seekforward: by(10),
    };
    for (const [action, handler] of Object.entries(actions)) {
      try {
        navigator.mediaSession.setActionHandler(action, handler);
      } catch {
        // Not every browser knows every action.
      }
    }
    this.positionState();
  }

  // The lock screen's position and length of the recording.
  positionState() {
    if (!this.useAudio || !navigator.mediaSession?.setPositionState || !(this.duration > 0)) return;
    try {
      navigator.mediaSession.setPositionState({
        duration: this.duration,
        playbackRate: this.rate,
        position: Math.min(this.duration, this.audio.currentTime),
      });
    } catch {
      // A position past the end while metadata loads: the next update fixes it.
    }
  }

  say(text) {
    this.status.textContent = text;
  }

  render() {
    const playing = this.state === "playing";
    this.toggleLabel.textContent = playing ? "Pause" : "Listen";
    this.el.dataset.state = this.state;
    this.el.dataset.sentence = String(this.index);
    this.el.dataset.engine = this.useAudio ? "audio" : "voices";
    if ("mediaSession" in navigator && this.state !== "stopped") {
      navigator.mediaSession.playbackState = playing ? "playing" : "paused";
    }
    const n = this.sentences.length;
    this.progress.textContent = this.state === "stopped" ? "" : `${this.index + 1} / ${n}`;
    this.showTime();
    // The status is a live region: it speaks on changes of state, not on every sentence.
    if (this.state !== this.announced) {
      this.announced = this.state;
      const messages = { playing: "Playing.", paused: `Paused at sentence ${this.index + 1} of ${n}.`, stopped: "" };
      this.say(messages[this.state]);
    }
  }
}

for (const el of document.querySelectorAll(".speech-player")) {
  try {
    players.push(new Player(el));
  } catch (err) {
    // One broken player must not stop the others; its text is still there to read.
    console.error("speech player:", err);
  }
}
// Never keep talking after the reader leaves the page; remember where the reader was.
window.addEventListener("pagehide", () => {
  for (const p of players) {
    if (p.state === "playing") p.savePlace();
    p.halt();
  }
  synth?.cancel();
});
