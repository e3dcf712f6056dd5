// The page's source stays free of HTML sinks, eval and network APIs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT } from './harness.mjs';

test('scripts/lint-www.mjs finds nothing in www/', () => {
  const r = spawnSync(process.execPath, ['scripts/lint-www.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
