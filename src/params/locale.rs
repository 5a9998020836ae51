//! Locale-aware rendering of numbers, money, durations, dates and lists for
//! Dutch (`nl`) and British-style English (`en`) legal drafting.
//!
//! Every function here is pure and total: out-of-range input degrades to a
//! digits-only rendering rather than panicking, because a compiler for legal
//! text must never abort on an odd parameter value.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// Output language of the rendered terms; `"nl"` / `"en"` in stored documents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Dutch (Netherlands).
    #[default]
    Nl,
    /// English, following British legal drafting conventions.
    En,
}

impl Locale {
    /// Parses `nl`, `nl-NL`, `en`, `en-GB` or `en-US`, case-insensitively.
    /// `_` is accepted as the separator too (`nl_NL`), since POSIX locale
    /// names use it.
    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "nl" | "nl-nl" => Some(Locale::Nl),
            "en" | "en-gb" | "en-us" => Some(Locale::En),
            _ => None,
        }
    }

    /// The two-letter language code: `"nl"` or `"en"`.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    fn group_separator(self) -> char {
        match self {
            Locale::Nl => '.',
            Locale::En => ',',
        }
    }

    fn decimal_separator(self) -> char {
        match self {
            Locale::Nl => ',',
            Locale::En => '.',
        }
    }
}

/// How money is written. Code: "EUR 25.000,-" (nl) / "EUR 25,000" (en).
/// Symbol: "€ 25.000" (nl) / "€25,000" (en).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MoneyStyle {
    /// ISO 4217 code before the amount.
    #[default]
    Code,
    /// Currency symbol before the amount, where one is known.
    Symbol,
    /// Symbol, and in Dutch ",-" after a whole amount: "€ 10.000,-", "€ 75,50" — the way
    /// many Dutch contracts write money.
    SymbolDash,
}

impl MoneyStyle {
    /// Parses `code`, `symbol` or `symbol-dash` (case-insensitive, surrounding whitespace
    /// ignored; `symbol_dash` too).
    pub fn parse(s: &str) -> Option<MoneyStyle> {
        match s.trim().to_ascii_lowercase().as_str() {
            "code" => Some(MoneyStyle::Code),
            "symbol" => Some(MoneyStyle::Symbol),
            "symbol-dash" | "symbol_dash" => Some(MoneyStyle::SymbolDash),
            _ => None,
        }
    }

    /// The name `parse` reads.
    pub fn name(self) -> &'static str {
        match self {
            MoneyStyle::Code => "code",
            MoneyStyle::Symbol => "symbol",
            MoneyStyle::SymbolDash => "symbol-dash",
        }
    }
}

/// Unit of a contractual period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Hours,
    Days,
    WorkingDays,
    Weeks,
    Months,
    Years,
}

/// Every accepted spelling, already in the normalised form `parse` compares
/// against (lower case, single spaces).
const UNIT_NAMES: &[(&str, DurationUnit)] = &[
    ("uur", DurationUnit::Hours),
    ("uren", DurationUnit::Hours),
    ("hour", DurationUnit::Hours),
    ("hours", DurationUnit::Hours),
    ("dag", DurationUnit::Days),
    ("dagen", DurationUnit::Days),
    ("day", DurationUnit::Days),
    ("days", DurationUnit::Days),
    ("werkdag", DurationUnit::WorkingDays),
    ("werkdagen", DurationUnit::WorkingDays),
    ("working day", DurationUnit::WorkingDays),
    ("working days", DurationUnit::WorkingDays),
    ("business day", DurationUnit::WorkingDays),
    ("business days", DurationUnit::WorkingDays),
    ("working_day", DurationUnit::WorkingDays),
    ("working_days", DurationUnit::WorkingDays),
    ("business_day", DurationUnit::WorkingDays),
    ("business_days", DurationUnit::WorkingDays),
    ("week", DurationUnit::Weeks),
    ("weken", DurationUnit::Weeks),
    ("weeks", DurationUnit::Weeks),
    ("maand", DurationUnit::Months),
    ("maanden", DurationUnit::Months),
    ("month", DurationUnit::Months),
    ("months", DurationUnit::Months),
    ("jaar", DurationUnit::Years),
    ("jaren", DurationUnit::Years),
    ("year", DurationUnit::Years),
    ("years", DurationUnit::Years),
];

/// Kept in sync with `UNIT_NAMES` (checked by a test) so that hints can be
/// returned as a `'static` slice without allocating.
const ALL_UNIT_NAMES: &[&str] = &[
    "uur",
    "uren",
    "hour",
    "hours",
    "dag",
    "dagen",
    "day",
    "days",
    "werkdag",
    "werkdagen",
    "working day",
    "working days",
    "business day",
    "business days",
    "working_day",
    "working_days",
    "business_day",
    "business_days",
    "week",
    "weken",
    "weeks",
    "maand",
    "maanden",
    "month",
    "months",
    "jaar",
    "jaren",
    "year",
    "years",
];

impl DurationUnit {
    /// Accepts nl and en names, singular and plural, case-insensitive:
    /// uur/uren, dag/dagen, werkdag/werkdagen, week/weken, maand/maanden, jaar/jaren,
    /// hour(s), day(s), working day(s) / business day(s) / working_day(s) / business_day(s),
    /// week(s), month(s), year(s). Runs of whitespace count as one space.
    pub fn parse(s: &str) -> Option<DurationUnit> {
        let normalised = s
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        UNIT_NAMES
            .iter()
            .find(|(name, _)| *name == normalised)
            .map(|&(_, unit)| unit)
    }

