//! Any delay includes none: every outcome `instant` delivery reaches, and
//! every (outcome, property) violation it shows, `spec` delivery reaches
//! too, on every fixed workload and registry variant.
//!
//! Each side is searched exhaustively: by plain DFS where DFS exhausts
//! within its budget, else by DPOR (which `exhaustive_soundness.rs` checks
//! against DFS). The test prints which.

use model::Variant;
use properties::exhaustive::{Report, Search};
use properties::kv::{explore, fixed, KvProperty as Property};
use sim::explore::Limits;
use sim::Delivery;

const DFS_BUDGET: u64 = 45_000;

/// Every schedule of the workload: DFS if it exhausts within the budget, else DPOR.
fn exhaust(name: &str, variant: Variant, mode: Delivery) -> Report {
    let workload = fixed::by_name(name).expect("a built-in workload").workload(mode);
    let dfs = explore(variant, &workload, &Property::ALL, Search::Dfs, Limits::executions(DFS_BUDGET));
    if dfs.summary.exhausted {
        return dfs;
    }
    let dpor = explore(variant, &workload, &Property::ALL, Search::Dpor, Limits::default());
    assert!(dpor.summary.exhausted, "{name} / {variant} / {}: DPOR did not exhaust", mode.name());
    dpor
}

fn spec_reaches_instant(name: &str) {
    for variant in Variant::ALL {
        let label = format!("{name} / {variant}");
        let spec = exhaust(name, variant, Delivery::Spec);
        let instant = exhaust(name, variant, Delivery::Instant);
        println!(
            "{label}: instant {} outcomes ({}), spec {} outcomes ({})",
            instant.outcomes.len(),
            instant.search.name(),
            spec.outcomes.len(),
            spec.search.name()
        );
        let missing: Vec<_> = instant.outcomes.difference(&spec.outcomes).collect();
        assert!(missing.is_empty(), "{label}: spec misses instant's outcomes {missing:#?}");
        let missed: Vec<_> = instant.violating.difference(&spec.violating).collect();
        assert!(missed.is_empty(), "{label}: spec misses instant's violations {missed:#?}");
    }
}

#[test]
fn create_lookup() {
    spec_reaches_instant("create-lookup");
}

#[test]
fn removes_on_exit() {
    spec_reaches_instant("removes-on-exit");
}

#[test]
fn stop_lookup() {
    spec_reaches_instant("stop-lookup");
}

#[test]
fn create_lookup_stop() {
    spec_reaches_instant("create-lookup-stop");
}

#[test]
fn crash_create() {
    spec_reaches_instant("crash-create");
}

#[test]
fn three_clients() {
    spec_reaches_instant("three-clients");
}

/// Every fixed workload is covered by one of the tests above.
#[test]
fn every_fixed_workload_is_covered() {
    let covered =
        ["create-lookup", "removes-on-exit", "stop-lookup", "create-lookup-stop", "crash-create", "three-clients"];
    assert_eq!(fixed::names(), covered);
}
