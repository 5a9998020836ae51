//! Documents: `documents/<doc>.yaml` — title, locale, the ordered modules, annexes and
//! document-level parameter values.

use std::ops::Range;

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::fields::MapReader;
use super::{Library, Loader, Manifest};
use crate::diagnostics::{Diagnostic, FileId, did_you_mean};
use crate::params::Locale;
use crate::params::resolve::{Assignments, read_assignments};

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub file: FileId,
    pub title: String,
    pub subtitle: Option<String>,
    pub locale: Locale,
    /// Module ids in article order, with the span that names each.
    pub modules: Vec<(String, Range<usize>)>,
    /// Other documents attached as annexes ("Bijlage 1").
    pub annexes: Vec<(String, Range<usize>)>,
    pub params: Assignments,
    pub version: Option<String>,
    pub effective: Option<NaiveDate>,
    pub kind: DocKind,
    /// Whether a customer's copy ends with a signature block for both parties.
    pub signature: bool,
    /// The document this one translates (`translation_of: sla`): vendor modules placed in
    /// that document go in this one too, and only vendors that list this document publish it.
    pub translation_of: Option<String>,
}

impl Document {
    /// Whether a vendor module placed in document `id` belongs in this one.
    pub fn is_or_translates(&self, id: &str) -> bool {
        self.id == id || self.translation_of.as_deref() == Some(id)
    }
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    /// Terms, a data-processing agreement, an SLA: the same text for every customer, with
    /// the customer's values.
    #[default]
    Terms,
    /// The agreement a customer signs: a cover naming both parties, the values negotiated
    /// away from the vendor's standard, the documents that form the contract as numbered
    /// annexes (held in the same file), and the signatures. Built for customers only.
    Contract,
}

pub fn load(loader: &mut Loader, manifest: &Manifest, lib: &Library) -> IndexMap<String, Document> {
    let mut docs = IndexMap::new();
    let dir = manifest.documents.clone();
    for (id, path) in loader.list_yaml(&dir, "document") {
        let mark = loader.diags.len();
        match load_one(loader, manifest, lib, &path, id.clone()) {
            Some(doc) => {
                docs.insert(id, doc);
            }
            None => {
                loader.diags.mark_incomplete_since(mark);
                loader.unloaded_documents.insert(id);
            }
        }
    }
    // Annexes must name documents that exist; checked once all are loaded.
    for doc in docs.values() {
        for (annex, span) in &doc.annexes {
            if !docs.contains_key(annex) && !loader.unloaded_documents.contains(annex) {
                loader.diags.push(
                    Diagnostic::error(format!("unknown annex document `{annex}`"))
                        .at(doc.file, span.clone())
                        .maybe_hint(did_you_mean(annex, docs.keys().map(String::as_str))),
                );
            }
        }
    }
    check_annex_cycles(loader, &docs);
    check_contracts(loader, &docs);
    docs
}

/// A contract holds its annexes in one file and numbers them once: an annex cannot itself be
/// a contract, and an annex's own annexes ("Bijlage 1" of the terms) must be part of the
/// contract too, or the terms would point at a document the customer never signed.
fn check_contracts(loader: &mut Loader, docs: &IndexMap<String, Document>) {
    for doc in docs.values().filter(|d| d.kind == DocKind::Contract) {
        for (annex, span) in &doc.annexes {
            let Some(a) = docs.get(annex) else { continue };
            if a.kind == DocKind::Contract {
                loader.diags.push(
                    Diagnostic::error(format!(
                        "contract `{}` holds contract `{annex}` as an annex",
                        doc.id
                    ))
                    .at(doc.file, span.clone())
                    .hint(
                        "a contract's annexes are the documents that form it: terms, a DPA, an SLA",
                    ),
                );
            }
            for (inner, _) in &a.annexes {
                if !doc.annexes.iter().any(|(x, _)| x == inner) {
                    loader.diags.push(
                        Diagnostic::error(format!(
                            "`{annex}` has `{inner}` as its annex, but contract `{}` does not hold `{inner}`",
                            doc.id
                        ))
                        .at(doc.file, span.clone())
                        .hint(format!("add `{inner}` to the contract's `annexes`, so that every annex is numbered once")),
                    );
                }
            }
        }
    }
}

/// A document that is its own annex, directly or through others, would attach itself
/// forever: report each cycle once, at the annex entry of its first document by id.
fn check_annex_cycles(loader: &mut Loader, docs: &IndexMap<String, Document>) {
    for doc in docs.values() {
        for (annex, span) in &doc.annexes {
            let Some(path) = path_to(docs, annex, &doc.id) else {
                continue;
            };
            let mut cycle = vec![doc.id.as_str()];
            cycle.extend(path.iter().map(String::as_str));
            if cycle.iter().any(|id| *id < doc.id.as_str()) {
                continue;
            }
            let message = if annex == &doc.id {
                format!("document `{}` is its own annex", doc.id)
            } else {
                format!("annexes form a cycle: {}", cycle.join(" → "))
            };
            loader.diags.push(
                Diagnostic::error(message)
                    .at(doc.file, span.clone())
                    .label("leads back to this document")
                    .hint("an annex is another document; remove this entry or the one that leads back"),
            );
        }
    }
}

