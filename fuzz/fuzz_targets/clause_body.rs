//! A clause body (Markdown, after templating) through every renderer that does not run Typst:
//! `render::markdown::to_html`, `to_text` in its three styles, and the PDF's data conversion
//! `render::pdf::data::blocks`; and the input as a parameter value through
//! `render::markdown::escape_into`, the escape function of every value a clause inserts.
//!
//! Invariants checked:
//! - HTML: only the tags the Markdown rules produce (no raw HTML, no `<img>`, no `<h1>`);
//!   every `href` is http, https, mailto or an in-document `#` target (or has no scheme);
//! - PDF data: links are http, https or mailto; references are labels of known targets;
//!   the data serialises to JSON;
//! - `escape_into`: an escaped value never becomes markup, at the start of a line, inside one
//!   or at its end, and reads back as the same text (line breaks as spaces).
#![no_main]

use std::collections::HashMap;

use clausebook::diagnostics::Severity;
use clausebook::load::text;
use clausebook::render::markdown::{TextStyle, escape_into, to_html, to_text};
use clausebook::render::pdf::data::{Block, Inline, blocks};
use clausebook::render::pdf::typst_string;
use libfuzzer_sys::fuzz_target;

/// Tags `to_html` may write: those of pulldown-cmark's HTML writer for the enabled
/// features, with headings turned into `<p class="subhead">`.
const TAGS: &[&str] = &[
    "p",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "a",
    "ol",
    "ul",
    "li",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    // A table's scrolling wrapper and the no-wrap span of a column of short cells.
    "div",
    "span",
];

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    let html = to_html(md);
    check_html(&html, TAGS, md);
    for style in [TextStyle::Plain, TextStyle::Markdown, TextStyle::RefIds] {
        let text = to_text(md, style);
        assert_eq!(text.trim_end(), text);
    }
    let targets: HashMap<&str, String> = [
        ("liability", "article:liability".to_string()),
        ("liability.cap", "clause:liability.cap".to_string()),
    ]
    .into_iter()
    .collect();
    let data = blocks(md, &targets);
    for b in &data {
        check_block(b, &targets);
    }
    serde_json::to_string(&data).expect("blocks serialise");
    let quoted = typst_string(md);
    assert!(quoted.len() >= 2 && quoted.starts_with('"') && quoted.ends_with('"'));
    assert!(!quoted.contains('\n'));

    escaped(md);
});

/// The input as a parameter value inserted into a clause.
fn escaped(value: &str) {
    // Values come from files that passed text hygiene, which refuses control characters
    // (pulldown-cmark reads a form feed as a blank, and may keep a NUL).
    if value
        .chars()
        .any(|c| matches!(text::classify(c), Some((Severity::Error, _))))
    {
        return;
    }
    let mut out = Vec::new();
    escape_into(value, &mut out).expect("writes to a Vec");
    let e = String::from_utf8(out).expect("UTF-8");
    // At the start of a line (`{{ vendor.name }} levert ...`), inside one, and at its end.
    check_html(&to_html(&e), &["p"], value);
    let inside = format!("Zie {e} hier.");
    check_html(&to_html(&inside), &["p"], value);
    check_html(&to_html(&format!("Zie {e}\nhier.")), &["p"], value);
    // The reader sees the value as it was written, line breaks as spaces.
    let expected: String = value
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    assert_eq!(
        to_text(&inside, TextStyle::Plain),
        format!("Zie {expected} hier."),
        "value {value:?} escaped as {e:?}"
    );
}

fn check_html(html: &str, allowed: &[&str], md: &str) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {html:?}"));
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(
            allowed.contains(&name.as_str()),
            "tag <{tag}> from {md:?}: {html:?}"
        );
        for (attr, value) in attributes(&tag[name.len() + usize::from(tag.starts_with('/'))..]) {
            if attr == "href" {
                check_href(value, md);
            }
        }
        rest = &rest[end + 1..];
    }
}

/// `name="value"` pairs of a tag (the writer quotes every value and escapes `"` inside).
fn attributes(mut s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches([' ', '/']);
        let Some(eq) = s.find('=') else { break };
        let name = &s[..eq];
        assert!(!name.contains(' '), "attribute without a value in {s:?}");
        let value = s[eq + 1..]
            .strip_prefix('"')
            .expect("quoted attribute value");
        let close = value.find('"').expect("closed attribute value");
        out.push((name, &value[..close]));
        s = &value[close + 1..];
    }
    out
}

fn check_href(href: &str, md: &str) {
    // A scheme is a letter, then letters, digits, `+`, `-` and `.`, then `:`. Anything else
    // before the first `:` makes the URL relative, which is harmless.
    let Some(colon) = href.find(':') else { return };
    let scheme = &href[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if is_scheme && !href.starts_with('#') {
        let lower = scheme.to_ascii_lowercase();
        assert!(
            ["http", "https", "mailto"].contains(&lower.as_str()),
            "href {href:?} from {md:?}"
        );
    }
}

fn check_inlines(inlines: &[Inline], targets: &HashMap<&str, String>) {
    for i in inlines {
        if let Some(link) = &i.link {
            let lower = link.trim().to_ascii_lowercase();
            assert!(
                ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| lower.starts_with(p)),
                "link {link:?}"
            );
            assert!(i.reference.is_none());
        }
        if let Some(r) = &i.reference {
            assert!(targets.values().any(|t| t == r), "reference {r:?}");
        }
        if i.line_break {
            assert!(i.text.is_empty());
        }
    }
}

fn check_block(b: &Block, targets: &HashMap<&str, String>) {
    match b {
        Block::Paragraph { content } | Block::Heading { content } => {
            check_inlines(content, targets)
        }
        Block::List { items, .. } => items.iter().flatten().for_each(|b| check_block(b, targets)),
        Block::Quote { blocks } => blocks.iter().for_each(|b| check_block(b, targets)),
        Block::Code { .. } | Block::Rule => {}
        Block::Table { header, rows, .. } => {
            header.iter().for_each(|c| check_inlines(c, targets));
            rows.iter()
                .flatten()
                .for_each(|c| check_inlines(c, targets));
        }
    }
}
