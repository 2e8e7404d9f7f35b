//! The two executors agree: on small kernel scenarios, the outcomes the
//! deterministic executor reaches under `instant` delivery (plain DFS, every
//! schedule) and those the thread runtime reaches under loom are the same
//! set (both land a signal when it is sent, and both end a process in two
//! phases), and `spec` delivery reaches every one of them (and may reach
//! more: a signal may overtake another sent earlier by someone else).
//!
//! Each scenario is one function over [`Run`] (a `Driver` plus a way to wait
//! for a process's death to settle), so the very same test code runs on both.
//! The last test pins down what rules revision 1 could not reach, which is
//! why revision 2 exists (and why revision 1 is kept only for old tokens).

mod common;

use common::{Cmd, Puppet, Server};
use sim::call;
use sim::det::{Config, Rules, Sim};
use sim::explore::{dfs, Limits};
use sim::rt::LoomDriver;
use sim::{Actor, CallError, Ctx, Delivery, Driver, Label, Msg, Pid, Reason, Ref, Signal};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// What a scenario needs beyond [`Driver`].
trait Run: Driver {
    /// Waits until `pid` is dead and every signal of its death has landed
    /// (det: runs until nothing is left to do; rt: joins its thread).
    fn settle(&mut self, pid: Pid);
    /// How `pid` ended, once it has.
    fn reason(&mut self, pid: Pid) -> Option<Reason>;
}

impl Run for Sim {
    fn settle(&mut self, _pid: Pid) {
        self.run_until_quiescent().expect("no run error");
    }
    fn reason(&mut self, pid: Pid) -> Option<Reason> {
        self.run_until_quiescent().expect("no run error");
        self.exit_reason(pid).cloned()
    }
}

impl Run for LoomDriver {
    fn settle(&mut self, pid: Pid) {
        self.join(pid);
    }
    fn reason(&mut self, pid: Pid) -> Option<Reason> {
        self.join(pid);
        self.process(pid).and_then(|record| record.reason)
    }
}

type Scenario<D> = fn(&mut D) -> String;

/// Every outcome of `scenario` on the deterministic executor, by DFS.
fn det_outcomes(mode: Delivery, rules: Rules, scenario: Scenario<Sim>) -> BTreeSet<String> {
    let mut outcomes = BTreeSet::new();
    let summary = dfs::explore(
        &mut |scheduler| {
            let mut sim = Sim::new(Config { rules, ..Config::new(mode) }, scheduler);
            outcomes.insert(scenario(&mut sim));
        },
        Limits::executions(200_000),
    );
    assert!(summary.exhausted, "DFS did not exhaust the scenario ({} executions)", summary.executions);
    outcomes
}

/// Every outcome of `scenario` on the thread runtime, under loom.
fn rt_outcomes(scenario: Scenario<LoomDriver>) -> BTreeSet<String> {
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let sink = Arc::clone(&seen);
    sim::rt::model(move || {
        let mut d = LoomDriver::new();
        let outcome = scenario(&mut d);
        d.finish();
        sink.lock().unwrap().insert(outcome);
    });
    let outcomes = seen.lock().unwrap().clone();
    outcomes
}

/// The agreement itself, for one scenario.
fn agree(name: &str, det: Scenario<Sim>, rt: Scenario<LoomDriver>) -> BTreeSet<String> {
    let spec = det_outcomes(Delivery::Spec, Rules::CURRENT, det);
    let instant = det_outcomes(Delivery::Instant, Rules::CURRENT, det);
    let threads = rt_outcomes(rt);
    println!("{name}: spec {spec:?}, instant {instant:?}, loom {threads:?}");
    assert!(instant.is_subset(&spec), "{name}: instant reached {instant:?}, spec only {spec:?}");
    assert_eq!(instant, threads, "{name}: det (instant, DFS) and rt (loom) disagree");
    spec
}

/// The outcomes of [`demonitor_vs_down`].
const NOT_SENT: &str = "DOWN before 0, after 0";
const STALE: &str = "DOWN before 0, after 1";
const OVERTOOK: &str = "DOWN before 1, after 0";

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------
// The scenarios.

