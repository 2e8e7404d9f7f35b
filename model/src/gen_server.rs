//! A GenServer-style behaviour over `sim`'s [`Actor`] trait.
//!
//! [`Server`] wraps a [`GenServer`] and speaks the call protocol of
//! `sim::call`: calls become `handle_call`, [`Cast`] envelopes `handle_cast`,
//! everything else (`DOWN`, trapped `EXIT`, plain messages) `handle_info`,
//! whose default is the catch-all clause that ignores the message. A stop
//! request runs `terminate`.
//!
//! A handler may itself call another server with [`GenCtx::call`], giving the
//! rest of its work as a continuation. Until the answer arrives the server
//! accepts nothing else (Erlang's selective receive in `gen_server:call`);
//! other signals wait in its mailbox, in order. Invariant: at most one call is
//! outstanding per server.

use sim::call::{self, Call, Reply};
use sim::{Actor, CallError, Ctx, Driver, Msg, Payload, Pid, Reason, Ref, RunError, Signal};
use std::ops::{Deref, DerefMut};

/// The caller of a `handle_call`, for replying now or later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct From {
    pub pid: Pid,
    pub tag: Ref,
}

/// The cast envelope (`{:"$gen_cast", msg}`).
#[derive(Debug)]
pub struct Cast(pub Msg);

/// What `handle_call` returns.
pub enum CallReply {
    /// `{:reply, value, state}`.
    Reply(Msg),
    /// `{:noreply, state}`: the server replies later with [`GenCtx::reply`].
    NoReply,
    /// `{:stop, reason, value, state}`.
    Stop(Reason, Msg),
}

