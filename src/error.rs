//! The crate error: one variant per stage, each wrapping that stage's own
//! error enum, so callers can match on the stage and read a stable code.
//! No wasm here.

use thiserror::Error;

use crate::cluster::ClusterError;
use crate::data::DataError;
use crate::manifest::ManifestError;
use crate::prepare::PrepareError;
use crate::run::ReplayError;
use crate::search::SearchError;
use crate::train::TrainError;

/// Any error mlcycle reports. `Display` is one lowercase line naming the
/// problem and where it is.
#[derive(Debug, Error)]
pub enum Error {
    /// Reading or parsing the data file.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Fitting or applying the preparation recipe.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// Validating options or fitting a model.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// Setting up a hyperparameter search.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// Reading, validating or writing a run manifest.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// Replaying a manifest against data.
    #[error(transparent)]
    Replay(#[from] ReplayError),
    /// Clustering or projecting (k-means, DBSCAN, PCA).
    #[error(transparent)]
    Cluster(#[from] ClusterError),
}

impl Error {
    /// The stage the error comes from, as JS error names spell it.
    pub fn stage(&self) -> &'static str {
        match self {
            Error::Data(_) => "DataError",
            Error::Prepare(_) => "PrepareError",
            Error::Train(_) => "TrainError",
            Error::Search(_) => "SearchError",
            Error::Manifest(_) => "ManifestError",
            Error::Replay(_) => "ReplayError",
            Error::Cluster(_) => "ClusterError",
        }
    }

    /// A stable machine-readable code, e.g. `ragged_row` or `data_mismatch`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Data(e) => e.code(),
            Error::Prepare(e) => e.code(),
            Error::Train(e) => e.code(),
            Error::Search(e) => e.code(),
            Error::Manifest(e) => e.code(),
            Error::Replay(e) => e.code(),
            Error::Cluster(e) => e.code(),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
