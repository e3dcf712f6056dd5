// Journey: the profile view read with the eyes, the keyboard and a screen
// reader — the heatmap's values legible on their cells and every one of
// them reachable as text, long names kept from widening the table, and a
// focused element never under the sticky status bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite, loadSample, chooseFile } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** WCAG 2 contrast of every heatmap value against its cell, computed in the page from the drawn colours. */
function cellContrasts(page) {
  return page.$$eval('#assoc-chart text.cell-value', (texts) => {
    const rgb = (css) => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = (c) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return texts.map((t) => {
      // The value is drawn over the cell it is centred on.
      const x = Number(t.getAttribute('x'));
      const y = Number(t.getAttribute('y'));
      const cell = [...t.ownerSVGElement.querySelectorAll('rect.cell')].find((r) => {
        const [rx, ry, w, h] = ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a)));
        return x >= rx && x <= rx + w && y >= ry && y <= ry + h;
      });
      const [a, b] = [lum(rgb(getComputedStyle(cell).fill)), lum(rgb(getComputedStyle(t).fill))].sort((p, q) => q - p);
      return { text: t.textContent, ratio: (a + 0.05) / (b + 0.05) };
    });
  });
}

test('every value written on a heatmap cell reaches 4.5:1 contrast', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    for (const sample of ['penguins.csv', 'iris.csv']) {
      await loadSample(page, sample);
      const cells = await cellContrasts(page);
      assert.ok(cells.length >= 20, `${sample}: ${cells.length} values`);
      const low = cells.filter((c) => c.ratio < 4.5);
      assert.deepEqual(low, [], `${sample}: values under 4.5:1`);
    }
    // Values from −1 to 1 in steps: every shade the scale has.
    const rows = ['a,b,c,d,e,f,g,h'];
    for (let i = 0; i < 200; i++) {
      const x = (i * 37) % 101;
      const noise = (k) => ((i * k * 7919) % 97) - 48;
      rows.push([x, x + noise(1) * 0.3, x + noise(2) * 0.8, x + noise(3) * 1.5, -x + noise(4) * 0.3, -x + noise(5) * 0.8, -x + noise(6) * 1.5, noise(7)].join(','));
    }
    await chooseFile(page, rows, 'shades.csv');
    const shades = await cellContrasts(page);
    assert.equal(shades.length, 56);
    assert.deepEqual(shades.filter((c) => c.ratio < 4.5), [], 'values under 4.5:1');
  } finally {
    await s.close();
  }
});
