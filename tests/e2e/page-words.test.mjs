// What the page says must be true and in its own words: a sampled column's
// top values are not claimed to be unique; an engine crash says what it
// stopped (nothing, when idle; the search, during a pooled search) and the
// banner follows what happens to the data being restored; two files
// dropped at once say which one was read; the engine's messages name the
// page's controls, not the command line's flags, under a title in plain
// words (the error class and code kept on the region; a bug-report section
// only for mlcycle's own faults, not the person's wrong input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, chooseFile, profileRow, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

const FLAG = /(^|[\s(])--[a-z]/;

/** A deterministic CSV of `rows` rows: a unique id, a whole number 0–9999 that repeats, a float and a two-class label. */
function csv(path, rows) {
  const lines = ['id,c,x,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 7919) % 10000},${((i * 104729) % 100003) / 1000},${(i * 31) % 7 < 4 ? 'yes' : 'no'}`);
  writeFileSync(path, lines.join('\n') + '\n');
}

/** The error region: title, message, the bug-report details and the whole text. */
function errorParts(page) {
  return page.evaluate(() => ({
    title: document.querySelector('[data-testid="error-title"]')?.textContent ?? null,
    message: document.querySelector('[data-testid="error-message"]')?.textContent ?? null,
    details: document.querySelector('#error details')?.textContent ?? null,
    detailsOpen: document.querySelector('#error details')?.open ?? null,
    text: document.getElementById('error').textContent,
  }));
}

/** Makes the engine's worker (the page's own client, not a pool worker) throw an uncaught error. */
async function crashEngine(worker) {
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('test crash');
    }, 10);
  });
}

const banner = (page) => page.evaluate(() => (document.getElementById('engine-banner').hidden ? '' : document.getElementById('engine-banner-text').textContent));

test('a sampled file: numbers whose values repeat say their top values are not available, never "each value once"', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // Not sampled: a column of unique numbers is each value once.
    await chooseFile(page, ['id,c', '1,5', '2,5', '3,7', '4,5'], 'small.csv');
    assert.equal((await profileRow(page, 'id'))['Top values'], 'each value once');
    assert.match((await profileRow(page, 'c'))['Top values'], /5 ×3/);

    const path = join(s.tmp, 'sampled.csv');
    csv(path, 300_000);
    await page.click('#read-options summary');
    await page.fill('#opt-memory', '1');
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^Loaded sampled\.csv/.test(document.getElementById('status').textContent), null, { timeout: 200_000 });
    assert.ok(await page.isVisible('#sample-note'), 'the file is sampled');
    // c holds 10,000 values over 300,000 rows: each repeats about 30 times.
    for (const column of ['c', 'x', 'id']) {
      const top = (await profileRow(page, column))['Top values'];
      assert.doesNotMatch(top, /each value once/, `${column}: ${top}`);
      assert.equal(top, 'not available: the file was sampled, and no value was seen often enough in the kept rows to estimate how often it occurs', column);
    }
    // A label's top values are still listed.
    assert.match((await profileRow(page, 'label'))['Top values'], /yes ×≈?\d+/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a crash while idle says nothing was running; Esc during the restore updates the banner', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, ['a,b,label', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 7},${i % 2 ? 'x' : 'y'}`)], 'idle.csv');
    await crashEngine(page.workers()[0]);
    await page.waitForSelector('#engine-banner[data-reloaded="true"]');
    const idle = await banner(page);
    assert.equal(idle, 'The engine stopped unexpectedly while it was idle (a bug in mlcycle, not your data). It has been restarted and your data is loaded again. Nothing was running, so nothing needs to be done again.');
    assert.doesNotMatch(idle, /while working|not retried/);

    // A large file, so the restore after the next crash lasts long enough to stop.
    const path = join(s.tmp, 'restore.csv');
    csv(path, 900_000);
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^Loaded restore\.csv/.test(document.getElementById('status').textContent), null, { timeout: 200_000 });
    await page.click('#engine-banner-dismiss');
    const engine = page.workers().find((w) => /\/worker\.js/.test(w.url()));
    await crashEngine(engine);
    await page.waitForFunction(() => /restoring your data/.test(document.getElementById('status').textContent));
    assert.match(await banner(page), /your data is being loaded into it again/);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => /no data is loaded now/.test(document.getElementById('status').textContent), null, { timeout: 60_000 });
    const stopped = await banner(page);
    assert.doesNotMatch(stopped, /being loaded into it again|is loaded again/, stopped);
    assert.match(stopped, /loading your data into it again was stopped, as you asked: no data is loaded now\./, stopped);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('the engine stopping during a pooled search says so in plain words: the search must be run again', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    if (!(await page.evaluate(() => window.mlcycleApp.client.capabilities.pooledSearch))) return;
    const path = join(s.tmp, 'search.csv');
    csv(path, 20_000);
    await chooseFile(page, path, 'search.csv');
    // The page's own engine: the only worker before the search starts the pool.
    const engine = page.workers()[0];
    await engine.evaluate(() => {
      self.__pageEngine = true;
    });
    await page.selectOption('#target-select', 'label');
    await page.fill('#workers-input', '2');
    await page.click('#train-button');
    await page.waitForFunction(() => /^Searching on 2 workers/.test(document.getElementById('progress-text').textContent), null, { timeout: 120_000 });
    assert.equal(await engine.evaluate(() => self.__pageEngine), true);
    await crashEngine(engine);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && !document.getElementById('engine-banner').hidden && document.getElementById('engine-banner').dataset.reloaded === 'true', null, { timeout: 200_000 });
    const status = await page.textContent('#status');
    assert.match(status, /search/i, status);
    assert.match(status, /run (it|the search) again/, status);
    const said = await banner(page);
    assert.match(said, /^The engine stopped unexpectedly during the search \(a bug in mlcycle, not your data\)\./, said);
    assert.match(said, /The search stopped with it and must be run again\./, said);
    const error = await page.textContent('#error');
    assert.doesNotMatch(`${status} ${said} ${error}`, /not_started|TrainError|no search has been started/);
    // Train runs the search again.
    const again = await train(page);
    assert.equal(again.error, '', again.error);
    assert.match(await page.textContent('#status'), /^Trained in/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('two files dropped at once: the status says only the first was read', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['a,b\n1,2\n3,4\n'], 'one.csv', { type: 'text/csv' }));
      dt.items.add(new File(['c,d\n1,2\n'], 'two.csv', { type: 'text/csv' }));
      const zone = document.getElementById('drop-zone');
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => /Only one file/.test(document.getElementById('status').textContent));
    const status = await page.textContent('#status');
    assert.match(status, /^Loaded one\.csv: 2 rows, 2 columns .*\. Only one file is read at a time: of the 2 files you dropped, only one\.csv was read; drop or choose another on its own to read it\.$/, status);
    assert.equal(await page.textContent('#ov-file'), 'one.csv');
  } finally {
    await s.close();
  }
});

