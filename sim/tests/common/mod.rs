//! Small actors and helpers shared by the kernel tests.
//!
//! Everything an actor wants to report goes into an `Arc<Mutex<Vec<_>>>` the
//! test keeps a clone of, so a test can look at it between driver actions.

#![allow(dead_code)]

mod faulty;
#[allow(unused_imports)] // not every test file uses them
pub use faulty::*;

use sim::call;
use sim::det::{Config, Sim};
use sim::sched::RandomScheduler;
use sim::{Actor, Ctx, Delivery, Label, Msg, Pid, Reason, Ref, Signal};
use std::sync::{Arc, Mutex};

/// A log shared between an actor and the test.
pub type Log<T> = Arc<Mutex<Vec<T>>>;

pub fn new_log<T>() -> Log<T> {
    Arc::new(Mutex::new(Vec::new()))
}

/// A copy of what the log holds now.
pub fn read<T: Clone>(log: &Log<T>) -> Vec<T> {
    log.lock().unwrap().clone()
}

/// A deterministic run with a random scheduler.
pub fn sim(mode: Delivery, seed: u64) -> Sim {
    sim_with(Config::new(mode), seed)
}

pub fn sim_with(config: Config, seed: u64) -> Sim {
    Sim::new(config, Box::new(RandomScheduler::new(seed)))
}

/// A signal as a recorder saw it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seen {
    /// A message; `text` is the payload's `Debug` text.
    Msg {
        from: Pid,
        text: String,
    },
    Exit {
        from: Pid,
        reason: Reason,
    },
    Down {
        mref: Ref,
        pid: Pid,
        reason: Reason,
    },
    /// `terminate` ran with this reason.
    Terminate(Reason),
}

pub fn seen(signal: &Signal) -> Seen {
    match signal {
        Signal::Message { from, msg } => Seen::Msg { from: *from, text: format!("{msg:?}") },
        Signal::Exit { from, reason } => Seen::Exit { from: *from, reason: reason.clone() },
        Signal::Down { mref, pid, reason } => Seen::Down { mref: *mref, pid: *pid, reason: reason.clone() },
        Signal::Stop { reason, .. } => Seen::Terminate(reason.clone()),
    }
}

/// The `Debug` text of a `&'static str` payload, as [`Seen::Msg`] holds it.
pub fn text(s: &str) -> String {
    format!("{s:?}")
}

