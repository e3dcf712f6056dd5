//! Parse then profile: the profile always serialises (no NaN leaks).
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlcycle::data::{parse_csv, ParseOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(ds) = parse_csv(data, "fuzz.csv", &ParseOptions::default()) {
        let p = mlcycle::profile::profile(&ds);
        assert_eq!(p.columns.len(), ds.columns.len());
        let json = serde_json::to_string(&p).expect("a profile always serialises");
        assert!(!json.contains("NaN"));
    }
});
