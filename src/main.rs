//! The native `mlcycle` command: `profile`, `run`, `replay`, `serve`.
//! Its body is in `cli.rs`; on wasm32 (where `wasm-pack test` still builds
//! every target) it is an empty program.

#[cfg(not(target_arch = "wasm32"))]
#[path = "cli.rs"]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
