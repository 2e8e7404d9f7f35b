//! The subjects the command line knows: one line per subject in [`TABLE`].
//!
//! A subject is a family of variants (the KV registry's four designs, the
//! bank example's racy and locked transfers), each a
//! [`Subject`](properties::Subject) whose types [`erase`] hides, so that
//! `list`, `check`, `replay`, the hunt and `bench` serve every one of them
//! alike. A variant's name is `family.variant`; a family's first variant is
//! the one `--subject FAMILY` checks when `--variant` is not given.

use properties::dynamic::{erase, DynOp, DynSubject};
use properties::kv::Kv;
use properties::token::{decode_any, Token, TokenError};

#[path = "../examples/bank.rs"]
#[allow(dead_code)]
mod bank;

/// A family of variants.
pub struct Family {
    pub name: &'static str,
    pub about: &'static str,
    pub variants: fn() -> Vec<DynSubject>,
}

/// Every subject: add a line here (and, for a subject in its own file, the
/// `#[path]` module above) to put a new one on the command line.
pub const TABLE: &[Family] = &[
    Family {
        name: "kv",
        about: "the seed's bucket registry (Mix and OTP)",
        variants: || Kv::all().into_iter().map(erase).collect(),
    },
    Family {
        name: "bank",
        about: "account processes and tellers moving money (examples/bank.rs)",
        variants: bank::variants,
    },
];

/// The family named `name`.
pub fn family(name: &str) -> Result<&'static Family, String> {
    TABLE.iter().find(|f| f.name == name).ok_or_else(|| {
        let names: Vec<&str> = TABLE.iter().map(|f| f.name).collect();
        format!("unknown subject {name:?}; valid: {}", names.join(", "))
    })
}

/// The short name of a variant: `monitored` for `kv.monitored`.
pub fn short(subject: &DynSubject) -> String {
    use properties::Subject;
    let name = subject.name();
    name.split_once('.').map_or(name.clone(), |(_, v)| v.to_string())
}

/// The variant `variant` of family `name`, or the family's first.
pub fn find(name: &str, variant: Option<&str>) -> Result<DynSubject, String> {
    let family = family(name)?;
    let variants = (family.variants)();
    let Some(wanted) = variant else { return Ok(variants[0].clone()) };
    let found = variants.iter().find(|v| short(v) == wanted);
    found.cloned().ok_or_else(|| {
        let names: Vec<String> = variants.iter().map(short).collect();
        format!("unknown variant {wanted:?} of subject {name}; valid: {}", names.join(", "))
    })
}

/// Every variant of every family, in table order.
pub fn all() -> Vec<DynSubject> {
    TABLE.iter().flat_map(|f| (f.variants)()).collect()
}

/// The subject a token names, and the token.
pub fn decode(text: &str) -> Result<(DynSubject, Token<DynOp>), TokenError> {
    decode_any(&all(), text)
}
