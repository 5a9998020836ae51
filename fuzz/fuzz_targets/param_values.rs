//! Parameter values: every grammar of `params::grammar` on the input text, and `value::parse`
//! of the input read as a YAML value, for every parameter type.
//!
//! Round trips checked (only those the grammars promise; docs/values.md):
//! - integer: `n.to_string()` reads back as `n`;
//! - decimal and percent: `Decimal`'s own text, and the locale text of both locales below
//!   1000 (from 1000 the locale groups thousands, which the grammars refuse on purpose:
//!   `1.125` is one and an eighth), read back as the same value;
//! - amount: at most two decimals; the Dutch money text without a currency reads back;
//! - money: the currency is three upper-case letters; the Dutch text in both styles reads
//!   back as the same amount and currency, and the English text too below 1000 (the English
//!   `25,000` is refused on purpose);
//! - duration: `<amount> <unit word>` reads back, for the word of both locales and the key;
//! - `value::parse` succeeds exactly when it pushes no diagnostic; every value displays in
//!   both locales and styles; a money value's Dutch display reads back.
#![no_main]

use std::str::FromStr;

use clausebook::diagnostics::{Diagnostics, Sources};
use clausebook::load::yaml;
use clausebook::params::grammar;
use clausebook::params::locale::{self, Locale, MoneyStyle};
use clausebook::params::value::{self, Value};
use clausebook::params::{ParamSpec, ParamType};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

const LOCALES: [Locale; 2] = [Locale::Nl, Locale::En];
const STYLES: [MoneyStyle; 3] = [MoneyStyle::Code, MoneyStyle::Symbol, MoneyStyle::SymbolDash];
const TYPES: [ParamType; 10] = [
    ParamType::Text,
    ParamType::Integer,
    ParamType::Decimal,
    ParamType::Bool,
    ParamType::Enum,
    ParamType::Date,
    ParamType::Percent,
    ParamType::Money,
    ParamType::Duration,
    ParamType::List,
];

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    grammars(s);
    values(s);
});

fn small(v: Decimal) -> bool {
    v.abs() < Decimal::ONE_THOUSAND
}

fn grammars(s: &str) {
    if let Ok(n) = grammar::integer(s) {
        assert_eq!(grammar::integer(&n.to_string()), Ok(n), "{s:?}");
    }
    if let Ok(v) = grammar::decimal(s) {
        decimal_round_trip(v, grammar::decimal, s);
        assert_eq!(grammar::decimal(&v.to_string()), Ok(v), "{s:?}");
    }
    if let Ok(v) = grammar::percent(s) {
        decimal_round_trip(v, grammar::percent, s);
        for loc in LOCALES {
            if small(v) {
                let shown = locale::percent(v, loc);
                assert_eq!(grammar::percent(&shown), Ok(v), "{s:?} shown as {shown:?}");
            }
        }
    }
    if let Ok(v) = grammar::amount(s) {
        assert!(v.scale() <= 2, "{s:?} gave {v} with scale {}", v.scale());
        let shown = locale::money(v, "", MoneyStyle::Code, Locale::Nl);
        assert_eq!(grammar::amount(&shown), Ok(v), "{s:?} shown as {shown:?}");
    }
    if let Ok((v, currency)) = grammar::money(s) {
        assert!(
            currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()),
            "{s:?} gave currency {currency:?}"
        );
        assert!(v.scale() <= 2, "{s:?} gave {v}");
        money_round_trip(v, &currency, s);
    }
    if let Ok((n, unit)) = grammar::duration(s) {
        for loc in LOCALES {
            let shown = format!("{n} {}", unit.word(n, loc));
            assert_eq!(
                grammar::duration(&shown),
                Ok((n, unit)),
                "{s:?} as {shown:?}"
            );
            // The locale's own text ("veertien (14) dagen") is for reading, not for the grammar.
            let _ = locale::duration(n, unit, loc);
        }
        let keyed = format!("{n} {}", unit.key());
        assert_eq!(
            grammar::duration(&keyed),
            Ok((n, unit)),
            "{s:?} as {keyed:?}"
        );
    }
}

fn decimal_round_trip(
    v: Decimal,
    parse: fn(&str) -> Result<Decimal, grammar::GrammarError>,
    s: &str,
) {
    for loc in LOCALES {
        let shown = locale::decimal(v, loc);
        if small(v) {
            assert_eq!(parse(&shown), Ok(v), "{s:?} shown as {shown:?}");
        }
    }
}

fn money_round_trip(v: Decimal, currency: &str, s: &str) {
    for loc in LOCALES {
        for style in STYLES {
            let shown = locale::money(v, currency, style, loc);
            if loc == Locale::Nl || small(v) {
                assert_eq!(
                    grammar::money(&shown),
                    Ok((v, currency.to_string())),
                    "{s:?} shown as {shown:?}"
                );
            }
        }
    }
}

fn spec(ty: ParamType) -> ParamSpec {
    let mut spec = ParamSpec {
        key: "m.p".into(),
        module: "m".into(),
        name: "p".into(),
        ty,
        description: "a parameter".into(),
        label: "p".into(),
        default: None,
        values: Default::default(),
        min: None,
        max: None,
        file: 0,
        span: 0..0,
        bad_default: false,
    };
    if ty == ParamType::Enum {
        spec.values.insert("basic".into(), "Basis".into());
        spec.values.insert("premium".into(), String::new());
    }
    if ty == ParamType::Decimal {
        spec.min = Decimal::from_str("-10.5").ok();
        spec.max = Decimal::from_str("1000").ok();
    }
    spec
}

fn values(s: &str) {
    // The text as the value of a key, as a document or vendor file gives it.
    let Ok(node) = yaml::parse(s) else {
        return;
    };
    let mut sources = Sources::default();
    let file = sources.add("vendors/x.yaml", s.to_string());
    for ty in TYPES {
        let spec = spec(ty);
        let mut diags = Diagnostics::default();
        let parsed = value::parse(&spec, file, &node, &mut diags);
        assert_eq!(parsed.is_some(), diags.is_empty(), "{ty:?} {s:?}");
        if !diags.is_empty() {
            // The diagnostic points at the node: it must render.
            let _ = diags.render_plain(&sources);
            let _ = diags.to_json(&sources);
            continue;
        }
        let Some(v) = parsed else { continue };
        for loc in LOCALES {
            for style in STYLES {
                let shown = v.display(&spec, loc, style);
                let _ = v.context_value(&spec, loc, style);
                if let Value::Money { amount, currency } = &v
                    && loc == Locale::Nl
                {
                    assert_eq!(
                        grammar::money(&shown),
                        Ok((*amount, currency.clone())),
                        "{s:?} shown as {shown:?}"
                    );
                }
            }
        }
        let _ = v.raw();
        let _ = serde_json::to_string(&v).unwrap();
    }
}
