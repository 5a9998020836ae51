//! `enum_literal`: comparisons in conditions that can never be true.
//!
//! `raw.payment.method == "direct_debet"` is false for every vendor: the value is spelled
//! `direct_debit`. Tera compares without complaint, so a misspelt value silently drops a
//! clause or a branch. Read statically from every `{% %}` and `{{ }}` tag of a clause body and
//! from its `when:` condition, like the assembler's own scan of names.

use std::ops::Range;

use super::finding;
use crate::assemble::scan::Scan;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};
use crate::load::{Clause, Project};
use crate::params::{ParamSpec, ParamType};

pub fn clause(project: &Project, c: &Clause, s: &Scan, diags: &mut Diagnostics) {
    for tag in &s.tags {
        let t = &c.body[tag.clone()];
        if t.starts_with("{#") || t.len() < 4 {
            continue;
        }
        let inner = tag.start + 2..tag.end.saturating_sub(2).max(tag.start + 2);
        let offset = c.body_offset + inner.start;
        check_expr(
            project,
            c,
            c.file,
            &|r| offset + r.start..offset + r.end,
            &c.body[inner],
            diags,
        );
    }
    if let Some(w) = &c.when {
        // As the assembler maps a condition, offsets in the expression are offsets in the
        // YAML value after its opening quote; here escapes in a quoted value are followed too.
        let src = project.sources.text(w.file);
        let quote = match src.as_bytes().get(w.span.start) {
            Some(b'"') => Some('"'),
            Some(b'\'') => Some('\''),
            _ => None,
        };
        let start = w.span.start + usize::from(quote.is_some());
        let map = |r: Range<usize>| {
            source_offset(src, start, quote, &w.expr, r.start)
                ..source_offset(src, start, quote, &w.expr, r.end)
        };
        check_expr(project, c, w.file, &map, &w.expr, diags);
    }
}

/// The offset in the file of byte `at` of `expr`, the value of a YAML scalar whose text
/// starts at `start`: `\"` in a double-quoted scalar and `''` in a single-quoted one are one
/// character of the value but two of the source.
fn source_offset(src: &str, start: usize, quote: Option<char>, expr: &str, at: usize) -> usize {
    let mut s = start;
    for (i, ch) in expr.char_indices() {
        if i >= at {
            break;
        }
        let rest = src.get(s..).unwrap_or("");
        let escaped = match quote {
            Some('"') => rest.starts_with('\\'),
            Some('\'') => rest.starts_with("''"),
            _ => false,
        };
        s += usize::from(escaped) + ch.len_utf8();
    }
    s
}