/// Whether `signal` is the message `word` (a `&'static str` payload).
pub fn is_word(signal: &Signal, word: &str) -> bool {
    signal.msg().and_then(|m| m.downcast_ref::<&'static str>()).is_some_and(|w| *w == word)
}

/// A command for a [`Puppet`].
#[derive(Debug)]
pub enum Cmd {
    /// `stop_self(reason)`.
    Stop(Reason),
    /// `panic!` with this text.
    Panic(&'static str),
    /// `exit(pid, reason)`.
    Exit(Pid, Reason),
    /// `send(pid, word)`.
    Send(Pid, &'static str),
    Link(Pid),
    Unlink(Pid),
    Trap(bool),
    /// `spawn_link` an idle puppet that records into `log`, and report its pid there.
    SpawnLinkIdle(Log<Pid>),
    /// Runs the commands in order, in one handler.
    Seq(Vec<Cmd>),
}

/// An actor that obeys [`Cmd`] messages and records every other signal it
/// handles, and its `terminate`, into its log. In `init` it turns trapping on
/// if asked, then links and monitors the given pids (refs go to `refs`).
pub struct Puppet {
    label: String,
    log: Log<Seen>,
    refs: Log<(Pid, Ref)>,
    trap: bool,
    links: Vec<Pid>,
    monitors: Vec<Pid>,
}

impl Puppet {
    pub fn new(label: &str) -> Puppet {
        Puppet {
            label: label.to_string(),
            log: new_log(),
            refs: new_log(),
            trap: false,
            links: Vec::new(),
            monitors: Vec::new(),
        }
    }
    pub fn trapping(mut self) -> Puppet {
        self.trap = true;
        self
    }
    pub fn linked(mut self, pid: Pid) -> Puppet {
        self.links.push(pid);
        self
    }
    pub fn monitoring(mut self, pid: Pid) -> Puppet {
        self.monitors.push(pid);
        self
    }
    pub fn log(&self) -> Log<Seen> {
        self.log.clone()
    }
    pub fn refs(&self) -> Log<(Pid, Ref)> {
        self.refs.clone()
    }
    pub fn boxed(self) -> Box<dyn Actor> {
        Box::new(self)
    }

    fn run(&mut self, cmd: Cmd, ctx: &mut dyn Ctx) {
        match cmd {
            Cmd::Stop(reason) => ctx.stop_self(reason),
            Cmd::Panic(text) => panic!("{text}"),
            Cmd::Exit(pid, reason) => ctx.exit(pid, reason),
            Cmd::Send(pid, word) => ctx.send(pid, Msg::new(word)),
            Cmd::Link(pid) => ctx.link(pid),
            Cmd::Unlink(pid) => ctx.unlink(pid),
            Cmd::Trap(on) => ctx.trap_exit(on),
            Cmd::SpawnLinkIdle(report) => {
                let child = ctx.spawn_link(Puppet::new("child").boxed());
                report.lock().unwrap().push(child);
            }
            Cmd::Seq(cmds) => {
                for cmd in cmds {
                    self.run(cmd, ctx);
                }
            }
        }
    }
}

impl Actor for Puppet {
    fn label(&self) -> Label {
        Label::from(self.label.clone())
    }

    fn init(&mut self, ctx: &mut dyn Ctx) {
        ctx.trap_exit(self.trap);
        for &pid in &self.links {
            ctx.link(pid);
        }
        for &pid in &self.monitors {
            let mref = ctx.monitor(pid);
            self.refs.lock().unwrap().push((pid, mref));
        }
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        match signal {
            Signal::Message { msg, from } => match msg.downcast::<Cmd>() {
                Ok(cmd) => self.run(cmd, ctx),
                Err(msg) => self.log.lock().unwrap().push(seen(&Signal::Message { from, msg })),
            },
            other => self.log.lock().unwrap().push(seen(&other)),
        }
    }

    fn terminate(&mut self, reason: &Reason, _ctx: &mut dyn Ctx) {
        self.log.lock().unwrap().push(Seen::Terminate(reason.clone()));
    }
}

/// What a [`Server`] does with a call, chosen by the request (a `&'static str`).
/// - `"echo"`: replies with the request.
/// - `"panic"`: panics with `server exploded`.
/// - `"stop"`: `stop_self(shutdown)` without replying.
/// - `"hold"`: never replies; asks `killer` (if any) to `exit(me, boom)`.
/// - anything else: never replies.
pub struct Server {
    pub killer: Option<Pid>,
}

impl Server {
    pub fn boxed() -> Box<dyn Actor> {
        Box::new(Server { killer: None })
    }
}

impl Actor for Server {
    fn label(&self) -> Label {
        Label::from("server")
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        let Signal::Message { msg, .. } = signal else { return };
        let Ok(call) = msg.into_call() else { return };
        let req = *call.req.downcast_ref::<&'static str>().expect("server requests are words");
        match req {
            "echo" => call::reply(ctx, call.from, call.tag, Msg::new(req)),
            "panic" => panic!("server exploded"),
            "stop" => ctx.stop_self(Reason::Shutdown),
            "hold" => {
                if let Some(killer) = self.killer {
                    let me = ctx.me();
                    ctx.send(killer, Msg::new(Cmd::Exit(me, Reason::Other("boom".into()))));
                }
            }
            _ => {}
        }
    }
}

type InitFn = Box<dyn FnOnce(&mut dyn Ctx) + Send>;
type HandleFn = Box<dyn FnMut(Signal, &mut dyn Ctx) + Send>;

/// An actor built from closures, for one-off behaviours.
pub struct FnActor {
    label: String,
    init: Option<InitFn>,
    handle: HandleFn,
}

impl FnActor {
    pub fn new(label: &str, handle: impl FnMut(Signal, &mut dyn Ctx) + Send + 'static) -> FnActor {
        FnActor { label: label.to_string(), init: None, handle: Box::new(handle) }
    }
    pub fn with_init(mut self, init: impl FnOnce(&mut dyn Ctx) + Send + 'static) -> FnActor {
        self.init = Some(Box::new(init));
        self
    }
    pub fn boxed(self) -> Box<dyn Actor> {
        Box::new(self)
    }
}

impl Actor for FnActor {
    fn label(&self) -> Label {
        Label::from(self.label.clone())
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        if let Some(init) = self.init.take() {
            init(ctx);
        }
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        (self.handle)(signal, ctx)
    }
}

/// An actor that ignores everything.
pub fn idle() -> Box<dyn Actor> {
    FnActor::new("idle", |_, _| {}).boxed()
}
