//! `publish`: freeze an edition. All or nothing: the edition is written into a temporary
//! directory beside its final place and renamed into place only when complete.

use std::path::Path;

use chrono::NaiveDate;

use super::{
    DOCUMENT_JSON, EditionManifest, LOG, LogEntry, MANIFEST, MAX_EDITION_FILE, doc_dir, read_log,
    valid_edition_name,
};
use crate::assemble::{Assembled, Assembler, Target};
use crate::build::{Fatal, load_project};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::hash::sha256_hex;
use crate::load::{Document, Project};
use crate::render::{self, templates::OutputTemplates};
use crate::source::Files;

pub struct PublishArgs {
    pub vendor: String,
    pub doc: String,
    pub edition: String,
    pub effective: NaiveDate,
    /// The date customers will be told; default today.
    pub notice_date: Option<NaiveDate>,
    /// Show what would be frozen; write nothing.
    pub dry_run: bool,
}

pub fn publish(root: &Path, args: &PublishArgs, color: bool) -> crate::exit::Exit {
    run(root, args, color).map(|()| crate::exit::Outcome::Success)
}

fn run(root: &Path, args: &PublishArgs, color: bool) -> Result<(), Fatal> {
    if !valid_edition_name(&args.edition) {
        return Err(Fatal {
            code: 2,
            message: format!(
                "`{}` is not a valid edition name: use letters, digits, `.`, `-` and `_` (e.g. 2025-01)",
                args.edition
            ),
        });
    }
    let (mut project, mut diags) = load_project(root)?;
    let vendor = project.vendors.get(&args.vendor).ok_or_else(|| Fatal {
        code: 2,
        message: format!("no vendor `{}`", args.vendor),
    })?;
    let doc = project.documents.get(&args.doc).ok_or_else(|| Fatal {
        code: 2,
        message: format!("no document `{}`", args.doc),
    })?;
    let vendor = vendor.clone();
    let doc = doc.clone();
    let rel_dir = doc_dir(&project.manifest.published, &args.vendor, &args.doc);
    crate::source::check_relative(&rel_dir).map_err(|message| Fatal { code: 1, message })?;
    let dir = project.root.join(&rel_dir);
    let final_dir = dir.join(&args.edition);
    // The edition this one follows: the last one published. An edition may not take effect
    // before it — editions cannot change, so a wrong date would be a dead end.
    let previous =
        read_log(project.files.as_ref(), &rel_dir).map_err(|message| Fatal { code: 1, message })?;
    let previous = previous.last().cloned();
    if final_dir.exists() {
        let hash = std::fs::read(final_dir.join(MANIFEST))
            .map(|b| sha256_hex(&b))
            .unwrap_or_else(|_| "unreadable".into());
        return Err(Fatal {
            code: 1,
            message: format!(
                "edition `{}` of `{}` for `{}` is already published (manifest sha256 {hash}); published editions are never overwritten — choose a new edition name",
                args.edition, args.doc, args.vendor
            ),
        });
    }

    // The edition's name and date go into the document itself.
    let mut stamped: Document = doc.clone();
    stamped.version = Some(args.edition.clone());
    stamped.effective = Some(args.effective);
    let (assembler, d) = Assembler::new(&project);
    diags.extend(d);
    let (templates, d) = OutputTemplates::load(&project);
    diags.extend(d);
    let (main, d) = assembler.assemble(Target {
        vendor: &vendor,
        customer: None,
        doc: &stamped,
    });
    diags.extend(d);
    let mut customers: Vec<(String, Assembled)> = Vec::new();
    for c in vendor.customers.values() {
        let (a, d) = assembler.assemble(Target {
            vendor: &vendor,
            customer: Some(c),
            doc: &stamped,
        });
        diags.extend(d);
        if let Some(a) = a {
            customers.push((c.id.clone(), a));
        }
    }
    drop(assembler);
    let main = match main {
        Some(m) if !diags.has_errors() => m,
        _ => return Err(report(&project, diags, color)),
    };
    let prev_doc = match &previous {
        Some(p) => Some(
            super::read_document(project.files.as_ref(), &rel_dir.join(&p.edition), None)
                .map_err(|message| Fatal { code: 1, message })?,
        ),
        None => None,
    };
    if let Some(p) = &previous {
        check_dates(&project, args, &main, p)?;
    }
    let changes_rel = crate::notice::changes::path(&args.vendor, &args.doc, &args.edition);
    let docs: Vec<&Assembled> = std::iter::once(&main).chain(prev_doc.as_ref()).collect();
    let notes = crate::notice::changes::load(
        project.files.as_ref(),
        &mut project.sources,
        &changes_rel,
        &docs,
        &mut diags,
    );
    if diags.has_errors() {
        return Err(report(&project, diags, color));
    }
    if let Some(old) = &prev_doc {
        // A changed value is named in the notice by its label: an English key in a Dutch
        // letter is caught here, while the edition can still be fixed.
        for p in crate::diff::diff(old, &main).parameters {
            if let Some(spec) = project.library.schema.by_key(&p.key)
                && spec.label == spec.name.replace('_', " ")
            {
                eprintln!(
                    "warning[missing_label]: parameter `{}` changed but has no `label`: the change notice will call it `{}` (add `label:` to its declaration)",
                    p.key, p.label
                );
            }
        }
    }
    if args.dry_run {
        dry_run(
            args,
            &main,
            prev_doc.as_ref(),
            previous.as_ref(),
            &customers,
            &notes,
        );
        return Ok(());
    }
    let html = render::html::render(&main, &templates).map_err(|d| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        report(&project, ds, color)
    })?;

    // The edition's PDF carries the edition's date, never the clock.
    let (engine, d) = render::pdf::PdfEngine::for_project(&project);
    let timestamp = args.effective.and_hms_opt(0, 0, 0);
    let pdf = engine
        .pdf(
            &main,
            &render::pdf::PdfOptions {
                pdfa: false,
                timestamp,
            },
        )
        .map_err(|e| {
            let mut ds = d.clone();
            ds.push(e);
            report(&project, ds, color)
        })?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (DOCUMENT_JSON.into(), to_json(&main)),
        ("document.pdf".into(), pdf),
        ("document.html".into(), html.into_bytes()),
        ("document.md".into(), render::md::render(&main).into_bytes()),
    ];
    for (id, a) in &customers {
        files.push((format!("customers/{id}.json"), to_json(a)));
    }
    if !notes.is_empty() {
        files.push((crate::notice::changes::CHANGES_JSON.into(), to_json(&notes)));
    }
    let manifest = EditionManifest {
        clausebook_version: env!("CARGO_PKG_VERSION").into(),
        vendor: args.vendor.clone(),
        document: args.doc.clone(),
        edition: args.edition.clone(),
        effective: args.effective.format("%Y-%m-%d").to_string(),
        published: super::today().format("%Y-%m-%d").to_string(),
        inputs: inputs(&project),
        outputs: files
            .iter()
            .map(|(n, b)| (n.clone(), sha256_hex(b)))
            .collect(),
    };
    let manifest_bytes = to_json(&manifest);
    files.push((MANIFEST.into(), manifest_bytes.clone()));
    // One publisher at a time per document: two at once would each append to the log they
    // read, and one entry would be lost. Taken only now, so that terms with errors leave
    // `published/` exactly as it was.
    std::fs::create_dir_all(&dir).map_err(|e| Fatal {
        code: 1,
        message: format!("cannot create `{}`: {e}", dir.display()),
    })?;
    let _lock = crate::output::lock::Lock::acquire(
        &dir.join(".lock"),
        crate::output::lock::Wait::Yes,
        &format!("`{}`", dir.display()),
    )
    .map_err(|message| Fatal { code: 1, message })?;
    recover_torn(project.files.as_ref(), &rel_dir, &dir)
        .map_err(|message| Fatal { code: 1, message })?;
    // Another run may have published meanwhile: the date rule holds against it too.
    if let Some(p) = read_log(project.files.as_ref(), &rel_dir)
        .map_err(|message| Fatal { code: 1, message })?
        .last()
        && let Ok(prev_eff) = NaiveDate::parse_from_str(&p.effective, "%Y-%m-%d")
        && args.effective < prev_eff
    {
        return Err(Fatal {
            code: 1,
            message: format!(
                "effective date {} is before that of edition `{}` ({prev_eff}), published meanwhile by another run; the earliest valid effective date is {prev_eff}",
                args.effective, p.edition
            ),
        });
    }
    if final_dir.exists() {
        return Err(Fatal {
            code: 1,
            message: format!(
                "edition `{}` of `{}` for `{}` was published meanwhile by another run",
                args.edition, args.doc, args.vendor
            ),
        });
    }
    write_edition(&dir, &final_dir, &files).map_err(|message| Fatal { code: 1, message })?;

    let mut log =
        read_log(project.files.as_ref(), &rel_dir).map_err(|message| Fatal { code: 1, message })?;
    log.push(LogEntry {
        edition: args.edition.clone(),
        effective: manifest.effective.clone(),
        published: manifest.published.clone(),
        manifest_sha256: sha256_hex(&manifest_bytes),
    });
    crate::output::write_atomic(&dir.join(LOG), &to_json(&log))
        .map_err(|message| Fatal { code: 1, message })?;
    eprintln!(
        "published edition {} of {} for {} (effective {}): {} files, {} customer contract(s), manifest sha256 {}",
        args.edition,
        args.doc,
        args.vendor,
        manifest.effective,
        files.len(),
        customers.len(),
        sha256_hex(&manifest_bytes)
    );
    Ok(())
}

