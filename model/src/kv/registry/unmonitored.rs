//! The seed's first `KV.Registry`: a map from names to buckets started with
//! `start_link`, no monitors. A stopped bucket stays in the map for ever; a
//! crashed one takes the registry down through the link.

use super::{Name, RegistryReply, RegistryReq, RegistryState};
use crate::bucket::Bucket;
use crate::gen_server::{CallReply, From, GenCtx, GenServer, Server};
use sim::{Actor, Label, Pid};
use std::collections::btree_map::{BTreeMap, Entry};

#[derive(Debug, Default)]
pub struct Registry {
    names: BTreeMap<Name, Pid>,
}

impl Registry {
    pub fn boxed() -> Box<dyn Actor> {
        Server::boxed(Registry::default())
    }
}

impl GenServer for Registry {
    type Req = RegistryReq;

    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        crate::gen_server::debug_fingerprint(self)
    }

    fn label(&self) -> Label {
        Label::from_static("registry")
    }

    // def handle_call({:lookup, name}, _from, names), do: {:reply, Map.fetch(names, name), names}
    fn handle_call(&mut self, req: RegistryReq, _from: From, _ctx: &mut GenCtx<'_, Self>) -> CallReply<RegistryReply> {
        match req {
            RegistryReq::Lookup(name) => CallReply::Reply(RegistryReply::Bucket(self.names.get(&name).copied())),
            RegistryReq::State => {
                CallReply::Reply(RegistryReply::State(RegistryState { names: self.names.clone(), monitored: None }))
            }
            other => panic!("registry: no handle_call clause for {other:?}"),
        }
    }

    // def handle_cast({:create, name}, names): start_link a bucket unless the name is taken.
    fn handle_cast(&mut self, req: RegistryReq, ctx: &mut GenCtx<'_, Self>) {
        if let RegistryReq::Create(name) = req {
            if let Entry::Vacant(entry) = self.names.entry(name) {
                let bucket = ctx.spawn_link(Bucket::named(entry.key().clone()));
                entry.insert(bucket);
            }
        }
    }
}
