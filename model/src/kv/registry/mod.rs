//! The seed's `KV.Registry`, stage by stage, and its client API.
//!
//! Four variants, one file each, each a port of one stage of the guide (the
//! README's variant table says what each must and must not break):
//! - [`unmonitored`]: `create` is a cast, buckets started linked, no monitors;
//! - [`linked`]: monitors and `handle_info(DOWN)`, buckets still linked;
//! - [`monitored`]: as `linked`, buckets started under a supervisor instead;
//! - [`fixed`]: `create` is a call, `lookup` never answers a dead bucket, a
//!   stale entry is replaced on `create`.
//!
//! Every variant answers the same requests, so clients and properties need
//! not know which one they talk to, except for how `create` is sent.

pub mod fixed;
pub mod linked;
pub mod monitored;
pub mod unmonitored;

use crate::bucket::Bucket;
use crate::gen_server::{self, Request};
pub use crate::kv::Name;
use crate::supervisor::{StartChild, Supervisor};
use sim::{CallError, Driver, Label, Pid, RunError};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A registry request.
#[derive(Debug)]
pub enum RegistryReq {
    /// `{:lookup, name}`: answers `Option<Pid>` (`{:ok, pid}` or `:error`).
    Lookup(Name),
    /// `{:create, name}`: a cast, except for [`Variant::Fixed`], where it is a
    /// call answering the bucket's `Pid`.
    Create(Name),
    /// Introspection (`:sys.get_state`): answers a [`RegistryState`]. Not part
    /// of the seed's API; properties use it once the system is at rest.
    State,
}

/// A registry's replies, one per request.
#[derive(Clone, PartialEq, Eq)]
pub enum RegistryReply {
    /// To `Lookup`: the bucket, if the name has one.
    Bucket(Option<Pid>),
    /// To `Create` (a call for [`Variant::Fixed`]): the name's bucket.
    Created(Pid),
    /// To `State`.
    State(RegistryState),
}

impl Request for RegistryReq {
    type Reply = RegistryReply;
}

impl RegistryReply {
    /// A lookup's answer.
    pub fn bucket(self) -> Result<Option<Pid>, CallError> {
        match self {
            RegistryReply::Bucket(bucket) => Ok(bucket),
            other => Err(bad(other)),
        }
    }

    /// A create call's answer.
    pub fn created(self) -> Result<Pid, CallError> {
        match self {
            RegistryReply::Created(pid) => Ok(pid),
            other => Err(bad(other)),
        }
    }

    /// A state request's answer.
    pub fn state(self) -> Result<RegistryState, CallError> {
        match self {
            RegistryReply::State(state) => Ok(state),
            other => Err(bad(other)),
        }
    }
}

fn bad(reply: RegistryReply) -> CallError {
    CallError::BadReply(format!("{reply:?}"))
}

/// Prints as the value alone (`Some(<4>)`, `<4>`, `RegistryState { .. }`),
/// as the seed's answers and every recorded trace print it.
impl fmt::Debug for RegistryReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryReply::Bucket(bucket) => fmt::Debug::fmt(bucket, f),
            RegistryReply::Created(pid) => fmt::Debug::fmt(pid, f),
            RegistryReply::State(state) => fmt::Debug::fmt(state, f),
        }
    }
}

/// What a registry holds, for `clean-at-rest`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryState {
    /// name -> bucket.
    pub names: BTreeMap<Name, Pid>,
    /// The names its monitor map leads to, for variants that monitor.
    pub monitored: Option<BTreeSet<Name>>,
}

/// Which stage of the seed's registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    Unmonitored,
    Linked,
    Monitored,
    Fixed,
}

impl Variant {
    pub const ALL: [Variant; 4] = [Variant::Unmonitored, Variant::Linked, Variant::Monitored, Variant::Fixed];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Unmonitored => "unmonitored",
            Variant::Linked => "linked",
            Variant::Monitored => "monitored",
            Variant::Fixed => "fixed",
        }
    }

    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Whether this variant needs a bucket supervisor.
    pub fn supervised(self) -> bool {
        matches!(self, Variant::Monitored | Variant::Fixed)
    }

    /// Whether `create` is a call (answered) rather than a cast.
    pub fn create_is_call(self) -> bool {
        self == Variant::Fixed
    }

    /// Starts the registry (and its bucket supervisor, for the variants that have one).
    pub fn start(self, d: &mut impl Driver) -> Result<Registry, RunError> {
        let sup = if self.supervised() { Some(d.spawn(Supervisor::boxed())?) } else { None };
        let actor = match self {
            Variant::Unmonitored => unmonitored::Registry::boxed(),
            Variant::Linked => linked::Registry::boxed(),
            Variant::Monitored => monitored::Registry::boxed(sup.expect("supervised")),
            Variant::Fixed => fixed::Registry::boxed(sup.expect("supervised")),
        };
        let pid = d.spawn(actor)?;
        Ok(Registry { pid, sup, variant: self })
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A started registry, as test code holds it.
#[derive(Clone, Copy, Debug)]
pub struct Registry {
    pub pid: Pid,
    /// The bucket supervisor, for supervised variants.
    pub sup: Option<Pid>,
    pub variant: Variant,
}

impl Registry {
    /// `KV.Registry.lookup(registry, name)`.
    pub fn lookup(&self, d: &mut impl Driver, name: impl Into<Name>) -> Result<Option<Pid>, CallError> {
        gen_server::call(d, self.pid, RegistryReq::Lookup(name.into()))?.bucket()
    }

    /// The registry's maps (`:sys.get_state`).
    pub fn state(&self, d: &mut impl Driver) -> Result<RegistryState, CallError> {
        gen_server::call(d, self.pid, RegistryReq::State)?.state()
    }

    /// `KV.Registry.create(registry, name)`: a cast, or a call for `fixed`.
    pub fn create(&self, d: &mut impl Driver, name: impl Into<Name>) -> Result<(), CallError> {
        let req = RegistryReq::Create(name.into());
        if self.variant.create_is_call() {
            gen_server::call(d, self.pid, req)?.created().map(drop)
        } else {
            Ok(gen_server::cast(d, self.pid, req)?)
        }
    }
}

/// `DynamicSupervisor.start_child(sup, KV.Bucket)`'s request for the bucket of `name`.
pub(crate) fn bucket_child(name: &Name) -> StartChild {
    let owned = name.clone();
    StartChild { label: Label::interned(format_args!("bucket({name})")), build: Box::new(move || Bucket::named(owned)) }
}
