// Journeys around stopping and restarting: after a stopped load the data
// loaded before is restored, and the page says so until it is (a file
// chosen meanwhile stops the restore at once; so does Esc, and the page
// says no data is loaded); what the person has loaded is never lost to a
// cancel while the search workers get ready, a search worker restarted
// between candidates, or a file that fails to load; and the keyboard focus
// stays where the person was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, hasFaultInjection, loadSample, train, chooseFile } from './harness.mjs';

const skip = missingPrerequisite() ?? false;
const skipFaults = skip || (hasFaultInjection() ? false : 'the wasm build has no faultInject export: build with --features fault-injection');

/** A CSV of about `mb` MB (numbers and a four-label column): large enough that reading it takes a while. */
function bigCsv(dir, mb) {
  const rows = ['x1,x2,x3,label'];
  let bytes = 0;
  for (let i = 0; bytes < mb * 1e6; i++) {
    const row = `${(i * 7919) % 100003},${((i * 31) % 977) / 7},${i % 13},${['alpha', 'beta', 'gamma', 'delta'][i % 4]}`;
    rows.push(row);
    bytes += row.length + 1;
  }
  const path = join(dir, 'big.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

/** Records, from now on, each write of the status and each change of the progress line, with the time (ms) and whether the page is busy. */
function record(page) {
  return page.evaluate(() => {
    const t0 = performance.now();
    window.__status = [];
    window.__progress = [];
    const status = document.getElementById('status');
    const text = document.getElementById('progress-text');
    const busy = () => document.body.classList.contains('busy');
    new MutationObserver(() => window.__status.push({ t: performance.now() - t0, text: status.textContent, busy: busy() })).observe(status, { childList: true, characterData: true, subtree: true });
    new MutationObserver(() => window.__progress.push({ t: performance.now() - t0, text: text.textContent })).observe(text, { childList: true, characterData: true, subtree: true });
  });
}

/** Loads big.csv (`mb` MB), then chooses other.csv and presses Esc while it is read: the restarted engine restores big.csv. */
async function stopSecondFile(page, dir, mb) {
  await chooseFile(page, bigCsv(dir, mb), 'big.csv');
  const other = join(dir, 'other.csv');
  writeFileSync(other, readFileSync(join(dir, 'big.csv')));
  await record(page);
  await page.setInputFiles('#file-input', other);
  await page.waitForFunction(() => /^Reading:/.test(document.getElementById('progress-text').textContent));
  await page.keyboard.press('Escape');
}

const RESTORING = 'Stopped loading the data, as you asked. Restoring your data (big.csv) in the restarted engine; what needs it waits…';

test('after a stopped load the page says it restores the data, busy, until it is loaded; only then that it is still loaded', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await stopSecondFile(page, s.tmp, 40);
    await page.waitForFunction((t) => document.getElementById('status').textContent === t, RESTORING);
    // While it restores: busy, the steps that need the engine wait, Cancel is offered, and the line has its own figures.
    assert.equal(await page.evaluate(() => document.body.classList.contains('busy')), true, 'the page is busy while the data is restored');
    assert.equal(await page.isDisabled('#train-button'), true, 'Train waits for the restore');
    assert.equal(await page.isDisabled('#cluster-button'), true);
    assert.equal(await page.isDisabled('#file-input'), false, 'a file can still be chosen');
    assert.equal(await page.locator('#cancel-button').isVisible(), true, 'Cancel stops the restore');
    await page.waitForFunction(() => /^Restoring big\.csv/.test(document.getElementById('progress-text').textContent));
    await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 120_000 });
    assert.equal(await page.textContent('#status'), 'Stopped loading the data, as you asked. Your data is still loaded.');
    assert.equal(await page.isDisabled('#train-button'), false);
    assert.equal(await page.locator('#cancel-button').isVisible(), false);
    assert.equal(await page.isVisible('#progress-line'), false);
    // The status was written twice from the stop on: restoring, then loaded (never "still loaded" while it was not).
    const all = await page.evaluate(() => window.__status);
    const writes = all.slice(all.findIndex((w) => /as you asked/.test(w.text)));
    assert.deepEqual(writes.map((w) => w.text), [RESTORING, 'Stopped loading the data, as you asked. Your data is still loaded.'], JSON.stringify(all));
    assert.equal(writes[0].busy, true, 'busy while restoring');
    // The restore reported its own progress, up to the end.
    const restoring = (await page.evaluate(() => window.__progress)).filter((p) => /^Restoring big\.csv/.test(p.text));
    assert.ok(restoring.some((p) => /^Restoring big\.csv: [\d.]+ (?:MB|KB|bytes?) of [\d.]+ MB \(\d+%\)\. A file you choose now replaces it; Esc or Cancel stops it \(no data is loaded then\)\.$/.test(p.text)), restoring.map((p) => p.text).join('\n'));
    assert.equal(await page.textContent('#ov-file'), 'big.csv');
    assert.equal(await page.evaluate(() => window.mlcycleApp.client.current?.fileName), 'big.csv');
  } finally {
    await s.close();
  }
});

