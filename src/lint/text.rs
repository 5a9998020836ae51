//! Lints over clause source text and parameter values, once per project: `stale_law`,
//! `residue`, `hand_typed_reference`, `drafting_style`, `role_noun` (and, through
//! [`super::enums`], `enum_literal`).
//!
//! They read sources, not rendered documents: a clause body with its Tera tags blanked out
//! (byte for byte, so every position is a position in the clause file and nothing a tag
//! writes — a parameter value, a party's name, `ref()` — can trip them), its title, module
//! titles, and every text, list and enum value as written in module.yaml (defaults, enum
//! labels), documents/, vendors/ and customers/ (files and tables).

use std::ops::Range;
use std::sync::LazyLock;

use super::law::{self, Pattern};
use super::{enums, finding};
use crate::assemble::scan::{self, Scan};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId};
use crate::load::library::split_front_matter;
use crate::load::yaml::{self, Kind, Node};
use crate::load::{Clause, Project};
use crate::params::locale::{self, Locale};
use crate::params::resolve::Assignments;
use crate::params::{ParamSpec, ParamType};

/// Every lint of this module over one clause: its body (as scanned by the assembler), its
/// title, and its Tera conditions.
pub fn clause(project: &Project, c: &Clause, s: &Scan, diags: &mut Diagnostics) {
    let body = blank(&c.body, &s.tags);
    let at = Place {
        project,
        clause: Some(c),
        file: c.file,
        offset: c.body_offset,
    };
    stale_law(&at, &body, diags);
    residue(&at, &body, diags);
    let refs = hand_typed_references(&at, &body, diags);
    drafting_style(&at, &body, &refs, true, diags);
    if c.party.is_none() {
        role_nouns(&at, &body, diags);
    }
    if let Some((span, title)) = clause_title(project, c) {
        let title = blank(title, &scan::scan(title).tags);
        let at = Place {
            offset: span.start,
            ..at
        };
        stale_law(&at, &title, diags);
        residue(&at, &title, diags);
        drafting_style(&at, &title, &[], false, diags);
    }
    enums::clause(project, c, s, diags);
}

/// `stale_law` and `residue` over module titles, document titles and every text, list and
/// enum parameter value the project writes.
pub fn values(project: &Project, diags: &mut Diagnostics) {
    for m in project.library.modules.values() {
        let text = project.sources.text(m.file);
        let Ok(root) = yaml::parse(text) else {
            continue;
        };
        let mut spans: Vec<Range<usize>> = root
            .get("title")
            .map(|n| n.span.clone())
            .into_iter()
            .collect();
        if let Some(Node {
            kind: Kind::Map(params),
            ..
        }) = root.get("parameters")
        {
            for (key, decl) in params {
                let Some(spec) = project.library.schema.get(&m.id, &key.name) else {
                    continue;
                };
                if decl.get("label").is_none() {
                    diags.extend_opt(finding(
                        project,
                        None,
                        "missing_label",
                        Diagnostic::warning(format!(
                            "parameter `{}` has no `label`: diffs and change notices would name it `{}`",
                            spec.key, spec.label
                        ))
                        .at(m.file, key.span.clone())
                        .label("no `label:` in this declaration")
                        .hint("add `label: ...` with the words a customer reads, e.g. `label: opzegtermijn`"),
                    ));
                }
                if !shows_text(spec) {
                    continue;
                }
                spans.extend(decl.get("default").map(|n| n.span.clone()));
                if let Some(Node {
                    kind: Kind::Map(labels),
                    ..
                }) = decl.get("labels")
                {
                    spans.extend(labels.iter().map(|(_, v)| v.span.clone()));
                }
            }
        }
        for span in spans {
            value_text(project, m.file, span, diags);
        }
    }
    for d in project.documents.values() {
        let text = project.sources.text(d.file);
        if let Ok(root) = yaml::parse(text) {
            for key in ["title", "subtitle"] {
                if let Some(n) = root.get(key) {
                    value_text(project, d.file, n.span.clone(), diags);
                }
            }
        }
        assignments(project, &d.params, diags);
    }
    for v in project.vendors.values() {
        assignments(project, &v.params, diags);
        for c in v.customers.values() {
            assignments(project, &c.params, diags);
        }
    }
}

/// Text, list and enum values: what a reader sees (enum values through their labels, but a
/// value without a label is shown as written).
fn shows_text(spec: &ParamSpec) -> bool {
    matches!(spec.ty, ParamType::Text | ParamType::List | ParamType::Enum)
}

fn assignments(project: &Project, a: &Assignments, diags: &mut Diagnostics) {
    for (key, v) in a {
        if project.library.schema.by_key(key).is_some_and(shows_text) {
            value_text(project, v.file, v.span.clone(), diags);
        }
    }
}

/// One value's source text (a YAML scalar or list, a CSV cell): positions are the file's. A
/// list is read item by item, so that its brackets are not taken for a placeholder's.
fn value_text(project: &Project, file: FileId, span: Range<usize>, diags: &mut Diagnostics) {
    let Some(text) = project.sources.text(file).get(span.clone()) else {
        return;
    };
    if text.starts_with(['[', '-'])
        && let Ok(node) = yaml::parse(text)
        && let Kind::Seq(items) = &node.kind
    {
        for item in items {
            value_text(
                project,
                file,
                span.start + item.span.start..span.start + item.span.end,
                diags,
            );
        }
        return;
    }
    let text = blank(text, &scan::scan(text).tags);
    let at = Place {
        project,
        clause: None,
        file,
        offset: span.start,
    };
    stale_law(&at, &text, diags);
    residue(&at, &text, diags);
}

