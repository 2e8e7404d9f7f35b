//! The KV store of the "Mix and OTP" guide: its actors, on the behaviours
//! of this crate. `bucket` is the Agent-style `KV.Bucket`; `registry` holds
//! the four registry variants (one file each) and their client API; `Name`
//! is the shared text of bucket names and keys.

pub mod bucket;
mod name;
pub mod registry;

pub use name::Name;
