//! The call protocol (`GenServer.call`), shared by drivers and actors.
//!
//! A call is a monitor on the callee, a [`Call`] message tagged with the
//! monitor's ref, and a selective receive of the [`Reply`] with that tag or the
//! `DOWN` of that monitor, whichever comes first. So a call to a process that is
//! dead, or dies before replying, fails with its exit reason (`noproc` when it
//! was already gone) and never hangs.

use crate::{Ctx, Msg, Pid, Ref, Signal};

/// A request awaiting a reply.
#[derive(Debug)]
pub struct Call {
    pub from: Pid,
    pub tag: Ref,
    pub req: Msg,
}

/// The reply to the call with the same tag.
#[derive(Debug)]
pub struct Reply {
    pub tag: Ref,
    pub value: Msg,
}

/// The cast envelope (`{:"$gen_cast", msg}`): an asynchronous request.
#[derive(Debug)]
pub struct Cast(pub Msg);

/// Sends the reply for a call (`GenServer.reply/2`).
pub fn reply(ctx: &mut dyn Ctx, to: Pid, tag: Ref, value: Msg) {
    ctx.send(to, Msg::new(Reply { tag, value }));
}

/// Starts a call from inside a handler: monitors `to`, sends the request and
/// returns the tag to wait for with [`is_answer`].
pub fn start(ctx: &mut dyn Ctx, to: Pid, req: Msg) -> Ref {
    let tag = ctx.monitor(to);
    let from = ctx.me();
    ctx.send(to, Msg::new(Call { from, tag, req }));
    tag
}

/// Whether `signal` ends the call tagged `tag`: its reply, or its monitor's `DOWN`.
pub fn is_answer(signal: &Signal, tag: Ref) -> bool {
    match signal {
        Signal::Message { msg, .. } => msg.downcast_ref::<Reply>().is_some_and(|r| r.tag == tag),
        Signal::Down { mref, .. } => *mref == tag,
        _ => false,
    }
}
