//! Diagnostics: every problem found in a project, with the file, the byte span, a hint, and
//! rustc-style rendering (via codespan-reporting) or JSON for tools.
//!
//! Stages never stop at the first problem; they push into a [`Diagnostics`] and go on where
//! that still makes sense, so `check` can report everything in one run.

use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

/// Index of a source file in [`Sources`].
pub type FileId = usize;

/// Every text file the project read, by its path relative to the project root, so that
/// diagnostics can show source lines long after loading.
///
/// Source lines go to a terminal: codespan is given a copy of each text in which control,
/// bidirectional and invisible characters are replaced byte for byte (see
/// `load::text::display_copy`), so a clause cannot send escape sequences through a
/// diagnostic while every span still fits. `text` and `name` give the originals.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    originals: Vec<(String, String)>,
    by_name: HashMap<String, FileId>,
}

impl Sources {
    pub fn add(&mut self, name: &str, text: String) -> FileId {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = self.files.add(
            crate::load::text::escape_for_terminal(name),
            crate::load::text::display_copy(&text),
        );
        self.originals.push((name.to_string(), text));
        self.by_name.insert(name.to_string(), id);
        id
    }

    /// The file read from `path` (relative to the project root), if it was.
    pub fn find(&self, path: &std::path::Path) -> Option<FileId> {
        self.by_name.get(&crate::load::display_path(path)).copied()
    }

    /// Every file read, as (path, text), in reading order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.originals.iter().map(|(n, t)| (n.as_str(), t.as_str()))
    }

    pub fn name(&self, id: FileId) -> &str {
        self.originals
            .get(id)
            .map(|(n, _)| n.as_str())
            .unwrap_or("?")
    }

    pub fn text(&self, id: FileId) -> &str {
        self.originals
            .get(id)
            .map(|(_, t)| t.as_str())
            .unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset, in the original text.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        crate::load::yaml::line_col(self.text(id), offset)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem. `file` is `None` only for problems that belong to no file (a missing
/// directory, a vendor named on the command line that does not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: Option<FileId>,
    pub span: Range<usize>,
    /// Short text under the caret.
    pub label: String,
    pub hints: Vec<String>,
    /// Other places that explain this one ("first defined here").
    pub related: Vec<(FileId, Range<usize>, String)>,
    /// The lint that found it (`stale_law`), for `--explain`, levels and `allow:`.
    pub code: Option<&'static str>,
    /// A finding about something missing, shown only when no other error explains it (one
    /// slip, one error).
    pub held: bool,
    /// An error that left part of the input out (a clause that did not load or render):
    /// held findings may be its consequences.
    pub incomplete: bool,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: None,
            span: 0..0,
            label: String::new(),
            hints: Vec::new(),
            related: Vec::new(),
            code: None,
            held: false,
            incomplete: false,
        }
    }

    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.file = Some(file);
        self.span = span;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn maybe_hint(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.hint(h),
            None => self,
        }
    }

    pub fn related(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push((file, span, label.into()));
        self
    }

    /// See [`Diagnostic::incomplete`].
    pub fn incomplete(mut self) -> Self {
        self.incomplete = true;
        self
    }

    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self.held = crate::catalogue::JUDGE_ABSENCE.contains(&code);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// A growing list of diagnostics; duplicates (the same clause problem seen from several
