//! Signals in words. Owns turning a trace entry's `Debug` text into a short
//! readable form: `call lookup("a")`, `reply Some(server(a)<3>)`,
//! `DOWN server(a)<3> normal`, with every pid `<n>` replaced by the process's
//! name (`label<n>`) and refs left out. Invariant: a pure function of the
//! trace; text it does not recognise is kept (with pids named), never lost.

use sim::trace::{Trace, TraceEntry, TraceKind};
use sim::Pid;

/// What a drop entry appends to the signal's text.
const DEAD: &str = " (receiver is dead)";

/// An entry's text in words: the signal for sends, deliveries, handlings and
/// drops; the reason for exits; the label for spawns.
pub fn entry_words(trace: &Trace, e: &TraceEntry) -> String {
    match e.kind {
        TraceKind::Send | TraceKind::Deliver | TraceKind::Handle => signal_words(trace, &e.text),
        TraceKind::Drop => match e.text.strip_suffix(DEAD) {
            Some(signal) => format!("{} (dropped: receiver is dead)", signal_words(trace, signal)),
            None => named(trace, &e.text),
        },
        TraceKind::Exit => named(trace, &e.text),
        TraceKind::Spawn => trace.name(e.to),
    }
}

/// A signal's `Debug` text in words.
pub fn signal_words(trace: &Trace, text: &str) -> String {
    if let Some([_, msg]) = fields(text, "Message { from: ", &[", msg: "]) {
        return message(trace, msg);
    }
    if let Some([_, reason]) = fields(text, "Exit { from: ", &[", reason: "]) {
        return format!("EXIT {}", named(trace, reason));
    }
    if let Some([_, pid, reason]) = fields(text, "Down { mref: ", &[", pid: ", ", reason: "]) {
        return format!("DOWN {} {}", named(trace, pid), named(trace, reason));
    }
    if let Some([_, reason]) = fields(text, "Stop { from: ", &[", reason: "]) {
        return format!("stop {}", named(trace, reason));
    }
    named(trace, text)
}

/// A message payload in words: calls, replies and casts by their protocol.
fn message(trace: &Trace, msg: &str) -> String {
    if let Some([_, _, req]) = fields(msg, "Call { from: ", &[", tag: ", ", req: "]) {
        return format!("call {}", term(trace, req));
    }
    if let Some([_, value]) = fields(msg, "Reply { tag: ", &[", value: "]) {
        return match value {
            "()" => "reply :ok".to_string(),
            _ => format!("reply {}", named(trace, value)),
        };
    }
    if let Some(inner) = msg.strip_prefix("Cast(").and_then(|m| m.strip_suffix(')')) {
        return format!("cast {}", term(trace, inner));
    }
    term(trace, msg)
}

/// Splits `Head { a: x, b: y }` into its N field values, given the text up
/// to the first value and the separators before the others.
fn fields<'t, const N: usize>(text: &'t str, head: &str, seps: &[&str]) -> Option<[&'t str; N]> {
    debug_assert_eq!(seps.len() + 1, N);
    let mut rest = text.strip_prefix(head)?.strip_suffix(" }")?;
    let mut out = [""; N];
    for (slot, sep) in out.iter_mut().zip(seps) {
        let at = rest.find(sep)?;
        *slot = &rest[..at];
        rest = &rest[at + sep.len()..];
    }
    out[N - 1] = rest;
    Some(out)
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
    use sim::trace::Trace;

    fn trace() -> Trace {
        let labels = ["test", "supervisor", "server", "client1", "worker(b)"];
        Trace { entries: Vec::new(), labels: labels.iter().map(|s| s.to_string()).collect() }
    }

    fn words(text: &str) -> String {
        signal_words(&trace(), text)
    }

    #[test]
    fn calls_replies_and_casts_are_worded_by_protocol_with_pids_named() {
        let call = "Message { from: <3>, msg: Call { from: <3>, tag: #Ref<3.1>, req: Lookup(\"b\") } }";
        assert_eq!(words(call), "call lookup(\"b\")");
        let reply = "Message { from: <2>, msg: Reply { tag: #Ref<3.3>, value: Some(<4>) } }";
        assert_eq!(words(reply), "reply Some(worker(b)<4>)");
        assert_eq!(words("Message { from: <4>, msg: Reply { tag: #Ref<3.3>, value: () } }"), "reply :ok");
        assert_eq!(words("Message { from: <3>, msg: Cast(Create(\"b\")) }"), "cast create(\"b\")");
        let start = "Message { from: <2>, msg: Call { from: <2>, tag: #Ref<2.1>, req: StartChild(worker(b)) } }";
        assert_eq!(words(start), "call start_child(worker(b))");
        assert_eq!(words("Message { from: <0>, msg: Go }"), "go");
    }

    #[test]
    fn exit_signals_downs_and_stops_are_worded() {
        assert_eq!(words("Down { mref: #Ref<2.2>, pid: <4>, reason: normal }"), "DOWN worker(b)<4> normal");
        assert_eq!(words("Exit { from: <4>, reason: killed }"), "EXIT killed");
        assert_eq!(words("Stop { from: <3>, reason: normal }"), "stop normal");
    }

    #[test]
    fn unknown_text_is_kept_with_pids_named_and_refs_untouched() {
        assert_eq!(words("Weird(<1>, #Ref<1.2>, <99)"), "Weird(supervisor<1>, #Ref<1.2>, <99)");
        assert_eq!(words("x < 3"), "x < 3");
    }
}
