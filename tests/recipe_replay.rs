//! User recipe steps (an alert's fix added to a run) are recorded in the
//! manifest through the fitted recipe, and a replay refits them to the
//! same numbers.

use std::collections::BTreeMap;

use mlcycle::data::{parse_csv, ParseOptions};
use mlcycle::manifest::RunManifest;
use mlcycle::prepare::{ImputeStrategy, ScaleMethod, StepSpec};
use mlcycle::profile::{profile_with, AlertCode, ProfileOptions};
use mlcycle::run::{replay, run, RunOptions};

#[test]
fn a_run_with_user_steps_replays_bit_for_bit() {
    let mut csv = String::from("a,b,colour,y\n");
    for i in 0..80 {
        let a = if i % 9 == 0 { String::new() } else { format!("{}", (i * 7) % 23) };
        csv.push_str(&format!("{a},{},{},{}\n", (i * 5) % 17, ["Red", "red", "blue"][i % 3], if (i * 7) % 23 > 11 { "hi" } else { "lo" }));
    }
    // Duplicate rows, so the drop-duplicates step has work to do.
    csv.push_str("1,1,Red,lo\n1,1,Red,lo\n1,1,Red,lo\n");
    let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();

    // The profile's fixes are the steps we add.
    let p = profile_with(&ds, &ProfileOptions { target: Some("y".into()), ..Default::default() }).unwrap();
    let fixes: Vec<StepSpec> = p.alerts.iter().filter(|a| matches!(a.code, AlertCode::DuplicateRows | AlertCode::CaseVariants)).filter_map(|a| a.fix()).collect();
    assert_eq!(fixes.len(), 2, "{:?}", p.alerts);
    let mut steps = fixes;
    steps.push(StepSpec::Impute { column: "a".into(), strategy: ImputeStrategy::Mean, indicator: true });
    steps.push(StepSpec::Scale { column: "b".into(), method: ScaleMethod::Standard });

    let out = run(&ds, &RunOptions { n_trees: Some(10), recipe: steps, ..RunOptions::new("y") }).unwrap();
    assert!(out.result.features.contains(&"a__missing".to_string()));
    assert!(out.result.features.contains(&"colour=red".to_string()));
    assert!(!out.result.features.contains(&"colour=Red".to_string()));
    let text = out.manifest(BTreeMap::new()).to_json().unwrap();
    assert!(text.contains("\"drop_duplicate_rows\""));
    let m = RunManifest::from_bytes(text.as_bytes()).unwrap();
    let report = replay(&ds, &m).unwrap();
    assert!(report.reproduced, "{:?}", report.differences);
}
