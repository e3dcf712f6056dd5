// Owns the DOM: the journey load → profile → train → metrics → manifest →
// replay. Every piece of text goes in through textContent (the CSP requires
// Trusted Types, and data from a CSV is never markup). The engine lives in a
// worker behind client.js.

import { profileCsv, safeStem } from './export.js';
import { errorTitle, isOurFault, pageWords } from './words.js';
import { associationHeatmap, clusterColour, distinctTexts, distributionChart, formatSpan, el, formatMs, formatNumber, formatPercent, isTimeKind, METRIC_LABELS, measureName, plural, scatterChart, short, shortLabels, valueFormatter, visible, zoneWords } from './charts.js';
import { MlcycleClient, ENGINE_CRASHED, CANCELLED, TIMED_OUT } from './client.js';
import { SearchPool, defaultPoolSize } from './pool.js';
import { workerScriptURL } from './protocol.js';

// Text helpers moved to charts.js (shared with the Jupyter widget); still exported here.
export { formatNumber, visible };

const $ = (id) => document.getElementById(id);

const state = {
  samples: [],
  sampleMeta: null, // index.json entry of the loaded sample, or null for a local file
  profile: null,
  inferred: null,
  manifest: null,
  recipe: [], // preparation steps the person added from alerts, in order
  spacesDefault: null, // the defaults last put in the spaces editor
  source: null, // {data: File | ArrayBuffer, fileName, meta}: what the last load read, for reading again
  retry: null, // the same, of a file that failed to load while the data before it stayed: what Read again reads
  typeOverrides: new Map(), // column name -> kind, set under Reading options
  busy: false,
  // The data being loaded again into a restarted engine: {fileName, kind (of
  // the restart), note (the status), progress, stage, since}, or null.
  restore: null,
  focusAfterRestore: null, // the control a job ended with disabled by the restore: focus goes back to it after
};

const client = new MlcycleClient();
const pool = new SearchPool();
window.mlcycleApp = { client, pool, state };

// ---------- small DOM helpers ----------

function clear(node) {
  node.replaceChildren();
}

/** Resolves in a new task after the next frame: what was drawn before has had its style and layout done. */
function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// ---------- status, errors, banner ----------

// The status line is a polite live region: it says what stage a job is in
// and how it ended, and a screen reader reads each change. The figures that
// change several times a second (bytes read, candidates done) go in the
// progress line under it, which is not announced.
let stage = null;

function setStatus(text) {
  stage = null;
  $('status').textContent = text;
}

/** Says a job entered the stage `key`, once per stage (progress repeats it, the status does not). */
function setStage(key, text) {
  if (stage === key) return;
  stage = key;
  if ($('status').textContent !== text) $('status').textContent = text;
}

/**
 * The progress line: `text`, and a bar at `value` of `max`, or moving
 * without a value (indeterminate) when `value` is undefined, for a step
 * that cannot tell how far it is.
 */
function showProgress(text, label, value, max) {
  $('progress-text').textContent = text;
  const bar = $('search-progress');
  bar.setAttribute('aria-label', label);
  if (value === undefined) bar.removeAttribute('value');
  else {
    bar.max = Math.max(1, max);
    bar.value = value;
  }
  $('progress-line').hidden = false;
}

function hideProgress() {
  stopTicking();
  $('progress-line').hidden = true;
  $('progress-text').textContent = '';
}

// A job that reports only now and then (a search, when a candidate ends; a
// replay, when it is done; a load's profiling, one engine call) still shows
// its clock moving: `draw(ms)` is called with the milliseconds since `since`
// at once and every TICK_MS, until stopTicking (hideProgress calls it, and
// the job's end hides the progress). The clocks show tenths of a second, so
// the line changes at every tick: at least twice a second.
const TICK_MS = 250;
let ticker = null;

function startTicking(draw, since = performance.now()) {
  stopTicking();
  const tick = () => draw(performance.now() - since);
  tick();
  ticker = setInterval(tick, TICK_MS);
}

function stopTicking() {
  if (ticker !== null) clearInterval(ticker);
  ticker = null;
}

/** "3.4 s" under a minute, else "2 min 5 s". */
function formatElapsed(ms) {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
}

/** Whether a ragged-row error is about a row with more fields than the header (or the first row, in a file without one). */
function tooLong(err) {
  const m = /has (\d+) fields? but the (?:header|first row) has (\d+)/.exec(err?.message ?? '');
  return !!m && Number(m[1]) > Number(m[2]);
}

// What the person can do about a data error, pointing at the reading options.
const ADVICE = new Map([
  // A file that holds valid UTF-8 besides the bad bytes (the engine says
  // so) is garbled by Windows-1252: replacing the bad bytes comes first.
  ['invalid_utf8', (err) => (/holds valid UTF-8/.test(err?.message ?? '')
    ? 'Open Reading options, tick "Replace invalid UTF-8 bytes" and read the file again: the rest of the file is UTF-8, which Windows-1252 would garble. Or fix those bytes and save it as UTF-8.'
    : 'If it came from Excel on Windows, open Reading options, set Encoding to Windows-1252 and read the file again. Otherwise tick "Replace invalid UTF-8 bytes" there, or save it as UTF-8.')],
  ['non_finite', 'To read such values as missing (and see where they are), open Reading options and choose "Read as missing" for infinite numbers.'],
  // "Short rows" fills rows that end early; it does nothing for one too long.
  ['ragged_row', (err) => `If the delimiter was guessed wrong, set it under Reading options and read the file again. ${tooLong(err) || /--short-rows/.test(err?.message ?? '') ? '' : 'If some rows simply end early, set "Short rows" there to fill them with missing values. '}If the row holds a quote written \\" inside quotes, set "Backslash escapes" to On. If lines above the table are a title or notes, set "Lines to skip" there; if they start with #, set "Comment lines start with" to #.`],
  ['bad_value', 'The column\'s type was set under Reading options; choose another type or remove the setting and read the file again.'],
  ['too_much_memory', 'Remove columns you do not need, or split the file, and load it again.'],
  // Every model the search would try was left out as too slow for this
  // data; the message lists them and why.
  ['no_models', 'Tick a model that fits this many rows (the message says why each model was left out), or set Search to "None (one random forest)" for a single fit, or load a sample of the file\'s rows.'],
  ['too_few_for_folds', 'To train without cross-validation, set Search to "None (one random forest)". Or use more data.'],
  // The engine's hint names settings of the command line; in the page the
  // search is the way to them (it leaves out what is too slow, and says so).
  // A time budget counts in the estimate (the search is estimated as the
  // budget plus its dearest candidate); Search is named only when it must change.
  ['over_budget', () => {
    const search = $('search-select').value;
    const smaller = 'smaller settings (fewer n_trees, a max_depth) under "Search spaces (JSON)"';
    const limit = 'Time limit (s) (the search starts no candidate once it is spent, and keeps those finished)';
    if (search === 'none') return `In the page: set Search to Grid, then set a ${limit} or write ${smaller}. Or load a sample of the rows.`;
    // Already set, the limit was counted: a smaller one helps.
    const time = $('time-input').value.trim() === '' ? `set a ${limit}` : `set a smaller ${limit}`;
    const fewer = search === 'random' ? ', set fewer Most candidates' : '';
    return `In the page: ${time}${fewer}, or write ${smaller}; the search also leaves out the candidates too slow for this data. Or load a sample of the rows.`;
  }],
]);

