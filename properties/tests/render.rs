//! Pictures of real counterexamples: every format says the same run, the SVG
//! is well-formed XML with one lifeline per process and one arrow per
//! delivered signal, the culprit answer is highlighted, and the same token
//! renders to the same bytes.

use properties::kv::{decode_token, Kv};
use properties::render::{arrows, render, Format, Picture};
use properties::{Subject, Violation};
use serde_json::Value;
use sim::trace::{Trace, TraceEntry, TraceKind, TracedMsg, TracedSignal};
use sim::Pid;
use sim::Reason;

/// monitored / spec: lookup answers a bucket whose DOWN is still in flight.
const SPEC: &str = "kv2:monitored:spec:Ca.Sa.La:12";
/// unmonitored / instant, under rules revision 1: no deliveries, arrivals are handlings.
const INSTANT: &str = "kv1:unmonitored:instant:Cb.Sb.Sb:_";
/// monitored / instant, current rules: sends land when sent, and a dying
/// bucket's signals arrive by deliveries of their own.
const INSTANT_NOW: &str = "kv2:monitored:instant:Cb.Sb.Sb:2";

fn replay(token: &str) -> (Trace, Vec<Violation>) {
    let (variant, token) = decode_token(token).expect("a valid token");
    let run = Kv(variant).replay(&token.workload, &token.choices);
    let violations = Kv(variant).properties().iter().filter_map(|p| p.check(&run.history)).collect();
    (run.trace.expect("replays are traced"), violations)
}

fn picture(token: &str, format: Format) -> String {
    let (trace, violations) = replay(token);
    render(format, &Picture { trace: &trace, violations: &violations, title: token })
}

fn count(kind: TraceKind, trace: &Trace) -> usize {
    trace.entries.iter().filter(|e| e.kind == kind).count()
}

fn with_class<'a>(doc: &'a roxmltree::Document, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class))).collect()
}

fn attr(node: &roxmltree::Node, name: &str) -> i64 {
    node.attribute(name).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} on {node:?}"))
}

#[test]
fn the_spec_counterexample_has_a_violation_pointing_at_a_client_handling() {
    let (trace, violations) = replay(SPEC);
    let v = violations.iter().find(|v| v.property == "no-dead-lookup").expect("no-dead-lookup breaks");
    let picture = Picture { trace: &trace, violations: &violations, title: "" };
    let entry = &trace.entries[picture.culprit_entry(v).expect("the culprit is in the trace")];
    assert_eq!((entry.kind, trace.labels[entry.to.index()].as_str()), (TraceKind::Handle, "client1"));
}

#[test]
fn svg_is_well_formed_with_a_lifeline_per_process_an_arrow_per_delivery_and_the_highlight() {
    let (trace, _) = replay(SPEC);
    let svg = picture(SPEC, Format::Svg);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(with_class(&doc, "life").len(), trace.labels.len());
    let deliveries = count(TraceKind::Deliver, &trace);
    assert!(deliveries > 10, "a real run: {deliveries}");
    let signal_arrows: usize = ["msg", "sig", "stp", "bad"].iter().map(|c| with_class(&doc, c).len()).sum();
    assert_eq!(signal_arrows, deliveries);
    let bad = with_class(&doc, "bad");
    assert_eq!((bad.len(), with_class(&doc, "band").len()), (1, 1));
    assert!(attr(&bad[0], "y1") < attr(&bad[0], "y2"), "the reply was in flight, so its arrow slants down");
    let caption: String = with_class(&doc, "caption").iter().filter_map(|n| n.text()).collect::<Vec<_>>().join(" ");
    assert!(caption.contains("no-dead-lookup") && caption.contains("which terminated at t=8"), "{caption}");
    let tooltips = doc.descendants().filter(|n| n.has_tag_name("title")).count();
    assert!(tooltips > trace.labels.len() + deliveries, "a tooltip per header and per arrow: {tooltips}");
    assert!(!svg.contains("href"), "no external resources");
}

