//! Measuring search cost: how many executions a schedule strategy needs to
//! break a property, without shrinking (the benchmark's figure).
//!
//! Invariant: the count is a pure function of (subject, mode, property,
//! strategy, seed); run `r` uses the same workload and schedule seed as run
//! `r` of a check.

use crate::check::{execute_run, CheckConfig};
use crate::generate::Generation;
use crate::property::Property;
use crate::strategy::Schedule;
use crate::subject::Subject;
use sim::Delivery;

/// What to hunt for.
#[derive(Clone, Debug)]
pub struct Hunt<S: Subject> {
    pub subject: S,
    pub mode: Delivery,
    pub property: Property<S::History>,
    pub schedule: Schedule,
    pub generation: Generation,
}

impl<S: Subject> Hunt<S> {
    /// Executions (1-based) until run `r` of seed `seed` breaks the property,
    /// or `None` within `max_runs`.
    pub fn executions_to_failure(&self, seed: u64, max_runs: u64) -> Option<u64> {
        let config = CheckConfig {
            seed,
            schedule: self.schedule,
            generation: self.generation.clone(),
            ..CheckConfig::judging(self.subject.clone(), self.mode, vec![])
        };
        (0..max_runs).find_map(|run| self.property.check(&execute_run(&config, run).1.history).map(|_| run + 1))
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
