// The engine's messages are shared with the command line: they name its
// flags (--short-rows missing, --search none), often with the page's
// control beside them. In the page they read in the page's words: each
// flag the engine's messages mention becomes the control that sets it,
// from the one table below. Error classes and codes (SearchError,
// too_few_for_folds) become a title in plain words; the code stays
// available to the caller for bug reports. Pure functions of text: no DOM.

/**
 * Every command-line flag an engine message mentions (grep src/ for "--"
 * inside messages), as the page's control: its label, where it is, and the
 * page's wording of the flag's values.
 */
export const FLAG_CONTROLS = new Map([
  ['--short-rows', { control: 'Short rows', where: 'Reading options', values: { missing: 'Fill with missing values and warn', error: 'Stop with an error' } }],
  ['--skip-lines', { control: 'Lines to skip', where: 'Reading options' }],
  ['--comment', { control: 'Comment lines start with', where: 'Reading options' }],
  ['--encoding', { control: 'Encoding', where: 'Reading options', values: { 'windows-1252': 'Windows-1252', 'utf-8': 'UTF-8' } }],
  ['--lossy-utf8', { control: 'Replace invalid UTF-8 bytes', where: 'Reading options', tick: true }],
  ['--backslash-escapes', { control: 'Backslash escapes', where: 'Reading options', values: { true: 'On', false: 'Off' } }],
  ['--decimal-comma', { control: 'Decimal mark', where: 'Reading options', values: { true: 'Comma', false: 'Point' } }],
  ['--header', { control: 'First row', where: 'Reading options', values: { true: 'Column names', false: 'Data' } }],
  ['--delimiter', { control: 'Delimiter', where: 'Reading options', values: { ',': 'Comma ,', ';': 'Semicolon ;', '|': 'Pipe |', tab: 'Tab', whitespace: 'Spaces (runs of whitespace)' } }],
  ['--missing', { control: 'Missing-value tokens', where: 'Reading options' }],
  ['--non-finite-as-missing', { control: 'Infinite numbers', where: 'Reading options', values: { '': 'Read as missing and list them' } }],
  ['--max-memory', { control: 'Memory for the data (MB)', where: 'Reading options' }],
  ['--type', { control: 'Read as', where: 'Reading options, Column types' }],
  ['--task', { control: 'Task', where: 'Train' }],
  ['--search', { control: 'Search', where: 'Train', values: { none: 'None (one random forest)', grid: 'Grid', random: 'Random', halving: 'Successive halving' } }],
  ['--metric', { control: 'Rank by', where: 'Train' }],
  ['--trials', { control: 'Most candidates', where: 'Train' }],
  ['--time-budget', { control: 'Time limit (s)', where: 'Train' }],
  ['--seed', { control: 'Seed', where: 'Train' }],
  ['--models', { control: 'Models to search', where: 'Train' }],
  ['--config', { control: 'Search spaces (JSON)', where: 'Train' }],
  ['--trees', { control: 'n_trees in Search spaces (JSON)', where: 'Train' }],
  ['--max-depth', { control: 'max_depth in Search spaces (JSON)', where: 'Train' }],
]);

/** "Short rows" set to "Fill with missing values and warn" under Reading options: `flag` with `value` in the page's words. */
export function controlWords(flag, value) {
  const c = FLAG_CONTROLS.get(flag);
  if (!c) return null;
  const where = ` under ${c.where}`;
  if (c.tick) return `tick "${c.control}"${where}`;
  const raw = value === undefined ? '' : value.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  const shown = c.values && Object.prototype.hasOwnProperty.call(c.values, raw) ? c.values[raw] : raw;
  return shown ? `set "${c.control}" to "${shown}"${where}` : `"${c.control}"${where}`;
}

// A flag and its value as the engine writes them: --skip-lines 11,
// --comment '#', --delimiter ';', or a placeholder (NAME).
const FLAG = String.raw`(--[a-z][a-z0-9-]*)(?: ('[^']*'|"[^"]*"|[^\s)]+?(?=,? |\)|$)))?`;

