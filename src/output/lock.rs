//! One writer at a time per output directory: an advisory lock (flock) on a file in the
//! output directory's side directory. The kernel drops it when the process dies, however it
//! dies, so a killed run never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Held for as long as the value lives.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    pub path: PathBuf,
}

/// How to behave when another process holds the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Fail at once with a message naming the lock (`build`).
    No,
    /// Block until it is free (`watch`, between two of its rebuilds).
    Yes,
}

impl Lock {
    pub fn acquire(path: &Path, wait: Wait, what: &str) -> Result<Lock, String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot open the lock `{}`: {e}", path.display()))?;
        let locked = match wait {
            Wait::Yes => file.lock().map_err(TryLockError::Error),
            Wait::No => file.try_lock(),
        };
        match locked {
            Ok(()) => Ok(Lock {
                _file: file,
                path: path.to_path_buf(),
            }),
            Err(TryLockError::WouldBlock) => Err(format!(
                "another clausebook run is writing {what} (it holds the lock `{}`); \
                 wait for it to finish and try again",
                path.display()
            )),
            Err(TryLockError::Error(e)) => Err(format!("cannot lock `{}`: {e}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_fails_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("side/lock");
        let first = Lock::acquire(&p, Wait::No, "`out`").unwrap();
        let err = Lock::acquire(&p, Wait::No, "`out`").unwrap_err();
        assert!(
            err.contains("another clausebook run is writing `out`"),
            "{err}"
        );
        drop(first);
        Lock::acquire(&p, Wait::No, "`out`").unwrap();
    }
}
