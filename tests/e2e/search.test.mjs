// Journeys: the hyperparameter search as a person sees it. A full grid with
// its leaderboard; a search cancelled part-way that keeps its finished
// candidates, says it was cut short, and replays natively and in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, train, openManifest, runMlcycle, DATA } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('iris: the default search shows every candidate, the chosen one first', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    // The classification models are offered, all ticked.
    const offered = await page.$$eval('#models-list input', (xs) => xs.map((x) => [x.value, x.checked]));
    assert.deepEqual(offered, [['random_forest', true], ['decision_tree', true], ['knn', true], ['gaussian_nb', true], ['logistic', true], ['svc', true]]);
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.ok(metrics.accuracy >= 0.85);
    const rows = await page.$$eval('#leaderboard-body tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 17);
    assert.match(rows[0][1], /\(chosen\)$/);
    assert.equal(rows.filter((r) => r[1].endsWith('(chosen)')).length, 1);
    // Ranked best first by mean accuracy.
    const means = rows.map((r) => Number(r[3]));
    assert.deepEqual(means, [...means].sort((a, b) => b - a));
    assert.match(await page.textContent('[data-testid="fact-search"]'), /^17 of 17 candidates$/);
    // Metrics and hyperparameters in words: an SVM's open gamma is "scale",
    // as the command prints it, not "none".
    const labels = await page.$$eval('#metrics-body th', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(labels, ['Accuracy', 'Macro F1', 'Log loss', 'ROC AUC']);
    const svc = rows.filter((r) => r[1].startsWith('Support-vector')).map((r) => r[2]);
    assert.ok(svc.length === 3 && svc.every((p) => /gamma=scale$/.test(p)), svc.join(' | '));
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a search cancelled part-way keeps its finished candidates and replays', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'breast_cancer.csv');
    await page.click('#train-button');
    // Cancel as soon as the first candidate is reported.
    await page.waitForFunction(() => /^Searching( on \d+ workers?)?: [1-9]\d* of 17/.test(document.getElementById('progress-text').textContent));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => /^Trained in/.test(document.getElementById('status').textContent), null, { timeout: 120_000 });
    const status = await page.textContent('#status');
    assert.match(status, /The search was cut short after \d+ of 17 candidates/);
    const kept = Number(/after (\d+) of/.exec(status)[1]);
    assert.ok(kept >= 1 && kept < 17, status);
    assert.equal(await page.locator('#leaderboard-body tr').count(), kept);
    assert.match(await page.textContent('#leaderboard-caption'), new RegExp(`cut short after ${kept} of 17`));
    // The engine was not restarted: a cancelled search is not a crash.
    assert.equal(await page.locator('#engine-banner').isVisible(), false);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    const saved = join(s.tmp, 'cut.json');
    await download.saveAs(saved);
    const m = JSON.parse(readFileSync(saved, 'utf8'));
    assert.equal(m.search.cut_short, true);
    assert.equal(m.search.trials.length, kept);
    const native = await runMlcycle(['replay', saved, join(DATA, 'breast_cancer.csv')]);
    assert.equal(native.code, 0, `${native.stdout}${native.stderr}`);
    const replay = await openManifest(page, saved);
    assert.equal(replay.reproduced, 'true', replay.error);
  } finally {
    await s.close();
  }
});
