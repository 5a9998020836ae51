//! Change notices: what a customer receives when the terms change — old and new edition,
//! notice date, effective date, a summary per article, the redlines, and the customer's
//! rights. Refuses an effective date that does not respect the contractual notice period.

pub mod period;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::assemble::Assembled;
use crate::diff::report::{self, articles_html, summary_line};
use crate::diff::{DocDiff, diff};
use crate::params::Locale;

/// The document id a notice carries when laid out as a document (see [`as_document`]).
pub const DOCUMENT_ID: &str = "notice";

/// Everything a notice template sees.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub locale: Locale,
    pub vendor: crate::assemble::model::PartyData,
    pub customer: Option<crate::assemble::model::PartyData>,
    pub title: String,
    pub from_edition: String,
    pub to_edition: String,
    pub notice_date: String,
    pub effective_date: String,
    /// YYYY-MM-DD
    pub effective_iso: String,
    pub notice_period: String,
    pub summary: String,
    pub articles: Vec<ArticleSummary>,
    pub parameters: Vec<crate::diff::ParamChange>,
    /// The customer's rights, as sentences.
    pub rights: Vec<String>,
    pub diff: DocDiff,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub number: String,
    pub title: String,
    pub changes: Vec<String>,
}

/// Why a notice cannot be given.
#[derive(Debug)]
pub struct Refusal(pub String);

/// Build the notice for one pair of documents. `period_key` names the parameter that holds
/// the contractual notice period for changes.
pub fn build(
    old: &Assembled,
    new: &Assembled,
    notice_date: NaiveDate,
    period_key: &str,
    exit_key: &str,
) -> Result<Notice, Refusal> {
    let loc = new.locale;
    let effective = new.effective.ok_or_else(|| {
        Refusal(format!(
            "edition {} has no effective date",
            new.version.clone().unwrap_or_default()
        ))
    })?;
    let param = new.parameters.get(period_key).ok_or_else(|| {
        Refusal(format!(
            "the terms set no notice period for changes: no parameter `{period_key}` in edition {} (set `notice_period_parameter` in clausebook.yaml to the parameter that holds it)",
            new.version.clone().unwrap_or_default()
        ))
    })?;
    let earliest = period::add(notice_date, &param.raw).ok_or_else(|| {
        Refusal(format!(
            "parameter `{period_key}` is not a duration: {}",
            param.display
        ))
    })?;
    if effective < earliest {
        return Err(Refusal(format!(
            "effective date {} is too early: a notice given on {} must respect the notice period of {} ({}), so the earliest effective date is {}",
            effective, notice_date, param.display, period_key, earliest
        )));
    }
    let d = diff(old, new);
    let w = report::words(new.locale);
    let articles = d
        .articles
        .iter()
        .filter(|a| a.has_text_changes())
        .map(|a| ArticleSummary {
            number: a
                .new_number
                .or(a.old_number)
                .map(|n| format!("{} {n}", w.article))
                .unwrap_or_default(),
            title: a.title.clone(),
            changes: a
                .clauses
                .iter()
                .filter(|c| c.change.changes_text())
                .map(|c| {
                    format!(
                        "{} {}",
                        report::number_label(c, &w),
                        report::describe(c.change, new.locale)
                    )
                })
                .collect(),
        })
        .collect();
    let date = |x: NaiveDate| crate::params::locale::date(x, loc);
    let contact = new
        .vendor
        .fields
        .get("email")
        .cloned()
        .or_else(|| {
            let f = &new.vendor.fields;
            let parts: Vec<&str> = ["address", "postcode", "city"]
                .iter()
                .filter_map(|k| f.get(*k).map(String::as_str))
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        })
        .unwrap_or_else(|| new.vendor.name().to_string());
    // Terms that give no exit right for changes must not be told to promise one; absent the
    // parameter, the customer-friendly reading (an exit right) is the one to state.
    let exit = new
        .parameters
        .get(exit_key)
        .is_none_or(|p| p.raw != serde_json::Value::Bool(false));
    let mut rights = match loc {
        Locale::Nl => vec![
            format!(
                "De gewijzigde voorwaarden gaan in op {}. Wij kondigen de wijziging ten minste {} van tevoren aan, zoals de voorwaarden bepalen.",
                date(effective),
                param.display
            ),
            format!(
                "Gaat u niet akkoord met de wijziging, dan kunt u de overeenkomst kosteloos opzeggen tegen de ingangsdatum, {}. Uw opzegging moet ons vóór die datum bereiken.",
                date(effective)
            ),
            format!("Opzeggen doet u schriftelijk of per e-mail aan {contact}, met vermelding van uw naam en klantgegevens."),
            "Zegt u niet op, dan gelden vanaf de ingangsdatum de gewijzigde voorwaarden. De volledige nieuwe tekst is bijgevoegd en kunt u bewaren.".to_string(),
        ],
        Locale::En => vec![
            format!(
                "The amended terms take effect on {}. We announce the change at least {} in advance, as the terms require.",
                date(effective),
                param.display
            ),
            format!(
                "If you do not accept the change, you may terminate the agreement free of charge with effect from {}. Your notice must reach us before that date.",
                date(effective)
            ),
            format!("To terminate, write to {contact}, stating your name and customer details."),
            "If you do not terminate, the amended terms apply from the effective date. The full new text is attached for you to keep.".to_string(),
        ],
    };
    if !exit {
        rights[1] = match loc {
            Locale::Nl => "De voorwaarden geven geen recht om de overeenkomst vanwege deze wijziging tussentijds op te zeggen; de gewone opzegmogelijkheden blijven gelden.".into(),
            Locale::En => "The terms give no right to terminate the agreement early because of this change; the ordinary termination provisions continue to apply.".into(),
        };
        rights[2] = match loc {
            Locale::Nl => format!("Vragen over de wijziging kunt u richten aan {contact}."),
            Locale::En => format!("Questions about the change can be sent to {contact}."),
        };
    }
    Ok(Notice {
        locale: new.locale,
        vendor: new.vendor.clone(),
        customer: new.customer.clone(),
        title: new.title.clone(),
        from_edition: old.version.clone().unwrap_or_default(),
        to_edition: new.version.clone().unwrap_or_default(),
        notice_date: date(notice_date),
        effective_date: date(effective),
        effective_iso: effective.format("%Y-%m-%d").to_string(),
        notice_period: param.display.clone(),
        summary: summary_line(&d),
        articles,
        parameters: d.parameters.clone(),
        rights,
        diff: d,
    })
}

