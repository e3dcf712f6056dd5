// The profile as a person reads it on a laptop: the table fits 1280 px
// with its Top values column (a narrow screen scrolls it, and says so);
// a number column in which no value repeats says so where its top values
// would be; on a wide file the heatmap draws the chosen target too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, chooseFile, profileRow } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** A deterministic stream of numbers in [0, 1). */
function random(seed) {
  let v = seed;
  return () => {
    v = (v * 1103515245 + 12345) % 2147483648;
    return v / 2147483648;
  };
}

const pad = (n) => String(n).padStart(2, '0');

/**
 * Dates, prices in the hundreds of thousands, long names and codes, as a
 * house-sales or passenger list has them; `huge` writes prices in the
 * hundreds of billions, to the cent, and the table outgrows 1280 px.
 */
function listings(huge = false) {
  const r = random(4242);
  const first = ['Elizabeth', 'William', 'Olga', 'Margaretha', 'Bartholomew'];
  const lines = ['sold_on,listed,sqft,beds,neighbourhood,agent,reference,price'];
  for (let i = 0; i < 600; i++) {
    const day = `20${15 + Math.floor(r() * 8)}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`;
    const [y, m, d] = day.split('-');
    lines.push([
      day,
      `${m}/${d}/${y}`,
      (300 + r() * 2900).toFixed(1),
      1 + Math.floor(r() * 5),
      ['north', 'south', 'east', 'west', 'centre'][i % 5],
      `"Johnson-Fairweather, Mrs. ${first[i % 5]} ${String.fromCharCode(65 + (i % 26))}${i}"`,
      `STON/O2. ${3100000 + i * 7}`,
      huge ? (1e9 + r() * 6.5e11).toFixed(2) : (10000 + r() * 650000).toFixed(0),
    ].join(','));
  }
  return lines;
}

test('the profile table fits 1280 px, Top values and all; narrower, it says it scrolls', { skip, timeout: 180_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await chooseFile(page, listings(), 'listings.csv');
    const fit = () =>
      page.evaluate(() => {
        const w = document.getElementById('profile-table').closest('.table-wrap');
        const top = [...document.querySelectorAll('#profile-table thead th')].find((th) => th.textContent.trim() === 'Top values');
        return { scroll: w.scrollWidth, client: w.clientWidth, topRight: top.getBoundingClientRect().right, wrapRight: w.getBoundingClientRect().right };
      });
    const laptop = await fit();
    assert.ok(laptop.scroll <= laptop.client, `the table is ${laptop.scroll} px wide in ${laptop.client} px`);
    assert.ok(laptop.topRight <= laptop.wrapRight + 0.5, `Top values ends at ${laptop.topRight}, the wrapper at ${laptop.wrapRight}`);
    assert.equal(await page.isVisible('[data-testid="profile-scroll-hint"]'), false);
    // The figures are all there (the long name cut, whole in its tooltip).
    assert.match((await profileRow(page, 'price'))['Median [Q1 – Q3]'], /\[\d+(\.\d+)? – \d+(\.\d+)?\]/);

    // On a phone the table scrolls inside its wrapper, and a line above it says so.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.waitForSelector('[data-testid="profile-scroll-hint"]', { state: 'visible', timeout: 5000 });
    const phone = await fit();
    assert.ok(phone.scroll > phone.client && phone.wrapRight <= 390, JSON.stringify(phone));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390), true, 'the page itself does not scroll sideways');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForSelector('[data-testid="profile-scroll-hint"]', { state: 'hidden', timeout: 5000 });

    // Figures too long for 1280 px: the table scrolls, and the line says so.
    await chooseFile(page, listings(true), 'huge.csv');
    const wide = await fit();
    assert.ok(wide.scroll > wide.client, JSON.stringify(wide));
    assert.equal(await page.isVisible('[data-testid="profile-scroll-hint"]'), true);
    assert.match(await page.textContent('[data-testid="profile-scroll-hint"]'), /scroll it sideways to see every column, up to Top values/);
  } finally {
    await s.close();
  }
});

test('a number column with no value repeated says so in place of top values', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const r = random(7);
    const lines = ['measure,count,label,once'];
    for (let i = 0; i < 40; i++) lines.push(`${(r() * 100 - 50).toFixed(6)},${i % 4},${i % 3 ? 'x' : 'y'},only`);
    await chooseFile(page, lines, 'measures.csv');
    // Each value once: said, not left blank.
    assert.equal((await profileRow(page, 'measure'))['Top values'], 'each value once');
    // Repeated values keep their list; a constant column is not "each once".
    assert.match((await profileRow(page, 'count'))['Top values'], /^0 ×10/);
    assert.match((await profileRow(page, 'label'))['Top values'], /x ×\d+/);
    assert.doesNotMatch((await profileRow(page, 'once'))['Top values'], /each value once/);
  } finally {
    await s.close();
  }
});

test('on a wide file the heatmap draws the chosen target beside the first columns', { skip, timeout: 180_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const r = random(99);
    const names = Array.from({ length: 40 }, (_, j) => `c${String(j).padStart(3, '0')}`);
    const lines = [[...names, 'outcome'].join(',')];
    for (let i = 0; i < 120; i++) {
      const row = names.map(() => (r() * 10).toFixed(3));
      // The target follows c035, a column past the first 30.
      lines.push([...row, (Number(row[35]) * 2 + r()).toFixed(3)].join(','));
    }
    await chooseFile(page, lines, 'wide.csv');
    await page.selectOption('#target-select', 'outcome');
    await page.waitForFunction(() => /"outcome" as the target/.test(document.getElementById('alerts-heading').textContent) && !/checking/.test(document.getElementById('alerts-heading').textContent));
    // The strongest pair names the target ...
    assert.match(await page.textContent('#assoc-list li'), /c035 × outcome|outcome × c035/);
    // ... and the heatmap draws it: its pairs are in the table of the heatmap's pairs.
    const drawn = await page.$$eval('#assoc-table-body tr', (rows) => rows.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]));
    assert.ok(drawn.some(([a, b]) => a === 'outcome' || b === 'outcome'), `the target is in the heatmap: ${await page.textContent('[data-testid="assoc-note"]')}`);
    assert.ok(drawn.some(([a, b]) => a === 'c000' || b === 'c000'), 'the first columns are too');
    assert.equal(drawn.length, (30 * 29) / 2);
    // (Each axis label holds its text, then its whole text as a tooltip.)
    const labels = await page.$$eval('#assoc-chart svg text.axis-label', (ts) => ts.map((t) => t.firstChild && t.firstChild.nodeValue));
    assert.equal(labels.filter((l) => l === 'outcome').length, 2, labels.join(' '));
    assert.match(await page.textContent('[data-testid="assoc-note"]'), /the first 29 of the 40 other paired columns and the target, "outcome" \(last\)/);
  } finally {
    await s.close();
  }
});
