// The page's source stays free of HTML sinks, eval and network APIs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

test('scripts/lint-www.mjs finds nothing in www/', () => {
  const r = spawnSync(process.execPath, ['scripts/lint-www.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test("the page's most-candidates limit is the engine's MAX_TRIALS", () => {
  const engine = Number(/pub const MAX_TRIALS: usize = (\d+);/.exec(readFileSync(join(ROOT, 'src/search/mod.rs'), 'utf8'))[1]);
  const page = Number(/id="trials-input"[^>]*\bmax="(\d+)"/.exec(readFileSync(join(ROOT, 'www/index.html'), 'utf8'))[1]);
  assert.equal(page, engine);
});
