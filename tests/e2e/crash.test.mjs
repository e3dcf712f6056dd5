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
      // Every text the banner shows, in order: the reload of a small
      // sample can finish before a test reads the banner once.
      await page.evaluate(() => {
        const banner = document.getElementById('engine-banner');
        window.bannerTexts = [];
        new MutationObserver(() => window.bannerTexts.push(banner.textContent)).observe(banner, { childList: true, subtree: true, characterData: true, attributes: true });
      });

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
      await page.waitForSelector('#engine-banner[data-reloaded="true"]');
      const texts = await page.evaluate(() => window.bannerTexts);
      // Said while the data is loaded again, and only then that it is.
      const during = texts.findIndex((t) => /your data is being loaded into it again/.test(t));
      assert.ok(during >= 0, texts.join('\n---\n'));
      const text = texts[during];
      assert.match(text, /The engine stopped unexpectedly/);
      assert.match(text, /not your data/);
      assert.match(text, /not retried/);
      const done = texts.findIndex((t) => /It has been restarted and your data is loaded again/.test(t));
      assert.ok(done > during, texts.join('\n---\n'));
      const after = await banner.textContent();
      assert.match(after, /It has been restarted and your data is loaded again\. Your last action was not retried\./);

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

test('crash recovery keeps a local file loaded (re-read from the File, no copy kept)', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    const rows = ['a,b,label'];
    for (let i = 0; i < 60; i++) rows.push(`${i},${(i * 7) % 11},${i % 3 ? 'x' : 'y'}`);
    await page.setInputFiles('#file-input', { name: 'local.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
    await page.waitForFunction(() => document.getElementById('ov-file')?.textContent === 'local.csv' && !document.body.classList.contains('busy'));
    const code = await page.evaluate(() => window.mlcycleApp.client.request('fault', { kind: 'panic' }).then(() => null, (e) => e.code));
    assert.equal(code, 'engine_crashed');
    await page.waitForSelector('#engine-banner[data-reloaded="true"]');
    const { metrics, error } = await train(page);
    assert.equal(error, '', error);
    assert.equal(typeof metrics.accuracy, 'number');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