/// The documents from `from` to `to` along annexes (both ends included), if `to` is reachable.
fn path_to(docs: &IndexMap<String, Document>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut parent: IndexMap<String, Option<String>> = IndexMap::new();
    let mut queue = std::collections::VecDeque::from([from.to_string()]);
    parent.insert(from.to_string(), None);
    while let Some(id) = queue.pop_front() {
        if id == to {
            let mut path = vec![id.clone()];
            let mut at = id;
            while let Some(Some(p)) = parent.get(&at) {
                path.push(p.clone());
                at = p.clone();
            }
            path.reverse();
            return Some(path);
        }
        for (next, _) in docs.get(&id).map(|d| d.annexes.as_slice()).unwrap_or(&[]) {
            if !parent.contains_key(next) {
                parent.insert(next.clone(), Some(id.clone()));
                queue.push_back(next.clone());
            }
        }
    }
    None
}

fn load_one(
    loader: &mut Loader,
    manifest: &Manifest,
    lib: &Library,
    path: &std::path::Path,
    id: String,
) -> Option<Document> {
    let (file, node) = loader.read_yaml(path)?;
    let mut r = MapReader::new(file, &node, "the document", &mut loader.diags)?;
    let title = r.required_string("title").unwrap_or_default();
    let subtitle = r.string("subtitle");
    let locale = match r.spanned_string("locale") {
        None => manifest.locale,
        Some((l, span)) => Locale::parse(&l).unwrap_or_else(|| {
            r.diags().push(
                Diagnostic::error(format!("unknown locale `{l}`"))
                    .at(file, span)
                    .hint("supported locales: nl, en"),
            );
            manifest.locale
        }),
    };
    let kind = match r.spanned_string("kind") {
        None => DocKind::Terms,
        Some((k, _)) if k == "terms" => DocKind::Terms,
        Some((k, _)) if k == "contract" => DocKind::Contract,
        Some((k, span)) => {
            r.diags().push(
                Diagnostic::error(format!("unknown document kind `{k}`"))
                    .at(file, span)
                    .hint("use `terms` (the default) or `contract` (the agreement a customer signs, holding the other documents as annexes)"),
            );
            DocKind::Terms
        }
    };
    // A contract may consist of its cover and annexes alone.
    if r.key_span("modules").is_none() && kind == DocKind::Terms {
        r.required_string("modules");
    }
    let modules = r.string_list("modules");
    let annexes = r.string_list("annexes");
    let signature = r.boolean("signature").unwrap_or(kind == DocKind::Contract);
    if kind == DocKind::Contract && annexes.is_empty() {
        let span = r.key_span("kind").unwrap_or(0..0);
        r.diags().push(
            Diagnostic::error("a contract needs `annexes`: the documents that form it")
                .at(file, span)
                .hint("e.g. `annexes: [terms, dpa, sla]`"),
        );
    }
    let version = r.string("version");
    let effective = match r.spanned_string("effective") {
        None => None,
        Some((d, span)) => match NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                r.diags().push(
                    Diagnostic::error(format!("`{d}` is not a date"))
                        .at(file, span)
                        .hint("write dates as YYYY-MM-DD"),
                );
                None
            }
        },
    };
    let translation_of = r.string("translation_of");
    let params_node = r.node("parameters");
    r.finish();

    let mut seen: Vec<&str> = Vec::new();
    for (m, span) in &modules {
        if !lib.modules.contains_key(m) {
            if lib.schema.is_broken(m) {
                continue;
            }
            loader.diags.push(
                Diagnostic::error(format!("unknown module `{m}`"))
                    .at(file, span.clone())
                    .label("no such module in the clause library")
                    .maybe_hint(did_you_mean(m, lib.modules.keys().map(String::as_str))),
            );
        } else if seen.contains(&m.as_str()) {
            loader.diags.push(
                Diagnostic::error(format!("module `{m}` is listed twice")).at(file, span.clone()),
            );
        }
        seen.push(m);
    }
    let params = params_node
        .map(|n| read_assignments(&lib.schema, file, n, &mut loader.diags))
        .unwrap_or_default();
    Some(Document {
        id,
        file,
        title,
        subtitle,
        locale,
        modules,
        annexes,
        params,
        version,
        effective,
        kind,
        signature,
        translation_of,
    })
}
