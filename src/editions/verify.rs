//! `verify`: re-hash every published edition and name each file whose bytes, or whose
//! manifest entry, changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{LOG, MANIFEST, MAX_EDITION_FILE, read_log, read_manifest};
use crate::hash::sha256_hex;
use crate::source::{Files, Kind, display_path};

/// One finding: the file and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub what: String,
}

/// Check everything under the published directory (relative to the project), read through
/// the project's files: a symbolic link anywhere under it is reported, never followed (three
/// links to `.` made the walk endless; one to `/etc` walked it). Returns (editions checked,
/// problems).
pub fn verify_dir(files: &dyn Files, published: &Path) -> (usize, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut editions = 0;
    let mut v = Verifier {
        files,
        problems: &mut problems,
    };
    for vendor in v.sorted_dirs(published) {
        for doc in v.sorted_dirs(&vendor) {
            editions += v.verify_doc(&doc);
        }
    }
    (editions, problems)
}

fn rel(p: &Path) -> String {
    display_path(p)
}

struct Verifier<'a> {
    files: &'a dyn Files,
    problems: &'a mut Vec<Problem>,
}

impl Verifier<'_> {
    fn verify_doc(&mut self, doc: &Path) -> usize {
        let files = self.files;
        let problems = &mut *self.problems;
        let log = match read_log(files, doc) {
            Ok(l) => l,
            Err(e) => {
                problems.push(Problem {
                    path: rel(&doc.join(LOG)),
                    what: e,
                });
                Vec::new()
            }
        };
        let dirs: Vec<_> = Verifier {
            files,
            problems: &mut *problems,
        }
        .sorted_dirs(doc)
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
                    path: rel(&doc.join(&entry.edition)),
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
            let manifest_bytes = match files.read(&manifest_path, MAX_EDITION_FILE) {
                Ok(b) => b,
                Err(e) => {
                    problems.push(Problem {
                        path: rel(&manifest_path),
                        what: format!("cannot read manifest: {e}"),
                    });
                    continue;
                }
            };
            let actual = sha256_hex(&manifest_bytes);
            match log.iter().find(|e| e.edition == name) {
                None => problems.push(Problem {
                    path: rel(dir),
                    what: "edition is not recorded in editions.json".into(),
                }),
                Some(e) if e.manifest_sha256 != actual => problems.push(Problem {
                    path: rel(&manifest_path),
                    what: format!(
                        "manifest changed: expected sha256 {}, found {actual}",
                        e.manifest_sha256
                    ),
                }),
                Some(_) => {}
            }
            let manifest = match read_manifest(files, dir) {
                Ok(m) => m,
                Err(e) => {
                    problems.push(Problem {
                        path: rel(&manifest_path),
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
                        path: rel(&doc.join(LOG)),
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
                if files.kind(&path) == Kind::Missing {
                    problems.push(Problem {
                        path: rel(&path),
                        what: "file is missing".into(),
                    });
                    continue;
                }
                match files.read(&path, MAX_EDITION_FILE) {
                    Ok(bytes) => {
                        let actual = sha256_hex(&bytes);
                        if &actual != expected {
                            problems.push(Problem {
                                path: rel(&path),
                                what: format!(
                                    "content changed: expected sha256 {expected}, found {actual}"
                                ),
                            });
                        }
                    }
                    Err(e) => problems.push(Problem {
                        path: rel(&path),
                        what: e,
                    }),
                }
            }
            seen.insert(MANIFEST.to_string());
            for file in (Verifier {
                files,
                problems: &mut *problems,
            })
            .files_under(dir)
            {
                let r = display_path(file.strip_prefix(dir).unwrap_or(&file));
                if !seen.contains(&r) {
                    problems.push(Problem {
                        path: rel(&file),
                        what: "file is not part of the edition".into(),
                    });
                }
            }
        }
        // The ledger of notices: a hash chain, so an edited, removed or moved line shows.
        match super::ledger::read(files, doc) {
            Ok(entries) => {
                for (line, what) in super::ledger::check(&entries) {
                    problems.push(Problem {
                        path: format!("{}:{line}", rel(&doc.join(super::ledger::LEDGER))),
                        what,
                    });
                }
                for e in &entries {
                    for ed in [&e.from, &e.to] {
                        if !log.iter().any(|l| &l.edition == ed) {
                            problems.push(Problem {
                                path: rel(&doc.join(super::ledger::LEDGER)),
                                what: format!(
                                    "entry {} names edition `{ed}`, which is not published",
                                    e.seq
                                ),
                            });
                        }
                    }
                }
            }
            Err(what) => problems.push(Problem {
                path: rel(&doc.join(super::ledger::LEDGER)),
                what,
            }),
        }
        dirs.len()
    }

    /// Sub-directories of `p`, sorted; a symbolic link is reported and skipped.
    fn sorted_dirs(&mut self, p: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for name in self.files.list(p).unwrap_or_default() {
            let child = p.join(name);
            if self.link(&child) {
                continue;
            }
            if self.files.kind(&child) == Kind::Dir {
                out.push(child);
            }
        }
        out
    }

    /// Every file under `dir` (links reported, not followed), sorted.
    fn files_under(&mut self, dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for name in self.files.list(&d).unwrap_or_default() {
                let p = d.join(name);
                if self.link(&p) {
                    continue;
                }
                match self.files.kind(&p) {
                    Kind::Dir => stack.push(p),
                    _ => out.push(p),
                }
            }
        }
        out.sort();
        out
    }

    fn link(&mut self, p: &Path) -> bool {
        let is = self.files.is_link(p);
        if is {
            self.problems.push(Problem {
                path: rel(p),
                what: "is a symbolic link: published editions hold only their own files".into(),
            });
        }
        is
    }
}
