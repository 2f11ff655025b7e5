// Speech players in the browser (called from tests/speech_browser.rs).
//
// args: { audioUrl, voicesUrl, sentences, longUrl, longVoicesUrl }: the fixture's intro page
// built with pre-rendered audio (a fake engine: one second of tone per sentence) and built with
// `prerender: never`, the sentences the build extracted, and a page with a long sentence, each way.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

// Replaces the Web Speech API with a recorder: each utterance "ends" 30 ms after it starts.
function stubSpeech() {
  window.__spoken = [];
  const fake = {
    speaking: false,
    pending: false,
    paused: false,
    speak(u) {
      window.__spoken.push(u.text);
      setTimeout(() => u.onstart?.({ type: "start" }), 5);
      setTimeout(() => u.onend?.({ type: "end" }), 30);
    },
    cancel() {},
    pause() {},
    resume() {},
    getVoices: () => [{ name: "Test Voice", lang: "en-GB", default: true, localService: true, voiceURI: "test" }],
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
  window.SpeechSynthesisUtterance = class {
    constructor(text) {
      this.text = text;
    }
  };
}

// A browser whose speech fails: no voices at all, or voices whose every utterance errors.
function brokenSpeech(voices) {
  window.__spoken = [];
  const fake = {
    speaking: false,
    pending: false,
    paused: false,
    speak(u) {
      window.__spoken.push(u.text);
      setTimeout(() => u.onerror?.({ type: "error", error: "synthesis-failed" }), 1);
    },
    cancel() {},
    pause() {},
    resume() {},
    getVoices: () => (voices ? [{ name: "Broken Voice", lang: "en-GB", default: true, localService: true, voiceURI: "x" }] : []),
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
  window.SpeechSynthesisUtterance = class {
    constructor(text) {
      this.text = text;
    }
  };
}

// A voice that reports word boundaries: the utterance speaks `words` at 60 ms each, then ends.
function wordSpeech() {
  window.__spoken = [];
  const fake = {
    speaking: false,
    pending: false,
    paused: false,
    speak(u) {
      window.__spoken.push(u.text);
      const starts = [...u.text.matchAll(/\S+/g)].map((m) => m.index);
      setTimeout(() => u.onstart?.({ type: "start" }), 1);
      starts.forEach((at, k) => setTimeout(() => u.onboundary?.({ type: "boundary", name: "word", charIndex: at }), 5 + k * 60));
      setTimeout(() => u.onend?.({ type: "end" }), 10 + starts.length * 60);
    },
    cancel() {},
    pause() {},
    resume() {},
    getVoices: () => [{ name: "Word Voice", lang: "en-GB", default: true, localService: true, voiceURI: "w" }],
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
  window.SpeechSynthesisUtterance = class {
    constructor(text) {
      this.text = text;
    }
  };
}

// A voice that starts each utterance and never finishes it (the reader moves on by hand).
function holdSpeech() {
  window.__spoken = [];
  const fake = {
    speaking: false,
    pending: false,
    paused: false,
    speak(u) {
      window.__spoken.push(u.text);
      setTimeout(() => u.onstart?.({ type: "start" }), 1);
    },
    cancel() {},
    pause() {},
    resume() {},
    getVoices: () => [{ name: "Hold Voice", lang: "en-GB", default: true, localService: true, voiceURI: "h" }],
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
  window.SpeechSynthesisUtterance = class {
    constructor(text) {
      this.text = text;
    }
  };
}

function noSpeech() {
  Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
}

const player = (page) => page.locator(".speech-player").first();
const toggle = (page) => page.locator(".speech-toggle").first();
const audioTime = (page) => page.evaluate(() => document.querySelector("audio.speech-audio").currentTime);
const playing = (page) =>
  page.waitForFunction(() => !document.querySelector("audio.speech-audio").paused, null, { timeout: 10000 });

// The text under the speech highlight, letters and digits only.
async function highlighted(page) {
  return page.evaluate(() => {
    const h = CSS.highlights.get("lectern-speech");
    if (!h) return null;
    const [range] = [...h];
    return range.toString().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  });
}

const squash = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

async function tabTo(page, selector, limit = 60) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function runAxe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

export const tests = {
  async "Listen plays the audio and the highlight follows the cues"({ page, args, assert }) {
    await page.goto(args.audioUrl);
    const el = player(page);
    await el.waitFor({ state: "visible" });
    assert.equal(await page.locator("audio.speech-audio").isVisible(), false, "the native player gives way");
    assert.equal(await page.evaluate(() => document.querySelector("audio").paused), true, "nothing autoplays");
    await page.getByRole("button", { name: "Listen" }).click();
    const listen = toggle(page);
    assert.equal(await listen.textContent(), "Pause", "the toggle says what it does next");
    await page.waitForFunction(() => !document.querySelector("audio.speech-audio").paused, null, { timeout: 10000 });
    assert.equal(await highlighted(page), squash(args.sentences[0]));
    // The first cue ends at 1.0 s; the second starts at 1.3 s.
    await page.waitForFunction(() => document.querySelector("audio.speech-audio").currentTime > 1.4, null, {
      timeout: 15000,
    });
    await page.waitForFunction(() => document.querySelector(".speech-player").dataset.sentence === "1");
    assert.equal(await highlighted(page), squash(args.sentences[1]));

    // Clicking a sentence plays from there.
    await page.getByText("Watch it fail.").click();
    await page.waitForFunction(() => document.querySelector(".speech-player").dataset.sentence === "4");
    const time = await page.evaluate(() => document.querySelector("audio.speech-audio").currentTime);
    assert.ok(time >= 5.2 && time < 6.2, `clicked sentence starts at 5.2 s, audio at ${time}`);
    assert.equal(await highlighted(page), squash("Watch it fail."));

    await listen.click();
    assert.equal(await listen.textContent(), "Listen");
    assert.equal(await page.evaluate(() => document.querySelector("audio.speech-audio").paused), true);
    assert.match(await el.locator(".speech-status").textContent(), /Paused at sentence 5 of 9/);
  },

  async "without audio, Listen speaks each sentence in order with the browser's voice"({ page, args, assert }) {
    await page.addInitScript(stubSpeech);
    await page.goto(args.voicesUrl);
    const el = player(page);
    await el.waitFor({ state: "visible" });
    assert.equal(await page.locator("audio").count(), 0);
    assert.equal(await el.getByLabel("Voice").isVisible(), true, "a voice chooser for browser voices");
    await page.getByRole("button", { name: "Listen" }).click();
    await page.waitForFunction((n) => window.__spoken.length >= n, args.sentences.length, { timeout: 10000 });
    await page.waitForFunction(() => document.querySelector(".speech-player").dataset.state === "stopped");
    assert.deepEqual(await page.evaluate(() => window.__spoken), args.sentences, "once per sentence, in order");
    assert.match(await el.locator(".speech-status").textContent(), /Finished/);
  },

  async "everything works from the keyboard alone, and the speed is remembered"({ page, args, assert }) {
    await page.goto(args.audioUrl);
    await player(page).waitFor({ state: "visible" });
    await tabTo(page, ".speech-toggle");
    await page.keyboard.press("Space");
    const state = () => page.evaluate(() => ({ ...document.querySelector(".speech-player").dataset }));
    await page.waitForFunction(() => !document.querySelector("audio.speech-audio").paused, null, { timeout: 10000 });
    assert.equal(await page.locator(".speech-toggle").textContent(), "Pause");
    await tabTo(page, ".speech-next");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector(".speech-player").dataset.sentence === "2");
    await tabTo(page, ".speech-prev");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector(".speech-player").dataset.sentence === "1");
    await tabTo(page, ".speech-stop");
    await page.keyboard.press("Enter");
    assert.equal((await state()).state, "stopped");
    assert.equal(await page.locator(".speech-toggle").textContent(), "Listen");
    assert.equal(await page.evaluate(() => document.querySelector("audio.speech-audio").paused), true);

    await tabTo(page, ".speech-rate");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.locator(".speech-rate").inputValue(), "1.25");
    assert.equal(await page.evaluate(() => localStorage.getItem("lectern-speech-rate")), "1.25");
    await page.reload();
    await player(page).waitFor({ state: "visible" });
    assert.equal(await page.locator(".speech-rate").inputValue(), "1.25", "the speed is remembered");
    await page.getByRole("button", { name: "Listen" }).click();
    await page.waitForFunction(() => !document.querySelector("audio.speech-audio").paused, null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => document.querySelector("audio.speech-audio").playbackRate), 1.25);
  },

  async "with neither speech nor audio the player says so and the text stays"({ page, args, assert }) {
    await page.addInitScript(noSpeech);
    await page.goto(args.voicesUrl);
    const el = player(page);
    await el.waitFor({ state: "visible" });
    assert.equal(await el.locator(".speech-controls").isVisible(), false);
    assert.match(await el.locator(".speech-status").textContent(), /not available/);
    assert.equal(await page.getByText("Unit tests check one function at a time.").isVisible(), true);
  },

  async "axe finds nothing on a playing player, light and dark"({ page, args, assert }) {
    await page.addInitScript(stubSpeech);
    for (const theme of ["light", "dark"]) {
      await page.addInitScript((t) => localStorage.setItem("lectern-theme", t), theme);
      for (const url of [args.audioUrl, args.voicesUrl]) {
        await page.goto(url);
        await player(page).waitFor({ state: "visible" });
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
        await page.getByRole("button", { name: "Listen" }).click();
        await page.getByRole("button", { name: "Next sentence" }).click();
        assert.deepEqual(await runAxe(page), [], `${theme} ${url}`);
      }
    }
  },

  async "the seek bar moves playback and shows elapsed and total time, from the keyboard"({ page, args, assert }) {
    await page.goto(args.audioUrl);
    const el = player(page);
    await el.waitFor({ state: "visible" });
    const seek = el.getByRole("slider", { name: "Position" });
    // Nine one-second sentences with 0.3 s between them: 11.4 s.
    assert.equal(await el.locator(".speech-total").textContent(), "0:11");
    assert.equal(await el.locator(".speech-elapsed").textContent(), "0:00");
    assert.equal(await el.locator(".speech-status").evaluate((s) => s.getBoundingClientRect().height <= 1), true, "the status takes no room");
    await tabTo(page, ".speech-seek");
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await seek.inputValue(), "5");
    assert.equal(await el.locator(".speech-elapsed").textContent(), "0:05");
    assert.equal(await seek.getAttribute("aria-valuetext"), "0:05 of 0:11");
    // 5 s is inside the fourth sentence (3.9 s to 4.9 s is the fourth; 5.2 s starts the fifth).
    assert.equal(await el.evaluate((p) => p.dataset.sentence), "3");
    await page.getByRole("button", { name: "Listen" }).click();
    await playing(page);
    const t = await audioTime(page);
    assert.ok(t >= 5 && t < 6.5, `playback starts where the seek bar is: ${t}`);
    await page.waitForFunction(() => Number(document.querySelector(".speech-seek").value) >= 6, null, { timeout: 10000 });
    assert.match(await el.locator(".speech-elapsed").textContent(), /^0:0[6-9]$/, "the elapsed time follows playback");
    assert.equal(await el.locator(".speech-download").getAttribute("href"), await page.evaluate(() => document.querySelector("audio.speech-audio").getAttribute("src")));
  },

  async "the place in a block is remembered across reloads"({ page, args, assert }) {
    await page.goto(args.audioUrl);
    await player(page).waitFor({ state: "visible" });
    await page.getByRole("button", { name: "Listen" }).click();
    await playing(page);
    await toggle(page).click();
    assert.equal(await toggle(page).textContent(), "Listen");
    await player(page).locator(".speech-seek").fill("6");
    const paused = await audioTime(page);
    assert.equal(paused, 6);
    await page.reload();
    const el = player(page);
    await el.waitFor({ state: "visible" });
    assert.equal(await el.evaluate((p) => p.dataset.state), "paused");
    assert.equal(Math.floor(Number(await el.locator(".speech-seek").inputValue())), Math.floor(paused));
    assert.equal(await el.locator(".speech-elapsed").textContent(), `0:0${Math.round(paused)}`);
    assert.match(await el.locator(".speech-status").textContent(), /Resume from sentence 5 of 9/);
    await page.getByRole("button", { name: "Listen" }).click();
    await playing(page);
    const t = await audioTime(page);
    assert.ok(t >= paused - 0.05 && t < paused + 1.5, `resumed at ${t}, paused at ${paused}`);
    // Stop forgets the place.
    await page.getByRole("button", { name: "Stop" }).click();
    await page.reload();
    await player(page).waitFor({ state: "visible" });
    assert.equal(await player(page).evaluate((p) => p.dataset.state), "stopped");
  },

  async "with browser voices the place is the sentence, remembered across reloads"({ page, args, assert }) {
    await page.addInitScript(holdSpeech);
    await page.goto(args.voicesUrl);
    const el = player(page);
    await el.waitFor({ state: "visible" });
    await page.getByRole("button", { name: "Listen" }).click();
    await page.waitForFunction(() => window.__spoken.length === 1);
    await page.getByRole("button", { name: "Next sentence" }).click();
    await page.getByRole("button", { name: "Next sentence" }).click();
    await toggle(page).click();
    assert.equal(await el.evaluate((p) => p.dataset.sentence), "2");
    assert.equal(await el.locator(".speech-seek").getAttribute("aria-valuetext"), "Sentence 3 of 9");
    await page.reload();
    await el.waitFor({ state: "visible" });
    assert.equal(await el.evaluate((p) => p.dataset.state), "paused");
    assert.equal(await el.evaluate((p) => p.dataset.sentence), "2");
    assert.equal(await el.locator(".speech-seek").inputValue(), "2");
    assert.match(await el.locator(".speech-status").textContent(), /Resume from sentence 3 of 9/);
    await page.getByRole("button", { name: "Listen" }).click();
    await page.waitForFunction(() => window.__spoken.length === 1);
    assert.equal(await page.evaluate(() => window.__spoken[0]), args.sentences[2]);
    // The seek bar steps through sentences from the keyboard.
    await toggle(page).click();
    await tabTo(page, ".speech-seek");
    await page.keyboard.press("ArrowRight");
    assert.equal(await el.evaluate((p) => p.dataset.sentence), "3");
  },

  async "a pause by the system shows as paused"({ page, args, assert }) {
    await page.goto(args.audioUrl);
    await player(page).waitFor({ state: "visible" });
    await page.getByRole("button", { name: "Listen" }).click();
    await playing(page);
    assert.equal(await toggle(page).textContent(), "Pause");
    // As a phone call or unplugged headphones would: the audio element pauses, not the player.
    await page.evaluate(() => document.querySelector("audio.speech-audio").dispatchEvent(new Event("pause")));
    await page.waitForFunction(() => document.querySelector(".speech-player").dataset.state === "paused");
    assert.equal(await toggle(page).textContent(), "Listen");
    assert.equal(await page.evaluate(() => document.querySelector("audio.speech-audio").paused), true);
    assert.match(await player(page).locator(".speech-status").textContent(), /Paused at sentence/);
  },

  async "with no voice that works and no audio, the player says listening is not available"({ page, args, assert }) {
    for (const voices of [false, true]) {
      await page.addInitScript(brokenSpeech, voices);
      await page.goto(args.voicesUrl);
      const el = player(page);
      await el.waitFor({ state: "visible" });
      await page.getByRole("button", { name: "Listen" }).click();
      const note = el.locator(".speech-note");
      await note.waitFor({ state: "visible", timeout: 5000 });
      assert.match(await note.textContent(), /not available/, `voices: ${voices}`);
      const spoken = await page.evaluate(() => window.__spoken.length);
      assert.ok(spoken <= 1, `${spoken} sentences raced through (voices: ${voices})`);
      assert.equal(await el.locator(".speech-controls").isVisible(), false);
      assert.equal(await page.getByText("Unit tests check one function at a time.").isVisible(), true);
      assert.deepEqual(await runAxe(page), [], `axe, voices: ${voices}`);
    }
  },

  async "a long sentence is heard whole while its highlight moves in fragments"({ page, args, assert }) {
    await page.goto(args.longUrl);
    const el = player(page);
    await el.waitFor({ state: "visible" });
    const data = await el.evaluate((p) => JSON.parse(p.querySelector(".speech-data").textContent));
    assert.equal(data.sentences.length, 2, "the long sentence is one sentence, with one cue");
    assert.equal(data.cues.length, 2);
    await page.getByRole("button", { name: "Listen" }).click();
    await playing(page);
    await toggle(page).click();
    // The first cue runs from 0 to 1 s; the highlight moves by the share of letters heard.
    const at = async (t, sentence, want) => {
      await page.evaluate((t) => (document.querySelector("audio.speech-audio").currentTime = t), t);
      await page
        .waitForFunction(
          (w) => {
            const h = CSS.highlights.get("lectern-speech");
            const r = h && [...h][0];
            return r && r.toString().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "") === w;
          },
          squash(want),
          { timeout: 5000 },
        )
        .catch(() => {});
      assert.equal(await highlighted(page), squash(want), `at ${t} s`);
      assert.equal(await el.evaluate((p) => p.dataset.sentence), String(sentence), `at ${t} s`);
    };
    await at(0.05, 0, "These guidelines are not intended to be prescriptive on what developers should test");
    await at(0.5, 0, "but to ensure that with a consistent understanding of our tests");
    await at(0.95, 0, "it will be easy to grasp by other developers");
    await at(1.5, 1, "Short one");
    await at(0.2, 0, "These guidelines are not intended to be prescriptive on what developers should test");
  },

  async "with a browser voice, a long sentence's highlight follows its word boundaries"({ page, args, assert }) {
    await page.addInitScript(wordSpeech);
    await page.goto(args.longVoicesUrl);
    await player(page).waitFor({ state: "visible" });
    // Record every highlight the player shows.
    await page.evaluate(() => {
      window.__lit = [];
      const set = CSS.highlights.set.bind(CSS.highlights);
      CSS.highlights.set = (name, h) => {
        const [r] = [...h];
        window.__lit.push(r.toString().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""));
        return set(name, h);
      };
    });
    await page.getByRole("button", { name: "Listen" }).click();
    await page.waitForFunction(() => window.__spoken.length === 2, null, { timeout: 10000 });
    const lit = [...new Set(await page.evaluate(() => window.__lit))];
    assert.deepEqual(
      lit,
      [
        "These guidelines are not intended to be prescriptive on what developers should test",
        "but to ensure that with a consistent understanding of our tests",
        "it will be easy to grasp by other developers",
        "Short one",
      ].map(squash),
    );
    assert.equal(await page.evaluate(() => window.__spoken.length), 2, "the long sentence is one utterance");
  },

  async "the lock screen gets the position and length, and seeks from there"({ page, args, assert }) {
    await page.addInitScript(() => {
      window.__position = [];
      window.__actions = {};
      const ms = navigator.mediaSession;
      const setPosition = ms.setPositionState.bind(ms);
      ms.setPositionState = (state) => {
        window.__position.push(state);
        return setPosition(state);
      };
      const setAction = ms.setActionHandler.bind(ms);
      ms.setActionHandler = (action, handler) => {
        window.__actions[action] = handler;
        return setAction(action, handler);
      };
    });
    await page.goto(args.audioUrl);
    const el = player(page);
    await el.waitFor({ state: "visible" });
    await page.getByRole("button", { name: "Listen" }).click();
    await playing(page);
    const last = () => page.evaluate(() => window.__position.at(-1));
    const first = await last();
    assert.ok(first, "position state was set");
    assert.ok(Math.abs(first.duration - 11.4) < 0.15, `duration ${first.duration}`);
    assert.equal(first.playbackRate, 1);
    assert.ok(first.position >= 0 && first.position < 1.5, `position ${first.position}`);
    assert.equal(await page.evaluate(() => navigator.mediaSession.playbackState), "playing");
    const actions = await page.evaluate(() => Object.keys(window.__actions).sort());
    for (const action of ["nexttrack", "pause", "play", "previoustrack", "seekbackward", "seekforward", "seekto", "stop"]) {
      assert.ok(actions.includes(action), `${action} in ${actions}`);
    }
    // Seeking from the lock screen to 6.5 s: the fifth cue starts there (index 5).
    await page.evaluate(() => window.__actions.seekto({ action: "seekto", seekTime: 6.5 }));
    const t = await audioTime(page);
    assert.ok(t >= 6.5 && t < 7.5, `audio at ${t}`);
    assert.equal(await el.evaluate((p) => p.dataset.sentence), "5");
    assert.ok(Math.abs((await last()).position - 6.5) < 0.5, "the lock screen hears of the seek");
    assert.equal(await el.locator(".speech-elapsed").textContent(), "0:07");
    await page.evaluate(() => window.__actions.seekbackward({ action: "seekbackward" }));
    assert.ok((await audioTime(page)) < 1, "ten seconds back, not before the start");
    await page.evaluate(() => window.__actions.pause({ action: "pause" }));
    assert.equal(await toggle(page).textContent(), "Listen");
    assert.equal(await page.evaluate(() => navigator.mediaSession.playbackState), "paused");
  },

  async "the player fits every screen width, with controls large enough to tap"({ page, args, assert }) {
    for (const url of [args.audioUrl, args.voicesUrl]) {
      for (const width of [320, 390, 768, 1024, 1280, 1920]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(url);
        await player(page).waitFor({ state: "visible" });
        const r = await page.evaluate(() => {
          const p = document.querySelector(".speech-player");
          const box = p.getBoundingClientRect();
          const shown = [...p.querySelectorAll("button, select, input, a")].filter((c) => c.getClientRects().length);
          const rect = (c) => c.getBoundingClientRect();
          return {
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            player: p.scrollWidth - p.clientWidth,
            outside: shown.filter((c) => rect(c).left < box.left - 1 || rect(c).right > box.right + 1).map((c) => c.className),
            small: shown.filter((c) => rect(c).height < 24 || rect(c).width < 24).map((c) => c.className),
            count: shown.length,
          };
        });
        const where = `${width} px, ${url === args.audioUrl ? "audio" : "voices"}`;
        assert.equal(r.page, 0, `the page scrolls sideways at ${where}`);
        assert.equal(r.player, 0, `the player overflows at ${where}`);
        assert.deepEqual(r.outside, [], `controls outside the player at ${where}`);
        assert.deepEqual(r.small, [], `controls under 24 px at ${where}`);
        assert.ok(r.count >= 6, `${r.count} controls at ${where}`);
        if (width === 320) assert.deepEqual(await runAxe(page), [], `axe at ${where}`);
      }
    }
  },
};
