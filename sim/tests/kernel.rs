//! The kernel's semantic rules (Erlang's, as docs/semantics.md states them),
//! one test per rule, each run on the deterministic executor over many seeds
//! and, where it matters, in both delivery modes.

mod common;

use common::*;
use sim::call;
use sim::det::{Config, Sim};
use sim::sched::{Event, Replay, Scheduler};
use sim::trace::TraceKind;
use sim::{Actor, CallError, Ctx, Delivery, Driver, Label, Msg, Pid, Reason, Ref, RunError, Signal};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;
use std::rc::Rc;

const SEEDS: Range<u64> = 0..500;
/// For scenarios with many driver steps, where fewer seeds cover them.
const FEW_SEEDS: Range<u64> = 0..150;

fn other(name: &str) -> Reason {
    Reason::Other(name.to_string())
}

fn down(mref: Ref, pid: Pid, reason: Reason) -> Seen {
    Seen::Down { mref, pid, reason }
}

fn exit(from: Pid, reason: Reason) -> Seen {
    Seen::Exit { from, reason }
}

fn msg(from: Pid, word: &str) -> Seen {
    Seen::Msg { from, text: text(word) }
}

fn cmd(c: Cmd) -> Msg {
    Msg::new(c)
}

fn spawn_puppet(sim: &mut Sim, p: Puppet) -> (Pid, Log<Seen>) {
    let log = p.log();
    (sim.spawn(p.boxed()).unwrap(), log)
}

/// The single monitor ref a puppet took on `pid` in its init.
fn ref_of(refs: &Log<(Pid, Ref)>, pid: Pid) -> Ref {
    let refs = read(refs);
    let found: Vec<Ref> = refs.iter().filter(|(p, _)| *p == pid).map(|(_, r)| *r).collect();
    assert_eq!(found.len(), 1, "one monitor on {pid} in {refs:?}");
    found[0]
}

// ---------------------------------------------------------------------------
// 1. Per-pair FIFO.

/// Sends `1..=n` to `to`, one number per handler (re-arming itself with
/// `"next"`), then stops with `done`.
struct Counter {
    to: Pid,
    n: u32,
    next: u32,
}

