//! The thread runtime's [`Ctx`]: a handler's effects, applied at once and in
//! program order through the kernel. It acts for `me`, which is not always
//! the running thread's process: a child's `init` runs in its spawner's step.
//! Invariant: nothing here blocks (a handler never waits).

use super::kernel::Kernel;
use super::platform::Platform;
use super::process::{self, Local};
use crate::det::MAX_INIT_DEPTH;
use crate::panic_guard::abandon_handler;
use crate::{Actor, Ctx, Msg, Pid, Reason, Ref, Signal};
use std::sync::Arc;

pub(crate) struct ThreadCtx<'a, P: Platform> {
    pub kernel: &'a Arc<Kernel<P>>,
    pub me: Pid,
    pub local: &'a mut Local,
    /// How many inits run on this stack, `me`'s included (0 in a handler).
    pub depth: usize,
}

impl<P: Platform> ThreadCtx<'_, P> {
    /// A handler's spawn; one that cannot happen (inits nested too deep, the
    /// runtime at capacity) ends the calling handler, as under `det`.
    fn start(&mut self, actor: Box<dyn Actor>, link: bool) -> Pid {
        if self.depth >= MAX_INIT_DEPTH {
            abandon_handler(format!(
                "spawn refused: {MAX_INIT_DEPTH} inits deep, each spawning the next (an init runs on its spawner's stack)"
            ));
        }
        let spawned = process::spawn(self.kernel, self.me, actor, link, self.depth);
        spawned.unwrap_or_else(|e| abandon_handler(format!("spawn refused: {e}")))
    }
}

impl<P: Platform> Ctx for ThreadCtx<'_, P> {
    fn me(&self) -> Pid {
        self.me
    }
    fn spawn(&mut self, actor: Box<dyn Actor>) -> Pid {
        self.start(actor, false)
    }
    fn spawn_link(&mut self, actor: Box<dyn Actor>) -> Pid {
        self.start(actor, true)
    }
    fn send(&mut self, to: Pid, msg: Msg) {
        self.kernel.send(to, Signal::Message { from: self.me, msg });
    }
    fn monitor(&mut self, pid: Pid) -> Ref {
        let mref = self.local.make_ref(self.me);
        self.kernel.monitor(self.me, &mut self.local.monitors, mref, pid);
        mref
    }
    fn demonitor(&mut self, mref: Ref, flush: bool) {
        self.kernel.demonitor(self.me, &mut self.local.monitors, mref, flush);
    }
    fn link(&mut self, pid: Pid) {
        self.kernel.link(self.me, pid);
    }
    fn unlink(&mut self, pid: Pid) {
        self.kernel.unlink(self.me, pid);
    }
    fn exit(&mut self, pid: Pid, reason: Reason) {
        self.kernel.send(pid, Signal::Exit { from: self.me, reason });
    }
    fn trap_exit(&mut self, on: bool) {
        self.local.trap_exit = on;
    }
    fn make_ref(&mut self) -> Ref {
        self.local.make_ref(self.me)
    }
    fn is_alive(&self, pid: Pid) -> bool {
        self.kernel.alive(pid)
    }
    fn request_stop(&mut self, pid: Pid, reason: Reason) {
        self.kernel.send(pid, Signal::Stop { from: self.me, reason });
    }
    fn now(&self) -> u64 {
        self.kernel.tick()
    }
    fn stop_self(&mut self, reason: Reason) {
        self.local.stop_after = Some(reason);
    }
}
