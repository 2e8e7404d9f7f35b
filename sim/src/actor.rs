//! The actor-facing traits: what a process is ([`Actor`]) and what it may do
//! inside one handler step ([`Ctx`]).
//!
//! This is the whole surface that `model` (and a researcher's own actors) is
//! written against. It names no executor: the deterministic executor, the
//! thread runtime and the loom runtime each implement [`Ctx`]. A handler runs
//! to completion as one atomic step; it never blocks. Waiting for a reply is
//! expressed with [`Actor::accepts`] (Erlang's selective receive): a message
//! the actor does not accept stays in its mailbox, in order, until it does.

use crate::{Label, Msg, Pid, Reason, Ref, Signal, Stamps};

/// The label of an actor that names itself nothing (or whose `label` panics).
pub const DEFAULT_LABEL: &str = "process";

/// A process's behaviour. Small on purpose: `handle` is the only required method.
/// Every method is user code run under the same guard: a panic in any of them
/// (`label` and `accepts` included) crashes this process, never the executor.
pub trait Actor: Send + 'static {
    /// A short name for traces, such as `server` or `account(a)`: static
    /// text (`"server".into()`) or [`Label::interned`], so that a spawn
    /// allocates none for a label seen before.
    fn label(&self) -> Label {
        Label::from_static(DEFAULT_LABEL)
    }

    /// Runs once, inside the spawner's step, before the process receives anything.
    /// `init`s that spawn nest on the spawner's stack; past a bound
    /// (`det::MAX_INIT_DEPTH`) the spawn ends the process whose `init` asked for it.
    fn init(&mut self, _ctx: &mut dyn Ctx) {}

    /// Handles one signal. A panic here crashes this process, never the executor.
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx);

    /// Selective receive: whether `signal` may be handled now. Signals that are
    /// not accepted wait in the mailbox, in arrival order. Must be a pure function
    /// of the actor's state. Untrapped exit signals bypass it.
    fn accepts(&self, _signal: &Signal) -> bool {
        true
    }

    /// Runs when a [`Signal::Stop`] is handled, just before the process ends.
    fn terminate(&mut self, _reason: &Reason, _ctx: &mut dyn Ctx) {}

    /// For state caching (`explore::dfs::explore_cached`): a hash of
    /// everything in this actor's state that its future behaviour and what
    /// it records (a client's history) depend on. Two actors with the same
    /// fingerprint must behave the same from here on. A stamp it holds (a
    /// value of [`Ctx::now`]) goes in as `stamps.rank(stamp)`, never as the
    /// raw step: then two orders of the same events, which stamp them with
    /// different steps in the same order, meet ([`crate::stamps`]).
    /// `None` (the default): not fingerprinted, and no state holding this
    /// process is cached. Must not panic or change anything.
    fn fingerprint(&self, _stamps: &Stamps) -> Option<u64> {
        None
    }
}

/// What a handler may do. Every effect is applied by the executor at once and in
/// program order; delivery to other processes follows the run's delivery mode.
pub trait Ctx {
    /// This process's pid (`self()`).
    fn me(&self) -> Pid;
    /// Starts a process; its `init` runs before this returns.
    fn spawn(&mut self, actor: Box<dyn Actor>) -> Pid;
    /// Starts a process linked to this one.
    fn spawn_link(&mut self, actor: Box<dyn Actor>) -> Pid;
    /// Sends a message; to a dead pid it is silently dropped.
    fn send(&mut self, to: Pid, msg: Msg);
    /// Monitors `pid`; a dead or unknown pid yields `DOWN(noproc)`.
    fn monitor(&mut self, pid: Pid) -> Ref;
    /// Removes a monitor: no `DOWN` for it arrives afterwards; with `flush`, one
    /// that already arrived is removed from the mailbox too.
    fn demonitor(&mut self, mref: Ref, flush: bool);
    /// Links this process and `pid` (both directions).
    fn link(&mut self, pid: Pid);
    /// Removes the link between this process and `pid`.
    fn unlink(&mut self, pid: Pid);
    /// Sends an exit signal (`Process.exit/2`); asynchronous.
    fn exit(&mut self, pid: Pid, reason: Reason);
    /// Turns exit trapping on or off for this process.
    fn trap_exit(&mut self, on: bool);
    /// A new unique reference.
    fn make_ref(&mut self) -> Ref;
    /// Whether `pid` is alive now (`Process.alive?/1`).
    fn is_alive(&self, pid: Pid) -> bool;
    /// Asks `pid` to stop with `reason` (`GenServer.stop/2`'s request): it runs
    /// `terminate` and ends. Asynchronous; monitor `pid` to wait for it.
    fn request_stop(&mut self, pid: Pid, reason: Reason);
    /// The executor's global logical time (steps executed so far). For
    /// stamping histories only: an actor's behaviour must not depend on it,
    /// the process that read a stamp keeps it (no message carries one), and
    /// properties compare stamps, never subtract them (what state caching
    /// relies on: [`crate::stamps`]).
    fn now(&self) -> u64;
    /// Ends this process with `reason` once the current handler returns
    /// (a GenServer's `{:stop, reason, state}`).
    fn stop_self(&mut self, reason: Reason);
}
