// Journey: the profile's data-quality alerts. A suggested fix becomes a
// preparation step the person sees and can remove; the next training uses
// it, the manifest records it, and the run replays natively.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, train, runMlcycle, DATA, chooseFile } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('an alert fix becomes a visible, removable recipe step that the manifest records', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    const alerts = await page.$$eval('#alerts-list li', (lis) => lis.map((li) => li.dataset.code));
    assert.ok(alerts.includes('outliers'), `alerts: ${alerts}`);
    const fix = page.locator('#alerts-list li[data-code="outliers"] button');
    assert.match(await fix.textContent(), /^Add step: scale "sepal_width" \(method robust\)$/);
    const steps = () => page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim()));
    await fix.click();
    assert.deepEqual(await steps(), ['scale "sepal_width" (method robust)']);
    // The alert's button shows the fix is applied, and undoes it where it is.
    assert.equal(await fix.textContent(), 'Added: scale "sepal_width" (method robust) — undo');
    await fix.click();
    assert.deepEqual(await steps(), []);
    assert.equal(await fix.textContent(), 'Add step: scale "sepal_width" (method robust)');
    assert.match(await page.textContent('#status'), /^Removed a preparation step: scale "sepal_width" \(method robust\)\./);
    // By keyboard: Enter adds, Enter again undoes, focus stays on the button.
    await fix.focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await steps(), ['scale "sepal_width" (method robust)']);
    await page.keyboard.press('Enter');
    assert.deepEqual(await steps(), []);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Add step: scale "sepal_width" (method robust)');
    await page.keyboard.press('Space');
    // Removable from the recipe too: the alert's button follows, and can add it again.
    await page.getByRole('button', { name: /^Remove step 1/ }).click();
    assert.equal(await page.locator('#recipe-list li').count(), 0);
    assert.equal(await fix.textContent(), 'Add step: scale "sepal_width" (method robust)');
    await fix.click();
    assert.match(await fix.textContent(), /^Added: /);

    const { error } = await train(page);
    assert.equal(error, '', error);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    const saved = join(s.tmp, 'fixed.json');
    await download.saveAs(saved);
    const recipe = JSON.stringify(JSON.parse(readFileSync(saved, 'utf8')).recipe);
    assert.match(recipe, /"step":"scale"/);
    assert.match(recipe, /sepal_width/);
    const native = await runMlcycle(['replay', saved, join(DATA, 'iris.csv')]);
    assert.equal(native.code, 0, `${native.stdout}${native.stderr}`);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('numbers written with currency and percent signs: the fix reads them as numbers, trains, and replays', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const lines = ['price,rate,qty,y'];
    for (let i = 0; i < 60; i++) lines.push(`"$${(1000 + i * 37).toLocaleString('en-US')}.50",${(i * 7) % 90}%,${i % 9},${i % 3 === 0 ? 'yes' : 'no'}`);
    const csv = `${lines.join('\n')}\n`;
    const file = join(s.tmp, 'prices.csv');
    writeFileSync(file, csv);
    await page.setInputFiles('#file-input', file);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^Loaded/.test(document.getElementById('status').textContent));
    const fix = page.locator('#alerts-list li[data-code="numbers_as_text"]:has-text("\\"price\\"") button');
    assert.equal(await fix.textContent(), 'Add step: parse numbers "price"');
    await fix.click();
    const rate = page.locator('#alerts-list li[data-code="numbers_as_text"]:has-text("\\"rate\\"") button');
    await rate.click();
    assert.deepEqual(await page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim())), ['parse numbers "price"', 'parse numbers "rate"']);
    const { error } = await train(page);
    assert.equal(error, '', error);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    const saved = join(s.tmp, 'prices.json');
    await download.saveAs(saved);
    const manifest = JSON.parse(readFileSync(saved, 'utf8'));
    const steps = manifest.recipe.steps.filter((st) => st.column === 'price').map((st) => st.step);
    assert.equal(steps[0], 'parse_numbers', JSON.stringify(manifest.recipe));
    assert.ok(!manifest.recipe.steps.some((st) => st.step === 'one_hot' && st.column === 'price'), 'price is a number, not one-hot labels');
    const native = await runMlcycle(['replay', saved, file]);
    assert.equal(native.code, 0, `${native.stdout}${native.stderr}`);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a price target written as text: its fix makes the task regression, trains, and replays in the page and natively', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // A sales export: revenue (the last column, so the default target) is
    // units times a price, written "$12,345.67".
    const rows = ['units,region,revenue'];
    for (let i = 0; i < 120; i++) {
      const units = 1 + ((i * 37) % 50);
      rows.push(`${units},${['North', 'South', 'East'][i % 3]},"$${(units * 1234.5 + (i % 7)).toLocaleString('en-US', { minimumFractionDigits: 2 })}"`);
    }
    const file = join(s.tmp, 'sales.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await chooseFile(page, file, 'sales.csv');
    const codes = () => page.$$eval('#alerts-list li', (lis) => lis.map((li) => li.dataset.code));
    // The target keeps the alert whose fix reads it as numbers; 120 prices
    // each in one row are not called imbalanced classes.
    assert.ok(!(await codes()).includes('class_imbalance'), `alerts: ${await codes()}`);
    const fix = page.locator('#alerts-list li[data-code="numbers_as_text"]:has-text("\\"revenue\\"") button');
    assert.equal(await fix.textContent(), 'Add step: parse numbers "revenue"');
    assert.equal(await page.textContent('#task-auto'), 'Automatic (classification)');
    await fix.click();
    await page.waitForFunction(() => document.getElementById('task-auto').textContent === 'Automatic (regression)');
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.ok(metrics.r2 > 0.9, `r2 ${metrics.r2}: revenue follows units`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
    const saved = join(s.tmp, 'sales.json');
    await download.saveAs(saved);
    const manifest = JSON.parse(readFileSync(saved, 'utf8'));
    assert.equal(manifest.config.task, 'regression');
    assert.deepEqual(manifest.config.target_reading, { step: 'parse_numbers', column: 'revenue' });
    assert.ok(!manifest.result.features.some((f) => f.startsWith('revenue')), `features: ${manifest.result.features}`);
    const native = await runMlcycle(['replay', saved, file]);
    assert.equal(native.code, 0, `${native.stdout}${native.stderr}`);
    // Removing the step makes the target labels again.
    await fix.click();
    await page.waitForFunction(() => document.getElementById('task-auto').textContent === 'Automatic (classification)');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a price target with a few words among its numbers: training as classes is refused with the way out, which the alert offers and which trains a regression', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // Prices, four of them "call": the column is labels, each price its own.
    const rows = ['x,price'];
    for (let i = 0; i < 80; i++) rows.push(`${i},${i % 20 === 7 ? 'call' : (i * 3 + 0.25).toFixed(2)}`);
    const file = join(s.tmp, 'prices.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await chooseFile(page, file, 'prices.csv');
    assert.equal(await page.textContent('#task-auto'), 'Automatic (classification)');
    await page.selectOption('#search-select', 'none');
    const refused = await train(page);
    assert.equal(await page.getAttribute('#error', 'data-code'), 'small_test_set');
    assert.match(refused.error, /the test set would hold only 1 of 80 rows \(a test fraction asks for 20\): 76 classes of "price" have one row each/);
    // In the page's words: the alert's button, not a command-line flag.
    assert.match(refused.error, /read them as numbers \(the others, such as "call" in row 8, become missing and their rows are left out\) \(the "Add step" of the alert on "price", under Data-quality alerts\)/);
    assert.doesNotMatch(refused.error, /--step/);
    const fix = page.locator('#alerts-list li[data-code="mixed_types"]:has-text("\\"price\\"") button');
    assert.equal(await fix.textContent(), 'Add step: parse numbers "price"');
    await fix.click();
    await page.waitForFunction(() => document.getElementById('task-auto').textContent === 'Automatic (regression)');
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.ok(metrics.r2 > 0.9, `r2 ${metrics.r2}: price follows x`);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('the alerts follow the chosen target: imbalance and leakage for it, none for another', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // `churn` (the last column, so the default target) is 5% "yes", and
    // `copy` repeats it: imbalance and leakage, both about churn.
    const rows = ['x,copy,churn'];
    for (let i = 0; i < 400; i++) {
      const c = i % 20 === 0 ? 'yes' : 'no';
      rows.push(`${(i * 37) % 101},${c === 'yes' ? 'Y' : 'N'},${c}`);
    }
    await chooseFile(page, rows, 'churn.csv');
    const codes = () => page.$$eval('#alerts-list li', (lis) => lis.map((li) => li.dataset.code));
    assert.equal(await page.inputValue('#target-select'), 'churn');
    let now = await codes();
    assert.ok(now.includes('class_imbalance') && now.includes('target_leakage'), `alerts: ${now}`);
    assert.match(await page.textContent('#alerts-heading'), /, with "churn" as the target$/);
    // Another target: its alerts, and the heading says which.
    await page.selectOption('#target-select', 'x');
    await page.waitForFunction(() => /with "x" as the target$/.test(document.getElementById('alerts-heading').textContent));
    now = await codes();
    assert.ok(!now.includes('class_imbalance') && !now.includes('target_leakage'), `alerts: ${now}`);
    // And back.
    await page.selectOption('#target-select', 'churn');
    await page.waitForFunction(() => /with "churn" as the target$/.test(document.getElementById('alerts-heading').textContent));
    assert.ok((await codes()).includes('class_imbalance'));
    assert.deepEqual(s.pageErrors, []);
  } finally {
    await s.close();
  }
});

test('fixes clicked in any order go into the recipe in the order that works', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // `a`: 25% missing (impute) and a few far values (scale robustly).
    const rows = ['a,b,y'];
    for (let i = 0; i < 200; i++) rows.push(`${i % 4 === 0 ? '' : i % 40 === 1 ? 5000 + i : i % 17},${(i * 7) % 13},${i % 2 ? 'p' : 'q'}`);
    await chooseFile(page, rows, 'gaps.csv');
    await page.click('#alerts-list li[data-code="outliers"] button');
    await page.click('#alerts-list li[data-code="high_missing"] button');
    const steps = await page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim()));
    assert.deepEqual(steps, ['impute "a" (strategy median, indicator true)', 'scale "a" (method robust)']);
    // Clicking one again undoes it; once more puts it back in its place.
    await page.click('#alerts-list li[data-code="outliers"] button');
    assert.deepEqual(await page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim())), ['impute "a" (strategy median, indicator true)']);
    await page.click('#alerts-list li[data-code="outliers"] button');
    assert.deepEqual(await page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim())), steps);
    const { error } = await train(page);
    assert.equal(error, '', error);
  } finally {
    await s.close();
  }
});

