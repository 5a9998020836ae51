//! The output directory as one unit: stage the next version beside it, swap it in with one
//! atomic rename.
//!
//! ```text
//! out/                      the current set: what readers see
//! .out.clausebook/lock      one writer at a time (flock)
//! .out.clausebook/new/      the next set while a run stages it
//! .out.clausebook/old/      the previous set, only while swapping without RENAME_EXCHANGE
//! ```
//!
//! A run hard-links every file of `out/` into `new/` (cheap: no data is copied), writes the
//! files it renders over those links (a new file each time, never writing through a link),
//! removes what no longer belongs, flushes the data to disk, and then exchanges `new/` and
//! `out/` in one `renameat2(RENAME_EXCHANGE)`. A SIGKILL before the exchange leaves `out/`
//! untouched, after it the new set is complete; either way the next run removes what is
//! left in the side directory. Where the exchange is not supported, two renames do the swap
//! and the next run puts `old/` back if it finds no `out/`.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::lock::{Lock, Wait};
use super::sync_dir;

/// A staged version of an output directory. Dropping it without [`OutputSet::commit`]
/// discards the staged files and leaves the output directory as it was.
pub struct OutputSet {
    out: PathBuf,
    side: PathBuf,
    staging: PathBuf,
    committed: bool,
    /// Files written (not linked) into the staging directory, to flush before the swap.
    written: std::sync::Mutex<Vec<PathBuf>>,
    _lock: Lock,
}

/// Up to this many written files are flushed one by one; above it one `syncfs` is cheaper.
const FSYNC_EACH_MAX: usize = 64;

/// The side directory of an output directory: `.out.clausebook` next to `out`.
pub fn side_dir(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    out.with_file_name(format!(".{name}.clausebook"))
}

/// Lock an output directory and repair what a killed run left: an output directory moved
/// aside but not replaced is put back; staging directories are removed.
pub fn lock_and_recover(out: &Path, wait: Wait) -> Result<Lock, String> {
    let side = side_dir(out);
    let lock = Lock::acquire(&side.join("lock"), wait, &format!("`{}`", out.display()))?;
    let old = side.join("old");
    if old.exists() && !out.exists() {
        std::fs::rename(&old, out).map_err(|e| {
            format!(
                "cannot restore `{}` from `{}`: {e}",
                out.display(),
                old.display()
            )
        })?;
    }
    for leftover in [old, side.join("new")] {
        if leftover.exists() {
            std::fs::remove_dir_all(&leftover)
                .map_err(|e| format!("cannot remove `{}`: {e}", leftover.display()))?;
        }
    }
    Ok(lock)
}

impl OutputSet {
    /// Lock `out`, recover from a killed run, and stage a copy of the current set (hard
    /// links) to write into.
    pub fn begin(out: &Path) -> Result<OutputSet, String> {
        let lock = lock_and_recover(out, Wait::No)?;
        let side = side_dir(out);
        let staging = side.join("new");
        if out.is_dir() {
            link_tree(out, &staging).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staging);
                format!(
                    "cannot stage the output set `{}` in `{}`: {e}",
                    out.display(),
                    staging.display()
                )
            })?;
        } else {
            std::fs::create_dir_all(&staging)
                .map_err(|e| format!("cannot create `{}`: {e}", staging.display()))?;
        }
        Ok(OutputSet {
            out: out.to_path_buf(),
            side,
            staging,
            committed: false,
            written: std::sync::Mutex::new(Vec::new()),
            _lock: lock,
        })
    }

    /// The staged path of a file of the set.
    pub fn staged(&self, rel: &Path) -> PathBuf {
        self.staging.join(rel)
    }

    /// Write one file of the set. Returns false when the set already held exactly these
    /// bytes (the file is then left as it was, its modification time too).
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<bool> {
        let path = self.staging.join(rel);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => {
                if m.len() == bytes.len() as u64 && std::fs::read(&path)? == bytes {
                    return Ok(false);
                }
                // Never write through the link: that would change the current set too.
                std::fs::remove_file(&path)?;
            }
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path)?,
            Ok(_) => std::fs::remove_file(&path)?,
            Err(_) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
            }
        }
        let mut f = File::create_new(&path)?;
        f.write_all(bytes)?;
        if let Ok(mut w) = self.written.lock() {
            w.push(path);
        }
        Ok(true)
    }

    /// Remove a file or directory from the set (no error if it is not there).
    pub fn remove(&self, rel: &Path) -> std::io::Result<()> {
        let path = self.staging.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
            Ok(_) => std::fs::remove_file(&path),
            Err(_) => Ok(()),
        }
    }

    /// Make the staged set the output directory: flush its data to disk, then swap.
    pub fn commit(mut self) -> Result<(), String> {
        let fail = |what: &str, p: &Path, e: std::io::Error| {
            format!("cannot {what} `{}`: {e}", p.display())
        };
        let written =
            std::mem::take(&mut *self.written.lock().map_err(|_| "poisoned".to_string())?);
        flush(&self.staging, &written).map_err(|e| fail("flush", &self.staging, e))?;
        if self.out.exists() {
            if exchange(&self.staging, &self.out).is_err() {
                // No atomic exchange here: two renames; a crash between them is repaired by
                // the next run's `lock_and_recover`.
                let old = self.side.join("old");
                std::fs::rename(&self.out, &old).map_err(|e| fail("move aside", &self.out, e))?;
                sync_dir(&self.side).map_err(|e| fail("flush", &self.side, e))?;
                std::fs::rename(&self.staging, &self.out)
                    .map_err(|e| fail("move into place", &self.out, e))?;
                let _ = sync_dir(self.out.parent().unwrap_or(Path::new(".")));
                let _ = std::fs::remove_dir_all(&old);
                self.committed = true;
                return Ok(());
            }
        } else {
            std::fs::rename(&self.staging, &self.out)
                .map_err(|e| fail("move into place", &self.out, e))?;
        }
        self.committed = true;
        let _ = sync_dir(self.out.parent().unwrap_or(Path::new(".")));
        // After the exchange `new/` holds the previous set.
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Hard-link every file under `from` into `to` (created), keeping the tree.
fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let ty = e.file_type()?;
        let target = to.join(e.file_name());
        if ty.is_dir() {
            link_tree(&e.path(), &target)?;
        } else if ty.is_file() {
            std::fs::hard_link(e.path(), &target)?;
        }
        // Anything else (a link, a socket) was not made by clausebook: not carried over.
    }
    Ok(())
}

