//! The `build` and `check` commands.
//!
//! `build` works in two passes so that a batch of ten thousand contracts runs in bounded
//! memory and a failed run writes nothing: first every contract is assembled and checked
//! (cheap), keeping only diagnostics and a hash per document; then, if nothing failed, the
//! contracts whose outputs the cache does not already hold are assembled again, rendered
//! and written one by one into a staged copy of the output directory, which replaces the
//! old one in a single atomic swap (`output::set`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use std::sync::Mutex;

use rayon::prelude::*;

use crate::assemble::{Assembled, Assembler, Target};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::load::{self, Customer, DocKind, Project};
use crate::output::Outputs;
use crate::output::cache::{BuildCache, CACHE_FILE, Entry, Stamp};
use crate::output::set::OutputSet;
use crate::pipeline::{self, Inputs, Renderer, shard::Shard, workers};
use crate::render;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Md,
    Pdf,
    /// PDF/A-2b, for archiving (`--pdf-standard a-2b`).
    PdfA,
    /// The generated Typst markup of the PDF, for debugging a template.
    Typst,
    /// Word, with list numbering, fields and styles (src/render/docx).
    Docx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim() {
            "html" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Md),
            "pdf" => Some(Format::Pdf),
            "typst" | "typ" => Some(Format::Typst),
            "docx" | "word" => Some(Format::Docx),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Md => "md",
            Format::Pdf | Format::PdfA => "pdf",
            Format::Typst => "typ",
            Format::Docx => "docx",
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