/// Where a text lies: its file, the byte offset of the text in it, and the clause whose
/// `allow:` applies.
#[derive(Clone, Copy)]
struct Place<'a> {
    project: &'a Project,
    clause: Option<&'a Clause>,
    file: FileId,
    offset: usize,
}

impl Place<'_> {
    fn report(&self, lint: &'static str, r: &Range<usize>, d: Diagnostic, diags: &mut Diagnostics) {
        let d = d.at(self.file, self.offset + r.start..self.offset + r.end);
        diags.extend_opt(finding(self.project, self.clause, lint, d));
    }
}

/// `text` with the byte ranges `tags` turned into spaces (line breaks kept).
pub fn blank(text: &str, tags: &[Range<usize>]) -> String {
    if tags.is_empty() {
        return text.to_string();
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in tags {
        for b in &mut bytes[r.start.min(text.len())..r.end.min(text.len())] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Tags start and end on character boundaries, so whole characters became spaces.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// The title in a clause's front matter: its span in the file and its source text.
fn clause_title<'p>(project: &'p Project, c: &Clause) -> Option<(Range<usize>, &'p str)> {
    let text = project.sources.text(c.file);
    let (start, end, _) = split_front_matter(text)?;
    let node = yaml::parse(&text[start..end]).ok()?;
    let span = node.get("title")?.span.clone();
    let span = start + span.start..start + span.end;
    Some((span.clone(), text.get(span)?))
}

fn quote(s: &str) -> String {
    format!("“{}”", s.split_whitespace().collect::<Vec<_>>().join(" "))
}

// ---------------------------------------------------------------------------------------
// stale_law

fn stale_law(at: &Place, text: &str, diags: &mut Diagnostics) {
    for (r, entry) in law::stale_terms(text) {
        let found = quote(&text[r.clone()]);
        let d = Diagnostic::error(format!("stale law: {found}: {}", entry.note))
            .label(format!("write {}", quote(&entry.replacement)))
            .hint(format!("source: {}", entry.source));
        at.report("stale_law", &r, d, diags);
    }
}

// ---------------------------------------------------------------------------------------
// residue

/// Page chrome and drafting leftovers, as word patterns (see `law`).
const WEB_RESIDUE: &[&str] = &[
    "{Meteen|Direct|Ga direct|Ga|Spring} naar de inhoud",
    "Naar de inhoud springen",
    "{Lees|Lees hier} {meer|verder}",
    "Klik hier",
    "Deel {dit artikel|deze pagina|dit bericht}",
    "Terug naar {boven|het overzicht}",
    "{Accepteer|Accepteer alle} cookies",
    "{Alle|} cookies accepteren",
    "{Print|Download} deze pagina",
    "Skip to {main|} content",
    "Read more",
    "Click here",
    "Back to top",
    "{Accept|Accept all} cookies",
];

const DRAFT_RESIDUE: &[&str] = &["Lorem ipsum", "{TODO|FIXME|TBD}"];

static RESIDUE: LazyLock<Vec<(Pattern, &'static str)>> = LazyLock::new(|| {
    let web = WEB_RESIDUE.iter().map(|p| (*p, "web-page text"));
    let draft = DRAFT_RESIDUE.iter().map(|p| (*p, "a drafting placeholder"));
    web.chain(draft)
        .map(|(p, what)| (Pattern::parse(p).expect("residue pattern"), what))
        .collect()
});

/// HTML element names: `<br>` is markup (refused in bodies elsewhere), not a placeholder.
const HTML_NAMES: &[&str] = &[
    "a",
    "b",
    "i",
    "u",
    "s",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "div",
    "span",
    "sup",
    "sub",
    "small",
    "mark",
    "del",
    "ins",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "img",
    "blockquote",
    "section",
    "article",
    "aside",
    "nav",
    "header",
    "footer",
    "main",
    "figure",
    "caption",
    "details",
    "summary",
    "script",
    "style",
    "center",
    "font",
    "abbr",
    "cite",
    "q",
];

/// Words on a line that make a row of underscores a line to sign or fill in by hand.
const SIGNATURE_WORDS: &[&str] = &[
    "handtekening",
    "getekend",
    "ondertekend",
    "ondertekening",
    "naam",
    "datum",
    "plaats",
    "paraaf",
    "functie",
    "akkoord",
    "signature",
    "signed",
    "name",
    "date",
    "place",
    "title",
];

fn residue(at: &Place, text: &str, diags: &mut Diagnostics) {
    let starts = law::starts(text);
    let mut found: Vec<(Range<usize>, &str)> = Vec::new();
    for (p, what) in RESIDUE.iter() {
        found.extend(p.find_at(text, &starts).into_iter().map(|r| (r, *what)));
    }
    found.extend(placeholders(text));
    found.sort_by_key(|(r, _)| r.start);
    for (r, what) in found {
        let d = Diagnostic::error(format!(
            "{} is {what} left in the terms",
            quote(&text[r.clone()])
        ))
        .label(format!("{what}, published as part of the terms"))
        .hint(if what == "web-page text" {
            "delete it: it was copied along with the terms from a web page".to_string()
        } else {
            "write the real text, or a parameter (`{{ module.param }}`) or a party's name (`{{ party.customer }}`)".to_string()
        });
        at.report("residue", &r, d, diags);
    }
}

/// Anonymisation placeholders and blanks: "Xxxxx", "[naam]", "<bedrijfsnaam>", "N.N.",
/// "…" standing for a word, "___" outside a line to sign.
fn placeholders(text: &str) -> Vec<(Range<usize>, &'static str)> {
    const PLACEHOLDER: &str = "an anonymisation placeholder";
    const BLANK: &str = "a blank to fill in";
    let mut out = Vec::new();
    // Whitespace-separated tokens holding a word of only x's ("Xxxxx", "xxx://xxx.xx").
    for (start, token) in tokens(text) {
        let has_x = token
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.chars().count() >= 3 && w.chars().all(|c| c == 'x' || c == 'X'));
        if has_x {
            let trimmed = token.trim_matches(|c: char| "()[]{}<>,.;:!?\"'“”‘’".contains(c));
            let s = start + token.find(trimmed).unwrap_or(0);
            out.push((s..s + trimmed.len(), PLACEHOLDER));
        }
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'[' || c == b'<' {
            let close = if c == b'[' { ']' } else { '>' };
            if let Some(len) = text[i + 1..].find([close, '\n', '[', '<']) {
                let inner = &text[i + 1..i + 1 + len];
                let end = i + 1 + len + 1;
                let closed = text[i + 1 + len..].starts_with(close);
                let after = text[end.min(text.len())..].chars().next();
                let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
                let words = inner.split_whitespace().count();
                let plain = inner
                    .chars()
                    .all(|ch| ch.is_alphabetic() || " -_.…/".contains(ch));
                let link = c == b'[' && matches!(after, Some('(' | '[' | ':'));
                let html = c == b'<'
                    && HTML_NAMES.contains(&inner.trim_start_matches('/').to_lowercase().as_str());
                if closed
                    && plain
                    && letters >= 2
                    && words <= 4
                    && !link
                    && !html
                    && inner.trim() != "sic"
                {
                    out.push((i..end, PLACEHOLDER));
                    i = end;
                    continue;
                }
            }
        }
        // "N.N." on word boundaries.
        if text[i..].starts_with("N.N.")
            && (i == 0 || !prev_char(text, i).is_alphanumeric())
            && text[i + 4..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            out.push((i..i + 4, PLACEHOLDER));
            i += 4;
            continue;
        }
        // An ellipsis standing alone for a word: "gevestigd te …".
        let dots = if text[i..].starts_with('…') {
            text[i..].len() - text[i..].trim_start_matches('…').len()
        } else if text[i..].starts_with("...") {
            text[i..].len() - text[i..].trim_start_matches('.').len()
        } else {
            0
        };
        if dots > 0 {
            let before = text[..i].trim_end_matches([' ', '\t']);
            let alone_before =
                i == 0 || before.len() < i || before.is_empty() || before.ends_with(['(', '\n']);
            let after_ok = text[i + dots..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || ",;:)".contains(c));
            if alone_before && after_ok && !before.ends_with(',') && !before.ends_with('[') {
                out.push((i..i + dots, BLANK));
            }
            i += dots;
            continue;
        }
        if c == b'_' {
            let run = text[i..].len() - text[i..].trim_start_matches('_').len();
            let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            let line_end = text[i..].find('\n').map_or(text.len(), |p| i + p);
            let line = &text[line_start..line_end];
            let rule = line.chars().all(|ch| ch == '_' || ch == ' ' || ch == '\t');
            let signing = line
                .split(|ch: char| !ch.is_alphabetic())
                .any(|w| SIGNATURE_WORDS.contains(&w.to_lowercase().as_str()));
            let detached = (i == 0 || !prev_char(text, i).is_alphanumeric())
                && text[i + run..]
                    .chars()
                    .next()
                    .is_none_or(|ch| !ch.is_alphanumeric());
            if run >= 3 && detached && !rule && !signing {
                out.push((i..i + run, BLANK));
            }
            i += run;
            continue;
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

fn prev_char(text: &str, i: usize) -> char {
    text[..i].chars().next_back().unwrap_or(' ')
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |t| (t.as_ptr() as usize - text.as_ptr() as usize, t))
}

// ---------------------------------------------------------------------------------------
// hand_typed_reference

/// Words that start a cross-reference when a number follows.
const REF_HEADS: &str = "{artikelen|artikel|artt.|art.|art|clausules|clausule|leden|lid|sub|articles|article|clauses|clause}";

static HEADS: LazyLock<Pattern> = LazyLock::new(|| Pattern::parse(REF_HEADS).expect("heads"));

/// Ordinals before "lid": "artikel 28, derde lid, AVG".
const ORDINALS: &[&str] = &[
    "eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende",
    "tiende", "elfde", "twaalfde",
];

/// Words between a reference's number and a statute's name ("artikel 28 van de AVG").
const LINK_WORDS: &[&str] = &["van", "de", "het", "der", "uit", "in", "of", "the", "to"];

/// Reports each reference typed as text, and returns their ranges (so that `drafting_style`
/// does not report "clausule 3" a second time).
fn hand_typed_references(at: &Place, text: &str, diags: &mut Diagnostics) -> Vec<Range<usize>> {
    let refs = references(text);
    for r in &refs {
        let written = quote(&text[r.clone()]);
        let d = Diagnostic::error(format!(
            "{written} is a cross-reference typed as text: it breaks when the articles are renumbered"
        ))
        .label("typed reference")
        .hint("write `{{ ref(\"<clause id>\") }}` (or `ref(\"<module>\")` for a whole article): it writes the number in force for every vendor and customer")
        .hint("if this cites a statute, name it after the number: “artikel 6:248 BW”, “artikel 28 lid 3 van de AVG”");
        at.report("hand_typed_reference", r, d, diags);
    }
    refs
}

/// Cross-references to the terms' own articles: a head word and a chain of numbers that no
/// statute's name follows.
fn references(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // The end of the last chain read, a statute's included: its "lid 3" starts no new one.
    let mut covered = 0;
    for head in HEADS.find_all(text) {
        if head.start < covered {
            continue;
        }
        let word = text[head.clone()].to_lowercase();
        let letters = word == "sub";
        let mut pos = head.end;
        let rest = &text[pos..];
        let gap = rest.len() - rest.trim_start_matches([' ', '\u{a0}', '\n']).len();
        if gap == 0 && !word.ends_with('.') {
            continue;
        }
        pos += gap;
        let Some(mut end) = number(text, pos, letters) else {
            continue;
        };
        let mut statute = text[pos..end].contains(':');
        let mut last_letters = letters;
        // The chain: "9.1 en 9.2", "5.b tot en met 5.d", "28 lid 3 onder b", "4, onderdeel 12".
        loop {
            let mut p = end;
            p += text[p..].len() - text[p..].trim_start_matches([' ', ',', '\u{a0}']).len();
            let (w, wend) = word_at(text, p);
            let lw = w.to_lowercase();
            // "28, derde lid, van de AVG", "6:236, aanhef en onder b": words, not numbers.
            if ORDINALS.contains(&lw.as_str()) || lw == "aanhef" {
                let (after, aend) = word_at(text, wend + 1);
                let after = after.to_lowercase();
                if lw == "aanhef" && text[wend..].starts_with(' ') && after == "en" {
                    end = aend;
                    continue;
                }
                if lw != "aanhef" && text[wend..].starts_with(' ') && after == "lid" {
                    end = aend;
                    continue;
                }
                break;
            }
            let (next, letters) = match lw.as_str() {
                "en" | "of" | "and" | "or" | "to" => (wend, last_letters),
                "tot" if text[wend..].trim_start().starts_with("en met") => {
                    let m = text[wend..].find("met").map_or(wend, |i| wend + i + 3);
                    (m, last_letters)
                }
                "t" if text[p..].starts_with("t/m") => (p + 3, last_letters),
                "lid" | "leden" | "paragraph" => (wend, false),
                "sub" | "onder" | "onderdeel" => (wend, true),
                _ if text[p..].starts_with(['-', '–']) => (
                    p + text[p..].chars().next().map_or(1, char::len_utf8),
                    last_letters,
                ),
                _ => break,
            };
            let next = next.min(text.len());
            let next = next + text[next..].len()
                - text[next..].trim_start_matches([' ', '\u{a0}', '\n']).len();
            match number(text, next, letters) {
                Some(e) => {
                    statute |= text[next..e].contains(':');
                    last_letters = letters;
                    end = e;
                }
                None => break,
            }
        }
        covered = end;
        if !statute && !names_statute(text, end) {
            out.push(head.start..end);
        }
    }
    out
}

/// The word (letters and digits) at `p`, and where it ends.
fn word_at(text: &str, p: usize) -> (&str, usize) {
    let len = text[p..]
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len() - p);
    (&text[p..p + len], p + len)
}

/// A reference number at `p`: `9`, `9.1`, `5.b`, `6:248`, `6:119a`, `28(3)(a)`; with
/// `letters`, also a letter or a roman numeral: `b`, `(b)`, `b)`, `iii`. Returns its end.
fn number(text: &str, p: usize, letters: bool) -> Option<usize> {
    let b = text.as_bytes();
    let digits = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let boundary = |i: usize| {
        text[i..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
    };
    let mut i = p;
    if b.get(i).is_some_and(u8::is_ascii_digit) {
        i += digits(i);
        if b.get(i).is_some_and(u8::is_ascii_lowercase) && boundary(i + 1) {
            i += 1;
        }
        loop {
            match (b.get(i), b.get(i + 1)) {
                (Some(b'.' | b':'), Some(d)) if d.is_ascii_digit() => {
                    i += 1 + digits(i + 1);
                    if b.get(i).is_some_and(u8::is_ascii_lowercase) && boundary(i + 1) {
                        i += 1;
                    }
                }
                (Some(b'.'), Some(l)) if l.is_ascii_lowercase() && boundary(i + 2) => i += 2,
                _ => break,
            }
        }
        if !boundary(i) {
            return None;
        }
        // "28(3)(a)"
        while b.get(i) == Some(&b'(') {
            let Some(close) = text[i..].find(')') else {
                break;
            };
            let inner = &text[i + 1..i + close];
            if inner.is_empty()
                || inner.len() > 4
                || !inner.chars().all(|c| c.is_ascii_alphanumeric())
            {
                break;
            }
            i += close + 1;
        }
        return Some(i);
    }
    if !letters {
        return None;
    }
    let open = b.get(i) == Some(&b'(');
    if open {
        i += 1;
    }
    let len = b[i..].iter().take_while(|c| c.is_ascii_lowercase()).count();
    let word = &text[i..i + len];
    let roman = !word.is_empty() && word.len() <= 4 && word.chars().all(|c| "ivx".contains(c));
    if !(len == 1 || roman) || !boundary(i + len) {
        return None;
    }
    i += len;
    if b.get(i) == Some(&b')') {
        i += 1;
    } else if open {
        return None;
    }
    Some(i)
}

/// Does a statute's name follow the reference ending at `end` ("… van de AVG", "… BW",
/// "… van het Burgerlijk Wetboek")?
fn names_statute(text: &str, end: usize) -> bool {
    let mut p = end;
    let mut seen = 0;
    while seen < 6 {
        p += text[p..].len()
            - text[p..]
                .trim_start_matches([' ', '\u{a0}', '\n', ',', '(', '“', '"'])
                .len();
        let (w, wend) = word_at(text, p);
        if w.is_empty() {
            return false;
        }
        if law::is_statute(w) {
            return true;
        }
        let lower = w.to_lowercase();
        // Linking words, then the words of a name ("Algemene verordening …"); stop at the
        // first ordinary word.
        if !LINK_WORDS.contains(&lower.as_str())
            && !w.chars().next().is_some_and(char::is_uppercase)
        {
            return false;
        }
        // A name ends where punctuation other than a hyphen does.
        if text[wend..].starts_with(['.', ';', ':', ')']) {
            return false;
        }
        p = wend;
        seen += 1;
    }
    false
}

// ---------------------------------------------------------------------------------------
// drafting_style

/// Time units after which a number in digits should be written out, with the locale the
/// suggestion is in.
const UNITS: &[(&str, Locale)] = &[
    ("seconde", Locale::Nl),
    ("seconden", Locale::Nl),
    ("minuut", Locale::Nl),
    ("minuten", Locale::Nl),
    ("uur", Locale::Nl),
    ("uren", Locale::Nl),
    ("dag", Locale::Nl),
    ("dagen", Locale::Nl),
    ("werkdag", Locale::Nl),
    ("werkdagen", Locale::Nl),
    ("kalenderdag", Locale::Nl),
    ("kalenderdagen", Locale::Nl),
    ("week", Locale::Nl),
    ("weken", Locale::Nl),
    ("maand", Locale::Nl),
    ("maanden", Locale::Nl),
    ("kwartaal", Locale::Nl),
    ("kwartalen", Locale::Nl),
    ("jaar", Locale::Nl),
    ("jaren", Locale::Nl),
    ("hours", Locale::En),
    ("hour", Locale::En),
    ("days", Locale::En),
    ("day", Locale::En),
    ("weeks", Locale::En),
    ("months", Locale::En),
    ("month", Locale::En),
    ("years", Locale::En),
    ("year", Locale::En),
];

/// Words before a number that make it a label, not an amount ("prioriteit 1 dag en nacht").
const LABEL_WORDS: &[&str] = &[
    "prioriteit",
    "prio",
    "niveau",
    "categorie",
    "fase",
    "stap",
    "versie",
    "klasse",
    "artikel",
    "lid",
    "bijlage",
    "nummer",
    "nr",
    "priority",
    "level",
    "version",
    "annex",
    "tier",
];

static CLAUSULE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::parse("{clausule|clausules}").expect("clausule"));

/// "clausule" for "artikel"; in a body also digits before a time unit and hand-lettered
/// lists. `refs` are the typed references already reported.
fn drafting_style(
    at: &Place,
    text: &str,
    refs: &[Range<usize>],
    body: bool,
    diags: &mut Diagnostics,
) {
    for r in CLAUSULE.find_all(text) {
        if refs.iter().any(|x| x.start <= r.start && r.end <= x.end) {
            continue;
        }
        let plural = text[r.clone()].to_lowercase().ends_with('s');
        let d = Diagnostic::warning(format!(
            "{} for a part of the terms: the library writes “{}”",
            quote(&text[r.clone()]),
            if plural { "artikelen" } else { "artikel" }
        ))
        .label("write “artikel”")
        .hint(
            "Dutch terms consist of artikelen; “clausule” is a translation of the English “clause”",
        );
        at.report("drafting_style", &r, d, diags);
    }
    if !body {
        return;
    }
    for (r, n, unit, loc) in digit_durations(text) {
        let words = locale::count(n, loc);
        let d = Diagnostic::warning(format!(
            "{} is written in digits only",
            quote(&text[r.clone()])
        ))
        .label(format!("write “{words} {unit}”"))
        .hint("write the number in words with the digits in brackets, or use a duration parameter (`{{ module.param }}`) or the `count` filter (`{{ n | count }}`)");
        at.report("drafting_style", &r, d, diags);
    }
    for (r, what) in typed_values(text) {
        let d = Diagnostic::warning(format!(
            "{} is {what} typed into the clause text",
            quote(&text[r.clone()])
        ))
        .label("typed value")
        .hint("give it a parameter (`{{ module.param }}`, type date or money) so that a vendor sets it and diffs and notices name it; a value typed here is the same for every vendor and customer");
        at.report("drafting_style", &r, d, diags);
    }
    for r in lettered_lines(text) {
        let d = Diagnostic::warning(format!(
            "{} starts a hand-lettered list item",
            quote(&text[r.clone()])
        ))
        .label("typed letter")
        .hint("write a Markdown list (`1.`, `2.`, or `-`): the renderer letters it a., b., c. and keeps the letters right when items are added");
        at.report("drafting_style", &r, d, diags);
    }
}

/// Dates ("1 januari 2026", "01-01-2026", "2026-01-01") and amounts ("EUR 5.000", "€ 250",
/// "250,-", "250 euro") written into a clause: values that belong in parameters. Numbers in
/// statute references ("artikel 6:119a") and years on their own are not values.
fn typed_values(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let mut out = Vec::new();
    // Tokens with their byte ranges: runs of letters/digits and the joiners inside numbers.
    let mut toks: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inner = c.is_alphanumeric()
            || (matches!(c, '.' | ',' | '-' | '/')
                && start.is_some()
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit()));
        match (inner || c == '€', start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                toks.push((s, i));
                start = None;
            }
            _ => {}
        }
        if c == '€' {
            toks.push((i, i + c.len_utf8()));
            start = None;
        }
    }
    if let Some(s) = start {
        toks.push((s, text.len()));
    }
    let word = |k: usize| toks.get(k).map(|&(s, e)| &text[s..e]);
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let number = |w: &str| {
        w.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && w.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    };
    for k in 0..toks.len() {
        let w = word(k).unwrap_or_default();
        // "1 januari 2026"
        if digits(w)
            && w.len() <= 2
            && let (Some(m), Some(y)) = (word(k + 1), word(k + 2))
            && locale::is_month(m)
            && digits(y)
            && y.len() == 4
        {
            if !about_law(text, toks[k].0) {
                out.push((toks[k].0..toks[k + 2].1, "a date"));
            }
            continue;
        }
        // "01-01-2026", "1/1/2026", "2026-01-01"
        let parts: Vec<&str> = w.split(['-', '/']).collect();
        if parts.len() == 3
            && parts.iter().all(|p| digits(p))
            && (parts[2].len() == 4 && parts[0].len() <= 2
                || parts[0].len() == 4 && parts[2].len() <= 2)
        {
            out.push((toks[k].0..toks[k].1, "a date"));
            continue;
        }
        // "EUR 5.000", "€ 250"
        if (w == "EUR" || w == "€")
            && let Some(n) = word(k + 1)
            && number(n)
        {
            out.push((toks[k].0..toks[k + 1].1, "an amount"));
            continue;
        }
        // "250,-" and "250 euro"
        if number(w) {
            let after = &text[toks[k].1..];
            if after.starts_with(",-") {
                out.push((toks[k].0..toks[k].1 + 2, "an amount"));
            } else if word(k + 1).is_some_and(|n| n.eq_ignore_ascii_case("euro")) {
                out.push((toks[k].0..toks[k + 1].1, "an amount"));
            }
        }
    }
    out
}

