//! Defined-term lints over one assembled document:
//! - a term the definitions article defines that no other clause uses;
//! - a capitalised word used like a defined term (mid-sentence) that nobody defines.
//!
//! The second runs on clause sources with Tera tags blanked out, so positions point at the
//! clause file; parameter values and party names therefore never trip it.

use super::model::Article;
use super::{Target, scan};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Clause, DocKind, Project};
use crate::params::labels::{Labels, Role};

/// Names that are capitalised in running text but are not defined terms.
const BUILTIN_NAMES: &[&str] = &[
    "Nederland",
    "Nederlands",
    "Nederlandse",
    "Engels",
    "Engelse",
    "English",
    "Europese Unie",
    "Europese Economische Ruimte",
    "Burgerlijk Wetboek",
    "Kamer van Koophandel",
    "Algemene Verordening Gegevensbescherming",
    "Autoriteit Persoonsgegevens",
    "Europese Commissie",
    "Handelsregister",
    "Netherlands",
    "Dutch",
    "European Union",
    "European Economic Area",
    "European Commission",
    "Dutch Civil Code",
    "Chamber of Commerce",
    "Trade Register",
    "Statistics Netherlands",
    "United Nations Convention on Contracts for the International Sale of Goods",
    "General Data Protection Regulation",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
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
    "Kerstavond",
    "Oudejaarsavond",
    "Nieuwjaarsdag",
    "Koningsdag",
    "Bevrijdingsdag",
    "Hemelvaartsdag",
    "Pasen",
    "Pinksteren",
    "Kerstmis",
    "Goede Vrijdag",
];

/// Plural and genitive endings that still count as a use of a term.
const SUFFIXES: &[&str] = &["", "s", "en", "n", "'s", "e", "es"];

