//! Rendering an [`Assembled`](crate::assemble::Assembled) document: HTML and Markdown.
//! Built-in templates are embedded in the binary; a file of the same name in the project's
//! `templates/` directory replaces that one file.

pub mod html;
pub mod markdown;
pub mod md;
pub mod pdf;
pub mod templates;

/// Words the output templates need, per locale.
pub fn labels(locale: &str) -> serde_json::Value {
    match locale {
        "en" => serde_json::json!({
            "contents": "Contents", "article": "Article", "version": "Version",
            "effective": "Effective date", "draft": "draft", "kvk": "Chamber of Commerce no.",
            "annexes": "Annexes", "annex": "Annex", "for_customer": "Contract with",
        }),
        _ => serde_json::json!({
            "contents": "Inhoud", "article": "Artikel", "version": "Versie",
            "effective": "Ingangsdatum", "draft": "concept", "kvk": "KvK-nummer",
            "annexes": "Bijlagen", "annex": "Bijlage", "for_customer": "Overeenkomst met",
        }),
    }
}

/// The effective date as the document writes it ("16 september 2019").
pub fn effective_text(doc: &crate::assemble::Assembled) -> Option<String> {
    let loc = crate::params::Locale::parse(&doc.locale).unwrap_or_default();
    let d = chrono::NaiveDate::parse_from_str(doc.effective.as_deref()?, "%Y-%m-%d").ok()?;
    Some(crate::params::locale::date(d, loc))
}
