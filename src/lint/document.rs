//! Lints over assembled documents.

use std::collections::{BTreeSet, HashMap};

use super::finding;
use crate::assemble::model::Article;
use crate::assemble::{Assembled, scan};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Clause, Project};

/// `duplicate_heading` and `empty_clause` over one document; `sources` are the clauses it
/// holds, by id.
pub fn check(
    project: &Project,
    doc_id: &str,
    articles: &[Article],
    sources: &[&Clause],
    diags: &mut Diagnostics,
) {
    let by_id: HashMap<&str, &Clause> = sources.iter().map(|c| (c.id.as_str(), *c)).collect();
    carve_out(project, doc_id, articles, &by_id, diags);
    super::thresholds::check(project, doc_id, articles, &by_id, diags);
    // `requires:` of every module in the document.
    let holds = |id: &str| {
        articles
            .iter()
            .any(|a| a.id == id || a.clauses.iter().any(|c| c.id == id))
    };
    for a in articles {
        let Some(m) = project.library.modules.get(&a.id) else {
            continue;
        };
        for rule in &m.requires {
            if holds(&rule.what) {
                continue;
            }
            let d = Diagnostic::error(format!(
                "document `{doc_id}` holds module `{}` but not `{}`: {}",
                a.id, rule.what, rule.message
            ))
            .at(rule.file, rule.span.clone())
            .label("required here")
            .hint(format!(
                "`{}` is excluded, replaced away or its condition is false for this vendor or customer; keep it in",
                rule.what
            ));
            diags.extend_opt(finding(project, None, "requirement", d));
        }
    }
    for (i, a) in articles.iter().enumerate() {
        if let Some(first) = articles[..i]
            .iter()
            .find(|b| b.title.trim().eq_ignore_ascii_case(a.title.trim()))
            && let Some(m) = project.library.modules.get(&a.id)
        {
            let text = project.sources.text(m.file);
            let span = text
                .find("title:")
                .map(|s| s..s + text[s..].find('\n').unwrap_or(text.len() - s))
                .unwrap_or(0..0);
            let d = Diagnostic::error(format!(
                "articles {} and {} of document `{doc_id}` are both headed \"{}\"",
                first.number, a.number, a.title
            ))
            .at(m.file, span)
            .label("the second heading")
            .hint(format!(
                "module `{}` repeats the heading of module `{}`: give one another title, or exclude one",
                a.id, first.id
            ));
            diags.extend_opt(finding(project, None, "duplicate_heading", d));
        }
        for c in &a.clauses {
            let body = c.markdown.trim().trim_start_matches('*').trim();
            let empty = c.text.trim().is_empty() || (a.definitions && body.ends_with("**:"));
            let Some(src) = by_id.get(c.id.as_str()) else {
                continue;
            };
            if empty {
                let d = Diagnostic::error(format!(
                    "clause {} (`{}`) of document `{doc_id}` renders empty",
                    c.number, c.id
                ))
                .at(src.file, src.body_offset..src.body_offset + src.body.len().min(80))
                .label("no text for this vendor and customer")
                .hint("leave the clause out with `when:` in its front matter, or give the branch that is taken some text");
                diags.extend_opt(finding(project, Some(src), "empty_clause", d));
            }
        }
    }
}