/** The engine's message as a sentence: it ends with a full stop, so the page's advice after it reads apart. */
function sentence(text) {
  const t = String(text).trimEnd();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function showError(err) {
  const box = $('error');
  clear(box);
  const name = (err && err.name) || 'Error';
  const code = err && err.code && err.code !== 'unknown' ? err.code : null;
  // The title is in plain words; the engine's class and code (for a bug
  // report) are kept in a closed details element at the end. The engine's
  // message names the command line's flags: the page's controls instead.
  // The paragraphs are parted by a space too, so their text (read aloud,
  // copied, or taken as the region's text) does not run one into the next.
  box.append(
    el('p', { className: 'error-title', 'data-testid': 'error-title' }, el('strong', { text: errorTitle(name, code) })),
    ' ',
    el('p', { className: 'error-message', 'data-testid': 'error-message', text: sentence(pageWords((err && err.message) || String(err))) }),
  );
  // (append(null) would add the text "null".)
  const advice = ADVICE.get(code);
  if (advice) box.append(' ', el('p', { className: 'error-advice', 'data-testid': 'error-advice', text: typeof advice === 'function' ? advice(err) : advice }));
  // Only for mlcycle's own faults: a wrong file or manifest is no bug.
  if (isOurFault(name, code)) {
    box.append(' ', el('details', { className: 'error-details' },
      el('summary', { text: 'For a bug report' }),
      el('span', { className: 'error-code', 'data-testid': 'error-code', text: code ? `${name} (${code})` : name })));
  }
  box.dataset.name = name;
  box.dataset.code = code || '';
}

function clearError() {
  clear($('error'));
  delete $('error').dataset.name;
  delete $('error').dataset.code;
}

function showBanner(text) {
  $('engine-banner-text').textContent = text;
  $('engine-banner').hidden = false;
}

// ---------- busy state ----------

function setBusy(busy) {
  state.busy = busy;
  const loaded = !!state.profile;
  // While the data is loaded again into a restarted engine, what needs the
  // engine waits for it (the status says so); a file or a sample may still
  // be loaded: it replaces the data being restored, which stops at once.
  const wait = busy || !!state.restore;
  $('sample-select').disabled = busy || state.samples.length === 0;
  $('load-sample').disabled = busy || state.samples.length === 0;
  $('file-input').disabled = busy;
  $('drop-zone').classList.toggle('disabled', busy);
  $('train-button').disabled = wait || !loaded;
  $('target-select').disabled = wait || !loaded;
  $('task-select').disabled = wait || !loaded;
  $('seed-input').disabled = wait || !loaded;
  // The search settings: a change during training would be silently ignored.
  for (const id of ['search-select', 'trials-input', 'time-input', 'spaces-text', 'spaces-reset']) $(id).disabled = wait || !loaded;
  // Models and the ranking metric choose among candidates: none without a search.
  $('models-fieldset').disabled = wait || !loaded || $('search-select').value === 'none';
  $('metric-select').disabled = $('models-fieldset').disabled;
  $('download-manifest').disabled = busy || !state.manifest;
  $('manifest-input').disabled = wait || !loaded;
  $('download-report').disabled = wait || !loaded;
  $('cluster-button').disabled = wait || !loaded;
  $('reread').disabled = busy || !state.source;
  // Which file Read again reads: the one that failed, while another stays loaded.
  const again = state.retry || state.source;
  $('reread').textContent = again ? `Read ${visible(again.fileName)} again with these options` : 'Read the file again with these options';
  $('workers-input').disabled = wait || !loaded;
  document.body.classList.toggle('busy', wait);
  if (!busy) {
    // A job's end gives the progress line back to the restore, if one runs.
    if (state.restore) showRestoreProgress();
    else hideProgress();
  }
  showCancel(engineWorking());
}

/** Whether the engine works at something Cancel stops: a request of the person's, a pooled search, or loading the data again after a restart. */
function engineWorking() {
  return client.busy || pool.busy || client.reloading;
}

/**
 * Runs `fn` with the controls disabled. The control that started it loses
 * focus when disabled; it gets it back after (or, if it is gone or still
 * disabled, the first heading of what came out), so the keyboard user is
 * not sent back to the top of the page.
 */
async function withBusy(fn, what = 'working') {
  if (state.busy) return;
  const from = document.activeElement;
  state.job = what;
  setBusy(true);
  try {
    await fn();
  } finally {
    state.job = null;
    setBusy(false);
    // Cancel took focus for the job; it may still show for a moment (the
    // engine finishing), then hide and drop focus to the page: give focus
    // back to the control that started the job now.
    const onCancel = document.activeElement === $('cancel-button');
    if (focusLost() || onCancel) {
      if (usable(from)) from.focus();
      else if (state.restore && from && from !== document.body && !$('cancel-button').hidden) {
        // Disabled while the data is restored: Cancel (which stops the
        // restore) keeps focus, and gives it back once the restore ends.
        state.focusAfterRestore = from;
        if (!onCancel) $('cancel-button').focus();
      } else if (onCancel) $('cancel-button').blur();
    }
  }
}

/** Whether `node` can take focus back: in the page, shown and enabled. */
function usable(node) {
  return !!node && node !== document.body && node.isConnected && !node.disabled && !node.closest('[hidden]');
}

/** Whether keyboard focus fell to the page (its element was hidden, disabled or removed). */
function focusLost() {
  const a = document.activeElement;
  return !a || a === document.body || !a.isConnected || a.matches(':disabled') || !!a.closest('[hidden]');
}

/**
 * Shows or hides Cancel. It appears when a job starts, which disabled the
 * control that started it: focus goes to Cancel, not to the page, so Enter
 * or Space stops the job (withBusy gives focus back after).
 */
function showCancel(show) {
  const button = $('cancel-button');
  button.hidden = !show;
  if (show && state.busy && focusLost()) button.focus();
}

// ---------- samples ----------

// The page's only network use: files next to it, under data/.
async function fetchSample(path) {
  const res = await fetch(`data/${path}`, { credentials: 'same-origin', cache: 'no-cache' });
  if (!res.ok) throw Object.assign(new Error(`could not read data/${path}: HTTP ${res.status}`), { name: 'SampleError', code: 'http_status' });
  return res;
}

async function loadSampleList() {
  const select = $('sample-select');
  try {
    const list = await (await fetchSample('index.json')).json();
    state.samples = Array.isArray(list) ? list : [];
  } catch (err) {
    state.samples = [];
    showError(err);
  }
  clear(select);
  if (state.samples.length === 0) {
    select.append(el('option', { value: '', text: 'No samples available' }));
  }
  for (const s of state.samples) {
    select.append(el('option', { value: s.file, text: s.title || s.file }));
  }
  showOrigin();
  setBusy(state.busy);
}

function selectedSample() {
  return state.samples.find((s) => s.file === $('sample-select').value) || null;
}

function showOrigin() {
  const s = selectedSample();
  const about = s ? `Target: ${s.target} (${s.task}). Source: ${s.origin}` : '';
  // Other data is loaded (a file of the person's, or another sample): the
  // text is about the sample Load would load, not about what is shown.
  const other = state.profile && !(state.sampleMeta && s && state.sampleMeta.file === s.file);
  $('sample-origin').textContent = s && other ? `Not the loaded data (that is ${visible(state.profile.fileName)}); Load reads this sample. ${about}` : about;
}

async function loadSample() {
  const meta = selectedSample();
  if (!meta) return;
  await withBusy(async () => {
    clearError();
    setStatus(`Fetching ${meta.file}…`);
    try {
      const bytes = await (await fetchSample(meta.file)).arrayBuffer();
      await loadBytes(bytes, meta.file, meta);
    } catch (err) {
      failed(err, loadFailedText(meta.file, err));
    }
  }, `loading ${meta.file}`);
}

async function loadFile(file) {
  if (!file) return;
  await withBusy(async () => {
    clearError();
    try {
      // The worker reads the file itself; the page holds only the reference.
      await loadBytes(file, file.name, null);
    } catch (err) {
      failed(err, loadFailedText(file.name, err));
    }
  }, `reading ${file.name}`);
}

let loadCounter = 0;

// Failures of a file no reading option can help (not a CSV, empty, over
// the size limit, UTF-32): "Read again" is not offered for them.
const NO_RETRY = new Set(['binary_file', 'empty_file', 'too_large', 'unsupported_encoding']);

/** The status after a failed load: and what is still loaded, if anything. */
function loadFailedText(fileName, err) {
  return (err.keptData ? `Loading ${fileName} failed; ${err.keptName} is still loaded.` : `Loading ${fileName} failed.`) + (err.optionsReset || '');
}

/** The reading options of the data now loaded. */
function readOptionsUsed() {
  return state.source ? state.source.options : undefined;
}

/** ParseOptions from the Reading options, or undefined when all are the defaults. */
export function readOptions() {
  const o = {};
  const delimiter = $('opt-delimiter').value;
  if (delimiter) o.delimiter = delimiter;
  const header = $('opt-header').value;
  if (header) o.hasHeader = header === 'yes';
  const decimal = $('opt-decimal').value;
  if (decimal) o.decimalComma = decimal === 'comma';
  const skipRaw = $('opt-skip').value.trim();
  if (skipRaw !== '') {
    const skip = Number(skipRaw);
    if (!Number.isInteger(skip) || skip < 0 || skip > 1000) {
      throw Object.assign(new Error(`lines to skip must be a whole number from 0 to 1000, or blank to detect a title, not "${skipRaw}"`), { name: 'InputError', code: 'bad_option' });
    }
    o.skipLines = skip;
  }
  const comment = $('opt-comment').value.trim();
  if (comment) o.comment = comment;
  if ($('opt-non-finite').value === 'missing') o.nonFinite = 'missing';
  if ($('opt-short-rows').value === 'missing') o.shortRows = 'missing';
  const backslash = $('opt-backslash').value;
  if (backslash) o.backslashEscapes = backslash === 'on';
  if ($('opt-lossy').checked) o.lossyUtf8 = true;
  if ($('opt-encoding').value === 'windows-1252') o.encoding = 'windows-1252';
  const memRaw = $('opt-memory').value.trim();
  const mem = Number(memRaw);
  if (!Number.isInteger(mem) || mem < 1 || mem > 3072) {
    throw Object.assign(new Error(`memory for the data must be a whole number of MB from 1 to 3072, not "${memRaw}"`), { name: 'InputError', code: 'bad_option' });
  }
  if (mem !== 512) o.maxMemoryBytes = mem * 1024 * 1024;
  const tokens = $('opt-missing').value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  // The engine's defaults (DEFAULT_MISSING_TOKENS in src/data/csv_read.rs), compared exactly: case matters.
  const defaults = ['NA', 'N/A', 'n/a', '#N/A', 'NULL', 'null', 'NaN', 'nan', 'None', '?', '-', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!', '#ERROR!'];
  if (tokens.length !== defaults.length || tokens.some((t, i) => t !== defaults[i])) o.missingTokens = ['', ...tokens];
  if (state.typeOverrides.size > 0) o.columnTypes = Object.fromEntries(state.typeOverrides);
  return Object.keys(o).length ? o : undefined;
}

// The controls under Reading options (the column types are kept apart: they
// belong to one file and are cleared for another).
const OPTION_IDS = ['opt-delimiter', 'opt-header', 'opt-decimal', 'opt-skip', 'opt-comment', 'opt-non-finite', 'opt-short-rows', 'opt-backslash', 'opt-missing', 'opt-memory', 'opt-encoding', 'opt-lossy'];

/** The Reading options' controls as they are now, as one comparable text. */
function optionControls() {
  return JSON.stringify(OPTION_IDS.map((id) => ($(id).type === 'checkbox' ? $(id).checked : $(id).value)));
}

/** The same, of the page's own defaults (as written in the HTML, whatever the browser restored). */
function optionDefaults() {
  return JSON.stringify(OPTION_IDS.map((id) => {
    const c = $(id);
    if (c.type === 'checkbox') return c.defaultChecked;
    if (c.tagName === 'SELECT') return ([...c.options].find((o) => o.defaultSelected) || c.options[0]).value;
    return c.defaultValue;
  }));
}

function setOptionControls(text) {
  JSON.parse(text).forEach((v, i) => {
    const c = $(OPTION_IDS[i]);
    if (c.type === 'checkbox') c.checked = v;
    else c.value = v;
  });
}

/**
 * Before a new file is read: options set for the file loaded before, and
 * not touched since, are put back to automatic (an encoding set for one
 * file silently misread the next). Options changed since that load were
 * set for this file and stay. Returns a note for the status, or ''.
 */
function resetOptionsForNewFile(fileName) {
  // The options of the last read, loaded or failed: set for that file.
  const at = state.optionsTried || state.optionsAtLoad;
  const now = optionControls();
  if (!at || now !== at.controls || now === state.optionDefaults) return '';
  setOptionControls(state.optionDefaults);
  return ` The reading options set for ${visible(at.fileName)} were put back to automatic for ${visible(fileName)}; set them again under Reading options if it needs them.`;
}

/**
 * After the item at `index` of `list` was removed and the list drawn again:
 * focus the Remove button now at `index` (the next item), else the one
 * before, else `fallback`, so keyboard focus does not fall to the page.
 */
function focusAfterRemoval(list, index, fallback) {
  const buttons = list.querySelectorAll('button');
  (buttons[index] || buttons[index - 1] || fallback).focus();
}

function renderTypeOverrides() {
  const list = $('type-list');
  clear(list);
  [...state.typeOverrides].forEach(([column, kind], i) => {
    const remove = el('button', { type: 'button', className: 'secondary small', text: 'Remove', 'aria-label': `Remove the type of ${visible(column)}` });
    remove.addEventListener('click', () => {
      state.typeOverrides.delete(column);
      renderTypeOverrides();
      focusAfterRemoval(list, i, $('type-column'));
      setStatus(`Removed the type set for ${visible(column)}; read the file again to apply this.`);
    });
    list.append(el('li', {}, el('span', { text: `${visible(column)} as ${kind.replace('_', '-')} ` }), remove));
  });
}

/**
 * Fills `select` with one option per column, built off the document and put
 * in at once (`new Option` sets text and value without parsing markup). A
 * select of thousands of options gets the class `many`: a set width, so the
 * browser does not measure every option's text to size it.
 */
function fillColumnSelect(select, columns, text) {
  const options = document.createDocumentFragment();
  for (const c of columns) options.append(new Option(text(c), c.name));
  select.classList.toggle('many', columns.length > MANY_OPTIONS);
  select.replaceChildren(options);
}

// From this many columns a column select gets a set width (see fillColumnSelect).
const MANY_OPTIONS = 500;

function renderTypeColumns(p) {
  fillColumnSelect($('type-column'), p.columns, (c) => `${visible(c.name)} (${c.kind})`);
  $('type-overrides').disabled = false;
}

/**
 * Read again, with the reading options as they are now: the file that just
 * failed to load (the person is fixing its options), else the loaded one.
 */
async function reread() {
  const retry = state.retry;
  const src = retry || state.source;
  if (!src) return;
  const { data, fileName, meta } = src;
  await withBusy(async () => {
    clearError();
    try {
      await loadBytes(data, fileName, meta, true);
    } catch (err) {
      if (retry) failed(err, loadFailedText(fileName, err));
      else failed(err, err.keptData ? `Reading ${fileName} again failed; the data as read before is still loaded.` : `Reading ${fileName} again failed.`);
    }
  }, `reading ${fileName} again`);
}

async function loadBytes(bytes, fileName, meta, sameFile = false) {
  setStatus(`Reading ${visible(fileName)}…`);
  const reset = sameFile ? '' : resetOptionsForNewFile(fileName);
  // Column types belong to one file: a new file starts without them.
  const previousTypes = new Map(state.typeOverrides);
  if (!sameFile && state.typeOverrides.size > 0) {
    state.typeOverrides.clear();
    renderTypeOverrides();
  }
  // Reading the loaded file again with other options, or another file: if
  // that fails, the data loaded before stays loaded (and its profile, its
  // column types and its results on screen).
  const previous = state.profile ? state.source : null;
  state.source = { data: bytes, fileName, meta };
  $('reread').disabled = false;
  try {
    const used = readOptions();
    // Profiled for the target the page offers first, so its alerts (class
    // imbalance, leakage) show at once.
    let loaded;
    try {
      loaded = await client.load(bytes, fileName, used, meta && meta.target ? meta.target : null);
    } finally {
      // The profiling's clock stops with the load.
      stopTicking();
    }
    const { profile, durationMs, memoryBytes, readAs, workers, seconds } = loaded;
    state.source = { data: bytes, fileName, meta, options: used, key: `${++loadCounter}` };
    state.optionsAtLoad = { controls: optionControls(), fileName };
    state.optionsTried = null;
    state.retry = null;
    state.lastLoad = { fileName, durationMs, memoryBytes, readAs, workers, seconds, columnarBytes: profile.dataset ? profile.dataset.memoryBytes : null };
    state.sampleMeta = meta;
    state.profile = profile;
    state.manifest = null;
    // The loaded file read again (not one that had failed to load).
    const recipeNote = keepRecipe(profile, !!previous && previous.data === bytes);
    // Each part is drawn in a task of its own, with a frame between them
    // (its style and layout done there), so a file of thousands of columns
    // does not hold the page still for one long task. The controls stay
    // disabled (busy) until the last part is in.
    await renderProfile(profile);
    await nextFrame();
    renderTargets(profile, meta);
    // A step kept from the read before may name the target offered now.
    const targetNote = dropStepsOnTarget();
    await nextFrame();
    renderTypeColumns(profile);
    // The results and their manifest were of the data before: they go with it.
    clear($('results-section').querySelector('#metrics-body'));
    $('results-section').hidden = true;
    unmarkResults(null);
    clear($('replay-result'));
    await updateInferred();
    renderModelChoices();
    showOrigin();
    const how = readAs === 'parts' ? `, read by ${workers === 2 ? 'two' : workers} workers at once` : '';
    setStatus(`Loaded ${profile.fileName}: ${plural(profile.rows, 'row')}, ${plural(profile.columnCount, 'column')} (${formatMs(durationMs)}${how}).${reset}${recipeNote}${targetNote}`);
  } catch (err) {
    // Options put back to automatic for this file: a stopped read puts
    // them back as they were (nothing was read); a failed one says so.
    if (reset && err.code === CANCELLED && state.optionsAtLoad) setOptionControls(state.optionsAtLoad.controls);
    else if (reset) err.optionsReset = reset;
    // Options a failed read used were set for its file: the next file
    // chosen starts from automatic, as after a loaded one.
    if (err.code !== CANCELLED) state.optionsTried = { controls: optionControls(), fileName };
    if (previous) {
      const engineHeld = !!client.current;
      err.keptData = await keepPrevious(previous);
      // Not held by the engine (a new file had stopped its restore): read again, and said so.
      err.loadedAgain = err.keptData && !engineHeld;
      // Another file failed: Read again is for it, once its options are set.
      // (A load the person stopped is not one to read again.)
      state.retry = err.keptData && previous.data !== bytes && err.code !== CANCELLED && !NO_RETRY.has(err.code) ? { data: bytes, fileName, meta } : null;
      if (err.keptData && !sameFile) {
        state.typeOverrides = previousTypes;
        renderTypeOverrides();
      }
      if (err.keptData) err.keptName = previous.fileName;
      throw err;
    }
    // A failed load of a new file leaves nothing loaded, unless the engine
    // crashed (then the previous data was reloaded into the new engine).
    if (!client.current) forgetData();
    // Nothing to read again when no reading option can help.
    if (NO_RETRY.has(err.code) && !client.current) state.source = null;
    throw err;
  }
}

/**
 * After a failed re-read: the data as read before, with the options it was
 * read with, is loaded again unless the engine still holds it (an option
 * the page refused, or a crash, which reloads it). True when it is loaded.
 */
async function keepPrevious(previous) {
  state.source = previous;
  if (client.current) return true;
  try {
    await client.load(previous.data, previous.fileName, previous.options);
    return true;
  } catch {
    if (!client.current) forgetData();
    return false;
  }
}

function forgetData() {
  state.profile = null;
  queueMicrotask(showOrigin);
  state.retry = null;
  state.manifest = null;
  state.sampleMeta = null;
  for (const id of ['profile-section', 'train-section', 'results-section', 'replay-section']) $(id).hidden = true;
  clear($('profile-body'));
  clear($('replay-result'));
}

function failed(err, statusText) {
  // An engine crash or time-out is explained by the banner, a cancel by the
  // status line; the alert is for the user's input.
  if (err && (err.code === ENGINE_CRASHED || err.code === TIMED_OUT)) {
    setStatus(`${statusText} The engine was restarted.`);
    return;
  }
  if (err && err.code === 'stopped_before_any_trial') {
    // A search stopped before its first candidate ended: no error of the
    // person's to show, only what happened.
    setStatus(`Stopped: ${pageWords(err.message)}. Your data is still loaded.`);
    return;
  }
  if (err && err.code === CANCELLED) {
    // The restart that stopped it said it in full (whether the data stays
    // loaded, or is being restored); that is the one message, written once.
    let text = cancelNote ? cancelStatus(cancelNote) : err.message;
    if (err.loadedAgain) text += ` ${visible(err.keptName)} is loaded again.`;
    cancelNote = null;
    if ($('status').textContent !== text) setStatus(text);
    return;
  }
  showError(err);
  setStatus(statusText);
}

// ---------- profile ----------

// Wide files (thousands of columns) would freeze the tab if every row went
// into the table at once: show a page of columns, and more on request.
const PROFILE_PAGE = 200;

function profileRow(c) {
  // Figures estimated from a sample or a sketch are marked ≈ (see the note above the table).
  const approx = new Set(c.approximate || []);
  const mark = (field, text) => (text !== '' && approx.has(field) ? `≈${text}` : text);
  const top = el('ul', { className: 'top-values' });
  for (const t of c.top || []) {
    // A value and its count stay on one line (the value is an inline block, after which a line could break).
    top.append(el('li', {}, el('span', { className: 'top-item' }, clipped('span', 'top-value', visible(t.value), 24), el('span', { className: 'top-count', text: ` ×${mark('top', String(t.count))}` }))));
  }
  const numeric = typeof c.min === 'number';
  // Dates and date-times are stored as seconds since 1970: show them as
  // dates, and their spread in days, hours, minutes or seconds.
  const time = isTimeKind(c.kind);
  const orDash = (say) => (v) => (typeof v === 'number' ? say(v) : '—');
  const spread = time ? orDash(formatSpan) : formatNumber;
  // Min, max, mean, median and quartiles share one precision, the least at
  // which different figures read differently (4 decimals made 1 ± 1e-7 read
  // 1 [1 – 1]; 4 significant digits made a median of 99999.5 read 100000).
  const figures = [c.min, c.max, c.mean, c.median, c.q1, c.q3];
  const texts = new Map(time ? figures.map((v) => [v, orDash(valueFormatter(c))(v)]) : distinctTexts(figures, formatNumber).map((t, i) => [figures[i], t]));
  const value = (v) => (texts.has(v) ? texts.get(v) : formatNumber(v));
  const middle = value;
  // The median and its quartiles may go on two lines, each kept whole (and
  // long quartiles on two more, after the dash), so the table fits a
  // laptop's width without scrolling sideways.
  const quartiles = typeof c.median === 'number'
    ? [el('span', { text: mark('median', middle(c.median)) }), ' ', el('span', {}, el('span', { className: 'nowrap', text: `[${middle(c.q1)} –` }), ' ', el('span', { className: 'nowrap', text: `${middle(c.q3)}]` }))]
    : [];
  const tr = el('tr', { 'data-column': c.name },
    el('th', { scope: 'row', className: 'col-name' }, clipped('span', 'clip', visible(c.name), 60)),
    // A date-time column says whether its times are UTC (written with a
    // zone) or the file's local time (written without one).
    el('td', { className: `kind kind-${c.kind}`, text: c.kind, title: zoneWords(c) ? `times in ${zoneWords(c)}` : undefined }),
    el('td', { className: 'chart-cell' }, distributionChart(c, visible)),
    el('td', { className: 'num', text: formatNumber(c.count) }),
    el('td', { className: c.missing > 0 ? 'num warn' : 'num', text: formatNumber(c.missing) }),
    el('td', { className: 'num', text: mark('distinct', formatNumber(c.distinct)) }),
    el('td', { className: 'num', text: numeric ? value(c.min) : '' }),
    el('td', { className: 'num', text: numeric ? value(c.max) : '' }),
    el('td', { className: 'num', text: numeric ? value(c.mean) : '' }),
    el('td', { className: 'num', text: numeric ? spread(c.std) : '' }),
    el('td', { className: time ? 'num quartiles dates' : 'num quartiles' }, ...quartiles),
    // The engine lists no top values of a number or date column in which no
    // value repeats (its first few, each once, would read as the most frequent).
    // In a sampled file (top values estimated) an empty list says only that
    // no value was seen often enough among the kept rows to estimate its
    // count, not that values do not repeat.
    el('td', {}, (c.top || []).length === 0 && approx.has('top')
      ? el('span', { className: 'top-none top-unknown', 'data-testid': 'top-none', text: 'not available: the file was sampled, and no value was seen often enough in the kept rows to estimate how often it occurs' })
      : (c.top || []).length === 0 && c.distinct > 1 ? el('span', { className: 'top-none', 'data-testid': 'top-none', text: 'each value once' }) : top),
  );
  if (approx.size) tr.title = `Estimated: ${[...approx].join(', ')}`;
  return tr;
}

/**
 * An element of `text` that style.css cuts short (an ellipsis, or a few
 * lines), so one long name or value does not widen the profile table: the
 * whole text stays in it for screen readers, and over `longer` characters
 * it is also the tooltip.
 */
function clipped(tag, className, text, longer) {
  return el(tag, { className, text, title: [...text].length > longer ? text : null });
}

// ---------- alerts and the recipe ----------

function stepText(step) {
  const rest = Object.entries(step)
    .filter(([k]) => k !== 'step' && k !== 'column')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${step.step.replace(/_/g, ' ')}${step.column !== undefined ? ` "${visible(step.column)}"` : ''}${rest ? ` (${rest})` : ''}`;
}

const DELIMITER_NAMES = new Map([[',', 'comma'], [';', 'semicolon'], ['\t', 'tab'], ['|', 'pipe'], [' ', 'space'], ['whitespace', 'runs of spaces']]);

function renderIngest(r) {
  const how = (source) => (source === 'option' ? 'as set' : source === 'sep_line' ? 'from the sep= line' : 'detected');
  // Every option the person set says so, as the delimiter and header do.
  const o = readOptionsUsed() || {};
  const parts = [];
  if (r.encoding) parts.push(`Encoding ${r.encoding}${o.encoding && r.encoding.toLowerCase() === o.encoding ? ' (as set)' : ''}`);
  if (r.delimiter) parts.push(`delimiter ${DELIMITER_NAMES.get(r.delimiter) || JSON.stringify(r.delimiter)} (${how(r.delimiterSource)})`);
  if (r.header !== undefined) parts.push(`${r.header ? 'first row read as column names' : 'no header row'} (${how(r.headerSource)})`);
  if (r.decimalComma) parts.push(`decimal comma${o.decimalComma === true ? ' (as set)' : ''}`);
  else if (o.decimalComma === false) parts.push('decimal point (as set)');
  if (r.lineEnding) parts.push(`line ends ${r.lineEnding.toUpperCase()}`);
  if (r.skippedLines) parts.push(`${r.skippedLines === 1 ? 'first line' : `first ${r.skippedLines} lines`} skipped above the table${o.skipLines !== undefined ? ' (as set)' : ''}`);
  else if (o.skipLines === 0) parts.push('no line skipped above the table (as set)');
  if (o.comment) parts.push(`comment lines start with ${visible(o.comment)} (as set)`);
  if (o.backslashEscapes !== undefined) parts.push(`backslash escapes ${o.backslashEscapes ? 'on' : 'off'} (as set)`);
  if (o.nonFinite === 'missing') parts.push('infinite numbers read as missing (as set)');
  if (o.shortRows === 'missing') parts.push('short rows filled with missing values (as set)');
  if (o.lossyUtf8) parts.push('invalid UTF-8 bytes replaced (as set)');
  if (o.missingTokens) parts.push('missing-value tokens as set');
  if (o.maxMemoryBytes) parts.push(`memory for the data ${formatBytes(o.maxMemoryBytes)} (as set)`);
  if (r.blankLines) parts.push(`${plural(r.blankLines, 'blank line')} skipped`);
  $('ingest-summary').textContent = parts.length ? `${parts.join(', ')}.` : '';
  const list = $('ingest-warnings');
  clear(list);
  for (const w of r.warnings || []) list.append(el('li', { className: 'ingest-warning', 'data-code': w.code, text: `Note: ${pageWords(visible(w.message))}` }));
}

// A wide file can raise an alert or two per column: thousands of items
// (each with a button) would hold the page still while drawn, so the list
// shows a page of them, and more on request, as the profile table does.
const ALERTS_PAGE = 100;

function renderAlerts(p) {
  const list = $('alerts-list');
  clear(list);
  const alerts = p.alerts || [];
  const target = p.target ? `, with "${visible(p.target)}" as the target` : '';
  $('alerts-heading').textContent = alerts.length ? `Data-quality alerts (${alerts.length})${target}` : `Data-quality alerts: none${target}`;
  state.alertsShown = 0;
  showMoreAlerts(p);
}

function showMoreAlerts(p) {
  const list = $('alerts-list');
  const alerts = p.alerts || [];
  const next = alerts.slice(state.alertsShown, state.alertsShown + ALERTS_PAGE);
  const items = document.createDocumentFragment();
  for (const a of next) {
    const item = el('li', { className: `alert alert-${a.severity}`, 'data-code': a.code },
      el('span', { className: 'alert-severity', text: a.severity }),
      el('span', { className: 'alert-message', text: ` ${pageWords(visible(a.message))}` }),
      a.advice ? el('span', { className: 'alert-advice', text: ` — ${pageWords(visible(a.advice))}` }) : null,
    );
    if (a.suggestion) {
      const button = el('button', { type: 'button', className: 'secondary small alert-fix' });
      fixSteps.set(button, a.suggestion);
      showFixState(button);
      button.addEventListener('click', () => (inRecipe(a.suggestion) ? removeRecipeStep(a.suggestion) : addRecipeStep(a.suggestion)));
      item.append(document.createTextNode(' '), button);
    }
    items.append(item);
  }
  const first = items.firstElementChild;
  list.append(items);
  state.alertsShown += next.length;
  const more = $('alerts-more');
  const left = alerts.length - state.alertsShown;
  const hadFocus = document.activeElement === more;
  more.hidden = left <= 0;
  more.textContent = `Show ${Math.min(left, ALERTS_PAGE)} more of ${plural(alerts.length, 'alert')}`;
  // The button is gone once every alert shows: focus goes to the first
  // alert it brought (its button, if it has one), not to the page.
  if (hadFocus && more.hidden && first) {
    const target = first.querySelector('button') || first;
    if (target === first) first.tabIndex = -1;
    target.focus();
  }
  $('alerts-shown').textContent = left > 0 ? `Showing ${state.alertsShown} of ${plural(alerts.length, 'alert')}${alertCounts(alerts)}.` : '';
}

/** ": 3,334 constant, 3,333 missing_values…", the alerts counted by code, when there are several codes. */
function alertCounts(alerts) {
  const byCode = new Map();
  for (const a of alerts) byCode.set(a.code, (byCode.get(a.code) || 0) + 1);
  if (byCode.size < 2) return '';
  return ` (${[...byCode].sort((x, y) => y[1] - x[1]).map(([code, n]) => `${n} ${String(code).replace(/_/g, ' ')}`).join(', ')})`;
}

// The step each alert's fix button adds (see showFixState).
const fixSteps = new WeakMap();

function inRecipe(step) {
  const key = JSON.stringify(step);
  return state.recipe.some((s) => JSON.stringify(s) === key);
}

/**
 * An alert's fix button says whether its step is in the recipe: "Add
 * step: …", or "Added: … — undo", which takes the step out again. It stays
 * where it is (and keeps focus) either way; the status line says what changed.
 */
function showFixState(button) {
  const step = fixSteps.get(button);
  const added = inRecipe(step);
  button.textContent = added ? `Added: ${stepText(step)} — undo` : `Add step: ${stepText(step)}`;
  button.classList.toggle('applied', added);
}

// The order a column's steps work in: tidying its labels, then reading
// its values, then filling gaps, then scaling, then encoding (the engine
// refuses a label step after the values are read as numbers, a step after
// its column's encoding, or an impute after a scale, which has filled the
// gaps).
const STEP_ORDER = new Map([['drop_duplicate_rows', 0], ['drop_column', 0], ['normalize_labels', 1], ['cast', 2], ['parse_numbers', 2], ['impute', 3], ['scale', 4], ['one_hot', 5], ['ordinal', 5]]);

function addRecipeStep(step) {
  const key = JSON.stringify(step);
  if (state.recipe.some((s) => JSON.stringify(s) === key)) {
    setStatus(`The preparation step ${stepText(step)} is already in the recipe.`);
    return;
  }
  // A dropped column takes no other step (the engine refuses the pair).
  const dropped = (column) => state.recipe.some((s) => s.step === 'drop_column' && s.column === column);
  if (step.column !== undefined && step.step !== 'drop_column' && dropped(step.column)) {
    setStatus(`"${visible(step.column)}" is dropped by the recipe, so ${stepText(step)} was not added; remove the drop step first.`);
    return;
  }
  let replaced = 0;
  if (step.step === 'drop_column') {
    const before = state.recipe.length;
    state.recipe = state.recipe.filter((s) => s.column !== step.column);
    replaced = before - state.recipe.length;
  }
  state.recipe.push(step);
  // Stable: steps of one kind keep the order they were added in.
  state.recipe.sort((a, b) => (STEP_ORDER.get(a.step) ?? 2) - (STEP_ORDER.get(b.step) ?? 2));
  renderRecipe();
  const gone = replaced ? ` It replaces ${plural(replaced, 'step')} on that column.` : '';
  setStatus(`Added a preparation step: ${stepText(step)}.${gone} It applies from the next training.`);
}

function removeRecipeStep(step) {
  const key = JSON.stringify(step);
  state.recipe = state.recipe.filter((s) => JSON.stringify(s) !== key);
  renderRecipe();
  setStatus(`Removed a preparation step: ${stepText(step)}. This applies from the next training.`);
}

function renderRecipe() {
  // The alerts' fix buttons follow the recipe, however it changed.
  for (const button of $('alerts-list').querySelectorAll('button.alert-fix')) showFixState(button);
  // And the task the engine infers, when a step changed what the target is.
  if (state.profile && state.inferredFor !== undefined && targetStepsKey() !== state.inferredFor) updateInferred().then(renderModelChoices);
  const list = $('recipe-list');
  clear(list);
  $('recipe-empty').hidden = state.recipe.length > 0;
  state.recipe.forEach((step, i) => {
    const remove = el('button', { type: 'button', className: 'secondary small', text: 'Remove', 'aria-label': `Remove step ${i + 1}: ${stepText(step)}` });
    remove.addEventListener('click', () => {
      state.recipe.splice(i, 1);
      renderRecipe();
      focusAfterRemoval(list, i, $('recipe-heading'));
      setStatus(`Removed a preparation step: ${stepText(step)}. This applies from the next training.`);
    });
    list.append(el('li', {}, el('span', { text: `${stepText(step)} ` }), remove));
  });
}

/**
 * The engine refuses a recipe step on the target, but for parse_numbers
 * (which reads its labels as numbers to predict): a step added for a
 * column that is now the target would stop the next training. Such steps
 * leave the recipe when the target is chosen, and the returned sentence
 * names each and why ('' when none).
 */
function dropStepsOnTarget() {
  const target = $('target-select').value;
  const gone = state.recipe.filter((s) => s.column !== undefined && s.column === target && s.step !== 'parse_numbers');
  if (!gone.length) return '';
  state.recipe = state.recipe.filter((s) => !gone.includes(s));
  renderRecipe();
  const why = (s) =>
    s.step === 'drop_column'
      ? 'the target cannot be dropped'
      : s.step === 'cast'
        ? 'a cast does not change the target (parse numbers reads its labels as numbers)'
        : 'the target is predicted, not prepared as a feature';
  const each = gone.map((s) => `${stepText(s)} (${why(s)})`).join('; ');
  return ` Removed ${plural(gone.length, 'preparation step')} on "${visible(target)}", now the target: ${each}.`;
}

function showMoreColumns(p) {
  const body = $('profile-body');
  const next = p.columns.slice(state.profileShown, state.profileShown + PROFILE_PAGE);
  const rows = document.createDocumentFragment();
  for (const c of next) rows.append(profileRow(c));
  const first = rows.firstElementChild;
  body.append(rows);
  state.profileShown += next.length;
  const more = $('profile-more');
  const left = p.columns.length - state.profileShown;
  const hadFocus = document.activeElement === more;
  more.hidden = left <= 0;
  // The button is gone once every column shows: focus goes to the first
  // row it brought, not to the page.
  if (hadFocus && more.hidden && first) {
    first.tabIndex = -1;
    first.focus();
  }
  more.textContent = `Show ${Math.min(left, PROFILE_PAGE)} more of ${plural(p.columns.length, 'column')}`;
  $('profile-shown').textContent = left > 0 ? `Showing ${state.profileShown} of ${p.columns.length} columns.` : '';
  showScrollHint();
}

/**
 * The profile table fits a laptop's width; when it does not (a narrow
 * window, long values), a line above it says that it scrolls sideways, so
 * no one takes its right edge for its last column.
 */
function showScrollHint() {
  const wrap = $('profile-wrap');
  $('profile-scroll-hint').hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
}

if (typeof ResizeObserver === 'function') new ResizeObserver(showScrollHint).observe($('profile-wrap'));

/** ", quartiles within ±x% of the rows in rank" when any column's quartiles come from a sketch. */
function quartileNote(p) {
  const errors = (p.columns || []).map((c) => c.quantileRankError).filter((e) => typeof e === 'number');
  return errors.length ? `; medians and quartiles over every row, each within ±${(100 * Math.max(...errors)).toFixed(1)}% of the rows in rank` : '';
}

/**
 * The recipe for a newly loaded profile. The same file read again (with
 * other reading options, often an alert's advice) keeps the steps whose
 * columns it still has; another file starts with none. Says what changed.
 */
function keepRecipe(profile, sameFile) {
  const before = state.recipe;
  if (!sameFile) {
    state.recipe = [];
    return before.length ? ` The ${plural(before.length, 'preparation step')} made for the file before ${before.length === 1 ? 'was' : 'were'} cleared.` : '';
  }
  const names = new Set(profile.columns.map((c) => c.name));
  state.recipe = before.filter((step) => step.column === undefined || names.has(step.column));
  const gone = before.filter((step) => !state.recipe.includes(step));
  const kept = state.recipe.length ? ` The recipe keeps its ${plural(state.recipe.length, 'step')}.` : '';
  return gone.length ? `${kept} Removed ${gone.length === 1 ? 'the step' : 'the steps'} on columns no longer read: ${gone.map(stepText).join('; ')}.` : kept;
}

async function renderProfile(p) {
  $('ov-file').textContent = visible(p.fileName);
  $('ov-rows').textContent = String(p.rows);
  const note = $('sample-note');
  note.hidden = !p.sample;
  note.textContent = p.sample
    ? `Large file: ${p.sample.keptRows} of ${plural(p.sample.totalRows, 'row')} kept (about one in ${p.sample.stride}, chosen by a hash of the row number, so rows that repeat with a period are not aliased) to stay within ${formatBytes(p.sample.budgetBytes)} of memory. Counts, missing, min, max, mean and std cover every row; figures marked ≈ are estimates (distinct counts ±${(100 * p.sample.distinctStdError).toFixed(1)}%${quartileNote(p)}), and training uses the kept rows.`
    : '';
  $('ov-columns').textContent = String(p.columnCount);
  const d = p.dataset || {};
  // Duplicates among sampled rows are an estimate (≈), like the other sampled figures.
  // Sampled: counted among the kept rows, which is no estimate for the
  // file (rows repeat more often in it than in a sample).
  const amongKept = (d.approximate || []).includes('duplicateRows') && p.sample ? ` among the ${p.sample.keptRows} kept rows` : '';
  $('ov-duplicates').textContent = typeof d.duplicateRows === 'number' ? `${d.duplicateRows}${amongKept}` : '—';
  $('ov-missing').textContent = typeof d.missingCells === 'number' ? `${d.missingCells} (${formatPercent(d.missingCellsPct)})` : '—';
  const sha = $('ov-sha');
  sha.textContent = `${p.sha256.slice(0, 12)}…`;
  sha.title = p.sha256;
  sha.dataset.full = p.sha256;

  renderIngest(p.ingest || {});
  renderAlerts(p);
  renderRecipe();
  const body = $('profile-body');
  clear(body);
  state.profileShown = 0;
  clear($('cluster-output'));
  $('profile-section').hidden = false;
  $('train-section').hidden = false;
  $('replay-section').hidden = false;
  // The table's first page and the heatmap each in a task of their own (see loadBytes).
  await nextFrame();
  showMoreColumns(p);
  await nextFrame();
  renderAssociations(p);
}

// The longest column name "Strongest pairs" prints whole.
const PAIR_NAME_CHARS = 40;

function renderAssociations(p) {
  const section = $('assoc-section');
  const chart = $('assoc-chart');
  const list = $('assoc-list');
  const table = $('assoc-table-body');
  clear(chart);
  clear(list);
  clear(table);
  const assoc = p.associations || {};
  const heat = associationHeatmap(assoc, visible, 30, p.target || null);
  section.hidden = !heat;
  if (!heat) return;
  chart.append(heat.svg);
  const notes = [];
  if (heat.targetAdded) {
    // The target is drawn last even when past the first columns (its figures are the ones looked for).
    if (heat.othersShown < heat.othersTotal) notes.push(`The heatmap shows the first ${heat.othersShown} of the ${heat.othersTotal} other paired columns and the target, "${visible(p.target)}" (last); the strongest pairs below are taken from all of them.`);
  } else if (heat.shown < heat.total) {
    notes.push(`The heatmap shows the first ${heat.shown} of ${heat.total} paired columns; the strongest pairs below are taken from all ${heat.total}.`);
  }
  if (assoc.sampledRows) notes.push(`Computed on a sample of ${plural(assoc.sampledRows, 'row')}: approximate.`);
  // Skipped columns grouped by their reason, a few names each.
  const byReason = new Map();
  // (Pushed, not copied: a wide file skips thousands of columns.)
  for (const s of assoc.skipped || []) {
    if (!byReason.has(s.reason)) byReason.set(s.reason, []);
    byReason.get(s.reason).push(s.column);
  }
  for (const [reason, names] of byReason) {
    notes.push(`Not paired (${reason}): ${names.slice(0, 5).map(visible).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.`);
  }
  $('assoc-note').textContent = notes.join(' ');
  // The strongest pairs, the target's associations among them.
  const strongest = [...(assoc.pairs || []), ...(assoc.target || [])].sort((x, y) => Math.abs(y.value) - Math.abs(x.value));
  // Long names are cut in their middle, as the heatmap cuts them (a name
  // of hundreds of characters had filled lines per pair); the whole text
  // is the tooltip and what a screen reader reads.
  const top = strongest.slice(0, 10);
  const names = [...new Set(top.flatMap((pair) => [pair.a, pair.b]))];
  const labels = shortLabels(names.map(visible), PAIR_NAME_CHARS);
  const cut = new Map(names.map((n, i) => [n, labels[i]]));
  for (const pair of top) {
    const figures = `: ${measureName(pair.measure)} ${short(pair.value)} (n = ${pair.n})`;
    const full = `${visible(pair.a)} × ${visible(pair.b)}${figures}`;
    const shown = `${cut.get(pair.a)} × ${cut.get(pair.b)}${figures}`;
    list.append(shown === full
      ? el('li', { text: full })
      : el('li', { title: full }, el('span', { 'aria-hidden': 'true', text: shown }), el('span', { className: 'visually-hidden', text: full })));
  }
  // Every pair the heatmap draws, as rows of text (at most 435, of 30 columns).
  const rows = document.createDocumentFragment();
  for (const { a, b, pair } of heat.cells) {
    rows.append(el('tr', {},
      el('th', { scope: 'row', className: 'pair-name', text: visible(a) }),
      el('td', { className: 'pair-name', text: visible(b) }),
      el('td', { text: pair ? measureName(pair.measure) : 'not computed' }),
      el('td', { className: 'num', text: pair ? short(pair.value) : '—' }),
      el('td', { className: 'num', text: pair ? String(pair.n) : '—' }),
    ));
  }
  table.append(rows);
  $('assoc-all-summary').textContent = `All ${plural(heat.cells.length, 'pair')} of the heatmap as a table`;
}

function renderTargets(p, meta) {
  const select = $('target-select');
  fillColumnSelect(select, p.columns, (c) => visible(c.name));
  const names = p.columns.map((c) => c.name);
  // The target the profile was made for (the worker chose it: the sample's,
  // else the last column that is not free text or an identifier), so the
  // alerts shown are for the target offered.
  const wanted = names.includes(p.target) ? p.target : meta && names.includes(meta.target) ? meta.target : names[names.length - 1];
  select.value = wanted;
  $('task-select').value = 'auto';
}

/**
 * The alerts for the chosen target (class imbalance, leakage, and none
 * about the target as a feature): the profile is made again with it. The
 * statistics do not change; the alerts and associations are replaced.
 */
let alertsTicket = 0;

async function refreshTargetAlerts() {
  const target = $('target-select').value;
  // Only the latest choice draws: an earlier answer, arriving late, is stale.
  const ticket = ++alertsTicket;
  if (!state.profile || !target) return;
  if (state.profile.target !== target) {
    const file = state.source && state.source.key;
    $('alerts-heading').textContent = `Data-quality alerts: checking with "${visible(target)}" as the target…`;
    let p = null;
    try {
      p = await client.profile({ target });
    } catch (err) {
      if (err.code !== ENGINE_CRASHED && err.code !== CANCELLED) showError(err);
    }
    if (ticket !== alertsTicket || !state.profile || (state.source && state.source.key) !== file) return;
    if (p) {
      state.profile = { ...state.profile, alerts: p.alerts, associations: p.associations, target: p.target };
    } else if (state.profile.target) {
      // Not checked (stopped, or the engine failed): the target goes back to
      // the one the alerts are for, so the page never trains on one target
      // while showing another's alerts.
      $('target-select').value = state.profile.target;
      updateInferred().then(renderModelChoices);
    }
  }
  renderAlerts(state.profile);
  renderAssociations(state.profile);
}

// The steps that change what the target is: a parse_numbers step on it
// reads its labels ("$1,200.50") as numbers to predict.
function targetStepsKey() {
  const target = $('target-select').value;
  return JSON.stringify(state.recipe.filter((s) => s.step === 'parse_numbers' && s.column === target));
}

async function updateInferred() {
  const target = $('target-select').value;
  const auto = $('task-auto');
  state.inferred = null;
  state.inferredFor = targetStepsKey();
  auto.textContent = 'Automatic';
  if (!target) return;
  try {
    state.inferred = await client.inferTask(target, state.recipe);
    auto.textContent = `Automatic (${state.inferred})`;
  } catch (err) {
    if (err.code !== ENGINE_CRASHED) showError(err);
  }
}

// ---------- train ----------

function readWorkers() {
  const raw = $('workers-input').value.trim();
  const n = raw === '' ? defaultPoolSize() : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    throw Object.assign(new Error(`workers must be a whole number from 1 to 8, not "${raw}"`), { name: 'InputError', code: 'bad_workers' });
  }
  return n;
}

/** What pool workers load: the data and reading options of the last load. */
function poolSource() {
  const src = state.source;
  const options = readOptionsUsed();
  return { data: src.data, fileName: src.fileName, options, key: src.key };
}

function readSeed() {
  const text = $('seed-input').value.trim();
  const seed = Number(text);
  if (text === '' || !Number.isSafeInteger(seed) || seed < 0) {
    throw Object.assign(new Error(`seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, found "${text}"`), {
      name: 'InputError',
      code: 'bad_seed',
    });
  }
  return seed;
}

/**
 * The results on screen are the previous run's while a training runs, and
 * after one that ends with no result (failed, refused, stopped): a note
 * above them says so and names that run's file and target, and they are dimmed, so
 * no one reads them as the new run's. New results take the note away.
 */
function markResultsPrevious(ended) {
  const section = $('results-section');
  const note = $('results-previous');
  if (section.hidden || !state.resultTarget) return;
  // The file too: the data loaded now may not be the one they came from.
  const file = state.resultFile ? `file "${visible(state.resultFile)}", ` : '';
  const target = `${file}target "${visible(state.resultTarget)}"`;
  note.textContent = ended
    ? `Previous run's results (${target}): the training just tried ended with no results, so nothing below is from it; Download manifest saves the previous run.`
    : `Previous run's results (${target}), until this training ends.`;
  note.hidden = false;
  section.classList.add('previous');
}

function unmarkResults(target) {
  state.resultTarget = target;
  state.resultFile = target === null ? null : state.profile ? state.profile.fileName : null;
  $('results-previous').hidden = true;
  $('results-previous').textContent = '';
  $('results-section').classList.remove('previous');
}

async function train() {
  await withBusy(async () => {
    markResultsPrevious(false);
    try {
      await trainJob();
    } finally {
      // Still marked: no new results came.
      if ($('results-section').classList.contains('previous')) markResultsPrevious(true);
    }
  }, 'training');
}

async function trainJob() {
  clearError();
  let options;
  try {
    options = { target: $('target-select').value, seed: readSeed(), recipe: state.recipe };
    const task = $('task-select').value;
    if (task !== 'auto') options.task = task;
    const search = $('search-select').value;
    options.search = search;
    if (search !== 'none') {
      const metric = $('metric-select').value;
      if (metric) options.metric = metric;
      const trials = $('trials-input').value.trim();
      if (trials !== '') {
        const n = Number(trials);
        // The input's max is the engine's limit (MAX_TRIALS in src/search/mod.rs; lint.test.mjs checks they agree).
        const most = Number($('trials-input').max);
        if (!Number.isInteger(n) || n < 1 || n > most) throw Object.assign(new Error(`most candidates must be a whole number from 1 to ${most}, not "${trials}"`), { name: 'InputError', code: 'bad_trials' });
        options.trials = n;
      } else if (search === 'random') {
        options.trials = 8;
      }
      const seconds = $('time-input').value.trim();
      if (seconds !== '') {
        const t = Number(seconds);
        if (!Number.isFinite(t) || t <= 0) throw Object.assign(new Error(`the time limit must be a number of seconds above 0, not "${seconds}"`), { name: 'InputError', code: 'bad_time_limit' });
        options.timeBudgetSeconds = t;
      }
      const spaces = editedSpaces();
      if (spaces !== null) {
        options.spaces = spaces;
      } else {
        const models = chosenModels();
        if (models.length === 0) {
          throw Object.assign(new Error('tick at least one model to search, or set the search to None'), { name: 'InputError', code: 'no_models' });
        }
        // Left at the defaults, the engine chooses, and leaves out the
        // models too slow for this data (it says which and why). Once the
        // person changes a tick, the ticked models are named, and a named
        // model is searched whole: unticking and ticking again a model the
        // default search left out is how to search it.
        if ($('models-list').dataset.chosen === 'true' || !sameSet(models, defaultModels())) options.models = models;
      }
    }
  } catch (err) {
    failed(err, 'Nothing was trained.');
    return;
  }
  setStatus('Training…');
  // The candidates finished so far, as progress reports them: kept on
  // screen if the refit of the best is stopped (the run has no result then).
  const seen = { trials: [], planned: 0, metric: null, refit: false };
  searchSeen = seen;
  cancelKept = null;
  try {
    const workers = readWorkers();
    const pooled = options.search !== 'none' && client.capabilities.pooledSearch;
    if (pooled) showCancel(true);
    const { result, manifest, durationMs, stoppedBy, leftOut, fitFailures } = pooled
      ? await pool.search(client, poolSource(), options, workers)
      : await client.train(options);
    if (stoppedBy) {
      showBanner(stoppedBy.index === null
        ? `A search worker stopped unexpectedly between candidates (${stoppedBy.message}); the search ended there and kept the finished candidates.`
        : `A search worker stopped unexpectedly on candidate ${stoppedBy.index + 1} (${stoppedBy.message}); the search ended there and kept the finished candidates. The candidate was not retried.`);
    }
    hideProgress();
    state.manifest = manifest;
    state.manifestSaved = false;
    renderResult({ ...result, folds: manifestFolds(manifest) }, durationMs, leftOut);
    const cut = result.search && result.search.cut_short ? ` The search was cut short after ${result.search.trials.length} of ${plural(result.search.planned, 'candidate')}; the best of those was refitted.` : '';
    // The reasons can run to several lines: they go with the results, the
    // status line (pinned at the top) only counts them.
    const left = leftOut && leftOut.length > 0 ? ` ${plural(leftOut.length, 'model')} left out of the search on this data (see "Left out of the search" in the results).` : '';
    // A candidate whose model fit panicked stopped its worker's engine:
    // it is that candidate's failure (in the leaderboard, with its error),
    // and the search went on.
    const fits = fitFailures && fitFailures.length > 0
      ? ` ${fitFailures.length === 1 ? `The solver of candidate ${fitFailures[0].index + 1} (${candidateName(fitFailures[0])}) failed` : `The solvers of ${fitFailures.length} candidates failed`}; the search went on, and the leaderboard shows ${fitFailures.length === 1 ? 'it' : 'them'} as failed, with why.`
      : '';
    setStatus(`Trained in ${formatMs(durationMs)}.${cut}${fits}${left}`);
  } catch (err) {
    hideProgress();
    if (err && err.code === CANCELLED && seen.refit && seen.trials.length > 0) keepUnrefitted(seen, options, err);
    // The engine, which held the search, stopped during it (the banner says so too).
    else if (err && err.searchLost) setStatus(`Training failed. ${err.message}`);
    else if (err && err.code === ENGINE_CRASHED && err.trial) {
      // The search ran in the engine's own worker (a build with no pooled
      // search): a candidate's failed fit ends it there, with nothing trained.
      setStatus(`Training stopped: the solver of candidate ${err.trial.index + 1} (${candidateName(err.trial)}) failed (${err.trial.error}), and this engine cannot go on past such a candidate, so nothing was trained. The engine was restarted.`);
    } else failed(err, 'Training failed.');
  } finally {
    if (searchSeen === seen) searchSeen = null;
  }
}

/** A candidate as the leaderboard names it: model and parameters. */
function candidateName(trial) {
  const params = paramsText(trial.model);
  return `${MODEL_LABELS.get(trial.model.kind) || trial.model.kind}${params ? `, ${params}` : ''}`;
}

// The running search's finished candidates (see train), or null.
let searchSeen = null;

/**
 * The refit of the best candidate was stopped (Esc or Cancel ends the
 * engine's worker, so the run has no result and no manifest): the finished
 * candidates stay on screen, ranked, with no test metrics, and the status
 * says the final model was not fitted.
 */
function keepUnrefitted(seen, options, err) {
  const n = seen.trials.length;
  const r = {
    target: options.target,
    searchMetric: seen.metric,
    search: { planned: Math.max(seen.planned, n), cut_short: n < seen.planned, best: null, trials: seen.trials, unrefitted: true },
  };
  state.manifest = null;
  state.manifestSaved = false;
  const body = $('metrics-body');
  clear(body);
  body.append(el('tr', { 'data-metric': 'none' }, el('th', { scope: 'row', text: 'Test metrics' }), el('td', { 'data-testid': 'no-metrics', text: 'none: the best candidate was not refitted' })));
  const facts = $('run-facts');
  clear(facts);
  const rows = [
    ['Target', options.target, 'fact-target'],
    ['Model', 'not fitted: the refit of the best candidate was stopped', 'fact-model'],
    ['Search', `${n} of ${plural(r.search.planned, 'candidate')}${r.search.cut_short ? ', cut short' : ''}; refit stopped`, 'fact-search'],
    ['Seed', String(options.seed), 'fact-seed'],
  ];
  for (const [label, value, testid] of rows) facts.append(el('div', {}, el('dt', { text: label }), el('dd', { 'data-testid': testid, text: value })));
  renderLeaderboard(r);
  unmarkResults(options.target);
  $('results-section').hidden = false;
  setBusy(state.busy);
  const message = cancelNote || err.message;
  cancelNote = null;
  cancelKept = { message, kept: `The search's ${plural(n, 'finished candidate')} ${n === 1 ? 'is' : 'are'} kept in the leaderboard; the best was not refitted, so there is no final model, no test metrics and no manifest. Train again to search and refit.` };
  setStatus(cancelStatus(message));
}

// Model names as people read them; which task each serves.
const MODELS = [
  ['random_forest', 'Random forest', 'both'],
  ['decision_tree', 'Decision tree', 'both'],
  ['knn', 'k nearest neighbours', 'both'],
  ['gaussian_nb', 'Gaussian naive Bayes', 'classification'],
  ['logistic', 'Logistic regression', 'classification'],
  ['svc', 'Support-vector classifier (linear, RBF)', 'classification'],
  ['linear', 'Linear regression (least squares)', 'regression'],
  ['ridge', 'Ridge regression', 'regression'],
  ['lasso', 'Lasso', 'regression'],
  ['elastic_net', 'Elastic net', 'regression'],
  ['extra_trees', 'Extra trees', 'regression'],
  ['svr', 'Support-vector regression (linear, RBF)', 'regression'],
  ['gbt', 'Gradient-boosted trees', 'regression'],
];
const MODEL_LABELS = new Map(MODELS.map(([name, label]) => [name, label]));
// Every model replays bit for bit natively and in the browser, so every
// model offered for the task is ticked by default.

/** The MODELS rows offered for `task` (all of them before a task is known). */
function offeredModels(task) {
  return MODELS.filter(([, , serves]) => !task || serves === 'both' || serves === task);
}

function currentTask() {
  const chosen = $('task-select').value;
  return chosen === 'auto' ? state.inferred : chosen;
}

function renderModelChoices() {
  const task = currentTask();
  const list = $('models-list');
  const ticked = new Set([...list.querySelectorAll('input:checked')].map((i) => i.value));
  const fresh = list.childElementCount === 0 || list.dataset.task !== task;
  clear(list);
  list.dataset.task = task || '';
  // Whether the person changed a tick since the list was made for this task.
  if (fresh) delete list.dataset.chosen;
  for (const [name, label] of offeredModels(task)) {
    const id = `model-${name}`;
    const box = el('input', { type: 'checkbox', id, value: name, 'data-testid': id });
    box.checked = fresh || ticked.has(name);
    box.addEventListener('change', () => {
      list.dataset.chosen = 'true';
      refreshSpaces();
    });
    list.append(el('label', { className: 'model-choice', for: id }, box, document.createTextNode(` ${label}`)));
  }
  $('models-fieldset').disabled = state.busy || $('search-select').value === 'none';
  $('metric-select').disabled = $('models-fieldset').disabled;
  refreshSpaces();
}

// The spaces editor shows the ticked models' defaults until the person edits it.
async function refreshSpaces() {
  const text = $('spaces-text');
  if (state.spacesDefault !== null && text.value !== state.spacesDefault) {
    $('spaces-state').textContent = 'Edited: this text is used instead of the ticked models.';
    return;
  }
  try {
    const defaults = await client.defaultSpaces(chosenModels());
    if (state.spacesDefault === null || text.value === state.spacesDefault) {
      text.value = defaults;
      state.spacesDefault = defaults;
      $('spaces-state').textContent = 'The defaults of the ticked models.';
    }
  } catch (err) {
    if (err.code !== ENGINE_CRASHED && err.code !== CANCELLED) showError(err);
  }
}

/** The edited spaces, parsed, or null when the editor still shows the defaults. */
function editedSpaces() {
  const text = $('spaces-text').value;
  if (state.spacesDefault === null || text === state.spacesDefault) return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw Object.assign(new Error(`the search spaces are not valid JSON: ${err.message}`), { name: 'InputError', code: 'bad_spaces' });
  }
}

/** The models ticked when the page shows a task's choices afresh. */
function defaultModels() {
  return offeredModels(currentTask()).map(([name]) => name);
}

function sameSet(a, b) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function chosenModels() {
  return [...$('models-list').querySelectorAll('input:checked')].map((i) => i.value);
}

function showSearchProgress(p) {
  const seen = searchSeen;
  if (seen) {
    if (p.stage === 'refit') seen.refit = true;
    if (typeof p.planned === 'number') seen.planned = p.planned;
    if (p.metric) seen.metric = p.metric;
    if (p.stage === 'search' && p.trial) seen.trials.push(p.trial);
  }
  if (p.stage === 'refit') {
    setStage('refit', 'Search done; refitting the best model on all training rows (one step that cannot report its progress)…');
    startTicking((since) => showProgress(`Refitting the best model… ${formatElapsed(p.elapsedMs + since)} elapsed.`, 'Refit progress'));
    return;
  }
  if (p.stage === 'prepare') {
    setStage('prepare', `Preparing ${plural(p.workers, 'worker')} for ${plural(p.planned, 'candidate')}…`);
    startTicking((since) => showProgress(`Loading the data into ${plural(p.workers, 'search worker')}… ${formatElapsed(p.elapsedMs + since)} elapsed.`, 'Search progress'));
    return;
  }
  if (p.stage !== 'search') return;
  // The time left, as estimated when this report came: the mean time per
  // candidate done so far, times the candidates to go.
  const leftMs = p.done > 0 ? (p.elapsedMs / p.done) * (p.planned - p.done) : null;
  const best = p.best ? `best ${p.metric} ${formatNumber(p.best.mean)} (${MODEL_LABELS.get(p.best.model.kind) || p.best.model.kind})` : 'no score yet';
  const workers = p.workers ? ` on ${plural(p.workers, 'worker')}` : '';
  setStage('search', `Searching${workers}; Esc or Cancel stops and keeps the candidates done.`);
  // Between reports (a candidate can take minutes) the clock runs on, and
  // the estimate counts down from it; past it, the search is behind it.
  startTicking((since) => {
    const elapsed = formatElapsed(p.elapsedMs + since);
    let left = '';
    if (leftMs !== null && p.done < p.planned) {
      const rest = leftMs - since;
      left = rest > 0 ? `, about ${Math.ceil(rest / 1000)} s left` : ', taking longer than estimated';
    }
    showProgress(`Searching${workers}: ${p.done} of ${plural(p.planned, 'candidate')} · ${best} · ${elapsed} elapsed${left}. Cancel keeps what is done.`, 'Search progress', p.done, p.planned);
  });
}

function formatBytes(n) {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return plural(n, 'byte');
}

/**
 * Reading progress; `reload` when the engine, restarted, loads the data
 * again (see showRestoreProgress). Each stage is said once in the status;
 * the figures go in the progress line.
 */
function showLoadProgress(p, reload = false) {
  if (reload) {
    const r = state.restore;
    if (!r) return;
    if (p.stage !== r.stage) {
      r.stage = p.stage;
      r.since = performance.now();
    }
    r.progress = p;
    // The user may have started something else meanwhile: its status and
    // progress stay (the restore's come back when it ends).
    if (!state.busy) showRestoreProgress();
    return;
  }
  const name = visible(p.fileName || (state.source && state.source.fileName) || 'the file');
  const pct = (n) => (p.total > 0 ? Math.floor((100 * n) / p.total) : 0);
  const others = p.readers > 2 ? `the other ${p.readers - 1} readers` : 'the other reader';
  const stop = ' Esc or Cancel stops.';
  // The stages that report their own figures stop the clock of one that did not.
  if (p.stage !== 'absorb' && p.stage !== 'profile') stopTicking();
  switch (p.stage) {
    case 'read':
      setStage('read', `Reading ${name}…`);
      showProgress(`Reading: ${formatBytes(p.done)} of ${formatBytes(p.total)} (${pct(p.done)}%)${p.readers > 1 ? ` by ${p.readers} readers` : ''}.${stop}`, 'Reading progress', p.done, p.total);
      return;
    case 'parts':
      // This reader is done; the helpers read on, and their bytes go into
      // the file's fingerprint as they come.
      setStage('parts', `Reading ${name}: waiting for ${others} to finish ${p.readers > 2 ? 'their parts' : 'its part'}…`);
      showProgress(`Reading: ${formatBytes(p.done)} of ${formatBytes(p.total)} (${pct(p.done)}%) by ${p.readers} readers; fingerprint ${formatBytes(p.hashed)} of ${formatBytes(p.total)} (${pct(p.hashed)}%).${stop}`, 'Reading progress', p.done, p.total);
      return;
    case 'settle':
      setStage('settle', `Read ${name}; waiting for ${others} to hand over ${p.readers > 2 ? 'their columns' : 'its columns'}…`);
      showProgress(`Read ${formatBytes(p.total)}; waiting for ${others} (${(p.elapsedMs / 1000).toFixed(1)} s).${stop}`, 'Reading progress');
      return;
    case 'absorb':
      setStage('absorb', `Joining the ${p.readers} parts of ${name} into one table (one step that cannot report its progress)…`);
      // One engine call: its clock ticks instead (stopped when the load ends).
      startTicking((ms) => showProgress(`Read ${formatBytes(p.total)}; joining ${p.readers} parts… ${formatElapsed(ms)} elapsed.${stop}`, 'Reading progress'));
      return;
    case 'profile': {
      const columns = typeof p.columns === 'number' ? plural(p.columns, 'column') : 'the columns';
      setStage('profile', `Profiling ${columns} of ${name} (one step that cannot report its progress)…`);
      startTicking((ms) => showProgress(`Read ${formatBytes(p.total)}; profiling ${columns}… ${formatElapsed(ms)} elapsed.${stop}`, 'Profiling progress'));
      return;
    }
    default:
  }
}

/**
 * The data being loaded again into a restarted engine (state.restore): the
 * status says so (once), and the progress line how far it is, with a clock
 * for the steps that cannot report; a file chosen meanwhile replaces it, and
 * Esc or Cancel stops it (no data is loaded then).
 */
function showRestoreProgress() {
  const r = state.restore;
  setStage('restore', r.note);
  const p = r.progress;
  const name = visible(r.fileName);
  const stop = ' A file you choose now replaces it; Esc or Cancel stops it (no data is loaded then).';
  if (p && (p.stage === 'read' || p.stage === 'parts')) {
    stopTicking();
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
    showProgress(`Restoring ${name}: ${formatBytes(p.done)} of ${formatBytes(p.total)} (${pct}%).${stop}`, 'Restoring progress', p.done, p.total);
    return;
  }
  let step = '';
  if (p && p.stage === 'profile') step = `: read ${formatBytes(p.total)}; profiling ${typeof p.columns === 'number' ? plural(p.columns, 'column') : 'the columns'}`;
  else if (p && (p.stage === 'settle' || p.stage === 'absorb')) step = `: read ${formatBytes(p.total)}; joining its parts`;
  // Before the first figure (data held in memory is read in one call), and
  // the steps that are one engine call each: the clock of the step.
  startTicking((ms) => showProgress(`Restoring ${name}${step}… ${formatElapsed(ms)} elapsed.${stop}`, 'Restoring progress'), r.since);
}

function paramsText(model) {
  return Object.entries(model)
    .filter(([k]) => k !== 'kind')
    // An SVM's gamma left open is scikit-learn's "scale" (as the command says).
    .map(([k, v]) => `${k}=${v === null ? (k === 'gamma' ? 'scale' : 'none') : v}`)
    .join(', ');
}

function renderLeaderboard(r) {
  const wrap = $('leaderboard-wrap');
  const body = $('leaderboard-body');
  clear(body);
  if (!r.search) {
    wrap.hidden = true;
    return;
  }
  const lower = LOWER_IS_BETTER.has(r.searchMetric);
  const order = [...r.search.trials].sort((a, b) => {
    if (a.mean === null) return b.mean === null ? a.index - b.index : 1;
    if (b.mean === null) return -1;
    return (lower ? a.mean - b.mean : b.mean - a.mean) || a.index - b.index;
  });
  order.forEach((t, rank) => {
    const best = t.index === r.search.best;
    const row = el('tr', { className: best ? 'best' : '', 'data-trial': t.index },
      el('td', { className: 'num', text: String(rank + 1) }),
      el('td', { text: `${MODEL_LABELS.get(t.model.kind) || t.model.kind}${best ? ' (chosen)' : ''}` }),
      el('td', { text: paramsText(t.model) }),
      el('td', { className: 'num', text: t.error ? 'failed' : formatNumber(t.mean), title: t.error || '' }),
      el('td', { className: 'num', text: t.std === null ? '' : formatNumber(t.std) }),
      el('td', { className: 'num', text: formatMs(t.duration_ms) }),
    );
    body.append(row);
  });
  const column = columnProfile(r.target);
  const seconds = ERROR_METRICS.has(r.searchMetric) && column && isTimeKind(column.kind) ? ' (seconds)' : '';
  $('leaderboard-metric').textContent = `Mean ${METRIC_LABELS[r.searchMetric] || r.searchMetric}${seconds}`;
  const folds = r.folds || trialFolds(r.search.trials);
  const cv = folds ? `, ${folds}-fold cross-validation on the training rows` : '';
  const caption = r.search.cut_short
    ? `Search leaderboard: cut short after ${r.search.trials.length} of ${plural(r.search.planned, 'candidate')}${cv}`
    : `Search leaderboard: ${plural(r.search.trials.length, 'candidate')}${cv}`;
  $('leaderboard-caption').textContent = r.search.unrefitted
    ? `${caption}. The refit of the best was stopped: no final model, so no test metrics and no manifest; Train again to search and refit.`
    : caption;
  wrap.hidden = false;
}

// Metrics where a lower score is the better one; the rest rank higher first.
const LOWER_IS_BETTER = new Set(['rmse', 'log_loss']);

/** The folds the candidates were scored on: the most fold scores any trial has (0 when none). */
function trialFolds(trials) {
  return trials.reduce((most, t) => Math.max(most, (t.fold_scores || []).length), 0);
}

/** The folds a manifest records (config.search.folds), or null. */
function manifestFolds(manifest) {
  try {
    const folds = JSON.parse(manifest).config.search.folds;
    return Number.isInteger(folds) && folds > 0 ? folds : null;
  } catch {
    return null;
  }
}

/** The profile of the column named `name` in the loaded data, or null. */
function columnProfile(name) {
  return (state.profile && state.profile.columns.find((c) => c.name === name)) || null;
}

// Errors of a date or date-time target are in seconds (how dates are stored).
const ERROR_METRICS = new Set(['rmse', 'mae']);

/** A metric's value for people: errors of a date target in seconds, and in a larger unit past a minute. */
function metricText(name, value, target) {
  const column = columnProfile(target);
  if (!ERROR_METRICS.has(name) || !column || !isTimeKind(column.kind) || typeof value !== 'number') return formatNumber(value);
  // Under a minute, seconds say it all.
  return Math.abs(value) < 60 ? `${formatNumber(value)} seconds` : `${formatNumber(value)} seconds (${formatSpan(value)})`;
}

/**
 * What always predicting the training rows' most frequent class (or, for
 * regression, their mean) scores on the test rows, and a warning when the
 * model predicted one class only.
 */
function baselineText(r) {
  const b = r.baseline;
  if (!b) return null;
  const figures = b.metrics.map((m) => `${METRIC_LABELS[m.name] || m.name} ${m.value === null ? 'undefined' : formatNumber(m.value)}`).join(', ');
  const one = b.predictedClasses === 1 && b.testClasses > 1
    ? `; the model predicts one class only on the ${r.testRows} test rows, which hold ${b.testClasses} classes`
    : '';
  if (typeof b.mean === 'number') return `always the training mean (${formatNumber(b.mean)}) would score ${figures}`;
  return `always "${visible(b.class)}" would score ${figures}${one}`;
}

// The engine's reason for leaving a slow model out ends with what the
// command line does about it ("name it to search it"); in the page, a
// changed tick names the ticked models (see train).
const NAME_IT = /; name it to search (it|them all)$/;

function leftOutReason(reason) {
  const m = NAME_IT.exec(reason);
  if (!m) return reason;
  const what = m[1] === 'it' ? 'it' : 'all its candidates';
  return `${reason.slice(0, m.index)}; to search ${what} anyway, change the ticks under "Models to search" (untick it and tick it again will do): the page then searches the ticked models whole`;
}

function renderResult(r, durationMs, leftOut = []) {
  const body = $('metrics-body');
  clear(body);
  for (const m of r.metrics) {
    const value = el('td', { className: 'num', 'data-testid': `metric-${m.name}`, text: metricText(m.name, m.value, r.target) });
    value.dataset.value = m.value === null ? '' : String(m.value);
    body.append(el('tr', { 'data-metric': m.name }, el('th', { scope: 'row', text: METRIC_LABELS[m.name] || m.name }), value));
  }
  const facts = $('run-facts');
  clear(facts);
  const rows = [
    ['Target', r.target, 'fact-target'],
    ['Task', r.task, 'fact-task'],
    ['Model', `${MODEL_LABELS.get(r.model) || r.model}${r.params ? ` (${r.params})` : ''}`, 'fact-model'],
    ['Search', r.search ? `${r.search.trials.length} of ${plural(r.search.planned, 'candidate')}${r.search.cut_short ? ', cut short' : ''}` : 'none', 'fact-search'],
    ['Seed', String(r.seed), 'fact-seed'],
    ['Training rows', String(r.trainRows), 'fact-train-rows'],
    ['Test rows', String(r.testRows), 'fact-test-rows'],
    ['Test rows also in training', r.testRowsInTraining ? `${r.testRowsInTraining} of ${r.testRows} repeat a training row exactly, so the test metrics are optimistic; remove duplicate rows from the file to keep them apart` : null, 'fact-test-overlap'],
    ['Rows without a target', r.rowsWithoutTarget ? `${r.rowsWithoutTarget} left out (their "${visible(r.target)}" is missing)` : null, 'fact-no-target'],
    ['Features', String(r.featureCount), 'fact-features'],
    ['Columns left out', (r.dropped || []).length ? r.dropped.map((d) => `${visible(d.column)} (${d.reason})`).join('; ') : null, 'fact-dropped'],
    ['Left out of the search', leftOut && leftOut.length ? leftOut.map((l) => `${MODEL_LABELS.get(l.model) || l.model}: ${leftOutReason(l.reason)}`).join('; ') : null, 'fact-left-out'],
    ['Classes', r.classes ? r.classes.join(', ') : null, 'fact-classes'],
    // On imbalanced classes a high accuracy can be the baseline's; an R²
    // near the mean's says a regression learned little.
    [r.baseline && typeof r.baseline.mean === 'number' ? 'Mean baseline' : 'Majority-class baseline', baselineText(r), 'fact-baseline'],
    ['Training time', formatMs(durationMs), 'fact-duration'],
  ];
  for (const [label, value, testid] of rows) {
    if (value === null || value === undefined) continue;
    facts.append(el('div', {}, el('dt', { text: label }), el('dd', { 'data-testid': testid, text: value })));
  }
  renderLeaderboard(r);
  unmarkResults(r.target);
  $('results-section').hidden = false;
  setBusy(state.busy);
}

// ---------- manifest download and replay ----------

/** 'iris.csv' -> 'iris'; keeps [A-Za-z0-9._-] only. */
export function manifestFileName(fileName) {
  return `${safeStem(fileName)}.mlcycle-run.json`;
}

function download(text, type, name) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

// A second press this soon after one is the same press (a double click): one file.
const DOWNLOAD_GUARD_MS = 1500;

function downloadManifest() {
  if (!state.manifest || !state.profile) return;
  const now = performance.now();
  if (state.manifestSavedAt && state.manifestSavedAt.manifest === state.manifest && now - state.manifestSavedAt.at < DOWNLOAD_GUARD_MS) return;
  const name = download(state.manifest, 'application/json', manifestFileName(state.profile.fileName));
  state.manifestSavedAt = { manifest: state.manifest, at: now };
  state.manifestSaved = true;
  setStatus(`Manifest saved as ${name}.`);
}

// ---------- clusters ----------

function clusterOptions() {
  const model = $('cluster-model').value;
  const o = { model };
  const int = (id, name, lo, hi) => {
    const raw = $(id).value.trim();
    const v = Number(raw);
    if (raw === '' || !Number.isInteger(v) || v < lo || v > hi) throw Object.assign(new Error(`${name} must be a whole number from ${lo} to ${hi}, not "${raw}"`), { name: 'InputError', code: 'invalid_parameter' });
    return v;
  };
  if (model === 'kmeans') o.k = int('cluster-k', 'k', 2, 100);
  if (model === 'dbscan') {
    const raw = $('cluster-eps').value.trim();
    const eps = Number(raw);
    if (raw === '' || !Number.isFinite(eps) || eps <= 0) throw Object.assign(new Error(`eps must be a number above 0, not "${raw}"`), { name: 'InputError', code: 'invalid_parameter' });
    o.eps = eps;
    o.minSamples = int('cluster-min', 'core neighbours', 1, 1000);
  }
  const target = $('target-select').value;
  if ($('cluster-exclude-target').checked && target) o.exclude = [target];
  return o;
}

function showClusterFields() {
  const model = $('cluster-model').value;
  for (const f of document.querySelectorAll('#cluster-form [data-for]')) f.hidden = f.dataset.for !== model;
}

async function runCluster() {
  if (!state.profile) return;
  await withBusy(async () => {
    clearError();
    const out = $('cluster-output');
    let options;
    try {
      options = clusterOptions();
    } catch (err) {
      // The result on screen is not of these options: it goes, as when the
      // engine fails.
      clear(out);
      failed(err, 'Nothing was clustered.');
      return;
    }
    setStatus('Clustering…');
    // One engine call that reports nothing until it ends: its clock shows it is running.
    startTicking((ms) => showProgress(`Clustering: ${formatElapsed(ms)} elapsed. Esc or Cancel stops.`, 'Clustering progress'));
    try {
      const r = await client.cluster(options);
      clear(out);
      const ev = r.explainedVariance || [];
      const counted = r.clusters.filter((c) => c.label >= 0);
      const what = options.model === 'pca'
        ? `PCA of ${plural(r.rows, 'row')} on ${plural(r.features.length, 'prepared feature')}`
        : `${plural(counted.length, 'cluster')} of ${plural(r.rows, 'row')}${r.noise ? `, ${plural(r.noise, 'row')} noise` : ''}`;
      const summary = `${what}; the first two components explain ${(100 * ((ev[0] || 0) + (ev[1] || 0))).toFixed(1)}% of the variance.`;
      out.append(scatterChart(r.points, ev, `Scatter of ${plural(r.points.length, 'row')} on the first two principal components: ${summary}`));
      out.append(el('p', { 'data-testid': 'cluster-summary', text: `${summary}${r.inertia !== undefined ? ` Within-cluster sum of squares ${short(r.inertia)}.` : ''}` }));
      if (r.clusters.length) {
        const list = el('ul', { className: 'cluster-list', 'data-testid': 'cluster-list' });
        for (const c of r.clusters) {
          const swatch = el('span', { className: 'swatch', 'aria-hidden': 'true' });
          swatch.style.background = clusterColour(c.label);
          list.append(el('li', {}, swatch, el('span', { text: ` ${c.label < 0 ? 'noise' : `cluster ${c.label}`}: ${plural(c.size, 'row')}` })));
        }
        out.append(list);
      }
      if (r.loadings && r.loadings.length) {
        const top = r.features.map((f, i) => [f, r.loadings[i][0]]).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 5);
        out.append(el('p', { text: `PC1 is driven most by ${top.map(([f, v]) => `${visible(f)} (${short(v)})`).join(', ')}.` }));
      }
      setStatus(`Clustered in ${formatMs(r.durationMs)}.`);
    } catch (err) {
      failed(err, 'Clustering failed.');
    }
  }, 'clustering');
}

async function downloadReport() {
  if (!state.profile) return;
  await withBusy(async () => {
    clearError();
    setStatus('Writing the report…');
    try {
      const target = $('target-select').value;
      const html = await client.report(target ? { target } : {});
      const name = download(html, 'text/html', `${safeStem(state.profile.fileName)}.profile.html`);
      setStatus(`Report saved as ${name} (${formatBytes(html.length)}); it opens offline in any browser.`);
    } catch (err) {
      failed(err, 'The report could not be written.');
    }
  }, 'writing the report');
}

function downloadProfile() {
  if (!state.profile) return;
  const name = download(profileCsv(state.profile), 'text/csv', `${safeStem(state.profile.fileName)}.profile.csv`);
  setStatus(`Profile saved as ${name}.`);
}

// Checked before the file is read, the same limit the engine enforces.
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

async function openManifest(file) {
  if (!file) return;
  await withBusy(async () => {
    clearError();
    const out = $('replay-result');
    clear(out);
    if (file.size > MAX_MANIFEST_BYTES) {
      const err = Object.assign(new Error(`${visible(file.name)} is ${plural(file.size, 'byte')}, over the manifest limit of ${MAX_MANIFEST_BYTES} bytes; it was not read`), { name: 'ManifestError', code: 'too_large' });
      out.append(el('p', { className: 'replay-failed', 'data-testid': 'replay-failed', text: `Could not replay ${visible(file.name)}: ${pageWords(err.message)}` }));
      failed(err, 'Replay failed.');
      return;
    }
    // Strict UTF-8: a manifest with invalid bytes is refused, not patched.
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      const err = Object.assign(new Error(`${visible(file.name)} is not valid UTF-8 text, so it is not a manifest`), { name: 'ManifestError', code: 'not_utf8' });
      out.append(el('p', { className: 'replay-failed', 'data-testid': 'replay-failed', text: `Could not replay ${visible(file.name)}: ${pageWords(err.message)}` }));
      failed(err, 'Replay failed.');
      return;
    }
    await replayText(text, file.name);
  }, `replaying ${file.name}`);
}

