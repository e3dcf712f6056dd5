// Journey on a phone-sized screen (375 px): load a file whose column names
// are long, add preparation steps and a column type, train with a search and
// cluster. Nothing may widen the page past the screen (no sideways
// scrolling of the whole page); only the tables and the heatmap scroll
// inside their own wrappers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, train, loadSample } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

const LONG = 'average_monthly_household_expenditure_on_groceries_in_local_currency';
const CONSTANT = 'constant_column_with_a_very_long_name_that_never_changes_at_all';

/** Elements whose box ends right of the viewport, outside the scrolling wrappers. */
function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const e of document.querySelectorAll('body *')) {
      if (e.closest('.table-wrap, .chart-scroll')) continue;
      const r = e.getBoundingClientRect();
      if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) out.push(`${e.tagName.toLowerCase()}#${e.id} ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
    return { width, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 10) };
  });
}

test('at 375 px wide the page does not scroll sideways', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await page.setViewportSize({ width: 375, height: 800 });
    await s.open();
    // The constant column is not the last, which the page offers as the target.
    let csv = `${LONG},b,${CONSTANT},label\n`;
    for (let i = 0; i < 60; i++) csv += `${i * 1.5},${(i * 7) % 13},same,${i % 3 === 0 ? 'yes' : 'no'}\n`;
    await page.setInputFiles('#file-input', { name: 'long-names.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => /^Loaded/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'));

    // The long names go into the selects, the recipe, the type list and the status line.
    await page.click('#read-options summary');
    await page.selectOption('#type-column', LONG);
    await page.selectOption('#type-kind', 'float');
    await page.click('#type-add');
    const add = await page.$('#alerts-list li[data-code] button');
    assert.ok(add, 'the constant column has an alert with a step to add');
    await add.click();
    assert.match(await page.textContent('#recipe-list'), new RegExp(CONSTANT));
    await page.selectOption('#target-select', LONG);
    await page.waitForFunction(() => document.getElementById('task-auto').textContent.includes('regression'));
    await page.selectOption('#search-select', 'random');
    await page.fill('#trials-input', '2');
    const { error } = await train(page);
    assert.equal(error, '');
    assert.equal(await page.isVisible('#leaderboard'), true);
    await page.click('#cluster-button');
    await page.waitForSelector('#cluster-output svg.scatter');

    const report = await overflowing(page);
    assert.equal(report.width, 375);
    assert.deepEqual(report.out, [], `elements past the right edge: ${report.out.join(', ')}`);
    assert.ok(report.scrollWidth <= report.width, `the page is ${report.scrollWidth} px wide on a ${report.width} px screen`);

    // The controls named in the sweep fit, and still show the start of their text.
    for (const id of ['sample-select', 'target-select', 'type-column']) {
      const box = await page.$eval(`#${id}`, (e) => e.getBoundingClientRect().toJSON());
      assert.ok(box.right <= 375 && box.width >= 150, `#${id} spans ${box.left}–${box.right}`);
    }
    // The scatter shrinks to the section and keeps its shape (420 × 320).
    const scatter = await page.$eval('svg.scatter', (e) => e.getBoundingClientRect().toJSON());
    assert.ok(scatter.right <= 375, `scatter ends at ${scatter.right}`);
    assert.ok(Math.abs(scatter.width / scatter.height - 420 / 320) < 0.02, `scatter is ${scatter.width} × ${scatter.height}`);

    // The wide profile table scrolls inside its wrapper, which fits the screen.
    const wrap = await page.$eval('#profile-table', (t) => {
      const w = t.closest('.table-wrap');
      return { table: t.scrollWidth, wrap: w.getBoundingClientRect().right, scrolls: w.scrollWidth > w.clientWidth };
    });
    assert.ok(wrap.wrap <= 375 && wrap.scrolls, `profile table wrapper: ${JSON.stringify(wrap)}`);
    // The keyboard can reach the wrapper and scroll it with the arrow keys.
    assert.equal(await page.$eval('#profile-table', (t) => t.closest('.table-wrap').tabIndex), 0);
    await page.focus('#profile-table >> xpath=..');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.getElementById('profile-table').closest('.table-wrap').scrollLeft > 0, null, { timeout: 5000 });

    // On a wide screen the scatter keeps its full size.
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.equal(await page.$eval('svg.scatter', (e) => Math.round(e.getBoundingClientRect().width)), 420);

    // On a laptop (1280 px) a sample's whole profile table is seen without
    // scrolling sideways: the median and its quartiles wrap between them.
    await loadSample(page, 'penguins.csv');
    const laptop = await page.$eval('#profile-table', (t) => {
      const w = t.closest('.table-wrap');
      const cell = t.querySelector('tr[data-column="body_mass_g"] td.quartiles');
      return { scrolls: w.scrollWidth > w.clientWidth, spans: [...cell.children].map((c) => c.textContent) };
    });
    assert.equal(laptop.scrolls, false, 'the penguins profile table fits 1280 px');
    assert.deepEqual(laptop.spans, ['4050', '[3550 – 4750]']);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('on a phone a long error scrolls inside its box, by keyboard too', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await page.setViewportSize({ width: 390, height: 844 });
    await s.open();
    await page.setInputFiles('#file-input', { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8\n') });
    await page.waitForFunction(() => /failed/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'));
    const box = () => page.$eval('#error', (e) => ({ scrollTop: e.scrollTop, scrollHeight: e.scrollHeight, clientHeight: e.clientHeight }));
    const before = await box();
    // Longer than a quarter of the screen: its advice is further down.
    assert.ok(before.scrollHeight > before.clientHeight, JSON.stringify(before));
    // The box takes focus (Tab reaches it), and the keys scroll it to its end.
    await page.focus('#error');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'error');
    await page.keyboard.press('End');
    await page.waitForFunction(() => {
      const e = document.getElementById('error');
      return e.scrollTop + e.clientHeight >= e.scrollHeight - 1;
    });
    assert.match(await page.textContent('#error'), /Short rows/);
  } finally {
    await s.close();
  }
});
