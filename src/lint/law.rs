//! The table of stale legal terms (src/lint/stale_law.yaml), and the word patterns it and the
//! other text lints are written in.
//!
//! A pattern is words separated by spaces, matched case-insensitively on word boundaries and
//! across line breaks; `{a|b c|}` chooses between alternatives (an empty one makes the group
//! optional) and a word ending in `*` also matches longer words. Matching is hand-written (no
//! regex crate): each pattern knows the characters it can start with, so a text is walked
//! once per pattern and only plausible starts are tried.

use std::ops::Range;
use std::sync::LazyLock;

use crate::load::yaml::{self, Kind, Node};

/// One entry of the table.
#[derive(Debug)]
pub struct Stale {
    pub pattern: Pattern,
    /// Words after which a match is current law (`Wet bescherming persoonsgegevens BES`).
    pub unless_followed_by: Vec<String>,
    pub replacement: String,
    pub source: String,
    pub note: String,
}

/// The parsed table: stale terms, and the names that mark a statute reference.
#[derive(Debug)]
pub struct Table {
    pub stale: Vec<Stale>,
    pub statute_names: Vec<String>,
    pub statute_endings: Vec<String>,
}

const TABLE_YAML: &str = include_str!("stale_law.yaml");

/// Parsed once per process; the file is part of the binary and a unit test parses it, so a
/// mistake in it fails the tests, never a user's run.
pub static TABLE: LazyLock<Table> =
    LazyLock::new(|| parse_table(TABLE_YAML).unwrap_or_else(|e| panic!("stale_law.yaml: {e}")));