/** Replays the manifest `text` (the file `name`) on the loaded data and shows the verdict. */
async function replayText(text, name) {
  const out = $('replay-result');
  clear(out);
  setStatus(`Replaying ${visible(name)}…`);
  // The replay trains again in one step that reports nothing until it ends: its clock shows it is running.
  startTicking((ms) => showProgress(`Replaying: ${formatElapsed(ms)} elapsed. Esc or Cancel stops.`, 'Replay progress'));
  try {
    const report = await client.replay(text);
    renderReplay(report, name);
    // The verdict is at the foot of the page: the status line says it too.
    const verdict = report.reproduced ? 'reproduced, every metric bit-identical' : `not reproduced, ${plural(report.differences.length, 'difference')} (listed under Replay)`;
    setStatus(`Replayed ${visible(name)} in ${formatMs(report.durationMs)}: ${verdict}.`);
  } catch (err) {
    out.append(el('p', { className: 'replay-failed', 'data-testid': 'replay-failed', text: `Could not replay ${visible(name)}: ${pageWords(err.message)}` }));
    failed(err, 'Replay failed.');
    if (err.code === 'parse_options_differ') offerRunOptions(text, name);
  }
}

// Options the Reading options have no control for, as the page leaves
// them (ParseOptions::default in src/data/csv_read.rs).
const FIXED_OPTIONS = { maxBytes: 2 ** 30, maxRows: 1_000_000_000, maxColumns: 10_000, maxFieldBytes: 2 ** 20, maxHeaderChars: 1_000, overBudget: 'sample' };
// Each as the person knows it: mlcycle's flag where the command has one,
// else the limit in words (a manifest's field names are not theirs).
const FIXED_OPTION_WORDS = {
  maxBytes: (v, page) => `a file size limit of ${JSON.stringify(v)} bytes (the page reads up to ${page})`,
  maxRows: (v, page) => `a row limit of ${JSON.stringify(v)} (the page reads up to ${page} rows)`,
  maxColumns: (v, page) => `a column limit of ${JSON.stringify(v)} (the page reads up to ${page} columns)`,
  maxFieldBytes: (v, page) => `a field size limit of ${JSON.stringify(v)} bytes (the page reads fields up to ${page} bytes)`,
  maxHeaderChars: (v, page) => `a column name limit of ${JSON.stringify(v)} characters (the page reads names up to ${page} characters)`,
  overBudget: (v) => (v === 'error'
    ? '--no-sample (mlcycle\'s flag to stop with an error rather than sample a file over the memory budget; the page samples such a file)'
    : `the over-budget choice ${JSON.stringify(v)} (the page samples a file over the memory budget)`),
};
const MIB = 1024 * 1024;

