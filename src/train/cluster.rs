//! Unsupervised models: k-means and DBSCAN (a cluster label per row) and
//! PCA (a projection of every row), through smartcore.
//!
//! Takes a prepared matrix (finite by construction) and a validated
//! [`ClusterSpec`]; standardises the columns (clusters and components
//! depend on scale), checks every parameter against the data and the
//! magnitude of the values first — smartcore's DBSCAN, like its k-NN,
//! recurses without end on an infinite distance and overflows the stack,
//! and one huge value makes distances infinite — then gives a
//! [`ClusterResult`]. No wasm here.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use smartcore::cluster::dbscan::{DBSCANParameters, DBSCAN};
use smartcore::cluster::kmeans::{KMeans, KMeansParameters};
use smartcore::decomposition::pca::{PCAParameters, PCA};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::metrics::distance::euclidian::Euclidian;

use super::svm::Scaler;
use super::{check_finite, invalid, to_dense, TrainError, MAX_MAGNITUDE};

/// Most clusters k-means may look for.
pub const MAX_CLUSTERS: usize = 100;
/// Most rows DBSCAN takes: its neighbour searches grow quickly with them.
pub const MAX_DBSCAN_ROWS: usize = 50_000;
/// Most columns PCA takes (its eigen-decomposition grows with their cube).
pub const MAX_PCA_COLUMNS: usize = 500;

/// An unsupervised model and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClusterSpec {
    /// k-means with k-means++ seeding.
    Kmeans {
        /// Clusters, 1..=100 and at most the rows.
        k: usize,
        /// Most iterations, 1..=10000.
        max_iter: usize,
    },
    /// Density-based clusters; rows in no dense region are noise.
    Dbscan {
        /// Neighbourhood radius (in standardised units), greater than 0, at most 1e6.
        eps: f64,
        /// Rows within `eps` that make a core point, 1..=rows.
        min_samples: usize,
    },
    /// Principal components: each row projected on the first components.
    Pca {
        /// Components, 1..=the columns (2 for a plot).
        components: usize,
    },
}

impl ClusterSpec {
    /// The model's name, as `--model` spells it.
    pub fn name(&self) -> &'static str {
        match self {
            ClusterSpec::Kmeans { .. } => "kmeans",
            ClusterSpec::Dbscan { .. } => "dbscan",
            ClusterSpec::Pca { .. } => "pca",
        }
    }

    /// Checks the parameters alone (ranges that do not depend on the data).
    pub fn validate(&self) -> Result<(), TrainError> {
        match *self {
            ClusterSpec::Kmeans { k, max_iter } => {
                if k == 0 || k > MAX_CLUSTERS {
                    return Err(invalid("k", k, "1 to 100, and at most the rows"));
                }
                if max_iter == 0 || max_iter > 10_000 {
                    return Err(invalid("max_iter", max_iter, "1 to 10000"));
                }
                Ok(())
            }
            ClusterSpec::Dbscan { eps, min_samples } => {
                if !(eps.is_finite() && eps > 0.0 && eps <= 1e6) {
                    return Err(invalid("eps", eps, "greater than 0, at most 1000000"));
                }
                if min_samples == 0 || min_samples > 1_000_000 {
                    return Err(invalid("min_samples", min_samples, "1 to the rows"));
                }
                Ok(())
            }
            ClusterSpec::Pca { components } => {
                if components == 0 || components > MAX_PCA_COLUMNS {
                    return Err(invalid("components", components, "1 to the columns"));
                }
                Ok(())
            }
        }
    }
}

/// What an unsupervised model gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterResult {
    /// The model and its parameters.
    pub model: ClusterSpec,
    /// k-means: cluster 0..k per row; DBSCAN: 0 for noise, 1.. for clusters.
    pub labels: Option<Vec<u32>>,
    /// Rows per label, in label order.
    pub sizes: Option<Vec<usize>>,
    /// k-means: sum of squared distances of rows to their cluster's mean
    /// (standardised units).
    pub inertia: Option<f64>,
    /// PCA: each row's coordinates on the components.
    pub projection: Option<Vec<Vec<f64>>>,
}

fn failed(e: impl std::fmt::Display) -> TrainError {
    TrainError::Fit { message: e.to_string() }
}

