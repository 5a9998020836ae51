//! Change notices: what a customer receives when the terms change — old and new edition,
//! notice date, effective date and how the notice period was counted, a summary per article
//! with each clause's title, the editor's toelichting, the redlines (material changes first,
//! editorial ones apart), the customer's rights, and the new text attached. Refuses an
//! effective date that does not respect the contractual notice period.
//!
//! Every format (HTML, PDF, Markdown for e-mail) is written from the same [`Notice`], whose
//! redlines are light Markdown ([`redline_md`]): the formats say the same thing.

pub mod changes;
pub mod period;
pub mod redline_md;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::assemble::Assembled;
use crate::diff::redline::Op;
use crate::diff::report::{self, summary_line};
use crate::diff::{ClauseChange, DocDiff, diff};
use crate::params::Locale;
use changes::{ChangeKind, ChangeNote};

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
    /// How the notice period was counted, with the dates computed (and holidays skipped).
    pub period: String,
    pub summary: String,
    /// Material changes, per article.
    pub articles: Vec<ArticleSummary>,
    pub parameters: Vec<crate::diff::ParamChange>,
    /// Material changes in detail.
    pub items: Vec<Item>,
    /// Editorial changes (as the editor marked them) and moved clauses, listed apart.
    pub editorial: Vec<Item>,
    /// The customer's rights, as sentences.
    pub rights: Vec<String>,
    /// File name of the attached new edition, beside the notice.
    pub attachment: Option<String>,
    pub diff: DocDiff,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub number: String,
    pub title: String,
    pub changes: Vec<String>,
}

/// One changed clause as a customer reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// "3.1" or "5.3 (was 5.2)".
    pub number: String,
    /// The clause's title, or else its article's.
    pub title: String,
    /// "tekst gewijzigd", "nieuw", ...
    pub what: String,
    /// The editor's explanation, if any.
    pub toelichting: Option<String>,
    /// The redline (or the added/removed text) as light Markdown; for a moved clause, a
    /// sentence saying that only its number changed.
    pub redline_md: String,
    /// The same, as HTML.
    pub redline_html: String,
}

/// Why a notice cannot be given.
#[derive(Debug)]
pub struct Refusal(pub String);

/// What a notice is built from.
pub struct Inputs<'a> {
    pub old: &'a Assembled,
    pub new: &'a Assembled,
    pub notice_date: NaiveDate,
    /// The parameter that holds the contractual notice period for changes.
    pub period_key: &'a str,
    /// The parameter that says whether the customer may terminate because of a change.
    pub exit_key: &'a str,
    /// The editor's notes stored in the new edition.
    pub notes: &'a [ChangeNote],
    /// File name of the new edition attached beside the notice.
    pub attachment: Option<String>,
}

/// The earliest effective date a notice given on `notice_date` allows, and how it was
/// counted; `Err` explains why it cannot be computed.
pub fn earliest_effective(
    new: &Assembled,
    notice_date: NaiveDate,
    period_key: &str,
) -> Result<(period::Counted, String), Refusal> {
    let param = new.parameters.get(period_key).ok_or_else(|| {
        Refusal(format!(
            "the terms set no notice period for changes: no parameter `{period_key}` in edition {} (set `notice_period_parameter` in clausebook.yaml to the parameter that holds it)",
            new.version.clone().unwrap_or_default()
        ))
    })?;
    let counted = period::add(notice_date, &param.raw)
        .map_err(|e| Refusal(format!("parameter `{period_key}` ({}): {e}", param.display)))?;
    Ok((counted, param.display.clone()))
}

/// The parameter saying which language prevails when the terms are published in two
/// (the library's `language` module).
pub const PREVAILING_PARAMETER: &str = "language.prevailing";

