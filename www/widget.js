// The Jupyter widget, in anywidget's convention (`export default { render }`):
// the page's engine, unchanged — the wasm in a module worker behind
// client.js, speaking protocol.js — drawn into a notebook cell. Jupyter serves
// no www/ folder and the notebook may be offline, so nothing is fetched: the
// Python side (python/mlcycle_widget) sends the engine's bytes (`_wasm`), the
// worker's bundled code (`_worker_js`) and the DataFrame as CSV bytes
// (`_csv`); the worker is started from blob: URLs made here. After a
// training the manifest goes back as `manifest_text`. Every value from the
// data goes in through textContent. When the engine stops (a trap, a
// request past its time limit, Cancel), client.js starts a new one and loads
// the data into it again; the cell says so, as the page's banner does
// (www/app.js), and Train waits until the data is back.
// scripts/build-widget.mjs bundles this file (and the worker) for the package.

import { MlcycleClient, CANCELLED } from './client.js';
import { distributionChart, el, formatMs, formatNumber, isTimeKind, METRIC_LABELS, plural, valueFormatter, visible } from './charts.js';

// Candidates shown in the leaderboard; the manifest keeps them all.
const LEADERBOARD_ROWS = 10;

// The CSV's format is known, not guessed: python/mlcycle_widget writes it
// with pandas' to_csv (a one-line header, commas, doubled quotes, a missing
// value as an empty field, inf as "inf"). Only the empty field is missing,
// so the strings "NA" or "None" stay values; an infinite number is read as
// missing and listed in an alert. The manifest records these options, and
// `mlcycle replay` reads the saved CSV with them.
const READ_OPTIONS = Object.freeze({
  hasHeader: true,
  delimiter: ',',
  missingTokens: [''],
  nonFinite: 'missing',
  backslashEscapes: false,
});

