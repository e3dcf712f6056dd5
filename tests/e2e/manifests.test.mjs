// Journeys: a manifest made by the native command replays in the page; a
// manifest for other data is refused with both digests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, openManifest, runMlcycle, DATA } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('wine: a manifest from `mlcycle run` reproduces in the page', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const out = join(s.tmp, 'wine.json');
    const run = await runMlcycle(['run', join(DATA, 'wine.csv'), '--target', 'cultivar', '--seed', '7', '--out', out]);
    assert.equal(run.code, 0, `mlcycle run exited ${run.code}\n${run.stderr}`);

    const { page } = s;
    await s.open();
    await loadSample(page, 'wine.csv');
    const replay = await openManifest(page, out);
    assert.equal(replay.error, '', `replay error: ${replay.error}`);
    assert.equal(replay.reproduced, 'true', replay.verdict);
    assert.match(replay.verdict, /Reproduced: every metric is bit-identical/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('an iris manifest opened on diabetes data is refused as different data', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const out = join(s.tmp, 'iris.json');
    const run = await runMlcycle(['run', join(DATA, 'iris.csv'), '--target', 'species', '--out', out]);
    assert.equal(run.code, 0, `mlcycle run exited ${run.code}\n${run.stderr}`);
    const irisSha = JSON.parse(readFileSync(out, 'utf8')).dataset.sha256;
    assert.match(irisSha, /^[0-9a-f]{64}$/);

    const { page } = s;
    await s.open();
    await loadSample(page, 'diabetes.csv');
    const diabetesSha = await page.getAttribute('#ov-sha', 'title');
    const replay = await openManifest(page, out);
    assert.equal(replay.reproduced, null, 'no verdict on different data');
    assert.equal(replay.errorCode, 'data_mismatch', replay.error);
    assert.match(replay.error, /ReplayError/);
    assert.ok(replay.error.includes(irisSha), `error should name the manifest's digest: ${replay.error}`);
    assert.ok(replay.error.includes(diabetesSha), `error should name the loaded data's digest: ${replay.error}`);
    assert.ok(await page.isVisible('#error'));
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a manifest whose recorded metric was altered is reported field by field', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const out = join(s.tmp, 'iris.json');
    const run = await runMlcycle(['run', join(DATA, 'iris.csv'), '--target', 'species', '--out', out]);
    assert.equal(run.code, 0, `mlcycle run exited ${run.code}\n${run.stderr}`);
    const manifest = JSON.parse(readFileSync(out, 'utf8'));
    const accuracy = manifest.result.metrics.find((m) => m.name === 'accuracy');
    assert.ok(accuracy, 'the manifest records accuracy');
    const honest = accuracy.value;
    accuracy.value = 0.5;
    const tampered = join(s.tmp, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(manifest, null, 2));

    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    const replay = await openManifest(page, tampered);
    assert.equal(replay.error, '', replay.error);
    assert.equal(replay.reproduced, 'false', replay.verdict);
    assert.match(replay.verdict, /Not reproduced: 1 difference/);
    const rows = await page.$$eval('[data-testid="replay-differences"] tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(rows[0][0], /(^|\.)metrics\.accuracy$/);
    assert.equal(Number(rows[0][1]), 0.5);
    assert.equal(Number(rows[0][2]), honest);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
