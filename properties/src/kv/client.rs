//! The client process: runs one workload script against a registry and
//! stamps every call in the shared history log.
//!
//! A client is a plain [`Actor`] with one call outstanding at most; it makes
//! it with `sim::call`'s protocol and waits with selective receive
//! ([`Actor::accepts`]) for that call's reply or its callee's `DOWN`, as
//! `GenServer.call` does. Replies arrive typed by the request (the
//! registry's or the bucket's). Composite operations (stop, crash, put,
//! get) are a lookup, then, if it found a bucket, a second call.

use super::history::{Answer, Call, CallRecord};
use super::op::{Name, Op};
use crate::clients::Go;
use model::bucket::{BucketReply, BucketReq};
use model::registry::{RegistryReply, RegistryReq};
use sim::call::{self, Cast, Outstanding};
use sim::{Actor, CallError, Ctx, Label, Msg, Pid, Reason, Ref, Signal};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// The shared log clients write their calls to.
pub type CallLog = Arc<Mutex<Vec<CallRecord>>>;

/// What the answer being waited for will be used for.
#[derive(Debug, Clone, Copy)]
enum Then {
    /// Nothing: the operation ends with this call.
    Done,
    /// The lookup of a composite operation: go on with its second call.
    Second,
}

/// What a client waits for.
#[derive(Debug)]
enum Awaited {
    Registry(Outstanding<RegistryReq>),
    Bucket(Outstanding<BucketReq>),
    /// A stopped bucket's `DOWN`, by its monitor.
    Stop(Ref),
}

impl Awaited {
    fn is_answer(&self, signal: &Signal) -> bool {
        match self {
            Awaited::Registry(call) => call.is_answer(signal),
            Awaited::Bucket(call) => call.is_answer(signal),
            Awaited::Stop(mref) => call::is_answer(signal, *mref),
        }
    }

    /// The history's answer, once `signal` ended the wait.
    fn answer(self, ctx: &mut dyn Ctx, signal: Signal) -> Answer {
        let failed = |error: CallError| match error {
            CallError::Exit(reason) => Answer::Failed(reason),
            other => panic!("a client's call failed: {other}"),
        };
        match self {
            Awaited::Registry(call) => match call.finish(ctx, signal) {
                Ok(RegistryReply::Bucket(bucket)) => Answer::Bucket(bucket),
                Ok(RegistryReply::Created(_)) => Answer::Done,
                Ok(other) => panic!("a client asked the registry for no {other:?}"),
                Err(error) => failed(error),
            },
            Awaited::Bucket(call) => match call.finish(ctx, signal) {
                Ok(BucketReply::Ok) => Answer::Done,
                Ok(BucketReply::Value(value)) => Answer::Value(value),
                Err(error) => failed(error),
            },
            Awaited::Stop(mref) => {
                ctx.demonitor(mref, true);
                match signal {
                    Signal::Down { reason: Reason::Normal, .. } => Answer::Done,
                    Signal::Down { reason, .. } => Answer::Failed(reason),
                    other => unreachable!("a stop waits only for its DOWN, got {other:?}"),
                }
            }
        }
    }
}

struct Waiting {
    awaited: Awaited,
    record: usize,
    then: Then,
}

pub struct Client {
    started: bool,
    number: usize,
    registry: Pid,
    create_is_call: bool,
    script: VecDeque<Op>,
    op_index: usize,
    current: Option<Op>,
    waiting: Option<Waiting>,
    log: CallLog,
}

impl Client {
    pub fn boxed(number: usize, registry: Pid, create_is_call: bool, script: Vec<Op>, log: CallLog) -> Box<dyn Actor> {
        let script = VecDeque::from(script);
        let client = Client {
            started: false,
            number,
            registry,
            create_is_call,
            script,
            op_index: 0,
            current: None,
            waiting: None,
            log,
        };
        Box::new(client)
    }

    /// Appends a call to the log and returns its index.
    fn record(&self, ctx: &dyn Ctx, call: Call) -> usize {
        let mut log = self.log.lock().expect("the call log is never poisoned");
        let record = CallRecord {
            client: self.number,
            client_pid: ctx.me(),
            op: self.op_index,
            call,
            invoked: ctx.now(),
            returned: None,
            answer: None,
        };
        log.push(record);
        log.len() - 1
    }

    fn answer(&self, ctx: &dyn Ctx, record: usize, answer: Answer) {
        let mut log = self.log.lock().expect("the call log is never poisoned");
        log[record].returned = Some(ctx.now());
        log[record].answer = Some(answer);
    }

    fn wait(&mut self, awaited: Awaited, record: usize, then: Then) {
        self.waiting = Some(Waiting { awaited, record, then });
    }

