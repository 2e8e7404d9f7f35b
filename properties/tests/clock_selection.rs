//! The clock rule follows the selected properties: a search judging only
//! clock-free properties runs DPOR without it (fewer executions) and still
//! finds every violation of those properties DFS finds; a search judging a
//! clock-reading property keeps it and stays exact.

use model::Variant;
use properties::exhaustive::{Report, Search};
use properties::kv::op::Name;
use properties::kv::{explore, fixed, KvProperty as Property, Op};
use properties::Workload;
use sim::explore::{ClockRule, Limits};
use sim::Delivery;
use std::collections::BTreeSet;

const BUDGET: u64 = 200_000;

/// Every property that does not read the clock.
fn clock_free() -> Vec<Property> {
    Property::ALL.into_iter().filter(|p| !p.reads_clock()).collect()
}

fn run(name: &str, variant: Variant, mode: Delivery, properties: &[Property], search: Search) -> Report {
    let workload = fixed::by_name(name).expect("a built-in workload").workload(mode);
    explore(variant, &workload, properties, search, Limits::executions(BUDGET))
}

fn only(report: &Report, properties: &[Property]) -> BTreeSet<(String, &'static str)> {
    report.violating.iter().filter(|(_, p)| properties.iter().any(|q| q.name() == *p)).cloned().collect()
}

#[test]
fn clock_free_properties_get_fewer_executions_and_every_violation_dfs_finds() {
    let free = clock_free();
    let (mut cheap, mut exact, mut violations) = (0, 0, 0);
    for f in fixed::ALL.iter().filter(|f| f.name != "three-clients") {
        for variant in Variant::ALL {
            for mode in Delivery::ALL {
                let label = format!("{} / {variant} / {}", f.name, mode.name());
                let dfs = run(f.name, variant, mode, &Property::ALL, Search::Dfs);
                if !dfs.summary.exhausted {
                    continue;
                }
                let full = run(f.name, variant, mode, &Property::ALL, Search::Dpor);
                let fast = run(f.name, variant, mode, &free, Search::Dpor);
                assert!(full.clock != ClockRule::Ignored && fast.clock == ClockRule::Ignored, "{label}");
                assert!(fast.summary.exhausted, "{label}");
                assert_eq!(fast.outcomes, dfs.outcomes, "{label}");
                assert_eq!(only(&fast, &free), only(&dfs, &free), "{label}: violations differ");
                assert!(fast.summary.executions <= full.summary.executions, "{label}");
                cheap += fast.summary.executions;
                exact += full.summary.executions;
                violations += only(&dfs, &free).len();
            }
        }
    }
    println!("clock-free selection: {cheap} executions against {exact}; {violations} violations compared");
    assert!(cheap < exact, "dropping the clock rule saved nothing");
    assert!(violations > 0, "no clock-free violation to compare");
}

#[test]
fn three_clients_clock_free_is_cheaper_with_the_same_outcomes() {
    let free = clock_free();
    for (variant, mode) in [(Variant::Fixed, Delivery::Spec), (Variant::Monitored, Delivery::Instant)] {
        let full = run("three-clients", variant, mode, &Property::ALL, Search::Dpor);
        let fast = run("three-clients", variant, mode, &free, Search::Dpor);
        let label = format!("{variant} / {}", mode.name());
        assert!(full.summary.exhausted && fast.summary.exhausted, "{label}");
        assert_eq!(full.outcomes, fast.outcomes, "{label}");
        assert!(fast.summary.executions < full.summary.executions, "{label}");
        assert_eq!(only(&fast, &free), only(&full, &free), "{label}");
    }
}

/// `no-dead-lookup` alone keeps the clock rule: it finds the violation that
/// DPOR without the rule misses (exhaustive_soundness.rs shows the miss),
/// with exactly the executions of a search judging every property under
/// the same rule (all but `linearizable`, which needs clock reads ordered).
#[test]
fn a_clock_reading_selection_stays_exact() {
    let (variant, mode) = (Variant::Unmonitored, Delivery::Spec);
    let dfs = run("create-lookup-stop", variant, mode, &Property::ALL, Search::Dfs);
    let same_rule = Property::needing_at_most(ClockRule::WithDeaths);
    let full = run("create-lookup-stop", variant, mode, &same_rule, Search::Dpor);
    let selected = [Property::NoDeadLookup];
    let one = run("create-lookup-stop", variant, mode, &selected, Search::Dpor);
    assert!(dfs.summary.exhausted && one.summary.exhausted && one.clock == ClockRule::WithDeaths);
    assert_eq!(full.clock, ClockRule::WithDeaths);
    assert!(!only(&dfs, &selected).is_empty(), "DFS finds a dead lookup here");
    assert_eq!(only(&one, &selected), only(&dfs, &selected));
    assert_eq!(one.summary, full.summary);
    for property in [Property::CreateVisible, Property::NoDeadLookup] {
        let with_free: Vec<Property> = clock_free().into_iter().chain([property]).collect();
        assert!(
            run("create-lookup", variant, mode, &with_free, Search::Dpor).clock != ClockRule::Ignored,
            "{property}"
        );
    }
}

/// Found by `random_soundness.rs` (case 50): in `instant` mode an exit
/// signal dropped at a dead process is a liveness read, since landing it
/// could have been the kill. Without that, client3's dropped kill looked
/// independent of client2's killing step, and DPOR without the clock rule
/// never let client3 be the killer, missing the outcome where client2's
/// later lookup sees the bucket gone.
#[test]
fn a_dropped_kill_races_with_the_kill_that_landed() {
    let a = || Name::from_static("a");
    let clients = vec![vec![Op::Create(a())], vec![Op::Crash(a()), Op::Lookup(a())], vec![Op::Crash(a())]];
    let workload = Workload::new(Delivery::Instant, clients);
    let limits = Limits::executions(BUDGET);
    let full = explore(Variant::Monitored, &workload, &Property::ALL, Search::Dpor, limits);
    let fast = explore(Variant::Monitored, &workload, &clock_free(), Search::Dpor, limits);
    assert!(full.summary.exhausted && fast.summary.exhausted && fast.clock == ClockRule::Ignored);
    assert_eq!(fast.outcomes, full.outcomes);
}