/// Monitors `bucket` and answers a call with whether it still holds it:
/// the registry's lookup, with nothing else.
struct Keeper {
    bucket: Pid,
    present: bool,
}

impl Actor for Keeper {
    fn label(&self) -> Label {
        Label::from("keeper")
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        ctx.monitor(self.bucket);
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        match signal {
            Signal::Down { .. } => self.present = false,
            Signal::Message { msg, .. } => {
                if let Ok(c) = msg.into_call() {
                    let answer = if self.present { "present" } else { "absent" };
                    call::reply(ctx, c.from, c.tag, Msg::new(answer));
                }
            }
            _ => {}
        }
    }
}

fn word(reply: Result<Msg, CallError>) -> String {
    match reply {
        Ok(msg) => match (msg.downcast_ref::<&str>(), msg.downcast_ref::<String>()) {
            (Some(w), _) => w.to_string(),
            (_, Some(text)) => text.clone(),
            _ => format!("{msg:?}"),
        },
        Err(e) => format!("{e:?}"),
    }
}

/// A stop racing a lookup: the stop has returned, so the bucket is dead, but
/// its `DOWN` to the keeper may still be on its way when the lookup arrives.
fn stop_vs_lookup<D: Run>(d: &mut D) -> String {
    let bucket = d.spawn(Puppet::new("bucket").boxed()).unwrap();
    let keeper = d.spawn(Box::new(Keeper { bucket, present: true })).unwrap();
    d.stop(bucket, Reason::Normal).unwrap();
    word(d.call(keeper, Msg::new("lookup")))
}

/// A kill racing a call: the reply, the kill's reason, or `noproc`.
fn kill_vs_call<D: Run>(d: &mut D) -> String {
    let server = d.spawn(Server::boxed()).unwrap();
    let killer = d.spawn(Puppet::new("killer").boxed()).unwrap();
    d.cast(killer, Msg::new(Cmd::Exit(server, Reason::Kill))).unwrap();
    word(d.call(server, Msg::new("echo")))
}

/// Traps exits, links `p` in `init`, records each `EXIT` and answers a call
/// with what it recorded.
struct Trapper {
    p: Pid,
    got: Vec<String>,
}

impl Actor for Trapper {
    fn label(&self) -> Label {
        Label::from("trapper")
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        ctx.trap_exit(true);
        ctx.link(self.p);
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        match signal {
            Signal::Exit { from, reason } => self.got.push(format!("EXIT({}, {reason:?})", from == self.p)),
            Signal::Message { msg, .. } => {
                if let Ok(c) = msg.into_call() {
                    call::reply(ctx, c.from, c.tag, Msg::new(self.got.join(" ")));
                }
            }
            _ => {}
        }
    }
}

/// A link exit against a trapper and a non-trapping partner: the trapper
/// gets `EXIT(p, boom)` as a message and lives, the other dies with `boom`.
fn link_exit_vs_trapper<D: Run>(d: &mut D) -> String {
    let p = d.spawn(Puppet::new("p").boxed()).unwrap();
    let trapper = d.spawn(Box::new(Trapper { p, got: Vec::new() })).unwrap();
    let plain = d.spawn(Puppet::new("plain").linked(p).boxed()).unwrap();
    d.cast(p, Msg::new(Cmd::Stop(Reason::Other("boom".into())))).unwrap();
    d.settle(p);
    let plain_died = d.reason(plain);
    let seen = d.call(trapper, Msg::new("report")).map(|m| m.downcast::<String>().unwrap());
    format!("trapper {seen:?}, plain {plain_died:?}")
}

/// Monitors `target` in `init`; on "unblock" demonitors it *without* flush.
/// Counts the `DOWN`s it handles before and after that (one after is
/// stale: it had landed before the demonitor) and answers a call with both.
struct Watcher {
    target: Pid,
    mref: Option<Ref>,
    demonitored: bool,
    downs: [u32; 2],
}

