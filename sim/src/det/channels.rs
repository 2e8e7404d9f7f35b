//! The signals in flight, as one flat table of channels sorted by key.
//!
//! A run has few channels open at once (a handful, one per busy
//! (receiver, sender) pair), opened and closed many times a run: a sorted
//! `Vec` does each lookup by binary search over a few cache lines, without
//! the tree's node allocations and rebalancing. Iteration is in ascending
//! key order, as a `BTreeMap`'s was, so the executor's order of events is
//! unchanged and stays a function of the run.

use crate::Pid;
use std::collections::VecDeque;

/// A channel's key: (receiver, sender).
pub(crate) type Key = (Pid, Pid);

/// Channels keyed by (receiver, sender), in ascending key order, each key at
/// most once.
pub(crate) struct Channels<Q> {
    sorted: Vec<(Key, VecDeque<Q>)>,
}

impl<Q> Channels<Q> {
    pub const fn new() -> Self {
        Channels { sorted: Vec::new() }
    }

    fn find(&self, key: &Key) -> Result<usize, usize> {
        self.sorted.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn get_mut(&mut self, key: &Key) -> Option<&mut VecDeque<Q>> {
        let at = self.find(key).ok()?;
        Some(&mut self.sorted[at].1)
    }

    /// The channel `key`, opened with `open()` if it is not there.
    pub fn open_with(&mut self, key: Key, open: impl FnOnce() -> VecDeque<Q>) -> &mut VecDeque<Q> {
        let at = match self.find(&key) {
            Ok(at) => at,
            Err(at) => {
                self.sorted.insert(at, (key, open()));
                at
            }
        };
        &mut self.sorted[at].1
    }

    pub fn remove(&mut self, key: &Key) -> Option<VecDeque<Q>> {
        let at = self.find(key).ok()?;
        Some(self.sorted.remove(at).1)
    }

    /// Removes every channel, last first, handing each queue to `keep`.
    pub fn drain_into(&mut self, mut keep: impl FnMut(VecDeque<Q>)) {
        while let Some((_, queue)) = self.sorted.pop() {
            keep(queue);
        }
    }

    /// The first channel to `to` from `from` or a later sender.
    pub fn first_to(&self, to: Pid, from: Pid) -> Option<Key> {
        let at = self.sorted.partition_point(|(k, _)| *k < (to, from));
        self.sorted.get(at).map(|(k, _)| *k).filter(|k| k.0 == to)
    }

    /// Every channel, in ascending key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &VecDeque<Q>)> {
        self.sorted.iter().map(|(k, q)| (k, q))
    }

    pub fn values(&self) -> impl Iterator<Item = &VecDeque<Q>> {
        self.sorted.iter().map(|(_, q)| q)
    }

    /// Shrinks the table back to `capacity` if it grew past it.
    pub fn shrink_to(&mut self, capacity: usize) {
        self.sorted.shrink_to(capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_sorted_and_unique_whatever_the_order_of_opening() {
        let mut channels = Channels::<u32>::new();
        for (to, from, value) in [(2, 1, 10), (1, 3, 11), (2, 0, 12), (1, 3, 13), (0, 5, 14)] {
            channels.open_with((Pid(to), Pid(from)), VecDeque::new).push_back(value);
        }
        let keys: Vec<Key> = channels.iter().map(|(k, _)| *k).collect();
        let expected = [(0, 5), (1, 3), (2, 0), (2, 1)].map(|(a, b)| (Pid(a), Pid(b)));
        assert_eq!(keys, expected);
        assert_eq!(channels.get_mut(&(Pid(1), Pid(3))).map(|q| q.len()), Some(2));
        assert_eq!(channels.first_to(Pid(2), Pid(0)), Some((Pid(2), Pid(0))));
        assert_eq!(channels.first_to(Pid(2), Pid(1)), Some((Pid(2), Pid(1))));
        assert_eq!(channels.first_to(Pid(2), Pid(2)), None);
        assert_eq!(channels.first_to(Pid(1), Pid(4)), None, "not a channel to another receiver");
        assert_eq!(channels.remove(&(Pid(2), Pid(0))).map(|q| q.len()), Some(1));
        assert!(channels.remove(&(Pid(2), Pid(0))).is_none());
        assert_eq!(channels.first_to(Pid(2), Pid(0)), Some((Pid(2), Pid(1))));
    }
}
