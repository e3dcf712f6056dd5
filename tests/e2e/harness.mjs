// End-to-end harness: serves www/ with the real `mlcycle serve` (and its CSP),
// drives Debian's Chromium through playwright-core, and records every request
// the browser context makes (page and worker), every websocket and popup, so
// each test can assert that nothing left the origin.
//
//   MLCYCLE_BIN  the native command   (default target/debug/mlcycle)
//   MLCYCLE_PKG  the wasm-pack output (default www/pkg)
//   CHROMIUM     the browser          (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = resolve(ROOT, process.env.MLCYCLE_BIN || 'target/debug/mlcycle');
export const PKG = resolve(ROOT, process.env.MLCYCLE_PKG || 'www/pkg');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const DATA = join(ROOT, 'www', 'data');

/** Why the suite cannot run here, or null. */
export function missingPrerequisite() {
  if (!existsSync(BIN)) return `the mlcycle command is not built (${BIN}); run cargo build or set MLCYCLE_BIN`;
  if (!existsSync(join(PKG, 'mlcycle_bg.wasm'))) return `the wasm package is not built (${PKG}); build it or set MLCYCLE_PKG`;
  if (!existsSync(CHROMIUM)) return `Chromium is not installed (${CHROMIUM})`;
  return null;
}

/** Whether the wasm build exports faultInject (the fault-injection feature). */
export function hasFaultInjection() {
  const js = join(PKG, 'mlcycle.js');
  return existsSync(js) && /export function faultInject\b/.test(readFileSync(js, 'utf8'));
}

/** A fresh temporary directory, removed by cleanup(). */
export function tempDir(prefix = 'mlcycle-e2e-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the native command; resolves {code, stdout, stderr}. */
export function runMlcycle(args, { cwd = ROOT, timeoutMs = 120_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(BIN, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mlcycle ${args.join(' ')} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Starts `mlcycle serve www --port 0 --pkg PKG`; resolves {origin, stop}. */
export function startServer() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(BIN, ['serve', 'www', '--port', '0', '--pkg', PKG], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mlcycle serve did not say where it serves within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mlcycle serve exited with ${code} before it was ready; stderr: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^serving (http:\/\/127\.0\.0\.1:(\d+))\/?\s*$/.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        });
      resolvePromise({ origin: m[1], stop, stderr: () => stderr });
    });
  });
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Starts the server and a browser; returns a session with `page`, `origin`,
 * `requests`, `websockets`, `popups`, `consoleLines`, `open()`,
 * `assertStayedHome()` and `close()`.
 */
export async function startSession() {
  const server = await startServer();
  const profileDir = tempDir('mlcycle-chromium-');
  const downloads = tempDir('mlcycle-downloads-');
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      acceptDownloads: true,
      downloadsPath: downloads,
      viewport: { width: 1280, height: 900 },
    });
  } catch (err) {
    await server.stop();
    rmSync(profileDir, { recursive: true, force: true });
    throw err;
  }
  const s = {
    origin: server.origin,
    /** Stops the server early, as when the network is gone (close() tolerates it). */
    stopServer: () => server.stop(),
    context,
    page: null,
    requests: [],
    websockets: [],
    popups: [],
    consoleLines: [],
    pageErrors: [],
    tmp: tempDir(),
  };
  // Context level: includes the worker's requests (pkg/mlcycle.js, the wasm).
  context.on('request', (r) => s.requests.push(r.url()));
  s.finished = [];
  context.on('requestfinished', (r) => s.finished.push(r.url()));
  context.on('requestfailed', (r) => s.finished.push(r.url()));
  context.on('page', (p) => {
    if (s.page && p !== s.page) s.popups.push(p.url());
  });
  const watch = (page) => {
    page.on('websocket', (ws) => s.websockets.push(ws.url()));
    page.on('popup', (p) => s.popups.push(p.url()));
    page.on('console', (m) => s.consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => s.pageErrors.push(String(e)));
    page.on('worker', (w) => w.on('console', (m) => s.consoleLines.push(`worker ${m.type()}: ${m.text()}`)));
  };
  s.page = context.pages()[0] || (await context.newPage());
  watch(s.page);
  s.page.setDefaultTimeout(30_000);

  /** Opens the page and waits until the engine is ready and samples are listed. */
  s.open = async (query = '') => {
    // A fresh browser's first navigation has taken over 30 s on a loaded
    // 2-core machine (its caches are cold); the page's own readiness is
    // still checked below.
    try {
      await s.page.goto(`${s.origin}/${query}`, { timeout: 90_000 });
    } catch (err) {
      // Say which requests never finished, to tell a slow server from a stuck browser.
      const open = s.requests.filter((u) => !s.finished.includes(u));
      err.message += `\nrequests: ${s.requests.join(', ') || 'none'}\nnot finished: ${open.join(', ') || 'none'}\nserver stderr: ${server.stderr().slice(-500)}`;
      throw err;
    }
    await s.page.waitForSelector('body.engine-ready', { timeout: 30_000 });
    await s.page.waitForFunction(() => document.querySelectorAll('#sample-select option[value$=".csv"]').length > 0);
  };

  /** Every request went to the server's origin (or blob:/data:); no websockets, no popups. */
  s.assertStayedHome = () => {
    const away = s.requests.filter((u) => !(u === s.origin || u.startsWith(`${s.origin}/`) || u.startsWith('blob:') || u.startsWith('data:')));
    assert.deepEqual(away, [], `requests left the origin ${s.origin}`);
    assert.ok(s.requests.length > 0, 'no request was recorded at all');
    assert.deepEqual(s.websockets, [], 'a websocket was opened');
    assert.deepEqual(s.popups, [], 'a popup was opened');
    // The page must work under its CSP without tripping it (Chromium logs each violation).
    const violations = s.consoleLines.filter((l) => /Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript|Refused to/i.test(l));
    assert.deepEqual(violations, [], 'CSP or Trusted Types violations');
  };

  s.close = async () => {
    await context.close().catch(() => {});
    await server.stop();
    for (const d of [profileDir, downloads, s.tmp]) rmSync(d, { recursive: true, force: true });
  };
  return s;
}

