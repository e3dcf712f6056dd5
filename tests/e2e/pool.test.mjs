// Journey: the search spread over a pool of Web Workers. One worker and two
// give the same leaderboard for the same seed; with two, Cancel keeps the
// finished candidates, and the manifest replays natively and in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, train, openManifest, runMlcycle, DATA } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

const leaderboard = (page) => page.$$eval('#leaderboard-body tr', (trs) => trs.map((tr) => [...tr.cells].slice(0, 5).map((c) => c.textContent)));

async function manifestOf(page, s, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
  const saved = join(s.tmp, name);
  await download.saveAs(saved);
  return { path: saved, m: JSON.parse(readFileSync(saved, 'utf8')) };
}

test('one worker or two: the same seed gives the same leaderboard', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    assert.ok(Number(await page.inputValue('#workers-input')) >= 1, 'a default pool size is shown');
    await loadSample(page, 'wine.csv');
    const runs = [];
    for (const workers of ['1', '2']) {
      await page.fill('#workers-input', workers);
      const seen = [];
      const watcher = setInterval(async () => {
        const t = await page.textContent('#progress-text').catch(() => '');
        if (t.startsWith('Searching')) seen.push(t);
      }, 100);
      const { error } = await train(page);
      clearInterval(watcher);
      assert.equal(error, '', error);
      assert.ok(seen.some((t) => t.startsWith(`Searching on ${workers} worker`)), seen.join('\n'));
      const { m } = await manifestOf(page, s, `wine-${workers}.json`);
      runs.push({ board: await leaderboard(page), trials: m.search.trials.map((t) => [t.index, t.model, t.fold_scores, t.error]), metrics: m.metrics });
    }
    assert.ok(runs[0].board.length > 1);
    assert.deepEqual(runs[1].board.map((r) => r.slice(0, 4)), runs[0].board.map((r) => r.slice(0, 4)), 'leaderboard (model, parameters, scores) is the same');
    assert.deepEqual(runs[1].trials, runs[0].trials, 'every candidate scores the same on every fold');
    assert.deepEqual(runs[1].metrics, runs[0].metrics);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('with two workers, Cancel keeps the finished candidates and the run replays', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'breast_cancer.csv');
    await page.fill('#workers-input', '2');
    // Thirty forests of different sizes: Escape lands mid-search with the
    // two workers at different candidates, so the recorded trials have gaps
    // (the refit once looked the best up by position and crashed).
    const trees = Array.from({ length: 30 }, (_, i) => 100 + 10 * i);
    await page.click('#spaces-details summary');
    await page.fill('#spaces-text', JSON.stringify([{ model: 'random_forest', n_trees: trees }]));
    await page.click('#train-button');
    await page.waitForFunction(() => /^Searching on 2 workers: [1-9]\d* of \d+/.test(document.getElementById('progress-text').textContent));
    await page.keyboard.press('Escape');
    await page
      .waitForFunction(() => /^Trained in/.test(document.getElementById('status').textContent), null, { timeout: 120_000 })
      .catch(async (err) => {
        err.message += `\nconsole: ${s.consoleLines.slice(-8).join(" | ")}\nstatus: ${await page.textContent("#status")}\nerror: ${await page.textContent('#error')}`;
        throw err;
      });
    const status = await page.textContent('#status');
    const [, kept, planned] = /cut short after (\d+) of (\d+)/.exec(status).map(Number);
    assert.ok(kept >= 1 && kept < planned, status);
    assert.equal(await page.locator('#leaderboard-body tr').count(), kept);
    assert.equal(await page.locator('#engine-banner').isVisible(), false, 'a cancel is not a crash');
    const { path, m } = await manifestOf(page, s, 'cut.json');
    assert.equal(m.search.cut_short, true);
    assert.equal(m.search.trials.length, kept);
    const native = await runMlcycle(['replay', path, join(DATA, 'breast_cancer.csv')]);
    assert.equal(native.code, 0, `${native.stdout}${native.stderr}`);
    const replay = await openManifest(page, path);
    assert.equal(replay.reproduced, 'true', replay.error);
    // The next search works with the pool.
    const { error } = await train(page);
    assert.equal(error, '', error);
  } finally {
    await s.close();
  }
});
