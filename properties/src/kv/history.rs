//! Histories: what checkers read.
//!
//! Every client call is stamped with the executor's global logical time at
//! invocation and at response, and every process's start and end comes from
//! the executor's process records. Checkers see only this, never executor
//! internals. Invariant (asserted by [`History::assert_ordered`] for every
//! run of a debug build): a history is ordered by time: `calls` is in
//! invocation order, and a call's `returned`, when present, is at or after
//! its `invoked`; `processes` is in spawn order, none ends before it
//! starts; the rest state is read after every stamp.

use model::kv::Name;
use model::registry::RegistryState;
use sim::det::ProcessRecord;
use sim::{Pid, Reason, RunError};
use std::collections::BTreeMap;

/// One call a client made (a workload operation expands into one or two).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    Lookup(Name),
    Create(Name),
    /// `Agent.stop(bucket)` of the bucket found for `name`.
    Stop {
        name: Name,
        bucket: Pid,
    },
    /// `Process.exit(bucket, :kill)`: asynchronous, so it returns when sent.
    Kill {
        name: Name,
        bucket: Pid,
    },
    Put {
        name: Name,
        bucket: Pid,
        key: &'static str,
        value: i64,
    },
    Get {
        name: Name,
        bucket: Pid,
        key: &'static str,
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
    /// The client's process.
    pub client_pid: Pid,
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
    /// Whether a create is a call the registry answers (as in `fixed`), so
    /// an answered create has taken effect; otherwise it is a cast, and
    /// its record's answer only says it was sent.
    pub creates_answered: bool,
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
                let n = seen.entry(p.label.as_str()).or_insert(0);
                *n += 1;
                format!("{}#{}", p.label, n)
            } else {
                p.label.to_string()
            };
            names.insert(p.pid, name);
        }
        names
    }

    /// Panics unless the history is ordered by time (see the module's doc).
    pub fn assert_ordered(&self) {
        for pair in self.calls.windows(2) {
            assert!(pair[0].invoked <= pair[1].invoked, "calls out of invocation order: {pair:?}");
        }
        for call in &self.calls {
            assert!(call.returned.is_none_or(|r| r >= call.invoked), "returned before invoked: {call:?}");
        }
        for pair in self.processes.windows(2) {
            let ordered = pair[0].pid < pair[1].pid && pair[0].spawned_at <= pair[1].spawned_at;
            assert!(ordered, "processes out of spawn order: {pair:?}");
        }
        for p in &self.processes {
            assert!(p.exited_at.is_none_or(|at| at >= p.spawned_at), "ended before it started: {p:?}");
        }
        if let Some(rest) = &self.rest {
            let last = self.calls.iter().flat_map(|c| [Some(c.invoked), c.returned]).flatten();
            let last = last.chain(self.processes.iter().filter_map(|p| p.exited_at)).max();
            assert!(last.is_none_or(|at| at <= rest.at), "rest state read at {} before a stamp {last:?}", rest.at);
        }
    }

    /// One process's readable name.
    pub fn name(&self, pid: Pid) -> String {
        self.names().remove(&pid).unwrap_or_else(|| format!("{pid}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(invoked: u64, returned: Option<u64>) -> CallRecord {
        CallRecord {
            client: 1,
            client_pid: Pid(2),
            op: 0,
            call: Call::Lookup("a".into()),
            invoked,
            returned,
            answer: None,
        }
    }

    fn process(pid: u32, spawned_at: u64, exited_at: Option<u64>) -> ProcessRecord {
        ProcessRecord { pid: Pid(pid), label: "p".into(), spawned_at, exited_at, reason: None }
    }

    fn history(calls: Vec<CallRecord>, processes: Vec<ProcessRecord>) -> History {
        History { calls, processes, ..History::default() }
    }

    #[test]
    fn an_ordered_history_passes() {
        let h = history(vec![call(1, Some(4)), call(2, None), call(2, Some(2))], vec![process(1, 0, Some(3))]);
        h.assert_ordered();
    }

    #[test]
    #[should_panic(expected = "calls out of invocation order")]
    fn calls_out_of_order_are_caught() {
        history(vec![call(3, None), call(2, None)], vec![]).assert_ordered();
    }

    #[test]
    #[should_panic(expected = "returned before invoked")]
    fn a_return_before_the_invocation_is_caught() {
        history(vec![call(3, Some(2))], vec![]).assert_ordered();
    }

    #[test]
    #[should_panic(expected = "ended before it started")]
    fn an_end_before_the_start_is_caught() {
        history(vec![], vec![process(1, 5, Some(4))]).assert_ordered();
    }

    #[test]
    #[should_panic(expected = "processes out of spawn order")]
    fn processes_out_of_spawn_order_are_caught() {
        history(vec![], vec![process(2, 3, None), process(1, 4, None)]).assert_ordered();
    }

    #[test]
    #[should_panic(expected = "before a stamp")]
    fn a_rest_state_read_before_a_stamp_is_caught() {
        let mut h = history(vec![call(1, Some(9))], vec![]);
        let state = RegistryState { names: BTreeMap::new(), monitored: None };
        h.rest = Some(RestState { at: 5, state });
        h.assert_ordered();
    }
}
