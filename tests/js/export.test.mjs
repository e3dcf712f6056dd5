// Unit tests for www/export.js: download names and CSV cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, profileCsv, safeStem } from '../../www/export.js';

test('formula cells are neutralised, one row per input', () => {
  const cases = [
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    [-2.5, '-2.5'],
    [null, ''],
  ];
  for (const [input, expected] of cases) assert.equal(csvCell(input), expected, JSON.stringify(input));
});

test('download names keep only safe characters', () => {
  assert.equal(safeStem('../../etc/passwd.csv'), 'passwd');
  assert.equal(safeStem('my data (1).csv'), 'mydata1');
  assert.equal(safeStem('evil\u202Egnp.csv'), 'evilgnp');
  assert.equal(safeStem('.hidden.csv'), 'hidden');
  assert.equal(safeStem('???'), 'dataset');
});

test('the profile CSV has a row per column and neutralised names', () => {
  const csv = profileCsv({
    columns: [
      { name: '=cmd()', kind: 'categorical', count: 2, missing: 0, distinct: 1, top: [{ value: '@x', count: 2 }] },
      { name: 'n', kind: 'numeric', count: 2, missing: 1, distinct: 2, min: -1, max: 3, mean: 1, std: 2.8284271247461903, top: [] },
    ],
  });
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'column,kind,count,missing,distinct,min,max,mean,std,top_values');
  assert.equal(lines[1], "'=cmd(),categorical,2,0,1,,,,,'@x (2)");
  assert.equal(lines[2], 'n,numeric,2,1,2,-1,3,1,2.8284271247461903,');
  assert.equal(lines.length, 4);
});
