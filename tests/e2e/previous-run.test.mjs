// After a training that ends with no result, the results on screen are said
// to be the previous run's (with its target), not left to be read as the
// new run's; the page's errors read as sentences, the engine's message
// apart from the page's advice; the over-budget advice points at the
// controls that help (the time limit counts), naming Search only when it is
// not already a grid; a model the default search left out as slow can be
// searched from the page, and the page says how in its own terms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, chooseFile, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** x, y, a balanced label, and a label with one rare class (2 of 22 rows). */
function twoTargets() {
  const lines = ['x,y,label,rare'];
  for (let i = 0; i < 22; i++) lines.push(`${i},${(i * 7) % 5},${i % 2 ? 'yes' : 'no'},${i < 20 ? 'a' : 'b'}`);
  return lines;
}

/** The error region as shown: title, message and advice. */
function errorParts(page) {
  return page.evaluate(() => ({
    code: document.getElementById('error').dataset.code || '',
    text: document.getElementById('error').textContent,
    message: document.querySelector('[data-testid="error-message"]')?.textContent ?? null,
    advice: document.querySelector('[data-testid="error-advice"]')?.textContent ?? null,
  }));
}

/** No sentence of the region runs into the next: a letter, digit or ")" right before a capital that starts the next part. */
function assertReadable({ text, message }) {
  assert.ok(message === null || /[.!?…]$/.test(message), `the message ends a sentence: ${message}`);
  assert.doesNotMatch(text, /[a-z0-9)"]\)?(If|To|Tick|In the page|The )/, `parts run together: ${text}`);
  assert.doesNotMatch(text, /Error \([a-z_]+\)[a-z0-9]/, `title and message run together: ${text}`);
}

test('a failed training leaves the previous results marked as the previous run\'s', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, twoTargets(), 'two.csv');
    await page.selectOption('#target-select', 'label');
    await page.selectOption('#search-select', 'random');
    await page.fill('#trials-input', '2');
    const first = await train(page);
    assert.equal(first.error, '');
    assert.equal(await page.textContent('[data-testid="fact-target"]'), 'label');
    assert.equal(await page.isVisible('[data-testid="results-previous"]'), false);

    // Another target, too rare a class to cross-validate: the training fails.
    await page.selectOption('#target-select', 'rare');
    await page.selectOption('#search-select', 'grid');
    await page.fill('#trials-input', '');
    await train(page);
    const failed = await errorParts(page);
    assert.equal(failed.code, 'too_few_for_folds');
    assert.equal(await page.textContent('#status'), 'Training failed.');
    // The old figures are still there, and said to be the previous run's, of its target.
    assert.equal(await page.isVisible('[data-testid="results-previous"]'), true);
    const note = await page.textContent('[data-testid="results-previous"]');
    assert.match(note, /^Previous run's results \(file "two\.csv", target "label"\): the training just tried ended with no results/);
    assert.equal(await page.evaluate(() => document.getElementById('results-section').classList.contains('previous')), true);
    // The engine's message (its flag in the page's words) and the page's advice read apart.
    assert.match(failed.message, /set "Search" to "None \(one random forest\)" under Train/);
    assertReadable(failed);
    assert.ok(failed.text.includes(`${failed.message} ${failed.advice}`), failed.text);

    // A setting refused before any training: the same.
    await page.fill('#seed-input', '-1');
    await train(page);
    assert.equal(await page.textContent('#status'), 'Nothing was trained.');
    assert.match(await page.textContent('[data-testid="results-previous"]'), /^Previous run's results \(file "two\.csv", target "label"\)/);
    assertReadable(await errorParts(page));

    // A new run's results take the mark away.
    await page.fill('#seed-input', '42');
    await page.selectOption('#target-select', 'label');
    await page.selectOption('#search-select', 'random');
    await page.fill('#trials-input', '2');
    const again = await train(page);
    assert.equal(again.error, '');
    assert.equal(await page.isVisible('[data-testid="results-previous"]'), false);
    assert.equal(await page.evaluate(() => document.getElementById('results-section').classList.contains('previous')), false);
  } finally {
    await s.close();
  }
});

