//! Parameter values: parsing a YAML node against its declared type, and writing a value in a
//! locale. All locale wording lives in `locale`; this file only dispatches on the type.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

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

pub fn parse_decimal(node: &Node) -> Option<Decimal> {
    match &node.kind {
        Kind::Int(i) => Some(Decimal::from(*i)),
        Kind::Float(s) => Decimal::from_str(s)
            .ok()
            .or_else(|| Decimal::from_scientific(s).ok()),
        Kind::Str(s) => parse_decimal_text(s),
        _ => None,
    }
}

/// Accepts "25000", "25.000", "25000.50" and the Dutch "25.000,50": a comma is always the
/// decimal separator; dots are thousands separators only if a comma is present or they
/// group exactly three digits.
fn parse_decimal_text(s: &str) -> Option<Decimal> {
    let s = s.trim().trim_end_matches(",-").replace([' ', '_'], "");
    let normal = if s.contains(',') {
        s.replace('.', "").replace(',', ".")
    } else if s.matches('.').count() > 1
        || s.split_once('.')
            .is_some_and(|(_, frac)| frac.len() == 3 && s.len() > 4)
    {
        s.replace('.', "")
    } else {
        s
    };
    Decimal::from_str(&normal).ok()
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

fn parse_inner(spec: &ParamSpec, node: &Node) -> Result<Value, ParseError> {
    let example = || Some(format!("write it like `{}`", spec.ty.example()));
    match spec.ty {
        ParamType::Text => match &node.kind {
            Kind::Str(s) | Kind::Float(s) => Ok(Value::Text { value: s.clone() }),
            Kind::Int(i) => Ok(Value::Text {
                value: i.to_string(),
            }),
            _ => Err((format!("expected text, {}", found(node)), None)),
        },
        ParamType::Integer => match node.kind {
            Kind::Int(i) => Ok(Value::Integer { value: i }),
            _ => Err((format!("expected an integer, {}", found(node)), example())),
        },
        ParamType::Decimal | ParamType::Percent => {
            let d = parse_decimal(&strip_percent(node))
                .ok_or_else(|| (format!("expected a number, {}", found(node)), example()))?;
            Ok(if spec.ty == ParamType::Decimal {
                Value::Decimal { value: d }
            } else {
                Value::Percent { value: d }
            })
        }
        ParamType::Bool => match node.kind {
            Kind::Bool(b) => Ok(Value::Bool { value: b }),
            _ => Err((format!("expected `true` or `false`, {}", found(node)), None)),
        },
        ParamType::Enum => {
            let s = scalar_text(node)
                .ok_or_else(|| (format!("expected one of the values, {}", found(node)), None))?;
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
            let s = scalar_text(node)
                .ok_or_else(|| (format!("expected a date, {}", found(node)), example()))?;
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map(|value| Value::Date { value })
                .map_err(|_| {
                    (
                        format!("`{s}` is not a date in the form YYYY-MM-DD"),
                        example(),
                    )
                })
        }
        ParamType::Money => parse_money(node).map_err(|m| (m, example())),
        ParamType::Duration => parse_duration(node).map_err(|m| {
            (
                m,
                Some(format!(
                    "write it like `14 dagen`; units: {}",
                    DurationUnit::all_names().join(", ")
                )),
            )
        }),
        ParamType::List => match &node.kind {
            Kind::Seq(items) => items
                .iter()
                .map(|n| {
                    scalar_text(n)
                        .ok_or_else(|| (format!("list items must be text, {}", found(n)), None))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|items| Value::List { items }),
            _ => Err((format!("expected a list, {}", found(node)), example())),
        },
    }
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        Kind::Str(s) | Kind::Float(s) => Some(s.clone()),
        Kind::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn strip_percent(node: &Node) -> Node {
    match &node.kind {
        Kind::Str(s) => Node {
            kind: Kind::Str(s.trim().trim_end_matches('%').to_string()),
            span: node.span.clone(),
        },
        _ => node.clone(),
    }
}

/// "EUR 25000", "25000 EUR", "€ 25.000", or `{amount: 25000, currency: EUR}`.
fn parse_money(node: &Node) -> Result<Value, String> {
    if let Kind::Map(_) = node.kind {
        let amount = node
            .get("amount")
            .and_then(parse_decimal)
            .ok_or("a money mapping needs a numeric `amount`")?;
        let currency = node
            .get("currency")
            .and_then(Node::as_str)
            .map(|s| s.to_ascii_uppercase())
            .unwrap_or_else(|| "EUR".into());
        return Ok(Value::Money { amount, currency });
    }
    let text = scalar_text(node)
        .ok_or_else(|| format!("expected an amount such as `EUR 25000`, {}", found(node)))?;
    let t = text.trim().replace('€', " EUR ");
    let mut currency = None;
    let mut number = String::new();
    for part in t.split_whitespace() {
        if part.chars().all(|c| c.is_ascii_alphabetic()) {
            if currency.is_some() {
                return Err(format!("`{text}` names two currencies"));
            }
            currency = Some(part.to_ascii_uppercase());
        } else {
            number.push_str(part);
        }
    }
    let amount = parse_decimal_text(&number).ok_or_else(|| format!("`{text}` is not an amount"))?;
    if let Some(c) = &currency
        && c.len() != 3
    {
        return Err(format!("`{c}` is not a three-letter currency code"));
    }
    Ok(Value::Money {
        amount,
        currency: currency.unwrap_or_else(|| "EUR".into()),
    })
}

/// "14 dagen", "1 maand", "3 werkdagen", or `{amount: 14, unit: dagen}`.
fn parse_duration(node: &Node) -> Result<Value, String> {
    let (amount_text, unit_text) = if let Kind::Map(_) = node.kind {
        let amount = match node.get("amount").map(|n| &n.kind) {
            Some(Kind::Int(i)) => i.to_string(),
            _ => return Err("a duration mapping needs an integer `amount`".into()),
        };
        let unit = node
            .get("unit")
            .and_then(Node::as_str)
            .ok_or("a duration mapping needs a `unit`")?;
        (amount, unit.to_string())
    } else {
        let text = scalar_text(node)
            .ok_or_else(|| format!("expected a duration such as `14 dagen`, {}", found(node)))?;
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        if split == 0 {
            return Err(format!("`{text}` does not start with a number"));
        }
        if split == text.len() {
            return Err(format!("`{text}` has no unit"));
        }
        (text[..split].to_string(), text[split..].trim().to_string())
    };
    let amount: u64 = amount_text
        .parse()
        .map_err(|_| format!("`{amount_text}` is not a whole number"))?;
    let unit = DurationUnit::parse(&unit_text).ok_or_else(|| {
        let dym = did_you_mean(&unit_text, DurationUnit::all_names().iter().copied());
        format!(
            "unknown unit `{unit_text}`{}",
            dym.map(|d| format!(" ({d})")).unwrap_or_default()
        )
    })?;
    Ok(Value::Duration {
        amount,
        unit: DurationUnitKey(unit),
    })
}

fn check_bounds(spec: &ParamSpec, v: &Value) -> Result<(), String> {
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
    if let Some(max) = spec.max
        && n > max
    {
        return Err(format!("`{}` must be at most {max}, got {n}", spec.key));
    }
    Ok(())
}
