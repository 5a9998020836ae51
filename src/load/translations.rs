//! Translations beside their source: `<clause>.en.md` next to `<clause>.md`, and
//! `module.en.yaml` next to `module.yaml`. The Dutch wording is the source; a translation
//! says which version of it it translates (`translates:`), so that `check` can tell when the
//! Dutch moved on without it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use indexmap::IndexMap;

use super::fields::MapReader;
use super::library::{Clause, Library, read_clause};
use super::{Loader, display_path};
use crate::diagnostics::{Diagnostic, FileId};
use crate::params::resolve::Assignments;
use crate::params::{Locale, ParamSpec};

/// A clause in another language: the Dutch clause with its title, terms and body replaced.
/// Conditions, order and allowances stay the Dutch clause's: they are not wording.
#[derive(Debug, Clone)]
pub struct Translation {
    pub clause: Clause,
    /// The Dutch file this translates; a vendor's replacement of the clause is another text.
    pub source: FileId,
    /// The version of the Dutch wording this translation was made from.
    pub translates: String,
    pub translates_span: Range<usize>,
}

/// A module's title and parameter texts in another language (`module.en.yaml`).
#[derive(Debug, Clone, Default)]
pub struct ModuleText {
    pub title: String,
    pub file: FileId,
    pub params: HashMap<String, ParamText>,
    /// Defaults in this language, for text and list parameters whose Dutch default is Dutch.
    pub defaults: Assignments,
}

#[derive(Debug, Clone, Default)]
pub struct ParamText {
    pub label: Option<String>,
    pub description: Option<String>,
    /// Enum value labels.
    pub labels: IndexMap<String, String>,
}

/// The locale of a translation file name: `01-scope.en.md` or `module.en.yaml` → English.
/// Dutch is the source language and has no suffix.
pub fn locale_of(path: &Path) -> Option<Locale> {
    let stem = path.file_stem()?.to_str()?;
    let (_, code) = stem.rsplit_once('.')?;
    Locale::parse(code).filter(|l| *l != Locale::Nl)
}

impl Library {
    /// The translation of `c` into `locale`, if there is one for this very text. A shared
    /// definition (`shared:`) is its source's text, so it has its source's translation.
    pub fn translation(&self, locale: Locale, c: &Clause) -> Option<&Translation> {
        let id = c.shared_from.as_ref().unwrap_or(&c.id);
        self.translations
            .get(&(locale, id.clone()))
            .filter(|t| t.source == c.file)
    }

    /// A module's title in `locale` (Dutch, or when untranslated, the Dutch title).
    pub fn module_title(&self, locale: Locale, module: &str) -> Option<&str> {
        match self.module_texts.get(&(locale, module.to_string())) {
            Some(t) => Some(&t.title),
            None => self.modules.get(module).map(|m| m.title.as_str()),
        }
    }

    /// Every default a translated module gives in `locale`, a layer under the document's.
    pub fn defaults_in(&self, locale: Locale) -> Assignments {
        let mut modules: Vec<&ModuleText> = (self.module_texts.iter())
            .filter(|((l, _), _)| *l == locale)
            .map(|(_, t)| t)
            .collect();
        modules.sort_by_key(|t| t.file);
        modules
            .into_iter()
            .flat_map(|t| t.defaults.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect()
    }

    /// A parameter's label, description and enum labels in `locale`.
    pub fn spec_in<'s>(&self, locale: Locale, spec: &'s ParamSpec) -> Cow<'s, ParamSpec> {
        let text = self
            .module_texts
            .get(&(locale, spec.module.clone()))
            .and_then(|m| m.params.get(&spec.name));
        let Some(t) = text else {
            return Cow::Borrowed(spec);
        };
        let mut out = spec.clone();
        {
            if let Some(l) = &t.label {
                out.label = l.clone();
            }
            if let Some(d) = &t.description {
                out.description = d.clone();
            }
            for (k, v) in &t.labels {
                if let Some(slot) = out.values.get_mut(k) {
                    *slot = v.clone();
                }
            }
        }
        Cow::Owned(out)
    }
}

