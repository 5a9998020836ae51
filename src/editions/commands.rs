//! The `verify`, `diff` and `notice` commands.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{doc_dir, read_document, read_log, stored_customers, verify::verify_dir};
use crate::assemble::{Assembled, Assembler, Target};
use crate::build::{Fatal, load_project};
use crate::diff::{diff, report};
use crate::exit::{Exit, Outcome};
use crate::load::Project;
use crate::notice;
use crate::output::Outputs;
use crate::source::Kind;

pub fn verify(root: &Path) -> Exit {
    let (project, _) = load_project(root)?;
    let (editions, problems) = verify_dir(project.files.as_ref(), &project.manifest.published);
    for p in &problems {
        eprintln!("error: {}: {}", p.path, p.what);
    }
    if problems.is_empty() {
        eprintln!("verified {editions} edition(s): every file matches its manifest");
        Ok(Outcome::Success)
    } else {
        eprintln!(
            "verify found {} problem(s) in {editions} edition(s)",
            problems.len()
        );
        Ok(Outcome::Problems)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DiffFormat {
    Text,
    Json,
    Html,
    /// The newer side as a Word document with tracked changes (binary, to stdout).
    Docx,
}

pub struct DiffArgs {
    pub vendor: String,
    pub doc: String,
    pub from: String,
    pub to: String,
    pub customer: Option<String>,
    pub format: DiffFormat,
}

fn edition_dir(
    project: &Project,
    vendor: &str,
    doc: &str,
    edition: &str,
) -> Result<PathBuf, Fatal> {
    if !project.vendors.contains_key(vendor) {
        let known: Vec<&str> = project.vendors.keys().map(String::as_str).collect();
        return Err(Fatal {
            code: 2,
            message: format!("no vendor `{vendor}` (vendors: {})", known.join(", ")),
        });
    }
    if !project.documents.contains_key(doc) {
        let known: Vec<&str> = project.documents.keys().map(String::as_str).collect();
        return Err(Fatal {
            code: 2,
            message: format!("no document `{doc}` (documents: {})", known.join(", ")),
        });
    }
    let dir = doc_dir(&project.manifest.published, vendor, doc);
    let e = dir.join(edition);
    if project.files.kind(&e) != Kind::Dir {
        let known: Vec<String> = read_log(project.files.as_ref(), &dir)
            .unwrap_or_default()
            .into_iter()
            .map(|l| l.edition)
            .collect();
        return Err(Fatal {
            code: 1,
            message: format!(
                "no published edition `{edition}` of `{doc}` for `{vendor}`{}",
                if known.is_empty() {
                    " (nothing is published yet; see `clausebook publish`)".to_string()
                } else {
                    format!(" (published: {})", known.join(", "))
                }
            ),
        });
    }
    Ok(e)
}

/// The document on one side of a diff: a stored edition, or the working tree assembled now.
fn side(project: &Project, a: &DiffArgs, edition: &str, color: bool) -> Result<Assembled, Fatal> {
    if edition == "working" {
        let vendor = project.vendors.get(&a.vendor).ok_or_else(|| Fatal {
            code: 2,
            message: format!("no vendor `{}`", a.vendor),
        })?;
        let doc = project.documents.get(&a.doc).ok_or_else(|| Fatal {
            code: 2,
            message: format!("no document `{}`", a.doc),
        })?;
        let customer = match &a.customer {
            Some(c) => Some(vendor.customers.get(c).ok_or_else(|| Fatal {
                code: 2,
                message: format!("no customer `{c}` for `{}`", a.vendor),
            })?),
            None => None,
        };
        let (assembler, mut diags) = Assembler::new(project);
        let (doc, d) = assembler.assemble(Target {
            vendor,
            customer,
            doc,
        });
        diags.extend(d);
        return match doc {
            Some(d) if !diags.has_errors() => Ok(d),
            _ => {
                diags.emit(&project.sources, color);
                Err(Fatal {
                    code: 1,
                    message: "the working copy has errors".into(),
                })
            }
        };
    }
    let dir = edition_dir(project, &a.vendor, &a.doc, edition)?;
    read_document(project.files.as_ref(), &dir, a.customer.as_deref())
        .map_err(|message| Fatal { code: 1, message })
}

/// `diff`: the report goes to stdout.
pub fn diff_cmd(root: &Path, a: &DiffArgs, color: bool) -> Exit {
    use std::io::{IsTerminal, Write};
    if matches!(a.format, DiffFormat::Docx) && std::io::stdout().is_terminal() {
        return Err(Fatal::input(
            "a DOCX is binary: redirect it to a file, e.g. `> redline.docx`".to_string(),
        ));
    }
    let run = || -> Result<Vec<u8>, Fatal> {
        let (project, _) = load_project(root)?;
        let old = side(&project, a, &a.from, color)?;
        let new = side(&project, a, &a.to, color)?;
        let mut d = diff(&old, &new);
        // The working copy is no edition, whatever version its document file names.
        for (name, side) in [(&a.from, &mut d.from), (&a.to, &mut d.to)] {
            if name == "working" {
                side.edition = None;
                side.effective = None;
            }
        }
        Ok(match a.format {
            DiffFormat::Text => report::text(&d, color).into_bytes(),
            DiffFormat::Json => report::json(&d).into_bytes(),
            DiffFormat::Html => report::html(&d).into_bytes(),
            DiffFormat::Docx => {
                let style = crate::render::docx::DocxStyle::load(
                    project.files.as_ref(),
                    &project.manifest.templates,
                )
                .map_err(|e| Fatal::input(e.message.clone()))?;
                crate::diff::docx::render(&old, &new, &d, &style, None)
                    .map_err(|e| Fatal::input(e.message.clone()))?
            }
        })
    };
    let bytes = run()?;
    let mut out = std::io::stdout().lock();
    // A closed pipe ends the output quietly, as `print!` would not.
    let _ = out.write_all(&bytes).and_then(|()| out.flush());
    Ok(Outcome::Success)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NoticeFormat {
    Html,
    Md,
    Pdf,
    /// The new edition with every change a tracked change (`crate::diff::docx`).
    Docx,
}

pub struct NoticeArgs {
    pub vendor: String,
    pub doc: String,
    pub from: String,
    pub to: String,
    pub customer: Option<String>,
    pub all_customers: bool,
    pub formats: Vec<NoticeFormat>,
    pub date: Option<NaiveDate>,
    pub out: Option<PathBuf>,
    /// Record the notices in the ledger, with this channel.
    pub record: Option<String>,
}

/// A file name from a title: "Algemene voorwaarden" → "algemene-voorwaarden".
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "document".into()
    } else {
        out
    }
}

pub fn notice_cmd(root: &Path, a: &NoticeArgs) -> Exit {
    notice_run(root, a).map(|()| Outcome::Success)
}

fn notice_run(root: &Path, a: &NoticeArgs) -> Result<(), Fatal> {
    let (project, _) = load_project(root)?;
    let from = edition_dir(&project, &a.vendor, &a.doc, &a.from)?;
    let to = edition_dir(&project, &a.vendor, &a.doc, &a.to)?;
    let date = a.date.unwrap_or_else(super::today);
    let out = match &a.out {
        Some(o) => o.clone(),
        None => project.root.join(&project.manifest.out),
    };
    let customers: Vec<Option<String>> = if a.all_customers {
        stored_customers(project.files.as_ref(), &to)
            .into_iter()
            .map(Some)
            .collect()
    } else {
        vec![a.customer.clone()]
    };
    let mut outputs = Outputs::default();
    let (pdf, _) = crate::render::pdf::PdfEngine::for_project(&project);
    let (templates, tdiags) = crate::render::templates::OutputTemplates::load(&project);
    if tdiags.has_errors() {
        tdiags.emit(&project.sources, false);
        return Err(Fatal {
            code: 1,
            message: "the notice template has errors".into(),
        });
    }
    let notes = notice::changes::stored(project.files.as_ref(), &to)
        .map_err(|message| Fatal { code: 1, message })?;
    let (mut written, mut skipped) = (0, 0);
    let mut sent: Vec<super::ledger::Sent> = Vec::new();
    for c in &customers {
        let old = match read_document(project.files.as_ref(), &from, c.as_deref()) {
            Ok(d) => d,
            // A customer who was not yet a customer in the old edition gets no change notice.
            Err(_) if c.is_some() && a.all_customers => {
                skipped += 1;
                continue;
            }
            Err(message) => return Err(Fatal { code: 1, message }),
        };
        let new = read_document(project.files.as_ref(), &to, c.as_deref())
            .map_err(|message| Fatal { code: 1, message })?;
        let attachment_name = format!("{}-{}.pdf", slug(&new.title), a.to);
        let n = notice::build(&notice::Inputs {
            old: &old,
            new: &new,
            notice_date: date,
            period_key: &project.manifest.notice_period_parameter,
            exit_key: &project.manifest.notice_exit_parameter,
            notes: &notes,
            attachment: Some(attachment_name.clone()),
        })
        .map_err(|r| Fatal {
            code: 1,
            message: r.0,
        })?;
        if !n.diff.changes_text() {
            skipped += 1;
            continue;
        }
        // The new text the customer agrees to: the edition's frozen PDF, or for a customer
        // their own contract from the edition's stored data, dated by the edition.
        let attachment = match c {
            None => project
                .files
                .read(&to.join("document.pdf"), super::MAX_EDITION_FILE)
                .map_err(|message| Fatal { code: 1, message })?,
            Some(_) => pdf
                .pdf(
                    &new,
                    &crate::render::pdf::PdfOptions {
                        pdfa: false,
                        timestamp: new.effective.and_then(|d| d.and_hms_opt(0, 0, 0)),
                    },
                )
                .map_err(|e| Fatal {
                    code: 1,
                    message: e.message,
                })?,
        };
        let dir = notice::output_dir(&out, &a.vendor, &a.doc, &a.from, &a.to, c.as_deref());
        let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
        for f in &a.formats {
            let (name, bytes) = match f {
                NoticeFormat::Html => match notice::html(&n, &templates) {
                    Ok(h) => ("notice.html", h.into_bytes()),
                    Err(e) => {
                        return Err(Fatal {
                            code: 1,
                            message: e.message,
                        });
                    }
                },
                NoticeFormat::Md => ("notice.md", notice::markdown(&n).into_bytes()),
                NoticeFormat::Docx => {
                    let style = crate::render::docx::DocxStyle::load(
                        project.files.as_ref(),
                        &project.manifest.templates,
                    )
                    .and_then(|s| {
                        let letter = notice::letter_markdown(&n);
                        crate::diff::docx::render(&old, &new, &n.diff, &s, Some(&letter))
                    })
                    .map_err(|e| Fatal::input(e.message))?;
                    ("notice.docx", style)
                }
                NoticeFormat::Pdf => {
                    let doc = notice::as_document(&n);
                    let opts = crate::render::pdf::PdfOptions {
                        pdfa: false,
                        timestamp: date.and_hms_opt(0, 0, 0),
                    };
                    let embedded = crate::render::pdf::Attachment {
                        name: attachment_name.clone(),
                        mime: "application/pdf".into(),
                        description: n.to_edition.clone(),
                        data: attachment.clone(),
                    };
                    match pdf.pdf_with_attachments(&doc, &opts, &[embedded]) {
                        Ok(b) => ("notice.pdf", b),
                        Err(e) => {
                            return Err(Fatal {
                                code: 1,
                                message: e.message,
                            });
                        }
                    }
                }
            };
            files.push((name, bytes));
        }
        sent.push(super::ledger::Sent {
            customer: c.clone(),
            files: files
                .iter()
                .map(|(name, b)| (name.to_string(), crate::hash::sha256_hex(b)))
                .collect(),
        });
        for (name, bytes) in files {
            outputs.add(dir.join(name), bytes);
        }
        outputs.add(dir.join(&attachment_name), attachment);
        written += 1;
    }
    // A build swaps the whole output directory: wait for one that is running, so the notices
    // land in the set that stays.
    let _lock = crate::output::set::lock_and_recover(&out, crate::output::lock::Wait::Yes)
        .map_err(|message| Fatal { code: 1, message })?;
    // The ledger is checked before anything is written: a broken chain records nothing.
    let record_lock = match &a.record {
        Some(channel) => {
            if channel.trim().is_empty() || channel.contains(['\n', '\r']) {
                return Err(Fatal {
                    code: 2,
                    message: format!(
                        "`--channel {channel:?}`: name how the notices are sent, e.g. e-mail or post"
                    ),
                });
            }
            let rel = doc_dir(&project.manifest.published, &a.vendor, &a.doc);
            let abs = project.root.join(&rel);
            let lock = crate::output::lock::Lock::acquire(
                &abs.join(".lock"),
                crate::output::lock::Wait::Yes,
                &format!("`{}`", abs.display()),
            )
            .map_err(|message| Fatal { code: 1, message })?;
            let entries = super::ledger::read(project.files.as_ref(), &rel)
                .map_err(|message| Fatal { code: 1, message })?;
            if let Some((line, what)) = super::ledger::check(&entries).first() {
                return Err(Fatal {
                    code: 1,
                    message: format!(
                        "{}:{line}: {what}; nothing was written or recorded (run `clausebook verify`)",
                        crate::source::display_path(&rel.join(super::ledger::LEDGER))
                    ),
                });
            }
            Some((lock, rel, abs, channel.trim().to_string()))
        }
        None => None,
    };
    outputs
        .commit()
        .map_err(|message| Fatal { code: 1, message })?;
    if let Some((_lock, rel, abs, channel)) = &record_lock {
        let added = super::ledger::append(
            project.files.as_ref(),
            rel,
            abs,
            (&a.vendor, &a.doc, &a.from, &a.to),
            &date.format("%Y-%m-%d").to_string(),
            channel,
            &sent,
        )
        .map_err(|message| Fatal { code: 1, message })?;
        if !added.is_empty() {
            eprintln!(
                "recorded {} notice(s) in {} (entries {}–{})",
                added.len(),
                crate::source::display_path(&rel.join(super::ledger::LEDGER)),
                added[0].seq,
                added[added.len() - 1].seq
            );
        }
    }
    eprintln!(
        "notices for {} {} {} → {}: {written} written, {skipped} skipped (contract text unchanged){}",
        a.vendor,
        a.doc,
        a.from,
        a.to,
        if written > 0 {
            format!(", in {}", out.join("notices").display())
        } else {
            String::new()
        }
    );
    Ok(())
}

/// `notices`: the ledger of one vendor's document, as a table (or JSON lines).
pub fn notices_cmd(root: &Path, vendor: &str, doc: &str, json: bool) -> Exit {
    let (project, _) = load_project(root)?;
    if !project.vendors.contains_key(vendor) {
        return Err(Fatal {
            code: 2,
            message: format!("no vendor `{vendor}`"),
        });
    }
    let rel = doc_dir(&project.manifest.published, vendor, doc);
    let entries = super::ledger::read(project.files.as_ref(), &rel)
        .map_err(|message| Fatal { code: 1, message })?;
    let broken = super::ledger::check(&entries);
    if json {
        for e in &entries {
            println!("{}", serde_json::to_string(e).unwrap_or_default());
        }
    } else if entries.is_empty() {
        eprintln!("no notices recorded for {vendor} {doc} (see `clausebook notice --record`)");
    } else {
        println!(
            "{:<4} {:<10} {:<24} {:<22} {:<8} {:<10} notice sha256",
            "#", "date", "customer", "editions", "channel", "recorded"
        );
        for e in &entries {
            println!(
                "{:<4} {:<10} {:<24} {:<22} {:<8} {:<10} {}",
                e.seq,
                e.notice_date,
                e.customer.as_deref().unwrap_or("(all)"),
                format!("{} → {}", e.from, e.to),
                e.channel,
                e.recorded,
                &e.notice_sha256[..e.notice_sha256.len().min(16)]
            );
        }
    }
    for (line, what) in &broken {
        eprintln!(
            "error: {}:{line}: {what}",
            crate::source::display_path(&rel.join(super::ledger::LEDGER))
        );
    }
    Ok(if broken.is_empty() {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}