fn parse_table(src: &str) -> Result<Table, String> {
    let root = yaml::parse(src).map_err(|e| e.message)?;
    let Some(Node {
        kind: Kind::Seq(items),
        ..
    }) = root.get("stale")
    else {
        return Err("`stale` must be a list".into());
    };
    let text = |n: &Node, key: &str| -> Result<String, String> {
        n.get(key)
            .and_then(Node::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("an entry lacks `{key}`"))
    };
    let list = |n: Option<&Node>| -> Vec<String> {
        match n.map(|n| &n.kind) {
            Some(Kind::Seq(items)) => items
                .iter()
                .filter_map(|i| i.written().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut stale = Vec::new();
    for item in items {
        let pattern = text(item, "pattern")?;
        stale.push(Stale {
            pattern: Pattern::parse(&pattern).map_err(|e| format!("`{pattern}`: {e}"))?,
            unless_followed_by: list(item.get("unless_followed_by")),
            replacement: text(item, "replacement")?,
            source: text(item, "source")?,
            note: text(item, "note")?,
        });
    }
    let statutes = root.get("statutes");
    Ok(Table {
        stale,
        statute_names: list(statutes.and_then(|s| s.get("names")))
            .into_iter()
            .map(|s| s.to_lowercase())
            .collect(),
        statute_endings: list(statutes.and_then(|s| s.get("endings")))
            .into_iter()
            .map(|s| s.to_lowercase())
            .collect(),
    })
}

/// Stale terms in `text`: (byte range, entry), in text order.
pub fn stale_terms(text: &str) -> Vec<(Range<usize>, &'static Stale)> {
    let table = &*TABLE;
    let starts = starts(text);
    let mut out = Vec::new();
    for entry in &table.stale {
        for r in entry.pattern.find_at(text, &starts) {
            if !entry.unless_followed_by.is_empty() {
                let next = next_word(text, r.end);
                if entry
                    .unless_followed_by
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(next))
                {
                    continue;
                }
            }
            out.push((r, entry));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// Is `word` the name of a statute ("AVG", "BW", "Telecommunicatiewet", "Wetboek")?
pub fn is_statute(word: &str) -> bool {
    let table = &*TABLE;
    let w = word.to_lowercase();
    table.statute_names.contains(&w)
        || table
            .statute_endings
            .iter()
            .any(|e| w.ends_with(e.as_str()))
}

/// The word after `at`, past spaces and line breaks.
fn next_word(text: &str, at: usize) -> &str {
    let rest = text[at..].trim_start();
    let end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    &rest[..end]
}

/// A word of a pattern, lower-cased; `prefix` for a word written with a trailing `*`.
#[derive(Debug, Clone)]
struct Word {
    chars: Vec<char>,
    prefix: bool,
}

#[derive(Debug, Clone)]
enum Item {
    Word(Word),
    /// Alternatives, each a sequence of words; an empty one matches nothing (optional group).
    Choice(Vec<Vec<Word>>),
}

/// A compiled word pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    items: Vec<Item>,
    /// Lower-cased characters a match can start with.
    first: Vec<char>,
}

fn fold(c: char) -> char {
    match c {
        '’' | '‘' | '`' => '\'',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

fn word(w: &str) -> Word {
    let (w, prefix) = match w.strip_suffix('*') {
        Some(w) => (w, true),
        None => (w, false),
    };
    Word {
        chars: w.chars().map(fold).collect(),
        prefix,
    }
}

impl Pattern {
    pub fn parse(src: &str) -> Result<Pattern, String> {
        let mut items = Vec::new();
        let mut rest = src.trim();
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('{') {
                let close = r.find('}').ok_or("a `{` without `}`")?;
                let alts = r[..close]
                    .split('|')
                    .map(|alt| alt.split_whitespace().map(word).collect())
                    .collect();
                items.push(Item::Choice(alts));
                rest = r[close + 1..].trim_start();
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '{')
                    .unwrap_or(rest.len());
                if rest[..end].contains('}') {
                    return Err("a `}` without `{`".into());
                }
                items.push(Item::Word(word(&rest[..end])));
                rest = rest[end..].trim_start();
            }
        }
        if items.is_empty() {
            return Err("an empty pattern".into());
        }
        let mut first = Vec::new();
        if !first_chars(&items, &mut first) {
            return Err("a pattern that can match nothing".into());
        }
        Ok(Pattern { items, first })
    }

    /// Every non-overlapping match, as byte ranges.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        self.find_at(text, &starts(text))
    }

    /// Every non-overlapping match that begins at one of `starts` (see [`starts`]): for many
    /// patterns over one text, the text is walked once.
    pub fn find_at(&self, text: &str, starts: &[(usize, char)]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut skip_to = 0;
        for &(i, c) in starts {
            if i < skip_to || !self.first.contains(&c) {
                continue;
            }
            if let Some(end) = self.match_at(text, i) {
                out.push(i..end);
                skip_to = end;
            }
        }
        out
    }

    /// The end of a match starting at `at` (a word boundary), the longest the alternatives
    /// allow in their order.
    pub fn match_at(&self, text: &str, at: usize) -> Option<usize> {
        match_items(&self.items, text, at, true)
    }
}

/// Where a match may begin — every character after a non-alphanumeric one (or at the start),
/// lower-cased — in text order.
pub fn starts(text: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut boundary = true;
    for (i, c) in text.char_indices() {
        if boundary && !c.is_whitespace() {
            out.push((i, fold(c)));
        }
        boundary = !c.is_alphanumeric();
    }
    out
}

/// Collect the first characters of `items`; false when the sequence can be empty.
fn first_chars(items: &[Item], out: &mut Vec<char>) -> bool {
    for (n, item) in items.iter().enumerate() {
        match item {
            Item::Word(w) => {
                out.extend(w.chars.first());
                return true;
            }
            Item::Choice(alts) => {
                let mut optional = false;
                for alt in alts {
                    match alt.first() {
                        Some(w) => out.extend(w.chars.first()),
                        None => optional = true,
                    }
                }
                if !optional {
                    return true;
                }
                if n + 1 == items.len() {
                    return false;
                }
            }
        }
    }
    false
}

fn match_items(items: &[Item], text: &str, at: usize, first: bool) -> Option<usize> {
    let Some((item, rest)) = items.split_first() else {
        // The match must end on a word boundary.
        let next = text[at..].chars().next();
        return next.is_none_or(|c| !c.is_alphanumeric()).then_some(at);
    };
    match item {
        Item::Word(w) => {
            let start = if first { at } else { skip_space(text, at)? };
            let end = match_word(w, text, start)?;
            match_items(rest, text, end, false)
        }
        Item::Choice(alts) => alts.iter().find_map(|alt| {
            let mut pos = at;
            let mut is_first = first;
            for w in alt {
                let start = if is_first {
                    pos
                } else {
                    skip_space(text, pos)?
                };
                pos = match_word(w, text, start)?;
                is_first = false;
            }
            match_items(rest, text, pos, is_first)
        }),
    }
}

/// At least one whitespace character (a line break included) before the next word.
fn skip_space(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let trimmed = rest.trim_start();
    (trimmed.len() < rest.len()).then(|| at + rest.len() - trimmed.len())
}

fn match_word(w: &Word, text: &str, at: usize) -> Option<usize> {
    let mut chars = text[at..].char_indices();
    for pc in &w.chars {
        let (_, c) = chars.next()?;
        if fold(c) != *pc {
            return None;
        }
    }
    let mut end = at + chars.clone().next().map_or(text.len() - at, |(i, _)| i);
    if w.prefix {
        for (i, c) in chars {
            if !c.is_alphanumeric() {
                break;
            }
            end = at + i + c.len_utf8();
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        stale_terms(text)
            .into_iter()
            .map(|(r, _)| &text[r])
            .collect()
    }

    #[test]
    fn the_table_parses() {
        assert!(TABLE.stale.len() >= 20);
        assert!(is_statute("AVG") && is_statute("Telecommunicatiewet") && is_statute("bw"));
        assert!(!is_statute("Overeenkomst") && !is_statute("Voorwaarden"));
    }

    #[test]
    fn patterns() {
        let p = Pattern::parse("{rapport|} Voorwerk {II|2}").unwrap();
        assert_eq!(p.find_all("volgens het rapport Voorwerk II."), vec![12..31]);
        assert_eq!(p.find_all("Voorwerk\nII"), vec![0..11]);
        assert!(p.find_all("Voorwerk III").is_empty());
        let p = Pattern::parse("bewerk*").unwrap();
        assert_eq!(p.find_all("de bewerkersovereenkomst"), vec![3..24]);
        assert!(Pattern::parse("{a|").is_err());
        assert!(Pattern::parse("{a|}").is_err());
    }

    #[test]
    fn finds_stale_law() {
        assert_eq!(
            found("conform de Wet Bescherming Persoonsgegevens (Wbp) als bewerker"),
            vec!["Wet Bescherming Persoonsgegevens", "Wbp", "bewerker"]
        );
        assert_eq!(
            found("een bewerkersovereenkomst; richtlijn 95/46/EG; het CBP"),
            vec!["bewerkersovereenkomst", "95/46/EG", "CBP"]
        );
        assert_eq!(
            found("de wettelijke 7 dagen ontbindingstijd"),
            vec!["7 dagen ontbindingstijd"]
        );
        assert_eq!(
            found("een bedenktijd van zeven (7) werkdagen"),
            vec!["bedenktijd van zeven (7) werkdagen"]
        );
        assert_eq!(
            found("de Kamer van Koophandel s’-Hertogenbosch"),
            vec!["Kamer van Koophandel s’-Hertogenbosch"]
        );
        assert_eq!(
            found("ingeschreven bij de Kamer van Koophandel voor Amsterdam"),
            vec!["Kamer van Koophandel voor Amsterdam"]
        );
        assert_eq!(
            found("de herfinancieringsrente plus 7 procentpunten"),
            vec!["herfinancieringsrente plus 7 procentpunten"]
        );
    }

    #[test]
    fn current_law_is_not_stale() {
        for ok in [
            "De verwerker verwerkt Persoonsgegevens als bedoeld in de AVG.",
            "een verwerkersovereenkomst met de Autoriteit Persoonsgegevens",
            "ingeschreven in het Handelsregister van de Kamer van Koophandel onder nummer 123",
            "de Wet op de economische delicten",
            "de Wet bescherming persoonsgegevens BES",
            "een bedenktijd van veertien (14) dagen",
            "de wettelijke handelsrente van artikel 6:119a van het Burgerlijk Wetboek",
            "de Algemene verordening gegevensbescherming en de Uitvoeringswet AVG",
            "teksten bewerken en de bewerking van gegevens",
            "subverwerkers en de Kamer van Koophandel",
        ] {
            assert!(found(ok).is_empty(), "{ok}: {:?}", found(ok));
        }
    }
}
