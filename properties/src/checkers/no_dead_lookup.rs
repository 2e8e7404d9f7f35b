//! TODO

use crate::history::History;

pub fn check(_history: &History) -> Option<String> {
    None
}
