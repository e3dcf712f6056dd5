//! Data management, second step: the profile of a dataset.
//!
//! Takes a [`Dataset`] and gives, per column, counts, missing values,
//! distinct values, the moments, quartiles, a histogram, top values, text
//! lengths and date ranges; for the dataset, duplicate rows and memory;
//! associations between columns ([`assoc`]); and data-quality alerts with
//! evidence and a suggested recipe step ([`alerts`]). Every figure is exact
//! (the typed columns are in memory, and one sorted copy of one column at
//! a time is the most extra memory used), computed in row order so it is
//! the same natively and in wasm; association figures say when they come
//! from a row sample. When ingestion had to sample a file too large for its
//! memory budget ([`crate::data::SampleInfo`]), counts, missing, min, max,
//! mean, std, skewness, zeros and negatives still cover every row, and each
//! column lists in `approximate` the figures that are estimates (distinct
//! counts by HyperLogLog, quantiles, histograms and top numbers from the
//! kept rows); [`Profile::sample`] says how. Chart specs for the page and
//! reports are in [`charts`]. No wasm here.

pub mod alerts;
pub mod assoc;
pub mod charts;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::{format_number, format_time, ColumnKind, ColumnSummary, ColumnValues, DataError, Dataset, IngestReport};
pub use alerts::{Alert, AlertCode, Severity};
pub use assoc::{Association, Associations, Measure};

/// How many top values a column profile lists.
pub const TOP_VALUES: usize = 5;
/// Most histogram bins.
pub const HISTOGRAM_BINS: usize = 20;
/// Longest label text kept in a profile, in characters.
pub const MAX_LABEL_CHARS: usize = 200;

/// A value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The value as text (at most [`MAX_LABEL_CHARS`] characters).
    pub value: String,
    /// Rows holding it.
    pub count: usize,
}

/// One histogram bin: `[start, end)`, the last bin closed `[start, end]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Lower edge.
    pub start: f64,
    /// Upper edge.
    pub end: f64,
    /// Values in the bin.
    pub count: usize,
}

/// Values outside the interquartile fences `q1 - 1.5·IQR`, `q3 + 1.5·IQR`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outliers {
    /// Lower fence.
    pub lower_fence: f64,
    /// Upper fence.
    pub upper_fence: f64,
    /// Values below the lower fence.
    pub below: usize,
    /// Values above the upper fence.
    pub above: usize,
}

/// Shortest, longest and mean length of labels, in characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLength {
    /// Shortest.
    pub min: usize,
    /// Longest.
    pub max: usize,
    /// Mean over present values.
    pub mean: f64,
}

/// 2^`e`, exactly, for `e` from -1074 (the smallest subnormal) to 1023;
/// `2f64.powi(-1060)` is 0 (it inverts 2^1060, which overflows), which
/// made subnormal values' scale 0 and their mean NaN.
fn power_of_two(e: i32) -> f64 {
    let e = e.clamp(-1074, 1023);
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

/// First and last date, as ISO 8601 text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateRange {
    /// Earliest.
    pub min: String,
    /// Latest.
    pub max: String,
    /// For date-times: `utc` when the file wrote them with a UTC offset
    /// (`Z`, `+02:00`), `not_stated` when it wrote no zone (local time,
    /// whose zone the file does not say); none for dates.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub zone: Option<String>,
}

impl DateRange {
    /// The zone in words, for a report: "UTC", "local time, zone not
    /// stated", or nothing (dates).
    pub fn zone_words(&self) -> Option<&'static str> {
        match self.zone.as_deref() {
            Some("utc") => Some("UTC"),
            Some(_) => Some("local time, zone not stated"),
            None => None,
        }
    }
}

/// The profile of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// Column kind.
    pub kind: ColumnKind,
    /// Present (non-missing) values.
    pub count: usize,
    /// Missing values.
    pub missing: usize,
    /// Missing values as a percentage of rows.
    pub missing_pct: f64,
    /// Distinct present values (exact).
    pub distinct: usize,
    /// Smallest value (numbers and dates; dates in seconds since 1970).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Arithmetic mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Sample standard deviation (n - 1), as pandas reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std: Option<f64>,
    /// Median (linear interpolation, as numpy and pandas).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    /// First quartile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q1: Option<f64>,
    /// Third quartile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q3: Option<f64>,
    /// Sample skewness (adjusted Fisher–Pearson, as pandas `skew`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skewness: Option<f64>,
    /// Values equal to zero (numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zeros: Option<usize>,
    /// Values below zero (numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negatives: Option<usize>,
    /// Interquartile outliers (numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outliers: Option<Outliers>,
    /// Equal-width histogram of present values (numbers and dates).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub histogram: Vec<Bin>,
    /// Whether every present value is a whole number.
    pub integer: bool,
    /// Up to [`TOP_VALUES`] most frequent values, most frequent first;
    /// ties: labels in order of first appearance, numbers smaller first.
    pub top: Vec<ValueCount>,
    /// Label lengths (labels only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_length: Option<TextLength>,
    /// Date range (dates only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_range: Option<DateRange>,
    /// Groups of labels that differ only by case or whitespace (at most five).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub case_variants: Vec<Vec<String>>,
    /// Bytes the column's values take in memory.
    pub memory_bytes: usize,
    /// Fields (by their JSON names) that are estimates, when the data was
    /// sampled (see [`Profile::sample`]); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub approximate: Vec<String>,
    /// When `top` comes from a heavy-hitters summary: the most each listed
    /// count can be too low (Misra–Gries).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub top_error: Option<usize>,
    /// When the quartiles come from a quantile sketch over every row (KLL):
    /// the fraction of rows by which each one's rank may be off (99%
    /// confidence).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub quantile_rank_error: Option<f64>,
}

/// How the rows were sampled when the file was too large for the memory
/// budget. Counts, missing, min, max, mean, std, skewness, zeros and
/// negatives then cover every row; fields listed in a column's
/// `approximate` are estimates: distinct counts from HyperLogLog, the rest
/// from the kept rows (counts scaled to all rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SampleNote {
    /// Data rows in the file.
    pub total_rows: usize,
    /// Rows kept: about one in `stride`, by a hash of the row number.
    pub kept_rows: usize,
    /// The stride.
    pub stride: usize,
    /// The memory budget that forced sampling, in bytes.
    pub budget_bytes: usize,
    /// Relative standard error of approximate distinct counts.
    pub distinct_std_error: f64,
    /// One line for people.
    pub note: String,
}

/// Dataset-wide figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasetSummary {
    /// Data rows.
    pub rows: usize,
    /// Columns.
    pub columns: usize,
    /// Rows identical to an earlier row.
    pub duplicate_rows: usize,
    /// Missing cells.
    pub missing_cells: usize,
    /// Missing cells as a percentage of all cells.
    pub missing_cells_pct: f64,
    /// Bytes the typed columns take in memory.
    pub memory_bytes: usize,
    /// Columns per kind.
    pub kinds: BTreeMap<ColumnKind, usize>,
    /// Fields that are estimates (`duplicateRows`: found among the kept
    /// rows) when the data was sampled.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub approximate: Vec<String>,
}

