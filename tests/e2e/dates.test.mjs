// Journey: a file with a date and a date-time column. The profile says their
// range, mean, median and quartiles as dates (not seconds since 1970), their
// spread in days, and the distribution chart's bins as dates; a date target
// trained as regression says its error in seconds and in days.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, profileRow, train } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
// 40 rows: a date every 3 days from 2024-01-01, a date-time 6 hours later each time.
const ROWS = Array.from({ length: 40 }, (_, i) => ({
  date: new Date(START + i * 3 * DAY),
  time: new Date(START + i * 3 * DAY + (i % 4) * 6 * 3_600_000),
  x: i,
  z: (i * 7) % 11,
}));
const CSV = `day,stamp,x,z\n${ROWS.map((r) => `${r.date.toISOString().slice(0, 10)},${r.time.toISOString().slice(0, 19)},${r.x},${r.z}`).join('\n')}\n`;

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
// The stamps are written without a zone: shown as written, not called UTC.
const isoTime = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
function stats(ms) {
  const n = ms.length;
  const mean = ms.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(ms.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo]);
  };
  return { min: sorted[0], max: sorted[n - 1], mean, std, q1: q(0.25), median: q(0.5), q3: q(0.75) };
}

test('date columns are profiled as dates, their spread in days; a date target’s error in seconds and days', { skip, timeout: 240_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await page.setInputFiles('#file-input', { name: 'dates.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.waitForFunction(() => /^Loaded/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'));

    // The date column: every figure a date, as pandas' describe() gives them, std in days.
    const day = await profileRow(page, 'day');
    assert.equal(day.Kind, 'date');
    const d = stats(ROWS.map((r) => r.date.getTime()));
    assert.equal(day.Min, '2024-01-01');
    assert.equal(day.Max, isoDay(d.max));
    assert.equal(day.Mean, isoDay(d.mean));
    assert.equal(day.Std, `${(d.std / DAY).toFixed(1)} days`);
    assert.equal(day['Median [Q1 – Q3]'], `${isoDay(d.median)} [${isoDay(d.q1)} – ${isoDay(d.q3)}]`);

    // The date-time column: date and time of day, as written (no zone stated).
    const stamp = await profileRow(page, 'stamp');
    assert.equal(stamp.Kind, 'date_time');
    const t = stats(ROWS.map((r) => r.time.getTime()));
    assert.equal(stamp.Min, '2024-01-01 00:00:00');
    assert.equal(stamp.Max, isoTime(t.max));
    assert.equal(stamp.Mean, isoTime(Math.floor(t.mean / 1000) * 1000));
    assert.equal(stamp.Std, `${(t.std / DAY).toFixed(1)} days`);
    assert.equal(stamp['Median [Q1 – Q3]'], `${isoTime(t.median)} [${isoTime(t.q1)} – ${isoTime(t.q3)}]`);
    for (const row of [day, stamp]) {
      for (const key of ['Min', 'Max', 'Mean', 'Std', 'Median [Q1 – Q3]']) assert.doesNotMatch(row[key], /\d{7}/, `${row.Column} ${key} shows seconds: ${row[key]}`);
    }

    // The distribution chart says its bins as dates, to people and to screen readers.
    const chart = await page.$eval('#profile-body tr[data-column="day"] svg.mini-chart', (svg) => ({
      label: svg.getAttribute('aria-label'),
      bars: [...svg.querySelectorAll('rect title')].map((x) => x.textContent),
    }));
    assert.match(chart.label, /^Histogram of day: \d+ bins from 2024-01-01 to \d{4}-\d\d-\d\d;/);
    assert.ok(chart.bars.length > 1);
    for (const bar of chart.bars) assert.match(bar, /^\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: \d+$/);
    const stampLabel = await page.$eval('#profile-body tr[data-column="stamp"] svg.mini-chart', (svg) => svg.getAttribute('aria-label'));
    assert.match(stampLabel, /from 2024-01-01 00:00:00 to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(local time, zone not stated\);/);
    assert.equal(await page.getAttribute('#profile-body tr[data-column="stamp"] td.kind', 'title'), 'times in local time, zone not stated');
    // A number column keeps numbers.
    assert.equal((await profileRow(page, 'x')).Max, '39');

    // A date target trained as regression: the error in seconds, and in days.
    await page.selectOption('#target-select', 'day');
    await page.waitForFunction(() => document.getElementById('task-auto').textContent.includes('regression'));
    await page.selectOption('#search-select', 'none');
    const { metrics, error } = await train(page);
    assert.equal(error, '', `no error expected, got: ${error}`);
    assert.ok(metrics.rmse > 0, `rmse ${metrics.rmse}`);
    const rmse = await page.textContent('[data-testid="metric-rmse"]');
    const m = /^([\d.]+) seconds \(([\d.]+) days\)$/.exec(rmse);
    assert.ok(m, `RMSE says its unit: ${rmse}`);
    assert.ok(Math.abs(Number(m[1]) - metrics.rmse) < 1e-3 * metrics.rmse, `${m[1]} is the RMSE ${metrics.rmse}`);
    assert.ok(Math.abs(Number(m[2]) - metrics.rmse / 86_400) <= 0.05, `${m[2]} days is ${metrics.rmse} s`);
    assert.match(await page.textContent('[data-testid="metric-r2"]'), /^-?\d+(\.\d+)?$/, 'R² has no unit');

    // A number target keeps a bare number.
    await page.selectOption('#target-select', 'x');
    await page.waitForFunction(() => document.getElementById('task-auto').textContent.includes('regression'));
    await train(page);
    assert.match(await page.textContent('[data-testid="metric-rmse"]'), /^\d+(\.\d+)?$/);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
