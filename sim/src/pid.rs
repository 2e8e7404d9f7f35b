//! Process identifiers and references.
//!
//! A [`Pid`] names a process for the lifetime of a run; pids are handed out in
//! spawn order and never reused, so a stale pid always names a dead process.
//! A [`Ref`] is unique per run: it carries the pid of the process that made it
//! and that process's own counter, so making a ref never touches state shared
//! with other processes.

use std::fmt;

/// A process identifier. `Pid(0)` is always the driver (the test code).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pid(pub u32);

impl Pid {
    /// The pseudo-process that stands for the test code driving a run.
    pub const DRIVER: Pid = Pid(0);

    /// The pid as an index into a process table.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Debug for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.0)
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A unique reference (Erlang's `make_ref()`), also used for monitors and calls.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ref {
    /// The process that made the reference.
    pub owner: Pid,
    /// The owner's own counter at the time it made the reference.
    pub serial: u32,
}

impl fmt::Debug for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#Ref<{}.{}>", self.owner.0, self.serial)
    }
}
