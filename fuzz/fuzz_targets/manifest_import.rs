//! Any bytes as a manifest: an error is fine; what is accepted round-trips.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlcycle::manifest::RunManifest;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = RunManifest::from_bytes(data) {
        let again = RunManifest::from_bytes(m.to_json().as_bytes()).expect("a written manifest reads back");
        assert_eq!(again, m);
    }
});
