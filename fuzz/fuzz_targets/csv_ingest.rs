//! Any bytes through CSV ingestion: an error is fine, a panic is a finding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlcycle::data::{parse_csv, ColumnValues, ParseOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(ds) = parse_csv(data, "fuzz.csv", &ParseOptions::default()) {
        assert!(ds.n_rows > 0);
        for c in &ds.columns {
            match &c.values {
                ColumnValues::Numeric(v) => {
                    assert_eq!(v.len(), ds.n_rows);
                    assert!(v.iter().flatten().all(|x| x.is_finite()));
                }
                ColumnValues::Categorical { levels, codes } => {
                    assert_eq!(codes.len(), ds.n_rows);
                    assert!(codes.iter().flatten().all(|&c| (c as usize) < levels.len()));
                }
            }
        }
    }
});
