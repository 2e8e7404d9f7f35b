//! A signal as a trace holds it: its kind and the pids and refs it names,
//! as data. Only a user payload (a message, a call's request, a reply's
//! value, a cast's request) is text: its `Debug`, formatted once, when the
//! entry is recorded, and only in a traced run.

#[cfg(doc)]
use crate::call::{Call, Cast, Reply};
use crate::msg::Protocol;
use crate::panic_guard::run_handler;
use crate::{Msg, Pid, Reason, Ref, Signal};

/// A traced signal: [`Signal`] with every user payload replaced by its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TracedSignal {
    Message { from: Pid, msg: TracedMsg },
    Exit { from: Pid, reason: Reason },
    Down { mref: Ref, pid: Pid, reason: Reason },
    Stop { from: Pid, reason: Reason },
}

/// A traced message, by the call protocol (`sim::call`) it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TracedMsg {
    /// A [`Call`]: the caller, the tag its reply carries, and the request's text.
    Call { from: Pid, tag: Ref, req: String },
    /// A [`Reply`] to the call tagged `tag`, and the value's text.
    Reply { tag: Ref, value: String },
    /// A [`Cast`], and the request's text.
    Cast { req: String },
    /// Any other message, as text.
    Plain { text: String },
}

/// What a signal is, in one word each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignalKind {
    Message,
    Call,
    Reply,
    Cast,
    Exit,
    Down,
    Stop,
}

impl SignalKind {
    /// The kind in one lower-case word.
    pub fn word(self) -> &'static str {
        match self {
            SignalKind::Message => "message",
            SignalKind::Call => "call",
            SignalKind::Reply => "reply",
            SignalKind::Cast => "cast",
            SignalKind::Exit => "exit",
            SignalKind::Down => "down",
            SignalKind::Stop => "stop",
        }
    }
}

impl TracedSignal {
    /// `signal` as a trace holds it. Formats its user payload, if any: a
    /// `Debug` that panics is written `<Debug panicked: ...>` in its place.
    pub fn of(signal: &Signal) -> TracedSignal {
        match signal {
            Signal::Message { from, msg } => TracedSignal::Message { from: *from, msg: TracedMsg::of(msg) },
            Signal::Exit { from, reason } => TracedSignal::Exit { from: *from, reason: reason.clone() },
            Signal::Down { mref, pid, reason } => TracedSignal::Down { mref: *mref, pid: *pid, reason: reason.clone() },
            Signal::Stop { from, reason } => TracedSignal::Stop { from: *from, reason: reason.clone() },
        }
    }

    pub fn kind(&self) -> SignalKind {
        match self {
            TracedSignal::Message { msg, .. } => msg.kind(),
            TracedSignal::Exit { .. } => SignalKind::Exit,
            TracedSignal::Down { .. } => SignalKind::Down,
            TracedSignal::Stop { .. } => SignalKind::Stop,
        }
    }

    /// The process the signal came from.
    pub fn sender(&self) -> Pid {
        match self {
            TracedSignal::Message { from, .. } | TracedSignal::Exit { from, .. } | TracedSignal::Stop { from, .. } => {
                *from
            }
            TracedSignal::Down { pid, .. } => *pid,
        }
    }
}

impl TracedMsg {
    fn of(msg: &Msg) -> TracedMsg {
        match msg.protocol() {
            Protocol::Call { from, tag, req } => TracedMsg::Call { from, tag, req: payload_text(&req) },
            Protocol::Reply { tag, value } => TracedMsg::Reply { tag, value: payload_text(&value) },
            Protocol::Cast { req } => TracedMsg::Cast { req: payload_text(&req) },
            Protocol::Plain => TracedMsg::Plain { text: payload_text(msg) },
        }
    }

    pub fn kind(&self) -> SignalKind {
        match self {
            TracedMsg::Call { .. } => SignalKind::Call,
            TracedMsg::Reply { .. } => SignalKind::Reply,
            TracedMsg::Cast { .. } => SignalKind::Cast,
            TracedMsg::Plain { .. } => SignalKind::Message,
        }
    }

    /// The user payload's text.
    pub fn payload(&self) -> &str {
        match self {
            TracedMsg::Call { req: text, .. }
            | TracedMsg::Reply { value: text, .. }
            | TracedMsg::Cast { req: text }
            | TracedMsg::Plain { text } => text,
        }
    }
}

/// A user value's `Debug`, under the panic guard: tracing never changes a run.
fn payload_text(msg: &dyn std::fmt::Debug) -> String {
    run_handler(|| format!("{msg:?}")).unwrap_or_else(|panic| format!("<Debug panicked: {panic}>"))
}
