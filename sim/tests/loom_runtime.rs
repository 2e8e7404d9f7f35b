//! The thread runtime's own semantics, model-checked by loom in a plain
//! `cargo test`: races between a death and a monitor, a call, and links.
//! Each model counts its outcomes across every explored execution and
//! asserts, after loom returns, that every outcome allowed by Erlang was
//! reached and nothing else was. A hang would be a loom deadlock (a failure).

mod common;

use common::{Cmd, FnActor, Puppet, Server};
use sim::rt::{LoomDriver, ModelStats, StdDriver};
use sim::{CallError, Driver, Msg, Pid, Reason, Signal};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

fn counters<const N: usize>() -> Arc<[AtomicU64; N]> {
    Arc::new(std::array::from_fn(|_| AtomicU64::new(0)))
}

fn loads<const N: usize>(counts: &[AtomicU64; N]) -> [u64; N] {
    std::array::from_fn(|i| counts[i].load(Ordering::Relaxed))
}

fn show(name: &str, stats: ModelStats) {
    println!(
        "loom {name}: {} executions explored (preemption bound {}), {:.1} s",
        stats.executions,
        stats.preemption_bound,
        stats.wall.as_secs_f64()
    );
}

fn boom() -> Reason {
    Reason::Other("boom".to_string())
}

fn is_down(mref: sim::Ref) -> impl Fn(&Signal) -> bool {
    move |s| matches!(s, Signal::Down { mref: m, .. } if *m == mref)
}

/// A target stops itself while the test monitors it: exactly one `DOWN`,
/// with the exit reason (monitor first) or `noproc` (death first).
#[test]
fn loom_monitoring_a_dying_process_yields_exactly_one_down() {
    let seen = counters::<3>(); // [normal, noproc, anything else or a second DOWN]
    let counts = Arc::clone(&seen);
    let stats = sim::rt::model(move || {
        let mut d = LoomDriver::new();
        let target = d.spawn(Puppet::new("target").boxed()).unwrap();
        d.cast(target, Msg::new(Cmd::Stop(Reason::Normal))).unwrap();
        let mref = d.monitor(target);
        let Ok(Signal::Down { reason, pid, .. }) = d.receive(is_down(mref)) else { unreachable!() };
        d.join(target);
        let index = match reason {
            _ if pid != target || d.pending(is_down(mref)) != 0 => 2,
            Reason::Normal => 0,
            Reason::Noproc => 1,
            _ => 2,
        };
        counts[index].fetch_add(1, Ordering::Relaxed);
        d.finish();
    });
    show("monitor-vs-death", stats);
    let [normal, noproc, wrong] = loads(&seen);
    assert_eq!(wrong, 0, "a wrong or second DOWN");
    assert!(normal > 0 && noproc > 0, "both orders explored: {normal} normal, {noproc} noproc");
    assert_eq!(normal + noproc, stats.executions);
}

/// A third process kills the server while the test calls it: the call ends
/// with the reply, the killer's reason, or `noproc`; never a hang.
#[test]
fn loom_a_call_racing_with_the_callees_death_ends_with_a_reply_or_an_exit() {
    let seen = counters::<4>(); // [reply, boom, noproc, other]
    let counts = Arc::clone(&seen);
    let stats = sim::rt::model(move || {
        let mut d = LoomDriver::new();
        let server = d.spawn(Server::boxed()).unwrap();
        let killer = d.spawn(Puppet::new("killer").boxed()).unwrap();
        d.cast(killer, Msg::new(Cmd::Exit(server, boom()))).unwrap();
        let index = match d.call(server, Msg::new("echo")) {
            Ok(reply) if reply.downcast_ref::<&str>() == Some(&"echo") => 0,
            Err(CallError::Exit(reason)) if reason == boom() => 1,
            Err(CallError::Exit(Reason::Noproc)) => 2,
            _ => 3,
        };
        counts[index].fetch_add(1, Ordering::Relaxed);
        d.finish();
    });
    show("call-vs-death", stats);
    let [reply, boom, noproc, other] = loads(&seen);
    assert_eq!(other, 0);
    assert!(reply > 0 && boom > 0 && noproc > 0, "every ending reached: {reply} {boom} {noproc}");
}

