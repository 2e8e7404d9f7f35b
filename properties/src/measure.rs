//! Measuring search cost: how many executions a schedule strategy needs to
//! break a property, without shrinking (the benchmark's figure).
//!
//! Invariant: the count is a pure function of (variant, mode, property,
//! strategy, seed); run `r` uses the same workload and schedule seed as run
//! `r` of a check.

use crate::check::{execute_run, CheckConfig};
use crate::property::Property;
use crate::strategy::Schedule;
use model::Variant;
use sim::Delivery;

/// What to hunt for.
#[derive(Clone, Copy, Debug)]
pub struct Hunt {
    pub variant: Variant,
    pub mode: Delivery,
    pub property: Property,
    pub schedule: Schedule,
}

impl Hunt {
    /// Executions (1-based) until run `r` of seed `seed` breaks the property,
    /// or `None` within `max_runs`.
    pub fn executions_to_failure(&self, seed: u64, max_runs: u64) -> Option<u64> {
        let config = CheckConfig { seed, schedule: self.schedule, ..CheckConfig::new(self.variant, self.mode, vec![]) };
        (0..max_runs).find_map(|run| self.property.check(&execute_run(&config, run).1.history).map(|_| run + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_and_pct_both_find_the_monitored_race() {
        for schedule in [Schedule::Random, Schedule::Pct { depth: 3 }] {
            let hunt =
                Hunt { variant: Variant::Monitored, mode: Delivery::Spec, property: Property::NoDeadLookup, schedule };
            let found = hunt.executions_to_failure(1, 2_000);
            assert!(found.is_some(), "{schedule:?}");
            assert_eq!(found, hunt.executions_to_failure(1, 2_000), "deterministic");
        }
        let fixed = Hunt {
            variant: Variant::Fixed,
            mode: Delivery::Spec,
            property: Property::NoDeadLookup,
            schedule: Schedule::Pct { depth: 3 },
        };
        assert_eq!(fixed.executions_to_failure(1, 300), None);
    }
}

/// The `pct`-th percentile (nearest rank, 0..=100) of `values`; `None` when empty.
pub fn percentile(values: &[f64], pct: u32) -> Option<f64> {
    assert!(pct <= 100);
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (pct as usize * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod percentile_tests {
    use super::percentile;

    #[test]
    fn nearest_rank() {
        let v: Vec<f64> = (1..=10).map(f64::from).rev().collect();
        assert_eq!(percentile(&v, 50), Some(5.0));
        assert_eq!(percentile(&v, 90), Some(9.0));
        assert_eq!(percentile(&v, 100), Some(10.0));
        assert_eq!(percentile(&[], 50), None);
    }
}
