//! Unsupervised learning: k-means and DBSCAN clusters, and a PCA
//! projection, on the feature columns of a dataset.
//!
//! The features go through the default preparation recipe (median
//! imputation, one-hot labels) and are then standardised (z-scores), so no
//! column dominates the distances by its unit. Every input is checked
//! before smartcore sees it: smartcore's k-NN structures overflow the stack
//! on non-finite values, k-means divides by zero when it has more clusters
//! than distinct points. DBSCAN is ours (smartcore's labelled rows by their
//! neighbours' majority, not as DBSCAN defines them) and exhaustive, so its
//! time grows with the square of the rows. The result carries what a view needs: cluster sizes,
//! centroids, and a 2-D PCA projection of a sample of rows with
//! their cluster labels. Seeded, so the same data and options give the same
//! numbers natively and in wasm. No wasm here.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use smartcore::cluster::kmeans::{KMeans, KMeansParameters};
use smartcore::decomposition::pca::{PCAParameters, PCA};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use thiserror::Error;

use crate::data::Dataset;
use crate::prepare::{PrepareError, Recipe};

/// Most clusters k-means may be asked for.
pub const MAX_K: usize = 100;
/// Most rows DBSCAN takes: its neighbour search here is exhaustive
/// (quadratic), the safe choice on duplicate-heavy data.
pub const MAX_DBSCAN_ROWS: usize = 20_000;
/// Points in the 2-D projection sent to a view.
pub const MAX_POINTS: usize = 2_000;
/// Most iterations of k-means.
pub const MAX_ITER: usize = 1_000;
/// Most prepared columns the projection takes: smartcore's PCA decomposes a
/// columns × columns matrix, a cost that grows with the cube of the
/// columns (natively 1.4 s at 1,000 columns, 13 s at 2,000, and about half
/// an hour at 10,000, during which nothing can be stopped but the worker).
pub const MAX_PROJECTION_COLUMNS: usize = 1_000;
/// Longest k-means job taken, by [`kmeans_seconds`] (the training's
/// default limit too).
pub const MAX_KMEANS_SECONDS: f64 = 600.0;

/// Rough seconds k-means takes: rows × √clusters × prepared columns ×
/// starts, at 8e-7 s each. Measured natively with 10 starts: 40,000 rows
/// × 11 columns, k 3 3.1 s and k 12 12 s; 20,000 × 10, k 100 12 s to 15 s
/// (its tree search makes more clusters far cheaper than k times: an
/// estimate linear in k said 808 s where 100 starts ran in under 30 s).
pub fn kmeans_seconds(rows: usize, k: usize, columns: usize, n_init: usize) -> f64 {
    8e-7 * rows as f64 * (k as f64).sqrt() * columns as f64 * n_init as f64
}

/// Errors from validating options or clustering.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ClusterError {
    /// A parameter outside its range.
    #[error("parameter {name} = {value} is out of range: allowed {allowed}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// The value given, as text.
        value: String,
        /// The allowed range, in words.
        allowed: String,
    },
    /// A k-means job longer than [`MAX_KMEANS_SECONDS`] by its estimate.
    #[error("k-means with {k} clusters and {n_init} starts on {rows} rows × {columns} prepared columns would take about {seconds:.0} s by a rough estimate, over the limit of {limit:.0} s; ask for fewer clusters (k) or starts (n_init), or use a sample of the rows")]
    TooSlow {
        /// Clusters.
        k: usize,
        /// Starts.
        n_init: usize,
        /// Rows.
        rows: usize,
        /// Prepared columns.
        columns: usize,
        /// The estimate.
        seconds: f64,
        /// The limit.
        limit: f64,
    },
    /// A column named in `columns` that is not in the data.
    #[error("column \"{name}\" is not in the data")]
    UnknownColumn {
        /// The name given.
        name: String,
    },
    /// Nothing to cluster.
    #[error("{}", if dropped.is_empty() { "no feature columns to cluster: choose at least one numeric, boolean or categorical column".to_string() } else { format!("no feature columns are left to cluster: every column was left out or dropped{}", crate::prepare::dropped_text(dropped)) })]
    NoFeatures {
        /// The columns the preparation dropped and why, in clustering's words.
        dropped: Vec<(String, String)>,
    },
    /// Fewer rows than the method needs.
    #[error("need at least {needed} rows, found {found}")]
    TooFewRows {
        /// Rows needed.
        needed: usize,
        /// Rows found.
        found: usize,
    },
    /// More rows than the method's cap.
    #[error("{model} takes at most {limit} rows here (its neighbour search is quadratic), the data has {rows}; use k-means, or a sample of the rows")]
    TooManyRows {
        /// Method.
        model: &'static str,
        /// Rows in the data.
        rows: usize,
        /// The cap.
        limit: usize,
    },
    /// More prepared columns than the projection takes.
    #[error("{columns} prepared columns, over the limit of {limit} for the projection onto principal components (its cost grows with the cube of the columns: {limit} take about 1.4 s, {columns} about {seconds:.0} s); leave columns out (mlcycle cluster --ignore NAME), one-hot columns of many labels being the usual cause")]
    TooWide {
        /// Prepared columns.
        columns: usize,
        /// The cap.
        limit: usize,
        /// Estimated seconds, natively.
        seconds: f64,
    },
    /// More clusters than distinct points.
    #[error("{}", if *distinct < 2 { format!("k-means needs at least 2 distinct rows, but every prepared row is the same (k = {k} asked for)") } else { format!("k = {k} clusters but the prepared data has only {distinct} distinct rows; choose k at most {distinct}") })]
    TooFewDistinct {
        /// Clusters asked for.
        k: usize,
        /// Distinct prepared rows.
        distinct: usize,
    },
    /// A column whose values are too large to standardise.
    #[error("column \"{column}\" has values as large as {max:e}, too large to standardise (their squares overflow); rescale it or leave it out")]
    TooLarge {
        /// Prepared feature name.
        column: String,
        /// Largest magnitude.
        max: f64,
    },
    /// Preparing the features failed.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// smartcore refused (reported, never a panic).
    #[error("clustering failed: {message}")]
    Fit {
        /// smartcore's message.
        message: String,
    },
}

