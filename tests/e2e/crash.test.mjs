// Journey: the engine traps (a Rust panic, a stack overflow); the page says so
// in plain words, restarts it with the data still loaded, and Train works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, hasFaultInjection, loadSample, train } from './harness.mjs';

const skip =
  missingPrerequisite() ??
  (hasFaultInjection() ? false : 'the wasm build has no faultInject export: build www/pkg with --features fault-injection to run the crash-recovery journeys');

for (const kind of ['panic', 'recursion', 'alloc']) {
  test(`crash recovery after a ${kind}: banner, fresh engine, data still loaded`, { skip, timeout: 300_000 }, async () => {
    const s = await startSession();
    try {
      const { page } = s;
      await s.open();
      assert.equal(await page.evaluate(() => window.mlcycleApp.client.capabilities.faultInjection), true);
      await loadSample(page, 'iris.csv');

      const rejected = await page.evaluate(async (k) => {
        try {
          await window.mlcycleApp.client.request('fault', { kind: k });
          return null;
        } catch (e) {
          return { name: e.name, code: e.code, message: e.message };
        }
      }, kind);
      assert.ok(rejected, 'the fault request must reject');
      assert.equal(rejected.code, 'engine_crashed', JSON.stringify(rejected));
      assert.match(rejected.message, /stopped unexpectedly/);

      const banner = page.locator('#engine-banner');
      await banner.waitFor({ state: 'visible' });
      const text = await banner.textContent();
      assert.match(text, /The engine stopped unexpectedly/);
      assert.match(text, /not your data/);
      assert.match(text, /your data is still loaded/);
      assert.match(text, /not retried/);
      await page.waitForSelector('#engine-banner[data-reloaded="true"]');

      // The profile is still shown and training works on the new engine.
      assert.equal(await page.textContent('#ov-file'), 'iris.csv');
      const { metrics, error } = await train(page);
      assert.equal(error, '', `train after restart: ${error}`);
      assert.ok(metrics.accuracy >= 0.85, `accuracy ${metrics.accuracy}`);
      s.assertStayedHome();
    } finally {
      await s.close();
    }
  });
}
