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
    let (project, mut diags) = load_project(root)?;
    let vendor = project.vendors.get(&args.vendor).ok_or_else(|| Fatal {
        code: 2,
        message: format!("no vendor `{}`", args.vendor),
    })?;
    let doc = project.documents.get(&args.doc).ok_or_else(|| Fatal {
        code: 2,
        message: format!("no document `{}`", args.doc),
    })?;
    let rel_dir = doc_dir(&project.manifest.published, &args.vendor, &args.doc);
    crate::source::check_relative(&rel_dir).map_err(|message| Fatal { code: 1, message })?;
    let dir = project.root.join(&rel_dir);
    let final_dir = dir.join(&args.edition);
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
        vendor,
        customer: None,
        doc: &stamped,
    });
    diags.extend(d);
    let mut customers: Vec<(String, Assembled)> = Vec::new();
    for c in vendor.customers.values() {
        let (a, d) = assembler.assemble(Target {
            vendor,
            customer: Some(c),
            doc: &stamped,
        });
        diags.extend(d);
        if let Some(a) = a {
            customers.push((c.id.clone(), a));
        }
    }
    let main = match main {
        Some(m) if !diags.has_errors() => m,
        _ => return Err(report(&project, diags, color)),
    };
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
