// Journey: clusters and the 2-D projection of a bundled sample, as a person
// explores before training: k-means, DBSCAN with its noise, PCA alone, and a
// bad parameter that gets a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, loadSample } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

async function run(page) {
  await page.click('#cluster-button');
  await page.waitForFunction(() => !document.body.classList.contains('busy') && /^(Clustered|Clustering failed|Nothing was clustered)/.test(document.getElementById('status').textContent));
}

test('iris: k-means, DBSCAN and PCA draw a labelled projection', { skip, timeout: 180_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');

    // k-means with k = 3 on the four measurements (species left out).
    await page.fill('#cluster-k', '3');
    await run(page);
    assert.equal(await page.textContent('#error'), '');
    const sizes = await page.$$eval('[data-testid="cluster-list"] li', (lis) => lis.map((li) => Number(/: (\d+) rows/.exec(li.textContent)[1])));
    assert.equal(sizes.length, 3);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 150);
    const svg = await page.$eval('#cluster-output svg', (el) => ({ role: el.getAttribute('role'), label: el.getAttribute('aria-label'), points: el.querySelectorAll('circle').length, colours: new Set([...el.querySelectorAll('circle')].map((c) => c.getAttribute('fill'))).size }));
    assert.equal(svg.role, 'img');
    assert.equal(svg.points, 150);
    assert.equal(svg.colours, 3);
    // Standardised iris: PC1 + PC2 explain 95.8% (scikit-learn's PCA on StandardScaler output).
    assert.match(svg.label, /explain 95\.8% of the variance/);

    // DBSCAN: some rows are noise at a small radius.
    await page.selectOption('#cluster-model', 'dbscan');
    assert.equal(await page.isVisible('#cluster-k'), false);
    await page.fill('#cluster-eps', '0.3');
    await page.fill('#cluster-min', '5');
    await run(page);
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('[data-testid="cluster-summary"]'), /rows noise/);

    // PCA alone names the features that drive PC1.
    await page.selectOption('#cluster-model', 'pca');
    await run(page);
    assert.match(await page.textContent('#cluster-output'), /PC1 is driven most by petal_length/);

    // A bad parameter: a message, nothing run.
    await page.selectOption('#cluster-model', 'kmeans');
    await page.fill('#cluster-k', '1');
    await run(page);
    assert.match(await page.textContent('#error'), /k must be a whole number from 2 to 100, not "1"/);
    // The PCA result before is not shown beside the error as if it were this one's.
    assert.equal(await page.textContent('#cluster-output'), '');
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});

test('clustering shows its clock while it runs', { skip, timeout: 180_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    await loadSample(page, 'iris.csv');
    // A job that reports nothing until it ends shows its clock meanwhile
    // (the engine's answer held back a moment, so the clock is seen).
    await page.evaluate(() => {
      const { client } = window.mlcycleApp;
      const cluster = client.cluster.bind(client);
      client.cluster = (o) => new Promise((resolve, reject) => setTimeout(() => cluster(o).then(resolve, reject), 1500));
    });
    await page.fill('#cluster-k', '3');
    await page.click('#cluster-button');
    await page.waitForFunction(() => /^Clustering: \d+\.\d s elapsed\. Esc or Cancel stops\.$/.test(document.getElementById('progress-text').textContent) && !document.getElementById('progress-line').hidden);
    await page.waitForFunction(() => !document.body.classList.contains('busy') && /^Clustered/.test(document.getElementById('status').textContent));
    assert.equal(await page.isVisible('#progress-line'), false);
    assert.equal(await page.textContent('#error'), '');
  } finally {
    await s.close();
  }
});
