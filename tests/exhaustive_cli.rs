//! The exhaustive strategies and the benchmark as a user meets them: `check
//! --strategy dpor` exhausts `three-clients` on `fixed` with no violation and
//! finds the race on `monitored`; `--strategy odpor` does the same, never
//! sleep-set blocked; the JSON objects carry `strategy`,
//! `exhausted` and `executions`; `--strategy dfs-cached` reaches what DFS
//! reaches and counts the states it met; a search stopped short (budget,
//! delay bound) is `incomplete`, exit 3, never a pass; `list` shows the
//! fixed workloads; `bench --quick --json` prints every figure.

mod common;

use common::{kvsim, last_json};

use serde_json::Value;
use std::process::Output;

fn dpor(variant: &str, workload: &str) -> (Output, Value) {
    let args =
        ["check", "--strategy", "dpor", "--variant", variant, "--mode", "spec", "--workload", workload, "--json"];
    let output = kvsim(&args);
    let object = last_json(&output);
    (output, object)
}

#[test]
fn dpor_exhausts_three_clients_on_fixed_and_finds_the_monitored_race() {
    let (output, fixed) = dpor("fixed", "three-clients");
    assert_eq!(output.status.code(), Some(0), "{fixed}");
    assert_eq!((fixed["strategy"].as_str(), fixed["exhausted"].as_bool()), (Some("dpor"), Some(true)));
    assert!(fixed["executions"].as_u64().is_some_and(|n| n > 1), "{fixed}");
    assert_eq!(fixed["verdict"], "pass");
    let fast = last_json(&kvsim(&[
        "check",
        "--strategy",
        "dpor",
        "--variant",
        "fixed",
        "--workload",
        "three-clients",
        "--outcomes-only",
        "--json",
    ]));
    assert_eq!((fast["exhausted"].as_bool(), fast["outcomes_only"].as_bool()), (Some(true), Some(true)), "{fast}");
    assert_eq!(fast["outcomes"], fixed["outcomes"]);
    assert!(fast["executions"].as_u64() <= fixed["executions"].as_u64(), "{fast} {fixed}");
    let (output, monitored) = dpor("monitored", "three-clients");
    assert_eq!(output.status.code(), Some(1), "{monitored}");
    assert_eq!(monitored["verdict"], "violation");
    assert_eq!(monitored["broken"], serde_json::json!(["linearizable", "no-dead-lookup"]));
    let token = monitored["token"].as_str().expect("a token");
    let replay = kvsim(&["replay", token]);
    assert_eq!(replay.status.code(), Some(1), "the token replays to the violation");
}

/// `--strategy odpor`: exhausts `three-clients` on both variants in both
/// modes, never sleep-set blocked, the same outcomes and verdict as `dpor`.
#[test]
fn odpor_exhausts_three_clients_unblocked_with_dpors_outcomes() {
    for variant in ["fixed", "monitored"] {
        for mode in ["spec", "instant"] {
            let run = |strategy: &str| {
                let args = [
                    "check",
                    "--strategy",
                    strategy,
                    "--variant",
                    variant,
                    "--mode",
                    mode,
                    "--workload",
                    "three-clients",
                ];
                let output = kvsim(&[&args[..], &["--json"]].concat());
                (output.status.code(), last_json(&output))
            };
            let ((code, odpor), (dpor_code, dpor)) = (run("odpor"), run("dpor"));
            assert_eq!((odpor["strategy"].as_str(), odpor["exhausted"].as_bool()), (Some("odpor"), Some(true)));
            assert_eq!(odpor["sleep_blocked"], 0, "{odpor}");
            assert_eq!((code, &odpor["outcomes"], &odpor["broken"]), (dpor_code, &dpor["outcomes"], &dpor["broken"]));
        }
    }
}

#[test]
fn strategy_flags_are_checked_and_random_and_pct_report_the_strategy() {
    for bad in [
        &["check", "--variant", "fixed", "--strategy", "dpor"][..],
        &["check", "--variant", "fixed", "--strategy", "odpor"],
        &["check", "--variant", "fixed", "--workload", "three-clients"],
        &["check", "--variant", "fixed", "--strategy", "dfs", "--workload", "nope"],
        &["check", "--variant", "fixed", "--strategy", "sideways"],
        &["check", "--variant", "fixed", "--strategy", "dfs", "--workload", "three-clients", "--outcomes-only"],
    ] {
        let output = kvsim(bad);
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr).lines().count(), 1, "{bad:?}");
    }
    for strategy in ["random", "pct"] {
        let args =
            ["check", "--variant", "monitored", "--property", "no-dead-lookup", "--strategy", strategy, "--json"];
        let object = last_json(&kvsim(&args));
        assert_eq!((object["strategy"].as_str(), object["exhausted"].as_bool()), (Some(strategy), Some(false)));
        assert!(object["executions"].as_u64().is_some(), "{object}");
    }
    let list = String::from_utf8_lossy(&kvsim(&["list"]).stdout).to_string();
    assert!(list.contains("workload removes-on-exit") && list.contains("workload three-clients"), "{list}");
}

