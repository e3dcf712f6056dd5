// The page's care for the person using it: the status stays readable on a
// phone, a long read says how far it is at least twice a second and which
// stage it is in, the live region is not flooded, focus never falls to the
// page, settings cannot be changed where the change would be ignored, and
// nothing is lost or repeated without a word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, chooseFile, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** A deterministic CSV of `rows` rows, about 45 bytes each (7 columns). */
function bigCsv(path, rows) {
  const lines = ['id,x,y,group,when,flag,label'];
  let v = 12345;
  for (let i = 0; i < rows; i++) {
    v = (v * 1103515245 + 12345) % 2147483648;
    lines.push(`${i},${(v % 10000) / 100},${(v >> 8) % 997},g${v % 7},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${v % 2 === 0},${v % 3}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** What has focus: its id, tag and data-column, or 'body'. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    return e.id ? `#${e.id}` : `${e.tagName.toLowerCase()}${e.dataset.column !== undefined ? `[data-column="${e.dataset.column}"]` : ''}`;
  });
}

/** Records, from now on, each write of the status and each change of the progress line, with its time. */
function record(page) {
  return page.evaluate(() => {
    const t0 = performance.now();
    window.__status = [];
    window.__progress = [];
    const status = document.getElementById('status');
    new MutationObserver(() => window.__status.push({ t: performance.now() - t0, text: status.textContent, width: status.getBoundingClientRect().width })).observe(status, { childList: true, characterData: true, subtree: true });
    const line = document.getElementById('progress-line');
    if (line) {
      new MutationObserver(() => window.__progress.push({ t: performance.now() - t0, text: document.getElementById('progress-text').textContent, status: status.textContent, statusWidth: status.getBoundingClientRect().width })).observe(line, { childList: true, characterData: true, subtree: true, attributes: true });
    }
  });
}

