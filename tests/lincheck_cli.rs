//! `kvsim lincheck` on the histories in `tests/histories/`: its answer, its
//! exit code, the offending lines, and one stderr line for malformed input.

mod common;

use common::kvsim;

fn lincheck(file: &str, model: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let path = format!("{}/tests/histories/{file}", env!("CARGO_MANIFEST_DIR"));
    let output = kvsim(&[&["lincheck", &path, "--model", model][..], extra].concat());
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn linearizable_histories_exit_0() {
    for (file, model) in [
        ("register-ok.edn", "register"),
        ("register-info-happened.log", "register"),
        ("register-info-not-happened.log", "register"),
        ("register-info-many.log", "register"),
        ("kv-ok.edn", "kv"),
    ] {
        let (code, stdout, stderr) = lincheck(file, model, &[]);
        assert_eq!(code, Some(0), "{file}: {stdout}{stderr}");
        assert!(stdout.starts_with("linearizable: "), "{file}: {stdout}");
    }
}

#[test]
fn violations_exit_1_and_name_the_offending_lines() {
    for (file, model, lines) in [
        ("register-stale-read.edn", "register", &["lines 5-6"][..]),
        ("register-cas-fail-bad.edn", "register", &["lines 1-2", "lines 3-4"][..]),
        ("register-info-twice-bad.log", "register", &["lines 5-6", "could not place lines 7-8"][..]),
        ("register-greedy-read-bad.edn", "register", &["could not place lines 6-7"][..]),
        ("register-info-many-bad.log", "register", &["could not place lines 43-44"][..]),
        ("kv-cross-key-bad.log", "kv", &["(key \"x\")", "lines 5-6"][..]),
    ] {
        let (code, stdout, _) = lincheck(file, model, &[]);
        assert_eq!(code, Some(1), "{file}: {stdout}");
        assert!(stdout.starts_with("not linearizable"), "{file}: {stdout}");
        for line in lines {
            assert!(stdout.contains(line), "{file}: no {line:?} in\n{stdout}");
        }
    }
}

#[test]
fn the_model_matters() {
    // The same events under the wrong model are malformed, not a verdict.
    let (code, _, stderr) = lincheck("kv-ok.edn", "register", &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(":1: the register has read, write and cas"), "{stderr}");
}

#[test]
fn malformed_input_is_one_stderr_line_naming_the_line() {
    for (file, at) in
        [("malformed-line-2.edn", ":2: "), ("malformed-line-2.log", ":2: "), ("missing.edn", "cannot read")]
    {
        let (code, stdout, stderr) = lincheck(file, "register", &[]);
        assert_eq!(code, Some(2), "{file}: {stdout}{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{file}: {stderr}");
        assert!(stderr.starts_with("kvsim: ") && stderr.contains(at), "{file}: {stderr}");
    }
}

#[test]
fn a_spent_budget_exits_3_and_says_so() {
    let (code, stdout, _) = lincheck("register-info-twice-bad.log", "register", &["--budget", "1"]);
    assert_eq!(code, Some(3), "{stdout}");
    assert!(stdout.starts_with("unknown: the search budget"), "{stdout}");
}

#[test]
fn twenty_lost_writes_answer_at_once() {
    // Twenty writes of distinct values that all timed out, then a read of a
    // value none of them wrote: every order of the writes is a different
    // state of the search, unless an unknown write is only placed right
    // before an operation that sees it. The budget is far below 20!.
    let (code, stdout, _) = lincheck("register-info-many-bad.log", "register", &["--budget", "100000"]);
    assert_eq!(code, Some(1), "{stdout}");
}