/// vendors) are kept once.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if !self.items.contains(&d) {
            self.items.push(d);
        }
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.push(d);
        }
    }

    /// Push a finding a lint may have dropped (allowed).
    pub fn extend_opt(&mut self, d: Option<Diagnostic>) {
        if let Some(d) = d {
            self.push(d);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.visible().filter(|d| d.severity == severity).count()
    }

    /// The diagnostics to show: a held finding (something missing) is left out while an
    /// error left part of the input out, since it is most likely that error's consequence.
    fn visible(&self) -> impl Iterator<Item = &Diagnostic> {
        let incomplete = self.items.iter().any(|d| d.incomplete);
        self.items.iter().filter(move |d| !(incomplete && d.held))
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Mark every diagnostic pushed since `len()` was `mark` as one that left input out.
    pub fn mark_incomplete_since(&mut self, mark: usize) {
        for d in self.items.iter_mut().skip(mark) {
            d.incomplete = true;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file and position, so output is stable whatever order stages ran in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.visible().collect();
        v.sort_by(|a, b| {
            (a.file.is_some(), a.file, a.span.start, &a.message).cmp(&(
                b.file.is_some(),
                b.file,
                b.span.start,
                &b.message,
            ))
        });
        v
    }

    /// Write every diagnostic to stderr, rustc style, coloured when stderr is a terminal.
    pub fn emit(&self, sources: &Sources, color: bool) {
        let choice = if color {
            termcolor::ColorChoice::Auto
        } else {
            termcolor::ColorChoice::Never
        };
        let stream = termcolor::StandardStream::stderr(choice);
        let mut lock = stream.lock();
        let config = term::Config::default();
        for d in self.sorted() {
            let _ = term::emit_to_write_style(&mut lock, &config, &sources.files, &to_codespan(d));
        }
    }

    /// Render to a plain string (used by tests and by the preview server later).
    pub fn render_plain(&self, sources: &Sources) -> String {
        let config = term::Config::default();
        let mut out = String::new();
        for d in self.sorted() {
            let _ = term::emit_to_string(&mut out, &config, &sources.files, &to_codespan(d));
        }
        out
    }

    pub fn to_json(&self, sources: &Sources) -> serde_json::Value {
        let items: Vec<JsonDiagnostic> = self
            .sorted()
            .into_iter()
            .map(|d| JsonDiagnostic::new(d, sources))
            .collect();
        serde_json::json!({
            "errors": self.count(Severity::Error),
            "warnings": self.count(Severity::Warning),
            "diagnostics": items,
        })
    }
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    // Messages quote the input (`x` is not a value), so they are escaped like source lines.
    let esc = crate::load::text::escape_for_terminal;
    let mut labels = Vec::new();
    if let Some(file) = d.file {
        labels.push(Label::primary(file, d.span.clone()).with_message(esc(&d.label)));
    }
    for (file, span, label) in &d.related {
        labels.push(Label::secondary(*file, span.clone()).with_message(esc(label)));
    }
    let mut cs = CsDiagnostic::new(severity);
    if let Some(code) = d.code {
        cs = cs.with_code(code);
    }
    cs.with_message(esc(&d.message))
        .with_labels(labels)
        .with_notes(
            d.hints
                .iter()
                .map(|h| format!("help: {}", esc(h)))
                .collect(),
        )
}

/// The documented JSON shape of one diagnostic (`check --json`).
#[derive(Serialize)]
struct JsonDiagnostic {
    severity: Severity,
    /// The lint's name, for a lint finding.
    code: Option<&'static str>,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: String,
    hints: Vec<String>,
    /// The secondary places ("defined here"), each with its own position and label.
    related: Vec<JsonSpan>,
}

#[derive(Serialize)]
struct JsonSpan {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    label: String,
}

impl JsonDiagnostic {
    fn new(d: &Diagnostic, sources: &Sources) -> Self {
        let (file, start, end) = match d.file {
            Some(id) => {
                let s = sources.line_col(id, d.span.start);
                let e = sources.line_col(id, d.span.end);
                (Some(sources.name(id).to_string()), Some(s), Some(e))
            }
            None => (None, None, None),
        };
        JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: d.message.clone(),
            file,
            line: start.map(|p| p.0),
            column: start.map(|p| p.1),
            end_line: end.map(|p| p.0),
            end_column: end.map(|p| p.1),
            label: d.label.clone(),
            hints: d.hints.clone(),
            related: d
                .related
                .iter()
                .map(|(id, span, label)| {
                    let (line, column) = sources.line_col(*id, span.start);
                    let (end_line, end_column) = sources.line_col(*id, span.end);
                    JsonSpan {
                        file: sources.name(*id).to_string(),
                        line,
                        column,
                        end_line,
                        end_column,
                        label: label.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// "did you mean `x`?" for the closest candidate, if one is close enough to be a typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}
