//! The seed's `KV.Bucket`: an Agent holding a map from keys to values.
//!
//! `put` and `get` are calls (an Agent's `update` and `get` both are), so a
//! bucket's answers follow the order in which it handled them: a linearizable
//! register per key for as long as the bucket lives.

use crate::gen_server::{self, CallReply, From, GenCtx, GenServer, Request, Server};
use crate::kv::Name;
use sim::{Actor, CallError, Driver, Label, Pid};
use std::collections::BTreeMap;
use std::fmt;

/// A bucket's requests.
#[derive(Debug)]
pub enum BucketReq {
    Put(Name, i64),
    Get(Name),
}

/// A bucket's replies: `:ok` to a put, the value (if any) to a get.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BucketReply {
    Ok,
    Value(Option<i64>),
}

impl Request for BucketReq {
    type Reply = BucketReply;
}

impl BucketReply {
    /// A put's answer.
    pub fn stored(self) -> Result<(), CallError> {
        match self {
            BucketReply::Ok => Ok(()),
            other => Err(CallError::BadReply(format!("{other:?}"))),
        }
    }

    /// A get's answer.
    pub fn value(self) -> Result<Option<i64>, CallError> {
        match self {
            BucketReply::Value(value) => Ok(value),
            other => Err(CallError::BadReply(format!("{other:?}"))),
        }
    }
}

/// Prints as the Agent's own answers, `()` and the value, as traces always showed them.
impl fmt::Debug for BucketReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BucketReply::Ok => fmt::Debug::fmt(&(), f),
            BucketReply::Value(value) => fmt::Debug::fmt(value, f),
        }
    }
}

/// The Agent's state. `name` only labels traces (`bucket(a)`); the seed's
/// buckets have no name of their own.
#[derive(Debug, Default)]
pub struct Bucket {
    name: Option<Name>,
    map: BTreeMap<Name, i64>,
}

impl Bucket {
    /// `KV.Bucket.start_link`'s process, labelled with the name it serves.
    pub fn named(name: impl Into<Name>) -> Box<dyn Actor> {
        Server::boxed(Bucket { name: Some(name.into()), map: BTreeMap::new() })
    }
}

impl GenServer for Bucket {
    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        gen_server::debug_fingerprint(self)
    }

    type Req = BucketReq;

    fn label(&self) -> Label {
        match &self.name {
            Some(name) => Label::interned(format_args!("bucket({name})")),
            None => Label::from_static("bucket"),
        }
    }

    fn handle_call(&mut self, req: BucketReq, _from: From, _ctx: &mut GenCtx<'_, Self>) -> CallReply<BucketReply> {
        match req {
            BucketReq::Put(key, value) => {
                self.map.insert(key, value);
                CallReply::Reply(BucketReply::Ok)
            }
            BucketReq::Get(key) => CallReply::Reply(BucketReply::Value(self.map.get(&key).copied())),
        }
    }
}

/// `KV.Bucket.put(bucket, key, value)`.
pub fn put(d: &mut impl Driver, bucket: Pid, key: impl Into<Name>, value: i64) -> Result<(), CallError> {
    gen_server::call(d, bucket, BucketReq::Put(key.into(), value))?.stored()
}

/// `KV.Bucket.get(bucket, key)`.
pub fn get(d: &mut impl Driver, bucket: Pid, key: impl Into<Name>) -> Result<Option<i64>, CallError> {
    gen_server::call(d, bucket, BucketReq::Get(key.into()))?.value()
}
