//! The seed's ExUnit tests (`TRYMIXNOTP.RegistryTest`), ported line for line
//! onto [`Driver`], plus the two crash tests of the guide's next stage.

use crate::{ensure, ensure_eq, Failure};
use model::bucket;
use model::Registry;
use sim::{Driver, Pid, Reason};

/// One of the four seed tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeedTest {
    SpawnsBuckets,
    RemovesOnExit,
    RemovesOnCrash,
    CrashKeepsRegistry,
}

impl SeedTest {
    pub const ALL: [SeedTest; 4] =
        [SeedTest::SpawnsBuckets, SeedTest::RemovesOnExit, SeedTest::RemovesOnCrash, SeedTest::CrashKeepsRegistry];

    /// The test's name as ExUnit would print it.
    pub fn name(self) -> &'static str {
        match self {
            SeedTest::SpawnsBuckets => "spawns buckets",
            SeedTest::RemovesOnExit => "removes buckets on exit",
            SeedTest::RemovesOnCrash => "removes buckets on crash",
            SeedTest::CrashKeepsRegistry => "a crashing bucket does not take the registry down",
        }
    }

    pub fn run(self, d: &mut impl Driver, registry: Registry) -> Result<(), Failure> {
        match self {
            SeedTest::SpawnsBuckets => spawns_buckets(d, registry),
            SeedTest::RemovesOnExit => removes_buckets_on_exit(d, registry),
            SeedTest::RemovesOnCrash => removes_buckets_on_crash(d, registry),
            SeedTest::CrashKeepsRegistry => crashing_bucket_keeps_registry(d, registry),
        }
    }
}

pub(crate) fn created_bucket(d: &mut impl Driver, registry: Registry, name: &'static str) -> Result<sim::Pid, Failure> {
    registry.create(d, name)?;
    registry.lookup(d, name)?.ok_or_else(|| Failure(format!("lookup({name:?}) after create answered :error")))
}

/// test "spawns buckets"
pub fn spawns_buckets(d: &mut impl Driver, registry: Registry) -> Result<(), Failure> {
    ensure_eq!(registry.lookup(d, "shopping")?, None);
    let bucket = created_bucket(d, registry, "shopping")?;
    bucket::put(d, bucket, "milk", 1)?;
    ensure_eq!(bucket::get(d, bucket, "milk")?, Some(1));
    Ok(())
}

/// test "removes buckets on exit": `Agent.stop(bucket)`, then the name is gone.
pub fn removes_buckets_on_exit(d: &mut impl Driver, registry: Registry) -> Result<(), Failure> {
    let bucket = created_bucket(d, registry, "shopping")?;
    stop_then_lookup(d, registry, bucket, "shopping")
}

/// The second half of "removes buckets on exit": `Agent.stop(bucket)`, then
/// the name is gone (the loom models run it too, between their own steps).
pub(crate) fn stop_then_lookup(
    d: &mut impl Driver,
    registry: Registry,
    bucket: Pid,
    name: &'static str,
) -> Result<(), Failure> {
    d.stop(bucket, Reason::Normal)?;
    ensure_eq!(registry.lookup(d, name)?, None);
    Ok(())
}

/// test "removes bucket on crash": `Agent.stop(bucket, :shutdown)`, then the name is gone.
pub fn removes_buckets_on_crash(d: &mut impl Driver, registry: Registry) -> Result<(), Failure> {
    let bucket = created_bucket(d, registry, "shopping")?;
    d.stop(bucket, Reason::Shutdown)?;
    ensure_eq!(registry.lookup(d, "shopping")?, None);
    Ok(())
}

/// A bucket killed with `Process.exit(bucket, :kill)` must leave the registry
/// alive and answering.
pub fn crashing_bucket_keeps_registry(d: &mut impl Driver, registry: Registry) -> Result<(), Failure> {
    let bucket = created_bucket(d, registry, "shopping")?;
    d.kill(bucket)?;
    let after = registry.lookup(d, "shopping");
    ensure!(after.is_ok(), "lookup after the bucket's crash failed: {}", after.unwrap_err());
    ensure!(d.is_alive(registry.pid), "the registry died after the bucket's crash");
    Ok(())
}
