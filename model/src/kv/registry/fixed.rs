//! The registry with every known race closed:
//! - `create` is a call, so it has happened when it returns;
//! - `lookup` checks `Process.alive?` and answers `:error` for a bucket that
//!   is already dead, even while its `DOWN` is still in flight;
//! - `create` over a stale entry (its bucket dead, `DOWN` not yet here)
//!   demonitors the old bucket (with flush) and starts a new one;
//! - `DOWN` removes a name only if it still maps to the bucket that went down.

use super::{bucket_child, Name, RegistryReply, RegistryReq, RegistryState};
use crate::gen_server::{CallReply, From, GenCtx, GenServer, Server};
use crate::supervisor::Started;
use sim::{Actor, Label, Pid, Ref, Signal};
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct Registry {
    sup: Pid,
    /// name -> (bucket, its monitor)
    names: BTreeMap<Name, (Pid, Ref)>,
    refs: BTreeMap<Ref, Name>,
}

impl Registry {
    pub fn boxed(sup: Pid) -> Box<dyn Actor> {
        Server::boxed(Registry { sup, names: BTreeMap::new(), refs: BTreeMap::new() })
    }

    /// The live bucket for `name`, if any.
    fn live(&self, name: &str, ctx: &GenCtx<'_, Self>) -> Option<Pid> {
        self.names.get(name).map(|&(pid, _)| pid).filter(|&pid| ctx.is_alive(pid))
    }

    fn forget(&mut self, name: &str, ctx: &mut GenCtx<'_, Self>) {
        if let Some((_, mref)) = self.names.remove(name) {
            ctx.demonitor(mref, true);
            self.refs.remove(&mref);
        }
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

    fn handle_call(&mut self, req: RegistryReq, from: From, ctx: &mut GenCtx<'_, Self>) -> CallReply<RegistryReply> {
        match req {
            RegistryReq::Lookup(name) => CallReply::Reply(RegistryReply::Bucket(self.live(&name, ctx))),
            RegistryReq::State => {
                let names = self.names.iter().map(|(name, &(pid, _))| (name.clone(), pid)).collect();
                let monitored = Some(self.refs.values().cloned().collect());
                CallReply::Reply(RegistryReply::State(RegistryState { names, monitored }))
            }
            RegistryReq::Create(name) => {
                if let Some(pid) = self.live(&name, ctx) {
                    return CallReply::Reply(RegistryReply::Created(pid));
                }
                self.forget(&name, ctx);
                ctx.call_fingerprinted(
                    self.sup,
                    bucket_child(&name),
                    (name.clone(), from),
                    move |this, answer, ctx| {
                        let Started(pid) = answer.expect("{:ok, pid} = start_child");
                        let mref = ctx.monitor(pid);
                        this.refs.insert(mref, name.clone());
                        this.names.insert(name, (pid, mref));
                        ctx.reply(from, RegistryReply::Created(pid));
                    },
                );
                CallReply::NoReply
            }
        }
    }

    fn handle_info(&mut self, info: Signal, _ctx: &mut GenCtx<'_, Self>) {
        if let Signal::Down { mref, pid, .. } = info {
            if let Some(name) = self.refs.remove(&mref) {
                if self.names.get(&name).is_some_and(|&(current, _)| current == pid) {
                    self.names.remove(&name);
                }
            }
        }
    }
}
