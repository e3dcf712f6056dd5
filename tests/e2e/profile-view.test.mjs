// Journey: the profile view of a bundled sample as a person reads it — a
// chart per column (histogram for numbers, top values for labels), median
// and quartiles, the association heatmap with its strongest pairs — and the
// self-contained HTML report downloaded from the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { startSession, missingPrerequisite, loadSample, profileRow, chooseFile } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('each column has a labelled chart, the heatmap shows the pairs, the report downloads', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');

    // One chart per column: a histogram of each measurement, top-value bars for species.
    const charts = await page.$$eval('#profile-body tr', (rows) =>
      rows.map((r) => {
        const svg = r.querySelector('svg.mini-chart');
        return svg && { column: r.dataset.column, role: svg.getAttribute('role'), label: svg.getAttribute('aria-label'), bars: svg.querySelectorAll('rect').length, tab: svg.getAttribute('tabindex') };
      }),
    );
    assert.equal(charts.length, 5);
    for (const c of charts) {
      assert.ok(c, 'every iris column has a chart');
      assert.equal(c.role, 'img');
      assert.equal(c.tab, '0', 'reachable by keyboard');
      assert.ok(c.bars > 1, `${c.column}: ${c.bars} bars`);
    }
    const sepal = charts.find((c) => c.column === 'sepal_length');
    assert.match(sepal.label, /^Histogram of sepal_length: \d+ bins from 4\.3 to 7\.9/);
    const species = charts.find((c) => c.column === 'species');
    assert.match(species.label, /^Most frequent values of species/);
    assert.equal(species.bars, 3);
    // Each bar's tooltip says its range and count; the counts add up to the rows.
    const total = await page.$$eval('#profile-body tr[data-column="sepal_length"] svg rect title', (ts) => ts.reduce((n, t) => n + Number(t.textContent.split(': ').pop()), 0));
    assert.equal(total, 150);

    // The overview: iris has one row that repeats another (pandas' duplicated().sum() is 1), no missing cell.
    assert.equal(await page.textContent('#ov-duplicates'), '1');
    assert.equal(await page.textContent('#ov-missing'), '0 (0%)');
    // The spaces editor has a name.
    assert.equal(await page.getAttribute('#spaces-text', 'aria-label'), 'Search spaces (JSON)');

    // Median [Q1 – Q3], as pandas gives for sepal_length: 5.8 [5.1 – 6.4].
    assert.equal((await profileRow(page, 'sepal_length'))['Median [Q1 – Q3]'], '5.8 [5.1 – 6.4]');

    // Tab reaches a chart.
    await page.focus('#profile-body tr[data-column="species"] svg');
    assert.equal(await page.evaluate(() => document.activeElement.closest('tr')?.dataset.column), 'species');

    // The heatmap: 5 columns paired. The strongest pair is petal length by
    // species (η = 0.9702), then petal length × petal width (r = 0.9629).
    assert.equal(await page.isVisible('#assoc-section'), true);
    const heat = await page.$eval('#assoc-chart svg', (svg) => ({ role: svg.getAttribute('role'), cells: svg.querySelectorAll('rect.cell').length }));
    assert.equal(heat.role, 'img');
    assert.equal(heat.cells, 20, 'every off-diagonal pair of 5 columns is drawn');
    const pairs = await page.$$eval('#assoc-list li', (lis) => lis.map((li) => li.textContent));
    assert.equal(pairs[0], 'petal_length × species: correlation ratio η 0.9702 (n = 150)');
    assert.ok(pairs.includes('petal_length × petal_width: Pearson r 0.9629 (n = 150)'), pairs.join('\n'));

    // The report: one HTML file, offline, within 50 KB + 5 KB per column.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
    assert.equal(download.suggestedFilename(), 'iris.profile.html');
    const path = await download.path();
    const html = readFileSync(path, 'utf8');
    assert.ok(statSync(path).size <= 50_000 + 5 * 5_000, `report is ${statSync(path).size} bytes`);
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.ok(html.includes('sepal_length') && html.includes('<svg'), 'columns and charts are in the report');
    assert.doesNotMatch(html, /<script|src="http|href="http/i, 'nothing to run, nothing fetched');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('medians, quartiles and histogram edges are as precise as the data needs', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // Identifiers 100001 to 102000: pandas gives median 101000.5, quartiles 100500.75 and 101500.25.
    const rows = ['id,g,tiny'];
    for (let i = 1; i <= 2000; i++) rows.push(`${100000 + i},${i % 3},${(1 + ((i % 7) - 3) * 1e-8).toFixed(10)}`);
    await chooseFile(page, rows, 'ids.csv');
    const id = await profileRow(page, 'id');
    assert.equal(id['Median [Q1 – Q3]'], '101000.5 [100500.75 – 101500.25]');
    assert.equal(id.Mean, '101000.5');
    // 1 ± 3e-8: the figures get the digits that tell them apart (four decimals said 1 [1 – 1]).
    const tiny = await profileRow(page, 'tiny');
    const [median, q1, q3] = tiny['Median [Q1 – Q3]'].match(/^(\S+) \[(\S+) – (\S+)\]$/).slice(1);
    assert.equal(new Set([median, q1, q3]).size, 3, tiny['Median [Q1 – Q3]']);
    assert.notEqual(tiny.Min, tiny.Max);
    // Every bin's range is its own: no two bars say the same edges.
    const ranges = await page.$$eval('#profile-body tr[data-column="id"] svg rect title', (ts) => ts.map((t) => t.textContent.split(': ')[0]));
    assert.ok(ranges.length > 5);
    assert.equal(new Set(ranges).size, ranges.length, ranges.join('\n'));
    assert.match(ranges[0], /^100001 to 100101$/);
  } finally {
    await s.close();
  }
});

