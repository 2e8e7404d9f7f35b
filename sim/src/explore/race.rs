//! Happens-before and races over one recorded execution, shared by the DPOR
//! searches.
//!
//! Happens-before is the transitive closure of dependence ([`dependent_in`]),
//! send-to-delivery and (`instant` mode) send-to-handle, kept as one bitset
//! per step. Invariant: `hb(i, j)`
//! implies `i < j`.
//!
//! Both DPORs judge dependence here on the whole execution
//! ([`dependent_in`]): two deliveries that only landed messages at one
//! process are dependent only if a handle of this execution saw their
//! messages as rivals ([`crate::sched::rivals_in`]), and a handle and a
//! `DOWN`'s landing at its process by what the handle left. Sleep sets and
//! wakeup trees, which compare footprints from different executions, use
//! the coarse [`crate::sched::dependent`] instead.

use crate::sched::{dependent_in, Event, Footprint};

/// One executed step, as the race analysis sees it.
pub(super) type Step<'a> = (Event, &'a Footprint);

/// The dependence relation over one execution's steps.
pub(super) struct Dependence {
    /// The execution's rival pairs, sorted.
    rivals: Vec<(usize, usize)>,
}

impl Dependence {
    /// With the rival pairs of the whole execution given (a sleep-set-blocked
    /// execution is analysed only up to where it was blocked, but its handles
    /// after that still order its landings).
    pub(super) fn with_rivals(rivals: Vec<(usize, usize)>) -> Dependence {
        Dependence { rivals }
    }

    /// Whether steps `i < j` of the execution are dependent.
    pub(super) fn dependent(&self, steps: &[Step<'_>], i: usize, j: usize) -> bool {
        let (i, j) = (i.min(j), i.max(j));
        let rivals = self.rivals.binary_search(&(i, j)).is_ok();
        dependent_in(steps[i], steps[j], (i, j), rivals)
    }
}

/// `before[j]`: the set of steps that happen before step `j`, as a bitset.
pub(super) struct HappensBefore {
    before: Vec<Vec<u64>>,
}

impl HappensBefore {
    pub(super) fn new(steps: &[Step<'_>], dep: &Dependence) -> HappensBefore {
        let words = steps.len().div_ceil(64);
        let mut before: Vec<Vec<u64>> = Vec::with_capacity(steps.len());
        for (j, &(_, fj)) in steps.iter().enumerate() {
            let mut set = vec![0u64; words];
            for i in 0..j {
                let caused = fj.delivered_from == Some(i) || fj.handled_from == Some(i);
                let direct = caused || dep.dependent(steps, i, j);
                if direct && set[i / 64] & (1 << (i % 64)) == 0 {
                    set[i / 64] |= 1 << (i % 64);
                    for (w, word) in before[i].iter().enumerate() {
                        set[w] |= word;
                    }
                }
            }
            before.push(set);
        }
        HappensBefore { before }
    }

    pub(super) fn hb(&self, i: usize, j: usize) -> bool {
        i < j && self.before[j][i / 64] & (1 << (i % 64)) != 0
    }
}

/// Whether steps `i < j` race: dependent, of different event keys, not a
/// send and its delivery, neither the driver's turn after quiescence (it
/// cannot move), and nothing between them in happens-before.
pub(super) fn races(steps: &[Step<'_>], dep: &Dependence, hb: &HappensBefore, i: usize, j: usize) -> bool {
    let ((ei, fi), (ej, fj)) = (steps[i], steps[j]);
    ei != ej
        && !fi.after_quiescence
        && !fj.after_quiescence
        && fj.delivered_from != Some(i)
        && fj.handled_from != Some(i)
        && dep.dependent(steps, i, j)
        && !(i + 1..j).any(|k| hb.hb(i, k) && hb.hb(k, j))
}

/// v = notdep(i, E).j: the steps after `i` that do not happen after it, then `j`.
pub(super) fn notdep(hb: &HappensBefore, i: usize, j: usize) -> Vec<usize> {
    (i + 1..j).filter(|&k| !hb.hb(i, k)).chain([j]).collect()
}
