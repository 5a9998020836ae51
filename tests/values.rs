//! Property tests of the value grammars (src/params/grammar.rs): what clausebook writes reads
//! back as the same value, and no text at all makes a parser panic.

use std::str::FromStr;

use clausebook::params::grammar;
use clausebook::params::locale::{self, DurationUnit, Locale, MoneyStyle};
use proptest::prelude::*;
use rust_decimal::Decimal;

const UNITS: [DurationUnit; 6] = [
    DurationUnit::Hours,
    DurationUnit::Days,
    DurationUnit::WorkingDays,
    DurationUnit::Weeks,
    DurationUnit::Months,
    DurationUnit::Years,
];

fn cents() -> impl Strategy<Value = Decimal> {
    (-1_000_000_000_000i64..1_000_000_000_000).prop_map(|c| Decimal::new(c, 2))
}

proptest! {
    /// The Dutch rendering (`EUR 25.000,-`, `€ 1.234,50`) and the plain form
    /// (`EUR 1234.5`) read back as the amount and currency they came from.
    #[test]
    fn money_round_trips(amount in cents(), currency in prop::sample::select(vec!["EUR", "USD", "GBP", "CHF"])) {
        for style in [MoneyStyle::Code, MoneyStyle::Symbol] {
            let shown = locale::money(amount, currency, style, Locale::Nl);
            let (back, cur) = grammar::money(&shown).unwrap_or_else(|e| panic!("{shown}: {e:?}"));
            prop_assert_eq!(back, amount, "{}", shown);
            prop_assert_eq!(cur, currency);
        }
        let plain = format!("{currency} {amount}");
        prop_assert_eq!(grammar::money(&plain).map(|(a, _)| a), Ok(amount));
    }

    /// A percentage up to 100 with up to three decimals, as nl and en write it.
    #[test]
    fn percent_round_trips(thousandths in 0i64..=100_000) {
        let value = Decimal::new(thousandths, 3).normalize();
        for loc in [Locale::Nl, Locale::En] {
            let shown = locale::percent(value, loc);
            prop_assert_eq!(grammar::percent(&shown), Ok(value), "{}", shown);
        }
        prop_assert_eq!(grammar::percent(&value.to_string()), Ok(value));
    }

    #[test]
    fn decimal_round_trips(units in -1_000_000_000i64..1_000_000_000, scale in 0u32..6) {
        let value = Decimal::new(units, scale);
        prop_assert_eq!(grammar::decimal(&value.to_string()), Ok(value));
    }

    #[test]
    fn integer_round_trips(n in any::<i64>()) {
        prop_assert_eq!(grammar::integer(&n.to_string()), Ok(n));
    }

    /// `14 dagen`, `1 maand`: the amount and the unit under its key and its words.
    #[test]
    fn duration_round_trips(amount in 0u64..1_000_000, unit in prop::sample::select(UNITS.to_vec())) {
        let keyed = format!("{amount} {}", unit.key());
        prop_assert_eq!(grammar::duration(&keyed), Ok((amount, unit)));
        for loc in [Locale::Nl, Locale::En] {
            let worded = format!("{amount} {}", unit.word(amount, loc));
            prop_assert_eq!(grammar::duration(&worded), Ok((amount, unit)), "{}", worded);
        }
    }

    /// Whatever the text, every parser answers: a value or an error, never a panic.
    #[test]
    fn no_text_panics_a_parser(s in "\\PC{0,40}|[-+0-9.,_eEx €$£%A-Za-z]{0,24}") {
        let _ = grammar::integer(&s);
        let _ = grammar::decimal(&s);
        let _ = grammar::percent(&s);
        let _ = grammar::amount(&s);
        let _ = grammar::money(&s);
        let _ = grammar::duration(&s);
    }
}

#[test]
fn money_grammar_examples() {
    let d = |s: &str| Decimal::from_str(s).unwrap();
    assert_eq!(grammar::money("EUR 25.000,50").unwrap().0, d("25000.50"));
    assert!(grammar::money("EUR 1,500.50").is_err());
}
