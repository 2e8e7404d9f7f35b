//! `sim`: kvsim's process kernel, actor-facing traits, executors and schedulers.
//!
//! What this crate owns, and the one-way rule it keeps: it knows processes,
//! signals, links, monitors and exit reasons with Erlang's semantics, and
//! nothing of the systems built on it. Actors are written against [`Actor`] and
//! [`Ctx`]; test code against [`Driver`]. Executors implement those traits:
//! [`det::Sim`] is the seeded deterministic one, [`rt::ThreadDriver`] the
//! thread runtime.
//!
//! Map:
//! - `pid`, `reason`, `msg`, `signal`: the kernel's vocabulary.
//! - `actor`: the [`Actor`] and [`Ctx`] traits (the abstract scheduler).
//! - `call`: the call protocol (`GenServer.call`), written once: `Outstanding` over any `Caller`, typed by `Request`.
//! - `driver`: the [`Driver`] trait for test code.
//! - `det`: the deterministic executor.
//! - `rt`: the thread runtime (std threads, or loom under the model checker).
//! - `sched`: scheduling strategies behind one [`sched::Scheduler`] trait.
//! - `explore`: exhaustive search (plain DFS, optionally state-cached; source-DPOR; optimal DPOR) over one scenario's schedules.
//! - `stamps`: stamps by rank, for state caching's fingerprints.
//! - `trace`: optional full traces of typed entries, their canonical bytes and stable hash.

pub mod actor;
pub mod call;
pub mod det;
pub mod driver;
pub mod explore;
pub mod label;
pub mod msg;
mod panic_guard;
pub mod pid;
pub mod reason;
pub mod rt;
pub mod sched;
pub mod signal;
pub mod stamps;
pub mod trace;

pub use actor::{Actor, Ctx};
pub use driver::{call_as, CallError, Driver, RunError};
pub use label::Label;
pub use msg::{Msg, Payload};
pub use pid::{Pid, Ref};
pub use reason::Reason;
pub use signal::Signal;
pub use stamps::Stamps;

/// How signals travel between processes in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Delivery {
    /// The language's guarantee only, and the default: FIFO per (sender,
    /// receiver) pair, any delay (none included), any order across pairs
    /// (PULSE; Concuerror with `instant_delivery=false`). What a BEAM with
    /// several schedulers, or a cluster of nodes, may do.
    Spec,
    /// One scheduler on one node: a signal lands in the receiver's mailbox
    /// when it is sent (Concuerror's default). A dying process still sends
    /// its link exits and `DOWN`s one by one, after it is dead.
    Instant,
}

impl Delivery {
    pub const ALL: [Delivery; 2] = [Delivery::Spec, Delivery::Instant];

    pub fn name(self) -> &'static str {
        match self {
            Delivery::Spec => "spec",
            Delivery::Instant => "instant",
        }
    }

    /// What the mode stands for, in one line (`kvsim list` prints it).
    pub fn about(self) -> &'static str {
        match self {
            Delivery::Spec => {
                "the default: Erlang's guarantee only (FIFO per sender and receiver, any delay, none included), \
                 as on multi-core nodes and clusters"
            }
            Delivery::Instant => {
                "one scheduler on one node: a signal lands when sent; a dying process still sends its exit \
                 signals one by one"
            }
        }
    }

    pub fn from_name(name: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.name() == name)
    }
}