/// The profile of a whole dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// File the data came from.
    pub file_name: String,
    /// Data rows.
    pub rows: usize,
    /// Number of columns.
    pub column_count: usize,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// The target column the profile was made for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Dataset-wide figures.
    pub dataset: DatasetSummary,
    /// What ingestion detected, assumed or repaired.
    pub ingest: IngestReport,
    /// One profile per column, in file order.
    pub columns: Vec<ColumnProfile>,
    /// Associations between columns, and with the target.
    pub associations: Associations,
    /// Data-quality alerts, most severe first.
    pub alerts: Vec<Alert>,
    /// When the data was too large for the memory budget: how it was
    /// sampled, and so which figures are approximate.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sample: Option<SampleNote>,
}

/// Choices for [`profile_with`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ProfileOptions {
    /// The column to be predicted: adds associations with it, class
    /// imbalance and leakage alerts.
    pub target: Option<String>,
    /// Most columns compared pairwise; the rest are listed as skipped.
    pub max_assoc_columns: usize,
    /// Most row × pair operations for associations; above it a regular
    /// row sample is used and the figures are marked approximate.
    pub max_assoc_work: usize,
    /// Threads to spread the work over natively (1 in wasm). The figures
    /// do not depend on it. Not settable from JSON.
    #[serde(skip)]
    pub threads: usize,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        ProfileOptions { target: None, max_assoc_columns: 40, max_assoc_work: 20_000_000, threads: 1 }
    }
}

/// Profiles `ds` without a target.
///
/// ```
/// use mlcycle::data::{parse_csv, ParseOptions};
/// let ds = parse_csv(b"x\n1\n2\n\n3\n", "t.csv", &ParseOptions::default()).unwrap();
/// let p = mlcycle::profile::profile(&ds);
/// assert_eq!(p.columns[0].mean, Some(2.0));
/// assert_eq!(p.columns[0].median, Some(2.0));
/// ```
pub fn profile(ds: &Dataset) -> Profile {
    profile_with(ds, &ProfileOptions::default()).expect("without a target nothing can fail")
}

/// Profiles `ds` with `opts`; fails only when the target is not a column.
pub fn profile_with(ds: &Dataset, opts: &ProfileOptions) -> Result<Profile, DataError> {
    let target = match &opts.target {
        Some(t) => Some(ds.column_index(t)?),
        None => None,
    };
    // The duplicate-row count runs beside the column profiles, first, as
    // the longest single task (about a fifth of the whole on 1,000,000 rows).
    enum Task<'a> {
        Duplicates,
        Column(&'a crate::data::Column),
    }
    enum Done {
        Duplicates(usize),
        Column(Box<ColumnProfile>),
    }
    // Summaries are used only for the dataset they were made with.
    let sample = ds.sample.as_ref().filter(|s| {
        s.kept_rows == ds.n_rows && s.columns.len() == ds.columns.len() && s.columns.iter().zip(&ds.columns).all(|(a, b)| a.name == b.name)
    });
    let tasks: Vec<Task> = std::iter::once(Task::Duplicates).chain(ds.columns.iter().map(Task::Column)).collect();
    let mut duplicates = 0;
    let mut columns: Vec<ColumnProfile> = Vec::with_capacity(ds.columns.len());
    for done in crate::par::map(&tasks, opts.threads, |t| match t {
        Task::Duplicates => Done::Duplicates(duplicate_rows(ds)),
        Task::Column(c) => Done::Column(Box::new(column_profile(&c.name, c.kind, &c.values, c.memory_bytes(), sample.is_some()))),
    }) {
        match done {
            Done::Duplicates(n) => duplicates = n,
            Done::Column(p) => columns.push(*p),
        }
    }
    let rows = sample.map_or(ds.n_rows, |s| s.total_rows);
    if let Some(s) = sample {
        for (p, summary) in columns.iter_mut().zip(&s.columns) {
            apply_summary(p, summary, rows);
        }
    }
    // Date-times are UTC only when the file said so (an offset).
    for p in columns.iter_mut().filter(|p| p.kind == ColumnKind::DateTime) {
        if let Some(r) = &mut p.date_range {
            r.zone = Some(if ds.ingest.zoned_times.contains(&p.name) { "utc" } else { "not_stated" }.to_string());
        }
    }
    let missing_cells: usize = columns.iter().map(|c| c.missing).sum();
    let cells = rows * ds.columns.len();
    let mut kinds = BTreeMap::new();
    for c in &columns {
        *kinds.entry(c.kind).or_insert(0) += 1;
    }
    let dataset = DatasetSummary {
        rows,
        columns: ds.columns.len(),
        duplicate_rows: duplicates,
        missing_cells,
        missing_cells_pct: pct(missing_cells, cells),
        memory_bytes: columns.iter().map(|c| c.memory_bytes).sum(),
        kinds,
        approximate: if sample.is_some() { vec!["duplicateRows".to_string()] } else { Vec::new() },
    };
    // Found once: left out of the associations, and an alert of its own.
    let totals = alerts::find_totals_row(ds, sample.is_some());
    let associations = assoc::associations(ds, &columns, target, opts, totals.is_some());
    let mut p = Profile {
        file_name: ds.file_name.clone(),
        rows,
        column_count: ds.columns.len(),
        sha256: ds.sha256.clone(),
        target: opts.target.clone(),
        dataset,
        ingest: ds.ingest.clone(),
        columns,
        associations,
        alerts: Vec::new(),
        sample: sample.map(|s| SampleNote {
            total_rows: s.total_rows,
            kept_rows: s.kept_rows,
            stride: s.stride,
            budget_bytes: s.budget_bytes,
            distinct_std_error: s.distinct_std_error,
            note: format!(
                "sampled: {} of {} rows kept (about one in {}, by a hash of the row number) to stay within the memory budget of {} bytes; figures marked approximate are estimates",
                s.kept_rows, s.total_rows, s.stride, s.budget_bytes
            ),
        }),
    };
    p.alerts = alerts::alerts(ds, &p, target, totals);
    Ok(p)
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_LABEL_CHARS {
        s.to_string()
    } else {
        s.chars().take(MAX_LABEL_CHARS - 1).chain(std::iter::once('…')).collect()
    }
}

/// A percentage with one decimal, as a message or report shows it (see
/// [`percent_with`]).
pub fn percent_text(p: f64) -> String {
    percent_with(p, 1)
}

