//! The compound steps of a process's end, one test per rule (rules revision
//! 2, both delivery modes): a dying process is dead at once and sends each
//! link exit and `DOWN` by an event of its own; `spawn_link` links before
//! the child's `init` runs; linking a dead pid is an `EXIT(noproc)`;
//! `exit(self(), kill)` ends the caller `killed`; `unlink` keeps an `EXIT`
//! message that already landed. The rules these extend are in `kernel.rs`.

mod common;

use common::*;
use sim::trace::TraceKind;
use sim::{Ctx, Delivery, Driver, Msg, Pid, Reason, Signal};
use std::ops::Range;

const SEEDS: Range<u64> = 0..300;

fn other(name: &str) -> Reason {
    Reason::Other(name.to_string())
}

fn spawn_puppet(sim: &mut sim::det::Sim, p: Puppet) -> (Pid, Log<Seen>) {
    let log = p.log();
    (sim.spawn(p.boxed()).unwrap(), log)
}

/// A stopped process is dead when its stopper resumes, and its `DOWN` to a
/// watcher may still be on its way then, in both modes.
#[test]
fn a_stopped_process_is_dead_before_its_downs_have_landed() {
    for mode in Delivery::ALL {
        let mut down_still_on_its_way = false;
        for seed in SEEDS {
            let mut sim = sim(mode, seed);
            let (p, _) = spawn_puppet(&mut sim, Puppet::new("p"));
            let (_, watcher_log) = spawn_puppet(&mut sim, Puppet::new("watcher").monitoring(p));
            sim.stop(p, Reason::Normal).unwrap();
            assert!(!sim.is_alive(p), "{mode:?} seed {seed}: alive after its stop returned");
            down_still_on_its_way |= sim.in_flight() > 0;
            sim.run_until_quiescent().unwrap();
            assert!(matches!(read(&watcher_log)[..], [Seen::Down { reason: Reason::Normal, .. }]), "{mode:?}");
        }
        assert!(down_still_on_its_way, "{mode:?}: the DOWN always landed in the death's own step");
    }
}

/// Each link exit and `DOWN` of a death lands by its own event, so two
/// partners get theirs in either order, in both modes.
#[test]
fn each_signal_of_a_death_lands_by_an_event_of_its_own() {
    for mode in Delivery::ALL {
        let mut orders = std::collections::BTreeSet::new();
        for seed in SEEDS {
            let mut sim = sim_with(sim::det::Config::new(mode).traced(), seed);
            let (p, _) = spawn_puppet(&mut sim, Puppet::new("p"));
            let (a, _) = spawn_puppet(&mut sim, Puppet::new("a").trapping().linked(p));
            let (b, _) = spawn_puppet(&mut sim, Puppet::new("b").monitoring(p));
            sim.cast(p, Msg::new(Cmd::Stop(other("boom")))).unwrap();
            sim.run_until_quiescent().unwrap();
            let trace = sim.trace().expect("traced");
            let arrival = |to: Pid| {
                let landed = trace.entries.iter().find(|e| e.kind == TraceKind::Deliver && e.from == p && e.to == to);
                landed.map(|e| e.step).expect("the signal landed")
            };
            let (at_a, at_b) = (arrival(a), arrival(b));
            assert_ne!(at_a, at_b, "{mode:?} seed {seed}: both landed in one step");
            orders.insert(at_a < at_b);
        }
        assert_eq!(orders.len(), 2, "{mode:?}: the two arrivals came in one order only");
    }
}

/// `spawn_link` links before the child's `init` runs: a child that panics in
/// `init` reaches a trapping parent as an `EXIT` message and kills a plain one.
#[test]
fn spawn_link_links_before_the_childs_init_runs() {
    for mode in Delivery::ALL {
        for trap in [true, false] {
            for seed in 0..50 {
                let mut sim = sim(mode, seed);
                let got = new_log();
                let seen = got.clone();
                let parent = FnActor::new("parent", move |signal, ctx: &mut dyn Ctx| {
                    if is_word(&signal, "go") {
                        ctx.spawn_link(FnActor::new("child", |_, _| {}).with_init(|_| panic!("no")).boxed());
                    } else {
                        seen.lock().unwrap().push(common::seen(&signal));
                    }
                })
                .with_init(move |ctx| ctx.trap_exit(trap));
                let parent = sim.spawn(parent.boxed()).unwrap();
                sim.cast(parent, Msg::new("go")).unwrap();
                sim.run_until_quiescent().unwrap();
                let panicked = Reason::Panic("no".to_string());
                let child = Pid(parent.0 + 1);
                assert_eq!(sim.exit_reason(child), Some(&panicked));
                if trap {
                    assert!(sim.is_alive(parent));
                    assert_eq!(read(&got), vec![Seen::Exit { from: child, reason: panicked }], "{mode:?} {seed}");
                } else {
                    assert_eq!(sim.exit_reason(parent), Some(&panicked), "{mode:?} seed {seed}");
                }
            }
        }
    }
}

