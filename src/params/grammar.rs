//! The text grammar of each parameter type: what an editor may write in YAML, read strictly.
//! A value is judged by the text as written (never by YAML's own reading of `0x10` or `1e3`),
//! and anything that two readers could read differently is refused with a hint rather than
//! guessed. The grammars are documented in docs/values.md; keep the two in step.
//!
//! - integer: `-?[0-9]+`. No `+`, `0x`, `0o`, exponents, `_` or separators.
//! - decimal: `-?[0-9]+([.,][0-9]+)?`: one separator, always the decimal point (`1.5`,
//!   `1,5`); no thousands grouping, so `1.125` is one and an eighth, never 1125.
//! - percent: a decimal, optionally followed by `%` (`99.9`, `"99,9%"`, `"1.125%"`).
//! - money: an amount with a currency code before or after it, or a symbol before it
//!   (`EUR 25000`, `25.000 EUR`, `€ 25.000`, `$1500.50`). See [`amount`].
//! - duration: a whole number and a unit (`14 dagen`, `1 month`).

use std::str::FromStr;

use rust_decimal::Decimal;

use super::locale::DurationUnit;

/// Why a text does not fit its grammar, and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrammarError {
    pub message: String,
    pub hint: Option<String>,
}

fn err(message: impl Into<String>, hint: Option<String>) -> GrammarError {
    GrammarError {
        message: message.into(),
        hint,
    }
}

type Parsed<T> = Result<T, GrammarError>;

fn split_sign(s: &str) -> (bool, &str) {
    match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// What a number written with anything but digits and separators is, for messages.
fn foreign(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("0x") || lower.starts_with("0o") || lower.starts_with("0b") {
        Some(format!("`{s}` is written in another base"))
    } else if lower.contains('e')
        && lower.chars().any(|c| c.is_ascii_digit())
        && lower
            .chars()
            .all(|c| c.is_ascii_digit() || ".,e+-".contains(c))
    {
        Some(format!("`{s}` has an exponent"))
    } else if s.contains('_') || s.contains(' ') {
        Some(format!("`{s}` groups digits with `_` or spaces"))
    } else if s.starts_with('+') {
        Some(format!("`{s}` has a `+` sign"))
    } else {
        None
    }
}

/// `-?[0-9]+`
pub fn integer(s: &str) -> Parsed<i64> {
    let t = s.trim();
    let (_, digits) = split_sign(t);
    if !all_digits(digits) {
        let what = foreign(t).unwrap_or_else(|| format!("`{t}` is not a whole number"));
        return Err(err(
            what,
            Some("write the digits only, e.g. `14` or `-3`".to_string()),
        ));
    }
    t.parse::<i64>()
        .map_err(|_| err(format!("`{t}` is too large"), None))
}

/// `-?[0-9]+([.,][0-9]+)?`
pub fn decimal(s: &str) -> Parsed<Decimal> {
    let t = s.trim();
    let hint = || Some("write one `.` or `,` as the decimal point, e.g. `1.25` or `1,25`".into());
    let (negative, body) = split_sign(t);
    let seps = body.matches(['.', ',']).count();
    let (int, frac) = match body.find(['.', ',']) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, ""),
    };
    if seps > 1 {
        return Err(err(
            format!("`{t}` has more than one separator; numbers here have no thousands grouping"),
            hint(),
        ));
    }
    if !all_digits(int) || (seps == 1 && !all_digits(frac)) {
        let what = foreign(t).unwrap_or_else(|| format!("`{t}` is not a number"));
        return Err(err(what, hint()));
    }
    let text = format!("{}{int}.{}", if negative { "-" } else { "" }, frac);
    let text = text.trim_end_matches('.');
    Decimal::from_str(text).map_err(|_| err(format!("`{t}` is too large or too precise"), None))
}

/// A decimal, optionally followed by `%`.
pub fn percent(s: &str) -> Parsed<Decimal> {
    let t = s.trim();
    decimal(t.strip_suffix('%').unwrap_or(t).trim_end()).map_err(|mut e| {
        e.hint = Some("write it like `99.9`, `\"99,9%\"` or `\"1.125%\"`".into());
        e
    })
}

