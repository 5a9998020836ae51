//! `threshold_gap`: tiers by staff size that leave a customer out or put it in two tiers.
//! Real terms give small customers other rules ("6 maanden bij minder dan 20 werknemers, 1 jaar
//! bij meer dan 20"): a customer with exactly 20 then has no rule at all. The lint reads the
//! rendered text of a document — so values from parameters count — finds every bound on a
//! number of staff, and compares each lower tier ("minder dan 20") with each upper tier ("meer
//! dan 20"). Tiers whose bounds lie far apart belong to different rules and are left alone.

use std::collections::HashMap;

use super::finding;
use crate::assemble::model::Article;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Clause, Project};
use crate::params::locale::Locale;

/// A bound found in the text: "minder dan 20 werknemers" is `Below { last: 19 }`.
#[derive(Debug, Clone, PartialEq)]
struct Bound {
    /// The words as written, for the message.
    phrase: String,
    /// The comparison word(s) as written ("minder dan"), to find the place in the source.
    comparator: String,
    /// The highest count a lower tier covers, or the lowest an upper tier covers.
    edge: u64,
    upper: bool,
}

const STAFF: &[&[&str]] = &[
    &["werknemers"],
    &["werknemer"],
    &["medewerkers"],
    &["medewerker"],
    &["personeelsleden"],
    &["werkzame", "personen"],
    &["personen", "in", "dienst"],
    &["fte"],
    &["employees"],
    &["employee"],
    &["staff"],
    &["members", "of", "staff"],
];

/// Comparators before the number: words, whether they bound from above (an upper tier), and
/// whether the bound itself is included.
const BEFORE: &[(&[&str], bool, bool)] = &[
    (&["niet", "meer", "dan"], false, true),
    (&["no", "more", "than"], false, true),
    (&["tot", "en", "met"], false, true),
    (&["minder", "dan"], false, false),
    (&["fewer", "than"], false, false),
    (&["less", "than"], false, false),
    (&["ten", "hoogste"], false, true),
    (&["hoogstens"], false, true),
    (&["maximaal"], false, true),
    (&["at", "most"], false, true),
    (&["up", "to"], false, true),
    (&["tot"], false, false),
    (&["onder"], false, false),
    (&["below"], false, false),
    (&["meer", "dan"], true, false),
    (&["more", "than"], true, false),
    (&["boven"], true, false),
    (&["over"], true, false),
    (&["ten", "minste"], true, true),
    (&["minstens"], true, true),
    (&["minimaal"], true, true),
    (&["vanaf"], true, true),
    (&["at", "least"], true, true),
    (&["from"], true, true),
];