    /// Canonical key used in data files: "uren","dagen","werkdagen","weken","maanden","jaren".
    pub fn key(self) -> &'static str {
        match self {
            DurationUnit::Hours => "uren",
            DurationUnit::Days => "dagen",
            DurationUnit::WorkingDays => "werkdagen",
            DurationUnit::Weeks => "weken",
            DurationUnit::Months => "maanden",
            DurationUnit::Years => "jaren",
        }
    }

    /// Unit word in the locale, singular only when `amount == 1`
    /// (so zero takes the plural, as in "nul dagen" / "zero days").
    pub fn word(self, amount: u64, locale: Locale) -> &'static str {
        let singular = amount == 1;
        match (locale, self, singular) {
            (Locale::Nl, DurationUnit::Hours, true) => "uur",
            // Dutch drafting counts time in "uur" and "jaar" ("vierentwintig (24) uur",
            // "twee (2) jaar"); the plurals "uren"/"jaren" read as counting occasions.
            (Locale::Nl, DurationUnit::Hours, false) => "uur",
            (Locale::Nl, DurationUnit::Days, true) => "dag",
            (Locale::Nl, DurationUnit::Days, false) => "dagen",
            (Locale::Nl, DurationUnit::WorkingDays, true) => "werkdag",
            (Locale::Nl, DurationUnit::WorkingDays, false) => "werkdagen",
            (Locale::Nl, DurationUnit::Weeks, true) => "week",
            (Locale::Nl, DurationUnit::Weeks, false) => "weken",
            (Locale::Nl, DurationUnit::Months, true) => "maand",
            (Locale::Nl, DurationUnit::Months, false) => "maanden",
            (Locale::Nl, DurationUnit::Years, true) => "jaar",
            (Locale::Nl, DurationUnit::Years, false) => "jaar",
            (Locale::En, DurationUnit::Hours, true) => "hour",
            (Locale::En, DurationUnit::Hours, false) => "hours",
            (Locale::En, DurationUnit::Days, true) => "day",
            (Locale::En, DurationUnit::Days, false) => "days",
            (Locale::En, DurationUnit::WorkingDays, true) => "business day",
            (Locale::En, DurationUnit::WorkingDays, false) => "business days",
            (Locale::En, DurationUnit::Weeks, true) => "week",
            (Locale::En, DurationUnit::Weeks, false) => "weeks",
            (Locale::En, DurationUnit::Months, true) => "month",
            (Locale::En, DurationUnit::Months, false) => "months",
            (Locale::En, DurationUnit::Years, true) => "year",
            (Locale::En, DurationUnit::Years, false) => "years",
        }
    }

    /// Every accepted spelling, for "did you mean" hints.
    pub fn all_names() -> &'static [&'static str] {
        ALL_UNIT_NAMES
    }
}

/// Largest number `number_words` spells out. Beyond this the scale words
/// diverge (nl "miljard" vs en "billion") and no contract term needs them.
const MAX_WORDS: u64 = 999_999_999;

const NL_SMALL: [&str; 20] = [
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
];

const NL_TENS: [&str; 10] = [
    "", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig",
];

const EN_SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// 1..=99 in Dutch, unaccented "een" (the caller decides about "één").
fn nl_below_100(n: u64) -> String {
    let n = n as usize;
    if n < 20 {
        return NL_SMALL[n].to_string();
    }
    let (tens, units) = (n / 10, n % 10);
    if units == 0 {
        return NL_TENS[tens].to_string();
    }
    let unit = NL_SMALL[units];
    // Dutch spelling marks the syllable break when "en" follows a vowel "e"
    // (twee-ën-, drie-ën-); "een" ends in a consonant and needs no mark.
    let link = if unit.ends_with('e') { "ën" } else { "en" };
    format!("{unit}{link}{}", NL_TENS[tens])
}

/// 1..=999 in Dutch, written as one word.
fn nl_below_1000(n: u64) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    let mut out = String::new();
    if hundreds > 1 {
        out.push_str(NL_SMALL[hundreds as usize]);
    }
    if hundreds > 0 {
        out.push_str("honderd");
    }
    if rest > 0 {
        out.push_str(&nl_below_100(rest));
    }
    out
}

fn nl_words(n: u64) -> String {
    match n {
        0 => return "nul".to_string(),
        1 => return "één".to_string(),
        _ => {}
    }
    let (millions, thousands, rest) = (n / 1_000_000, n / 1_000 % 1_000, n % 1_000);
    let mut parts = Vec::new();
    match millions {
        0 => {}
        1 => parts.push("een miljoen".to_string()),
        m => parts.push(format!("{} miljoen", nl_below_1000(m))),
    }
    match thousands {
        0 => {}
        1 => parts.push("duizend".to_string()),
        t => parts.push(format!("{}duizend", nl_below_1000(t))),
    }
    if rest > 0 {
        parts.push(nl_below_1000(rest));
    }
    parts.join(" ")
}

fn en_below_100(n: u64) -> String {
    let n = n as usize;
    if n < 20 {
        return EN_SMALL[n].to_string();
    }
    let (tens, units) = (n / 10, n % 10);
    if units == 0 {
        EN_TENS[tens].to_string()
    } else {
        format!("{}-{}", EN_TENS[tens], EN_SMALL[units])
    }
}

/// 1..=999 in English with the British "and" after "hundred".
fn en_below_1000(n: u64) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    match (hundreds, rest) {
        (0, r) => en_below_100(r),
        (h, 0) => format!("{} hundred", EN_SMALL[h as usize]),
        (h, r) => format!("{} hundred and {}", EN_SMALL[h as usize], en_below_100(r)),
    }
}

