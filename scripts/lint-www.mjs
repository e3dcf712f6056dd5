#!/usr/bin/env node
// Checks the hand-written files in www/ (not www/pkg, not www/vendor) for what
// the page's CSP and privacy promise forbid: HTML injection sinks, string
// evaluation, and any network API besides the one sample-loader fetch in
// app.js. Prints file:line: message for each finding; exits 1 if any.
//   node scripts/lint-www.mjs [dir]        (default: www)

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('..', import.meta.url)));
const dir = process.argv[2] ? join(process.cwd(), process.argv[2]) : join(root, 'www');
const SKIP_DIRS = new Set(['pkg', 'vendor', 'node_modules']);
const EXTS = ['.js', '.mjs', '.html', '.htm', '.css', '.svg'];

// [pattern, message]; patterns run on each line with comments left in, so a
// forbidden word is not allowed even in a comment (keeps grep audits simple).
const RULES = [
  [/\binnerHTML\b/, 'innerHTML: build DOM with createElement + textContent'],
  [/\bouterHTML\b/, 'outerHTML: build DOM with createElement + textContent'],
  [/\binsertAdjacentHTML\b/, 'insertAdjacentHTML: build DOM with createElement + textContent'],
  [/\bdocument\s*\.\s*write(ln)?\b/, 'document.write'],
  [/\beval\s*\(/, 'eval('],
  [/\bnew\s+Function\b/, 'new Function'],
  [/\bsetTimeout\s*\(\s*['"`]/, 'setTimeout with a string evaluates code'],
  [/\bsetInterval\s*\(\s*['"`]/, 'setInterval with a string evaluates code'],
  [/\bXMLHttpRequest\b/, 'network API XMLHttpRequest'],
  [/\bsendBeacon\b/, 'network API navigator.sendBeacon'],
  [/\bWebSocket\b/, 'network API WebSocket'],
  [/\bEventSource\b/, 'network API EventSource'],
  [/\bRTCPeerConnection\b/, 'network API RTCPeerConnection'],
  [/\bWebTransport\b/, 'network API WebTransport'],
  [/(^|[^.\w])import\s*\(/, 'dynamic import('],
  [/\bimportScripts\s*\(/, 'importScripts('],
];

const FETCH = /\bfetch\s*\(/;
// The allowed fetches: the sample loader in app.js, and the service worker's
// one, which passes on the page's own same-origin GET requests.
const FETCH_ALLOWED = new Map([['app.js', 1], ['sw.js', 1]]);
const fetchCounts = new Map();

// In HTML: no inline script, no inline style, no inline event handlers.
const HTML_RULES = [
  [/<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script> (CSP allows only script files)'],
  [/<style\b/i, '<style> element (CSP allows only style sheets)'],
  [/\sstyle\s*=/i, 'inline style= attribute (CSP forbids it)'],
  [/\son[a-z]+\s*=/i, 'inline event handler attribute'],
  [/javascript:/i, 'javascript: URL'],
];

function walk(d, out) {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (d === dir && SKIP_DIRS.has(name)) continue;
      if (name === 'node_modules') continue;
      walk(p, out);
    } else if (EXTS.some((e) => name.endsWith(e))) {
      out.push(p);
    }
  }
  return out;
}

const findings = [];
for (const file of walk(dir, [])) {
  const rel = relative(process.cwd(), file) || file;
  const relToWww = relative(dir, file).split(sep).join('/');
  const isHtml = /\.html?$/.test(file);
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const where = `${rel}:${i + 1}`;
    for (const [re, msg] of RULES) if (re.test(line)) findings.push(`${where}: ${msg}`);
    if (isHtml) for (const [re, msg] of HTML_RULES) if (re.test(line)) findings.push(`${where}: ${msg}`);
    if (FETCH.test(line)) {
      const count = (fetchCounts.get(relToWww) || 0) + 1;
      fetchCounts.set(relToWww, count);
      if (!FETCH_ALLOWED.has(relToWww)) findings.push(`${where}: fetch( is allowed only in www/app.js (the sample loader) and www/sw.js (the service worker)`);
      else if (count > FETCH_ALLOWED.get(relToWww)) findings.push(`${where}: a second fetch( call in www/${relToWww}`);
    }
  });
}

// The service worker keeps the page for offline use: its APP list must name
// every file the page loads (each top-level script, style and icon, and the
// engine), and data/index.json every bundled dataset, or the offline page
// misses them.
// The Jupyter widget's files: bundled into the Python package (scripts/build-widget.mjs), never loaded by the page.
const NOT_PAGE = new Set(['widget.js', 'widget.css']);
function checkOfflineList() {
  const sw = join(dir, 'sw.js');
  let text;
  try {
    text = readFileSync(sw, 'utf8');
  } catch {
    findings.push(`${relative(process.cwd(), sw)}: missing (the service worker that keeps the page offline)`);
    return;
  }
  const list = /const APP = \[([^\]]*)\]/.exec(text);
  if (!list) {
    findings.push(`${relative(process.cwd(), sw)}: no APP list`);
    return;
  }
  const kept = new Set([...list[1].matchAll(/'([^']*)'/g)].map((m) => m[1]));
  const needed = readdirSync(dir).filter((name) => name !== 'sw.js' && !NOT_PAGE.has(name) && statSync(join(dir, name)).isFile() && EXTS.some((e) => name.endsWith(e)));
  needed.push('./', 'pkg/mlcycle.js', 'pkg/mlcycle_bg.wasm', 'data/index.json');
  for (const name of needed) if (!kept.has(name)) findings.push(`${relative(process.cwd(), sw)}: APP does not list ${name}, so the offline page would lack it`);
  for (const name of kept) {
    if (name === './' || name.startsWith('pkg/')) continue;
    try {
      statSync(join(dir, name));
    } catch {
      findings.push(`${relative(process.cwd(), sw)}: APP lists ${name}, which does not exist (installing would fail)`);
    }
  }
  const dataDir = join(dir, 'data');
  let listed = [];
  try {
    listed = JSON.parse(readFileSync(join(dataDir, 'index.json'), 'utf8')).map((d) => d.file);
  } catch (err) {
    findings.push(`${relative(process.cwd(), dataDir)}/index.json: unreadable (${err.message})`);
  }
  for (const name of readdirSync(dataDir)) {
    if (name.endsWith('.csv') && !listed.includes(name)) findings.push(`${relative(process.cwd(), dataDir)}/${name}: not in index.json, so the offline page would lack it`);
  }
  for (const name of listed) {
    try {
      statSync(join(dataDir, name));
    } catch {
      findings.push(`${relative(process.cwd(), dataDir)}/index.json: lists ${name}, which does not exist`);
    }
  }
}
if (dir === join(root, 'www')) checkOfflineList();

for (const f of findings) console.error(f);
if (findings.length) {
  console.error(`lint-www: ${findings.length} problem(s)`);
  process.exit(1);
}
console.log(`lint-www: ${relative(process.cwd(), dir) || dir} is clean`);
