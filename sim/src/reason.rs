//! Exit reasons, with Erlang's meaning.
//!
//! `Normal` does not propagate over links to processes that do not trap exits;
//! `Kill` is untrappable and reaches the links of the killed process as
//! `Killed`; every other reason kills linked processes that do not trap exits.

use std::fmt;

/// Why a process ended (or, for a failed call, why there was no reply).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// Ordinary termination (`:normal`).
    Normal,
    /// `:shutdown`, as a supervisor or `Agent.stop(pid, :shutdown)` sends it.
    Shutdown,
    /// The untrappable `:kill` exit signal (only ever a signal, never a final reason).
    Kill,
    /// What linked processes see when a process was killed with `Kill`.
    Killed,
    /// The process did not exist (monitor, link or call of a dead pid).
    Noproc,
    /// A handler panicked; the text is the panic message.
    Panic(String),
    /// Any other reason, by name.
    Other(String),
}

impl Reason {
    /// True for the reason that link signals ignore unless the receiver traps exits.
    pub fn is_normal(&self) -> bool {
        matches!(self, Reason::Normal)
    }
}

impl fmt::Debug for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Normal => f.write_str("normal"),
            Reason::Shutdown => f.write_str("shutdown"),
            Reason::Kill => f.write_str("kill"),
            Reason::Killed => f.write_str("killed"),
            Reason::Noproc => f.write_str("noproc"),
            Reason::Panic(text) => write!(f, "panic({text:?})"),
            Reason::Other(name) => write!(f, "{name}"),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