impl Actor for Counter {
    fn label(&self) -> Label {
        Label::from("counter")
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if !is_word(&signal, "next") {
            return;
        }
        ctx.send(self.to, Msg::new(self.next));
        self.next += 1;
        if self.next <= self.n {
            let me = ctx.me();
            ctx.send(me, Msg::new("next"));
        } else {
            ctx.stop_self(other("done"));
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Num(u32),
    Exit(Reason),
    Down(Reason),
}

/// Traps exits, spawns `senders` linked and monitored counters, starts them,
/// and records every signal it handles with its sender.
struct FifoReceiver {
    log: Log<(Pid, Item)>,
    senders: u32,
    n: u32,
}

impl Actor for FifoReceiver {
    fn label(&self) -> Label {
        Label::from("receiver")
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        ctx.trap_exit(true);
        let me = ctx.me();
        for _ in 0..self.senders {
            let s = ctx.spawn_link(Box::new(Counter { to: me, n: self.n, next: 1 }));
            ctx.monitor(s);
            ctx.send(s, Msg::new("next"));
        }
    }
    fn handle(&mut self, signal: Signal, _ctx: &mut dyn Ctx) {
        let entry = match signal {
            Signal::Message { from, msg } => (from, Item::Num(*msg.downcast_ref::<u32>().expect("numbers only"))),
            Signal::Exit { from, reason } => (from, Item::Exit(reason)),
            Signal::Down { pid, reason, .. } => (pid, Item::Down(reason)),
            Signal::Stop { .. } => unreachable!("nobody stops the receiver"),
        };
        self.log.lock().unwrap().push(entry);
    }
}

#[test]
fn per_pair_fifo_holds_for_messages_exits_and_downs() {
    const SENDERS: u32 = 3;
    const N: u32 = 8;
    for mode in Delivery::ALL {
        let mut interleaved = 0;
        for seed in SEEDS {
            let mut sim = sim(mode, seed);
            let log = new_log();
            let r = sim.spawn(Box::new(FifoReceiver { log: log.clone(), senders: SENDERS, n: N })).unwrap();
            for i in 1..=N {
                sim.cast(r, Msg::new(i)).unwrap();
            }
            sim.run_until_quiescent().unwrap();
            let log = read(&log);
            let senders: BTreeSet<Pid> = log.iter().map(|(p, _)| *p).collect();
            assert_eq!(senders.len() as u32, SENDERS + 1, "{mode:?} seed {seed}: {log:?}");
            for pid in senders {
                let items: Vec<Item> = log.iter().filter(|(p, _)| *p == pid).map(|(_, i)| i.clone()).collect();
                let nums: Vec<Item> = (1..=N).map(Item::Num).collect();
                assert_eq!(items[..N as usize], nums[..], "{mode:?} seed {seed}: out of order from {pid}: {items:?}");
                if pid == Pid::DRIVER {
                    assert_eq!(items.len(), N as usize);
                } else {
                    // The counter's exit and DOWN come after every message it sent.
                    let tail = &items[N as usize..];
                    assert_eq!(tail.len(), 2, "{mode:?} seed {seed}: {items:?}");
                    assert!(tail.contains(&Item::Exit(other("done"))), "{mode:?} seed {seed}: {items:?}");
                    assert!(tail.contains(&Item::Down(other("done"))), "{mode:?} seed {seed}: {items:?}");
                }
            }
            // Not vacuous: senders do interleave at the receiver.
            let switches = log.windows(2).filter(|w| w[0].0 != w[1].0).count();
            if switches > SENDERS as usize {
                interleaved += 1;
            }
        }
        assert!(interleaved > SEEDS.end / 4, "{mode:?}: senders interleaved in only {interleaved} runs");
    }
}

// ---------------------------------------------------------------------------
// 2. No order across pairs (spec), forced order in instant.

#[test]
fn cross_pair_order_is_free_in_spec_and_forced_in_instant() {
    for mode in Delivery::ALL {
        let mut b_first = 0;
        for seed in SEEDS {
            let mut sim = sim(mode, seed);
            let (c, c_log) = spawn_puppet(&mut sim, Puppet::new("c"));
            let b = sim
                .spawn(
                    FnActor::new("b", move |s, ctx| {
                        if is_word(&s, "relay") {
                            ctx.send(c, Msg::new("from b"));
                        }
                    })
                    .boxed(),
                )
                .unwrap();
            // A sends to C strictly before it causes B to send to C.
            let a = sim
                .spawn(
                    FnActor::new("a", move |s, ctx| {
                        if is_word(&s, "go") {
                            ctx.send(c, Msg::new("from a"));
                            ctx.send(b, Msg::new("relay"));
                        }
                    })
                    .boxed(),
                )
                .unwrap();
            sim.cast(a, Msg::new("go")).unwrap();
            sim.run_until_quiescent().unwrap();
            let got = read(&c_log);
            let a_then_b = vec![msg(a, "from a"), msg(b, "from b")];
            let b_then_a = vec![msg(b, "from b"), msg(a, "from a")];
            if got == b_then_a {
                b_first += 1;
            } else {
                assert_eq!(got, a_then_b, "{mode:?} seed {seed}");
            }
        }
        match mode {
            Delivery::Spec => assert!(b_first > 0, "spec delivery never let B's message overtake A's"),
            Delivery::Instant => assert_eq!(b_first, 0, "instant delivery let B's message overtake A's"),
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Monitors.

#[test]
fn monitor_of_dead_or_unknown_pid_gives_down_noproc() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let x = sim.spawn(idle()).unwrap();
            sim.stop(x, Reason::Normal).unwrap();
            let never = Pid(10_000);
            let watcher = Puppet::new("watcher").monitoring(x).monitoring(never);
            let refs = watcher.refs();
            let (w, log) = spawn_puppet(&mut sim, watcher);
            sim.run_until_quiescent().unwrap();
            let mut got = read(&log);
            got.sort();
            let mut want =
                vec![down(ref_of(&refs, x), x, Reason::Noproc), down(ref_of(&refs, never), never, Reason::Noproc)];
            want.sort();
            assert_eq!(got, want, "{mode:?} seed {seed}");
            assert!(sim.is_alive(w));
        }
    }
}

#[test]
fn monitor_of_live_pid_gives_down_with_its_exit_reason() {
    let cases: Vec<(Option<Reason>, Reason)> = vec![
        (Some(Reason::Normal), Reason::Normal),
        (Some(Reason::Shutdown), Reason::Shutdown),
        (Some(other("bye")), other("bye")),
        (None, Reason::Killed), // killed by the driver
    ];
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            for (how, want) in &cases {
                let mut sim = sim(mode, seed);
                let (x, _) = spawn_puppet(&mut sim, Puppet::new("x"));
                let watcher = Puppet::new("watcher").monitoring(x);
                let refs = watcher.refs();
                let (w, log) = spawn_puppet(&mut sim, watcher);
                match how {
                    Some(reason) => sim.cast(x, cmd(Cmd::Stop(reason.clone()))).unwrap(),
                    None => sim.kill(x).unwrap(),
                }
                sim.run_until_quiescent().unwrap();
                assert_eq!(read(&log), vec![down(ref_of(&refs, x), x, want.clone())], "{mode:?} seed {seed}");
                assert_eq!(sim.exit_reason(x), Some(want));
                assert!(sim.is_alive(w), "a DOWN never kills the monitor's owner");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 4. Links and exit signals.

#[test]
fn exit_normal_does_not_kill_linked_non_trapping_processes() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let (t, _) = spawn_puppet(&mut sim, Puppet::new("t"));
            let (plain, plain_log) = spawn_puppet(&mut sim, Puppet::new("plain").linked(t));
            let (trapper, trap_log) = spawn_puppet(&mut sim, Puppet::new("trapper").trapping().linked(t));
            let (e, _) = spawn_puppet(&mut sim, Puppet::new("e"));
            let (suicide, _) = spawn_puppet(&mut sim, Puppet::new("suicide"));
            // exit(pid, normal) from another process: ignored unless trapped.
            sim.cast(e, cmd(Cmd::Seq(vec![Cmd::Exit(plain, Reason::Normal), Cmd::Exit(trapper, Reason::Normal)])))
                .unwrap();
            // A linked process ending normally.
            sim.cast(t, cmd(Cmd::Stop(Reason::Normal))).unwrap();
            // exit(self(), normal) does end the caller.
            sim.cast(suicide, cmd(Cmd::Exit(suicide, Reason::Normal))).unwrap();
            sim.run_until_quiescent().unwrap();

            assert_eq!(sim.exit_reason(t), Some(&Reason::Normal));
            assert!(sim.is_alive(plain), "{mode:?} seed {seed}: normal exit killed {:?}", sim.exit_reason(plain));
            assert_eq!(read(&plain_log), vec![]);
            assert!(sim.is_alive(trapper));
            let mut got = read(&trap_log);
            got.sort();
            assert_eq!(got, vec![exit(t, Reason::Normal), exit(e, Reason::Normal)], "{mode:?} seed {seed}");
            assert!(sim.is_alive(e));
            assert_eq!(sim.exit_reason(suicide), Some(&Reason::Normal));
        }
    }
}

#[test]
fn kill_kills_the_target_and_reaches_links_as_killed() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            // Killed by the driver, then by another process's exit(pid, kill).
            for by_driver in [true, false] {
                let mut sim = sim(mode, seed);
                let (t, _) = spawn_puppet(&mut sim, Puppet::new("t"));
                let (plain, _) = spawn_puppet(&mut sim, Puppet::new("plain").linked(t));
                let (trapper, trap_log) = spawn_puppet(&mut sim, Puppet::new("trapper").trapping().linked(t));
                let watcher = Puppet::new("watcher").monitoring(t);
                let refs = watcher.refs();
                let (_, watch_log) = spawn_puppet(&mut sim, watcher);
                if by_driver {
                    sim.kill(t).unwrap();
                } else {
                    let (e, _) = spawn_puppet(&mut sim, Puppet::new("e"));
                    sim.cast(e, cmd(Cmd::Exit(t, Reason::Kill))).unwrap();
                }
                sim.run_until_quiescent().unwrap();
                assert_eq!(sim.exit_reason(t), Some(&Reason::Killed), "{mode:?} seed {seed}");
                assert_eq!(sim.exit_reason(plain), Some(&Reason::Killed), "{mode:?} seed {seed}");
                assert!(sim.is_alive(trapper));
                assert_eq!(read(&trap_log), vec![exit(t, Reason::Killed)], "{mode:?} seed {seed}");
                assert_eq!(read(&watch_log), vec![down(ref_of(&refs, t), t, Reason::Killed)]);
            }
        }
    }
}

