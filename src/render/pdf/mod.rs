//! PDF output through the embedded Typst compiler.
//!
//! # Data, not markup
//!
//! Clause text, parameter values and party data never become Typst source. Each document is
//! turned into one JSON value ([`data`]: the [`Assembled`] fields plus every clause body
//! converted from Markdown, with pulldown-cmark, into a tree of paragraphs, lists and styled
//! text runs). The compiler sees three files:
//!
//! - the page template (`templates/document.typ`, built in or the project's override), which
//!   defines `render(data)` and lays the tree out with plain functions;
//! - a virtual data file `/.clausebook/data.json`;
//! - a generated main file of two lines: `#import "/templates/document.typ": render` and
//!   `#render(json("/.clausebook/data.json"))`.
//!
//! Typst never parses a string value as markup (only `eval` would, and the template does not
//! call it), so a vendor called `#read("/etc/passwd")` or a clause line starting with `= ` is
//! printed as it is, with no escaping to get wrong. [`PdfEngine::markup`] gives the same
//! thing as one self-contained Typst file, where the data is embedded as a Typst string
//! literal written by [`typst_string`] (the only place that escapes anything).
//!
//! # The world
//!
//! See `world.rs`: virtual files, plus the project's files through its [`Files`] (confined,
//! recorded), no packages, embedded fonts only ([`fonts`]), and
//! `today()` = the date of [`PdfOptions::timestamp`].
//!
//! # Reproducibility
//!
//! The same document and options give byte-identical PDFs whatever the machine, time zone,
//! locale or thread count: fonts are embedded, the PDF identifier is derived from a stable
//! `ident` (`clausebook/<vendor>/<customer or ->/<document>`), the creator string carries no
//! version, and the creation date comes only from [`PdfOptions::timestamp`]. With no
//! timestamp the PDF has no creation date and `datetime.today()` fails in the template; only
//! PDF/A, which requires a date, then uses the fixed epoch 1980-01-01T00:00:00Z
//! ([`FALLBACK_EPOCH`]).
//!
//! # Memory
//!
//! Typst memoises layout across compilations in a process-wide cache (comemo). Left alone it
//! grows by some megabytes per document, so the engine evicts entries unused for a while after
//! every [`EVICT_EVERY`] documents: a batch of hundreds of PDFs stays at a few hundred MB.
//!
//! # Vendor logos
//!
//! If `<templates dir>/logos/<vendor id>.svg` (or `.png`, `.jpg`, `.jpeg`) exists in the
//! project, its project path is passed as `data.logo` and the built-in template shows it in
//! the title block.

pub mod data;
pub mod fonts;
mod world;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use typst::World;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::syntax::{DiagSpan, FileId, Source, VirtualPath};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfStandard, PdfStandards, Timestamp};

use crate::assemble::Assembled;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Loader, Project, display_path};
use crate::source::{DiskFiles, Files, Kind};
use world::{DATA_PATH, DocWorld, Shared};

/// The built-in page template.
pub const BUILTIN_TEMPLATE: &str = include_str!("../../../templates/document.typ");

/// File name of the page template in the project's templates directory.
pub const TEMPLATE_FILE: &str = "document.typ";

/// After this many documents the engine evicts Typst's cache entries that the last few
/// documents did not use.
pub const EVICT_EVERY: usize = 4;

/// Cache entries unused for this many evictions go. Customer variants of a document share
/// nearly every paragraph, and each document touches (and so keeps) the entries it reuses;
/// what goes is what only one customer's text produced.
pub const EVICT_MAX_AGE: usize = 2;

/// PDF/A needs a creation date; without [`PdfOptions::timestamp`] it gets this one (UTC).
pub const FALLBACK_EPOCH: (i32, u32, u32) = (1980, 1, 1);

/// A file embedded in a PDF.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The file name a PDF reader shows and saves it under.
    pub name: String,
    pub mime: String,
    pub description: String,
    pub data: Vec<u8>,
}

/// Options for one PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// Write PDF/A-2b (archival) instead of plain PDF 1.7.
    pub pdfa: bool,
    /// Creation date of the PDF and `today()` in the template, read as UTC. Take it from the
    /// edition, the effective date or `SOURCE_DATE_EPOCH`, never from the clock.
    pub timestamp: Option<NaiveDateTime>,
}

