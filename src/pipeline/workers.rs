//! Where documents are typeset: dedicated threads, not rayon's workers.
//!
//! Typst lays pages out in parallel on rayon's global pool (`Engine::parallelize`). A rayon
//! worker that waits for such a nested job does not sleep: it runs other queued jobs, and
//! when the outer loop over documents is itself a rayon job, those are whole other
//! documents, each laid out on top of the waiting one's stack. The stack then grows with
//! the number of documents in the batch, and a 2 MiB worker stack overflowed at about 250
//! contracts. Documents therefore go to plain threads that pull the next index from a
//! counter; when Typst inside them calls into rayon, the thread blocks instead of stealing,
//! and a pool worker's stack holds at most one document's layout. Both kinds of thread get
//! [`STACK_SIZE`] for deep but legitimate layout recursion.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack of every thread that typesets (reserved address space, not memory in use).
pub const STACK_SIZE: usize = 64 << 20;

/// Give rayon's global pool big stacks too. Call once, before anything uses rayon; if the
/// pool already exists this does nothing.
pub fn init_global_pool() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .build_global();
}

/// Threads to use: rayon's setting (`RAYON_NUM_THREADS` or the number of cores).
pub fn threads() -> usize {
    rayon::current_num_threads().max(1)
}

/// Call `f(i)` for every `i` in `0..n` on up to [`threads`] dedicated threads, each
/// taking the next index as it finishes one, so memory holds one document per thread.
pub fn for_each_index(n: usize, f: impl Fn(usize) + Sync) {
    let workers = threads().min(n);
    if workers <= 1 {
        // Still not on a rayon worker: the caller's thread blocks on nested jobs.
        return on_big_stack(|| (0..n).for_each(&f));
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for w in 0..workers {
            let (f, next) = (&f, &next);
            let spawned = std::thread::Builder::new()
                .name(format!("typeset-{w}"))
                .stack_size(STACK_SIZE)
                .spawn_scoped(s, move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        f(i);
                    }
                });
            // Out of threads: the ones already running (or this thread) take the work.
            if spawned.is_err() {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    f(i);
                }
            }
        }
    });
}

/// Run `f` on one thread with a [`STACK_SIZE`] stack, falling back to this thread.
fn on_big_stack(f: impl FnOnce() + Send) {
    // The closure sits in a cell so that it can still run here if no thread can be made.
    let cell = std::sync::Mutex::new(Some(f));
    let take = || cell.lock().ok().and_then(|mut g| g.take());
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .name("typeset-0".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, || {
                if let Some(f) = take() {
                    f()
                }
            });
        if spawned.is_err()
            && let Some(f) = take()
        {
            f()
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_once() {
        let seen: Vec<AtomicUsize> = (0..1000).map(|_| AtomicUsize::new(0)).collect();
        for_each_index(seen.len(), |i| {
            seen[i].fetch_add(1, Ordering::Relaxed);
        });
        assert!(seen.iter().all(|s| s.load(Ordering::Relaxed) == 1));
        for_each_index(0, |_| panic!("no work"));
    }
}