pub fn markdown(n: &Notice) -> String {
    let nl = n.locale != Locale::En;
    let mut o = String::new();
    o.push_str(&if nl {
        format!("# Wijziging van de {}\n\n", n.title.to_lowercase())
    } else {
        format!("# Changes to the {}\n\n", n.title)
    });
    if let Some(c) = &n.customer {
        o.push_str(&format!(
            "{} {}  \n",
            if nl { "Aan:" } else { "To:" },
            c.name()
        ));
    }
    o.push_str(&format!(
        "{} {}  \n",
        if nl { "Van:" } else { "From:" },
        n.vendor.name()
    ));
    o.push_str(&format!(
        "{} {}  \n",
        if nl { "Datum:" } else { "Date:" },
        n.notice_date
    ));
    o.push_str(&format!(
        "{} {} → {}  \n{} {}\n\n",
        if nl { "Editie:" } else { "Edition:" },
        n.from_edition,
        n.to_edition,
        if nl {
            "Ingangsdatum:"
        } else {
            "Effective date:"
        },
        n.effective_date
    ));
    o.push_str(&format!(
        "## {}\n\n",
        if nl {
            "Wat verandert er"
        } else {
            "What changes"
        }
    ));
    for a in &n.articles {
        o.push_str(&format!(
            "- **{} {}**: {}\n",
            a.number,
            a.title,
            a.changes.join("; ")
        ));
    }
    if !n.parameters.is_empty() {
        o.push_str(&format!(
            "\n## {}\n\n",
            if nl {
                "Gewijzigde waarden"
            } else {
                "Changed values"
            }
        ));
        for p in &n.parameters {
            o.push_str(&format!(
                "- {}: {} → {}\n",
                p.label,
                p.old.as_deref().unwrap_or("—"),
                p.new.as_deref().unwrap_or("—")
            ));
        }
    }
    o.push_str(&format!(
        "\n## {}\n\n",
        if nl { "Uw rechten" } else { "Your rights" }
    ));
    for r in &n.rights {
        o.push_str(&format!("{r}\n\n"));
    }
    o.push_str(&format!(
        "## {}\n\n",
        if nl {
            "De wijzigingen in detail"
        } else {
            "The changes in detail"
        }
    ));
    o.push_str(&crate::diff::report::text(&n.diff, false));
    o
}

