// Journey: files that are not comma-separated tables. A UCI .data file
// (columns aligned with runs of spaces, a tab before a quoted name, `?` for
// missing, no header) loads as columns with a note; a file with rows that
// end early stops with advice, and "Short rows" fills them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, profileRow } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

async function settle(page) {
  await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed|Reading .* again failed)/.test(document.getElementById('status').textContent));
}

async function pick(page, name, text) {
  await page.setInputFiles('#file-input', { name, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
  await settle(page);
}

async function reread(page) {
  await page.click('#reread');
  await settle(page);
}

const columns = (page) => page.$$eval('#profile-body tr[data-column]', (rows) => rows.map((r) => r.dataset.column));

test('runs of spaces are read as columns, and short rows can be filled', { skip, timeout: 180_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();

    // auto-mpg, as UCI ships it; one name is markup, shown as text.
    const names = ['chevrolet chevelle malibu', 'buick skylark 320', '<b>ford</b> pinto'];
    let mpg = '';
    for (let i = 0; i < 12; i++) {
      const hp = i % 5 === 2 ? '?' : `${100 + i}.0`;
      mpg += `${(15 + i / 2).toFixed(1)}   ${[4, 6, 8][i % 3]}   ${300 + i}.0      ${hp.padEnd(6)}     ${3000 + i * 17}.      ${(11 + i / 10).toFixed(1)}   70  1\t"${names[i % 3]}"\n`;
    }
    await pick(page, 'auto-mpg.data', mpg);
    assert.equal(await page.textContent('#error'), '');
    assert.deepEqual(await columns(page), Array.from({ length: 9 }, (_, i) => `column_${i + 1}`));
    assert.equal(await page.textContent('#ov-rows'), '12');
    assert.match(await page.textContent('#ingest-summary'), /delimiter runs of spaces \(detected\), no header row \(detected\)/);
    assert.match(await page.textContent('#ingest-warnings li[data-code="whitespace_delimiter"]'), /runs of spaces/);
    const hp = await profileRow(page, 'column_4');
    assert.equal(hp.Kind, 'float');
    assert.equal(hp.Missing.split(/\s/)[0], '2', `"?" read as missing: ${hp.Missing}`);
    const tops = await page.$$eval('#profile-body tr[data-column="column_9"] .top-value', (t) => t.map((x) => x.textContent));
    assert.ok(tops.includes('<b>ford</b> pinto') && tops.includes('chevrolet chevelle malibu'), `top values: ${tops}`);
    assert.equal(await page.$('#profile-body b'), null, 'a value is text, not HTML');

    // Two-word texts are not taken for a table; asked for, they are.
    await pick(page, 'pairs.txt', 'first  last\nAnn  Lee\nBob  Ray\n');
    assert.deepEqual(await columns(page), ['first  last']);
    await page.click('#read-options summary');
    await page.selectOption('#opt-delimiter', 'whitespace');
    await reread(page);
    assert.deepEqual(await columns(page), ['first', 'last']);
    assert.match(await page.textContent('#ingest-summary'), /delimiter runs of spaces \(as set\)/);
    assert.equal(await page.$('#ingest-warnings li[data-code="whitespace_delimiter"]'), null);
    await page.selectOption('#opt-delimiter', '');

    // Rows that end early: an error naming the row and line, with advice;
    // "Short rows" fills them with missing values and says so.
    await pick(page, 'short.csv', 'a,b,c\n1,x,2\n3\n4,y\n5,z,6\n');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    assert.match(await page.textContent('[data-testid="error-message"]'), /short\.csv: row 2 \(line 3\) has 1 field but the header has 3/);
    // The message names "Short rows"; the page's advice does not repeat it.
    assert.match(await page.textContent('[data-testid="error-message"]'), /set "Short rows" to "Fill with missing values and warn" under Reading options/);
    assert.doesNotMatch(await page.textContent('[data-testid="error-advice"]'), /Short rows/);
    await page.selectOption('#opt-short-rows', 'missing');
    await reread(page);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-rows'), '4');
    assert.equal((await profileRow(page, 'c')).Missing.split(/\s/)[0], '2');
    assert.match(await page.textContent('#ingest-warnings li[data-code="short_rows_filled"]'), /2 rows had fewer fields than the header's 3 .* row 2 \(line 3, 1 field\)/);
    // A longer row is still an error. (Options set for short.csv are put
    // back to automatic for a new file: "Short rows" is set again for it.)
    await pick(page, 'long.csv', 'a,b\n1\n2,3,4\n');
    assert.equal(await page.inputValue('#opt-short-rows'), 'error', 'the option set for short.csv is not carried over');
    assert.match(await page.textContent('[data-testid="error-message"]'), /row 1 \(line 2\) has 1 field but the header has 2/);
    await page.selectOption('#opt-short-rows', 'missing');
    await reread(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    assert.match(await page.textContent('[data-testid="error-message"]'), /row 2 \(line 3\) has 3 fields but the header has 2/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
