//! The lints `check` runs beyond what the compiler itself must refuse. Each finding is named
//! after its entry in [`crate::catalogue`], reported at the level the project sets, and dropped
//! where a clause allows that lint (`allow:` in its front matter).
//!
//! - [`document`]: over one assembled document (headings, empty clauses, negotiated values
//!   that have no effect);
//! - [`text`]: over every clause's source text and every parameter value, once per project
//!   (stale law, residue, hand-typed references, drafting style, role nouns), with
//!   [`enums`] for comparisons in conditions and [`law`] for the table of stale law and the
//!   word patterns.
//!
//! They sit beside `assemble`, which calls them on what it loaded and assembled: they depend
//! on the project, the parameters and the model's data types only.

pub mod document;
pub mod enums;
pub mod explore;
pub mod law;
pub mod terms;
pub mod text;
pub mod thresholds;

use crate::diagnostics::Diagnostic;
use crate::load::{Clause, Project};

/// A finding of `lint`, at the project's level for it, or `None` when the lint is allowed
/// (by the project, or by the clause the finding is in).
pub fn finding(
    project: &Project,
    clause: Option<&Clause>,
    lint: &'static str,
    d: Diagnostic,
) -> Option<Diagnostic> {
    if clause.is_some_and(|c| c.allow.iter().any(|(n, _)| n == lint)) {
        return None;
    }
    let severity = project.manifest.lints.severity(lint)?;
    Some(d.with_severity(severity).code(lint))
}
