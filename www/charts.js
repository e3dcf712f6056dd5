// Charts of the profile drawn as SVG with DOM calls: no script evaluation, no
// markup strings, every label set as text. Each chart is an image to
// assistive technology (role="img" with a label stating its figures) and can
// be reached with Tab; each bar or cell carries a <title> tooltip.
// The same figures are in the core's Vega-Lite specs (src/profile/charts.rs),
// used by the HTML report and the notebook; here they are drawn directly so
// the page needs no charting library under its strict CSP.

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function titled(node, text) {
  const t = svgEl('title');
  t.textContent = text;
  node.append(t);
  return node;
}

// Control, zero-width and bidi-override characters would hide or reorder
// text; show each as a visible code instead of obeying it. The joiners
// (ZWNJ U+200C, ZWJ U+200D) are kept between two characters, where they
// belong to the text (emoji sequences, Persian and Indic words); alone, at
// an edge or next to a space they hide nothing of use and are shown.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;
const JOINER = /^[\u200C\u200D]$/;
// What may stand on either side of a kept joiner: a character that shows.
const SHOWN = /^[^\s\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]$/;

/** `text` with invisible and bidi-control characters shown as ⟨U+XXXX⟩ (joiners inside a word kept). */
export function visible(text) {
  const s = String(text);
  return s.replace(INVISIBLE, (c, at) => {
    if (JOINER.test(c) && at > 0 && SHOWN.test(s[at - 1]) && SHOWN.test(s[at + 1] || ' ')) return c;
    return `⟨U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
  });
}

/** An element with `props` (text as textContent, never markup; className; dataset; attributes) and `children`. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'className') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** A duration for people: ms under a second, seconds above. */
export function formatMs(ms) {
  if (typeof ms !== 'number') return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Metric names as shown. */
export const METRIC_LABELS = {
  accuracy: 'Accuracy',
  macro_f1: 'Macro F1',
  log_loss: 'Log loss',
  roc_auc: 'ROC AUC',
  rmse: 'RMSE',
  r2: 'R²',
};

/** Numbers for people: integers as they are, others with up to 4 decimals (4 significant below 1). */
export function formatNumber(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a >= 1e15 || a < 1e-4) return v.toExponential(3);
  // Four decimals, but no digits past the 15 a float holds (a std of
  // 286477041216104.44 read 286477041216104.4375).
  const whole = a >= 1 ? Math.floor(Math.log10(a)) + 1 : 0;
  const text = a >= 1 ? v.toFixed(Math.max(0, Math.min(4, 15 - whole))) : v.toPrecision(4);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/**
 * A share in percent for people: one decimal, as the engine's alerts write
 * it, but never "0.0%" for a few cells in millions nor "100.0%" short of all.
 */
export function formatPercent(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '—';
  if (p === 0 || p === 100) return `${p}%`;
  if (p < 0.1) return '<0.1%';
  if (p > 99.9) return '>99.9%';
  return `${p.toFixed(1).replace(/\.0$/, '')}%`;
}

/** "1 row", "2 rows": a count and its noun, singular for one. */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** Compact number text: at most 4 significant digits. */
export function short(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/**
 * Number text precise enough for edges `step` apart: enough significant
 * digits that neighbouring edges differ (100001 and 100051, not 100000 and
 * 100100) and that each edge is within a hundredth of a bin of its value
 * (1.25 and 11.25, not 1.3 and 11.3, which put 11.27 in the bin before),
 * and no more.
 */
export function edgeText(step) {
  return (v) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return '';
    if (!(step > 0)) return short(v);
    const mag = Math.max(Math.abs(v), step);
    const least = Math.min(15, Math.max(2, Math.ceil(Math.log10(mag / step)) + 2));
    for (let digits = least; digits < 15; digits++) {
      const r = Number(v.toPrecision(digits));
      if (Math.abs(r - v) <= step / 100) return String(r);
    }
    return String(Number(v.toPrecision(15)));
  };
}

/**
 * Texts of `values` with one shared precision: `base`'s, or the fewest
 * significant digits (6 to 15) at which different numbers read
 * differently. Non-numbers go through `base` as they are.
 */
export function distinctTexts(values, base) {
  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
  // A mean one rounding step from the median (3.6500000000000004 and
  // 3.65) is the same figure: floating-point sums round, and the data said
  // no more. Whole numbers that differ always differ.
  const noise = (v, w) => !(Number.isInteger(v) && Number.isInteger(w)) && Math.abs(v - w) <= 1e-13 * Math.max(Math.abs(v), Math.abs(w));
  const clash = (texts) => values.some((v, i) => isNum(v) && values.some((w, j) => j > i && isNum(w) && v !== w && !noise(v, w) && texts[i] === texts[j]));
  const texts = values.map(base);
  if (!clash(texts)) return texts;
  for (let digits = 6; digits <= 15; digits++) {
    const more = values.map((v) => (isNum(v) ? String(Number(v.toPrecision(digits))) : base(v)));
    if (!clash(more)) return more;
  }
  return values.map((v) => (isNum(v) ? String(v) : base(v)));
}

/** A long name cut in its middle, so names that share a start stay apart. */
export function middleCut(text, max = 16) {
  const chars = [...text];
  if (chars.length <= max) return text;
  const tail = Math.ceil((max - 1) / 2) + 1;
  return `${chars.slice(0, max - 1 - tail).join('')}…${chars.slice(-tail).join('')}`;
}

/**
 * Short labels for `names` that stay apart: each cut in its middle; when
 * that makes two alike, what every name shares at its start and end is
 * shortened first (sensor_temperature_reading_07_celsius: sen…07…ius),
 * and any still alike are numbered.
 */
export function shortLabels(names, max = 16) {
  const cut = names.map((n) => middleCut(n, max));
  if (names.length < 2 || new Set(cut).size === names.length) return cut;
  const chars = names.map((n) => [...n]);
  const shortest = Math.min(...chars.map((c) => c.length));
  let pre = 0;
  while (pre < shortest && chars.every((c) => c[pre] === chars[0][pre])) pre++;
  let suf = 0;
  while (suf < shortest - pre && chars.every((c) => c[c.length - 1 - suf] === chars[0][chars[0].length - 1 - suf])) suf++;
  const labels = chars.map((c) => {
    const head = pre > 3 ? `${c.slice(0, 3).join('')}…` : c.slice(0, pre).join('');
    const tail = suf > 3 ? `…${c.slice(c.length - 3).join('')}` : c.slice(c.length - suf).join('');
    return middleCut(`${head}${c.slice(pre, c.length - suf).join('')}${tail}`, max);
  });
  const count = new Map();
  for (const l of labels) count.set(l, (count.get(l) || 0) + 1);
  return labels.map((l, i) => (count.get(l) > 1 ? `${middleCut(l, max - 4)} #${i + 1}` : l));
}

/** Whether a column of `kind` holds dates or date-times (stored as seconds since 1970 UTC). */
export function isTimeKind(kind) {
  return kind === 'date' || kind === 'date_time' || kind === 'datetime';
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * Seconds since 1970 as a date, YYYY-MM-DD (the day the instant falls on),
 * or with `withTime` as YYYY-MM-DD HH:MM:SS, followed by " UTC" when `utc`
 * (the file wrote the times with a zone; times written without one are
 * the file's local time, and are not called UTC); '' when not a time.
 */
export function formatTime(seconds, withTime = false, utc = false) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
  const d = new Date(Math.floor(seconds) * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const y = d.getUTCFullYear();
  const day = `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return withTime ? `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${utc ? ' UTC' : ''}` : day;
}

/** How a column's times are zoned, in words: 'UTC', 'local time, zone not stated', or '' (dates, numbers). */
export function zoneWords(column) {
  const zone = column && column.dateRange && column.dateRange.zone;
  return zone === 'utc' ? 'UTC' : zone ? 'local time, zone not stated' : '';
}

/**
 * A span of seconds in the largest unit it fills: "41.2 days", "5.2 hours",
 * "24.3 minutes", "0.81 seconds" ('' when not a number), as the engine's
 * format_span (src/data/value.rs) writes it.
 */
export function formatSpan(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
  const a = Math.abs(seconds);
  const [value, unit] = a >= 86_400 ? [seconds / 86_400, 'days'] : a >= 3_600 ? [seconds / 3_600, 'hours'] : a >= 60 ? [seconds / 60, 'minutes'] : [seconds, 'seconds'];
  const v = Math.abs(value);
  const text = v >= 1e6 ? value.toExponential(2).replace('e+', 'e') : v >= 1 || v === 0 ? value.toFixed(1) : String(Number(value.toPrecision(2)));
  return `${text} ${unit}`;
}

/** How values of a column are said: dates for date columns, compact numbers otherwise. */
export function valueFormatter(column) {
  if (isTimeKind(column.kind)) {
    const withTime = column.kind !== 'date';
    const utc = zoneWords(column) === 'UTC';
    return (v) => formatTime(v, withTime, utc);
  }
  return short;
}

/**
 * A small histogram of a numeric column's bins (`{start, end, count}`), or
 * bars of its top values for a label column; null when there is nothing to draw.
 * `visible` turns data text into safe display text.
 */
export function distributionChart(column, visible = (s) => s) {
  const bins = column.histogram || [];
  const name = visible(column.name);
  if (bins.length > 0) {
    // Date columns' bins are in seconds since 1970: say them as dates;
    // numbers with the digits that tell one bin edge from the next.
    const say = isTimeKind(column.kind) ? valueFormatter(column) : edgeText(bins[0].end - bins[0].start);
    return bars(
      bins.map((b) => ({ label: `${say(b.start)} to ${say(b.end)}`, count: b.count })),
      `Histogram of ${name}: ${plural(bins.length, 'bin')} from ${say(bins[0].start)} to ${say(bins[bins.length - 1].end)}${zoneWords(column) && zoneWords(column) !== 'UTC' ? ` (${zoneWords(column)})` : ''}`,
      false,
    );
  }
  const top = column.top || [];
  if (top.length > 0 && column.distinct > 1) {
    return bars(
      top.slice(0, 8).map((t) => ({ label: visible(t.value), count: t.count })),
      `Most frequent values of ${name}`,
      true,
    );
  }
  return null;
}

function bars(items, label, horizontal) {
  const width = 160;
  const height = horizontal ? Math.max(16, items.length * 8) : 40;
  const max = Math.max(1, ...items.map((i) => i.count));
  const tallest = items.reduce((a, b) => (b.count > a.count ? b : a), items[0]);
  const svg = svgEl('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    tabindex: 0,
    class: 'mini-chart',
    'aria-label': `${label}; the largest is ${tallest.label} with ${plural(tallest.count, 'row')}.`,
  });
  titled(svg, label);
  items.forEach((item, i) => {
    let rect;
    if (horizontal) {
      const w = Math.max(1, (item.count / max) * width);
      rect = svgEl('rect', { x: 0, y: i * 8 + 1, width: w.toFixed(1), height: 6, class: 'bar' });
    } else {
      const bw = width / items.length;
      const h = item.count === 0 ? 0 : Math.max(1, (item.count / max) * (height - 2));
      rect = svgEl('rect', { x: (i * bw + 0.5).toFixed(1), y: (height - h).toFixed(1), width: Math.max(1, bw - 1).toFixed(1), height: h.toFixed(1), class: 'bar' });
    }
    svg.append(titled(rect, `${item.label}: ${item.count}`));
  });
  return svg;
}

const MEASURE_NAMES = new Map([
  ['pearson', 'Pearson r'],
  ['spearman', 'Spearman ρ'],
  ['cramers_v', 'Cramér’s V'],
  ['correlation_ratio', 'correlation ratio η'],
]);

export function measureName(m) {
  return MEASURE_NAMES.get(m) || String(m);
}

/**
 * The association matrix of at most `limit` columns as a heatmap: one
 * figure per pair (Pearson for two numbers, Cramér's V for two label
 * columns, η for one of each); with more, the first `limit`, or the first
 * `limit` − 1 and `target` when it is not among them (`targetAdded`: then
 * `othersShown` of the `othersTotal` other columns are drawn).
 * Returns {svg, shown, total, cells, targetAdded, othersShown, othersTotal} or null;
 * `cells` is every pair drawn, in the heatmap's order (row by row, above
 * the diagonal): {a, b, pair}, `pair` null when not computed.
 */
export function associationHeatmap(associations, visible = (s) => s, limit = 30, target = null) {
  const all = (associations && associations.columns) || [];
  if (all.length < 2) return null;
  let columns = all.slice(0, limit);
  // A target past the first columns takes the last place: its figures are
  // the ones a person looks for first.
  // (The engine may list the target's pairs apart, and not among `columns`.)
  const paired = (p) => p.a === target || p.b === target;
  const targetAdded = target !== null && !columns.includes(target) && (all.includes(target) || (associations.target || []).some(paired));
  const others = all.filter((c) => c !== target);
  if (targetAdded) columns = [...others.slice(0, limit - 1), target];
  const index = new Map(columns.map((c, i) => [c, i]));
  const cells = new Map();
  // With a target, its associations are kept apart from the pairs: drawn
  // here all the same.
  for (const p of [...(associations.pairs || []), ...(associations.target || [])]) {
    if (p.measure === 'spearman') continue;
    const i = index.get(p.a);
    const j = index.get(p.b);
    if (i === undefined || j === undefined) continue;
    cells.set(`${i},${j}`, p);
    cells.set(`${j},${i}`, p);
  }
  // Cells share about 480 px, from 14 px (30 columns) to 44 px; from 30 px
  // up each cell also says its value, so a few columns read at a glance.
  const cell = Math.max(14, Math.min(44, Math.floor(480 / columns.length)));
  const withValues = cell >= 30;
  const labelWidth = 110;
  const size = columns.length * cell;
  const legendHeight = 34;
  // The colour scale's steps, and the note after them ("Cramér’s V and η
  // are 0 to 1", about 180 px at the labels' size): room for both, so a
  // few columns do not cut the note.
  const steps = 20;
  const legendWidth = steps * 8 + 8 + 190;
  // Room on the right for the last column's slanted label.
  const width = Math.max(labelWidth + size + 60, labelWidth + legendWidth);
  const height = labelWidth + size + 4 + legendHeight;
  const svg = svgEl('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    tabindex: 0,
    class: 'heatmap',
    'aria-label': `Association heatmap of ${columns.length} columns; darker is stronger, blue positive, red negative. The strongest pairs are listed below it, and every pair is in a table after them.`,
  });
  const labels = shortLabels(columns.map((c) => visible(c)));
  columns.forEach((c, i) => {
    const text = visible(c);
    const shortText = labels[i];
    const row = svgEl('text', { x: labelWidth - 4, y: labelWidth + i * cell + cell / 2 + 3, 'text-anchor': 'end', class: 'axis-label' });
    row.textContent = shortText;
    svg.append(titled(row, text));
    const col = svgEl('text', { x: 0, y: 0, transform: `translate(${labelWidth + i * cell + cell / 2 + 3},${labelWidth - 4}) rotate(-60)`, class: 'axis-label' });
    col.textContent = shortText;
    svg.append(titled(col, text));
  });
  for (let i = 0; i < columns.length; i++) {
    for (let j = 0; j < columns.length; j++) {
      const x = labelWidth + j * cell;
      const y = labelWidth + i * cell;
      if (i === j) {
        svg.append(svgEl('rect', { x, y, width: cell - 1, height: cell - 1, class: 'cell-self' }));
        continue;
      }
      const p = cells.get(`${i},${j}`);
      if (!p) {
        svg.append(titled(svgEl('rect', { x, y, width: cell - 1, height: cell - 1, class: 'cell-none' }), `${visible(columns[i])} × ${visible(columns[j])}: not computed`));
        continue;
      }
      const v = Math.max(-1, Math.min(1, p.value));
      const rect = svgEl('rect', { x, y, width: cell - 1, height: cell - 1, fill: heat(v), class: 'cell' });
      svg.append(titled(rect, `${visible(columns[i])} × ${visible(columns[j])}: ${measureName(p.measure)} ${short(p.value)} (n = ${p.n})`));
      if (withValues) {
        const t = svgEl('text', { x: x + (cell - 1) / 2, y: y + cell / 2 + 3, 'text-anchor': 'middle', fill: textOn(heatRgb(v)), class: 'cell-value', 'aria-hidden': 'true' });
        t.textContent = v.toFixed(2).replace(/^(-?)0\./, '$1.');
        svg.append(t);
      }
    }
  }
  // The colour scale: −1 (red) through 0 (white) to 1 (blue).
  const ly = labelWidth + size + 12;
  for (let k = 0; k < steps; k++) {
    const v = -1 + (2 * (k + 0.5)) / steps;
    svg.append(svgEl('rect', { x: labelWidth + k * 8, y: ly, width: 8, height: 8, fill: heat(v), class: 'legend-step' }));
  }
  [['−1', 0], ['0', steps * 4], ['+1', steps * 8]].forEach(([label, dx]) => {
    const t = svgEl('text', { x: labelWidth + dx, y: ly + 20, 'text-anchor': 'middle', class: 'axis-label' });
    t.textContent = label;
    svg.append(t);
  });
  const note = svgEl('text', { x: labelWidth + steps * 8 + 8, y: ly + 8, class: 'axis-label' });
  note.textContent = 'Cramér’s V and η are 0 to 1';
  svg.append(note);
  const drawn = [];
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) drawn.push({ a: columns[i], b: columns[j], pair: cells.get(`${i},${j}`) || null });
  }
  return { svg, shown: columns.length, total: all.length, cells: drawn, targetAdded, othersShown: columns.length - 1, othersTotal: others.length };
}

/** Blue for positive, red for negative, white at zero: [r, g, b] of 0 to 255. */
export function heatRgb(v) {
  const a = Math.abs(v);
  const mix = (from, to) => Math.round(from + (to - from) * a);
  return v >= 0 ? [mix(255, 33), mix(255, 102), mix(255, 172)] : [mix(255, 178), mix(255, 24), mix(255, 43)];
}

/** The heat colour of `v` as CSS. */
export function heat(v) {
  return `rgb(${heatRgb(v).join(',')})`;
}

/** WCAG 2 relative luminance of [r, g, b] (0 to 255). */
export function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two [r, g, b] colours, 1 to 21. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Text colours for a value written on a cell: the page's near-black, else
// white, else black (one of white and black reaches 4.58:1 on any colour).
const TEXT_COLOURS = [['#1a1a1a', [26, 26, 26]], ['#ffffff', [255, 255, 255]], ['#000000', [0, 0, 0]]];

/** The first text colour that reaches 4.5:1 (WCAG AA) on the colour `rgb`, else the one with the most contrast. */
export function textOn(rgb) {
  const fit = TEXT_COLOURS.find(([, c]) => contrast(c, rgb) >= 4.5);
  if (fit) return fit[0];
  return TEXT_COLOURS.reduce((a, b) => (contrast(b[1], rgb) > contrast(a[1], rgb) ? b : a))[0];
}

// Colour-blind-safe palette (Okabe–Ito) for cluster labels; noise is grey.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function clusterColour(label) {
  if (label === undefined || label === null) return '#4a7bb7';
  if (label < 0) return '#9a9a9a';
  return PALETTE[label % PALETTE.length];
}

/**
 * Points {row, x, y, label?} in the plane of the first two principal
 * components, coloured by cluster. `variance` is the share each axis explains.
 */
export function scatterChart(points, variance, summary) {
  const width = 420;
  const height = 320;
  const pad = 36;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (v) => pad + ((v - x0) / (x1 - x0 || 1)) * (width - pad - 8);
  const sy = (v) => height - pad - ((v - y0) / (y1 - y0 || 1)) * (height - pad - 8);
  const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', tabindex: 0, class: 'scatter', 'aria-label': summary });
  titled(svg, summary);
  svg.append(svgEl('line', { x1: pad, y1: height - pad, x2: width - 4, y2: height - pad, class: 'axis' }));
  svg.append(svgEl('line', { x1: pad, y1: 4, x2: pad, y2: height - pad, class: 'axis' }));
  const pct = (v) => (v === undefined ? '' : ` (${(100 * v).toFixed(1)}% of the variance)`);
  const xl = svgEl('text', { x: width / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis-label' });
  xl.textContent = `PC1${pct(variance[0])}`;
  const yl = svgEl('text', { x: 0, y: 0, transform: `translate(12,${(height - pad) / 2}) rotate(-90)`, 'text-anchor': 'middle', class: 'axis-label' });
  yl.textContent = `PC2${pct(variance[1])}`;
  svg.append(xl, yl);
  for (const p of points) {
    const c = svgEl('circle', { cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: 2.5, fill: clusterColour(p.label), class: 'point' });
    const which = p.label === undefined || p.label === null ? '' : p.label < 0 ? ', noise' : `, cluster ${p.label}`;
    svg.append(titled(c, `row ${p.row + 1}${which}: (${short(p.x)}, ${short(p.y)})`));
  }
  return svg;
}