#[test]
fn other_reasons_kill_linked_non_trapping_processes_and_reach_trappers_as_messages() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            for reason in [other("boom"), Reason::Shutdown] {
                // The target stops itself, or is sent exit(t, reason) by another process.
                for by_signal in [false, true] {
                    let mut sim = sim(mode, seed);
                    let (t, _) = spawn_puppet(&mut sim, Puppet::new("t"));
                    let (plain, _) = spawn_puppet(&mut sim, Puppet::new("plain").linked(t));
                    let (bystander, _) = spawn_puppet(&mut sim, Puppet::new("bystander").linked(plain));
                    let (trapper, trap_log) = spawn_puppet(&mut sim, Puppet::new("trapper").trapping().linked(t));
                    if by_signal {
                        let (e, _) = spawn_puppet(&mut sim, Puppet::new("e"));
                        sim.cast(e, cmd(Cmd::Exit(t, reason.clone()))).unwrap();
                    } else {
                        sim.cast(t, cmd(Cmd::Stop(reason.clone()))).unwrap();
                    }
                    sim.run_until_quiescent().unwrap();
                    let ctx = format!("{mode:?} seed {seed} {reason:?} by_signal={by_signal}");
                    assert_eq!(sim.exit_reason(t), Some(&reason), "{ctx}");
                    assert_eq!(sim.exit_reason(plain), Some(&reason), "{ctx}");
                    // The crash propagates along the link chain.
                    assert_eq!(sim.exit_reason(bystander), Some(&reason), "{ctx}");
                    assert!(sim.is_alive(trapper), "{ctx}");
                    assert_eq!(read(&trap_log), vec![exit(t, reason.clone())], "{ctx}");
                }
            }
        }
    }
}

