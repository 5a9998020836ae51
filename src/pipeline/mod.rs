//! From assembled documents to output files, for one document or ten thousand.
//!
//! [`Renderer`] holds what every document of a run shares (output templates, the Typst
//! engine with its fonts and parsed page template) and turns one [`Assembled`] into the
//! bytes of each format. [`workers`] runs documents on threads where Typst's own
//! parallelism cannot pile documents onto one stack. [`shard`] splits a batch over
//! machines. The build command (`crate::build`) drives these with the output set
//! (`crate::output::set`) and the cache (`crate::output::cache`).

pub mod shard;
pub mod workers;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::assemble::Assembled;
use crate::build::{Format, pdf_options};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Project;
use crate::render::{self, templates::OutputTemplates};
use crate::source::{Files, Kind};

/// Everything a run's documents share, built once.
pub struct Renderer {
    pub templates: OutputTemplates,
    pub pdf: Option<render::pdf::PdfEngine>,
    /// The DOCX styles (built-in, or the project's reference document).
    pub docx: render::docx::DocxStyle,
    /// Hash of everything besides the document that shapes the output: the binary, the
    /// project's templates directory (templates, fonts, logos), `SOURCE_DATE_EPOCH`.
    pub fingerprint: String,
}

impl Renderer {
    pub fn new(project: &Project, formats: &[Format]) -> (Renderer, Diagnostics) {
        let (templates, mut diags) = OutputTemplates::load(project);
        // One Typst engine per run: fonts and the parsed template serve every document.
        let pdf = formats.iter().any(|f| f.is_typeset()).then(|| {
            let (engine, d) = render::pdf::PdfEngine::for_project(project);
            diags.extend(d);
            engine
        });
        let docx = if formats.contains(&Format::Docx) {
            render::docx::DocxStyle::load(project.files.as_ref(), &project.manifest.templates)
                .unwrap_or_else(|e| {
                    diags.push(e);
                    render::docx::DocxStyle::default()
                })
        } else {
            render::docx::DocxStyle::default()
        };
        let fingerprint = fingerprint(project);
        (
            Renderer {
                templates,
                pdf,
                docx,
                fingerprint,
            },
            diags,
        )
    }

    /// The bytes of one format of one document.
    pub fn render(&self, doc: &Assembled, f: Format) -> Result<Vec<u8>, Diagnostic> {
        Ok(match f {
            Format::Html => render::html::render(doc, &self.templates)?.into_bytes(),
            Format::Md => render::md::render(doc).into_bytes(),
            Format::Docx => render::docx::render(doc, &self.docx)?,
            Format::Pdf | Format::PdfA => match &self.pdf {
                Some(e) => e.pdf(doc, &pdf_options(doc, f == Format::PdfA))?,
                None => return Err(Diagnostic::error("internal: no PDF engine for this run")),
            },
            Format::Typst => match &self.pdf {
                Some(e) => e.markup(doc).into_bytes(),
                None => return Err(Diagnostic::error("internal: no PDF engine for this run")),
            },
        })
    }

    /// The cache key of one format of a document whose [`doc_hash`] is `doc`.
    pub fn key(&self, doc: &str, f: Format) -> String {
        let mut h = Sha256::new();
        h.update(doc.as_bytes());
        h.update([0]);
        h.update(format!("{f:?}").as_bytes());
        h.update([0]);
        h.update(self.fingerprint.as_bytes());
        hex(&h.finalize())
    }
}

/// Every input of a contract, hashed, to skip even assembling contracts whose inputs did not
/// change. The project's files but the customers' own go into one hash for the run (so an edit
/// of any clause, module, document or vendor profile makes every contract new); a customer's
/// file (or customer table) and the renderer's fingerprint are added per contract.
pub struct Inputs {
    shared: String,
}

impl Inputs {
    pub fn new(project: &Project, renderer: &Renderer) -> Inputs {
        let customer_files: std::collections::HashSet<&str> = project
            .vendors
            .values()
            .flat_map(|v| v.customers.values())
            .map(|c| project.sources.name(c.file))
            .collect();
        let mut h = Sha256::new();
        h.update(renderer.fingerprint.as_bytes());
        for (name, text) in project.sources.iter() {
            if customer_files.contains(name) {
                continue;
            }
            h.update(name.as_bytes());
            h.update([0]);
            h.update((text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
        Inputs {
            shared: hex(&h.finalize()),
        }
    }

    pub fn key(&self, project: &Project, t: &crate::assemble::Target) -> String {
        let mut h = Sha256::new();
        h.update(self.shared.as_bytes());
        for part in [&t.vendor.id, &t.doc.id] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        if let Some(c) = t.customer {
            h.update(c.id.as_bytes());
            h.update([0]);
            h.update(project.sources.text(c.file).as_bytes());
        }
        hex(&h.finalize())
    }
}

/// SHA-256 of the assembled document: every word and value a renderer can see.
pub fn doc_hash(doc: &Assembled) -> String {
    let mut h = Sha256::new();
    // Serialising straight into the hasher: no copy of the document in memory.
    let _ = serde_json::to_writer(HashWriter(&mut h), doc);
    hex(&h.finalize())
}

struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What besides the document shapes its outputs. The binary is identified by its version,
/// path, size and modification time (hashing 50 MB on every run would cost more than it
/// saves); the templates directory by every file's path and bytes.
fn fingerprint(project: &Project) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Ok(exe) = std::env::current_exe() {
        h.update(exe.to_string_lossy().as_bytes());
        if let Ok(m) = std::fs::metadata(&exe) {
            h.update(m.len().to_le_bytes());
            if let Ok(t) = m
                .modified()
                .map(|t| t.duration_since(std::time::UNIX_EPOCH))
            {
                h.update(t.unwrap_or_default().as_nanos().to_le_bytes());
            }
        }
    }
    h.update(
        std::env::var("SOURCE_DATE_EPOCH")
            .unwrap_or_default()
            .as_bytes(),
    );
    hash_tree(
        &mut h,
        project.files.as_ref(),
        &project.manifest.templates,
        0,
    );
    hex(&h.finalize())
}

/// Hash the regular files under `rel` in name order, through the project's files (so they
/// are confined, and recorded as inputs).
fn hash_tree(h: &mut Sha256, files: &dyn Files, rel: &Path, depth: usize) {
    if depth > 16 || files.is_link(rel) {
        return;
    }
    let Ok(names) = files.list(rel) else {
        return;
    };
    for name in names {
        let child = rel.join(name);
        match files.kind(&child) {
            Kind::Dir => hash_tree(h, files, &child, depth + 1),
            Kind::File => {
                h.update(child.to_string_lossy().as_bytes());
                h.update([0]);
                if let Ok(bytes) = files.read(&child, 64 * 1024 * 1024) {
                    h.update((bytes.len() as u64).to_le_bytes());
                    h.update(&bytes);
                }
            }
            _ => {}
        }
    }
}
