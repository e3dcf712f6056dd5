// Workshop on bad Wi-Fi: after one visit the page opens, loads a bundled
// dataset it never fetched online, trains and replays with the network off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSession, missingPrerequisite, loadSample, train, openManifest } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

test('offline after one visit: reload, load a sample first fetched by the service worker, train, replay', { skip, timeout: 300_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await page.waitForFunction(() => document.getElementById('offline').textContent.startsWith('Kept in this browser'), null, { timeout: 60_000 });
    // The first visit fetched no dataset itself: wine.csv reaches the offline
    // page only through the service worker's install.
    const pageFetchedWine = await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/data/wine.csv')));
    assert.equal(pageFetchedWine, false, 'the first visit itself should not have loaded wine.csv');

    // The server goes away and the browser is offline.
    await s.stopServer();
    await s.context.setOffline(true);
    try {
      await s.open();
      assert.match(await page.textContent('#offline'), /^Kept in this browser/);
      await loadSample(page, 'wine.csv');
      assert.equal(await page.textContent('#ov-rows'), '178');
      const { metrics, error } = await train(page);
      assert.equal(error, '', `no error expected offline, got: ${error}`);
      assert.equal(typeof metrics.accuracy, 'number', `metrics: ${JSON.stringify(metrics)}`);

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-manifest')]);
      const saved = join(s.tmp, download.suggestedFilename());
      await download.saveAs(saved);
      const replay = await openManifest(page, saved);
      assert.equal(replay.error, '', `replay error: ${replay.error}`);
      assert.equal(replay.reproduced, 'true');
    } finally {
      await s.context.setOffline(false);
    }
    assert.deepEqual(s.pageErrors, []);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
