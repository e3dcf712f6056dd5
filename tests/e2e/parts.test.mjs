// Journey: a large local file on a machine with two cores. The engine worker
// reads the head of the file and a helper worker the rest, at once; the page
// shows the same profile the command gives for the file. When the split
// point falls inside a quoted field that spans lines, the helper's part is
// refused and the engine reads those bytes itself: same profile again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession, missingPrerequisite, runMlcycle } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

// worker.js: the first 2 MiB settle the reading options, then the head takes
// 42% of the rest.
const FIRST = 2 * 1024 * 1024;
const HEAD_SHARE = 0.42;
const splitOf = (total) => FIRST + Math.floor((total - FIRST) * HEAD_SHARE);

/** Rows of mixed columns from row `from`, about `bytes` long in all. */
function rows(from, bytes) {
  const out = [];
  let n = 0;
  let v = 4242 + from;
  for (let i = from; n < bytes; i++) {
    v = (v * 1103515245 + 12345) % 2147483648;
    const note = i % 500 === 3 ? `"two, lines\n""${i}"""` : `n${v % 9000}`;
    const amount = i % 97 === 0 ? '' : ((v % 100000) / 100).toFixed(2);
    const line = `${i},${amount},${['red', 'green', 'blue'][v % 3]},2024-${String(1 + (v % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${note}\n`;
    out.push(line);
    n += line.length;
  }
  return out.join('');
}

/** The figures the page and the command must agree on. */
function figures(p) {
  return {
    sha256: p.sha256,
    rows: p.rows,
    columns: p.columns.map((c) => ({ name: c.name, kind: c.kind, count: c.count, missing: c.missing, distinct: c.distinct, mean: c.mean, std: c.std, min: c.min, max: c.max })),
  };
}

/** Loads `path` through the file input, read by at most `helpers` helper workers. */
async function loadInPage(s, path, name, helpers) {
  const { page } = s;
  await page.evaluate((h) => { window.mlcycleApp.client.helpersPerFile = h; }, helpers);
  await page.setInputFiles('#file-input', path);
  await page.waitForFunction((n) => !document.body.classList.contains('busy') && new RegExp(`^Loaded ${n}`).test(document.getElementById('status').textContent), name.replace('.', '\\.'), { timeout: 200_000 });
  assert.equal(await page.textContent('#error'), '');
  return page.evaluate(() => ({ readAs: window.mlcycleApp.state.lastLoad.readAs, workers: window.mlcycleApp.state.lastLoad.workers, profile: window.mlcycleApp.state.profile }));
}

async function cliFigures(path) {
  const r = await runMlcycle(['profile', path, '--json'], { timeoutMs: 200_000 });
  assert.equal(r.code, 0, r.stderr);
  return figures(JSON.parse(r.stdout));
}

test('a large file is read in two workers and profiles as the command profiles it', { skip, timeout: 400_000 }, async () => {
  const s = await startSession();
  try {
    await s.open();
    const cores = await s.page.evaluate(() => navigator.hardwareConcurrency);
    const path = join(s.tmp, 'parts.csv');
    writeFileSync(path, 'id,amount,colour,when,note\n' + rows(0, 12 * 1024 * 1024));
    const got = await loadInPage(s, path, 'parts.csv', 1);
    assert.equal(got.readAs, cores >= 2 ? 'parts' : 'one');
    // The page says so.
    const status = await s.page.textContent('#status');
    assert.equal(/read by two workers at once/.test(status), cores >= 2, status);
    assert.deepEqual(figures(got.profile), await cliFigures(path));
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('a split inside a quoted field that spans lines is refused and read by the engine', { skip, timeout: 400_000 }, async () => {
  const s = await startSession();
  try {
    await s.open();
    const cores = await s.page.evaluate(() => navigator.hardwareConcurrency);
    // A quoted field of 400 KB, its lines short, placed so that the split
    // point falls about 200 KB into it: the head is sized for that.
    const quoted = `0,1.00,red,2024-01-01,"${'a line of the long note\n'.repeat(17_000)}"\n`;
    const tail = rows(1_000_000, 6 * 1024 * 1024);
    const header = 'id,amount,colour,when,note\n';
    const headBytes = FIRST + Math.ceil((HEAD_SHARE * (quoted.length + tail.length) - 200_000) / (1 - HEAD_SHARE));
    const head = header + rows(0, headBytes - header.length);
    const split = splitOf(head.length + quoted.length + tail.length);
    assert.ok(split > head.length + 50_000 && split < head.length + quoted.length - 50_000, `split ${split} inside the quoted field at ${head.length}..${head.length + quoted.length}`);
    const path = join(s.tmp, 'seam.csv');
    writeFileSync(path, head + quoted + tail);
    const got = await loadInPage(s, path, 'seam.csv', 1);
    assert.equal(got.readAs, cores >= 2 ? 'refused' : 'one');
    assert.doesNotMatch(await s.page.textContent('#status'), /two workers/);
    assert.deepEqual(figures(got.profile), await cliFigures(path));
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('on more cores a large file is read by several helpers at once and profiles the same', { skip, timeout: 400_000 }, async () => {
  const s = await startSession();
  try {
    await s.open();
    // 18 MB: after the first slice, three parts of at least 4 MiB each.
    const path = join(s.tmp, 'many.csv');
    writeFileSync(path, 'id,amount,colour,when,note\n' + rows(0, 18 * 1024 * 1024));
    const got = await loadInPage(s, path, 'many.csv', 3);
    assert.equal(got.readAs, 'parts');
    assert.equal(got.workers, 4);
    assert.match(await s.page.textContent('#status'), /read by 4 workers at once/);
    assert.deepEqual(figures(got.profile), await cliFigures(path));
    // No helpers: one worker reads it all, with the same result.
    const alone = await loadInPage(s, path, 'many.csv', 0);
    assert.equal(alone.readAs, 'one');
    assert.deepEqual(figures(alone.profile), figures(got.profile));
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
