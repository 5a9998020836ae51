//! Values written in a language. Text and list parameter values are prose: a Dutch default or a
//! vendor's Dutch value would put Dutch sentences into an English document. In a document in
//! another language, each one a clause uses must come from that language: the translated
//! module's `default:` or the vendor's `locale_parameters:`. An enum's Dutch label needs its
//! translation in the same way.

use indexmap::IndexMap;

use super::Target;
use super::model::Article;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Project;
use crate::params::ParamType;
use crate::params::resolve::{Assignments, Layer, Resolved};

pub fn check(
    p: &Project,
    t: Target,
    articles: &[Article],
    values: &IndexMap<String, Resolved>,
    locale_defaults: &Assignments,
    diags: &mut Diagnostics,
) {
    let locale = t.doc.locale;
    let code = locale.code();
    let mut used: Vec<&str> = articles
        .iter()
        .flat_map(|a| &a.clauses)
        .flat_map(|c| c.parameters.iter().map(String::as_str))
        .collect();
    used.sort();
    used.dedup();
    let vendor_locale = t
        .vendor
        .locale_params
        .iter()
        .find(|(l, _)| *l == locale)
        .map(|(_, a)| a);
    for key in used {
        let (Some(spec), Some(r)) = (p.library.schema.by_key(key), values.get(key)) else {
            continue;
        };
        let raw = r.value.raw();
        // An enum writes its label: a Dutch one without an English one would be Dutch text.
        if spec.ty == ParamType::Enum {
            let Some(v) = raw.as_str() else { continue };
            let dutch = spec.values.get(v).is_some_and(|l| !l.is_empty() && l != v);
            let translated = (p.library.module_texts.get(&(locale, spec.module.clone())))
                .and_then(|m| m.params.get(&spec.name))
                .is_some_and(|t| t.labels.contains_key(v));
            if dutch && !translated {
                diags.push(
                    Diagnostic::error(format!(
                        "enum `{key}` has no {code} label for `{v}`, and document `{}` is in {code}",
                        t.doc.id
                    ))
                    .at(spec.file, spec.span.clone())
                    .hint(format!(
                        "add `labels: {{{v}: ...}}` under `parameters: {{{}: ...}}` in the module's module.{code}.yaml",
                        spec.name
                    )),
                );
            }
            continue;
        }
        if !matches!(spec.ty, ParamType::Text | ParamType::List) {
            continue;
        }
        if raw.as_str() == Some("") || raw.as_array().is_some_and(|a| a.is_empty()) {
            continue;
        }
        let d = match r.layer {
            Layer::Default if !locale_defaults.contains_key(key) => Diagnostic::error(format!(
                "parameter `{key}` has no {code} default, and document `{}` is in {code}",
                t.doc.id
            ))
            .at(spec.file, spec.span.clone())
            .hint(format!(
                "give it `default:` under `parameters: {{{}: ...}}` in the module's module.{code}.yaml",
                spec.name
            )),
            Layer::Vendor
                if t.vendor.params.contains_key(key)
                    && !vendor_locale.is_some_and(|a| a.contains_key(key)) =>
            {
                let a = &t.vendor.params[key];
                Diagnostic::error(format!(
                    "vendor `{}` sets `{key}` in Dutch only, and document `{}` is in {code}",
                    t.vendor.id, t.doc.id
                ))
                .at(a.file, a.span.clone())
                .hint(format!(
                    "add it under `locale_parameters: {{{code}: {{{}: {{{}: ...}}}}}}` in the vendor profile",
                    spec.module, spec.name
                ))
            }
            _ => continue,
        };
        diags.push(d);
    }
}
