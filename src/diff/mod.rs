//! Comparing two assembled documents (two editions, or an edition and the working tree).
//! Clauses are matched by id, never by position. Only stored data is compared: an old edition
//! is never re-rendered with today's templates.

pub mod docx;
pub mod redline;
pub mod report;

use std::collections::HashMap;

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use chrono::NaiveDate;

use crate::assemble::Assembled;
use crate::assemble::model::{Article, ClauseOut};
use crate::params::Locale;
use crate::render::markdown::{TextStyle, to_text};
use redline::Segment;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseChange {
    Added,
    Removed,
    /// The wording itself changed.
    Reworded,
    /// Same wording template; the text changed because a parameter (or party data) did.
    ParameterChanged,
    /// Only the numbers of cross-references in it changed.
    ReferencesRenumbered,
    /// Same text; its place among the clauses changed.
    Moved,
    /// Same text, same place; only its number changed (articles before it came or went).
    Renumbered,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClauseDiff {
    pub id: String,
    pub title: String,
    pub change: ClauseChange,
    pub old_number: Option<String>,
    pub new_number: Option<String>,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    /// Word-level redline (empty unless the text changed).
    pub redline: Vec<Segment>,
    /// Changed parameters this clause uses.
    pub parameters: Vec<String>,
    /// Full text on each side, for notices.
    pub old_text: Option<String>,
    pub new_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleDiff {
    pub id: String,
    pub title: String,
    pub old_number: Option<u32>,
    pub new_number: Option<u32>,
    pub clauses: Vec<ClauseDiff>,
}

impl ArticleDiff {
    /// Whether anything in this article is worth telling a reader.
    pub fn has_changes(&self) -> bool {
        self.old_number != self.new_number
            || self
                .clauses
                .iter()
                .any(|c| c.change != ClauseChange::Unchanged)
    }

    /// Whether the text a reader agrees to changed (not just numbering).
    pub fn has_text_changes(&self) -> bool {
        self.old_number.is_none()
            || self.new_number.is_none()
            || self.clauses.iter().any(|c| c.change.changes_text())
    }
}

impl ClauseChange {
    pub fn changes_text(self) -> bool {
        matches!(
            self,
            ClauseChange::Added
                | ClauseChange::Removed
                | ClauseChange::Reworded
                | ClauseChange::ParameterChanged
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamChange {
    pub key: String,
    pub label: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Clauses (ids) on the new side, or else the old side, that use the parameter.
    pub clauses: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub reworded: usize,
    pub parameter_changed: usize,
    pub references_renumbered: usize,
    pub moved: usize,
    pub renumbered: usize,
    pub unchanged: usize,
    pub parameters: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub edition: Option<String>,
    pub effective: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocDiff {
    pub format: u32,
    pub vendor: String,
    pub customer: Option<String>,
    pub document: String,
    pub title: String,
    pub locale: Locale,
    pub from: Side,
    pub to: Side,
    pub summary: Summary,
    pub parameters: Vec<ParamChange>,
    pub articles: Vec<ArticleDiff>,
}

impl DocDiff {
    /// Did the text of the contract change (what a customer must be told about)?
    pub fn changes_text(&self) -> bool {
        !self.parameters.is_empty() || self.articles.iter().any(ArticleDiff::has_text_changes)
    }
}

/// Text with each cross-reference replaced by its target id, so that a renumbered reference
/// compares equal.
fn ref_neutral(c: &ClauseOut) -> String {
    to_text(&c.markdown, TextStyle::RefIds)
}

pub fn diff(old: &Assembled, new: &Assembled) -> DocDiff {
    let mut summary = Summary::default();
    let parameters = param_changes(old, new);
    summary.parameters = parameters.len();

    // Article order: the new document's, with removed articles where they stood.
    let old_ids: Vec<&str> = old.articles.iter().map(|a| a.id.as_str()).collect();
    let new_ids: Vec<&str> = new.articles.iter().map(|a| a.id.as_str()).collect();
    let mut order: Vec<&str> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_ids, &new_ids) {
        match op {
            DiffOp::Delete {
                old_index, old_len, ..
            } => order.extend(&old_ids[old_index..old_index + old_len]),
            DiffOp::Equal { new_index, len, .. }
            | DiffOp::Insert {
                new_index,
                new_len: len,
                ..
            } => order.extend(&new_ids[new_index..new_index + len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                order.extend(&old_ids[old_index..old_index + old_len]);
                order.extend(&new_ids[new_index..new_index + new_len]);
            }
        }
    }
    order.dedup();
    let moved_articles = moved(&old_ids, &new_ids);

    let old_map: HashMap<&str, &Article> =
        old.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let new_map: HashMap<&str, &Article> =
        new.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut articles = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in order {
        if !seen.insert(id) {
            continue;
        }
        let (o, n) = (old_map.get(id).copied(), new_map.get(id).copied());
        let article = n.or(o).expect("id comes from one side");
        let clauses = clause_diffs(
            o,
            n,
            &parameters,
            moved_articles.contains(&id),
            &mut summary,
        );
        articles.push(ArticleDiff {
            id: id.to_string(),
            title: article.title.clone(),
            old_number: o.map(|a| a.number),
            new_number: n.map(|a| a.number),
            clauses,
        });
    }
    DocDiff {
        format: 1,
        vendor: new.vendor.id.clone(),
        customer: new.customer.as_ref().map(|c| c.id.clone()),
        document: new.document.clone(),
        title: new.title.clone(),
        locale: new.locale,
        from: Side {
            edition: old.version.clone(),
            effective: old.effective,
        },
        to: Side {
            edition: new.version.clone(),
            effective: new.effective,
        },
        summary,
        parameters,
        articles,
    }
}

/// Ids whose relative order changed: those outside the longest common subsequence.
fn moved<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<&'a str> {
    let common_old: Vec<&str> = old.iter().copied().filter(|x| new.contains(x)).collect();
    let common_new: Vec<&str> = new.iter().copied().filter(|x| old.contains(x)).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &common_old, &common_new) {
        if let DiffOp::Insert {
            new_index, new_len, ..
        }
        | DiffOp::Replace {
            new_index, new_len, ..
        } = op
        {
            out.extend(&common_new[new_index..new_index + new_len]);
        }
    }
    out
}

fn clause_diffs(
    o: Option<&Article>,
    n: Option<&Article>,
    params: &[ParamChange],
    article_moved: bool,
    summary: &mut Summary,
) -> Vec<ClauseDiff> {
    let empty = Vec::new();
    let oc = o.map(|a| &a.clauses).unwrap_or(&empty);
    let nc = n.map(|a| &a.clauses).unwrap_or(&empty);
    let old_ids: Vec<&str> = oc.iter().map(|c| c.id.as_str()).collect();
    let new_ids: Vec<&str> = nc.iter().map(|c| c.id.as_str()).collect();
    let moved_ids = moved(&old_ids, &new_ids);
    let mut out = Vec::new();
    // New order first, then removed clauses after the clause they followed.
    let mut order: Vec<&str> = new_ids.clone();
    for (i, id) in old_ids.iter().enumerate() {
        if !new_ids.contains(id) {
            let pos = (0..i)
                .rev()
                .find_map(|j| order.iter().position(|x| *x == old_ids[j]))
                .map(|p| p + 1)
                .unwrap_or(0);
            order.insert(pos, id);
        }
    }
    for id in order {
        let a = oc.iter().find(|c| c.id == id);
        let b = nc.iter().find(|c| c.id == id);
        let changed_params: Vec<String> = params
            .iter()
            .filter(|p| {
                a.is_some_and(|c| c.parameters.contains(&p.key))
                    || b.is_some_and(|c| c.parameters.contains(&p.key))
            })
            .map(|p| p.key.clone())
            .collect();
        let change = match (a, b) {
            (None, Some(_)) => ClauseChange::Added,
            (Some(_), None) => ClauseChange::Removed,
            (Some(x), Some(y)) => {
                if x.text != y.text {
                    if ref_neutral(x) == ref_neutral(y) {
                        ClauseChange::ReferencesRenumbered
                    } else if x.source_hash == y.source_hash {
                        ClauseChange::ParameterChanged
                    } else {
                        ClauseChange::Reworded
                    }
                } else if moved_ids.contains(&id) {
                    ClauseChange::Moved
                } else if x.number != y.number {
                    if article_moved {
                        ClauseChange::Moved
                    } else {
                        ClauseChange::Renumbered
                    }
                } else {
                    ClauseChange::Unchanged
                }
            }
            (None, None) => continue,
        };
        match change {
            ClauseChange::Added => summary.added += 1,
            ClauseChange::Removed => summary.removed += 1,
            ClauseChange::Reworded => summary.reworded += 1,
            ClauseChange::ParameterChanged => summary.parameter_changed += 1,
            ClauseChange::ReferencesRenumbered => summary.references_renumbered += 1,
            ClauseChange::Moved => summary.moved += 1,
            ClauseChange::Renumbered => summary.renumbered += 1,
            ClauseChange::Unchanged => summary.unchanged += 1,
        }
        let redline = match (a, b) {
            (Some(x), Some(y)) if x.text != y.text => redline::words(&x.text, &y.text),
            _ => Vec::new(),
        };
        let c = b.or(a).expect("one side exists");
        out.push(ClauseDiff {
            id: id.to_string(),
            title: c.title.clone(),
            change,
            old_number: a.map(|c| c.number.clone()),
            new_number: b.map(|c| c.number.clone()),
            old_version: a.map(|c| c.version.clone()),
            new_version: b.map(|c| c.version.clone()),
            redline,
            parameters: changed_params,
            old_text: a.map(|c| c.text.clone()),
            new_text: b.map(|c| c.text.clone()),
        });
    }
    out
}

fn param_changes(old: &Assembled, new: &Assembled) -> Vec<ParamChange> {
    let mut keys: Vec<&String> = new.parameters.keys().collect();
    keys.extend(
        old.parameters
            .keys()
            .filter(|k| !new.parameters.contains_key(*k)),
    );
    let uses = |doc: &Assembled, key: &str| -> Vec<String> {
        doc.articles
            .iter()
            .flat_map(|a| a.clauses.iter())
            .filter(|c| c.parameters.iter().any(|p| p == key))
            .map(|c| c.id.clone())
            .collect()
    };
    let mut out = Vec::new();
    for key in keys {
        let o = old.parameters.get(key);
        let n = new.parameters.get(key);
        if o.map(|p| &p.display) == n.map(|p| &p.display) {
            continue;
        }
        let mut clauses = uses(new, key);
        if clauses.is_empty() {
            clauses = uses(old, key);
        }
        // A parameter no clause of either side uses does not change the contract.
        if clauses.is_empty() {
            continue;
        }
        out.push(ParamChange {
            key: key.clone(),
            label: n.or(o).map(|p| p.label.clone()).unwrap_or_default(),
            old: o.map(|p| p.display.clone()),
            new: n.map(|p| p.display.clone()),
            clauses,
        });
    }
    out
}
