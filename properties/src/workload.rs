//! Workloads: concurrent client scripts, as data.
//!
//! A [`Workload`] is one to three clients, each a list of operations, run
//! concurrently under one delivery mode. It is generic over the operation
//! type so a researcher can bring their own subject; [`Op`] is the KV
//! registry's. Bounds: at most [`MAX_CLIENTS`] clients and [`MAX_OPS`]
//! operations per client.

use sim::det::Rules;
use sim::Delivery;
use std::fmt;

pub const MAX_CLIENTS: usize = 3;
pub const MAX_OPS: usize = 8;
/// The bucket names workloads draw from.
pub const NAMES: [&str; 3] = ["a", "b", "c"];
/// The one key `put` and `get` use in a bucket.
pub const KEY: &str = "x";

/// Concurrent client scripts for one run.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Workload<O> {
    pub mode: Delivery,
    /// The executor's event rules: [`Rules::CURRENT`], or an older revision
    /// when the workload came from an older replay token.
    pub rules: Rules,
    /// `clients[i]` is client `i + 1`'s script.
    pub clients: Vec<Vec<O>>,
}

impl<O> Workload<O> {
    /// A workload under the current event rules.
    pub fn new(mode: Delivery, clients: Vec<Vec<O>>) -> Workload<O> {
        Workload { mode, rules: Rules::CURRENT, clients }
    }

    /// Operations over all clients.
    pub fn op_count(&self) -> usize {
        self.clients.iter().map(Vec::len).sum()
    }
}

/// One operation of a KV registry client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `KV.Registry.create(registry, name)`.
    Create(String),
    /// `KV.Registry.lookup(registry, name)`.
    Lookup(String),
    /// Lookup, then `Agent.stop(bucket)` (synchronous) of the bucket found.
    Stop(String),
    /// Lookup, then `Process.exit(bucket, :kill)` (asynchronous) of the bucket found.
    Crash(String),
    /// Lookup, then `KV.Bucket.put(bucket, KEY, value)`.
    Put(String, i64),
    /// Lookup, then `KV.Bucket.get(bucket, KEY)`.
    Get(String),
}

impl Op {
    pub fn name(&self) -> &str {
        match self {
            Op::Create(n) | Op::Lookup(n) | Op::Stop(n) | Op::Crash(n) | Op::Put(n, _) | Op::Get(n) => n,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Create(n) => write!(f, "create({n})"),
            Op::Lookup(n) => write!(f, "lookup({n})"),
            Op::Stop(n) => write!(f, "stop({n})"),
            Op::Crash(n) => write!(f, "crash({n})"),
            Op::Put(n, v) => write!(f, "put({n}, {v})"),
            Op::Get(n) => write!(f, "get({n})"),
        }
    }
}

impl<O: fmt::Display> fmt::Display for Workload<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mode {}", self.mode.name())?;
        for (i, ops) in self.clients.iter().enumerate() {
            let ops: Vec<String> = ops.iter().map(ToString::to_string).collect();
            write!(f, "; client{}: {}", i + 1, ops.join(", "))?;
        }
        Ok(())
    }
}
