// Journey: files that need reading options. The error says what to change,
// the person changes it under "Reading options", reads the file again, and
// the page says what it detected and assumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, profileRow } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

async function settle(page) {
  await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed|Reading .* again failed)/.test(document.getElementById('status').textContent));
}

async function pick(page, name, text) {
  await page.setInputFiles('#file-input', { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'latin1') });
  await settle(page);
}

async function reread(page) {
  await page.click('#reread');
  await settle(page);
}

const cells = (page, column) => profileRow(page, column);

test('reading options fix what detection cannot, and the page says what it read', { skip, timeout: 180_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();

    // Latin-1 text: an error naming the line and byte, with advice; lossy reading then works and says so.
    await pick(page, 'latin1.csv', 'name,n\ncaf\xe9,1\ntea,2\n');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'invalid_utf8');
    assert.match(await page.textContent('#error-message, [data-testid="error-message"]'), /latin1\.csv.*line 2/);
    assert.match(await page.textContent('[data-testid="error-advice"]'), /Windows-1252.*Replace invalid UTF-8 bytes/);
    // UTF-8 with one stray Latin-1 byte: replacing the bad bytes is the
    // advice, as Windows-1252 would garble the valid "ü".
    await pick(page, 'mostly-utf8.csv', 'name,n\nZ\xc3\xbcrich,1\ncaf\xe9,2\n');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'invalid_utf8');
    assert.match(await page.textContent('[data-testid="error-advice"]'), /^Open Reading options, tick "Replace invalid UTF-8 bytes"/);
    await pick(page, 'latin1.csv', 'name,n\ncaf\xe9,1\ntea,2\n');
    await page.click('#read-options summary');
    // Read as Windows-1252 (what Excel on Windows writes): the accent is kept.
    await page.selectOption('#opt-encoding', 'windows-1252');
    await reread(page);
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#ingest-summary'), /^Encoding windows-1252/);
    const names = await page.$$eval('#profile-body tr[data-column="name"] .top-value', (spans) => spans.map((t) => t.textContent));
    assert.ok(names.includes('caf\u00e9'), `top values: ${names}`);
    await page.selectOption('#opt-encoding', 'utf-8');
    // Or replace the invalid bytes and say so.
    await page.check('#opt-lossy');
    await reread(page);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-rows'), '2');
    assert.equal(await page.getAttribute('#ingest-warnings li', 'data-code'), 'lossy_utf8');
    await page.uncheck('#opt-lossy');

    // Semicolons and decimal commas are detected and reported.
    await pick(page, 'eu.csv', 'x;y\n1,5;a\n2,5;b\n3,5;a\n');
    assert.match(await page.textContent('#ingest-summary'), /delimiter semicolon \(detected\).*decimal comma/);
    assert.equal((await cells(page, 'x')).Mean, '2.5', 'mean of 1,5 2,5 3,5');

    // Codes with leading zeros are read as text, the zeros kept.
    await pick(page, 'zips.csv', 'zip,v\n01234,1\n02345,2\n01234,3\n');
    assert.equal((await cells(page, 'zip')).Kind, 'categorical');
    assert.ok((await page.$$eval('#profile-body .top-value', (t) => t.map((x) => x.textContent))).includes('01234'));

    // A code column read as numbers; set it to categorical and read again.
    await pick(page, 'codes.csv', 'zip,v\n91234,1\n92345,2\n91234,3\n');
    assert.equal((await cells(page, 'zip')).Kind, 'integer');
    await page.selectOption('#type-column', 'zip');
    await page.selectOption('#type-kind', 'categorical');
    await page.click('#type-add');
    assert.match(await page.textContent('#type-list'), /zip as categorical/);
    await reread(page);
    const zip = await cells(page, 'zip');
    assert.equal(zip.Kind, 'categorical');
    assert.equal(zip.Distinct, '2', 'two distinct codes');
    assert.ok((await page.$$eval('#profile-body .top-value', (t) => t.map((x) => x.textContent))).includes('91234'));

    // A new file starts without the old file's column types.
    await pick(page, 'other.csv', 'a,b\n1,2\n3,4\n');
    assert.equal(await page.textContent('#type-list'), '');

    // Infinite values stop the read, or become missing when asked.
    await pick(page, 'inf.csv', 'x,y\n1,a\ninf,b\n3,c\n');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'non_finite');
    await page.selectOption('#opt-non-finite', 'missing');
    await reread(page);
    assert.equal(await page.textContent('#error'), '');
    assert.equal((await cells(page, 'x')).Missing, '1', 'one missing');
    assert.ok(await page.$('#alerts-list li[data-code="non_finite"]'), 'a non-finite alert');

    // Extra missing tokens.
    await page.fill('#opt-missing', 'NA, unknown');
    await pick(page, 'tokens.csv', 'x,y\n1,unknown\n2,b\n3,c\n');
    assert.equal((await cells(page, 'y')).Missing, '1', '"unknown" read as missing');

    // A title above the table is detected and said; comment lines need the option.
    await page.fill('#opt-missing', 'NA, N/A, null, NaN, None, ?, -');
    await pick(page, 'titled.csv', 'Sales, <b>2024</b>\nregion,amount,units\nnorth,1,2\nsouth,3,4\n');
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#ingest-summary'), /first line skipped above the table/);
    assert.match(await page.textContent('#ingest-warnings li[data-code="skipped_lines"]'), /"Sales, <b>2024<\/b>"/);
    assert.equal(await page.$('#ingest-warnings b'), null, 'the title is text, not HTML');
    assert.equal(await page.textContent('#ov-rows'), '2');
    await page.fill('#opt-skip', '0');
    await reread(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    await page.fill('#opt-skip', '1.5');
    await page.click('#reread');
    await page.waitForFunction(() => /lines to skip must be a whole number/.test(document.getElementById('error').textContent));
    await page.fill('#opt-skip', '');
    await pick(page, 'commented.csv', 'a,b\n# "a note\n1,2\n# another\n3,4\n');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    await page.fill('#opt-comment', '#');
    await reread(page);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-rows'), '2');
    await page.fill('#opt-comment', '');

    // Quotes escaped with a backslash (MySQL, scrapers): detected, read as
    // quotes and said; turned off, the row they split is an error whose
    // message and advice name the option; turned on again, read.
    const escaped = 'id,text,n\n1,"He said \\"hi\\", then left",3\n2,"plain",4\n3,"a \\"b\\"",5\n';
    await pick(page, 'escaped.csv', escaped);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-rows'), '3');
    assert.match((await cells(page, 'text'))['Top values'], /He said "hi", then left/);
    assert.match(await page.textContent('#ingest-warnings li[data-code="backslash_quotes"]'), /line 2 has a quote written \\" inside a value: this file escapes quotes with a backslash/);
    await page.selectOption('#opt-backslash', 'off');
    await reread(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    assert.match(await page.textContent('[data-testid="error-message"]'), /row 1 \(line 2\) has 4 fields but the header has 3; the row has a quote written \\" inside a value/);
    assert.match(await page.textContent('[data-testid="error-advice"]'), /"Backslash escapes" to On/);
    await page.selectOption('#opt-backslash', 'on');
    await reread(page);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.$('#ingest-warnings li[data-code="backslash_quotes"]'), null);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('options set for a file that failed to load are put back to automatic for the next file, and the page says so', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await pick(page, 'good.csv', 'a,b,c\n1,2,3\n4,5,6\n');
    // A file that fails whatever the short-row option says (a long row).
    await pick(page, 'ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    await page.click('#read-options summary');
    await page.selectOption('#opt-short-rows', 'missing');
    await reread(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    // Another file: the option set for ragged.csv does not silently fill its short rows.
    await pick(page, 'semi.csv', 'x;y;z\n1;2;3\n4;5\n');
    assert.equal(await page.$eval('#opt-short-rows', (e) => e.value), 'error');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'ragged_row');
    assert.match(await page.textContent('#error'), /semi\.csv/);
    // Set for this file after that, the option stays and applies.
    await page.selectOption('#opt-short-rows', 'missing');
    await pick(page, 'semi.csv', 'x;y;z\n1;2;3\n4;5\n');
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#ingest-summary'), /short rows filled with missing values \(as set\)/);
  } finally {
    await s.close();
  }
});
