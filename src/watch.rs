//! `watch`: rebuild what an edit affects, keep going after errors, keep the last good output.
//!
//! The project is reloaded on every change (loading is about a millisecond), but only the
//! documents the changed files feed are assembled and rendered again: a clause edit re-renders
//! the documents whose modules hold it, a vendor edit that vendor's documents, a customer edit
//! that customer's contract (a customer table's edit, the contracts of its rows). Events are batched until 25 ms pass without one (at most 100 ms),
//! because editors save by writing a temporary file and renaming it. The output and `published/` directories are never watched.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::assemble::Target;
use crate::build::{self, Format, Selection, load_project, run_targets};
use crate::diagnostics::{Diagnostics, Severity};
use crate::load::Project;

/// What one rebuild did, for the status line and the preview server.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub documents: usize,
    pub written: usize,
    pub errors: usize,
    pub warnings: usize,
    /// The diagnostics as rustc-style text (empty when there are none).
    pub report: String,
    pub elapsed: Duration,
}

impl Outcome {
    fn failed(message: &str, start: Instant) -> Outcome {
        Outcome {
            errors: 1,
            report: format!("error: {message}\n"),
            elapsed: start.elapsed(),
            ..Outcome::default()
        }
    }
}

/// Rebuild settings shared by `watch` and `serve`.
pub struct Session {
    pub root: PathBuf,
    pub selection: Selection,
    pub formats: Vec<Format>,
    pub out: Option<PathBuf>,
}

impl Session {
    pub fn out_dir(&self, project: &Project) -> PathBuf {
        build::out_dir(project, self.out.as_deref())
    }

    /// Build the documents affected by `changed` (all of them when `None`): first the quick
    /// formats (HTML, Markdown), reported through `quick_done` so a preview can reload at
    /// once, then, if that went well, the typeset ones (PDF) from the same loaded project, so
    /// that an edit saved meanwhile waits for the next rebuild instead of leaking into this
    /// one. Returns the outcome of the typeset pass, if there was one.
    pub fn rebuild(
        &self,
        changed: Option<&[PathBuf]>,
        mut quick_done: impl FnMut(&Outcome),
    ) -> Option<Outcome> {
        let start = Instant::now();
        let (project, diags) = match load_project(&self.root) {
            Ok(x) => x,
            Err(f) => {
                quick_done(&Outcome::failed(&f.message, start));
                return None;
            }
        };
        let all = match build::targets(&project, &self.selection) {
            Ok(t) => t,
            Err(f) => {
                quick_done(&Outcome::failed(&f.message, start));
                return None;
            }
        };
        let targets: Vec<Target> = match changed {
            Some(paths) => {
                let rel: Vec<PathBuf> = paths
                    .iter()
                    .filter_map(|p| p.strip_prefix(&project.root).ok().map(Path::to_path_buf))
                    .collect();
                all.into_iter()
                    .filter(|t| rel.iter().any(|p| affects(&project, p, t)))
                    .collect()
            }
            None => all,
        };
        let quick = self.pass(&project, diags, &targets, false, start);
        quick_done(&quick);
        if quick.errors > 0 || quick.documents == 0 || !self.formats.iter().any(|f| f.is_typeset())
        {
            return None;
        }
        Some(self.pass(
            &project,
            Diagnostics::default(),
            &targets,
            true,
            Instant::now(),
        ))
    }

    /// Render one pass (quick or typeset formats) and write it if nothing failed.
    fn pass(
        &self,
        project: &Project,
        mut diags: Diagnostics,
        targets: &[Target],
        typeset: bool,
        start: Instant,
    ) -> Outcome {
        let formats: Vec<Format> = self
            .formats
            .iter()
            .copied()
            .filter(|f| f.is_typeset() == typeset)
            .collect();
        if formats.is_empty() {
            return Outcome::default();
        }
        let progress = crate::progress::Progress::silent();
        let run = run_targets(
            project,
            targets,
            &formats,
            &self.out_dir(project),
            &progress,
        );
        diags.extend(run.diags);
        let mut outcome = Outcome {
            documents: run.documents,
            written: 0,
            errors: diags.count(Severity::Error),
            warnings: diags.count(Severity::Warning),
            report: diags.render_plain(&project.sources),
            elapsed: Duration::ZERO,
        };
        // On errors nothing is written: the last good output stays.
        if !diags.has_errors() {
            // One writer at a time: a `build` of the same output directory finishes first.
            let out = self.out_dir(project);
            let lock = crate::output::set::lock_and_recover(&out, crate::output::lock::Wait::Yes);
            match lock.and_then(|_lock| run.outputs.commit()) {
                Ok(n) => outcome.written = n,
                Err(e) => {
                    outcome.errors += 1;
                    outcome.report.push_str(&format!("error: {e}\n"));
                }
            }
        }
        outcome.elapsed = start.elapsed();
        outcome
    }

