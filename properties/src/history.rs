//! Histories: what checkers read.
//!
//! Every client call is stamped with the executor's global logical time at
//! invocation and at response, and every process's start and end comes from
//! the executor's process records. Checkers see only this, never executor
//! internals. Invariant: `calls` is in invocation order, and a call's
//! `returned`, when present, is at or after its `invoked`.

use model::registry::RegistryState;
use sim::det::ProcessRecord;
use sim::{Pid, Reason, RunError};
use std::collections::BTreeMap;

/// One call a client made (a workload operation expands into one or two).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    Lookup(String),
    Create(String),
    /// `Agent.stop(bucket)` of the bucket found for `name`.
    Stop {
        name: String,
        bucket: Pid,
    },
    /// `Process.exit(bucket, :kill)`: asynchronous, so it returns when sent.
    Kill {
        name: String,
        bucket: Pid,
    },
    Put {
        name: String,
        bucket: Pid,
        value: i64,
    },
    Get {
        name: String,
        bucket: Pid,
    },
}

/// What a call answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A lookup's `{:ok, pid}` (`Some`) or `:error` (`None`).
    Bucket(Option<Pid>),
    /// A `get`'s value.
    Value(Option<i64>),
    /// `:ok` of a put, a stop, a cast, a kill or a create.
    Done,
    /// The callee was dead or died: the call exited with this reason.
    Failed(Reason),
}

/// One call, stamped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRecord {
    /// 1-based client number.
    pub client: usize,
    /// Index of the workload operation this call belongs to, in that client's script.
    pub op: usize,
    pub call: Call,
    pub invoked: u64,
    /// `None` when the run ended with the call outstanding.
    pub returned: Option<u64>,
    pub answer: Option<Answer>,
}

/// The registry as found once nothing was left in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestState {
    pub at: u64,
    pub state: RegistryState,
}

/// Everything a checker may read about one run.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub calls: Vec<CallRecord>,
    pub processes: Vec<ProcessRecord>,
    pub registry: Option<Pid>,
    /// Present when the run came to rest with the registry alive.
    pub rest: Option<RestState>,
    /// Why the run stopped early, if it did (deadlock, step bound).
    pub run_error: Option<RunError>,
}

impl History {
    pub fn process(&self, pid: Pid) -> Option<&ProcessRecord> {
        self.processes.iter().find(|p| p.pid == pid)
    }

    /// When `pid` ended, if it did.
    pub fn exited_at(&self, pid: Pid) -> Option<u64> {
        self.process(pid).and_then(|p| p.exited_at)
    }

    /// Readable process names: `registry`, `supervisor`, `client1`,
    /// `bucket(a)#1` (the first bucket labelled `a`), falling back to the pid.
    pub fn names(&self) -> BTreeMap<Pid, String> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut names = BTreeMap::new();
        names.insert(Pid::DRIVER, "test".to_string());
        for p in &self.processes {
            let name = if p.label.starts_with("bucket") {
                let n = seen.entry(&p.label).or_insert(0);
                *n += 1;
                format!("{}#{}", p.label, n)
            } else {
                p.label.clone()
            };
            names.insert(p.pid, name);
        }
        names
    }

    /// One process's readable name.
    pub fn name(&self, pid: Pid) -> String {
        self.names().remove(&pid).unwrap_or_else(|| format!("{pid}"))
    }
}
