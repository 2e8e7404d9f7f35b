//! Faulty actors and a call cycle on the thread runtime: a panicking
//! `label` or `accepts` crashes its process, inits nested without end stop
//! at the bound, a full runtime refuses a spawn, and a call cycle ends with
//! `Deadlock`, on OS threads and in every interleaving loom explores.

mod common;

use common::{FnActor, Nameless, Nester, Picky, Relay};
use sim::det::MAX_INIT_DEPTH;
use sim::rt::{LoomDriver, StdDriver, ThreadDriver};
use sim::{CallError, Driver, Msg, Reason, RunError, Signal};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Runs `scenario` on its own thread; fails the test if it has not ended in
/// a minute (a hang), instead of hanging the test run.
fn within_a_minute<R: Send + 'static>(scenario: impl FnOnce() -> R + Send + 'static) -> R {
    let (done, ended) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || done.send(scenario()).expect("the test waits"))
        .expect("a thread starts");
    match ended.recv_timeout(Duration::from_secs(60)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the scenario hung for a minute"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the scenario panicked (above)"),
    }
}

fn panic_text(reason: Option<Reason>) -> String {
    match reason {
        Some(Reason::Panic(text)) => text,
        other => panic!("expected a panic exit, got {other:?}"),
    }
}

#[test]
fn a_call_cycle_on_os_threads_ends_with_deadlock() {
    within_a_minute(|| {
        let mut d = StdDriver::new();
        let a = d.spawn(Relay::cycle()).unwrap();
        assert_eq!(d.call(a, Msg::new("relay")).unwrap_err(), CallError::Run(RunError::Deadlock));
        // The cycle stays stuck, so a stop (which it does not accept) cannot end it either.
        assert_eq!(d.stop(a, Reason::Normal), Err(CallError::Run(RunError::Deadlock)));
        assert_eq!(d.receive(|s| matches!(s, Signal::Exit { .. })).err(), Some(RunError::Deadlock));
        // The driver goes on: a kill ends the cycle, and the runtime shuts down.
        d.kill(a).unwrap();
        let records = d.finish();
        assert!(records.iter().all(|r| r.reason.is_some()), "{records:?}");
    });
}

/// The same cycle in every interleaving: each ends with `Deadlock`, none hangs.
#[test]
fn loom_a_call_cycle_ends_with_deadlock() {
    let outcomes = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]); // [deadlock, anything else]
    let counts = Arc::clone(&outcomes);
    let stats = sim::rt::model(move || {
        let mut d = LoomDriver::new();
        let a = d.spawn(Relay::cycle()).unwrap();
        let index = match d.call(a, Msg::new("relay")) {
            Err(CallError::Run(RunError::Deadlock)) => 0,
            _ => 1,
        };
        counts[index].fetch_add(1, Ordering::Relaxed);
        d.finish();
    });
    println!("loom call cycle: {} executions", stats.executions);
    assert!(outcomes[0].load(Ordering::Relaxed) > 0);
    assert_eq!(outcomes[1].load(Ordering::Relaxed), 0, "every execution ends with Deadlock");
}

#[test]
fn a_panicking_label_or_accepts_crashes_its_process_on_threads() {
    within_a_minute(|| {
        let mut d = StdDriver::new();
        let nameless = d.spawn(Box::new(Nameless)).expect("the spawn itself succeeds");
        let picky = d.spawn(Box::new(Picky)).unwrap();
        let mref = d.monitor(picky);
        d.cast(picky, Msg::new("poison")).unwrap();
        let down = d.receive(|s| matches!(s, Signal::Down { mref: m, .. } if *m == mref)).unwrap();
        assert!(matches!(down, Signal::Down { reason: Reason::Panic(_), .. }), "{down:?}");
        let records = d.finish();
        assert_eq!(records[nameless.index() - 1].label, "process");
        assert_eq!(panic_text(records[nameless.index() - 1].reason.clone()), "no name");
        assert_eq!(panic_text(records[picky.index() - 1].reason.clone()), "accepts choked");
    });
}

#[test]
fn spawns_nested_in_init_stop_at_the_depth_bound_on_threads() {
    let records = within_a_minute(|| {
        let mut d = StdDriver::new();
        d.spawn(Box::new(Nester { levels: 20_000 })).unwrap();
        d.finish()
    });
    assert_eq!(records.len(), MAX_INIT_DEPTH);
    let deepest = records.last().expect("records").reason.clone();
    assert!(panic_text(deepest).contains(&format!("{MAX_INIT_DEPTH} inits deep")));
    assert!(records[..MAX_INIT_DEPTH - 1].iter().all(|r| r.reason == Some(Reason::Killed)), "{records:?}");
}

#[test]
fn a_full_thread_runtime_refuses_a_spawn_from_the_driver_and_from_a_handler() {
    within_a_minute(|| {
        let mut d: StdDriver = ThreadDriver::with_capacity(3);
        let spawner = d
            .spawn(
                FnActor::new("spawner", |_, ctx| {
                    ctx.spawn(common::idle());
                })
                .boxed(),
            )
            .unwrap();
        d.spawn(common::idle()).unwrap();
        assert_eq!(d.spawn(common::idle()), Err(RunError::ProcessBound(3)));
        let mref = d.monitor(spawner);
        d.cast(spawner, Msg::new("go")).unwrap();
        let down = d.receive(|s| matches!(s, Signal::Down { mref: m, .. } if *m == mref)).unwrap();
        let Signal::Down { reason, .. } = down else { unreachable!() };
        assert!(panic_text(Some(reason)).contains("process bound of 3 processes exceeded"));
        d.finish();
    });
}
