//! The seed's first `KV.Registry`: a map from names to buckets started with
//! `start_link`, no monitors. A stopped bucket stays in the map for ever; a
//! crashed one takes the registry down through the link.

use super::{RegistryReq, RegistryState};
use crate::bucket::Bucket;
use crate::gen_server::{expect_req, CallReply, From, GenCtx, GenServer, Server};
use sim::{Actor, Msg, Pid};
use std::collections::btree_map::{BTreeMap, Entry};

#[derive(Debug, Default)]
pub struct Registry {
    names: BTreeMap<String, Pid>,
}

impl Registry {
    pub fn boxed() -> Box<dyn Actor> {
        Server::boxed(Registry::default())
    }
}

impl GenServer for Registry {
    fn fingerprint(&self) -> Option<u64> {
        crate::gen_server::debug_fingerprint(self)
    }

    fn label(&self) -> String {
        "registry".to_string()
    }

    // def handle_call({:lookup, name}, _from, names), do: {:reply, Map.fetch(names, name), names}
    fn handle_call(&mut self, req: Msg, _from: From, _ctx: &mut GenCtx<'_, Self>) -> CallReply {
        match expect_req::<RegistryReq>(req, "registry") {
            RegistryReq::Lookup(name) => CallReply::Reply(Msg::new(self.names.get(&name).copied())),
            RegistryReq::State => {
                CallReply::Reply(Msg::new(RegistryState { names: self.names.clone(), monitored: None }))
            }
            other => panic!("registry: no handle_call clause for {other:?}"),
        }
    }

    // def handle_cast({:create, name}, names): start_link a bucket unless the name is taken.
    fn handle_cast(&mut self, req: Msg, ctx: &mut GenCtx<'_, Self>) {
        if let RegistryReq::Create(name) = expect_req::<RegistryReq>(req, "registry") {
            if let Entry::Vacant(entry) = self.names.entry(name) {
                let bucket = ctx.spawn_link(Bucket::named(entry.key()));
                entry.insert(bucket);
            }
        }
    }
}
