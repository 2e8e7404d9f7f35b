//! The KV store of the "Mix and OTP" guide: its actors, on the behaviours
//! of this crate. `bucket` is the Agent-style `KV.Bucket`; `registry` holds
//! the four registry variants (one file each) and their client API.

pub mod bucket;
pub mod registry;
