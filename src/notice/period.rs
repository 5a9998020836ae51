//! Adding a contractual period to a date, to find the earliest allowed effective date.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// `raw` is a duration's machine value `{amount, unit}`.
pub fn add(date: NaiveDate, raw: &serde_json::Value) -> Option<NaiveDate> {
    let amount = raw.get("amount")?.as_u64()?;
    let unit = raw.get("unit")?.as_str()?;
    match unit {
        "uren" => date.checked_add_days(Days::new(amount.div_ceil(24))),
        "dagen" => date.checked_add_days(Days::new(amount)),
        "weken" => date.checked_add_days(Days::new(amount * 7)),
        "maanden" => date.checked_add_months(Months::new(u32::try_from(amount).ok()?)),
        "jaren" => date.checked_add_months(Months::new(u32::try_from(amount * 12).ok()?)),
        "werkdagen" => {
            // Weekends only; public holidays vary and are not counted here (conservative
            // enough for a notice period: it can only make the period shorter by holidays).
            let mut d = date;
            let mut left = amount;
            while left > 0 {
                d = d.succ_opt()?;
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    left -= 1;
                }
            }
            Some(d)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn adds_periods() {
        assert_eq!(
            add(d("2024-01-31"), &json!({"amount": 1, "unit": "maanden"})),
            Some(d("2024-02-29"))
        );
        assert_eq!(
            add(d("2024-01-01"), &json!({"amount": 30, "unit": "dagen"})),
            Some(d("2024-01-31"))
        );
        assert_eq!(
            add(d("2024-11-22"), &json!({"amount": 3, "unit": "werkdagen"})),
            Some(d("2024-11-27"))
        );
        assert_eq!(
            add(d("2024-01-01"), &json!({"amount": 2, "unit": "jaren"})),
            Some(d("2026-01-01"))
        );
        assert_eq!(add(d("2024-01-01"), &json!("14 dagen")), None);
    }
}