/// `liability_carveout`: a clause that limits or excludes liability in a document where no
/// clause keeps liability for opzet and bewuste roekeloosheid (wilful misconduct and gross
/// negligence). Dutch courts set such a limitation aside as a whole (art. 6:248 lid 2 BW). By
/// text, so that it holds for a vendor's own wording and for a replaced carve-out too.
fn carve_out(
    project: &Project,
    doc_id: &str,
    articles: &[Article],
    by_id: &HashMap<&str, &Clause>,
    diags: &mut Diagnostics,
) {
    let clauses: Vec<&crate::assemble::model::ClauseOut> =
        articles.iter().flat_map(|a| a.clauses.iter()).collect();
    let lower: Vec<String> = clauses.iter().map(|c| c.text.to_lowercase()).collect();
    let keeps = |t: &str| {
        (t.contains("opzet") && t.contains("roekeloosheid"))
            || (t.contains("wilful") && t.contains("gross negligence"))
            || (t.contains("intent") && t.contains("gross negligence"))
            || (t.contains("intent") && t.contains("wilful recklessness"))
    };
    if lower.iter().any(|t| keeps(t)) {
        return;
    }
    let limits = |t: &str| {
        t.split(['.', ';']).any(|s| {
            s.contains("niet aansprakelijk")
                || s.contains("not liable")
                || (s.contains("aansprakelijk")
                    && (s.contains("beperkt") || s.contains("uitgesloten")))
                || (s.contains("liab") && (s.contains("limited") || s.contains("excluded")))
        })
    };
    let Some(i) = lower.iter().position(|t| limits(t)) else {
        return;
    };
    let c = clauses[i];
    let Some(src) = by_id.get(c.id.as_str()) else {
        return;
    };
    let d = Diagnostic::error(format!(
        "clause {} (`{}`) limits or excludes liability, but no clause of document `{doc_id}` keeps liability for opzet and bewuste roekeloosheid",
        c.number, c.id
    ))
    .at(src.file, src.body_offset..src.body_offset + src.body.len().min(80))
    .label("a limitation without the carve-out")
    .hint("Dutch courts set such a limitation aside as a whole (art. 6:248 lid 2 BW): add that it does not apply to opzet or bewuste roekeloosheid of the vendor or its management (the library's `liability.intent`)");
    diags.extend_opt(finding(project, Some(src), "liability_carveout", d));
}

/// `missing_annex` and `module_everywhere`, once per vendor.
pub fn vendors(project: &Project, diags: &mut Diagnostics) {
    for v in project.vendors.values() {
        let publishes = |d: &str| project.documents.get(d).is_some_and(|d| v.publishes(d));
        let published: Vec<&crate::load::Document> = project
            .documents
            .values()
            .filter(|d| v.publishes(d) && d.kind == crate::load::DocKind::Terms)
            .collect();
        for doc in &published {
            for (annex, span) in &doc.annexes {
                if publishes(annex) || !project.documents.contains_key(annex) {
                    continue;
                }
                let mut d = Diagnostic::error(format!(
                    "document `{}` has `{annex}` as its annex, but vendor `{}` does not publish `{annex}`",
                    doc.id, v.id
                ))
                .at(doc.file, span.clone())
                .label("incorporated here");
                if let Some((_, s)) = v.documents.first() {
                    d = d.related(v.file, s.clone(), "the vendor's documents");
                }
                d = d.hint(format!("add `{annex}` to the vendor's `documents:`, or use terms that do not incorporate it"));
                diags.extend_opt(finding(project, None, "missing_annex", d));
            }
        }
        party_spelling(project, v, diags);
        if published.len() > 1 {
            for m in &v.choices.modules {
                if m.documents.is_empty() {
                    let d = Diagnostic::warning(format!(
                        "vendor module `{}` has no `documents:`, so it is an article of all {} documents vendor `{}` publishes",
                        m.id,
                        published.len(),
                        v.id
                    ))
                    .at(m.at.file, m.at.span.clone())
                    .hint("say where it belongs: `{path: ..., documents: [terms]}`");
                    diags.extend_opt(finding(project, None, "module_everywhere", d));
                }
            }
        }
    }
}

