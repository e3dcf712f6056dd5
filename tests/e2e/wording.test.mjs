// Journey through the page's counts when there is one of something: one
// row, one column, one blank line, one candidate, one cluster, one noise
// row. Each is said in the singular ("1 row", not "1 rows"), and an error
// that names a control names it as the page labels it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

const NOUNS = 'rows|columns|blank lines|lines|candidates|clusters|bins|workers|prepared features|features|differences|bytes|class pairs|training rows';
const ONE_PLURAL = new RegExp(`(?<![\\d.,])1 (${NOUNS})\\b`);

/** Texts on the page (labels of charts too) that say "1 <plural>", leaving out the engine's error message. */
function wrongPlurals(page) {
  return page.evaluate((source) => {
    const re = new RegExp(source);
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('[data-testid="error-message"]')) continue;
      if (re.test(n.textContent)) found.push(n.textContent);
    }
    for (const e of document.querySelectorAll('[aria-label]')) if (re.test(e.getAttribute('aria-label'))) found.push(e.getAttribute('aria-label'));
    return found;
  }, ONE_PLURAL.source);
}

async function pick(page, name, text) {
  await page.setInputFiles('#file-input', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed)/.test(document.getElementById('status').textContent));
}

test('one of something is said in the singular', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    assert.ok(ONE_PLURAL.test('of 1 rows') && !ONE_PLURAL.test('of 11 rows') && !ONE_PLURAL.test('1 row'), 'the check itself');

    // One row, one column; one blank line.
    await pick(page, 'one.csv', 'amount\n5\n');
    assert.match(await page.textContent('#status'), /^Loaded one\.csv: 1 row, 1 column \(/);
    assert.deepEqual(await wrongPlurals(page), []);
    await pick(page, 'blank.csv', 'a,b\n1,2\n  \n3,4\n');
    assert.match(await page.textContent('#ingest-summary'), /, 1 blank line skipped\.$/);
    assert.deepEqual(await wrongPlurals(page), []);

    // One candidate searched; DBSCAN finds one cluster and one noise row.
    let csv = 'x,y,label\n';
    for (let i = 0; i < 23; i++) csv += `${i % 2 ? 0.01 * i : -0.01 * i},${0.01 * (i % 3)},${i % 2 ? 'yes' : 'no'}\n`;
    csv += '90,90,yes\n';
    await pick(page, 'group.csv', csv);
    await page.selectOption('#target-select', 'label');
    await page.selectOption('#search-select', 'random');
    await page.fill('#trials-input', '1');
    const { error } = await train(page);
    assert.equal(error, '');
    assert.match(await page.textContent('#leaderboard-caption'), /^Search leaderboard: 1 candidate, 3-fold/);
    assert.equal(await page.textContent('[data-testid="fact-search"]'), '1 of 1 candidate');
    await page.selectOption('#cluster-model', 'dbscan');
    await page.fill('#cluster-eps', '1');
    await page.fill('#cluster-min', '3');
    await page.click('#cluster-button');
    await page.waitForSelector('[data-testid="cluster-summary"]');
    assert.match(await page.textContent('[data-testid="cluster-summary"]'), /^1 cluster of 24 rows, 1 row noise;/);
    assert.ok((await page.$$eval('#cluster-output li', (lis) => lis.map((l) => l.textContent.trim()))).includes('noise: 1 row'));
    assert.deepEqual(await wrongPlurals(page), []);

    // Too few rows of a class to cross-validate: the advice names the Search control's "None" as the page labels it.
    csv = 'x,y,label\n';
    for (let i = 0; i < 20; i++) csv += `${i},${i % 5},a\n`;
    csv += '100,0,b\n101,1,b\n';
    await pick(page, 'few.csv', csv);
    await page.selectOption('#target-select', 'label');
    await page.selectOption('#search-select', 'grid');
    await page.fill('#trials-input', '');
    await train(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'too_few_for_folds');
    const none = await page.textContent('#search-select option[value="none"]');
    assert.ok((await page.textContent('[data-testid="error-advice"]')).includes(`set Search to "${none}"`), await page.textContent('#error'));
    // Following the advice works.
    await page.selectOption('#search-select', 'none');
    assert.equal((await train(page)).error, '');
    assert.deepEqual(await wrongPlurals(page), []);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
