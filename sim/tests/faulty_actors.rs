//! Faulty actors on the deterministic executor: whatever user code does (a
//! panicking `accepts`, `label` or `Debug`, spawns nested without end, too
//! many processes), the executor ends a process or the run with a clear
//! reason and never panics, overflows or behaves differently when traced.

mod common;

use common::*;
use sim::det::{Config, Sim, MAX_INIT_DEPTH, MAX_PROCESSES};
use sim::sched::RandomScheduler;
use sim::{Actor, Ctx, Delivery, Driver, Label, Msg, Pid, Reason, RunError, Signal};

fn panic_text(reason: Option<&Reason>) -> String {
    match reason {
        Some(Reason::Panic(text)) => text.clone(),
        other => panic!("expected a panic exit, got {other:?}"),
    }
}

/// On a 2 MiB thread (what `cargo test` and rayon give), far past where the
/// stack used to overflow (about 8,500 levels): the init that would nest one
/// level too deep ends its process; every shallower process lives.
#[test]
fn spawns_nested_in_init_stop_at_the_depth_bound_without_overflowing() {
    let run = std::thread::Builder::new().stack_size(2 << 20).spawn(|| {
        let mut sim = sim(Delivery::Spec, 0);
        let top = sim.spawn(Box::new(Nester { levels: 20_000 })).expect("the driver's spawn succeeds");
        assert_eq!(top, Pid(1));
        sim.run_until_quiescent().expect("nothing fails the run");
        sim.processes()
    });
    let processes = run.expect("a thread starts").join().expect("no overflow, no panic");
    assert_eq!(processes.len(), MAX_INIT_DEPTH);
    let (deepest, shallower) = processes.split_last().expect("processes");
    assert!(shallower.iter().all(|p| p.reason.is_none()), "{shallower:?}");
    let text = panic_text(deepest.reason.as_ref());
    assert!(text.contains(&format!("{MAX_INIT_DEPTH} inits deep")), "{text}");
}

#[test]
fn a_panicking_accepts_crashes_its_process_not_the_executor() {
    for mode in Delivery::ALL {
        for seed in 0..50 {
            let mut sim = sim(mode, seed);
            let picky = sim.spawn(Box::new(Picky)).unwrap();
            let watcher = Puppet::new("watcher").monitoring(picky);
            let log = watcher.log();
            sim.spawn(watcher.boxed()).unwrap();
            sim.cast(picky, Msg::new("fine")).unwrap();
            sim.cast(picky, Msg::new("poison")).unwrap();
            assert_eq!(sim.run_until_quiescent(), Ok(()), "{mode:?} seed {seed}");
            assert_eq!(panic_text(sim.exit_reason(picky)), "accepts choked");
            let downs = read(&log).into_iter().filter(|s| matches!(s, Seen::Down { .. })).count();
            assert_eq!(downs, 1, "the monitor fired once: {mode:?} seed {seed}");
        }
    }
}

#[test]
fn a_panicking_label_crashes_the_child_spawned_by_the_driver() {
    let mut sim = sim(Delivery::Spec, 0);
    let child = sim.spawn(Box::new(Nameless)).expect("the spawn itself succeeds");
    assert_eq!(panic_text(sim.exit_reason(child)), "no name");
    assert_eq!(sim.label(child), "process");
    assert_eq!(sim.run_until_quiescent(), Ok(()));
}

#[test]
fn a_panicking_label_crashes_the_child_not_the_parent_that_spawned_it() {
    for mode in Delivery::ALL {
        let children = new_log::<Pid>();
        let report = children.clone();
        let parent = FnActor::new("parent", move |_, ctx| report.lock().unwrap().push(ctx.spawn(Box::new(Nameless))));
        let mut sim = sim(mode, 0);
        let parent = sim.spawn(parent.boxed()).unwrap();
        sim.cast(parent, Msg::new("go")).unwrap();
        assert_eq!(sim.run_until_quiescent(), Ok(()));
        assert_eq!(sim.exit_reason(parent), None, "the parent lives");
        let child = read(&children)[0];
        assert_eq!(panic_text(sim.exit_reason(child)), "no name");
    }
}

/// Spawns `count` idle children from `init` (or, with `on_message`, from its handler).
fn spawner(count: usize, on_message: bool) -> Box<dyn Actor> {
    let spawn_all = move |ctx: &mut dyn Ctx| {
        for _ in 0..count {
            ctx.spawn(idle());
        }
    };
    if on_message {
        FnActor::new("spawner", move |_, ctx| spawn_all(ctx)).boxed()
    } else {
        FnActor::new("spawner", |_, _| {}).with_init(spawn_all).boxed()
    }
}

