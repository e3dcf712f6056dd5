// Number and label text of the profile's charts (no DOM needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeText, formatNumber, middleCut } from '../../www/charts.js';

test('histogram edges keep the digits that tell neighbouring bins apart', () => {
  // Bins 49.95 wide from 100001: 4 significant digits said "100000 to 100100" for two bins.
  const wide = edgeText(49.95);
  const edges = [100001, 100050.95, 100100.9, 100150.85].map(wide);
  assert.deepEqual(edges, ['100001', '100051', '100101', '100151']);
  assert.equal(new Set(edges).size, edges.length);
  // Small steps keep their decimals; large ones do not invent any.
  assert.deepEqual([1.23456, 1.28456].map(edgeText(0.05)), ['1.235', '1.285']);
  assert.equal(edgeText(2e4)(1430032.5), '1430000');
  assert.equal(edgeText(0)(5), '5');
  // Edges a rounding would move into the neighbouring bin read as they are.
  assert.deepEqual([0, 1.25, 10, 11.25, 12.5].map(edgeText(1.25)), ['0', '1.25', '10', '11.25', '12.5']);
  assert.deepEqual([0, 125000, 1000000, 1125000].map(edgeText(125000)), ['0', '125000', '1000000', '1125000']);
  // Bins of an awkward width keep a few digits, not fifteen.
  assert.deepEqual([25 / 39, 50 / 39].map(edgeText(25 / 39)), ['0.64', '1.28']);
  assert.equal(edgeText(1)(NaN), '');
});

test('long names are cut in the middle, so a shared start does not hide the difference', () => {
  assert.equal(middleCut('feature_number_27'), 'featur…number_27');
  assert.notEqual(middleCut('feature_number_27'), middleCut('feature_number_28'));
  assert.equal(middleCut('short'), 'short');
  assert.equal([...middleCut('ü'.repeat(40))].length, 16);
});

test('figures share the least precision at which different values read differently', async () => {
  const { distinctTexts } = await import('../../www/charts.js');
  const four = (v) => (typeof v === 'number' ? String(Number(v.toFixed(4))) : '—');
  // 1 ± 1e-7: four decimals said "1 [1 – 1]".
  const texts = distinctTexts([0.9999999, 1.0000001, 1, 0.99999993, 1.00000007], four);
  assert.equal(new Set(texts).size, 5, texts.join(' '));
  assert.deepEqual(texts, ['0.9999999', '1.0000001', '1', '0.99999993', '1.00000007']);
  // Figures that already differ keep the base text; equal ones may share it.
  assert.deepEqual(distinctTexts([1, 2, 1.5, 1.5, null], four), ['1', '2', '1.5', '1.5', '—']);
  // A mean one rounding step from the median is not printed to 17 digits.
  assert.deepEqual(distinctTexts([3.6500000000000004, 3.65, 2.1, 5.2], four), ['3.65', '3.65', '2.1', '5.2']);
  // Whole numbers one apart past 1e15 still read apart.
  const big = distinctTexts([1234567890123456, 1234567890123457], (v) => v.toExponential(3));
  assert.equal(new Set(big).size, 2, big.join(' '));
});

test('heatmap labels stay apart when names share a long start and end', async () => {
  const { shortLabels } = await import('../../www/charts.js');
  const names = Array.from({ length: 30 }, (_, i) => `sensor_temperature_reading_${String(i).padStart(2, '0')}_celsius`);
  const labels = shortLabels(names);
  assert.equal(new Set(labels).size, 30, labels.join(' '));
  assert.equal(labels[7], 'sen…07…ius');
  assert.ok(labels.every((l) => [...l].length <= 16));
  const same = shortLabels(['measurement_column_number_1_x', 'measurement_column_number_2_x']);
  assert.equal(new Set(same).size, 2, same.join(' '));
  // Short distinct names are left as they are.
  assert.deepEqual(shortLabels(['a', 'bb', 'feature_number_27']), ['a', 'bb', 'featur…number_27']);
});

test('shares read as the alerts write them, one decimal, never a false 0% or 100%', async () => {
  const { formatPercent } = await import('../../www/charts.js');
  // 19 of 2,752 cells: four decimals said "0.6904%".
  assert.equal(formatPercent((100 * 19) / 2752), '0.7%');
  assert.equal(formatPercent(3.2), '3.2%');
  assert.equal(formatPercent(25), '25%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(100), '100%');
  // One missing cell in twenty million is not none, and one present is not all.
  assert.equal(formatPercent(100 / 2e7), '<0.1%');
  assert.equal(formatPercent(100 - 100 / 2e7), '>99.9%');
  assert.equal(formatPercent(NaN), '—');
});

test('date-times are called UTC only when the file gave them a zone', async () => {
  const { valueFormatter, zoneWords } = await import('../../www/charts.js');
  const at = 1_709_294_400; // 2024-03-01 12:00:00
  const naive = { kind: 'date_time', dateRange: { min: '2024-03-01T12:00:00', max: '2024-03-01T12:00:00', zone: 'not_stated' } };
  const zoned = { kind: 'date_time', dateRange: { min: '2024-03-01T12:00:00', max: '2024-03-01T12:00:00', zone: 'utc' } };
  assert.equal(valueFormatter(naive)(at), '2024-03-01 12:00:00');
  assert.equal(zoneWords(naive), 'local time, zone not stated');
  assert.equal(valueFormatter(zoned)(at), '2024-03-01 12:00:00 UTC');
  assert.equal(zoneWords(zoned), 'UTC');
  assert.equal(valueFormatter({ kind: 'date', dateRange: { min: '2024-03-01', max: '2024-03-01' } })(at), '2024-03-01');
  assert.equal(zoneWords({ kind: 'date', dateRange: { min: '2024-03-01', max: '2024-03-01' } }), '');
});

test('a spread of time reads in the largest unit it fills, as the engine writes it', async () => {
  const { formatSpan } = await import('../../www/charts.js');
  const day = 86_400;
  // A sensor log's 24 minutes read "0.017 days".
  assert.equal(formatSpan(24.3 * 60), '24.3 minutes');
  assert.equal(formatSpan(2 * day), '2.0 days');
  assert.equal(formatSpan(3.5e11 * day), '3.50e11 days');
  assert.equal(formatSpan(5.2 * 3600), '5.2 hours');
  assert.equal(formatSpan(0.81), '0.81 seconds');
  assert.equal(formatSpan(0.0123), '0.012 seconds');
  assert.equal(formatSpan(0), '0.0 seconds');
  assert.equal(formatSpan(-90), '-1.5 minutes');
  assert.equal(formatSpan(NaN), '');
});

test('figures show no digits past those a float holds', () => {
  assert.equal(formatNumber(286477041216104.44), '286477041216104');
  assert.equal(formatNumber(123456789012.345678), '123456789012.346');
  assert.equal(formatNumber(3.14159265), '3.1416');
  assert.equal(formatNumber(-2.5), '-2.5');
  assert.equal(formatNumber(0.000123456), '0.0001235');
  assert.equal(formatNumber(1e15 + 0.5), '1.000e+15');
  assert.equal(formatNumber(42), '42');
});
