// Prints how fast the page is for a person: from navigation to an engine
// ready to work, and from pressing Load to the profile on screen, per bundled
// sample, over several fresh page loads. Figures only; no assertion.
//   node scripts/bench-page.mjs [RUNS]   (uses MLCYCLE_BIN / MLCYCLE_PKG like the e2e tests)
import { startSession } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] || 5);
const samples = ['iris.csv', 'wine.csv', 'breast_cancer.csv', 'diabetes.csv'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const s = await startSession();
try {
  const { page } = s;
  const ready = [];
  const profile = Object.fromEntries(samples.map((f) => [f, []]));
  const train = Object.fromEntries(samples.map((f) => [f, []]));
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    await s.open();
    ready.push(Date.now() - t0);
    for (const f of samples) {
      await page.selectOption('#sample-select', f);
      const t1 = Date.now();
      await page.click('#load-sample');
      await page.waitForFunction((name) => document.getElementById('ov-file')?.textContent === name && !document.body.classList.contains('busy'), f);
      profile[f].push(Date.now() - t1);
      const t2 = Date.now();
      await page.click('#train-button');
      await page.waitForFunction(() => /^Trained/.test(document.getElementById('status').textContent));
      train[f].push(Date.now() - t2);
    }
  }
  console.log(`page: median of ${runs} fresh loads (headless Chromium, this machine)`);
  console.log(`  navigation -> engine ready   ${median(ready)} ms`);
  for (const f of samples) console.log(`  ${f.padEnd(18)} Load -> profile shown ${String(median(profile[f])).padStart(4)} ms   Train -> metrics shown ${String(median(train[f])).padStart(5)} ms`);
} finally {
  await s.close();
}