/// Comparators after the number ("20 of meer werknemers").
const AFTER: &[(&[&str], bool)] = &[
    (&["of", "meer"], true),
    (&["or", "more"], true),
    (&["of", "minder"], false),
    (&["or", "fewer"], false),
    (&["or", "less"], false),
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// "1.000" and "20" as numbers; anything else is not.
fn number(w: &str) -> Option<u64> {
    if !w.chars().next()?.is_ascii_digit() || !w.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    w.replace('.', "").parse().ok()
}

fn starts(ws: &[String], at: usize, pat: &[&str]) -> bool {
    pat.iter()
        .enumerate()
        .all(|(i, p)| ws.get(at + i).is_some_and(|w| w == p))
}

fn bounds(text: &str) -> Vec<Bound> {
    let ws = words(text);
    let mut out = Vec::new();
    for k in 0..ws.len() {
        let Some(n) = number(&ws[k]) else { continue };
        // After the number: an optional "of meer", then a staff noun.
        let mut after = k + 1;
        let mut post = None;
        for (pat, upper) in AFTER {
            if starts(&ws, after, pat) {
                post = Some((*upper, pat.join(" ")));
                after += pat.len();
                break;
            }
        }
        let Some(noun) = STAFF.iter().find(|p| starts(&ws, after, p)) else {
            continue;
        };
        let noun = noun.join(" ");
        if let Some((upper, cmp)) = post {
            out.push(Bound {
                phrase: format!("{n} {cmp} {noun}"),
                comparator: cmp,
                edge: n,
                upper,
            });
            continue;
        }
        // Before the number, skipping a number word ("twintig (20)").
        let mut end = k;
        let written = |l| crate::params::locale::number_words(n, l);
        if end > 0
            && [Locale::Nl, Locale::En]
                .into_iter()
                .any(|l| written(l).is_some_and(|w| w == ws[end - 1]))
        {
            end -= 1;
        }
        // The longest comparator that ends right before the number wins ("tot en met").
        let found = BEFORE
            .iter()
            .filter(|(pat, _, _)| end >= pat.len() && starts(&ws, end - pat.len(), pat))
            .max_by_key(|(pat, _, _)| pat.len());
        let Some((pat, upper, inclusive)) = found else {
            continue;
        };
        let edge = match (upper, inclusive) {
            (_, true) => n,
            (false, false) => match n.checked_sub(1) {
                Some(e) => e,
                None => continue,
            },
            (true, false) => n + 1,
        };
        let cmp = pat.join(" ");
        out.push(Bound {
            phrase: format!("{cmp} {n} {noun}"),
            comparator: cmp,
            edge,
            upper: *upper,
        });
    }
    out
}

/// Where a phrase stands in a clause's source: at its comparator, else at the clause body.
fn place(c: &Clause, comparator: &str) -> std::ops::Range<usize> {
    let lower = c.body.to_lowercase();
    let at = lower
        .find(comparator)
        .filter(|_| lower.len() == c.body.len())
        .map(|i| i..i + comparator.len())
        .unwrap_or(0..0);
    c.body_offset + at.start..c.body_offset + at.end
}

pub fn check(
    project: &Project,
    doc_id: &str,
    articles: &[Article],
    by_id: &HashMap<&str, &Clause>,
    diags: &mut Diagnostics,
) {
    let mut found: Vec<(&str, &str, Bound)> = Vec::new();
    for a in articles {
        for c in &a.clauses {
            for b in bounds(&c.text) {
                found.push((c.id.as_str(), c.number.as_str(), b));
            }
        }
    }
    for (lid, lnum, low) in found.iter().filter(|(_, _, b)| !b.upper) {
        for (uid, unum, up) in found.iter().filter(|(_, _, b)| b.upper) {
            // Tiers of one rule meet; bounds far apart are other rules.
            let tolerance = (low.edge.min(up.edge) / 10).max(1);
            let (what, counts) = if up.edge > low.edge + 1 {
                let (from, to) = (low.edge + 1, up.edge - 1);
                if to - from + 1 > tolerance {
                    continue;
                }
                ("neither applies to", span_text(from, to))
            } else if low.edge >= up.edge {
                let (from, to) = (up.edge, low.edge);
                if to - from + 1 > tolerance {
                    continue;
                }
                ("both apply to", span_text(from, to))
            } else {
                continue;
            };
            let Some(src) = by_id.get(lid) else { continue };
            let mut d = Diagnostic::error(format!(
                "staff-size tiers of document `{doc_id}` do not meet: \"{}\" ({lnum}) and \"{}\" ({unum}) — {what} a customer with {counts}",
                low.phrase, up.phrase
            ))
            .at(src.file, place(src, &low.comparator))
            .label("the lower tier")
            .hint("make one tier inclusive and the other exclusive of the same number: \"minder dan 20 werknemers\" and \"20 of meer werknemers\"");
            if let Some(other) = by_id.get(uid) {
                d = d.related(other.file, place(other, &up.comparator), "the upper tier");
            }
            diags.extend_opt(finding(project, Some(src), "threshold_gap", d));
        }
    }
}

fn span_text(from: u64, to: u64) -> String {
    if from == to {
        format!("exactly {from} staff")
    } else {
        format!("{from} to {to} staff")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(t: &str) -> Vec<(u64, bool)> {
        bounds(t).into_iter().map(|b| (b.edge, b.upper)).collect()
    }

    #[test]
    fn reads_bounds_on_staff() {
        assert_eq!(edges("bij minder dan 20 werknemers"), [(19, false)]);
        assert_eq!(edges("bij meer dan twintig (20) werknemers"), [(21, true)]);
        assert_eq!(edges("met 20 of meer medewerkers"), [(20, true)]);
        assert_eq!(edges("tot en met 9 werkzame personen"), [(9, false)]);
        assert_eq!(edges("tot 10 fte"), [(9, false)]);
        assert_eq!(edges("vanaf 1.000 werknemers"), [(1000, true)]);
        assert_eq!(edges("fewer than 50 employees"), [(49, false)]);
        assert_eq!(edges("at least 50 employees"), [(50, true)]);
        // Not a number of staff, or no comparison.
        assert!(edges("binnen 20 werkdagen").is_empty());
        assert!(edges("de 20 werknemers van Klant").is_empty());
        assert!(edges("minder dan 20 dagen").is_empty());
    }
}