/// Whether the sentence around `at` is about a law ("Tot 25 mei 2018 gold de Wbp"): a date
/// there is legal history, not a value of the contract.
fn about_law(text: &str, at: usize) -> bool {
    let start = text[..at].rfind(['.', '\n', ';']).map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', ';']).map_or(text.len(), |i| at + i);
    const LAW: &[&str] = &[
        "wet",
        "richtlijn",
        "verordening",
        "avg",
        "bw",
        "besluit",
        "wbp",
        "act",
        "regulation",
        "directive",
        "gdpr",
    ];
    text[start..end]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| LAW.contains(&w.to_lowercase().as_str()))
}

/// "30 dagen": (range, number, unit, locale of the unit). Not "dertig (30) dagen", "17.00
/// uur", "1,5 uur", "prioriteit 1 dag en nacht".
fn digit_durations(text: &str) -> Vec<(Range<usize>, u64, &str, Locale)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric())) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (matches!(b[i], b'.' | b',' | b':')
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        let num = &text[start..i];
        let before = text[..start].chars().next_back();
        // "(30) dagen", "17.00 uur", "1,5 uur", "2-3 dagen"'s first number.
        if !num.bytes().all(|c| c.is_ascii_digit())
            || before.is_some_and(|c| matches!(c, '(' | '.' | ',' | ':' | '/' | '€' | '$'))
        {
            continue;
        }
        let prev_word = text[..start]
            .trim_end()
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        if LABEL_WORDS.contains(&prev_word.as_str()) {
            continue;
        }
        let rest = &text[i..];
        let gap = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
        if gap == 0 || gap > 2 {
            continue;
        }
        let (w, wend) = word_at(text, i + gap);
        let Some((unit, loc)) = UNITS.iter().find(|(u, _)| *u == w) else {
            continue;
        };
        let Ok(n) = num.parse::<u64>() else {
            continue;
        };
        out.push((start..wend, n, *unit, *loc));
        i = wend;
    }
    out
}

