// Journey: a job that never finishes. The person presses Cancel (or the
// watchdog fires); the page stops the engine, starts a fresh one with the
// data still loaded, and the next Train works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, hasFaultInjection, loadSample, train } from './harness.mjs';

const skip =
  missingPrerequisite() ??
  (hasFaultInjection() ? false : 'the wasm build has no faultInject export: build with --features fault-injection');

/** Starts a job in the engine that never returns; resolves once it is running. */
async function startHang(page) {
  await page.evaluate(() => {
    window.__hang = window.mlcycleApp.client.request('fault', { kind: 'hang' }).then(
      () => ({ ok: true }),
      (e) => ({ name: e.name, code: e.code, message: e.message }),
    );
  });
}

test('Cancel stops a job that never ends and keeps the data', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    const cancel = page.getByRole('button', { name: 'Cancel' });
    assert.equal(await cancel.isVisible(), false, 'no Cancel while idle');
    await startHang(page);
    await cancel.waitFor({ state: 'visible' });
    await cancel.click();
    const outcome = await page.evaluate(() => window.__hang);
    assert.equal(outcome.code, 'cancelled', JSON.stringify(outcome));
    await page.waitForFunction(() => /as you asked\. Your data is still loaded\./.test(document.querySelector('#status').textContent));
    assert.equal(await page.locator('#engine-banner').isVisible(), false, 'a cancel is not a crash');
    await cancel.waitFor({ state: 'hidden' });
    assert.equal(await page.textContent('#ov-file'), 'iris.csv');
    const { metrics, error } = await train(page);
    assert.equal(error, '', `train after cancel: ${error}`);
    assert.ok(metrics.accuracy >= 0.85);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('Escape cancels too', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    await startHang(page);
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    const outcome = await page.evaluate(() => window.__hang);
    assert.equal(outcome.code, 'cancelled');
  } finally {
    await s.close();
  }
});

test('the watchdog stops a job past its time limit, says so, and the data stays', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    await page.evaluate(() => {
      window.mlcycleApp.client.timeouts.fault = 700;
    });
    await startHang(page);
    const outcome = await page.evaluate(() => window.__hang);
    assert.equal(outcome.code, 'timed_out', JSON.stringify(outcome));
    const banner = page.locator('#engine-banner');
    await banner.waitFor({ state: 'visible' });
    assert.match(await banner.textContent(), /did not finish running a fault test within 700 ms, so it was stopped/);
    await page.waitForSelector('#engine-banner[data-reloaded="true"]');
    const { metrics, error } = await train(page);
    assert.equal(error, '');
    assert.ok(metrics.accuracy >= 0.85);
  } finally {
    await s.close();
  }
});
