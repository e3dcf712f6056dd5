// Journey: the person changes a reading option and reads the loaded file
// again, and the new read fails. Whatever the failure (an option the page
// refuses, a comment character the reader refuses, a column type the values
// do not fit), the error says why and the data as read before stays loaded:
// its profile on screen, and training on it still works, in this worker and
// in the search pool's workers (which read it with the options it was read
// with).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, profileRow, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

// 40 rows with comment lines that only read with "Comment lines start with #".
let CSV = 'a,b,label\n# "an unclosed quote in a note\n';
for (let i = 0; i < 40; i++) CSV += `${i},${(i * 7) % 13},${i % 2 ? 'yes' : 'no'}\n${i % 10 === 0 ? '# another, note\n' : ''}`;

async function settle(page) {
  await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed|Reading .* again failed)/.test(document.getElementById('status').textContent));
}

async function reread(page) {
  await page.click('#reread');
  await settle(page);
}

/** What the person sees of the loaded data. */
async function shown(page) {
  return {
    profile: await page.isVisible('#profile-section'),
    train: await page.isVisible('#train-section'),
    rows: await page.textContent('#ov-rows'),
    file: await page.textContent('#ov-file'),
    kind: (await profileRow(page, 'label')).Kind,
  };
}
const LOADED = { profile: true, train: true, rows: '40', file: 'notes.csv', kind: 'boolean' };

/** Trains once with the pooled search (two workers) and once without; both on the 40 rows. */
async function trainsOnTheRows(page, what) {
  await page.selectOption('#search-select', 'random');
  await page.fill('#trials-input', '2');
  await page.fill('#workers-input', '2');
  let r = await train(page);
  assert.equal(r.error, '', `${what}: the pooled search trains, got ${r.error}`);
  assert.equal(await page.textContent('[data-testid="fact-train-rows"]'), '30', `${what}: 30 of 40 rows train`);
  await page.selectOption('#search-select', 'none');
  r = await train(page);
  assert.equal(r.error, '', `${what}: one forest trains, got ${r.error}`);
  assert.equal(await page.textContent('[data-testid="fact-train-rows"]'), '30');
}

test('a failed re-read keeps the data as read before, whatever failed', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await page.click('#read-options summary');
    await page.fill('#opt-comment', '#');
    await page.setInputFiles('#file-input', { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await settle(page);
    assert.equal(await page.textContent('#error'), '');
    assert.deepEqual(await shown(page), LOADED);
    await page.selectOption('#target-select', 'label');

    // 1. An option value the page refuses before reading (lines to skip 1.5).
    await page.fill('#opt-skip', '1.5');
    await reread(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'bad_option');
    assert.match(await page.textContent('#status'), /^Reading notes\.csv again failed; the data as read before is still loaded\./);
    assert.deepEqual(await shown(page), LOADED);
    await trainsOnTheRows(page, 'after a refused option');
    await page.fill('#opt-skip', '');

    // 2. The reader refuses the options: the comment character is the quote character.
    await page.fill('#opt-comment', '"');
    await reread(page);
    const code = await page.getAttribute('#error', 'data-code');
    assert.ok(code, 'the error has a code');
    assert.notEqual(await page.textContent('[data-testid="error-message"]'), '');
    assert.match(await page.textContent('#status'), /still loaded/);
    assert.deepEqual(await shown(page), LOADED, `after ${code}`);
    await trainsOnTheRows(page, `after ${code}`);
    await page.fill('#opt-comment', '#');

    // 3. A column type the values do not fit: label read as integer.
    await page.selectOption('#type-column', 'label');
    await page.selectOption('#type-kind', 'integer');
    await page.click('#type-add');
    await reread(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'bad_value');
    assert.match(await page.textContent('[data-testid="error-advice"]'), /choose another type/);
    assert.match(await page.textContent('#status'), /still loaded/);
    assert.deepEqual(await shown(page), LOADED);
    assert.match(await page.textContent('#type-list'), /label as integer/, 'the type stays listed, to change or remove');
    await trainsOnTheRows(page, 'after bad_value');

    // Fixed: the type removed, the file reads again, the error goes.
    await page.click('#type-list button');
    await reread(page);
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#status'), /^Loaded notes\.csv: 40 rows, 3 columns/);
    assert.deepEqual(await shown(page), LOADED);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