impl PdfOptions {
    /// The effective date of a document at 00:00, if it has one: a reproducible default.
    pub fn effective_date(doc: &Assembled) -> Option<NaiveDateTime> {
        doc.effective?.and_hms_opt(0, 0, 0)
    }

    /// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) if it is set and valid.
    pub fn source_date_epoch() -> Option<NaiveDateTime> {
        let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
            .ok()?
            .trim()
            .parse()
            .ok()?;
        chrono::DateTime::from_timestamp(secs, 0).map(|t| t.naive_utc())
    }
}

/// Compiles documents to PDF. Build one per run and share it by reference: fonts are parsed
/// once per process, the standard library and the template once per engine.
pub struct PdfEngine {
    shared: Shared,
    /// The template as the user knows it ("templates/document.typ").
    template_name: String,
    /// Project path of the template, for the generated `#import`.
    template_vpath: String,
    /// Whether the template is the project's override (for the hint on errors).
    overridden: bool,
    /// Project-relative templates directory, where `logos/` is looked for.
    templates_dir: PathBuf,
    /// Documents compiled so far, for cache eviction.
    compiled: AtomicUsize,
}

// The engine is shared by reference across rayon workers.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PdfEngine>();
};

impl PdfEngine {
    /// `page_template` is the text of the page template (the built-in [`BUILTIN_TEMPLATE`] or
    /// an override) and `template_name` its project-relative name, used in messages and as
    /// its path inside the compiler (so relative paths in it resolve next to it).
    pub fn new(project_root: &Path, page_template: String, template_name: String) -> PdfEngine {
        let files = DiskFiles::new(project_root)
            .ok()
            .map(|f| Arc::new(f) as Arc<dyn Files>);
        PdfEngine::with_files(files, page_template, template_name)
    }

    /// As [`PdfEngine::new`], reading project files (logos, images, imports) through `files`.
    pub fn with_files(
        files: Option<Arc<dyn Files>>,
        page_template: String,
        template_name: String,
    ) -> PdfEngine {
        let rel = template_name.trim_start_matches("./").replace('\\', "/");
        let vpath = VirtualPath::new(format!("/{rel}"))
            .ok()
            .filter(|v| v.file_name().is_some())
            .map(|v| v.get_with_slash().to_string())
            .unwrap_or_else(|| format!("/templates/{TEMPLATE_FILE}"));
        let templates_dir = Path::new(vpath.trim_start_matches('/'))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let overridden = page_template != BUILTIN_TEMPLATE;
        PdfEngine {
            shared: Shared {
                library: LazyHash::new(Library::builder().build()),
                template: Source::new(world::file_id(&vpath), page_template),
                files,
            },
            template_name,
            template_vpath: vpath,
            overridden,
            templates_dir,
            compiled: AtomicUsize::new(0),
        }
    }

    /// The engine for a project: its `<templates>/document.typ` if it has one (read through
    /// the loader, so confined to the project root), else the built-in template.
    pub fn for_project(project: &Project) -> (PdfEngine, Diagnostics) {
        let rel = project.manifest.templates.join(TEMPLATE_FILE);
        let name = display_path(&rel);
        let mut text = BUILTIN_TEMPLATE.to_string();
        let mut diags = Diagnostics::default();
        let mut loader = Loader::new(project.files.clone());
        if loader.exists(&rel)
            && let Some(id) = loader.read(&rel, None)
        {
            text = loader.sources.text(id).to_string();
        }
        diags.extend(loader.diags);
        (
            PdfEngine::with_files(Some(project.files.clone()), text, name),
            diags,
        )
    }

    /// The template's name as given to [`PdfEngine::new`].
    pub fn template_name(&self) -> &str {
        &self.template_name
    }

    /// The document data the template receives, as pretty JSON (for snapshots and debugging).
    pub fn data_json(&self, doc: &Assembled) -> String {
        serde_json::to_string_pretty(&data::build(doc, self.logo(doc))).unwrap_or_default()
    }

