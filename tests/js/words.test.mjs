// Unit tests for www/words.js: the engine's messages (shared with the
// command line) in the page's words, and errors' titles in plain words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAG_CONTROLS, controlWords, errorTitle, isOurFault, pageWords } from '../../www/words.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
// The command line's own files: their flags are not in the engine's messages.
const CLI_FILES = new Set(['cli.rs', 'main.rs', 'serve.rs']);
const FLAG_MENTION = /(^|[\s(])--[a-z][a-z0-9-]*/;

function rustFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) rustFiles(p, out);
    else if (name.endsWith('.rs') && !CLI_FILES.has(name)) out.push(p);
  }
  return out;
}

/** Every string literal in the engine's source (outside comments) that mentions a flag, unescaped. */
function engineMessages() {
  const found = [];
  for (const file of rustFiles(SRC)) {
    const code = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n');
    for (const m of code.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const text = m[1].replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      // (A flag alone is a test's needle, not a message.)
      if (FLAG_MENTION.test(text) && !/^--[a-z0-9-]+$/.test(text)) found.push({ file, text });
    }
  }
  return found;
}

test('every flag the engine\'s messages mention is in the table, and none is left in the page\'s words', () => {
  const messages = engineMessages();
  assert.ok(messages.length >= 10, `found ${messages.length} messages naming flags`);
  for (const { file, text } of messages) {
    const out = pageWords(text);
    assert.doesNotMatch(out, FLAG_MENTION, `${file}: ${text}\n→ ${out}`);
    assert.doesNotMatch(out, /in the page('s reading options)?\)/, `${file}: ${out}`);
  }
});

test('the tester\'s messages, in the page\'s words', () => {
  const cases = [
    ['ragged.csv: row 3 (line 4) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or "Short rows" in the page\'s reading options)',
      'ragged.csv: row 3 (line 4) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, set "Short rows" to "Fill with missing values and warn" under Reading options'],
    ['read it with that encoding (--encoding windows-1252, or Encoding in the page\'s reading options), save it as UTF-8, or replace invalid bytes (--lossy-utf8)',
      'read it with that encoding (set "Encoding" to "Windows-1252" under Reading options), save it as UTF-8, or replace invalid bytes (tick "Replace invalid UTF-8 bytes" under Reading options)'],
    ['turn the search off (--search none, or Search "None" in the page) or use more data',
      'turn the search off (set "Search" to "None (one random forest)" under Train) or use more data'],
    ['to rank by this metric, set the task (--task, or Task in the page)', 'to rank by this metric, set the task ("Task" under Train)'],
    ['skip them (--skip-lines 11, or "Lines to skip" in the page\'s reading options)', 'skip them (set "Lines to skip" to "11" under Reading options)'],
    ['set the comment character to # (--comment \'#\', or "Comment lines start with" in the page\'s reading options)', 'set the comment character to # (set "Comment lines start with" to "#" under Reading options)'],
    ['set the delimiter (--delimiter ;, or Delimiter in the page\'s reading options)', 'set the delimiter (set "Delimiter" to "Semicolon ;" under Reading options)'],
    ['read them as numbers (--step parse_numbers:price, or the "Add step" of the alert on "price" in the page)', 'read them as numbers (the "Add step" of the alert on "price", under Data-quality alerts)'],
    // Text that only looks like a flag is left as it is.
    ['a value "x--short-rows" and --unknown-flag stay', 'a value "x--short-rows" and --unknown-flag stay'],
  ];
  for (const [input, expected] of cases) assert.equal(pageWords(input), expected);
  assert.equal(controlWords('--no-such-flag'), null);
  for (const [flag, c] of FLAG_CONTROLS) assert.ok(c.control && c.where, flag);
});

test('flags inside quoted data (a column name, a value) are the data\'s, left as they are', () => {
  const cases = [
    // A column named with a flag in it, beside the engine's own flag.
    ['column "a --missing b": its other values (".") look like markers for missing or withheld values: the cast makes them missing; or list them as missing-value tokens (--missing, or "Missing-value tokens" in the page\'s reading options) and read the file again',
      'column "a --missing b": its other values (".") look like markers for missing or withheld values: the cast makes them missing; or list them as missing-value tokens ("Missing-value tokens" under Reading options) and read the file again'],
    // Only data mentions a flag: nothing changes.
    ['"x --missing" mixes 6 numbers and 2 other values, so it was read as labels; e.g. "--skip-lines 3" (row 4)',
      '"x --missing" mixes 6 numbers and 2 other values, so it was read as labels; e.g. "--skip-lines 3" (row 4)'],
    // An escaped quote inside the name does not end it.
    ['column "say \\"hi\\" --delimiter ;": use --short-rows missing (or "Short rows" in the page\'s reading options)',
      'column "say \\"hi\\" --delimiter ;": set "Short rows" to "Fill with missing values and warn" under Reading options'],
  ];
  for (const [input, expected] of cases) assert.equal(pageWords(input), expected);
});

test('errors have titles in plain words, never the class or code', () => {
  assert.equal(errorTitle('SearchError', 'too_few_for_folds'), 'Too few rows to cross-validate');
  assert.equal(errorTitle('DataError', 'ragged_row'), 'A row has a different number of fields');
  // Opening a manifest with no data loaded is a step missed, not a fault.
  assert.equal(errorTitle('EngineError', 'no_data'), 'No data is loaded yet');
  assert.equal(errorTitle('TrainError', 'some_new_code'), 'Training could not run');
  assert.equal(errorTitle('Whatever', undefined), 'Something went wrong');
  for (const [name, code] of [['DataError', 'x'], ['SearchError', 'y'], ['PrepareError', 'z'], ['ManifestError', null], ['ReplayError', null], ['ClusterError', null], ['InputError', 'bad_trials'], ['EngineCrashed', 'engine_crashed'], ['TimedOut', 'timed_out']]) {
    const title = errorTitle(name, code);
    assert.doesNotMatch(title, /Error\b|_/, `${name} ${code}: ${title}`);
  }
});

test('a bug report is asked for only for mlcycle\'s faults, not for wrong input', () => {
  const cases = [
    // [name, code, mlcycle's fault]
    ['ManifestError', 'invalid_manifest', false],
    ['ReplayError', 'data_mismatch', false],
    ['ReplayError', 'parse_options_differ', false],
    ['DataError', 'ragged_row', false],
    ['SearchError', 'too_few_for_folds', false],
    ['InputError', 'bad_seed', false],
    ['EngineError', 'no_data', false],
    ['Cancelled', 'cancelled', false],
    ['InternalError', 'serialize', true],
    ['RuntimeError', 'wasm_trap', true],
    ['EngineCrashed', 'engine_crashed', true],
    ['EngineError', 'engine_start', true],
    ['OptionsError', 'invalid_options', true],
    ['TrainError', 'not_trained', true],
    ['TypeError', undefined, true],
  ];
  for (const [name, code, ours] of cases) assert.equal(isOurFault(name, code), ours, `${name} ${code}`);
});