#[test]
fn the_process_bound_is_the_same_run_error_from_the_driver_and_from_a_handler() {
    let bound = RunError::ProcessBound(MAX_PROCESSES);
    // The driver's spawn is the one past the bound.
    let mut run = sim(Delivery::Spec, 0);
    run.spawn(spawner(MAX_PROCESSES - 2, false)).expect("the driver, the spawner and its children fit");
    assert_eq!(run.spawn(idle()), Err(bound.clone()));
    assert_eq!(run.run_until_quiescent(), Err(bound.clone()), "the run stays failed");
    // A handler's spawn is.
    for mode in Delivery::ALL {
        let mut sim = sim(mode, 0);
        let spawner = sim.spawn(spawner(MAX_PROCESSES, true)).unwrap();
        sim.cast(spawner, Msg::new("go")).unwrap();
        assert_eq!(sim.run_until_quiescent(), Err(bound.clone()), "{mode:?}");
        assert_eq!(sim.spawn(idle()), Err(bound.clone()), "{mode:?}");
    }
}

/// Sends an `Unprintable` to `to`, then `"after"`.
fn sender_of_unprintable(to: Pid) -> Box<dyn Actor> {
    FnActor::new("sender", move |_, ctx| {
        ctx.send(to, Msg::new(Unprintable));
        ctx.send(to, Msg::new("after"));
    })
    .boxed()
}

/// The same scenario, traced or not: its processes' fates, what the receiver got, and the choices.
fn unprintable_run(config: Config, seed: u64) -> (Vec<Option<Reason>>, Vec<Seen>, Vec<u32>, Option<String>) {
    let mut sim = Sim::new(config, Box::new(RandomScheduler::new(seed)));
    let receiver = Puppet::new("receiver");
    let log = receiver.log();
    let receiver = sim.spawn(SkipUnprintable::around(receiver)).unwrap();
    let sender = sim.spawn(sender_of_unprintable(receiver)).unwrap();
    sim.cast(sender, Msg::new("go")).unwrap();
    sim.run_until_quiescent().unwrap();
    let fates = sim.processes().into_iter().map(|p| p.reason).collect();
    let got = read(&log);
    (fates, got, sim.choices().clone(), sim.trace().map(|t| t.to_string()))
}

#[test]
fn tracing_never_changes_what_a_run_does() {
    for mode in Delivery::ALL {
        for seed in 0..30 {
            let (fates, got, choices, _) = unprintable_run(Config::new(mode), seed);
            let (traced_fates, traced_got, traced_choices, trace) = unprintable_run(Config::new(mode).traced(), seed);
            assert_eq!(fates, vec![None, None], "nobody crashes untraced: {mode:?} seed {seed}");
            assert_eq!((&traced_fates, &traced_got, &traced_choices), (&fates, &got, &choices), "{mode:?} {seed}");
            let trace = trace.expect("a traced run has a trace");
            assert!(trace.contains("<Debug panicked: cannot print>"), "{trace}");
            // Only the payload is unprintable: the entry keeps the signal's kind and sender.
            assert!(trace.contains("Message { from: <2>, msg: <Debug panicked: cannot print> }"), "{trace}");
        }
    }
}

/// A `Puppet` that takes `Unprintable`s without recording (so without formatting) them.
struct SkipUnprintable {
    inner: Box<dyn Actor>,
}

impl SkipUnprintable {
    fn around(puppet: Puppet) -> Box<dyn Actor> {
        Box::new(SkipUnprintable { inner: puppet.boxed() })
    }
}

impl Actor for SkipUnprintable {
    fn label(&self) -> Label {
        self.inner.label()
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if signal.msg().is_some_and(|m| m.is::<Unprintable>()) {
            return;
        }
        self.inner.handle(signal, ctx);
    }
}

#[test]
fn driver_actions_count_against_the_step_bound() {
    const BOUND: u64 = 10;
    let mut sim = sim_with(Config { max_steps: BOUND, ..Config::new(Delivery::Spec) }, 0);
    let mut spawned = 0;
    let error = loop {
        match sim.spawn(idle()) {
            Ok(_) => spawned += 1,
            Err(e) => break e,
        }
        assert!(spawned <= BOUND, "spawned {spawned} idle processes under a bound of {BOUND} steps");
    };
    assert_eq!(error, RunError::StepBound(BOUND));
    assert_eq!(spawned, BOUND);
    assert_eq!(sim.steps(), 0, "no event ran: the driver's actions alone reached the bound");
}
