//! Writing to stdout. `println!` panics when a write fails (`kvsim replay T >
//! /dev/full`: exit 101 and a backtrace); [`out!`] and [`outln!`] instead end
//! the process the way every other bad outcome ends: one line on stderr and
//! exit code 2. A closed pipe (`kvsim list | head -1`) ends it quietly: on
//! Unix `main` restores `SIGPIPE`'s default, as other command-line tools
//! have it; elsewhere a broken pipe exits 0 without a word.

use std::fmt;
use std::io::{self, Write};

/// Writes `args` to stdout and flushes, or ends the process (see the module doc).
pub fn write(args: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(error) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        fail(&error);
    }
}

fn fail(error: &io::Error) -> ! {
    if error.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("kvsim: cannot write to stdout: {error}");
    std::process::exit(2)
}

/// `print!` that never panics: a failed write is one line on stderr and exit 2.
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write(format_args!($($arg)*)) };
}

/// `println!` that never panics: a failed write is one line on stderr and exit 2.
macro_rules! outln {
    () => { $crate::output::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::write(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {out, outln};
