//! Adding a contractual period to a date, to find the earliest allowed effective date.
//! Werkdagen skip Saturdays, Sundays and the public holidays of the Algemene termijnenwet,
//! which come from a table kept as data (`holidays.yaml`), by year.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Deserialize;

/// The holiday table, embedded so that a notice never depends on the machine it runs on.
const HOLIDAYS_YAML: &str = include_str!("holidays.yaml");

#[derive(Debug, Deserialize)]
pub struct Holidays {
    pub source: String,
    pub years: BTreeMap<i32, BTreeMap<NaiveDate, String>>,
}

pub fn holidays() -> &'static Holidays {
    static TABLE: OnceLock<Holidays> = OnceLock::new();
    // The table is part of the binary and a unit test parses it: failing here is a build bug.
    TABLE.get_or_init(|| {
        serde_saphyr::from_str(HOLIDAYS_YAML).expect("src/notice/holidays.yaml is valid")
    })
}

impl Holidays {
    /// The holiday's name, if `d` is one; `Err` when the table does not cover `d`'s year
    /// (counting on would silently treat a holiday as a working day).
    pub fn name(&self, d: NaiveDate) -> Result<Option<&str>, String> {
        match self.years.get(&d.year()) {
            Some(y) => Ok(y.get(&d).map(String::as_str)),
            None => Err(format!(
                "werkdagen in {} cannot be counted: the holiday table covers {}–{} only",
                d.year(),
                self.years.keys().next().copied().unwrap_or_default(),
                self.years.keys().next_back().copied().unwrap_or_default()
            )),
        }
    }
}

/// The result of adding a period: the end date, and the holidays that were skipped on the way
/// (so that a notice can show how it counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub end: NaiveDate,
    pub skipped: Vec<(NaiveDate, String)>,
}

/// `raw` is a duration's machine value `{amount, unit}`.
pub fn add(date: NaiveDate, raw: &serde_json::Value) -> Result<Counted, String> {
    let not_duration = || format!("not a duration: {raw}");
    let amount = raw
        .get("amount")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(not_duration)?;
    let unit = raw
        .get("unit")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(not_duration)?;
    let too_far = || format!("{amount} {unit} after {date} is past the calendar's end");
    let plain = |d: Option<NaiveDate>| {
        d.map(|end| Counted {
            end,
            skipped: vec![],
        })
        .ok_or_else(too_far)
    };
    match unit {
        "uren" => plain(date.checked_add_days(Days::new(amount.div_ceil(24)))),
        "dagen" => plain(date.checked_add_days(Days::new(amount))),
        "weken" => plain(date.checked_add_days(Days::new(amount * 7))),
        "maanden" => plain(
            u32::try_from(amount)
                .ok()
                .and_then(|m| date.checked_add_months(Months::new(m))),
        ),
        "jaren" => plain(
            u32::try_from(amount * 12)
                .ok()
                .and_then(|m| date.checked_add_months(Months::new(m))),
        ),
        "werkdagen" => {
            let table = holidays();
            let mut d = date;
            let mut left = amount;
            let mut skipped = Vec::new();
            while left > 0 {
                d = d.succ_opt().ok_or_else(too_far)?;
                if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    continue;
                }
                match table.name(d)? {
                    Some(name) => skipped.push((d, name.to_string())),
                    None => left -= 1,
                }
            }
            Ok(Counted { end: d, skipped })
        }
        _ => Err(format!("unknown duration unit `{unit}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn end(from: &str, v: serde_json::Value) -> NaiveDate {
        add(d(from), &v).unwrap().end
    }

    #[test]
    fn adds_periods() {
        assert_eq!(
            end("2024-01-31", json!({"amount": 1, "unit": "maanden"})),
            d("2024-02-29")
        );
        assert_eq!(
            end("2024-01-01", json!({"amount": 30, "unit": "dagen"})),
            d("2024-01-31")
        );
        assert_eq!(
            end("2024-11-22", json!({"amount": 3, "unit": "werkdagen"})),
            d("2024-11-27")
        );
        assert_eq!(
            end("2024-01-01", json!({"amount": 2, "unit": "jaren"})),
            d("2026-01-01")
        );
        assert!(add(d("2024-01-01"), &json!("14 dagen")).is_err());
    }

    #[test]
    fn werkdagen_skip_public_holidays() {
        // Thursday 17 April 2025: Goede Vrijdag (18th), the weekend, Tweede Paasdag (21st)
        // fall between; three werkdagen end on Thursday 24 April.
        let c = add(d("2025-04-17"), &json!({"amount": 3, "unit": "werkdagen"})).unwrap();
        assert_eq!(c.end, d("2025-04-24"));
        assert_eq!(
            c.skipped,
            vec![
                (d("2025-04-18"), "Goede Vrijdag".to_string()),
                (d("2025-04-21"), "Tweede Paasdag".to_string())
            ]
        );
        // From Monday 23 December 2024: 24, 27, 30, 31 December and 2 January count;
        // both Kerstdagen (Wednesday, Thursday) and Nieuwjaarsdag (Wednesday) do not.
        assert_eq!(
            end("2024-12-23", json!({"amount": 5, "unit": "werkdagen"})),
            d("2025-01-02")
        );
        // Beyond the table: an error, not a silent guess.
        let e = add(d("2099-01-01"), &json!({"amount": 1, "unit": "werkdagen"})).unwrap_err();
        assert!(e.contains("holiday table covers 2024–2050"), "{e}");
    }

    /// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), computed here
    /// independently of the script that wrote the table.
    fn easter(y: i32) -> NaiveDate {
        let (a, b, c) = (y % 19, y / 100, y % 100);
        let (dd, e) = (b / 4, b % 4);
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - dd - g + 15) % 30;
        let (i, k) = (c / 4, c % 4);
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(y, month as u32, day as u32).unwrap()
    }

    #[test]
    fn holiday_table_is_the_law_for_every_year() {
        let t = holidays();
        assert!(t.source.contains("Algemene termijnenwet"));
        assert!(t.years.contains_key(&2024) && t.years.contains_key(&2040));
        for (&y, days) in &t.years {
            let ymd = |m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
            let e = easter(y);
            let koning = if ymd(4, 27).weekday() == Weekday::Sun {
                ymd(4, 26)
            } else {
                ymd(4, 27)
            };
            let mut want: Vec<NaiveDate> = vec![
                ymd(1, 1),
                e - Days::new(2),
                e + Days::new(1),
                koning,
                ymd(5, 5),
                e + Days::new(39),
                e + Days::new(50),
                ymd(12, 25),
                ymd(12, 26),
            ];
            want.sort();
            let got: Vec<NaiveDate> = days.keys().copied().collect();
            assert_eq!(got, want, "holidays of {y}");
        }
        // Dates from the government's own calendar, by hand.
        let n = |s| t.name(d(s)).unwrap();
        assert_eq!(
            n("2025-04-26"),
            Some("Koningsdag"),
            "27 April 2025 is a Sunday"
        );
        assert_eq!(n("2025-05-29"), Some("Hemelvaartsdag"));
        assert_eq!(n("2026-05-25"), Some("Tweede Pinksterdag"));
        assert_eq!(n("2024-03-29"), Some("Goede Vrijdag"));
        assert_eq!(n("2025-04-25"), None);
    }
}
