// Number and label text of the profile's charts (no DOM needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeText, middleCut } from '../../www/charts.js';

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
  assert.equal(edgeText(1)(NaN), '');
});

test('long names are cut in the middle, so a shared start does not hide the difference', () => {
  assert.equal(middleCut('feature_number_27'), 'featur…number_27');
  assert.notEqual(middleCut('feature_number_27'), middleCut('feature_number_28'));
  assert.equal(middleCut('short'), 'short');
  assert.equal([...middleCut('ü'.repeat(40))].length, 16);
});
