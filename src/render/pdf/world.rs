//! The Typst [`World`] of one document: what a template can see.
//!
//! - The generated main file and the document data (`/.clausebook/data.json`) are virtual.
//! - The page template is served from memory at its project path (`/templates/document.typ`),
//!   whether it is the built-in one or the project's override.
//! - Any other path is a file inside the project root, read from disk only after its real
//!   (canonical) path has been checked to lie inside the canonical root: `..` is refused by
//!   Typst itself, a symbolic link that points out of the project is refused here.
//! - Packages (`@preview/...`) are refused: no network, no package cache.
//! - Fonts are the embedded ones ([`super::fonts`]); `today()` is the options' timestamp.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::fonts;

/// Virtual path of the document data.
pub const DATA_PATH: &str = "/.clausebook/data.json";
/// Virtual path of the generated main file.
pub const MAIN_PATH: &str = "/.clausebook/main.typ";

pub(crate) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// What every document of one run shares: the standard library, the template, the root.
pub(crate) struct Shared {
    pub library: LazyHash<Library>,
    pub template: Source,
    /// The canonical project root; `None` when it cannot be resolved, so no real file is read.
    pub root: Option<PathBuf>,
}

pub(crate) struct DocWorld<'a> {
    shared: &'a Shared,
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
    /// Project files read during this compilation, so every read of one file agrees.
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
}

impl<'a> DocWorld<'a> {
    pub fn new(shared: &'a Shared, main: String, data: Vec<u8>, today: Option<Datetime>) -> Self {
        DocWorld {
            shared,
            main: Source::new(file_id(MAIN_PATH), main),
            data_id: file_id(DATA_PATH),
            data: Bytes::new(data),
            today,
            files: Mutex::new(HashMap::new()),
        }
    }

    fn project_file(&self, id: FileId) -> FileResult<Bytes> {
        let mut cache = self.files.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(id)
            .or_insert_with(|| read_project_file(self.shared.root.as_deref(), id))
            .clone()
    }
}

fn read_project_file(root: Option<&Path>, id: FileId) -> FileResult<Bytes> {
    if let VirtualRoot::Package(spec) = id.root() {
        return Err(FileError::Package(PackageError::Other(Some(
            typst::ecow::eco_format!(
                "{spec}: packages are not available to clausebook templates (no network, no \
                 package cache); copy the code you need into the project's templates/ directory"
            ),
        ))));
    }
    let Some(root) = root else {
        return Err(FileError::Other(Some(
            "the project root could not be resolved, so no project file can be read".into(),
        )));
    };
    let path = id.vpath().realize(root)?;
    let real = path
        .canonicalize()
        .map_err(|e| FileError::from_io(e, &path))?;
    if !real.starts_with(root) {
        return Err(FileError::Other(Some(typst::ecow::eco_format!(
            "`{}` leads outside the project root (through a symbolic link); templates may \
             only read files inside the project",
            id.vpath().get_with_slash()
        ))));
    }
    if real.is_dir() {
        return Err(FileError::IsDirectory);
    }
    // Regular files only (a FIFO would block the read forever), and no more than a logo or
    // a font needs.
    const MAX_ASSET_BYTES: u64 = 16 * 1024 * 1024;
    match real.metadata() {
        Ok(m) if !m.is_file() => {
            return Err(FileError::Other(Some(typst::ecow::eco_format!(
                "`{}` is not a regular file",
                id.vpath().get_with_slash()
            ))));
        }
        Ok(m) if m.len() > MAX_ASSET_BYTES => {
            return Err(FileError::Other(Some(typst::ecow::eco_format!(
                "`{}` is larger than {} MB",
                id.vpath().get_with_slash(),
                MAX_ASSET_BYTES / 1024 / 1024
            ))));
        }
        _ => {}
    }
    std::fs::read(&real)
        .map(Bytes::new)
        .map_err(|e| FileError::from_io(e, &path))
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts::embedded().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.shared.template.id() {
            Ok(self.shared.template.clone())
        } else if id == self.data_id {
            Err(FileError::NotSource)
        } else {
            let bytes = self.project_file(id)?;
            let text = std::str::from_utf8(&bytes)?;
            Ok(Source::new(id, text.to_string()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else if id == self.shared.template.id() {
            Ok(Bytes::from_string(self.shared.template.clone()))
        } else {
            self.project_file(id)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts::embedded().fonts.get(index).cloned()
    }

    /// The date of the options' timestamp, whatever the offset: never the clock.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
