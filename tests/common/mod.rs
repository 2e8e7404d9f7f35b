//! Running the `kvsim` binary from the command-line tests, and reading the
//! JSON object its `--json` flag prints on the last line of stdout.

#![allow(dead_code)] // each test binary uses its own share of these

use serde_json::Value;
use std::process::{Command, Output};

/// Runs `kvsim` with `args` and waits for it.
pub fn kvsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kvsim")).args(args).output().expect("kvsim runs")
}

/// The JSON object on the last line of stdout.
pub fn last_json(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().expect("some output");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}
