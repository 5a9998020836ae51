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
pub mod yaml;

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;

use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Sources};
pub use documents::Document;
pub use library::{Clause, Library, Module, ModuleKind};
pub use manifest::Manifest;
pub use parties::{Choices, Customer, Party, Vendor};

/// A loaded project: plain owned data, the input of every later stage.
pub struct Project {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub sources: Sources,
    pub library: Library,
    pub documents: IndexMap<String, Document>,
    pub vendors: IndexMap<String, Vendor>,
}

/// File access confined to the project root, plus the diagnostics gathered while loading.
pub struct Loader {
    pub root: PathBuf,
    pub sources: Sources,
    pub diags: Diagnostics,
}

impl Loader {
    pub fn new(root: &Path) -> Result<Loader, String> {
        let root = root
            .canonicalize()
            .map_err(|e| format!("cannot open project root `{}`: {e}", root.display()))?;
        Ok(Loader {
            root,
            sources: Sources::default(),
            diags: Diagnostics::default(),
        })
    }

    /// Resolve a project-relative path, refusing anything that leads outside the root.
    pub fn confine(&self, rel: &Path) -> Result<PathBuf, String> {
        if rel.is_absolute() || rel.components().any(|c| matches!(c, Component::ParentDir)) {
            return Err(format!(
                "`{}` is outside the project; paths must be relative and stay inside it",
                rel.display()
            ));
        }
        let full = self.root.join(rel);
        match full.canonicalize() {
            Ok(real) if real.starts_with(&self.root) => Ok(real),
            Ok(_) => Err(format!(
                "`{}` is a symlink that leads outside the project",
                rel.display()
            )),
            Err(e) => Err(format!(
                "cannot read `{}`: {}",
                rel.display(),
                io_reason(&e)
            )),
        }
    }

    pub fn exists(&self, rel: &Path) -> bool {
        self.root.join(rel).exists()
    }

    /// Read a text file; on failure push a diagnostic (pointing at `from` if given). Only
    /// regular files (a FIFO would block the read forever) of at most [`MAX_FILE_BYTES`];
    /// a byte-order mark is dropped and doubtful characters are reported (see `text`).
    pub fn read(&mut self, rel: &Path, from: Option<(FileId, Range<usize>)>) -> Option<FileId> {
        let result = self.confine(rel).and_then(|p| read_text(rel, &p));
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
        let result = self.confine(rel).and_then(|p| {
            std::fs::read(&p)
                .map_err(|e| format!("cannot read `{}`: {}", rel.display(), io_reason(&e)))
        });
        result
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

    /// Entries of a project directory, sorted by name; missing directory gives none.
    pub fn list_dir(&mut self, rel: &Path) -> Vec<PathBuf> {
        if !self.exists(rel) {
            return Vec::new();
        }
        let dir = match self.confine(rel) {
            Ok(d) => d,
            Err(msg) => {
                self.diags.push(Diagnostic::error(msg));
                return Vec::new();
            }
        };
        let mut out: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| rel.join(e.file_name()))
                .filter(|p| {
                    !p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
                })
                .collect(),
            Err(e) => {
                self.diags.push(Diagnostic::error(format!(
                    "cannot list `{}`: {}",
                    rel.display(),
                    io_reason(&e)
                )));
                Vec::new()
            }
        };
        out.sort();
        out
    }

    pub fn is_dir(&self, rel: &Path) -> bool {
        self.root.join(rel).is_dir()
    }
}

/// The largest file clausebook reads, in bytes. Terms are small; a larger file is a mistake
/// (a PDF renamed, a log) and would only make every stage slow.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

fn read_text(rel: &Path, full: &Path) -> Result<String, String> {
    let shown = display_path(rel);
    let meta =
        std::fs::metadata(full).map_err(|e| format!("cannot read `{shown}`: {}", io_reason(&e)))?;
    if !meta.is_file() {
        return Err(format!("`{shown}` is not a regular file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "`{shown}` is {} KB, larger than the limit of {} KB",
            meta.len() / 1024,
            MAX_FILE_BYTES / 1024
        ));
    }
    let bytes =
        std::fs::read(full).map_err(|e| format!("cannot read `{shown}`: {}", io_reason(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "`{shown}` is not UTF-8 text (invalid byte at offset {})",
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

/// Paths in messages always use `/`, whatever the platform.
pub fn display_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".into(),
        std::io::ErrorKind::PermissionDenied => "access denied".into(),
        _ => e.to_string(),
    }
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

/// Load everything. Errors are collected in the returned diagnostics; the project is returned
/// whenever the manifest could be read, so `check` can go on to find more.
pub fn load(root: &Path) -> Result<(Project, Diagnostics), String> {
    let mut loader = Loader::new(root)?;
    let manifest_path = Path::new("clausebook.yaml");
    let manifest = if loader.exists(manifest_path) {
        match loader.read_yaml(manifest_path) {
            Some((file, node)) => manifest::parse(file, &node, &mut loader.diags),
            None => Manifest::default(),
        }
    } else {
        return Err(format!(
            "no clausebook.yaml in `{}`: this is not a clausebook project (pass --root DIR to point at one)",
            loader.root.display()
        ));
    };
    let mut library = library::load(&mut loader, &manifest);
    let documents = documents::load(&mut loader, &manifest, &library);
    let vendors = parties::load(&mut loader, &manifest, &mut library, &documents);
    let Loader {
        root,
        sources,
        diags,
    } = loader;
    Ok((
        Project {
            root,
            manifest,
            sources,
            library,
            documents,
            vendors,
        },
        diags,
    ))
}
