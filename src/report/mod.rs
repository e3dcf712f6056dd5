//! Reports: a [`Profile`] as one self-contained HTML page.
//!
//! Takes a profile (never raw rows) and gives an HTML document that opens
//! offline: inline CSS, inline SVG bars drawn from the same histogram and
//! top-value figures the page's charts use, no script, no external
//! resource. Every text from the data is HTML-escaped and clipped, and
//! every list is capped, so the size is bounded by the number of columns
//! ([`size_limit`]), whatever the row count. No wasm here.

use std::fmt::Write;

use crate::data::format_number;
use crate::profile::{Alert, ColumnProfile, Profile, Severity};

/// Most pairs listed in the associations table.
pub const MAX_PAIRS: usize = 30;
/// Longest column name shown, in characters.
const NAME_CHARS: usize = 60;
/// Longest value or label shown, in characters.
const VALUE_CHARS: usize = 40;
/// Longest alert message shown, in characters.
const MESSAGE_CHARS: usize = 240;
/// Characters of an alert's advice shown: the longest advice we write is
/// about 330 (it was cut at 240, mid-word: "rows missing t…"); advice
/// quoting data values is clipped past this, at a word's end.
const ADVICE_CHARS: usize = 400;

/// The largest report for `columns` columns: 50 KB plus 5 KB per column.
pub fn size_limit(columns: usize) -> usize {
    50_000 + 5_000 * columns
}

/// Bytes in the unit that keeps a figure readable: 41,556 bytes is
/// "41.6 kB", not "0.0 MB".
fn bytes_text(n: usize) -> String {
    match n {
        0..1_000 => format!("{n} bytes"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.2} GB", n as f64 / 1e9),
    }
}

/// Escapes text for HTML element content and attribute values, as
/// [`shown`] shows it.
pub fn escape(s: &str) -> String {
    entities(&shown(s))
}

/// Text as the report shows it: a control character as U+FFFD, a mark
/// that reorders or hides text as its code (`⟨U+202E⟩`).
fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut before = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let after = chars.peek().copied();
        match c {
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c if hidden_here(c, before, after) => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            c => out.push(c),
        }
        before = Some(c);
    }
    out
}

/// A value from the data quoted for a message: in double quotes (one
/// inside as `\"`), a control character escaped (`\t`, `\u{1b}`), and a
/// mark that hides or reorders text or a space other than the plain one (a
/// no-break space) shown as its code, `⟨U+00A0⟩`: two labels that differ
/// only there read differently, where Rust's `{:?}` wrote `\u{a0}`.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut before = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let after = chars.peek().copied();
        match c {
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.extend(c.escape_debug()),
            c if hidden_here(c, before, after) || (c.is_whitespace() && c != ' ') => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            c => out.push(c),
        }
        before = Some(c);
    }
    out.push('"');
    out
}