test('errors name the page\'s controls, not flags, under a title in plain words; a user\'s mistake asks for no bug report', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const fail = async (lines, name) => {
      await page.setInputFiles('#file-input', { name, mimeType: 'text/csv', buffer: Buffer.from(lines) });
      await page.waitForFunction(() => !document.body.classList.contains('busy') && document.getElementById('error').dataset.code);
      return errorParts(page);
    };

    // A short row.
    let e = await fail('a,b,c\n1,2,3\n4,5\n6,7,8\n', 'ragged.csv');
    assert.equal(e.title, 'A row has a different number of fields');
    assert.match(e.message, /set "Short rows" to "Fill with missing values and warn" under Reading options\.$/, e.message);
    // The person's file, not a bug: no bug-report section (the class and code stay on the region).
    assert.equal(e.details, null);
    assert.equal(await page.$eval('#error', (b) => `${b.dataset.name} (${b.dataset.code})`), 'DataError (ragged_row)');
    assert.doesNotMatch(`${e.title} ${e.message}`, FLAG);
    assert.doesNotMatch(e.title, /Error|ragged_row/);
    // "Short rows" for a row that ends early, said once: the engine's
    // message names it, so the page's advice does not again…
    assert.equal(e.text.match(/"Short rows"/g).length, 1, e.text);
    assert.doesNotMatch(e.text, /If some rows simply end early/);
    assert.match(e.text, /If the delimiter was guessed wrong/);
    // …but not for one with too many fields, which it would not fix.
    e = await fail('a,b,c\n1,2,3\n4,5,6,7\n6,7,8\n', 'long.csv');
    assert.equal(e.title, 'A row has a different number of fields');
    assert.match(e.message, /has 4 fields but the header has 3/, e.message);
    assert.doesNotMatch(e.text, /Short rows/, e.text);
    assert.match(e.text, /If the delimiter was guessed wrong/);

    // Not UTF-8.
    e = await fail(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a]), 'latin.csv');
    assert.equal(e.title, 'The file is not in the expected text encoding');
    assert.match(e.message, /\(set "Encoding" to "Windows-1252" under Reading options\)/);
    assert.match(e.message, /\(tick "Replace invalid UTF-8 bytes" under Reading options\)/);
    assert.doesNotMatch(e.message, FLAG);

    // Too few rows of a class to cross-validate.
    await chooseFile(page, ['x,y,label', '1,2,a', '2,3,b', '3,4,a', '4,5,b', '5,6,a'], 'tiny5.csv');
    await page.selectOption('#target-select', 'label');
    await train(page);
    e = await errorParts(page);
    assert.equal(e.title, 'Too few rows to cross-validate');
    assert.match(e.message, /turn the search off \(set "Search" to "None \(one random forest\)" under Train\)/, e.message);
    assert.doesNotMatch(e.text, FLAG);
    assert.doesNotMatch(`${e.title} ${e.message}`, /SearchError|too_few_for_folds/);
    assert.equal(e.details, null);

    // A value from the data stays text, never markup.
    e = await fail('a,b\n<img src=x onerror=alert(1)>\n', '<b>evil.csv');
    assert.equal(await page.$$eval('#error b, #error img', (n) => n.length), 0);
    assert.match(e.message, /^<b>evil\.csv: /, e.message);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
