//! cargo-fuzz target: see ../checks/train.rs for what is checked.
#![no_main]
include!("../checks/train.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| check_input(data));
