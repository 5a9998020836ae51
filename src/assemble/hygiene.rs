//! Checks of a clause body's form, before anything is rendered: Tera tags a clause may not use
//! (see `sandbox`), raw HTML, and Markdown nested deeper than a contract needs.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::sandbox;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId};

/// Lists and block quotes inside each other, at most. Contracts go three deep (10.2 a. i.);
/// thousands of levels only exhaust the renderers' recursion.
pub const MAX_NESTING: usize = 8;

/// Report problems in `body` (which starts at `offset` in `file`); false if it must not be
/// rendered.
pub fn check(
    file: FileId,
    offset: usize,
    body: &str,
    tags: &[Range<usize>],
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    let at = |r: &Range<usize>| offset + r.start..offset + r.end;
    for (word, r) in sandbox::forbidden_tags(body, tags) {
        ok = false;
        diags.push(
            Diagnostic::error(format!("`{{% {word} %}}` cannot be used in a clause"))
                .at(file, at(&r))
                .label("not available in clause bodies")
                .hint("a clause may use `if`/`elif`/`else`, `for` over values, `raw` and `filter`; values come from parameters"),
        );
    }
    // Markdown is judged with the Tera tags blanked out (same byte positions), so `a < b` in
    // a condition is not taken for HTML.
    let mut md = body.as_bytes().to_vec();
    for r in tags {
        for b in &mut md[r.clone()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    let md = String::from_utf8_lossy(&md);
    let mut depth = 0usize;
    // Each line of an HTML block is an event of its own; one report per block is enough.
    let mut block_reported = false;
    for (ev, r) in Parser::new(&md).into_offset_iter() {
        let is_block = matches!(ev, Event::Html(_));
        match ev {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > MAX_NESTING {
                    diags.push(
                        Diagnostic::error(format!(
                            "lists or quotes nested more than {MAX_NESTING} levels deep"
                        ))
                        .at(file, offset + r.start..offset + r.start)
                        .label("too deep")
                        .hint("split the clause, or flatten the list: contracts rarely need more than three levels"),
                    );
                    return false;
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::HtmlBlock) => block_reported = false,
            Event::Html(t) | Event::InlineHtml(t) => {
                if t.trim_start().starts_with("</") || (is_block && block_reported) {
                    continue;
                }
                block_reported = is_block;
                ok = false;
                let first_line = t.lines().next().unwrap_or_default().trim().to_string();
                let end = r.start + t.find('\n').unwrap_or(t.len()).min(r.len());
                diags.push(
                    Diagnostic::error(format!("raw HTML `{first_line}` in a clause"))
                        .at(file, offset + r.start..offset + end)
                        .label("HTML is not passed through")
                        .hint("write Markdown: `**vet**` for bold, `*schuin*` for italics, `{# ... #}` for a comment; `\\<b>` shows a tag as text"),
                );
            }
            _ => {}
        }
    }
    ok
}

/// A `when:` is one expression, placed inside `{% if ... %}`: a tag delimiter in it would
/// close that tag and open others, past every check of the body.
pub fn check_when(file: FileId, span: Range<usize>, expr: &str, diags: &mut Diagnostics) -> bool {
    let delimiters = ["{%", "%}", "{{", "}}", "{#", "#}"];
    match delimiters.iter().find(|d| expr.contains(*d)) {
        None => true,
        Some(d) => {
            diags.push(
                Diagnostic::error(format!("`{d}` in a `when` condition"))
                    .at(file, span)
                    .label("a condition is one expression")
                    .hint("write the condition without tags, e.g. `when: escrow.enabled`"),
            );
            false
        }
    }
}