/// Load the translated clause files of one module, after its Dutch clauses.
pub fn load_clauses(loader: &mut Loader, lib: &mut Library, module: &str, files: &[&Path]) {
    for path in files {
        let Some(locale) = locale_of(path) else {
            continue;
        };
        let Some((clause, translates)) = read_clause(loader, path, module, true) else {
            continue;
        };
        let Some((translates, translates_span)) = translates else {
            continue;
        };
        let Some(dutch) = lib.clauses.get(&clause.id) else {
            loader.diags.push(
                Diagnostic::error(format!(
                    "`{}` translates clause `{}`, which does not exist",
                    display_path(path),
                    clause.id
                ))
                .at(clause.file, clause.id_span.clone())
                .hint("a translation sits beside its Dutch clause and carries the same `id`"),
            );
            continue;
        };
        if !dutch.defines.is_empty() && clause.defines.is_empty() {
            loader.diags.push(
                Diagnostic::error(format!(
                    "the translation of definition `{}` does not say which terms it defines",
                    clause.id
                ))
                .at(clause.file, clause.id_span.clone())
                .hint("add `defines: [...]` with the terms in this language"),
            );
            continue;
        }
        let mut merged = dutch.clone();
        merged.title = clause.title;
        merged.body = clause.body;
        merged.body_offset = clause.body_offset;
        merged.file = clause.file;
        merged.id_span = clause.id_span;
        if !clause.defines.is_empty() {
            merged.defines = clause.defines;
            merged.defines_span = clause.defines_span;
        }
        let key = (locale, merged.id.clone());
        if lib.translations.contains_key(&key) {
            loader.diags.push(
                Diagnostic::error(format!(
                    "clause `{}` has two {} translations",
                    merged.id,
                    locale.code()
                ))
                .at(merged.file, merged.id_span.clone()),
            );
            continue;
        }
        lib.translations.insert(
            key,
            Translation {
                source: dutch.file,
                clause: merged,
                translates,
                translates_span,
            },
        );
    }
}

/// Load `module.<locale>.yaml`: `title`, and per parameter `label`, `description`, `labels`.
pub fn load_module_text(loader: &mut Loader, lib: &mut Library, module: &str, path: &Path) {
    let Some(locale) = locale_of(path) else {
        return;
    };
    let Some((file, node)) = loader.read_yaml(path) else {
        return;
    };
    let Some(mut r) = MapReader::new(file, &node, "module translation", &mut loader.diags) else {
        return;
    };
    let title = r.required_string("title").unwrap_or_default();
    let params_node = r.node("parameters");
    r.finish();
    let mut text = ModuleText {
        title,
        file,
        params: HashMap::new(),
        defaults: Assignments::new(),
    };
    let specs = lib.schema.modules.get(module).cloned().unwrap_or_default();
    if let Some(crate::load::yaml::Node {
        kind: crate::load::yaml::Kind::Map(entries),
        ..
    }) = params_node
    {
        for (key, value) in entries {
            let Some(spec) = specs.get(&key.name) else {
                loader.diags.push(
                    Diagnostic::error(format!(
                        "module `{module}` has no parameter `{}` to translate",
                        key.name
                    ))
                    .at(file, key.span.clone()),
                );
                continue;
            };
            let Some(mut m) =
                MapReader::new(file, value, "a parameter translation", &mut loader.diags)
            else {
                continue;
            };
            let label = m.string("label");
            let description = m.string("description");
            let labels_node = m.node("labels");
            let default_node = m.node("default");
            m.finish();
            if let Some(d) = default_node {
                crate::params::resolve::assign(
                    &lib.schema,
                    file,
                    module,
                    &key.name,
                    key.span.clone(),
                    d,
                    &mut text.defaults,
                    &mut loader.diags,
                );
            }
            let mut labels = IndexMap::new();
            if let Some(crate::load::yaml::Node {
                kind: crate::load::yaml::Kind::Map(items),
                ..
            }) = labels_node
            {
                for (k, v) in items {
                    if !spec.values.contains_key(&k.name) {
                        loader.diags.push(
                            Diagnostic::error(format!(
                                "`{}` is no value of enum `{}`",
                                k.name, spec.key
                            ))
                            .at(file, k.span.clone()),
                        );
                        continue;
                    }
                    if let Some(s) = v.as_str() {
                        labels.insert(k.name.clone(), s.to_string());
                    }
                }
            }
            text.params.insert(
                key.name.clone(),
                ParamText {
                    label,
                    description,
                    labels,
                },
            );
        }
    }
    lib.module_texts.insert((locale, module.to_string()), text);
}
