//! The seed's monitoring `KV.Registry`: buckets are monitored and forgotten on
//! `DOWN`, but still started with `start_link`, and `create` is still a cast.
//! A crashed bucket takes the registry down through the link; a lookup can
//! overtake a `DOWN` in flight and answer a dead bucket.

use super::{Name, RegistryReply, RegistryReq, RegistryState};
use crate::bucket::Bucket;
use crate::gen_server::{CallReply, From, GenCtx, GenServer, Server};
use sim::{Actor, Label, Pid, Ref, Signal};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Registry {
    names: BTreeMap<Name, Pid>,
    refs: BTreeMap<Ref, Name>,
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

    fn handle_call(&mut self, req: RegistryReq, _from: From, _ctx: &mut GenCtx<'_, Self>) -> CallReply<RegistryReply> {
        match req {
            RegistryReq::Lookup(name) => CallReply::Reply(RegistryReply::Bucket(self.names.get(&name).copied())),
            RegistryReq::State => CallReply::Reply(RegistryReply::State(RegistryState {
                names: self.names.clone(),
                monitored: Some(self.refs.values().cloned().collect()),
            })),
            other => panic!("registry: no handle_call clause for {other:?}"),
        }
    }

    fn handle_cast(&mut self, req: RegistryReq, ctx: &mut GenCtx<'_, Self>) {
        if let RegistryReq::Create(name) = req {
            if !self.names.contains_key(&name) {
                let pid = ctx.spawn_link(Bucket::named(name.clone()));
                let mref = ctx.monitor(pid);
                self.refs.insert(mref, name.clone());
                self.names.insert(name, pid);
            }
        }
    }

    // def handle_info({:DOWN, ref, :process, _pid, _reason}, {names, refs})
    fn handle_info(&mut self, info: Signal, _ctx: &mut GenCtx<'_, Self>) {
        if let Signal::Down { mref, .. } = info {
            if let Some(name) = self.refs.remove(&mref) {
                self.names.remove(&name);
            }
        }
    }
}
