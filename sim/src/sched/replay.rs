//! Replays a recorded choice log.
//!
//! Past the end of the log, or where a recorded index no longer fits (a
//! shrunk workload has fewer events), it takes the default choice, index 0,
//! and counts the divergence so callers can tell an exact replay from a guided one.

use super::{ChoiceLog, Event, Scheduler};

/// Follows a recorded log, then falls back to the first enabled event.
pub struct Replay {
    log: ChoiceLog,
    next: usize,
    diverged: u32,
}

impl Replay {
    pub fn new(log: ChoiceLog) -> Self {
        Replay { log, next: 0, diverged: 0 }
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
        match pick {
            Some(i) if (i as usize) < enabled.len() => i as usize,
            _ => {
                self.diverged += 1;
                0
            }
        }
    }
}
