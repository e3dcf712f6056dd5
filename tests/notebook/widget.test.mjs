// The Jupyter journey, end to end: JupyterLab (from target/notebook-venv,
// made by scripts/notebook-venv.sh from tests/notebook/requirements.txt) runs
// a notebook whose first cell builds `Mlcycle(df, target="species")` from a
// pandas DataFrame; headless Chromium, driven by playwright-core, waits for
// the profile and an alert in the cell, clicks Train and waits for the
// metrics; a second cell then checks in Python that `w.manifest` holds the
// run and that the native `mlcycle replay` reproduces it. With a test build
// of the engine, the widget's engine then traps (a panic) and the cell must
// say so and train again on a restarted engine. Every request the browser
// makes is recorded: none may leave 127.0.0.1.
//
//   MLCYCLE_BIN            the native command (default target/debug/mlcycle)
//   NOTEBOOK_VENV          the venv with JupyterLab and mlcycle_widget (default target/notebook-venv)
//   MLCYCLE_WIDGET_STATIC  the widget's built files, read by mlcycle_widget in the kernel
//                          (default python/mlcycle_widget/static; make test-notebook sets
//                          target/widget-test, the test build with fault injection)
//   CHROMIUM               the browser (default /usr/bin/chromium)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = resolve(ROOT, process.env.MLCYCLE_BIN || 'target/debug/mlcycle');
const VENV = resolve(ROOT, process.env.NOTEBOOK_VENV || 'target/notebook-venv');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The kernel inherits this environment, so mlcycle_widget reads the same folder.
const STATIC = resolve(ROOT, process.env.MLCYCLE_WIDGET_STATIC || 'python/mlcycle_widget/static');

function missing() {
  if (!existsSync(BIN)) return `the mlcycle command is not built (${BIN})`;
  if (!existsSync(join(VENV, 'bin/jupyter-lab'))) return `JupyterLab is not installed in ${VENV} (run scripts/notebook-venv.sh)`;
  if (!existsSync(join(STATIC, 'mlcycle_bg.wasm'))) return `the widget is not built (${STATIC}; make test-notebook builds the test one)`;
  if (!existsSync(CHROMIUM)) return `Chromium is not installed (${CHROMIUM})`;
  return null;
}

