//! Parameters: the typed schema modules declare, the values documents, vendors and customers
//! give, and how each value is written in a locale.

pub mod grammar;
pub mod labels;
pub mod locale;
pub mod reference;
pub mod resolve;
pub mod value;

use std::ops::Range;

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

pub use locale::{Locale, MoneyStyle};
pub use value::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};
use crate::load::fields::{MapReader, string_list};
use crate::load::yaml::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    Text,
    Integer,
    Decimal,
    Bool,
    Enum,
    Date,
    Percent,
    Money,
    Duration,
    List,
}

impl ParamType {
    pub const NAMES: &'static [&'static str] = &[
        "text", "integer", "decimal", "bool", "enum", "date", "percent", "money", "duration",
        "list",
    ];

    pub fn parse(s: &str) -> Option<ParamType> {
        Some(match s {
            "text" => ParamType::Text,
            "integer" => ParamType::Integer,
            "decimal" => ParamType::Decimal,
            "bool" => ParamType::Bool,
            "enum" => ParamType::Enum,
            "date" => ParamType::Date,
            "percent" => ParamType::Percent,
            "money" => ParamType::Money,
            "duration" => ParamType::Duration,
            "list" => ParamType::List,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// How a value of this type is written in YAML, for hints.
    pub fn example(self) -> &'static str {
        match self {
            ParamType::Text => "\"some text\"",
            ParamType::Integer => "14",
            ParamType::Decimal => "1.5",
            ParamType::Bool => "true",
            ParamType::Enum => "one of the declared values",
            ParamType::Date => "2024-01-31",
            ParamType::Percent => "99.9",
            ParamType::Money => "EUR 25000",
            ParamType::Duration => "14 dagen",
            ParamType::List => "[first, second]",
        }
    }
}

/// One declared parameter of a module.
#[derive(Debug, Clone, Serialize)]
pub struct ParamSpec {
    /// `module.name`
    pub key: String,
    pub module: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    pub description: String,
    /// Human name used in diffs and notices ("aansprakelijkheidslimiet"); defaults to the name.
    pub label: String,
    pub default: Option<Value>,
    /// Allowed values of an enum, with an optional display label each.
    pub values: IndexMap<String, String>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    #[serde(skip)]
    pub file: FileId,
    #[serde(skip)]
    pub span: Range<usize>,
    /// A default was written but is invalid (reported where it is written): documents that
    /// then lack a value are not reported again.
    #[serde(skip)]
    pub bad_default: bool,
}

impl ParamSpec {
    pub fn required(&self) -> bool {
        self.default.is_none()
    }
}

/// Read the `parameters:` mapping of a module.
pub fn parse_specs(
    module: &str,
    file: FileId,
    node: &Node,
    broken: &mut std::collections::BTreeSet<String>,
    diags: &mut Diagnostics,
) -> IndexMap<String, ParamSpec> {
    let mut out = IndexMap::new();
    let crate::load::yaml::Kind::Map(entries) = &node.kind else {
        if !matches!(node.kind, crate::load::yaml::Kind::Null) {
            diags.push(
                Diagnostic::error("`parameters` must be a mapping of parameter names")
                    .at(file, node.span.clone()),
            );
        }
        return out;
    };
    for (key, spec_node) in entries {
        if !is_identifier(&key.name) {
            diags.push(
                Diagnostic::error(format!("invalid parameter name `{}`", key.name))
                    .at(file, key.span.clone())
                    .hint("use lower case letters, digits and `_`, starting with a letter (no `-`: it would read as a minus sign in `{{ module.name }}`)"),
            );
            continue;
        }
        match parse_spec(module, &key.name, key.span.clone(), file, spec_node, diags) {
            Some(spec) => {
                out.insert(key.name.clone(), spec);
            }
            None => {
                broken.insert(format!("{module}.{}", key.name));
            }
        }
    }
    out
}

fn parse_spec(
    module: &str,
    name: &str,
    key_span: Range<usize>,
    file: FileId,
    node: &Node,
    diags: &mut Diagnostics,
) -> Option<ParamSpec> {
    let mut m = MapReader::new(file, node, "a parameter declaration", diags)?;
    let ty_str = m.required_string("type");
    let description = m.required_string("description").unwrap_or_default();
    let label = m.string("label").unwrap_or_else(|| name.replace('_', " "));
    let values_node = m.node("values");
    let labels_node = m.node("labels");
    let default_node = m.node("default");
    let min = m.node("min");
    let max = m.node("max");
    let ty_span = m.key_span("type");
    m.finish();

    let ty = match ty_str {
        Some(s) => match ParamType::parse(&s) {
            Some(t) => t,
            None => {
                let span = node.get("type").map(|n| n.span.clone()).or(ty_span);
                diags.push(
                    Diagnostic::error(format!("unknown parameter type `{s}`"))
                        .at(file, span.unwrap_or(key_span))
                        .maybe_hint(did_you_mean(&s, ParamType::NAMES.iter().copied()))
                        .hint(format!("types: {}", ParamType::NAMES.join(", "))),
                );
                return None;
            }
        },
        None => return None,
    };
    let mut spec = ParamSpec {
        key: format!("{module}.{name}"),
        module: module.to_string(),
        name: name.to_string(),
        ty,
        description,
        label,
        default: None,
        bad_default: false,
        values: IndexMap::new(),
        min: None,
        max: None,
        file,
        span: key_span,
    };
    if ty == ParamType::Enum {
        match values_node {
            Some(v) => {
                for (value, _) in string_list(file, "values", v, diags) {
                    spec.values.insert(value.clone(), value);
                }
            }
            None => diags.push(
                Diagnostic::error(format!("enum parameter `{name}` declares no `values`"))
                    .at(file, spec.span.clone())
                    .hint("add `values: [first, second]`"),
            ),
        }
        if let Some(l) = labels_node
            && let Some(mut lm) = MapReader::new(file, l, "enum labels", diags)
        {
            let keys: Vec<String> = spec.values.keys().cloned().collect();
            for k in keys {
                if let Some(text) = lm.string(&k) {
                    spec.values.insert(k, text);
                }
            }
            lm.finish();
        }
    } else if values_node.is_some() || labels_node.is_some() {
        diags.push(
            Diagnostic::error(format!(
                "`values` and `labels` only apply to enum parameters, `{name}` is {}",
                ty.name()
            ))
            .at(file, spec.span.clone()),
        );
    }
    for (bound, slot) in [(min, &mut spec.min), (max, &mut spec.max)] {
        if let Some(n) = bound {
            *slot = value::parse_decimal(n);
            if slot.is_none() {
                diags.push(
                    Diagnostic::error("`min`/`max` must be numbers").at(file, n.span.clone()),
                );
            }
        }
    }
    if let Some(d) = default_node {
        spec.default = value::parse(&spec, file, d, diags);
        spec.bad_default = spec.default.is_none();
    }
    Some(spec)
}

/// Module and parameter names: they appear in template expressions (`{{ module.name }}`),
/// where a `-` would read as a minus sign.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The name part of a clause id (`liability.cap-basis`): only ever quoted, so `-` is fine.
pub fn is_clause_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}