#[test]
fn kill_is_untrappable() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            for by_driver in [true, false] {
                let mut sim = sim(mode, seed);
                let (t, t_log) = spawn_puppet(&mut sim, Puppet::new("t").trapping());
                let (plain, _) = spawn_puppet(&mut sim, Puppet::new("plain").linked(t));
                let (trapper, trap_log) = spawn_puppet(&mut sim, Puppet::new("trapper").trapping().linked(t));
                let (e, _) = spawn_puppet(&mut sim, Puppet::new("e"));
                // A trappable exit first: t survives it and gets it as a message.
                sim.cast(e, cmd(Cmd::Exit(t, other("boom")))).unwrap();
                if by_driver {
                    sim.run_until_quiescent().unwrap();
                    assert!(sim.is_alive(t), "{mode:?} seed {seed}: a trapping process died of boom");
                    sim.kill(t).unwrap();
                } else {
                    // Same sender, so FIFO: boom lands before kill.
                    sim.cast(e, cmd(Cmd::Exit(t, Reason::Kill))).unwrap();
                }
                sim.run_until_quiescent().unwrap();
                let ctx = format!("{mode:?} seed {seed} by_driver={by_driver}");
                assert_eq!(sim.exit_reason(t), Some(&Reason::Killed), "{ctx}");
                // t never sees the kill; the trapped boom may still have been
                // in its mailbox when the kill landed (a non-empty mailbox is no shield).
                let t_saw = read(&t_log);
                assert!(t_saw == vec![exit(e, other("boom"))] || (!by_driver && t_saw.is_empty()), "{ctx}: {t_saw:?}");
                assert_eq!(sim.exit_reason(plain), Some(&Reason::Killed), "{ctx}");
                assert!(sim.is_alive(trapper), "{ctx}: killed is trappable when it comes over a link");
                assert_eq!(read(&trap_log), vec![exit(t, Reason::Killed)], "{ctx}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 5. Sending to a dead process.

#[test]
fn send_to_a_dead_pid_is_dropped() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim_with(Config::new(mode).traced(), seed);
            let (d, _) = spawn_puppet(&mut sim, Puppet::new("dead"));
            sim.stop(d, Reason::Normal).unwrap();
            let (r, r_log) = spawn_puppet(&mut sim, Puppet::new("r"));
            let (s, s_log) = spawn_puppet(&mut sim, Puppet::new("s"));
            sim.cast(
                s,
                cmd(Cmd::Seq(vec![Cmd::Send(d, "lost"), Cmd::Send(Pid(10_000), "lost"), Cmd::Send(r, "after")])),
            )
            .unwrap();
            sim.cast(s, cmd(Cmd::Send(r, "later"))).unwrap();
            sim.run_until_quiescent().unwrap();
            assert!(sim.is_alive(s), "{mode:?} seed {seed}");
            assert_eq!(read(&s_log), vec![], "the sender hears nothing back");
            assert_eq!(read(&r_log), vec![msg(s, "after"), msg(s, "later")], "{mode:?} seed {seed}");
            let trace = sim.trace().expect("traced run");
            let drops: Vec<_> = trace.entries.iter().filter(|e| e.kind == TraceKind::Drop && e.from == s).collect();
            assert_eq!(drops.len(), 2, "{mode:?} seed {seed}:\n{trace}");
            assert!(drops[0].to == d && drops[0].text().to_string().contains("lost"), "{drops:?}");
            assert_eq!(drops[1].to, Pid(10_000));
        }
    }
}

// ---------------------------------------------------------------------------
// 6. Calls that cannot be answered.

#[test]
fn call_to_a_dead_process_fails_with_noproc() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let x = sim.spawn(Server::boxed()).unwrap();
            assert_eq!(sim.call(x, Msg::new("echo")).unwrap().downcast::<&str>().unwrap(), "echo");
            sim.stop(x, Reason::Normal).unwrap();
            assert_eq!(sim.call(x, Msg::new("echo")).unwrap_err(), CallError::Exit(Reason::Noproc));
            assert_eq!(sim.call(Pid(10_000), Msg::new("echo")).unwrap_err(), CallError::Exit(Reason::Noproc));
            // kill is asynchronous: a call right after it meets either the
            // dying process (killed) or the dead one (noproc), never a reply.
            let y = sim.spawn(Server::boxed()).unwrap();
            sim.kill(y).unwrap();
            let err = sim.call(y, Msg::new("echo")).unwrap_err();
            match mode {
                Delivery::Instant => assert_eq!(err, CallError::Exit(Reason::Noproc)),
                Delivery::Spec => assert!(
                    [CallError::Exit(Reason::Noproc), CallError::Exit(Reason::Killed)].contains(&err),
                    "seed {seed}: {err:?}"
                ),
            }
        }
    }
}

#[test]
fn call_to_a_process_that_dies_before_replying_fails_with_its_reason() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let p = sim.spawn(Server::boxed()).unwrap();
            match sim.call(p, Msg::new("panic")) {
                Err(CallError::Exit(Reason::Panic(text))) => assert!(text.contains("server exploded"), "{text}"),
                other => panic!("{mode:?} seed {seed}: {other:?}"),
            }
            let s = sim.spawn(Server::boxed()).unwrap();
            assert_eq!(sim.call(s, Msg::new("stop")).unwrap_err(), CallError::Exit(Reason::Shutdown));
            // Killed by a third process while it holds the call.
            let (killer, _) = spawn_puppet(&mut sim, Puppet::new("killer"));
            let h = sim.spawn(Box::new(Server { killer: Some(killer) })).unwrap();
            assert_eq!(sim.call(h, Msg::new("hold")).unwrap_err(), CallError::Exit(other("boom")));
            assert!(!sim.is_alive(h));
            // The harness goes on.
            let ok = sim.spawn(Server::boxed()).unwrap();
            assert_eq!(sim::call_as::<&str>(&mut sim, ok, Msg::new("echo")), Ok("echo"));
        }
    }
}

/// Makes one call from inside a handler (on `"go"`) and waits for its answer
/// with selective receive; logs the answer, then every other word it handles.
struct Caller {
    to: Pid,
    req: &'static str,
    waiting: Option<Ref>,
    log: Log<String>,
}

impl Actor for Caller {
    fn label(&self) -> Label {
        Label::from("caller")
    }
    fn accepts(&self, signal: &Signal) -> bool {
        self.waiting.is_none_or(|tag| call::is_answer(signal, tag))
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if let Some(tag) = self.waiting.take() {
            let answer = match signal {
                Signal::Message { msg, .. } => {
                    ctx.demonitor(tag, true);
                    format!("reply {:?}", msg.into_reply().unwrap().value)
                }
                Signal::Down { reason, .. } => format!("down {reason:?}"),
                other => unreachable!("accepts only answers, got {other:?}"),
            };
            self.log.lock().unwrap().push(answer);
        } else if is_word(&signal, "go") {
            self.waiting = Some(call::start(ctx, self.to, Msg::new(self.req)));
        } else if let Some(word) = signal.msg().and_then(|m| m.downcast_ref::<&'static str>()) {
            self.log.lock().unwrap().push(word.to_string());
        }
    }
}