pub use crate::exit::Fatal;
use crate::exit::{Exit, Outcome};

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
        let docs = project
            .documents
            .values()
            .filter(|d| sel.doc.as_ref().is_none_or(|x| x == &d.id) && vendor.publishes(d));
        for doc in docs {
            // A contract is signed by a customer, and offered only by the vendors that list
            // it in `documents:` (adding one to a shared library must not double every
            // vendor's batch).
            if doc.kind == DocKind::Contract {
                if !vendor.documents.iter().any(|(x, _)| x == &doc.id) {
                    continue;
                }
                let customers: Vec<&Customer> = match &sel.customer {
                    Some(cid) => vendor.customers.get(cid).into_iter().collect(),
                    None if sel.all_customers => vendor.customers.values().collect(),
                    None => Vec::new(),
                };
                for c in customers {
                    customer_found = true;
                    out.push(Target {
                        vendor,
                        customer: Some(c),
                        doc,
                    });
                }
                continue;
            }
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

/// Assemble and render every target, collecting the outputs in memory (for `watch`, `check`
/// and other small sets; `build` streams through [`crate::pipeline`] instead). Typesetting
/// runs on [`workers`] threads.
pub fn run_targets(
    project: &Project,
    targets: &[Target],
    formats: &[Format],
    out_dir: &Path,
    progress: &crate::progress::Progress,
) -> Run {
    let (assembler, mut diags) = Assembler::new(project);
    let (renderer, rdiags) = Renderer::new(project, formats);
    diags.extend(rdiags);
    type Rendered = Option<(Assembled, Vec<(PathBuf, Vec<u8>)>)>;
    let one = |t: &Target| -> (Rendered, Diagnostics) {
        let (doc, mut d) = assembler.assemble(*t);
        progress.tick(output_path(t, "").to_string_lossy().trim_end_matches('.'));
        let Some(doc) = doc else { return (None, d) };
        let mut files = Vec::new();
        for f in formats {
            match renderer.render(&doc, *f) {
                Ok(bytes) => files.push((out_dir.join(output_path(t, f.ext())), bytes)),
                Err(e) => d.push(e),
            }
        }
        (Some((doc, files)), d)
    };
    let results: Vec<(Rendered, Diagnostics)> = if formats.iter().any(|f| f.is_typeset()) {
        let slots: Vec<Mutex<Option<(Rendered, Diagnostics)>>> =
            targets.iter().map(|_| Mutex::new(None)).collect();
        workers::for_each_index(targets.len(), |i| {
            let r = one(&targets[i]);
            if let Ok(mut s) = slots[i].lock() {
                *s = Some(r);
            }
        });
        slots
            .into_iter()
            .filter_map(|s| s.into_inner().ok().flatten())
            .collect()
    } else {
        targets.par_iter().map(one).collect()
    };
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
    /// Render everything again, ignoring the cache.
    pub force: bool,
    /// Build only this share of the contracts.
    pub shard: Option<Shard>,
}

/// Load a project; a project that cannot be loaded at all is fatal, other problems are
/// returned as diagnostics.
pub fn load_project(root: &Path) -> Result<(Project, Diagnostics), Fatal> {
    load::load(root).map_err(|message| Fatal { code: 1, message })
}

/// The output directory of a command: `--out` (relative to the working directory) or the
/// manifest's `out` (relative to the project).
pub fn out_dir(project: &Project, out: Option<&Path>) -> PathBuf {
    match out {
        Some(o) if o.is_absolute() => o.to_path_buf(),
        Some(o) => std::env::current_dir()
            .map(|d| d.join(o))
            .unwrap_or(o.to_path_buf()),
        None => project.root.join(&project.manifest.out),
    }
}

pub fn build(root: &Path, opts: &BuildOptions, color: bool) -> Exit {
    build_run(root, opts, color).map(|code| Outcome::problems_if(code != 0))
}

fn build_run(root: &Path, opts: &BuildOptions, color: bool) -> Result<u8, Fatal> {
    let start = Instant::now();
    let (project, mut diags) = load_project(root)?;
    let all = targets(&project, &opts.selection)?;
    let targets: Vec<Target> = match opts.shard {
        Some(s) => all
            .into_iter()
            .filter(|t| s.contains(&t.vendor.id, t.customer.map(|c| c.id.as_str())))
            .collect(),
        None => all,
    };
    let out = out_dir(&project, opts.out.as_deref());
    guard_out_dir(&project, &out)?;

    // 1. Check: assemble everything (cheap) before rendering anything, keeping only the
    //    diagnostics and a hash of each document, so memory does not grow with the batch.
    let (assembler, adiags) = Assembler::new(&project);
    diags.extend(adiags);
    let (renderer, rdiags) = Renderer::new(&project, &opts.formats);
    diags.extend(rdiags);
    // A contract whose inputs are those its outputs were rendered from is not assembled
    // again (the cache says so, and the files are still the ones it recorded).
    let inputs = Inputs::new(&project, &renderer);
    let old_out = BuildCache::read(&out);
    let input_keys: Vec<String> = targets
        .par_iter()
        .map(|t| inputs.key(&project, t))
        .collect();
    let unchanged = |i: usize| -> bool {
        !opts.force
            && opts.formats.iter().all(|f| {
                old_out.fresh_inputs(
                    &out,
                    &rel_key(&output_path(&targets[i], f.ext())),
                    &input_keys[i],
                )
            })
    };
    let checked: Vec<(Option<String>, Diagnostics)> = (0..targets.len())
        .into_par_iter()
        .map(|i| {
            if unchanged(i) {
                return (None, Diagnostics::default());
            }
            let (doc, d) = assembler.assemble(targets[i]);
            // A document that failed has errors; `None` with no errors means "unchanged".
            (doc.as_ref().map(pipeline::doc_hash), d)
        })
        .collect();
    drop(old_out);
    let mut hashes = Vec::with_capacity(checked.len());
    for (h, d) in checked {
        diags.extend(d);
        hashes.push(h);
    }
    if diags.has_errors() {
        diags.emit(&project.sources, color);
        eprintln!(
            "error: build failed with {} error(s); nothing was written",
            diags.count(Severity::Error)
        );
        return Ok(1);
    }

    // 2. Stage the next output set and render what the cache does not already hold.
    let set = OutputSet::begin(&out).map_err(|message| Fatal { code: 1, message })?;
    let old = BuildCache::read(&set.staged(Path::new("")));
    let staged_root = set.staged(Path::new(""));
    let mut cache = BuildCache::default();
    let mut todo = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let mut fresh = !opts.force;
        for f in &opts.formats {
            let rel = rel_key(&output_path(t, f.ext()));
            let ok = match &hashes[i] {
                None => old.fresh_inputs(&staged_root, &rel, &input_keys[i]),
                Some(h) => old.fresh(&staged_root, &rel, &renderer.key(h, *f)),
            };
            if fresh && ok {
                if let Some(e) = old.files.get(&rel) {
                    let mut e = e.clone();
                    e.inputs = input_keys[i].clone();
                    cache.files.insert(rel, e);
                }
            } else {
                fresh = false;
            }
        }
        if !fresh {
            todo.push(i);
        }
    }
    drop(hashes);
    let progress = crate::progress::Progress::new(todo.len(), opts.quiet);
    // What the render threads report: diagnostics, cache entries, files written.
    type Reports = (Diagnostics, Vec<(String, Entry)>, usize);
    let results: Mutex<Reports> = Mutex::new((Diagnostics::default(), Vec::new(), 0));
    workers::for_each_index(todo.len(), |n| {
        let t = &targets[todo[n]];
        let (doc, first) = assembler.assemble(*t);
        // The check pass reported this document's warnings already.
        let mut d = Diagnostics::default();
        for e in first.iter().filter(|e| e.severity == Severity::Error) {
            d.push(e.clone());
        }
        let mut entries = Vec::new();
        let mut written = 0;
        if let Some(doc) = doc {
            let h = pipeline::doc_hash(&doc);
            for f in &opts.formats {
                let rel = output_path(t, f.ext());
                match renderer.render(&doc, *f) {
                    Ok(bytes) => match set.write(&rel, &bytes) {
                        Ok(changed) => {
                            written += usize::from(changed);
                            if let Some(stamp) = Stamp::of(&set.staged(&rel)) {
                                let mut e = entry(t, renderer.key(&h, *f), stamp);
                                e.inputs = input_keys[todo[n]].clone();
                                entries.push((rel_key(&rel), e));
                            }
                        }
                        Err(e) => d.push(Diagnostic::error(format!(
                            "cannot write `{}`: {e}",
                            out.join(&rel).display()
                        ))),
                    },
                    Err(e) => d.push(e),
                }
            }
        }
        progress.tick(output_path(t, "").to_string_lossy().trim_end_matches('.'));
        if let Ok(mut r) = results.lock() {
            r.0.extend(d);
            r.1.extend(entries);
            r.2 += written;
        }
    });
    progress.finish();
    let (rdiags, entries, written) = results.into_inner().unwrap_or_default();
    diags.extend(rdiags);
    diags.emit(&project.sources, color);
    if diags.has_errors() {
        // Dropping the set discards everything staged: the output directory is untouched.
        drop(set);
        eprintln!(
            "error: build failed with {} error(s); nothing was written",
            diags.count(Severity::Error)
        );
        return Ok(1);
    }
    cache.files.extend(entries);

    // 3. Remove what belongs to contracts that no longer exist, write the cache, swap.
    let removed = remove_stale(&project, &opts.selection, &set, &old, &mut cache)
        .map_err(|message| Fatal { code: 1, message })?;
    let cache_bytes = cache.to_bytes();
    let cache_changed = set
        .write(Path::new(CACHE_FILE), &cache_bytes)
        .map_err(|e| Fatal {
            code: 1,
            message: format!("cannot write the build cache in `{}`: {e}", out.display()),
        })?;
    if written == 0 && removed == 0 && !cache_changed {
        // Nothing to swap: the staged set is the current one.
        drop(set);
    } else {
        set.commit().map_err(|message| Fatal { code: 1, message })?;
    }
    if !opts.quiet {
        let formats: Vec<&str> = opts.formats.iter().map(|f| f.ext()).collect();
        let mut extra = String::new();
        if removed > 0 {
            extra.push_str(&format!(
                ", {removed} removed (contracts that no longer exist)"
            ));
        }
        eprintln!(
            "built {} document(s) as {}: {} rendered, {} unchanged, {} file(s) written{extra}, into {} in {:.1?}",
            targets.len(),
            formats.join(", "),
            todo.len(),
            targets.len() - todo.len(),
            written,
            out.display(),
            start.elapsed()
        );
    }
    Ok(0)
}

