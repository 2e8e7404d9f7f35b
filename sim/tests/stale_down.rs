//! A researcher's bug kvsim must catch in `spec` mode: a lock server that
//! demonitors a releasing holder *without* flush, and then takes any `DOWN`
//! as the death of whoever holds the lock now.
//!
//! The race: the first holder releases and dies at once. Its `DOWN` can land
//! in the server's mailbox behind the release, before the server handled
//! it; the demonitor then leaves it there (Erlang's manual on `demonitor/1`:
//! that is what `flush` is for). The second holder acquires; the stale
//! `DOWN` frees the lock under it; the server then reports nobody holding a
//! lock that a live process holds. With `flush`, the server is correct.
//! Under rules revision 1, `spec` delivery could never land the `DOWN`
//! early, so DFS exhausted the buggy server clean: this file keeps that
//! false pass from coming back.

mod common;

use common::{is_word, new_log, read, Log};
use sim::call;
use sim::det::{Config, Rules, Sim};
use sim::explore::{dfs, dpor, Limits};
use sim::msg::Protocol;
use sim::sched::{PctScheduler, RandomScheduler, Scheduler};
use sim::{Actor, Ctx, Delivery, Driver, Label, Msg, Pid, Ref, Signal};

#[derive(Debug)]
enum Req {
    Acquire,
    /// Who holds the lock, as the server believes.
    Holder,
}

#[derive(Debug)]
struct Release;

/// The lock server. `flush` chooses the correct (`true`) or buggy demonitor.
struct LockServer {
    flush: bool,
    holder: Option<(Pid, Ref)>,
}

impl Actor for LockServer {
    fn label(&self) -> Label {
        Label::from("lock")
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        match signal {
            // The bug's second half: any DOWN is taken as the holder's death.
            Signal::Down { .. } => self.holder = None,
            Signal::Message { msg, from } => match msg.into_call() {
                Ok(c) => {
                    let answer = match c.req.downcast_ref::<Req>().expect("lock requests") {
                        Req::Acquire if self.holder.is_none() => {
                            self.holder = Some((c.from, ctx.monitor(c.from)));
                            Some(c.from)
                        }
                        Req::Acquire => None,
                        Req::Holder => self.holder.map(|(pid, _)| pid),
                    };
                    call::reply(ctx, c.from, c.tag, Msg::new(answer));
                }
                Err(msg) if msg.is::<Release>() => {
                    if let Some((_, mref)) = self.holder.filter(|(pid, _)| *pid == from) {
                        ctx.demonitor(mref, self.flush);
                        self.holder = None;
                    }
                }
                Err(_) => {}
            },
            _ => {}
        }
    }
}

/// On "go", acquires the lock (retrying while it is busy, at most
/// `MAX_TRIES` times). The first client then releases it and stops at once;
/// the second keeps it and records that it holds it.
struct Client {
    server: Pid,
    keeps: bool,
    waiting: Option<Ref>,
    tries: u32,
    holds: Log<Pid>,
}

const MAX_TRIES: u32 = 4;

impl Client {
    fn acquire(&mut self, ctx: &mut dyn Ctx) {
        self.tries += 1;
        self.waiting = Some(call::start(ctx, self.server, Msg::new(Req::Acquire)));
    }
}

impl Actor for Client {
    fn label(&self) -> Label {
        Label::from(if self.keeps { "keeper" } else { "releaser" })
    }
    fn accepts(&self, signal: &Signal) -> bool {
        self.waiting.is_none_or(|tag| call::is_answer(signal, tag))
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if is_word(&signal, "go") {
            return self.acquire(ctx);
        }
        let Some(tag) = self.waiting.take() else { return };
        ctx.demonitor(tag, true);
        let reply = signal.msg().map(Msg::protocol);
        let got = match reply {
            Some(Protocol::Reply { value, .. }) => value.downcast_ref::<Option<Pid>>().is_some_and(Option::is_some),
            _ => false,
        };
        match (got, self.keeps) {
            (false, _) if self.tries < MAX_TRIES => self.acquire(ctx),
            (false, _) => {}
            (true, true) => self.holds.lock().unwrap().push(ctx.me()),
            (true, false) => {
                ctx.send(self.server, Msg::new(Release));
                ctx.stop_self(sim::Reason::Normal);
            }
        }
    }
}

