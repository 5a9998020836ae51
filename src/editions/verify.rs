//! `verify`: re-hash every published edition and name each file whose bytes, or whose
//! manifest entry, changed.

use std::collections::BTreeSet;
use std::path::Path;

use super::{LOG, MANIFEST, read_log, read_manifest};
use crate::hash::sha256_hex;

/// One finding: the file and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub what: String,
}

/// Check everything under the published directory. Returns (editions checked, problems).
pub fn verify_dir(published: &Path) -> (usize, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut editions = 0;
    for vendor in sorted_dirs(published) {
        for doc in sorted_dirs(&vendor) {
            editions += verify_doc(published, &doc, &mut problems);
        }
    }
    (editions, problems)
}

fn rel(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn verify_doc(published: &Path, doc: &Path, problems: &mut Vec<Problem>) -> usize {
    let base = published.parent().unwrap_or(published);
    let log = match read_log(doc) {
        Ok(l) => l,
        Err(e) => {
            problems.push(Problem {
                path: rel(base, &doc.join(LOG)),
                what: e,
            });
            Vec::new()
        }
    };
    let dirs: Vec<_> = sorted_dirs(doc)
        .into_iter()
        .filter(|d| {
            !d.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    for entry in &log {
        if !dirs
            .iter()
            .any(|d| d.file_name().is_some_and(|n| n == entry.edition.as_str()))
        {
            problems.push(Problem {
                path: rel(base, &doc.join(&entry.edition)),
                what: "edition listed in editions.json is missing".into(),
            });
        }
    }
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let manifest_path = dir.join(MANIFEST);
        let manifest_bytes = match std::fs::read(&manifest_path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem {
                    path: rel(base, &manifest_path),
                    what: format!("cannot read manifest: {e}"),
                });
                continue;
            }
        };
        let actual = sha256_hex(&manifest_bytes);
        match log.iter().find(|e| e.edition == name) {
            None => problems.push(Problem {
                path: rel(base, dir),
                what: "edition is not recorded in editions.json".into(),
            }),
            Some(e) if e.manifest_sha256 != actual => problems.push(Problem {
                path: rel(base, &manifest_path),
                what: format!(
                    "manifest changed: expected sha256 {}, found {actual}",
                    e.manifest_sha256
                ),
            }),
            Some(_) => {}
        }
        let manifest = match read_manifest(dir) {
            Ok(m) => m,
            Err(e) => {
                problems.push(Problem {
                    path: rel(base, &manifest_path),
                    what: e,
                });
                continue;
            }
        };
        // The log's own facts must agree with the (hash-protected) manifest: a date edited
        // in editions.json is a change too.
        if let Some(e) = log.iter().find(|e| e.edition == name) {
            for (what, logged, real) in [
                ("effective", &e.effective, &manifest.effective),
                ("published", &e.published, &manifest.published),
            ] {
                if logged != real {
                    problems.push(Problem {
                        path: rel(base, &doc.join(LOG)),
                        what: format!(
                            "`{what}` of edition `{name}` changed: the edition's manifest says {real}, editions.json says {logged}"
                        ),
                    });
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (file, expected) in &manifest.outputs {
            seen.insert(file.clone());
            let path = dir.join(file);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let actual = sha256_hex(&bytes);
                    if &actual != expected {
                        problems.push(Problem {
                            path: rel(base, &path),
                            what: format!(
                                "content changed: expected sha256 {expected}, found {actual}"
                            ),
                        });
                    }
                }
                Err(_) => problems.push(Problem {
                    path: rel(base, &path),
                    what: "file is missing".into(),
                }),
            }
        }
        seen.insert(MANIFEST.to_string());
        for file in files_under(dir) {
            let r = rel(dir, &file);
            if !seen.contains(&r) {
                problems.push(Problem {
                    path: rel(base, &file),
                    what: "file is not part of the edition".into(),
                });
            }
        }
    }
    dirs.len()
}

fn sorted_dirs(p: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.filter_map(|e| e.ok()) {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}