    /// The generated Typst for one document, as one self-contained file: the page template,
    /// then a call of its `render` with the document data embedded as a string literal.
    /// `typst compile --root <project> file.typ` gives the same pages as [`PdfEngine::pdf`]
    /// (paths relative to the template then resolve next to this file instead).
    pub fn markup(&self, doc: &Assembled) -> String {
        let json = serde_json::to_string(&data::build(doc, self.logo(doc))).unwrap_or_default();
        let template = self.shared.template.text();
        let mut out = String::with_capacity(template.len() + json.len() * 2);
        out.push_str(&format!(
            "// Generated by clausebook {}: the page template `{}`, then the document data.\n",
            env!("CARGO_PKG_VERSION"),
            self.template_name
        ));
        out.push_str(template);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("\n// The document data (clausebook's data.json).\n#render(json(bytes(");
        out.push_str(&typst_string(&json));
        out.push_str(")))\n");
        out
    }

    /// The generated main file that the compiler starts from.
    fn main_source(&self) -> String {
        format!(
            "// Generated by clausebook: the document data, laid out by the page template.\n\
             #import {}: render\n\
             #render(json({}))\n",
            typst_string(&self.template_vpath),
            typst_string(DATA_PATH)
        )
    }

    /// Project path of the vendor's logo, if the project has one.
    fn logo(&self, doc: &Assembled) -> Option<String> {
        let files = self.shared.files.as_ref()?;
        let dir = self.templates_dir.join("logos");
        ["svg", "png", "jpg", "jpeg"].iter().find_map(|ext| {
            let rel = dir.join(format!("{}.{ext}", doc.vendor.id));
            (files.kind(&rel) == Kind::File).then(|| format!("/{}", display_path(&rel)))
        })
    }

    /// Compile one document to PDF bytes.
    pub fn pdf(&self, doc: &Assembled, opts: &PdfOptions) -> Result<Vec<u8>, Diagnostic> {
        self.pdf_with_attachments(doc, opts, &[])
    }

