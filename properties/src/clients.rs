//! The usual shape of a run, for a subject to reuse: one executor per
//! workload, the system's processes, one client process per script, a
//! [`Go`] to each client once all exist, and a run until nothing is left to
//! do. A subject's [`execute`](crate::Subject::execute) then reads what it
//! needs (its processes' state at rest, a log its clients kept) into its
//! history and returns [`Execution::of`] the executor.

use crate::subject::Execution;
use crate::workload::Workload;
use sim::det::{Config, Sim};
use sim::sched::Scheduler;
use sim::trace::TraceLevel;
use sim::{Actor, Driver, Msg, RunError};

/// The driver's signal that all clients exist and may start: sent to each
/// client separately, so no client is ahead of another by construction.
#[derive(Debug)]
pub struct Go;

/// An executor for one run of `workload`: its delivery mode and rules, the
/// given scheduler and trace level, the default bounds.
pub fn sim_for<O>(workload: &Workload<O>, scheduler: Box<dyn Scheduler>, trace: TraceLevel) -> Sim {
    Sim::new(Config { trace, rules: workload.rules, ..Config::new(workload.mode) }, scheduler)
}

/// Spawns every client, sends each a [`Go`] in spawn order, and runs until
/// nothing is enabled.
pub fn run_clients(sim: &mut Sim, clients: impl IntoIterator<Item = Box<dyn Actor>>) -> Result<(), RunError> {
    let mut pids = Vec::new();
    for client in clients {
        pids.push(sim.spawn(client)?);
    }
    for pid in pids {
        sim.cast(pid, Msg::new(Go))?;
    }
    sim.run_until_quiescent()
}

impl<H> Execution<H> {
    /// What `sim` ran, with `history`.
    pub fn of(sim: &Sim, history: H) -> Execution<H> {
        Execution { history, choices: sim.choices().clone(), steps: sim.steps(), trace: sim.trace() }
    }
}
