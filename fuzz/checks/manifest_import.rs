// Any bytes as a manifest: an error is fine, a panic is a finding; what is
// accepted writes out canonically and reads back equal, and the canonical
// text is a fixed point.
//
// Shared by the fuzz target (fuzz/fuzz_targets/manifest_import.rs) and the native
// regression test (tests/fuzz_regressions.rs), which replays every kept
// input under fuzz/regressions/manifest_import/ and fuzz/seeds/manifest_import/.
use mlcycle::manifest::RunManifest;

/// Checks one input; panics on a finding.
pub fn check_input(data: &[u8]) {
    let Ok(m) = RunManifest::from_bytes(data) else { return };
    let text = m.to_json().unwrap_or_else(|e| panic!("an accepted manifest writes out: {e}"));
    let again = RunManifest::from_bytes(text.as_bytes()).unwrap_or_else(|e| panic!("a written manifest reads back: {e}\n{text}"));
    assert_eq!(again, m);
    assert_eq!(again.to_json().ok(), Some(text), "canonical JSON is not stable");
}
