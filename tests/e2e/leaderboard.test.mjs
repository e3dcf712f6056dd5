// The leaderboard says how the candidates were scored as the engine scored
// them: with 2-fold cross-validation when the rarest class has too few
// training rows for 3 (the caption once said 3-fold whatever the folds),
// and ranked best first for a lower-is-better metric such as log loss (it
// was ranked worst first: only RMSE sorted ascending).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, chooseFile, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** 40 rows, 3 of them class 'b': 2 or 3 'b' rows train, so the folds are 2. */
function rare() {
  let x = 7;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['x,y,label'];
  for (let r = 0; r < 40; r++) {
    const b = r % 13 === 5;
    lines.push(`${((b ? 5 : 0) + next()).toFixed(3)},${next().toFixed(3)},${b ? 'b' : 'a'}`);
  }
  return lines;
}

test('the caption names the folds used, and log loss ranks lowest first', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, rare(), 'rare.csv');
    await page.selectOption('#target-select', 'label');
    await page.fill('#seed-input', '42');
    await page.click('#spaces-details summary');
    await page.fill('#spaces-text', JSON.stringify([{ model: 'knn', k: [1, 3, 5] }, { model: 'decision_tree', max_depth: [1, 2] }]));
    const { error } = await train(page);
    assert.equal(error, '', error);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    const saved = join(s.tmp, 'rare.json');
    await download.saveAs(saved);
    const m = JSON.parse(readFileSync(saved, 'utf8'));
    assert.equal(m.config.search.folds, 2, 'the engine used 2 folds');
    assert.ok(m.search.trials.every((t) => t.fold_scores.length === 2));
    assert.match(await page.textContent('#leaderboard-caption'), /^Search leaderboard: 5 candidates, 2-fold cross-validation on the training rows$/);

    // Ranked by log loss (the page has no control for the metric; the
    // engine's option is added on the way to the search): the lowest first,
    // and the chosen candidate, the engine's best, is first.
    await page.evaluate(() => {
      const pool = window.mlcycleApp.pool;
      const search = pool.search.bind(pool);
      pool.search = (primary, source, options, size) => search(primary, source, { ...options, metric: 'log_loss' }, size);
    });
    const second = await train(page);
    assert.equal(second.error, '', second.error);
    assert.equal(await page.textContent('#leaderboard-metric'), 'Mean Log loss');
    const rows = await page.$$eval('#leaderboard-body tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 5);
    const means = rows.map((r) => Number(r[3]));
    assert.ok(means.every(Number.isFinite), means.join());
    assert.deepEqual(means, [...means].sort((a, b) => a - b), 'lowest log loss first');
    assert.ok(means[0] < means[4], means.join());
    assert.match(rows[0][1], /\(chosen\)$/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('on imbalanced classes: rank by macro F1, and the majority-class baseline is shown', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // 2% of rows are 'fraud', and x says nothing of it: every value of x
    // is mostly 'ok', so a model predicts 'ok' everywhere.
    const lines = ['x,y'];
    for (let r = 0; r < 300; r++) lines.push(`${r % 3},${r % 50 === 7 ? 'fraud' : 'ok'}`);
    await chooseFile(page, lines, 'rare.csv');
    await page.selectOption('#search-select', 'grid');
    await page.selectOption('#metric-select', 'macro_f1');
    const { error } = await train(page);
    assert.equal(error, '', error);
    assert.equal(await page.textContent('#leaderboard-metric'), 'Mean Macro F1');
    const baseline = await page.textContent('[data-testid="fact-baseline"]');
    // Always "ok": right on every row but the test's frauds; macro F1 under 0.5.
    const [, accuracy, f1] = /^always "ok" would score Accuracy (0\.\d+), Macro F1 (0\.\d+)/.exec(baseline) || [];
    assert.ok(Number(accuracy) > 0.95 && Number(accuracy) < 1 && Number(f1) < 0.5, baseline);
    // The ranking metric is a search's: with none it cannot be chosen.
    await page.selectOption('#search-select', 'none');
    assert.equal(await page.isDisabled('#metric-select'), true);
    const { error: e2 } = await train(page);
    assert.equal(e2, '', e2);
    assert.match(await page.textContent('[data-testid="fact-baseline"]'), /the model predicts one class only on the \d+ test rows, which hold 2 classes$/);
  } finally {
    await s.close();
  }
});
