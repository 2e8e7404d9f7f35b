//! A GenServer-style behaviour over `sim`'s [`Actor`] trait.
//!
//! [`Server`] wraps a [`GenServer`] and speaks the call protocol of
//! `sim::call`: calls become `handle_call`, [`Cast`] envelopes `handle_cast`,
//! everything else (`DOWN`, trapped `EXIT`, plain messages) `handle_info`,
//! whose default is the catch-all clause that ignores the message. A stop
//! request runs `terminate`.
//!
//! Requests and replies are typed: a server names its request type
//! ([`GenServer::Req`]), whose [`Request::Reply`] is what `handle_call`
//! answers and what a caller gets back, so neither side guesses a type. The
//! request is taken out of its message once, here; a request of another type
//! is a bug in the caller and crashes the server, as an unmatched clause would.
//! A counter's request names its reply, and a call answers that type:
//!
//! ```
//! # use model::gen_server::{self, Request};
//! #[derive(Debug)]
//! struct Incr;
//! impl Request for Incr {
//!     type Reply = u64;
//! }
//! # fn incr(d: &mut impl sim::Driver, counter: sim::Pid) -> Result<(), sim::CallError> {
//! let count: u64 = gen_server::call(d, counter, Incr)?;
//! # Ok(()) }
//! ```
//! and a caller that expects another reply type does not compile:
//! ```compile_fail
//! # use model::gen_server::{self, Request};
//! # #[derive(Debug)]
//! # struct Incr;
//! # impl Request for Incr {
//! #     type Reply = u64;
//! # }
//! # fn incr(d: &mut impl sim::Driver, counter: sim::Pid) -> Result<(), sim::CallError> {
//! let count: Option<sim::Pid> = gen_server::call(d, counter, Incr)?;
//! # Ok(()) }
//! ```
//!
//! A handler may itself call another server with [`GenCtx::call`], giving the
//! rest of its work as a continuation. Until the answer arrives the server
//! accepts nothing else (Erlang's selective receive in `gen_server:call`);
//! other signals wait in its mailbox, in order. Invariant: at most one call is
//! outstanding per server.

use sim::call::{self, Call, Outstanding};
pub use sim::call::{Cast, Request};
use sim::{Actor, CallError, Ctx, Driver, Label, Msg, Pid, Reason, Ref, RunError, Signal};
use std::ops::{Deref, DerefMut};

/// The caller of a `handle_call`, for replying now or later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct From {
    pub pid: Pid,
    pub tag: Ref,
}

/// What `handle_call` returns; `T` is the server's reply type.
pub enum CallReply<T> {
    /// `{:reply, value, state}`.
    Reply(T),
    /// `{:noreply, state}`: the server replies later with [`GenCtx::reply`].
    NoReply,
    /// `{:stop, reason, value, state}`.
    Stop(Reason, T),
}

/// The reply type of server `S`.
pub type ReplyOf<S> = <<S as GenServer>::Req as Request>::Reply;

/// The rest of a handler, run when the call it made is answered (the answer
/// already taken out as the callee's reply type, or its exit reason).
type Resume<S> = Box<dyn Continuation<S>>;

