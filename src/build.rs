//! The `build` and `check` commands: load once, assemble every requested document in
//! parallel, render, and write all outputs only if nothing failed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::assemble::{Assembled, Assembler, Target};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::load::{self, Project};
use crate::output::Outputs;
use crate::render::{self, templates::OutputTemplates};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Md,
    Pdf,
    /// PDF/A-2b, for archiving (`--pdf-standard a-2b`).
    PdfA,
    /// The generated Typst markup of the PDF, for debugging a template.
    Typst,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim() {
            "html" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Md),
            "pdf" => Some(Format::Pdf),
            "typst" | "typ" => Some(Format::Typst),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Md => "md",
            Format::Pdf | Format::PdfA => "pdf",
            Format::Typst => "typ",
        }
    }

    /// Formats that take Typst to produce (and so most of a rebuild's time).
    pub fn is_typeset(self) -> bool {
        matches!(self, Format::Pdf | Format::PdfA | Format::Typst)
    }
}

/// The creation date a PDF carries: SOURCE_DATE_EPOCH when set, else the document's
/// effective date; never the clock, so the same inputs give the same bytes.
pub fn pdf_options(doc: &Assembled, pdfa: bool) -> render::pdf::PdfOptions {
    render::pdf::PdfOptions {
        pdfa,
        timestamp: render::pdf::PdfOptions::source_date_epoch()
            .or_else(|| render::pdf::PdfOptions::effective_date(doc)),
    }
}

/// Which documents a command covers.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub vendors: Vec<String>,
    pub doc: Option<String>,
    pub customer: Option<String>,
    pub all_customers: bool,
}

/// A failure before any document could be looked at: exit status and message.
pub struct Fatal {
    pub code: u8,
    pub message: String,
}

impl Fatal {
    fn usage(message: String) -> Fatal {
        Fatal { code: 2, message }
    }
}

/// The (vendor, customer, document) combinations a selection names.
pub fn targets<'p>(project: &'p Project, sel: &Selection) -> Result<Vec<Target<'p>>, Fatal> {
    for v in &sel.vendors {
        if !project.vendors.contains_key(v) {
            return Err(Fatal::usage(format!(
                "no vendor `{v}` in {}{}",
                project.manifest.vendors.display(),
                hint(v, project.vendors.keys())
            )));
        }
    }
    if let Some(d) = &sel.doc
        && !project.documents.contains_key(d)
    {
        return Err(Fatal::usage(format!(
            "no document `{d}` in {}{}",
            project.manifest.documents.display(),
            hint(d, project.documents.keys())
        )));
    }
    let mut out = Vec::new();
    let mut customer_found = false;
    for (vid, vendor) in &project.vendors {
        if !sel.vendors.is_empty() && !sel.vendors.contains(vid) {
            continue;
        }
        let docs = project.documents.values().filter(|d| {
            sel.doc.as_ref().is_none_or(|x| x == &d.id)
                && (vendor.documents.is_empty() || vendor.documents.iter().any(|(x, _)| x == &d.id))
        });
        for doc in docs {
            match &sel.customer {
                Some(cid) => {
                    if let Some(c) = vendor.customers.get(cid) {
                        customer_found = true;
                        out.push(Target {
                            vendor,
                            customer: Some(c),
                            doc,
                        });
                    }
                }
                None => {
                    out.push(Target {
                        vendor,
                        customer: None,
                        doc,
                    });
                    if sel.all_customers {
                        for c in vendor.customers.values() {
                            out.push(Target {
                                vendor,
                                customer: Some(c),
                                doc,
                            });
                        }
                    }
                }
            }
        }
    }
    if let Some(cid) = &sel.customer
        && !customer_found
    {
        let all: Vec<&String> = project
            .vendors
            .values()
            .flat_map(|v| v.customers.keys())
            .collect();
        return Err(Fatal::usage(format!(
            "no customer `{cid}` for the selected vendor(s){}",
            hint(cid, all.into_iter())
        )));
    }
    Ok(out)
}

fn hint<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> String {
    let list: Vec<&str> = candidates.map(String::as_str).collect();
    match did_you_mean(name, list.iter().copied()) {
        Some(h) => format!("; {h}"),
        None if list.is_empty() => String::new(),
        None => format!(" (known: {})", list.join(", ")),
    }
}

/// Output path of one document, relative to the output directory.
pub fn output_path(t: &Target, ext: &str) -> PathBuf {
    let mut p = PathBuf::from(&t.vendor.id);
    if let Some(c) = t.customer {
        p = p.join("customers").join(&c.id);
    }
    p.join(format!("{}.{ext}", t.doc.id))
}

/// Result of assembling and rendering a set of targets.
pub struct Run {
    pub diags: Diagnostics,
    pub outputs: Outputs,
    pub documents: usize,
    pub assembled: Vec<Assembled>,
}