impl ClusterError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ClusterError::InvalidParameter { .. } => "invalid_parameter",
            ClusterError::UnknownColumn { .. } => "unknown_column",
            ClusterError::NoFeatures { .. } => "no_features",
            ClusterError::TooFewRows { .. } => "too_few_rows",
            ClusterError::TooManyRows { .. } => "too_many_rows",
            ClusterError::TooWide { .. } => "too_wide",
            ClusterError::TooSlow { .. } => "too_slow",
            ClusterError::TooFewDistinct { .. } => "too_few_distinct",
            ClusterError::TooLarge { .. } => "too_large",
            ClusterError::Prepare(e) => e.code(),
            ClusterError::Fit { .. } => "fit_failed",
        }
    }
}

/// Which method, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum ClusterModel {
    /// k-means with k-means++ initialisation.
    Kmeans {
        /// Clusters, 2..=100.
        #[serde(default = "default_k")]
        k: usize,
        /// Iterations, 1..=1000.
        #[serde(default = "default_iter")]
        max_iter: usize,
        /// Runs from different seeded starts; the one with the least
        /// within-cluster sum of squares is kept. 1..=100.
        #[serde(default = "default_n_init")]
        n_init: usize,
    },
    /// Density-based clusters; rows in no cluster are noise (label -1).
    Dbscan {
        /// Neighbourhood radius in standardised units, > 0.
        #[serde(default = "default_eps")]
        eps: f64,
        /// Rows within `eps` that make a core point, 1..=1000.
        #[serde(default = "default_min_samples")]
        min_samples: usize,
    },
    /// Principal components only (no clusters).
    Pca {
        /// Components kept, 1..=the feature count (at most 50).
        #[serde(default = "default_components")]
        n_components: usize,
    },
}

fn default_k() -> usize {
    3
}
fn default_iter() -> usize {
    100
}
fn default_n_init() -> usize {
    10
}
fn default_eps() -> f64 {
    0.5
}
fn default_min_samples() -> usize {
    5
}
fn default_components() -> usize {
    2
}

/// Options of [`cluster`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "RawOptions")]
pub struct ClusterOptions {
    /// The method.
    #[serde(flatten)]
    pub model: ClusterModel,
    /// Feature columns; all but `exclude` when absent.
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// Columns left out (e.g. a label column).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Seed for k-means' initialisation.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_seed() -> u64 {
    42
}

/// The options as written, every field known (misspelt ones are refused),
/// each checked against the method it belongs to.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawOptions {
    model: String,
    k: Option<usize>,
    max_iter: Option<usize>,
    eps: Option<f64>,
    min_samples: Option<usize>,
    n_components: Option<usize>,
    n_init: Option<usize>,
    columns: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    seed: Option<u64>,
}

impl TryFrom<RawOptions> for ClusterOptions {
    type Error = String;

    fn try_from(r: RawOptions) -> Result<Self, String> {
        let given = |name: &str, present: bool, model: &str| if present { Err(format!("field {name} does not apply to {model}")) } else { Ok(()) };
        let model = match r.model.as_str() {
            "kmeans" => {
                given("eps", r.eps.is_some(), "kmeans")?;
                given("minSamples", r.min_samples.is_some(), "kmeans")?;
                given("nComponents", r.n_components.is_some(), "kmeans")?;
                ClusterModel::Kmeans { k: r.k.unwrap_or_else(default_k), max_iter: r.max_iter.unwrap_or_else(default_iter), n_init: r.n_init.unwrap_or_else(default_n_init) }
            }
            "dbscan" => {
                given("k", r.k.is_some(), "dbscan")?;
                given("maxIter", r.max_iter.is_some(), "dbscan")?;
                given("nInit", r.n_init.is_some(), "dbscan")?;
                given("nComponents", r.n_components.is_some(), "dbscan")?;
                ClusterModel::Dbscan { eps: r.eps.unwrap_or_else(default_eps), min_samples: r.min_samples.unwrap_or_else(default_min_samples) }
            }
            "pca" => {
                given("k", r.k.is_some(), "pca")?;
                given("maxIter", r.max_iter.is_some(), "pca")?;
                given("nInit", r.n_init.is_some(), "pca")?;
                given("eps", r.eps.is_some(), "pca")?;
                given("minSamples", r.min_samples.is_some(), "pca")?;
                ClusterModel::Pca { n_components: r.n_components.unwrap_or_else(default_components) }
            }
            other => return Err(format!("unknown model \"{other}\": expected kmeans, dbscan or pca")),
        };
        Ok(ClusterOptions { model, columns: r.columns, exclude: r.exclude, seed: r.seed.unwrap_or_else(default_seed) })
    }
}

