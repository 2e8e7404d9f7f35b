//! The seed's monitoring `KV.Registry`: buckets are monitored and forgotten on
//! `DOWN`, but still started with `start_link`, and `create` is still a cast.
//! A crashed bucket takes the registry down through the link; a lookup can
//! overtake a `DOWN` in flight and answer a dead bucket.

use super::{RegistryReq, RegistryState};
use crate::bucket::Bucket;
use crate::gen_server::{expect_req, CallReply, From, GenCtx, GenServer, Server};
use sim::{Actor, Msg, Pid, Ref, Signal};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Registry {
    names: BTreeMap<String, Pid>,
    refs: BTreeMap<Ref, String>,
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

    fn handle_call(&mut self, req: Msg, _from: From, _ctx: &mut GenCtx<'_, Self>) -> CallReply {
        match expect_req::<RegistryReq>(req, "registry") {
            RegistryReq::Lookup(name) => CallReply::Reply(Msg::new(self.names.get(&name).copied())),
            RegistryReq::State => CallReply::Reply(Msg::new(RegistryState {
                names: self.names.clone(),
                monitored: Some(self.refs.values().cloned().collect()),
            })),
            other => panic!("registry: no handle_call clause for {other:?}"),
        }
    }

    fn handle_cast(&mut self, req: Msg, ctx: &mut GenCtx<'_, Self>) {
        if let RegistryReq::Create(name) = expect_req::<RegistryReq>(req, "registry") {
            if !self.names.contains_key(&name) {
                let pid = ctx.spawn_link(Bucket::named(&name));
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