    /// Starts operations until one has to wait for an answer, or the script ends.
    fn advance(&mut self, ctx: &mut dyn Ctx) {
        while self.waiting.is_none() {
            let Some(op) = self.script.pop_front() else { return };
            self.op_index += usize::from(self.current.is_some());
            self.current = Some(op.clone());
            let name = op.shared_name().clone();
            match op {
                Op::Create(_) if self.create_is_call => {
                    let record = self.record(ctx, Call::Create(name.clone()));
                    let call = Outstanding::start(ctx, self.registry, RegistryReq::Create(name));
                    self.wait(Awaited::Registry(call), record, Then::Done);
                }
                Op::Create(_) => {
                    let record = self.record(ctx, Call::Create(name.clone()));
                    ctx.send(self.registry, Msg::from(Cast(Msg::new(RegistryReq::Create(name)))));
                    self.answer(ctx, record, Answer::Done);
                }
                Op::Lookup(_) => self.lookup(ctx, name, Then::Done),
                _ => self.lookup(ctx, name, Then::Second),
            }
        }
    }

    fn lookup(&mut self, ctx: &mut dyn Ctx, name: Name, then: Then) {
        let record = self.record(ctx, Call::Lookup(name.clone()));
        let call = Outstanding::start(ctx, self.registry, RegistryReq::Lookup(name));
        self.wait(Awaited::Registry(call), record, then);
    }

    /// A call to `bucket`, recorded as `call`.
    fn bucket_call(&mut self, ctx: &mut dyn Ctx, bucket: Pid, req: BucketReq, call: Call) {
        let record = self.record(ctx, call);
        let call = Outstanding::start(ctx, bucket, req);
        self.wait(Awaited::Bucket(call), record, Then::Done);
    }

    /// The second call of a composite operation, on the bucket its lookup found.
    fn second(&mut self, ctx: &mut dyn Ctx, bucket: Pid) {
        let op = self.current.clone().expect("a composite operation is current");
        let name = op.shared_name().clone();
        match op {
            Op::Stop(_) => {
                let record = self.record(ctx, Call::Stop { name, bucket });
                let mref = ctx.monitor(bucket);
                ctx.request_stop(bucket, Reason::Normal);
                self.wait(Awaited::Stop(mref), record, Then::Done);
            }
            Op::Crash(_) => {
                let record = self.record(ctx, Call::Kill { name, bucket });
                ctx.exit(bucket, Reason::Kill);
                self.answer(ctx, record, Answer::Done);
            }
            Op::Put(_, key, value) => {
                let req = BucketReq::Put(Name::from_static(key), value);
                self.bucket_call(ctx, bucket, req, Call::Put { name, bucket, key, value });
            }
            Op::Get(_, key) => {
                self.bucket_call(ctx, bucket, BucketReq::Get(Name::from_static(key)), Call::Get { name, bucket, key })
            }
            Op::Create(_) | Op::Lookup(_) => unreachable!("{op} has no second call"),
        }
    }
}

impl Actor for Client {
    fn label(&self) -> Label {
        Label::interned(format_args!("client{}", self.number))
    }

    /// Its place in the script, the call it waits for, and its part of the
    /// history (calls, answers, and stamps by rank): everything a checker
    /// reads of it.
    fn fingerprint(&self, stamps: &sim::Stamps) -> Option<u64> {
        use std::fmt::Write;
        let mut h = sim::trace::Fnv1a::new();
        let _ = write!(h, "{} {} {:?} {:?};", self.started, self.op_index, self.current, self.script);
        if let Some(w) = &self.waiting {
            let _ = write!(h, "{:?} {} {:?};", w.awaited, w.record, w.then);
        }
        let log = self.log.lock().expect("the call log is never poisoned");
        for r in log.iter().filter(|r| r.client == self.number) {
            let returned = r.returned.map(|at| stamps.rank(at));
            let _ = write!(h, "{} {:?} {} {returned:?} {:?};", r.op, r.call, stamps.rank(r.invoked), r.answer);
        }
        Some(h.finish())
    }

    fn accepts(&self, signal: &Signal) -> bool {
        if !self.started {
            return signal.msg().is_some_and(Msg::is::<Go>);
        }
        self.waiting.as_ref().is_some_and(|w| w.awaited.is_answer(signal))
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if !self.started {
            self.started = true;
            return self.advance(ctx);
        }
        let Waiting { awaited, record, then } = self.waiting.take().expect("accepts only while waiting");
        let answer = awaited.answer(ctx, signal);
        self.answer(ctx, record, answer.clone());
        if let (Then::Second, Answer::Bucket(Some(bucket))) = (then, answer) {
            self.second(ctx, bucket);
        }
        self.advance(ctx);
    }
}