#[test]
fn calls_between_actors_end_with_a_reply_or_the_callees_reason() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let dead = sim.spawn(idle()).unwrap();
            sim.kill(dead).unwrap();
            sim.run_until_quiescent().unwrap();
            let cases: Vec<(Pid, &'static str, String)> = vec![
                (sim.spawn(Server::boxed()).unwrap(), "echo", "reply \"echo\"".to_string()),
                (sim.spawn(Server::boxed()).unwrap(), "panic", "down panic(\"server exploded\")".to_string()),
                (sim.spawn(Server::boxed()).unwrap(), "stop", "down shutdown".to_string()),
                (dead, "echo", "down noproc".to_string()),
            ];
            let mut logs = Vec::new();
            for (to, req, want) in cases {
                let log = new_log();
                let c = sim.spawn(Box::new(Caller { to, req, waiting: None, log: log.clone() })).unwrap();
                sim.cast(c, Msg::new("go")).unwrap();
                // Sent after "go": it waits in the mailbox until the answer came.
                sim.cast(c, Msg::new("noise")).unwrap();
                logs.push((log, want));
            }
            sim.run_until_quiescent().unwrap();
            for (log, want) in logs {
                assert_eq!(read(&log), vec![want, "noise".to_string()], "{mode:?} seed {seed}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 7. stop is synchronous.

#[test]
fn stop_returns_after_terminate_ran_and_the_process_is_dead() {
    for mode in Delivery::ALL {
        for seed in SEEDS {
            let reason = if seed % 2 == 0 { Reason::Normal } else { Reason::Shutdown };
            let mut sim = sim(mode, seed);
            let (t, t_log) = spawn_puppet(&mut sim, Puppet::new("t"));
            let (partner, _) = spawn_puppet(&mut sim, Puppet::new("partner").linked(t));
            // Traffic to t while the stop is on its way.
            let noise = sim.spawn(Box::new(Counter { to: t, n: 5, next: 1 })).unwrap();
            sim.cast(noise, Msg::new("next")).unwrap();
            sim.stop(t, reason.clone()).unwrap();
            assert!(!sim.is_alive(t), "{mode:?} seed {seed}");
            assert_eq!(sim.exit_reason(t), Some(&reason));
            let log = read(&t_log);
            assert_eq!(log.last(), Some(&Seen::Terminate(reason.clone())), "{mode:?} seed {seed}: {log:?}");
            assert_eq!(log.iter().filter(|s| matches!(s, Seen::Terminate(_))).count(), 1);
            // Stopping it again: noproc.
            assert_eq!(sim.stop(t, reason.clone()), Err(CallError::Exit(Reason::Noproc)));
            sim.run_until_quiescent().unwrap();
            assert_eq!(read(&t_log), log, "nothing is handled after terminate");
            match reason {
                Reason::Normal => assert!(sim.is_alive(partner)),
                _ => assert_eq!(sim.exit_reason(partner), Some(&reason)),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 8. A panicking handler is a crash of its process only.

#[test]
fn panic_in_a_handler_crashes_the_process_with_links_and_monitors_firing() {
    let is_kaboom = |r: Option<&Reason>| matches!(r, Some(Reason::Panic(t)) if t.contains("kaboom 42"));
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let (p, _) = spawn_puppet(&mut sim, Puppet::new("p"));
            let (plain, _) = spawn_puppet(&mut sim, Puppet::new("plain").linked(p));
            let (trapper, trap_log) = spawn_puppet(&mut sim, Puppet::new("trapper").trapping().linked(p));
            let (watcher, watch_log) = spawn_puppet(&mut sim, Puppet::new("watcher").monitoring(p));
            sim.cast(p, cmd(Cmd::Panic("kaboom 42"))).unwrap();
            sim.run_until_quiescent().unwrap();
            let ctx = format!("{mode:?} seed {seed}");
            assert!(is_kaboom(sim.exit_reason(p)), "{ctx}: {:?}", sim.exit_reason(p));
            let reason = sim.exit_reason(p).unwrap().clone();
            assert_eq!(sim.exit_reason(plain), Some(&reason), "{ctx}");
            assert!(sim.is_alive(trapper) && sim.is_alive(watcher), "{ctx}");
            assert_eq!(read(&trap_log), vec![exit(p, reason.clone())], "{ctx}");
            match &read(&watch_log)[..] {
                [Seen::Down { pid, reason: r, .. }] => assert!(*pid == p && *r == reason, "{ctx}"),
                other => panic!("{ctx}: {other:?}"),
            }

            // A panic in init: the spawn returns a dead pid.
            let bad = sim.spawn(FnActor::new("bad", |_, _| {}).with_init(|_| panic!("init failed")).boxed()).unwrap();
            assert!(!sim.is_alive(bad));
            assert_eq!(sim.exit_reason(bad), Some(&Reason::Panic("init failed".to_string())));

            // A panic in terminate: the stop reports it.
            struct BadTerminate;
            impl Actor for BadTerminate {
                fn handle(&mut self, _: Signal, _: &mut dyn Ctx) {}
                fn terminate(&mut self, _: &Reason, _: &mut dyn Ctx) {
                    panic!("terminate failed")
                }
            }
            let bt = sim.spawn(Box::new(BadTerminate)).unwrap();
            assert_eq!(
                sim.stop(bt, Reason::Normal),
                Err(CallError::Exit(Reason::Panic("terminate failed".to_string())))
            );

            // The harness itself goes on.
            let ok = sim.spawn(Server::boxed()).unwrap();
            assert_eq!(sim::call_as::<&str>(&mut sim, ok, Msg::new("echo")), Ok("echo"), "{ctx}");
        }
    }
}

// ---------------------------------------------------------------------------
// 9. demonitor with flush.

/// Monitors `target` in init and then takes nothing but `"unblock"`, on
/// which it demonitors (with `flush` or not). Logs every other signal.
struct Blocker {
    target: Pid,
    flush: bool,
    mref: Option<Ref>,
    blocked: bool,
    log: Log<Seen>,
}

impl Actor for Blocker {
    fn label(&self) -> Label {
        Label::from("blocker")
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        self.mref = Some(ctx.monitor(self.target));
        self.blocked = true;
    }
    fn accepts(&self, signal: &Signal) -> bool {
        !self.blocked || is_word(signal, "unblock")
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if is_word(&signal, "unblock") {
            ctx.demonitor(self.mref.unwrap(), self.flush);
            self.blocked = false;
        } else {
            self.log.lock().unwrap().push(seen(&signal));
        }
    }
}

/// `demonitor(flush)` leaves no `DOWN` behind, whether it was in flight or
/// already in the mailbox. Without `flush`, a `DOWN` that landed before the
/// demonitor stays (Erlang's manual: that is why `flush` exists): the
/// control with `settle` must see it, and without `settle` it must be
/// reachable in both modes that the stale `DOWN` comes even after a later
/// message (it landed while `unblock` still waited in the mailbox).
#[test]
fn demonitor_with_flush_removes_a_pending_down() {
    for mode in Delivery::ALL {
        let mut stale_after_later_message = false;
        for seed in SEEDS {
            // settle: the DOWN has surely reached the blocker's mailbox before
            // it demonitors; otherwise it may still be in flight.
            for settle in [true, false] {
                for flush in [true, false] {
                    let mut sim = sim(mode, seed);
                    let t = sim.spawn(idle()).unwrap();
                    let log = new_log();
                    let b = Blocker { target: t, flush, mref: None, blocked: false, log: log.clone() };
                    let b = sim.spawn(Box::new(b)).unwrap();
                    sim.kill(t).unwrap();
                    if settle {
                        sim.run_until_quiescent().unwrap();
                    }
                    sim.cast(b, Msg::new("unblock")).unwrap();
                    sim.cast(b, Msg::new("after")).unwrap();
                    sim.run_until_quiescent().unwrap();
                    let got = read(&log);
                    let ctx = format!("{mode:?} seed {seed} settle={settle} flush={flush}");
                    let downs = got.iter().filter(|s| matches!(s, Seen::Down { .. })).count();
                    assert!(got.contains(&msg(Pid::DRIVER, "after")), "{ctx}: {got:?}");
                    if flush {
                        assert_eq!(downs, 0, "{ctx}: a flushed DOWN was handled: {got:?}");
                    } else if settle {
                        // The control: without flush, the DOWN already in the mailbox stays,
                        // and it is older than "after".
                        assert_eq!(got.last(), Some(&msg(Pid::DRIVER, "after")), "{ctx}: {got:?}");
                        assert_eq!(downs, 1, "{ctx}: {got:?}");
                    } else {
                        assert!(downs <= 1, "{ctx}: {got:?}");
                        stale_after_later_message |= got.last().is_some_and(|s| matches!(s, Seen::Down { .. }));
                    }
                }
            }
        }
        assert!(stale_after_later_message, "{mode:?}: a DOWN that landed before demonitor was never left behind");
    }
}

// ---------------------------------------------------------------------------
// 10. Deadlocks and endless runs are reported.

/// Bounces a ball with its peer forever.
struct Bouncer {
    peer: Option<Pid>,
}

impl Actor for Bouncer {
    fn label(&self) -> Label {
        Label::from("bouncer")
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        if self.peer.is_none() {
            let me = ctx.me();
            let peer = ctx.spawn(Box::new(Bouncer { peer: Some(me) }));
            self.peer = Some(peer);
            ctx.send(peer, Msg::new("ball"));
        }
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if is_word(&signal, "ball") {
            ctx.send(self.peer.unwrap(), Msg::new("ball"));
        }
    }
}

#[test]
fn deadlock_is_reported() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            // A callee that never replies.
            let mut sim = sim(mode, seed);
            let mute = sim.spawn(idle()).unwrap();
            assert_eq!(sim.call(mute, Msg::new("hello")).unwrap_err(), CallError::Run(RunError::Deadlock));
            // The run is over: every later action reports the same error.
            assert_eq!(sim.cast(mute, Msg::new("again")), Err(RunError::Deadlock));
            assert_eq!(sim.run_until_quiescent(), Err(RunError::Deadlock));

            // Two processes calling each other.
            let mut sim = common::sim(mode, seed);
            let a = sim.spawn(Relay::cycle()).unwrap();
            match sim.call(a, Msg::new("relay")) {
                Err(CallError::Run(RunError::Deadlock)) => {}
                other => panic!("{mode:?} seed {seed}: {other:?}"),
            }
        }
    }
}

#[test]
fn endless_runs_hit_the_step_bound() {
    const BOUND: u64 = 1_000;
    for mode in Delivery::ALL {
        for seed in 0..50 {
            let config = Config { max_steps: BOUND, ..Config::new(mode) };
            let mut sim = sim_with(config, seed);
            sim.spawn(Box::new(Bouncer { peer: None })).unwrap();
            assert_eq!(sim.run_until_quiescent(), Err(RunError::StepBound(BOUND)));
            assert_eq!(sim.steps(), BOUND - 1, "the driver's spawn was one of the bound's steps");

            // A call into a system that never settles (the callee never answers).
            let mut sim = sim_with(config, seed);
            let b = sim.spawn(Box::new(Bouncer { peer: None })).unwrap();
            match sim.call(b, Msg::new("hello")) {
                Err(CallError::Run(RunError::StepBound(BOUND))) => {}
                other => panic!("{mode:?} seed {seed}: {other:?}"),
            }
            assert_eq!(sim.run_until_quiescent(), Err(RunError::StepBound(BOUND)));
        }
    }
}

// ---------------------------------------------------------------------------
// 11. Replay.

/// A replay scheduler the test can still look at after the run.
struct SharedReplay(Rc<RefCell<Replay>>);

impl Scheduler for SharedReplay {
    fn choose(&mut self, enabled: &[Event]) -> usize {
        self.0.borrow_mut().choose(enabled)
    }
}

/// A busy little system: FIFO senders, a panic over a link, calls, a kill, a stop.
fn busy_scenario(sim: &mut Sim) -> Vec<String> {
    let mut out = Vec::new();
    let log = new_log();
    let r = sim.spawn(Box::new(FifoReceiver { log: log.clone(), senders: 3, n: 4 })).unwrap();
    let s = sim.spawn(Server::boxed()).unwrap();
    let (p, _) = spawn_puppet(sim, Puppet::new("p"));
    let (w, w_log) = spawn_puppet(sim, Puppet::new("w").trapping().linked(p).monitoring(s));
    sim.cast(p, cmd(Cmd::Panic("replayed panic"))).unwrap();
    sim.cast(r, Msg::new(99u32)).unwrap();
    out.push(format!("{:?}", sim.call(s, Msg::new("echo"))));
    sim.kill(s).unwrap();
    out.push(format!("{:?}", sim.call(s, Msg::new("echo"))));
    out.push(format!("{:?}", sim.stop(w, Reason::Shutdown)));
    sim.run_until_quiescent().unwrap();
    out.push(format!("{:?}", read(&log)));
    out.push(format!("{:?}", read(&w_log)));
    out
}

#[test]
fn replaying_the_choice_log_reproduces_the_trace() {
    for mode in Delivery::ALL {
        let mut hashes = BTreeSet::new();
        for seed in FEW_SEEDS {
            let mut first = sim_with(Config::new(mode).traced(), seed);
            let out1 = busy_scenario(&mut first);
            let choices = first.choices().clone();
            let trace1 = first.trace().expect("traced");
            assert!(!choices.is_empty());

            let replay = Rc::new(RefCell::new(Replay::new(choices.clone())));
            let mut again = Sim::new(Config::new(mode).traced(), Box::new(SharedReplay(replay.clone())));
            let out2 = busy_scenario(&mut again);
            let trace2 = again.trace().expect("traced");

            assert_eq!(replay.borrow().divergences(), 0, "{mode:?} seed {seed}");
            assert_eq!(again.choices(), &choices, "{mode:?} seed {seed}");
            assert_eq!(out1, out2, "{mode:?} seed {seed}");
            assert_eq!(trace1, trace2, "{mode:?} seed {seed}");
            assert_eq!(trace1.hash(), trace2.hash());
            assert_eq!(trace1.to_string(), trace2.to_string());
            hashes.insert(trace1.hash());
        }
        // Not vacuous: the seeds explore different schedules.
        assert!(hashes.len() > FEW_SEEDS.end as usize / 2, "{mode:?}: only {} distinct traces", hashes.len());
    }
}

// ---------------------------------------------------------------------------
// Rules the kernel must keep beyond the list above: what `spec` must reach,
// what a handler that is killed mid-step may do, what unlink promises.

/// On `"go"` calls `server`; logs `"reply"` when the reply is handled and
/// `"m1"` when m1 is. `m1` waits in the mailbox while the call is pending.
struct PendingCaller {
    server: Pid,
    waiting: Option<Ref>,
    log: Log<&'static str>,
}

impl Actor for PendingCaller {
    fn label(&self) -> Label {
        Label::from("pending-caller")
    }
    fn accepts(&self, signal: &Signal) -> bool {
        self.waiting.is_none_or(|tag| call::is_answer(signal, tag))
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if let Some(tag) = self.waiting.take() {
            ctx.demonitor(tag, true);
            self.log.lock().unwrap().push("reply");
        } else if is_word(&signal, "go") {
            self.waiting = Some(call::start(ctx, self.server, Msg::new("echo")));
        } else if is_word(&signal, "m1") {
            self.log.lock().unwrap().push("m1");
        }
    }
}

/// Every outcome `instant` delivery reaches is a legal `spec` outcome (all
/// delays zero), so `spec` must reach it too. Here: P waits for a reply while
/// m1 (sent by the server just before the reply) waits in P's mailbox; a kill
/// from a third process may land after P handled the reply and before it
/// handled m1 (Erlang: a kill does not wait for the mailbox to drain).
#[test]
fn spec_reaches_every_outcome_instant_reaches_kill_with_a_backlog() {
    let mut outcomes = [BTreeSet::new(), BTreeSet::new()];
    for (i, mode) in Delivery::ALL.into_iter().enumerate() {
        for seed in SEEDS {
            let mut sim = sim(mode, seed);
            // Sends m1, then the reply, to the caller: FIFO puts m1 first.
            let server = FnActor::new("server", |s, ctx| {
                if let Signal::Message { msg, .. } = s {
                    if let Ok(c) = msg.into_call() {
                        ctx.send(c.from, Msg::new("m1"));
                        call::reply(ctx, c.from, c.tag, Msg::new("ok"));
                    }
                }
            });
            let server = sim.spawn(server.boxed()).unwrap();
            let log = new_log();
            let p = sim.spawn(Box::new(PendingCaller { server, waiting: None, log: log.clone() })).unwrap();
            let (k, _) = spawn_puppet(&mut sim, Puppet::new("killer"));
            sim.cast(p, Msg::new("go")).unwrap();
            sim.cast(k, cmd(Cmd::Exit(p, Reason::Kill))).unwrap();
            sim.run_until_quiescent().unwrap();
            assert_eq!(sim.exit_reason(p), Some(&Reason::Killed));
            outcomes[i].insert(read(&log));
        }
    }
    let [spec, instant] = outcomes;
    assert!(instant.contains(&vec!["reply"]), "the scenario does reach it in instant: {instant:?}");
    assert!(instant.is_subset(&spec), "instant reached {instant:?}, spec only {spec:?}");
}

/// A handler is one atomic step, and a process's DOWN is the last signal it
/// ever sends. Here A's exit(B, boom) kills B, whose link kills A: A may die
/// before or after its later send, but M (monitoring A) must never get A's
/// message after A's DOWN.
#[test]
fn no_signal_from_a_process_after_its_down() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let (a, _) = spawn_puppet(&mut sim, Puppet::new("a"));
            let (b, _) = spawn_puppet(&mut sim, Puppet::new("b").linked(a));
            let watcher = Puppet::new("watcher").monitoring(a);
            let refs = watcher.refs();
            let (m, m_log) = spawn_puppet(&mut sim, watcher);
            sim.cast(a, cmd(Cmd::Seq(vec![Cmd::Exit(b, other("boom")), Cmd::Send(m, "after")]))).unwrap();
            sim.run_until_quiescent().unwrap();
            let got = read(&m_log);
            let dead = down(ref_of(&refs, a), a, other("boom"));
            assert!(got == vec![dead.clone()] || got == vec![msg(a, "after"), dead], "{mode:?} seed {seed}: {got:?}");
        }
    }
}

