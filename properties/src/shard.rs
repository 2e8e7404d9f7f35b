//! A shard: one of N equal shares of a check's runs, for splitting a search
//! across machines or CI jobs.
//!
//! Shard `I/N` (1-based) takes runs `I-1, I-1+N, I-1+2N, ...` of `0..runs`.
//! Invariant: for any `runs`, the shards `1/N ..= N/N` cover every run
//! exactly once, and each shard visits its runs in increasing order.

use std::fmt;
use std::str::FromStr;

/// The largest shard count accepted (a bound, not a tuning knob).
pub const MAX_SHARDS: u64 = 1 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    index: u64,
    count: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Shard `index` of `count`; `None` unless `1 <= index <= count <= MAX_SHARDS`.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (1 <= index && index <= count && count <= MAX_SHARDS).then_some(Shard { index, count })
    }

    pub fn index(self) -> u64 {
        self.index
    }

    pub fn count(self) -> u64 {
        self.count
    }

    /// How many of `0..runs` this shard takes.
    pub fn len(self, runs: u64) -> u64 {
        let first = self.index - 1;
        if runs <= first {
            0
        } else {
            (runs - first).div_ceil(self.count)
        }
    }

    /// The run at `position` of this shard's sequence.
    pub fn run_at(self, position: u64) -> u64 {
        self.index - 1 + position * self.count
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let (index, count) = text.split_once('/').ok_or_else(|| format!("'{text}' is not of the form I/N"))?;
        let number =
            |part: &str| part.trim().parse::<u64>().map_err(|_| format!("'{part}' in '{text}' is not a number"));
        let (index, count) = (number(index)?, number(count)?);
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("shard count {count} is not in 1..={MAX_SHARDS}"));
        }
        Shard::new(index, count).ok_or_else(|| format!("shard {index} of {count} is not in 1..={count}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_runs() {
        for runs in [0, 1, 2, 7, 100, 101] {
            for count in 1..=7 {
                let mut seen = vec![0u32; runs as usize];
                for index in 1..=count {
                    let shard = Shard::new(index, count).unwrap();
                    let mut last = None;
                    for position in 0..shard.len(runs) {
                        let run = shard.run_at(position);
                        assert!(last < Some(run), "{shard}: runs increase");
                        last = Some(run);
                        seen[run as usize] += 1;
                    }
                }
                assert!(seen.iter().all(|&n| n == 1), "runs={runs} count={count}: {seen:?}");
            }
        }
    }

    #[test]
    fn bad_shards_are_refused_with_a_reason() {
        for text in ["3/2", "0/2", "1/0", "a/2", "1-2", "", "2/"] {
            let error = text.parse::<Shard>().unwrap_err();
            assert!(!error.is_empty() && !error.contains('\n'), "{text}: {error}");
        }
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
    }
}