/// Fits `spec` on the rows of `x` (standardised here) with `seed`.
pub fn cluster(spec: &ClusterSpec, x: &Array2<f64>, seed: u64) -> Result<ClusterResult, TrainError> {
    spec.validate()?;
    let (rows, width) = x.dim();
    if rows < 2 {
        return Err(TrainError::TooFewRows { needed: 2, found: rows });
    }
    if width == 0 {
        return Err(TrainError::WidthMismatch { expected: 1, found: 0 });
    }
    check_finite(x)?;
    let max = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max > MAX_MAGNITUDE {
        return Err(TrainError::ValuesTooLarge { model: spec.name(), max, limit: MAX_MAGNITUDE });
    }
    let x = Scaler::fit(x).apply(x);
    let dense: DenseMatrix<f64> = to_dense(&x)?;
    let sizes = |labels: &[u32], n: usize| {
        let mut s = vec![0usize; n];
        labels.iter().for_each(|&l| s[l as usize] += 1);
        s
    };
    let mut out = ClusterResult { model: spec.clone(), labels: None, sizes: None, inertia: None, projection: None };
    match *spec {
        ClusterSpec::Kmeans { k, max_iter } => {
            if k > rows {
                return Err(TrainError::InvalidParameter { name: "k", value: format!("{k} (with {rows} rows)"), allowed: "1 to 100, and at most the rows" });
            }
            let params = KMeansParameters { k, max_iter, seed: Some(seed) };
            let model: KMeans<f64, u32, DenseMatrix<f64>, Vec<u32>> = KMeans::fit(&dense, params).map_err(failed)?;
            let labels = model.predict(&dense).map_err(failed)?;
            let mut centre = vec![vec![0.0; width]; k];
            let counts = sizes(&labels, k);
            for (row, &l) in x.rows().into_iter().zip(&labels) {
                for (c, v) in centre[l as usize].iter_mut().zip(row) {
                    *c += v / counts[l as usize] as f64;
                }
            }
            let inertia = x.rows().into_iter().zip(&labels).map(|(row, &l)| row.iter().zip(&centre[l as usize]).map(|(v, c)| (v - c) * (v - c)).sum::<f64>()).sum();
            out.sizes = Some(counts);
            out.inertia = Some(inertia);
            out.labels = Some(labels);
        }
        ClusterSpec::Dbscan { eps, min_samples } => {
            if min_samples > rows {
                return Err(TrainError::InvalidParameter { name: "min_samples", value: format!("{min_samples} (with {rows} rows)"), allowed: "1 to the rows" });
            }
            if rows > MAX_DBSCAN_ROWS {
                return Err(TrainError::TooLargeForModel { model: "dbscan", reason: format!("{rows} rows, over the limit of {MAX_DBSCAN_ROWS}; sample the rows") });
            }
            let params = DBSCANParameters::default().with_eps(eps).with_min_samples(min_samples).with_distance(Euclidian::new());
            let model: DBSCAN<f64, u32, DenseMatrix<f64>, Vec<u32>, Euclidian<f64>> = DBSCAN::fit(&dense, params).map_err(failed)?;
            let labels = model.predict(&dense).map_err(failed)?;
            let n = labels.iter().max().map_or(0, |&m| m as usize + 1);
            out.sizes = Some(sizes(&labels, n));
            out.labels = Some(labels);
        }
        ClusterSpec::Pca { components } => {
            if components > width {
                return Err(TrainError::InvalidParameter { name: "components", value: format!("{components} (with {width} columns)"), allowed: "1 to the columns" });
            }
            if width > MAX_PCA_COLUMNS {
                return Err(TrainError::TooLargeForModel { model: "pca", reason: format!("{width} columns, over the limit of {MAX_PCA_COLUMNS}") });
            }
            let model = PCA::fit(&dense, PCAParameters::default().with_n_components(components)).map_err(failed)?;
            let t = model.transform(&dense).map_err(failed)?;
            let (n, c) = t.shape();
            let projection: Vec<Vec<f64>> = (0..n).map(|i| (0..c).map(|j| *t.get((i, j))).collect()).collect();
            if projection.iter().flatten().any(|v| !v.is_finite()) {
                return Err(failed("the projection is not finite (the data is degenerate)"));
            }
            out.projection = Some(projection);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Array2<f64> {
        Array2::from_shape_fn((60, 2), |(i, j)| (i / 20) as f64 * 10.0 + ((i * 7 + j * 3) % 5) as f64 * 0.1)
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn three_blobs_are_found() {
        let x = blobs();
        let k = cluster(&ClusterSpec::Kmeans { k: 3, max_iter: 100 }, &x, 1).unwrap();
        assert_eq!(k.sizes.unwrap(), vec![20, 20, 20]);
        let d = cluster(&ClusterSpec::Dbscan { eps: 0.5, min_samples: 3 }, &x, 1).unwrap();
        let mut sizes = d.sizes.unwrap();
        sizes.sort_unstable();
        assert_eq!(sizes.iter().filter(|&&s| s == 20).count(), 3, "{sizes:?}");
        let p = cluster(&ClusterSpec::Pca { components: 2 }, &x, 1).unwrap();
        assert_eq!(p.projection.unwrap().len(), 60);
    }

    #[test]
    fn hostile_parameters_and_values_are_errors() {
        let x = blobs();
        for (spec, code) in [
            (ClusterSpec::Kmeans { k: 0, max_iter: 10 }, "invalid_parameter"),
            (ClusterSpec::Kmeans { k: 61, max_iter: 10 }, "invalid_parameter"),
            (ClusterSpec::Dbscan { eps: 0.0, min_samples: 3 }, "invalid_parameter"),
            (ClusterSpec::Dbscan { eps: f64::NAN, min_samples: 3 }, "invalid_parameter"),
            (ClusterSpec::Dbscan { eps: 1.0, min_samples: 61 }, "invalid_parameter"),
            (ClusterSpec::Pca { components: 3 }, "invalid_parameter"),
        ] {
            assert_eq!(cluster(&spec, &x, 1).unwrap_err().code(), code, "{spec:?}");
        }
        let mut huge = x.clone();
        huge[[3, 1]] = 1e300;
        assert_eq!(cluster(&ClusterSpec::Dbscan { eps: 1.0, min_samples: 3 }, &huge, 1).unwrap_err().code(), "values_too_large");
        huge[[3, 1]] = f64::INFINITY;
        assert_eq!(cluster(&ClusterSpec::Kmeans { k: 2, max_iter: 10 }, &huge, 1).unwrap_err().code(), "non_finite");
    }
}
