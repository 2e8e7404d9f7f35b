//! The default job: every seed test on every variant and delivery mode, over
//! a range of seeds, judged against the predictions of
//! `properties::expected_to_fail`.

use crate::output::outln;
use model::Variant;
use properties::kv::{expected_to_fail, Scenario, SeedTest};
use sim::Delivery;
use std::process::ExitCode;

pub fn run(seeds: u64) -> ExitCode {
    outln!(
        "{:<12} {:<8} {:<50} {:<7} {:>8} {:>11}  {:<8}",
        "variant",
        "mode",
        "test",
        "result",
        "failures",
        "first seed",
        "expected"
    );
    let mut mismatches = 0;
    for variant in Variant::ALL {
        for mode in Delivery::ALL {
            for test in SeedTest::ALL {
                let scenario = Scenario { variant, mode, test };
                let found = scenario.explore(0..seeds);
                let failed = found.first_failure.is_some();
                let expected = expected_to_fail(variant, mode, test);
                let first = found.first_failure.as_ref().map_or("-".to_string(), |f| f.seed.to_string());
                let verdict = if failed == expected { "as predicted" } else { "MISMATCH" };
                mismatches += usize::from(failed != expected);
                let result = if failed { "failed" } else { "passed" };
                outln!(
                    "{:<12} {:<8} {:<50} {:<7} {:>8} {:>11}  {}",
                    variant.name(),
                    mode.name(),
                    test.name(),
                    result,
                    found.failed_runs,
                    first,
                    verdict
                );
            }
        }
    }
    outln!("{seeds} seeds per row; {mismatches} rows differ from the prediction");
    if mismatches == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