/// One run: the server, a releasing and a keeping client. Answers whether the
/// run broke the lock's invariant (a live holder the server does not know).
fn broken(flush: bool, mode: Delivery, rules: Rules, scheduler: Box<dyn Scheduler>) -> bool {
    let mut sim = Sim::new(Config { rules, ..Config::new(mode) }, scheduler);
    let server = sim.spawn(Box::new(LockServer { flush, holder: None })).unwrap();
    let holds = new_log();
    let client = |keeps| Client { server, keeps, waiting: None, tries: 0, holds: holds.clone() };
    let releaser = sim.spawn(Box::new(client(false))).unwrap();
    let keeper = sim.spawn(Box::new(client(true))).unwrap();
    sim.cast(releaser, Msg::new("go")).unwrap();
    sim.cast(keeper, Msg::new("go")).unwrap();
    sim.run_until_quiescent().unwrap();
    let believed = sim.call(server, Msg::new(Req::Holder)).unwrap().downcast::<Option<Pid>>().unwrap();
    read(&holds).contains(&keeper) && sim.is_alive(keeper) && believed != Some(keeper)
}

/// Exhaustive search: (executions, executions that broke the invariant).
fn search(flush: bool, mode: Delivery, rules: Rules, use_dpor: bool) -> (u64, u64) {
    let mut bad = 0;
    let mut scenario = |scheduler: Box<dyn Scheduler>| bad += u64::from(broken(flush, mode, rules, scheduler));
    let limits = Limits::executions(500_000);
    let summary = if use_dpor { dpor::explore(&mut scenario, limits) } else { dfs::explore(&mut scenario, limits) };
    assert!(summary.exhausted, "{mode:?} flush={flush}: not exhausted in {}", summary.executions);
    (summary.executions, bad)
}

#[test]
fn dfs_catches_demonitor_without_flush_in_both_modes() {
    for mode in Delivery::ALL {
        let (executions, bad) = search(false, mode, Rules::CURRENT, false);
        println!("{mode:?}: DFS broke the lock in {bad} of {executions} executions");
        assert!(bad > 0, "{mode:?}: DFS exhausted {executions} executions without the stale DOWN");
        assert_eq!(search(true, mode, Rules::CURRENT, false).1, 0, "{mode:?}: the flushing server broke");
    }
}

#[test]
fn dpor_catches_it_too() {
    for mode in Delivery::ALL {
        assert!(search(false, mode, Rules::CURRENT, true).1 > 0, "{mode:?}");
        assert_eq!(search(true, mode, Rules::CURRENT, true).1, 0, "{mode:?}");
    }
}

#[test]
fn random_and_pct_search_catch_it_in_spec_mode() {
    let seeds = 0..2_000u64;
    let random = |s| -> Box<dyn Scheduler> { Box::new(RandomScheduler::new(s)) };
    let pct = |s| -> Box<dyn Scheduler> { Box::new(PctScheduler::new(s, 3, 40)) };
    for (name, scheduler) in [("random", &random as &dyn Fn(u64) -> Box<dyn Scheduler>), ("pct", &pct)] {
        let bad = seeds.clone().filter(|&s| broken(false, Delivery::Spec, Rules::CURRENT, scheduler(s))).count();
        println!("spec: {name} search broke the lock in {bad} of {} runs", seeds.end);
        assert!(bad > 0, "{name}");
        assert!(seeds.clone().all(|s| !broken(true, Delivery::Spec, Rules::CURRENT, scheduler(s))), "{name}");
    }
}

/// The false pass revision 2 removed: revision 1's `spec` DFS exhausts the
/// buggy server clean.
#[test]
fn revision_1_spec_passed_the_buggy_server() {
    assert_eq!(search(false, Delivery::Spec, Rules::V1, false).1, 0);
}
