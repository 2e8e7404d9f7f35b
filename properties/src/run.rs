//! Executing a workload on the deterministic executor, into a [`History`].
//!
//! A run: start the registry variant, spawn one client per script, run until
//! nothing is left to do, and, if the registry is still alive, read its maps
//! at rest. The [`Subject`] trait is the seam for other systems under test.

use crate::client::{CallLog, Client, Go};
use crate::history::{History, RestState};
use crate::workload::{Op, Workload};
use model::Variant;
use sim::det::{Config, Sim};
use sim::sched::{ChoiceLog, Replay, Scheduler};
use sim::trace::{Trace, TraceLevel};
use sim::{Driver, Msg};
use std::sync::{Arc, Mutex};

/// What one execution of a workload produced.
#[derive(Debug)]
pub struct Execution {
    pub history: History,
    pub choices: ChoiceLog,
    pub steps: u64,
    pub trace: Option<Trace>,
}

/// A system under test: how to run a workload of its operations.
pub trait Subject {
    type Op;
    fn execute(&self, workload: &Workload<Self::Op>, scheduler: Box<dyn Scheduler>, trace: TraceLevel) -> Execution;

    /// Operations strictly simpler than `op`, for the shrinker to try in its
    /// place. "Simpler" must be well-founded (no cycles), or shrinking could
    /// loop until its rerun budget: each must have a lower [`Subject::complexity`].
    fn simpler(&self, _op: &Self::Op) -> Vec<Self::Op> {
        Vec::new()
    }

    /// A measure of `op` that every op [`Subject::simpler`] offers lowers;
    /// the shrinker asserts it in debug builds.
    fn complexity(&self, _op: &Self::Op) -> u64 {
        0
    }

    /// Re-runs a recorded choice log, with the full trace.
    fn replay(&self, workload: &Workload<Self::Op>, choices: &ChoiceLog) -> Execution {
        self.execute(workload, Box::new(Replay::new(choices.clone())), TraceLevel::Full)
    }
}

/// The KV registry, one variant of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kv(pub Variant);

impl Subject for Kv {
    type Op = Op;

    /// Put and get become a plain lookup, and a put writes 0: each step
    /// lowers (kind, value), which has no cycle.
    fn simpler(&self, op: &Op) -> Vec<Op> {
        match op {
            Op::Put(name, 0) => vec![Op::Lookup(name.clone())],
            Op::Put(name, _) => vec![Op::Lookup(name.clone()), Op::Put(name.clone(), 0)],
            Op::Get(name) => vec![Op::Lookup(name.clone())],
            _ => Vec::new(),
        }
    }

    /// Put with a value 2, put of 0 and get 1, everything else 0.
    fn complexity(&self, op: &Op) -> u64 {
        match op {
            Op::Put(_, 0) | Op::Get(_) => 1,
            Op::Put(..) => 2,
            _ => 0,
        }
    }

    fn execute(&self, workload: &Workload<Op>, scheduler: Box<dyn Scheduler>, trace: TraceLevel) -> Execution {
        let config = Config { trace, rules: workload.rules, ..Config::new(workload.mode) };
        let mut sim = Sim::new(config, scheduler);
        let log: CallLog = Arc::new(Mutex::new(Vec::new()));
        let mut history = History::default();
        let started = self.0.start(&mut sim).and_then(|registry| {
            history.registry = Some(registry.pid);
            let mut clients = Vec::with_capacity(workload.clients.len());
            for (i, script) in workload.clients.iter().enumerate() {
                let client = Client::boxed(i + 1, registry.pid, self.0.create_is_call(), script.clone(), log.clone());
                clients.push(sim.spawn(client)?);
            }
            for client in clients {
                sim.cast(client, Msg::new(Go))?;
            }
            sim.run_until_quiescent()?;
            Ok(registry)
        });
        match started {
            Ok(registry) if sim.is_alive(registry.pid) => match registry.state(&mut sim) {
                Ok(state) => history.rest = Some(RestState { at: sim.steps(), state }),
                Err(sim::CallError::Run(e)) => history.run_error = Some(e),
                Err(_) => {}
            },
            Ok(_) => {}
            Err(e) => history.run_error = Some(e),
        }
        history.calls = std::mem::take(&mut *log.lock().expect("the call log is never poisoned"));
        history.processes = sim.processes();
        if cfg!(debug_assertions) {
            history.assert_ordered();
        }
        Execution { history, choices: sim.choices().clone(), steps: sim.steps(), trace: sim.trace() }
    }
}
