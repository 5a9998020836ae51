//! A clause file or a YAML project file, as arbitrary bytes: the text hygiene every read goes
//! through, `split_front_matter`, and `yaml::parse` of the front matter and of the whole text.
//!
//! Invariants checked:
//! - hygiene: findings lie inside the text on char boundaries, at most six per file;
//!   `display_copy` keeps the byte length; `escape_for_terminal` leaves no doubted character;
//! - `split_front_matter`: offsets are ordered, on char boundaries, and the two fences are
//!   `---` lines;
//! - `yaml::parse`: every node, key, error and related span lies inside the input, on char
//!   boundaries, with start <= end; children lie inside their collection; nesting stays within
//!   `MAX_DEPTH`; `line_col` works for every offset; scalars keep their text as written; and
//!   the error renders as a diagnostic (codespan panics on a bad span).
#![no_main]

use std::ops::Range;

use clausebook::diagnostics::{Diagnostic, Diagnostics, Sources};
use clausebook::load::library::split_front_matter;
use clausebook::load::text;
use clausebook::load::yaml::{self, Kind, Node};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let src = text::strip_bom(raw.to_string());
    assert!(!src.starts_with('\u{feff}') || raw.starts_with("\u{feff}\u{feff}"));
    hygiene(&src);

    if let Some((start, end, body)) = split_front_matter(&src) {
        assert!(
            start <= end && end <= body && body <= src.len(),
            "{start} {end} {body}"
        );
        for at in [start, end, body] {
            assert!(src.is_char_boundary(at));
        }
        assert_eq!(src[..start].trim_end(), "---");
        let closing = &src[end..body];
        assert_eq!(closing.trim_end(), "---", "{closing:?}");
        // What `Loader::parse_yaml` does: parse the slice; spans are relative to it.
        check_yaml(&src[start..end], Some((&src, start)));
    }
    check_yaml(&src, None);
});

fn hygiene(src: &str) {
    let findings = text::check(src);
    assert!(findings.len() <= 6, "{} findings", findings.len());
    for (span, _) in &findings {
        check_span(src, span);
    }
    let copy = text::display_copy(src);
    assert_eq!(copy.len(), src.len());
    let shown = text::escape_for_terminal(src);
    assert!(
        shown
            .chars()
            .all(|c| c == '\n' || c == '\t' || (c != '\r' && text::classify(c).is_none())),
        "{shown:?}"
    );
}

fn check_span(src: &str, span: &Range<usize>) {
    assert!(span.start <= span.end, "{span:?}");
    assert!(span.end <= src.len(), "{span:?} past {}", src.len());
    assert!(
        src.is_char_boundary(span.start),
        "{span:?} start inside a char"
    );
    assert!(src.is_char_boundary(span.end), "{span:?} end inside a char");
    let (line, col) = yaml::line_col(src, span.start);
    assert!(line >= 1 && col >= 1);
    let (line2, col2) = yaml::line_col(src, span.end);
    assert!((line2, col2) >= (line, col));
}

/// `file` is the whole file and the slice's offset in it, for the front matter.
fn check_yaml(src: &str, file: Option<(&str, usize)>) {
    match yaml::parse(src) {
        Ok(node) => {
            let depth = walk(src, &node, None);
            assert!(depth <= yaml::MAX_DEPTH, "depth {depth}");
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            check_span(src, &e.span);
            if let Some((_, r)) = &e.related {
                check_span(src, r);
            }
            // Render the error as `Loader::parse_yaml` reports it.
            let (whole, shift) = file.unwrap_or((src, 0));
            let mut sources = Sources::default();
            let id = sources.add("x.md", whole.to_string());
            let mut d = Diagnostic::error(format!("invalid YAML: {}", e.message))
                .at(id, e.span.start + shift..e.span.end + shift)
                .maybe_hint(e.hint.clone());
            if let Some((label, r)) = e.related {
                d = d.related(id, r.start + shift..r.end + shift, label);
            }
            let mut diags = Diagnostics::default();
            diags.push(d);
            let out = diags.render_plain(&sources);
            assert!(out.contains("invalid YAML"));
        }
    }
}

/// Checks a node and its children; returns the collection depth (a scalar is 0).
fn walk(src: &str, node: &Node, parent: Option<&Range<usize>>) -> usize {
    check_span(src, &node.span);
    if let Some(p) = parent {
        assert!(
            p.start <= node.span.start && node.span.end <= p.end,
            "child {:?} outside parent {p:?}",
            node.span
        );
    }
    match &node.kind {
        Kind::Seq(items) => {
            1 + items
                .iter()
                .map(|n| walk(src, n, Some(&node.span)))
                .max()
                .unwrap_or(0)
        }
        Kind::Map(entries) => {
            let mut names = std::collections::HashSet::new();
            let mut deepest = 0;
            for (k, v) in entries {
                check_span(src, &k.span);
                assert!(!k.name.is_empty());
                assert!(names.insert(k.name.as_str()), "duplicate key {:?}", k.name);
                assert!(
                    node.span.start <= k.span.start && k.span.end <= node.span.end,
                    "key {:?} outside mapping {:?}",
                    k.span,
                    node.span
                );
                deepest = deepest.max(walk(src, v, Some(&node.span)));
            }
            1 + deepest
        }
        Kind::Str(_) => {
            assert!(node.plain.is_none());
            0
        }
        Kind::Null | Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) => {
            let plain = node.plain.as_deref();
            if let Kind::Float(s) = &node.kind {
                assert_eq!(Some(s.as_str()), plain);
            }
            if let Kind::Int(_) = &node.kind {
                assert!(plain.is_some());
            }
            0
        }
    }
}
