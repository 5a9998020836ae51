//! The build cache: which file of the output set was rendered from what.
//!
//! Each output file is recorded with a key (SHA-256 of the assembled document, the format
//! and the renderer's fingerprint: binary, templates, fonts, logos) and the file's identity
//! on disk (size, inode, modification time). A later run that computes the same key and
//! finds the file with the same identity keeps it without rendering; anything else, a file
//! edited or replaced by hand or by `watch` included, is rendered again.
//!
//! The cache is a file of the output set itself (`.clausebook-build.json`), so it is
//! swapped in together with the files it describes and can never disagree with them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// File name of the cache inside the output directory.
pub const CACHE_FILE: &str = ".clausebook-build.json";

const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct BuildCache {
    pub version: u32,
    /// By path relative to the output directory, `/`-separated.
    pub files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    /// Hash of every input of the contract (see `pipeline::Inputs`): when it is unchanged,
    /// the contract is not even assembled again.
    #[serde(default)]
    pub inputs: String,
    /// The contract it belongs to: vendor, customer (empty for the vendor's own), document.
    pub vendor: String,
    #[serde(default)]
    pub customer: String,
    pub document: String,
    pub stamp: Stamp,
}

/// A file's identity on disk, cheap to read: size, inode and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub ino: u64,
    pub mtime_ns: i128,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        if !m.is_file() {
            return None;
        }
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let ino = 0;
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Some(Stamp {
            len: m.len(),
            ino,
            mtime_ns,
        })
    }
}

impl BuildCache {
    /// The cache of an output directory; empty if it has none or it cannot be read (then
    /// everything is rendered, which is always correct).
    pub fn read(dir: &Path) -> BuildCache {
        std::fs::read(dir.join(CACHE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<BuildCache>(&b).ok())
            .filter(|c| c.version == VERSION)
            .unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut c = serde_json::to_vec(&BuildCacheRef {
            version: VERSION,
            files: &self.files,
        })
        .unwrap_or_default();
        c.push(b'\n');
        c
    }

    /// Whether `rel` in `dir` is still exactly what was rendered from these inputs.
    pub fn fresh_inputs(&self, dir: &Path, rel: &str, inputs: &str) -> bool {
        self.files.get(rel).is_some_and(|e| {
            !e.inputs.is_empty() && e.inputs == inputs && Stamp::of(&dir.join(rel)) == Some(e.stamp)
        })
    }

    /// Whether `rel` in `dir` is still exactly what was rendered with `key`.
    pub fn fresh(&self, dir: &Path, rel: &str, key: &str) -> bool {
        self.files
            .get(rel)
            .is_some_and(|e| e.key == key && Stamp::of(&dir.join(rel)) == Some(e.stamp))
    }
}

#[derive(Serialize)]
struct BuildCacheRef<'a> {
    version: u32,
    files: &'a BTreeMap<String, Entry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_behind_the_cache_is_not_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.html");
        std::fs::write(&p, "one").unwrap();
        let mut c = BuildCache::default();
        c.files.insert(
            "a.html".into(),
            Entry {
                key: "k".into(),
                inputs: String::new(),
                vendor: "v".into(),
                customer: String::new(),
                document: "terms".into(),
                stamp: Stamp::of(&p).unwrap(),
            },
        );
        std::fs::write(dir.path().join(CACHE_FILE), c.to_bytes()).unwrap();
        let c = BuildCache::read(dir.path());
        assert!(c.fresh(dir.path(), "a.html", "k"));
        assert!(!c.fresh(dir.path(), "a.html", "other key"));
        // Replaced by another program (new inode), even with the same size.
        std::fs::remove_file(&p).unwrap();
        std::fs::write(&p, "two").unwrap();
        assert!(!c.fresh(dir.path(), "a.html", "k"));
        assert!(!c.fresh(dir.path(), "missing.html", "k"));
    }
}
