// Journeys: a local CSV through the file input, whose markup-like text must
// stay text; and a malformed CSV whose error names the row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;
const EVIL_HEADER = '<img src=x onerror=alert(1)>';
const EVIL_VALUE = '<b>bold</b>';

async function waitIdle(page) {
  await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed)/.test(document.getElementById('status').textContent));
}

test('a local CSV with markup in it is shown as literal text', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      d.dismiss();
    });
    await s.open();
    // `ticket` is an identifier (a different value on every row): the
    // default recipe leaves it out and the page says so, as text.
    const rows = ['x,"' + EVIL_HEADER + '",ticket,label'];
    for (let i = 0; i < 40; i++) rows.push(`${(i * 7) % 11},${i % 3 === 0 ? EVIL_VALUE : 'plain'},<i>T${i}</i>,${i % 2 ? 'yes' : 'no'}`);
    await page.setInputFiles('#file-input', { name: 'my data (1).csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
    await waitIdle(page);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-file'), 'my data (1).csv');

    const names = await page.$$eval('#profile-body th.col-name', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(names, ['x', EVIL_HEADER, 'ticket', 'label']);
    const topValues = await page.$$eval('#profile-body .top-value', (spans) => spans.map((t) => t.textContent));
    assert.ok(topValues.includes(EVIL_VALUE), `top values: ${topValues}`);
    assert.equal(await page.$$eval('#profile-table img, #profile-table b', (els) => els.length), 0);
    assert.equal(await page.$$eval('img, b', (els) => els.length), 0);
    // The target list shows the header as text, and the last column is preselected.
    assert.equal(await page.inputValue('#target-select'), 'label');
    const options = await page.$$eval('#target-select option', (os) => os.map((o) => o.textContent));
    assert.ok(options.includes(EVIL_HEADER));
    assert.equal(dialogs, 0);

    // Train on it and download: the manifest's name keeps only [A-Za-z0-9._-].
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.ok('accuracy' in metrics, JSON.stringify(metrics));
    assert.match(await page.textContent('[data-testid="fact-dropped"]'), /^ticket \(each of its 30 training labels is in one row only/);
    assert.equal(await page.$$eval('i, b, img', (els) => els.length), 0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    assert.equal(download.suggestedFilename(), 'mydata1.mlcycle-run.json');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a ragged CSV shows an error naming the row', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const csv = 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n';
    await page.setInputFiles('#file-input', { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await waitIdle(page);
    const alert = page.locator('#error[role="alert"]');
    assert.ok(await alert.isVisible(), 'the alert region is visible');
    const text = await alert.textContent();
    // The person's file: its class is kept on the region, with no bug-report section.
    assert.equal(await alert.getAttribute('data-name'), 'DataError');
    assert.doesNotMatch(text, /bug report/);
    assert.equal(await alert.getAttribute('data-code'), 'ragged_row', text);
    assert.match(text, /row 3|line 4/, `error should name the row: ${text}`);
    // Nothing is loaded after a failed load.
    assert.equal(await page.isVisible('#profile-section'), false);
    assert.equal(await page.isDisabled('#train-button'), true);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a CSV dropped on the drop zone is loaded', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['h,v\n1,a\n2,b\n3,a\n'], 'dropped.csv', { type: 'text/csv' }));
      return dt;
    });
    await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer });
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    await waitIdle(page);
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.textContent('#ov-file'), 'dropped.csv');
    assert.equal(await page.textContent('#ov-rows'), '3');
    assert.equal(await page.inputValue('#target-select'), 'v');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