/** Why the crash test cannot run, or null: the bundle's engine needs the faultInject export. */
function noFaultInjection() {
  const worker = join(STATIC, 'engine-worker.js');
  if (existsSync(worker) && /\bfunction faultInject\(/.test(readFileSync(worker, 'utf8'))) return null;
  return `the widget's engine (${STATIC}) has no fault injection: make test-notebook bundles the test build`;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function code(lines) {
  return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: lines.join('\n') };
}

/** The notebook under test: build the widget, then check its manifest and replay it. */
function notebook() {
  const iris = join(ROOT, 'www/data/iris.csv');
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      code([
        'import pandas as pd',
        'from mlcycle_widget import Mlcycle',
        `df = pd.read_csv(${JSON.stringify(iris)})`,
        'w = Mlcycle(df, target="species")',
        'w',
      ]),
      code([
        'import hashlib, json, subprocess',
        'm = w.manifest',
        'assert m is not None, "no manifest came back from the widget"',
        'assert m["schema"] == "mlcycle.run/1", m["schema"]',
        'assert m["config"]["target"] == "species", m["config"]',
        'assert m["tool"]["target"].startswith("wasm32"), m["tool"]  # made in the browser',
        'assert m["dataset"]["sha256"] == hashlib.sha256(w.csv_bytes).hexdigest()',
        'assert m["dataset"]["rows"] == 150',
        'assert len(m["search"]["trials"]) > 1, "the default search ran one candidate"',
        'w.save("run.json", "data.csv")',
        `r = subprocess.run([${JSON.stringify(BIN)}, "replay", "run.json", "data.csv"], capture_output=True, text=True)`,
        'assert r.returncode == 0, f"replay exit {r.returncode}: {r.stdout} {r.stderr}"',
        'print("METRICS " + json.dumps({x["name"]: x["value"] for x in m["result"]["metrics"]}))',
        'print("NOTEBOOK CHECK PASSED")',
      ]),
      code([
        'try:',
        '    Mlcycle(df["species"])',
        'except TypeError as e:',
        '    print("REFUSED", e)',
        '# One field past the engine\'s limit of 1 MiB: pandas writes it, the engine refuses it.',
        'bad = Mlcycle(pd.DataFrame({"a": [1, 2], "b": ["x", "y" * (2**20 + 1)]}))',
        'bad',
      ]),
      code([
        '# An engine cut short (a broken install) cannot start: the cell says so.',
        'broken = Mlcycle(df)',
        'broken._wasm = broken._wasm[:4096]',
        'broken',
      ]),
      code([
        'import json',
        'print("WIDGET ERROR " + json.dumps(w.error))',
      ]),
      code([
        '# Read with the format pandas writes, not guessed: numbers as names stay the header,',
        '# "NA" and "None" stay values, inf is missing with an alert, a ";" stays in its value;',
        '# an unnamed DatetimeIndex is kept, as "index".',
        'import numpy as np',
        'n = 60',
        'd = pd.DataFrame({0: np.r_[np.inf, np.arange(1.0, n)], 1: np.arange(n) * 2.0 + np.sin(np.arange(n)),',
        '                  2: ["NA", "None", "x;y", "z"] * (n // 4)}, index=pd.date_range("2021-03-01", periods=n, freq="D"))',
        'w5 = Mlcycle(d, target=1)',
        'display(w5)',
        'Mlcycle(pd.DataFrame({"t;u": ["a;b", "c\\td"] * 10}))',
      ]),
      code([
        'm = w5.manifest',
        'assert m is not None, "no manifest came back from the widget"',
        'assert m["config"]["target"] == "1" and m["dataset"]["rows"] == 60, (m["config"], m["dataset"]["rows"])',
        'w5.save("run5.json", "data5.csv")',
        `r = subprocess.run([${JSON.stringify(BIN)}, "replay", "run5.json", "data5.csv"], capture_output=True, text=True)`,
        'assert r.returncode == 0, f"replay exit {r.returncode}: {r.stdout} {r.stderr}"',
        'print("FRAME CHECK PASSED")',
      ]),
      code([
        'print("AFTER TARGET", w5.target, w5.manifest is None)',
      ]),
    ],
  };
}

function startJupyter(port, token, dir) {
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: join(dir, 'config'),
    JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
    IPYTHONDIR: join(dir, 'ipython'),
    PATH: `${join(VENV, 'bin')}:${process.env.PATH}`,
  };
  const args = [
    '--no-browser',
    `--port=${port}`,
    '--ip=127.0.0.1',
    `--ServerApp.root_dir=${dir}`,
    `--IdentityProvider.token=${token}`,
    '--ServerApp.open_browser=False',
    // CI runs as root; the extension manager would ask PyPI for extensions.
    '--allow-root',
    '--LabApp.extension_manager=readonly',
    '--LabApp.news_url=None',
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
  ];
  const child = spawn(join(VENV, 'bin/jupyter-lab'), args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  return { child, log: () => log };
}

