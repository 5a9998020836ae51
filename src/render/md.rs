//! The Markdown rendering of a whole document, for e-mail and review.

use super::markdown::{TextStyle, escape, to_text};
use crate::assemble::Assembled;

pub fn render(doc: &Assembled) -> String {
    let labels = super::labels(doc.locale);
    let label = |k: &str| labels[k].as_str().unwrap_or_default().to_string();
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
    let version = doc.version.clone().unwrap_or_else(|| label("draft"));
    out.push_str(&format!("{} {}", label("version"), escape(&version)));
    if let Some(e) = super::effective_text(doc) {
        out.push_str(&format!(" · {} {}", label("effective"), e));
    }
    out.push_str("\n\n");
    for a in &doc.articles {
        if doc.numbered {
            out.push_str(&format!(
                "## {} {} {}\n\n",
                label("article"),
                a.number,
                escape(&a.title)
            ));
        } else {
            out.push_str(&format!("## {}\n\n", escape(&a.title)));
        }
        for c in &a.clauses {
            let text = to_text(&c.markdown, TextStyle::Markdown);
            if doc.numbered {
                out.push_str(&format!("**{}** {}\n\n", c.number, text));
            } else {
                out.push_str(&format!("{text}\n\n"));
            }
        }
    }
    if !doc.annexes.is_empty() {
        out.push_str(&format!("## {}\n\n", label("annexes")));
        for (i, x) in doc.annexes.iter().enumerate() {
            out.push_str(&format!(
                "{} {}: {}\n",
                label("annex"),
                i + 1,
                escape(&x.title)
            ));
        }
    }
    out.trim_end().to_string() + "\n"
}