test('Esc while the data is restored stops the restore and says no data is loaded; Read again loads it', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await stopSecondFile(page, s.tmp, 40);
    await page.waitForFunction(() => /^Restoring big\.csv/.test(document.getElementById('progress-text').textContent));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.body.classList.contains('busy'));
    assert.equal(await page.textContent('#status'), 'Stopped restoring your data (big.csv), as you asked: no data is loaded now. "Read big.csv again" under Reading options loads it, or choose a file.');
    assert.equal(await page.evaluate(() => window.mlcycleApp.client.current), null);
    assert.equal(await page.locator('#profile-section').isVisible(), false, 'no profile of data the engine does not hold');
    assert.equal(await page.isDisabled('#train-button'), true);
    assert.equal(await page.locator('#cancel-button').isVisible(), false);
    assert.equal(await page.isVisible('#progress-line'), false);
    assert.equal(await page.textContent('#reread'), 'Read big.csv again with these options');
    await page.click('#read-options summary');
    await page.click('#reread');
    await page.waitForFunction(() => /^Loaded big\.csv/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 120_000 });
    assert.equal(await page.textContent('#ov-file'), 'big.csv');
  } finally {
    await s.close();
  }
});

test('a file chosen while the data is restored stops the restore and loads at once', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await stopSecondFile(page, s.tmp, 80);
    // The restore has begun (its first figure): a small file is chosen.
    await page.waitForFunction(() => /^Restoring big\.csv: /.test(document.getElementById('progress-text').textContent));
    await page.setInputFiles('#file-input', { name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,label\n1,2,x\n3,4,y\n5,6,x\n') });
    await page.waitForFunction(() => /^Loaded small\.csv/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 120_000 });
    assert.equal(await page.textContent('#ov-file'), 'small.csv');
    assert.equal(await page.evaluate(() => window.mlcycleApp.client.current?.fileName), 'small.csv');
    assert.equal(await page.evaluate(() => window.mlcycleApp.client.reloading), false);
    // It did not wait for the restore: the restore's progress never reached its end.
    const progress = await page.evaluate(() => window.__progress);
    const percents = progress.map((p) => /^Restoring big\.csv: [\d.]+ (?:MB|KB|bytes?) of [\d.]+ MB \((\d+)%\)/.exec(p.text)).filter(Boolean).map((m) => Number(m[1]));
    assert.ok(percents.length > 0 && Math.max(...percents) < 100, `restore progress: ${percents.join(', ')}\n${progress.map((p) => `${Math.round(p.t)} ${p.text}`).join('\n')}`);
    assert.ok(!progress.some((p) => /^Restoring big\.csv: read /.test(p.text)), 'the restore did not get past reading');
    // And nothing said big.csv was loaded after the stop.
    const all = await page.evaluate(() => window.__status.map((w) => w.text));
    assert.ok(!all.some((t) => /still loaded/.test(t)), all.join('\n'));
    // Nothing is left running: the page stays as it is.
    await page.waitForTimeout(1000);
    assert.equal(await page.textContent('#status'), all.at(-1));
    assert.equal(await page.isVisible('#progress-line'), false);
  } finally {
    await s.close();
  }
});

test('Cancel while the search workers get ready says nothing was trained and clears', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, bigCsv(s.tmp, 40), 'big.csv');
    await page.selectOption('#target-select', 'label');
    await page.fill('#workers-input', '2');
    await page.click('#train-button');
    await page.waitForFunction(() => window.mlcycleApp.pool.stage === 'prepare', null, { timeout: 60_000 });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 60_000 });
    assert.match(await page.textContent('#status'), /^Stopped training, as you asked, while the search workers were getting ready: no candidate ran, so nothing was trained\. Your data is still loaded\.$/);
    assert.equal(await page.locator('#cancel-button').isVisible(), false, 'no Cancel once nothing runs');
    assert.equal(await page.locator('#results-section').isVisible(), false);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-file'), 'big.csv');
  } finally {
    await s.close();
  }
});

