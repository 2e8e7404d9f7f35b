//! The client process: runs one workload script against a registry and
//! stamps every call in the shared history log.
//!
//! A client is a plain [`Actor`] with one call outstanding at most; it waits
//! with selective receive ([`Actor::accepts`]) for that call's reply or its
//! callee's `DOWN`, as `GenServer.call` does. Composite operations (stop,
//! crash, put, get) are a lookup, then, if it found a bucket, a second call.

use crate::history::{Answer, Call, CallRecord};
use crate::workload::{Op, KEY};
use model::bucket::BucketReq;
use model::gen_server::Cast;
use model::registry::RegistryReq;
use sim::call::{self, Reply};
use sim::{Actor, Ctx, Msg, Pid, Reason, Ref, Signal};
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

struct Waiting {
    tag: Ref,
    record: usize,
    then: Then,
}

/// The driver's signal that all clients exist and may start: sent to each
/// client separately, so no client is ahead of another by construction.
#[derive(Debug)]
pub struct Go;

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

    fn call(&mut self, ctx: &mut dyn Ctx, to: Pid, req: Msg, call: Call, then: Then) {
        let record = self.record(ctx, call);
        let tag = call::start(ctx, to, req);
        self.waiting = Some(Waiting { tag, record, then });
    }

    /// Starts operations until one has to wait for an answer, or the script ends.
    fn advance(&mut self, ctx: &mut dyn Ctx) {
        while self.waiting.is_none() {
            let Some(op) = self.script.pop_front() else { return };
            self.op_index += usize::from(self.current.is_some());
            self.current = Some(op.clone());
            let name = op.name().to_string();
            match op {
                Op::Create(_) if self.create_is_call => {
                    let req = Msg::new(RegistryReq::Create(name.clone()));
                    self.call(ctx, self.registry, req, Call::Create(name), Then::Done);
                }
                Op::Create(_) => {
                    let record = self.record(ctx, Call::Create(name.clone()));
                    ctx.send(self.registry, Msg::new(Cast(Msg::new(RegistryReq::Create(name)))));
                    self.answer(ctx, record, Answer::Done);
                }
                Op::Lookup(_) => self.lookup(ctx, name, Then::Done),
                _ => self.lookup(ctx, name, Then::Second),
            }
        }
    }

    fn lookup(&mut self, ctx: &mut dyn Ctx, name: String, then: Then) {
        let req = Msg::new(RegistryReq::Lookup(name.clone()));
        self.call(ctx, self.registry, req, Call::Lookup(name), then);
    }

    /// The second call of a composite operation, on the bucket its lookup found.
    fn second(&mut self, ctx: &mut dyn Ctx, bucket: Pid) {
        let op = self.current.clone().expect("a composite operation is current");
        let name = op.name().to_string();
        match op {
            Op::Stop(_) => {
                let record = self.record(ctx, Call::Stop { name, bucket });
                let tag = ctx.monitor(bucket);
                ctx.request_stop(bucket, Reason::Normal);
                self.waiting = Some(Waiting { tag, record, then: Then::Done });
            }
            Op::Crash(_) => {
                let record = self.record(ctx, Call::Kill { name, bucket });
                ctx.exit(bucket, Reason::Kill);
                self.answer(ctx, record, Answer::Done);
            }
            Op::Put(_, value) => {
                let req = Msg::new(BucketReq::Put(KEY.to_string(), value));
                self.call(ctx, bucket, req, Call::Put { name, bucket, value }, Then::Done);
            }
            Op::Get(_) => {
                let req = Msg::new(BucketReq::Get(KEY.to_string()));
                self.call(ctx, bucket, req, Call::Get { name, bucket }, Then::Done);
            }
            Op::Create(_) | Op::Lookup(_) => unreachable!("{op} has no second call"),
        }
    }
}

/// Turns the signal that ended a call into the history's answer.
fn to_answer(signal: Signal, call: &Call) -> Answer {
    match signal {
        Signal::Down { reason, .. } if matches!(call, Call::Stop { .. }) && reason == Reason::Normal => Answer::Done,
        Signal::Down { reason, .. } => Answer::Failed(reason),
        Signal::Message { msg, .. } => {
            let value = msg.downcast::<Reply>().expect("only replies are accepted").value;
            match call {
                Call::Lookup(_) => {
                    Answer::Bucket(*value.downcast_ref::<Option<Pid>>().expect("lookup answers Option<Pid>"))
                }
                Call::Get { .. } => {
                    Answer::Value(*value.downcast_ref::<Option<i64>>().expect("get answers Option<i64>"))
                }
                _ => Answer::Done,
            }
        }
        other => unreachable!("a client accepts only answers, got {other:?}"),
    }
}

impl Actor for Client {
    fn label(&self) -> String {
        format!("client{}", self.number)
    }

    /// Its place in the script, the call it waits for, and its part of the
    /// history (calls, answers and stamps): everything a checker reads of it.
    fn fingerprint(&self) -> Option<u64> {
        let waiting = self.waiting.as_ref().map(|w| (w.tag, w.record, format!("{:?}", w.then)));
        let log = self.log.lock().expect("the call log is never poisoned");
        let mine: Vec<&CallRecord> = log.iter().filter(|r| r.client == self.number).collect();
        let text =
            format!("{} {} {:?} {:?} {waiting:?} {mine:?}", self.started, self.op_index, self.current, self.script);
        Some(sim::trace::fnv1a(text.as_bytes()))
    }

    fn accepts(&self, signal: &Signal) -> bool {
        if !self.started {
            return signal.msg().is_some_and(Msg::is::<Go>);
        }
        self.waiting.as_ref().is_some_and(|w| call::is_answer(signal, w.tag))
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if !self.started {
            self.started = true;
            return self.advance(ctx);
        }
        let Waiting { tag, record, then } = self.waiting.take().expect("accepts only while waiting");
        ctx.demonitor(tag, true);
        let call = self.log.lock().expect("the call log is never poisoned")[record].call.clone();
        let answer = to_answer(signal, &call);
        self.answer(ctx, record, answer.clone());
        if let (Then::Second, Answer::Bucket(Some(bucket))) = (then, answer) {
            self.second(ctx, bucket);
        }
        self.advance(ctx);
    }
}