/// Flush the staged data before the swap makes it visible. Linked files are already on
/// disk; the written ones are fsynced with their directories, or, for a big batch, the whole
/// filesystem is flushed with one `syncfs` (Linux).
fn flush(dir: &Path, written: &[PathBuf]) -> std::io::Result<()> {
    if written.len() <= FSYNC_EACH_MAX || cfg!(not(target_os = "linux")) {
        let mut dirs = std::collections::BTreeSet::new();
        for p in written {
            File::open(p)?.sync_all()?;
            let mut d = p.parent();
            while let Some(x) = d {
                if !x.starts_with(dir) || !dirs.insert(x.to_path_buf()) {
                    break;
                }
                d = x.parent();
            }
        }
        for d in dirs.iter().rev() {
            sync_dir(d)?;
        }
        return Ok(());
    }
    flush_all(dir)
}

#[cfg(target_os = "linux")]
fn flush_all(dir: &Path) -> std::io::Result<()> {
    {
        let f = File::open(dir)?;
        rustix::fs::syncfs(&f)?;
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
fn flush_all(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Swap two directories atomically (Linux `renameat2(RENAME_EXCHANGE)`).
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?;
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn staged_set_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let set = OutputSet::begin(&out).unwrap();
        set.write(Path::new("a/x.html"), b"one").unwrap();
        set.write(Path::new("a/y.html"), b"keep").unwrap();
        set.commit().unwrap();
        assert_eq!(read(&out.join("a/x.html")), "one");

        let set = OutputSet::begin(&out).unwrap();
        assert!(set.write(Path::new("a/x.html"), b"two").unwrap());
        assert!(!set.write(Path::new("a/y.html"), b"keep").unwrap());
        set.remove(Path::new("a/gone.html")).unwrap();
        // Nothing is visible before the commit, and the old file is not written through.
        assert_eq!(read(&out.join("a/x.html")), "one");
        set.commit().unwrap();
        assert_eq!(read(&out.join("a/x.html")), "two");
        assert_eq!(read(&out.join("a/y.html")), "keep");
        let side: Vec<_> = std::fs::read_dir(side_dir(&out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(side, vec!["lock"]);
    }

    #[test]
    fn a_dropped_set_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let set = OutputSet::begin(&out).unwrap();
        set.write(Path::new("x"), b"one").unwrap();
        set.commit().unwrap();
        let set = OutputSet::begin(&out).unwrap();
        set.write(Path::new("x"), b"two").unwrap();
        set.remove(Path::new("x")).unwrap();
        drop(set);
        assert_eq!(read(&out.join("x")), "one");
        assert!(!side_dir(&out).join("new").exists());
    }

    #[test]
    fn a_swap_killed_halfway_is_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let set = OutputSet::begin(&out).unwrap();
        set.write(Path::new("x"), b"one").unwrap();
        set.commit().unwrap();
        // As if killed between the two renames of the fallback swap.
        std::fs::rename(&out, side_dir(&out).join("old")).unwrap();
        std::fs::create_dir_all(side_dir(&out).join("new")).unwrap();
        let set = OutputSet::begin(&out).unwrap();
        drop(set);
        assert_eq!(read(&out.join("x")), "one");
    }

    #[test]
    fn one_writer_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let _first = OutputSet::begin(&out).unwrap();
        let err = OutputSet::begin(&out).err().unwrap();
        assert!(err.contains("another clausebook run"), "{err}");
    }
}
