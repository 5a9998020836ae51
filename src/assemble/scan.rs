//! A static look at a clause body: which `module.param` names and `ref()` targets its Tera
//! tags mention, and where. Rendering finds unknown names only on the branch it takes; this
//! finds them on every branch, and tells diffs which clauses a parameter affects.

use std::ops::Range;

/// A dotted name inside a Tera tag, e.g. `liability.cap_amount`, with its span in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub head: String,
    pub field: String,
    /// A third segment, as in `raw.payment.method`.
    pub next: Option<String>,
    pub span: Range<usize>,
}

impl Mention {
    /// The parameter this names, as (module, name): `module.name` or `raw.module.name`.
    pub fn param(&self) -> Option<(&str, &str)> {
        if self.head == "raw" {
            Some((self.field.as_str(), self.next.as_deref()?))
        } else {
            Some((self.head.as_str(), self.field.as_str()))
        }
    }
}

#[derive(Debug, Default)]
pub struct Scan {
    pub mentions: Vec<Mention>,
    pub refs: Vec<(String, Range<usize>)>,
    /// Byte ranges of `{{ }}`, `{% %}` and `{# #}` tags, for lints that must skip them.
    pub tags: Vec<Range<usize>>,
}

pub fn scan(body: &str) -> Scan {
    let mut out = Scan::default();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let close = match &bytes[i..i + 2] {
            b"{{" => "}}",
            b"{%" => "%}",
            b"{#" => "#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let end = body[i + 2..]
            .find(close)
            .map(|e| i + 2 + e + 2)
            .unwrap_or(body.len());
        out.tags.push(i..end);
        if close != "#}" {
            scan_expr(body, i + 2, end.saturating_sub(2).max(i + 2), &mut out);
        }
        i = end;
    }
    out
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn scan_expr(body: &str, start: usize, end: usize, out: &mut Scan) {
    let b = body.as_bytes();
    let mut i = start;
    while i < end {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            let close = body[i + 1..end]
                .find(c as char)
                .map(|e| i + 1 + e)
                .unwrap_or(end);
            // A string right after `ref(` or `ref(id=` is a reference target.
            let before = body[start..i].trim_end();
            let before = before
                .strip_suffix('=')
                .map(str::trim_end)
                .and_then(|s| s.strip_suffix("id"))
                .unwrap_or(before);
            if before.trim_end().ends_with("ref(") {
                out.refs
                    .push((body[i + 1..close].to_string(), i + 1..close));
            }
            i = close + 1;
            continue;
        }
        if is_ident_start(c) && (i == 0 || !is_ident(b[i - 1]) && b[i - 1] != b'.') {
            let s = i;
            while i < end && is_ident(b[i]) {
                i += 1;
            }
            let head = &body[s..i];
            if i + 1 < end && b[i] == b'.' && is_ident_start(b[i + 1]) {
                let f = i + 1;
                let mut j = f;
                while j < end && is_ident(b[j]) {
                    j += 1;
                }
                let field = body[f..j].to_string();
                let mut next = None;
                if j + 1 < end && b[j] == b'.' && is_ident_start(b[j + 1]) {
                    let n = j + 1;
                    let mut k = n;
                    while k < end && is_ident(b[k]) {
                        k += 1;
                    }
                    next = Some(body[n..k].to_string());
                    j = k;
                }
                out.mentions.push(Mention {
                    head: head.to_string(),
                    field,
                    next,
                    span: s..j,
                });
                i = j;
            }
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_params_and_refs() {
        let body = "De limiet is {{ liability.cap_amount }}, zie {{ ref(\"sla.credits\") }}.\n{% if escrow.enabled and x %}y{% endif %} {{ \"a.b\" }}";
        let s = scan(body);
        let names: Vec<String> = s
            .mentions
            .iter()
            .map(|m| format!("{}.{}", m.head, m.field))
            .collect();
        assert_eq!(names, vec!["liability.cap_amount", "escrow.enabled"]);
        assert_eq!(s.refs[0].0, "sla.credits");
        assert_eq!(&body[s.refs[0].1.clone()], "sla.credits");
        assert_eq!(s.tags.len(), 5);
    }

    #[test]
    fn keyword_ref_form() {
        let s = scan("{{ ref(id='a.b', bare=true) }}");
        assert_eq!(s.refs[0].0, "a.b");
    }
}
