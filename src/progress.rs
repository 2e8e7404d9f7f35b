//! Progress bars for long searches: drawn on stderr, and only when stdout is
//! a terminal, so piped or redirected output (and CI logs) stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar over `total` runs; hidden unless stdout is a terminal.
pub fn bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if !std::io::stdout().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
        return bar;
    }
    let template = "{elapsed_precise} [{bar:30}] {human_pos}/{human_len} runs, {per_sec}, eta {eta} {msg}";
    bar.set_style(ProgressStyle::with_template(template).expect("the template is valid").progress_chars("=> "));
    bar
}
