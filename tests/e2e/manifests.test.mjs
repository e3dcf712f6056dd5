// Journeys: a manifest made by the native command replays in the page; a
// manifest for other data is refused with both digests; one made with other
// reading options is replayed after the page reads the file again with them;
// a person's wrong manifest or data asks for no bug report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, openManifest, runMlcycle, DATA, chooseFile } from './harness.mjs';

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
    // Other data is the person's mistake, not a bug in mlcycle.
    assert.doesNotMatch(replay.error, /bug report/);
    assert.equal(await page.locator('#error details').count(), 0);
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

/** 40 rows whose b holds an infinite number and NA cells. */
function infCsv() {
  const lines = ['a,b,y'];
  for (let i = 0; i < 40; i++) lines.push(`${i % 5},${i === 3 ? 'inf' : i % 9 === 5 ? 'NA' : ((i * 7) % 13) + 0.5},${'xy'[((i * 3) % 7) % 2]}`);
  return `${lines.join('\n')}\n`;
}

test('a manifest made with other reading options: the page reads the file again with the run\'s options and reproduces it', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const file = join(s.tmp, 'inf.csv');
    writeFileSync(file, infCsv());
    const out = join(s.tmp, 'inf.json');
    const run = await runMlcycle(['run', file, '--target', 'y', '--non-finite-as-missing', '--missing', 'NA', '--type', 'a=categorical', '--search', 'none', '--out', out]);
    assert.equal(run.code, 0, `mlcycle run exited ${run.code}\n${run.stderr}`);

    const { page } = s;
    await s.open();
    // The file stops at its infinite number until the person reads it as missing.
    await page.setInputFiles('#file-input', file);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && document.getElementById('error').dataset.code === 'non_finite');
    await page.click('#read-options summary');
    await page.selectOption('#opt-non-finite', 'missing');
    await page.click('#reread');
    await page.waitForFunction(() => !document.body.classList.contains('busy') && document.getElementById('ov-file').textContent === 'inf.csv');

    // Other missing tokens and no column type: refused, with the offer.
    const first = await openManifest(page, out);
    assert.equal(first.errorCode, 'parse_options_differ', first.error);
    const offer = page.getByRole('button', { name: "Read again with the run's options and replay" });
    assert.equal(await offer.count(), 1);
    assert.match(await page.textContent('#status'), /Read again with the run's options and replay/);
    // A wrong reading is the person's, not a bug.
    assert.equal(await page.locator('#error details').count(), 0);

    // By keyboard: Tab reaches the button, Enter presses it.
    await page.focus('#manifest-input');
    for (let i = 0; i < 10 && !(await offer.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
    assert.ok(await offer.evaluate((b) => b === document.activeElement), 'Tab reaches the offer');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.body.classList.contains('busy') && document.querySelector('#replay-result [data-testid="replay-verdict"], #replay-result [data-testid="replay-failed"]'));
    const verdict = await page.$eval('#replay-result', (r) => r.querySelector('[data-testid="replay-verdict"]')?.dataset.reproduced ?? r.textContent);
    assert.equal(verdict, 'true', `${verdict} | ${await page.textContent('#error')}`);
    assert.match(await page.textContent('[data-testid="replay-verdict"]'), /^Reproduced/);
    assert.equal(await page.textContent('#error'), '');
    // The person sees the options the file was read with.
    assert.equal(await page.$eval('#read-options', (d) => d.open), true);
    assert.equal(await page.inputValue('#opt-missing'), 'NA');
    assert.equal(await page.inputValue('#opt-non-finite'), 'missing');
    assert.deepEqual(await page.$$eval('#type-list li span', (xs) => xs.map((x) => x.textContent.trim())), ['a as categorical']);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a run\'s reading option the page has no control for is named, not guessed', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const file = join(s.tmp, 'inf.csv');
    writeFileSync(file, infCsv().replace('inf', '1'));
    const out = join(s.tmp, 'inf.json');
    // --no-sample: a choice the page has no control for (it samples).
    const run = await runMlcycle(['run', file, '--target', 'y', '--search', 'none', '--no-sample', '--out', out]);
    assert.equal(run.code, 0, `mlcycle run exited ${run.code}\n${run.stderr}`);
    // A limit the page never sets.
    const manifest = JSON.parse(readFileSync(out, 'utf8'));
    manifest.dataset.parse_options = { ...(manifest.dataset.parse_options || {}), maxRows: 500 };
    const edited = join(s.tmp, 'rows.json');
    writeFileSync(edited, JSON.stringify(manifest, null, 2));

    const { page } = s;
    await s.open();
    await chooseFile(page, file, 'inf.csv');
    const replay = await openManifest(page, edited);
    assert.equal(replay.errorCode, 'parse_options_differ', replay.error);
    assert.equal(await page.getByRole('button', { name: /run's options/ }).count(), 0);
    // Named as the person knows them: the command's flag, the limit in words; not the manifest's field names.
    const unsupported = await page.textContent('[data-testid="replay-options-unsupported"]');
    assert.match(unsupported, /a row limit of 500 \(the page reads up to 1000000000 rows\)/);
    assert.match(unsupported, /--no-sample/);
    assert.doesNotMatch(unsupported, /overBudget|maxRows/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a cut-short manifest is the person\'s mistake: no bug report is asked for', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const out = join(s.tmp, 'iris.json');
    const run = await runMlcycle(['run', join(DATA, 'iris.csv'), '--target', 'species', '--search', 'none', '--out', out]);
    assert.equal(run.code, 0, `mlcycle run exited ${run.code}\n${run.stderr}`);
    const text = readFileSync(out, 'utf8');
    const cut = join(s.tmp, 'cut.json');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));

    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    const replay = await openManifest(page, cut);
    assert.equal(replay.errorCode, 'invalid_manifest', replay.error);
    assert.match(replay.error, /This is not a manifest the page can read/);
    assert.doesNotMatch(replay.error, /bug report/);
    assert.equal(await page.locator('#error details').count(), 0);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
