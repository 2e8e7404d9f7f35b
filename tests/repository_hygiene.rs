//! The repository holds no unresolved merge: no tracked text file has a
//! conflict marker at the start of a line (a merge left two in the docs once).

use std::path::Path;
use std::process::Command;

fn tracked_files() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("git").args(["ls-files"]).current_dir(root).output();
    match output {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect(),
        // Not a git checkout (a packaged crate): nothing to check.
        _ => Vec::new(),
    }
}

#[test]
fn no_tracked_file_has_a_conflict_marker() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for file in tracked_files() {
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else { continue };
        for (n, line) in text.lines().enumerate() {
            if line.starts_with("<<<<<<< ") || line.starts_with(">>>>>>> ") || line == "<<<<<<<" || line == ">>>>>>>" {
                found.push(format!("{file}:{}: {line}", n + 1));
            }
        }
    }
    assert!(found.is_empty(), "unresolved merge conflict markers:\n{}", found.join("\n"));
}