/**
 * The Reading options' controls (by id) and column types that read a file
 * as a run did, from its manifest's `dataset.parse_options` (absent: the
 * defaults); with `cannot`, what the controls cannot set, in words.
 */
function controlsForRun(o) {
  const opts = o && typeof o === 'object' ? o : {};
  const cannot = [];
  const controls = {};
  const known = new Set([...Object.keys(FIXED_OPTIONS), 'maxMemoryBytes', 'missingTokens', 'delimiter', 'hasHeader', 'decimalComma', 'skipLines', 'comment', 'lossyUtf8', 'encoding', 'nonFinite', 'shortRows', 'backslashEscapes', 'columnTypes']);
  for (const key of Object.keys(opts)) if (!known.has(key)) cannot.push(`the option ${JSON.stringify(key)} (${JSON.stringify(opts[key])}), which this page does not know`);
  for (const [key, value] of Object.entries(FIXED_OPTIONS)) {
    if (opts[key] !== undefined && opts[key] !== value) cannot.push(FIXED_OPTION_WORDS[key](opts[key], value));
  }
  const tri = (v, yes, no) => (v === true ? yes : v === false ? no : '');
  controls['opt-delimiter'] = opts.delimiter ?? '';
  controls['opt-header'] = tri(opts.hasHeader, 'yes', 'no');
  controls['opt-decimal'] = tri(opts.decimalComma, 'comma', 'point');
  controls['opt-skip'] = opts.skipLines === undefined || opts.skipLines === null ? '' : String(opts.skipLines);
  controls['opt-comment'] = opts.comment ?? '';
  controls['opt-non-finite'] = opts.nonFinite ?? 'error';
  controls['opt-short-rows'] = opts.shortRows ?? 'error';
  controls['opt-backslash'] = tri(opts.backslashEscapes, 'on', 'off');
  controls['opt-encoding'] = opts.encoding ?? 'utf-8';
  controls['opt-lossy'] = opts.lossyUtf8 === true;
  const mb = (opts.maxMemoryBytes ?? 512 * MIB) / MIB;
  if (Number.isInteger(mb) && mb >= 1 && mb <= 3072) controls['opt-memory'] = String(mb);
  else cannot.push(`memory for the data of ${JSON.stringify(opts.maxMemoryBytes)} bytes (the page sets whole MB from 1 to 3072)`);
  if (opts.missingTokens === undefined) controls['opt-missing'] = $('opt-missing').defaultValue;
  else {
    const t = Array.isArray(opts.missingTokens) ? opts.missingTokens : [];
    const rest = t.slice(1);
    // The page always counts empty cells as missing, first, and splits its list at commas.
    if (t[0] !== '' || rest.some((x) => typeof x !== 'string' || x === '' || x.includes(',') || x.trim() !== x)) {
      cannot.push(`the missing-value tokens ${t.map((x) => JSON.stringify(x)).join(', ')} (the page's list is comma-separated, after the empty cell)`);
    } else controls['opt-missing'] = rest.join(', ');
  }
  // A select takes only the values it offers.
  for (const [id, value] of Object.entries(controls)) {
    const c = $(id);
    if (c.tagName === 'SELECT' && ![...c.options].some((op) => op.value === value)) {
      cannot.push(`${c.labels[0] ? c.labels[0].textContent : id} ${JSON.stringify(value)}`);
      delete controls[id];
    }
  }
  if (opts.comment !== undefined && [...String(opts.comment)].length !== 1) cannot.push(`comment lines starting with ${JSON.stringify(opts.comment)}`);
  const kinds = new Set([...$('type-kind').options].map((op) => op.value));
  const types = new Map();
  for (const [column, kind] of Object.entries(opts.columnTypes || {})) {
    if (kinds.has(kind)) types.set(column, kind);
    else cannot.push(`the column type ${JSON.stringify(kind)} of ${JSON.stringify(column)}`);
  }
  return { controls, types, cannot };
}

