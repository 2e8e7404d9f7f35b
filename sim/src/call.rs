//! The call protocol (`GenServer.call`): one implementation, used by both
//! drivers, the GenServer behaviour and any actor that calls.
//!
//! A call is a monitor on the callee, a [`Call`] message tagged with the
//! monitor's ref, and a selective receive of the [`Reply`] with that tag or the
//! `DOWN` of that monitor, whichever comes first; then a `demonitor` with
//! flush. So a call to a process that is dead, or dies before replying, fails
//! with its exit reason (`noproc` when it was already gone) and never hangs.
//! [`Outstanding`] holds those steps; a [`Caller`] is whoever makes them (a
//! handler's [`Ctx`], or a driver). A [`Request`] type fixes its reply type,
//! so a reply is taken out of its box once, here, as the type the server
//! answers ([`decode`]).

use crate::{CallError, Ctx, Driver, Msg, Payload, Pid, Reason, Ref, RunError, Signal};
use std::marker::PhantomData;

/// A request awaiting a reply. It becomes a message by `Msg::from` (an
/// envelope beside the request's payload, no box of its own) and is taken
/// back out by [`Msg::into_call`]; it is not a [`Payload`] (no `Debug` of
/// its own: the message prints it), so `Msg::new` cannot hide one.
pub struct Call {
    pub from: Pid,
    pub tag: Ref,
    pub req: Msg,
}

/// The reply to the call with the same tag (`Msg::from`, [`Msg::into_reply`]).
pub struct Reply {
    pub tag: Ref,
    pub value: Msg,
}

/// The cast envelope (`{:"$gen_cast", msg}`): an asynchronous request
/// (`Msg::from`, [`Msg::into_cast`]).
pub struct Cast(pub Msg);

/// What a server takes in a call, and so what it answers: the reply type is
/// the request type's, not the caller's guess.
pub trait Request: Payload + Sized {
    type Reply: Payload;
    /// The request as a message.
    fn into_msg(self) -> Msg {
        Msg::new(self)
    }
    /// The reply out of its message, or the message back if it is not one.
    fn reply_of(value: Msg) -> Result<Self::Reply, Msg> {
        value.downcast()
    }
}

/// An untyped request, answered by an untyped reply (what [`Driver::call`] sends).
impl Request for Msg {
    type Reply = Msg;
    fn into_msg(self) -> Msg {
        self
    }
    fn reply_of(value: Msg) -> Result<Msg, Msg> {
        Ok(value)
    }
}

/// A reply's value as `R`'s reply type; anything else is [`CallError::BadReply`].
pub fn decode<R: Request>(value: Msg) -> Result<R::Reply, CallError> {
    R::reply_of(value).map_err(|other| CallError::BadReply(format!("{other:?}")))
}

/// Whoever makes a call: the steps it is made of, each caller's own way.
pub trait Caller {
    fn me(&self) -> Pid;
    /// Monitors `to` and sends it `call(tag)`, `tag` being the monitor's ref.
    fn monitor_and_send(&mut self, to: Pid, call: impl FnOnce(Ref) -> Msg) -> Ref;
    /// Removes the monitor, and its `DOWN` if one arrived.
    fn demonitor_flush(&mut self, mref: Ref);
}

/// A handler calls through its context: monitor, then send, in one step.
impl Caller for dyn Ctx + '_ {
    fn me(&self) -> Pid {
        Ctx::me(self)
    }
    fn monitor_and_send(&mut self, to: Pid, call: impl FnOnce(Ref) -> Msg) -> Ref {
        let tag = self.monitor(to);
        self.send(to, call(tag));
        tag
    }
    fn demonitor_flush(&mut self, mref: Ref) {
        self.demonitor(mref, true);
    }
}

/// A call sent and not yet answered; it answers an `R::Reply`.
#[derive(Debug)]
pub struct Outstanding<R: Request> {
    tag: Ref,
    reply: PhantomData<fn() -> R>,
}

impl<R: Request> Outstanding<R> {
    /// Monitors `to` and sends it the request.
    pub fn start(caller: &mut (impl Caller + ?Sized), to: Pid, req: R) -> Outstanding<R> {
        let (from, req) = (caller.me(), req.into_msg());
        let tag = caller.monitor_and_send(to, |tag| Msg::from(Call { from, tag, req }));
        Outstanding { tag, reply: PhantomData }
    }

    /// The tag the reply carries (the monitor's ref).
    pub fn tag(&self) -> Ref {
        self.tag
    }

    /// Whether `signal` ends this call: its reply, or its monitor's `DOWN`.
    pub fn is_answer(&self, signal: &Signal) -> bool {
        is_answer(signal, self.tag)
    }

    /// Ends the call with the signal that answered it: demonitors (with
    /// flush) and takes the reply out, or the callee's exit reason.
    pub fn finish(self, caller: &mut (impl Caller + ?Sized), answer: Signal) -> Result<R::Reply, CallError> {
        self.finish_wait(caller, Ok(answer))
    }

    /// [`Self::finish`] for a caller whose wait itself may fail (a driver's).
    pub fn finish_wait(
        self,
        caller: &mut (impl Caller + ?Sized),
        answer: Result<Signal, RunError>,
    ) -> Result<R::Reply, CallError> {
        caller.demonitor_flush(self.tag);
        match answer? {
            Signal::Message { msg, .. } => decode::<R>(msg.into_reply().expect("is_answer checked the type").value),
            Signal::Down { reason, .. } => Err(CallError::Exit(reason)),
            other => unreachable!("a call accepts only its reply and its DOWN, got {other:?}"),
        }
    }
}