// ---------- journey steps, as a person does them ----------

/** Picks a bundled sample by file name and presses Load; waits for the profile. */
export async function loadSample(page, file) {
  await page.selectOption('#sample-select', file);
  await page.click('#load-sample');
  await page.waitForFunction((f) => document.getElementById('ov-file')?.textContent === f && !document.body.classList.contains('busy'), file);
}

/**
 * Chooses a local file in the file input, as a person does: `file` is a path
 * on disk, or the lines of a CSV (joined with newlines) given under `name`.
 * Waits until the page shows its profile.
 */
export async function chooseFile(page, file, name) {
  const input = typeof file === 'string' ? file : { name, mimeType: 'text/csv', buffer: Buffer.from(file.join('\n') + '\n') };
  await page.setInputFiles('#file-input', input);
  await page.waitForFunction((n) => document.getElementById('ov-file')?.textContent === n && !document.body.classList.contains('busy'), name, { timeout: 120_000 });
}

/** Presses Train; waits for it to finish; returns {metrics: {name: number|null}, error}. */
export async function train(page) {
  await page.click('#train-button');
  await page.waitForFunction(() => document.getElementById('status').textContent !== 'Training…' && !document.body.classList.contains('busy'), null, { timeout: 120_000 });
  return page.evaluate(() => {
    const metrics = {};
    for (const td of document.querySelectorAll('#metrics-body td[data-testid^="metric-"]')) {
      metrics[td.dataset.testid.slice('metric-'.length)] = td.dataset.value === '' ? null : Number(td.dataset.value);
    }
    return { metrics, error: document.getElementById('error').textContent };
  });
}

/** Opens a manifest file through the "Open manifest" input; returns the replay area's text and the error text. */
export async function openManifest(page, path) {
  await page.setInputFiles('#manifest-input', path);
  await page.waitForFunction(() => {
    const out = document.getElementById('replay-result');
    return out.querySelector('[data-testid="replay-verdict"], [data-testid="replay-failed"]') && !document.body.classList.contains('busy');
  });
  return page.evaluate(() => ({
    verdict: document.querySelector('[data-testid="replay-verdict"]')?.textContent ?? null,
    reproduced: document.querySelector('[data-testid="replay-verdict"]')?.dataset.reproduced ?? null,
    error: document.getElementById('error').textContent,
    errorCode: document.getElementById('error').dataset.code ?? null,
  }));
}

/** Text of the alert region. */
export function errorText(page) {
  return page.evaluate(() => document.getElementById('error').textContent);
}

/**
 * The profile table's row for `column`, keyed by the table's header texts
 * (Column, Kind, Count, Missing, Distinct, Min, Max, Mean, Std,
 * "Median [Q1 – Q3]", "Top values", Distribution): tests name the figure
 * they read, not its position.
 */
export function profileRow(page, column) {
  return page.$eval(`#profile-body tr[data-column="${column}"]`, (r) => {
    const heads = [...r.closest('table').tHead.rows[0].cells].map((c) => c.textContent.trim());
    return Object.fromEntries([...r.cells].map((c, i) => [heads[i], c.textContent]));
  });
}
