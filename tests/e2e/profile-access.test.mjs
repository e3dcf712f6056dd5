// Journey: the profile view read with the eyes, the keyboard and a screen
// reader — the heatmap's values legible on their cells and every one of
// them reachable as text, long names kept from widening the table, and a
// focused element never under the sticky status bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, loadSample, chooseFile } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** WCAG 2 contrast of every heatmap value against its cell, computed in the page from the drawn colours. */
function cellContrasts(page) {
  return page.$$eval('#assoc-chart text.cell-value', (texts) => {
    const rgb = (css) => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = (c) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return texts.map((t) => {
      // The value is drawn over the cell it is centred on.
      const x = Number(t.getAttribute('x'));
      const y = Number(t.getAttribute('y'));
      const cell = [...t.ownerSVGElement.querySelectorAll('rect.cell')].find((r) => {
        const [rx, ry, w, h] = ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a)));
        return x >= rx && x <= rx + w && y >= ry && y <= ry + h;
      });
      const [a, b] = [lum(rgb(getComputedStyle(cell).fill)), lum(rgb(getComputedStyle(t).fill))].sort((p, q) => q - p);
      return { text: t.textContent, ratio: (a + 0.05) / (b + 0.05) };
    });
  });
}

test('every value written on a heatmap cell reaches 4.5:1 contrast', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    for (const sample of ['penguins.csv', 'iris.csv']) {
      await loadSample(page, sample);
      const cells = await cellContrasts(page);
      assert.ok(cells.length >= 20, `${sample}: ${cells.length} values`);
      const low = cells.filter((c) => c.ratio < 4.5);
      assert.deepEqual(low, [], `${sample}: values under 4.5:1`);
    }
    // Values from −1 to 1 in steps: every shade the scale has.
    const rows = ['a,b,c,d,e,f,g,h'];
    for (let i = 0; i < 200; i++) {
      const x = (i * 37) % 101;
      const noise = (k) => ((i * k * 7919) % 97) - 48;
      rows.push([x, x + noise(1) * 0.3, x + noise(2) * 0.8, x + noise(3) * 1.5, -x + noise(4) * 0.3, -x + noise(5) * 0.8, -x + noise(6) * 1.5, noise(7)].join(','));
    }
    await chooseFile(page, rows, 'shades.csv');
    const shades = await cellContrasts(page);
    assert.equal(shades.length, 56);
    assert.deepEqual(shades.filter((c) => c.ratio < 4.5), [], 'values under 4.5:1');
  } finally {
    await s.close();
  }
});

test('the heatmap of a few columns shows its scale and note whole', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    for (const [name, rows] of [
      ['three.csv', ['a,b,c', ...Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${i % 3 ? 'x' : 'y'}`)]],
      ['two.csv', ['a,b', ...Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11}`)]],
    ]) {
      await chooseFile(page, rows, name);
      // Every text of the chart lies inside the drawing (the note after
      // the colour scale had been cut to "Cramér’s V ar").
      const outside = await page.$eval('#assoc-chart svg', (svg) => {
        const width = svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].filter((t) => {
          const b = t.getBBox();
          return b.x < 0 || b.x + b.width > width;
        }).map((t) => t.textContent);
      });
      assert.deepEqual(outside, [], name);
      assert.ok((await page.$eval('#assoc-chart svg', (svg) => svg.textContent)).includes('Cramér’s V and η are 0 to 1'));
    }
  } finally {
    await s.close();
  }
});

test('every pair the heatmap draws is reachable as text: a table of all 435 pairs of 30 columns, by keyboard', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    // 32 columns (the heatmap draws the first 30): numbers and labels, so
    // every measure appears.
    const names = Array.from({ length: 32 }, (_, j) => (j % 4 === 3 ? `label_${j}` : `number_${j}`));
    const rows = [names.join(',')];
    for (let i = 0; i < 80; i++) rows.push(names.map((_, j) => (j % 4 === 3 ? `k${(i * (j + 1)) % 5}` : ((i * (j + 2)) % 31) + (i % 7) * j)).join(','));
    await chooseFile(page, rows, 'wide32.csv');
    assert.equal(await page.locator('#assoc-list li').count(), 10, 'the strongest pairs stay ten');

    // Tab from the heatmap reaches the table's disclosure; Enter opens it.
    await page.focus('#assoc-chart svg');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'assoc-all-summary');
    assert.equal(await page.textContent('#assoc-all-summary'), 'All 435 pairs of the heatmap as a table');
    assert.equal(await page.isVisible('#assoc-table'), false);
    await page.keyboard.press('Enter');
    assert.equal(await page.isVisible('#assoc-table'), true);

    const table = await page.$$eval('#assoc-table-body tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(table.length, 30 * 29 / 2);
    // Each row says what the cell's tooltip says, and every drawn cell has its row.
    const titles = await page.$$eval('#assoc-chart svg rect.cell title, #assoc-chart svg rect.cell-none title', (ts) => ts.map((t) => t.textContent));
    const said = new Set(table.map(([a, b, measure, value, n]) => (measure === 'not computed' ? `${a} × ${b}: not computed` : `${a} × ${b}: ${measure} ${value} (n = ${n})`)));
    const upper = titles.filter((t) => {
      const [a, b] = t.split(': ')[0].split(' × ');
      return names.indexOf(a) < names.indexOf(b);
    });
    assert.equal(upper.length, 435);
    assert.deepEqual(upper.filter((t) => !said.has(t)), [], 'cells without a row in the table');
    const measures = new Set(table.map((r) => r[2]));
    for (const m of ['Pearson r', 'Cramér’s V', 'correlation ratio η']) assert.ok(measures.has(m), `${m} in ${[...measures]}`);
    // The first 29 paired columns and the target (the last column, label_31), drawn last.
    assert.ok(!table.some((r) => r[0] === 'number_30' || r[1] === 'number_30'), `only the drawn columns: ${[...new Set(table.flatMap((r) => [r[0], r[1]]))].join(' ')}`);
    assert.ok(table.some((r) => r[1] === 'label_31'), 'the target is drawn');
  } finally {
    await s.close();
  }
});

