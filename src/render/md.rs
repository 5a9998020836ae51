//! The Markdown rendering of a whole document, for e-mail and review.

use super::markdown::{TextStyle, escape, to_text};
use crate::assemble::Assembled;
use crate::assemble::model::DocKind;

pub fn render(doc: &Assembled) -> String {
    let labels = super::labels(doc.locale);
    let label = |k: &str| labels[k].as_str().unwrap_or_default().to_string();
    let contract = doc.kind == DocKind::Contract;
    let mut out = format!("# {}\n\n", escape(&doc.title));
    if let Some(s) = &doc.subtitle {
        out.push_str(&format!("{}\n\n", escape(s)));
    }
    out.push_str(&format!("**{}**", escape(doc.vendor.name())));
    if let Some(c) = &doc.customer {
        out.push_str(&format!(
            " — {} {}",
            label("for_customer"),
            escape(c.name())
        ));
    }
    out.push_str("  \n");
    meta(&mut out, doc, &label);
    let parties = super::parties(doc);
    if contract {
        out.push_str(&format!("{}\n\n", label("undersigned")));
        for (i, p) in parties.iter().enumerate() {
            let mut line = format!("{}. **{}**", i + 1, escape(&p.name));
            for a in &p.address {
                line.push_str(&format!(", {}", escape(a)));
            }
            if let Some(k) = &p.kvk {
                line.push_str(&format!(", {} {}", label("kvk"), escape(k)));
            }
            if let Some(r) = &p.representative {
                line.push_str(&format!(", {} {}", label("represented_by"), escape(r)));
                if let Some(role) = &p.representative_role {
                    line.push_str(&format!(" ({})", escape(role)));
                }
            }
            line.push_str(&format!(
                ", {}: **{}**;\n",
                label("hereinafter"),
                escape(&p.role)
            ));
            out.push_str(&line);
        }
        out.push_str(&format!("\n{}\n\n", label("agree")));
    } else {
        for p in &parties {
            let mut line = format!("{}: **{}**", escape(&p.role), escape(&p.name));
            for a in &p.address {
                line.push_str(&format!(", {}", escape(a)));
            }
            if let Some(k) = &p.kvk {
                line.push_str(&format!(", {} {}", label("kvk"), escape(k)));
            }
            out.push_str(&line);
            out.push_str("  \n");
        }
        out.push('\n');
    }
    body(&mut out, doc, &label, 2);
    if contract {
        out.push_str(&format!("## {}\n\n", label("negotiated")));
        if doc.negotiated.is_empty() {
            out.push_str(&format!("{}\n\n", label("negotiated_none")));
        } else {
            out.push_str(&format!(
                "| {} | {} | {} |\n|---|---|---|\n",
                label("item"),
                label("agreed"),
                label("standard")
            ));
            for n in &doc.negotiated {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    cell(&n.label),
                    cell(&n.value),
                    n.standard.as_deref().map_or("–".to_string(), cell)
                ));
            }
            out.push('\n');
        }
    }
    if doc.signature {
        out.push_str(&format!("## {}\n\n", label("signatures")));
        for p in &parties {
            out.push_str(&format!(
                "**{} {}** ({})\n\n",
                label("signed_for"),
                escape(&p.role),
                escape(&p.name)
            ));
            let given = |v: &Option<String>| v.as_deref().map(escape).unwrap_or_default();
            for (k, v) in [
                ("name", given(&p.representative)),
                ("capacity", given(&p.representative_role)),
                ("place", String::new()),
                ("date", String::new()),
                ("signature", String::new()),
            ] {
                let v = if v.is_empty() {
                    "____________________".into()
                } else {
                    v
                };
                out.push_str(&format!("{}: {}  \n", label(k), v));
            }
            out.push('\n');
        }
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        out.push_str(&format!(
            "---\n\n# {} {}: {}\n\n",
            label("annex"),
            i + 1,
            escape(&a.title)
        ));
        if let Some(s) = &a.subtitle {
            out.push_str(&format!("{}\n\n", escape(s)));
        }
        meta(&mut out, a, &label);
        body(&mut out, a, &label, 2);
    }
    out.trim_end().to_string() + "\n"
}

fn meta(out: &mut String, doc: &Assembled, label: &dyn Fn(&str) -> String) {
    let version = doc.version.clone().unwrap_or_else(|| label("draft"));
    out.push_str(&format!("{} {}", label("version"), escape(&version)));
    if let Some(e) = super::effective_text(doc) {
        out.push_str(&format!(" · {} {}", label("effective"), e));
    }
    out.push_str("\n\n");
}

/// A table cell: Markdown-escaped, and a `|` escaped too.
fn cell(s: &str) -> String {
    escape(s).replace('|', "\\|")
}

fn body(out: &mut String, doc: &Assembled, label: &dyn Fn(&str) -> String, level: usize) {
    let hashes = "#".repeat(level);
    for a in &doc.articles {
        if doc.numbered {
            out.push_str(&format!(
                "{hashes} {} {} {}\n\n",
                label("article"),
                a.number,
                escape(&a.title)
            ));
        } else {
            out.push_str(&format!("{hashes} {}\n\n", escape(&a.title)));
        }
        for c in &a.clauses {
            let text = to_text(&c.markdown, TextStyle::Markdown);
            // Text escapes `|`, so a leading one opens a table: it must start its own line.
            if doc.numbered && text.starts_with('|') {
                out.push_str(&format!("**{}**\n\n{}\n\n", c.number, text));
            } else if doc.numbered {
                out.push_str(&format!("**{}** {}\n\n", c.number, text));
            } else {
                out.push_str(&format!("{text}\n\n"));
            }
        }
    }
    if !doc.annexes.is_empty() {
        out.push_str(&format!("{hashes} {}\n\n", label("annexes")));
        for x in &doc.annexes {
            out.push_str(&format!(
                "{} {}: {}  \n",
                label("annex"),
                x.number,
                escape(&x.title)
            ));
        }
        out.push('\n');
    }
}
