//! The canonical bytes of a trace entry's detail: what the trace prints and
//! hashes. They are, byte for byte, what earlier builds wrote when entries
//! were text (the signal's derived `Debug`, `" (receiver is dead)"` after a
//! dropped one, the exit reason's `Debug`, the child's label), so every
//! recorded trace hash still holds (`tests/recorded_tokens.rs`).

use super::{Detail, TraceEntry, TraceKind, TracedMsg, TracedSignal};
use std::fmt;

/// What a drop entry writes after its signal.
pub const DEAD: &str = " (receiver is dead)";

/// An entry's detail in its canonical bytes ([`TraceEntry::text`]).
pub struct Text<'a>(&'a TraceEntry);

impl TraceEntry {
    /// The entry's detail as the trace prints and hashes it.
    pub fn text(&self) -> Text<'_> {
        Text(self)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.detail {
            Detail::Spawn { label } => f.write_str(label),
            Detail::Exit { reason } => write!(f, "{reason:?}"),
            Detail::Signal(signal) if self.0.kind == TraceKind::Drop => write!(f, "{signal}{DEAD}"),
            Detail::Signal(signal) => write!(f, "{signal}"),
        }
    }
}

/// The signal as `Signal`'s derived `Debug` writes it.
impl fmt::Display for TracedSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TracedSignal::Message { from, msg } => write!(f, "Message {{ from: {from:?}, msg: {msg} }}"),
            TracedSignal::Exit { from, reason } => write!(f, "Exit {{ from: {from:?}, reason: {reason:?} }}"),
            TracedSignal::Down { mref, pid, reason } => {
                write!(f, "Down {{ mref: {mref:?}, pid: {pid:?}, reason: {reason:?} }}")
            }
            TracedSignal::Stop { from, reason } => write!(f, "Stop {{ from: {from:?}, reason: {reason:?} }}"),
        }
    }
}

/// The message as the derived `Debug` of `Call`, `Reply` and `Cast` writes it.
impl fmt::Display for TracedMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TracedMsg::Call { from, tag, req } => write!(f, "Call {{ from: {from:?}, tag: {tag:?}, req: {req} }}"),
            TracedMsg::Reply { tag, value } => write!(f, "Reply {{ tag: {tag:?}, value: {value} }}"),
            TracedMsg::Cast { req } => write!(f, "Cast({req})"),
            TracedMsg::Plain { text } => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Call, Cast, Reply};
    use crate::{Msg, Pid, Reason, Ref, Signal};

    #[derive(Debug)]
    #[allow(dead_code)] // read only by `Debug`
    enum Req {
        Lookup(String),
        Put { key: String, value: Option<Pid> },
    }

    fn tag(owner: u32, serial: u32) -> Ref {
        Ref { owner: Pid(owner), serial }
    }

    /// One signal of every kind and payload shape the executor traces.
    fn signals() -> Vec<Signal> {
        let (a, b) = (Pid(3), Pid(12));
        let message = |msg| Signal::Message { from: a, msg };
        let put = Req::Put { key: "k\"1".to_string(), value: Some(b) };
        vec![
            message(Msg::from(Call { from: a, tag: tag(3, 1), req: Msg::new(Req::Lookup("a".to_string())) })),
            message(Msg::from(Call { from: a, tag: tag(3, 2), req: Msg::new(put) })),
            message(Msg::from(Reply { tag: tag(3, 2), value: Msg::new(Some(b)) })),
            message(Msg::from(Reply { tag: tag(3, 3), value: Msg::new(()) })),
            message(Msg::from(Cast(Msg::new(Req::Lookup("b".to_string()))))),
            message(Msg::new("go")),
            message(Msg::new(Some(vec![1i64, -2]))),
            Signal::Exit { from: b, reason: Reason::Killed },
            Signal::Exit { from: b, reason: Reason::Panic("no clause \"x\"".to_string()) },
            Signal::Down { mref: tag(0, 7), pid: b, reason: Reason::Noproc },
            Signal::Down { mref: tag(2, 1), pid: b, reason: Reason::Other("custom".to_string()) },
            Signal::Stop { from: a, reason: Reason::Shutdown },
        ]
    }

    #[test]
    fn a_traced_signal_prints_as_the_signals_debug() {
        for signal in signals() {
            assert_eq!(TracedSignal::of(&signal).to_string(), format!("{signal:?}"));
        }
    }

    #[test]
    fn entry_text_is_what_text_entries_held() {
        for signal in signals() {
            for kind in [TraceKind::Send, TraceKind::Deliver, TraceKind::Handle] {
                let entry = TraceEntry::of_signal(4, kind, Pid(3), Pid(12), TracedSignal::of(&signal));
                assert_eq!(entry.text().to_string(), format!("{signal:?}"));
            }
            let drop = TraceEntry::of_signal(4, TraceKind::Drop, Pid(3), Pid(12), TracedSignal::of(&signal));
            assert_eq!(drop.text().to_string(), format!("{signal:?} (receiver is dead)"));
        }
        let exit = TraceEntry::exit(2, Pid(5), Reason::Panic("boom".to_string()));
        assert_eq!(exit.text().to_string(), format!("{:?}", Reason::Panic("boom".to_string())));
        assert_eq!(TraceEntry::spawn(0, Pid(0), Pid(1), "worker(a)".to_string()).text().to_string(), "worker(a)");
    }

    #[test]
    fn the_kind_and_the_pids_are_data() {
        let kinds: Vec<&str> = signals().iter().map(|s| TracedSignal::of(s).kind().word()).collect();
        let expected = ["call", "call", "reply", "reply", "cast", "message", "message", "exit", "exit", "down"];
        assert_eq!(kinds[..10], expected);
        assert_eq!(kinds[10..], ["down", "stop"]);
        let down = TracedSignal::of(&signals()[9]);
        assert_eq!(down, TracedSignal::Down { mref: tag(0, 7), pid: Pid(12), reason: Reason::Noproc });
        assert_eq!(down.sender(), Pid(12));
        let TracedSignal::Message { msg, .. } = TracedSignal::of(&signals()[0]) else { panic!("a message") };
        assert_eq!(msg, TracedMsg::Call { from: Pid(3), tag: tag(3, 1), req: "Lookup(\"a\")".to_string() });
    }
}