/// A money amount, at most two decimals, written plain or the Dutch way:
///
/// - plain: `25000`, `25000.50` (a single `.` followed by one or two digits is a decimal
///   point), `25000,50`;
/// - Dutch: `.` groups thousands, `,` starts the cents: `25.000`, `25.000,50`, `1.500.000`,
///   and `,-` for "no cents": `25.000,-`. The first group has one to three digits and no
///   leading zero, the others three.
///
/// Refused, with a hint: the English `,` for thousands (`25,000`, `1,500.50`: to a Dutch
/// reader `25,000` is twenty-five), a single `.` followed by three digits where the group
/// before it cannot be a thousands group (`0.500`, `1234.567`: three decimals, or a
/// thousands point?), more than two decimals, exponents, other bases, `_` and spaces.
pub fn amount(s: &str) -> Parsed<Decimal> {
    let t = s.trim();
    let hint = || {
        Some(
            "write the amount plain (`1500.50`) or the Dutch way (`1.500,50`); at most two decimals"
                .to_string(),
        )
    };
    let (negative, body) = split_sign(t);
    let (body, no_cents) = match body.strip_suffix(",-") {
        Some(b) => (b, true),
        None => (body, false),
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        let what = foreign(t).unwrap_or_else(|| format!("`{t}` is not an amount"));
        return Err(err(what, hint()));
    }
    let (int, frac) = match body.split_once(',') {
        Some((int, frac)) => {
            if no_cents {
                return Err(err(format!("`{t}` has both cents and `,-`"), hint()));
            }
            if frac.contains(['.', ',']) {
                return Err(err(
                    format!("`{t}` uses `,` to group thousands; in an amount `,` starts the cents"),
                    hint(),
                ));
            }
            if frac.len() == 3 {
                return Err(err(
                    format!("`{t}` is ambiguous: a decimal comma, or a thousands comma?"),
                    hint(),
                ));
            }
            (int, frac)
        }
        None => match body.split_once('.') {
            // One `.` and one or two digits after it: the decimal point of a plain amount.
            Some((int, frac)) if !frac.contains('.') && (1..=2).contains(&frac.len()) => {
                if no_cents {
                    return Err(err(format!("`{t}` has both cents and `,-`"), hint()));
                }
                if !all_digits(int) {
                    return Err(err(format!("`{t}` is not an amount"), hint()));
                }
                (int, frac)
            }
            _ => (body, ""),
        },
    };
    if !frac.is_empty() && (frac.len() > 2 || !all_digits(frac)) {
        return Err(err(format!("`{t}` has more than two decimals"), hint()));
    }
    if body.ends_with(['.', ',']) {
        return Err(err(format!("`{t}` ends in a separator"), hint()));
    }
    let digits = ungroup(int).ok_or_else(|| {
        let after_dot = int.rsplit_once('.').map_or(0, |(_, f)| f.len());
        let what = if int.matches('.').count() == 1 && after_dot == 3 {
            format!("`{t}` is ambiguous: three decimals, or a thousands point?")
        } else if int.matches('.').count() == 1 && after_dot > 3 {
            format!("`{t}` has more than two decimals")
        } else {
            format!("`{t}` groups its digits wrongly (`.` every three digits)")
        };
        err(what, hint())
    })?;
    let text = format!(
        "{}{digits}{}{frac}",
        if negative { "-" } else { "" },
        if frac.is_empty() { "" } else { "." }
    );
    Decimal::from_str(&text).map_err(|_| err(format!("`{t}` is too large"), None))
}