pub fn lint(
    project: &Project,
    t: Target,
    labels: &Labels,
    sources: &[&Clause],
    articles: &[Article],
    diags: &mut Diagnostics,
) {
    let m = &project.manifest;
    let defined: Vec<(&Clause, Vec<String>)> =
        sources.iter().map(|c| (*c, c.defines(labels))).collect();
    let defs: Vec<(&Clause, &Vec<String>, &String)> = defined
        .iter()
        .flat_map(|(c, terms)| terms.iter().map(move |term| (*c, terms, term)))
        .collect();
    let mut phrases: Vec<&str> = defs.iter().map(|(_, _, t)| t.as_str()).collect();
    // The parties' names count as defined wherever a vendor's own text writes them out.
    let party_terms: Vec<String> = Role::ALL
        .iter()
        .flat_map(|r| labels.get(*r).terms())
        .collect();
    phrases.extend(party_terms.iter().map(String::as_str));
    // A contract uses the terms its annexes define ("de Overeenkomst" of the general terms).
    let annex_terms: Vec<String> = if t.doc.kind == DocKind::Contract {
        t.doc
            .annexes
            .iter()
            .filter_map(|(id, _)| project.documents.get(id))
            .flat_map(|d| d.modules.iter())
            .filter_map(|(m, _)| project.library.modules.get(m))
            .flat_map(|m| m.clauses.iter())
            .filter_map(|id| project.library.clauses.get(id))
            .flat_map(|c| c.defines(labels))
            .collect()
    } else {
        Vec::new()
    };
    phrases.extend(annex_terms.iter().map(String::as_str));
    phrases.extend(BUILTIN_NAMES.iter().copied());
    phrases.extend(m.proper_names.iter().map(String::as_str));
    for party in std::iter::once(&t.vendor.party).chain(t.customer.map(|c| &c.party)) {
        phrases.extend(party.fields.values().map(String::as_str));
    }
    // Longest first, so "Europese Economische Ruimte" wins over "Europese".
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));

    if let Some(severity) = m.lints.severity("undefined_term") {
        for c in sources {
            for (word, start) in undefined_words(&c.body, &phrases) {
                diags.push(
                    Diagnostic::error(format!(
                        "`{word}` is capitalised like a defined term, but document `{}` does not define it",
                        t.doc.id
                    ))
                    .with_severity(severity)
                    .code("undefined_term")
                    .at(c.file, c.body_offset + start..c.body_offset + start + word.len())
                    .label("not a defined term")
                    .hint("define it in the definitions module, write it in lower case, or add it to `proper_names` in clausebook.yaml"),
                );
            }
        }
    }

    if let Some(severity) = m.lints.severity("unused_term") {
        let texts: Vec<(&str, &str)> = articles
            .iter()
            .flat_map(|a| a.clauses.iter().map(|c| (c.id.as_str(), c.text.as_str())))
            .collect();
        for (c, forms, term) in &defs {
            // Only the headword must be used; alternative forms are there to be allowed.
            if forms.first() != Some(*term) {
                continue;
            }
            let used = texts.iter().any(|(id, text)| {
                *id != c.id && forms.iter().any(|form| contains_term(text, form))
            });
            if !used {
                diags.push(
                    Diagnostic::error(format!(
                        "defined term `{term}` is not used anywhere else in document `{}`",
                        t.doc.id
                    ))
                    .with_severity(severity)
                    .code("unused_term")
                    .at(c.file, c.defines_span.clone())
                    .label("defined here")
                    .hint("remove the definition, or exclude it for this document with `clauses: {exclude: [...]}`"),
                );
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '-' || c == '\''
}

/// Does `text` use `term` (or a plural/genitive of it) as a whole word?
pub fn contains_term(text: &str, term: &str) -> bool {
    let mut from = 0;
    while let Some(i) = text[from..].find(term) {
        let start = from + i;
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphabetic());
        let rest = &text[start + term.len()..];
        let after_ok = SUFFIXES.iter().any(|s| {
            rest.starts_with(s)
                && rest[s.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphabetic())
        });
        if before_ok && after_ok {
            return true;
        }
        from = start + term.len().max(1);
    }
    false
}

/// Capitalised words in mid-sentence that are no known phrase. Returns (word, byte offset).
fn undefined_words(body: &str, phrases: &[&str]) -> Vec<(String, usize)> {
    // Only the phrases that start with a word's first letter can match it: an index by first
    // character saves comparing every word with every phrase (`check` runs this for every
    // clause of every document, and again for every combination it explores).
    let mut by_first: std::collections::HashMap<char, Vec<&str>> = std::collections::HashMap::new();
    for p in phrases {
        if let Some(c) = p.chars().next() {
            by_first.entry(c).or_default().push(p);
        }
    }
    let empty: Vec<&str> = Vec::new();
    let masked = mask_tags(body);
    let text = masked.as_str();
    let lines = table_lines(text);
    let mut line = 0;
    let mut out = Vec::new();
    let mut sentence_start = true;
    let mut line_start = true;
    let mut i = 0;
    while i < text.len() {
        let ch = text[i..].chars().next().unwrap_or(' ');
        let kind = lines.get(line).copied().unwrap_or(Line::Text);
        if ch == '\n' {
            line += 1;
            line_start = true;
            if text[i + 1..].starts_with('\n')
                || text[i + 1..]
                    .trim_start_matches([' ', '\t'])
                    .starts_with('\n')
            {
                sentence_start = true;
            }
            i += 1;
            continue;
        }
        if line_start && kind == Line::Delimiter {
            // `|---|:--:|` is layout, not text.
            i += text[i..].find('\n').unwrap_or(text.len() - i);
            continue;
        }
        if line_start && kind == Line::Row {
            // A table cell reads on its own: its first word starts a sentence.
            sentence_start = true;
        }
        if kind == Line::Row && ch == '|' && !escaped(text, i) {
            sentence_start = true;
            line_start = false;
            i += 1;
            continue;
        }
        if line_start {
            // List markers ("- ", "1. ", "a. ") start a new sentence.
            let rest = text[i..].trim_start_matches([' ', '\t']);
            let marker = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
                    .len();
            if rest.starts_with(['-', '*', '+', '>'])
                || (marker > 0 && marker <= 3 && rest[marker..].starts_with(['.', ')']))
            {
                sentence_start = true;
            }
            if rest.starts_with('#') {
                sentence_start = true;
            }
            line_start = false;
        }
        if matches!(ch, '.' | '!' | '?' | ';') {
            sentence_start = true;
            i += ch.len_utf8();
            continue;
        }
        if !ch.is_alphabetic() {
            i += ch.len_utf8();
            continue;
        }
        let len = text[i..]
            .find(|c: char| !is_word_char(c))
            .unwrap_or(text.len() - i);
        let word = &text[i..i + len];
        let matched = by_first.get(&ch).unwrap_or(&empty).iter().find(|p| {
            text[i..].starts_with(**p)
                || word
                    .strip_prefix(**p)
                    .is_some_and(|rest| SUFFIXES.contains(&rest))
        });
        if let Some(p) = matched {
            i += p.len().max(len).min(text.len() - i);
            sentence_start = false;
            continue;
        }
        let caps = word.chars().filter(|c| c.is_uppercase()).count();
        let looks_like_term = word.chars().next().is_some_and(char::is_uppercase)
            && caps == 1
            && word.chars().count() > 1;
        if looks_like_term && !sentence_start {
            out.push((word.to_string(), i));
        }
        sentence_start = false;
        i += len;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Text,
    /// A row of a GFM table, the header row included.
    Row,
    /// The delimiter row under a table's header (`|---|:--:|`).
    Delimiter,
}

/// Which lines of `text` belong to a GFM table: a header row, then a delimiter row with as
/// many cells, then body rows up to the next blank line (as pulldown-cmark reads them).
fn table_lines(text: &str) -> Vec<Line> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut kinds = vec![Line::Text; lines.len()];
    let mut i = 1;
    while i < lines.len() {
        let header = lines[i - 1];
        if !header.trim().is_empty()
            && is_delimiter_row(lines[i])
            && cells(header).len() == cells(lines[i]).len()
        {
            kinds[i - 1] = Line::Row;
            kinds[i] = Line::Delimiter;
            i += 1;
            while i < lines.len() && !lines[i].trim().is_empty() {
                kinds[i] = Line::Row;
                i += 1;
            }
        }
        i += 1;
    }
    kinds
}

/// Is the byte at `i` escaped by an odd number of backslashes?
fn escaped(text: &str, i: usize) -> bool {
    let run = text[..i].len() - text[..i].trim_end_matches('\\').len();
    run % 2 == 1
}

/// The cells of a table row: split at unescaped pipes, one leading and trailing pipe optional.
fn cells(row: &str) -> Vec<&str> {
    let mut row = row.trim();
    if let Some(r) = row.strip_prefix('|') {
        row = r;
    }
    if row.ends_with('|') && !escaped(row, row.len() - 1) {
        row = &row[..row.len() - 1];
    }
    let mut out = Vec::new();
    let mut from = 0;
    for (i, c) in row.char_indices() {
        if c == '|' && !escaped(row, i) {
            out.push(&row[from..i]);
            from = i + 1;
        }
    }
    out.push(&row[from..]);
    out
}

/// `|---|:--:|---:|`: every cell dashes with optional colons, and at least one pipe (without
/// one, `---` under a line is a setext heading).
fn is_delimiter_row(line: &str) -> bool {
    line.contains('|')
        && cells(line).iter().all(|c| {
            let c = c.trim();
            let c = c.strip_prefix(':').unwrap_or(c);
            let c = c.strip_suffix(':').unwrap_or(c);
            !c.is_empty() && c.chars().all(|ch| ch == '-')
        })
}

/// Blank out Tera tags (same length, newlines kept) so positions stay valid.
pub fn mask_tags(body: &str) -> String {
    let mut s = body.to_string();
    for r in scan::scan(body).tags {
        // Keep byte length: each char becomes as many spaces as it has bytes. A block tag
        // (`{% else %}`) starts a new branch, so it ends a sentence as a full stop does.
        let mut blank: String = body[r.clone()]
            .chars()
            .map(|o| {
                if o == '\n' {
                    "\n".to_string()
                } else {
                    " ".repeat(o.len_utf8())
                }
            })
            .collect();
        if body[r.clone()].starts_with("{%") {
            blank.replace_range(0..1, ".");
        }
        s.replace_range(r, &blank);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_undefined_terms() {
        let body = "De Klant betaalt binnen {{ payment.term }}. Fouten worden hersteld.\nDe Leverancier meldt Storingen aan de Klant.";
        let words: Vec<String> = undefined_words(body, &["Klant", "Leverancier"])
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(words, vec!["Storingen"]);
    }

    #[test]
    fn plurals_count_as_uses() {
        assert!(contains_term("alle Diensten van", "Dienst"));
        assert!(contains_term("de Dienst.", "Dienst"));
        assert!(!contains_term("de Dienstverlening", "Dienst"));
    }

    #[test]
    fn table_cells_start_sentences() {
        let body = "Tijden:\n\n| Prioriteit | Omschrijving | Reactietijd |\n|---|:--:|--:|\n\
                    | 1 | De Dienst ligt eruit | {{ sla.p1 }} |\n| 2 | Een onderdeel werkt niet | Binnen een dag |\n\n\
                    Daarna meldt de Klant Storingen.";
        let words: Vec<String> = undefined_words(body, &["Klant", "Dienst", "Reactietijd"])
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(words, vec!["Storingen"]);
    }

    #[test]
    fn mid_cell_words_are_still_checked() {
        let body = "a | b\n--|--\nDe Klant | meldt Storingen \\| Fouten";
        let words: Vec<String> = undefined_words(body, &["Klant"])
            .into_iter()
            .map(|w| w.0)
            .collect();
        // An escaped pipe is text inside the cell, not a new cell.
        assert_eq!(words, vec!["Storingen", "Fouten"]);
    }

    #[test]
    fn only_real_tables_are_tables() {
        let kinds = |t: &str| table_lines(t);
        assert_eq!(
            kinds("| a | b |\n|---|:-:|\n| c | d |\nnog\n\nna"),
            vec![
                Line::Row,
                Line::Delimiter,
                Line::Row,
                Line::Row,
                Line::Text,
                Line::Text
            ]
        );
        // Cell counts differ, a setext underline, a thematic break: no table.
        assert!(kinds("| a | b |\n|---|").iter().all(|k| *k == Line::Text));
        assert!(kinds("Kop\n---").iter().all(|k| *k == Line::Text));
        assert!(kinds("tekst\n\n---\n").iter().all(|k| *k == Line::Text));
        assert_eq!(cells(r"| a \| b | c |"), vec![r" a \| b ", " c "]);
    }

    #[test]
    fn list_items_start_sentences() {
        let body = "Het volgende:\n\n1. Nieuwe versies worden gemeld;\n2. Updates volgen.";
        assert!(undefined_words(body, &[]).is_empty());
    }
}