/**
 * After a replay refused the loaded file as read with other options than
 * the run's (the same bytes): offers to set the Reading options to the
 * run's, read the file again and replay; or says which of the run's
 * options the page cannot set.
 */
function offerRunOptions(text, name) {
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch {
    return;
  }
  const dataset = manifest && manifest.dataset;
  if (!dataset || !state.profile || dataset.sha256 !== state.profile.sha256 || !state.source) return;
  const out = $('replay-result');
  const plan = controlsForRun(dataset.parse_options);
  if (plan.cannot.length) {
    const why = visible(`The page cannot read the file with the run's options: its Reading options cannot set ${plan.cannot.join('; ')}. mlcycle replay on the command line reads the file as the run did.`);
    out.append(el('p', { 'data-testid': 'replay-options-unsupported', text: why }));
    setStatus(`Replay failed. ${why}`);
    return;
  }
  const button = el('button', { type: 'button', 'data-testid': 'replay-with-run-options', text: "Read again with the run's options and replay" });
  button.addEventListener('click', () => replayWithRunOptions(text, name, plan));
  out.append(el('p', { text: `This is the run's file (the same SHA-256), read with other options. The button sets the Reading options to the run's, reads ${visible(state.source.fileName)} again and replays.` }), button);
  setStatus(`Replay failed: the file was read with other options than the run's. "Read again with the run's options and replay" under Replay does both.`);
}