#[test]
fn deaths_are_marked_with_their_reason() {
    let (trace, _) = replay(SPEC);
    let svg = picture(SPEC, Format::Svg);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(with_class(&doc, "x").len(), count(TraceKind::Exit, &trace));
    assert!(with_class(&doc, "tx").iter().any(|n| n.text() == Some("exit normal")));
}

/// Every arrow starts at an earlier `Send` of the same signal on the same channel.
fn assert_each_arrival_pairs_with_its_send(trace: &Trace, all: &[properties::render::Arrow]) {
    for a in all {
        let sent = &trace.entries[a.sent.expect("every arrival was sent")];
        let arrived = &trace.entries[a.arrived];
        assert_eq!(
            (sent.kind, sent.from, sent.to, &sent.detail),
            (TraceKind::Send, arrived.from, arrived.to, &arrived.detail)
        );
        assert!(sent.step < arrived.step);
    }
}

#[test]
fn in_instant_mode_each_handling_is_an_arrival_paired_with_its_send() {
    let (trace, _) = replay(INSTANT);
    assert_eq!(count(TraceKind::Deliver, &trace), 0);
    let all = arrows(&trace);
    assert_eq!(all.len(), count(TraceKind::Handle, &trace));
    assert_each_arrival_pairs_with_its_send(&trace, &all);
    roxmltree::Document::parse(&picture(INSTANT, Format::Svg)).expect("well-formed XML");
}

#[test]
fn in_instant_mode_only_a_dead_senders_signals_are_deliveries_and_every_arrow_pairs_with_its_send() {
    let (trace, _) = replay(INSTANT_NOW);
    let deliveries: Vec<&TraceEntry> = trace.entries.iter().filter(|e| e.kind == TraceKind::Deliver).collect();
    assert!(!deliveries.is_empty(), "the bucket's DOWNs are deliveries");
    for d in deliveries {
        let died = trace.entries.iter().any(|e| e.kind == TraceKind::Exit && e.from == d.from && e.step < d.step);
        assert!(died, "a delivery from a live sender in instant mode: {d:?}");
    }
    assert_each_arrival_pairs_with_its_send(&trace, &arrows(&trace));
    roxmltree::Document::parse(&picture(INSTANT_NOW, Format::Svg)).expect("well-formed XML");
}

#[test]
fn mermaid_is_a_sequence_diagram_with_a_participant_per_process_and_an_arrow_per_delivery() {
    let (trace, _) = replay(SPEC);
    let text = picture(SPEC, Format::Mermaid);
    assert!(text.starts_with("sequenceDiagram\n"));
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let participants: Vec<&&str> = lines.iter().filter(|l| l.starts_with("participant ")).collect();
    assert_eq!(participants.len(), trace.labels.len());
    assert!(participants.iter().all(|l| !l.contains('<') && !l.contains('>')), "{participants:?}");
    assert!(lines.contains(&"participant P4 as bucket(a)#lt;4#gt;"), "{text}");
    let solid = lines.iter().filter(|l| l.contains("->>") && !l.contains("-->>")).count();
    assert_eq!(solid, count(TraceKind::Deliver, &trace));
    assert!(lines.contains(&"rect rgb(255, 200, 200)") && text.contains("VIOLATION no-dead-lookup"), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("Note over P4: t=8 exits normal")), "{text}");
}