#[test]
fn bench_quick_prints_every_figure() {
    let output = kvsim(&["bench", "--quick", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let bench = last_json(&output);
    assert!(bench["steps_per_second"].as_f64().is_some_and(|v| v > 0.0), "{bench}");
    assert!(bench["executions_per_second"].as_f64().is_some_and(|v| v > 0.0), "{bench}");
    assert!(bench["throughput"]["memory"].as_array().is_some_and(|m| m.len() == 2), "{bench}");
    let hunts = bench["time_to_failure"].as_array().expect("rows");
    assert!(
        hunts.len() >= 10
            && hunts
                .iter()
                .all(|r| r["random"]["median_executions"].is_number() && r["pct"]["median_executions"].is_number())
    );
    let exhaustive = bench["exhaustive"].as_array().expect("rows");
    assert!(exhaustive.iter().any(|r| r["workload"] == "three-clients" && r["dpor"]["exhausted"] == true));
}

/// `--outcomes-only` is a no-op with a note: with every property selected the
/// search keeps the clock rule (the executions of a plain run); a clock-free
/// `--property` drops it by itself and runs fewer.
#[test]
fn the_clock_rule_follows_the_selected_properties() {
    let base = ["check", "--strategy", "dpor", "--variant", "fixed", "--workload", "three-clients", "--json"];
    let exact = last_json(&kvsim(&base));
    let flagged = kvsim(&[&base[..], &["--outcomes-only"]].concat());
    let note = String::from_utf8_lossy(&flagged.stderr).to_string();
    assert!(note.contains("ignored") && note.contains("no-dead-lookup"), "{note}");
    let flagged = last_json(&flagged);
    assert_eq!(flagged["executions"], exact["executions"], "{flagged} {exact}");
    assert_eq!((exact["clock_dependent"].as_bool(), flagged["clock_dependent"].as_bool()), (Some(true), Some(true)));
    let free = last_json(&kvsim(&[&base[..], &["--property", "no-lost-writes"]].concat()));
    assert_eq!(free["clock_dependent"].as_bool(), Some(false), "{free}");
    assert!(free["executions"].as_u64() < exact["executions"].as_u64(), "{free} {exact}");
    assert_eq!(free["outcomes"], exact["outcomes"]);
}

/// `--strategy dfs-cached`: reaches plain DFS's outcomes and verdict in no
/// more executions, says how many states it met and pruned, and refuses a
/// delay bound (caching is not sound with one).
#[test]
fn dfs_cached_reaches_what_dfs_reaches_and_counts_states() {
    for (variant, workload) in [("fixed", "create-lookup"), ("monitored", "stop-lookup")] {
        let run = |strategy: &str| {
            let args = ["check", "--strategy", strategy, "--variant", variant, "--workload", workload, "--json"];
            last_json(&kvsim(&args))
        };
        let (dfs, cached) = (run("dfs"), run("dfs-cached"));
        let label = format!("{variant} / {workload}");
        assert_eq!(cached["strategy"], "dfs-cached", "{label}");
        assert_eq!(cached["exhausted"], true, "{label}");
        assert_eq!((&cached["outcomes"], &cached["broken"]), (&dfs["outcomes"], &dfs["broken"]), "{label}");
        assert!(cached["executions"].as_u64() <= dfs["executions"].as_u64(), "{label}: {cached} {dfs}");
        assert!(cached["cache"]["states"].as_u64().is_some_and(|n| n > 0), "{label}: {cached}");
        assert!(dfs["cache"].is_null(), "{label}");
    }
    let refused = kvsim(&["check", "--strategy", "dfs-cached", "--workload", "create-lookup", "--max-delays", "1"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unsoundly"), "the refusal says why");
}

/// A search that found nothing but stopped short of every order is no
/// pass: cut by its budget or by a delay bound, it says so, its verdict is
/// `incomplete` and it exits 3; the JSON object names the selected property.
#[test]
fn a_search_stopped_short_is_not_a_pass() {
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--strategy", "dfs", "--variant", "monitored", "--workload", "removes-on-exit"];
        args.extend_from_slice(extra);
        args.push("--json");
        let output = kvsim(&args);
        let object = last_json(&output);
        (output.status.code(), object, String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (code, bounded, stderr) = run(&["--max-delays", "0"]);
    assert_eq!((code, bounded["verdict"].as_str()), (Some(3), Some("incomplete")), "{bounded}");
    assert_eq!(bounded["max_delays"], 0);
    assert!(stderr.contains("not a pass"), "{stderr}");
    let (code, cut, _) = run(&["--max-executions", "1", "--property", "no-dead-lookup"]);
    assert_eq!((code, cut["verdict"].as_str(), cut["exhausted"].as_bool()), (Some(3), Some("incomplete"), Some(false)));
    assert_eq!(cut["property"], "no-dead-lookup", "{cut}");
    let (code, whole, _) = run(&["--property", "no-dead-lookup"]);
    assert_eq!((code, whole["verdict"].as_str()), (Some(1), Some("violation")), "the whole space holds the race");
    let fixed = ["check", "--strategy", "dfs", "--variant", "fixed", "--workload", "removes-on-exit"];
    let output = kvsim(&[&fixed[..], &["--property", "no-dead-lookup", "--json"]].concat());
    let (code, fixed) = (output.status.code(), last_json(&output));
    assert_eq!(
        (code, fixed["verdict"].as_str(), fixed["property"].as_str()),
        (Some(0), Some("pass"), Some("no-dead-lookup"))
    );
}
