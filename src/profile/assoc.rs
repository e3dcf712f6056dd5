//! Data management, profile: associations between columns — Pearson and
//! Spearman between numbers, Cramér's V between label columns, the
//! correlation ratio between a number and labels — and with the target.
//!
//! Cost is bounded: at most `max_assoc_columns` columns are paired (the
//! others are listed as skipped, with the reason; with a target they are
//! still measured against it), label columns with more
//! than [`MAX_LEVELS`] labels are skipped, and when rows × pairs exceeds
//! `max_assoc_work` a sample of rows (one in `step`, by a hash of the row
//! number) is used and reported. Missing
//! values are left out pair by pair. No wasm here.

use serde::{Deserialize, Serialize};

use super::{ColumnProfile, ProfileOptions};
use crate::data::{ColumnValues, Dataset};

/// Label columns with more distinct labels than this are not paired.
pub const MAX_LEVELS: usize = 50;

/// Which association a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Pearson's r, from -1 to 1.
    Pearson,
    /// Spearman's rank correlation, from -1 to 1 (ties get average ranks).
    Spearman,
    /// Cramér's V (no bias correction), from 0 to 1.
    CramersV,
    /// Correlation ratio η of a number given labels, from 0 to 1.
    CorrelationRatio,
}

impl Measure {
    /// Its name as a reader knows it: "Pearson r", "correlation ratio η".
    pub fn label(self) -> &'static str {
        match self {
            Measure::Pearson => "Pearson r",
            Measure::Spearman => "Spearman ρ",
            Measure::CramersV => "Cramér's V",
            Measure::CorrelationRatio => "correlation ratio η",
        }
    }
}

/// One association between two columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Association {
    /// First column.
    pub a: String,
    /// Second column (for target associations, the target).
    pub b: String,
    /// Which measure.
    pub measure: Measure,
    /// The figure.
    pub value: f64,
    /// Rows where both were present (in the sample, if sampled).
    pub n: usize,
}

/// A column left out of the pairwise associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// Column name.
    pub column: String,
    /// Why, in words.
    pub reason: String,
}

/// Every association computed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Associations {
    /// Column pairs, strongest (by absolute value) first.
    pub pairs: Vec<Association>,
    /// Each feature with the target, strongest first (Pearson for two
    /// numbers, η for a number and labels, V for two label columns).
    pub target: Vec<Association>,
    /// Columns that were paired, in file order.
    pub columns: Vec<String>,
    /// Columns that were not, with the reason.
    pub skipped: Vec<Skipped>,
    /// Rows used, when a sample was taken; the figures are then
    /// approximate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sampled_rows: Option<usize>,
}

/// One column's values on the rows used (all rows, or the sample),
/// gathered once so that every pair reads them contiguously.
enum Data {
    Num(Vec<Option<f64>>),
    Cat(Vec<Option<u32>>, usize),
}

/// The mean of `f` over `x` as a shift `c` (the plain mean) and the mean
/// `m` of the values less `c`: deviations are taken as `(f(v) - c) - m`.
/// Values at a large offset with a small spread (epoch milliseconds, IDs
/// near 2^52, where a double has no fractions) keep their spread that way:
/// the plain mean's rounding moved a skewness by 0.3%.
pub(crate) fn centred_mean_by(x: &[f64], f: impl Fn(f64) -> f64) -> (f64, f64) {
    let n = x.len() as f64;
    let c = x.iter().map(|&v| f(v)).sum::<f64>() / n;
    if !c.is_finite() {
        return (c, 0.0);
    }
    (c, x.iter().map(|&v| f(v) - c).sum::<f64>() / n)
}

/// Pearson's r of paired values.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let ((cx, mx), (cy, my)) = (centred_mean_by(x, |v| v), centred_mean_by(y, |v| v));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = ((a - cx) - mx, (b - cy) - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let r = sxy / (sxx * syy).sqrt();
    r.is_finite().then(|| r.clamp(-1.0, 1.0))
}

/// Ranks from 1, ties given their average rank.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && x[order[j]] == x[order[i]] {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0;
        for &k in &order[i..j] {
            r[k] = avg;
        }
        i = j;
    }
    r
}