#[test]
fn json_round_trips_with_the_documented_fields() {
    let (trace, violations) = replay(SPEC);
    let doc: Value = serde_json::from_str(&picture(SPEC, Format::Json)).expect("valid JSON");
    let keys = |v: &Value| {
        let mut keys = v.as_object().expect("an object").keys().cloned().collect::<Vec<_>>();
        keys.sort();
        keys
    };
    assert_eq!(keys(&doc), ["entries", "format", "processes", "signals", "title", "violations"]);
    assert_eq!(doc["format"], "kvsim-trace/1");
    let processes = doc["processes"].as_array().expect("processes");
    assert_eq!(processes.len(), trace.labels.len());
    assert_eq!(keys(&processes[4]), ["exit_entry", "label", "name", "pid", "spawned_entry"]);
    assert_eq!(processes[4]["name"], "bucket(a)<4>");
    let entries = doc["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), trace.entries.len());
    assert_eq!(keys(&entries[0]), ["from", "index", "kind", "signal", "step", "text", "to", "words"]);
    let kind_of = |e: &Value| (e["kind"].as_str().map(str::to_string), e["signal"].as_str().map(str::to_string));
    let kinds: std::collections::BTreeSet<_> = entries.iter().map(kind_of).collect();
    let pair = |kind: &str, signal: Option<&str>| (Some(kind.to_string()), signal.map(str::to_string));
    for expected in
        [pair("spawn", None), pair("send", Some("call")), pair("deliver", Some("reply")), pair("handle", Some("down"))]
    {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
    let signals = doc["signals"].as_array().expect("signals");
    assert_eq!(signals.len(), count(TraceKind::Deliver, &trace));
    assert_eq!(keys(&signals[0]), ["arrived_entry", "from", "handled_entry", "sent_entry", "to"]);
    let v = &doc["violations"][0];
    assert_eq!(keys(v), ["culprit_client", "culprit_entry", "culprit_step", "message", "property"]);
    assert_eq!(v["message"], violations[0].message.as_str());
    let culprit = &entries[v["culprit_entry"].as_u64().expect("an entry") as usize];
    assert_eq!((&culprit["kind"], &culprit["step"]), (&Value::from("handle"), &v["culprit_step"]));
}

#[test]
fn text_names_processes_words_signals_and_marks_the_culprit() {
    let text = picture(SPEC, Format::Text);
    assert!(text.contains("registry<2> handles from client1<3>: call lookup(\"a\") (sent at t=9)"), "{text}");
    let marked: Vec<&str> = text.lines().filter(|l| l.contains("<== no-dead-lookup")).collect();
    assert_eq!(marked.len(), 1, "{text}");
    assert!(marked[0].contains("client1<3> handles from registry<2>: reply Some(bucket(a)<4>)"), "{text}");
    assert!(!text.contains("Message {") && !text.contains("#Ref"), "{text}");
}

#[test]
fn the_same_token_renders_to_the_same_bytes_in_every_format() {
    for token in [SPEC, INSTANT, INSTANT_NOW] {
        for format in Format::ALL {
            assert_eq!(picture(token, format), picture(token, format), "{token} {format:?}");
        }
    }
}

#[test]
fn hostile_labels_and_texts_are_escaped() {
    let odd = TracedSignal::Message { from: Pid(0), msg: TracedMsg::Plain { text: "Odd(\"<&>\\\"\")".into() } };
    let signal = |kind| TraceEntry::of_signal(1, kind, Pid(0), Pid(1), odd.clone());
    let trace = Trace {
        labels: vec!["test".into(), "a<b>&\"c';#".into()],
        entries: vec![
            TraceEntry::spawn(1, Pid(0), Pid(1), "a<b>&\"c';#".into()),
            signal(TraceKind::Send),
            signal(TraceKind::Deliver),
            TraceEntry::exit(1, Pid(1), Reason::Panic("x < y & z".into())),
        ],
    };
    let picture = Picture { trace: &trace, violations: &[], title: "<title & \"quotes\">" };
    roxmltree::Document::parse(&render(Format::Svg, &picture)).expect("well-formed XML");
    let mermaid = render(Format::Mermaid, &picture);
    let labels = mermaid.lines().skip(1).filter_map(|l| l.split_once(" as ").or_else(|| l.split_once(": ")));
    assert!(labels.clone().count() >= 5 && labels.clone().all(|(_, t)| !t.contains(['<', '>', '"', '&'])), "{mermaid}");
    assert!(mermaid.contains("participant P1 as a#lt;b#gt;#amp;#quot;c'#59;#35;#lt;1#gt;"), "{mermaid}");
    serde_json::from_str::<Value>(&render(Format::Json, &picture)).expect("valid JSON");
}
