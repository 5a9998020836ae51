//! Lints over a document's defined terms, beyond "used" and "defined" (see
//! `assemble::terms`): a term defined twice, a term used only inside other definitions, and a
//! defined term written in lower case, and short definitions that only point at each other.

use super::finding;
use crate::assemble::model::Article;
use crate::assemble::terms::contains_term;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Clause, Project};
use crate::params::labels::Labels;

pub fn check(
    project: &Project,
    doc_id: &str,
    labels: &Labels,
    sources: &[&Clause],
    articles: &[Article],
    diags: &mut Diagnostics,
) {
    let by_id: std::collections::HashMap<&str, &Clause> =
        sources.iter().map(|c| (c.id.as_str(), *c)).collect();
    let source = |id: &str| by_id.get(id).copied();
    // (clause, its defined forms, its rendered text) for the definitions.
    let defs: Vec<(&Clause, Vec<String>, &str)> = articles
        .iter()
        .filter(|a| a.definitions)
        .flat_map(|a| a.clauses.iter())
        .filter_map(|c| {
            let src = source(&c.id)?;
            let forms = src.defines(labels);
            (!forms.is_empty()).then_some((src, forms, c.text.as_str()))
        })
        .collect();

    // A term defined twice: two meanings, and the reader cannot tell which one holds.
    for (i, (c, forms, _)) in defs.iter().enumerate() {
        for (other, oforms, _) in &defs[..i] {
            if let Some(t) = forms.iter().find(|f| oforms.contains(f)) {
                let d = Diagnostic::error(format!(
                    "`{t}` is defined twice in document `{doc_id}`: by `{}` and by `{}`",
                    other.id, c.id
                ))
                .at(c.file, c.defines_span.clone())
                .label("defined again here")
                .related(other.file, other.defines_span.clone(), "first defined here")
                .hint("keep one definition; a vendor that redefines a library term replaces its clause with `clauses: {replace: ...}`");
                diags.extend_opt(finding(project, Some(c), "duplicate_definition", d));
            }
        }
    }

    // Definitions that only point at each other ("Dienst: de Dienstverlening"; "Dienstverlening:
    // de Dienst"): short meanings that each use the other define nothing. Longer definitions
    // that mention each other ("Klant" via "Overeenkomst" and back) are how Dutch terms are
    // written and are no finding.
    const SHORT: usize = 8;
    for (i, (a, aforms, atext)) in defs.iter().enumerate() {
        for (b, bforms, btext) in &defs[..i] {
            let (ameaning, bmeaning) = (atext_body(atext), atext_body(btext));
            let short = |t: &str| t.split_whitespace().count() <= SHORT;
            if short(ameaning)
                && short(bmeaning)
                && bforms.iter().any(|f| contains_term(ameaning, f))
                && aforms.iter().any(|f| contains_term(bmeaning, f))
            {
                let d = Diagnostic::warning(format!(
                    "the definitions of `{}` and `{}` in document `{doc_id}` only point at each other",
                    aforms[0], bforms[0]
                ))
                .at(a.file, a.defines_span.clone())
                .related(b.file, b.defines_span.clone(), "which points back")
                .hint("say what one of them means without the other");
                diags.extend_opt(finding(project, Some(a), "term_definition", d));
            }
        }
    }

    // Used only inside other definitions: the body of the terms never needs it.
    let body_texts: Vec<&str> = articles
        .iter()
        .filter(|a| !a.definitions)
        .flat_map(|a| a.clauses.iter().map(|c| c.text.as_str()))
        .collect();
    for (c, forms, _) in &defs {
        if c.party.is_some() {
            continue;
        }
        let in_body = body_texts
            .iter()
            .any(|t| forms.iter().any(|f| contains_term(t, f)));
        let in_defs = defs
            .iter()
            .filter(|(o, ..)| o.id != c.id)
            .any(|(_, _, t)| forms.iter().any(|f| contains_term(atext_body(t), f)));
        if !in_body && in_defs {
            let d = Diagnostic::warning(format!(
                "`{}` is used only inside other definitions of document `{doc_id}`",
                forms[0]
            ))
            .at(c.file, c.defines_span.clone())
            .label("defined here")
            .hint("fold its meaning into the definition that uses it, or use the term where it matters");
            diags.extend_opt(finding(project, Some(c), "term_definition", d));
        }
    }

    // A defined term written in lower case in the body ("de dienst" while "Dienst" is
    // defined): the reader cannot tell whether the definition applies.
    // Only single capitalised words: multi-word terms and abbreviations have ordinary
    // lower-case uses ("intellectuele eigendom", "sla").
    let heads: Vec<(&str, String)> = defs
        .iter()
        .map(|(_, forms, _)| forms[0].as_str())
        .filter(|head| {
            !head.contains(' ')
                && head.chars().filter(|ch| ch.is_uppercase()).count() == 1
                && head.chars().count() >= 5
        })
        .map(|head| (head, head.to_lowercase()))
        .collect();
    for a in articles.iter().filter(|a| !a.definitions) {
        for c in &a.clauses {
            let Some(src) = source(&c.id) else { continue };
            for (head, lower) in &heads {
                // One search rules out most pairs before the five with an article.
                if !src.body.contains(lower.as_str()) {
                    continue;
                }
                let found = ["de ", "het ", "een ", "the ", "a "]
                    .iter()
                    .find_map(|art| {
                        find_word(&src.body, &format!("{art}{lower}")).map(|at| at + art.len())
                    });
                if let Some(at) = found {
                    let start = src.body_offset + at;
                    let d = Diagnostic::warning(format!(
                        "`{lower}` in lower case, while document `{doc_id}` defines `{head}`"
                    ))
                    .at(src.file, start..start + lower.len())
                    .label("the defined term, or something else?")
                    .hint(format!(
                        "write `{head}` if the definition applies, or another word if it does not"
                    ));
                    diags.extend_opt(finding(project, Some(src), "term_case", d));
                }
            }
        }
    }
}

/// The meaning of a rendered definition, without its "**Term**:" head.
fn atext_body(text: &str) -> &str {
    text.split_once(':').map_or(text, |(_, rest)| rest)
}

/// `needle` as whole words in `hay` (not inside Tera tags), by byte offset.
fn find_word(hay: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let in_tag = hay[..start]
            .rfind("{{")
            .is_some_and(|o| hay[o..start].find("}}").is_none());
        if before.is_none_or(|c| !c.is_alphanumeric())
            && after.is_none_or(|c| !c.is_alphanumeric())
            && !in_tag
        {
            return Some(start);
        }
        from = end;
    }
    None
}