/// `p` is linked to a trapping and a non-trapping process and stops with
/// `boom` while the test watches: the trapper receives `EXIT(p, boom)` as a
/// message and lives, the other dies with `boom`, in every interleaving.
#[test]
fn loom_a_link_exit_and_a_trapping_process_agree() {
    let seen = counters::<2>(); // [agree, disagree]
    let counts = Arc::clone(&seen);
    let stats = sim::rt::model(move || {
        let mut d = LoomDriver::new();
        let p = d.spawn(Puppet::new("p").boxed()).unwrap();
        let trapper = d.spawn(forwarder(p)).unwrap();
        let plain = d.spawn(Puppet::new("plain").linked(p).boxed()).unwrap();
        d.cast(p, Msg::new(Cmd::Stop(boom()))).unwrap();
        let forwarded = d.receive(|s| s.msg().is_some_and(|m| m.is::<Reason>())).expect("a trapper forwards its EXIT");
        let trapped = forwarded.msg().and_then(|m| m.downcast_ref::<Reason>()).cloned();
        d.join(plain);
        let died = d.process(plain).and_then(|r| r.reason);
        let agree = trapped == Some(boom()) && died == Some(boom()) && d.is_alive(trapper);
        counts[usize::from(!agree)].fetch_add(1, Ordering::Relaxed);
        d.finish();
    });
    show("link-vs-trap", stats);
    let [agree, disagree] = loads(&seen);
    assert_eq!(disagree, 0);
    assert_eq!(agree, stats.executions);
}

/// A property judged on stamps that loom must be able to break. A sends C
/// a message and then reads the clock; C reads it when it handles the
/// message. On real threads A can be preempted between its send and its
/// stamp, so C may stamp first, and "A stamps before C" fails in some
/// interleaving. loom reaches that interleaving only if a clock read is an
/// access it schedules (the clock is a loom atomic under `LoomPlatform`).
#[test]
fn loom_orders_clock_reads_like_any_shared_access() {
    let seen = counters::<2>(); // [A stamped first, C stamped first]
    let counts = Arc::clone(&seen);
    let stats = sim::rt::model(move || {
        let mut d = LoomDriver::new();
        let stamp = |who: &'static str, ctx: &mut dyn sim::Ctx| {
            let at = ctx.now();
            ctx.send(Pid::DRIVER, Msg::new((who, at)));
        };
        let c = d.spawn(FnActor::new("c", move |_, ctx| stamp("c", ctx)).boxed()).unwrap();
        let a = FnActor::new("a", move |_, ctx| {
            ctx.send(c, Msg::new("x"));
            stamp("a", ctx);
        });
        let a = d.spawn(a.boxed()).unwrap();
        d.cast(a, Msg::new("go")).unwrap();
        let mut stamps = [0u64; 2];
        for _ in 0..2 {
            let signal = d.receive(|s| s.msg().is_some_and(|m| m.is::<(&'static str, u64)>())).expect("no deadlock");
            let (who, at) = *signal.msg().and_then(|m| m.downcast_ref::<(&'static str, u64)>()).unwrap();
            stamps[usize::from(who == "c")] = at;
        }
        counts[usize::from(stamps[1] < stamps[0])].fetch_add(1, Ordering::Relaxed);
        d.finish();
    });
    show("clock-reads", stats);
    let [a_first, c_first] = loads(&seen);
    assert!(a_first > 0 && c_first > 0, "both stamp orders reached: A first {a_first}, C first {c_first}");
}

/// Traps exits, links `p` in `init`, and forwards each `EXIT` reason to the test.
fn forwarder(p: Pid) -> Box<dyn sim::Actor> {
    FnActor::new("trapper", |signal, ctx| {
        if let Signal::Exit { reason, .. } = signal {
            ctx.send(Pid::DRIVER, Msg::new(reason));
        }
    })
    .with_init(move |ctx| {
        ctx.trap_exit(true);
        ctx.link(p);
    })
    .boxed()
}

/// The same runtime on OS threads: a synchronous stop returns after the
/// death, a call to the dead fails with `noproc`, and shutdown ends every thread.
#[test]
fn the_runtime_runs_on_os_threads() {
    let mut d = StdDriver::new();
    let server = d.spawn(Server::boxed()).unwrap();
    let reply = d.call(server, Msg::new("echo")).unwrap();
    assert_eq!(reply.downcast_ref::<&str>(), Some(&"echo"));
    d.stop(server, Reason::Normal).unwrap();
    assert!(!d.is_alive(server));
    assert_eq!(d.call(server, Msg::new("echo")).unwrap_err(), CallError::Exit(Reason::Noproc));
    assert_eq!(d.stop(server, Reason::Normal), Err(CallError::Exit(Reason::Noproc)));
    // Driver handles handle nothing and never die: a call or a stop aimed at
    // one fails at once instead of waiting forever.
    let other = d.client("other").pid();
    for target in [Pid::DRIVER, other] {
        assert_eq!(d.call(target, Msg::new("echo")).unwrap_err(), CallError::Run(sim::RunError::Deadlock));
        assert_eq!(d.stop(target, Reason::Normal), Err(CallError::Run(sim::RunError::Deadlock)));
    }
    let idle = d.spawn(Puppet::new("idle").boxed()).unwrap();
    let records = d.finish();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].pid, idle);
    assert_eq!(records[1].reason, Some(Reason::Killed));
    assert!(records[0].exited_at < records[1].exited_at);
}
