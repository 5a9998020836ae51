//! Writing output files atomically: each file is written to a temporary file in the same
//! directory and renamed into place, so a reader never sees half a file and a failed run
//! leaves the previous outputs as they were.

use std::io::Write;
use std::path::{Path, PathBuf};

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

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("cannot write in `{}`: {e}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.flush())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("cannot write `{}`: {}", path.display(), e.error))?;
    Ok(())
}
