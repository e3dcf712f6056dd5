// Journey: a bundled sample through profile, training, manifest download,
// native replay of the download, and replay in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, train, openManifest, runMlcycle, DATA, profileRow } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('iris: load sample, profile, train, download manifest, replay natively and in the page', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();

    await loadSample(page, 'iris.csv');
    const columns = await page.$$eval('#profile-body tr', (rows) => rows.map((r) => r.querySelector('th').textContent));
    assert.equal(columns.length, 5);
    assert.ok(columns.includes('species'), `columns: ${columns}`);
    assert.equal(await page.textContent('#ov-rows'), '150');
    const sha = await page.getAttribute('#ov-sha', 'title');
    assert.match(sha, /^[0-9a-f]{64}$/);
    const species = await profileRow(page, 'species');
    assert.equal(species.Kind, 'categorical');
    assert.equal(species.Distinct, '3', 'three distinct species');

    // The target is preselected from index.json; the task is inferred.
    assert.equal(await page.inputValue('#target-select'), 'species');
    await page.waitForFunction(() => document.getElementById('task-auto').textContent.includes('classification'));
    assert.equal(await page.inputValue('#seed-input'), '42');

    const { metrics, error } = await train(page);
    assert.equal(error, '', `no error expected, got: ${error}`);
    assert.equal(typeof metrics.accuracy, 'number', `metrics: ${JSON.stringify(metrics)}`);
    assert.ok(metrics.accuracy >= 0.85, `accuracy ${metrics.accuracy} < 0.85`);
    assert.ok('macro_f1' in metrics);
    assert.match(await page.textContent('[data-testid="metric-accuracy"]'), /^(0\.\d{1,4}|1)$/);
    assert.equal(await page.textContent('[data-testid="fact-test-rows"]'), String(150 - Number(await page.textContent('[data-testid="fact-train-rows"]'))));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    assert.equal(download.suggestedFilename(), 'iris.mlcycle-run.json');
    const saved = join(s.tmp, download.suggestedFilename());
    await download.saveAs(saved);

    const native = await runMlcycle(['replay', saved, join(DATA, 'iris.csv')]);
    assert.equal(native.code, 0, `mlcycle replay exited ${native.code}\n${native.stdout}\n${native.stderr}`);

    const replay = await openManifest(page, saved);
    assert.equal(replay.error, '', `replay error: ${replay.error}`);
    assert.equal(replay.reproduced, 'true');
    assert.match(replay.verdict, /^Reproduced/);

    assert.deepEqual(s.pageErrors, []);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