/// `party_spelling`: a vendor's own clauses writing the vendor's name out instead of
/// `{{ party.vendor }}` — and a second spelling of it ("Breinstrom", "Breinstorm BV"), which
/// is worse: the terms then name a party that does not exist.
fn party_spelling(project: &Project, v: &crate::load::Vendor, diags: &mut Diagnostics) {
    let short = v
        .party
        .fields
        .get("short_name")
        .cloned()
        .unwrap_or_else(|| v.party.name().to_string());
    if short.chars().count() < 4 {
        return;
    }
    let mut own: Vec<&Clause> = Vec::new();
    let sets = std::iter::once(&v.choices).chain(v.customers.values().map(|c| &c.choices));
    for ch in sets {
        own.extend(ch.replace.values().map(|(c, _)| c));
        own.extend(ch.add.iter().map(|(c, _)| c));
    }
    for m in &v.choices.modules {
        if let Some(module) = project.library.modules.get(&m.id) {
            own.extend(
                module
                    .clauses
                    .iter()
                    .filter_map(|id| project.library.clauses.get(id)),
            );
        }
    }
    let short_lower = short.to_lowercase();
    let full = v.party.name().to_string();
    for c in own {
        let masked = crate::assemble::terms::mask_tags(&c.body);
        let mut from = 0;
        for word in masked.split(|ch: char| !ch.is_alphanumeric()) {
            let at = from + masked[from..].find(word).unwrap_or(0);
            from = at + word.len();
            if word.chars().count() < 4 || !word.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let lower = word.to_lowercase();
            let exact = lower == short_lower || full.split_whitespace().next() == Some(word);
            let near = !exact
                && strsim::damerau_levenshtein(&lower, &short_lower) <= 2
                && lower.len() + 2 >= short_lower.len();
            if !exact && !near {
                continue;
            }
            let span = c.body_offset + at..c.body_offset + at + word.len();
            let d = if exact {
                Diagnostic::warning(format!(
                    "the vendor's name `{word}` written out in its own clause `{}`",
                    c.id
                ))
                .hint("write `{{ party.vendor }}`: the vendor may be named another way in another document or language")
            } else {
                Diagnostic::error(format!(
                    "`{word}` in clause `{}` looks like a second spelling of the vendor `{short}`",
                    c.id
                ))
                .hint("write `{{ party.vendor }}`")
            }
            .at(c.file, span)
            .label("here");
            diags.extend_opt(finding(project, Some(c), "party_spelling", d));
        }
    }
}

/// `unused_override`: each customer's parameter values that no clause of any document built
/// for that customer uses, in its text or its `when:` condition. `docs` are every assembled
/// document of the run.
pub fn unused_overrides(project: &Project, docs: &[Assembled], diags: &mut Diagnostics) {
    // Clause id -> parameters its condition names, over every clause a document may hold.
    let mut conditions: HashMap<&str, Vec<String>> = HashMap::new();
    for c in crate::assemble::template::all_clauses(project) {
        if let Some(w) = &c.when {
            let names = scan::scan(&format!("{{{{ {} }}}}", w.expr))
                .mentions
                .iter()
                .filter_map(|m| m.param().map(|(a, b)| format!("{a}.{b}")))
                .collect::<Vec<_>>();
            conditions.entry(c.id.as_str()).or_default().extend(names);
        }
    }
    let mut used: HashMap<(&str, &str), BTreeSet<String>> = HashMap::new();
    // A condition decides whether its clause is in, so its parameters count as used whether
    // or not the clause made it: every clause of the document's modules.
    let module_clauses = |module: &str| -> Vec<String> {
        project
            .library
            .modules
            .get(module)
            .map(|m| m.clauses.clone())
            .unwrap_or_default()
    };
    let collect = |d: &Assembled, set: &mut BTreeSet<String>| {
        fn walk(
            d: &Assembled,
            conditions: &HashMap<&str, Vec<String>>,
            module_clauses: &dyn Fn(&str) -> Vec<String>,
            set: &mut BTreeSet<String>,
        ) {
            for a in &d.articles {
                let mut ids: Vec<String> = module_clauses(&a.id);
                for c in &a.clauses {
                    set.extend(c.parameters.iter().cloned());
                    ids.push(c.id.clone());
                }
                for id in ids {
                    if let Some(w) = conditions.get(id.as_str()) {
                        set.extend(w.iter().cloned());
                    }
                }
            }
            for x in &d.attachments {
                walk(x, conditions, module_clauses, set);
            }
        }
        walk(d, &conditions, &module_clauses, set);
    };
    for d in docs {
        let Some(c) = &d.customer else { continue };
        let set = used.entry((&d.vendor.id, &c.id)).or_default();
        collect(d, set);
    }
    for ((vendor, customer), set) in &used {
        let Some(c) = project
            .vendors
            .get(*vendor)
            .and_then(|v| v.customers.get(*customer))
        else {
            continue;
        };
        for (key, a) in &c.params {
            if set.contains(key) {
                continue;
            }
            let d = Diagnostic::warning(format!(
                "`{key}` is set for customer `{customer}`, but no clause of its documents uses it: the value has no effect"
            ))
            .at(a.file, a.span.clone())
            .label("negotiated here")
            .hint("remove it, or include the clause that uses it (an `exclude` or `replace` may have taken it out)");
            diags.extend_opt(finding(project, None, "unused_override", d));
        }
    }
}