test('reading the file again keeps its recipe; another file starts a new one, and the page says so', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // `temp` uses -999 for unknown; `a` has gaps; `id` counts the rows.
    const rows = ['id,temp,a,y'];
    for (let i = 0; i < 200; i++) rows.push(`${i + 1},${i % 50 === 7 ? -999 : 15 + (i % 11)},${i % 4 === 0 ? '' : i % 9},${i % 2 ? 'p' : 'q'}`);
    await chooseFile(page, rows, 'codes.csv');
    const steps = () => page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim()));
    await page.click('#alerts-list li[data-code="high_missing"] button');
    assert.deepEqual(await steps(), ['impute "a" (strategy median, indicator true)']);
    // The sentinel alert's advice, followed: -999 read as missing.
    assert.ok((await page.$$eval('#alerts-list li', (lis) => lis.map((li) => li.dataset.code))).includes('sentinel_values'));
    await page.click('#read-options summary');
    await page.fill('#opt-missing', 'NA, N/A, n/a, #N/A, NULL, null, NaN, nan, None, ?, -, #DIV/0!, #VALUE!, #REF!, #NAME?, #NUM!, #NULL!, #ERROR!, -999');
    await page.click('#reread');
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^Loaded/.test(document.getElementById('status').textContent));
    assert.deepEqual(await steps(), ['impute "a" (strategy median, indicator true)']);
    assert.match(await page.textContent('#status'), /The recipe keeps its 1 step\.$/);
    assert.ok(!(await page.$$eval('#alerts-list li', (lis) => lis.map((li) => li.dataset.code))).includes('sentinel_values'));
    const { error } = await train(page);
    assert.equal(error, '', error);
    // Another file: its recipe starts empty, and the status says the old steps went.
    await chooseFile(page, ['b,y', ...Array.from({ length: 40 }, (_, i) => `${i % 7},${i % 2}`)], 'other.csv');
    assert.deepEqual(await steps(), []);
    assert.match(await page.textContent('#status'), /The 1 preparation step made for the file before was cleared\.$/);
    assert.deepEqual(s.pageErrors, []);
  } finally {
    await s.close();
  }
});