/// The rest of a handler, run when the call it made is answered: with the
/// reply, or with the callee's exit reason.
pub type Continuation<S> = Box<dyn FnOnce(&mut S, Result<Msg, Reason>, &mut GenCtx<'_, S>) + Send>;

struct Pending<S> {
    tag: Ref,
    then: Continuation<S>,
}

/// A GenServer's callbacks. Only `handle_call` is required.
pub trait GenServer: Sized + Send + 'static {
    fn label(&self) -> String {
        "gen_server".to_string()
    }
    fn init(&mut self, _ctx: &mut GenCtx<'_, Self>) {}
    fn handle_call(&mut self, req: Msg, from: From, ctx: &mut GenCtx<'_, Self>) -> CallReply;
    fn handle_cast(&mut self, _req: Msg, _ctx: &mut GenCtx<'_, Self>) {}
    /// The default is the catch-all clause: ignore the message.
    fn handle_info(&mut self, _info: Signal, _ctx: &mut GenCtx<'_, Self>) {}
    fn terminate(&mut self, _reason: &Reason, _ctx: &mut GenCtx<'_, Self>) {}
    /// For state caching: see [`Actor::fingerprint`]. [`debug_fingerprint`]
    /// serves any state whose `Debug` shows all of it. A server waiting on a
    /// call it made has none (its continuation is a closure).
    fn fingerprint(&self) -> Option<u64> {
        None
    }
}

/// A fingerprint of a value's `Debug` text (FNV-1a), for
/// [`GenServer::fingerprint`].
pub fn debug_fingerprint(state: &impl std::fmt::Debug) -> Option<u64> {
    Some(sim::trace::fnv1a(format!("{state:?}").as_bytes()))
}

/// A handler's context: every [`Ctx`] operation, plus calls and replies.
pub struct GenCtx<'a, S> {
    ctx: &'a mut dyn Ctx,
    pending: &'a mut Option<Pending<S>>,
}

impl<'a, S> Deref for GenCtx<'a, S> {
    type Target = dyn Ctx + 'a;
    fn deref(&self) -> &Self::Target {
        self.ctx
    }
}

impl<S> DerefMut for GenCtx<'_, S> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.ctx
    }
}

impl<S> GenCtx<'_, S> {
    /// `GenServer.call(to, req)` from inside a handler; `then` runs with the answer.
    pub fn call(
        &mut self,
        to: Pid,
        req: Msg,
        then: impl FnOnce(&mut S, Result<Msg, Reason>, &mut GenCtx<'_, S>) + Send + 'static,
    ) {
        assert!(self.pending.is_none(), "a server makes one call at a time");
        let tag = call::start(self.ctx, to, req);
        *self.pending = Some(Pending { tag, then: Box::new(then) });
    }

    /// `GenServer.reply(from, value)`.
    pub fn reply(&mut self, from: From, value: Msg) {
        call::reply(self.ctx, from.pid, from.tag, value);
    }
}

/// The [`Actor`] that runs a [`GenServer`].
pub struct Server<S> {
    state: S,
    pending: Option<Pending<S>>,
}

impl<S: GenServer> Server<S> {
    pub fn new(state: S) -> Server<S> {
        Server { state, pending: None }
    }

    /// Boxed, ready for `spawn`.
    pub fn boxed(state: S) -> Box<dyn Actor> {
        Box::new(Server::new(state))
    }

    fn with_ctx<R>(&mut self, ctx: &mut dyn Ctx, f: impl FnOnce(&mut S, &mut GenCtx<'_, S>) -> R) -> R {
        let mut gen = GenCtx { ctx, pending: &mut self.pending };
        f(&mut self.state, &mut gen)
    }

    fn resume(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        let Pending { tag, then } = self.pending.take().expect("resume only with a call pending");
        ctx.demonitor(tag, true);
        let answer = match signal {
            Signal::Message { msg, .. } => Ok(msg.downcast::<Reply>().expect("is_answer checked the type").value),
            Signal::Down { reason, .. } => Err(reason),
            other => unreachable!("a pending call accepts only its answer, got {other:?}"),
        };
        self.with_ctx(ctx, |state, gen| then(state, answer, gen));
    }

    fn handle_call(&mut self, call: Call, ctx: &mut dyn Ctx) {
        let from = From { pid: call.from, tag: call.tag };
        match self.with_ctx(ctx, |state, gen| state.handle_call(call.req, from, gen)) {
            CallReply::Reply(value) => call::reply(ctx, from.pid, from.tag, value),
            CallReply::NoReply => {}
            CallReply::Stop(reason, value) => {
                call::reply(ctx, from.pid, from.tag, value);
                ctx.stop_self(reason);
            }
        }
    }
}

impl<S: GenServer> Actor for Server<S> {
    fn label(&self) -> String {
        self.state.label()
    }

    fn init(&mut self, ctx: &mut dyn Ctx) {
        self.with_ctx(ctx, |state, gen| state.init(gen));
    }

    fn accepts(&self, signal: &Signal) -> bool {
        self.pending.as_ref().is_none_or(|p| call::is_answer(signal, p.tag))
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if self.pending.is_some() {
            return self.resume(signal, ctx);
        }
        match signal {
            Signal::Message { msg, from } => match msg.downcast::<Call>() {
                Ok(call) => self.handle_call(call, ctx),
                Err(msg) => match msg.downcast::<Cast>() {
                    Ok(Cast(req)) => self.with_ctx(ctx, |state, gen| state.handle_cast(req, gen)),
                    Err(msg) => self.with_ctx(ctx, |state, gen| state.handle_info(Signal::Message { from, msg }, gen)),
                },
            },
            other => self.with_ctx(ctx, |state, gen| state.handle_info(other, gen)),
        }
    }

    fn terminate(&mut self, reason: &Reason, ctx: &mut dyn Ctx) {
        self.with_ctx(ctx, |state, gen| state.terminate(reason, gen));
    }

    fn fingerprint(&self) -> Option<u64> {
        match self.pending {
            Some(_) => None,
            None => self.state.fingerprint(),
        }
    }
}

/// `GenServer.call` from test code, with the reply taken out as an `R`.
pub fn call<R: Payload>(d: &mut (impl Driver + ?Sized), to: Pid, req: impl Payload) -> Result<R, CallError> {
    sim::call_as::<R>(d, to, Msg::new(req))
}

/// `GenServer.cast` from test code.
pub fn cast(d: &mut (impl Driver + ?Sized), to: Pid, req: impl Payload) -> Result<(), RunError> {
    d.cast(to, Msg::new(Cast(Msg::new(req))))
}

/// Takes a request out as the type a server expects; anything else is a bug in
/// the caller, and crashes the server as an unmatched clause would.
pub fn expect_req<T: Payload>(req: Msg, server: &str) -> T {
    req.downcast::<T>().unwrap_or_else(|other| panic!("{server}: no clause matches {other:?}"))
}