    /// Compile one document to PDF bytes with files embedded in it (a PDF reader lists them
    /// beside the pages): how a change notice carries the new edition.
    pub fn pdf_with_attachments(
        &self,
        doc: &Assembled,
        opts: &PdfOptions,
        attachments: &[Attachment],
    ) -> Result<Vec<u8>, Diagnostic> {
        let what = what(doc);
        let json = serde_json::to_vec(&data::build(doc, self.logo(doc))).map_err(|e| {
            Diagnostic::error(format!("{what}: cannot serialise the document data: {e}"))
        })?;
        let stamp = opts.timestamp.or_else(|| {
            opts.pdfa.then(|| {
                let (y, m, d) = FALLBACK_EPOCH;
                NaiveDate::from_ymd_opt(y, m, d)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .unwrap_or_default()
            })
        });
        let mut main = self.main_source();
        let mut world = DocWorld::new(
            &self.shared,
            String::new(),
            json,
            stamp.and_then(|t| Datetime::from_ymd(t.year(), t.month() as u8, t.day() as u8)),
        );
        for (i, a) in attachments.iter().enumerate() {
            let vpath = format!("/.clausebook/attachment-{i}");
            main.push_str(&format!(
                "#pdf.attach({}, read({}, encoding: none), mime-type: {}, description: {})\n",
                typst_string(&a.name),
                typst_string(&vpath),
                typst_string(&a.mime),
                typst_string(&a.description)
            ));
            world = world.with_extra(&vpath, a.data.clone());
        }
        let world = world.with_main(main);
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errs| self.error(&world, &what, &errs));
        if (self.compiled.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(EVICT_EVERY) {
            typst::comemo::evict(EVICT_MAX_AGE);
        }
        let mut document = document?;
        // The customer's name goes into the PDF title here, after layout, not through the
        // template's `set document`: see the built-in template's `render`.
        if let Some(c) = &doc.customer {
            let labels = crate::render::labels(doc.locale);
            let for_customer = labels["for_customer"].as_str().unwrap_or("");
            document.info_mut().title = Some(
                if doc.kind == crate::assemble::model::DocKind::Contract {
                    format!("{} – {}", doc.title, c.name())
                } else {
                    format!("{} – {for_customer} {}", doc.title, c.name())
                }
                .into(),
            );
        }
        let standards = if opts.pdfa {
            PdfStandards::new(&[PdfStandard::A_2b])
        } else {
            PdfStandards::new(&[])
        }
        .map_err(|e| Diagnostic::error(format!("{what}: {}", e.message())))?;
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(format!(
                "clausebook/{}/{}/{}",
                doc.vendor.id,
                doc.customer.as_ref().map_or("-", |c| c.id.as_str()),
                doc.document
            )),
            creator: Smart::Custom(Some("clausebook".into())),
            timestamp: stamp.and_then(|t| {
                Datetime::from_ymd_hms(
                    t.year(),
                    t.month() as u8,
                    t.day() as u8,
                    t.hour() as u8,
                    t.minute() as u8,
                    t.second() as u8,
                )
                .map(Timestamp::new_utc)
            }),
            standards,
            ..typst_pdf::PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errs| self.error(&world, &what, &errs))
    }

    /// Where a Typst span points: the file as the user knows it, and the 1-based line.
    fn locate(&self, world: &DocWorld, span: DiagSpan) -> Option<(String, Option<usize>)> {
        let id: FileId = span.id()?;
        let name = if id == world.main() {
            "generated markup".to_string()
        } else if id == self.shared.template.id() {
            format!("`{}`", self.template_name)
        } else if id.vpath().get_with_slash() == DATA_PATH {
            "generated data".to_string()
        } else {
            format!("`{}`", id.vpath().get_without_slash())
        };
        let line = typst::WorldExt::range(world, span).and_then(|r| {
            let source = world.source(id).ok()?;
            source.lines().byte_to_line(r.start).map(|l| l + 1)
        });
        Some((name, line))
    }

    /// A Typst failure as one diagnostic: the first error with its file and line, its
    /// call trace and hints, and the next few errors as hints.
    fn error(&self, world: &DocWorld, what: &str, errs: &[SourceDiagnostic]) -> Diagnostic {
        let errors: Vec<&SourceDiagnostic> = errs
            .iter()
            .filter(|e| e.severity == Severity::Error)
            .collect();
        let Some(first) = errors.first().copied().or(errs.first()) else {
            return Diagnostic::error(format!("{what}: Typst failed without a message"));
        };
        let place = |span| match self.locate(world, span) {
            Some((file, Some(line))) => format!("{file} line {line}"),
            Some((file, None)) => file,
            None => String::new(),
        };
        let at = place(first.span);
        let message = if at.is_empty() {
            format!("{what}: {}", first.message)
        } else {
            format!("{what}: error in {at}: {}", first.message)
        };
        let mut diag = Diagnostic::error(message);
        for point in &first.trace {
            let at = place(point.span.into());
            if !at.is_empty() {
                diag = diag.hint(format!("{} ({at})", point.v));
            }
        }
        for hint in &first.hints {
            diag = diag.hint(hint.v.to_string());
        }
        if first.span.id() == Some(world.main()) {
            diag = diag.hint(format!(
                "the page template `{}` must define `#let render(data) = ...`",
                self.template_name
            ));
        }
        for other in errors.iter().skip(1).take(3) {
            let at = place(other.span);
            diag = diag.hint(
                format!("also: {} {at}", other.message)
                    .trim_end()
                    .to_string(),
            );
        }
        if self.overridden {
            diag = diag.hint(format!(
                "fix the override `{}`, or delete it to use the built-in template",
                self.template_name
            ));
        }
        diag
    }
}

/// "PDF of `terms` for `wolkenwerk` (customer `bakkerij`)", for messages.
fn what(doc: &Assembled) -> String {
    match &doc.customer {
        Some(c) => format!(
            "PDF of `{}` for `{}` (customer `{}`)",
            doc.document, doc.vendor.id, c.id
        ),
        None => format!("PDF of `{}` for `{}`", doc.document, doc.vendor.id),
    }
}

/// `s` as a Typst string literal: the one place where text is escaped for Typst.
pub fn typst_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typst_string_escapes() {
        assert_eq!(typst_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(typst_string("x\ny\u{7}"), r#""x\ny\u{7}""#);
        assert_eq!(
            typst_string("#read(\"/etc/passwd\") ë €"),
            "\"#read(\\\"/etc/passwd\\\") ë €\""
        );
    }
}
