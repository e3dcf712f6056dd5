// Journey: the search finished and the best candidate is being refitted on
// all the training rows (one long fit that cannot report its progress); the
// person presses Esc. The refit stops (its worker is ended), but what the
// search found stays: the finished candidates' leaderboard, with a note that
// the final model was not fitted, so there are no test metrics and no
// manifest. The next Train works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, chooseFile, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** `rows` rows of 8 numbers and a class from a fixed pseudo-random stream. */
function generated(rows) {
  let x = 12345;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = [`${Array.from({ length: 8 }, (_, i) => `f${i}`).join(',')},label`];
  for (let r = 0; r < rows; r++) {
    const f = Array.from({ length: 8 }, () => next() * 10);
    const label = f[0] + f[1] + next() * 6 > 13 ? 'high' : 'low';
    lines.push(`${f.map((v) => v.toFixed(3)).join(',')},${label}`);
  }
  return lines;
}

test('Esc during the refit keeps the finished candidates, says nothing was fitted, and the next Train works', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, generated(8000), 'forest.csv');
    await page.selectOption('#target-select', 'label');
    await page.fill('#workers-input', '1');
    // Two big forests: the refit of the best takes about 3 s here (the search about 12 s), long enough to press Esc in it.
    await page.click('#spaces-details summary');
    await page.fill('#spaces-text', JSON.stringify([{ model: 'random_forest', n_trees: [990, 1000] }]));
    await page.click('#train-button');
    await page.waitForFunction(() => /^Refitting the best model/.test(document.getElementById('progress-text').textContent), null, { timeout: 240_000 });
    assert.match(await page.textContent('#status'), /^Search done; refitting the best model on all training rows/);
    await page.keyboard.press('Escape');
    // The data is loaded again into the fresh engine; the status it ends with is the full one.
    await page.waitForFunction(() => !window.mlcycleApp.client.busy && !window.mlcycleApp.client.reloading, null, { timeout: 120_000 });
    await page.waitForFunction(() => /^Stopped refitting the best model, as you asked\. Your data is still loaded\. The search's 2 finished candidates are kept in the leaderboard; the best was not refitted, so there is no final model, no test metrics and no manifest\. Train again to search and refit\.$/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 120_000 })
      .catch(async (err) => {
        err.message += `\nstatus: ${await page.textContent('#status')}\nerror: ${await page.textContent('#error')}`;
        throw err;
      });
    // The two candidates, ranked by mean accuracy, none marked chosen.
    const rows = await page.$$eval('#leaderboard-body tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.deepEqual(rows.map((r) => r[1]), ['Random forest', 'Random forest']);
    const means = rows.map((r) => Number(r[3]));
    assert.ok(means.every((m) => m > 0.5 && m <= 1), means.join());
    assert.deepEqual(means, [...means].sort((a, b) => b - a));
    assert.ok(rows.every((r) => r[5] !== ''), 'each candidate shows its time');
    assert.equal(await page.isVisible('#leaderboard-wrap'), true);
    assert.match(await page.textContent('#leaderboard-caption'), /^Search leaderboard: 2 candidates, 3-fold cross-validation on the training rows\. The refit of the best was stopped: no final model, so no test metrics and no manifest/);
    // No test metrics, no model, no manifest to download.
    assert.equal(await page.locator('#metrics-body td[data-testid^="metric-"]').count(), 0);
    assert.match(await page.textContent('[data-testid="no-metrics"]'), /not refitted/);
    assert.match(await page.textContent('[data-testid="fact-model"]'), /^not fitted/);
    assert.equal(await page.textContent('[data-testid="fact-search"]'), '2 of 2 candidates; refit stopped');
    assert.equal(await page.isDisabled('#download-manifest'), true);
    assert.equal(await page.locator('#engine-banner').isVisible(), false, 'a cancel is not a crash');
    assert.equal(await page.textContent('#error'), '');
    // The next Train works on the data still loaded, and replaces the kept board.
    await page.fill('#spaces-text', JSON.stringify([{ model: 'decision_tree', max_depth: [3] }]));
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.ok(metrics.accuracy > 0.5, JSON.stringify(metrics));
    assert.match(await page.textContent('#status'), /^Trained in/);
    assert.equal(await page.locator('#leaderboard-body tr').count(), 1);
    assert.doesNotMatch(await page.textContent('#leaderboard-caption'), /refit/);
    assert.equal(await page.isDisabled('#download-manifest'), false);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
