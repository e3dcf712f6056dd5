// Journey: long work shows its clock moving. The search's progress line said
// "7 of 14 candidates · … · 3.4 s elapsed, about 4 s left" unchanged until
// the next candidate ended, and a replay showed "Replaying run.json…" and
// nothing else for as long as it ran. Both now tick, four times a second.
// A large file's profiling (one engine call) left "Read 955.3 MB;
// profiling 20 columns…" frozen for seconds; its clock ticks too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, chooseFile } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** 6,000 rows × 14 numbers and a yes/no label: a forest of 1,000 trees takes seconds per candidate. */
function slowCsv() {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = [`${Array.from({ length: 14 }, (_, i) => `x${i}`).join(',')},label`];
  for (let i = 0; i < 6000; i++) {
    const xs = Array.from({ length: 14 }, () => random() * 10);
    lines.push(`${xs.map((x) => x.toFixed(3)).join(',')},${xs[0] + xs[1] * random() > 8 ? 'yes' : 'no'}`);
  }
  return lines;
}

/** Loads the slow file and sets a search of two forests of 1,000 trees on one worker (about 6 s per candidate here). */
async function slowSearch(page) {
  await chooseFile(page, slowCsv(), 'slow.csv');
  await page.click('#spaces-details summary');
  await page.fill('#spaces-text', JSON.stringify([{ model: 'random_forest', n_trees: [1000, 999] }]));
  await page.fill('#workers-input', '1');
}

const progressText = (page) => page.textContent('#progress-text');

/** Waits `ms`, then the progress text; with the text before and after, to compare. */
async function twoSamples(page, pattern, ms) {
  await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('progress-text').textContent), pattern.source);
  const first = await progressText(page);
  await page.waitForTimeout(ms);
  const second = await progressText(page);
  return [first, second];
}

test('a search\'s elapsed time ticks between candidates; a replay shows its elapsed time', { skip, timeout: 600_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await slowSearch(page);
    const started = Date.now();
    await page.click('#train-button');
    // During the first candidate: nothing has ended, yet the clock moves.
    const [a, b] = await twoSamples(page, /^Searching on 1 worker: 0 of 2 candidates/, 1300);
    const elapsed = (t) => Number(/· (\d+\.\d) s elapsed/.exec(t)?.[1]);
    assert.match(b, /^Searching on 1 worker: 0 of 2 candidates · no score yet · \d+\.\d s elapsed\. Cancel keeps what is done\.$/, b);
    assert.notEqual(a, b, 'the progress line did not change in 1.3 s');
    assert.ok(elapsed(b) - elapsed(a) >= 1, `${a} → ${b}`);
    // After the first candidate, the estimate counts down with the clock.
    const [c, d] = await twoSamples(page, /^Searching on 1 worker: 1 of 2 candidates/, 1300);
    if (/^Searching on 1 worker: 1 of 2/.test(d)) {
      assert.notEqual(c, d, 'the progress line did not change in 1.3 s');
      assert.ok(elapsed(d) - elapsed(c) >= 1, `${c} → ${d}`);
      assert.match(d, /s elapsed(, about \d+ s left|, taking longer than estimated)\. Cancel keeps what is done\.$/, d);
    }
    await page.waitForFunction(() => /^Trained in/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 300_000 });
    const trainMs = Date.now() - started;
    // The ticking stopped with the search: the progress line is hidden and stays so.
    assert.equal(await page.isVisible('#progress-line'), false);
    await page.waitForTimeout(1200);
    assert.equal(await page.isVisible('#progress-line'), false);
    assert.equal(await progressText(page), '');

    // The replay trains the same candidates again, for about as long.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    const saved = join(s.tmp, 'run.json');
    await download.saveAs(saved);
    await page.setInputFiles('#manifest-input', saved);
    const [e, f] = await twoSamples(page, /^Replaying: /, 1300);
    assert.match(f, /^Replaying: \d+\.\d s elapsed\. Esc or Cancel stops\.$/, `${f} (training took ${trainMs} ms)`);
    assert.notEqual(e, f, 'the replay\'s progress line did not change in 1.3 s');
    await page.waitForSelector('[data-testid="replay-verdict"]', { timeout: 300_000 });
    assert.equal(await page.getAttribute('[data-testid="replay-verdict"]', 'data-reproduced'), 'true');
    await page.waitForFunction(() => !document.body.classList.contains('busy'));
    assert.equal(await page.isVisible('#progress-line'), false);
    assert.equal(await page.textContent('#error'), '');
  } finally {
    await s.close();
  }
});