/// The notice as HTML, through the `notice.html` template (built in; a project's
/// `templates/notice.html` replaces it).
pub fn html(
    n: &Notice,
    templates: &crate::render::templates::OutputTemplates,
) -> Result<String, crate::diagnostics::Diagnostic> {
    let nl = n.locale != Locale::En;
    let title = if nl {
        format!("Wijziging van de {}", n.title.to_lowercase())
    } else {
        format!("Changes to the {}", n.title)
    };
    let words = if nl {
        serde_json::json!({"title": title, "to": "Aan", "date": "Datum", "edition": "Editie", "effective": "Ingangsdatum",
            "what": "Wat verandert er", "values": "Gewijzigde waarden", "rights": "Uw rechten", "detail": "De wijzigingen in detail"})
    } else {
        serde_json::json!({"title": title, "to": "To", "date": "Date", "edition": "Edition", "effective": "Effective date",
            "what": "What changes", "values": "Changed values", "rights": "Your rights", "detail": "The changes in detail"})
    };
    let mut ctx = tera::Context::new();
    ctx.insert("n", n);
    ctx.insert("words", &words);
    ctx.insert("redline_css", report::REDLINE_CSS);
    ctx.insert("detail", &articles_html(&n.diff));
    templates.tera.render("notice.html", &ctx).map_err(|e| {
        crate::render::templates::template_error(std::path::Path::new("templates/notice.html"), &e)
    })
}