test('test rows that repeat training rows are counted in the results', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const rows = ['x,y'];
    for (let i = 0; i < 60; i++) rows.push(`${i % 20},${i % 2 === 0 ? 'a' : 'b'}`);
    await chooseFile(page, rows, 'dups.csv');
    await page.selectOption('#search-select', 'none');
    const { error } = await train(page);
    assert.equal(error, '', error);
    assert.match(await page.textContent('[data-testid="fact-test-overlap"]'), /^\d+ of \d+ repeat a training row exactly, so the test metrics are optimistic/);
  } finally {
    await s.close();
  }
});

test('a step on a column that becomes the target leaves the recipe, said in the status; training then works', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // "leak" (the last column, so the default target) is "y" written as
    // codes; z has outliers (900 in every 20th row).
    const rows = ['x,z,y,leak'];
    for (let i = 0; i < 80; i++) rows.push(`${((i * 37) % 100) / 100},${i % 20 ? (i * 7) % 10 : 900},${'abc'[i % 3]},${i % 3}`);
    await chooseFile(page, rows, 'leak.csv');
    assert.equal(await page.inputValue('#target-select'), 'leak');
    const steps = () => page.$$eval('#recipe-list li span', (xs) => xs.map((x) => x.textContent.trim()));
    await page.getByRole('button', { name: 'Add step: drop column "y"' }).click();
    // A step on another column, which stays.
    await page.locator('#alerts-list li[data-code="outliers"] button').click();
    assert.deepEqual(await steps(), ['drop column "y"', 'scale "z" (method robust)']);

    // The person predicts y instead: the step that dropped it goes, and the status says which and why.
    await page.selectOption('#target-select', 'y');
    assert.deepEqual(await steps(), ['scale "z" (method robust)']);
    assert.match(await page.textContent('#status'), /Removed 1 preparation step on "y", now the target: drop column "y" \(the target cannot be dropped\)/);
    // The new target's alerts are drawn: the leakage alert now offers to drop leak.
    await page.waitForFunction(() => /with "y" as the target/.test(document.getElementById('alerts-heading').textContent));
    const dropLeak = page.getByRole('button', { name: 'Add step: drop column "leak"' });
    await dropLeak.click();
    assert.deepEqual(await steps(), ['drop column "leak"', 'scale "z" (method robust)']);
    const { error } = await train(page);
    assert.equal(error, '', error);

    // Another target again: nothing else changes (the removed step does not come back).
    await page.selectOption('#target-select', 'x');
    await page.waitForFunction(() => /with "x" as the target/.test(document.getElementById('alerts-heading').textContent));
    assert.deepEqual(await steps(), ['drop column "leak"', 'scale "z" (method robust)']);
    assert.doesNotMatch(await page.textContent('#status'), /Removed/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a log whose last column is its message: the target offered is the last column that is not free text, and the message\'s alerts show', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const lines = ['time,user,level,message'];
    for (let i = 0; i < 40; i++) lines.push(`${1700000000 + i * 61},u${i % 4},${['info', 'warn', 'error'][i % 3]},request ${i * 13} served from cache node ${i % 5} after ${i * 7} ms`);
    await chooseFile(page, lines, 'app.log.csv');
    assert.equal(await page.inputValue('#target-select'), 'level');
    const heading = await page.textContent('#alerts-heading');
    assert.match(heading, /^Data-quality alerts \(\d+\), with "level" as the target$/);
    // The message's own alert (a different value in every row) is shown, not suppressed as the target's.
    assert.match(await page.textContent('#alerts-list'), /"message" has a different value in every one of 40 rows/);

    // The person's choice stands: the message as the target is kept.
    await page.selectOption('#target-select', 'message');
    await page.waitForFunction(() => /with "message" as the target$/.test(document.getElementById('alerts-heading').textContent) && !document.body.classList.contains('busy'));
    assert.equal(await page.inputValue('#target-select'), 'message');
  } finally {
    await s.close();
  }
});
