//! Signals: everything that travels from one process to another.
//!
//! Erlang orders signals per (sender, receiver) pair and nowhere else; every
//! executor keeps that order for all four kinds below. A [`Signal`] is also
//! what an actor's handler receives: exit signals reach a handler only as
//! trapped `Exit` messages (an untrapped one kills the process or is ignored).

use crate::{Msg, Pid, Reason, Ref};

/// One signal in flight or in a mailbox.
#[derive(Debug)]
pub enum Signal {
    /// An ordinary message (`send/2`, casts, calls and replies).
    Message { from: Pid, msg: Msg },
    /// An exit signal from a link or `exit/2`; a trapping process receives it as a message.
    Exit { from: Pid, reason: Reason },
    /// A monitor fired: `pid` ended with `reason`.
    Down { mref: Ref, pid: Pid, reason: Reason },
    /// A synchronous stop request (`GenServer.stop/2`, `Agent.stop/2`): the kernel
    /// runs the actor's `terminate` and ends the process with `reason`.
    Stop { from: Pid, reason: Reason },
}

impl Signal {
    /// The process the signal came from.
    pub fn sender(&self) -> Pid {
        match self {
            Signal::Message { from, .. } | Signal::Exit { from, .. } | Signal::Stop { from, .. } => *from,
            Signal::Down { pid, .. } => *pid,
        }
    }

    /// Whether the receiver can tell when this signal arrived, not only when
    /// it handles it: an exit signal acts on arrival (it kills, or becomes an
    /// `EXIT` message), and a `DOWN` still in flight is cancelled by
    /// `demonitor` while one that arrived stays in the mailbox. Messages and
    /// stop requests are seen only when handled.
    pub fn arrival_is_observable(&self) -> bool {
        matches!(self, Signal::Exit { .. } | Signal::Down { .. })
    }

    /// The message payload, for `Message` signals.
    pub fn msg(&self) -> Option<&Msg> {
        match self {
            Signal::Message { msg, .. } => Some(msg),
            _ => None,
        }
    }
}