test('a 999-character name and 1,000-character labels do not blow up the profile table', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const longName = 'L'.repeat(999);
    const longLabel = (k) => `${String.fromCharCode(65 + k)}${'M'.repeat(999)}`;
    const rows = [`num,"${longName}",words,target`];
    for (let i = 0; i < 60; i++) rows.push(`${i % 13},${longLabel(i % 4)},${['x', 'y', 'z'][i % 3]},${i % 3 ? 'yes' : 'no'}`);
    await chooseFile(page, rows, 'long-text.csv');
    const viewport = page.viewportSize().width;
    const got = await page.$eval('#profile-table', (t) => {
      const row = t.querySelector(`#profile-body tr[data-column="${'L'.repeat(999)}"]`);
      const name = row.querySelector('th.col-name');
      const values = [...row.querySelectorAll('.top-value')];
      return {
        width: t.getBoundingClientRect().width,
        rowHeight: row.getBoundingClientRect().height,
        nameText: name.textContent,
        nameTitle: name.querySelector('[title]')?.title,
        valueTitles: values.map((v) => v.title),
        valueTexts: values.map((v) => v.textContent),
        valueWidths: values.map((v) => v.getBoundingClientRect().width),
        short: t.querySelector('#profile-body tr[data-column="words"] .top-value').title,
      };
    });
    assert.ok(got.width <= 2 * viewport, `the table is ${Math.round(got.width)} px wide on a ${viewport} px screen`);
    assert.ok(got.rowHeight < 300, `the long row is ${Math.round(got.rowHeight)} px tall`);
    // The whole text stays: read in full by a screen reader, and as the tooltip.
    assert.equal(got.nameText, longName);
    assert.equal(got.nameTitle, longName);
    assert.equal(got.valueTitles.length, 4);
    // (The engine keeps the first 200 or so characters of a value.)
    assert.deepEqual(got.valueTitles, got.valueTexts);
    for (const t of got.valueTitles) assert.match(t, /^[A-D]M{150,}/);
    for (const w of got.valueWidths) assert.ok(w < viewport / 2, `a value is ${w} px wide`);
    assert.equal(got.short, '', 'a short value has no tooltip');

    // On a phone the table's wrapper still fits the screen and the table scrolls in it.
    await page.setViewportSize({ width: 375, height: 800 });
    const phone = await page.$eval('#profile-table', (t) => ({ width: t.getBoundingClientRect().width, page: document.documentElement.scrollWidth }));
    assert.ok(phone.width <= 2 * 1280, `the table is ${Math.round(phone.width)} px wide`);
    assert.ok(phone.page <= 375, `the page is ${phone.page} px wide`);
  } finally {
    await s.close();
  }
});

test('at 375 px, Tab never leaves the focused element under the sticky status bar', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await page.setViewportSize({ width: 375, height: 740 });
    await s.open();
    await loadSample(page, 'penguins.csv');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.focus('#sample-select');
    const hidden = [];
    let charts = 0;
    for (let i = 0; i < 45; i++) {
      await page.keyboard.press('Tab');
      // The page's own correction comes in the next frame.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const f = await page.evaluate(() => {
        const a = document.activeElement;
        const bar = document.querySelector('.notices');
        if (a === document.body || bar.contains(a)) return null;
        return { what: (a.id || a.getAttribute('aria-label') || a.textContent).trim().slice(0, 60), top: a.getBoundingClientRect().top, barBottom: bar.getBoundingClientRect().bottom, chart: a.matches('svg') };
      });
      if (!f) continue;
      if (f.chart) charts++;
      if (f.top < f.barBottom - 0.5) hidden.push(f);
    }
    assert.ok(charts >= 3, `Tab reached ${charts} charts`);
    assert.deepEqual(hidden, [], 'focused elements under the status bar');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