/// A percentage with `decimals` decimals (0 or 1) that never reads 0 for a
/// share above nothing nor 100 for one below all ("<0.1", ">99.9"; "<1",
/// ">99"), as the page's formatPercent.
pub fn percent_with(p: f64, decimals: usize) -> String {
    let (least, most) = if decimals == 0 { ("1", "99") } else { ("0.1", "99.9") };
    // Judged on the rounded text itself, ties included (0.5 rounds to 0).
    let text = format!("{p:.decimals$}");
    match text.parse::<f64>() {
        Ok(r) if r == 0.0 && p > 0.0 => format!("<{least}"),
        Ok(r) if r == 100.0 && p < 100.0 => format!(">{most}"),
        _ => text,
    }
}

/// Quantile `p` of sorted `v` with linear interpolation (numpy's default).
pub fn quantile(v: &[f64], p: f64) -> f64 {
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let (a, b, t) = (v[lo], v[hi], h - lo as f64);
    if (b - a).is_finite() || t == 0.0 {
        a + t * (b - a)
    } else {
        // Values spanning more than f64's range (-1e308 and 1e308): each
        // term weighted apart, within range.
        a * (1.0 - t) + b * t
    }
}

/// Equal-width bins over sorted `v` (numpy's `histogram` rule: the last
/// bin includes its upper edge).
fn histogram(v: &[f64], distinct: usize) -> Vec<Bin> {
    let (min, max) = (v[0], v[v.len() - 1]);
    if min == max {
        return vec![Bin { start: min, end: max, count: v.len() }];
    }
    let n = distinct.clamp(1, HISTOGRAM_BINS);
    // (max - min) overflows when the values span more than f64's range:
    // then the edges are interpolated, each term within range.
    let span_finite = (max - min).is_finite();
    let width = if span_finite { (max - min) / n as f64 } else { max / n as f64 - min / n as f64 };
    let edge = |i: usize| {
        if span_finite {
            min + width * i as f64
        } else {
            let t = i as f64 / n as f64;
            min * (1.0 - t) + max * t
        }
    };
    let mut bins: Vec<Bin> = (0..n).map(|i| Bin { start: edge(i), end: if i + 1 == n { max } else { edge(i + 1) }, count: 0 }).collect();
    for &x in v {
        let mut i = (((x - min) / width) as usize).min(n - 1);
        // Floating-point edges: move to the bin whose range holds x.
        while i > 0 && x < bins[i].start {
            i -= 1;
        }
        while i + 1 < n && x >= bins[i + 1].start {
            i += 1;
        }
        bins[i].count += 1;
    }
    bins
}

/// Sorts a column's numbers into the order of `f64::total_cmp` (tested).
/// Whole numbers over a short range (counts, codes, years) are counted
/// into slots and written back in order, about 3× quicker than the radix
/// sort the others take (6 against 19 to 22 ms on a million integers
/// below 100,000, natively), itself several times quicker than a
/// comparison sort. Dates, in seconds, span too wide a range, which shows
/// within their first values: they cost the same 10 ms as before.
fn sort_numbers(v: &mut [f64]) {
    match counting_plan(v) {
        Some((lo, slots)) => {
            let mut counts = vec![0u32; slots];
            for &x in v.iter() {
                counts[(x - lo) as usize] += 1;
            }
            let mut at = 0;
            for (i, &c) in counts.iter().enumerate() {
                v[at..at + c as usize].fill(lo + i as f64);
                at += c as usize;
            }
        }
        None => radsort::sort(v),
    }
}

/// When every value is a whole number below 2^53, none is -0 (which sorts
/// apart from 0), and their range spans fewer than the larger of 65,536
/// and twice their count: the lowest value and the number of slots.
fn counting_plan(v: &[f64]) -> Option<(f64, usize)> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let limit = (2 * v.len()).max(1 << 16) as f64;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &x in v {
        if x.fract() != 0.0 || x.abs() >= EXACT || x.to_bits() == (-0.0f64).to_bits() {
            return None;
        }
        lo = lo.min(x);
        hi = hi.max(x);
        if hi - lo >= limit {
            return None;
        }
    }
    (!v.is_empty()).then(|| (lo, (hi - lo) as usize + 1))
}

/// `sampled`: the values are a sample's, so a number's top count is
/// listed only where it stands out from its neighbours' (see
/// [`stands_out_locally`]).
fn column_profile(name: &str, kind: ColumnKind, values: &ColumnValues, memory_bytes: usize, sampled: bool) -> ColumnProfile {
    let rows = match values {
        ColumnValues::Numeric(v) => v.len(),
        ColumnValues::Categorical { codes, .. } => codes.len(),
    };
    let mut p = ColumnProfile {
        name: name.to_string(),
        kind,
        count: 0,
        missing: 0,
        missing_pct: 0.0,
        distinct: 0,
        min: None,
        max: None,
        mean: None,
        std: None,
        median: None,
        q1: None,
        q3: None,
        skewness: None,
        zeros: None,
        negatives: None,
        outliers: None,
        histogram: Vec::new(),
        integer: false,
        top: Vec::new(),
        text_length: None,
        date_range: None,
        case_variants: Vec::new(),
        memory_bytes,
        approximate: Vec::new(),
        top_error: None,
        quantile_rank_error: None,
    };
    match values {
        ColumnValues::Numeric(v) => {
            let mut sorted: Vec<f64> = v.iter().flatten().copied().collect();
            let n = sorted.len();
            p.count = n;
            p.missing = rows - n;
            p.missing_pct = pct(p.missing, rows);
            p.integer = sorted.iter().all(|x| x.fract() == 0.0);
            if n == 0 {
                return p;
            }
            // Moments in row order (the order pandas sums in). Cubes of
            // values past 1e100 overflow and squares of values under 1e-150
            // vanish (1e-300s had a std of 0): such values are divided by
            // a power of two near the largest, which is exact, first.
            // One pass for the plain sum and the largest magnitude; the
            // scaled passes only when the magnitudes call for them.
            let (sum, largest) = sorted.iter().fold((0.0f64, 0.0f64), |(s, a), &x| (s + x, a.max(x.abs())));
            let scale = if largest > 1e100 || (largest > 0.0 && largest < 1e-100) { power_of_two(largest.log2().floor() as i32) } else { 1.0 };
            let (shift, mean_shifted) = if scale == 1.0 {
                let shift = sum / n as f64;
                (shift, sorted.iter().map(|&x| x - shift).sum::<f64>() / n as f64)
            } else {
                assoc::centred_mean_by(&sorted, |x| x / scale)
            };
            // Dividing by a power of two is multiplying by its inverse,
            // exactly, and faster; but the inverse of a subnormal scale
            // (under 2^-1022) overflows, and there only division is exact.
            let inverse = 1.0 / scale;
            let unscale = |x: f64| if inverse.is_finite() { x * inverse } else { x / scale };
            let (mut m2, mut m3) = (0.0, 0.0);
            for &x in &sorted {
                let d = (unscale(x) - shift) - mean_shifted;
                m2 += d * d;
                m3 += d * d * d;
            }
            let mean = (shift + mean_shifted) * scale;
            sort_numbers(&mut sorted);
            // Runs of equal values: distinct count and top values.
            let mut runs: Vec<(f64, usize)> = Vec::new();
            for &x in &sorted {
                match runs.last_mut() {
                    Some((y, c)) if *y == x => *c += 1,
                    _ => runs.push((x, 1)),
                }
            }
            p.distinct = runs.len();
            let show = |x: f64| if kind.is_time() { format_time(x) } else { format_number(if x == 0.0 { 0.0 } else { x }) };
            p.top = top_indices(runs.iter().map(|r| r.1).enumerate(), TOP_VALUES)
                .into_iter()
                .filter(|&i| !sampled || runs.len() <= 100 || stands_out_locally(&runs, i))
                .map(|i| ValueCount { value: show(runs[i].0), count: runs[i].1 })
                .collect();
            drop_unrepeated(&mut p.top);
            p.min = Some(sorted[0]);
            p.max = Some(sorted[n - 1]);
            p.mean = Some(mean).filter(|m| m.is_finite());
            if n > 1 {
                p.std = Some((m2 / (n - 1) as f64).sqrt() * scale).filter(|s| s.is_finite());
            }
            if n > 2 && m2 > 0.0 {
                let nf = n as f64;
                let (mm2, mm3) = (m2 / nf, m3 / nf);
                let g1 = mm3 / mm2.powf(1.5);
                p.skewness = Some(g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0)).filter(|s| s.is_finite());
            }
            let (q1, med, q3) = (quantile(&sorted, 0.25), quantile(&sorted, 0.5), quantile(&sorted, 0.75));
            p.q1 = Some(q1);
            p.median = Some(med);
            p.q3 = Some(q3);
            p.histogram = histogram(&sorted, p.distinct);
            if kind.is_time() {
                p.date_range = Some(DateRange { min: format_time(sorted[0]), max: format_time(sorted[n - 1]), zone: None });
            } else {
                p.zeros = Some(sorted.iter().filter(|&&x| x == 0.0).count());
                p.negatives = Some(sorted.partition_point(|&x| x < 0.0));
                let iqr = q3 - q1;
                let (lower_fence, upper_fence) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
                p.outliers = Some(Outliers {
                    lower_fence,
                    upper_fence,
                    below: sorted.partition_point(|&x| x < lower_fence),
                    above: n - sorted.partition_point(|&x| x <= upper_fence),
                });
            }
        }
        ColumnValues::Categorical { levels, codes } => {
            let mut counts = vec![0usize; levels.len()];
            for c in codes.iter().flatten() {
                counts[*c as usize] += 1;
            }
            let n: usize = counts.iter().sum();
            p.count = n;
            p.missing = rows - n;
            p.missing_pct = pct(p.missing, rows);
            label_figures(&mut p, levels, &counts);
        }
    }
    p
}