/// Cramér's V of paired label codes (`r` and `c` labels).
pub fn cramers_v(x: &[u32], y: &[u32], r: usize, c: usize) -> Option<f64> {
    let n = x.len();
    let mut table = vec![0usize; r * c];
    for (&a, &b) in x.iter().zip(y) {
        table[a as usize * c + b as usize] += 1;
    }
    let rows: Vec<usize> = (0..r).map(|i| table[i * c..(i + 1) * c].iter().sum()).collect();
    let cols: Vec<usize> = (0..c).map(|j| (0..r).map(|i| table[i * c + j]).sum()).collect();
    let (rr, cc) = (rows.iter().filter(|&&v| v > 0).count(), cols.iter().filter(|&&v| v > 0).count());
    if n == 0 || rr < 2 || cc < 2 {
        return None;
    }
    let mut chi2 = 0.0;
    for i in (0..r).filter(|&i| rows[i] > 0) {
        for j in (0..c).filter(|&j| cols[j] > 0) {
            let e = rows[i] as f64 * cols[j] as f64 / n as f64;
            let d = table[i * c + j] as f64 - e;
            chi2 += d * d / e;
        }
    }
    Some((chi2 / n as f64 / (rr.min(cc) - 1) as f64).sqrt().min(1.0))
}

/// Correlation ratio η of numbers `y` given label codes `g` (`k` labels).
pub fn correlation_ratio(g: &[u32], y: &[f64], k: usize) -> Option<f64> {
    let n = y.len();
    if n < 2 {
        return None;
    }
    // Sums of deviations: sums of the values themselves lose the spread of
    // large values (epoch milliseconds) to rounding.
    let (shift, mean) = centred_mean_by(y, |v| v);
    let mut sums = vec![0.0; k];
    let mut counts = vec![0usize; k];
    for (&c, &v) in g.iter().zip(y) {
        sums[c as usize] += (v - shift) - mean;
        counts[c as usize] += 1;
    }
    let between: f64 = (0..k).filter(|&i| counts[i] > 0).map(|i| {
        let d = sums[i] / counts[i] as f64;
        counts[i] as f64 * d * d
    }).sum();
    let total: f64 = y.iter().map(|v| ((v - shift) - mean) * ((v - shift) - mean)).sum();
    let eta = (between / total).sqrt();
    eta.is_finite().then(|| eta.min(1.0))
}

/// Dense value ids of a numeric column (equal values share an id, ids
/// follow value order; `u32::MAX` for missing) and the number of ids.
fn dense_ids(v: &[Option<f64>]) -> (Vec<u32>, usize) {
    let mut present: Vec<(f64, u32)> = v.iter().enumerate().filter_map(|(r, x)| x.map(|x| (x, r as u32))).collect();
    radsort::sort_by_key(&mut present, |p| p.0);
    let mut ids = vec![u32::MAX; v.len()];
    let mut id = 0u32;
    for (k, &(x, r)) in present.iter().enumerate() {
        if k > 0 && x != present[k - 1].0 {
            id += 1;
        }
        ids[r as usize] = id;
    }
    (ids, if present.is_empty() { 0 } else { id as usize + 1 })
}

/// Average ranks (from 1) of the values with dense ids `ids`, by counting:
/// exact, and linear in rows plus ids.
#[cfg(test)]
fn ranks_from_ids(ids: &[u32], d: usize) -> Vec<f64> {
    let mut out = Vec::new();
    ranks_into(ids, d, &mut Scratch::default(), &mut out);
    out
}

/// [`ranks_from_ids`] into `out`, with the counting buffers of `s`.
fn ranks_into(ids: &[u32], d: usize, s: &mut Scratch, out: &mut Vec<f64>) {
    s.counts.clear();
    s.counts.resize(d, 0);
    for &i in ids {
        s.counts[i as usize] += 1;
    }
    s.avg.clear();
    let mut start = 0.0;
    for &c in &s.counts {
        s.avg.push(start + (f64::from(c) + 1.0) / 2.0);
        start += f64::from(c);
    }
    out.clear();
    out.extend(ids.iter().map(|&i| s.avg[i as usize]));
}

/// Buffers reused from pair to pair: a million-row pair would otherwise
/// allocate (and fault in) tens of megabytes each time.
#[derive(Default)]
struct Scratch {
    xs: Vec<f64>,
    ys: Vec<f64>,
    ix: Vec<u32>,
    iy: Vec<u32>,
    rx: Vec<f64>,
    ry: Vec<f64>,
    gs: Vec<u32>,
    counts: Vec<u32>,
    avg: Vec<f64>,
}

/// A numeric column's dense value ids and their count (see [`dense_ids`]).
type Ids = (Vec<u32>, usize);