test('a search worker restarted between candidates ends the search and keeps what finished', { skip: skipFaults, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    await page.fill('#workers-input', '1');
    // The pool's one worker crashes while idle, just before the first
    // finished candidate is recorded; its fresh engine has the data but not
    // the search's plan.
    await page.evaluate(() => {
      const { client, pool } = window.mlcycleApp;
      const request = client.request.bind(client);
      let crashed = false;
      client.request = async (type, ...rest) => {
        if (type === 'searchRecord' && !crashed) {
          crashed = true;
          await pool.clients[0].request('fault', { kind: 'panic' }).catch(() => {});
        }
        return request(type, ...rest);
      };
    });
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.ok(metrics.accuracy > 0.8, JSON.stringify(metrics));
    assert.match(await page.textContent('#engine-banner-text'), /^A search worker stopped unexpectedly between candidates \(a search worker's engine was restarted between candidates\); the search ended there and kept the finished candidates\.$/);
    assert.match(await page.textContent('#status'), /The search was cut short after 1 of \d+ candidates; the best of those was refitted\./);
    assert.equal(await page.locator('#leaderboard-body tr').count(), 1);
  } finally {
    await s.close();
  }
});

test('a new file that fails to load leaves the data loaded before, and focus comes back', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    // By keyboard: focus Train and press Enter; focus comes back to it.
    await page.focus('#train-button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^Trained/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'train-button');
    const before = await page.textContent('[data-testid="metric-accuracy"]');

    const empty = join(s.tmp, 'empty.csv');
    writeFileSync(empty, '');
    await page.setInputFiles('#file-input', empty);
    await page.waitForFunction(() => /^Loading empty\.csv failed/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'));
    assert.equal(await page.textContent('#status'), 'Loading empty.csv failed; iris.csv is still loaded.');
    assert.match(await page.textContent('#error'), /empty\.csv: the file is empty/);
    assert.equal(await page.textContent('#ov-file'), 'iris.csv');
    assert.equal(await page.locator('#profile-section').isVisible(), true);
    assert.equal(await page.textContent('[data-testid="metric-accuracy"]'), before, 'the results stay');
    // No reading option can make an empty file load: Read again stays with
    // the data loaded (a file that failed for its options is offered instead).
    assert.equal(await page.textContent('#reread'), 'Read iris.csv again with these options');
    // The column list under Reading options is still iris's.
    const columns = await page.$$eval('#type-column option', (os) => os.map((o) => o.value));
    assert.deepEqual(columns, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']);
    // And the data is usable: training again works.
    const { error } = await train(page);
    assert.equal(error, '', error);
  } finally {
    await s.close();
  }
});

test('the alerts always match the target shown, whatever the switching and stopping', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, bigCsv(s.tmp, 40), 'big.csv');
    const settled = () => page.waitForFunction(() => !/checking/.test(document.getElementById('alerts-heading').textContent) && !window.mlcycleApp.client.busy && !window.mlcycleApp.client.reloading, null, { timeout: 120_000 });
    const agree = async () => {
      const { heading, target } = await page.evaluate(() => ({ heading: document.getElementById('alerts-heading').textContent, target: document.getElementById('target-select').value }));
      assert.ok(heading.endsWith(`with "${target}" as the target`), `heading "${heading}" for target "${target}"`);
    };
    assert.equal(await page.inputValue('#target-select'), 'label');
    // A to B and straight back to A: the heading ends on A, not "checking".
    await page.selectOption('#target-select', 'x3');
    await page.selectOption('#target-select', 'label');
    await settled();
    await agree();
    // Choose, then stop the check at once: the target goes back to the one
    // the alerts are for, so nothing is trained on one target with another's alerts.
    await page.selectOption('#target-select', 'x3');
    await page.keyboard.press('Escape');
    await settled();
    await agree();
    // And a plain change still works afterwards.
    await page.selectOption('#target-select', 'x1');
    await settled();
    await agree();
    assert.equal(await page.inputValue('#target-select'), 'x1');
  } finally {
    await s.close();
  }
});

test('a dropped column takes no other step in the page recipe', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // `id` is an identifier (drop) and skewed (scale): both fixes offered.
    const rows = ['id,v,y'];
    for (let i = 0; i < 60; i++) rows.push(`${i < 55 ? i : 1000 * i},${(i * 7) % 11},${i % 2 ? 'p' : 'q'}`);
    await chooseFile(page, rows, 'ids.csv');
    const scale = page.locator('#alerts-list li button', { hasText: 'Add step: scale "id"' }).first();
    const drop = page.locator('#alerts-list li button', { hasText: 'Add step: drop column "id"' }).first();
    await scale.click();
    await drop.click();
    assert.deepEqual(await page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim())), ['drop column "id"']);
    assert.match(await page.textContent('#status'), /It replaces 1 step on that column\./);
    await scale.click();
    assert.match(await page.textContent('#status'), /^"id" is dropped by the recipe, so scale "id" \(method robust\) was not added/);
    assert.equal(await page.locator('#recipe-list li').count(), 1);
  } finally {
    await s.close();
  }
});