/// For terms published in Dutch and English: which text prevails, in the notice's language.
fn prevailing(new: &Assembled) -> Option<String> {
    let raw = &new.parameters.get(PREVAILING_PARAMETER)?.raw;
    let dutch = match raw.as_str()? {
        "nl" => true,
        "en" => false,
        _ => return None,
    };
    Some(match (new.locale, dutch) {
        (Locale::Nl, true) => "De voorwaarden verschijnen in het Nederlands en in het Engels; bij verschil gaat de Nederlandse tekst voor.".into(),
        (Locale::Nl, false) => "De voorwaarden verschijnen in het Nederlands en in het Engels; bij verschil gaat de Engelse tekst voor.".into(),
        (Locale::En, true) => "The terms are published in Dutch and in English; in the event of any difference, the Dutch text prevails.".into(),
        (Locale::En, false) => "The terms are published in Dutch and in English; in the event of any difference, the English text prevails.".into(),
    })
}

/// Build the notice for one pair of documents.
pub fn build(i: &Inputs) -> Result<Notice, Refusal> {
    let (old, new, notice_date) = (i.old, i.new, i.notice_date);
    let loc = new.locale;
    let nl = loc != Locale::En;
    let effective = new.effective.ok_or_else(|| {
        Refusal(format!(
            "edition {} has no effective date",
            new.version.clone().unwrap_or_default()
        ))
    })?;
    let (counted, period_display) = earliest_effective(new, notice_date, i.period_key)?;
    let earliest = counted.end;
    if effective < earliest {
        return Err(Refusal(format!(
            "effective date {} is too early: a notice given on {} must respect the notice period of {} ({}), so the earliest effective date is {}",
            effective, notice_date, period_display, i.period_key, earliest
        )));
    }
    let date = |x: NaiveDate| crate::params::locale::date(x, loc);
    let mut period_text = if nl {
        format!(
            "De voorwaarden bepalen dat wij een wijziging ten minste {period_display} van tevoren aankondigen. Gerekend vanaf de datum van dit bericht, {}, kan de wijziging op zijn vroegst ingaan op {}; zij gaat in op {}.",
            date(notice_date),
            date(earliest),
            date(effective)
        )
    } else {
        format!(
            "The terms require us to announce a change at least {period_display} in advance. Counted from the date of this notice, {}, the change can take effect on {} at the earliest; it takes effect on {}.",
            date(notice_date),
            date(earliest),
            date(effective)
        )
    };
    if !counted.skipped.is_empty() {
        let days: Vec<String> = counted
            .skipped
            .iter()
            .map(|(d, name)| format!("{name} ({})", date(*d)))
            .collect();
        period_text.push_str(&if nl {
            format!(
                " Zaterdagen, zondagen en feestdagen tellen niet als werkdag; overgeslagen: {}.",
                days.join(", ")
            )
        } else {
            format!(
                " Saturdays, Sundays and public holidays are not working days; skipped: {}.",
                days.join(", ")
            )
        });
    }

    let d = diff(old, new);
    let w = report::words(loc);
    let note_for = |article: &str, clause: &str| {
        i.notes
            .iter()
            .find(|n| n.id == clause)
            .or_else(|| i.notes.iter().find(|n| n.id == article))
    };
    let mut articles = Vec::new();
    let (mut items, mut editorial) = (Vec::new(), Vec::new());
    for a in &d.articles {
        let art_number = a
            .new_number
            .or(a.old_number)
            .map(|n| format!("{} {n}", w.article))
            .unwrap_or_default();
        let mut changes = Vec::new();
        for c in &a.clauses {
            let note = note_for(&a.id, &c.id);
            let is_editorial = note.is_some_and(|n| n.kind == ChangeKind::Editorial);
            if !c.change.changes_text() && c.change != ClauseChange::Moved {
                continue;
            }
            let title = if c.title.is_empty() {
                a.title.clone()
            } else {
                c.title.clone()
            };
            let (redline_md, redline_html) = match c.change {
                ClauseChange::Added => {
                    let t = c.new_text.as_deref().unwrap_or_default();
                    (
                        redline_md::whole(t, Op::Insert),
                        format!("<ins>{}</ins>", nl2br(&report::esc(t))),
                    )
                }
                ClauseChange::Removed => {
                    let t = c.old_text.as_deref().unwrap_or_default();
                    (
                        redline_md::whole(t, Op::Delete),
                        format!("<del>{}</del>", nl2br(&report::esc(t))),
                    )
                }
                // Say so, rather than leave a heading without text under it.
                ClauseChange::Moved => {
                    let s = if loc == Locale::En {
                        "The text is unchanged; only its number changes."
                    } else {
                        "De tekst blijft gelijk; alleen het nummer verandert."
                    };
                    (format!("*{s}*"), format!("<em>{s}</em>"))
                }
                _ => (
                    redline_md::redline(&c.redline),
                    report::redline_html(&c.redline),
                ),
            };
            let item = Item {
                number: report::number_label(c, &w),
                title: title.clone(),
                what: report::describe(c.change, loc).to_string(),
                toelichting: note.map(|n| n.toelichting.clone()),
                redline_md,
                redline_html,
            };
            if is_editorial || c.change == ClauseChange::Moved {
                editorial.push(item);
            } else {
                changes.push(format!(
                    "{} {}: {}",
                    item.number,
                    item.title,
                    report::describe(c.change, loc)
                ));
                items.push(item);
            }
        }
        if !changes.is_empty() {
            articles.push(ArticleSummary {
                number: art_number,
                title: a.title.clone(),
                changes,
            });
        }
    }
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
        .get(i.exit_key)
        .is_none_or(|p| p.raw != serde_json::Value::Bool(false));
    let keep = match (&i.attachment, nl) {
        (Some(f), true) => format!(
            "De volledige nieuwe tekst is bijgevoegd ({f}); bewaar die bij uw administratie."
        ),
        (Some(f), false) => format!("The full new text is attached ({f}) for you to keep."),
        (None, true) => format!("De volledige nieuwe tekst kunt u opvragen bij {contact}."),
        (None, false) => format!("You can ask {contact} for the full new text."),
    };
    let mut rights = match loc {
        Locale::Nl => vec![
            format!(
                "De gewijzigde voorwaarden gaan in op {}. Wij kondigen de wijziging ten minste {} van tevoren aan, zoals de voorwaarden bepalen.",
                date(effective),
                period_display
            ),
            format!(
                "Gaat u niet akkoord met de wijziging, dan kunt u de overeenkomst kosteloos opzeggen tegen de ingangsdatum, {}. Uw opzegging moet ons vóór die datum bereiken.",
                date(effective)
            ),
            format!(
                "Opzeggen doet u schriftelijk of per e-mail aan {contact}, met vermelding van uw naam en klantgegevens."
            ),
            format!(
                "Zegt u niet op, dan gelden vanaf de ingangsdatum de gewijzigde voorwaarden. {keep}"
            ),
        ],
        Locale::En => vec![
            format!(
                "The amended terms take effect on {}. We announce the change at least {} in advance, as the terms require.",
                date(effective),
                period_display
            ),
            format!(
                "If you do not accept the change, you may terminate the agreement free of charge with effect from {}. Your notice must reach us before that date.",
                date(effective)
            ),
            format!("To terminate, write to {contact}, stating your name and customer details."),
            format!(
                "If you do not terminate, the amended terms apply from the effective date. {keep}"
            ),
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
    if let Some(line) = prevailing(new) {
        rights.push(line);
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
        notice_period: period_display,
        period: period_text,
        summary: summary_line(&d),
        articles,
        parameters: d.parameters.clone(),
        items,
        editorial,
        rights,
        attachment: i.attachment.clone(),
        diff: d,
    })
}

fn nl2br(s: &str) -> String {
    s.replace('\n', "<br>")
}

/// The words every format uses.
pub struct Words {
    pub title: String,
    pub to: &'static str,
    pub from: &'static str,
    pub date: &'static str,
    pub edition: &'static str,
    pub effective: &'static str,
    pub period: &'static str,
    pub what: &'static str,
    pub values: &'static str,
    pub rights: &'static str,
    pub detail: &'static str,
    pub editorial: &'static str,
    pub editorial_intro: &'static str,
    pub why: &'static str,
    pub attachment: &'static str,
    pub legend: &'static str,
    /// The Word notice: what follows the letter.
    pub follows: &'static str,
}

pub fn words(n: &Notice) -> Words {
    if n.locale != Locale::En {
        Words {
            title: format!("Wijziging van de {}", n.title.to_lowercase()),
            to: "Aan",
            from: "Van",
            date: "Datum",
            edition: "Editie",
            effective: "Ingangsdatum",
            period: "Aankondigingstermijn",
            what: "Wat verandert er",
            values: "Gewijzigde waarden",
            rights: "Uw rechten",
            detail: "De wijzigingen in detail",
            editorial: "Redactionele wijzigingen",
            editorial_intro: "Deze wijzigingen veranderen niets aan wat wij met u hebben afgesproken; wij noemen ze volledigheidshalve.",
            why: "Toelichting",
            attachment: "Bijlage",
            legend: "Doorgehaalde tekst vervalt; vetgedrukte tekst is nieuw.",
            follows: "Hierna volgt de nieuwe tekst, met elke wijziging als bijgehouden wijziging: Word toont ze in het deelvenster Revisies.",
        }
    } else {
        Words {
            title: format!("Changes to the {}", n.title),
            to: "To",
            from: "From",
            date: "Date",
            edition: "Edition",
            effective: "Effective date",
            period: "Notice period",
            what: "What changes",
            values: "Changed values",
            rights: "Your rights",
            detail: "The changes in detail",
            editorial: "Editorial changes",
            editorial_intro: "These changes do not alter what we agreed with you; we list them for completeness.",
            why: "Why",
            attachment: "Attachment",
            legend: "Struck-through text is removed; bold text is new.",
            follows: "The new text follows, with every change as a tracked change: Word shows them in its Review pane.",
        }
    }
}

/// "3.2 Ondersteuning; 5.2 (was 5.3) Vervaltermijn", escaped for Markdown.
fn editorial_list(n: &Notice) -> String {
    n.editorial
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                crate::render::markdown::escape(&i.number),
                crate::render::markdown::escape(&i.title)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn item_md(o: &mut String, it: &Item, w: &Words, level: &str) {
    o.push_str(&format!(
        "{level} {} {} — {}\n\n",
        crate::render::markdown::escape(&it.number),
        crate::render::markdown::escape(&it.title),
        it.what
    ));
    if let Some(t) = &it.toelichting {
        o.push_str(&format!(
            "*{}:* {}\n\n",
            w.why,
            crate::render::markdown::escape(t)
        ));
    }
    if !it.redline_md.is_empty() {
        o.push_str(&it.redline_md);
        o.push_str("\n\n");
    }
}

/// The notice as Markdown, for e-mail: the same content as the HTML and PDF, no diff markup.
pub fn markdown(n: &Notice) -> String {
    let w = words(n);
    let mut o = letter_head(n, &w);
    details_md(n, &w, &mut o);
    o
}

/// The letter of the Word notice, before the new text with its tracked changes: the same
/// head as every other format, and each change's toelichting (the redlines are the tracked
/// changes that follow).
pub fn letter_markdown(n: &Notice) -> String {
    use crate::render::markdown::escape;
    let w = words(n);
    let mut o = letter_head(n, &w);
    let notes: Vec<&Item> = n
        .items
        .iter()
        .chain(&n.editorial)
        .filter(|i| i.toelichting.is_some())
        .collect();
    if !notes.is_empty() {
        o.push_str(&format!("## {}\n\n", w.why));
        for i in notes {
            o.push_str(&format!(
                "- **{} {}**: {}\n",
                escape(&i.number),
                escape(&i.title),
                escape(i.toelichting.as_deref().unwrap_or_default())
            ));
        }
        o.push('\n');
    }
    o.push_str(&format!("*{}*\n", w.follows));
    o
}

/// Title, addressing, what changes, changed values, rights and the notice period.
fn letter_head(n: &Notice, w: &Words) -> String {
    use crate::render::markdown::escape;
    let mut o = format!("# {}\n\n", escape(&w.title));
    if let Some(c) = &n.customer {
        o.push_str(&format!("{}: {}  \n", w.to, escape(c.name())));
    }
    o.push_str(&format!("{}: {}  \n", w.from, escape(n.vendor.name())));
    o.push_str(&format!("{}: {}  \n", w.date, n.notice_date));
    o.push_str(&format!(
        "{}: {} → {}  \n{}: **{}**\n\n",
        w.edition, n.from_edition, n.to_edition, w.effective, n.effective_date
    ));
    o.push_str(&format!("## {}\n\n", w.what));
    for a in &n.articles {
        o.push_str(&format!(
            "- **{} {}**: {}\n",
            escape(&a.number),
            escape(&a.title),
            escape(&a.changes.join("; "))
        ));
    }
    if !n.editorial.is_empty() {
        o.push_str(&format!("- {}: {}\n", w.editorial, editorial_list(n)));
    }
    if !n.parameters.is_empty() {
        o.push_str(&format!("\n## {}\n\n", w.values));
        for p in &n.parameters {
            o.push_str(&format!(
                "- {}: ~~{}~~ → **{}**\n",
                escape(&p.label),
                escape(p.old.as_deref().unwrap_or("—")),
                escape(p.new.as_deref().unwrap_or("—"))
            ));
        }
    }
    o.push_str(&format!("\n## {}\n\n", w.rights));
    for r in &n.rights {
        o.push_str(&format!("{}\n\n", escape(r)));
    }
    o.push_str(&format!("## {}\n\n{}\n\n", w.period, escape(&n.period)));
    o
}

/// The changes in detail, editorial changes and the attachment.
fn details_md(n: &Notice, w: &Words, o: &mut String) {
    use crate::render::markdown::escape;
    o.push_str(&format!("## {}\n\n*{}*\n\n", w.detail, w.legend));
    for it in &n.items {
        item_md(o, it, w, "###");
    }
    if !n.editorial.is_empty() {
        o.push_str(&format!("## {}\n\n{}\n\n", w.editorial, w.editorial_intro));
        for it in &n.editorial {
            item_md(o, it, w, "###");
        }
    }
    if let Some(f) = &n.attachment {
        o.push_str(&format!(
            "## {}\n\n[{}]({})\n",
            w.attachment,
            escape(f),
            f.replace(' ', "%20")
        ));
    }
}

/// The notice as HTML, through the `notice.html` template (built in; a project's
/// `templates/notice.html` replaces it).
pub fn html(
    n: &Notice,
    templates: &crate::render::templates::OutputTemplates,
) -> Result<String, crate::diagnostics::Diagnostic> {
    let w = words(n);
    let words = serde_json::json!({"title": w.title, "to": w.to, "from": w.from, "date": w.date,
        "edition": w.edition, "effective": w.effective, "period": w.period, "what": w.what,
        "values": w.values, "rights": w.rights, "detail": w.detail, "editorial": w.editorial,
        "editorial_intro": w.editorial_intro, "why": w.why, "attachment": w.attachment,
        "legend": w.legend});
    let mut ctx = tera::Context::new();
    ctx.insert("n", n);
    ctx.insert("words", &words);
    ctx.insert("redline_css", report::REDLINE_CSS);
    ctx.insert("detail", &items_html(&n.items, &w));
    ctx.insert("editorial_detail", &items_html(&n.editorial, &w));
    templates.tera.render("notice.html", &ctx).map_err(|e| {
        crate::render::templates::template_error(std::path::Path::new("templates/notice.html"), &e)
    })
}

fn items_html(items: &[Item], w: &Words) -> String {
    let esc = report::esc;
    let mut out = String::new();
    for it in items {
        out.push_str(&format!(
            "<section class=\"change\"><h3><span class=\"num\">{}</span> {} <span class=\"what\">— {}</span></h3>\n",
            esc(&it.number),
            esc(&it.title),
            esc(&it.what)
        ));
        if let Some(t) = &it.toelichting {
            out.push_str(&format!(
                "<p class=\"why\"><em>{}:</em> {}</p>\n",
                esc(w.why),
                esc(t)
            ));
        }
        if !it.redline_html.is_empty() {
            out.push_str(&format!("<p class=\"redline\">{}</p>\n", it.redline_html));
        }
        out.push_str("</section>\n");
    }
    out
}

/// The notice as a document, so the PDF engine (and its template) lays it out like the terms
/// themselves. Deletions are struck through and insertions bold: both survive black-and-white
/// printing.
pub fn as_document(n: &Notice) -> Assembled {
    use crate::assemble::model::{Article, ClauseOut, FORMAT_VERSION};
    use crate::render::markdown::{TextStyle, escape, to_text};
    let nl = n.locale != Locale::En;
    let w = words(n);
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
    let mut number = 0;
    let mut articles = Vec::new();
    let mut article = |id: &str, title: &str, clauses: Vec<ClauseOut>| {
        number += 1;
        articles.push(Article {
            id: id.into(),
            number,
            title: title.into(),
            version: String::new(),
            definitions: false,
            clauses,
        })
    };
    let mut what: Vec<ClauseOut> = n
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
    if !n.editorial.is_empty() {
        what.push(clause(
            "what.editorial".into(),
            format!("**{}**: {}", w.editorial, editorial_list(n)),
        ));
    }
    article("what", w.what, what);
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
        article("values", w.values, vals);
    }
    let rights = n
        .rights
        .iter()
        .enumerate()
        .map(|(i, r)| clause(format!("rights.{i}"), escape(r)))
        .collect();
    article("rights", w.rights, rights);
    article(
        "period",
        w.period,
        vec![clause("period.0".into(), escape(&n.period))],
    );
    let items = |list: &[Item], prefix: &str, intro: Option<&str>| {
        let mut out: Vec<ClauseOut> = intro
            .map(|t| clause(format!("{prefix}.intro"), format!("*{}*", escape(t))))
            .into_iter()
            .collect();
        for (k, it) in list.iter().enumerate() {
            let mut md = format!(
                "**{} {}** — {}",
                escape(&it.number),
                escape(&it.title),
                escape(&it.what)
            );
            if let Some(t) = &it.toelichting {
                md.push_str(&format!("\n\n*{}:* {}", w.why, escape(t)));
            }
            if !it.redline_md.is_empty() {
                md.push_str("\n\n");
                md.push_str(&it.redline_md);
            }
            out.push(clause(format!("{prefix}.{k}"), md));
        }
        out
    };
    article(
        "detail",
        w.detail,
        items(&n.items, "detail", Some(w.legend)),
    );
    if !n.editorial.is_empty() {
        article(
            "editorial",
            w.editorial,
            items(&n.editorial, "editorial", Some(w.editorial_intro)),
        );
    }
    if let Some(f) = &n.attachment {
        article(
            "attachment",
            w.attachment,
            vec![clause(
                "attachment.0".into(),
                escape(&if nl {
                    format!(
                        "De volledige nieuwe tekst is in dit PDF-bestand ingesloten als {f} (in uw PDF-lezer onder Bijlagen) en ook apart meegestuurd."
                    )
                } else {
                    format!(
                        "The full new text is embedded in this PDF as {f} (see Attachments in your PDF reader) and also sent separately."
                    )
                }),
            )],
        );
    }
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