impl ClusterOptions {
    /// Options for `model` with every other field at its default.
    pub fn new(model: ClusterModel) -> ClusterOptions {
        ClusterOptions { model, columns: None, exclude: Vec::new(), seed: default_seed() }
    }

    fn validate(&self) -> Result<(), ClusterError> {
        let bad = |name: &'static str, value: String, allowed: &str| ClusterError::InvalidParameter { name, value, allowed: allowed.to_string() };
        match self.model {
            ClusterModel::Kmeans { k, max_iter, n_init } => {
                if !(2..=MAX_K).contains(&k) {
                    return Err(bad("k", k.to_string(), "2 to 100"));
                }
                if !(1..=100).contains(&n_init) {
                    return Err(bad("n_init", n_init.to_string(), "1 to 100"));
                }
                if !(1..=MAX_ITER).contains(&max_iter) {
                    return Err(bad("max_iter", max_iter.to_string(), "1 to 1000"));
                }
            }
            ClusterModel::Dbscan { eps, min_samples } => {
                if !(eps.is_finite() && eps > 0.0 && eps <= 1e6) {
                    return Err(bad("eps", eps.to_string(), "a number above 0 and at most 1e6"));
                }
                if !(1..=1000).contains(&min_samples) {
                    return Err(bad("min_samples", min_samples.to_string(), "1 to 1000"));
                }
            }
            ClusterModel::Pca { n_components } => {
                if !(1..=50).contains(&n_components) {
                    return Err(bad("n_components", n_components.to_string(), "1 to 50"));
                }
            }
        }
        Ok(())
    }
}

/// One cluster's size and centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    /// Label (0, 1, …; -1 is DBSCAN's noise).
    pub label: i64,
    /// Rows in it.
    pub size: usize,
    /// Centre in standardised feature units (absent for noise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centroid: Option<Vec<f64>>,
}

/// One point of the 2-D projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// 0-based data row.
    pub row: usize,
    /// First principal component.
    pub x: f64,
    /// Second principal component (0 with one feature).
    pub y: f64,
    /// Cluster label (absent for PCA alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<i64>,
}

/// What [`cluster`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterResult {
    /// The options used.
    pub options: ClusterOptions,
    /// Prepared feature names (one-hot labels expand), standardised.
    pub features: Vec<String>,
    /// Rows clustered.
    pub rows: usize,
    /// Clusters, by label (empty for PCA).
    pub clusters: Vec<ClusterSummary>,
    /// Rows DBSCAN left as noise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<usize>,
    /// k-means' within-cluster sum of squared distances.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inertia: Option<f64>,
    /// Share of the total variance each principal component explains.
    pub explained_variance: Vec<f64>,
    /// Loadings of the first two components per feature (PCA only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub loadings: Vec<[f64; 2]>,
    /// A sample of at most [`MAX_POINTS`] rows (by a hash of the row
    /// number) in the plane of the
    /// first two principal components.
    pub points: Vec<Point>,
    /// Cluster label per row (absent for PCA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<i64>>,
}

type X = DenseMatrix<f64>;

/// DBSCAN's labels, as Ester et al. (1996) and scikit-learn define them:
/// a row with at least `min_samples` rows (itself included) within `eps`
/// is a core row; clusters are the core rows joined through each other's
/// neighbourhoods, with the rows within `eps` of one of their core rows
/// (border rows, which join the first cluster to reach them in row order);
/// every other row is noise (-1). Clusters are numbered in order of their
/// first core row. (smartcore's model labelled each row by the majority of
/// its neighbours instead, so a row near only a border row joined its
/// cluster, and some border rows fell to noise.) Exhaustive: every pair's
/// distance is computed, twice at most, holding no neighbour lists.
fn dbscan(x: &Array2<f64>, eps: f64, min_samples: usize) -> Vec<i64> {
    let n = x.nrows();
    let near = |a: usize, b: usize| x.row(a).iter().zip(x.row(b).iter()).map(|(p, q)| (p - q) * (p - q)).sum::<f64>().sqrt() <= eps;
    let core: Vec<bool> = (0..n).map(|i| (0..n).filter(|&j| near(i, j)).count() >= min_samples).collect();
    let mut labels = vec![-1i64; n];
    let mut next = 0i64;
    let mut stack = Vec::new();
    for start in 0..n {
        if labels[start] != -1 || !core[start] {
            continue;
        }
        stack.push(start);
        while let Some(i) = stack.pop() {
            if labels[i] != -1 {
                continue;
            }
            labels[i] = next;
            if core[i] {
                stack.extend((0..n).rev().filter(|&j| labels[j] == -1 && near(i, j)));
            }
        }
        next += 1;
    }
    labels
}