test('on a phone a large read keeps the status readable, reports at least twice a second, and announces stages only', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await page.setViewportSize({ width: 375, height: 740 });
    await s.open();
    // ~40 MB: read in two parts (README: 8 MB or more with a spare core), one helper whatever the cores.
    const path = join(s.tmp, 'large.csv');
    bigCsv(path, 900_000);
    await page.evaluate(() => {
      window.mlcycleApp.client.helpersPerFile = 1;
    });
    await record(page);
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => /^Loaded large\.csv/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 200_000 });
    const status = await page.evaluate(() => window.__status);
    const prog = await page.evaluate(() => window.__progress);
    assert.match(await page.textContent('#status'), /read by two workers at once/, 'the file was read in parts');

    // 1. The status line is readable beside the progress bar and Cancel.
    const reading = prog.filter((p) => p.text.startsWith('Reading:'));
    assert.ok(reading.length >= 3, `${reading.length} reading updates: ${prog.map((p) => p.text).join(' | ')}`);
    const narrowest = Math.min(...reading.map((p) => p.statusWidth));
    assert.ok(narrowest >= 250, `the status is ${narrowest} px wide while reading at 375 px`);

    // 2. Progress at least twice a second from the first figure until profiling begins.
    const start = prog.findIndex((p) => p.text.startsWith('Reading:'));
    const end = prog.findIndex((p) => /^Profiling/.test(p.status));
    assert.ok(start >= 0 && end > start, `reading then profiling: ${prog.map((p) => `${Math.round(p.t)} ${p.status} / ${p.text}`).join('\n')}`);
    const gaps = [];
    for (let i = start + 1; i <= end; i++) gaps.push({ gap: prog[i].t - prog[i - 1].t, at: prog[i].text, status: prog[i].status });
    const worst = gaps.reduce((a, b) => (b.gap > a.gap ? b : a), { gap: 0 });
    assert.ok(worst.gap <= 500, `${Math.round(worst.gap)} ms without progress, before "${worst.at}" (${worst.status})`);
    // Each stage says which it is; the ones that cannot report say so.
    const stages = [...new Set(status.map((x) => x.text))];
    assert.ok(stages.some((t) => /^Reading large\.csv: waiting for the other reader/.test(t)), stages.join('\n'));
    assert.ok(stages.some((t) => /^Profiling 7 columns of large\.csv \(one step that cannot report its progress\)…$/.test(t)), stages.join('\n'));
    assert.ok(prog.some((p) => /fingerprint [\d.]+ MB of [\d.]+ MB/.test(p.text)), 'the hashing of the parts is reported');

    // 6. The live region is written once per stage, not with every figure.
    assert.ok(status.length <= 8, `the status was written ${status.length} times: ${status.map((x) => x.text).join(' | ')}`);
    const figures = status.filter((x) => /\d%|MB of/.test(x.text));
    assert.deepEqual(figures.map((x) => x.text), [], 'no figure is announced');
    assert.equal(await page.getAttribute('#progress-text', 'aria-live'), null, 'the figures are not announced');
    assert.equal(await page.isVisible('#progress-line'), false, 'the progress line goes once the job ends');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a file dropped while another is read is refused with a reason; Esc writes the status once', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    const path = join(s.tmp, 'big.csv');
    bigCsv(path, 600_000);
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => /^Reading:/.test(document.getElementById('progress-text')?.textContent || ''));

    // 9. The drop zone still takes the drop (it is not see-through while busy) and says why nothing happens.
    const hit = await page.evaluate(() => {
      const zone = document.getElementById('drop-zone');
      const r = zone.getBoundingClientRect();
      return zone.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
    });
    assert.equal(hit, true, 'a drop on the busy zone reaches it');
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['a,b\n1,2\n'], 'other.csv', { type: 'text/csv' }));
      document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.textContent('#status'), 'Still reading big.csv: press Esc to stop it first, then drop other.csv again.');

    // 6. Esc: each outcome is written once, not three times: the data
    // loaded before is being restored, then it is loaded.
    await record(page);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /as you asked/.test(document.getElementById('status').textContent));
    await page.waitForTimeout(1000);
    // From the stop message on (the read may have entered a new stage, and
    // said so, between the drop and Esc).
    const all = await page.evaluate(() => window.__status.map((x) => x.text));
    const writes = all.slice(all.findIndex((t) => /as you asked/.test(t)));
    assert.deepEqual(writes, [
      'Stopped loading the data, as you asked. Restoring your data (iris.csv) in the restarted engine; what needs it waits…',
      'Stopped loading the data, as you asked. Your data is still loaded.',
    ], `every write: ${JSON.stringify(all)}`);
    assert.equal(await page.textContent('#ov-file'), 'iris.csv');
  } finally {
    await s.close();
  }
});

