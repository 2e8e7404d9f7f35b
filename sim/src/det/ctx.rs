//! The deterministic executor's [`Ctx`]: a handler's effects, applied to the
//! kernel at once and in program order.

use super::kernel::{Kernel, MAX_INIT_DEPTH};
use super::spawn_process;
use crate::panic_guard::abandon_handler;
use crate::{Actor, Ctx, Msg, Pid, Reason, Ref, Signal};

pub(crate) struct DetCtx<'k> {
    pub kernel: &'k mut Kernel,
    pub me: Pid,
}

impl DetCtx<'_> {
    /// A handler's spawn. One that cannot happen (too many inits nested, or
    /// the process bound, which also fails the run) ends the calling handler.
    fn start(&mut self, actor: Box<dyn Actor>, link: bool) -> Pid {
        if self.kernel.init_depth >= MAX_INIT_DEPTH {
            abandon_handler(format!(
                "spawn refused: {MAX_INIT_DEPTH} inits deep, each spawning the next (an init runs on its spawner's stack)"
            ));
        }
        spawn_process(self.kernel, self.me, actor, link)
            .unwrap_or_else(|e| abandon_handler(format!("spawn refused: {e}")))
    }
}

impl Ctx for DetCtx<'_> {
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
        self.kernel.send(self.me, to, Signal::Message { from: self.me, msg });
    }
    fn monitor(&mut self, pid: Pid) -> Ref {
        self.kernel.monitor(self.me, pid)
    }
    fn demonitor(&mut self, mref: Ref, flush: bool) {
        self.kernel.demonitor(self.me, mref, flush);
    }
    fn link(&mut self, pid: Pid) {
        self.kernel.link(self.me, pid);
    }
    fn unlink(&mut self, pid: Pid) {
        self.kernel.unlink(self.me, pid);
    }
    fn exit(&mut self, pid: Pid, reason: Reason) {
        self.kernel.send(self.me, pid, Signal::Exit { from: self.me, reason });
    }
    fn trap_exit(&mut self, on: bool) {
        self.kernel.procs[self.me.index()].trap_exit = on;
    }
    fn make_ref(&mut self) -> Ref {
        self.kernel.make_ref(self.me)
    }
    fn is_alive(&self, pid: Pid) -> bool {
        self.kernel.observe_alive(pid)
    }
    fn request_stop(&mut self, pid: Pid, reason: Reason) {
        self.kernel.send(self.me, pid, Signal::Stop { from: self.me, reason });
    }
    fn now(&self) -> u64 {
        self.kernel.note(|fp| fp.reads_clock = true);
        self.kernel.clock_event();
        self.kernel.step
    }
    fn stop_self(&mut self, reason: Reason) {
        self.kernel.procs[self.me.index()].stop_after = Some(reason);
    }
}