/// `link` to a dead pid: a trapping caller gets `EXIT(pid, noproc)` as a
/// message, a plain one ends with `noproc`.
#[test]
fn linking_a_dead_pid_is_an_exit_noproc() {
    for mode in Delivery::ALL {
        for seed in 0..50 {
            let mut sim = sim(mode, seed);
            let dead = sim.spawn(idle()).unwrap();
            sim.kill(dead).unwrap();
            sim.run_until_quiescent().unwrap();
            let (trapper, trap_log) = spawn_puppet(&mut sim, Puppet::new("trapper").trapping());
            let (plain, _) = spawn_puppet(&mut sim, Puppet::new("plain"));
            sim.cast(trapper, Msg::new(Cmd::Link(dead))).unwrap();
            sim.cast(plain, Msg::new(Cmd::Link(dead))).unwrap();
            sim.run_until_quiescent().unwrap();
            assert_eq!(read(&trap_log), vec![Seen::Exit { from: dead, reason: Reason::Noproc }], "{mode:?}");
            assert_eq!(sim.exit_reason(plain), Some(&Reason::Noproc), "{mode:?} seed {seed}");
        }
    }
}

/// `exit(self(), kill)` ends the caller with `killed` (its handler runs to
/// its end first: a handler is one atomic step), and its links get `killed`.
#[test]
fn exit_self_kill_ends_the_caller_killed() {
    for mode in Delivery::ALL {
        for seed in 0..50 {
            let mut sim = sim(mode, seed);
            let (p, _) = spawn_puppet(&mut sim, Puppet::new("p"));
            let (trapper, trap_log) = spawn_puppet(&mut sim, Puppet::new("trapper").trapping().linked(p));
            sim.cast(p, Msg::new(Cmd::Exit(p, Reason::Kill))).unwrap();
            sim.run_until_quiescent().unwrap();
            assert_eq!(sim.exit_reason(p), Some(&Reason::Killed), "{mode:?} seed {seed}");
            assert!(sim.is_alive(trapper));
            assert_eq!(read(&trap_log), vec![Seen::Exit { from: p, reason: Reason::Killed }]);
        }
    }
}

/// `unlink` cancels a link exit still in flight (kernel.rs), but an `EXIT`
/// message that already landed in a trapping caller's mailbox stays, as
/// Erlang's manual says: here it can land behind "unlink" before the caller
/// handled that, and is then handled after the unlink.
#[test]
fn unlink_keeps_an_exit_message_that_already_landed() {
    for mode in Delivery::ALL {
        let mut orders = std::collections::BTreeSet::new();
        for seed in SEEDS {
            let mut sim = sim(mode, seed);
            let (b, _) = spawn_puppet(&mut sim, Puppet::new("b"));
            let got: Log<&str> = new_log();
            let seen = got.clone();
            let a = FnActor::new("a", move |signal, ctx: &mut dyn Ctx| match signal {
                Signal::Exit { .. } => seen.lock().unwrap().push("EXIT"),
                _ if is_word(&signal, "unlink") => {
                    ctx.unlink(b);
                    seen.lock().unwrap().push("unlinked");
                }
                _ => {}
            })
            .with_init(move |ctx| {
                ctx.trap_exit(true);
                ctx.link(b);
            });
            let a = sim.spawn(a.boxed()).unwrap();
            sim.cast(a, Msg::new("unlink")).unwrap();
            sim.cast(b, Msg::new(Cmd::Stop(other("boom")))).unwrap();
            sim.run_until_quiescent().unwrap();
            assert!(sim.is_alive(a));
            let got = read(&got);
            assert!(
                [&["unlinked"][..], &["EXIT", "unlinked"], &["unlinked", "EXIT"]].contains(&&got[..]),
                "{mode:?} seed {seed}: {got:?}"
            );
            orders.insert(got);
        }
        assert!(orders.contains(&vec!["unlinked", "EXIT"]), "{mode:?}: {orders:?}");
        assert!(orders.contains(&vec!["unlinked"]), "{mode:?}: {orders:?}");
    }
}