impl Actor for Watcher {
    fn label(&self) -> Label {
        Label::from("watcher")
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        self.mref = Some(ctx.monitor(self.target));
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if common::is_word(&signal, "unblock") {
            self.demonitored = true;
            ctx.demonitor(self.mref.expect("monitored in init"), false);
            return;
        }
        match signal {
            Signal::Down { .. } => self.downs[usize::from(self.demonitored)] += 1,
            Signal::Message { msg, .. } => {
                if let Ok(c) = msg.into_call() {
                    let [before, after] = self.downs;
                    call::reply(ctx, c.from, c.tag, Msg::new(format!("DOWN before {before}, after {after}")));
                }
            }
            _ => {}
        }
    }
}

/// Demonitor without flush against a `DOWN` already sent: "unblock" is on
/// its way first, then the target is killed; its `DOWN` may land behind
/// "unblock" before the watcher handled it, and then it stays.
fn demonitor_vs_down<D: Run>(d: &mut D) -> String {
    let target = d.spawn(Puppet::new("target").boxed()).unwrap();
    let watcher = Watcher { target, mref: None, demonitored: false, downs: [0, 0] };
    let watcher = d.spawn(Box::new(watcher)).unwrap();
    d.cast(watcher, Msg::new("unblock")).unwrap();
    d.kill(target).unwrap();
    d.settle(target);
    word(d.call(watcher, Msg::new("report")))
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn loom_agree_on_a_stop_racing_a_lookup() {
    let outcomes = agree("stop-vs-lookup", stop_vs_lookup::<Sim>, stop_vs_lookup::<LoomDriver>);
    assert_eq!(outcomes, set(&["absent", "present"]));
}

#[test]
fn loom_agree_on_a_kill_racing_a_call() {
    let outcomes = agree("kill-vs-call", kill_vs_call::<Sim>, kill_vs_call::<LoomDriver>);
    assert_eq!(outcomes, set(&["Exit(killed)", "Exit(noproc)", "echo"]));
}

#[test]
fn loom_agree_on_a_link_exit_against_a_trapper() {
    let outcomes = agree("link-exit-vs-trapper", link_exit_vs_trapper::<Sim>, link_exit_vs_trapper::<LoomDriver>);
    assert_eq!(outcomes, set(&["trapper Ok(\"EXIT(true, boom)\"), plain Some(boom)"]));
}

#[test]
fn loom_agree_on_demonitor_without_flush_against_a_down_already_sent() {
    let outcomes = agree("demonitor-vs-down", demonitor_vs_down::<Sim>, demonitor_vs_down::<LoomDriver>);
    // In spec mode the DOWN may also overtake "unblock" (they have different senders).
    assert_eq!(outcomes, set(&[NOT_SENT, STALE, OVERTOOK]));
}

/// What rules revision 1 (kept for `kv1` tokens) could not reach: under
/// `instant` delivery a stopped bucket's `DOWN` landed in its death's own
/// step, so the lookup always came too late to see the bucket; under `spec`
/// delivery a `DOWN` could not land while "unblock" waited unhandled, so a
/// `demonitor` without flush always cancelled it, although `instant`
/// delivery left it stale. Revision 2 reaches both, in both modes.
#[test]
fn revision_1_missed_outcomes_that_revision_2_reaches() {
    assert_eq!(det_outcomes(Delivery::Instant, Rules::V1, stop_vs_lookup::<Sim>), set(&["absent"]));
    let v1_spec = det_outcomes(Delivery::Spec, Rules::V1, demonitor_vs_down::<Sim>);
    let v1_instant = det_outcomes(Delivery::Instant, Rules::V1, demonitor_vs_down::<Sim>);
    assert!(!v1_spec.contains(STALE) && v1_instant.contains(STALE), "spec {v1_spec:?}, instant {v1_instant:?}");
    for mode in Delivery::ALL {
        assert_eq!(det_outcomes(mode, Rules::V2, stop_vs_lookup::<Sim>), set(&["absent", "present"]));
        assert!(det_outcomes(mode, Rules::V2, demonitor_vs_down::<Sim>).contains(STALE), "{mode:?}");
    }
}