/// The same mid-handler death, seen through a link: a child A spawn_links
/// after its own death is ordered must not outlive A.
#[test]
fn no_child_outlives_a_parent_killed_mid_handler() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let (a, _) = spawn_puppet(&mut sim, Puppet::new("a"));
            let (b, _) = spawn_puppet(&mut sim, Puppet::new("b").linked(a));
            let children = new_log();
            sim.cast(a, cmd(Cmd::Seq(vec![Cmd::Exit(b, other("boom")), Cmd::SpawnLinkIdle(children.clone())])))
                .unwrap();
            sim.run_until_quiescent().unwrap();
            assert_eq!(sim.exit_reason(a), Some(&other("boom")));
            for child in read(&children) {
                assert!(!sim.is_alive(child), "{mode:?} seed {seed}: child {child} of dead {a} is alive");
            }
        }
    }
}

/// Erlang's unlink/1: once it returns, the link has no effect on the caller;
/// an exit signal of the link still in flight is ignored (a non-trapping
/// caller does not die of it). Here B stops with boom while A unlinks B and
/// then tells M; A may die of the link only before it unlinked.
#[test]
fn unlink_ignores_a_link_exit_still_in_flight() {
    for mode in Delivery::ALL {
        for seed in SEEDS {
            let mut sim = sim(mode, seed);
            let (a, _) = spawn_puppet(&mut sim, Puppet::new("a"));
            let (b, _) = spawn_puppet(&mut sim, Puppet::new("b").linked(a));
            let watcher = Puppet::new("watcher").monitoring(a);
            let (m, m_log) = spawn_puppet(&mut sim, watcher);
            sim.cast(b, cmd(Cmd::Stop(other("boom")))).unwrap();
            sim.cast(a, cmd(Cmd::Seq(vec![Cmd::Unlink(b), Cmd::Send(m, "unlinked")]))).unwrap();
            sim.run_until_quiescent().unwrap();
            let got = read(&m_log);
            let unlinked = got.iter().any(|s| *s == msg(a, "unlinked"));
            assert!(!unlinked || sim.is_alive(a), "{mode:?} seed {seed}: a died after unlinking: {got:?}");
        }
    }
}

/// An exit signal to the driver's pid: the sender did nothing wrong, and
/// the harness must not crash (in spec mode it lands when the driver next waits).
#[test]
fn exit_kill_to_the_driver_crashes_neither_sender_nor_harness() {
    for mode in Delivery::ALL {
        for seed in FEW_SEEDS {
            let mut sim = sim(mode, seed);
            let (e, _) = spawn_puppet(&mut sim, Puppet::new("e"));
            sim.cast(e, cmd(Cmd::Exit(Pid::DRIVER, Reason::Kill))).unwrap();
            sim.run_until_quiescent().unwrap();
            assert!(sim.is_alive(e), "{mode:?} seed {seed}: {:?}", sim.exit_reason(e));
            let ok = sim.spawn(Server::boxed()).unwrap();
            let _ = sim.call(ok, Msg::new("echo"));
        }
    }
}
