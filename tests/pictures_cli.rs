//! `kvsim replay --format/--out` and `kvsim check --svg` from the outside:
//! where the bytes go, and the exit codes for bad output paths and formats.

mod common;

use common::kvsim;

use std::path::PathBuf;

const TOKEN: &str = "kv2:monitored:spec:Ca.Sa.La:12";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kvsim-pictures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir.join(name)
}

#[test]
fn a_picture_format_alone_takes_stdout() {
    let out = kvsim(&["replay", TOKEN, "--format", "mermaid"]);
    assert_eq!(out.status.code(), Some(1), "the token shows a violation");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("sequenceDiagram\n"));
    let svg = kvsim(&["replay", TOKEN, "--format", "svg"]);
    assert!(String::from_utf8_lossy(&svg.stdout).starts_with("<?xml"));
}

#[test]
fn out_writes_the_picture_and_stdout_keeps_the_report() {
    let path = scratch("replay.json");
    let out = kvsim(&["replay", TOKEN, "--format", "json", "--out", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("replay: cargo run --release -- replay"));
    let written = std::fs::read_to_string(&path).expect("the picture was written");
    assert!(written.contains("\"format\": \"kvsim-trace/1\""), "{written}");
}

#[test]
fn an_unwritable_out_path_is_one_line_on_stderr_and_exit_2() {
    let out = kvsim(&["replay", TOKEN, "--format", "svg", "--out", "/nonexistent-dir/x.svg"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("kvsim: cannot write /nonexistent-dir/x.svg"), "{stderr}");
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let out = kvsim(&["replay", TOKEN, "--format", "png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: text, json, mermaid, svg"));
}

#[test]
fn check_svg_writes_the_chart_of_the_counterexample_it_found() {
    let path = scratch("check.svg");
    let path_arg = path.to_str().expect("utf-8");
    let args = ["check", "--variant", "monitored", "--property", "no-dead-lookup", "--runs", "200", "--svg", path_arg];
    let out = kvsim(&args);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let svg = std::fs::read_to_string(&path).expect("the chart was written");
    assert!(svg.starts_with("<?xml") && svg.contains("no-dead-lookup") && svg.ends_with("</svg>\n"));
    let bad = kvsim(&["check", "--variant", "monitored", "--runs", "200", "--svg", "/nonexistent-dir/c.svg"]);
    assert_eq!(bad.status.code(), Some(2));
}