/// The indices of the `k` largest counts of `(index, count)` pairs, largest
/// first and ties in index order (what a stable sort by count gives),
/// selected without sorting every pair.
/// A number's top values are those that repeat: the smallest few of a
/// column of distinct measurements, each once, read as its most frequent
/// ("-3.25095852 ×1"), also after one repeated latitude; its range and
/// histogram say what it holds. (Labels each once keep theirs: examples
/// of what a text column holds.)
fn drop_unrepeated(top: &mut Vec<ValueCount>) {
    if top.len() > 1 {
        top.retain(|t| t.count > 1);
    }
}

fn top_indices(items: impl Iterator<Item = (usize, usize)>, k: usize) -> Vec<usize> {
    let mut keyed: Vec<(std::cmp::Reverse<usize>, usize)> = items.map(|(i, c)| (std::cmp::Reverse(c), i)).collect();
    if k == 0 {
        return Vec::new();
    }
    if keyed.len() > k {
        keyed.select_nth_unstable(k - 1);
        keyed.truncate(k);
    }
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Distinct labels, top labels, lengths and case variants from `counts`
/// of `levels` (in first-appearance order).
fn label_figures(p: &mut ColumnProfile, levels: &[String], counts: &[usize]) {
    let n: usize = counts.iter().sum();
    {
        {
            p.distinct = counts.iter().filter(|&&c| c > 0).count();
            // `levels` are in first-appearance order; a stable sort keeps that for ties.
            let used = counts.iter().copied().enumerate().filter(|&(_, c)| c > 0);
            p.top = top_indices(used, TOP_VALUES).into_iter().map(|i| ValueCount { value: clip(&levels[i]), count: counts[i] }).collect();
            if n > 0 {
                let lens: Vec<usize> = levels.iter().map(|l| l.chars().count()).collect();
                let used = || (0..levels.len()).filter(|&i| counts[i] > 0);
                p.text_length = Some(TextLength {
                    min: used().map(|i| lens[i]).min().unwrap_or(0),
                    max: used().map(|i| lens[i]).max().unwrap_or(0),
                    mean: used().map(|i| (lens[i] * counts[i]) as f64).sum::<f64>() / n as f64,
                });
            }
            let variants = case_variant_groups(levels, counts);
            p.case_variants = variants.into_iter().take(5).map(|g| g.into_iter().take(5).map(|i| clip(&levels[i])).collect()).collect();
        }
    }
}

/// Puts the all-row figures of a sampled column into its profile (made
/// from the kept rows) and lists what stays an estimate.
/// Times a number (or, in a sampled file, a label) must be seen to be
/// listed as a top value: a count of 10 has a relative standard error of
/// about 30%.
pub const SAMPLED_TOP_MIN: usize = 10;

/// Whether a value seen `count` times among `kept` present kept values of
/// `distinct` different ones is listed as a top value of a sampled column:
/// seen [`SAMPLED_TOP_MIN`] times, and, among more than 100 different
/// values, three times the typical count. The most seen of thousands of
/// rare values is high by chance: 22 sightings where 7.75 are typical
/// stood for ≈175 rows of a value in 62.
fn sampled_top_stands_out(count: usize, kept: usize, distinct: usize) -> bool {
    count >= SAMPLED_TOP_MIN && (distinct <= 100 || count as f64 >= 3.0 * kept as f64 / distinct.max(1) as f64)
}

/// Distinct values each side of a number whose counts give the count
/// typical where it is.
const NEIGHBOURS: usize = 50;

/// Sightings in a sample from which a count, scaled, is close enough
/// (a relative standard error of 5%) to be listed whether or not it
/// stands out.
const SAMPLED_TOP_SURE: usize = 400;

/// Whether the number at `i` of `runs` (distinct values in order, with
/// their counts in a sample's rows) may be listed as a top value: seen
/// [`SAMPLED_TOP_SURE`] times, or far more often than the numbers around
/// it: at least [`SAMPLED_TOP_MIN`] times, three times their mean count λ
/// and λ + 6√λ + 3 (beyond what the most seen of a million values of
/// that mean reaches by chance). On a smooth distribution the most seen
/// of rare numbers is chance: 18 million normal values with four decimals
/// listed "103.8056" as seen ≈128 times (68 in fact), and the most seen,
/// 95.1814 (80), not at all. A spike (0 in a column of amounts, a
/// rounded 100) stands out.
fn stands_out_locally(runs: &[(f64, usize)], i: usize) -> bool {
    if runs[i].1 >= SAMPLED_TOP_SURE {
        return true;
    }
    let around = runs[i.saturating_sub(NEIGHBOURS)..(i + NEIGHBOURS + 1).min(runs.len())].iter().map(|r| r.1);
    let (n, total) = (around.len() - 1, around.sum::<usize>() - runs[i].1);
    // With no neighbours there is nothing to stand out from: the global
    // rule decides.
    if n == 0 {
        return true;
    }
    let lambda = total as f64 / n as f64;
    let count = runs[i].1 as f64;
    runs[i].1 >= SAMPLED_TOP_MIN && count >= 3.0 * lambda && count >= lambda + 6.0 * lambda.sqrt() + 3.0
}

fn apply_summary(p: &mut ColumnProfile, s: &ColumnSummary, rows: usize) {
    let kept_count = p.count;
    let kept_distinct = p.distinct;
    // Counts from the kept rows, scaled to all present values.
    let factor = if kept_count == 0 { 1.0 } else { s.count as f64 / kept_count as f64 };
    let scale = |c: usize| (c as f64 * factor).round() as usize;
    p.count = s.count;
    p.missing = s.missing;
    p.missing_pct = pct(s.missing, rows);
    let estimate = (s.distinct_estimate.round() as usize).clamp(p.distinct.min(s.count), s.count);
    let mut approx: Vec<&str> = Vec::new();
    if p.kind.is_numeric() {
        if let Some(m) = s.numbers.as_ref().filter(|m| m.n > 0) {
            p.min = Some(m.min);
            p.max = Some(m.max);
            p.mean = Some(m.mean).filter(|x| x.is_finite());
            p.std = m.std();
            p.skewness = m.skewness();
            p.integer = m.fractional == 0;
            if p.kind.is_time() {
                p.date_range = Some(DateRange { min: format_time(m.min), max: format_time(m.max), zone: None });
            } else {
                p.zeros = Some(m.zeros);
                p.negatives = Some(m.negatives);
            }
        } else if s.count > 0 {
            approx.extend(["min", "max", "mean", "std", "skewness", "integer"]);
            approx.extend(if p.kind.is_time() { &["dateRange"][..] } else { &["zeros", "negatives"][..] });
        }
        p.distinct = estimate;
        if let Some(([q1, median, q3], error)) = s.quartiles {
            p.q1 = Some(q1);
            p.median = Some(median);
            p.q3 = Some(q3);
            p.quantile_rank_error = Some(error);
        }
        if let Some(o) = &mut p.outliers {
            o.below = scale(o.below);
            o.above = scale(o.above);
        }
        for b in &mut p.histogram {
            b.count = scale(b.count);
        }
        // A number seen a few times among the kept rows says little of its
        // count in all rows (seen once, every unique ID became "≈32" at a
        // stride of 32): only those that stand out are listed, scaled.
        p.top.retain(|t| sampled_top_stands_out(t.count, kept_count, kept_distinct));
        for t in &mut p.top {
            t.count = scale(t.count);
        }
        approx.extend(["distinct", "median", "q1", "q3"]);
        if p.outliers.is_some() {
            approx.push("outliers");
        }
        approx.extend(["histogram", "top"]);
    } else {
        match (&s.labels, s.labels_error, s.labels_seeded) {
            (Some(list), None, false) => {
                let (levels, counts): (Vec<String>, Vec<usize>) = list.iter().cloned().unzip();
                let text = p.text_length.take();
                label_figures(p, &levels, &counts);
                if s.text_lengths.is_none() {
                    p.text_length = text;
                }
            }
            (Some(list), error, _) => {
                // A count no larger than the summary's error, or seen under
                // SAMPLED_TOP_MIN times, ranks nothing (a unique label's 1).
                let least = SAMPLED_TOP_MIN.max(error.map_or(0, |e| e + 1));
                let mut order: Vec<usize> = (0..list.len()).filter(|&i| list[i].1 >= least).collect();
                order.sort_by(|&a, &b| list[b].1.cmp(&list[a].1));
                p.top = order.iter().take(TOP_VALUES).map(|&i| ValueCount { value: clip(&list[i].0), count: list[i].1 }).collect();
                p.top_error = error;
                p.distinct = estimate;
                approx.extend(["distinct", "top", "caseVariants"]);
            }
            (None, _, _) => {
                p.top.retain(|t| sampled_top_stands_out(t.count, kept_count, kept_distinct));
                for t in &mut p.top {
                    t.count = scale(t.count);
                }
                p.distinct = estimate;
                approx.extend(["distinct", "top", "caseVariants"]);
            }
        }
        match s.text_lengths {
            Some((min, max, total)) if s.count > 0 => p.text_length = Some(TextLength { min, max, mean: total as f64 / s.count as f64 }),
            Some(_) => {}
            None => approx.push("textLength"),
        }
    }
    p.approximate = approx.into_iter().map(String::from).collect();
}

/// A label trimmed, with inner whitespace collapsed and lower-cased: the
/// form [`crate::prepare::StepSpec::NormalizeLabels`] gives.
pub fn normalize_label(s: &str) -> String {
    normalize_label_cow(s).into_owned()
}

/// [`normalize_label`] without allocating when the label is already normal.
fn normalize_label_cow(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    let plain = b.iter().all(|&c| c.is_ascii() && !c.is_ascii_uppercase() && (c == b' ' || !c.is_ascii_whitespace()))
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ");
    if plain {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
    }
}

/// Groups (of two or more) of used labels equal once normalised, each in
/// index order, the groups in order: by hashing the normalised forms and
/// radix-sorting the hashes (a million distinct labels in milliseconds,
/// where a map of them took about a second), equal hashes confirmed by
/// comparing the forms.
fn case_variant_groups(levels: &[String], counts: &[usize]) -> Vec<Vec<usize>> {
    let mut keyed: Vec<(u64, usize)> = (0..levels.len()).filter(|&i| counts[i] > 0).map(|i| (crate::data::text_key(&normalize_label_cow(&levels[i])), i)).collect();
    // Stable: equal hashes keep index order.
    radsort::sort_by_key(&mut keyed, |k| k.0);
    let mut variants: Vec<Vec<usize>> = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        // Within one hash, split by the normalised form (collisions are rare).
        let mut groups: Vec<(std::borrow::Cow<str>, Vec<usize>)> = Vec::new();
        for &(_, i) in run {
            let form = normalize_label_cow(&levels[i]);
            match groups.iter_mut().find(|g| g.0 == form) {
                Some(g) => g.1.push(i),
                None => groups.push((form, vec![i])),
            }
        }
        variants.extend(groups.into_iter().map(|g| g.1).filter(|g| g.len() > 1));
    }
    variants.sort();
    variants
}

