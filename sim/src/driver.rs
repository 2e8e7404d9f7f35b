//! The driver API: what ordinary test code does to a running system.
//!
//! The seed's ExUnit tests are written against [`Driver`], so they read almost
//! line for line and run on any executor that implements it. A driver acts as
//! the pseudo-process [`Pid::DRIVER`]; each action is one scheduling point, so
//! signals already in flight may be delivered before it.

use crate::{Actor, Msg, Pid, Reason};
use std::fmt;

/// Why a run could not go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// The driver waited for a reply and nothing was left to run.
    Deadlock,
    /// The run took more steps (executed events and driver actions) than its bound.
    StepBound(u64),
    /// A spawn, by the driver or by a handler, would have gone past the bound on processes.
    ProcessBound(usize),
}

/// Why a call, or a synchronous stop, failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// The callee was dead (`noproc`) or died before replying, with this reason.
    Exit(Reason),
    /// The reply was of another type than the caller expected.
    BadReply(String),
    /// The executor could not go on.
    Run(RunError),
}

impl From<RunError> for CallError {
    fn from(e: RunError) -> Self {
        CallError::Run(e)
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Deadlock => f.write_str("deadlock: a call is waiting and nothing can run"),
            RunError::StepBound(n) => write!(f, "step bound of {n} steps exceeded"),
            RunError::ProcessBound(n) => write!(f, "process bound of {n} processes exceeded"),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Exit(reason) => write!(f, "call failed: exit {reason:?}"),
            CallError::BadReply(text) => write!(f, "unexpected reply {text}"),
            CallError::Run(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}
impl std::error::Error for CallError {}

/// Test code's handle on a running system.
pub trait Driver {
    /// Starts a process (not linked to the driver); its `init` has run on return.
    fn spawn(&mut self, actor: Box<dyn Actor>) -> Result<Pid, RunError>;
    /// `GenServer.call`: waits for the reply, or for the callee's death.
    fn call(&mut self, to: Pid, req: Msg) -> Result<Msg, CallError>;
    /// `GenServer.cast` / `send`: asynchronous.
    fn cast(&mut self, to: Pid, msg: Msg) -> Result<(), RunError>;
    /// `GenServer.stop(pid, reason)`: returns once `pid` has terminated.
    fn stop(&mut self, pid: Pid, reason: Reason) -> Result<(), CallError>;
    /// `Process.exit(pid, :kill)`: asynchronous.
    fn kill(&mut self, pid: Pid) -> Result<(), RunError>;
    /// `Process.alive?(pid)`.
    fn is_alive(&mut self, pid: Pid) -> bool;
}

/// An untyped request's reply, downcast to `R` (`BadReply` if it is not one).
/// A request with a [`crate::call::Request`] type goes through
/// [`crate::call::call`] instead, which types the reply by the request.
pub fn call_as<R: crate::Payload>(d: &mut (impl Driver + ?Sized), to: Pid, req: Msg) -> Result<R, CallError> {
    let reply = d.call(to, req)?;
    reply.downcast::<R>().map_err(|other| CallError::BadReply(format!("{other:?}")))
}