// The page's one way to leave columns out of clustering is the target's
// tick; its way to add a step is the button of the alert that offers it.
const CLI_ONLY = [
  [/\(mlcycle cluster --ignore [A-Z]+\)/g, '(in the page, "Leave out the target column" under Clusters and projection leaves out the target)'],
  [/\(--step [a-z_]+:[^,]*, or (the "Add step" of the alert on "(?:[^"\\]|\\.)*") in the page\)/g, '($1, under Data-quality alerts)'],
];

/**
 * `text` (an engine message) in the page's words: each flag, with the
 * page's control the engine names beside it, becomes that control.
 */
// "(--flag value, or <control> in the page[...])"; "use --flag value (or
// <control> in the page's reading options)"; "(--flag)" alone; any other mention.
const PAIRED = new RegExp(String.raw`\(${FLAG}, or [^()]*? in the page(?:'s reading options)?\)`, 'g');
const USE = new RegExp(String.raw`\buse ${FLAG} \(or [^()]*? in the page(?:'s reading options)?\)`, 'g');
const ALONE = new RegExp(String.raw`\(${FLAG}\)`, 'g');
const MENTION = new RegExp(`(^|[\\s(])${FLAG}`, 'g');

// A double-quoted piece of a message, as the engine quotes data (column
// names, values: "a --missing b", with \" and \\ escaped): it opens after
// a space, a bracket or punctuation and closes before one, so the
// engine's own words about quotes (a quote written \" inside a value,
// CSV doubles them ("")) are not taken for one.
const QUOTED = /(?<=^|[\s(\[,:;=])"(?:[^"\\]|\\.)*"(?=$|[\s)\],.:;=!?'])/g;
// What stands in for a quoted piece while flags are translated: no text
// of the engine's own has these control characters.
const HELD = /\u0001(\d+)\u0001/g;

export function pageWords(text) {
  let t = String(text);
  // Most messages name no flag (a profile has thousands of alerts).
  if (!t.includes('--')) return t;
  // Data quoted in the message (a column named "x --missing y") is the
  // data's, not the engine's wording: held aside, untranslated, and put
  // back. Quoted pieces without "--" (the page's control names the engine
  // quotes beside a flag) stay, for the patterns below to read.
  const held = [];
  t = t.replace(QUOTED, (q) => (q.includes('--') ? `\u0001${held.push(q) - 1}\u0001` : q));
  if (!t.includes('--')) return t.replace(HELD, (_, i) => held[Number(i)]);
  for (const [pattern, words] of CLI_ONLY) t = t.replace(pattern, words);
  const known = (flag) => FLAG_CONTROLS.has(flag);
  // The control, in the table's words.
  t = t.replace(PAIRED, (m, flag, value) => (known(flag) ? `(${controlWords(flag, value)})` : m));
  t = t.replace(USE, (m, flag, value) => (known(flag) ? controlWords(flag, value) : m));
  t = t.replace(ALONE, (m, flag, value) => (known(flag) ? `(${controlWords(flag, value)})` : m));
  t = t.replace(MENTION, (m, before, flag, value) => (known(flag) ? `${before}${controlWords(flag, value)}` : m));
  return t.replace(HELD, (_, i) => held[Number(i)]);
}

// Titles of errors, by code, then by the engine's class of error.
const CODE_TITLES = new Map([
  ['too_few_for_folds', 'Too few rows to cross-validate'],
  ['ragged_row', 'A row has a different number of fields'],
  ['invalid_utf8', 'The file is not in the expected text encoding'],
  ['invalid_utf16', 'The file is not in the expected text encoding'],
  ['not_utf8', 'The file is not in the expected text encoding'],
  ['unsupported_encoding', 'This text encoding cannot be read'],
  ['binary_file', 'This is not a text file'],
  ['not_csv', 'This is not a table of text'],
  ['empty_file', 'The file is empty'],
  ['too_large', 'The file is too large'],
  ['too_much_memory', 'The data needs too much memory'],
  ['non_finite', 'The file holds infinite numbers'],
  ['unterminated_quote', 'A quote is never closed'],
  ['bad_value', 'A value does not fit its column\'s type'],
  ['wrong_metric', 'This ranking does not fit the task'],
  ['wrong_task', 'This task does not fit the target'],
  ['too_few_distinct', 'The target has too few different values for this task'],
  ['text_target_for_regression', 'The target is not numbers'],
  ['target_not_numbers', 'The target is not numbers'],
  ['one_class', 'The target has only one class'],
  ['constant_target', 'The target does not vary'],
  ['empty_target', 'The target has no values'],
  ['no_features', 'No columns are left to use'],
  ['no_models', 'No model can be searched on this data'],
  ['over_budget', 'The search would take too long'],
  ['too_few_rows', 'Too few rows'],
  ['too_many_classes', 'The target has too many classes'],
  ['small_test_set', 'The test set would be too small'],
  ['no_data', 'No data is loaded yet'],
  ['invalid_manifest', 'This is not a manifest the page can read'],
  ['schema_mismatch', 'The manifest does not fit the loaded data'],
  ['missing_column', 'A column the manifest needs is missing'],
  ['bad_search_config', 'The search spaces are not valid'],
  ['bad_trials', 'Most candidates is not valid'],
  ['bad_time_limit', 'The time limit is not valid'],
  ['invalid_parameter', 'A setting is not valid'],
]);

const NAME_TITLES = new Map([
  ['DataError', 'The data could not be read'],
  ['PrepareError', 'The data could not be prepared'],
  ['TrainError', 'Training could not run'],
  ['SearchError', 'The search could not run'],
  ['ManifestError', 'The manifest could not be used'],
  ['ReplayError', 'The replay could not run'],
  ['ClusterError', 'Clustering could not run'],
  ['InputError', 'A setting needs a change'],
  ['SampleError', 'The sample could not be loaded'],
  ['EngineCrashed', 'The engine stopped'],
  ['TimedOut', 'The engine took too long'],
  ['Cancelled', 'Stopped'],
]);

/** A title in plain words for an error of class `name` and code `code`. */
export function errorTitle(name, code) {
  return CODE_TITLES.get(code) || NAME_TITLES.get(name) || 'Something went wrong';
}

// Errors of what the person gave or chose (the data, a setting, a
// manifest, other data for a replay), or a stop they asked for or a time
// limit: not mlcycle's fault, so no bug report is asked for.
const USER_ERROR_NAMES = new Set(['DataError', 'PrepareError', 'TrainError', 'SearchError', 'ManifestError', 'ReplayError', 'ClusterError', 'InputError', 'SampleError', 'Cancelled', 'TimedOut']);
// Codes under those names that mean the page misused the engine.
const BUG_CODES = new Set(['not_started', 'not_trained', 'finished', 'bad_part']);

/**
 * Whether an error of class `name` and code `code` is mlcycle's fault (an
 * internal error, a crash, the page misusing the engine, an error of the
 * page's own code), so the page offers its details for a bug report.
 */
export function isOurFault(name, code) {
  if (code === 'no_data') return false;
  return !USER_ERROR_NAMES.has(name) || BUG_CODES.has(code);
}
