//! Translation drift: a translation says which version of the Dutch wording it translates
//! (`translates:`); when the Dutch clause's `version` is newer, the translation may say
//! something the Dutch no longer says. `check` warns, naming both versions, and shows what the
//! Dutch changed since: the old Dutch text comes from a published edition that holds the clause
//! at the translated version (the only old text clausebook keeps), set against the same
//! vendor's document as it reads now.

use std::cmp::Ordering;

use crate::assemble::Assembled;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::diff::redline::{Op, words};
use crate::load::Project;
use crate::load::translations::Translation;
use crate::params::Locale;

pub const LINT: &str = "translation_drift";

/// Warn for every translation made from an older Dutch version than the current one.
/// `assembled` are the documents `check` just assembled: the Dutch text as it reads now.
pub fn check(project: &Project, assembled: &[Assembled], diags: &mut Diagnostics) {
    let lib = &project.library;
    let mut translations: Vec<&Translation> = lib.translations.values().collect();
    translations.sort_by_key(|t| t.clause.file);
    for tr in translations {
        let Some(dutch) = lib.clauses.get(&tr.clause.id) else {
            continue;
        };
        if dutch.file != tr.source || compare(&dutch.version, &tr.translates) != Ordering::Greater {
            continue;
        }
        let d = Diagnostic::warning(format!(
            "the translation of clause `{}` was made from Dutch version {}, but the Dutch wording is now version {}",
            tr.clause.id, tr.translates, dutch.version
        ))
        .at(tr.clause.file, tr.translates_span.clone())
        .label(format!("translates {}", tr.translates))
        .related(dutch.file, dutch.id_span.clone(), format!("Dutch version {}", dutch.version));
        let d = match redline(project, assembled, &tr.clause.id, &tr.translates) {
            Some((source, text)) => d.hint(format!(
                "the Dutch changed since {} ({source}): {text}",
                tr.translates
            )),
            None => d.hint(format!(
                "no published edition holds the Dutch text of version {}, so the change cannot be shown; compare with version control",
                tr.translates
            )),
        };
        let d = d.hint(format!(
            "update the translation, then set `translates: {}`",
            dutch.version
        ));
        if let Some(d) = crate::lint::finding(project, Some(dutch), LINT, d) {
            diags.push(d);
        }
    }
}

/// The Dutch redline of a clause since `version`: from the newest published edition of a
/// document that held it at that version, to the same vendor's document as assembled now.
fn redline(
    project: &Project,
    assembled: &[Assembled],
    clause: &str,
    version: &str,
) -> Option<(String, String)> {
    for now in assembled
        .iter()
        .filter(|a| a.locale == Locale::Nl && a.customer.is_none())
    {
        let Some(new) = find(now, clause).map(|c| c.text.clone()) else {
            continue;
        };
        let dir = super::doc_dir(&project.manifest.published, &now.vendor.id, &now.document);
        let log = super::read_log(project.files.as_ref(), &dir).ok()?;
        for entry in log.iter().rev() {
            let Ok(old) =
                super::read_document(project.files.as_ref(), &dir.join(&entry.edition), None)
            else {
                continue;
            };
            if let Some(c) = find(&old, clause).filter(|c| c.version == version) {
                let source = format!(
                    "edition {} of `{}` for {}",
                    entry.edition, now.document, now.vendor.id
                );
                return Some((source, render(&c.text, &new)));
            }
        }
    }
    None
}

fn find<'a>(doc: &'a Assembled, clause: &str) -> Option<&'a crate::assemble::model::ClauseOut> {
    doc.articles
        .iter()
        .flat_map(|a| &a.clauses)
        .find(|c| c.id == clause)
}

/// `[-old-]{+new+}` inline, as the word diff of `clausebook diff` reads.
fn render(old: &str, new: &str) -> String {
    let segs = words(old, new);
    if segs.iter().all(|s| s.op == Op::Equal) {
        return "the text reads the same (only the version changed)".into();
    }
    segs.iter()
        .map(|s| match s.op {
            Op::Equal => s.text.clone(),
            Op::Delete => format!("[-{}-]", s.text),
            Op::Insert => format!("{{+{}+}}", s.text),
        })
        .collect()
}

/// Compare dotted versions number by number ("1.10.0" > "1.9.2"); text parts as text.
pub fn compare(a: &str, b: &str) -> Ordering {
    let parts = |s: &str| -> Vec<String> { s.split('.').map(str::to_string).collect() };
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_number() {
        assert_eq!(compare("1.10.0", "1.9.2"), Ordering::Greater);
        assert_eq!(compare("1.0.0", "1.0.0"), Ordering::Equal);
        assert_eq!(compare("1.0.0", "1.0.1"), Ordering::Less);
        assert_eq!(compare("2", "1.9"), Ordering::Greater);
    }

    #[test]
    fn redline_marks_words() {
        assert_eq!(
            render("binnen 14 dagen", "binnen 30 dagen"),
            "binnen [-14-]{+30+} dagen"
        );
    }
}
