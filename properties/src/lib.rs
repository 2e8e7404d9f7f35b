//! `properties`: what kvsim checks, and how it searches for a failure.
//!
//! Owns the seed's tests as [`Driver`](sim::Driver) scenarios, the expected
//! outcome of each (DESIGN.md's variant table), and exploration over seeds
//! with replay of a recorded choice log. It sees executors only through
//! `sim::det`'s public API and registries only through `model`.

mod expected;
mod explore;
mod failure;
mod seed_tests;

pub use expected::expected_to_fail;
pub use explore::{Exploration, FirstFailure, RunReport, Scenario};
pub use failure::Failure;
pub use seed_tests::SeedTest;
