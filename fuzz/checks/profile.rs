// Parse then profile: no panic, and no NaN or infinity leaks into the
// profile (serde_json would quietly write them as `null`, so the numbers
// are checked one by one), the counts add up, and the profile serialises.
//
// Shared by the fuzz target (fuzz/fuzz_targets/profile.rs) and the native
// regression test (tests/fuzz_regressions.rs), which replays every kept
// input under fuzz/regressions/profile/ and fuzz/seeds/profile/.
use mlcycle::data::{parse_csv, ParseOptions};

/// Checks one input; panics on a finding.
pub fn check_input(data: &[u8]) {
    let Ok(ds) = parse_csv(data, "fuzz.csv", &ParseOptions::default()) else { return };
    let p = mlcycle::profile::profile(&ds);
    assert_eq!(p.rows, ds.n_rows);
    assert_eq!(p.columns.len(), ds.columns.len());
    assert_eq!(p.column_count, ds.columns.len());
    for c in &p.columns {
        assert_eq!(c.count + c.missing, ds.n_rows, "column {:?}", c.name);
        assert!(c.distinct <= c.count, "column {:?}", c.name);
        assert!(c.top.len() <= mlcycle::profile::TOP_VALUES);
        assert!(c.top.iter().map(|t| t.count).sum::<usize>() <= c.count, "column {:?}", c.name);
        for (what, v) in [("min", c.min), ("max", c.max), ("mean", c.mean), ("std", c.std)] {
            if let Some(x) = v {
                assert!(x.is_finite(), "column {:?}: {what} is {x}", c.name);
            }
        }
        if let (Some(lo), Some(hi)) = (c.min, c.max) {
            assert!(lo <= hi, "column {:?}: min {lo} > max {hi}", c.name);
        }
        if let Some(s) = c.std {
            assert!(s >= 0.0, "column {:?}: std {s}", c.name);
        }
    }
    serde_json::to_string(&p).expect("a profile always serialises");
}
