//! Rendering an [`Assembled`](crate::assemble::Assembled) document: HTML and Markdown.
//! Built-in templates are embedded in the binary; a file of the same name in the project's
//! `templates/` directory replaces that one file.

pub mod html;
pub mod markdown;
pub mod md;
pub mod pdf;
pub mod templates;

use crate::params::Locale;

/// Words the output templates need, per locale.
pub fn labels(locale: Locale) -> serde_json::Value {
    match locale {
        Locale::En => serde_json::json!({
            "contents": "Contents", "article": "Article", "version": "Version",
            "effective": "Effective date", "draft": "draft", "kvk": "Chamber of Commerce no.",
            "annexes": "Annexes", "annex": "Annex", "for_customer": "Contract with",
        }),
        Locale::Nl => serde_json::json!({
            "contents": "Inhoud", "article": "Artikel", "version": "Versie",
            "effective": "Ingangsdatum", "draft": "concept", "kvk": "KvK-nummer",
            "annexes": "Bijlagen", "annex": "Bijlage", "for_customer": "Overeenkomst met",
        }),
    }
}

/// The effective date as the document writes it ("16 september 2019").
pub fn effective_text(doc: &crate::assemble::Assembled) -> Option<String> {
    Some(crate::params::locale::date(doc.effective?, doc.locale))
}
