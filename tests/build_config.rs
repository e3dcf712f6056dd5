//! wasm-pack.toml is our build profile; wasm-pack reads Cargo.toml. These
//! checks keep the two, the setup script and the code's constants in step.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn toml(path: &str) -> toml::Table {
    read(path).parse().unwrap()
}

#[test]
fn wasm_pack_toml_agrees_with_cargo_toml() {
    let cargo = toml("Cargo.toml");
    let ours = toml("wasm-pack.toml");
    assert!(read("wasm-pack.toml").starts_with("# Our wasm build profile. wasm-pack itself reads only Cargo.toml"));

    let features = cargo["features"].as_table().unwrap();
    for section in ["release", "test"] {
        let s = ours[section].as_table().unwrap();
        assert_eq!(s["target"].as_str(), Some("web"), "{section}: the worker imports an ES module");
        assert_eq!(s["out-name"].as_str(), Some("mlcycle"), "{section}: the worker imports pkg/mlcycle.js");
        let profile = s["profile"].as_str().unwrap();
        // wasm-pack must not run (or download) its own wasm-opt for this profile.
        let wp = &cargo["package"]["metadata"]["wasm-pack"]["profile"][profile];
        assert_eq!(wp["wasm-opt"].as_bool(), Some(false), "{section}: Cargo.toml must turn wasm-pack's wasm-opt off");
        for f in s["features"].as_array().unwrap() {
            assert!(features.contains_key(f.as_str().unwrap()), "{section}: feature {f} is not in Cargo.toml");
        }
    }
    assert_eq!(ours["release"]["out-dir"].as_str(), Some("www/pkg"));
    assert!(ours["release"]["features"].as_array().unwrap().is_empty(), "the served build has no test exports");
    assert!(read(".gitignore").lines().any(|l| l == "/www/pkg"));
    assert_eq!(cargo["lib"]["crate-type"].as_array().unwrap().len(), 2);
}

#[test]
fn pins_agree() {
    let cargo = read("Cargo.toml");
    let setup = read("scripts/setup.sh");
    let bindgen = setup.lines().find_map(|l| l.strip_prefix("WASM_BINDGEN_VERSION=")).unwrap();
    let bindgen = bindgen.split_whitespace().next().unwrap();
    assert!(cargo.contains(&format!("wasm-bindgen = \"={bindgen}\"")), "wasm-bindgen crate must be pinned with = to the CLI's {bindgen}");
    assert!(cargo.contains(&format!("smartcore = {{ version = \"={}\"", mlcycle::manifest::SMARTCORE_VERSION)));
    let lock = read("Cargo.lock");
    assert!(lock.contains(&format!("name = \"smartcore\"\nversion = \"{}\"", mlcycle::manifest::SMARTCORE_VERSION)));
}

#[test]
fn smartcore_is_configured_for_identical_results_in_wasm() {
    let cargo = toml("Cargo.toml");
    let sc = &cargo["dependencies"]["smartcore"];
    let feats: Vec<&str> = sc["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(feats.contains(&"std_rand"), "without std_rand the same seed differs between native and wasm");
    assert!(!feats.contains(&"js"), "smartcore's js feature does not build for wasm32");
}