async function replayWithRunOptions(text, name, plan) {
  const src = state.source;
  if (!src || state.busy) return;
  // Set where the person sees them, as if chosen by hand.
  for (const [id, value] of Object.entries(plan.controls)) {
    const c = $(id);
    if (c.type === 'checkbox') c.checked = value;
    else c.value = value;
  }
  state.typeOverrides = new Map(plan.types);
  renderTypeOverrides();
  $('read-options').open = true;
  await withBusy(async () => {
    clearError();
    try {
      await loadBytes(src.data, src.fileName, src.meta, true);
    } catch (err) {
      failed(err, err.keptData ? `Reading ${visible(src.fileName)} again with the run's options failed; the data as read before is still loaded.` : `Reading ${visible(src.fileName)} again with the run's options failed.`);
      return;
    }
    await replayText(text, name);
  }, `replaying ${name}`);
  // The button went with the old result: focus goes to the new one.
  const result = $('replay-result').querySelector('[data-testid="replay-verdict"], [data-testid="replay-failed"]');
  if (result && focusLost()) {
    result.tabIndex = -1;
    result.focus();
  }
}

function renderReplay(report, name) {
  const out = $('replay-result');
  clear(out);
  if (report.reproduced) {
    out.append(el('p', { className: 'ok', 'data-testid': 'replay-verdict', 'data-reproduced': 'true', text: 'Reproduced: every metric is bit-identical.' }));
  } else {
    const n = report.differences.length;
    out.append(el('p', { className: 'bad', 'data-testid': 'replay-verdict', 'data-reproduced': 'false', text: `Not reproduced: ${plural(n, 'difference')} from ${name}.` }));
    const body = el('tbody');
    for (const d of report.differences) {
      body.append(el('tr', {}, el('th', { scope: 'row', text: d.field }), el('td', { text: d.expected }), el('td', { text: d.found })));
    }
    out.append(
      el('table', { className: 'zebra', 'data-testid': 'replay-differences' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Field' }), el('th', { scope: 'col', text: 'In the manifest' }), el('th', { scope: 'col', text: 'Now' }))),
        body),
    );
  }
  if (report.metrics && report.metrics.length) {
    const list = el('dl', { className: 'overview' });
    for (const m of report.metrics) {
      list.append(el('div', {}, el('dt', { text: METRIC_LABELS[m.name] || m.name }), el('dd', { text: formatNumber(m.value) })));
    }
    out.append(el('p', { className: 'hint', text: 'Metrics computed now:' }), list);
  }
}

// ---------- engine restarts ----------

client.addEventListener('progress', (event) => {
  if (event.detail.type === 'train') showSearchProgress(event.detail.progress);
  if (event.detail.type === 'load') showLoadProgress(event.detail.progress, event.detail.internal);
});

// Cancel is offered whenever the engine is working, whoever asked.
client.addEventListener('busy', () => {
  showCancel(engineWorking());
});
pool.addEventListener('progress', (event) => showSearchProgress(event.detail));

/**
 * Cancel (button or Esc): a pooled search stops handing out trials; anything
 * else stops the engine; with nothing else running, the restore of the data
 * into a restarted engine stops (the engine then holds no data).
 */
function cancelWork() {
  // During the refit the primary runs one long fit: stopping means ending its worker.
  if (pool.busy && pool.stage !== 'refit') pool.cancel();
  else client.cancel();
}

// The status a cancel ends with: the restart says it (with whether the data
// stays loaded) and the stopped request's failure writes it, once.
let cancelNote = null;
// A cancel that kept something (the candidates of a search whose refit was
// stopped) ends with a longer status: the restart's message, then `kept`:
// {message, kept}, or null.
let cancelKept = null;

/**
 * The status a cancel whose restart said `message` ends with: while the
 * data is being restored, that it is (the message says it is loaded, which
 * is true only once it is); with what the cancel kept.
 */
function cancelStatus(message) {
  const head = state.restore && state.restore.kind === 'cancel' ? state.restore.note : message;
  return cancelKept && cancelKept.message === message ? `${head} ${cancelKept.kept}` : head;
}

client.addEventListener('restart', (event) => {
  const { kind, restoring, reloaded, fatal, idle } = event.detail;
  let { what, message } = event.detail;
  // The engine ran no request of its own during a pooled search, but it
  // held the search (the finished candidates): the search ends with it.
  const searchLost = idle && pool.busy;
  if (searchLost) {
    const idleWhat = what;
    what = 'The engine stopped unexpectedly during the search (a bug in mlcycle, not your data).';
    message = message.replace(idleWhat, what).replace(' Nothing was running, so nothing needs to be done again.', ' The search stopped with it and must be run again.');
  }
  if (kind === 'cancel') cancelNote = message;
  else {
    showBanner(message);
    setStatus(fatal ? 'The engine is stopped.' : 'The engine was restarted.');
  }
  // The data is loaded again into the new engine: until it is, the page
  // says so, with its progress, and what needs the engine waits.
  const restore = restoring ? {
    fileName: restoring,
    kind,
    note: kind === 'cancel'
      ? `${what} Restoring your data (${visible(restoring)}) in the restarted engine; what needs it waits…`
      : `The engine was restarted; restoring your data (${visible(restoring)}) in it; what needs it waits…`,
    progress: null,
    stage: null,
    since: performance.now(),
  } : null;
  if (restore) {
    state.restore = restore;
    // A job of the person's says how it ended, then hands the line over
    // (setBusy); else the restore says it now.
    setBusy(state.busy);
  }
  reloaded.then((ok) => {
    const mine = restore !== null && state.restore === restore;
    if (mine) {
      state.restore = null;
      // Its clock stops; a job started meanwhile (the new data's load)
      // shows its own progress from its first figure.
      hideProgress();
      setBusy(state.busy);
      // Focus held by Cancel for the restore goes back to the control the job was started from.
      const back = state.focusAfterRestore;
      state.focusAfterRestore = null;
      if (ok !== 'cancelled' && (focusLost() || document.activeElement === $('cancel-button')) && usable(back)) back.focus();
    }
    if (ok === 'cancelled' || ok === 'replaced') {
      // Replaced: the new data's load says the rest. Stopped: the engine
      // holds no data; the file can be read again.
      // The banner said the data was being loaded again: say it was not.
      if (kind !== 'cancel' && $('engine-banner-text').textContent === message) {
        showBanner(message.replace('your data is being loaded into it again.', ok === 'cancelled'
          ? 'loading your data into it again was stopped, as you asked: no data is loaded now.'
          : 'the data you chose since replaces yours.'));
      }
      if (ok === 'cancelled' && mine) {
        forgetData();
        setBusy(state.busy);
        if (!state.busy) {
          const name = visible(restore.fileName);
          setStatus(`Stopped restoring your data (${name}), as you asked: no data is loaded now. "Read ${name} again" under Reading options loads it, or choose a file.`);
        }
      }
      if (cancelNote === message) cancelNote = null;
      return;
    }
    if (!ok && client.current) {
      showBanner(`${what} Loading your data into the restarted engine failed; please load it again.${kind === 'cancel' || idle ? '' : ' Your last action was not retried.'}`);
      forgetData();
      setBusy(state.busy);
    } else if (ok) {
      // The banner said the data was being loaded again: now it is.
      if (kind !== 'cancel' && $('engine-banner-text').textContent === message) showBanner(message.replace('your data is being loaded into it again', 'your data is loaded again'));
      $('engine-banner').dataset.reloaded = 'true';
      // The reload's progress took the status line: say how things ended,
      // unless the user has started something else since.
      if (!state.busy) {
        hideProgress();
        const text = kind === 'cancel' ? cancelStatus(message) : `The engine was restarted; your data is loaded again.${searchLost ? ' The search stopped with the engine, so nothing was trained: press Train to run it again.' : ''}`;
        if ($('status').textContent !== text) setStatus(text);
      }
    } else if (kind === 'cancel' && !state.busy && $('status').textContent !== cancelStatus(message)) {
      // Nothing to reload (and no request of the user's said it).
      setStatus(cancelStatus(message));
    }
    if (cancelNote === message) cancelNote = null;
  });
});

// ---------- wiring ----------

function wire() {
  $('sample-select').addEventListener('change', showOrigin);
  $('load-sample').addEventListener('click', loadSample);
  $('file-input').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    loadFile(file).finally(() => {
      e.target.value = '';
    });
  });

  const zone = $('drop-zone');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (!file) return;
    if (state.busy) {
      // Not queued (the person may not want it once the job ends): say why nothing happens.
      // Written without ending the job's stage (setStatus would), so the
      // job's next progress tick does not write its stage over this at once;
      // its next stage does.
      $('status').textContent = `Still ${visible(state.job || 'working')}: press Esc to stop it first, then drop ${visible(file.name)} again.`;
      return;
    }
    const count = e.dataTransfer.files.length;
    loadFile(file).then(() => {
      // Several files dropped at once: the first was read, the others not; say so after how the load ended.
      if (count > 1) {
        setStatus(`${$('status').textContent} Only one file is read at a time: of the ${count} files you dropped, only ${visible(file.name)} was read; drop or choose another on its own to read it.`);
      }
    });
  });
  // A file dropped anywhere else must not navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());

  $('target-select').addEventListener('change', () => {
    const removed = dropStepsOnTarget();
    if (removed) setStatus(`${removed.trim()} This applies from the next training.`);
    updateInferred().then(renderModelChoices);
    refreshTargetAlerts();
  });
  $('task-select').addEventListener('change', renderModelChoices);
  $('search-select').addEventListener('change', renderModelChoices);
  $('train-form').addEventListener('submit', (e) => {
    e.preventDefault();
    train();
  });
  $('download-manifest').addEventListener('click', downloadManifest);
  $('download-profile').addEventListener('click', downloadProfile);
  $('download-report').addEventListener('click', downloadReport);
  $('reread').addEventListener('click', reread);
  $('spaces-reset').addEventListener('click', () => {
    state.spacesDefault = null;
    $('spaces-text').value = '';
    refreshSpaces();
  });
  $('spaces-text').addEventListener('input', () => {
    $('spaces-state').textContent = $('spaces-text').value === state.spacesDefault ? 'The defaults of the ticked models.' : 'Edited: this text is used instead of the ticked models.';
  });
  $('cluster-model').addEventListener('change', showClusterFields);
  $('cluster-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runCluster();
  });
  $('type-add').addEventListener('click', () => {
    const column = $('type-column').value;
    if (!column) return;
    state.typeOverrides.set(column, $('type-kind').value);
    renderTypeOverrides();
  });
  $('manifest-input').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    openManifest(file).finally(() => {
      e.target.value = '';
    });
  });
  $('cancel-button').addEventListener('click', cancelWork);
  $('profile-more').addEventListener('click', () => state.profile && showMoreColumns(state.profile));
  $('alerts-more').addEventListener('click', () => state.profile && showMoreAlerts(state.profile));
  document.addEventListener('keydown', (e) => {
    // (A held key's repeats are not more presses: one would stop the restore its first press began.)
    if (e.key === 'Escape' && !e.repeat && engineWorking()) cancelWork();
  });
  // The control used last, outside the banner: where focus goes back when
  // the banner is dismissed (else the status line).
  document.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLElement && !e.target.closest('#engine-banner') && e.target !== document.body) state.lastControl = e.target;
  });
  $('engine-banner-dismiss').addEventListener('click', () => {
    $('engine-banner').hidden = true;
    const back = state.lastControl;
    if (back && back.isConnected && !back.disabled && !back.closest('[hidden]') && back.getClientRects().length > 0) back.focus();
    else $('status').focus();
  });
}