test('"Strongest pairs" cuts a very long column name, keeping the whole name as its tooltip and for screen readers', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // A survey export's column name of 470 characters (with markup in it, which stays text).
    const [head, tail] = ['Average <i>monthly</i> household spending on groceries ', '(adjusted)'];
    const long = `${head}${'and related items '.repeat(30).slice(0, 470 - head.length - tail.length)}${tail}`;
    assert.equal(long.length, 470);
    const rows = [`"${long}",b,c,y`];
    for (let i = 0; i < 60; i++) rows.push(`${i * 1.5},${i * 3 + (i % 4)},${(i * 7) % 11},${i % 2 ? 'p' : 'q'}`);
    await chooseFile(page, rows, 'long-name.csv');
    const items = await page.$$eval('#assoc-list li', (lis) => lis.map((li) => ({
      shown: li.querySelector('[aria-hidden="true"]')?.textContent ?? li.textContent,
      spoken: li.querySelector('.visually-hidden')?.textContent ?? li.textContent,
      title: li.getAttribute('title'),
      height: li.getBoundingClientRect().height,
    })));
    const line = Math.min(...items.map((it) => it.height));
    const withLong = items.filter((it) => it.spoken.includes(long));
    assert.ok(withLong.length >= 2, JSON.stringify(items.map((it) => it.spoken.slice(0, 60))));
    for (const it of withLong) {
      assert.ok(it.shown.length < 100, `shown whole: ${it.shown}`);
      assert.match(it.shown, /^Average.*….*\(adjusted\) × |× Average.*….*\(adjusted\):/);
      assert.equal(it.title, it.spoken);
      assert.ok(it.height < 1.5 * line, `${it.shown} takes ${it.height} px, a line ${line} px`);
    }
    // A short name's pair reads as before.
    assert.ok(items.some((it) => /^(b × c|c × b): /.test(it.shown) && it.title === null), JSON.stringify(items.map((it) => it.shown)));
    assert.equal(await page.$$eval('#assoc-list i', (n) => n.length), 0, 'the name is text, not markup');
  } finally {
    await s.close();
  }
});
