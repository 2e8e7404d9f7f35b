//! The command line under hostile use: a failed write to stdout, a closed
//! pipe, tokens past the grammar's limits, budgets that cover no run, and
//! flags a strategy would ignore. Each ends with one line on stderr and a
//! clear exit code, or quietly, never with a panic.

mod common;

use common::{kvsim, last_json};
use std::process::{Command, Output, Stdio};

const TOKEN: &str = "kv1:monitored:spec:Cb.Sb.Sb:12";

fn assert_one_line(output: &Output, code: i32, starts: &str, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{what}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{what}: not one line:\n{stderr}");
    assert!(stderr.starts_with(starts), "{what}: {stderr}");
}

/// `kvsim args > /dev/full`.
#[cfg(target_os = "linux")]
fn to_a_full_disk(args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full opens");
    let command = Command::new(env!("CARGO_BIN_EXE_kvsim")).args(args).stdout(Stdio::from(full)).output();
    command.expect("kvsim runs")
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_is_one_line_and_exit_2() {
    let cases: &[&[&str]] = &[
        &["list"],
        &["replay", TOKEN],
        &["replay", TOKEN, "--json"],
        &["replay", TOKEN, "--format", "svg"],
        &["check", "--variant", "fixed", "--runs", "20", "--json"],
        &["check", "--variant", "monitored", "--property", "no-dead-lookup", "--seed", "1"],
        &["check", "--variant", "fixed", "--strategy", "dpor", "--workload", "create-lookup"],
        &["--help"],
    ];
    for args in cases {
        let output = to_a_full_disk(args);
        assert_one_line(&output, 2, "kvsim: cannot write to stdout: ", &format!("{args:?}"));
    }
}

/// `kvsim args | head -0`: the reader is gone before the first write.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [&["list"][..], &["replay", TOKEN], &["check", "--variant", "fixed", "--runs", "20"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kvsim"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kvsim starts");
        drop(child.stdout.take()); // close the read end
        let output = child.wait_with_output().expect("kvsim ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert!(!matches!(output.status.code(), Some(2 | 101)), "{args:?}: {:?}", output.status);
    }
}

#[test]
fn tokens_past_the_grammar_limits_are_refused_in_one_line() {
    let clients = vec!["-"; 30_000].join(",");
    let ops = vec!["La"; 257].join(".");
    let choices = "0".repeat(10_001);
    let huge_choice = format!("({})", "9".repeat(100_000));
    for token in [
        format!("kv1:fixed:spec:{clients}:_"),
        format!("kv1:fixed:spec:{ops}:_"),
        format!("kv1:fixed:spec:Ca:{choices}"),
        format!("kv1:fixed:spec:Ca:{huge_choice}"),
    ] {
        let output = kvsim(&["replay", &token]);
        assert_one_line(&output, 2, "kvsim: malformed token: ", &token[..40]);
        assert!(output.stderr.len() < 200, "{} bytes of stderr", output.stderr.len());
    }
}

#[test]
fn a_search_that_covers_no_run_never_says_pass() {
    let cases: &[&[&str]] = &[&["--runs", "0"], &["--runs", "1", "--shard", "2/2"]];
    for extra in cases {
        let args = [&["check", "--variant", "fixed", "--json"][..], extra].concat();
        let output = kvsim(&args);
        assert_eq!(output.status.code(), Some(3), "{args:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.starts_with("nothing checked in kv.fixed / spec: no run to explore"), "{stdout}");
        assert!(!stdout.contains("no violation"), "{stdout}");
        let object = last_json(&output);
        assert_eq!((object["verdict"].as_str(), object["runs"].as_u64()), (Some("no-runs"), Some(0)));
    }
    let hunt = kvsim(&["--runs", "0", "--json"]);
    assert_eq!(hunt.status.code(), Some(3));
    let object = last_json(&hunt);
    assert_eq!(object["rows_without_runs"], 60);
    assert!(object["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .all(|r| r["verdict"] == "no-runs" && r["matches"] == false));
}

#[test]
fn budgets_below_the_minimum_and_flags_a_strategy_ignores_are_refused() {
    let cases: &[&[&str]] = &[
        &["check", "--variant", "fixed", "--time", "0.0001ms"],
        &["check", "--variant", "fixed", "--time", "0.5ms"],
        &["--time", "0.0001ms"],
        &["check", "--variant", "fixed", "--depth", "3"],
        &["check", "--variant", "fixed", "--strategy", "random", "--depth", "2"],
        &["check", "--variant", "fixed", "--max-executions", "5"],
        &["check", "--variant", "fixed", "--strategy", "dfs", "--workload", "create-lookup", "--depth", "3"],
        &["check", "--variant", "fixed", "--strategy", "dfs", "--workload", "create-lookup", "--runs", "5"],
        &["check", "--variant", "fixed", "--strategy", "dpor", "--workload", "create-lookup", "--seed", "5"],
        &["check", "--variant", "fixed", "--strategy", "dpor", "--workload", "create-lookup", "--max-executions", "0"],
    ];
    for args in cases {
        assert_one_line(&kvsim(args), 2, "kvsim: ", &format!("{args:?}"));
    }
    let pct = kvsim(&["check", "--variant", "fixed", "--strategy", "pct", "--depth", "2", "--runs", "5"]);
    assert_eq!(pct.status.code(), Some(0), "{}", String::from_utf8_lossy(&pct.stderr));
}
