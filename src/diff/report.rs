//! Writing a [`DocDiff`]: text (coloured on a terminal, `[-deleted-]{+inserted+}` otherwise),
//! JSON, and a self-contained HTML page whose redline survives black-and-white printing
//! (deletions struck through, insertions underlined and bold).

use super::redline::{Op, Segment};
use super::{ClauseChange, ClauseDiff, DocDiff};
use crate::params::Locale;

/// The words a report needs, per locale.
pub struct Words {
    pub changes_in: &'static str,
    pub edition: &'static str,
    pub effective: &'static str,
    pub working: &'static str,
    pub parameters: &'static str,
    pub article: &'static str,
    pub was: &'static str,
    pub no_changes: &'static str,
    pub summary: &'static str,
}

pub fn words(locale: Locale) -> Words {
    match locale {
        Locale::Nl => Words {
            changes_in: "Wijzigingen in",
            edition: "editie",
            effective: "ingangsdatum",
            working: "werkversie",
            parameters: "Gewijzigde waarden",
            article: "Artikel",
            was: "was",
            no_changes: "Geen wijzigingen.",
            summary: "Samenvatting",
        },
        Locale::En => Words {
            changes_in: "Changes to",
            edition: "edition",
            effective: "effective",
            working: "working copy",
            parameters: "Changed values",
            article: "Clause",
            was: "was",
            no_changes: "No changes.",
            summary: "Summary",
        },
    }
}

/// How a clause change is described to a reader.
pub fn describe(change: ClauseChange, locale: Locale) -> &'static str {
    let nl = locale == Locale::Nl;
    match (change, nl) {
        (ClauseChange::Added, true) => "nieuw",
        (ClauseChange::Removed, true) => "vervallen",
        (ClauseChange::Reworded, true) => "tekst gewijzigd",
        (ClauseChange::ParameterChanged, true) => "aangepast aan een gewijzigde waarde",
        (ClauseChange::ReferencesRenumbered, true) => "alleen verwijzing vernummerd",
        (ClauseChange::Moved, true) => "verplaatst",
        (ClauseChange::Renumbered, true) => "vernummerd",
        (ClauseChange::Unchanged, true) => "ongewijzigd",
        (ClauseChange::Added, false) => "new",
        (ClauseChange::Removed, false) => "removed",
        (ClauseChange::Reworded, false) => "reworded",
        (ClauseChange::ParameterChanged, false) => "adjusted to a changed value",
        (ClauseChange::ReferencesRenumbered, false) => "cross-reference renumbered only",
        (ClauseChange::Moved, false) => "moved",
        (ClauseChange::Renumbered, false) => "renumbered",
        (ClauseChange::Unchanged, false) => "unchanged",
    }
}

fn side(w: &Words, s: &super::Side, locale: Locale) -> String {
    let name = s.edition.clone().unwrap_or_else(|| w.working.to_string());
    match s.effective {
        Some(d) => format!(
            "{} {name} ({} {})",
            w.edition,
            w.effective,
            crate::params::locale::date(d, locale)
        ),
        None => format!("{} {name}", w.edition),
    }
}

/// "10.2" / "10.2, was 9.3" / "was 9.3".
pub fn number_label(c: &ClauseDiff, w: &Words) -> String {
    match (&c.old_number, &c.new_number) {
        (Some(o), Some(n)) if o != n => format!("{n} ({} {o})", w.was),
        (_, Some(n)) => n.clone(),
        (Some(o), None) => o.clone(),
        (None, None) => String::new(),
    }
}

