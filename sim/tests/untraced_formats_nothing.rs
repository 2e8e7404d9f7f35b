//! The executor formats nothing unless the run is traced: a payload's
//! `Debug` runs only to write a trace entry. One test, so the counter is
//! not shared with another test running at the same time.

use sim::call;
use sim::det::{Config, Sim};
use sim::sched::RandomScheduler;
use sim::{Actor, Ctx, Delivery, Driver, Msg, Signal};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

static FORMATTED: AtomicUsize = AtomicUsize::new(0);

/// A payload that counts how often it is formatted.
struct Counted;

impl fmt::Debug for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FORMATTED.fetch_add(1, Ordering::SeqCst);
        f.write_str("Counted")
    }
}

/// Answers every call with a `Counted`, and sends one to itself on a cast.
struct Server;

impl Actor for Server {
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        let Signal::Message { msg, .. } = signal else { return };
        match msg.into_call() {
            Ok(call) => call::reply(ctx, call.from, call.tag, Msg::new(Counted)),
            Err(msg) if msg.is::<&str>() => {
                let me = ctx.me();
                ctx.send(me, Msg::new(Counted));
            }
            Err(_) => {}
        }
    }
}

/// Casts, calls (request and reply both `Counted`), then stops the server.
fn run(config: Config) -> usize {
    FORMATTED.store(0, Ordering::SeqCst);
    let mut sim = Sim::new(config, Box::new(RandomScheduler::new(1)));
    let server = sim.spawn(Box::new(Server)).unwrap();
    sim.cast(server, Msg::new("go")).unwrap();
    sim.call(server, Msg::new(Counted)).unwrap();
    sim.kill(server).unwrap();
    sim.cast(server, Msg::new(Counted)).unwrap(); // dropped at a dead receiver, or not
    sim.run_until_quiescent().unwrap();
    FORMATTED.load(Ordering::SeqCst)
}

#[test]
fn a_payload_is_formatted_only_in_a_traced_run() {
    for mode in Delivery::ALL {
        assert_eq!(run(Config::new(mode)), 0, "{mode:?}: an untraced run formats no payload");
        assert!(run(Config::new(mode).traced()) >= 4, "{mode:?}: a traced run formats each entry's payload");
    }
}
