// Journey with the keyboard only: add preparation steps from the alerts,
// then remove them with Enter and Space. After each removal the focus moves
// to the next step's Remove button, or the previous one, or the heading of
// the list once it is empty, never to the page itself; the same for the
// column types under Reading options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, missingPrerequisite } from './harness.mjs';

const skip = missingPrerequisite() ?? false;

/** What has focus: tag, id, aria-label and text, or 'body'. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: 'body' };
    return { tag: e.tagName.toLowerCase(), id: e.id, label: e.getAttribute('aria-label') || '', text: e.textContent, inRecipe: !!e.closest('#recipe-list'), inTypes: !!e.closest('#type-list') };
  });
}

test('removing a step or a column type keeps keyboard focus in the list', { skip, timeout: 120_000 }, async () => {
  const s = await startSession();
  try {
    const { page } = s;
    await s.open();
    let csv = 'x,first_constant,second_constant,third_constant,y\n';
    for (let i = 0; i < 30; i++) csv += `${i},a,b,c,${i % 2 ? 'yes' : 'no'}\n`;
    await page.setInputFiles('#file-input', { name: 'constants.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => /^Loaded/.test(document.getElementById('status').textContent) && !document.body.classList.contains('busy'));

    // Add the three "drop column" steps with the keyboard.
    for (const column of ['first_constant', 'second_constant', 'third_constant']) {
      await page.focus(`#alerts-list li:has-text("${column}") button`);
      await page.keyboard.press('Enter');
    }
    const steps = () => page.$$eval('#recipe-list li > span', (spans) => spans.map((x) => x.textContent.trim()));
    assert.deepEqual(await steps(), ['drop column "first_constant"', 'drop column "second_constant"', 'drop column "third_constant"']);

    // Remove the middle step: focus goes to the next one (now second).
    await page.focus('#recipe-list li:nth-child(2) button');
    await page.keyboard.press('Enter');
    assert.deepEqual(await steps(), ['drop column "first_constant"', 'drop column "third_constant"']);
    let f = await focused(page);
    assert.ok(f.inRecipe && f.tag === 'button', `focus after removing the middle step: ${JSON.stringify(f)}`);
    assert.match(f.label, /third_constant/);
    assert.match(await page.textContent('#status'), /^Removed a preparation step: drop column "second_constant"/);

    // Remove the last step (the focused one): focus goes to the one before.
    await page.keyboard.press('Space');
    assert.deepEqual(await steps(), ['drop column "first_constant"']);
    f = await focused(page);
    assert.ok(f.inRecipe && f.tag === 'button', `focus after removing the last step: ${JSON.stringify(f)}`);
    assert.match(f.label, /first_constant/);

    // Remove the only step: focus goes to the list's heading, which says what is there.
    await page.keyboard.press('Enter');
    assert.deepEqual(await steps(), []);
    f = await focused(page);
    assert.equal(f.id, 'recipe-heading', `focus after removing the only step: ${JSON.stringify(f)}`);
    assert.equal(await page.isVisible('#recipe-empty'), true);
    // Tab moves on from there into the train section, not back to the top of the page.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('#train-section')), true);

    // Column types: two set, the first removed (focus to the next), then the last (focus to the column select).
    await page.click('#read-options summary');
    for (const column of ['x', 'y']) {
      await page.selectOption('#type-column', column);
      await page.selectOption('#type-kind', 'text');
      await page.click('#type-add');
    }
    await page.focus('#type-list li:nth-child(1) button');
    await page.keyboard.press('Enter');
    f = await focused(page);
    assert.ok(f.inTypes && f.tag === 'button', `focus after removing a type: ${JSON.stringify(f)}`);
    assert.equal(f.label, 'Remove the type of y');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('#type-list'), '');
    f = await focused(page);
    assert.equal(f.id, 'type-column', `focus after removing the last type: ${JSON.stringify(f)}`);
    s.assertStayedHome();
  } finally {
    await s.close();
  }
});
