// Audio seeking under `lectern serve` (called from tests/serve_speech_browser.rs): the player's
// Next and a click on a sentence must move the audio to that sentence's cue. Chromium seeks a
// media file with Range requests, so this holds only when the server answers them (206).
//
// args: { url, sentences }: a served page with one speech block whose sentences are each a
// paragraph, and those sentences in order.

const audio = (page) => page.locator("audio.speech-audio").first();
const sentenceIndex = (page) => page.evaluate(() => Number(document.querySelector(".speech-player").dataset.sentence));
const currentTime = (page) => page.evaluate(() => document.querySelector("audio.speech-audio").currentTime);

// The block's cues, read from its WebVTT file as the server sends it: [{ start, end }].
async function cues(page) {
  return page.evaluate(async () => {
    const src = document.querySelector("audio.speech-audio track").getAttribute("src");
    const text = await (await fetch(src)).text();
    const seconds = (t) => t.split(":").reduce((sum, part) => sum * 60 + Number(part), 0);
    return text
      .split("\n")
      .filter((line) => line.includes("-->"))
      .map((line) => {
        const [start, end] = line.split("-->").map((s) => seconds(s.trim().split(/\s+/)[0]));
        return { start, end };
      });
  });
}

async function listen(page) {
  await page.locator(".speech-player").first().waitFor({ state: "visible" });
  await page.getByRole("button", { name: "Listen" }).click();
  await page.waitForFunction(() => !document.querySelector("audio.speech-audio").paused, null, { timeout: 10000 });
}

// Waits until the player is at sentence `n`, then checks the audio is inside its cue, and still
// there (or past it, playing on) a moment later rather than thrown back to the start.
async function assertLandsOn(page, n, cue, assert, what) {
  await page.waitForFunction((n) => document.querySelector(".speech-player").dataset.sentence === String(n), n, {
    timeout: 10000,
  });
  const t = await currentTime(page);
  assert.ok(t >= cue.start - 0.05 && t <= cue.end + 0.3, `${what}: sentence ${n} is ${cue.start}–${cue.end} s, audio at ${t}`);
  await page.waitForTimeout(500);
  const later = await currentTime(page);
  const at = await sentenceIndex(page);
  assert.ok(later >= cue.start - 0.05, `${what}: the audio went back to ${later} s`);
  assert.ok(at === n || at === n + 1, `${what}: the player moved on to sentence ${at}`);
  assert.equal(await audio(page).evaluate((a) => a.paused), false, `${what}: still playing`);
}

export const tests = {
  async "Next under serve lands on the next sentence, early and far into the audio"({ page, args, assert }) {
    await page.goto(args.url);
    const all = await cues(page);
    assert.equal(all.length, args.sentences.length, "a cue per sentence");
    await listen(page);
    await page.waitForFunction(() => document.querySelector(".speech-player").dataset.sentence === "1", null, {
      timeout: 10000,
    });
    await page.getByRole("button", { name: "Next sentence" }).click();
    await assertLandsOn(page, 2, all[2], assert, "Next at sentence 2");

    // Far into the file: a click on a late sentence, then Next from there.
    const far = all.length - 6;
    await page.getByText(args.sentences[far], { exact: true }).click();
    await assertLandsOn(page, far, all[far], assert, "a click on a late sentence");
    await page.getByRole("button", { name: "Next sentence" }).click();
    await assertLandsOn(page, far + 1, all[far + 1], assert, "Next from a late sentence");
  },

  async "clicking a sentence under serve plays from that sentence"({ page, args, assert }) {
    await page.goto(args.url);
    const all = await cues(page);
    await listen(page);
    for (const n of [Math.floor(all.length / 2), 3, all.length - 2]) {
      await page.getByText(args.sentences[n], { exact: true }).click();
      await assertLandsOn(page, n, all[n], assert, `a click on sentence ${n}`);
    }
  },
};
