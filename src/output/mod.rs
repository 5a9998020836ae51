//! Writing outputs. Two ways, for two jobs:
//!
//! - [`set::OutputSet`] for `build`: the whole output directory is staged beside it and
//!   swapped in with one atomic rename, so a run killed at any point leaves the complete old
//!   or the complete new set, never a mix. Unchanged files are hard links to the old set.
//! - [`Outputs`] / [`write_atomic`] for a handful of files (`watch`, `notice`): each file is
//!   written to a temporary file in its directory, fsynced and renamed into place, so a
//!   reader never sees half a file.
//!
//! Both create files with the process umask (0666 & !umask), as any other program would.

pub mod cache;
pub mod lock;
pub mod set;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a run wants written: path (absolute) and bytes.
#[derive(Default)]
pub struct Outputs {
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

impl Outputs {
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Write every file; files whose bytes did not change are left alone (their mtime too).
    /// Returns how many files were written.
    pub fn commit(&self) -> Result<usize, String> {
        let mut written = 0;
        for (path, bytes) in &self.files {
            if std::fs::read(path).is_ok_and(|old| &old == bytes) {
                continue;
            }
            write_atomic(path, bytes)?;
            written += 1;
        }
        Ok(written)
    }
}

/// Prefix of every temporary file this module makes; the next run in that directory removes
/// the ones a killed run left behind ([`remove_stale_temps`]).
pub const TEMP_PREFIX: &str = ".clausebook-tmp-";

/// Write `bytes` to `path` atomically: a temporary file in the same directory, fsynced,
/// renamed over `path`, then the directory fsynced so the rename itself is durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    remove_stale_temps(dir);
    let tmp = dir.join(temp_name());
    let result = (|| {
        let mut f = File::create_new(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write `{}`: {e}", path.display())
    })
}

/// A temporary-file name unique within this process and across processes.
fn temp_name() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{TEMP_PREFIX}{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Remove temporary files left in `dir` by a run that was killed, unless their process is
/// still alive (a concurrent writer).
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| p == std::process::id() || process_alive(p));
        if !alive {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn process_alive(pid: u32) -> bool {
    // /proc is enough on Linux; elsewhere assume alive and leave the file.
    if Path::new("/proc/self").exists() {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// fsync a directory, so that a rename into it survives a power cut. Not every platform
/// lets a directory be opened for this; there it is a no-op.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    match File::open(dir) {
        Ok(f) => match f.sync_all() {
            Ok(()) => Ok(()),
            // Some filesystems refuse fsync on a directory; the rename is still atomic.
            Err(e) if e.raw_os_error() == Some(22) => Ok(()),
            Err(e) => Err(e),
        },
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        // A temp file of a dead process is removed by the next write in that directory.
        let stale = p
            .parent()
            .unwrap()
            .join(format!("{TEMP_PREFIX}999999999-0"));
        std::fs::write(&stale, b"x").unwrap();
        write_atomic(&p, b"three").unwrap();
        assert!(!stale.exists());
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("b.txt")]);
    }

    #[cfg(unix)]
    #[test]
    fn files_follow_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.html");
        write_atomic(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, group/other read is not stripped to 0600 by us: the mode is
        // exactly what `File::create` gives.
        let probe = dir.path().join("probe");
        File::create(&probe).unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
    }
}
