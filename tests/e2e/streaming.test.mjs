// Journey: a large local file. The worker reads it in slices, the page shows
// bytes read out of the total as it goes, Cancel stops it and keeps the data
// loaded before, and a second try reads it to the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, profileRow } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** A deterministic CSV of `rows` rows, about 40 bytes each. */
function bigCsv(path, rows) {
  const lines = ['id,x,y,group,when'];
  let v = 12345;
  for (let i = 0; i < rows; i++) {
    v = (v * 1103515245 + 12345) % 2147483648;
    lines.push(`${i},${(v % 10000) / 100},${(v >> 8) % 997},g${v % 7},2024-01-${String(1 + (i % 28)).padStart(2, '0')}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** Records every "Reading:" progress text and progress value from now on. */
async function recordProgress(page) {
  await page.evaluate(() => {
    window.__reads = [];
    // The figures are in the progress line (the status, a live region, says the stage).
    const status = document.getElementById('progress-text');
    const bar = document.getElementById('search-progress');
    new MutationObserver(() => {
      if (status.textContent.startsWith('Reading:')) window.__reads.push({ text: status.textContent, value: bar.value, max: bar.max });
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });
}

test('a large file is read in slices with progress; Cancel keeps the earlier data', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    const rows = 600_000;
    const path = join(s.tmp, 'big.csv');
    bigCsv(path, rows);

    // Cancel half-way: the page keeps iris.
    await recordProgress(page);
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => window.__reads.length >= 2);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /as you asked/.test(document.getElementById("status").textContent));
    assert.equal(await page.textContent('#ov-file'), 'iris.csv');
    assert.equal(await page.textContent('#ov-rows'), '150');

    // Read to the end: progress climbs, then the profile is shown.
    await recordProgress(page);
    await page.setInputFiles('#file-input', []);
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^Loaded big\.csv/.test(document.getElementById('status').textContent), null, { timeout: 200_000 });
    assert.equal(await page.textContent('#ov-rows'), String(rows));
    const reads = await page.evaluate(() => window.__reads);
    assert.ok(reads.length >= 2, `${reads.length} progress updates`);
    for (let i = 1; i < reads.length; i++) assert.ok(reads[i].value >= reads[i - 1].value, 'progress never goes back');
    assert.match(reads[0].text, /^Reading: .* of \d+\.\d MB \(\d+%\)/);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.isVisible('#sample-note'), false, 'it fits: not sampled');

    // With 4 MB for the data the same file is sampled: every row still
    // counted, estimates marked.
    await page.click('#read-options summary');
    await page.fill('#opt-memory', '4');
    await page.click('#reread');
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^Loaded big\.csv/.test(document.getElementById('status').textContent), null, { timeout: 200_000 });
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-rows'), String(rows));
    const note = await page.textContent('#sample-note');
    assert.match(note, new RegExp(`^Large file: \\d+ of ${rows} rows kept \\(about one in (\\d+), chosen by a hash of the row number, so rows that repeat with a period are not aliased\\) to stay within 4\\.0 MB`), note);
    // Duplicates are counted among the kept rows, and it says so.
    assert.match(await page.textContent('#ov-duplicates'), /^\d+ among the \d+ kept rows$/);
    const id = await profileRow(page, 'id');
    assert.equal(id.Count, String(rows), 'count covers every row');
    assert.equal(id.Max, String(rows - 1), 'max over every row');
    assert.match(id.Distinct, /^≈/, 'distinct is an estimate');
    // Quartiles come from a sketch over every row, with its stated rank error.
    assert.match(note, /medians and quartiles over every row, each within ±\d+\.\d% of the rows in rank/, note);
    assert.match(id['Median [Q1 – Q3]'], /^≈/, 'the quartiles are estimates');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
