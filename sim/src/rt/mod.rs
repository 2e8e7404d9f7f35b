//! The thread runtime: every process a thread, the same [`Actor`](crate::Actor),
//! [`Ctx`](crate::Ctx) and [`Driver`](crate::Driver) traits as the
//! deterministic executor, over `std` threads in normal use and over loom's
//! threads under the model checker: one source, two [`Platform`]s.
//!
//! Map (loom-style: the runtime apart from the user-facing traits):
//! - `platform`: the [`Platform`] trait, [`StdPlatform`], [`LoomPlatform`], and
//!   [`Locked`] (data behind a mutex with a condition variable);
//! - `activity`: who is awake, so a deadlock (a call cycle) is reported, not waited out;
//! - `mailbox`: one process's cell: its signals, liveness, links, watchers;
//! - `kernel`: the pid directory, the clock, and the signal operations;
//! - `process`: spawn, the receive-handle loop, death;
//! - `ctx`: the [`Ctx`](crate::Ctx) of a handler; `driver`: [`ThreadDriver`];
//! - `loom_check`: running a closure as a loom model with kvsim's bounds.
//!
//! Semantics, beside the deterministic executor's (see docs/thread-runtime.md):
//! a send lands in the receiver's mailbox at once (per-pair FIFO holds
//! because each sender pushes in program order); exit signals act when the
//! receiver next receives (a handler is atomic), before any message; a dying
//! process is dead first (a synchronous stop returns then) and delivers its
//! link signals and `DOWN`s afterwards, one step each, links first, in the
//! order they were made. Nothing here is deterministic; nothing here may hang:
//! a driver's call, stop or receive that waits while every process and every
//! other driver handle waits too ends with `RunError::Deadlock`.

mod activity;
mod ctx;
mod driver;
mod kernel;
pub mod loom_check;
mod mailbox;
pub mod platform;
mod process;

pub use activity::{Activity, Idle};
pub use driver::{ThreadDriver, DEFAULT_CAPACITY};
pub use loom_check::{model, ModelStats, DEFAULT_PREEMPTION_BOUND};
pub use mailbox::MAX_MAILBOX;
pub use platform::{Locked, LoomPlatform, Platform, StdPlatform};

/// A runtime on OS threads.
pub type StdDriver = ThreadDriver<StdPlatform>;
/// A runtime on loom's threads: create it only inside a loom model.
pub type LoomDriver = ThreadDriver<LoomPlatform>;
