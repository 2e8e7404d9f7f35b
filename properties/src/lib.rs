//! `properties`: the harness that checks a subject, and the subjects kvsim ships.
//!
//! The generic harness names no subject: a [`Subject`](subject::Subject)
//! says how to run a [`Workload`](workload::Workload) of its operations and
//! which [`Property`](property::Property) values judge its history; search
//! (`check`, over `shard`s and jobs, `strategy`: random or PCT), shrinking
//! (`shrink`), exhaustive search (`exhaustive`), replay tokens (`token`),
//! reports and pictures (`report`, `render`), time to failure (`measure`),
//! linearizability (`linearizability`) and the proptest bridge (`harness`)
//! work for any of them. Each subject's side lives in a folder of its own:
//! [`kv`] is the seed's KV store. A test fails if a generic module
//! names a subject's types or words (`tests/boundary.rs`).

pub mod check;
pub mod clients;
pub mod dynamic;
pub mod exhaustive;
mod failure;
pub mod generate;
pub mod harness;
pub mod kv;
pub mod linearizability;
pub mod measure;
pub mod property;
pub mod render;
pub mod report;
mod shard;
pub mod shrink;
pub mod strategy;
pub mod subject;
pub mod token;
pub mod workload;

pub use failure::Failure;
pub use property::{Culprit, Finding, Property, Violation};
pub use proptest::test_runner::TestRng;
pub use subject::{Execution, Fixed, Subject};
pub use workload::Workload;