/**
 * Leaving the page ends the engine: the browser asks first while a job runs
 * or while a trained run's manifest has not been saved.
 */
function warnBeforeLeaving(e) {
  // The person's jobs (a load, a search, a replay); not the engine's own
  // background requests (a warm-up, the alerts redone for another target),
  // whose loss costs nothing (a test saw one right after a load).
  const working = state.busy || pool.busy;
  const unsaved = !!state.manifest && !state.manifestSaved;
  if (!working && !unsaved) return;
  e.preventDefault();
  // Older browsers show the dialog only when returnValue is set.
  e.returnValue = working ? 'A job is still running; leaving the page stops it.' : 'The trained run\'s manifest has not been downloaded; leaving the page loses it.';
}

/**
 * The status bar (.notices) is pinned at the top: its height, kept in
 * --notices-height, is the page's scroll-padding-top (style.css), so an
 * element that keyboard focus scrolls into view lands below it, not under
 * it. An element taller than the room left (the profile table's scrolling
 * region on a phone) is scrolled so its top shows below the bar.
 */
function keepFocusClearOfNotices() {
  const bar = document.querySelector('.notices');
  const root = document.documentElement;
  const measure = () => root.style.setProperty('--notices-height', `${Math.ceil(bar.getBoundingClientRect().height)}px`);
  new ResizeObserver(measure).observe(bar);
  measure();
  document.addEventListener('focusin', (e) => {
    const target = e.target;
    if (!(target instanceof Element) || bar.contains(target)) return;
    // After the browser's own scrolling into view, in the next frame.
    requestAnimationFrame(() => {
      if (document.activeElement !== target || !target.matches(':focus-visible')) return;
      const below = bar.getBoundingClientRect().bottom;
      const top = target.getBoundingClientRect().top;
      if (top < below) window.scrollBy(0, top - below - 8);
    });
  });
}

