//! The seed's `KV.Bucket`: an Agent holding a map from keys to values.
//!
//! `put` and `get` are calls (an Agent's `update` and `get` both are), so a
//! bucket's answers follow the order in which it handled them: a linearizable
//! register per key for as long as the bucket lives.

use crate::gen_server::{self, CallReply, From, GenCtx, GenServer, Server};
use sim::{Actor, CallError, Driver, Msg, Pid};
use std::collections::BTreeMap;

/// A bucket's requests.
#[derive(Debug)]
pub enum BucketReq {
    Put(String, i64),
    Get(String),
}

/// The Agent's state. `name` only labels traces (`bucket(a)`); the seed's
/// buckets have no name of their own.
#[derive(Debug, Default)]
pub struct Bucket {
    name: Option<String>,
    map: BTreeMap<String, i64>,
}

impl Bucket {
    /// `KV.Bucket.start_link`'s process, labelled with the name it serves.
    pub fn named(name: &str) -> Box<dyn Actor> {
        Server::boxed(Bucket { name: Some(name.to_string()), map: BTreeMap::new() })
    }
}

impl GenServer for Bucket {
    fn fingerprint(&self) -> Option<u64> {
        gen_server::debug_fingerprint(self)
    }

    fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("bucket({name})"),
            None => "bucket".to_string(),
        }
    }

    fn handle_call(&mut self, req: Msg, _from: From, _ctx: &mut GenCtx<'_, Self>) -> CallReply {
        match gen_server::expect_req::<BucketReq>(req, "bucket") {
            BucketReq::Put(key, value) => {
                self.map.insert(key, value);
                CallReply::Reply(Msg::new(()))
            }
            BucketReq::Get(key) => CallReply::Reply(Msg::new(self.map.get(&key).copied())),
        }
    }
}

/// `KV.Bucket.put(bucket, key, value)`.
pub fn put(d: &mut impl Driver, bucket: Pid, key: &str, value: i64) -> Result<(), CallError> {
    gen_server::call::<()>(d, bucket, BucketReq::Put(key.to_string(), value))
}

/// `KV.Bucket.get(bucket, key)`.
pub fn get(d: &mut impl Driver, bucket: Pid, key: &str) -> Result<Option<i64>, CallError> {
    gen_server::call::<Option<i64>>(d, bucket, BucketReq::Get(key.to_string()))
}
