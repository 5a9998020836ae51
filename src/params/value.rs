//! Parameter values: parsing a YAML node against its declared type, and writing a value in a
//! locale. All locale wording lives in `locale`; this file only dispatches on the type.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::grammar;
use super::locale::{self, DurationUnit, Locale, MoneyStyle};
use super::{ParamSpec, ParamType};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};
use crate::load::yaml::{Kind, Node};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Value {
    Text { value: String },
    Integer { value: i64 },
    Decimal { value: Decimal },
    Bool { value: bool },
    Enum { value: String },
    Date { value: NaiveDate },
    Percent { value: Decimal },
    Money { amount: Decimal, currency: String },
    Duration { amount: u64, unit: DurationUnitKey },
    List { items: Vec<String> },
}

/// A duration unit stored by its canonical key ("dagen"), so stored data reads the same in
/// every locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationUnitKey(pub DurationUnit);

impl Serialize for DurationUnitKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.key())
    }
}

impl Value {
    /// The text a clause body shows for `{{ module.param }}`.
    pub fn display(&self, spec: &ParamSpec, loc: Locale, style: MoneyStyle) -> String {
        match self {
            Value::Text { value } => value.clone(),
            Value::Integer { value } => value.to_string(),
            Value::Decimal { value } => locale::decimal(*value, loc),
            Value::Bool { value } => match (loc, value) {
                (Locale::Nl, true) => "ja".into(),
                (Locale::Nl, false) => "nee".into(),
                (Locale::En, true) => "yes".into(),
                (Locale::En, false) => "no".into(),
            },
            Value::Enum { value } => spec.values.get(value).cloned().unwrap_or(value.clone()),
            Value::Date { value } => locale::date(*value, loc),
            Value::Percent { value } => locale::percent(*value, loc),
            Value::Money { amount, currency } => locale::money(*amount, currency, style, loc),
            Value::Duration { amount, unit } => locale::duration(*amount, unit.0, loc),
            Value::List { items } => locale::join_list(items, loc),
        }
    }

    /// The machine value offered to templates as `raw.module.param` (for conditions and filters).
    pub fn raw(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Value::Text { value } | Value::Enum { value } => json!(value),
            Value::Integer { value } => json!(value),
            Value::Decimal { value } | Value::Percent { value } => {
                json!(f64::try_from(*value).unwrap_or(0.0))
            }
            Value::Bool { value } => json!(value),
            Value::Date { value } => json!(value.format("%Y-%m-%d").to_string()),
            Value::Money { amount, currency } => {
                json!({"amount": f64::try_from(*amount).unwrap_or(0.0), "currency": currency})
            }
            Value::Duration { amount, unit } => json!({"amount": amount, "unit": unit.0.key()}),
            Value::List { items } => json!(items),
        }
    }

    /// What the template context holds for `{{ module.param }}`: native for the types that
    /// conditions test (bool, integer), the locale text for the rest. Enums show their
    /// label; conditions compare `raw.module.param` with the value.
    pub fn context_value(
        &self,
        spec: &ParamSpec,
        loc: Locale,
        style: MoneyStyle,
    ) -> serde_json::Value {
        match self {
            Value::Bool { value } => serde_json::json!(value),
            Value::Integer { value } => serde_json::json!(value),
            _ => serde_json::json!(self.display(spec, loc, style)),
        }
    }
}

/// A number as written (`min`, `max`, a money mapping's `amount`), by the decimal grammar.
pub fn parse_decimal(node: &Node) -> Option<Decimal> {
    grammar::decimal(node.written()?).ok()
}

/// Parse a value for `spec`. On error, push a diagnostic pointing at the node and return None.
pub fn parse(
    spec: &ParamSpec,
    file: FileId,
    node: &Node,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let result = parse_inner(spec, node);
    match result {
        Ok(v) => {
            if let Err(msg) = check_bounds(spec, &v) {
                diags.push(
                    Diagnostic::error(msg)
                        .at(file, node.span.clone())
                        .label("out of range"),
                );
                return None;
            }
            Some(v)
        }
        Err((msg, hint)) => {
            let d = Diagnostic::error(format!("wrong value for parameter `{}`: {msg}", spec.key))
                .at(file, node.span.clone())
                .label(format!("expected {}", spec.ty.name()))
                .maybe_hint(hint)
                .hint(format!(
                    "`{}` is {}: {}",
                    spec.key,
                    spec.ty.name(),
                    spec.description
                ));
            diags.push(d);
            None
        }
    }
}

type ParseError = (String, Option<String>);

fn found(node: &Node) -> String {
    format!("found {}", node.type_name())
}

