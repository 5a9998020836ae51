//! Progress for batches: a bar when stderr is a terminal, plain lines in a log (a log reads
//! better than a redrawn bar), nothing with `--quiet`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: AtomicUsize,
    plain: bool,
    start: Instant,
}

impl Progress {
    pub fn new(total: usize, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal && total > 1).then(|| {
            let b = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} documents, {per_sec}, ETA {eta} {msg}",
            ) {
                b.set_style(style);
            }
            b
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
            // A log gets lines only for real batches; a small build prints just its summary.
            plain: !quiet && !terminal && total > 20,
            start: Instant::now(),
        }
    }

    pub fn silent() -> Progress {
        Progress::new(0, true)
    }

    /// One document done. Plain mode prints a line at every tenth of the batch.
    pub fn tick(&self, label: &str) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(b) = &self.bar {
            b.set_message(label.to_string());
            b.inc(1);
        } else if self.plain {
            let step = (self.total / 10).max(1);
            if n.is_multiple_of(step) || n == self.total {
                let secs = self.start.elapsed().as_secs_f64();
                let rate = n as f64 / secs.max(1e-3);
                let eta = (self.total - n.min(self.total)) as f64 / rate.max(1e-9);
                eprintln!(
                    "  [{n}/{}] documents, {rate:.1}/s, ETA {eta:.0} s, last {label}",
                    self.total
                );
            }
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