fn pair(a: &Data, b: &Data, ids: (Option<&Ids>, Option<&Ids>), spearman: bool, s: &mut Scratch) -> Vec<(Measure, Option<f64>, usize)> {
    match (a, b) {
        (Data::Num(x), Data::Num(y)) => {
            let ranked = match (spearman, ids) {
                (true, (Some((ix, dx)), Some((iy, dy)))) => Some((ix, *dx, iy, *dy)),
                _ => None,
            };
            s.xs.clear();
            s.ys.clear();
            s.ix.clear();
            s.iy.clear();
            for (r, (a, b)) in x.iter().zip(y.iter()).enumerate() {
                if let (Some(a), Some(b)) = (*a, *b) {
                    s.xs.push(a);
                    s.ys.push(b);
                    if let Some((ix, _, iy, _)) = ranked {
                        s.ix.push(ix[r]);
                        s.iy.push(iy[r]);
                    }
                }
            }
            let n = s.xs.len();
            let mut out = vec![(Measure::Pearson, pearson(&s.xs, &s.ys), n)];
            if let Some((_, dx, _, dy)) = ranked {
                // Ranks within the rows where both are present, as pandas does.
                let (ix, iy) = (std::mem::take(&mut s.ix), std::mem::take(&mut s.iy));
                let (mut rx, mut ry) = (std::mem::take(&mut s.rx), std::mem::take(&mut s.ry));
                ranks_into(&ix, dx, s, &mut rx);
                ranks_into(&iy, dy, s, &mut ry);
                out.push((Measure::Spearman, pearson(&rx, &ry), n));
                (s.ix, s.iy, s.rx, s.ry) = (ix, iy, rx, ry);
            }
            out
        }
        (Data::Cat(x, r), Data::Cat(y, c)) => {
            s.ix.clear();
            s.iy.clear();
            for (a, b) in x.iter().zip(y.iter()) {
                if let (Some(a), Some(b)) = (*a, *b) {
                    s.ix.push(a);
                    s.iy.push(b);
                }
            }
            vec![(Measure::CramersV, cramers_v(&s.ix, &s.iy, *r, *c), s.ix.len())]
        }
        (Data::Num(y), Data::Cat(g, k)) | (Data::Cat(g, k), Data::Num(y)) => {
            s.gs.clear();
            s.ys.clear();
            for (a, b) in g.iter().zip(y.iter()) {
                if let (Some(a), Some(b)) = (*a, *b) {
                    s.gs.push(a);
                    s.ys.push(b);
                }
            }
            vec![(Measure::CorrelationRatio, correlation_ratio(&s.gs, &s.ys, *k), s.ys.len())]
        }
    }
}