/// Rows equal, in every column, to an earlier row (exact: equal hashes
/// are confirmed value by value).
fn duplicate_rows(ds: &Dataset) -> usize {
    let all: Vec<usize> = (0..ds.n_rows).collect();
    ds.n_rows - ds.first_of_duplicates(&all).len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{parse_csv, ParseOptions};

    /// A share above nothing never reads "0.0%", one below all never
    /// "100.0%": one missing cell in 3,000 is "<0.1%".
    #[test]
    fn percentages_never_round_to_nothing_or_all() {
        let texts: Vec<String> = [0.0, 0.03, 0.05, 12.345, 99.94, 99.96, 100.0].iter().map(|&p| percent_text(p)).collect();
        assert_eq!(texts, ["0.0", "<0.1", "0.1", "12.3", "99.9", ">99.9", "100.0"]);
        let whole: Vec<String> = [0.0, 0.3, 0.5, 99.4, 99.6, 100.0].iter().map(|&p| percent_with(p, 0)).collect();
        assert_eq!(whole, ["0", "<1", "<1", "99", ">99", "100"]);
        let mut csv = String::from("a,b\n");
        for i in 0..3000 {
            csv.push_str(&format!("{i},{}\n", if i == 7 { "" } else { "x" }));
        }
        let p = profile(&ds(&csv));
        assert_eq!(p.columns[1].missing, 1);
        let html = crate::report::html(&p);
        // The column's missing values and the file's missing cells.
        assert_eq!(html.matches("<td class=n>1 (&lt;0.1%)</td>").count(), 2, "{}", &html[..html.len().min(3000)]);
    }

    fn ds(s: &str) -> Dataset {
        parse_csv(s.as_bytes(), "t.csv", &ParseOptions::default()).unwrap()
    }

    #[test]
    fn numeric_and_categorical_columns() {
        let p = profile(&ds("x,c\n1,a\n2,b\n,a\n4,\n4,a\n"));
        let x = &p.columns[0];
        assert_eq!((x.count, x.missing, x.distinct), (4, 1, 3));
        assert_eq!((x.min, x.max, x.mean), (Some(1.0), Some(4.0), Some(2.75)));
        // pandas: Series([1,2,4,4]).std() == 1.5, .quantile([.25,.5,.75]) == 1.75, 3, 4
        assert_eq!(x.std, Some(1.5));
        assert_eq!((x.q1, x.median, x.q3), (Some(1.75), Some(3.0), Some(4.0)));
        assert!(x.integer);
        assert_eq!(x.top[0], ValueCount { value: "4".into(), count: 2 });
        assert_eq!(x.missing_pct, 20.0);
        let c = &p.columns[1];
        assert_eq!((c.count, c.missing, c.distinct), (4, 1, 2));
        assert_eq!(c.top[0], ValueCount { value: "a".into(), count: 3 });
        assert_eq!(c.top[1], ValueCount { value: "b".into(), count: 1 });
        assert_eq!(c.text_length, Some(TextLength { min: 1, max: 1, mean: 1.0 }));
    }

    /// Values near f64's limit overflow a plain sum; the mean, spread and
    /// histogram are still given (numpy on the values scaled by 1.7e308:
    /// mean 5.4e307, std 1.0526157893552615e308).
    #[test]
    fn values_near_the_f64_limit_keep_their_statistics() {
        let p = profile(&ds("a\n1e308\n-1e308\n1e308\n5\n1.7e308\n"));
        let c = &p.columns[0];
        // Within two units in the last place of numpy's (the sum's order
        // differs).
        let mean = c.mean.unwrap();
        assert!((mean / 5.4e307 - 1.0).abs() <= 4.5e-16, "{mean}");
        // Skewness too, now that the cubes are summed scaled (pandas `skew`
        // of the values divided by 1.7e308: -0.7338602859651895).
        let skew = c.skewness.unwrap();
        assert!((skew / -0.7338602859651895 - 1.0).abs() < 1e-12, "{skew}");
        let std = c.std.unwrap();
        assert!((std / 1.0526157893552615e308 - 1.0).abs() < 1e-12, "{std}");
        assert!(c.histogram.iter().all(|b| b.start.is_finite() && b.end.is_finite()), "{:?}", c.histogram);
        assert_eq!(c.histogram.iter().map(|b| b.count).sum::<usize>(), 5);
        assert_eq!((c.histogram[0].start, c.histogram.last().unwrap().end), (-1e308, 1.7e308));
    }

    /// Subnormal values (2.9e-319, 5e-324) have a mean and a spread: their
    /// scale was 2f64.powi(-1060), which is 0, and the mean NaN (shown as
    /// none). numpy's mean of these values is 1.18003e-319 (their sum is
    /// exact, then one division, as here); its std is 0, as their squares
    /// underflow, so the spread is checked against the exact one
    /// (31790.5 units of 5e-324, rounded to 1.5707e-319) within one unit.
    #[test]
    fn subnormal_values_have_a_mean_and_spread() {
        let p = profile(&ds("a\n2.9e-319\n5e-324\n2.9e-319\n5e-324\n1e-320\n"));
        let c = &p.columns[0];
        assert_eq!(c.mean, Some(1.18003e-319));
        let std = c.std.unwrap();
        assert!((std - 1.5707e-319).abs() <= 5e-324, "{std:e}");
        assert_eq!((c.min, c.max), (Some(5e-324), Some(2.9e-319)));
        assert_eq!(power_of_two(-1074), 5e-324);
        assert_eq!(power_of_two(-1022), f64::MIN_POSITIVE);
        assert_eq!(power_of_two(0), 1.0);
        assert_eq!(power_of_two(1023), 2f64.powi(1023));
    }

    /// Quartiles between values whose difference overflows (-1e308 and
    /// 1e308) are still given (numpy: median 0, q1 -5e307, q3 5e307); they
    /// were infinite or missing, and a median imputation written as null
    /// made the manifest unreadable.
    #[test]
    fn quartiles_between_values_spanning_f64_range() {
        let p = profile(&ds("a\n-1e308\n1e308\n-1e308\n1e308\n"));
        let c = &p.columns[0];
        assert_eq!((c.q1, c.median, c.q3), (Some(-1e308), Some(0.0), Some(1e308)));
        assert_eq!(quantile(&[-1e308, 1e308], 0.25), -5e307);
        assert_eq!(quantile(&[-1e308, 1e308], 0.75), 5e307);
        assert_eq!(quantile(&[-1e308, 1e308], 0.0), -1e308);
        assert_eq!(quantile(&[1.0, 2.0], 0.5), 1.5);
    }

    /// Tiny values (1e-300s) kept their spread, and values at a large
    /// offset (IDs near 2^52) their skewness and correlation ratio: the
    /// squares underflowed to a std of 0, and the plain sums' rounding
    /// moved the skewness by 0.3% (pandas: 0.0121285046351875).
    #[test]
    fn tiny_values_and_large_offsets_keep_their_moments() {
        let tiny: String = (0..200).map(|i| format!("{}e-300\n", 1 + (i * 37) % 101)).collect();
        let p = profile(&ds(&format!("t\n{tiny}")));
        let t = &p.columns[0];
        let values: Vec<f64> = (0..200).map(|i| (1 + (i * 37) % 101) as f64).collect();
        let mean = values.iter().sum::<f64>() / 200.0;
        let std = (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 199.0).sqrt();
        assert!((t.std.unwrap() / (std * 1e-300) - 1.0).abs() < 1e-12, "{:?} vs {}", t.std, std * 1e-300);
        assert!(t.skewness.is_some());
        // Offsets: the same spread at 0 and at 2^52 gives the same skewness.
        let spread: Vec<u64> = (0..5000u64).map(|i| (i * i * 7919) % 1_000_003).collect();
        let at = |offset: u64| {
            let csv: String = std::iter::once("x,g\n".to_string()).chain(spread.iter().enumerate().map(|(i, v)| format!("{},{}\n", offset + v, ["a", "b", "c"][i % 3]))).collect();
            let p = profile(&ds(&csv));
            let eta = p.associations.pairs.iter().find(|a| a.measure == crate::profile::assoc::Measure::CorrelationRatio).map(|a| a.value);
            (p.columns[0].skewness.unwrap(), eta.unwrap())
        };
        let ((s0, e0), (s52, e52)) = (at(0), at(1 << 52));
        assert!((s52 / s0 - 1.0).abs() < 1e-9, "skewness {s52} at 2^52 vs {s0} at 0");
        assert!((e52 / e0 - 1.0).abs() < 1e-9, "correlation ratio {e52} at 2^52 vs {e0} at 0");
    }

    /// A label column with a label of its own in most rows (JSON blobs,
    /// names) is not paired: each row its own group gave η = 1 with every
    /// number and the target. A label column of few labels still is.
    #[test]
    fn labels_of_their_own_are_not_paired() {
        let csv: String = std::iter::once("id,blob,grp,y\n".to_string())
            .chain((0..40).map(|i| format!("{i},\"{{\"\"k\"\": {}}}\",{},{}\n", i * 7, ["a", "b"][i % 2], (i * 13) % 17)))
            .collect();
        let d = ds(&csv);
        let p = profile_with(&d, &ProfileOptions { target: Some("y".into()), ..Default::default() }).unwrap();
        let skipped = p.associations.skipped.iter().find(|s| s.column == "blob").expect("blob skipped");
        assert!(skipped.reason.starts_with("40 distinct labels in 40 rows"), "{}", skipped.reason);
        let named = |a: &crate::profile::assoc::Association| a.a == "blob" || a.b == "blob";
        assert!(!p.associations.pairs.iter().any(named) && !p.associations.target.iter().any(named));
        assert!(p.associations.pairs.iter().any(|a| a.a == "grp" || a.b == "grp"));
    }

    /// A sampled column's top values: a value typical among many rare ones
    /// is not listed (its count is high by chance), one that stands out
    /// is; among few values, each seen ten times is.
    #[test]
    fn sampled_top_values_must_stand_out() {
        use super::sampled_top_stands_out as stands;
        assert!(!stands(22, 77_500, 10_000));
        assert!(stands(400, 77_500, 10_000));
        assert!(stands(12, 120, 12));
        assert!(!stands(9, 90, 10));
    }

    /// A sampled column of smooth numbers lists as top values only those
    /// that stand out from the numbers around them (a spike at 100) or
    /// are seen often enough to scale well: the most seen of the others
    /// is chance, and its scaled count was too high. A column of few
    /// values lists them all.
    #[test]
    fn sampled_numbers_list_only_spikes_as_top_values() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut uniform = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut csv = String::from("x,k\n");
        for i in 0..300_000 {
            let z = (-2.0 * uniform().max(1e-12).ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
            let x = if i % 25 == 0 { "100.0".to_string() } else { format!("{:.1}", 100.0 + 10.0 * z) };
            csv.push_str(&format!("{x},{}\n", i % 5));
        }
        let opts = ParseOptions { max_memory_bytes: 200_000, ..ParseOptions::default() };
        let ds = crate::data::parse_csv(csv.as_bytes(), "smooth.csv", &opts).unwrap();
        let stride = ds.sample.as_ref().expect("sampled").stride;
        assert!(stride >= 8, "stride {stride}");
        let p = profile(&ds);
        let x = &p.columns[0];
        assert_eq!(x.top.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(), ["100"], "{:?}", x.top);
        // 4% of rows, within the sample's error.
        assert!((x.top[0].count as f64 / 12_000.0 - 1.0).abs() < 0.25, "{:?}", x.top[0]);
        assert_eq!(p.columns[1].top.len(), 5, "{:?}", p.columns[1].top);
    }

    #[test]
    fn all_missing_column_has_no_statistics() {
        let p = profile(&ds("x,y\n,1\n,2\n"));
        assert_eq!(p.columns[0].count, 0);
        assert_eq!(p.columns[0].mean, None);
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("NaN"));
    }

    #[test]
    fn the_profile_does_not_depend_on_the_thread_count() {
        let mut csv = String::from("a,b,c,d,when\n");
        for i in 0..3000u64 {
            let x = (i * 7919 % 1000) as f64 / 10.0;
            csv.push_str(&format!("{x},{},{},k{},2020-01-{:02}\n", (i % 17) as f64 * 1.5 - x / 3.0, ["red", "Red ", "blue", "green"][(i % 4) as usize], i % 9, 1 + i % 28));
        }
        let ds = ds(&csv);
        for target in [None, Some("a"), Some("c")] {
            let at = |threads| {
                let opts = ProfileOptions { target: target.map(String::from), threads, max_assoc_work: 20_000, ..Default::default() };
                serde_json::to_string(&profile_with(&ds, &opts).unwrap()).unwrap()
            };
            let one = at(1);
            assert!(one.contains("spearman") && one.contains("cramers_v"), "{one}");
            assert_eq!(at(2), one);
            assert_eq!(at(5), one);
        }
    }

    #[test]
    fn case_variant_groups_match_a_map_of_normal_forms() {
        let mut levels = Vec::new();
        for i in 0..3000 {
            levels.push(format!("w{}", i % 1000));
            if i % 7 == 0 {
                levels.push(format!("W{} ", i % 1000));
            }
            if i % 11 == 0 {
                levels.push(format!(" w{}", i % 1000).replace('w', "w  "));
            }
        }
        let counts: Vec<usize> = (0..levels.len()).map(|i| usize::from(i % 13 != 0)).collect();
        let mut map: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for i in (0..levels.len()).filter(|&i| counts[i] > 0) {
            map.entry(normalize_label(&levels[i])).or_default().push(i);
        }
        let mut want: Vec<Vec<usize>> = map.into_values().filter(|g| g.len() > 1).collect();
        want.sort();
        assert!(want.len() > 100);
        assert_eq!(case_variant_groups(&levels, &counts), want);
    }

    #[test]
    fn radix_sort_orders_as_total_cmp() {
        let mut state = 5u64;
        let mut v: Vec<f64> = (0..50_000)
            .map(|i| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                match i % 7 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => f64::from_bits(state) % 1e6,
                    3 => -((state >> 11) as f64),
                    4 => f64::MIN_POSITIVE * (state % 5) as f64,
                    5 => (state % 100) as f64 - 50.0,
                    _ => f64::from_bits(state >> 2),
                }
            })
            .filter(|x| x.is_finite())
            .collect();
        v.extend([f64::MAX, f64::MIN, -f64::MIN_POSITIVE, 5e-324, -5e-324]);
        let mut want = v.clone();
        want.sort_unstable_by(f64::total_cmp);
        radsort::sort(&mut v);
        assert_eq!(v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
    }

    /// Counting whole numbers gives the radix sort's order, bit for bit;
    /// values it cannot count go to the radix sort.
    #[test]
    fn counted_whole_numbers_sort_as_the_radix_sort() {
        let mut state = 7u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let day = 86_400.0;
        let cases: Vec<(&str, Vec<f64>, bool)> = vec![
            ("small integers", (0..5000).map(|_| (next() % 200) as f64 - 100.0).collect(), true),
            ("a wide range of integers", (0..5000).map(|_| (next() % 1_000_000) as f64).collect(), false),
            ("dates, in seconds", (0..5000).map(|_| (next() % 20_000) as f64 * day).collect(), false),
            ("a range just within", (0..5000).map(|i| if i == 0 { 65_535.0 } else { (next() % 100) as f64 }).collect(), true),
            ("a range just past", (0..5000).map(|i| if i == 0 { 65_536.0 } else { (next() % 100) as f64 }).collect(), false),
            ("with -0", (0..5000).map(|i| if i == 3 { -0.0 } else { (next() % 10) as f64 }).collect(), false),
            ("a fraction", (0..5000).map(|i| if i == 4000 { 0.5 } else { (next() % 10) as f64 }).collect(), false),
            ("near 2^53", vec![9_007_199_254_740_990.0, 9_007_199_254_740_991.0, 9_007_199_254_740_992.0], false),
            ("one value", vec![42.0; 10], true),
            ("none", vec![], false),
        ];
        for (name, v, counted) in cases {
            assert_eq!(counting_plan(&v).is_some(), counted, "{name}");
            let mut got = v.clone();
            sort_numbers(&mut got);
            let mut want = v.clone();
            radsort::sort(&mut want);
            assert_eq!(got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "{name}");
        }
    }

    /// Times written without a zone are not called UTC: their range says
    /// the zone is not stated (in the profile and the HTML report); times
    /// with `Z` or an offset are UTC.
    #[test]
    fn naive_times_are_not_said_to_be_utc() {
        let zone = |csv: &str| {
            let p = profile(&ds(csv));
            (p.columns[0].date_range.clone().and_then(|r| r.zone), crate::report::html(&p))
        };
        for naive in ["t\n2024-03-01 12:00:00\n2024-03-02 13:00:00\n", "t\n2024-03-01T12:00\n2024-03-02T13:30\n"] {
            let (z, html) = zone(naive);
            assert_eq!(z.as_deref(), Some("not_stated"), "{naive}");
            assert!(html.contains("(local time, zone not stated)") && !html.contains("UTC"), "{naive}");
        }
        for zoned in ["t\n2024-03-01T12:00:00Z\n2024-03-02T13:00:00Z\n", "t\n2024-03-01T12:00:00+02:00\n2024-03-02T13:00:00+02:00\n", "t\n2024-03-01T12:00:00Z\n2024-03-02T13:00:00\n"] {
            let (z, html) = zone(zoned);
            assert_eq!(z.as_deref(), Some("utc"), "{zoned}");
            assert!(html.contains("(UTC)"), "{zoned}");
        }
        // Dates have no time of day, and no zone to state.
        assert_eq!(zone("t\n2024-03-01\n2024-03-02\n").0, None);
    }

    #[test]
    fn top_indices_match_a_stable_sort_by_count() {
        let counts = [3usize, 7, 3, 9, 7, 1, 3, 9, 2];
        let mut stable: Vec<usize> = (0..counts.len()).collect();
        stable.sort_by(|&a, &b| counts[b].cmp(&counts[a]));
        for k in 0..=counts.len() + 1 {
            let want: Vec<usize> = stable.iter().copied().take(k).collect();
            assert_eq!(top_indices(counts.iter().copied().enumerate(), k), want, "k = {k}");
        }
    }

    #[test]
    fn histogram_follows_numpy() {
        // numpy.histogram([0,1,2,3,4,5,6,7,8,10], bins=10) counts
        let v: Vec<f64> = [0., 1., 2., 3., 4., 5., 6., 7., 8., 10.].to_vec();
        let h = histogram(&v, 10);
        assert_eq!(h.iter().map(|b| b.count).collect::<Vec<_>>(), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(h[9].end, 10.0);
        let h = histogram(&[1.0, 1.0], 1);
        assert_eq!(h, vec![Bin { start: 1.0, end: 1.0, count: 2 }]);
    }

    #[test]
    fn dataset_figures() {
        let p = profile(&ds("a,b\n1,x\n1,x\n2,x\n1,x\n,y\n,y\n"));
        assert_eq!(p.dataset.duplicate_rows, 3);
        assert_eq!(p.dataset.missing_cells, 2);
        // By the cost model, the same on every platform: 6 numbers × 8
        // bytes, 6 labels × 4, and the texts "x" and "y" once each.
        assert_eq!(p.dataset.memory_bytes, 6 * 8 + 6 * 4 + 2);
    }

    #[test]
    fn dates_text_and_case_variants() {
        let p = profile(&ds("d,c\n2024-03-01,Red\n2024-01-15,red \n2024-02-01,Blue\n"));
        assert_eq!(p.columns[0].date_range, Some(DateRange { min: "2024-01-15".into(), max: "2024-03-01".into(), zone: None }));
        // Each date once: none is listed as the most frequent; the labels,
        // each once too, stay as examples.
        assert!(p.columns[0].top.is_empty(), "{:?}", p.columns[0].top);
        assert_eq!(p.columns[1].top.len(), 3);
        assert_eq!(p.columns[1].case_variants, vec![vec!["Red".to_string(), "red".to_string()]]);
        let p = profile(&ds("d,x
2024-03-01,0.5
2024-01-15,-3.25095852
2024-03-01,7
"));
        assert_eq!(p.columns[0].top, [ValueCount { value: "2024-03-01".into(), count: 2 }]);
        assert!(p.columns[1].top.is_empty(), "{:?}", p.columns[1].top);
    }
}