fn en_words(n: u64) -> String {
    if n == 0 {
        return "zero".to_string();
    }
    let (millions, thousands, rest) = (n / 1_000_000, n / 1_000 % 1_000, n % 1_000);
    let mut parts = Vec::new();
    if millions > 0 {
        parts.push(format!("{} million", en_below_1000(millions)));
    }
    if thousands > 0 {
        parts.push(format!("{} thousand", en_below_1000(thousands)));
    }
    if rest > 0 {
        // British usage: "one thousand and one", but "one thousand one hundred".
        if rest < 100 && !parts.is_empty() {
            parts.push(format!("and {}", en_below_100(rest)));
        } else {
            parts.push(en_below_1000(rest));
        }
    }
    parts.join(" ")
}

/// Cardinal number in words: nl "veertien", "tweeëntwintig", "tweeduizend vierentwintig";
/// en "fourteen", "one hundred and one", "two thousand and twenty-four".
///
/// Supports `0..=999_999_999`; returns `None` above that.
pub fn number_words(n: u64, locale: Locale) -> Option<String> {
    if n > MAX_WORDS {
        return None;
    }
    Some(match locale {
        Locale::Nl => nl_words(n),
        Locale::En => en_words(n),
    })
}

/// Inserts the locale's group separator every three digits of a plain
/// ASCII digit string.
fn group_digits(digits: &str, locale: Locale) -> String {
    let sep = locale.group_separator();
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The drafting convention "veertien (14)" / "fourteen (14)", digits grouped
/// per locale; digits only when the number is too large for words.
pub fn count(n: u64, locale: Locale) -> String {
    let digits = group_digits(&n.to_string(), locale);
    match number_words(n, locale) {
        Some(words) => format!("{words} ({digits})"),
        None => digits,
    }
}

/// "veertien (14) dagen", "één (1) maand", "fourteen (14) days", "one (1) month".
pub fn duration(amount: u64, unit: DurationUnit, locale: Locale) -> String {
    format!("{} {}", count(amount, locale), unit.word(amount, locale))
}

/// Sign, integer digits and fraction digits of a decimal, read from the
/// mantissa so the result never depends on `Display` formatting choices.
struct Parts {
    negative: bool,
    int: String,
    frac: String,
}

fn parts(value: Decimal) -> Parts {
    let value = value.normalize();
    let scale = value.scale() as usize;
    let mut digits = value.mantissa().unsigned_abs().to_string();
    if digits.len() <= scale {
        digits = format!("{}{digits}", "0".repeat(scale + 1 - digits.len()));
    }
    let frac = digits.split_off(digits.len() - scale);
    Parts {
        // `-0` must not print a sign.
        negative: value.is_sign_negative() && !value.is_zero(),
        int: digits,
        frac,
    }
}

/// Grouped, unsigned number with the locale's decimal separator.
fn unsigned_number(int: &str, frac: &str, locale: Locale) -> String {
    let mut out = group_digits(int, locale);
    if !frac.is_empty() {
        out.push(locale.decimal_separator());
        out.push_str(frac);
    }
    out
}

/// Group digits: nl "25.000" / "1.234,5"; en "25,000" / "1,234.5".
/// Trailing fractional zeros are dropped (1.50 -> "1,5").
pub fn decimal(value: Decimal, locale: Locale) -> String {
    let p = parts(value);
    let sign = if p.negative { "-" } else { "" };
    format!("{sign}{}", unsigned_number(&p.int, &p.frac, locale))
}

fn currency_symbol(code: &str) -> Option<&'static str> {
    match code {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        _ => None,
    }
}

/// Money: nl Code "EUR 25.000,-" / "EUR 1.234,50", nl Symbol "€ 25.000" / "€ 1.234,50",
/// en Code "EUR 25,000" / "EUR 1,234.50", en Symbol "€25,000" / "€1,234.50".
///
/// Amounts are first rounded to cents (half away from zero); if the cents are
/// then zero the amount counts as round. Symbol style falls back to the
/// upper-cased code followed by a space for currencies other than EUR, USD
/// and GBP. Negative amounts get a leading "-" before everything.
pub fn money(amount: Decimal, currency: &str, style: MoneyStyle, locale: Locale) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let p = parts(rounded);
    let number = if p.frac.is_empty() {
        let mut s = group_digits(&p.int, locale);
        // ",-" is the Dutch convention for "no cents" next to a currency code.
        if matches!(style, MoneyStyle::Code | MoneyStyle::SymbolDash) && locale == Locale::Nl {
            s.push_str(",-");
        }
        s
    } else {
        unsigned_number(&p.int, &format!("{:0<2}", p.frac), locale)
    };

    let code = currency.trim().to_uppercase();
    let prefix = match (style, currency_symbol(&code), locale) {
        (MoneyStyle::Symbol | MoneyStyle::SymbolDash, Some(symbol), Locale::Nl) => {
            format!("{symbol} ")
        }
        (MoneyStyle::Symbol | MoneyStyle::SymbolDash, Some(symbol), Locale::En) => {
            symbol.to_string()
        }
        // An empty code would otherwise leave a stray leading space.
        _ if code.is_empty() => String::new(),
        _ => format!("{code} "),
    };
    let sign = if p.negative { "-" } else { "" };
    format!("{sign}{prefix}{number}")
}

/// nl "99,9%", "5%"; en "99.9%". Trailing zeros dropped (99.90 -> "99,9%").
pub fn percent(value: Decimal, locale: Locale) -> String {
    format!("{}%", decimal(value, locale))
}

/// Whether `word` names a month, in Dutch or English.
pub fn is_month(word: &str) -> bool {
    NL_MONTHS
        .iter()
        .chain(EN_MONTHS.iter())
        .any(|m| m.eq_ignore_ascii_case(word))
}

const NL_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// nl "16 september 2019" (month in lower case); en "16 September 2019".
pub fn date(value: NaiveDate, locale: Locale) -> String {
    let months = match locale {
        Locale::Nl => &NL_MONTHS,
        Locale::En => &EN_MONTHS,
    };
    format!(
        "{} {} {}",
        value.day(),
        months[value.month0() as usize],
        value.year()
    )
}