    /// Directories to watch: the manifest's directory (not recursively, to see new top-level
    /// folders), and the library, templates, documents, vendors and customers recursively.
    pub fn watch_dirs(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let root = self.root.canonicalize().unwrap_or(self.root.clone());
        let mut dirs = vec![(root.clone(), RecursiveMode::NonRecursive)];
        if let Ok((project, _)) = load_project(&self.root) {
            let m = &project.manifest;
            for d in [
                &m.clauses,
                &m.templates,
                &m.documents,
                &m.vendors,
                &m.customers,
            ] {
                let full = root.join(d);
                if full.is_dir() && !dirs.iter().any(|(x, _)| x == &full) {
                    dirs.push((full, RecursiveMode::Recursive));
                }
            }
        }
        dirs
    }

    /// Whether a changed path can matter: not in the output or published directories, not
    /// an editor's swap or backup file.
    pub fn relevant(&self, path: &Path) -> bool {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".tmp")
        {
            return false;
        }
        let root = self.root.canonicalize().unwrap_or(self.root.clone());
        let Ok(rel) = path.strip_prefix(&root) else {
            return false;
        };
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().to_string());
        !matches!(
            first.as_deref(),
            Some("out" | "published" | "target" | ".git")
        )
    }
}

/// Does a change to `rel` (relative to the root) affect target `t`?
fn affects(project: &Project, rel: &Path, t: &Target) -> bool {
    let m = &project.manifest;
    if let Ok(inner) = rel.strip_prefix(&m.clauses) {
        let Some(dir) = inner.components().next() else {
            return true;
        };
        let dir = m.clauses.join(dir);
        return match project.library.modules.values().find(|md| md.dir == dir) {
            Some(module) => {
                t.doc.modules.iter().any(|(id, _)| id == &module.id)
                    || t.vendor.choices.modules.iter().any(|a| a.id == module.id)
            }
            // A new or broken module: rebuild everything rather than guess.
            None => true,
        };
    }
    if let Ok(inner) = rel.strip_prefix(&m.documents) {
        return inner.file_stem().is_some_and(|s| s == t.doc.id.as_str());
    }
    if rel.starts_with(&m.vendors) || rel.starts_with(&m.customers) {
        // A party file, or a clause or module a party brings: rebuild that party's documents.
        let is = |file: crate::diagnostics::FileId| Path::new(project.sources.name(file)) == rel;
        let brings = |ch: &crate::load::Choices| {
            ch.replace.values().any(|(c, _)| is(c.file))
                || ch.add.iter().any(|(c, _)| is(c.file))
                || ch.modules.iter().any(|am| {
                    project
                        .library
                        .modules
                        .get(&am.id)
                        .is_some_and(|md| rel.starts_with(&md.dir))
                })
        };
        let vendor_hit = is(t.vendor.file) || brings(&t.vendor.choices);
        let customer_hit = t.customer.is_some_and(|c| is(c.file) || brings(&c.choices));
        // A customer file changes only that customer's contract; a vendor file all of the
        // vendor's documents, its customers' too. A customer from a table has the table as
        // its file, so an edit of `customers/<vendor>.csv` rebuilds every row's contract.
        return vendor_hit || customer_hit;
    }
    // The manifest, templates or anything else: everything.
    true
}

