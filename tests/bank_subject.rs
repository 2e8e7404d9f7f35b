//! The harness on a subject written outside kvsim (`examples/bank.rs`,
//! included as it stands): exhaustive search, tokens and the proptest
//! bridge work for it as for the registry.

#[path = "../examples/bank.rs"]
#[allow(dead_code)]
mod bank;

use properties::exhaustive::{explore, Search};
use properties::token::{decode, decode_any, encode};
use properties::Subject;
use sim::explore::Limits;
use sim::Delivery;

fn racy() -> properties::dynamic::DynSubject {
    bank::variants().remove(0)
}

/// DPOR, optimal DPOR and cached DFS (the bank's actors fingerprint
/// themselves) reach every outcome and violation DFS reaches on the crossed
/// transfers, in far fewer executions; the locked bank breaks nothing.
#[test]
fn every_strategy_reaches_what_dfs_reaches_on_the_bank() {
    for (subject, breaks) in bank::variants().into_iter().zip([true, false]) {
        for mode in Delivery::ALL {
            let workload = subject.fixed_workloads()[0].workload(mode);
            let run = |search| explore(&subject, &workload, &subject.properties(), search, Limits::default());
            let dfs = run(Search::Dfs);
            assert!(dfs.summary.exhausted);
            assert_eq!(!dfs.broken().is_empty(), breaks, "{}", subject.name());
            for search in [Search::Dpor, Search::Odpor, Search::DfsCached] {
                let found = run(search);
                let at = format!("{} / {} / {search:?}", subject.name(), mode.name());
                assert!(found.summary.exhausted, "{at}");
                assert_eq!(dfs.outcomes, found.outcomes, "{at}");
                assert_eq!(dfs.violating, found.violating, "{at}");
                assert!(found.summary.executions < dfs.summary.executions / 10, "{at}: {}", found.summary.executions);
            }
        }
    }
}

/// A bank token names its subject; it decodes only against it, and replays
/// to the violation it was found with.
#[test]
fn a_bank_token_replays_and_belongs_to_its_subject() {
    let subject = racy();
    let report = explore(
        &subject,
        &subject.fixed_workloads()[0].workload(Delivery::Spec),
        &subject.properties(),
        Search::Dpor,
        Limits::default(),
    );
    let first = properties::exhaustive::earliest(&report).expect("the racy bank breaks conserved");
    let workload = subject.fixed_workloads()[0].workload(Delivery::Spec);
    let text = encode(&subject, &workload, &first.choices);
    assert!(text.starts_with("kvsim1:bank.racy:spec:T0=1,T1=2:"), "{text}");
    let token = decode(&subject, &text).expect("decodes");
    let replay = subject.replay(&token.workload, &token.choices);
    assert!(subject.properties()[0].check(&replay.history).is_some());
    let locked = bank::variants().remove(1);
    assert!(decode(&locked, &text).is_err(), "a racy token is not a locked one");
    let (found, _) = decode_any(&bank::variants(), &text).expect("one of the variants reads it");
    assert_eq!(found.name(), "bank.racy");
}