test('focus never falls to the page: Cancel during a job, the banner\'s Dismiss, the last "Show more"', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // Load by the keyboard: focus comes back to Load, not the page (Cancel
    // held it during the read, and was hidden after the check).
    await page.selectOption('#sample-select', 'breast_cancer.csv');
    await page.focus('#load-sample');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('ov-file')?.textContent === 'breast_cancer.csv' && !document.body.classList.contains('busy'));
    await page.waitForTimeout(300);
    assert.equal(await focused(page), '#load-sample');
    await page.click('#spaces-details summary');
    await page.fill('#workers-input', '1');
    // Stopped before its first candidate ends: said as a stop, not an error.
    await page.fill('#spaces-text', JSON.stringify([{ model: 'random_forest', n_trees: [1000, 999] }]));
    await page.focus('#train-button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^Searching( on \d+ workers?)?: 0 of 2/.test(document.getElementById('progress-text').textContent));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 120_000 });
    assert.equal(await page.textContent('#status'), 'Stopped: the search was stopped before any candidate finished, so nothing was trained. Your data is still loaded.');
    assert.equal(await page.textContent('#error'), '');
    // A long search, started from the keyboard.
    const trees = Array.from({ length: 30 }, (_, i) => 100 + 10 * i);
    await page.fill('#spaces-text', JSON.stringify([{ model: 'random_forest', n_trees: trees }]));
    await page.fill('#workers-input', '1');
    await page.focus('#train-button');
    await page.keyboard.press('Enter');
    // A candidate done (the line shows "0 of 30" from the start): the cancel keeps it and trains.
    await page.waitForFunction(() => /^Searching( on \d+ workers?)?: [1-9]\d* of 30/.test(document.getElementById('progress-text').textContent));
    // 4c. Focus is on Cancel, not the page.
    assert.equal(await focused(page), '#cancel-button');
    // 5. The search settings cannot be changed while they would be ignored.
    const editable = await page.evaluate(() => ['search-select', 'metric-select', 'trials-input', 'time-input', 'models-fieldset', 'spaces-text', 'target-select', 'task-select', 'seed-input']
      .filter((id) => !document.getElementById(id).disabled));
    assert.deepEqual(editable, [], 'controls still enabled during training');
    // Enter on Cancel stops; focus goes back to Train.
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^Trained in/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'), null, { timeout: 120_000 });
    assert.equal(await focused(page), '#train-button');
    assert.equal(await page.isDisabled('#search-select'), false, 'enabled again after');

    // 4a. Dismissing the engine banner puts focus back where the person was.
    await page.evaluate(() => {
      window.mlcycleApp.client.timeouts.cluster = 1;
    });
    await page.focus('#cluster-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#engine-banner:not([hidden])');
    await page.waitForFunction(() => !document.body.classList.contains('busy') && document.getElementById('engine-banner').dataset.reloaded === 'true');
    await page.focus('#engine-banner-dismiss');
    await page.keyboard.press('Enter');
    assert.equal(await page.isVisible('#engine-banner'), false);
    assert.equal(await focused(page), '#cluster-button');

    // 4b. The last "Show more" goes: focus moves to the first row it showed.
    const header = Array.from({ length: 230 }, (_, i) => `c${i}`);
    const rows = [header.join(',')];
    for (let r = 0; r < 5; r++) rows.push(header.map((_, i) => (r * 31 + i) % 17).join(','));
    await chooseFile(page, rows, 'wide.csv');
    await page.focus('#profile-more');
    await page.keyboard.press('Enter');
    assert.equal(await page.isVisible('#profile-more'), false);
    assert.equal(await focused(page), 'tr[data-column="c200"]');
    // Tab goes on from there, not from the top of the page.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement !== document.body && !document.activeElement.closest('header')), true);
  } finally {
    await s.close();
  }
});

test('leaving warns while a job runs or a run is unsaved; one manifest per double click; the sample note; the no_models advice', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const leaving = () => page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    });
    assert.equal(await leaving(), false, 'nothing to lose on a fresh page');
    await loadSample(page, 'iris.csv');
    assert.equal(await leaving(), false, 'loaded data can be loaded again');
    assert.match(await page.textContent('#sample-origin'), /^Target: species/);

    // 7. A trained run whose manifest was not downloaded.
    await page.selectOption('#search-select', 'none');
    const { error } = await train(page);
    assert.equal(error, '');
    assert.equal(await leaving(), true, 'the run would be lost');

    // 10. A double click downloads one manifest.
    const downloads = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.dblclick('#download-manifest');
    await page.waitForTimeout(1500);
    assert.deepEqual(downloads, ['iris.mlcycle-run.json']);
    assert.equal(await leaving(), false, 'the run is saved');
    // A job running.
    await page.evaluate(() => {
      window.mlcycleApp.state.busy = true;
    });
    assert.equal(await leaving(), true, 'a job would be stopped');
    await page.evaluate(() => {
      window.mlcycleApp.state.busy = false;
    });

    // 10. The note under the samples is not about the data loaded from a file.
    await chooseFile(page, ['a,b', '1,2', '3,4'], 'mine.csv');
    const origin = await page.textContent('#sample-origin');
    assert.match(origin, /^Not the loaded data \(that is mine\.csv\); Load reads this sample\. Target: species/, origin);

    // 3. The engine's no_models error: its whole message and what to do.
    await loadSample(page, 'iris.csv');
    const message = 'no models to search: every model was left out as too slow for 5000000 rows: random_forest (about 900 s per fit by a rough estimate), decision_tree (about 40 s per fit), knn (about 9e9 s per fit), gaussian_nb (about 12 s per fit), logistic (about 30 s per fit), svc (about 1e6 s per fit)';
    await page.evaluate((m) => {
      const { client, pool } = window.mlcycleApp;
      const fail = () => Promise.reject(Object.assign(new Error(m), { name: 'SearchError', code: 'no_models' }));
      client.train = fail;
      pool.search = fail;
    }, message);
    await page.selectOption('#search-select', 'grid');
    await train(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'no_models');
    // (Ended as a sentence, so the advice after it reads apart.)
    assert.equal(await page.textContent('[data-testid="error-message"]'), `${message}.`);
    const advice = await page.textContent('[data-testid="error-advice"]');
    assert.match(advice, /Tick a model that fits/);
    assert.match(advice, /"None \(one random forest\)"/);
    assert.match(advice, /sample/);
  } finally {
    await s.close();
  }
});

