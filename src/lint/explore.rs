//! `combination`: what breaks only under values no shipped vendor or customer uses yet. For
//! every clause whose text or inclusion depends on a choice (a bool or enum parameter in its
//! `when:`, in its `{% if %}` tags, or in the `when:` of a clause it references), each
//! document is assembled again under every combination of those few parameters, nearest to the
//! vendor's own values first, so that a failure names the smallest change that causes it:
//! a reference to a clause the change leaves out, a term whose definition drops out, a clause
//! that renders empty, a required clause that disappears.
//!
//! Pruned to the parameters each clause depends on (at most [`MAX_PARAMS`] at a time), one
//! vendor per document, and run in parallel; the shipped library explores in well under a
//! second.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::finding;
use crate::assemble::{Assembled, Assembler, Target, scan};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::load::{DocKind, Document, Project, Vendor};
use crate::params::resolve::Assignment;
use crate::params::{ParamType, Value};

/// The most parameters varied together for one clause.
pub const MAX_PARAMS: usize = 4;

pub fn explore(project: &Project, assembler: &Assembler, diags: &mut Diagnostics) {
    for doc in project.documents.values() {
        if doc.kind != DocKind::Terms {
            continue;
        }
        let Some(real) = project
            .vendors
            .values()
            .find(|v| v.documents.is_empty() || v.documents.iter().any(|(d, _)| d == &doc.id))
        else {
            continue;
        };
        // The library as it ships: a real vendor's values (they fill the parameters that
        // have no default), none of its own clauses or exclusions.
        let mut library_vendor = real.clone();
        library_vendor.choices = Default::default();
        library_vendor.customers.clear();
        let vendor = &library_vendor;
        let t = Target {
            vendor,
            customer: None,
            doc,
        };
        let (Some(base), base_diags) = assembler.assemble(t) else {
            continue;
        };
        if base_diags.has_errors() {
            continue;
        }
        let sets = parameter_sets(project, doc);
        let found: Vec<Diagnostic> = sets
            .par_iter()
            .filter_map(|set| first_failure(project, assembler, vendor, doc, &base, set))
            .collect();
        for d in found {
            diags.extend_opt(finding(project, None, "combination", d));
        }
    }
}

/// For each clause of the document that depends on choices: the bool and enum parameters it
/// depends on, deduplicated.
fn parameter_sets(project: &Project, doc: &Document) -> BTreeSet<Vec<String>> {
    let lib = &project.library;
    let when_params = |id: &str| -> Vec<String> {
        lib.clauses
            .get(id)
            .and_then(|c| c.when.as_ref())
            .map(|w| mentions(&format!("{{{{ {} }}}}", w.expr)))
            .unwrap_or_default()
    };
    let modules: Vec<&str> = doc.modules.iter().map(|(m, _)| m.as_str()).collect();
    let mut sets = BTreeSet::new();
    for m in modules {
        let Some(module) = lib.modules.get(m) else {
            continue;
        };
        for id in &module.clauses {
            let Some(c) = lib.clauses.get(id) else {
                continue;
            };
            let s = scan::scan(&c.body);
            let mut names = when_params(id);
            names.extend(mentions(&c.body));
            for (target, _) in &s.refs {
                names.extend(when_params(target));
            }
            let mut names: Vec<String> = names
                .into_iter()
                .filter(|k| {
                    lib.schema
                        .by_key(k)
                        .is_some_and(|s| matches!(s.ty, ParamType::Bool | ParamType::Enum))
                })
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            names.truncate(MAX_PARAMS);
            if !names.is_empty() {
                sets.insert(names);
            }
        }
    }
    sets
}

/// The parameters (`module.name`) a template text mentions.
fn mentions(text: &str) -> Vec<String> {
    scan::scan(text)
        .mentions
        .iter()
        .filter_map(|m| m.param().map(|(a, b)| format!("{a}.{b}")))
        .collect()
}

/// The smallest change of `set`'s values that makes the document fail, as a finding.
fn first_failure(
    project: &Project,
    assembler: &Assembler,
    vendor: &Vendor,
    doc: &Document,
    base: &Assembled,
    set: &[String],
) -> Option<Diagnostic> {
    let schema = &project.library.schema;
    let domains: Vec<Vec<Value>> = set
        .iter()
        .map(|k| match schema.by_key(k) {
            Some(s) if s.ty == ParamType::Bool => {
                vec![Value::Bool { value: false }, Value::Bool { value: true }]
            }
            Some(s) => s
                .values
                .keys()
                .map(|v| Value::Enum { value: v.clone() })
                .collect(),
            None => Vec::new(),
        })
        .collect();
    let current: Vec<Option<serde_json::Value>> = set
        .iter()
        .map(|k| base.parameters.get(k).map(|r| r.raw.clone()))
        .collect();
    // Every combination, nearest to the vendor's own values first.
    let mut combos: Vec<Vec<usize>> = vec![vec![]];
    for d in &domains {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                (0..d.len()).map(move |i| {
                    let mut c = c.clone();
                    c.push(i);
                    c
                })
            })
            .collect();
    }
    let distance = |c: &Vec<usize>| {
        c.iter()
            .enumerate()
            .filter(|(i, v)| current[*i].as_ref() != Some(&domains[*i][**v].raw()))
            .count()
    };
    combos.retain(|c| distance(c) > 0);
    combos.sort_by_key(distance);
    for combo in combos {
        let mut v = vendor.clone();
        let mut changed = Vec::new();
        for (i, &choice) in combo.iter().enumerate() {
            let value = domains[i][choice].clone();
            if current[i].as_ref() != Some(&value.raw()) {
                changed.push(format!("`{}` = {}", set[i], value.raw()));
            }
            v.params.insert(
                set[i].clone(),
                Assignment {
                    value,
                    file: vendor.file,
                    span: 0..0,
                },
            );
        }
        let (_, d) = assembler.assemble(Target {
            vendor: &v,
            customer: None,
            doc,
        });
        let failure = d.iter().find(|x| {
            x.severity == Severity::Error
                && x.code != Some("constraint")
                && !x.message.contains("has no value")
        });
        if let Some(e) = failure {
            let mut out = e.clone();
            out.message = format!(
                "with {} (vendor `{}`, document `{}`): {}",
                changed.join(", "),
                vendor.id,
                doc.id,
                e.message
            );
            out.code = None;
            out.hints.push(
                "no shipped vendor or customer uses these values yet; the first one that does gets this error"
                    .into(),
            );
            return Some(out);
        }
    }
    None
}