pub fn summary_line(d: &DocDiff) -> String {
    let s = &d.summary;
    let nl = d.locale == Locale::Nl;
    let parts: Vec<(usize, &str)> = if nl {
        vec![
            (s.added, "nieuw"),
            (s.removed, "vervallen"),
            (s.reworded, "tekst gewijzigd"),
            (s.parameter_changed, "door waarde gewijzigd"),
            (s.references_renumbered, "alleen verwijzing vernummerd"),
            (s.moved, "verplaatst"),
            (s.renumbered, "vernummerd"),
            (s.parameters, "waarde(n) gewijzigd"),
        ]
    } else {
        vec![
            (s.added, "added"),
            (s.removed, "removed"),
            (s.reworded, "reworded"),
            (s.parameter_changed, "changed by a value"),
            (s.references_renumbered, "cross-reference renumbered only"),
            (s.moved, "moved"),
            (s.renumbered, "renumbered"),
            (s.parameters, "value(s) changed"),
        ]
    };
    parts
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, l)| format!("{n} {l}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn redline_text(segs: &[Segment], color: bool) -> String {
    let mut out = String::new();
    for s in segs {
        match (&s.op, color) {
            (Op::Equal, _) => out.push_str(&s.text),
            (Op::Delete, true) => out.push_str(&format!("\x1b[31;9m{}\x1b[0m", s.text)),
            (Op::Insert, true) => out.push_str(&format!("\x1b[32;4m{}\x1b[0m", s.text)),
            (Op::Delete, false) => out.push_str(&format!("[-{}-]", s.text)),
            (Op::Insert, false) => out.push_str(&format!("{{+{}+}}", s.text)),
        }
    }
    out
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn text(d: &DocDiff, color: bool) -> String {
    let w = words(d.locale);
    let mut out = format!("{} {} — {}", w.changes_in, d.title, d.vendor);
    if let Some(c) = &d.customer {
        out.push_str(&format!(" / {c}"));
    }
    out.push_str(&format!(
        "\n{} → {}\n\n",
        side(&w, &d.from, d.locale),
        side(&w, &d.to, d.locale)
    ));
    let summary = summary_line(d);
    if summary.is_empty() {
        out.push_str(w.no_changes);
        out.push('\n');
        return out;
    }
    out.push_str(&format!("{}: {summary}\n\n", w.summary));
    if !d.parameters.is_empty() {
        out.push_str(&format!("{}\n", w.parameters));
        for p in &d.parameters {
            out.push_str(&format!(
                "  {}: {} → {}  ({})\n",
                p.label,
                p.old.as_deref().unwrap_or("—"),
                p.new.as_deref().unwrap_or("—"),
                p.clauses.join(", ")
            ));
        }
        out.push('\n');
    }
    for a in d.articles.iter().filter(|a| a.has_changes()) {
        let num = match (a.old_number, a.new_number) {
            (Some(o), Some(n)) if o != n => format!("{} {n} ({} {o})", w.article, w.was),
            (_, Some(n)) => format!("{} {n}", w.article),
            (Some(o), None) => format!("{} ({} {o})", w.article, w.was),
            _ => String::new(),
        };
        out.push_str(&format!("{num} {}\n", a.title));
        for c in a
            .clauses
            .iter()
            .filter(|c| c.change != ClauseChange::Unchanged)
        {
            out.push_str(&format!(
                "  {:<14} {}",
                number_label(c, &w),
                describe(c.change, d.locale)
            ));
            if !c.parameters.is_empty() {
                out.push_str(&format!(" ({})", c.parameters.join(", ")));
            }
            out.push_str(&format!("  [{}]\n", c.id));
            match c.change {
                ClauseChange::Reworded
                | ClauseChange::ParameterChanged
                | ClauseChange::ReferencesRenumbered => {
                    out.push_str(&indent(&redline_text(&c.redline, color), "      "));
                    out.push('\n');
                }
                ClauseChange::Added => {
                    out.push_str(&indent(
                        &redline_text(
                            &[Segment {
                                op: Op::Insert,
                                text: c.new_text.clone().unwrap_or_default(),
                            }],
                            color,
                        ),
                        "      ",
                    ));
                    out.push('\n');
                }
                ClauseChange::Removed => {
                    out.push_str(&indent(
                        &redline_text(
                            &[Segment {
                                op: Op::Delete,
                                text: c.old_text.clone().unwrap_or_default(),
                            }],
                            color,
                        ),
                        "      ",
                    ));
                    out.push('\n');
                }
                _ => {}
            }
        }
        out.push('\n');
    }
    out
}

pub fn json(d: &DocDiff) -> String {
    serde_json::to_string_pretty(d).unwrap_or_default() + "\n"
}

/// HTML-escape text.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A redline as HTML: `<del>` and `<ins>`, paragraphs kept.
pub fn redline_html(segs: &[Segment]) -> String {
    let mut out = String::new();
    for (i, s) in segs.iter().enumerate() {
        let t = esc(&s.text)
            .replace("\n\n", "<br><br>")
            .replace('\n', "<br>");
        // A replaced phrase: keep the struck and the new words apart on screen and paper.
        if s.op == Op::Insert && i > 0 && segs[i - 1].op == Op::Delete {
            out.push(' ');
        }
        match s.op {
            Op::Equal => out.push_str(&t),
            Op::Delete => out.push_str(&format!("<del>{t}</del>")),
            Op::Insert => out.push_str(&format!("<ins>{t}</ins>")),
        }
    }
    out
}

pub const REDLINE_CSS: &str = "del{text-decoration:line-through;text-decoration-thickness:2px;color:#a40000;background:#fde8e8}\
ins{text-decoration:underline;text-decoration-thickness:2px;font-weight:700;color:#005a00;background:#e6f6e6}\
@media print{del,ins{background:none;color:inherit}}";

/// The clause-by-clause body shared by the diff page and the notice.
pub fn articles_html(d: &DocDiff) -> String {
    let w = words(d.locale);
    let mut out = String::new();
    for a in d.articles.iter().filter(|a| a.has_changes()) {
        let num = a
            .new_number
            .or(a.old_number)
            .map(|n| format!("{} {n}", w.article))
            .unwrap_or_default();
        out.push_str(&format!(
            "<section class=\"article\"><h3>{} {}</h3>\n",
            esc(&num),
            esc(&a.title)
        ));
        for c in a
            .clauses
            .iter()
            .filter(|c| c.change != ClauseChange::Unchanged)
        {
            out.push_str(&format!(
                "<div class=\"change {}\"><p class=\"what\"><span class=\"num\">{}</span> {}</p>",
                serde_json::to_value(c.change)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                esc(&number_label(c, &w)),
                esc(describe(c.change, d.locale))
            ));
            let body = match c.change {
                ClauseChange::Added => format!(
                    "<ins>{}</ins>",
                    esc(c.new_text.as_deref().unwrap_or_default())
                ),
                ClauseChange::Removed => format!(
                    "<del>{}</del>",
                    esc(c.old_text.as_deref().unwrap_or_default())
                ),
                _ if !c.redline.is_empty() => redline_html(&c.redline),
                _ => String::new(),
            };
            if !body.is_empty() {
                out.push_str(&format!("<p class=\"redline\">{body}</p>"));
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }
    out
}

pub fn html(d: &DocDiff) -> String {
    let w = words(d.locale);
    let mut params = String::new();
    if !d.parameters.is_empty() {
        params.push_str(&format!(
            "<h2>{}</h2><table class=\"params\">",
            w.parameters
        ));
        for p in &d.parameters {
            params.push_str(&format!(
                "<tr><th>{}</th><td><del>{}</del></td><td>→</td><td><ins>{}</ins></td></tr>",
                esc(&p.label),
                esc(p.old.as_deref().unwrap_or("—")),
                esc(p.new.as_deref().unwrap_or("—"))
            ));
        }
        params.push_str("</table>");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>body{{font:16px/1.55 Georgia,serif;max-width:46rem;margin:0 auto;padding:1.5rem}}h1,h2,h3{{font-family:Arial,sans-serif}}\
.num{{color:#555;font-family:Arial,sans-serif;margin-right:.4rem}}.what{{margin:.8rem 0 .2rem;font-family:Arial,sans-serif;font-size:.9rem}}\
.redline{{margin:0 0 .8rem 1.5rem}}table.params td,table.params th{{padding:.2rem .6rem;text-align:left}}{css}</style></head><body>\
<h1>{title}</h1><p>{from} → {to}</p><p><strong>{summary_label}:</strong> {summary}</p>{params}{body}</body></html>\n",
        lang = d.locale.code(),
        title = esc(&format!("{} {}", w.changes_in, d.title)),
        from = esc(&side(&w, &d.from, d.locale)),
        to = esc(&side(&w, &d.to, d.locale)),
        summary_label = w.summary,
        summary = esc(&summary_line(d)),
        css = REDLINE_CSS,
        body = articles_html(d),
    )
}