/// The notice as a document, so the PDF engine (and its template) lays it out like the terms
/// themselves. Deletions are struck through and insertions bold: both survive black-and-white
/// printing.
pub fn as_document(n: &Notice) -> Assembled {
    use crate::assemble::model::{Article, ClauseOut, FORMAT_VERSION};
    use crate::diff::redline::Op;
    use crate::render::markdown::{TextStyle, escape, to_text};
    let nl = n.locale != Locale::En;
    let clause = |id: String, markdown: String| ClauseOut {
        text: to_text(&markdown, TextStyle::Plain),
        id,
        number: String::new(),
        title: String::new(),
        version: String::new(),
        origin: crate::assemble::Origin::Notice,
        source: String::new(),
        source_hash: String::new(),
        defines: vec![],
        parameters: vec![],
        references: vec![],
        markdown,
    };
    let article = |id: &str, number: u32, title: &str, clauses: Vec<ClauseOut>| Article {
        id: id.into(),
        number,
        title: title.into(),
        version: String::new(),
        definitions: false,
        clauses,
    };
    let mut articles = Vec::new();
    let what: Vec<ClauseOut> = n
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            clause(
                format!("what.{i}"),
                format!(
                    "**{} {}**: {}",
                    escape(&a.number),
                    escape(&a.title),
                    escape(&a.changes.join("; "))
                ),
            )
        })
        .collect();
    articles.push(article(
        "what",
        1,
        if nl {
            "Wat verandert er"
        } else {
            "What changes"
        },
        what,
    ));
    if !n.parameters.is_empty() {
        let vals = n
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                clause(
                    format!("values.{i}"),
                    format!(
                        "{}: ~~{}~~ → **{}**",
                        escape(&p.label),
                        escape(p.old.as_deref().unwrap_or("—")),
                        escape(p.new.as_deref().unwrap_or("—"))
                    ),
                )
            })
            .collect();
        articles.push(article(
            "values",
            2,
            if nl {
                "Gewijzigde waarden"
            } else {
                "Changed values"
            },
            vals,
        ));
    }
    let rights = n
        .rights
        .iter()
        .enumerate()
        .map(|(i, r)| clause(format!("rights.{i}"), escape(r)))
        .collect();
    articles.push(article(
        "rights",
        3,
        if nl { "Uw rechten" } else { "Your rights" },
        rights,
    ));
    let w = crate::diff::report::words(n.locale);
    let mut detail = Vec::new();
    for a in n.diff.articles.iter().filter(|a| a.has_text_changes()) {
        for c in a.clauses.iter().filter(|c| c.change.changes_text()) {
            let head = format!(
                "**{} {}** — {}",
                escape(&crate::diff::report::number_label(c, &w)),
                escape(&a.title),
                escape(crate::diff::report::describe(c.change, n.locale))
            );
            let body: String = match c.change {
                crate::diff::ClauseChange::Added => {
                    format!("**{}**", escape(c.new_text.as_deref().unwrap_or_default()))
                }
                crate::diff::ClauseChange::Removed => {
                    format!("~~{}~~", escape(c.old_text.as_deref().unwrap_or_default()))
                }
                _ => c
                    .redline
                    .iter()
                    .map(|s| {
                        // Markers must hug the text: keep the spaces around them outside.
                        let t = s.text.as_str();
                        let (lead, rest) = t.split_at(t.len() - t.trim_start().len());
                        let core = rest.trim_end();
                        let trail = &rest[core.len()..];
                        // A deletion right before an insertion gets a space, so the words
                        // do not run together in print.
                        match s.op {
                            Op::Equal => escape(t),
                            Op::Delete if !core.is_empty() && trail.is_empty() => {
                                format!("{lead}~~{}~~ ", escape(core))
                            }
                            Op::Delete if !core.is_empty() => {
                                format!("{lead}~~{}~~{trail}", escape(core))
                            }
                            Op::Insert if !core.is_empty() => {
                                format!("{lead}**{}**{trail}", escape(core))
                            }
                            _ => t.to_string(),
                        }
                    })
                    .collect(),
            };
            detail.push(clause(
                c.id.clone(),
                format!("{head}\n\n{}", body.replace("\n\n", " ")),
            ));
        }
    }
    articles.push(article(
        "detail",
        4,
        if nl {
            "De wijzigingen in detail"
        } else {
            "The changes in detail"
        },
        detail,
    ));
    Assembled {
        format: FORMAT_VERSION,
        document: DOCUMENT_ID.into(),
        title: if nl {
            format!("Wijziging van de {}", n.title.to_lowercase())
        } else {
            format!("Changes to the {}", n.title)
        },
        subtitle: Some(format!(
            "{} {} → {} · {} {}",
            if nl { "Editie" } else { "Edition" },
            n.from_edition,
            n.to_edition,
            if nl {
                "datum van dit bericht"
            } else {
                "date of this notice"
            },
            n.notice_date
        )),
        locale: n.locale,
        vendor: n.vendor.clone(),
        customer: n.customer.clone(),
        version: Some(n.to_edition.clone()),
        effective: NaiveDate::parse_from_str(&n.effective_iso, "%Y-%m-%d").ok(),
        numbered: false,
        articles,
        annexes: vec![],
        parameters: Default::default(),
        kind: Default::default(),
        party_names: Default::default(),
        signature: false,
        negotiated: vec![],
        attachments: vec![],
    }
}

/// Where a notice goes: out/notices/<vendor>/<doc>/<from>-<to>[/<customer>]/notice.<ext>
pub fn output_dir(
    out: &Path,
    vendor: &str,
    doc: &str,
    from: &str,
    to: &str,
    customer: Option<&str>,
) -> PathBuf {
    let mut p = out
        .join("notices")
        .join(vendor)
        .join(doc)
        .join(format!("{from}-to-{to}"));
    if let Some(c) = customer {
        p = p.join(c);
    }
    p
}
