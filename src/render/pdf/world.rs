//! The Typst [`World`] of one document: what a template can see.
//!
//! - The generated main file and the document data (`/.clausebook/data.json`) are virtual.
//! - The page template is served from memory at its project path (`/templates/document.typ`),
//!   whether it is the built-in one or the project's override.
//! - Any other path is a file of the project, read through its [`Files`]: confined to the
//!   project, regular files only, and recorded, so a published edition hashes the logos and
//!   images its PDF shows.
//! - Packages (`@preview/...`) are refused: no network, no package cache.
//! - Fonts are the embedded ones ([`super::fonts`]); `today()` is the options' timestamp.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::fonts;
use crate::source::{Files, Kind};

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
    /// The project's files; `None` when the root cannot be resolved, so no file is read.
    pub files: Option<Arc<dyn Files>>,
}

pub(crate) struct DocWorld<'a> {
    shared: &'a Shared,
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
    /// Files handed to this compilation only (a notice's attached edition), by virtual path.
    extra: HashMap<FileId, Bytes>,
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
            extra: HashMap::new(),
            files: Mutex::new(HashMap::new()),
        }
    }

    pub fn with_main(mut self, main: String) -> Self {
        self.main = Source::new(file_id(MAIN_PATH), main);
        self
    }

    /// Serve `data` at the virtual path `path` (under `/.clausebook/`, which no project file
    /// can shadow).
    pub fn with_extra(mut self, path: &str, data: Vec<u8>) -> Self {
        self.extra.insert(file_id(path), Bytes::new(data));
        self
    }

    fn project_file(&self, id: FileId) -> FileResult<Bytes> {
        let mut cache = self.files.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(id)
            .or_insert_with(|| read_project_file(self.shared.files.as_deref(), id))
            .clone()
    }
}

fn read_project_file(files: Option<&dyn Files>, id: FileId) -> FileResult<Bytes> {
    if let VirtualRoot::Package(spec) = id.root() {
        return Err(FileError::Package(PackageError::Other(Some(
            typst::ecow::eco_format!(
                "{spec}: packages are not available to clausebook templates (no network, no \
                 package cache); copy the code you need into the project's templates/ directory"
            ),
        ))));
    }
    let Some(files) = files else {
        return Err(FileError::Other(Some(
            "the project root could not be resolved, so no project file can be read".into(),
        )));
    };
    let shown = id.vpath().get_with_slash();
    let rel = Path::new(shown.trim_start_matches('/'));
    // No more than a logo, an image or a font needs.
    const MAX_ASSET_BYTES: u64 = 16 * 1024 * 1024;
    match files.kind(rel) {
        Kind::Missing => return Err(FileError::NotFound(rel.to_path_buf())),
        Kind::Dir => return Err(FileError::IsDirectory),
        Kind::File | Kind::Other => {}
    }
    files
        .read(rel, MAX_ASSET_BYTES)
        .map(Bytes::new)
        .map_err(|msg| FileError::Other(Some(msg.into())))
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
        } else if let Some(b) = self.extra.get(&id) {
            Ok(b.clone())
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
