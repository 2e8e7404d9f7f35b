//! Replays a recorded choice log.
//!
//! Past the end of the log, or where a recorded index no longer fits (a
//! shrunk workload has fewer events), it takes the default choice, index 0,
//! and counts the divergence so callers can tell an exact replay from a guided one.
//! A [`Fit`] watches a replay from outside (the replay is boxed and moved
//! into the executor): whether every recorded choice was in range and used,
//! which is what a token kvsim printed always satisfies.

use super::{ChoiceLog, Event, Scheduler};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;

/// Follows a recorded log, then falls back to the first enabled event.
pub struct Replay {
    log: ChoiceLog,
    next: usize,
    diverged: u32,
    fit: Option<Arc<Fit>>,
}

/// How well a replay followed its log, as seen from outside.
#[derive(Debug, Default)]
pub struct Fit {
    /// The first choice (1-based) whose recorded index was out of range, 0 if none.
    first_misfit: AtomicU32,
    /// How many recorded choices the run used.
    used: AtomicUsize,
}

impl Fit {
    /// Why the log does not describe the run, if it does not: a choice out
    /// of range, or choices the run never reached. Taking the default past
    /// the end of the log is fine (trailing zeros are left out of tokens).
    pub fn misfit(&self, log: &ChoiceLog) -> Option<String> {
        let first = self.first_misfit.load(Ordering::Relaxed);
        let used = self.used.load(Ordering::Relaxed).min(log.len());
        if first > 0 {
            let choice = log[first as usize - 1];
            return Some(format!("choice {first} is {choice}, more than the events enabled at that point"));
        }
        (used < log.len()).then(|| format!("the run ended after {used} of its {} choices", log.len()))
    }
}

impl Replay {
    pub fn new(log: ChoiceLog) -> Self {
        Replay { log, next: 0, diverged: 0, fit: None }
    }

    /// A replay, and a [`Fit`] to read once the run is over.
    pub fn watched(log: ChoiceLog) -> (Self, Arc<Fit>) {
        let fit = Arc::new(Fit::default());
        (Replay { fit: Some(fit.clone()), ..Replay::new(log) }, fit)
    }

    /// How many choices could not be followed (out of range or past the end).
    pub fn divergences(&self) -> u32 {
        self.diverged
    }
}

impl Scheduler for Replay {
    fn choose(&mut self, enabled: &[Event]) -> usize {
        let pick = self.log.get(self.next).copied();
        self.next += 1;
        if let Some(fit) = &self.fit {
            fit.used.store(self.next, Ordering::Relaxed);
            if pick.is_some_and(|i| i as usize >= enabled.len()) && fit.first_misfit.load(Ordering::Relaxed) == 0 {
                fit.first_misfit.store(self.next as u32, Ordering::Relaxed);
            }
        }
        match pick {
            Some(i) if (i as usize) < enabled.len() => i as usize,
            _ => {
                self.diverged += 1;
                0
            }
        }
    }
}