async function waitForServer(origin, token, jupyter, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (jupyter.child.exitCode !== null) throw new Error(`jupyter lab exited with ${jupyter.child.exitCode}:\n${jupyter.log()}`);
    try {
      const r = await fetch(`${origin}/api/status?token=${token}`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`jupyter lab did not answer within ${ms} ms:\n${jupyter.log()}`);
}

/**
 * Runs the notebook's cell `index` (clicks its editor, Shift+Enter) and waits
 * until its prompt shows it queued or run ([*] or [n]); a key press that
 * came before JupyterLab was listening is pressed again.
 */
async function runCell(page, index) {
  const cell = page.locator('.jp-Notebook .jp-Cell').nth(index);
  const prompt = cell.locator('.jp-InputPrompt');
  for (let attempt = 1; ; attempt++) {
    await cell.locator('.cm-content').click();
    await page.keyboard.press('Shift+Enter');
    try {
      await page.waitForFunction((node) => /\[[\d*]+\]/.test(node.textContent), await prompt.elementHandle(), { timeout: 15_000 });
      return cell;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

const why = missing();
test('a notebook profiles a DataFrame, trains and gets a replayable manifest back', { skip: why || false, timeout: 360_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-notebook-'));
  writeFileSync(join(dir, 'widget.ipynb'), JSON.stringify(notebook(), null, 1));
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const origin = `http://127.0.0.1:${port}`;
  const jupyter = startJupyter(port, token, dir);
  let browser = null;
  let shown = null;
  try {
    await waitForServer(origin, token, jupyter, 60_000);
    // A fresh profile each run (playwright passes it as --user-data-dir).
    const context = await chromium.launchPersistentContext(join(dir, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      viewport: { width: 1400, height: 1000 },
    });
    browser = context;
    // Every request of the page and its workers: none may leave this machine.
    const offsite = [];
    context.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) offsite.push(url);
    });
    // Websockets are the page's (context 'websocket' events do not exist): watched on the page below.
    const page = await context.newPage();
    page.on('websocket', (ws) => {
      if (!ws.url().startsWith(`ws://127.0.0.1:${port}/`)) offsite.push(ws.url());
    });
    const consoleErrors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
    // On a failure, what the notebook showed says why.
    shown = async () => `notebook text:\n${await page.locator('.jp-Notebook').innerText().catch(() => '(none)')}\nconsole errors:\n${consoleErrors.join('\n')}`;
    await page.goto(`${origin}/lab/tree/widget.ipynb?token=${token}`);
    await page.locator('.jp-Notebook .jp-Cell .cm-content').first().waitFor({ timeout: 90_000 });
    // The kernel is up before the first cell runs.
    await page.locator('#jp-main-statusbar').filter({ hasText: /Python 3 \(ipykernel\) \| Idle/ }).waitFor({ timeout: 90_000 });

    const first = await runCell(page, 0);
    const widget = first.locator('.mlcycle-widget');
    await widget.locator('[data-testid="columns"] tbody tr').first().waitFor({ timeout: 60_000 });
    const status = () => widget.locator('[data-testid="status"]').textContent();
    assert.equal(await widget.locator('[data-testid="columns"] tbody tr').count(), 5, `status: ${await status()}`);
    assert.equal(await widget.locator('[data-testid="columns"] tbody tr[data-column="species"] td').first().textContent(), 'categorical');
    // iris.csv has one row repeating an earlier one: its alert is there.
    const duplicate = widget.locator('[data-testid="alerts"] li[data-code="duplicate_rows"]');
    await duplicate.waitFor();
    assert.match(await duplicate.textContent(), /1 row repeats an earlier row/);
    assert.equal(await widget.locator('[data-testid="target-select"]').inputValue(), 'species');
    assert.equal(await widget.locator('[data-testid="error"]').isHidden(), true);

    await widget.locator('[data-testid="train"]').click();
    const accuracy = widget.locator('[data-testid="metric-accuracy"]');
    await accuracy.waitFor({ timeout: 120_000 });
    assert.match(await status(), /^Trained in /);
    assert.ok((await widget.locator('[data-testid="leaderboard"] tbody tr').count()) > 1, 'the leaderboard lists the search candidates');
    const accuracyShown = Number(await accuracy.textContent());
    assert.ok(accuracyShown > 0.8 && accuracyShown <= 1, `accuracy shown: ${accuracyShown}`);

    // Python now holds the manifest: the second cell checks it and replays it natively.
    const second = await runCell(page, 1);
    const out = second.locator('.jp-OutputArea-output');
    await out.filter({ hasText: /NOTEBOOK CHECK PASSED|Error/ }).first().waitFor({ timeout: 120_000 });
    const text = (await out.allTextContents()).join('\n');
    assert.match(text, /NOTEBOOK CHECK PASSED/, text);
    const metrics = JSON.parse(/METRICS (\{.*\})/.exec(text)[1]);
    assert.equal(Number(metrics.accuracy.toFixed(4)), accuracyShown, 'the widget shows the manifest\'s accuracy');

    // The engine traps inside the widget (a panic, as tests/e2e/crash.test.mjs
    // makes on the page): the cell says so in plain words, the data is loaded
    // into a new engine, and Train works again, with the same result.
    await t.test('an engine crash in the widget is said in the cell, and Train works again', { skip: noFaultInjection() || false }, async () => {
      // The widget's engine is the page's one mlcycle worker so far (the
      // cells below start more); worker.js defines mlcycleTrialPanic.
      const engines = [];
      for (const worker of page.workers()) {
        if (await worker.evaluate(() => typeof globalThis.mlcycleTrialPanic === 'function').catch(() => false)) engines.push(worker);
      }
      assert.equal(engines.length, 1, `mlcycle workers: ${engines.length}`);
      // A fault request handed to worker.js as client.js sends one (client.js
      // waits for no such id, so it hears nothing): it traps the instance, and
      // the next request, Train, is refused by a trapped engine.
      await engines[0].evaluate(() => self.onmessage({ data: { id: 'notebook-fault', type: 'fault', payload: { kind: 'panic' } } }));
      const errorBox = widget.locator('[data-testid="error"]');
      await widget.locator('[data-testid="train"]').click();
      await errorBox.waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await errorBox.textContent(), 'The engine stopped unexpectedly while training (a bug in mlcycle, not your data). It has been restarted. Your last action was not retried.');
      // The engine's panic hook logs the panic, once: that console error is this test's own.
      const isPanic = (e) => e.includes('fault injection: panic on purpose');
      for (let waited = 0; !consoleErrors.some(isPanic) && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      assert.equal(consoleErrors.filter(isPanic).length, 1, consoleErrors.join('\n'));
      consoleErrors.splice(consoleErrors.findIndex(isPanic), 1);
      // Train waits for the data to be in the new engine, then the cell says it is.
      await widget.locator('[data-testid="status"]').filter({ hasText: /^The engine was restarted and the data is loaded again: Train runs on it\.$/ }).waitFor({ timeout: 60_000 });
      assert.equal(await widget.locator('[data-testid="train"]').isEnabled(), true);
      assert.equal(await widget.locator('[data-testid="target-select"]').isEnabled(), true);
      assert.equal(await widget.locator('[data-testid="progress"]').textContent(), '');
      // Python sees the message too (w.error).
      const errorCell = await runCell(page, 4);
      const said = errorCell.locator('.jp-OutputArea-output').filter({ hasText: /WIDGET ERROR|Error/ }).first();
      await said.waitFor({ timeout: 60_000 });
      assert.match(JSON.parse(/WIDGET ERROR (".*")/.exec(await said.textContent())?.[1] ?? 'null') ?? '', /^The engine stopped unexpectedly while training/, await said.textContent());

      await widget.locator('[data-testid="train"]').click();
      await widget.locator('[data-testid="status"]').filter({ hasText: /^Trained in / }).waitFor({ timeout: 120_000 });
      assert.equal(await errorBox.isHidden(), true);
      assert.equal(Number(await accuracy.textContent()), accuracyShown, 'the restarted engine trains the same data to the same result');
    });

    // A bad argument is refused in Python; data the engine refuses is said in the cell.
    const third = await runCell(page, 2);
    await third.locator('.jp-OutputArea-output').filter({ hasText: 'REFUSED' }).waitFor({ timeout: 60_000 });
    assert.match(await third.locator('.jp-OutputArea-output').first().textContent(), /REFUSED Mlcycle takes a pandas DataFrame, not Series/);
    const bad = third.locator('.mlcycle-widget');
    const error = bad.locator('[data-testid="error"]');
    await error.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await error.textContent(), /^dataframe\.csv: row .*over the limit of 1048576/);
    assert.equal(await bad.locator('[data-testid="train"]').isDisabled(), true);

    const fourth = await runCell(page, 3);
    const broken = fourth.locator('.mlcycle-widget');
    await broken.locator('[data-testid="error"]').waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await broken.locator('[data-testid="error"]').textContent(), /^The engine could not start: /);
    assert.equal(await broken.locator('[data-testid="status"]').textContent(), 'The engine did not start.');
    assert.equal(await broken.locator('[data-testid="train"]').isDisabled(), true);

    // A frame pandas writes in a form the engine would misread if it guessed (see the cell).
    const fifth = await runCell(page, 5);
    const frame = fifth.locator('.mlcycle-widget').first();
    const rows = frame.locator('[data-testid="columns"] tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('[data-testid="error"]').isHidden(), true, await frame.locator('[data-testid="error"]').textContent());
    assert.match(await frame.locator('h4').textContent(), /: 60 rows, 4 columns$/);
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.column)), ['index', '0', '1', '2']);
    assert.equal(await frame.locator('[data-testid="target-select"]').inputValue(), '1');
    const cells = async (name) => frame.locator(`[data-testid="columns"] tbody tr[data-column="${name}"] td`).allTextContents();
    // td: kind, distribution, count, missing, distinct, min, max, mean.
    const [kind, , , , , min, max] = await cells('index');
    assert.deepEqual([kind, min, max], ['date', '2021-03-01', '2021-04-29']);
    assert.deepEqual((await cells('2')).slice(2, 5), ['60', '0', '4']);
    assert.equal((await cells('0'))[3], '1');
    assert.match(await frame.locator('[data-testid="alerts"] li[data-code="non_finite"]').textContent(), /"0" had 1 non-finite numbers \(inf\) read as missing/);
    const oneColumn = fifth.locator('.mlcycle-widget').nth(1);
    await oneColumn.locator('[data-testid="columns"] tbody tr').first().waitFor({ timeout: 60_000 });
    assert.deepEqual(await oneColumn.locator('[data-testid="columns"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.column)), ['t;u']);
    await frame.locator('[data-testid="train"]').click();
    await frame.locator('[data-testid="metric-rmse"]').waitFor({ timeout: 120_000 });
    const sixth = await runCell(page, 6);
    const checked = sixth.locator('.jp-OutputArea-output');
    await checked.filter({ hasText: /FRAME CHECK PASSED|Error/ }).first().waitFor({ timeout: 120_000 });
    assert.match((await checked.allTextContents()).join('\n'), /FRAME CHECK PASSED/);
    // Another target chosen in the cell: the run Python holds was the old target's.
    await frame.locator('[data-testid="target-select"]').selectOption('0');
    const seventh = await runCell(page, 7);
    const after = seventh.locator('.jp-OutputArea-output').filter({ hasText: /AFTER TARGET|Error/ }).first();
    await after.waitFor({ timeout: 60_000 });
    assert.equal((await after.textContent()).trim(), 'AFTER TARGET 0 True');

    assert.deepEqual(offsite, [], 'requests that left 127.0.0.1');
    assert.deepEqual(consoleErrors.filter((e) => /mlcycle|widget|wasm|worker/i.test(e)), []);
  } catch (err) {
    if (shown) err.message += `\n${await shown()}`;
    if (process.env.NOTEBOOK_SCREENSHOT && browser) await browser.pages()[0]?.screenshot({ path: process.env.NOTEBOOK_SCREENSHOT }).catch(() => {});
    throw err;
  } finally {
    if (browser) await browser.close();
    jupyter.child.kill('SIGTERM');
    await new Promise((r) => {
      if (jupyter.child.exitCode !== null) return r();
      const t = setTimeout(() => {
        jupyter.child.kill('SIGKILL');
        r();
      }, 10_000);
      jupyter.child.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
    rmSync(dir, { recursive: true, force: true });
  }
});
