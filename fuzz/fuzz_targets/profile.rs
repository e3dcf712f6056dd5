//! cargo-fuzz target: see ../checks/profile.rs for what is checked.
#![no_main]
include!("../checks/profile.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| check_input(data));
