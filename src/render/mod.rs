//! Rendering an [`Assembled`](crate::assemble::Assembled) document: HTML, Markdown, PDF and DOCX.
//! Built-in templates are embedded in the binary; a file of the same name in the project's
//! `templates/` directory replaces that one file.

pub mod docx;
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
            "contents": "Contents", "article": "Clause", "version": "Version",
            "effective": "Effective date", "draft": "draft", "kvk": "KvK no.",
            "annexes": "Annexes", "annex": "Annex", "for_customer": "Contract with",
            "parties": "Parties", "undersigned": "The undersigned:",
            "agree": "agree as follows:", "hereinafter": "hereinafter",
            "represented_by": "represented by", "negotiated": "Negotiated values",
            "negotiated_none": "The parties agreed no values other than the standard ones.",
            "item": "Subject", "agreed": "Agreed", "standard": "Standard",
            "signatures": "Signatures", "signed_for": "For", "name": "Name",
            "capacity": "Capacity", "place": "Place", "date": "Date", "signature": "Signature",
            "annex_to": "to the",
        }),
        Locale::Nl => serde_json::json!({
            "contents": "Inhoud", "article": "Artikel", "version": "Versie",
            "effective": "Ingangsdatum", "draft": "concept", "kvk": "KvK-nummer",
            "annexes": "Bijlagen", "annex": "Bijlage", "for_customer": "Overeenkomst met",
            "parties": "Partijen", "undersigned": "De ondergetekenden:",
            "agree": "verklaren te zijn overeengekomen als volgt:", "hereinafter": "hierna",
            "represented_by": "vertegenwoordigd door", "negotiated": "Afwijkende afspraken",
            "negotiated_none": "Partijen zijn geen afwijkingen van de standaardwaarden overeengekomen.",
            "item": "Onderwerp", "agreed": "Overeengekomen", "standard": "Standaard",
            "signatures": "Ondertekening", "signed_for": "Voor", "name": "Naam",
            "capacity": "Functie", "place": "Plaats", "date": "Datum", "signature": "Handtekening",
            "annex_to": "bij de",
        }),
    }
}

/// One party as the title block, the parties block and the signature block show it: each
/// KvK number and address stands next to its own party.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PartyView {
    /// The name the document gives the party ("Afnemer", "Velddata").
    pub role: String,
    pub name: String,
    /// Address lines: street, postcode and city, country.
    pub address: Vec<String>,
    pub kvk: Option<String>,
    pub representative: Option<String>,
    pub representative_role: Option<String>,
}

impl PartyView {
    fn new(p: &crate::assemble::model::PartyData, role: &str) -> PartyView {
        let f = |k: &str| p.fields.get(k).filter(|v| !v.trim().is_empty()).cloned();
        let place = [f("postcode"), f("city")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let address = [f("address"), Some(place), f("country")]
            .into_iter()
            .flatten()
            .filter(|l| !l.is_empty())
            .collect();
        PartyView {
            role: role.to_string(),
            name: p.name().to_string(),
            address,
            kvk: f("kvk"),
            representative: f("representative"),
            representative_role: f("representative_role"),
        }
    }
}

/// The parties of a document, vendor first; the customer only on a customer's copy.
pub fn parties(doc: &crate::assemble::Assembled) -> Vec<PartyView> {
    let names = &doc.party_names;
    let vendor_role = if names.vendor.is_empty() {
        doc.vendor.name()
    } else {
        &names.vendor
    };
    let mut out = vec![PartyView::new(&doc.vendor, vendor_role)];
    if let Some(c) = &doc.customer {
        out.push(PartyView::new(c, &names.customer));
    }
    out
}

/// The effective date as the document writes it ("16 september 2019").
pub fn effective_text(doc: &crate::assemble::Assembled) -> Option<String> {
    Some(crate::params::locale::date(doc.effective?, doc.locale))
}
