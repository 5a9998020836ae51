//! Loading a terms project from disk: the manifest, the clause library, documents, vendor
//! profiles and customer overrides. Every read goes through [`Loader`], which refuses paths
//! that leave the project root (including through symlinks) and records each text for
//! diagnostics.

pub mod customers_csv;
pub mod documents;
pub mod fields;
pub mod library;
pub mod manifest;
pub mod parties;
pub mod text;
pub mod translations;
pub mod yaml;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Sources};
pub use crate::source::display_path;
use crate::source::{self, DiskFiles, Files, Kind};
pub use documents::{DocKind, Document};
pub use library::{Clause, Library, Module, ModuleKind};
pub use manifest::Manifest;
pub use parties::{Choices, Customer, Party, Vendor};

/// A loaded project: plain owned data, the input of every later stage.
pub struct Project {
    /// Where outputs and editions go (the canonical project directory).
    pub root: PathBuf,
    /// The one door to the project's files; it also knows every file read so far.
    pub files: Arc<dyn Files>,
    pub manifest: Manifest,
    pub sources: Sources,
    pub library: Library,
    pub documents: IndexMap<String, Document>,
    pub vendors: IndexMap<String, Vendor>,
}

/// Reading the project through its [`Files`], plus the diagnostics gathered while loading.
pub struct Loader {
    pub files: Arc<dyn Files>,
    pub sources: Sources,
    pub diags: Diagnostics,
    /// Documents whose file did not load: naming one elsewhere is not a second error.
    pub unloaded_documents: std::collections::BTreeSet<String>,
}

impl Loader {
    pub fn new(files: Arc<dyn Files>) -> Loader {
        Loader {
            files,
            sources: Sources::default(),
            diags: Diagnostics::default(),
            unloaded_documents: Default::default(),
        }
    }

    /// Check that a project-relative path stays inside the project and, if it exists, can
    /// be read (not a device, not a link that leads out).
    pub fn confine(&self, rel: &Path) -> Result<(), String> {
        source::check_relative(rel)?;
        match self.files.kind(rel) {
            Kind::Missing => Err(format!(
                "cannot read `{}`: file not found",
                display_path(rel)
            )),
            Kind::Other if self.files.is_link(rel) => Err(format!(
                "`{}` is a symlink that leads outside the project",
                display_path(rel)
            )),
            Kind::Other => Err(format!(
                "`{}` is not a regular file or directory inside the project",
                display_path(rel)
            )),
            Kind::File | Kind::Dir => Ok(()),
        }
    }

    pub fn exists(&self, rel: &Path) -> bool {
        self.files.kind(rel) != Kind::Missing
    }

