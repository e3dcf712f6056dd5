//! cargo-fuzz target: see ../checks/manifest_import.rs for what is checked.
#![no_main]
include!("../checks/manifest_import.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| check_input(data));
