//! Data management, second step: a profile of each column.
//!
//! Takes a [`Dataset`] and gives per column its kind, count, missing,
//! distinct, min/max/mean/std for numbers and the most frequent values.
//! Every figure is exact and computed in row order, so it is the same
//! natively and in wasm. No wasm here.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::data::{format_number, ColumnKind, ColumnValues, Dataset};

/// How many top values a column profile lists.
pub const TOP_VALUES: usize = 5;

/// A value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The value as text.
    pub value: String,
    /// Rows holding it.
    pub count: usize,
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
    /// Distinct present values.
    pub distinct: usize,
    /// Smallest value (numeric columns with a value).
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
    /// Whether every present value is a whole number.
    pub integer: bool,
    /// Up to [`TOP_VALUES`] most frequent values, most frequent first,
    /// ties in order of first appearance.
    pub top: Vec<ValueCount>,
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
    /// One profile per column, in file order.
    pub columns: Vec<ColumnProfile>,
}

/// Profiles every column of `ds`.
///
/// ```
/// use mlcycle::data::{parse_csv, ParseOptions};
/// let ds = parse_csv(b"x\n1\n2\n\n3\n", "t.csv", &ParseOptions::default()).unwrap();
/// let p = mlcycle::profile::profile(&ds);
/// assert_eq!(p.columns[0].mean, Some(2.0));
/// ```
pub fn profile(ds: &Dataset) -> Profile {
    Profile {
        file_name: ds.file_name.clone(),
        rows: ds.n_rows,
        column_count: ds.columns.len(),
        sha256: ds.sha256.clone(),
        columns: ds.columns.iter().map(|c| column_profile(&c.name, c.kind, &c.values)).collect(),
    }
}

fn top_values(counts: Vec<(String, usize)>) -> Vec<ValueCount> {
    // `counts` is in first-appearance order; a stable sort keeps that for ties.
    let mut counts = counts;
    counts.sort_by(|a, b| b.1.cmp(&a.1));
    counts.into_iter().take(TOP_VALUES).map(|(value, count)| ValueCount { value, count }).collect()
}

fn column_profile(name: &str, kind: ColumnKind, values: &ColumnValues) -> ColumnProfile {
    match values {
        ColumnValues::Numeric(v) => {
            let present: Vec<f64> = v.iter().flatten().copied().collect();
            let n = present.len();
            let mut order: Vec<(u64, usize)> = Vec::new();
            let mut seen: HashMap<u64, usize> = HashMap::new();
            for &x in &present {
                // -0.0 and 0.0 are one value.
                let key = (if x == 0.0 { 0.0 } else { x }).to_bits();
                match seen.get(&key) {
                    Some(&i) => order[i].1 += 1,
                    None => {
                        seen.insert(key, order.len());
                        order.push((key, 1));
                    }
                }
            }
            let (min, max, mean, std) = if n == 0 {
                (None, None, None, None)
            } else {
                let min = present.iter().copied().fold(f64::INFINITY, f64::min);
                let max = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let mean = present.iter().sum::<f64>() / n as f64;
                let std = if n > 1 {
                    let ss: f64 = present.iter().map(|x| (x - mean) * (x - mean)).sum();
                    Some((ss / (n - 1) as f64).sqrt())
                } else {
                    None
                };
                (Some(min), Some(max), Some(mean), std)
            };
            ColumnProfile {
                name: name.to_string(),
                kind,
                count: n,
                missing: v.len() - n,
                distinct: order.len(),
                min,
                max,
                mean: mean.filter(|m| m.is_finite()),
                std: std.filter(|s| s.is_finite()),
                integer: present.iter().all(|x| x.fract() == 0.0),
                top: top_values(order.into_iter().map(|(k, c)| (format_number(f64::from_bits(k)), c)).collect()),
            }
        }
        ColumnValues::Categorical { levels, codes } => {
            let mut counts = vec![0usize; levels.len()];
            for c in codes.iter().flatten() {
                counts[*c as usize] += 1;
            }
            let n: usize = counts.iter().sum();
            ColumnProfile {
                name: name.to_string(),
                kind,
                count: n,
                missing: codes.len() - n,
                distinct: levels.len(),
                min: None,
                max: None,
                mean: None,
                std: None,
                integer: false,
                top: top_values(levels.iter().cloned().zip(counts).collect()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{parse_csv, ParseOptions};

    #[test]
    fn numeric_and_categorical_columns() {
        let ds = parse_csv(b"x,c\n1,a\n2,b\n,a\n4,\n4,a\n", "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let x = &p.columns[0];
        assert_eq!((x.count, x.missing, x.distinct), (4, 1, 3));
        assert_eq!((x.min, x.max, x.mean), (Some(1.0), Some(4.0), Some(2.75)));
        // pandas: Series([1,2,4,4]).std() == 1.5
        assert_eq!(x.std, Some(1.5));
        assert!(x.integer);
        assert_eq!(x.top[0], ValueCount { value: "4".into(), count: 2 });
        let c = &p.columns[1];
        assert_eq!((c.count, c.missing, c.distinct), (4, 1, 2));
        assert_eq!(c.top[0], ValueCount { value: "a".into(), count: 3 });
        assert_eq!(c.top[1], ValueCount { value: "b".into(), count: 1 });
    }

    #[test]
    fn all_missing_column_has_no_statistics() {
        let ds = parse_csv(b"x,y\n,1\n,2\n", "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        assert_eq!(p.columns[0].count, 0);
        assert_eq!(p.columns[0].mean, None);
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("NaN"));
    }
}
