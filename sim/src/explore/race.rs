//! Happens-before and races over one recorded execution, shared by the DPOR
//! searches.
//!
//! Happens-before is the transitive closure of dependence ([`dependent`]),
//! send-to-delivery and (`instant` mode) send-to-handle, kept as one bitset
//! per step. Invariant: `hb(i, j)`
//! implies `i < j`.

use crate::sched::{dependent, Event, Footprint};

/// One executed step, as the race analysis sees it.
pub(super) type Step<'a> = (Event, &'a Footprint);

/// `before[j]`: the set of steps that happen before step `j`, as a bitset.
pub(super) struct HappensBefore {
    before: Vec<Vec<u64>>,
}

impl HappensBefore {
    pub(super) fn new(steps: &[Step<'_>]) -> HappensBefore {
        let words = steps.len().div_ceil(64);
        let mut before: Vec<Vec<u64>> = Vec::with_capacity(steps.len());
        for (j, &(ej, fj)) in steps.iter().enumerate() {
            let mut set = vec![0u64; words];
            for (i, &(ei, fi)) in steps[..j].iter().enumerate() {
                let caused = fj.delivered_from == Some(i) || fj.handled_from == Some(i);
                let direct = caused || dependent((ei, fi), (ej, fj));
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
pub(super) fn races(steps: &[Step<'_>], hb: &HappensBefore, i: usize, j: usize) -> bool {
    let ((ei, fi), (ej, fj)) = (steps[i], steps[j]);
    ei != ej
        && !fi.after_quiescence
        && !fj.after_quiescence
        && fj.delivered_from != Some(i)
        && fj.handled_from != Some(i)
        && dependent((ei, fi), (ej, fj))
        && !(i + 1..j).any(|k| hb.hb(i, k) && hb.hb(k, j))
}

/// v = notdep(i, E).j: the steps after `i` that do not happen after it, then `j`.
pub(super) fn notdep(hb: &HappensBefore, i: usize, j: usize) -> Vec<usize> {
    (i + 1..j).filter(|&k| !hb.hb(i, k)).chain([j]).collect()
}
