//! The layers stay apart: no generic module names a subject's types or
//! words, in code, comments or tests alike. Generic means everything in
//! `sim/src`, the OTP behaviours of `model/src` (everything but the KV
//! store's actors in `model/src/kv/` and the crate root that re-exports
//! them), and everything in `properties/src` but the subjects' own folders
//! (`properties/src/kv/`).

use std::fs;
use std::path::{Path, PathBuf};

/// Words of the KV subject that generic code must not contain (matched
/// case-insensitively, except the type names, matched as whole words).
const WORDS: [&str; 2] = ["bucket", "registry"];
const TYPES: [&str; 4] = ["Variant", "Kv", "KvProperty", "RegistryReq"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf()
}

/// Every `.rs` file under `dir`, but those under a path in `skip`.
fn sources(dir: &Path, skip: &[PathBuf], out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("a directory entry").path();
        if skip.iter().any(|s| path.starts_with(s)) {
            continue;
        }
        if path.is_dir() {
            sources(&path, skip, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `line` holds `word` as a whole identifier.
fn has_identifier(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        let before = line[..at].chars().next_back().is_none_or(|c| !is_word_char(c));
        let after = line[at + word.len()..].chars().next().is_none_or(|c| !is_word_char(c));
        before && after
    })
}

/// The offending lines of `text`, as `line number: text`.
fn offences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        let word = WORDS.iter().find(|w| lower.contains(*w));
        let ty = TYPES.iter().find(|t| has_identifier(line, t));
        if let Some(bad) = word.or(ty) {
            found.push(format!("{}: {bad}: {}", n + 1, line.trim()));
        }
    }
    found
}

#[test]
fn no_generic_module_names_a_subject() {
    let root = root();
    let mut files = Vec::new();
    sources(&root.join("sim/src"), &[], &mut files);
    sources(&root.join("properties/src"), &[root.join("properties/src/kv")], &mut files);
    let model_kv = [root.join("model/src/kv")];
    sources(&root.join("model/src"), &model_kv, &mut files);
    files.retain(|f| f != &root.join("model/src/lib.rs"));
    assert!(files.len() > 40, "found only {} generic files: is the layout what this test expects?", files.len());
    let mut report = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("a readable source");
        for offence in offences(&text) {
            report.push(format!("{}:{offence}", file.strip_prefix(&root).unwrap_or(&file).display()));
        }
    }
    assert!(report.is_empty(), "generic modules name a subject:\n{}", report.join("\n"));
}

#[test]
fn the_check_sees_each_kind_of_offence() {
    assert_eq!(offences("let b = bucket(a);").len(), 1);
    assert_eq!(offences("// the Registry").len(), 1);
    assert_eq!(offences("use model::Variant;").len(), 1);
    assert_eq!(offences("fn f(s: Kv) {}").len(), 1);
    assert!(offences("let kvsim = Kvs; // a variant of it").is_empty());
}