/// Join a list: nl "a, b en c"; en "a, b and c" (no Oxford comma). Empty -> "".
pub fn join_list(items: &[String], locale: Locale) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => {
            let conjunction = match locale {
                Locale::Nl => "en",
                Locale::En => "and",
            };
            format!("{} {conjunction} {last}", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn nl(n: u64) -> String {
        number_words(n, Locale::Nl).unwrap()
    }

    fn en(n: u64) -> String {
        number_words(n, Locale::En).unwrap()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    // ---- Locale / MoneyStyle ----

    #[test]
    fn locale_parse_accepts_listed_tags_case_insensitively() {
        for s in ["nl", "NL", "nl-NL", "nl-nl", "NL-nl", "nl_NL", " nl "] {
            assert_eq!(Locale::parse(s), Some(Locale::Nl), "{s}");
        }
        for s in ["en", "EN", "en-GB", "en-gb", "en-US", "EN-us", "en_GB"] {
            assert_eq!(Locale::parse(s), Some(Locale::En), "{s}");
        }
        for s in ["", "de", "nl-BE", "english", "dutch", "e", "en-"] {
            assert_eq!(Locale::parse(s), None, "{s}");
        }
    }

    #[test]
    fn locale_code_and_default() {
        assert_eq!(Locale::Nl.code(), "nl");
        assert_eq!(Locale::En.code(), "en");
        assert_eq!(Locale::default(), Locale::Nl);
        assert_eq!(Locale::parse(Locale::En.code()), Some(Locale::En));
    }

    #[test]
    fn money_style_parse_and_default() {
        assert_eq!(MoneyStyle::parse("code"), Some(MoneyStyle::Code));
        assert_eq!(MoneyStyle::parse("symbol"), Some(MoneyStyle::Symbol));
        assert_eq!(MoneyStyle::parse("Symbol"), Some(MoneyStyle::Symbol));
        assert_eq!(MoneyStyle::parse("sym"), None);
        assert_eq!(MoneyStyle::parse(""), None);
        assert_eq!(MoneyStyle::default(), MoneyStyle::Code);
    }

    // ---- DurationUnit ----

    #[test]
    fn unit_parse_every_accepted_name() {
        use DurationUnit::*;
        let cases = [
            ("uur", Hours),
            ("uren", Hours),
            ("hour", Hours),
            ("hours", Hours),
            ("dag", Days),
            ("dagen", Days),
            ("day", Days),
            ("days", Days),
            ("werkdag", WorkingDays),
            ("werkdagen", WorkingDays),
            ("working day", WorkingDays),
            ("working days", WorkingDays),
            ("business day", WorkingDays),
            ("business days", WorkingDays),
            ("working_day", WorkingDays),
            ("working_days", WorkingDays),
            ("business_day", WorkingDays),
            ("business_days", WorkingDays),
            ("week", Weeks),
            ("weken", Weeks),
            ("weeks", Weeks),
            ("maand", Months),
            ("maanden", Months),
            ("month", Months),
            ("months", Months),
            ("jaar", Years),
            ("jaren", Years),
            ("year", Years),
            ("years", Years),
        ];
        for (name, unit) in cases {
            assert_eq!(DurationUnit::parse(name), Some(unit), "{name}");
            assert_eq!(
                DurationUnit::parse(&name.to_uppercase()),
                Some(unit),
                "{name}"
            );
        }
        assert_eq!(cases.len(), DurationUnit::all_names().len());
    }

    #[test]
    fn unit_parse_is_case_and_whitespace_tolerant() {
        assert_eq!(DurationUnit::parse("Dagen"), Some(DurationUnit::Days));
        assert_eq!(DurationUnit::parse("  MONTHS "), Some(DurationUnit::Months));
        assert_eq!(
            DurationUnit::parse("Business   Days"),
            Some(DurationUnit::WorkingDays)
        );
        assert_eq!(
            DurationUnit::parse("Working_Days"),
            Some(DurationUnit::WorkingDays)
        );
    }

    #[test]
    fn unit_parse_rejects_unknown() {
        for s in [
            "",
            "d",
            "dagenn",
            "werk dagen",
            "workingdays",
            "fortnight",
            "minuten",
            "days!",
        ] {
            assert_eq!(DurationUnit::parse(s), None, "{s}");
        }
    }

    #[test]
    fn unit_all_names_match_table_and_parse() {
        let table: Vec<&str> = UNIT_NAMES.iter().map(|(n, _)| *n).collect();
        assert_eq!(DurationUnit::all_names(), table.as_slice());
        for name in DurationUnit::all_names() {
            assert!(DurationUnit::parse(name).is_some(), "{name}");
        }
        let mut seen = std::collections::HashSet::new();
        for name in DurationUnit::all_names() {
            assert!(seen.insert(*name), "duplicate {name}");
        }
    }

    #[test]
    fn unit_keys_round_trip() {
        use DurationUnit::*;
        let all = [Hours, Days, WorkingDays, Weeks, Months, Years];
        let keys: Vec<&str> = all.iter().map(|u| u.key()).collect();
        assert_eq!(
            keys,
            ["uren", "dagen", "werkdagen", "weken", "maanden", "jaren"]
        );
        for unit in all {
            assert_eq!(DurationUnit::parse(unit.key()), Some(unit));
        }
    }

    #[test]
    fn unit_words_singular_and_plural() {
        use DurationUnit::*;
        let cases = [
            (Hours, "uur", "uur", "hour", "hours"),
            (Days, "dag", "dagen", "day", "days"),
            (
                WorkingDays,
                "werkdag",
                "werkdagen",
                "business day",
                "business days",
            ),
            (Weeks, "week", "weken", "week", "weeks"),
            (Months, "maand", "maanden", "month", "months"),
            (Years, "jaar", "jaar", "year", "years"),
        ];
        for (unit, nl1, nln, en1, enn) in cases {
            assert_eq!(unit.word(1, Locale::Nl), nl1);
            assert_eq!(unit.word(2, Locale::Nl), nln);
            assert_eq!(unit.word(0, Locale::Nl), nln);
            assert_eq!(unit.word(u64::MAX, Locale::Nl), nln);
            assert_eq!(unit.word(1, Locale::En), en1);
            assert_eq!(unit.word(14, Locale::En), enn);
            assert_eq!(unit.word(0, Locale::En), enn);
            // Every rendered word parses back to its unit.
            for w in [nl1, nln, en1, enn] {
                assert_eq!(DurationUnit::parse(w), Some(unit), "{w}");
            }
        }
    }

    // ---- Dutch number words ----

    #[test]
    fn nl_spec_examples() {
        assert_eq!(nl(0), "nul");
        assert_eq!(nl(1), "één");
        assert_eq!(nl(2), "twee");
        assert_eq!(nl(13), "dertien");
        assert_eq!(nl(14), "veertien");
        assert_eq!(nl(21), "eenentwintig");
        assert_eq!(nl(22), "tweeëntwintig");
        assert_eq!(nl(23), "drieëntwintig");
        assert_eq!(nl(30), "dertig");
        assert_eq!(nl(100), "honderd");
        assert_eq!(nl(101), "honderdeen");
        assert_eq!(nl(120), "honderdtwintig");
        assert_eq!(nl(200), "tweehonderd");
        assert_eq!(nl(1000), "duizend");
        assert_eq!(nl(1001), "duizend een");
        assert_eq!(nl(1100), "duizend honderd");
        assert_eq!(nl(2024), "tweeduizend vierentwintig");
        assert_eq!(nl(1_000_000), "een miljoen");
    }

    #[test]
    fn nl_units_and_teens() {
        let expected = [
            "nul",
            "één",
            "twee",
            "drie",
            "vier",
            "vijf",
            "zes",
            "zeven",
            "acht",
            "negen",
            "tien",
            "elf",
            "twaalf",
            "dertien",
            "veertien",
            "vijftien",
            "zestien",
            "zeventien",
            "achttien",
            "negentien",
        ];
        for (n, word) in expected.iter().enumerate() {
            assert_eq!(nl(n as u64), *word);
        }
    }

    #[test]
    fn nl_tens() {
        let expected = [
            (20, "twintig"),
            (30, "dertig"),
            (40, "veertig"),
            (50, "vijftig"),
            (60, "zestig"),
            (70, "zeventig"),
            (80, "tachtig"),
            (90, "negentig"),
        ];
        for (n, word) in expected {
            assert_eq!(nl(n), word);
        }
    }

    #[test]
    fn nl_diaeresis_after_twee_and_drie_in_every_decade() {
        let tens = [
            "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig",
        ];
        for (i, ten) in tens.iter().enumerate() {
            let base = (i as u64 + 2) * 10;
            assert_eq!(nl(base + 2), format!("tweeën{ten}"));
            assert_eq!(nl(base + 3), format!("drieën{ten}"));
        }
        assert_eq!(nl(32), "tweeëndertig");
        assert_eq!(nl(33), "drieëndertig");
        assert_eq!(nl(92), "tweeënnegentig");
        assert_eq!(nl(93), "drieënnegentig");
    }

    #[test]
    fn nl_no_diaeresis_after_other_units() {
        let plain = [
            (21, "eenentwintig"),
            (24, "vierentwintig"),
            (25, "vijfentwintig"),
            (26, "zesentwintig"),
            (27, "zevenentwintig"),
            (28, "achtentwintig"),
            (29, "negenentwintig"),
            (31, "eenendertig"),
            (45, "vijfenveertig"),
            (58, "achtenvijftig"),
            (67, "zevenenzestig"),
            (76, "zesenzeventig"),
            (84, "vierentachtig"),
            (88, "achtentachtig"),
            (99, "negenennegentig"),
        ];
        for (n, word) in plain {
            assert_eq!(nl(n), word);
        }
        // Only twee and drie take the diaeresis anywhere below 100.
        for n in 21..100u64 {
            let has = nl(n).contains('ë');
            assert_eq!(has, n % 10 == 2 || n % 10 == 3, "{n}");
        }
    }

    #[test]
    fn nl_hundreds() {
        let cases = [
            (102, "honderdtwee"),
            (110, "honderdtien"),
            (111, "honderdelf"),
            (122, "honderdtweeëntwintig"),
            (199, "honderdnegenennegentig"),
            (201, "tweehonderdeen"),
            (300, "driehonderd"),
            (333, "driehonderddrieëndertig"),
            (450, "vierhonderdvijftig"),
            (512, "vijfhonderdtwaalf"),
            (678, "zeshonderdachtenzeventig"),
            (700, "zevenhonderd"),
            (808, "achthonderdacht"),
            (999, "negenhonderdnegenennegentig"),
        ];
        for (n, word) in cases {
            assert_eq!(nl(n), word);
        }
        // Below a thousand everything is a single word, and "één" never appears.
        for n in 2..1000u64 {
            let w = nl(n);
            assert!(!w.contains(' '), "{n}: {w}");
            assert!(!w.contains("één"), "{n}: {w}");
        }
    }

    #[test]
    fn nl_thousands_and_millions() {
        let cases = [
            (1_010, "duizend tien"),
            (1_234, "duizend tweehonderdvierendertig"),
            (2_000, "tweeduizend"),
            (3_003, "drieduizend drie"),
            (10_000, "tienduizend"),
            (21_000, "eenentwintigduizend"),
            (22_222, "tweeëntwintigduizend tweehonderdtweeëntwintig"),
            (100_000, "honderdduizend"),
            (101_000, "honderdeenduizend"),
            (250_001, "tweehonderdvijftigduizend een"),
            (
                999_999,
                "negenhonderdnegenennegentigduizend negenhonderdnegenennegentig",
            ),
            (1_000_001, "een miljoen een"),
            (1_001_000, "een miljoen duizend"),
            (2_000_000, "twee miljoen"),
            (
                1_234_567,
                "een miljoen tweehonderdvierendertigduizend vijfhonderdzevenenzestig",
            ),
            (
                999_999_999,
                "negenhonderdnegenennegentig miljoen negenhonderdnegenennegentigduizend negenhonderdnegenennegentig",
            ),
        ];
        for (n, word) in cases {
            assert_eq!(nl(n), word);
        }
    }

    // ---- English number words ----

    #[test]
    fn en_spec_examples() {
        assert_eq!(en(0), "zero");
        assert_eq!(en(1), "one");
        assert_eq!(en(14), "fourteen");
        assert_eq!(en(21), "twenty-one");
        assert_eq!(en(100), "one hundred");
        assert_eq!(en(101), "one hundred and one");
        assert_eq!(en(120), "one hundred and twenty");
        assert_eq!(en(1000), "one thousand");
        assert_eq!(en(1001), "one thousand and one");
        assert_eq!(en(2024), "two thousand and twenty-four");
    }

    #[test]
    fn en_units_teens_and_tens() {
        let small = [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ];
        for (n, word) in small.iter().enumerate() {
            assert_eq!(en(n as u64), *word);
        }
        let cases = [
            (20, "twenty"),
            (22, "twenty-two"),
            (30, "thirty"),
            (33, "thirty-three"),
            (40, "forty"),
            (47, "forty-seven"),
            (50, "fifty"),
            (60, "sixty"),
            (70, "seventy"),
            (80, "eighty"),
            (88, "eighty-eight"),
            (90, "ninety"),
            (99, "ninety-nine"),
        ];
        for (n, word) in cases {
            assert_eq!(en(n), word);
        }
    }

    #[test]
    fn en_hundreds_thousands_millions() {
        let cases = [
            (110, "one hundred and ten"),
            (215, "two hundred and fifteen"),
            (999, "nine hundred and ninety-nine"),
            (1_100, "one thousand one hundred"),
            (1_234, "one thousand two hundred and thirty-four"),
            (10_000, "ten thousand"),
            (10_050, "ten thousand and fifty"),
            (
                123_456,
                "one hundred and twenty-three thousand four hundred and fifty-six",
            ),
            (
                999_999,
                "nine hundred and ninety-nine thousand nine hundred and ninety-nine",
            ),
            (1_000_000, "one million"),
            (1_000_001, "one million and one"),
            (1_000_100, "one million one hundred"),
            (2_500_000, "two million five hundred thousand"),
        ];
        for (n, word) in cases {
            assert_eq!(en(n), word);
        }
    }

    #[test]
    fn number_words_range_limit() {
        assert!(number_words(999_999_999, Locale::Nl).is_some());
        assert!(number_words(999_999_999, Locale::En).is_some());
        for n in [1_000_000_000, 5_000_000_000, u64::MAX] {
            assert_eq!(number_words(n, Locale::Nl), None);
            assert_eq!(number_words(n, Locale::En), None);
        }
    }

    #[test]
    fn number_words_never_malformed() {
        // Cheap structural sweep: no doubled/leading/trailing spaces, no empty output.
        let mut n = 0u64;
        while n <= MAX_WORDS {
            for locale in [Locale::Nl, Locale::En] {
                let w = number_words(n, locale).unwrap();
                assert!(!w.is_empty());
                assert!(!w.contains("  "), "{n}: {w}");
                assert_eq!(w.trim(), w, "{n}");
            }
            n = n * 3 + 7;
        }
        for n in 0..=2_100u64 {
            for locale in [Locale::Nl, Locale::En] {
                let w = number_words(n, locale).unwrap();
                assert!(!w.contains("  ") && w.trim() == w, "{n}: {w}");
            }
        }
    }

    // ---- count / duration ----

    #[test]
    fn count_examples() {
        assert_eq!(count(14, Locale::Nl), "veertien (14)");
        assert_eq!(count(14, Locale::En), "fourteen (14)");
        assert_eq!(count(1000, Locale::Nl), "duizend (1.000)");
        assert_eq!(count(1000, Locale::En), "one thousand (1,000)");
        assert_eq!(count(0, Locale::Nl), "nul (0)");
        assert_eq!(count(1, Locale::Nl), "één (1)");
        assert_eq!(count(999, Locale::En), "nine hundred and ninety-nine (999)");
        assert_eq!(count(1_000_000, Locale::Nl), "een miljoen (1.000.000)");
    }

    #[test]
    fn count_falls_back_to_grouped_digits() {
        assert_eq!(count(1_000_000_000, Locale::Nl), "1.000.000.000");
        assert_eq!(count(1_000_000_000, Locale::En), "1,000,000,000");
        assert_eq!(count(u64::MAX, Locale::Nl), "18.446.744.073.709.551.615");
        assert_eq!(count(u64::MAX, Locale::En), "18,446,744,073,709,551,615");
    }

    #[test]
    fn duration_examples() {
        use DurationUnit::*;
        assert_eq!(duration(14, Days, Locale::Nl), "veertien (14) dagen");
        assert_eq!(duration(1, Months, Locale::Nl), "één (1) maand");
        assert_eq!(duration(4, Hours, Locale::Nl), "vier (4) uur");
        assert_eq!(duration(14, Days, Locale::En), "fourteen (14) days");
        assert_eq!(duration(1, Months, Locale::En), "one (1) month");
        assert_eq!(duration(10, WorkingDays, Locale::Nl), "tien (10) werkdagen");
        assert_eq!(duration(1, WorkingDays, Locale::En), "one (1) business day");
        assert_eq!(duration(2, Years, Locale::En), "two (2) years");
        assert_eq!(duration(1, Weeks, Locale::Nl), "één (1) week");
        assert_eq!(duration(0, Days, Locale::Nl), "nul (0) dagen");
        assert_eq!(
            duration(u64::MAX, Days, Locale::En),
            "18,446,744,073,709,551,615 days"
        );
    }

    // ---- decimal / percent ----

    #[test]
    fn decimal_grouping_and_scale() {
        assert_eq!(decimal(dec("25000"), Locale::Nl), "25.000");
        assert_eq!(decimal(dec("25000"), Locale::En), "25,000");
        assert_eq!(decimal(dec("1234.5"), Locale::Nl), "1.234,5");
        assert_eq!(decimal(dec("1234.5"), Locale::En), "1,234.5");
        assert_eq!(decimal(dec("1.50"), Locale::Nl), "1,5");
        assert_eq!(decimal(dec("1.50"), Locale::En), "1.5");
        assert_eq!(decimal(dec("100.000"), Locale::Nl), "100");
        assert_eq!(decimal(dec("0"), Locale::Nl), "0");
        assert_eq!(decimal(dec("0.00"), Locale::En), "0");
        assert_eq!(decimal(dec("0.05"), Locale::Nl), "0,05");
        assert_eq!(decimal(dec("999"), Locale::Nl), "999");
        assert_eq!(decimal(dec("1000"), Locale::Nl), "1.000");
        assert_eq!(decimal(dec("1234567.891"), Locale::En), "1,234,567.891");
    }

    #[test]
    fn decimal_negative_and_extremes() {
        assert_eq!(decimal(dec("-1234.5"), Locale::Nl), "-1.234,5");
        assert_eq!(decimal(dec("-0.5"), Locale::En), "-0.5");
        assert_eq!(decimal(dec("-0.00"), Locale::Nl), "0");
        assert_eq!(
            decimal(Decimal::MAX, Locale::En),
            "79,228,162,514,264,337,593,543,950,335"
        );
        assert_eq!(
            decimal(Decimal::MIN, Locale::Nl),
            "-79.228.162.514.264.337.593.543.950.335"
        );
        assert_eq!(
            decimal(dec("0.0000000000000000000000000001"), Locale::Nl),
            "0,0000000000000000000000000001"
        );
    }

    #[test]
    fn percent_examples() {
        assert_eq!(percent(dec("99.9"), Locale::Nl), "99,9%");
        assert_eq!(percent(dec("99.90"), Locale::Nl), "99,9%");
        assert_eq!(percent(dec("5"), Locale::Nl), "5%");
        assert_eq!(percent(dec("5.00"), Locale::En), "5%");
        assert_eq!(percent(dec("1.5"), Locale::Nl), "1,5%");
        assert_eq!(percent(dec("99.9"), Locale::En), "99.9%");
        assert_eq!(percent(dec("0"), Locale::En), "0%");
        assert_eq!(percent(dec("-2.5"), Locale::Nl), "-2,5%");
        assert_eq!(percent(dec("1500"), Locale::En), "1,500%");
    }

    // ---- money ----

    #[test]
    fn money_nl_code() {
        let m = |s| money(dec(s), "EUR", MoneyStyle::Code, Locale::Nl);
        assert_eq!(m("25000"), "EUR 25.000,-");
        assert_eq!(m("25000.00"), "EUR 25.000,-");
        assert_eq!(m("1234.5"), "EUR 1.234,50");
        assert_eq!(m("1234.50"), "EUR 1.234,50");
        assert_eq!(m("0.99"), "EUR 0,99");
        assert_eq!(m("0"), "EUR 0,-");
        assert_eq!(m("1000000"), "EUR 1.000.000,-");
    }

    #[test]
    fn money_nl_symbol() {
        let m = |s| money(dec(s), "EUR", MoneyStyle::Symbol, Locale::Nl);
        assert_eq!(m("25000"), "€ 25.000");
        assert_eq!(m("1234.5"), "€ 1.234,50");
        assert_eq!(m("0.05"), "€ 0,05");
    }

    #[test]
    fn money_en_code() {
        let m = |s| money(dec(s), "EUR", MoneyStyle::Code, Locale::En);
        assert_eq!(m("25000"), "EUR 25,000");
        assert_eq!(m("1234.5"), "EUR 1,234.50");
        assert_eq!(m("0"), "EUR 0");
    }

    #[test]
    fn money_en_symbol() {
        let m = |s, c| money(dec(s), c, MoneyStyle::Symbol, Locale::En);
        assert_eq!(m("25000", "EUR"), "€25,000");
        assert_eq!(m("1234.5", "EUR"), "€1,234.50");
        assert_eq!(m("10", "USD"), "$10");
        assert_eq!(m("10.1", "GBP"), "£10.10");
    }

    #[test]
    fn money_currency_handling() {
        assert_eq!(
            money(dec("5"), "eur", MoneyStyle::Code, Locale::Nl),
            "EUR 5,-"
        );
        assert_eq!(
            money(dec("5"), "usd", MoneyStyle::Symbol, Locale::Nl),
            "$ 5"
        );
        assert_eq!(
            money(dec("5"), "gbp", MoneyStyle::Symbol, Locale::Nl),
            "£ 5"
        );
        // Unknown currencies fall back to the code, with a space.
        assert_eq!(
            money(dec("25000"), "chf", MoneyStyle::Symbol, Locale::En),
            "CHF 25,000"
        );
        assert_eq!(
            money(dec("25000"), "CHF", MoneyStyle::Symbol, Locale::Nl),
            "CHF 25.000"
        );
        assert_eq!(
            money(dec("1.5"), "CHF", MoneyStyle::Code, Locale::Nl),
            "CHF 1,50"
        );
        assert_eq!(money(dec("7"), "", MoneyStyle::Code, Locale::Nl), "7,-");
        let dash = MoneyStyle::parse("symbol-dash").unwrap();
        assert_eq!(money(dec("10000"), "EUR", dash, Locale::Nl), "€ 10.000,-");
        assert_eq!(money(dec("75.5"), "EUR", dash, Locale::Nl), "€ 75,50");
        assert_eq!(money(dec("10000"), "EUR", dash, Locale::En), "€10,000");
        assert_eq!(money(dec("250"), "CHF", dash, Locale::Nl), "CHF 250,-");
    }

    #[test]
    fn money_negative() {
        assert_eq!(
            money(dec("-25000"), "EUR", MoneyStyle::Code, Locale::Nl),
            "-EUR 25.000,-"
        );
        assert_eq!(
            money(dec("-1234.5"), "EUR", MoneyStyle::Symbol, Locale::Nl),
            "-€ 1.234,50"
        );
        assert_eq!(
            money(dec("-1234.5"), "EUR", MoneyStyle::Code, Locale::En),
            "-EUR 1,234.50"
        );
        assert_eq!(
            money(dec("-25000"), "EUR", MoneyStyle::Symbol, Locale::En),
            "-€25,000"
        );
        // Rounds to zero: no sign.
        assert_eq!(
            money(dec("-0.001"), "EUR", MoneyStyle::Code, Locale::Nl),
            "EUR 0,-"
        );
    }

    #[test]
    fn money_rounds_to_cents() {
        let m = |s| money(dec(s), "EUR", MoneyStyle::Code, Locale::Nl);
        assert_eq!(m("1.005"), "EUR 1,01");
        assert_eq!(m("1.004"), "EUR 1,-");
        assert_eq!(m("2.999"), "EUR 3,-");
        assert_eq!(m("-1.005"), "-EUR 1,01");
    }

    #[test]
    fn money_extremes_do_not_panic() {
        for style in [MoneyStyle::Code, MoneyStyle::Symbol] {
            for locale in [Locale::Nl, Locale::En] {
                for v in [Decimal::MAX, Decimal::MIN, Decimal::ZERO, dec("-0")] {
                    assert!(!money(v, "EUR", style, locale).is_empty());
                }
            }
        }
        assert_eq!(
            money(Decimal::MAX, "EUR", MoneyStyle::Code, Locale::Nl),
            "EUR 79.228.162.514.264.337.593.543.950.335,-"
        );
        assert_eq!(
            money(Decimal::MIN, "EUR", MoneyStyle::Symbol, Locale::En),
            "-€79,228,162,514,264,337,593,543,950,335"
        );
    }

    // ---- dates ----

    #[test]
    fn date_examples() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(date(d(2019, 9, 16), Locale::Nl), "16 september 2019");
        assert_eq!(date(d(2024, 1, 1), Locale::Nl), "1 januari 2024");
        assert_eq!(date(d(2019, 9, 16), Locale::En), "16 September 2019");
        assert_eq!(date(d(2024, 2, 29), Locale::En), "29 February 2024");
    }

    #[test]
    fn date_every_month_nl_and_en() {
        let nl_expected = [
            "1 januari 2024",
            "1 februari 2024",
            "1 maart 2024",
            "1 april 2024",
            "1 mei 2024",
            "1 juni 2024",
            "1 juli 2024",
            "1 augustus 2024",
            "1 september 2024",
            "1 oktober 2024",
            "1 november 2024",
            "1 december 2024",
        ];
        let en_expected = [
            "1 January 2024",
            "1 February 2024",
            "1 March 2024",
            "1 April 2024",
            "1 May 2024",
            "1 June 2024",
            "1 July 2024",
            "1 August 2024",
            "1 September 2024",
            "1 October 2024",
            "1 November 2024",
            "1 December 2024",
        ];
        for month in 1..=12u32 {
            let d = NaiveDate::from_ymd_opt(2024, month, 1).unwrap();
            assert_eq!(date(d, Locale::Nl), nl_expected[month as usize - 1]);
            assert_eq!(date(d, Locale::En), en_expected[month as usize - 1]);
        }
    }

    #[test]
    fn date_extremes_do_not_panic() {
        assert!(!date(NaiveDate::MIN, Locale::Nl).is_empty());
        assert!(!date(NaiveDate::MAX, Locale::En).is_empty());
        let d = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        assert_eq!(date(d, Locale::Nl), "31 december 2023");
    }

    // ---- join_list ----

    #[test]
    fn join_list_nl() {
        assert_eq!(join_list(&[], Locale::Nl), "");
        assert_eq!(join_list(&strings(&["a"]), Locale::Nl), "a");
        assert_eq!(join_list(&strings(&["a", "b"]), Locale::Nl), "a en b");
        assert_eq!(
            join_list(&strings(&["a", "b", "c"]), Locale::Nl),
            "a, b en c"
        );
        assert_eq!(
            join_list(&strings(&["a", "b", "c", "d"]), Locale::Nl),
            "a, b, c en d"
        );
    }

    #[test]
    fn join_list_en() {
        assert_eq!(join_list(&[], Locale::En), "");
        assert_eq!(join_list(&strings(&["a"]), Locale::En), "a");
        assert_eq!(join_list(&strings(&["a", "b"]), Locale::En), "a and b");
        assert_eq!(
            join_list(&strings(&["a", "b", "c"]), Locale::En),
            "a, b and c"
        );
    }
}
