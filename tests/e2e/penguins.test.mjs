// Journey: the bundled Palmer penguins, a sample with missing values and
// text labels: the profile counts its "NA"s, and the default search trains
// every classification model on it without a failed candidate (k-NN on
// standardised features; naive Bayes with smoothed variances, which one-hot
// columns of a label one species has used to break).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, loadSample, train, profileRow } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('penguins: missing values profiled, every model of the default search trains', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'penguins.csv');
    assert.equal(await page.textContent('#ov-rows'), '344');
    const cells = (name) => profileRow(page, name);
    const sex = await cells('sex');
    assert.equal(sex.Kind, 'categorical');
    assert.equal(sex.Missing, '11', 'eleven NA in sex');
    const bill = await cells('bill_length_mm');
    assert.equal(bill.Kind, 'float');
    assert.equal(bill.Missing, '2', 'two NA in bill_length_mm');
    assert.equal((await cells('island')).Distinct, '3');

    assert.equal(await page.inputValue('#target-select'), 'species');
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.ok(metrics.accuracy >= 0.95, `accuracy ${metrics.accuracy}`);
    const rows = await page.$$eval('#leaderboard-body tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.ok(rows.length >= 10, `${rows.length} candidates`);
    const failed = rows.filter((r) => r[3] === 'failed');
    assert.deepEqual(failed, [], 'no candidate failed');
    const mean = (label) => Math.max(...rows.filter((r) => r[1].startsWith(label)).map((r) => Number(r[3])));
    assert.ok(mean('k nearest neighbours') >= 0.9, `k-NN ${mean('k nearest neighbours')}`);
    assert.ok(mean('Gaussian naive Bayes') >= 0.7, `naive Bayes ${mean('Gaussian naive Bayes')}`);
    assert.equal(await page.$('[data-testid="fact-no-target"]'), null);

    // Predicting sex: the eleven rows where it is missing are left out, and
    // the run says so.
    await page.selectOption('#target-select', 'sex');
    await page.selectOption('#search-select', 'none');
    const bySex = await train(page);
    assert.equal(bySex.error, '', bySex.error);
    assert.equal(await page.textContent('[data-testid="fact-no-target"]'), '11 left out (their "sex" is missing)');
    assert.equal(Number(await page.textContent('[data-testid="fact-train-rows"]')) + Number(await page.textContent('[data-testid="fact-test-rows"]')), 333);
    assert.deepEqual(s.pageErrors, []);
  } finally {
    await s.close();
  }
});
