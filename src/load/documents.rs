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
}

pub fn load(loader: &mut Loader, manifest: &Manifest, lib: &Library) -> IndexMap<String, Document> {
    let mut docs = IndexMap::new();
    let dir = manifest.documents.clone();
    for path in loader.list_dir(&dir) {
        if path.extension().is_none_or(|e| e != "yaml" && e != "yml") {
            continue;
        }
        let id = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if let Some(doc) = load_one(loader, manifest, lib, &path, id.clone()) {
            docs.insert(id, doc);
        }
    }
    // Annexes must name documents that exist; checked once all are loaded.
    for doc in docs.values() {
        for (annex, span) in &doc.annexes {
            if !docs.contains_key(annex) {
                loader.diags.push(
                    Diagnostic::error(format!("unknown annex document `{annex}`"))
                        .at(doc.file, span.clone())
                        .maybe_hint(did_you_mean(annex, docs.keys().map(String::as_str))),
                );
            }
        }
    }
    docs
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
    if r.key_span("modules").is_none() {
        r.required_string("modules");
    }
    let modules = r.string_list("modules");
    let annexes = r.string_list("annexes");
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
    let params_node = r.node("parameters");
    r.finish();

    let mut seen: Vec<&str> = Vec::new();
    for (m, span) in &modules {
        if !lib.modules.contains_key(m) {
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
    })
}
