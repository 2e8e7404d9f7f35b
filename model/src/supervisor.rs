//! A dynamic supervisor with temporary children (`DynamicSupervisor` with
//! `restart: :temporary`): it starts workers on request and never restarts them.
//!
//! It traps exits and links every child it starts. A child that exits is
//! forgotten, never restarted. An exit signal from anything other than a child
//! ends the supervisor with that reason, as OTP's does for its parent; on the
//! way out it shuts its children down.

use crate::gen_server::{CallReply, From, GenCtx, GenServer, Request, Server};
use sim::{Actor, Label, Pid, Reason, Signal};
use std::fmt;

/// A request to start one child: how to build it, and its label for traces.
pub struct StartChild {
    pub label: Label,
    pub build: Box<dyn FnOnce() -> Box<dyn Actor> + Send>,
}

impl fmt::Debug for StartChild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StartChild({})", self.label)
    }
}

/// The reply to [`StartChild`]: `{:ok, pid}`.
#[derive(Debug)]
pub struct Started(pub Pid);

impl Request for StartChild {
    type Reply = Started;
}

/// The supervisor's state: its live children, in start order.
#[derive(Debug, Default)]
pub struct Supervisor {
    children: Vec<Pid>,
}

impl Supervisor {
    pub fn boxed() -> Box<dyn Actor> {
        Server::boxed(Supervisor::default())
    }
}

impl GenServer for Supervisor {
    type Req = StartChild;

    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        crate::gen_server::debug_fingerprint(self)
    }

    fn label(&self) -> Label {
        Label::from_static("supervisor")
    }

    fn init(&mut self, ctx: &mut GenCtx<'_, Self>) {
        ctx.trap_exit(true);
    }

    fn handle_call(&mut self, start: StartChild, _from: From, ctx: &mut GenCtx<'_, Self>) -> CallReply<Started> {
        let child = ctx.spawn_link((start.build)());
        self.children.push(child);
        CallReply::Reply(Started(child))
    }

    fn handle_info(&mut self, info: Signal, ctx: &mut GenCtx<'_, Self>) {
        if let Signal::Exit { from, reason } = info {
            let before = self.children.len();
            self.children.retain(|&c| c != from);
            if self.children.len() == before {
                ctx.stop_self(reason);
            }
        }
    }

    fn terminate(&mut self, _reason: &Reason, ctx: &mut GenCtx<'_, Self>) {
        for &child in &self.children {
            ctx.exit(child, Reason::Shutdown);
        }
    }
}