/// Every scalar type is read from the text as written (see `grammar`), never from YAML's
/// own reading of it: `0x10` stays text, `1e3` is no amount.
fn parse_inner(spec: &ParamSpec, node: &Node) -> Result<Value, ParseError> {
    let example = || Some(format!("write it like `{}`", spec.ty.example()));
    let text = || {
        node.written().ok_or_else(|| {
            (
                format!("expected {}, {}", spec.ty.name(), found(node)),
                example(),
            )
        })
    };
    let grammar_err = |e: grammar::GrammarError| (e.message, e.hint.or_else(example));
    match spec.ty {
        ParamType::Text => Ok(Value::Text {
            value: text()?.to_string(),
        }),
        ParamType::Integer => grammar::integer(text()?)
            .map(|value| Value::Integer { value })
            .map_err(grammar_err),
        ParamType::Decimal => grammar::decimal(text()?)
            .map(|value| Value::Decimal { value })
            .map_err(grammar_err),
        ParamType::Percent => grammar::percent(text()?)
            .map(|value| Value::Percent { value })
            .map_err(grammar_err),
        ParamType::Bool => match node.kind {
            Kind::Bool(b) => Ok(Value::Bool { value: b }),
            _ => Err((format!("expected `true` or `false`, {}", found(node)), None)),
        },
        ParamType::Enum => {
            let s = text()?.to_string();
            if spec.values.contains_key(&s) {
                Ok(Value::Enum { value: s })
            } else {
                let allowed: Vec<&str> = spec.values.keys().map(String::as_str).collect();
                Err((
                    format!("`{s}` is not one of the allowed values"),
                    Some(match did_you_mean(&s, allowed.iter().copied()) {
                        Some(dym) => format!("{dym} (allowed: {})", allowed.join(", ")),
                        None => format!("allowed: {}", allowed.join(", ")),
                    }),
                ))
            }
        }
        ParamType::Date => {
            let s = text()?;
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map(|value| Value::Date { value })
                .map_err(|_| {
                    (
                        format!("`{s}` is not a date in the form YYYY-MM-DD"),
                        example(),
                    )
                })
        }
        ParamType::Money => parse_money(node).map_err(grammar_err),
        ParamType::Duration => parse_duration(node).map_err(grammar_err),
        ParamType::List => match &node.kind {
            Kind::Seq(items) => items
                .iter()
                .map(|n| {
                    n.written()
                        .map(str::to_string)
                        .ok_or_else(|| (format!("list items must be text, {}", found(n)), None))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|items| Value::List { items }),
            _ => Err((format!("expected a list, {}", found(node)), example())),
        },
    }
}

fn grammar_error(message: impl Into<String>) -> grammar::GrammarError {
    grammar::GrammarError {
        message: message.into(),
        hint: None,
    }
}

/// `EUR 25000` and the other forms of `grammar::money`, or `{amount: 25000, currency: EUR}`.
fn parse_money(node: &Node) -> Result<Value, grammar::GrammarError> {
    if let Kind::Map(_) = node.kind {
        let amount_text = node
            .get("amount")
            .and_then(Node::written)
            .ok_or_else(|| grammar_error("a money mapping needs an `amount`"))?;
        let amount = grammar::amount(amount_text)?;
        let currency = match node.get("currency") {
            None => "EUR".to_string(),
            Some(c) => match c.as_str() {
                Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                    c.to_ascii_uppercase()
                }
                _ => {
                    return Err(grammar_error(
                        "`currency` must be a three-letter code such as EUR",
                    ));
                }
            },
        };
        return Ok(Value::Money { amount, currency });
    }
    let text = node.written().ok_or_else(|| {
        grammar_error(format!(
            "expected an amount such as `EUR 25000`, {}",
            found(node)
        ))
    })?;
    let (amount, currency) = grammar::money(text)?;
    Ok(Value::Money { amount, currency })
}

/// `14 dagen` and the other forms of `grammar::duration`, or `{amount: 14, unit: dagen}`.
fn parse_duration(node: &Node) -> Result<Value, grammar::GrammarError> {
    let (amount, unit) = if let Kind::Map(_) = node.kind {
        let amount = node
            .get("amount")
            .and_then(Node::written)
            .ok_or_else(|| grammar_error("a duration mapping needs an `amount`"))?;
        let unit = node
            .get("unit")
            .and_then(Node::as_str)
            .ok_or_else(|| grammar_error("a duration mapping needs a `unit`"))?;
        grammar::duration(&format!("{} {unit}", amount.trim()))?
    } else {
        let text = node.written().ok_or_else(|| {
            grammar_error(format!(
                "expected a duration such as `14 dagen`, {}",
                found(node)
            ))
        })?;
        grammar::duration(text)?
    };
    Ok(Value::Duration {
        amount,
        unit: DurationUnitKey(unit),
    })
}

pub fn check_bounds(spec: &ParamSpec, v: &Value) -> Result<(), String> {
    let n = match v {
        Value::Integer { value } => Decimal::from(*value),
        Value::Decimal { value } | Value::Percent { value } => *value,
        Value::Money { amount, .. } => *amount,
        Value::Duration { amount, .. } => Decimal::from(*amount),
        _ => return Ok(()),
    };
    if let Some(min) = spec.min
        && n < min
    {
        return Err(format!("`{}` must be at least {min}, got {n}", spec.key));
    }
    // A percentage above 100 is almost always a slip (199.8 for 99.8); a parameter that
    // means more (a price increase of 150%) says so with `max`.
    let max = match v {
        Value::Percent { .. } => spec.max.or(Some(Decimal::ONE_HUNDRED)),
        _ => spec.max,
    };
    if let Some(max) = max
        && n > max
    {
        return Err(format!("`{}` must be at most {max}, got {n}", spec.key));
    }
    Ok(())
}
