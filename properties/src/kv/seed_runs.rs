//! Running a seed test on the deterministic executor: once under a given
//! scheduler, over a range of seeds, or replayed from a recorded choice log.

use crate::kv::SeedTest;
use crate::Failure;
use model::Variant;
use sim::det::{Config, Sim};
use sim::sched::{ChoiceLog, RandomScheduler, Replay, Scheduler};
use sim::trace::{Trace, TraceLevel};
use sim::Delivery;
use std::ops::Range;

/// One seed test on one registry variant under one delivery mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub variant: Variant,
    pub mode: Delivery,
    pub test: SeedTest,
}

/// What one run did.
#[derive(Debug)]
pub struct RunReport {
    pub outcome: Result<(), Failure>,
    pub choices: ChoiceLog,
    pub steps: u64,
    pub trace: Option<Trace>,
}

/// The first failure of an exploration: its seed, why, and how to replay it.
#[derive(Clone, Debug)]
pub struct FirstFailure {
    pub seed: u64,
    pub failure: Failure,
    pub choices: ChoiceLog,
}

/// The result of running a scenario over a range of seeds.
#[derive(Clone, Debug)]
pub struct Exploration {
    pub runs: u64,
    pub failed_runs: u64,
    pub steps: u64,
    pub first_failure: Option<FirstFailure>,
}

impl Scenario {
    pub fn run(&self, scheduler: Box<dyn Scheduler>, trace: TraceLevel) -> RunReport {
        let config = Config { trace, ..Config::new(self.mode) };
        let mut sim = Sim::new(config, scheduler);
        let outcome = match self.variant.start(&mut sim) {
            Ok(registry) => self.test.run(&mut sim, registry),
            Err(e) => Err(e.into()),
        };
        RunReport { outcome, choices: sim.choices().clone(), steps: sim.steps(), trace: sim.trace() }
    }

    /// One run with random choices drawn from `seed`, tracing off.
    pub fn run_seed(&self, seed: u64) -> RunReport {
        self.run(Box::new(RandomScheduler::new(seed)), TraceLevel::Off)
    }

    /// Re-runs a recorded choice log, with the full trace.
    pub fn replay(&self, choices: &ChoiceLog) -> RunReport {
        self.run(Box::new(Replay::new(choices.clone())), TraceLevel::Full)
    }

    /// Runs every seed of `seeds`, counting failures and keeping the first.
    pub fn explore(&self, seeds: Range<u64>) -> Exploration {
        let mut result = Exploration { runs: 0, failed_runs: 0, steps: 0, first_failure: None };
        for seed in seeds {
            let report = self.run_seed(seed);
            result.runs += 1;
            result.steps += report.steps;
            if let Err(failure) = report.outcome {
                result.failed_runs += 1;
                result.first_failure.get_or_insert(FirstFailure { seed, failure, choices: report.choices });
            }
        }
        result
    }
}
