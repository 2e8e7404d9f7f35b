//! Deadlock detection for the thread runtime: who is awake.
//!
//! `busy` counts the runtime's participants that may still change
//! something: each process thread from its spawn to its end, and each
//! driver handle while it exists, minus those asleep in a wait of
//! [`Locked`](super::Locked) whose condition is false. A waiter takes
//! itself off the count when it sleeps; whoever changes the data it waits
//! on puts every sleeper there back on the count in the same step, before
//! they wake. So `busy` reaches 0 exactly when every participant sleeps and
//! nobody can wake anybody: a deadlock, for good. The waiter that would
//! bring it to 0 does not sleep; it is told ([`Idle`]) and reports the
//! deadlock: every driver handle's wait then ends with
//! [`RunError::Deadlock`](crate::RunError::Deadlock), as the deterministic
//! executor's does.
//!
//! With no driver handle left, nobody could be told: waiters then sleep.
//! The counters are `std` atomics on both platforms (like the clock): they
//! are read and written under the lock of the cell being waited on, and
//! synchronize nothing themselves.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};

/// The waiter is the last participant awake: sleeping would deadlock the runtime.
#[derive(Debug, PartialEq, Eq)]
pub struct Idle;

#[derive(Debug, Default)]
pub struct Activity {
    busy: AtomicUsize,
    handles: AtomicUsize,
    deadlocks: AtomicU64,
}

impl Activity {
    /// A process thread is about to start.
    pub fn thread_starts(&self) {
        self.busy.fetch_add(1, SeqCst);
    }

    /// A driver handle now exists.
    pub fn handle_opens(&self) {
        self.handles.fetch_add(1, SeqCst);
        self.busy.fetch_add(1, SeqCst);
    }

    /// A process thread ends; true when the runtime is now deadlocked (report it).
    pub fn thread_ends(&self) -> bool {
        self.leave()
    }

    /// A driver handle is gone; true when the runtime is now deadlocked (report it).
    pub fn handle_closes(&self) -> bool {
        self.handles.fetch_sub(1, SeqCst);
        self.leave()
    }

    fn leave(&self) -> bool {
        self.busy.fetch_sub(1, SeqCst) == 1 && self.handles.load(SeqCst) > 0
    }

    /// A waiter goes to sleep; `Err(Idle)` (and it stays awake) when it
    /// would be the last participant awake while a driver handle exists.
    pub fn sleep(&self) -> Result<(), Idle> {
        if self.busy.fetch_sub(1, SeqCst) == 1 && self.handles.load(SeqCst) > 0 {
            self.busy.fetch_add(1, SeqCst);
            return Err(Idle);
        }
        Ok(())
    }

    /// `sleepers` waiters are woken (counted awake from now on).
    pub fn wake(&self, sleepers: usize) {
        self.busy.fetch_add(sleepers, SeqCst);
    }

    /// Deadlocks reported so far: a driver's wait that sees this change ends.
    pub fn deadlocks(&self) -> u64 {
        self.deadlocks.load(SeqCst)
    }

    /// Counts a deadlock; the caller then wakes every waiter.
    pub fn deadlock(&self) {
        self.deadlocks.fetch_add(1, SeqCst);
    }
}
