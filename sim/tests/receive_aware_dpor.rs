//! Receive-aware dependence (sched/step.rs, `dependent_in`): source-DPOR
//! orders two landings of messages at one process only when a handle saw
//! them as rivals, and a handle and a `DOWN`'s landing at its process only
//! when the landing would merge with a handling. On small systems built to
//! exercise exactly those cases (a selective receive that holds messages
//! back, so they land without being handled; a `DOWN` in flight, so every
//! channel delivers to a busy receiver), DPOR and optimal DPOR reach exactly
//! the outcomes plain DFS reaches, in both delivery modes.

use sim::call;
use sim::det::{Config, Sim};
use sim::explore::{dfs, dpor, odpor, Limits, Summary};
use sim::sched::Scheduler;
use sim::{Actor, Ctx, Delivery, Driver, Msg, Pid, Reason, Signal};
use std::collections::BTreeSet;

/// What the recorder accepts, besides calls (always).
#[derive(Clone, Copy, Debug)]
enum Policy {
    /// Everything.
    All,
    /// Only "open" until it came, then everything.
    AfterOpen,
    /// Only "open" until it came, then only "a" until it came, then everything.
    OpenThenA,
    /// Messages always; a `DOWN` only once "a" came.
    DownAfterA,
    /// Only "open" until it came, then everything; it demonitors on "b".
    DemonitorOnB,
}

#[derive(Debug)]
struct Read;

/// Handles what its policy accepts and logs it, in order.
struct Recorder {
    policy: Policy,
    watch: Option<Pid>,
    mref: Option<sim::Ref>,
    log: Vec<String>,
}

fn text(signal: &Signal) -> Option<String> {
    match signal {
        Signal::Message { msg, .. } => msg.downcast_ref::<&str>().map(|s| s.to_string()),
        Signal::Down { .. } => Some("DOWN".to_string()),
        _ => None,
    }
}

impl Recorder {
    fn seen(&self, what: &str) -> bool {
        self.log.iter().any(|l| l == what)
    }
}

impl Actor for Recorder {
    fn init(&mut self, ctx: &mut dyn Ctx) {
        if let Some(pid) = self.watch {
            self.mref = Some(ctx.monitor(pid));
        }
    }

    fn accepts(&self, signal: &Signal) -> bool {
        if signal.msg().is_some_and(Msg::is_call) {
            return true;
        }
        let Some(t) = text(signal) else { return true };
        let open = self.seen("open");
        match self.policy {
            Policy::All => true,
            Policy::AfterOpen | Policy::DemonitorOnB => open || t == "open",
            Policy::OpenThenA => (open && (self.seen("a") || t == "a")) || (!open && t == "open"),
            Policy::DownAfterA => t != "DOWN" || self.seen("a"),
        }
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        match signal {
            Signal::Message { msg, .. } => match msg.into_call() {
                Ok(c) => call::reply(ctx, c.from, c.tag, Msg::new(self.log.join(","))),
                Err(msg) => {
                    if let Some(s) = msg.downcast_ref::<&str>() {
                        self.log.push(s.to_string());
                        if *s == "b" {
                            if let (Policy::DemonitorOnB, Some(mref)) = (self.policy, self.mref) {
                                ctx.demonitor(mref, true);
                            }
                        }
                    }
                }
            },
            Signal::Down { .. } => self.log.push("DOWN".to_string()),
            _ => {}
        }
    }
}

/// Sends its words to `to` when told to go.
struct Sender {
    to: Pid,
    words: Vec<&'static str>,
}

impl Actor for Sender {
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if signal.msg().is_some() {
            for w in std::mem::take(&mut self.words) {
                ctx.send(self.to, Msg::new(w));
            }
        }
    }
}

/// Ends when told to go.
struct Mortal;

impl Actor for Mortal {
    fn handle(&mut self, _signal: Signal, ctx: &mut dyn Ctx) {
        ctx.stop_self(Reason::Normal);
    }
}

