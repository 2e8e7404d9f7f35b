//! Signals in words. Owns turning a trace entry into a short readable form:
//! `call lookup("a")`, `reply Some(server(a)<3>)`, `DOWN server(a)<3>
//! normal`, with refs left out. It reads the entry's structure (the signal's
//! kind, its pids, its reason); the only text it touches is a user payload's
//! `Debug` (and a reason's free text), where it names every pid `<n>`
//! (`label<n>`) and writes a request's leading constructor in snake case.
//! Invariant: a pure function of the trace; payload text is kept (with pids
//! named), never lost.

use sim::trace::{Detail, Trace, TraceEntry, TraceKind, TracedMsg, TracedSignal};
use sim::{Pid, Reason};

/// An entry in words: the signal for sends, deliveries, handlings and
/// drops; the reason for exits; the child's name for spawns.
pub fn entry_words(trace: &Trace, e: &TraceEntry) -> String {
    match &e.detail {
        Detail::Signal(signal) if e.kind == TraceKind::Drop => {
            format!("{} (dropped: receiver is dead)", signal_words(trace, signal))
        }
        Detail::Signal(signal) => signal_words(trace, signal),
        Detail::Exit { reason } => reason_words(trace, reason),
        Detail::Spawn { .. } => trace.name(e.to),
    }
}

/// A signal in words.
pub fn signal_words(trace: &Trace, signal: &TracedSignal) -> String {
    match signal {
        TracedSignal::Message { msg, .. } => message(trace, msg),
        TracedSignal::Exit { reason, .. } => format!("EXIT {}", reason_words(trace, reason)),
        TracedSignal::Down { pid, reason, .. } => format!("DOWN {} {}", trace.name(*pid), reason_words(trace, reason)),
        TracedSignal::Stop { reason, .. } => format!("stop {}", reason_words(trace, reason)),
    }
}

/// A message in words: calls, replies and casts by their protocol.
fn message(trace: &Trace, msg: &TracedMsg) -> String {
    match msg {
        TracedMsg::Call { req, .. } => format!("call {}", term(trace, req)),
        TracedMsg::Reply { value, .. } if value == "()" => "reply :ok".to_string(),
        TracedMsg::Reply { value, .. } => format!("reply {}", named(trace, value)),
        TracedMsg::Cast { req } => format!("cast {}", term(trace, req)),
        TracedMsg::Plain { text } => term(trace, text),
    }
}

/// A reason, with any pid in its free text named.
fn reason_words(trace: &Trace, reason: &Reason) -> String {
    named(trace, &format!("{reason:?}"))
}

/// A request term: its leading constructor in snake case (`StartChild(x)` is
/// `start_child(x)`), pids named.
fn term(trace: &Trace, text: &str) -> String {
    let end = text.find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(text.len());
    let (head, rest) = text.split_at(end);
    if !head.starts_with(|c: char| c.is_ascii_uppercase()) {
        return named(trace, text);
    }
    let mut snake = String::with_capacity(head.len() + 4);
    for (i, c) in head.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    snake + &named(trace, rest)
}

/// `text` with every pid `<n>` replaced by its process's name.
fn named(trace: &Trace, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        match (after[..digits].parse::<u32>(), after[digits..].starts_with('>')) {
            (Ok(n), true) => {
                out.push_str(&trace.name(Pid(n)));
                rest = &after[digits + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::signal_words;
    use sim::call::{Call, Cast, Reply};
    use sim::trace::{Trace, TracedSignal};
    use sim::{Msg, Pid, Reason, Ref, Signal};

    fn trace() -> Trace {
        let labels = ["test", "supervisor", "server", "client1", "worker(b)"];
        Trace { entries: Vec::new(), labels: labels.iter().map(|s| s.to_string()).collect() }
    }

    fn words(signal: Signal) -> String {
        signal_words(&trace(), &TracedSignal::of(&signal))
    }

    fn message(from: u32, msg: impl sim::Payload) -> Signal {
        Signal::Message { from: Pid(from), msg: Msg::new(msg) }
    }

    /// A message of the call protocol (a call, a reply or a cast).
    fn enveloped(from: u32, msg: impl Into<Msg>) -> Signal {
        Signal::Message { from: Pid(from), msg: msg.into() }
    }

    fn tag(owner: u32, serial: u32) -> Ref {
        Ref { owner: Pid(owner), serial }
    }

    #[derive(Debug)]
    #[allow(dead_code)] // read only by `Debug`
    enum Req {
        Lookup(String),
        StartChild(String),
        Go,
        Weird(Pid, Ref),
    }

    #[test]
    fn calls_replies_and_casts_are_worded_by_protocol_with_pids_named() {
        let call = Call { from: Pid(3), tag: tag(3, 1), req: Msg::new(Req::Lookup("b".to_string())) };
        assert_eq!(words(enveloped(3, call)), "call lookup(\"b\")");
        let reply = Reply { tag: tag(3, 3), value: Msg::new(Some(Pid(4))) };
        assert_eq!(words(enveloped(2, reply)), "reply Some(worker(b)<4>)");
        assert_eq!(words(enveloped(4, Reply { tag: tag(3, 3), value: Msg::new(()) })), "reply :ok");
        assert_eq!(words(enveloped(3, Cast(Msg::new(Req::Lookup("b".to_string()))))), "cast lookup(\"b\")");
        let start = Call { from: Pid(2), tag: tag(2, 1), req: Msg::new(Req::StartChild("b".to_string())) };
        assert_eq!(words(enveloped(2, start)), "call start_child(\"b\")");
        assert_eq!(words(message(0, Req::Go)), "go");
    }

    #[test]
    fn exit_signals_downs_and_stops_are_worded() {
        let down = Signal::Down { mref: tag(2, 2), pid: Pid(4), reason: Reason::Normal };
        assert_eq!(words(down), "DOWN worker(b)<4> normal");
        assert_eq!(words(Signal::Exit { from: Pid(4), reason: Reason::Killed }), "EXIT killed");
        assert_eq!(words(Signal::Stop { from: Pid(3), reason: Reason::Normal }), "stop normal");
        let other = Signal::Exit { from: Pid(4), reason: Reason::Other("lost <2>".to_string()) };
        assert_eq!(words(other), "EXIT lost server<2>");
    }

    /// Words come from the signal's structure: a payload whose text looks
    /// like a call, or like a `DOWN`, is still a plain message.
    #[test]
    fn a_payload_that_reads_like_a_protocol_message_is_worded_as_the_message_it_is() {
        #[derive(Debug)]
        #[allow(dead_code)] // read only by `Debug`
        struct Down {
            mref: Ref,
            pid: Pid,
        }
        let fake_call = "Call { from: <3>, tag: #Ref<3.1>, req: Lookup(\"b\") }";
        assert_eq!(words(message(0, fake_call)), format!("{fake_call:?}").replace("<3>", "client1<3>"));
        assert_eq!(
            words(message(0, Down { mref: tag(1, 1), pid: Pid(4) })),
            "down { mref: #Ref<1.1>, pid: worker(b)<4> }"
        );
    }

    #[test]
    fn payload_text_is_kept_with_pids_named_and_refs_untouched() {
        assert_eq!(words(message(0, Req::Weird(Pid(1), tag(1, 2)))), "weird(supervisor<1>, #Ref<1.2>)");
        assert_eq!(words(message(0, "x < 3 <99")), "\"x < 3 <99\"");
        assert_eq!(words(message(0, "<99>")), "\"?<99>\"");
    }
}
