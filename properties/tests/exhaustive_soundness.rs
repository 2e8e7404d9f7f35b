//! Soundness of DPOR against plain DFS: on every built-in fixed workload small
//! enough to exhaust, on every registry variant and delivery mode, DPOR
//! reaches exactly the distinct outcomes DFS reaches, with no more
//! executions, and every (outcome, property) violation DFS finds, DPOR finds.

use model::Variant;
use properties::exhaustive::{explore, Search};
use properties::{fixed, Property};
use sim::explore::Limits;
use sim::Delivery;

/// DFS executions above which a workload is too large for this test.
const DFS_BUDGET: u64 = 200_000;

#[test]
fn dpor_reaches_what_dfs_reaches() {
    for f in fixed::ALL {
        for variant in Variant::ALL {
            for mode in Delivery::ALL {
                let workload = f.workload(mode);
                let label = format!("{} / {variant} / {}", f.name, mode.name());
                let dfs = explore(variant, &workload, &Property::ALL, Search::Dfs, Limits::executions(DFS_BUDGET));
                let dpor = explore(variant, &workload, &Property::ALL, Search::Dpor, Limits::executions(DFS_BUDGET));
                println!(
                    "{label}: dfs {} ({} outcomes), dpor {} ({} outcomes, {} blocked), broken {:?} / {:?}",
                    dfs.summary.executions,
                    dfs.outcomes.len(),
                    dpor.summary.executions,
                    dpor.outcomes.len(),
                    dpor.summary.sleep_blocked,
                    dfs.broken(),
                    dpor.broken()
                );
                if !dfs.summary.exhausted {
                    continue;
                }
                assert!(dpor.summary.exhausted, "{label}: DPOR did not exhaust");
                assert!(dpor.summary.executions <= dfs.summary.executions, "{label}: DPOR ran more");
                let missing: Vec<_> = dfs.outcomes.difference(&dpor.outcomes).collect();
                assert!(missing.is_empty(), "{label}: DPOR missed outcomes {missing:#?}");
                assert_eq!(dfs.outcomes, dpor.outcomes, "{label}: DPOR reached an outcome DFS did not");
                let missed: Vec<_> = dfs.violating.difference(&dpor.violating).collect();
                assert!(missed.is_empty(), "{label}: DPOR missed violations {missed:#?}");
            }
        }
    }
}
