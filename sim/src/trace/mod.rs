//! Traces: what happened in a run, step by step, for people and for hashing.
//!
//! Tracing is optional per run: exploration records only its choice log, and
//! a replay of that log can record the full trace. An entry is data: its
//! kind, the pids, and its [`Detail`] (a [`TracedSignal`] with its kind, pids
//! and refs; a user payload only as its `Debug` text). A trace holds only
//! values derived from the run itself, so the same run gives the same trace,
//! byte for byte; its printed form and hash use the canonical bytes of
//! `canonical.rs`, which are those of the text traces of earlier builds.

mod canonical;
mod entry;
mod signal;

pub use canonical::{Text, DEAD};
pub use entry::{Detail, TraceEntry, TraceKind};
pub use signal::{SignalKind, TracedMsg, TracedSignal};

use crate::Pid;
use std::fmt::{self, Write};

/// How much a run records besides its choice log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceLevel {
    /// Choices only: the fast path for exploration.
    Off,
    /// Every spawn, send, delivery, handled signal and exit.
    Full,
}

/// A run's trace, with the label of every process it started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    pub entries: Vec<TraceEntry>,
    /// `labels[pid]` is the label of process `pid`.
    pub labels: Vec<String>,
}

impl Trace {
    /// A process's printable name, such as `server<1>`.
    pub fn name(&self, pid: Pid) -> String {
        let label = self.labels.get(pid.index()).map(String::as_str).unwrap_or("?");
        format!("{label}{pid}")
    }

    /// A stable 64-bit FNV-1a hash of the rendered trace (its `Display` bytes).
    pub fn hash(&self) -> u64 {
        let mut hasher = Fnv1a::new();
        write!(hasher, "{self}").expect("hashing never fails");
        hasher.0
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = String::new();
        for e in &self.entries {
            line.clear();
            let (from, to) = (self.name(e.from), self.name(e.to));
            write!(line, "{:>5} {:<7} {} -> {}: {}", e.step, e.kind.word(), from, to, e.text())?;
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// 64-bit FNV-1a: small, stable across platforms and Rust versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hasher = Fnv1a::new();
    hasher.bytes(bytes);
    hasher.0
}

/// 64-bit FNV-1a of a value's `Debug` text, written straight into the hash
/// (no string is built).
pub fn fnv1a_debug(value: &impl fmt::Debug) -> u64 {
    let mut hasher = Fnv1a::new();
    let _ = write!(hasher, "{value:?}");
    hasher.finish()
}

/// FNV-1a over everything written to it (`write!` into it hashes the text
/// without building it).
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a::new()
    }
}

impl Fnv1a {
    pub fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    /// The hash of everything written so far.
    pub fn finish(&self) -> u64 {
        self.0
    }

    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl Write for Fnv1a {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reason;

    #[test]
    fn the_hash_is_fnv1a_of_the_printed_trace() {
        let entries =
            vec![TraceEntry::spawn(0, Pid(0), Pid(1), "p".to_string()), TraceEntry::exit(3, Pid(1), Reason::Normal)];
        let trace = Trace { entries, labels: vec!["test".to_string(), "p".to_string()] };
        assert_eq!(trace.to_string(), "    0 spawn   test<0> -> p<1>: p\n    3 exit    p<1> -> p<1>: normal\n");
        assert_eq!(trace.hash(), fnv1a(trace.to_string().as_bytes()));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
