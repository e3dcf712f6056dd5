// Files the page writes for the person to download: safe names, and CSV
// cells that a spreadsheet will not run as formulas. Pure functions, no DOM.

/** A download name from `fileName`'s stem: [A-Za-z0-9._-] only, never empty or hidden. */
export function safeStem(fileName) {
  const base = String(fileName || '').split(/[\\/]/).pop();
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return stem.replace(/[^A-Za-z0-9._-]/g, '').replace(/^\.+/, '') || 'dataset';
}

// A cell starting with one of these is a formula to Excel, LibreOffice and
// Google Sheets (CSV injection); a leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula starts neutralised, quoted when it must be. */
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text from a header and rows of values, CRLF line ends (RFC 4180). */
export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The profile as CSV, one row per column of the data. */
export function profileCsv(profile) {
  const header = ['column', 'kind', 'count', 'missing', 'distinct', 'min', 'max', 'mean', 'std', 'top_values'];
  const rows = profile.columns.map((c) => [
    c.name,
    c.kind,
    c.count,
    c.missing,
    c.distinct,
    c.min ?? '',
    c.max ?? '',
    c.mean ?? '',
    c.std ?? '',
    (c.top || []).map((t) => `${t.value} (${t.count})`).join('; '),
  ]);
  return toCsv(header, rows);
}