fn status(o: &Outcome) -> String {
    let time = chrono::Local::now().format("%H:%M:%S");
    if o.errors > 0 {
        format!(
            "[{time}] ✗ {} error(s) — the last good output is kept ({} ms)",
            o.errors,
            o.elapsed.as_millis()
        )
    } else {
        format!(
            "[{time}] ✓ rebuilt {} document(s), {} file(s) changed{} ({} ms)",
            o.documents,
            o.written,
            if o.warnings > 0 {
                format!(", {} warning(s)", o.warnings)
            } else {
                String::new()
            },
            o.elapsed.as_millis()
        )
    }
}

/// Run the loop until the process is stopped; `on_rebuild` hears of every rebuild (the
/// preview server uses it to reload pages).
pub fn run(session: &Session, mut on_rebuild: impl FnMut(&Outcome)) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let _ = tx.send(res);
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let mut watched = session.watch_dirs();
    for (dir, mode) in &watched {
        watcher
            .watch(dir, *mode)
            .map_err(|e| format!("cannot watch `{}`: {e}", dir.display()))?;
    }
    let mut announce = |o: &Outcome| {
        report(o);
        on_rebuild(o);
    };
    if let Some(t) = session.rebuild(None, &mut announce) {
        report_typeset(&t);
    }
    loop {
        let Ok(first) = rx.recv() else { return Ok(()) };
        let mut paths: Vec<PathBuf> = Vec::new();
        // Every path an event named, relevant or not: a watched directory among them may
        // have been moved away or replaced.
        let mut touched: Vec<PathBuf> = Vec::new();
        let mut collect = |res: notify::Result<notify::Event>| {
            if let Ok(ev) = &res {
                touched.extend(ev.paths.iter().cloned());
            }
            // Reading files (as every rebuild does) raises access events; only changes count.
            if let Ok(ev) = res
                && matches!(
                    ev.kind,
                    notify::EventKind::Create(_)
                        | notify::EventKind::Modify(_)
                        | notify::EventKind::Remove(_)
                )
                && !matches!(
                    ev.kind,
                    notify::EventKind::Modify(notify::event::ModifyKind::Metadata(_))
                )
            {
                paths.extend(ev.paths.into_iter().filter(|p| session.relevant(p)));
            }
        };
        collect(first);
        // Debounce: wait until 25 ms pass without an event (a save's write-and-rename burst
        // takes a few), but never more than 100 ms in all.
        let deadline = Instant::now() + Duration::from_millis(100);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left.min(Duration::from_millis(25))) {
                Ok(res) => collect(res),
                Err(_) => break,
            }
        }
        // New folders (say a first templates/ override) must be watched from now on, and a
        // watched folder that was replaced (`mv clauses old && cp -r old clauses`) watched
        // again: a watch follows the directory it was set on, not its name. This comes
        // before the rebuild, so an edit made during the rebuild is seen.
        let now = session.watch_dirs();
        for (dir, mode) in &now {
            let replaced = touched.iter().any(|p| dir.starts_with(p));
            if replaced || !watched.iter().any(|(d, _)| d == dir) {
                let _ = watcher.unwatch(dir);
                if let Err(e) = watcher.watch(dir, *mode) {
                    eprintln!("warning: cannot watch `{}`: {e}", dir.display());
                }
            }
        }
        watched = now;
        if paths.is_empty() {
            continue;
        }
        paths.sort();
        paths.dedup();
        if let Some(t) = session.rebuild(Some(&paths), &mut announce) {
            report_typeset(&t);
        }
    }
}

fn report_typeset(o: &Outcome) {
    if !o.report.is_empty() {
        eprint!("{}", o.report);
    }
    let time = chrono::Local::now().format("%H:%M:%S");
    if o.errors > 0 {
        eprintln!(
            "[{time}] ✗ PDF: {} error(s) — the last good PDFs are kept",
            o.errors
        );
    } else {
        eprintln!(
            "[{time}]   PDF: {} file(s) changed ({} ms)",
            o.written,
            o.elapsed.as_millis()
        );
    }
}

fn report(o: &Outcome) {
    if !o.report.is_empty() {
        eprint!("{}", o.report);
    }
    eprintln!("{}", status(o));
}

pub fn watch(session: &Session) -> crate::exit::Exit {
    match run(session, |_| {}) {
        Ok(()) => Ok(crate::exit::Outcome::Success),
        Err(e) => Err(crate::exit::Fatal::input(e)),
    }
}
