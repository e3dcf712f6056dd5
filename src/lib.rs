//! mlcycle carries a tabular dataset through the machine-learning workflow
//! and records the run so anyone can replay it and get the same numbers.
//!
//! CSV bytes are parsed into a typed [`data::Dataset`]; [`profile`]
//! describes each column and raises data-quality alerts ([`report`]
//! renders it as one HTML file); [`run::run`] infers the task, splits the rows
//! with a seed, fits a [`prepare::Recipe`] on the training rows, fits a
//! smartcore model ([`train`]) and scores the held-out rows
//! ([`evaluate`]); the outcome becomes a [`manifest::RunManifest`] in
//! canonical JSON, which [`run::replay`] checks bit for bit. The core is
//! pure: no wasm, no clock, no global random state. `src/wasm.rs` is the
//! browser's boundary and `src/main.rs` the native `mlcycle` command.

pub mod cluster;
pub mod data;
pub mod error;
pub mod evaluate;
pub mod manifest;
pub mod par;
pub mod prepare;
pub mod profile;
pub mod report;
pub mod run;
pub mod search;
pub mod train;

#[cfg(not(target_arch = "wasm32"))]
pub mod portable_math;
#[cfg(not(target_arch = "wasm32"))]
pub mod serve;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