/// The digits of an integer part, plain (`25000`) or grouped by `.` (`25.000`).
fn ungroup(int: &str) -> Option<String> {
    if all_digits(int) {
        return Some(int.to_string());
    }
    let mut groups = int.split('.');
    let first = groups.next()?;
    if !(all_digits(first) && first.len() <= 3 && !first.starts_with('0')) {
        return None;
    }
    let mut out = first.to_string();
    for g in groups {
        if g.len() != 3 || !all_digits(g) {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

/// `EUR 25000`, `25.000 EUR`, `€ 25.000`, `€25,000`, `-EUR 10`; no currency means EUR.
pub fn money(s: &str) -> Parsed<(Decimal, String)> {
    let t = s.trim();
    let (negative, rest) = split_sign(t);
    let rest = rest.trim_start();
    let symbol = [('€', "EUR"), ('$', "USD"), ('£', "GBP")]
        .into_iter()
        .find_map(|(sym, code)| Some((rest.strip_prefix(sym)?, code)));
    let is_code = |w: &str| w.len() == 3 && w.bytes().all(|b| b.is_ascii_alphabetic());
    let (number, currency) = if let Some((after, code)) = symbol {
        (after.trim_start(), code.to_string())
    } else {
        let words: Vec<&str> = rest.split_whitespace().collect();
        match words.as_slice() {
            [c, n] if is_code(c) => (*n, c.to_ascii_uppercase()),
            [n, c] if is_code(c) => (*n, c.to_ascii_uppercase()),
            // No currency: EUR. `amount` says what is wrong with a word such as `1e3`.
            [n] => (*n, "EUR".to_string()),
            _ => {
                return Err(err(
                    format!("`{t}` is not an amount with a currency"),
                    Some(
                        "write it like `EUR 25000`, `EUR 25.000,50` or `€ 25.000`; currencies are three-letter codes".into(),
                    ),
                ));
            }
        }
    };
    if negative && number.starts_with('-') {
        return Err(err(format!("`{t}` has two minus signs"), None));
    }
    let value = amount(number).map_err(|mut e| {
        e.hint = Some(format!(
            "write it like `{currency} 1500.50` or `{currency} 1.500,50`: plain, or `.` for thousands and `,` for cents; at most two decimals"
        ));
        e
    })?;
    Ok((if negative { -value } else { value }, currency))
}

/// `14 dagen`, `1 maand`, `3 werkdagen`, `2 weeks`.
pub fn duration(s: &str) -> Parsed<(u64, DurationUnit)> {
    let t = s.trim();
    let units = || {
        Some(format!(
            "write it like `14 dagen`; units: {}",
            DurationUnit::all_names().join(", ")
        ))
    };
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if split == 0 {
        return Err(err(format!("`{t}` does not start with a number"), units()));
    }
    if split == t.len() {
        return Err(err(format!("`{t}` has no unit"), units()));
    }
    let amount: u64 = t[..split]
        .parse()
        .map_err(|_| err(format!("`{}` is too large", &t[..split]), None))?;
    let unit_text = t[split..].trim();
    let unit = DurationUnit::parse(unit_text).ok_or_else(|| {
        let dym =
            crate::diagnostics::did_you_mean(unit_text, DurationUnit::all_names().iter().copied());
        err(
            format!(
                "unknown unit `{unit_text}`{}",
                dym.map(|d| format!(" ({d})")).unwrap_or_default()
            ),
            units(),
        )
    })?;
    Ok((amount, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn amounts() {
        for (text, value) in [
            ("25000", "25000"),
            ("25000.50", "25000.50"),
            ("25000,5", "25000.5"),
            ("25.000", "25000"),
            ("25.000,50", "25000.50"),
            ("25.000,-", "25000"),
            ("1.500.000", "1500000"),
            ("1.500.000,05", "1500000.05"),
            ("0.50", "0.50"),
            ("0", "0"),
            ("-12,50", "-12.50"),
        ] {
            assert_eq!(amount(text), Ok(d(value)), "{text}");
        }
        for text in [
            "0.500",
            "1234.567",
            "1,5000",
            "1.500,500",
            "1e3",
            "0x10",
            "1_000",
            "1 000",
            "1..5",
            "1.500.00",
            "1.500,50,0",
            "12.34.5",
            "5,",
            "",
            "-",
            "1.5,-",
            "+5",
            "1,500.000",
            "25,000",
            "1,500.50",
            "1,500,000",
            "1.5.",
            "01.000",
        ] {
            assert!(amount(text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn money_forms() {
        let m = |s: &str| money(s).map(|(a, c)| (a.to_string(), c));
        assert!(money("EUR 1,500.50").is_err());
        assert_eq!(m("€25.000"), Ok(("25000".into(), "EUR".into())));
        assert_eq!(m("25.000 usd"), Ok(("25000".into(), "USD".into())));
        assert_eq!(m("-EUR 10"), Ok(("-10".into(), "EUR".into())));
        assert!(money("EUR 0.500").is_err());
        assert!(money("EUR USD 5").is_err());
        assert!(money("EURO 5").is_err());
        assert!(money("EUR 1e3").is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(decimal("1.125"), Ok(d("1.125")));
        assert_eq!(decimal("1,5"), Ok(d("1.5")));
        assert_eq!(decimal("-2"), Ok(d("-2")));
        for t in ["1.000,5", "1e3", "0x10", "1.", ".5", "1_0", "+1"] {
            assert!(decimal(t).is_err(), "{t}");
        }
        assert_eq!(percent("1.125%"), Ok(d("1.125")));
        assert_eq!(percent("99,9 %"), Ok(d("99.9")));
        assert_eq!(integer("-3"), Ok(-3));
        for t in ["0x10", "1e3", "1_000", "+5", "1.0", "0o17", ""] {
            assert!(integer(t).is_err(), "{t}");
        }
    }
}