/// HTML's special characters as entities.
fn entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` is a format character that hides or reorders text when
/// shown: a soft hyphen, zero-width characters and joiners, bidirectional
/// marks, embeddings, overrides and isolates (a right-to-left override in a
/// column name turned the rest of its alert line around), line and
/// paragraph separators, the byte order mark. The page's `visible()` shows
/// the same set the same way, as ⟨U+202E⟩. A joiner between two letters
/// is left as it is: see [`hidden_here`].
pub fn reorders_or_hides(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Whether `c`, between `before` and `after` (`None` at an end of the
/// text), is shown as its code: when [`reorders_or_hides`] says so, but for
/// a zero-width joiner or non-joiner (U+200D, U+200C) between two
/// characters that are neither space, control nor such a mark: there it is
/// part of the text, inside an emoji sequence (👩‍💻) or a Persian or Indic
/// word (می‌خواهم), and shown as its code it broke them.
pub fn hidden_here(c: char, before: Option<char>, after: Option<char>) -> bool {
    let joins = |x: Option<char>| x.is_some_and(|x| !x.is_whitespace() && !x.is_control() && !reorders_or_hides(x));
    reorders_or_hides(c) && !(matches!(c, '\u{200c}' | '\u{200d}') && joins(before) && joins(after))
}

/// Escapes and clips to `n` characters as shown: a hidden mark's code
/// counts as the characters it takes (a name of 300 U+202E marks took 60
/// codes of 8, so a 20-column report was 269 KB, over its limit).
/// An entity counts as its bytes: at most `3 * n` bytes are written (a
/// name of `&` is 12 shown, as a name of CJK letters is 20).
fn clip(s: &str, n: usize) -> String {
    let shown = shown(s);
    let text = entities(&shown);
    if shown.chars().count() <= n && text.len() <= 3 * n {
        return text;
    }
    let mut out = String::new();
    for c in shown.chars().take(n - 1) {
        let before = out.len();
        out.push_str(&entities(c.encode_utf8(&mut [0; 4])));
        if out.len() + '…'.len_utf8() > 3 * n {
            out.truncate(before);
            break;
        }
    }
    out.push('…');
    out
}

/// `s` cut to at most `n` characters at the end of a word (then "…"), for
/// sentences; a single word longer than that is cut where it reaches `n`.
fn clip_words(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let head: String = s.chars().take(n - 1).collect();
    let cut = head.rfind(' ').filter(|&i| i > 0).map_or(head.as_str(), |i| head[..i].trim_end_matches([',', ';', ':']));
    format!("{cut}…")
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format_number(x)
    } else if x.abs() >= 1e6 || x.abs() < 1e-3 {
        format!("{x:.4e}")
    } else {
        format!("{x:.4}")
    }
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:70em;padding:0 1em;color:#222}\
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1em;margin:.2em 0}\
table{border-collapse:collapse}td,th{padding:.15em .6em;text-align:left;border-bottom:1px solid #eee}\
td.n{text-align:right;font-variant-numeric:tabular-nums}.card{border:1px solid #ddd;border-radius:4px;padding:.6em;margin:.6em 0;display:flex;gap:1.5em;flex-wrap:wrap}\
.critical{color:#a00}.warning{color:#a50}.info{color:#357}li{margin:.3em 0}code{font-size:.9em;background:#f4f4f4}\
svg:not(.heat) rect{fill:#4a7bb7}small{color:#666}code{overflow-wrap:anywhere}td{overflow-wrap:anywhere}";

/// What the report may load or run: nothing but its inline style (and
/// images written into it as data: addresses). It has no script, and
/// opened from a folder of downloads it fetches nothing.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The profile as one HTML document.
///
/// ```
/// use mlcycle::data::{parse_csv, ParseOptions};
/// let ds = parse_csv(b"x,<b>\n1,a\n2,b\n", "t.csv", &ParseOptions::default()).unwrap();
/// let html = mlcycle::report::html(&mlcycle::profile::profile(&ds));
/// assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"));
/// ```
pub fn html(p: &Profile) -> String {
    let mut s = String::with_capacity(16_384 + 3_000 * p.columns.len());
    let file = clip(&p.file_name, 120);
    let _ = write!(s, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\"><title>Profile of {file}</title><style>{STYLE}</style></head><body><main>\n<h1>Profile of {file}</h1>\n");
    let d = &p.dataset;
    let ig = &p.ingest;
    let _ = write!(
        s,
        "<h2>Overview</h2><table><tr><th>Rows</th><td class=n>{}</td></tr><tr><th>Columns</th><td class=n>{}</td></tr><tr><th>Duplicate rows</th><td class=n>{}</td></tr><tr><th>Missing cells</th><td class=n>{} ({}%)</td></tr><tr><th>Memory</th><td class=n>{}</td></tr><tr><th>Read as</th><td>{}, delimiter {}, {}{}, {} line endings</td></tr><tr><th>SHA-256</th><td><code>{}</code></td></tr>",
        d.rows,
        d.columns,
        // Sampled: counted among the kept rows, which is not an estimate
        // for the file (rows repeat more often in it than in a sample).
        match &p.sample {
            Some(sample) if d.approximate.iter().any(|a| a == "duplicateRows") => format!("{} among the {} kept rows", d.duplicate_rows, sample.kept_rows),
            _ => d.duplicate_rows.to_string(),
        },
        d.missing_cells,
        escape(&crate::profile::percent_text(d.missing_cells_pct)),
        bytes_text(d.memory_bytes),
        escape(&ig.encoding),
        escape(&format!("{:?}", ig.delimiter)),
        if ig.header { "with a header row" } else { "no header row" },
        if ig.decimal_comma { ", decimal comma" } else { "" },
        escape(&ig.line_ending),
        escape(&p.sha256)
    );
    if let Some(t) = &p.target {
        let _ = write!(s, "<tr><th>Target</th><td>{}</td></tr>", clip(t, NAME_CHARS));
    }
    s.push_str("</table>\n");
    if let Some(n) = &p.sample {
        let _ = write!(s, "<p class=warning>{} Figures marked ≈ are estimates: distinct counts from a HyperLogLog sketch, with a standard error of {:.1}% (about 95% of such counts fall within ±{:.1}%), the others from the kept rows.</p>", escape(&n.note), 100.0 * n.distinct_std_error, 200.0 * n.distinct_std_error);
    }
    for w in ig.warnings.iter().take(10) {
        let _ = write!(s, "<p class=info>{}</p>", clip(&w.message, MESSAGE_CHARS));
    }

    let _ = write!(s, "<h2>Alerts ({})</h2>", p.alerts.len());
    if p.alerts.is_empty() {
        s.push_str("<p>No data-quality alert.</p>");
    } else {
        s.push_str("<ul>");
        for a in &p.alerts {
            alert(&mut s, a);
        }
        s.push_str("</ul>");
    }

    s.push_str("\n<h2>Columns</h2>\n");
    for c in &p.columns {
        column(&mut s, c);
    }

    let a = &p.associations;
    s.push_str("<h2>Associations</h2>");
    if let Some(n) = a.sampled_rows {
        let _ = write!(s, "<p>Approximate: computed on a sample of {n} rows.</p>");
    }
    heatmap(&mut s, a);
    if !a.target.is_empty() {
        s.push_str("<h3>With the target</h3><table><tr><th>Column</th><th>Measure</th><th>Value</th></tr>");
        for x in a.target.iter().take(MAX_PAIRS) {
            let _ = write!(s, "<tr><td>{}</td><td>{}</td><td class=n>{:.3}</td></tr>", clip(&x.a, NAME_CHARS), measure(x.measure), x.value);
        }
        s.push_str("</table>");
    }
    if a.pairs.is_empty() {
        s.push_str("<p>No pair of columns to compare.</p>");
    } else {
        let _ = write!(s, "<h3>Strongest pairs ({} of {})</h3><table><tr><th>Column</th><th>Column</th><th>Measure</th><th>Value</th></tr>", a.pairs.len().min(MAX_PAIRS), a.pairs.len());
        for x in a.pairs.iter().take(MAX_PAIRS) {
            let _ = write!(s, "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{:.3}</td></tr>", clip(&x.a, NAME_CHARS), clip(&x.b, NAME_CHARS), measure(x.measure), x.value);
        }
        s.push_str("</table>");
    }
    if !a.skipped.is_empty() {
        let _ = write!(s, "<p><small>{} column(s) not paired, e.g. {}: {}.</small></p>", a.skipped.len(), clip(&a.skipped[0].column, NAME_CHARS), clip(&a.skipped[0].reason, 80));
    }
    s.push_str("\n<p><small>Made by mlcycle from the profile only; no row of the data is in this file beyond the values shown.</small></p></main></body></html>\n");
    s
}

