// Journey: a regression sample; R² and RMSE are shown as numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, loadSample, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('diabetes: regression shows RMSE and R² as numbers', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'diabetes.csv');
    assert.equal(await page.inputValue('#target-select'), 'progression');
    await page.waitForFunction(() => document.getElementById('task-auto').textContent.includes('regression'));

    const { metrics, error } = await train(page);
    assert.equal(error, '', `no error expected, got: ${error}`);
    assert.ok(Number.isFinite(metrics.rmse) && metrics.rmse > 0, `rmse: ${metrics.rmse}`);
    assert.ok(Number.isFinite(metrics.r2) && metrics.r2 > 0 && metrics.r2 < 1, `r2: ${metrics.r2}`);
    for (const id of ['metric-rmse', 'metric-r2']) {
      const text = await page.textContent(`[data-testid="${id}"]`);
      assert.match(text, /^-?\d+(\.\d+)?$/, `${id} shows ${text}`);
    }
    const labels = await page.$$eval('#metrics-body th', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(labels.sort(), ['R²', 'RMSE'].sort());
    assert.equal(await page.textContent('[data-testid="fact-task"]'), 'regression');
    // Beside the model's figures, what always predicting the training mean scores (R² at most 0).
    const baseline = await page.textContent('[data-testid="fact-baseline"]');
    const [, rmse, r2] = /^always the training mean \([\d.]+\) would score RMSE ([\d.]+), R² (-?[\d.]+(?:e[-+]?\d+)?)$/.exec(baseline) || [];
    assert.ok(Number(rmse) > metrics.rmse && Number(r2) <= 0, baseline);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
