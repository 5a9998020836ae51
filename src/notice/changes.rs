//! The editor's changes file: per clause or article id, a toelichting (why it changed, in
//! words a customer understands) and whether the change is material or editorial. `publish`
//! reads `changes/<vendor>/<doc>/<edition>.yaml`, checks every id against the edition, and
//! stores the notes in the edition (`changes.json`); the notice shows them.
//!
//! ```yaml
//! service.availability:
//!   kind: material
//!   toelichting: We garanderen de beschikbaarheid voortaan, in plaats van ons in te spannen.
//! liability:            # an article id covers every clause in it
//!   kind: editorial
//!   toelichting: Alleen de volgorde is aangepast.
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::assemble::Assembled;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources, did_you_mean};
use crate::load::fields::MapReader;
use crate::load::yaml;
use crate::source::{Files, Kind};

/// The file name an edition stores the notes under.
pub const CHANGES_JSON: &str = "changes.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Changes what the parties agree: the customer is told and may object.
    Material,
    /// Wording, order or spelling only: listed apart, for completeness.
    Editorial,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeNote {
    /// A clause id or an article id.
    pub id: String,
    pub kind: ChangeKind,
    pub toelichting: String,
}

/// Where the editor writes the changes file of an edition, relative to the project.
pub fn path(vendor: &str, doc: &str, edition: &str) -> PathBuf {
    Path::new("changes")
        .join(vendor)
        .join(doc)
        .join(format!("{edition}.yaml"))
}

/// Read and check the changes file, if there is one. Every id must name a clause or article
/// of the new edition or the previous one (a removed clause can be explained too).
pub fn load(
    files: &dyn Files,
    sources: &mut Sources,
    rel: &Path,
    docs: &[&Assembled],
    diags: &mut Diagnostics,
) -> Vec<ChangeNote> {
    if files.kind(rel) == Kind::Missing {
        return Vec::new();
    }
    let name = crate::source::display_path(rel);
    let text = match files
        .read(rel, 1024 * 1024)
        .and_then(|b| String::from_utf8(b).map_err(|_| format!("`{name}` is not UTF-8 text")))
    {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(e));
            return Vec::new();
        }
    };
    let file = sources.add(&name, text.clone());
    let root = match yaml::parse(&text) {
        Ok(n) => n,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("invalid YAML: {}", e.message)).at(file, e.span.clone()),
            );
            return Vec::new();
        }
    };
    let yaml::Kind::Map(entries) = &root.kind else {
        if root.kind != yaml::Kind::Null {
            diags.push(
                Diagnostic::error("the changes file must map clause or article ids to notes")
                    .at(file, root.span.clone()),
            );
        }
        return Vec::new();
    };
    let known: Vec<&str> = docs
        .iter()
        .flat_map(|d| {
            d.articles.iter().flat_map(|a| {
                std::iter::once(a.id.as_str()).chain(a.clauses.iter().map(|c| c.id.as_str()))
            })
        })
        .collect();
    let mut out = Vec::new();
    for (key, node) in entries {
        if !known.contains(&key.name.as_str()) {
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is no clause or article of this edition or the previous one",
                    key.name
                ))
                .at(file, key.span.clone())
                .label("unknown id")
                .maybe_hint(did_you_mean(&key.name, known.iter().copied())),
            );
            continue;
        }
        let Some(mut m) = MapReader::new(file, node, "a change note", diags) else {
            continue;
        };
        let kind = m.required_string("kind");
        let kind_span = m.node("kind").map(|n| n.span.clone());
        let toelichting = m.required_string("toelichting");
        m.finish();
        let kind = match kind.as_deref() {
            Some("material") => ChangeKind::Material,
            Some("editorial") => ChangeKind::Editorial,
            Some(other) => {
                diags.push(
                    Diagnostic::error(format!(
                        "`kind: {other}`: a change is `material` or `editorial`"
                    ))
                    .at(file, kind_span.unwrap_or(key.span.clone()))
                    .hint("material: changes what the customer agrees to; editorial: wording or order only"),
                );
                continue;
            }
            None => continue,
        };
        let Some(toelichting) = toelichting.filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        out.push(ChangeNote {
            id: key.name.clone(),
            kind,
            toelichting: toelichting.trim().to_string(),
        });
    }
    out
}

/// The notes an edition stored; none when it has no `changes.json` (older editions).
pub fn stored(files: &dyn Files, edition_dir: &Path) -> Result<Vec<ChangeNote>, String> {
    let p = edition_dir.join(CHANGES_JSON);
    if files.kind(&p) == Kind::Missing {
        return Ok(Vec::new());
    }
    let bytes = files.read(&p, 16 * 1024 * 1024)?;
    serde_json::from_slice(&bytes)
        .map_err(|e| format!("`{}` is damaged: {e}", crate::source::display_path(&p)))
}
