//! A project held in memory: tests and fuzz targets load projects without touching the disk.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Files, Kind, Record, check_relative, display_path, too_large};

#[derive(Default)]
pub struct MemFiles {
    /// Project path (with `/`) -> bytes. Directories are implied by the paths under them.
    files: BTreeMap<String, Vec<u8>>,
    record: Record,
}

impl MemFiles {
    pub fn new() -> MemFiles {
        MemFiles::default()
    }

    /// Add (or replace) a file.
    pub fn insert(&mut self, path: &str, bytes: impl Into<Vec<u8>>) -> &mut MemFiles {
        self.files
            .insert(display_path(Path::new(path)), bytes.into());
        self
    }

    fn key(rel: &Path) -> Option<String> {
        check_relative(rel).ok()?;
        Some(display_path(rel))
    }
}

impl Files for MemFiles {
    fn read(&self, rel: &Path, limit: u64) -> Result<Vec<u8>, String> {
        check_relative(rel)?;
        let key = display_path(rel);
        match self.files.get(&key) {
            Some(b) if b.len() as u64 > limit => Err(too_large(rel, b.len() as u64, limit)),
            Some(b) => {
                self.record.note(rel, b);
                Ok(b.clone())
            }
            None if self.kind(rel) == Kind::Dir => {
                Err(format!("`{key}` is a directory, not a file"))
            }
            None => Err(format!("cannot read `{key}`: file not found")),
        }
    }

    fn kind(&self, rel: &Path) -> Kind {
        let Some(key) = Self::key(rel) else {
            return Kind::Other;
        };
        if key.is_empty() {
            return Kind::Dir;
        }
        if self.files.contains_key(&key) {
            return Kind::File;
        }
        let prefix = format!("{key}/");
        match self.files.range(prefix.clone()..).next() {
            Some((k, _)) if k.starts_with(&prefix) => Kind::Dir,
            _ => Kind::Missing,
        }
    }

    fn is_link(&self, _rel: &Path) -> bool {
        false
    }

    fn list(&self, rel: &Path) -> Result<Vec<String>, String> {
        let key = Self::key(rel).ok_or_else(|| check_relative(rel).unwrap_err())?;
        if self.kind(rel) != Kind::Dir {
            return Err(format!("cannot list `{key}`: no such directory"));
        }
        let prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        let mut out: Vec<String> = self
            .files
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
            .collect();
        out.dedup();
        Ok(out)
    }

    fn reads(&self) -> BTreeMap<String, String> {
        self.record.all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_implied() {
        let mut m = MemFiles::new();
        m.insert("clauses/b/x.md", "x")
            .insert("clauses/a/module.yaml", "y")
            .insert("clausebook.yaml", "z");
        assert_eq!(m.kind(Path::new("clauses")), Kind::Dir);
        assert_eq!(m.kind(Path::new("clauses/a/module.yaml")), Kind::File);
        assert_eq!(m.kind(Path::new("clause")), Kind::Missing);
        assert_eq!(m.list(Path::new("clauses")).unwrap(), vec!["a", "b"]);
        assert_eq!(
            m.list(Path::new("")).unwrap(),
            vec!["clausebook.yaml", "clauses"]
        );
        assert_eq!(m.read(Path::new("./clausebook.yaml"), 10).unwrap(), b"z");
        assert!(m.read(Path::new("../clausebook.yaml"), 10).is_err());
        assert_eq!(m.reads().len(), 1);
    }
}
