// Journey: a file of 50 rows and 10,000 numeric columns (3.5 MB). Drawing
// its profile once held the page still for one task of 870 ms on a 2-core
// test machine (up to 2,000 ms elsewhere): the profile table's first page,
// thousands of alerts, two selects of 10,000 options and the heatmap notes
// all went in at once. Each part now goes in a task of its own, the alerts
// a page at a time; every column stays a target and every alert reachable,
// by keyboard too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, chooseFile } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** 50 rows × `width` columns c0…: every 10th column constant (an alert each), the rest numbers with 3 decimals. */
function wideCsv(width) {
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = [Array.from({ length: width }, (_, i) => `c${i}`).join(',')];
  for (let r = 0; r < 50; r++) lines.push(Array.from({ length: width }, (_, i) => (i % 10 === 0 ? '1' : (random() * 100).toFixed(3))).join(','));
  return lines;
}

test('10,000 columns: no long task over 600 ms; the table, the alerts and every target still work', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await page.addInitScript(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks.push(Math.round(e.duration));
      }).observe({ type: 'longtask', buffered: true });
    });
    await s.open();
    await page.evaluate(() => {
      window.longTasks = [];
    });
    // From a file on disk: a 3.5 MB buffer handed to setInputFiles is
    // decoded by Playwright in the page itself, one task of 700-850 ms on
    // the main thread that is not the page's.
    const file = join(s.tmp, 'wide.csv');
    writeFileSync(file, `${wideCsv(10_000).join('\n')}\n`);
    await chooseFile(page, file, 'wide.csv');
    // The frames after the last part went in.
    await page.waitForTimeout(1000);
    const tasks = await page.evaluate(() => window.longTasks);
    const longest = Math.max(0, ...tasks);
    // Measured here: 867 ms before, 180 ms after (10,000 floats, 3 alerts);
    // with 1,000 alerts the list alone took a layout of 870 ms.
    assert.ok(longest < 600, `the longest main-thread task took ${longest} ms (long tasks: ${tasks.join(', ')})`);
    assert.equal(await page.textContent('#ov-columns'), '10000');

    // The table: a page of columns, and more on request.
    assert.equal(await page.locator('#profile-body tr').count(), 200);
    assert.equal(await page.textContent('#profile-shown'), 'Showing 200 of 10000 columns.');

    // The alerts: a page of them, the rest one key press away.
    const heading = await page.textContent('#alerts-heading');
    const total = Number(/\((\d+)\)/.exec(heading)[1]);
    assert.ok(total >= 1000, heading);
    assert.equal(await page.locator('#alerts-list li').count(), 100);
    assert.match(await page.textContent('#alerts-shown'), new RegExp(`^Showing 100 of ${total} alerts`));
    await page.focus('#alerts-more');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#alerts-list li').count(), 200);
    // A step from an alert far down the list goes into the recipe.
    await page.locator('#alerts-list li button').nth(150).click();
    assert.equal(await page.locator('#recipe-list li').count(), 1);

    // Every column is a target: the last by keyboard (End on the select),
    // and one near the end chosen as a person picks it.
    assert.equal(await page.locator('#target-select option').count(), 10_000);
    await page.selectOption('#target-select', 'c42');
    await page.waitForFunction(() => /"c42" as the target/.test(document.getElementById('alerts-heading').textContent));
    await page.focus('#target-select');
    await page.keyboard.press('End');
    assert.equal(await page.inputValue('#target-select'), 'c9999');
    await page.waitForFunction(() => /"c9999" as the target/.test(document.getElementById('alerts-heading').textContent));
    await page.waitForFunction(() => /^Automatic \(\w+\)$/.test(document.getElementById('task-auto').textContent));
    await page.selectOption('#target-select', 'c9998');
    await page.waitForFunction(() => /"c9998" as the target/.test(document.getElementById('alerts-heading').textContent));

    // The column types under Reading options list every column too.
    await page.click('#read-options summary');
    await page.selectOption('#type-column', 'c9999');
    await page.selectOption('#type-kind', 'float');
    await page.click('#type-add');
    assert.equal(await page.textContent('#type-list'), 'c9999 as float Remove');
    assert.equal(await errorText(page), '');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

function errorText(page) {
  return page.evaluate(() => document.getElementById('error').textContent);
}
