#!/usr/bin/env node
// Builds the Jupyter widget's browser files from the page's own modules:
// esbuild bundles www/widget.js (with client.js, protocol.js, charts.js) and
// www/worker.js (with the wasm glue) into one file each, since anywidget
// imports the widget from a blob: URL, against which no relative import
// resolves; the engine's bytes are copied beside them. Nothing is minified,
// so the bundles read as the source.
//   node scripts/build-widget.mjs [pkg-dir [out-dir]]
// pkg-dir: the wasm-pack output (default www/pkg, the release build);
// out-dir: where the files go (default python/mlcycle_widget/static/, the
// package's git-ignored folder, which is what `pip install python/` ships).
// `make test-notebook` bundles the test build (target/pkg-test) into
// target/widget-test instead and points the package at it with
// MLCYCLE_WIDGET_STATIC (see python/mlcycle_widget/__init__.py): a build with
// the test-only faultInject export is refused for the package's folder.

import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = resolve(root, process.argv[2] || 'www/pkg');
const packageStatic = resolve(root, 'python/mlcycle_widget/static');
const out = resolve(root, process.argv[3] || packageStatic);

if (out === packageStatic && /export function faultInject\b/.test(readFileSync(join(pkg, 'mlcycle.js'), 'utf8'))) {
  console.error(`build-widget: ${relative(root, pkg)} is a test build (it exports faultInject): it does not go into the package (${relative(root, out)}); give another out-dir`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });

// The modules compute sibling URLs at load (worker.js, part-worker.js,
// pkg/mlcycle_bg.wasm) from import.meta.url, which a blob: URL cannot be a
// base for: they get this one instead. The widget never loads those URLs: it
// passes the worker's and the engine's blob: URLs in (see www/widget.js).
const define = { 'import.meta.url': JSON.stringify('mlcycle-widget:/www/') };
// worker.js looks for the test-only faultInject export, absent from release builds.
const common = { bundle: true, format: 'esm', target: 'es2022', define, logLevel: 'warning', logOverride: { 'import-is-undefined': 'silent' }, legalComments: 'none' };

await build({ ...common, entryPoints: [join(root, 'www/widget.js')], outfile: join(out, 'widget.js') });
// The wasm glue and the bytes must come from one build: the glue is taken from `pkg` too.
const glue = {
  name: 'mlcycle-glue',
  setup(b) {
    b.onResolve({ filter: /^\.\/pkg\/mlcycle\.js$/ }, () => ({ path: join(pkg, 'mlcycle.js') }));
  },
};
await build({ ...common, entryPoints: [join(root, 'www/worker.js')], outfile: join(out, 'engine-worker.js'), plugins: [glue] });
copyFileSync(join(root, 'www/widget.css'), join(out, 'widget.css'));
copyFileSync(join(pkg, 'mlcycle_bg.wasm'), join(out, 'mlcycle_bg.wasm'));
for (const f of ['widget.js', 'engine-worker.js', 'widget.css', 'mlcycle_bg.wasm']) {
  console.log(`build-widget: ${relative(root, join(out, f))} is ${statSync(join(out, f)).size} bytes`);
}