test('no "Read again" for a file no option can help; reading options set for one file do not carry over to the next', { skip, timeout: 180_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const settle = () => page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed|Reading .* again failed)/.test(document.getElementById('status').textContent));

    // 8. An empty file on a fresh page: nothing to read again.
    await page.setInputFiles('#file-input', { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await settle();
    assert.equal(await page.getAttribute('#error', 'data-code'), 'empty_file');
    assert.equal(await page.isDisabled('#reread'), true, 'Read again is not offered for an empty file');
    // A PNG named .csv while iris is loaded: Read again is for iris, not for the picture.
    await loadSample(page, 'iris.csv');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), Buffer.alloc(64, 7)]);
    await page.setInputFiles('#file-input', { name: 'fake.csv', mimeType: 'text/csv', buffer: png });
    await settle();
    assert.equal(await page.getAttribute('#error', 'data-code'), 'binary_file');
    assert.equal(await page.textContent('#reread'), 'Read iris.csv again with these options');

    // 11. Windows-1252 set for one file, then a UTF-8 file: read as UTF-8, and the page says the option was put back.
    await page.setInputFiles('#file-input', { name: 'excel.csv', mimeType: 'text/csv', buffer: Buffer.from('name,city\nJos\xe9,Z\xfcrich\nAnn,Oslo\n', 'latin1') });
    await settle();
    assert.equal(await page.getAttribute('#error', 'data-code'), 'invalid_utf8');
    await page.click('#read-options summary');
    await page.selectOption('#opt-encoding', 'windows-1252');
    await page.click('#reread');
    await settle();
    assert.equal(await page.textContent('#ov-file'), 'excel.csv');
    assert.match(await page.textContent('#ingest-summary'), /^Encoding windows-1252 \(as set\)/);
    await page.setInputFiles('#file-input', { name: 'utf8.csv', mimeType: 'text/csv', buffer: Buffer.from('name,city\nJosé,Zürich\nAnn,Oslo\n', 'utf8') });
    await settle();
    assert.equal(await page.textContent('#ov-file'), 'utf8.csv');
    const names = await page.$$eval('#profile-body tr[data-column="name"] .top-value', (t) => t.map((x) => x.textContent));
    assert.ok(names.includes('José'), `read as UTF-8: ${names}`);
    assert.equal(await page.inputValue('#opt-encoding'), 'utf-8');
    assert.match(await page.textContent('#status'), /The reading options set for excel\.csv were put back to automatic for utf8\.csv/);
    assert.doesNotMatch(await page.textContent('#ingest-summary'), /windows-1252|as set/);

    // An option set before choosing the file is for that file: it stays, and says so.
    await page.selectOption('#opt-decimal', 'comma');
    await page.setInputFiles('#file-input', { name: 'eu.csv', mimeType: 'text/csv', buffer: Buffer.from('x;y\n1,5;a\n2,5;b\n') });
    await settle();
    assert.match(await page.textContent('#ingest-summary'), /decimal comma \(as set\)/);

    // A file that fails after the options were put back says so too.
    await page.setInputFiles('#file-input', { name: 'pic.csv', mimeType: 'text/csv', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
    await settle();
    assert.equal(await page.textContent('#ov-file'), 'eu.csv');
    assert.equal(await page.textContent('#status'), 'Loading pic.csv failed; eu.csv is still loaded. The reading options set for eu.csv were put back to automatic for pic.csv; set them again under Reading options if it needs them.');
  } finally {
    await s.close();
  }
});