/// Columns the report's heatmap draws at most (the first ones).
const HEATMAP_COLUMNS: usize = 20;

/// A cell's colour, as the page draws it: blue for positive, red for
/// negative, white at zero, darker the stronger.
fn heat(v: f64) -> String {
    let a = v.abs().min(1.0);
    let mix = |from: f64, to: f64| (from + (to - from) * a).round() as u8;
    let (r, g, b) = if v >= 0.0 { (mix(255.0, 33.0), mix(255.0, 102.0), mix(255.0, 172.0)) } else { (mix(255.0, 178.0), mix(255.0, 24.0), mix(255.0, 43.0)) };
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The associations of the first [`HEATMAP_COLUMNS`] paired columns as an
/// inline SVG heatmap, as on the page: a cell per pair (below the
/// diagonal), named with its figure and the columns' numbers; the columns
/// numbered, and named at the left.
fn heatmap(s: &mut String, a: &crate::profile::Associations) {
    let columns: Vec<&String> = a.columns.iter().take(HEATMAP_COLUMNS).collect();
    let n = columns.len();
    if n < 2 {
        return;
    }
    let at = |name: &str| columns.iter().position(|c| c.as_str() == name);
    let mut cells = vec![None; n * n];
    for x in a.pairs.iter().chain(&a.target).filter(|x| x.measure != crate::profile::Measure::Spearman) {
        if let (Some(i), Some(j)) = (at(&x.a), at(&x.b)) {
            cells[i.max(j) * n + i.min(j)] = Some(x);
        }
    }
    const CELL: usize = 22;
    const LABEL: usize = 150;
    // Room for the note below the cells (about 390 px) however few they are.
    let (width, height) = ((LABEL + n * CELL + 10).max(LABEL + 400), 20 + n * CELL + 24);
    let _ = write!(
        s,
        "<p><svg class=heat role=img aria-label=\"Association heatmap of {} columns{}: blue positive, red negative, darker stronger; the figures are in the tables below\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"11\">",
        n,
        if a.columns.len() > n { format!(", the first {n} of {}", a.columns.len()) } else { String::new() }
    );
    for (i, c) in columns.iter().enumerate() {
        let y = 20 + i * CELL + CELL / 2 + 4;
        let _ = write!(s, "<text x=\"{}\" y=\"{y}\" text-anchor=\"end\">{} {}</text>", LABEL - 4, i + 1, clip(c, 18));
        let _ = write!(s, "<text x=\"{}\" y=\"14\" text-anchor=\"middle\">{}</text>", LABEL + i * CELL + CELL / 2, i + 1);
    }
    for i in 0..n {
        for j in 0..i {
            let (x, y) = (LABEL + j * CELL, 20 + i * CELL);
            match cells[i * n + j] {
                Some(p) => {
                    let _ = write!(
                        s,
                        "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} × {}: {} {:.3}</title></rect>",
                        CELL - 1,
                        CELL - 1,
                        heat(p.value),
                        // By number, as the labels at the left name them:
                        // two names a cell would make the report outgrow
                        // its size bound.
                        i + 1,
                        j + 1,
                        measure(p.measure),
                        p.value
                    );
                }
                None => {
                    let _ = write!(s, "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"#eee\"><title>not computed</title></rect>", CELL - 1, CELL - 1);
                }
            }
        }
    }
    let _ = write!(s, "<text x=\"{LABEL}\" y=\"{}\">Pearson r from −1 (red) to +1 (blue); Cramér’s V and η from 0 to 1</text></svg></p>", height - 6);
}

fn measure(m: crate::profile::Measure) -> &'static str {
    m.label()
}

fn alert(s: &mut String, a: &Alert) {
    let class = match a.severity {
        Severity::Critical => "critical",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let fix = a.suggestion.as_ref().map(|f| format!(" <small>Fix: {}</small>", clip(&step_text(f), 160))).unwrap_or_default();
    let _ = write!(s, "<li><b class={class}>{class}</b> {} <small>— {}</small>{fix}</li>", clip(&a.message, MESSAGE_CHARS), clip(&clip_words(&a.advice, ADVICE_CHARS), ADVICE_CHARS));
}

/// A recipe step in words, as the page shows it: `scale "income" (method robust)`.
fn step_text(step: &crate::prepare::StepSpec) -> String {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(step) else { return String::new() };
    let name = fields.get("step").and_then(|v| v.as_str()).unwrap_or_default().replace('_', " ");
    let column = fields.get("column").and_then(|v| v.as_str()).map(|c| format!(" \"{c}\"")).unwrap_or_default();
    let rest: Vec<String> = fields
        .iter()
        .filter(|(k, _)| *k != "step" && *k != "column")
        .map(|(k, v)| format!("{k} {}", v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    if rest.is_empty() { format!("{name}{column}") } else { format!("{name}{column} ({})", rest.join(", ")) }
}

/// Width of a bar chart, and of its longest bar: the count after the
/// longest bar gets room for ten digits at 11 px.
const BARS_WIDTH: usize = 400;
const BAR_MAX: f64 = 180.0;

/// Characters of a bar's label drawn left of it (at 11 px, about 6.5 px
/// each, they fit the 146 px before the bars); the whole label is in the
/// bar's title.
const BAR_LABEL_CHARS: usize = 21;

/// "1 value", "25 values".
fn values(n: usize) -> String {
    format!("{n} value{}", if n == 1 { "" } else { "s" })
}

/// Horizontal bars, one per (label, count), as inline SVG; labels as in
/// the data, drawn clipped: the whole label and its count are in the table
/// beside the chart ([`top_table`]), and its name says the figures.
fn bars(s: &mut String, items: &[(String, usize)], name: &str) {
    let top = items.iter().map(|i| i.1).max().unwrap_or(1);
    let max = top.max(1) as f64;
    let h = 14 * items.len();
    let largest = items.iter().find(|i| i.1 == top).map(|(label, count)| format!("; the largest is {} with {}", clip(label, VALUE_CHARS), values(*count))).unwrap_or_default();
    let _ = write!(s, "<svg role=img aria-label=\"Most frequent values of {}: {} shown{largest}\" width=\"{BARS_WIDTH}\" height=\"{h}\" viewBox=\"0 0 {BARS_WIDTH} {h}\">", clip(name, NAME_CHARS), items.len());
    for (i, (label, count)) in items.iter().enumerate() {
        let w = (BAR_MAX * *count as f64 / max).max(1.0);
        let y = i * 14;
        let _ = write!(s, "<rect x=\"150\" y=\"{y}\" width=\"{w:.0}\" height=\"12\"/><text x=\"146\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text><text x=\"{:.0}\" y=\"{}\" font-size=\"11\">{count}</text>", y + 10, clip(label, BAR_LABEL_CHARS), 154.0 + w, y + 10);
    }
    s.push_str("</svg>");
}

/// The most frequent values and their counts as a table: text a screen
/// reader reads and a search finds (they were only inside the chart).
/// `approx` before each count that is an estimate.
fn top_table(s: &mut String, items: &[(String, usize)], approx: &str) {
    s.push_str("<table><tr><th>Most frequent</th><th>Rows</th></tr>");
    for (label, count) in items {
        let _ = write!(s, "<tr><td>{}</td><td class=n>{approx}{count}</td></tr>", clip(label, VALUE_CHARS));
    }
    s.push_str("</table>");
}

/// Vertical histogram bars as inline SVG, named with the figures: the
/// bins' range, the largest bin and every bin's count.
fn histogram(s: &mut String, c: &ColumnProfile) {
    let top = c.histogram.iter().map(|b| b.count).max().unwrap_or(1);
    let max = top.max(1) as f64;
    let n = c.histogram.len();
    let bw = 300.0 / n as f64;
    let said = |x: f64| if c.kind.is_time() { edge(c, x) } else { short(edge(c, x)) };
    let (lo, hi) = (said(c.histogram[0].start), said(c.histogram[n - 1].end));
    let largest = c.histogram.iter().find(|b| b.count == top).map(|b| format!("; the largest is {} to {} with {}", said(b.start), said(b.end), values(b.count))).unwrap_or_default();
    let counts = c.histogram.iter().map(|b| b.count.to_string()).collect::<Vec<_>>().join(", ");
    let _ = write!(
        s,
        "<figure><svg role=img aria-label=\"Histogram of {}: {n} bin{} from {lo} to {hi}{largest}; counts from the lowest bin: {counts}\" width=\"300\" height=\"80\" viewBox=\"0 0 300 80\">",
        clip(&c.name, NAME_CHARS),
        if n == 1 { "" } else { "s" }
    );
    for (i, b) in c.histogram.iter().enumerate() {
        let h = 78.0 * b.count as f64 / max;
        let _ = write!(s, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{}–{}: {}</title></rect>", i as f64 * bw, 80.0 - h, (bw - 1.0).max(0.5), edge(c, b.start), edge(c, b.end), b.count);
    }
    let _ = write!(s, "</svg><figcaption><small>{lo} to {hi}</small></figcaption></figure>");
}

/// A figure without the zeros that end its decimals, as said aloud:
/// "4.3", not "4.3000" ("four point three zero zero zero").
fn short(figure: String) -> String {
    if figure.contains('.') && !figure.contains('e') {
        figure.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        figure
    }
}

fn edge(c: &ColumnProfile, x: f64) -> String {
    if c.kind.is_time() { crate::data::format_time(x) } else { num(x) }
}

fn column(s: &mut String, c: &ColumnProfile) {
    let _ = write!(s, "<section class=card><div><h3>{}</h3><small>{}</small><table>", clip(&c.name, NAME_CHARS), c.kind.as_str());
    // "≈" before a figure that is an estimate (sampled data).
    let approx = |fields: &[&str]| if fields.iter().any(|f| c.approximate.iter().any(|a| a == f)) { "≈ " } else { "" };
    let mut row = |k: &str, v: String| {
        let _ = write!(s, "<tr><th>{k}</th><td class=n>{v}</td></tr>");
    };
    row("present", c.count.to_string());
    row("missing", format!("{} ({}%)", c.missing, escape(&crate::profile::percent_text(c.missing_pct))));
    row("distinct", format!("{}{}", approx(&["distinct"]), c.distinct));
    if let Some(r) = &c.date_range {
        let zone = r.zone_words().map_or(String::new(), |z| format!(" <small>({z})</small>"));
        row("range", format!("{} – {}{zone}", escape(&r.min), escape(&r.max)));
    } else if let (Some(lo), Some(hi)) = (c.min, c.max) {
        row("min – max", format!("{} – {}", num(lo), num(hi)));
    }
    if !c.kind.is_time() {
        if let Some(m) = c.mean {
            row("mean ± std", format!("{} ± {}", num(m), c.std.map_or("–".into(), num)));
        }
        if let (Some(q1), Some(m), Some(q3)) = (c.q1, c.median, c.q3) {
            let error = c.quantile_rank_error.map_or(String::new(), |e| format!(" <small>(rank ±{:.1}%)</small>", 100.0 * e));
            row("quartiles", format!("{}{} / {} / {}{error}", approx(&["q1", "median", "q3"]), num(q1), num(m), num(q3)));
        }
        if let (Some(z), Some(n)) = (c.zeros, c.negatives) {
            row("zeros / negatives", format!("{z} / {n}"));
        }
        if let Some(sk) = c.skewness {
            row("skewness", format!("{sk:.2}"));
        }
        if let Some(o) = &c.outliers {
            row("IQR outliers", format!("{}{}", approx(&["outliers"]), o.below + o.above));
        }
    }
    if let Some(t) = &c.text_length {
        row("length", format!("{}{} – {} (mean {:.1})", approx(&["textLength"]), t.min, t.max, t.mean));
    }
    if !c.approximate.is_empty() && !approx(&["histogram", "top"]).is_empty() {
        row("chart", "≈ from the sampled rows".to_string());
    }
    s.push_str("</table></div><div>");
    if !c.histogram.is_empty() && c.kind.is_numeric() && c.distinct > crate::profile::TOP_VALUES {
        histogram(s, c);
    } else if !c.top.is_empty() {
        let items: Vec<(String, usize)> = c.top.iter().map(|t| (t.value.clone(), t.count)).collect();
        bars(s, &items, &c.name);
        top_table(s, &items, approx(&["top"]));
    }
    for g in c.case_variants.iter().take(3) {
        let _ = write!(s, "<p><small>same but for case or spaces: {}</small></p>", g.iter().take(3).map(|l| clip(l, VALUE_CHARS)).collect::<Vec<_>>().join(" / "));
    }
    s.push_str("</div></section>\n");
}

#[cfg(test)]
mod tests {

    /// Sizes keep a readable unit: a small file is not "0.0 MB".
    #[test]
    fn bidirectional_and_invisible_marks_are_shown_not_obeyed() {
        assert_eq!(super::escape("\u{202e}evil col"), "⟨U+202E⟩evil col");
        assert_eq!(super::escape("a\u{200b}b\u{2066}c"), "a⟨U+200B⟩b⟨U+2066⟩c");
        assert_eq!(super::escape("café – ok"), "café – ok");
        for bidi in ['\u{200e}', '\u{200f}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{61c}', '\u{200b}', '\u{2060}', '\u{feff}'] {
            assert_eq!(super::escape(&format!("a{bidi}b")), format!("a⟨U+{:04X}⟩b", bidi as u32));
        }
    }

    /// A zero-width joiner or non-joiner inside an emoji sequence or a word
    /// is kept (it was shown as ⟨U+200D⟩); at an end, beside a space or
    /// another mark, it hides nothing worth keeping and is shown.
    #[test]
    fn joiners_inside_words_and_emoji_are_kept() {
        for kept in ["👩\u{200d}💻", "👨\u{200d}👩\u{200d}👧", "🏳\u{fe0f}\u{200d}🌈", "می\u{200c}خواهم", "क्\u{200d}ष", "ക്\u{200c}ക"] {
            assert_eq!(super::escape(kept), kept);
        }
        assert_eq!(super::escape("\u{200d}a"), "⟨U+200D⟩a");
        assert_eq!(super::escape("a\u{200c}"), "a⟨U+200C⟩");
        assert_eq!(super::escape("a \u{200d}b"), "a ⟨U+200D⟩b");
        assert_eq!(super::escape("a\u{200d}\u{200d}b"), "a⟨U+200D⟩⟨U+200D⟩b");
        assert_eq!(super::escape("a\u{200d}\u{202e}b"), "a⟨U+200D⟩⟨U+202E⟩b");
    }

    /// Values in messages: spaces other than the plain one and hidden
    /// marks as their code, controls escaped, quotes inside escaped.
    #[test]
    fn values_in_messages_are_quoted_readably() {
        for (value, shown) in [
            ("1 234,00 €", "\"1 234,00 €\""),
            ("1\u{a0}234,00 €", "\"1⟨U+00A0⟩234,00 €\""),
            ("\u{feff}id", "\"⟨U+FEFF⟩id\""),
            ("a\tb\n", "\"a\\tb\\n\""),
            ("epsilon \"zeta\"", "\"epsilon \\\"zeta\\\"\""),
            ("café 東京 👩\u{200d}💻", "\"café 東京 👩\u{200d}💻\""),
            ("C:\\data", "\"C:\\data\""),
        ] {
            assert_eq!(quoted(value), shown, "{value:?}");
        }
    }

    #[test]
    fn byte_figures_keep_a_readable_unit() {
        assert_eq!(super::bytes_text(999), "999 bytes");
        assert_eq!(super::bytes_text(41_556), "41.6 kB");
        assert_eq!(super::bytes_text(72_000_000), "72.0 MB");
        assert_eq!(super::bytes_text(1_500_000_000), "1.50 GB");
    }

    use super::*;
    use crate::data::{parse_csv, ParseOptions};
    use crate::profile::{profile_with, ProfileOptions};

    fn report(csv: &str, target: Option<&str>) -> (String, usize) {
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: target.map(String::from), ..Default::default() }).unwrap();
        (html(&p), p.columns.len())
    }

    /// A sampled file's duplicate rows are counted among the kept rows, and
    /// said so (they were shown as "≈ N" beside every row's count).
    #[test]
    fn sampled_duplicates_are_counted_among_the_kept_rows() {
        let csv: String = std::iter::once("a,b\n".to_string()).chain((0..20_000).map(|i| format!("{},{}\n", i % 50, i % 7))).collect();
        let opts = ParseOptions { max_memory_bytes: 60_000, ..ParseOptions::default() };
        let ds = parse_csv(csv.as_bytes(), "t.csv", &opts).unwrap();
        let p = profile_with(&ds, &ProfileOptions::default()).unwrap();
        let kept = p.sample.as_ref().expect("sampled").kept_rows;
        let h = html(&p);
        let want = format!("<th>Duplicate rows</th><td class=n>{} among the {kept} kept rows</td>", p.dataset.duplicate_rows);
        assert!(h.contains(&want), "{want} not in the report");
    }

    /// Read as a person reads it: a main landmark, fixes in words, bar
    /// labels short enough to stay inside their chart (whole in the tooltip),
    /// the SHA-256 free to wrap on a phone, counts in the right number.
    #[test]
    fn report_reads_as_words_and_fits() {
        let long = "gamma beta delta alpha epsilon zeta";
        let csv: String = std::iter::once("c,x\n".to_string()).chain((0..30).map(|i| format!("{} #{},{}\n", long, i % 4, i))).chain(std::iter::once(format!("{long} #0,0\n"))).collect();
        let (h, _) = report(&csv, None);
        assert!(h.contains("<body><main>") && h.contains("</main></body>"));
        assert!(!h.contains("{&quot;step&quot;") && !h.contains("{\"step\""), "fixes as JSON");
        assert!(h.contains("Fix: drop duplicate rows"), "{h}");
        assert!(h.contains("1 row repeats an earlier row: the same values as read"), "{h}");
        assert!(h.contains("code{overflow-wrap:anywhere}"));
        let svg = &h[h.find("<svg role=img aria-label=\"Most frequent values").expect("a bar chart")..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        for text in svg.split("text-anchor=\"end\">").skip(1) {
            let label = text.split('<').next().unwrap();
            assert!(label.chars().count() <= BAR_LABEL_CHARS, "{label}");
        }
        // The whole label is in the table beside the chart.
        assert!(h.contains(&format!("<td>{long} #0</td><td class=n>9</td>")), "{h}");
    }

    /// The associations are drawn as a heatmap, as on the page: a cell
    /// per pair of the first columns, coloured by its figure and named
    /// with it; the figures are in the tables too.
    #[test]
    fn associations_are_drawn_as_a_heatmap() {
        let csv: String = std::iter::once("x,y,z,c\n".to_string()).chain((0..40).map(|i| format!("{i},{},{},{}\n", 100 - i, (i * 7) % 11, if i % 2 == 0 { "a" } else { "b" }))).collect();
        let (h, _) = report(&csv, None);
        let svg = &h[h.find("<svg class=heat").expect("a heatmap")..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        assert!(svg.contains("aria-label=\"Association heatmap of 4 columns: blue positive"), "{svg}");
        // Six pairs of four columns, each a cell; x and y fall together: deep red.
        assert_eq!(svg.matches("<rect").count(), 6, "{svg}");
        assert!(svg.contains(&format!("fill=\"{}\"><title>2 × 1: Pearson r -1.000</title>", heat(-1.0))), "{svg}");
        assert!(svg.contains(">2 y</text>"), "{svg}");
        assert_eq!(heat(-1.0), "#b2182b");
        assert_eq!(heat(0.0), "#ffffff");
        // Its rects keep their colours: the bars' style is not theirs.
        assert!(h.contains("svg:not(.heat) rect{fill:#4a7bb7}"));
    }

    #[test]
    fn data_is_escaped_and_nothing_external_is_loaded() {
        let (h, _) = report("\"<script>alert(1)</script>\",b\n\"<img src=x onerror=alert(2)>\",1\nx&y,2\n", None);
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(h.contains("&lt;img src=x onerror=alert(2)&gt;"));
        assert!(h.contains("x&amp;y"));
        let lower = h.to_lowercase();
        for banned in ["<script", "<img", "<link", "<iframe", "url(", "http://", "https://", "@import"] {
            assert!(!lower.contains(banned), "{banned} in report");
        }
    }

    /// A bar's count is drawn inside the chart, the longest bar's too
    /// (it was cut off at the chart's edge): ten digits at about 6.5 px.
    #[test]
    fn bar_counts_fit_inside_their_chart() {
        let mut csv = String::from("c\n");
        for i in 0..2_000_000usize {
            csv.push_str(if i % 3 == 0 { "b\n" } else { "a\n" });
        }
        let (h, _) = report(&csv, None);
        let svg = &h[h.find("<svg role=img aria-label=\"Most frequent values").expect("a bar chart")..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let width: f64 = svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let mut counts = 0;
        for text in svg.split("<text x=\"").skip(1) {
            let x: f64 = text.split('"').next().unwrap().parse().unwrap();
            let body = text.split('>').nth(1).unwrap().split('<').next().unwrap();
            if body.chars().all(|c| c.is_ascii_digit()) {
                counts += 1;
                assert!(x + 6.5 * body.len() as f64 <= width, "count {body} at x = {x} in a chart {width} wide");
            }
        }
        assert_eq!(counts, 2);
    }

    /// The report without its charts: what is there as text.
    fn without_svg(h: &str) -> String {
        let mut out = String::new();
        let mut rest = h;
        while let Some(at) = rest.find("<svg") {
            out.push_str(&rest[..at]);
            rest = rest[at..].split_once("</svg>").map_or("", |(_, after)| after);
        }
        out + rest
    }

    /// The attribute `name` of the first element that has it after `from`.
    fn attribute<'a>(h: &'a str, from: &str, name: &str) -> &'a str {
        let at = h.find(from).unwrap_or_else(|| panic!("{from} not in {h}"));
        let tail = &h[at..];
        let value = &tail[tail.find(&format!("{name}=\"")).unwrap() + name.len() + 2..];
        &value[..value.find('"').unwrap()]
    }

    /// A chart's name gives its figures, and a label column's most
    /// frequent values and counts are text in its card: a screen reader
    /// heard "histogram of sepal_length", and "setosa" was nowhere outside
    /// the chart. Values in the table and in the names are escaped.
    #[test]
    fn charts_say_their_figures_and_top_values_are_text() {
        let mut csv = String::from("x,species,odd\n");
        for i in 0..150 {
            let species = ["setosa", "versicolor", "virginica"][i / 50];
            let odd = ["<b>&amp;", "r\u{202e}l", "👩\u{200d}💻"][usize::from(i % 5 == 0) + usize::from(i % 7 == 0)];
            csv.push_str(&format!("{},{species},{odd}\n", f64::from(i as u32 % 37) / 10.0 + if i < 40 { 0.0 } else { 1.0 }));
        }
        let (h, _) = report(&csv, None);
        let text = without_svg(&h);
        for species in ["setosa", "versicolor", "virginica"] {
            assert!(text.contains(&format!("<tr><td>{species}</td><td class=n>50</td></tr>")), "{species} not in the text: {text}");
        }
        assert!(text.contains("<td>&lt;b&gt;&amp;amp;</td>") && text.contains("<td>r⟨U+202E⟩l</td>") && text.contains("<td>👩\u{200d}💻</td>"), "{text}");
        let bars = attribute(&h, "<svg role=img aria-label=\"Most frequent values of species", "aria-label");
        assert_eq!(bars, "Most frequent values of species: 3 shown; the largest is setosa with 50 values");
        let odd = attribute(&h, "<svg role=img aria-label=\"Most frequent values of odd", "aria-label");
        assert!(odd.starts_with("Most frequent values of odd: 3 shown; the largest is &lt;b&gt;&amp;amp; with "), "{odd}");
        let hist = attribute(&h, "<svg role=img aria-label=\"Histogram of x", "aria-label");
        let p = profile_with(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap(), &ProfileOptions::default()).unwrap();
        let bins = &p.columns[0].histogram;
        let largest = bins.iter().map(|b| b.count).max().unwrap();
        let counts: Vec<String> = bins.iter().map(|b| b.count.to_string()).collect();
        let (lo, hi) = (short(edge(&p.columns[0], bins[0].start)), short(edge(&p.columns[0], bins[bins.len() - 1].end)));
        assert!(!hist.contains("00 ") && !hist.contains("00;"), "zeros said aloud: {hist}");
        assert_eq!((short("4.3000".into()), short("2".into()), short("7.0000".into()), short("1.5000e-4".into())), ("4.3".into(), "2".into(), "7".into(), "1.5000e-4".into()));
        assert!(hist.starts_with(&format!("Histogram of x: {} bins from {lo} to {hi}; the largest is ", bins.len())), "{hist}");
        assert!(hist.contains(&format!(" with {largest} values; counts from the lowest bin: {}", counts.join(", "))), "{hist}");
        assert_eq!(counts.iter().map(|c| c.parse::<usize>().unwrap()).sum::<usize>(), 150);
    }

    /// The report forbids what it does not use: no script, no fetch, no
    /// frame; only its inline style (and data: images) are allowed.
    #[test]
    fn report_has_a_content_security_policy() {
        let (h, _) = report("a,b\n1,x\n2,y\n", None);
        let head = &h[..h.find("</head>").unwrap()];
        let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">";
        assert!(head.contains(meta), "{head}");
        assert!(head.find(meta) < head.find("<style>"), "{head}");
    }

    /// 500 columns whose names and labels are long and escape to several
    /// times their length (`<` is four bytes shown, a bidi mark twelve),
    /// with the top values now listed as text too: still within the bound.
    #[test]
    fn size_bound_holds_for_500_hostile_columns() {
        let cols = 500;
        let name = "<&".repeat(300) + "\u{202e}";
        let mut csv = (0..cols).map(|c| format!("\"{name}{c}\"")).collect::<Vec<_>>().join(",") + "\n";
        for r in 0..40 {
            let line: Vec<String> = (0..cols)
                .map(|c| match c % 4 {
                    0 => format!("{}", (r * (c + 1)) % 97),
                    1 => format!("\"\u{200b}{}{}\"", "<>".repeat(50), r % 6),
                    2 => if r % 3 == 0 { String::new() } else { format!("\"\u{2066}{}{}\"", "&".repeat(40), r % 7) },
                    _ => format!("{}.5", r % 13),
                })
                .collect();
            csv.push_str(&line.join(","));
            csv.push('\n');
        }
        let (h, n) = report(&csv, None);
        assert_eq!(n, cols);
        assert!(h.len() <= size_limit(n), "{} > {}", h.len(), size_limit(n));
        assert!(without_svg(&h).contains("<td>⟨U+200B⟩&lt;&gt;&lt;"), "top values as text");
    }

    /// Twenty correlated columns (an alert for each) whose names are runs
    /// of characters shown longer than they are: a mark that reorders
    /// text (shown as its 12-byte code), `&` and `"` (entities). The
    /// bidi names made a 269 KB report against a bound of 150 KB.
    #[test]
    fn size_bound_holds_for_names_shown_longer_than_they_are() {
        for unit in ["\u{202e}", "&", "\""] {
            let cols = 20;
            let name = unit.repeat(300);
            let mut csv = (0..cols).map(|c| format!("\"{}{c}\"", name.replace('"', "\"\""))).collect::<Vec<_>>().join(",") + "\n";
            for r in 0..60 {
                let base = ((r * 37) % 61) as f64;
                let line: Vec<String> = (0..cols).map(|c| format!("{}", base + 0.001 * ((r * (c + 3)) % 7) as f64)).collect();
                csv.push_str(&line.join(","));
                csv.push('\n');
            }
            let (h, n) = report(&csv, None);
            assert_eq!(n, cols);
            assert!(h.matches("class=warning").count() + h.matches("class=info").count() >= cols - 1, "an alert per pair: {unit:?}");
            assert!(h.len() <= size_limit(n), "{unit:?}: {} > {}", h.len(), size_limit(n));
        }
        assert_eq!(super::clip(&"&".repeat(100), 10), "&amp;&amp;&amp;&amp;&amp;…");
        assert_eq!(super::clip(&"漢".repeat(20), 10), "漢".repeat(9) + "…");
        assert_eq!(super::clip("short & fine", 60), "short &amp; fine");
        assert_eq!(super::clip_words("rows missing the target are left out", 20), "rows missing the…");
        assert_eq!(super::clip_words("one, two three", 9), "one…");
        assert_eq!(super::clip_words(&"x".repeat(30), 10), "x".repeat(9) + "…");
        assert_eq!(super::clip_words("fits", 10), "fits");
    }

    /// Every advice we write is shown whole (the missing-values advice was
    /// cut mid-word at 240 characters: "rows missing t…").
    #[test]
    fn alert_advice_is_shown_whole() {
        let csv: String = std::iter::once("a,b\n".to_string()).chain((0..50).map(|i| format!("{},{}\n", if i % 10 == 3 { String::new() } else { i.to_string() }, i % 3))).collect();
        let (h, _) = report(&csv, None);
        assert!(h.contains("rows missing the target are left out</small>"), "{h}");
    }

    /// The size bound holds for long names, long labels, many alerts and
    /// many rows; the size does not grow with the row count.
    #[test]
    fn size_is_bounded_by_columns_not_rows() {
        let cols = 30;
        let make = |rows: usize| {
            let long = "n".repeat(900);
            let mut csv = (0..cols).map(|c| format!("{long}{c}")).collect::<Vec<_>>().join(",") + "\n";
            for r in 0..rows {
                let line: Vec<String> = (0..cols)
                    .map(|c| match c % 3 {
                        0 => format!("{}", (r * (c + 1)) % 997),
                        1 => format!("{}{}", "L".repeat(150), r % (c + 2)),
                        _ => if r % 4 == 0 { String::new() } else { format!("{}.5", r % 13) },
                    })
                    .collect();
                csv.push_str(&line.join(","));
                csv.push('\n');
            }
            csv
        };
        let (small, n) = report(&make(50), None);
        let (large, _) = report(&make(8_000), None);
        assert!(small.len() <= size_limit(n), "{} > {}", small.len(), size_limit(n));
        assert!(large.len() <= size_limit(n), "{} > {}", large.len(), size_limit(n));
        assert!((large.len() as f64) < small.len() as f64 * 1.5, "{} vs {}", large.len(), small.len());
    }
}
