//! cargo-fuzz target: see ../checks/csv_ingest.rs for what is checked.
#![no_main]
include!("../checks/csv_ingest.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| check_input(data));