/** A trait holding bytes (a DataView in the browser) as a Uint8Array, or null when empty. */
function bytesOf(value) {
  if (!value || typeof value.byteLength !== 'number' || value.byteLength === 0) return null;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * blob: URLs of the engine: the wasm bytes, and the worker bundle with a
 * first line telling worker.js where those bytes are.
 */
export function engineUrls(wasmBytes, workerCode) {
  if (!wasmBytes || !workerCode) {
    throw Object.assign(new Error('the engine is missing from the mlcycle_widget package (build it with `make widget`)'), { name: 'EngineError', code: 'engine_missing' });
  }
  const wasmUrl = URL.createObjectURL(new Blob([wasmBytes], { type: 'application/wasm' }));
  const prelude = `globalThis.mlcycleWasmSource = { module_or_path: ${JSON.stringify(wasmUrl)} };\n`;
  const workerUrl = URL.createObjectURL(new Blob([prelude, workerCode], { type: 'text/javascript' }));
  return {
    wasmUrl,
    workerUrl,
    revoke() {
      URL.revokeObjectURL(wasmUrl);
      URL.revokeObjectURL(workerUrl);
    },
  };
}

class WidgetView {
  constructor(model, root) {
    this.model = model;
    this.client = null;
    this.urls = null;
    this.profile = null;
    this.busy = false;
    // The data is being loaded into a restarted engine (Train waits for it).
    this.restoring = false;
    // The engine stopped too often and was not restarted: only a new widget has one.
    this.stopped = false;
    this.reloaded = null;
    this.status = el('p', { className: 'mlc-status', role: 'status', 'data-testid': 'status' });
    this.progress = el('p', { className: 'mlc-progress', 'data-testid': 'progress' });
    this.error = el('p', { className: 'mlc-error', role: 'alert', 'data-testid': 'error', hidden: '' });
    this.target = el('select', { 'data-testid': 'target-select', 'aria-label': 'Target column' });
    this.trainButton = el('button', { type: 'button', 'data-testid': 'train', disabled: '', text: 'Train' });
    this.cancelButton = el('button', { type: 'button', 'data-testid': 'cancel', hidden: '', text: 'Cancel' });
    this.profileBox = el('section', { className: 'mlc-profile', 'data-testid': 'profile' });
    this.resultsBox = el('section', { className: 'mlc-results', 'data-testid': 'results', hidden: '' });
    const controls = el('div', { className: 'mlc-controls' }, el('label', { text: 'Target ' }, this.target), ' ', this.trainButton, ' ', this.cancelButton);
    this.root = el('div', { className: 'mlcycle-widget' }, this.status, this.progress, this.error, controls, this.profileBox, this.resultsBox);
    root.replaceChildren(this.root);
    this.trainButton.addEventListener('click', () => this.train());
    this.cancelButton.addEventListener('click', () => this.client && this.client.cancel());
    this.target.addEventListener('change', () => {
      // The last run was for the old target: w.save must not write it for this one.
      this.model.set('target', this.target.value);
      this.model.set('manifest_text', '');
      this.model.save_changes();
      this.refreshAlerts();
    });
    this.onData = () => this.load();
    // `w.target = "…"` in Python chooses the target here too.
    this.onTarget = () => {
      const wanted = model.get('target');
      if (wanted && wanted !== this.target.value && [...this.target.options].some((o) => o.value === wanted)) {
        this.target.value = wanted;
        this.refreshAlerts();
      }
    };
    model.on('change:_csv', this.onData);
    model.on('change:target', this.onTarget);
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  showError(text) {
    this.error.textContent = text;
    this.error.hidden = false;
    this.model.set('error', text);
    this.model.save_changes();
  }

  clearError() {
    this.error.textContent = '';
    this.error.hidden = true;
    if (this.model.get('error')) {
      this.model.set('error', '');
      this.model.save_changes();
    }
  }

  setBusy(busy) {
    this.busy = busy;
    const idle = !busy && !!this.profile && !this.restoring && !this.stopped;
    this.trainButton.disabled = !idle;
    this.target.disabled = !idle;
    this.cancelButton.hidden = !busy;
    if (!busy && !this.restoring) this.progress.textContent = '';
  }

  /**
   * client.js replaced the engine (see its 'restart' event): it runs before
   * the stopped request's own catch, which then says what stopped. The data
   * is loaded into the new engine; until it is, Train waits, and once it is
   * (or is not) the cell says so. Too many restarts in a minute and none is
   * made: only running the cell again (a new widget, a new engine) helps.
   */
  onRestart({ kind, what, message, reloaded, restoring, fatal }) {
    if (fatal) {
      this.stopped = true;
      this.restoring = false;
      this.reloaded = null;
      this.setStatus('The engine is stopped.');
      this.showError(message.replace(/reload the page\.$/, 'run the cell again to start a new one.'));
      this.setBusy(this.busy);
      return;
    }
    // A cancel is the person's doing: the stopped request's catch says it.
    if (kind !== 'cancel') this.showError(message);
    this.restoring = !!restoring;
    this.reloaded = reloaded;
    this.setStatus(restoring ? 'The engine was restarted; loading the data into it again…' : 'The engine was restarted.');
    this.setBusy(this.busy);
    reloaded.then((ok) => {
      // A later restart (or the end of the widget) took over.
      if (this.reloaded !== reloaded || this.stopped) return;
      this.reloaded = null;
      this.restoring = false;
      if (ok === 'replaced') {
        // New data from Python: its load says the rest.
        this.setBusy(this.busy);
        return;
      }
      if (ok === true) {
        if (this.error.textContent === message) this.showError(message.replace('your data is being loaded into it again', 'your data is loaded again'));
        // With no profile (new data from Python failed with the engine), that load's words stay.
        if (!this.busy && this.profile) this.setStatus(kind === 'cancel' ? `${what} The data is still loaded.` : 'The engine was restarted and the data is loaded again: Train runs on it.');
      } else if (restoring) {
        this.profile = null;
        this.profileBox.replaceChildren();
        this.setStatus('No data is loaded.');
        this.showError(`${what} Loading the data into the restarted engine failed: run the cell again.`);
      }
      this.setBusy(this.busy);
    });
  }

  async start() {
    this.setStatus('Starting the engine…');
    try {
      this.urls = engineUrls(bytesOf(this.model.get('_wasm')), this.model.get('_worker_js'));
      this.client = new MlcycleClient({ workerUrl: this.urls.workerUrl });
      this.client.addEventListener('progress', (e) => this.showProgress(e.detail));
      this.client.addEventListener('restart', (e) => this.onRestart(e.detail));
      await this.client.ready;
    } catch (err) {
      this.setStatus('The engine did not start.');
      this.showError(`The engine could not start: ${err.message || err}. Reinstall mlcycle_widget (its files are built by \`make widget\`) and run the cell again.`);
      return;
    }
    await this.load();
  }

  async load() {
    if (!this.client) return;
    const bytes = bytesOf(this.model.get('_csv'));
    const fileName = this.model.get('file_name') || 'dataframe.csv';
    this.profile = null;
    this.profileBox.replaceChildren();
    this.resultsBox.hidden = true;
    this.clearError();
    if (!bytes) {
      this.setStatus('No data.');
      this.showError('The DataFrame reached the widget empty: there is nothing to profile.');
      this.setBusy(false);
      return;
    }
    this.setStatus(`Profiling ${fileName}…`);
    this.setBusy(true);
    try {
      const wanted = this.model.get('target');
      const { profile, durationMs } = await this.client.load(bytes, fileName, READ_OPTIONS, wanted || null);
      this.profile = profile;
      this.fillTargets(profile, wanted);
      // The target chosen here (the last column unless told) is w.target in Python.
      if (this.target.value !== wanted) {
        this.model.set('target', this.target.value);
        this.model.save_changes();
      }
      this.renderProfile(profile);
      this.setStatus(`Profiled ${fileName} in ${formatMs(durationMs)}.`);
    } catch (err) {
      if (this.stopped) return;
      this.setStatus('The data could not be read.');
      // The engine's data errors name the file already.
      const message = String(err.message || err);
      this.showError(message.startsWith(`${fileName}: `) ? message : `${fileName}: ${message}`);
    } finally {
      this.setBusy(false);
    }
  }

  fillTargets(profile, wanted) {
    const names = profile.columns.map((c) => c.name);
    const chosen = names.includes(wanted) ? wanted : profile.target || names[names.length - 1];
    this.target.replaceChildren(...names.map((n) => {
      const option = el('option', { text: visible(n) });
      option.value = n;
      option.selected = n === chosen;
      return option;
    }));
    if (wanted && !names.includes(wanted)) this.showError(`There is no column "${visible(wanted)}"; the target is "${visible(chosen)}" instead.`);
  }

  /** The alerts for another target (leakage and imbalance depend on it). */
  async refreshAlerts() {
    if (!this.profile || this.busy || this.restoring || this.stopped) return;
    this.setBusy(true);
    try {
      this.profile = await this.client.profile({ target: this.target.value });
      this.renderProfile(this.profile);
    } catch (err) {
      if (this.stopped) return;
      this.showError(`The alerts for "${visible(this.target.value)}" could not be made: ${err.message || err}`);
    } finally {
      this.setBusy(false);
    }
  }

  renderProfile(p) {
    const columns = p.columns || [];
    const alerts = p.alerts || [];
    const heading = el('h4', { text: `${visible(p.fileName || this.model.get('file_name'))}: ${plural(p.rows, 'row')}, ${plural(columns.length, 'column')}` });
    const notes = el('ul', { className: 'mlc-notes' });
    for (const w of (p.ingest && p.ingest.warnings) || []) notes.append(el('li', { text: `Note: ${visible(w.message)}` }));
    const alertList = el('ul', { className: 'mlc-alerts', 'data-testid': 'alerts' });
    for (const a of alerts) {
      alertList.append(el('li', { className: `mlc-alert mlc-${a.severity}`, 'data-code': a.code },
        el('strong', { text: a.severity }),
        el('span', { text: ` ${visible(a.message)}` }),
        a.advice ? el('span', { text: ` — ${visible(a.advice)}` }) : null,
      ));
    }
    const alertHeading = el('h5', { text: alerts.length ? `Data-quality alerts (${alerts.length})` : 'Data-quality alerts: none' });
    const head = el('tr', {}, ...['Column', 'Kind', 'Distribution', 'Count', 'Missing', 'Distinct', 'Min', 'Max', 'Mean'].map((t) => el('th', { scope: 'col', text: t })));
    const body = el('tbody');
    for (const c of columns) {
      const numeric = typeof c.min === 'number';
      // Dates and date-times are seconds since 1970 in the profile: shown as the page shows them.
      const value = isTimeKind(c.kind) ? valueFormatter(c) : formatNumber;
      body.append(el('tr', { 'data-column': c.name },
        el('th', { scope: 'row', text: visible(c.name) }),
        el('td', { text: c.kind }),
        el('td', {}, distributionChart(c, visible)),
        el('td', { className: 'num', text: formatNumber(c.count) }),
        el('td', { className: 'num', text: formatNumber(c.missing) }),
        el('td', { className: 'num', text: formatNumber(c.distinct) }),
        el('td', { className: 'num', text: numeric ? value(c.min) : '' }),
        el('td', { className: 'num', text: numeric ? value(c.max) : '' }),
        el('td', { className: 'num', text: numeric ? value(c.mean) : '' }),
      ));
    }
    const table = el('table', { className: 'mlc-columns', 'data-testid': 'columns' }, el('thead', {}, head), body);
    this.profileBox.replaceChildren(heading, notes, alertHeading, alertList, el('div', { className: 'mlc-scroll' }, table));
  }

  showProgress({ progress, internal }) {
    if (!progress) return;
    if (internal) {
      this.progress.textContent = 'Loading the data into the restarted engine…';
    } else if (progress.stage === 'search') {
      const best = progress.best && progress.best.mean !== null ? `, best so far ${METRIC_LABELS[progress.metric] || progress.metric} ${formatNumber(progress.best.mean)}` : '';
      this.progress.textContent = `Searching: ${progress.done} of ${plural(progress.planned, 'candidate')}${best}`;
    } else if (progress.stage === 'refit') {
      this.progress.textContent = 'Refitting the best candidate on all the training rows…';
    }
  }

  async train() {
    if (!this.profile || this.busy || this.restoring || this.stopped) return;
    this.clearError();
    const target = this.target.value;
    const seed = Number(this.model.get('seed'));
    if (!Number.isSafeInteger(seed) || seed < 0) {
      this.showError(`seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, not ${this.model.get('seed')}`);
      return;
    }
    // The page's defaults: a grid search over every model for the task.
    const options = { target, seed, recipe: [], search: 'grid' };
    this.setStatus(`Training on "${visible(target)}"…`);
    this.setBusy(true);
    try {
      const { result, manifest, durationMs, leftOut } = await this.client.train(options);
      // Sent before the metrics show: a cell run after they appear finds w.manifest set.
      this.model.set('manifest_text', manifest);
      this.model.set('error', '');
      this.model.save_changes();
      this.renderResult(result, durationMs, leftOut || []);
      this.setStatus(`Trained in ${formatMs(durationMs)}. The manifest is in w.manifest.`);
    } catch (err) {
      // The engine is not coming back: the restart said so, and why.
      if (this.stopped) return;
      // While the data is loaded into a restarted engine, the status says so.
      if (!this.restoring) this.setStatus(err && err.code === CANCELLED ? 'Training stopped.' : 'Training failed.');
      this.showError(err.message || String(err));
    } finally {
      this.setBusy(false);
    }
  }

  renderResult(r, durationMs, leftOut) {
    const metrics = el('tbody');
    for (const m of r.metrics) {
      const value = el('td', { className: 'num', 'data-testid': `metric-${m.name}`, text: formatNumber(m.value) });
      metrics.append(el('tr', {}, el('th', { scope: 'row', text: METRIC_LABELS[m.name] || m.name }), value));
    }
    const facts = [
      ['Target', visible(r.target)],
      ['Task', r.task],
      ['Model', `${r.model}${r.params ? ` (${r.params})` : ''}`],
      ['Seed', String(r.seed)],
      ['Training rows', String(r.trainRows)],
      ['Test rows', String(r.testRows)],
      ['Training time', formatMs(durationMs)],
      ['Left out of the search', leftOut.length ? leftOut.map((l) => `${l.model}: ${l.reason}`).join('; ') : null],
    ];
    const dl = el('dl', { className: 'mlc-facts' });
    for (const [label, value] of facts) if (value !== null) dl.append(el('dt', { text: label }), el('dd', { text: value }));
    const board = el('tbody');
    if (r.search) {
      const lower = r.searchMetric === 'rmse' || r.searchMetric === 'log_loss';
      const order = [...r.search.trials].filter((t) => t.mean !== null).sort((a, b) => (lower ? a.mean - b.mean : b.mean - a.mean) || a.index - b.index);
      for (const t of order.slice(0, LEADERBOARD_ROWS)) {
        const params = Object.entries(t.model).filter(([k]) => k !== 'kind').map(([k, v]) => `${k}=${v === null ? 'none' : v}`).join(', ');
        board.append(el('tr', {}, el('td', { text: `${t.model.kind}${t.index === r.search.best ? ' (chosen)' : ''}` }), el('td', { text: params }), el('td', { className: 'num', text: formatNumber(t.mean) })));
      }
    }
    const caption = r.search ? `Search: the best ${Math.min(LEADERBOARD_ROWS, r.search.trials.length)} of ${plural(r.search.trials.length, 'candidate')} by mean ${METRIC_LABELS[r.searchMetric] || r.searchMetric}` : 'No search';
    this.resultsBox.replaceChildren(
      el('h5', { text: 'Test metrics (held-out rows)' }),
      el('table', { className: 'mlc-metrics', 'data-testid': 'metrics' }, metrics),
      dl,
      el('table', { className: 'mlc-leaderboard', 'data-testid': 'leaderboard' }, el('caption', { text: caption }), board),
    );
    this.resultsBox.hidden = false;
  }

  dispose() {
    this.model.off('change:_csv', this.onData);
    this.model.off('change:target', this.onTarget);
    if (this.client) this.client.dispose();
    if (this.urls) this.urls.revoke();
  }
}

function render({ model, el: root }) {
  const view = new WidgetView(model, root);
  view.start().catch((err) => view.showError(`The widget stopped: ${err.message || err}`));
  return () => view.dispose();
}

export default { render };