#[derive(Debug, PartialEq)]
enum Tok<'a> {
    /// A dotted name: `raw.payment.method`.
    Path(&'a str),
    /// A string literal, quotes included in the span, without them in the value.
    Str(&'a str),
    Op(&'a str),
    Other,
}

fn tokens(e: &str) -> Vec<(Tok<'_>, Range<usize>)> {
    let b = e.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'"' || c == b'\'' {
            let end = e[i + 1..].find(c as char).map_or(e.len(), |p| i + 1 + p);
            out.push((Tok::Str(&e[i + 1..end]), i..(end + 1).min(e.len())));
            i = end + 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let path = e[s..i].trim_end_matches('.');
            out.push((Tok::Path(path), s..s + path.len()));
        } else if e[i..].starts_with("==") || e[i..].starts_with("!=") {
            out.push((Tok::Op(&e[i..i + 2]), i..i + 2));
            i += 2;
        } else {
            out.push((Tok::Other, i..i + 1));
            i += e[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

fn check_expr(
    project: &Project,
    c: &Clause,
    file: FileId,
    map: &dyn Fn(Range<usize>) -> Range<usize>,
    expr: &str,
    diags: &mut Diagnostics,
) {
    let toks = tokens(expr);
    for (i, (t, _)) in toks.iter().enumerate() {
        // `path == "x"` and `"x" == path`.
        let Tok::Op(op) = t else { continue };
        let pair = match (i.checked_sub(1).map(|j| &toks[j]), toks.get(i + 1)) {
            (Some((Tok::Path(p), _)), Some((Tok::Str(s), r))) => Some((*p, *s, r)),
            (Some((Tok::Str(s), r)), Some((Tok::Path(p), _))) => Some((*p, *s, r)),
            _ => None,
        };
        if let Some((path, lit, r)) = pair {
            let span = map(r.clone());
            if let Some(d) = judge(project, path, op, lit) {
                diags.extend_opt(finding(project, Some(c), "enum_literal", d.at(file, span)));
            }
        }
    }
    // `raw.m.p in ["a", "b"]`
    for (i, (t, _)) in toks.iter().enumerate() {
        let Tok::Path(p) = t else { continue };
        if !matches!(toks.get(i + 1), Some((Tok::Path("in"), _))) {
            continue;
        }
        let mut j = i + 2;
        if !matches!(toks.get(j), Some((Tok::Other, r)) if &expr[r.clone()] == "[") {
            continue;
        }
        j += 1;
        while let Some((tok, r)) = toks.get(j) {
            match tok {
                Tok::Str(lit) => {
                    let span = map(r.clone());
                    if let Some(d) = judge(project, p, "==", lit) {
                        diags.extend_opt(finding(
                            project,
                            Some(c),
                            "enum_literal",
                            d.at(file, span),
                        ));
                    }
                }
                Tok::Other if &expr[r.clone()] == "," => {}
                _ => break,
            }
            j += 1;
        }
    }
}

/// What is wrong with comparing `path` to the string `lit`, if it can never be true.
fn judge(project: &Project, path: &str, op: &str, lit: &str) -> Option<Diagnostic> {
    let parts: Vec<&str> = path.split('.').collect();
    let (raw, spec) = match parts.as_slice() {
        ["raw", m, p] => (true, project.library.schema.get(m, p)?),
        [m, p] if !matches!(*m, "vendor" | "customer" | "document" | "party" | "loop") => {
            (false, project.library.schema.get(m, p)?)
        }
        _ => return None,
    };
    let never = if op == "==" {
        "is never true"
    } else {
        "is always true"
    };
    let key = &spec.key;
    match spec.ty {
        ParamType::Enum if raw => {
            if spec.values.contains_key(lit) {
                return None;
            }
            let values: Vec<&str> = spec.values.keys().map(String::as_str).collect();
            let label_of = spec
                .values
                .iter()
                .find(|(_, l)| l.as_str() == lit)
                .map(|(v, _)| v.as_str());
            Some(
                Diagnostic::error(format!(
                    "`{path} {op} \"{lit}\"` {never}: \"{lit}\" is not a value of `{key}`"
                ))
                .label("not one of the declared values")
                .maybe_hint(match label_of {
                    Some(v) => Some(format!(
                        "\"{lit}\" is the label the document shows; the value is `{v}`"
                    )),
                    None => did_you_mean(lit, values.iter().copied()),
                })
                .hint(format!("values of `{key}`: {}", values.join(", ")))
                .related(spec.file, spec.span.clone(), "declared here"),
            )
        }
        ParamType::Enum => {
            // The formatted value is the label; a literal that is no label never matches.
            if spec.values.values().any(|l| l == lit) {
                return None;
            }
            let suggestion = if spec.values.contains_key(lit) {
                format!("compare the value: `raw.{key} {op} \"{lit}\"`")
            } else {
                format!(
                    "compare the value, `raw.{key} {op} \"...\"`, with one of: {}",
                    spec.values.keys().cloned().collect::<Vec<_>>().join(", ")
                )
            };
            Some(
                Diagnostic::error(format!(
                    "`{path} {op} \"{lit}\"` {never}: `{path}` is the text the document shows (the value's label), not the value"
                ))
                .label("compared with the label")
                .hint(suggestion)
                .related(spec.file, spec.span.clone(), "declared here"),
            )
        }
        ParamType::Bool => Some(
            Diagnostic::error(format!(
                "`{path} {op} \"{lit}\"` {never}: `{key}` is yes/no, not text"
            ))
            .label("a string compared with a boolean")
            .hint(format!(
                "test it as a condition: `{{% if raw.{key} %}}` or `{{% if not raw.{key} %}}` (`when: raw.{key}`)"
            ))
            .related(spec.file, spec.span.clone(), "declared here"),
        ),
        ParamType::Integer => number(path, op, lit, never, spec),
        ParamType::Decimal | ParamType::Percent if raw => number(path, op, lit, never, spec),
        ParamType::Decimal | ParamType::Percent | ParamType::Money | ParamType::Duration | ParamType::Date if !raw => Some(
            Diagnostic::error(format!(
                "`{path} {op} \"{lit}\"` {never}: `{path}` is the text the document shows (\"99,9%\", \"EUR 25.000,-\", \"veertien (14) dagen\"), which depends on the locale and the vendor's style"
            ))
            .label("compared with formatted text")
            .hint(format!("compare the machine value: `raw.{key}`"))
            .related(spec.file, spec.span.clone(), "declared here"),
        ),
        ParamType::Money | ParamType::Duration if raw => Some(
            Diagnostic::error(format!(
                "`{path} {op} \"{lit}\"` {never}: `raw.{key}` is an amount with a {}, not text",
                if spec.ty == ParamType::Money { "currency" } else { "unit" }
            ))
            .label("a string compared with an amount")
            .hint(format!("compare its amount: `raw.{key}.amount {op} ...`"))
            .related(spec.file, spec.span.clone(), "declared here"),
        ),
        _ => None,
    }
}

fn number(path: &str, op: &str, lit: &str, never: &str, spec: &ParamSpec) -> Option<Diagnostic> {
    let key = &spec.key;
    Some(
        Diagnostic::error(format!(
            "`{path} {op} \"{lit}\"` {never}: `{key}` is a number, not text"
        ))
        .label("a string compared with a number")
        .hint(format!(
            "compare numbers: `raw.{key} {op} {}`",
            lit.trim().trim_end_matches('%').replace(',', ".")
        ))
        .related(spec.file, spec.span.clone(), "declared here"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_comparisons() {
        let t = tokens(r#"raw.a.b == "x" and "y" != c.d or e.f in ["g", 'h']"#);
        let kinds: Vec<&Tok> = t.iter().map(|(k, _)| k).collect();
        assert_eq!(kinds[0], &Tok::Path("raw.a.b"));
        assert_eq!(kinds[1], &Tok::Op("=="));
        assert_eq!(kinds[2], &Tok::Str("x"));
        assert_eq!(t[2].1, 11..14);
        assert_eq!(kinds[4], &Tok::Str("y"));
        assert_eq!(kinds[6], &Tok::Path("c.d"));
        assert!(kinds.contains(&&Tok::Str("h")));
    }
}
