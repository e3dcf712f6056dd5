// Page speed in headless Chromium, figures only (no assertion). Uses
// MLCYCLE_BIN / MLCYCLE_PKG like the e2e tests.
//
//   node scripts/bench-page.mjs [RUNS]        navigation -> engine ready, and per
//                                             bundled sample Load -> profile and
//                                             Train -> metrics (median of RUNS)
//   node scripts/bench-page.mjs file PATH     one local file through the file
//                                             input: prints one JSON line
//                                             {seconds, readSeconds (parse, until the
//                                             profile stage), mbPerSecond, wasmMemoryBytes,
//                                             columnarBytes, readAs ('parts': read in parts
//                                             by several workers; 'one' or 'refused': in
//                                             one), workers (how many read it), stages
//                                             (seconds in the engine worker: head, wait for
//                                             the helper, absorb, finish, profile; helper:
//                                             init, read), rows}
//   node scripts/bench-page.mjs cancel PATH   Esc while reading PATH: ms until the page
//                                             says it stopped
//   node scripts/bench-page.mjs train PATH TARGET SPEC
//                                             load PATH, train with SPEC (a model
//                                             spec, or {search, models, workers});
//                                             prints {seconds, metric}
import { statSync } from 'node:fs';
import { startSession } from '../tests/e2e/harness.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function samples(runs) {
  const list = ['iris.csv', 'wine.csv', 'breast_cancer.csv', 'diabetes.csv'];
  const s = await startSession();
  try {
    const { page } = s;
    const ready = [];
    const profile = Object.fromEntries(list.map((f) => [f, []]));
    const train = Object.fromEntries(list.map((f) => [f, []]));
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      await s.open();
      ready.push(Date.now() - t0);
      for (const f of list) {
        await page.selectOption('#sample-select', f);
        const t1 = Date.now();
        await page.click('#load-sample');
        await page.waitForFunction((name) => document.getElementById('ov-file')?.textContent === name && !document.body.classList.contains('busy'), f);
        profile[f].push(Date.now() - t1);
        const t2 = Date.now();
        await page.click('#train-button');
        await page.waitForFunction(() => /^Trained/.test(document.getElementById('status').textContent), null, { timeout: 600_000 });
        train[f].push(Date.now() - t2);
      }
    }
    console.log(`page: median of ${runs} fresh loads (headless Chromium, this machine)`);
    console.log(`  navigation -> engine ready   ${median(ready)} ms`);
    for (const f of list) console.log(`  ${f.padEnd(18)} Load -> profile shown ${String(median(profile[f])).padStart(4)} ms   Train -> metrics shown ${String(median(train[f])).padStart(5)} ms`);
  } finally {
    await s.close();
  }
}

async function file(path) {
  const bytes = statSync(path).size;
  const s = await startSession();
  try {
    const { page } = s;
    page.setDefaultTimeout(3_600_000);
    await s.open();
    // When the page says the file is read and the profile is being made.
    await page.evaluate(() => {
      // The progress line says "Read 139 MB; profiling 20 columns…" once read.
      const progress = document.getElementById('progress-text');
      new MutationObserver((_, obs) => {
        if (/^Read .*; profiling/.test(progress.textContent)) {
          window.__readDone = performance.now();
          obs.disconnect();
        }
      }).observe(progress, { childList: true, characterData: true, subtree: true });
    });
    const t0 = Date.now();
    const p0 = await page.evaluate(() => performance.now());
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed)/.test(document.getElementById('status').textContent), null, { polling: 250 });
    const seconds = (Date.now() - t0) / 1000;
    const readSeconds = await page.evaluate((p0) => (window.__readDone ? (window.__readDone - p0) / 1000 : null), p0);
    const out = await page.evaluate(() => ({ last: window.mlcycleApp.state.lastLoad, rows: document.getElementById('ov-rows').textContent, error: document.getElementById('error').textContent, status: document.getElementById('status').textContent }));
    if (out.error) {
      console.log(JSON.stringify({ error: out.error, status: out.status, seconds }));
      return;
    }
    console.log(JSON.stringify({ seconds, readSeconds, mbPerSecond: bytes / 1e6 / seconds, wasmMemoryBytes: out.last.memoryBytes, columnarBytes: out.last.columnarBytes, readAs: out.last.readAs, workers: out.last.workers, stages: out.last.seconds, rows: Number(out.rows) }));
  } finally {
    await s.close();
  }
}

/**
 * Loads PATH through the file input, then trains with `spec`: a model spec
 * (search none, that model) or {search, models, workers} (a pooled search).
 * Prints {seconds, metric} of the training alone.
 */
async function train(path, target, specText) {
  const spec = JSON.parse(specText);
  const s = await startSession();
  try {
    const { page } = s;
    page.setDefaultTimeout(3_600_000);
    await s.open();
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Loaded|Loading .* failed)/.test(document.getElementById('status').textContent), null, { polling: 250 });
    const out = await page.evaluate(async ({ target, spec, maxSeconds }) => {
      const { client, pool, state } = window.mlcycleApp;
      // The bench may run a job longer than the product's watchdog allows.
      for (const type of Object.keys(client.timeouts)) client.timeouts[type] = Math.max(client.timeouts[type], (maxSeconds + 600) * 1000);
      const t0 = performance.now();
      let r;
      if (spec.kind) {
        r = await client.train({ target, seed: 42, search: 'none', model: spec, maxSeconds });
      } else {
        const source = { data: state.source.data, fileName: state.source.fileName, options: state.source.options, key: state.source.key };
        r = await pool.search(client, source, { target, seed: 42, search: spec.search, models: spec.models }, spec.workers);
      }
      const metrics = new Map((r.result.metrics || []).map((m) => [m.name, m.value]));
      return { seconds: (performance.now() - t0) / 1000, metric: metrics.get('accuracy') ?? metrics.get('r2') ?? null };
    }, { target, spec, maxSeconds: Number(process.env.BENCH_MAX_SECONDS || 600) }).catch((e) => ({ error: String(e.message || e).split('\n')[0] }));
    console.log(JSON.stringify(out));
  } finally {
    await s.close();
  }
}

/** Starts reading PATH, presses Esc after the second progress update, and prints how long until the page says it stopped. */
async function cancel(path) {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await page.evaluate(() => {
      window.__reads = 0;
      // The figures of a read are in the progress line (the status says stages).
      const progress = document.getElementById('progress-text');
      new MutationObserver(() => {
        if (progress.textContent.startsWith('Reading:')) window.__reads += 1;
      }).observe(progress, { childList: true, characterData: true, subtree: true });
    });
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => window.__reads >= 2, null, { polling: 10 });
    const ms = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const status = document.getElementById('status');
          const t0 = performance.now();
          new MutationObserver((_, obs) => {
            if (/as you asked/.test(status.textContent)) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          }).observe(status, { childList: true, characterData: true, subtree: true });
          document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
        }),
    );
    console.log(JSON.stringify({ cancelMs: ms }));
  } finally {
    await s.close();
  }
}

if (process.argv[2] === 'file') await file(process.argv[3]);
else if (process.argv[2] === 'cancel') await cancel(process.argv[3]);
else if (process.argv[2] === 'train') await train(process.argv[3], process.argv[4], process.argv[5]);
else await samples(Number(process.argv[2] || 5));
