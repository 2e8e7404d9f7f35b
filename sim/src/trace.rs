//! Traces: what happened in a run, step by step, for people and for hashing.
//!
//! Tracing is optional per run: exploration records only its choice log, and
//! a replay of that log can record the full trace. A trace holds only values
//! derived from the run itself (steps, pids, labels, `Debug` text of
//! messages), so the same run gives the same trace, byte for byte.

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

/// The kind of one trace entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceKind {
    Spawn,
    Send,
    Deliver,
    Handle,
    Drop,
    Exit,
}

impl TraceKind {
    /// The kind in one lower-case word, as traces print it.
    pub fn word(self) -> &'static str {
        match self {
            TraceKind::Spawn => "spawn",
            TraceKind::Send => "send",
            TraceKind::Deliver => "deliver",
            TraceKind::Handle => "handle",
            TraceKind::Drop => "drop",
            TraceKind::Exit => "exit",
        }
    }
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEntry {
    /// The executor step it happened in (steps count executed events).
    pub step: u64,
    pub kind: TraceKind,
    pub from: Pid,
    pub to: Pid,
    /// The signal's `Debug` text, or the exit reason.
    pub text: String,
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

    /// A stable 64-bit FNV-1a hash of the rendered trace.
    pub fn hash(&self) -> u64 {
        fnv1a(self.to_string().as_bytes())
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = String::new();
        for e in &self.entries {
            line.clear();
            let (from, to) = (self.name(e.from), self.name(e.to));
            write!(line, "{:>5} {:<7} {} -> {}: {}", e.step, e.kind.word(), from, to, e.text)?;
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// 64-bit FNV-1a: small, stable across platforms and Rust versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
