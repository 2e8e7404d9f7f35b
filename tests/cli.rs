//! The command line as a user meets it: every bad input is one line on
//! stderr and exit code 2; `--jobs` does not change the answer; shards cover
//! the unsharded runs exactly once; the JSON objects carry their fields.

mod common;

use common::{kvsim, last_json};

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let cases: &[&[&str]] = &[
        &["check", "--variant", "nope"],
        &["check", "--variant", "fixed", "--mode", "sideways"],
        &["check", "--variant", "fixed", "--property", "no-such"],
        &["check", "--variant", "fixed", "--shard", "3/2"],
        &["check", "--variant", "fixed", "--shard", "0/2"],
        &["check", "--variant", "fixed", "--shard", "x"],
        &["check", "--variant", "fixed", "--time", "30x"],
        &["check", "--variant", "fixed", "--jobs", "0"],
        &["check", "--variant", "fixed", "--runs", "-1"],
        &["check", "--subject", "nope"],
        &["check", "--variant", "fixed", "--weights", "nope=1"],
        &["check", "--variant", "fixed", "--weights", "create=x"],
        &["check", "--variant", "fixed", "--weights", "create=0,lookup=0,stop=0,crash=0,put=0,get=0"],
        &["check", "--subject", "bank", "--swarm"],
        &["check", "--variant", "fixed", "--strategy", "dfs", "--workload", "create-lookup", "--swarm"],
        &["check", "--subject", "bank", "--variant", "nope"],
        &["check", "--variant", "fixed", "--property", "nope"],
        &["check", "--subject", "bank", "--property", "no-dead-lookup"],
        &["replay", "kv1:monitored:spec"],
        &["replay", "kvsim1:bank.nope:spec:T0=1:_"],
        &["replay", "kvsim1:bank.racy:spec:T7=1:_"],
        &["replay", "kvsim1:bank.racy:spec:T1=1,T0=2:z"],
        &["replay", "kvsim1:bank.racy:spec:T1=1,T0=2:00111111111111111"],
        &["replay", "kv9:monitored:spec:Ca:_"],
        &["replay", "kv1:nope:spec:Ca:_"],
        &["frobnicate"],
        &["check", "--variant", "fixed", "--strategy", "dpor", "--workload", "create-lookup", "--shard", "2/3"],
        &["check", "--variant", "fixed", "--strategy", "dfs", "--workload", "create-lookup", "--time", "1s"],
        &["check", "--variant", "fixed", "--strategy", "dpor", "--workload", "create-lookup", "--jobs", "2"],
        &["--runs", "many"],
    ];
    for args in cases {
        let output = kvsim(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: not one line:\n{stderr}");
        assert!(stderr.starts_with("kvsim: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn jobs_report_the_same_first_failure() {
    let base = ["check", "--variant", "monitored", "--property", "create-visible", "--seed", "4", "--json"];
    let one = last_json(&kvsim(&[&base[..], &["--jobs", "1"]].concat()));
    let two = last_json(&kvsim(&[&base[..], &["--jobs", "2"]].concat()));
    assert_eq!(one["verdict"], "violation");
    for field in ["first_failing_run", "executions_to_failure", "token"] {
        assert_eq!(one[field], two[field], "{field}");
    }
}

#[test]
fn shards_cover_the_unsharded_runs_exactly_once() {
    let base = ["check", "--variant", "fixed", "--property", "no-dead-lookup", "--runs", "1000", "--json"];
    let whole = last_json(&kvsim(&base));
    assert_eq!(whole["runs"], 1000);
    let mut covered = 0;
    for shard in ["1/3", "2/3", "3/3"] {
        let part = last_json(&kvsim(&[&base[..], &["--shard", shard]].concat()));
        assert_eq!(part["shard"], shard);
        covered += part["runs"].as_u64().expect("runs is a number");
    }
    assert_eq!(covered, 1000);
}

#[test]
fn a_time_limit_stops_and_reports_what_was_covered() {
    let output = kvsim(&["check", "--variant", "fixed", "--runs", "1000000000", "--time", "200ms", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let object = last_json(&output);
    assert_eq!(object["stopped_by"], "time");
    let runs = object["runs"].as_u64().expect("runs is a number");
    assert!(runs > 0 && runs < 1_000_000_000, "{runs}");
    assert_eq!(object["executions"], runs);
}

#[test]
fn check_prints_a_final_line_of_totals() {
    let output = kvsim(&["check", "--variant", "fixed", "--runs", "200"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().expect("output");
    assert!(last.starts_with("executions 200, steps "), "{last}");
    assert!(last.ends_with("executions/s"), "{last}");
}

#[test]
fn the_bug_hunt_matches_the_expected_matrix() {
    let output = kvsim(&["--runs", "3000", "--json"]);
    let object = last_json(&output);
    assert_eq!(output.status.code(), Some(0), "{object}");
    let rows = object["rows"].as_array().expect("rows");
    // The registry's 4 variants x 2 modes x 7 properties, and the bank's 2 x 2 x 1.
    assert_eq!(rows.len(), 4 * 2 * 7 + 2 * 2);
    assert_eq!(object["mismatches"], 0);
    for row in rows {
        assert_eq!(row["matches"], true, "{row}");
        if row["verdict"] == "violation" {
            let prefix = format!("kvsim1:{}:", row["subject"].as_str().expect("a subject"));
            assert!(row["token"].as_str().is_some_and(|t| t.starts_with(&prefix)), "{row}");
        }
    }
    assert!(object["executions_per_second"].as_f64().is_some_and(|rate| rate > 0.0));
}
