//! `combination`: what breaks only under values no shipped vendor or customer uses yet. For
//! every clause whose text or inclusion depends on a choice (a bool or enum parameter, or a
//! number a condition compares — at that number and its neighbours, within the parameter's
//! bounds — in its `when:`, in its `{% if %}` tags, or in the `when:` of a clause it
//! references), each
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
use rust_decimal::Decimal;

/// The value a vendor's document has for `key` (for a duration: its unit is kept).
fn vendor_value(project: &Project, vendor: &Vendor, doc: &Document, key: &str) -> Option<Value> {
    vendor
        .params
        .get(key)
        .or_else(|| doc.params.get(key))
        .map(|a| a.value.clone())
        .or_else(|| project.library.schema.by_key(key)?.default.clone())
}

/// The most parameters varied together for one clause.
pub const MAX_PARAMS: usize = 4;

pub fn explore(project: &Project, assembler: &Assembler, diags: &mut Diagnostics) {
    for doc in project.documents.values() {
        if doc.kind != DocKind::Terms {
            continue;
        }
        let Some(real) = project.vendors.values().find(|v| v.publishes(doc)) else {
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
        if project.manifest.lints.severity("exclusion").is_some() {
            exclusions(project, assembler, vendor, doc, &base, diags);
        }
    }
}

/// `exclusion` (allowed unless a project turns it on): every clause and module of the
/// document left out in turn, as a vendor or customer could with `clauses: {exclude: [...]}`,
/// and what that breaks — a reference, a term whose definition goes with it, an article left
/// empty, a required clause. Off by default: most clauses are referenced somewhere, and `build`
/// reports the break when a vendor makes it; turned on, it lists for an editor which
/// exclusions the library does not survive.
fn exclusions(
    project: &Project,
    assembler: &Assembler,
    vendor: &Vendor,
    doc: &Document,
    base: &Assembled,
    diags: &mut Diagnostics,
) {
    let mut ids: Vec<String> = Vec::new();
    for a in &base.articles {
        ids.push(a.id.clone());
        ids.extend(a.clauses.iter().map(|c| c.id.clone()));
    }
    let found: Vec<Diagnostic> = ids
        .par_iter()
        .filter_map(|id| {
            let mut v = vendor.clone();
            v.choices.exclude.push((
                id.clone(),
                crate::load::parties::At {
                    file: vendor.file,
                    span: 0..0,
                },
            ));
            let e = breaks(assembler, &v, doc)?;
            let mut out = e.clone();
            // The exclusion is hypothetical: no file makes it.
            let msg = e.message.replace(
                &format!("it is excluded in {}", project.sources.name(vendor.file)),
                "it is the one excluded",
            );
            out.message = format!("excluding `{id}` (document `{}`) breaks it: {msg}", doc.id);
            out.code = None;
            // A finding of its own, not an error that left input out.
            out.incomplete = false;
            Some(out)
        })
        .collect();
    for d in found {
        diags.extend_opt(finding(project, None, "exclusion", d));
    }
}

/// The first error that assembling `doc` for `vendor` gives, if any: a break of the library,
/// not a value the vendor would be told about anyway (a `constraint`, a missing value).
fn breaks(assembler: &Assembler, vendor: &Vendor, doc: &Document) -> Option<Diagnostic> {
    let (_, d) = assembler.assemble(Target {
        vendor,
        customer: None,
        doc,
    });
    d.iter()
        .find(|x| {
            x.severity == Severity::Error
                && x.code != Some("constraint")
                && !x.message.contains("has no value")
        })
        .cloned()
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
            let mut texts = vec![c.body.clone()];
            texts.extend(c.when.as_ref().map(|w| w.expr.clone()));
            for (target, _) in &s.refs {
                names.extend(when_params(target));
                texts.extend(
                    lib.clauses
                        .get(target)
                        .and_then(|t| t.when.as_ref())
                        .map(|w| w.expr.clone()),
                );
            }
            let compared: Vec<String> = texts
                .iter()
                .flat_map(|t| numeric_points(t))
                .map(|(k, _)| k)
                .collect();
            let mut names: Vec<String> = names
                .into_iter()
                .filter(|k| {
                    lib.schema.by_key(k).is_some_and(|s| {
                        matches!(s.ty, ParamType::Bool | ParamType::Enum) || compared.contains(k)
                    })
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

/// Numbers that conditions compare parameters with: `raw.m.p > 0`, `raw.m.p.amount >= 5`,
/// `raw.m.p | length > 0`, as (`m.p`, number). The boundaries of those comparisons are the
/// values worth trying.
pub fn numeric_points(text: &str) -> Vec<(String, Decimal)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("raw.") {
        let start = from + i + 4;
        from = start;
        let rest = &text[start..];
        let path_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let path = &rest[..path_len];
        let mut parts = path.split('.');
        let (Some(m), Some(p)) = (parts.next(), parts.next()) else {
            continue;
        };
        let mut after = rest[path_len..].trim_start();
        if let Some(r) = after.strip_prefix('|') {
            after = r
                .trim_start()
                .strip_prefix("length")
                .unwrap_or(r)
                .trim_start();
        }
        let op_len = ["<=", ">=", "==", "!=", "<", ">"]
            .iter()
            .find(|o| after.starts_with(**o))
            .map(|o| o.len());
        let Some(op_len) = op_len else { continue };
        let num = after[op_len..].trim_start();
        let n_len = num
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(num.len());
        if let Ok(n) = num[..n_len].parse::<Decimal>() {
            out.push((format!("{m}.{p}"), n));
        }
    }
    out
}

/// Values worth trying for a numeric or list parameter: each compared number and its
/// neighbours, within the parameter's bounds.
fn numeric_domain(
    spec: &crate::params::ParamSpec,
    points: &[Decimal],
    current: Option<&Value>,
) -> Vec<Value> {
    let step = match spec.ty {
        ParamType::Decimal | ParamType::Percent => Decimal::new(1, 1),
        _ => Decimal::ONE,
    };
    let mut out: Vec<Value> = current.cloned().into_iter().collect();
    if spec.ty == ParamType::List {
        out.push(Value::List { items: vec![] });
        out.push(Value::List {
            items: vec!["x".into()],
        });
        return out;
    }
    for p in points {
        for n in [*p - step, *p, *p + step] {
            let v = match (spec.ty, current) {
                (ParamType::Integer, _) => {
                    i64::try_from(n).ok().map(|value| Value::Integer { value })
                }
                (ParamType::Decimal, _) => Some(Value::Decimal { value: n }),
                (ParamType::Percent, _) => Some(Value::Percent { value: n }),
                (ParamType::Duration, Some(Value::Duration { unit, .. })) => {
                    u64::try_from(n).ok().map(|amount| Value::Duration {
                        amount,
                        unit: *unit,
                    })
                }
                _ => None,
            };
            if let Some(v) = v
                && crate::params::value::check_bounds(spec, &v).is_ok()
                && !out.contains(&v)
            {
                out.push(v);
            }
        }
    }
    out
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
    let mut points: std::collections::HashMap<String, Vec<Decimal>> = Default::default();
    for c in project.library.clauses.values() {
        let texts =
            std::iter::once(c.body.as_str()).chain(c.when.as_ref().map(|w| w.expr.as_str()));
        for t in texts {
            for (k, n) in numeric_points(t) {
                points.entry(k).or_default().push(n);
            }
        }
    }
    let domains: Vec<Vec<Value>> = set
        .iter()
        .map(|k| match schema.by_key(k) {
            Some(s) if s.ty == ParamType::Bool => {
                vec![Value::Bool { value: false }, Value::Bool { value: true }]
            }
            Some(s) if s.ty == ParamType::Enum => s
                .values
                .keys()
                .map(|v| Value::Enum { value: v.clone() })
                .collect(),
            Some(s) => numeric_domain(
                s,
                points.get(k).map(Vec::as_slice).unwrap_or(&[]),
                vendor_value(project, vendor, doc, k).as_ref(),
            ),
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
        if let Some(e) = breaks(assembler, &v, doc) {
            let mut out = e.clone();
            out.message = format!(
                "with {} (vendor `{}`, document `{}`): {}",
                changed.join(", "),
                vendor.id,
                doc.id,
                e.message
            );
            out.code = None;
            // A finding of its own, not an error that left input out.
            out.incomplete = false;
            out.hints.push(
                "no shipped vendor or customer uses these values yet; the first one that does gets this error"
                    .into(),
            );
            return Some(out);
        }
    }
    None
}
