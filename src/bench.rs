//! `kvsim bench`: executor throughput on the standard workload, tracing off.
//!
//! The standard workload is every seed test on every variant and delivery
//! mode, cycled, one seed per execution. It times the executions only (one
//! thread), and prints what it measured: executions, handler steps, seconds,
//! and both rates.

use model::Variant;
use properties::{Scenario, SeedTest};
use sim::Delivery;
use std::process::ExitCode;
use std::time::Instant;

fn standard_workload() -> Vec<Scenario> {
    let mut scenarios = Vec::new();
    for variant in Variant::ALL {
        for mode in Delivery::ALL {
            for test in SeedTest::ALL {
                scenarios.push(Scenario { variant, mode, test });
            }
        }
    }
    scenarios
}

pub fn run(executions: u64) -> ExitCode {
    let scenarios = standard_workload();
    let started = Instant::now();
    let mut steps = 0u64;
    for seed in 0..executions {
        let scenario = scenarios[(seed % scenarios.len() as u64) as usize];
        steps += scenario.run_seed(seed).steps;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "workload: {} scenarios (4 variants x 2 modes x 4 seed tests), cycled; tracing off; 1 thread",
        scenarios.len()
    );
    println!("executions: {executions}");
    println!("steps: {steps} ({:.1} per execution)", steps as f64 / executions as f64);
    println!("seconds: {seconds:.3}");
    println!("steps_per_second: {:.0}", steps as f64 / seconds);
    println!("executions_per_second: {:.0}", executions as f64 / seconds);
    ExitCode::SUCCESS
}