fn fit_err(e: impl std::fmt::Display) -> ClusterError {
    ClusterError::Fit { message: e.to_string() }
}

/// Standardises each column in place (mean 0, standard deviation 1; a
/// constant column becomes 0). A column whose variance overflows is an
/// error naming it.
fn standardise(x: &mut Array2<f64>, names: &[String]) -> Result<(), ClusterError> {
    let n = x.nrows() as f64;
    for (j, mut col) in x.columns_mut().into_iter().enumerate() {
        let mean = col.iter().sum::<f64>() / n;
        let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        if !var.is_finite() {
            let max = col.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            return Err(ClusterError::TooLarge { column: names.get(j).cloned().unwrap_or_default(), max });
        }
        let sd = var.sqrt();
        for v in col.iter_mut() {
            *v = if sd > 0.0 { (*v - mean) / sd } else { 0.0 };
        }
    }
    Ok(())
}

fn distinct_rows(x: &Array2<f64>) -> usize {
    let mut seen = std::collections::HashSet::new();
    for row in x.rows() {
        seen.insert(row.iter().map(|v| if *v == 0.0 { 0u64 } else { v.to_bits() }).collect::<Vec<u64>>());
    }
    seen.len()
}

fn to_dense(x: &Array2<f64>) -> Result<X, ClusterError> {
    let (rows, cols) = x.dim();
    DenseMatrix::new(rows, cols, x.iter().copied().collect(), false).map_err(fit_err)
}