    /// Read a text file; on failure push a diagnostic (pointing at `from` if given). Only
    /// regular files (a FIFO would block the read forever) of at most [`MAX_FILE_BYTES`];
    /// a byte-order mark is dropped and doubtful characters are reported (see `text`).
    pub fn read(&mut self, rel: &Path, from: Option<(FileId, Range<usize>)>) -> Option<FileId> {
        let result = self
            .files
            .read(rel, MAX_FILE_BYTES)
            .and_then(|bytes| utf8(rel, bytes));
        match result {
            Ok(text) => {
                let text = text::strip_bom(text);
                let findings = text::check(&text);
                let file = self.sources.add(&display_path(rel), text);
                for (span, d) in findings {
                    self.diags.push(d.at(file, span));
                }
                Some(file)
            }
            Err(msg) => {
                let mut d = Diagnostic::error(msg);
                if let Some((file, span)) = from {
                    d = d.at(file, span);
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// The `.yaml` (or `.yml`) files of a directory of vendors, customers or documents, by
    /// id (the file name without extension). Two files for one id, or an id that is not
    /// `[a-z0-9][a-z0-9_-]*`, are errors: ids become output paths, URLs and HTML.
    pub fn list_yaml(&mut self, dir: &Path, what: &str) -> Vec<(String, PathBuf)> {
        let mut out: Vec<(String, PathBuf)> = Vec::new();
        for path in self.list_dir(dir) {
            if path.extension().is_none_or(|e| e != "yaml" && e != "yml") || self.is_dir(&path) {
                continue;
            }
            let id = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if !is_file_id(&id) {
                self.diags.push(
                    Diagnostic::error(format!(
                        "`{}`: `{}` cannot be a {what} id",
                        display_path(&path),
                        text::escape_for_terminal(&id)
                    ))
                    .hint("name the file with lower case letters, digits, `-` and `_` only (at most 100), e.g. `acme.yaml`"),
                );
                continue;
            }
            if let Some((_, first)) = out.iter().find(|(i, _)| *i == id) {
                self.diags.push(
                    Diagnostic::error(format!(
                        "two files for {what} `{id}`: `{}` and `{}`",
                        display_path(first),
                        display_path(&path)
                    ))
                    .hint("keep one of them; `.yaml` and `.yml` name the same id"),
                );
                continue;
            }
            out.push((id, path));
        }
        out
    }

    /// Read a file as bytes, for text that may not be UTF-8 (a CSV export) and that the
    /// caller checks and registers itself; on failure push a diagnostic.
    pub fn read_bytes(&mut self, rel: &Path) -> Option<Vec<u8>> {
        self.files
            .read(rel, MAX_FILE_BYTES)
            .map_err(|msg| self.diags.push(Diagnostic::error(msg)))
            .ok()
    }

    /// Read and parse a YAML file.
    pub fn read_yaml(&mut self, rel: &Path) -> Option<(FileId, yaml::Node)> {
        let file = self.read(rel, None)?;
        let node = self.parse_yaml(file, 0, self.sources.text(file).len())?;
        Some((file, node))
    }

    /// Parse `range` of a file as YAML; spans in the result are relative to the whole file.
    pub fn parse_yaml(&mut self, file: FileId, start: usize, end: usize) -> Option<yaml::Node> {
        let text = &self.sources.text(file)[start..end];
        match yaml::parse(text) {
            Ok(mut node) => {
                shift(&mut node, start);
                Some(node)
            }
            Err(e) => {
                let span = e.span.start + start..e.span.end + start;
                let mut d = Diagnostic::error(format!("invalid YAML: {}", e.message))
                    .at(file, span)
                    .maybe_hint(e.hint);
                if let Some((label, r)) = e.related {
                    d = d.related(file, r.start + start..r.end + start, label);
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// Entries of a project directory, sorted by name, hidden ones left out; a missing
    /// directory gives none.
    pub fn list_dir(&mut self, rel: &Path) -> Vec<PathBuf> {
        if !self.exists(rel) {
            return Vec::new();
        }
        match self.confine(rel).and_then(|()| self.files.list(rel)) {
            Ok(names) => names
                .into_iter()
                .filter(|n| !n.starts_with('.'))
                .map(|n| rel.join(n))
                .collect(),
            Err(msg) => {
                self.diags.push(Diagnostic::error(msg));
                Vec::new()
            }
        }
    }

    pub fn is_dir(&self, rel: &Path) -> bool {
        self.files.kind(rel) == Kind::Dir
    }
}

/// The largest file clausebook reads, in bytes. Terms are small; a larger file is a mistake
/// (a PDF renamed, a log) and would only make every stage slow.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

fn utf8(rel: &Path, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            display_path(rel),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Vendor, customer and document ids: they become file names, URLs and HTML attributes.
pub fn is_file_id(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() <= 100
        && matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn shift(node: &mut yaml::Node, by: usize) {
    node.span = node.span.start + by..node.span.end + by;
    match &mut node.kind {
        yaml::Kind::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        yaml::Kind::Map(entries) => {
            for (k, v) in entries {
                k.span = k.span.start + by..k.span.end + by;
                shift(v, by);
            }
        }
        _ => {}
    }
}

/// Load everything from the project on disk. Errors are collected in the returned
/// diagnostics; the project is returned whenever the manifest could be read, so `check` can
/// go on to find more.
pub fn load(root: &Path) -> Result<(Project, Diagnostics), String> {
    let files = DiskFiles::new(root)?;
    let root = files.root().to_path_buf();
    load_from(Arc::new(files), root)
}

/// Load a project through any [`Files`] (an in-memory one in tests and fuzzing); `root` is
/// where outputs and editions would go.
pub fn load_from(files: Arc<dyn Files>, root: PathBuf) -> Result<(Project, Diagnostics), String> {
    let mut loader = Loader::new(files);
    let manifest_path = Path::new("clausebook.yaml");
    let manifest = if loader.exists(manifest_path) {
        match loader.read_yaml(manifest_path) {
            Some((file, node)) => manifest::parse(file, &node, &mut loader.diags),
            None => Manifest::default(),
        }
    } else {
        return Err(format!(
            "no clausebook.yaml in `{}`: this is not a clausebook project (pass --root DIR to point at one)",
            root.display()
        ));
    };
    let mut library = library::load(&mut loader, &manifest);
    let documents = documents::load(&mut loader, &manifest, &library);
    let vendors = parties::load(&mut loader, &manifest, &mut library, &documents);
    let Loader {
        files,
        sources,
        diags,
        ..
    } = loader;
    Ok((
        Project {
            root,
            files,
            manifest,
            sources,
            library,
            documents,
            vendors,
        },
        diags,
    ))
}
