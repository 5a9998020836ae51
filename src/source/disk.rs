//! The project on disk.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Files, Kind, Record, check_relative, display_path, too_large};

pub struct DiskFiles {
    /// Canonical: confinement compares canonical paths.
    root: PathBuf,
    record: Record,
}

impl DiskFiles {
    pub fn new(root: &Path) -> Result<DiskFiles, String> {
        let root = root
            .canonicalize()
            .map_err(|e| format!("cannot open project root `{}`: {e}", root.display()))?;
        Ok(DiskFiles {
            root,
            record: Record::default(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of `rel`, refused when it leaves the project (by `..`, an absolute
    /// path, or a symbolic link).
    pub fn confine(&self, rel: &Path) -> Result<PathBuf, String> {
        check_relative(rel)?;
        match self.root.join(rel).canonicalize() {
            Ok(real) if real.starts_with(&self.root) => Ok(real),
            Ok(_) => Err(format!(
                "`{}` is a symlink that leads outside the project",
                display_path(rel)
            )),
            Err(e) => Err(format!(
                "cannot read `{}`: {}",
                display_path(rel),
                io_reason(&e)
            )),
        }
    }
}

impl Files for DiskFiles {
    fn read(&self, rel: &Path, limit: u64) -> Result<Vec<u8>, String> {
        let real = self.confine(rel)?;
        let shown = display_path(rel);
        let fail = |e: std::io::Error| format!("cannot read `{shown}`: {}", io_reason(&e));
        // Opened without blocking, then checked on the open handle: a FIFO swapped in
        // between a check and the open cannot hang the read.
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(libc::O_NONBLOCK);
        }
        let file = opts.open(&real).map_err(fail)?;
        let meta = file.metadata().map_err(fail)?;
        if meta.is_dir() {
            return Err(format!("`{shown}` is a directory, not a file"));
        }
        if !meta.is_file() {
            return Err(format!("`{shown}` is not a regular file"));
        }
        if meta.len() > limit {
            return Err(too_large(rel, meta.len(), limit));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1).read_to_end(&mut bytes).map_err(fail)?;
        if bytes.len() as u64 > limit {
            return Err(too_large(rel, bytes.len() as u64, limit));
        }
        self.record.note(rel, &bytes);
        Ok(bytes)
    }

    fn kind(&self, rel: &Path) -> Kind {
        if check_relative(rel).is_err() {
            return Kind::Other;
        }
        let full = self.root.join(rel);
        if std::fs::symlink_metadata(&full).is_err() {
            return Kind::Missing;
        }
        match self.confine(rel) {
            Ok(real) => match std::fs::metadata(real) {
                Ok(m) if m.is_file() => Kind::File,
                Ok(m) if m.is_dir() => Kind::Dir,
                Ok(_) => Kind::Other,
                Err(_) => Kind::Missing,
            },
            // A dangling link is missing; one that leads out is not ours to read.
            Err(_) if full.metadata().is_err() => Kind::Missing,
            Err(_) => Kind::Other,
        }
    }

    fn is_link(&self, rel: &Path) -> bool {
        check_relative(rel).is_ok()
            && std::fs::symlink_metadata(self.root.join(rel)).is_ok_and(|m| m.is_symlink())
    }

    fn list(&self, rel: &Path) -> Result<Vec<String>, String> {
        let dir = self.confine(rel)?;
        let rd = std::fs::read_dir(&dir)
            .map_err(|e| format!("cannot list `{}`: {}", display_path(rel), io_reason(&e)))?;
        let mut out: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        out.sort();
        Ok(out)
    }

    fn reads(&self) -> BTreeMap<String, String> {
        self.record.all()
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".into(),
        std::io::ErrorKind::PermissionDenied => "access denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, DiskFiles) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("clauses")).unwrap();
        std::fs::write(dir.path().join("clauses/a.md"), "hello").unwrap();
        let files = DiskFiles::new(dir.path()).unwrap();
        (dir, files)
    }

    #[test]
    fn reads_are_recorded_with_their_hash() {
        let (_d, files) = project();
        assert_eq!(
            files.read(Path::new("clauses/a.md"), 100).unwrap(),
            b"hello"
        );
        let reads = files.reads();
        assert_eq!(
            reads.get("clauses/a.md").map(String::as_str),
            Some(crate::hash::sha256_hex(b"hello").as_str())
        );
    }

    #[test]
    fn limits_and_kinds() {
        let (_d, files) = project();
        let e = files.read(Path::new("clauses/a.md"), 3).unwrap_err();
        assert!(e.contains("larger than the limit"), "{e}");
        assert_eq!(files.kind(Path::new("clauses")), Kind::Dir);
        assert_eq!(files.kind(Path::new("clauses/a.md")), Kind::File);
        assert_eq!(files.kind(Path::new("nope")), Kind::Missing);
        assert!(files.read(Path::new("clauses"), 100).is_err());
        assert!(files.reads().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_and_fifos_are_refused() {
        let (d, files) = project();
        std::os::unix::fs::symlink("/etc", d.path().join("etc")).unwrap();
        std::os::unix::fs::symlink("..", d.path().join("up")).unwrap();
        assert_eq!(files.kind(Path::new("etc")), Kind::Other);
        assert!(files.is_link(Path::new("etc")));
        let e = files.read(Path::new("etc/hostname"), 1000).unwrap_err();
        assert!(e.contains("outside the project"), "{e}");
        assert!(files.list(Path::new("up")).is_err());
        let fifo = d.path().join("clauses/f.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(files.kind(Path::new("clauses/f.md")), Kind::Other);
        let e = files.read(Path::new("clauses/f.md"), 1000).unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
    }
}