/// Clusters (or projects) the feature columns of `ds` with `opts`.
pub fn cluster(ds: &Dataset, opts: &ClusterOptions) -> Result<ClusterResult, ClusterError> {
    opts.validate()?;
    for name in opts.columns.iter().flatten().chain(&opts.exclude) {
        if ds.column(name).is_err() {
            return Err(ClusterError::UnknownColumn { name: name.clone() });
        }
    }
    let features: Vec<usize> = match &opts.columns {
        Some(names) => names.iter().filter_map(|n| ds.columns.iter().position(|c| &c.name == n)).filter(|&i| !opts.exclude.contains(&ds.columns[i].name)).collect(),
        None => (0..ds.columns.len()).filter(|&i| !opts.exclude.contains(&ds.columns[i].name)).collect(),
    };
    if features.is_empty() {
        return Err(ClusterError::NoFeatures { dropped: Vec::new() });
    }
    let rows: Vec<usize> = (0..ds.n_rows).collect();
    let needed = match opts.model {
        ClusterModel::Kmeans { k, .. } => k.max(2),
        ClusterModel::Dbscan { .. } => 2,
        ClusterModel::Pca { .. } => 2,
    };
    if rows.len() < needed {
        return Err(ClusterError::TooFewRows { needed, found: rows.len() });
    }
    if matches!(opts.model, ClusterModel::Dbscan { .. }) && rows.len() > MAX_DBSCAN_ROWS {
        return Err(ClusterError::TooManyRows { model: "DBSCAN", rows: rows.len(), limit: MAX_DBSCAN_ROWS });
    }
    // Every row is fitted on: the preparation's "training" rows and labels
    // are all of them, said so (no target, nothing trained).
    let recipe = Recipe::fit(ds, &features, &rows).map_err(|e| match e {
        PrepareError::NoFeatures { dropped } => ClusterError::NoFeatures {
            dropped: dropped.into_iter().map(|(column, reason)| (column, reason.replacen("training labels", "labels", 1).replacen("every training value", "every value", 1))).collect(),
        },
        e => e.into(),
    })?;
    let names = recipe.feature_names();
    if names.is_empty() {
        return Err(ClusterError::NoFeatures { dropped: Vec::new() });
    }
    // Checked before the prepared matrix is built: the cost is in the columns.
    if names.len() > MAX_PROJECTION_COLUMNS {
        let ratio = names.len() as f64 / MAX_PROJECTION_COLUMNS as f64;
        return Err(ClusterError::TooWide { columns: names.len(), limit: MAX_PROJECTION_COLUMNS, seconds: 1.4 * ratio.powi(3) });
    }
    // Checked before the matrix is built, from its size.
    if let ClusterModel::Kmeans { k, n_init, .. } = opts.model {
        let seconds = kmeans_seconds(rows.len(), k, names.len(), n_init);
        if seconds > MAX_KMEANS_SECONDS {
            return Err(ClusterError::TooSlow { k, n_init, rows: rows.len(), columns: names.len(), seconds, limit: MAX_KMEANS_SECONDS });
        }
    }
    let mut x = recipe.apply(ds, &rows)?;
    standardise(&mut x, &names)?;
    let n = x.nrows();
    let width = x.ncols();
    match opts.model {
        ClusterModel::Dbscan { min_samples, .. } if min_samples > n => {
            return Err(ClusterError::InvalidParameter { name: "min_samples", value: min_samples.to_string(), allowed: format!("1 to the row count ({n})") });
        }
        // The default two components on one prepared column is one (as the
        // clusters' projection does); a number asked for is checked.
        ClusterModel::Pca { n_components } if n_components > width && !(n_components == default_components() && width == 1) => {
            return Err(ClusterError::InvalidParameter { name: "n_components", value: n_components.to_string(), allowed: format!("1 to the prepared column count ({width})") });
        }
        _ => {}
    }

    let mut clusters = Vec::new();
    let mut noise = None;
    let mut inertia = None;
    let mut labels = None;
    match opts.model {
        ClusterModel::Kmeans { k, max_iter, n_init } => {
            let distinct = distinct_rows(&x);
            if k > distinct {
                return Err(ClusterError::TooFewDistinct { k, distinct });
            }
            let dense = to_dense(&x)?;
            // (inertia, labels, sizes, centroids) of the best run so far.
            type Fit = (f64, Vec<usize>, Vec<usize>, Vec<Vec<f64>>);
            let mut best: Option<Fit> = None;
            for run in 0..n_init {
                let params = KMeansParameters { k, max_iter, seed: Some(opts.seed.wrapping_add(run as u64)) };
                let model: KMeans<f64, usize, X, Vec<usize>> = KMeans::fit(&dense, params).map_err(fit_err)?;
                let y: Vec<usize> = model.predict(&dense).map_err(fit_err)?;
                let mut sums = vec![vec![0.0; width]; k];
                let mut sizes = vec![0usize; k];
                for (r, &c) in y.iter().enumerate() {
                    if c >= k {
                        return Err(fit_err(format!("k-means gave cluster {c} of {k}")));
                    }
                    sizes[c] += 1;
                    for j in 0..width {
                        sums[c][j] += x[[r, j]];
                    }
                }
                let centroids: Vec<Vec<f64>> = sums.iter().zip(&sizes).map(|(s, &m)| s.iter().map(|v| if m > 0 { v / m as f64 } else { 0.0 }).collect()).collect();
                let mut sse = 0.0;
                for (r, &c) in y.iter().enumerate() {
                    for j in 0..width {
                        let d = x[[r, j]] - centroids[c][j];
                        sse += d * d;
                    }
                }
                // Strictly less: ties keep the earlier run, so the result is seeded.
                if best.as_ref().is_none_or(|b| sse < b.0) {
                    best = Some((sse, y, sizes, centroids));
                }
            }
            let (sse, y, sizes, centroids) = best.expect("n_init is at least 1");
            inertia = Some(sse);
            clusters = (0..k).map(|c| ClusterSummary { label: c as i64, size: sizes[c], centroid: Some(centroids[c].clone()) }).collect();
            labels = Some(y.iter().map(|&c| c as i64).collect::<Vec<i64>>());
        }
        ClusterModel::Dbscan { eps, min_samples } => {
            let y = dbscan(&x, eps, min_samples);
            let max = y.iter().copied().max().unwrap_or(-1);
            let mut sizes = vec![0usize; (max + 1).max(0) as usize];
            let mut sums = vec![vec![0.0; width]; sizes.len()];
            let mut outliers = 0;
            for (r, &c) in y.iter().enumerate() {
                if c < 0 {
                    outliers += 1;
                    continue;
                }
                sizes[c as usize] += 1;
                for j in 0..width {
                    sums[c as usize][j] += x[[r, j]];
                }
            }
            clusters = sizes
                .iter()
                .enumerate()
                .map(|(c, &m)| ClusterSummary { label: c as i64, size: m, centroid: Some(sums[c].iter().map(|v| if m > 0 { v / m as f64 } else { 0.0 }).collect()) })
                .collect();
            if outliers > 0 {
                clusters.push(ClusterSummary { label: -1, size: outliers, centroid: None });
            }
            noise = Some(outliers);
            labels = Some(y);
        }
        ClusterModel::Pca { .. } => {}
    }

    // The projection (and PCA's own result): components of the standardised data.
    let n_components = match opts.model {
        ClusterModel::Pca { n_components } => n_components.min(width),
        _ => 2.min(width),
    };
    let pca = PCA::fit(&to_dense(&x)?, PCAParameters::default().with_n_components(n_components)).map_err(fit_err)?;
    let projected = pca.transform(&to_dense(&x)?).map_err(fit_err)?;
    let total_var: f64 = (0..width).map(|j| x.column(j).iter().map(|v| v * v).sum::<f64>() / n as f64).sum();
    let explained_variance: Vec<f64> = (0..n_components)
        .map(|c| {
            let col: Vec<f64> = (0..n).map(|r| *projected.get((r, c))).collect();
            let mean = col.iter().sum::<f64>() / n as f64;
            let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
            if total_var > 0.0 { var / total_var } else { 0.0 }
        })
        .collect();
    let loadings = if matches!(opts.model, ClusterModel::Pca { .. }) {
        let comps = pca.components();
        (0..width).map(|j| [*comps.get((j, 0)), if n_components > 1 { *comps.get((j, 1)) } else { 0.0 }]).collect()
    } else {
        Vec::new()
    };
    let step = n.div_ceil(MAX_POINTS).max(1);
    // Hashed, not every step-th row: rows that repeat with a period would
    // alias in the picture.
    let points = crate::data::sample_rows(n, step)
        .into_iter()
        .take(MAX_POINTS)
        .map(|r| Point {
            row: r,
            x: *projected.get((r, 0)),
            y: if n_components > 1 { *projected.get((r, 1)) } else { 0.0 },
            label: labels.as_ref().map(|l| l[r]),
        })
        .collect();
    if explained_variance.iter().any(|v| !v.is_finite()) || inertia.is_some_and(|v: f64| !v.is_finite()) {
        return Err(fit_err("the result has non-finite figures"));
    }
    Ok(ClusterResult { options: opts.clone(), features: names, rows: n, clusters, noise, inertia, explained_variance, loadings, points, labels })
}

