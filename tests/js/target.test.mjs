// Unit tests for www/protocol.js's defaultTarget: the target offered first
// after a file is loaded is not a column with a different value in every row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTarget } from '../../www/protocol.js';

const col = (name, kind, distinct, count = 30) => ({ name, kind, count, missing: 30 - count, distinct });

test('a log whose last column is its message: the column before is offered', () => {
  const p = {
    rows: 30,
    columns: [col('time', 'integer', 30), col('level', 'categorical', 3), col('message', 'text', 30)],
    // The engine's alerts leave out the target's (the message was profiled as the target).
    alerts: [{ code: 'unique', columns: ['time'] }],
  };
  assert.equal(defaultTarget(p), 'level');
  // Labels all distinct (categorical, not text) are the same case.
  p.columns[2].kind = 'categorical';
  assert.equal(defaultTarget(p), 'level');
});

test('columns the engine flagged as unique are passed over too', () => {
  const p = { rows: 30, columns: [col('x', 'float', 12), col('id', 'integer', 30)], alerts: [{ code: 'unique', columns: ['id'] }] };
  assert.equal(defaultTarget(p), 'x');
});

test('the last column stays when it is an ordinary target, or when every column is free text', () => {
  assert.equal(defaultTarget({ rows: 30, columns: [col('x', 'float', 30), col('y', 'float', 30)], alerts: [] }), 'y');
  assert.equal(defaultTarget({ rows: 30, columns: [col('a', 'text', 30), col('b', 'categorical', 30)], alerts: [] }), 'b');
  // A missing value or fewer than 10 rows: not judged an identifier (the engine's own test).
  assert.equal(defaultTarget({ rows: 30, columns: [col('x', 'float', 5), col('y', 'categorical', 29, 29)], alerts: [] }), 'y');
  assert.equal(defaultTarget({ rows: 5, columns: [col('x', 'float', 5, 5), col('y', 'categorical', 5, 5)], alerts: [] }), 'y');
  assert.equal(defaultTarget({ rows: 0, columns: [] }), undefined);
  // Prices written as text ("$12,345.67"), each in one row: a target to read as numbers.
  assert.equal(defaultTarget({ rows: 30, columns: [col('units', 'integer', 20), col('revenue', 'categorical', 30)], alerts: [{ code: 'numbers_as_text', columns: ['revenue'] }] }), 'revenue');
});