test('a search cancelled between reports stops its clock', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await slowSearch(page);
    await page.click('#train-button');
    await page.waitForFunction(() => /^Searching on 1 worker: 0 of 2/.test(document.getElementById('progress-text').textContent));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 120_000 });
    await page.waitForTimeout(1200);
    assert.equal(await page.isVisible('#progress-line'), false);
    assert.equal(await progressText(page), '');
  } finally {
    await s.close();
  }
});

/** A CSV of `rows` rows and 12 columns (numbers, labels, dates, text): profiling it takes a while. */
function wideCsv(path, rows) {
  const lines = ['id,a,b,c,d,e,f,g,group,when,note,label'];
  let v = 4321;
  for (let i = 0; i < rows; i++) {
    v = (v * 1103515245 + 12345) % 2147483648;
    const x = v / 2147483648;
    lines.push(`${i},${(x * 1000).toFixed(3)},${(v % 9973) / 10},${v % 101},${((v >> 3) % 5000) / 7},${(x * x).toFixed(5)},${v % 2 === 0 ? '' : (v % 777) / 3},${(v >> 5) % 100000},g${v % 23},2023-${String(1 + (v % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},w${(v >> 7) % 40000},${v % 3 === 0 ? 'yes' : 'no'}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

test('a large file\'s profiling shows its clock ticking, at least twice a second, and it stops with the load', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const path = join(s.tmp, 'tall.csv');
    wideCsv(path, 500_000);
    // Every change of the progress text, with the status at that moment.
    await page.evaluate(() => {
      const t0 = performance.now();
      window.__progress = [];
      const text = document.getElementById('progress-text');
      const status = document.getElementById('status');
      new MutationObserver(() => window.__progress.push({ t: performance.now() - t0, text: text.textContent, status: status.textContent }))
        .observe(text, { childList: true, characterData: true, subtree: true });
    });
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => /^Loaded tall\.csv/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 240_000 });
    const end = await page.evaluate(() => window.__progress.at(-1).t);
    const prog = await page.evaluate(() => window.__progress);
    const trace = () => prog.map((p) => `${Math.round(p.t)} ${p.text}`).join('\n');
    const first = prog.findIndex((p) => /profiling/.test(p.text));
    assert.ok(first >= 0, `no profiling stage shown:\n${trace()}`);
    // The stage runs from its first line to the first line after it (the load's end clears the line).
    let last = first;
    while (last + 1 < prog.length && /profiling/.test(prog[last + 1].text)) last += 1;
    const stageEnd = last + 1 < prog.length ? prog[last + 1].t : end;
    for (const p of prog.slice(first, last + 1)) {
      assert.match(p.text, /^Read [\d.]+ MB; profiling 12 columns… \d+\.\d s elapsed\. Esc or Cancel stops\.$/, p.text);
    }
    const stageMs = stageEnd - prog[first].t;
    // Whenever the stage lasts over 600 ms, the line changed at least once in every 600 ms of it.
    const times = [...prog.slice(first, last + 1).map((p) => p.t), stageEnd];
    const worst = Math.max(...times.slice(1).map((t, i) => t - times[i]));
    if (stageMs > 600) assert.ok(worst <= 600, `${Math.round(worst)} ms without a change while profiling (${Math.round(stageMs)} ms):\n${trace()}`);
    else console.log(`# profiling took ${Math.round(stageMs)} ms here: too short to check its ticks`);
    // The clock counts up.
    const seconds = prog.slice(first, last + 1).map((p) => Number(/… (\d+\.\d) s elapsed/.exec(p.text)[1]));
    assert.deepEqual(seconds, [...seconds].sort((a, b) => a - b), 'the elapsed time never goes back');
    // And it stopped with the load: the line is gone and stays gone.
    await page.waitForTimeout(800);
    assert.equal(await page.isVisible('#progress-line'), false);
    assert.equal(await progressText(page), '');
    assert.equal(await page.evaluate(() => window.__progress.at(-1).t), end, 'the progress text changed after the load ended');
  } finally {
    await s.close();
  }
});
