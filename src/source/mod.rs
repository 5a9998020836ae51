//! The one door to the disk. Every read of a project — clauses, YAML, CSV, output templates,
//! the page template, logos and images, published editions — goes through [`Files`]:
//!
//! - paths are relative to the project and stay inside it (`..`, absolute paths and symbolic
//!   links that lead out are refused);
//! - only regular files are read (a FIFO would block for ever), up to a size limit per call;
//! - every file read is recorded with its SHA-256, so a published edition's manifest names
//!   every input that shaped it, templates and logos included.
//!
//! [`DiskFiles`] is the real project; [`MemFiles`] an in-memory one for tests and fuzzing.

mod disk;
mod mem;

use std::collections::BTreeMap;
use std::path::{Component, Path};
use std::sync::Mutex;

pub use disk::DiskFiles;
pub use mem::MemFiles;

use crate::hash::sha256_hex;

/// What a project path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    File,
    Dir,
    /// A device, FIFO or socket, or a link that leads outside the project.
    Other,
}

pub trait Files: Send + Sync {
    /// The bytes of a regular file of at most `limit` bytes. The error is a sentence naming
    /// the file.
    fn read(&self, rel: &Path, limit: u64) -> Result<Vec<u8>, String>;
    /// What `rel` is, following symbolic links that stay inside the project.
    fn kind(&self, rel: &Path) -> Kind;
    /// Whether `rel` itself is a symbolic link (not followed). Walks of trees that must not
    /// loop (verify) refuse them.
    fn is_link(&self, rel: &Path) -> bool;
    /// The entry names of a directory, sorted.
    fn list(&self, rel: &Path) -> Result<Vec<String>, String>;
    /// Every file read so far, by project path (with `/`), with its SHA-256.
    fn reads(&self) -> BTreeMap<String, String>;
}

/// Reject absolute paths and `..` before anything touches the disk.
pub fn check_relative(rel: &Path) -> Result<(), String> {
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(format!(
            "`{}` is outside the project; paths must be relative and stay inside it",
            display_path(rel)
        ));
    }
    Ok(())
}

/// Paths in messages and records always use `/`, whatever the platform, without `./`.
pub fn display_path(p: &Path) -> String {
    p.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The record of reads both implementations keep.
#[derive(Default)]
struct Record(Mutex<BTreeMap<String, String>>);

impl Record {
    fn note(&self, rel: &Path, bytes: &[u8]) {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        m.insert(display_path(rel), sha256_hex(bytes));
    }

    fn all(&self) -> BTreeMap<String, String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn too_large(rel: &Path, len: u64, limit: u64) -> String {
    // Kilobytes for the text limits, megabytes for the asset and edition limits.
    let unit = |n: u64| {
        if limit >= 16 * 1024 * 1024 {
            format!("{} MB", n / (1024 * 1024))
        } else {
            format!("{} KB", n / 1024)
        }
    };
    format!(
        "`{}` is {}, larger than the limit of {}",
        display_path(rel),
        unit(len),
        unit(limit)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn parent_and_absolute_paths_are_refused() {
        assert!(check_relative(Path::new("../x")).is_err());
        assert!(check_relative(Path::new("a/../../x")).is_err());
        assert!(check_relative(Path::new("/etc/passwd")).is_err());
        assert!(check_relative(Path::new("clauses/a.md")).is_ok());
    }

    #[test]
    fn display_paths_use_slashes_and_drop_dot() {
        let p: PathBuf = ["./clauses", "x", "a.md"].iter().collect();
        assert_eq!(display_path(&p), "clauses/x/a.md");
    }
}
