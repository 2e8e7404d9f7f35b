//! The guide's supervised `KV.Registry` with `create` still a cast: buckets
//! are started by the bucket supervisor (not linked to the registry) and
//! monitored. Under `spec` delivery, a lookup can overtake a `DOWN` in flight
//! and answer a dead bucket, and a `create` is swallowed by a dead bucket's
//! stale entry; under `instant` delivery it holds.

use super::{bucket_child, Name, RegistryReply, RegistryReq, RegistryState};
use crate::gen_server::{CallReply, From, GenCtx, GenServer, Server};
use crate::supervisor::Started;
use sim::{Actor, Label, Pid, Ref, Signal};
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct Registry {
    sup: Pid,
    names: BTreeMap<Name, Pid>,
    refs: BTreeMap<Ref, Name>,
}

impl Registry {
    pub fn boxed(sup: Pid) -> Box<dyn Actor> {
        Server::boxed(Registry { sup, names: BTreeMap::new(), refs: BTreeMap::new() })
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
        let RegistryReq::Create(name) = req else { return };
        if self.names.contains_key(&name) {
            return;
        }
        // {:ok, pid} = DynamicSupervisor.start_child(KV.BucketSupervisor, KV.Bucket)
        ctx.call_fingerprinted(self.sup, bucket_child(&name), name.clone(), move |this, answer, ctx| {
            let Started(pid) = answer.expect("{:ok, pid} = start_child");
            let mref = ctx.monitor(pid);
            this.refs.insert(mref, name.clone());
            this.names.insert(name, pid);
        });
    }

    fn handle_info(&mut self, info: Signal, _ctx: &mut GenCtx<'_, Self>) {
        if let Signal::Down { mref, .. } = info {
            if let Some(name) = self.refs.remove(&mref) {
                self.names.remove(&name);
            }
        }
    }
}
