//! State caching on kvsim's own actors (`sim::explore::dfs::explore_cached`,
//! every actor fingerprinted, the history's stamps included): one sequential
//! client of create, lookup and stop, where DPOR's executions grow fastest
//! (issue 14). Cached DFS reaches exactly DPOR's outcomes and violations
//! (and plain DFS's, at four operations), on every variant in both modes.

use model::Variant;
use properties::exhaustive::Search;
use properties::kv::op::Name;
use properties::kv::{explore, outcome, Kv, KvProperty as Property, Op};
use properties::{Subject, Workload};
use sim::explore::{dfs, Limits, Summary};
use sim::trace::TraceLevel;
use sim::Delivery;
use std::collections::BTreeSet;

/// `ops` operations of one client: create, lookup, stop, lookup, ... on one name.
fn sequential(ops: usize, mode: Delivery) -> Workload<Op> {
    let a = || Name::from_static("a");
    let cycle = [Op::Create(a()), Op::Lookup(a()), Op::Stop(a()), Op::Lookup(a())];
    Workload::new(mode, vec![cycle.into_iter().cycle().take(ops).collect()])
}

type Found = (BTreeSet<String>, BTreeSet<(String, &'static str)>);

fn cached(variant: Variant, workload: &Workload<Op>) -> (Summary, dfs::Cache, Found) {
    let (mut outcomes, mut violating) = (BTreeSet::new(), BTreeSet::new());
    let subject = Kv(variant);
    let mut scenario = |scheduler| {
        let run = subject.execute(workload, scheduler, TraceLevel::Off);
        let text = outcome(&run.history);
        for property in Property::ALL {
            if property.check(&run.history).is_some() {
                violating.insert((text.clone(), property.name()));
            }
        }
        outcomes.insert(text);
    };
    let (summary, cache) = dfs::explore_cached(&mut scenario, Limits::executions(200_000));
    (summary, cache, (outcomes, violating))
}

/// Cached DFS against DPOR (4 and 6 operations) and plain DFS (4), every
/// variant and mode; prints the counts (BENCHMARKS.md's figures).
#[test]
fn cached_dfs_reaches_what_dpor_and_dfs_reach() {
    let mut pruned = 0;
    for ops in [4, 6] {
        for variant in Variant::ALL {
            for mode in Delivery::ALL {
                let label = format!("{ops} operations / {variant} / {}", mode.name());
                let workload = sequential(ops, mode);
                let (summary, cache, (outcomes, violating)) = cached(variant, &workload);
                let limits = Limits::executions(200_000);
                let dpor = explore(variant, &workload, &Property::ALL, Search::Dpor, limits);
                println!(
                    "{label}: cached DFS {} executions ({cache:?}), DPOR {}",
                    summary.executions, dpor.summary.executions
                );
                assert!(summary.exhausted && dpor.summary.exhausted, "{label}");
                assert_eq!((&outcomes, &violating), (&dpor.outcomes, &dpor.violating), "{label}");
                if ops == 4 {
                    let dfs = explore(variant, &workload, &Property::ALL, Search::Dfs, limits);
                    assert!(dfs.summary.exhausted, "{label}");
                    assert_eq!((&outcomes, &violating), (&dfs.outcomes, &dfs.violating), "{label}");
                    assert!(summary.executions <= dfs.summary.executions, "{label}");
                }
                pruned += cache.pruned;
            }
        }
    }
    assert!(pruned > 0, "no state was met twice: are the actors fingerprinted?");
}