/// Computes the associations of `ds` (see the module documentation).
/// `totals_row`: the last row is a spreadsheet's totals (see
/// [`super::alerts::find_totals_row`]), left out: one row of sums made
/// any two summed columns correlate at 1.0.
pub(crate) fn associations(ds: &Dataset, profiles: &[ColumnProfile], target: Option<usize>, opts: &ProfileOptions, totals_row: bool) -> Associations {
    let mut out = Associations::default();
    let mut eligible = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let reason = if p.count < 2 || p.distinct < 2 {
            Some("fewer than two distinct values".to_string())
        } else if !p.kind.is_numeric() && p.distinct > MAX_LEVELS {
            Some(format!("{} distinct labels, over {MAX_LEVELS}", p.distinct))
        } else if !p.kind.is_numeric() && p.distinct * 2 > p.count {
            // Labels most of them in one row (an identifier, free text):
            // each row its own group, so η and V come out near 1 whatever
            // the other column holds.
            Some(format!("{} distinct labels in {} rows: most rows have a label of their own, so any association would be near 1 by construction", p.distinct, p.count))
        } else {
            None
        };
        match reason {
            Some(reason) => out.skipped.push(Skipped { column: p.name.clone(), reason }),
            None => eligible.push(i),
        }
    }
    let target_ok = target.is_some_and(|t| {
        let tp = &profiles[t];
        tp.count >= 2 && (tp.kind.is_numeric() || tp.distinct <= 1000)
    });
    // Past the first columns, pairs are not computed (their number grows
    // with the square of the columns), but each column is still measured
    // against the target: leakage hides in wide files too.
    let mut target_only = Vec::new();
    if eligible.len() > opts.max_assoc_columns {
        let reason = if target_ok {
            format!("only the first {} eligible columns are paired with each other; still measured against the target", opts.max_assoc_columns)
        } else {
            format!("only the first {} eligible columns are paired", opts.max_assoc_columns)
        };
        // (The target is measured against every column: not skipped.)
        for &i in eligible[opts.max_assoc_columns..].iter().filter(|&&i| Some(i) != target) {
            out.skipped.push(Skipped { column: profiles[i].name.clone(), reason: reason.clone() });
        }
        target_only = eligible.split_off(opts.max_assoc_columns);
        if !target_ok {
            target_only.clear();
        }
        target_only.retain(|&i| Some(i) != target);
    }
    let pairs = eligible.len() * eligible.len().saturating_sub(1) / 2 + eligible.len() + target_only.len();
    let step = (ds.n_rows * pairs.max(1)).div_ceil(opts.max_assoc_work.max(1)).max(1);
    // Hashed, not every step-th: periodic rows (24 readings a day) would
    // alias with a step that shares a factor with the period.
    let mut rows: Vec<usize> = crate::data::sample_rows(ds.n_rows, step);
    if totals_row {
        rows.retain(|&r| r + 1 != ds.n_rows);
    }
    if step > 1 || ds.sample.is_some() {
        out.sampled_rows = Some(rows.len());
    }
    out.columns = eligible.iter().map(|&i| profiles[i].name.clone()).collect();
    let gather = |i: usize| match &ds.columns[i].values {
        ColumnValues::Numeric(v) => Data::Num(rows.iter().map(|&r| v[r].get()).collect()),
        ColumnValues::Categorical { levels, codes } => Data::Cat(rows.iter().map(|&r| codes[r].get()).collect(), levels.len()),
    };
    // Paired columns first, then those measured against the target only.
    let mut used = eligible.clone();
    used.extend(&target_only);
    if let Some(t) = target.filter(|t| !used.contains(t)) {
        used.push(t);
    }
    let paired = eligible.len();
    let mut jobs = Vec::new();
    for k in 0..eligible.len() {
        for l in k + 1..eligible.len() {
            if Some(used[k]) != target && Some(used[l]) != target {
                jobs.push((k, l, true));
            }
        }
    }
    if let (Some(t), true) = (target.and_then(|t| used.iter().position(|&u| u == t)), target_ok) {
        jobs.extend((0..paired + target_only.len()).filter(|&k| k != t).map(|k| (k, t, false)));
    }
    // Each used column gathered once, with its dense value ids when it is
    // a paired number (Spearman ranks are counted from them).
    // `gathered[k]` is column `used[k]`; jobs name positions in `used`.
    let positions: Vec<usize> = (0..used.len()).collect();
    // Only the columns some job reads (one number column alone has no
    // pair: its ten million values were gathered and ranked for nothing).
    let (mut needed, mut ranked) = (vec![false; used.len()], vec![false; used.len()]);
    for &(k, l, spearman) in &jobs {
        needed[k] = true;
        needed[l] = true;
        ranked[k] |= spearman;
        ranked[l] |= spearman;
    }
    let gathered: Vec<(Data, Option<Ids>)> = crate::par::map(&positions, opts.threads, |&k| {
        if !needed[k] {
            return (Data::Num(Vec::new()), None);
        }
        let i = used[k];
        let d = gather(i);
        let ids = match &d {
            Data::Num(v) if ranked[k] => Some(dense_ids(v)),
            _ => None,
        };
        (d, ids)
    });
    let results = crate::par::map_with(&jobs, opts.threads, Scratch::default, |s, &(k, l, spearman)| {
        let (a, b) = (&gathered[k], &gathered[l]);
        let ids = if spearman { (a.1.as_ref(), b.1.as_ref()) } else { (None, None) };
        pair(&a.0, &b.0, ids, spearman, s)
    });
    for (&(k, l, is_pair), found) in jobs.iter().zip(results) {
        let (i, j) = (used[k], used[l]);
        if is_pair {
            for (measure, value, n) in found {
                if let Some(value) = value {
                    out.pairs.push(Association { a: profiles[i].name.clone(), b: profiles[j].name.clone(), measure, value, n });
                }
            }
        } else if let Some((measure, Some(value), n)) = found.into_iter().next() {
            out.target.push(Association { a: profiles[i].name.clone(), b: profiles[j].name.clone(), measure, value, n });
        }
    }
    let strength = |a: &Association| -a.value.abs();
    out.pairs.sort_by(|x, y| strength(x).total_cmp(&strength(y)));
    out.target.sort_by(|x, y| strength(x).total_cmp(&strength(y)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_match_hand_values() {
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), Some(1.0));
        assert_eq!(pearson(&[1.0, 1.0], &[2.0, 3.0]), None);
        assert_eq!(ranks(&[10.0, 20.0, 10.0, 5.0]), vec![2.5, 4.0, 2.5, 1.0]);
        let (ids, d) = dense_ids(&[Some(10.0), Some(20.0), None, Some(10.0), Some(5.0)]);
        assert_eq!((ids.clone(), d), (vec![1, 2, u32::MAX, 1, 0], 3));
        assert_eq!(ranks_from_ids(&[1, 2, 1, 0], 3), vec![2.5, 4.0, 2.5, 1.0]);
        // A perfect 2×2 association.
        assert!((cramers_v(&[0, 0, 1, 1], &[1, 1, 0, 0], 2, 2).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(cramers_v(&[0, 0, 1, 1], &[0, 1, 0, 1], 2, 2), Some(0.0));
        // Groups {1,1} and {3,3}: all variance is between groups.
        assert_eq!(correlation_ratio(&[0, 0, 1, 1], &[1.0, 1.0, 3.0, 3.0], 2), Some(1.0));
    }
}