/// Lines that start with a typed letter: "a. ", "a) ", "(a) ", "(iv) ".
fn lettered_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = &line[indent..];
        let b = rest.as_bytes();
        let marker = if b.first() == Some(&b'(') {
            let len = b[1..].iter().take_while(|c| c.is_ascii_lowercase()).count();
            let word = &rest[1..1 + len];
            let ok = len == 1 || (len <= 4 && word.chars().all(|c| "ivx".contains(c)));
            (ok && b.get(1 + len) == Some(&b')')).then_some(len + 2)
        } else {
            (b.first().is_some_and(u8::is_ascii_lowercase) && matches!(b.get(1), Some(b'.' | b')')))
                .then_some(2)
        };
        if let Some(m) = marker
            && rest[m..].starts_with([' ', '\t'])
        {
            out.push(start + indent..start + indent + m);
        }
        start += line.len();
    }
    out
}

// ---------------------------------------------------------------------------------------
// role_noun

/// Role nouns, with the party name that should stand in their place.
const ROLE_NOUNS: &[(&str, &str)] = &[
    ("opdrachtgever", "customer"),
    ("opdrachtnemer", "vendor"),
    ("leverancier", "vendor"),
    ("afnemer", "customer"),
    ("cliënt", "customer"),
    ("client", "customer"),
    ("wederpartij", "customer"),
];