/// A path relative to the output directory as the cache writes it: `/`-separated.
fn rel_key(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn entry(t: &Target, key: String, stamp: Stamp) -> Entry {
    Entry {
        key,
        inputs: String::new(),
        vendor: t.vendor.id.clone(),
        customer: t.customer.map(|c| c.id.clone()).unwrap_or_default(),
        document: t.doc.id.clone(),
        stamp,
    }
}

/// Remove from the staged set the outputs of contracts that no longer exist: files the
/// cache recorded for a vendor, customer or document the project no longer has, and
/// customer directories of the selected vendors with no customer behind them. Outputs of
/// vendors outside the selection are left alone. Returns how many contracts went.
fn remove_stale(
    project: &Project,
    sel: &Selection,
    set: &OutputSet,
    old: &BuildCache,
    cache: &mut BuildCache,
) -> Result<usize, String> {
    let in_scope = |vendor: &str| sel.vendors.is_empty() || sel.vendors.iter().any(|v| v == vendor);
    let exists = |e: &Entry| -> bool {
        let Some(v) = project.vendors.get(&e.vendor) else {
            return false;
        };
        project
            .documents
            .get(&e.document)
            .is_some_and(|d| v.publishes(d))
            && (e.customer.is_empty() || v.customers.contains_key(&e.customer))
    };
    let fail = |p: &str, e: std::io::Error| format!("cannot remove `{p}` from the output: {e}");
    let mut gone = std::collections::BTreeSet::new();
    for (rel, e) in &old.files {
        if in_scope(&e.vendor) && !exists(e) {
            set.remove(Path::new(rel)).map_err(|err| fail(rel, err))?;
            cache.files.remove(rel);
            gone.insert((e.vendor.clone(), e.customer.clone(), e.document.clone()));
        }
    }
    for (vid, v) in &project.vendors {
        if !in_scope(vid) {
            continue;
        }
        let dir = Path::new(vid).join("customers");
        let Ok(entries) = std::fs::read_dir(set.staged(&dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if !v.customers.contains_key(&name) {
                set.remove(&dir.join(&name))
                    .map_err(|err| fail(&name, err))?;
                cache
                    .files
                    .retain(|_, x| !(x.vendor == *vid && x.customer == name));
                gone.insert((vid.clone(), name, String::new()));
            }
        }
    }
    // A vendor that is gone altogether: its directory, if the cache says it was ours.
    if sel.vendors.is_empty() {
        for e in old.files.values() {
            if !project.vendors.contains_key(&e.vendor) {
                set.remove(Path::new(&e.vendor))
                    .map_err(|err| fail(&e.vendor, err))?;
            }
        }
    }
    let contracts: std::collections::BTreeSet<(String, String)> =
        gone.into_iter().map(|(v, c, _)| (v, c)).collect();
    Ok(contracts.len())
}

/// Refuse an output directory that would overwrite or swap away the project's own files:
/// the project root, `published/`, an input directory, anything containing one or inside
/// one. And refuse a directory clausebook did not make, since the output set replaces it
/// whole.
fn guard_out_dir(project: &Project, out: &Path) -> Result<(), Fatal> {
    let norm = |p: &Path| -> PathBuf {
        // The directory may not exist yet: canonicalise its nearest existing ancestor.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(n), Some(parent)) => {
                    rest.push(n.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = existing.canonicalize().unwrap_or(existing);
        for n in rest.iter().rev() {
            c.push(n);
        }
        c
    };
    let out_n = norm(out);
    let root = norm(&project.root);
    let m = &project.manifest;
    let inputs: Vec<(&str, PathBuf)> = vec![
        ("the clause library", root.join(&m.clauses)),
        ("the templates directory", root.join(&m.templates)),
        ("the documents directory", root.join(&m.documents)),
        ("the vendors directory", root.join(&m.vendors)),
        ("the customers directory", root.join(&m.customers)),
        ("the published editions", root.join("published")),
    ];
    let refuse = |why: String| Fatal {
        code: 2,
        message: format!(
            "refusing to build into `{}`: {why}; choose another --out (or `out:` in clausebook.yaml)",
            out.display()
        ),
    };
    if root.starts_with(&out_n) {
        return Err(refuse("it holds the project itself".into()));
    }
    for (what, dir) in &inputs {
        let dir = norm(dir);
        if out_n.starts_with(&dir) {
            return Err(refuse(format!("it is inside {what}")));
        }
        if dir.starts_with(&out_n) {
            return Err(refuse(format!("it holds {what}")));
        }
    }
    if out_n.is_dir() && !out_n.join(CACHE_FILE).exists() {
        // An output directory from before the cache existed holds vendor directories and
        // notices only; anything else was not made by clausebook.
        let foreign: Vec<String> = std::fs::read_dir(&out_n)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .filter(|n| !project.vendors.contains_key(n) && n != "notices")
                    .collect()
            })
            .unwrap_or_default();
        if !foreign.is_empty() {
            return Err(refuse(format!(
                "it exists and holds files clausebook did not write ({}); the output directory is replaced whole on every build",
                foreign
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(())
}

pub fn check(root: &Path, selection: &Selection, json: bool, color: bool) -> Exit {
    let (project, mut diags) = load_project(root)?;
    let mut sel = selection.clone();
    // Check covers customer contracts too, unless one customer was asked for.
    sel.all_customers = sel.customer.is_none();
    let targets = targets(&project, &sel)?;
    let run = run_targets(
        &project,
        &targets,
        &[],
        Path::new(""),
        &crate::progress::Progress::silent(),
    );
    diags.extend(run.diags);
    crate::editions::drift::check(&project, &run.assembled, &mut diags);
    // A value is unused only if every document that could use it was assembled: after an
    // error, some were not, and the warning would blame the customer for the library's slip.
    if !diags.has_errors() {
        crate::lint::document::unused_overrides(&project, &run.assembled, &mut diags);
    }
    // Only when what exists checks clean: a combination would repeat its errors.
    if !diags.has_errors() && selection.vendors.is_empty() && selection.doc.is_none() {
        let (assembler, _) = Assembler::new(&project);
        crate::lint::explore::explore(&project, &assembler, &mut diags);
    }
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
    Ok(Outcome::problems_if(diags.has_errors()))
}

/// `clean`: remove the output directory and the side directory beside it.
pub fn clean(root: &Path, out: Option<&Path>) -> Exit {
    let run = || -> Exit {
        let (project, _) = load_project(root)?;
        let out = out_dir(&project, out);
        guard_out_dir(&project, &out)?;
        let side = crate::output::set::side_dir(&out);
        let lock = crate::output::set::lock_and_recover(&out, crate::output::lock::Wait::No)
            .map_err(|message| Fatal { code: 1, message })?;
        let existed = out.exists();
        if existed {
            std::fs::remove_dir_all(&out).map_err(|e| Fatal {
                code: 1,
                message: format!("cannot remove `{}`: {e}", out.display()),
            })?;
        }
        drop(lock);
        let _ = std::fs::remove_dir_all(&side);
        if existed {
            eprintln!("removed `{}`", out.display());
        } else {
            eprintln!("nothing to clean: `{}` does not exist", out.display());
        }
        Ok(Outcome::Success)
    };
    run()
}
