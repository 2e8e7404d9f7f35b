//! Stamps as state caching sees them: by their order, not their value.
//!
//! A stamp is a time the executor handed out: a value of [`crate::Ctx::now`]
//! (a client stamping a call), or a process's spawn or exit step. Properties
//! use stamps only through their order (comparisons, or maps that keep the
//! order), never as durations, so what a history means depends only on the
//! order of its stamps. Two runs that
//! reach the same state by different orders of the same events stamp it
//! with different steps but in the same order. A fingerprint that hashed raw
//! steps would keep them apart; one that hashes each stamp's rank merges
//! them.
//!
//! [`Stamps`] is the run's clock events so far, in order, without
//! repeats. `rank(s)` is `s`'s position among them: a map that keeps every
//! `<` and `=` between stamps. Every stamp issued later is at least the
//! current step (a driver action takes no step of its own, so it may stamp
//! in the step of the last event), and where the driver may act next the
//! fingerprint holds the current step's rank as well (whether a clock event
//! is already in it), so two
//! states whose stamps have the same ranks compare the same with everything
//! still to come.
//!
//! Invariant: a fingerprint that ranks one stamp must rank them all (the
//! kernel ranks spawn and exit steps; an actor ranks the stamps it holds).
//! A raw step hashed next to ranked ones is not comparable with them.

/// The run's clock events so far: distinct steps, ascending.
#[derive(Clone, Copy, Debug)]
pub struct Stamps<'a> {
    sorted: &'a [u64],
}

impl<'a> Stamps<'a> {
    /// `sorted` must be ascending without repeats.
    pub fn new(sorted: &'a [u64]) -> Stamps<'a> {
        debug_assert!(sorted.windows(2).all(|w| w[0] < w[1]), "stamps must be ascending and distinct");
        Stamps { sorted }
    }

    /// `stamp`'s rank, for a fingerprint: odd for a clock event (twice its
    /// position, plus one), even for a value below or between them (which a
    /// stamp the executor issued never is). Order-preserving for every `u64`.
    pub fn rank(&self, stamp: u64) -> u64 {
        let below = self.sorted.partition_point(|&s| s < stamp) as u64;
        let hit = self.sorted.get(below as usize) == Some(&stamp);
        2 * below + u64::from(hit)
    }

    /// How many clock events the run has had.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Stamps;

    #[test]
    fn ranks_keep_order_and_equality() {
        let a = Stamps::new(&[3, 5, 9]);
        let b = Stamps::new(&[4, 11, 12]);
        assert_eq!([a.rank(3), a.rank(5), a.rank(9)], [b.rank(4), b.rank(11), b.rank(12)]);
        assert!(a.rank(4) > a.rank(3) && a.rank(4) < a.rank(5), "a value between events keeps its place");
        assert!(a.rank(10) > a.rank(9) && a.rank(2) < a.rank(3));
        let every: Vec<u64> = (0..12).map(|s| a.rank(s)).collect();
        assert!(every.windows(2).all(|w| w[0] <= w[1]), "monotone: {every:?}");
    }
}