function initWorkers() {
  $('workers-input').value = String(defaultPoolSize());
}

async function showVersion() {
  try {
    const v = await client.version();
    $('version').textContent = `mlcycle ${v.mlcycle} · smartcore ${v.smartcore} · ${v.target}`;
  } catch (err) {
    if (err.code !== ENGINE_CRASHED) showError(err);
  }
}

/**
 * Registers the service worker (sw.js) that keeps the page for offline use,
 * and says in the footer whether it did. Browsers allow one only on https and
 * on localhost; elsewhere the page works as before, online.
 */
function keepForOffline() {
  const note = $('offline');
  if (!('serviceWorker' in navigator) || !window.isSecureContext) {
    note.textContent = 'Not kept for offline use: browsers allow that only for pages served over https or from localhost.';
    return;
  }
  navigator.serviceWorker.register(workerScriptURL(new URL('./sw.js', import.meta.url).href)).then(
    (registration) => {
      const installing = registration.installing;
      installing?.addEventListener('statechange', () => {
        if (installing.state === 'redundant' && !registration.active) {
          note.textContent = 'Not kept for offline use: the browser could not fetch the whole page to keep.';
        }
      });
      navigator.serviceWorker.ready.then(() => {
        note.textContent = 'Kept in this browser: after this visit the page opens and runs with no network.';
      });
    },
    (err) => {
      note.textContent = `Not kept for offline use: ${err.message || err}`;
    },
  );
}

state.optionDefaults = optionDefaults();
wire();
keepFocusClearOfNotices();
window.addEventListener('beforeunload', warnBeforeLeaving);
keepForOffline();
initWorkers();
setBusy(false);
loadSampleList();
showVersion();
client.ready.then(
  () => document.body.classList.add('engine-ready'),
  (err) => showError(err),
);