/// One run: senders (and, with `mortal`, a process the recorder monitors,
/// which ends) race to the recorder; the outcome is its log and the run's end.
fn run(
    mode: Delivery,
    policy: Policy,
    senders: &[Vec<&'static str>],
    mortal: bool,
    scheduler: Box<dyn Scheduler>,
) -> String {
    let mut sim = Sim::new(Config::new(mode), scheduler);
    let watch = if mortal { Some(sim.spawn(Box::new(Mortal)).unwrap()) } else { None };
    let to = sim.spawn(Box::new(Recorder { policy, watch, mref: None, log: Vec::new() })).unwrap();
    let senders: Vec<Pid> =
        senders.iter().map(|words| sim.spawn(Box::new(Sender { to, words: words.clone() })).unwrap()).collect();
    for pid in senders.into_iter().chain(watch) {
        sim.cast(pid, Msg::new("go")).unwrap();
    }
    sim.run_until_quiescent().unwrap();
    match sim.call(to, Msg::new(Read)) {
        Ok(log) => log.downcast::<String>().map(|s| s.to_string()).unwrap_or_default(),
        Err(e) => format!("{e:?}"),
    }
}

type Strategy = fn(&mut dyn FnMut(Box<dyn Scheduler>), Limits) -> Summary;

fn outcomes(
    strategy: Strategy,
    mode: Delivery,
    policy: Policy,
    senders: &[Vec<&'static str>],
    mortal: bool,
) -> (Summary, BTreeSet<String>) {
    let mut seen = BTreeSet::new();
    let mut scenario = |scheduler: Box<dyn Scheduler>| {
        seen.insert(run(mode, policy, senders, mortal, scheduler));
    };
    let summary = strategy(&mut scenario, Limits::executions(100_000));
    assert!(summary.exhausted, "{mode:?} {policy:?}: not exhausted in {}", summary.executions);
    (summary, seen)
}

fn by_dfs(s: &mut dyn FnMut(Box<dyn Scheduler>), l: Limits) -> Summary {
    dfs::explore(&mut |sch| s(sch), l)
}
fn by_dpor(s: &mut dyn FnMut(Box<dyn Scheduler>), l: Limits) -> Summary {
    dpor::explore(&mut |sch| s(sch), l)
}
fn by_odpor(s: &mut dyn FnMut(Box<dyn Scheduler>), l: Limits) -> Summary {
    odpor::explore(&mut |sch| s(sch), l)
}

const POLICIES: [Policy; 5] =
    [Policy::All, Policy::AfterOpen, Policy::OpenThenA, Policy::DownAfterA, Policy::DemonitorOnB];

#[test]
fn dpor_reaches_what_dfs_reaches_under_selective_receives() {
    let groups: [Vec<Vec<&'static str>>; 2] =
        [vec![vec!["a"], vec!["b"], vec!["open"]], vec![vec!["b", "a"], vec!["open"]]];
    for senders in &groups {
        for mode in [Delivery::Spec, Delivery::Instant] {
            for policy in POLICIES {
                for mortal in [false, true] {
                    let (dfs, want) = outcomes(by_dfs, mode, policy, senders, mortal);
                    for (name, strategy) in [("dpor", by_dpor as Strategy), ("odpor", by_odpor as Strategy)] {
                        let (summary, got) = outcomes(strategy, mode, policy, senders, mortal);
                        eprintln!(
                            "{name} {mode:?} {policy:?} mortal {mortal}: {} against DFS's {}, {} outcomes",
                            summary.executions,
                            dfs.executions,
                            got.len()
                        );
                        assert_eq!(got, want, "{name} {mode:?} {policy:?} mortal {mortal}: outcomes differ from DFS's");
                        assert!(
                            summary.executions <= dfs.executions,
                            "{name} {mode:?} {policy:?}: more executions than DFS"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn held_back_messages_keep_both_orders() {
    // "a" and "b" wait behind "open"; once it came both are accepted: both orders are outcomes.
    let senders: Vec<Vec<&'static str>> = vec![vec!["a"], vec!["b"], vec!["open"]];
    let (_, got) = outcomes(by_dpor, Delivery::Spec, Policy::AfterOpen, &senders, false);
    assert!(got.contains("open,a,b") && got.contains("open,b,a"), "{got:?}");
}
