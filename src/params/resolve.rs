//! Layering parameter values: declared default < document < vendor < customer.

use std::ops::Range;

use indexmap::IndexMap;
use serde::Serialize;

use super::{ParamSpec, Value, value};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};
use crate::load::yaml::{Kind, Node};

/// Every declared parameter of the library, by module then name.
#[derive(Debug, Default, Clone)]
pub struct Schema {
    pub modules: IndexMap<String, IndexMap<String, ParamSpec>>,
    /// Names whose declaration did not load: modules (their module.yaml), parameters and
    /// clauses (their front matter). An error already says why; a use of one of these names
    /// is not reported again as unknown (one slip, one error).
    pub broken: std::collections::BTreeSet<String>,
}

impl Schema {
    pub fn get(&self, module: &str, name: &str) -> Option<&ParamSpec> {
        self.modules.get(module)?.get(name)
    }

    pub fn by_key(&self, key: &str) -> Option<&ParamSpec> {
        let (m, n) = key.split_once('.')?;
        self.get(m, n)
    }

    pub fn all(&self) -> impl Iterator<Item = &ParamSpec> {
        self.modules.values().flat_map(|m| m.values())
    }

    /// Whether `name` (a module id, or a `module.param` key) failed to load.
    pub fn is_broken(&self, name: &str) -> bool {
        self.broken.contains(name)
            || name
                .split_once('.')
                .is_some_and(|(m, _)| self.broken.contains(m))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Default,
    Document,
    Vendor,
    Customer,
}

/// A value written in one file.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub value: Value,
    pub file: FileId,
    pub span: Range<usize>,
}

pub type Assignments = IndexMap<String, Assignment>;

/// Read a `parameters:` mapping: `module: {name: value}` or `module.name: value`.
pub fn read_assignments(
    schema: &Schema,
    file: FileId,
    node: &Node,
    diags: &mut Diagnostics,
) -> Assignments {
    let mut out = Assignments::new();
    let Kind::Map(entries) = &node.kind else {
        if !matches!(node.kind, Kind::Null) {
            diags.push(
                Diagnostic::error(
                    "`parameters` must be a mapping, e.g. `liability: {cap_amount: EUR 50000}`",
                )
                .at(file, node.span.clone()),
            );
        }
        return out;
    };
    for (key, val) in entries {
        if let Some((m, n)) = key.name.split_once('.') {
            assign(schema, file, m, n, key.span.clone(), val, &mut out, diags);
            continue;
        }
        let Some(params) = schema.modules.get(&key.name) else {
            if schema.is_broken(&key.name) {
                continue;
            }
            diags.push(
                Diagnostic::error(format!("unknown module `{}` in parameters", key.name))
                    .at(file, key.span.clone())
                    .label("no module declares parameters under this name")
                    .maybe_hint(did_you_mean(
                        &key.name,
                        schema.modules.keys().map(String::as_str),
                    )),
            );
            continue;
        };
        match &val.kind {
            Kind::Map(inner) => {
                for (k, v) in inner {
                    assign(
                        schema,
                        file,
                        &key.name,
                        &k.name,
                        k.span.clone(),
                        v,
                        &mut out,
                        diags,
                    );
                }
            }
            _ => diags.push(
                Diagnostic::error(format!(
                    "parameters of module `{}` must be a mapping of its parameter names",
                    key.name
                ))
                .at(file, val.span.clone())
                .hint(format!(
                    "known parameters: {}",
                    params.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            ),
        }
    }
    out
}

/// Read one value of `module.name` into `out` (as a `parameters:` entry would be).
#[allow(clippy::too_many_arguments)]
pub fn assign(
    schema: &Schema,
    file: FileId,
    module: &str,
    name: &str,
    key_span: Range<usize>,
    node: &Node,
    out: &mut Assignments,
    diags: &mut Diagnostics,
) {
    let Some(spec) = schema.get(module, name) else {
        if schema.is_broken(&format!("{module}.{name}")) {
            return;
        }
        let hint = match schema.modules.get(module) {
            Some(params) => did_you_mean(name, params.keys().map(String::as_str)).or_else(|| {
                Some(format!(
                    "parameters of `{module}`: {}",
                    params.keys().cloned().collect::<Vec<_>>().join(", ")
                ))
            }),
            None => {
                let all: Vec<String> = schema.all().map(|s| s.key.clone()).collect();
                did_you_mean(&format!("{module}.{name}"), all.iter().map(String::as_str))
            }
        };
        diags.push(
            Diagnostic::error(format!("unknown parameter `{module}.{name}`"))
                .at(file, key_span)
                .label("not declared by any module")
                .maybe_hint(hint),
        );
        return;
    };
    // `liability.cap_amount: X` and `liability: {cap_amount: Y}` in one file: YAML sees two
    // different keys, so only here can the second silently win.
    if let Some(first) = out.get(&spec.key) {
        diags.push(
            Diagnostic::error(format!(
                "parameter `{}` is set twice in this file",
                spec.key
            ))
            .at(file, key_span)
            .label("set again here")
            .related(first.file, first.span.clone(), "first set here")
            .hint("keep one of the two; a file gives each parameter one value"),
        );
        return;
    }
    if let Some(value) = value::parse(spec, file, node, diags) {
        out.insert(
            spec.key.clone(),
            Assignment {
                value,
                file,
                span: node.span.clone(),
            },
        );
    }
}

/// The value in force for one parameter, and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub value: Value,
    pub layer: Layer,
    /// The file that set it, relative to the project root; `None` for a declared default.
    pub source: Option<String>,
}

/// Layer the values; returns the resolved set and the parameters that have no value at all.
pub fn resolve<'s>(
    schema: &'s Schema,
    layers: &[(Layer, &Assignments)],
    file_name: impl Fn(FileId) -> String,
) -> (IndexMap<String, Resolved>, Vec<&'s ParamSpec>) {
    let mut values = IndexMap::new();
    let mut missing = Vec::new();
    for spec in schema.all() {
        let given = layers
            .iter()
            .rev()
            .find_map(|(layer, a)| a.get(&spec.key).map(|a| (*layer, a)));
        match (given, &spec.default) {
            (Some((layer, a)), _) => {
                values.insert(
                    spec.key.clone(),
                    Resolved {
                        value: a.value.clone(),
                        layer,
                        source: Some(file_name(a.file)),
                    },
                );
            }
            (None, Some(d)) => {
                values.insert(
                    spec.key.clone(),
                    Resolved {
                        value: d.clone(),
                        layer: Layer::Default,
                        source: None,
                    },
                );
            }
            (None, None) => missing.push(spec),
        }
    }
    (values, missing)
}