#[cfg(test)]
mod tests {

    /// DBSCAN's labels as scikit-learn gives them: border rows of a core
    /// row join its cluster; a row near only a border row is noise.
    #[test]
    fn dbscan_labels_core_border_and_noise_rows() {
        // A dense run, a border row (0.33) beside it, a row (0.46) near only
        // that border row, and a second dense run.
        let x = Array2::from_shape_vec((11, 1), vec![0.0, 0.05, 0.1, 0.15, 0.2, 0.33, 0.46, 5.0, 5.05, 5.1, 5.15]).unwrap();
        assert_eq!(super::dbscan(&x, 0.16, 4), [0, 0, 0, 0, 0, 0, -1, 1, 1, 1, 1]);
        // With 3 rows enough, 0.33 is a core row and 0.46 its border row.
        assert_eq!(super::dbscan(&x, 0.16, 3), [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
        assert_eq!(super::dbscan(&x, 0.16, 20), [-1; 11]);
    }

    use super::*;
    use crate::data::{parse_csv, ParseOptions};

    fn blobs() -> Dataset {
        // Three well-separated groups of 20 rows, plus a label column.
        let mut s = String::from("x,y,kind\n");
        for g in 0..3 {
            for i in 0..20 {
                let (cx, cy) = [(0.0, 0.0), (10.0, 10.0), (0.0, 20.0)][g];
                let dx = ((i * 7) % 11) as f64 / 10.0 - 0.5;
                let dy = ((i * 3) % 13) as f64 / 12.0 - 0.5;
                s.push_str(&format!("{},{},g{g}\n", cx + dx, cy + dy));
            }
        }
        parse_csv(s.as_bytes(), "blobs.csv", &ParseOptions::default()).unwrap()
    }

    #[test]
    fn kmeans_finds_three_blobs_and_is_seeded() {
        let ds = blobs();
        let opts = ClusterOptions { exclude: vec!["kind".into()], ..ClusterOptions::new(ClusterModel::Kmeans { k: 3, max_iter: 100, n_init: 10 }) };
        let r = cluster(&ds, &opts).unwrap();
        let mut sizes: Vec<usize> = r.clusters.iter().map(|c| c.size).collect();
        sizes.sort();
        assert_eq!(sizes, vec![20, 20, 20]);
        let labels = r.labels.as_ref().unwrap();
        for g in 0..3 {
            assert!(labels[g * 20..(g + 1) * 20].iter().all(|&l| l == labels[g * 20]), "group {g} is one cluster");
        }
        assert_eq!(r.points.len(), 60);
        assert!((r.explained_variance.iter().sum::<f64>() - 1.0).abs() < 1e-9, "two features, two components: all the variance");
        assert_eq!(cluster(&ds, &opts).unwrap(), r, "same seed, same result");
    }

    /// A k-means job over its time limit by the estimate is refused
    /// before it starts, with the figures (100 clusters on 200,000 rows
    /// ran over ten minutes in the page with no end in sight).
    /// Nothing left to cluster is said in clustering's words: no "train
    /// on", "target" or "training labels" (those are the run's).
    #[test]
    fn nothing_left_to_cluster_speaks_of_clustering() {
        let csv: String = std::iter::once("name,x\n".to_string()).chain((0..30).map(|i| format!("person{i},\n"))).collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let e = cluster(&ds, &ClusterOptions::new(ClusterModel::Kmeans { k: 2, max_iter: 100, n_init: 1 })).unwrap_err();
        assert_eq!(e.code(), "no_features");
        assert_eq!(
            e.to_string(),
            "no feature columns are left to cluster: every column was left out or dropped (\"name\": each of its 30 labels is in one row only (an identifier or free text); encode it yourself to keep it; \"x\": every value is missing)"
        );
        let e = cluster(&ds, &ClusterOptions { exclude: vec!["name".into(), "x".into()], ..ClusterOptions::new(ClusterModel::Pca { n_components: 2 }) }).unwrap_err();
        assert_eq!(e.to_string(), "no feature columns to cluster: choose at least one numeric, boolean or categorical column");
    }

    #[test]
    fn kmeans_over_the_time_limit_is_refused_up_front() {
        let mut s = (0..40).map(|j| format!("c{j}")).collect::<Vec<_>>().join(",") + "\n";
        for i in 0..20_000 {
            let row: Vec<String> = (0..40).map(|j| (((i * (j + 3)) % 97) as f64 / 7.0).to_string()).collect();
            s.push_str(&row.join(","));
            s.push('\n');
        }
        let ds = parse_csv(s.as_bytes(), "big.csv", &ParseOptions::default()).unwrap();
        let err = cluster(&ds, &ClusterOptions::new(ClusterModel::Kmeans { k: 100, max_iter: 100, n_init: 100 })).unwrap_err();
        assert_eq!(err.code(), "too_slow");
        assert_eq!(err.to_string(), "k-means with 100 clusters and 100 starts on 20000 rows × 40 prepared columns would take about 640 s by a rough estimate, over the limit of 600 s; ask for fewer clusters (k) or starts (n_init), or use a sample of the rows");
        assert!(kmeans_seconds(20_000, 100, 40, 90) < MAX_KMEANS_SECONDS);
    }

    #[test]
    fn dbscan_finds_the_blobs_and_marks_noise() {
        // A 5 × 6 grid of points 0.1 apart, and one far-away point: noise.
        let text = "x,y\n".to_string() + &(0..30).map(|i| format!("{},{}\n", (i % 5) as f64 * 0.1, (i / 5) as f64 * 0.1)).collect::<String>() + "100,100\n";
        let ds = parse_csv(text.as_bytes(), "d.csv", &ParseOptions::default()).unwrap();
        let r = cluster(&ds, &ClusterOptions::new(ClusterModel::Dbscan { eps: 0.5, min_samples: 3 })).unwrap();
        assert_eq!(r.noise, Some(1));
        assert_eq!(r.labels.as_ref().unwrap()[30], -1);
        assert_eq!(r.clusters.iter().filter(|c| c.label >= 0).count(), 1);
    }

    #[test]
    fn pca_explains_variance_in_order() {
        let ds = blobs();
        let r = cluster(&ds, &ClusterOptions::new(ClusterModel::Pca { n_components: 2 })).unwrap();
        assert!(r.clusters.is_empty() && r.labels.is_none());
        assert!(r.explained_variance[0] >= r.explained_variance[1]);
        assert_eq!(r.loadings.len(), r.features.len());
    }

    /// On iris (species left out), scikit-learn 1.9 gives, on
    /// StandardScaler output: PCA explained variance 0.72962445 and
    /// 0.22850762; KMeans(3, n_init=10) sizes 53/50/47 and inertia
    /// 139.82049635974982.
    #[test]
    fn iris_matches_scikit_learn() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/iris.csv")).unwrap();
        let ds = parse_csv(&bytes, "iris.csv", &ParseOptions::default()).unwrap();
        let exclude = vec!["species".to_string()];
        let pca = cluster(&ds, &ClusterOptions { exclude: exclude.clone(), ..ClusterOptions::new(ClusterModel::Pca { n_components: 2 }) }).unwrap();
        assert!((pca.explained_variance[0] - 0.72962445).abs() < 1e-6, "{:?}", pca.explained_variance);
        assert!((pca.explained_variance[1] - 0.22850762).abs() < 1e-6, "{:?}", pca.explained_variance);
        let km = cluster(&ds, &ClusterOptions { exclude, ..ClusterOptions::new(ClusterModel::Kmeans { k: 3, max_iter: 300, n_init: 10 }) }).unwrap();
        let mut sizes: Vec<usize> = km.clusters.iter().map(|c| c.size).collect();
        sizes.sort();
        assert_eq!(sizes, vec![47, 50, 53]);
        assert!((km.inertia.unwrap() - 139.82049635974982).abs() < 1e-6, "inertia {:?}", km.inertia);
    }

    /// Options read from JSON as the page and the command give them;
    /// misspelt fields are refused, not ignored.
    #[test]
    fn options_from_json() {
        let o: ClusterOptions = serde_json::from_str(r#"{"model":"dbscan","eps":0.3,"minSamples":4,"exclude":["kind"]}"#).unwrap();
        assert_eq!(o.model, ClusterModel::Dbscan { eps: 0.3, min_samples: 4 });
        assert_eq!((o.exclude, o.seed), (vec!["kind".to_string()], 42));
        let o: ClusterOptions = serde_json::from_str(r#"{"model":"kmeans"}"#).unwrap();
        assert_eq!(o.model, ClusterModel::Kmeans { k: 3, max_iter: 100, n_init: 10 });
        for bad in [r#"{"model":"kmeans","kk":3}"#, r#"{"model":"kmean"}"#, r#"{"model":"pca","nComponents":"2"}"#, r#"{"k":3}"#, r#"{"model":"kmeans","eps":1}"#] {
            assert!(serde_json::from_str::<ClusterOptions>(bad).is_err(), "{bad}");
        }
    }

    /// Inputs smartcore would panic or spin on give clear errors.
    #[test]
    fn hostile_inputs_give_clear_errors() {
        let same = parse_csv(b"x,y\n1,1\n1,1\n1,1\n1,1\n", "s.csv", &ParseOptions::default()).unwrap();
        let e = cluster(&same, &ClusterOptions::new(ClusterModel::Kmeans { k: 3, max_iter: 10, n_init: 10 })).unwrap_err();
        assert_eq!(e.code(), "too_few_distinct", "{e}");
        // One distinct row: no k can work, so none is suggested.
        assert_eq!(e.to_string(), "k-means needs at least 2 distinct rows, but every prepared row is the same (k = 3 asked for)");
        // The default projection of one column has one component.
        let one = parse_csv(b"x\n1\n2\n3\n5\n8\n", "o.csv", &ParseOptions::default()).unwrap();
        let r = cluster(&one, &ClusterOptions::new(ClusterModel::Pca { n_components: 2 })).unwrap();
        assert_eq!(r.explained_variance.len(), 1);
        assert!(cluster(&one, &ClusterOptions::new(ClusterModel::Pca { n_components: 3 })).is_err());
        let ds = blobs();
        for (model, name) in [
            (ClusterModel::Kmeans { k: 1, max_iter: 10, n_init: 10 }, "k"),
            (ClusterModel::Kmeans { k: 3, max_iter: 0, n_init: 10 }, "max_iter"),
            (ClusterModel::Kmeans { k: 3, max_iter: 10, n_init: 0 }, "n_init"),
            (ClusterModel::Dbscan { eps: 0.0, min_samples: 3 }, "eps"),
            (ClusterModel::Dbscan { eps: f64::NAN, min_samples: 3 }, "eps"),
            (ClusterModel::Dbscan { eps: 1.0, min_samples: 0 }, "min_samples"),
            (ClusterModel::Pca { n_components: 0 }, "n_components"),
        ] {
            match cluster(&ds, &ClusterOptions::new(model)) {
                Err(ClusterError::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        let opts = ClusterOptions { columns: Some(vec!["nope".into()]), ..ClusterOptions::new(ClusterModel::Pca { n_components: 2 }) };
        assert_eq!(cluster(&ds, &opts).unwrap_err().code(), "unknown_column");
        let one = parse_csv(b"x\n1\n", "o.csv", &ParseOptions::default()).unwrap();
        assert_eq!(cluster(&one, &ClusterOptions::new(ClusterModel::Kmeans { k: 2, max_iter: 10, n_init: 10 })).unwrap_err().code(), "too_few_rows");
        // Magnitudes whose squares overflow cannot be standardised: named.
        let big = parse_csv(b"x,y\n1e300,1\n-1e300,1.1\n1e299,9\n5,9.1\n", "b.csv", &ParseOptions::default()).unwrap();
        let e = cluster(&big, &ClusterOptions::new(ClusterModel::Dbscan { eps: 0.5, min_samples: 2 })).unwrap_err();
        assert_eq!(e.to_string(), "column \"x\" has values as large as 1e300, too large to standardise (their squares overflow); rescale it or leave it out");
        // Large but representable magnitudes are fine after standardising.
        let wide = parse_csv(b"x,y\n1e150,1\n-1e150,1.1\n1e149,9\n5,9.1\n", "w.csv", &ParseOptions::default()).unwrap();
        assert!(cluster(&wide, &ClusterOptions::new(ClusterModel::Kmeans { k: 2, max_iter: 10, n_init: 10 })).is_ok());
        let four = parse_csv(b"a,b\n1,2\n3,3\n4,5\n5,6\n", "f.csv", &ParseOptions::default()).unwrap();
        for (model, message) in [
            (ClusterModel::Dbscan { eps: 0.5, min_samples: 10 }, "parameter min_samples = 10 is out of range: allowed 1 to the row count (4)"),
            (ClusterModel::Pca { n_components: 3 }, "parameter n_components = 3 is out of range: allowed 1 to the prepared column count (2)"),
            (ClusterModel::Kmeans { k: 9, max_iter: 10, n_init: 1 }, "need at least 9 rows, found 4"),
        ] {
            assert_eq!(cluster(&four, &ClusterOptions::new(model)).unwrap_err().to_string(), message);
        }
    }

    /// Data wider than the projection takes is refused at once, with the
    /// estimate and what to do, for every method (each draws the projection);
    /// at the limit it is clustered.
    #[test]
    fn data_too_wide_for_the_projection_is_refused_with_an_estimate() {
        let csv = |cols: usize| {
            let mut s = (0..cols).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n";
            for r in 0..3 {
                s += &((0..cols).map(|i| ((r * 7 + i * 3) % 11).to_string()).collect::<Vec<_>>().join(",") + "\n");
            }
            parse_csv(s.as_bytes(), "w.csv", &ParseOptions::default()).unwrap()
        };
        let wide = csv(MAX_PROJECTION_COLUMNS + 1);
        for model in [ClusterModel::Kmeans { k: 2, max_iter: 10, n_init: 1 }, ClusterModel::Pca { n_components: 2 }, ClusterModel::Dbscan { eps: 0.5, min_samples: 2 }] {
            let e = cluster(&wide, &ClusterOptions::new(model)).unwrap_err();
            assert_eq!(e.code(), "too_wide");
            assert!(e.to_string().starts_with("1001 prepared columns, over the limit of 1000 for the projection onto principal components"), "{e}");
            assert!(e.to_string().contains("--ignore"), "{e}");
        }
        assert!(cluster(&csv(40), &ClusterOptions::new(ClusterModel::Kmeans { k: 2, max_iter: 10, n_init: 1 })).is_ok());
    }
}