/// A call's continuation: the rest of the handler, and (for
/// `call_fingerprinted`) what it captures, hashed only when asked.
trait Continuation<S>: Send {
    fn resume(self: Box<Self>, state: &mut S, answer: Signal, gen: &mut GenCtx<'_, S>);
    fn captures(&self) -> Option<u64>;
}

/// A continuation and, for `call_fingerprinted`, its captures (`()` for a plain `call`).
struct Then<C, F> {
    /// The call site (the continuation's type), the callee and the captures, when fingerprinted.
    captures: Option<(&'static str, Pid, C)>,
    then: F,
}

impl<S, C, F> Continuation<S> for Then<C, F>
where
    C: std::fmt::Debug + Send,
    F: FnOnce(&mut S, Signal, &mut GenCtx<'_, S>) + Send,
{
    fn resume(self: Box<Self>, state: &mut S, answer: Signal, gen: &mut GenCtx<'_, S>) {
        (self.then)(state, answer, gen)
    }

    fn captures(&self) -> Option<u64> {
        self.captures.as_ref().map(sim::trace::fnv1a_debug)
    }
}

struct Pending<S> {
    tag: Ref,
    resume: Resume<S>,
}

/// A GenServer's callbacks. Only `handle_call` is required.
pub trait GenServer: Sized + Send + 'static {
    /// What calls and casts to this server carry; its `Reply` is what calls answer.
    type Req: Request;
    /// See [`Actor::label`].
    fn label(&self) -> Label {
        Label::from_static("gen_server")
    }
    fn init(&mut self, _ctx: &mut GenCtx<'_, Self>) {}
    fn handle_call(&mut self, req: Self::Req, from: From, ctx: &mut GenCtx<'_, Self>) -> CallReply<ReplyOf<Self>>;
    fn handle_cast(&mut self, _req: Self::Req, _ctx: &mut GenCtx<'_, Self>) {}
    /// The default is the catch-all clause: ignore the message.
    fn handle_info(&mut self, _info: Signal, _ctx: &mut GenCtx<'_, Self>) {}
    fn terminate(&mut self, _reason: &Reason, _ctx: &mut GenCtx<'_, Self>) {}
    /// For state caching: see [`Actor::fingerprint`] (stamps by rank).
    /// [`debug_fingerprint`] serves any state whose `Debug` shows all of it
    /// and that holds no stamp. A server waiting on a call it made has none
    /// (its continuation is a closure) unless it made it with
    /// [`GenCtx::call_fingerprinted`].
    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        None
    }
}

/// A fingerprint of a value's `Debug` text (FNV-1a), for
/// [`GenServer::fingerprint`] of a state that holds no stamp.
pub fn debug_fingerprint(state: &impl std::fmt::Debug) -> Option<u64> {
    Some(sim::trace::fnv1a_debug(state))
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

impl<S: GenServer> GenCtx<'_, S> {
    /// `GenServer.call(to, req)` from inside a handler; `then` runs with the
    /// reply, typed by the request, or with the callee's exit reason.
    pub fn call<R: Request>(
        &mut self,
        to: Pid,
        req: R,
        then: impl FnOnce(&mut S, Result<R::Reply, Reason>, &mut GenCtx<'_, S>) + Send + 'static,
    ) {
        self.start_call(to, req, None::<()>, then);
    }

    /// As [`GenCtx::call`], for state caching: `captures` is everything
    /// `then` captures (its `Debug` must show all of it, and no stamp; two
    /// calls in one handler whose continuations differ must differ in it,
    /// as a closure's type name tells only the function it is in).
    /// While the server waits, its fingerprint is its state's with the call
    /// site (`then`'s type), the callee, the call's tag and `captures`
    /// (hashed only when a fingerprint is asked for); after a plain `call`
    /// it has none, since a closure cannot be hashed.
    pub fn call_fingerprinted<R: Request, C, F>(&mut self, to: Pid, req: R, captures: C, then: F)
    where
        C: std::fmt::Debug + Send + 'static,
        F: FnOnce(&mut S, Result<R::Reply, Reason>, &mut GenCtx<'_, S>) + Send + 'static,
    {
        self.start_call(to, req, Some(captures), then);
    }

    fn start_call<R: Request, C: std::fmt::Debug + Send + 'static>(
        &mut self,
        to: Pid,
        req: R,
        captures: Option<C>,
        then: impl FnOnce(&mut S, Result<R::Reply, Reason>, &mut GenCtx<'_, S>) + Send + 'static,
    ) {
        assert!(self.pending.is_none(), "a server makes one call at a time");
        let site = std::any::type_name_of_val(&then);
        let call = Outstanding::start(self.ctx, to, req);
        let tag = call.tag();
        let then = move |state: &mut S, answer, gen: &mut GenCtx<'_, S>| {
            let answer = call.finish(gen.ctx, answer).map_err(call::exit_reason);
            then(state, answer, gen)
        };
        let captures = captures.map(|c| (site, to, c));
        *self.pending = Some(Pending { tag, resume: Box::new(Then { captures, then }) });
    }

    /// `GenServer.reply(from, value)`.
    pub fn reply(&mut self, from: From, value: ReplyOf<S>) {
        call::reply(self.ctx, from.pid, from.tag, Msg::new(value));
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
        let Pending { resume, .. } = self.pending.take().expect("resume only with a call pending");
        self.with_ctx(ctx, |state, gen| resume.resume(state, signal, gen));
    }

    fn handle_call(&mut self, call: Call, ctx: &mut dyn Ctx) {
        let from = From { pid: call.from, tag: call.tag };
        let req = self.request(call.req, "handle_call");
        match self.with_ctx(ctx, |state, gen| state.handle_call(req, from, gen)) {
            CallReply::Reply(value) => call::reply(ctx, from.pid, from.tag, Msg::new(value)),
            CallReply::NoReply => {}
            CallReply::Stop(reason, value) => {
                call::reply(ctx, from.pid, from.tag, Msg::new(value));
                ctx.stop_self(reason);
            }
        }
    }

    /// The request out of its message, as the server's request type.
    fn request(&self, req: Msg, clause: &str) -> S::Req {
        req.downcast::<S::Req>()
            .unwrap_or_else(|other| panic!("{}: no {clause} clause matches {other:?}", self.state.label()))
    }
}

impl<S: GenServer> Actor for Server<S> {
    fn label(&self) -> Label {
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
            Signal::Message { msg, from } => match msg.into_call() {
                Ok(call) => self.handle_call(call, ctx),
                Err(msg) => match msg.into_cast() {
                    Ok(Cast(req)) => {
                        let req = self.request(req, "handle_cast");
                        self.with_ctx(ctx, |state, gen| state.handle_cast(req, gen))
                    }
                    Err(msg) => self.with_ctx(ctx, |state, gen| state.handle_info(Signal::Message { from, msg }, gen)),
                },
            },
            other => self.with_ctx(ctx, |state, gen| state.handle_info(other, gen)),
        }
    }

    fn terminate(&mut self, reason: &Reason, ctx: &mut dyn Ctx) {
        self.with_ctx(ctx, |state, gen| state.terminate(reason, gen));
    }

    fn fingerprint(&self, stamps: &sim::Stamps) -> Option<u64> {
        let state = self.state.fingerprint(stamps)?;
        match &self.pending {
            None => Some(state),
            Some(Pending { tag, resume }) => resume.captures().map(|c| sim::trace::fnv1a_debug(&(state, tag, c))),
        }
    }
}

/// `GenServer.call` from test code, answered as the request's reply type.
pub fn call<R: Request>(d: &mut (impl Driver + ?Sized), to: Pid, req: R) -> Result<R::Reply, CallError> {
    call::call(d, to, req)
}

/// `GenServer.cast` from test code.
pub fn cast<R: Request>(d: &mut (impl Driver + ?Sized), to: Pid, req: R) -> Result<(), RunError> {
    d.cast(to, Msg::from(Cast(req.into_msg())))
}