test('errors read as sentences; the over-budget advice names the time limit, and Search only when it is not a grid', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();

    // A short row: the engine's message names "Short rows" (for its
    // --short-rows); the page's advice follows as a sentence of its own.
    await page.setInputFiles('#file-input', { name: 'short.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8\n') });
    await page.waitForFunction(() => !document.body.classList.contains('busy') && document.getElementById('error').dataset.code);
    const ragged = await errorParts(page);
    assert.equal(ragged.code, 'ragged_row');
    assert.match(ragged.message, /set "Short rows" to "Fill with missing values and warn" under Reading options\.$/);
    assertReadable(ragged);
    assert.ok(ragged.text.includes('under Reading options. If the delimiter'), ragged.text);

    await chooseFile(page, twoTargets(), 'two.csv');
    await page.selectOption('#target-select', 'label');
    // A task the target cannot have ("… choose classification"): the engine's own error, as a sentence.
    await page.selectOption('#task-select', 'regression');
    await train(page);
    const task = await errorParts(page);
    assert.notEqual(task.code, '');
    assertReadable(task);
    await page.selectOption('#task-select', 'auto');
    // The engine's refusals, as it words them, in place of a training.
    const refuse = (code, message) =>
      page.evaluate(([c, m]) => {
        const { client, pool } = window.mlcycleApp;
        const fail = () => Promise.reject(Object.assign(new Error(m), { name: c === 'over_budget' ? 'TrainError' : 'SearchError', code: c }));
        client.train = fail;
        pool.search = fail;
      }, [code, message]);

    await refuse('no_models', 'no models to search: every model was left out as too slow for 5000000 rows: random_forest (about 900 s per fit by a rough estimate)');
    await page.selectOption('#search-select', 'grid');
    await train(page);
    const none = await errorParts(page);
    assert.equal(none.code, 'no_models');
    assertReadable(none);
    assert.ok(none.text.includes('rough estimate). Tick a model'), none.text);

    await refuse('over_budget', 'training would take about 900.0 s by a rough estimate (24 candidates × 3 folds), over the limit of 600 s; search fewer candidates or folds, set a time budget, or sample the rows');
    await train(page);
    let over = await errorParts(page);
    assert.equal(over.code, 'over_budget');
    assertReadable(over);
    // Search is already Grid: the advice does not ask for it, and names the time limit as the page labels it.
    const timeLabel = (await page.textContent('label[for="time-input"]')).trim();
    assert.equal(timeLabel, 'Time limit (s)');
    assert.ok(over.advice.includes(`set a ${timeLabel}`), over.advice);
    assert.match(over.advice, /"Search spaces \(JSON\)"/);
    assert.match(over.advice, /sample of the rows/);
    assert.doesNotMatch(over.advice, /Search to|set Search/);
    // A time limit already set was counted: a smaller one is what helps.
    await page.fill('#time-input', '300');
    await train(page);
    over = await errorParts(page);
    assert.ok(over.advice.includes(`set a smaller ${timeLabel}`), over.advice);
    await page.fill('#time-input', '');

    // With no search, the advice starts there.
    await page.selectOption('#search-select', 'none');
    await train(page);
    over = await errorParts(page);
    assert.equal(over.code, 'over_budget');
    assert.match(over.advice, /^In the page: set Search to Grid, then set a Time limit \(s\)/);
  } finally {
    await s.close();
  }
});

/** 5,000 rows of 10 numbers and a two-class label: support-vector fits too slow for the default search. */
function manyRows() {
  const lines = [`${Array.from({ length: 10 }, (_, j) => `f${j}`).join(',')},label`];
  let v = 987654;
  for (let i = 0; i < 5000; i++) {
    const row = [];
    for (let j = 0; j < 10; j++) {
      v = (v * 1103515245 + 12345) % 2147483648;
      row.push(((v >> 8) % 1000) / 10);
    }
    lines.push(`${row.join(',')},${row[0] + row[1] > 100 ? 'hi' : 'lo'}`);
  }
  return lines;
}

test('a model the default search leaves out is searched once the ticks are changed, as the note says', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, manyRows(), 'many.csv');
    await page.selectOption('#target-select', 'label');
    await page.selectOption('#search-select', 'random');
    await page.fill('#trials-input', '2');
    const { error } = await train(page);
    assert.equal(error, '');
    const left = await page.textContent('[data-testid="fact-left-out"]');
    assert.match(left, /Support-vector classifier \(linear, RBF\): about \d+ s per fit/);
    // In the page's terms, not the command line's.
    assert.doesNotMatch(left, /name it/);
    const legend = (await page.textContent('#models-fieldset legend')).trim();
    assert.ok(left.includes(`change the ticks under "${legend}" (untick it and tick it again will do)`), left);

    // Untick and tick it again: the page names the ticked models, so the engine searches them whole.
    const sent = () =>
      page.evaluate(() => {
        const { client, pool } = window.mlcycleApp;
        window.sentOptions = null;
        const capture = (...args) => {
          window.sentOptions = args.find((a) => a && typeof a === 'object' && 'target' in a) || null;
          return Promise.reject(Object.assign(new Error('stopped by the test'), { name: 'TestError', code: 'test' }));
        };
        client.train = capture;
        pool.search = capture;
      });
    await sent();
    await page.uncheck('#model-svc');
    await page.check('#model-svc');
    await train(page);
    const options = await page.evaluate(() => window.sentOptions);
    assert.ok(options, 'the training was started');
    const ticked = await page.$$eval('#models-list input:checked', (is) => is.map((i) => i.value));
    assert.ok(ticked.includes('svc'));
    assert.deepEqual(options.models, ticked);
  } finally {
    await s.close();
  }
});

test('another file loaded: the previous file\'s results and manifest go; the previous-run note names the file', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, twoTargets(), 'a.csv');
    await page.selectOption('#target-select', 'label');
    await page.selectOption('#search-select', 'random');
    await page.fill('#trials-input', '2');
    assert.equal((await train(page)).error, '');
    // A failed training on the same file: the note names the file of the results.
    await page.selectOption('#target-select', 'rare');
    await page.selectOption('#search-select', 'grid');
    await page.fill('#trials-input', '');
    await train(page);
    assert.match(await page.textContent('[data-testid="results-previous"]'), /^Previous run's results \(file "a\.csv", target "label"\)/);

    // Another file: a.csv's results and its manifest are not offered for it.
    await chooseFile(page, twoTargets().map((l, i) => (i ? `${l},${i}` : `${l},extra`)), 'b.csv');
    // Cleared, not only hidden with the section: no note or dimming left to come back.
    assert.deepEqual(await page.evaluate(() => ({
      note: document.getElementById('results-previous').hidden,
      text: document.getElementById('results-previous').textContent,
      dimmed: document.getElementById('results-section').classList.contains('previous'),
    })), { note: true, text: '', dimmed: false });
    await page.selectOption('#target-select', 'rare');
    await train(page);
    assert.equal(await page.textContent('#status'), 'Training failed.');
    assert.equal(await page.isVisible('#results-section'), false);
    assert.equal(await page.isVisible('[data-testid="results-previous"]'), false);
    assert.equal(await page.isDisabled('#download-manifest'), true);
  } finally {
    await s.close();
  }
});
