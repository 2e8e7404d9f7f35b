//! `properties`: what kvsim checks, and how it searches for a failure.
//!
//! Owns the seed's tests as [`Driver`](sim::Driver) scenarios, the expected
//! outcome of each (`expected`), exploration over seeds with
//! replay of a recorded choice log, generated concurrent workloads, their
//! histories, one checker per property, shrinking and replay tokens. It sees
//! executors only through `sim::det`'s public API and registries only
//! through `model`.

pub mod check;
pub mod checkers;
mod client;
pub mod exhaustive;
mod expected;
mod explore;
mod failure;
pub mod fixed;
pub mod generate;
pub mod harness;
pub mod history;
pub mod linearizability;
pub mod loom_models;
pub mod measure;
pub mod property;
pub mod render;
pub mod report;
pub mod run;
mod seed_tests;
mod shard;
pub mod shrink;
pub mod strategy;
pub mod token;
pub mod workload;

pub use expected::{expected_to_fail, expected_violation};
pub use explore::{Exploration, FirstFailure, RunReport, Scenario};
pub use failure::Failure;
pub use property::{Culprit, Property, Violation};
pub use seed_tests::SeedTest;
pub use workload::{Op, Workload};