/// The effective date of a new edition: not before the previous edition's (editions cannot
/// change, so a wrong date would be a dead end), and leaving customers the contractual notice
/// period counted from the notice date (default today; werkdagen skip holidays). A refusal
/// names the earliest date that satisfies both.
fn check_dates(
    project: &Project,
    args: &PublishArgs,
    main: &Assembled,
    previous: &LogEntry,
) -> Result<(), Fatal> {
    let prev_eff = NaiveDate::parse_from_str(&previous.effective, "%Y-%m-%d").ok();
    let notice_date = args.notice_date.unwrap_or_else(super::today);
    let key = &project.manifest.notice_period_parameter;
    let period = if main.parameters.contains_key(key) {
        Some(
            crate::notice::earliest_effective(main, notice_date, key).map_err(|r| Fatal {
                code: 1,
                message: r.0,
            })?,
        )
    } else {
        eprintln!(
            "warning: the notice period cannot be checked: no parameter `{key}` in the terms (set `notice_period_parameter` in clausebook.yaml)"
        );
        None
    };
    let earliest = [prev_eff, period.as_ref().map(|(c, _)| c.end)]
        .into_iter()
        .flatten()
        .max();
    let Some(earliest) = earliest.filter(|e| args.effective < *e) else {
        return Ok(());
    };
    let mut why = Vec::new();
    if let Some(p) = prev_eff.filter(|p| args.effective < *p) {
        why.push(format!(
            "it is before the previous edition `{}` takes effect ({p}), and an edition cannot take effect before the one it replaces",
            previous.edition
        ));
    }
    if let Some((counted, display)) = period.filter(|(c, _)| args.effective < c.end) {
        let skipped = if counted.skipped.is_empty() {
            String::new()
        } else {
            format!(
                ", holidays not counted: {}",
                counted
                    .skipped
                    .iter()
                    .map(|(d, n)| format!("{n} {d}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        why.push(format!(
            "customers told on {notice_date}{} must have the notice period of {display} (`{key}`{skipped}), which ends on {}",
            if args.notice_date.is_none() {
                " (today; set the day they will be told with --notice-date)"
            } else {
                ""
            },
            counted.end
        ));
    }
    Err(Fatal {
        code: 1,
        message: format!(
            "effective date {} is too early: {}; the earliest valid effective date is {earliest}. Nothing was published",
            args.effective,
            why.join("; and ")
        ),
    })
}

/// `publish --dry-run`: what would be frozen, and how it differs from the previous edition.
fn dry_run(
    args: &PublishArgs,
    main: &Assembled,
    prev_doc: Option<&Assembled>,
    previous: Option<&LogEntry>,
    customers: &[(String, Assembled)],
    notes: &[crate::notice::changes::ChangeNote],
) {
    println!(
        "dry run: edition {} of {} for {} (effective {}) would be frozen with:",
        args.edition, args.doc, args.vendor, args.effective
    );
    let clauses: usize = main.articles.iter().map(|a| a.clauses.len()).sum();
    println!(
        "  {DOCUMENT_JSON}, document.pdf, document.html, document.md: {} articles, {clauses} clauses",
        main.articles.len()
    );
    for (id, _) in customers {
        println!("  customers/{id}.json");
    }
    if !notes.is_empty() {
        println!(
            "  {}: {} note(s) from the changes file",
            crate::notice::changes::CHANGES_JSON,
            notes.len()
        );
    }
    println!("  {MANIFEST}");
    match (prev_doc, previous) {
        (Some(old), Some(p)) => {
            let d = crate::diff::diff(old, main);
            let summary = crate::diff::report::summary_line(&d);
            println!(
                "changes against edition {} (effective {}): {}",
                p.edition,
                p.effective,
                if summary.is_empty() {
                    "none".to_string()
                } else {
                    summary
                }
            );
            let w = crate::diff::report::words(main.locale);
            for a in &d.articles {
                for c in a.clauses.iter().filter(|c| c.change.changes_text()) {
                    let note = notes.iter().find(|n| n.id == c.id || n.id == a.id);
                    println!(
                        "  {} {}: {}{}",
                        crate::diff::report::number_label(c, &w),
                        if c.title.is_empty() {
                            &a.title
                        } else {
                            &c.title
                        },
                        crate::diff::report::describe(c.change, main.locale),
                        if note.is_some() {
                            ""
                        } else {
                            "  (no toelichting)"
                        }
                    );
                }
            }
            for p in &d.parameters {
                println!(
                    "  {}: {} → {}",
                    p.label,
                    p.old.as_deref().unwrap_or("—"),
                    p.new.as_deref().unwrap_or("—")
                );
            }
        }
        _ => println!("this would be the first edition: no previous edition to compare"),
    }
    println!("nothing was written (dry run)");
}

/// Every project file read while loading, checking and rendering this edition — clauses,
/// YAML, CSV, output and page templates, logos and images — with its SHA-256, as the project's
/// files recorded them. Earlier editions and outputs are not inputs.
fn inputs(project: &Project) -> indexmap::IndexMap<String, String> {
    let skip = [&project.manifest.published, &project.manifest.out]
        .map(|p| crate::source::display_path(p) + "/");
    project
        .files
        .reads()
        .into_iter()
        .filter(|(path, _)| !skip.iter().any(|s| path.starts_with(s.as_str())))
        .collect()
}

/// Repair a publish that was killed after its edition directory was renamed into place but
/// before `editions.json` recorded it: an edition whose manifest is whole and whose every
/// output still has the manifest's hash is added to the log; anything else is left for
/// `verify` to report. Leftover `.publishing-*` temporary directories are removed.
fn recover_torn(files: &dyn Files, rel: &Path, dir: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut log = read_log(files, rel)?;
    let mut recovered = Vec::new();
    let mut names: Vec<_> = entries.flatten().collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let name = e.file_name().to_string_lossy().to_string();
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if name.starts_with(".publishing-") {
            let _ = make_writable_and_remove(&e.path());
            continue;
        }
        if name.starts_with('.') || log.iter().any(|l| l.edition == name) {
            continue;
        }
        let edition = rel.join(&name);
        if files.is_link(&edition) {
            continue;
        }
        let Ok(bytes) = files.read(&edition.join(MANIFEST), MAX_EDITION_FILE) else {
            continue;
        };
        let Ok(m) = serde_json::from_slice::<EditionManifest>(&bytes) else {
            continue;
        };
        let whole = m.edition == name
            && m.outputs.iter().all(|(f, h)| {
                files
                    .read(&edition.join(f), MAX_EDITION_FILE)
                    .is_ok_and(|b| &sha256_hex(&b) == h)
            });
        if whole {
            log.push(LogEntry {
                edition: name.clone(),
                effective: m.effective.clone(),
                published: m.published.clone(),
                manifest_sha256: sha256_hex(&bytes),
            });
            recovered.push(name);
        }
    }
    if !recovered.is_empty() {
        crate::output::write_atomic(&dir.join(LOG), &to_json(&log))?;
        eprintln!(
            "note: recorded edition(s) {} in `{}`: an earlier publish was interrupted after writing them",
            recovered.join(", "),
            dir.join(LOG).display()
        );
    }
    Ok(())
}

fn report(project: &Project, diags: Diagnostics, color: bool) -> Fatal {
    diags.emit(&project.sources, color);
    Fatal {
        code: 1,
        message: "nothing was published: the terms have errors".into(),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// Write every file into a fresh temporary directory, make them read-only, then rename the
/// directory into place. On any failure the temporary directory is removed.
fn write_edition(dir: &Path, final_dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".publishing-")
        .tempdir_in(dir)
        .map_err(|e| format!("cannot write in `{}`: {e}", dir.display()))?;
    for (name, bytes) in files {
        let path = tmp.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .and_then(|_| std::fs::File::open(&path)?.sync_all())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        set_read_only(&path)?;
    }
    // Every file is on disk before the rename makes the edition visible.
    for d in [tmp.path().join("customers"), tmp.path().to_path_buf()] {
        if d.is_dir() {
            crate::output::sync_dir(&d)
                .map_err(|e| format!("cannot flush `{}`: {e}", d.display()))?;
        }
    }
    let kept = tmp.keep();
    let renamed = std::fs::rename(&kept, final_dir).and_then(|_| crate::output::sync_dir(dir));
    renamed.map_err(|e| {
        let _ = make_writable_and_remove(&kept);
        format!(
            "cannot move the edition into `{}`: {e}",
            final_dir.display()
        )
    })
}

fn set_read_only(path: &Path) -> Result<(), String> {
    let mut perms = std::fs::metadata(path)
        .map_err(|e| e.to_string())?
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(path, perms)
        .map_err(|e| format!("cannot protect `{}`: {e}", path.display()))
}

fn make_writable_and_remove(dir: &Path) -> std::io::Result<()> {
    std::fs::remove_dir_all(dir)
}

/// Render a diagnostic for a problem that has no source position.
pub fn plain_error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(message)
}