static ROLES: LazyLock<Pattern> = LazyLock::new(|| {
    let words: Vec<&str> = ROLE_NOUNS.iter().map(|(w, _)| *w).collect();
    Pattern::parse(&format!("{{{}}}", words.join("|"))).expect("roles")
});

/// Words before a role noun that make it some other firm's role ("een nieuwe leverancier").
const INDEFINITE: &[&str] = &[
    "een",
    "geen",
    "elke",
    "iedere",
    "ieder",
    "elk",
    "andere",
    "ander",
    "nieuwe",
    "nieuw",
    "zo'n",
    "welke",
    "derde",
    "externe",
    "alternatieve",
    "eigen",
    "gemiddelde",
    "eventuele",
    "toekomstige",
    "potentiële",
    "desbetreffende",
    "betreffende",
];

fn role_nouns(at: &Place, text: &str, diags: &mut Diagnostics) {
    for r in ROLES.find_all(text) {
        let word = &text[r.clone()];
        let before: Vec<String> = text[..r.start]
            .rsplit(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .take(2)
            .map(str::to_lowercase)
            .collect();
        if before.iter().any(|w| INDEFINITE.contains(&w.as_str())) {
            continue;
        }
        let lower = word.to_lowercase();
        // "Klant: de wederpartij van …" says what the party is; elsewhere the word is a
        // second name for it.
        if lower == "wederpartij" && in_definitions(at) {
            continue;
        }
        if is_defined(at, word) || is_own_party_name(at, word) {
            continue;
        }
        let role = ROLE_NOUNS
            .iter()
            .find(|(w, _)| *w == lower)
            .map_or("customer", |(_, r)| *r);
        let name = if word.chars().next().is_some_and(char::is_uppercase) {
            let mut c = role.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        } else {
            role.to_string()
        };
        let d = Diagnostic::warning(format!(
            "role noun {} instead of the party's name",
            quote(word)
        ))
        .label(format!("write `{{{{ party.{name} }}}}`"))
        .hint(format!(
            "each vendor names the parties its own way (\"de Klant\", \"Afnemer\", its short name); `{{{{ party.{name} }}}}` writes the {role}'s name as this document gives it"
        ));
        at.report("role_noun", &r, d, diags);
    }
}

/// The text is a clause of a definitions module.
fn in_definitions(at: &Place) -> bool {
    at.clause
        .and_then(|c| at.project.library.modules.get(&c.module))
        .is_some_and(|m| m.kind == crate::load::ModuleKind::Definitions)
}

/// The project defines the word as a term ("Afnemer" in a library that names its customer so).
fn is_defined(at: &Place, word: &str) -> bool {
    crate::assemble::template::all_clauses(at.project)
        .iter()
        .any(|c| c.defines.iter().any(|d| d == word))
}

/// The clause is a vendor's own wording and the word is a name that vendor gives a party.
fn is_own_party_name(at: &Place, word: &str) -> bool {
    let Some(c) = at.clause else { return false };
    at.project.vendors.values().any(|v| {
        let own = v.choices.replace.values().any(|(x, _)| x.file == c.file)
            || v.choices.add.iter().any(|(x, _)| x.file == c.file)
            || at
                .project
                .library
                .modules
                .get(&c.module)
                .is_some_and(|m| m.owner.as_deref() == Some(v.id.as_str()));
        own && [Locale::Nl, Locale::En].iter().any(|l| {
            let labels = v.labels(*l);
            [&labels.customer, &labels.vendor, &labels.user]
                .iter()
                .any(|lab| lab.noun.eq_ignore_ascii_case(word))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<&str> {
        references(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn typed_references() {
        assert_eq!(refs("zoals genoemd in artikel 9.1."), vec!["artikel 9.1"]);
        assert_eq!(
            refs("in strijd met artikel 5.b tot en met 5.d van deze Algemene Voorwaarden"),
            vec!["artikel 5.b tot en met 5.d"]
        );
        assert_eq!(refs("zie art. 12 en lid 2"), vec!["art. 12", "lid 2"]);
        assert_eq!(refs("bedoeld in sub b"), vec!["sub b"]);
        assert_eq!(refs("volgens clausule 3"), vec!["clausule 3"]);
        assert_eq!(refs("de onder lid 1. genoemde"), vec!["lid 1"]);
        assert_eq!(
            refs("artikel 9, tweede lid, van de Overeenkomst"),
            vec!["artikel 9, tweede lid"]
        );
        assert_eq!(
            refs("artikel 9 en 10 van de Overeenkomst gelden"),
            vec!["artikel 9 en 10"]
        );
    }

    #[test]
    fn statute_references_are_not_typed_references() {
        for ok in [
            "artikel 6:248 BW",
            "artikel 28 lid 3 AVG",
            "artikel 82 van de AVG",
            "art. 7:408 BW",
            "artikel 28, lid 10, van de AVG bepaalt",
            "de wettelijke handelsrente van artikel 6:119a van het Burgerlijk Wetboek",
            "artikel 11.7 van de Telecommunicatiewet",
            "de artikelen 33 en 34 van de AVG",
            "de artikelen 32 tot en met 36 van de AVG",
            "in de zin van artikel 4, onderdeel 12, van de AVG die",
            "artikel 6 van richtlijn 2011/83/EU",
            "artikel 28 van de Algemene verordening gegevensbescherming",
            "Article 28(3)(a) GDPR",
            "artikel 28, derde lid, van de AVG",
            "artikel 6:236, aanhef en onder b, BW",
            "artikel 7, aanhef en onder b, AVG",
            "artikel 6, lid 1, onder f, AVG",
            "artikel 2 van de Handelsregisterwet 2007",
            "art. 3 van het Weens Koopverdrag",
            "artikel 5 van Verordening (EU) 2016/679",
            "artikel 6:236 sub b BW",
            "in dit artikel; de leden van het bestuur; een subverwerker",
            "artikel {{ ref(\"x\", bare=true) }}",
        ] {
            let masked = blank(ok, &scan::scan(ok).tags);
            assert!(refs(&masked).is_empty(), "{ok}: {:?}", refs(&masked));
        }
    }

    #[test]
    fn digits_before_units() {
        let found: Vec<(String, String)> = digit_durations(
            "binnen 30 dagen, dertig (30) dagen, om 17.00 uur, 1,5 uur, voor prioriteit 1 dag en nacht, 3 maanden",
        )
        .into_iter()
        .map(|(_, n, u, l)| (n.to_string(), locale::count(n, l) + " " + u))
        .collect();
        assert_eq!(
            found,
            vec![
                ("30".into(), "dertig (30) dagen".into()),
                ("3".into(), "drie (3) maanden".into())
            ]
        );
    }

    #[test]
    fn typed_dates_and_amounts() {
        let t = "uiterlijk 1 januari 2026 of 01-02-2026 of 2026-03-01, EUR 5.000 of € 250 of 75,- of 40 euro; \
                 niet artikel 6:119a, niet in 2018, niet dertig (30) dagen, niet {{ x }};\n\
                 niet: tot 25 mei 2018 gold de Wet bescherming persoonsgegevens";
        let found: Vec<&str> = typed_values(t).into_iter().map(|(r, _)| &t[r]).collect();
        assert_eq!(
            found,
            vec![
                "1 januari 2026",
                "01-02-2026",
                "2026-03-01",
                "EUR 5.000",
                "€ 250",
                "75,-",
                "40 euro"
            ]
        );
    }

    #[test]
    fn lettered_lists() {
        let t = "Het volgende:\na. eerst;\nb) dan;\n(c) daarna;\n  (iv) nog;\n1. een echte lijst\na.s. maandag";
        let found: Vec<&str> = lettered_lines(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(found, vec!["a.", "b)", "(c)", "(iv)"]);
    }

    #[test]
    fn placeholders_and_blanks() {
        let t = "Xxxxx aanvaardt; zie xxx://xxx.xx; [naam] en <bedrijfsnaam>, N.N., te … en\nper ___ euro; [link](x) <br> [sic]";
        let found: Vec<&str> = placeholders(t).into_iter().map(|(r, _)| &t[r]).collect();
        assert_eq!(
            found,
            vec![
                "Xxxxx",
                "xxx://xxx.xx",
                "[naam]",
                "<bedrijfsnaam>",
                "N.N.",
                "…",
                "___"
            ]
        );
        for ok in [
            "Handtekening: ______",
            "___",
            "___vet en schuin___",
            "de taxi, XXL, excl. btw",
            "a, b, … en c",
        ] {
            assert!(placeholders(ok).is_empty(), "{ok}");
        }
    }
}