/// `GenServer.call` from test code, answered as the request's reply type.
pub fn call<R: Request>(d: &mut (impl Driver + ?Sized), to: Pid, req: R) -> Result<R::Reply, CallError> {
    decode::<R>(d.call(to, req.into_msg())?)
}

/// Starts an untyped call from inside a handler and returns its tag, for an
/// actor that waits with [`is_answer`] and reads the [`Reply`] itself.
pub fn start(ctx: &mut dyn Ctx, to: Pid, req: Msg) -> Ref {
    Outstanding::start(ctx, to, req).tag()
}

/// Sends the reply for a call (`GenServer.reply/2`).
pub fn reply(ctx: &mut dyn Ctx, to: Pid, tag: Ref, value: Msg) {
    ctx.send(to, Msg::from(Reply { tag, value }));
}

/// Whether `signal` ends the call tagged `tag`: its reply, or its monitor's `DOWN`.
pub fn is_answer(signal: &Signal, tag: Ref) -> bool {
    match signal {
        Signal::Message { msg, .. } => msg.reply_tag() == Some(tag),
        Signal::Down { mref, .. } => *mref == tag,
        _ => false,
    }
}

/// The exit reason of a failed call inside a handler: a reply of another
/// type than the request's is a bug in the callee, and crashes the caller.
pub fn exit_reason(error: CallError) -> Reason {
    match error {
        CallError::Exit(reason) => reason,
        other => panic!("a call inside a handler failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A caller that records what the protocol asks of it.
    #[derive(Default)]
    struct Recorder {
        sent: Vec<(Pid, Msg)>,
        demonitored: Vec<Ref>,
    }

    const ME: Pid = Pid(7);
    const TAG: Ref = Ref { owner: ME, serial: 3 };

    impl Caller for Recorder {
        fn me(&self) -> Pid {
            ME
        }
        fn monitor_and_send(&mut self, to: Pid, call: impl FnOnce(Ref) -> Msg) -> Ref {
            self.sent.push((to, call(TAG)));
            TAG
        }
        fn demonitor_flush(&mut self, mref: Ref) {
            self.demonitored.push(mref);
        }
    }

    #[derive(Debug, PartialEq)]
    struct Ask(u32);

    #[derive(Debug, PartialEq)]
    struct Answer(u32);

    impl Request for Ask {
        type Reply = Answer;
    }

    fn reply(tag: Ref, value: Msg) -> Signal {
        Signal::Message { from: Pid(1), msg: Msg::from(Reply { tag, value }) }
    }

    #[test]
    fn a_call_sends_its_request_tagged_with_the_monitors_ref() {
        let mut caller = Recorder::default();
        let call = Outstanding::start(&mut caller, Pid(1), Ask(5));
        let (to, msg) = caller.sent.pop().expect("one message sent");
        let sent = msg.into_call().expect("a Call");
        assert_eq!((to, sent.from, sent.tag, call.tag()), (Pid(1), ME, TAG, TAG));
        assert_eq!(sent.req.downcast::<Ask>().expect("the request as it was"), Ask(5));
    }

    #[test]
    fn only_its_reply_or_its_monitors_down_answers_a_call() {
        let call = Outstanding::start(&mut Recorder::default(), Pid(1), Ask(5));
        let other = Ref { owner: ME, serial: 4 };
        assert!(call.is_answer(&reply(TAG, Msg::new(Answer(1)))));
        assert!(call.is_answer(&Signal::Down { mref: TAG, pid: Pid(1), reason: Reason::Normal }));
        assert!(!call.is_answer(&reply(other, Msg::new(Answer(1)))));
        assert!(!call.is_answer(&Signal::Down { mref: other, pid: Pid(1), reason: Reason::Normal }));
        assert!(!call.is_answer(&Signal::Exit { from: Pid(1), reason: Reason::Killed }));
    }

    #[test]
    fn finishing_demonitors_once_and_answers_the_requests_reply_type() {
        let mut caller = Recorder::default();
        let call = Outstanding::start(&mut caller, Pid(1), Ask(5));
        assert_eq!(call.finish(&mut caller, reply(TAG, Msg::new(Answer(9)))), Ok(Answer(9)));
        let call = Outstanding::start(&mut caller, Pid(1), Ask(5));
        let down = Signal::Down { mref: TAG, pid: Pid(1), reason: Reason::Noproc };
        assert_eq!(call.finish(&mut caller, down), Err(CallError::Exit(Reason::Noproc)));
        let call = Outstanding::start(&mut caller, Pid(1), Ask(5));
        let wrong = call.finish(&mut caller, reply(TAG, Msg::new("nine")));
        assert_eq!(wrong, Err(CallError::BadReply("\"nine\"".to_string())));
        let call = Outstanding::start(&mut caller, Pid(1), Ask(5));
        assert_eq!(call.finish_wait(&mut caller, Err(RunError::Deadlock)), Err(CallError::Run(RunError::Deadlock)));
        assert_eq!(caller.demonitored, [TAG; 4], "every end of a call demonitors, a failed wait's too");
    }

    #[test]
    fn an_untyped_call_passes_its_message_through_unboxed() {
        let mut caller = Recorder::default();
        let call = Outstanding::start(&mut caller, Pid(1), Msg::new(Ask(5)));
        let sent = caller.sent.pop().expect("sent").1.into_call().expect("a Call");
        assert_eq!(sent.req.downcast::<Ask>().expect("not boxed twice"), Ask(5));
        let value = call.finish(&mut caller, reply(TAG, Msg::new(Answer(2)))).expect("a reply");
        assert_eq!(value.downcast::<Answer>().expect("the value itself"), Answer(2));
    }
}
