//! Workloads: concurrent client scripts, as data.
//!
//! A [`Workload`] is clients, each a list of a subject's operations, run
//! concurrently under one delivery mode and one revision of the executor's
//! rules. Generated workloads have at most [`MAX_CLIENTS`] clients and
//! [`MAX_OPS`] operations per client.

use sim::det::Rules;
use sim::Delivery;
use std::fmt;

pub const MAX_CLIENTS: usize = 3;
pub const MAX_OPS: usize = 8;

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