/// Assemble and render every target in parallel. Outputs are collected, not written.
pub fn run_targets(
    project: &Project,
    targets: &[Target],
    formats: &[Format],
    out_dir: &Path,
    progress: &crate::progress::Progress,
) -> Run {
    let (assembler, mut diags) = Assembler::new(project);
    let (templates, tdiags) = OutputTemplates::load(project);
    diags.extend(tdiags);
    // One Typst engine per run: fonts and the parsed template are shared by every document.
    let pdf = formats.iter().any(|f| f.is_typeset()).then(|| {
        let (engine, d) = render::pdf::PdfEngine::for_project(project);
        diags.extend(d);
        engine
    });
    type Rendered = Option<(Assembled, Vec<(PathBuf, Vec<u8>)>)>;
    let results: Vec<(Rendered, Diagnostics)> = targets
        .par_iter()
        .map(|t| {
            let (doc, mut d) = assembler.assemble(*t);
            progress.tick(output_path(t, "").to_string_lossy().trim_end_matches('.'));
            let Some(doc) = doc else { return (None, d) };
            let mut files = Vec::new();
            for f in formats {
                let bytes = match f {
                    Format::Html => match render::html::render(&doc, &templates) {
                        Ok(s) => s.into_bytes(),
                        Err(e) => {
                            d.push(e);
                            continue;
                        }
                    },
                    Format::Md => render::md::render(&doc).into_bytes(),
                    Format::Pdf | Format::PdfA => {
                        let opts = pdf_options(&doc, *f == Format::PdfA);
                        match pdf.as_ref().map(|e| e.pdf(&doc, &opts)) {
                            Some(Ok(b)) => b,
                            Some(Err(e)) => {
                                d.push(e);
                                continue;
                            }
                            None => continue,
                        }
                    }
                    Format::Typst => match &pdf {
                        Some(e) => e.markup(&doc).into_bytes(),
                        None => continue,
                    },
                };
                files.push((out_dir.join(output_path(t, f.ext())), bytes));
            }
            (Some((doc, files)), d)
        })
        .collect();
    let mut outputs = Outputs::default();
    let mut assembled = Vec::new();
    for (r, d) in results {
        diags.extend(d);
        if let Some((doc, files)) = r {
            for (p, b) in files {
                outputs.add(p, b);
            }
            assembled.push(doc);
        }
    }
    Run {
        diags,
        outputs,
        documents: targets.len(),
        assembled,
    }
}

pub struct BuildOptions {
    pub selection: Selection,
    pub formats: Vec<Format>,
    pub out: Option<PathBuf>,
    pub quiet: bool,
}

/// Load a project; a project that cannot be loaded at all is fatal, other problems are
/// returned as diagnostics.
pub fn load_project(root: &Path) -> Result<(Project, Diagnostics), Fatal> {
    load::load(root).map_err(|message| Fatal { code: 1, message })
}

pub fn build(root: &Path, opts: &BuildOptions, color: bool) -> u8 {
    let start = Instant::now();
    let (project, mut diags) = match load_project(root) {
        Ok(x) => x,
        Err(f) => return fatal(f),
    };
    let targets = match targets(&project, &opts.selection) {
        Ok(t) => t,
        Err(f) => return fatal(f),
    };
    let out_dir = match &opts.out {
        Some(o) if o.is_absolute() => o.clone(),
        Some(o) => std::env::current_dir()
            .map(|d| d.join(o))
            .unwrap_or(o.clone()),
        None => project.root.join(&project.manifest.out),
    };
    // Even when loading reported errors, assemble: the user gets every problem at once.
    let progress = crate::progress::Progress::new(targets.len(), opts.quiet);
    let run = run_targets(&project, &targets, &opts.formats, &out_dir, &progress);
    progress.finish();
    diags.extend(run.diags);
    diags.emit(&project.sources, color);
    if diags.has_errors() {
        eprintln!(
            "error: build failed with {} error(s); nothing was written",
            diags.count(Severity::Error)
        );
        return 1;
    }
    match run.outputs.commit() {
        Ok(written) => {
            if !opts.quiet {
                let formats: Vec<&str> = opts.formats.iter().map(|f| f.ext()).collect();
                eprintln!(
                    "built {} document(s) as {}: {} file(s), {} changed, into {} in {:.0?}",
                    run.documents,
                    formats.join(", "),
                    run.outputs.files.len(),
                    written,
                    out_dir.display(),
                    start.elapsed()
                );
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

pub fn check(root: &Path, selection: &Selection, json: bool, color: bool) -> u8 {
    let (project, mut diags) = match load_project(root) {
        Ok(x) => x,
        Err(f) => return fatal(f),
    };
    let mut sel = selection.clone();
    // Check covers customer contracts too, unless one customer was asked for.
    sel.all_customers = sel.customer.is_none();
    let targets = match targets(&project, &sel) {
        Ok(t) => t,
        Err(f) => return fatal(f),
    };
    let run = run_targets(
        &project,
        &targets,
        &[],
        Path::new(""),
        &crate::progress::Progress::silent(),
    );
    diags.extend(run.diags);
    if project.vendors.is_empty() && !diags.has_errors() {
        diags.push(Diagnostic::warning(format!(
            "no vendor profiles in `{}`: nothing to assemble",
            project.manifest.vendors.display()
        )));
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&diags.to_json(&project.sources)).unwrap_or_default()
        );
    } else {
        diags.emit(&project.sources, color);
        eprintln!(
            "checked {} document(s): {} error(s), {} warning(s)",
            targets.len(),
            diags.count(Severity::Error),
            diags.count(Severity::Warning)
        );
    }
    u8::from(diags.has_errors())
}

fn fatal(f: Fatal) -> u8 {
    eprintln!("error: {}", f.message);
    f.code
}
