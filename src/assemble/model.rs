//! The assembled document: one plain serde value with everything a renderer, an edition or
//! a diff needs. Renderers never look back at the project; editions store exactly this.

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use crate::load::DocKind;
pub use crate::params::Locale;
pub use crate::params::resolve::Layer;

/// Bumped when the shape changes, so stored editions can be read correctly later. 2: document
/// kind, party names, signature, negotiated values and attached annexes (all optional, so a
/// format-1 document still reads).
pub const FORMAT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assembled {
    pub format: u32,
    /// Document id (file stem in `documents/`).
    pub document: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// "nl" or "en" on disk.
    pub locale: Locale,
    pub vendor: PartyData,
    pub customer: Option<PartyData>,
    pub version: Option<String>,
    /// YYYY-MM-DD on disk.
    pub effective: Option<NaiveDate>,
    /// False for terms without article and clause numbers (`numbering: none`); the numbers
    /// below are still kept, for diffs.
    #[serde(default = "yes")]
    pub numbered: bool,
    pub articles: Vec<Article>,
    pub annexes: Vec<AnnexRef>,
    /// Every parameter in force, by `module.name`.
    pub parameters: IndexMap<String, ParamRecord>,
    #[serde(default)]
    pub kind: DocKind,
    /// The names the parties go by in this document ("Afnemer", "Breinstorm").
    #[serde(default)]
    pub party_names: PartyNames,
    /// Whether the document ends with a signature block for both parties.
    #[serde(default)]
    pub signature: bool,
    /// For a customer: the values that differ from the vendor's standard.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub negotiated: Vec<Negotiated>,
    /// For a contract: the documents that form it, in annex order, each assembled for the
    /// same customer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Assembled>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyNames {
    pub customer: String,
    pub vendor: String,
}

/// A value a customer negotiated: what the contract says, and the vendor's standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Negotiated {
    pub key: String,
    pub label: String,
    pub value: String,
    /// The vendor's standard value; `None` when the parameter has no standard.
    pub standard: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyData {
    pub id: String,
    pub fields: IndexMap<String, String>,
}

impl PartyData {
    pub fn name(&self) -> &str {
        self.fields
            .get("name")
            .map(String::as_str)
            .unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Module id; also the HTML anchor.
    pub id: String,
    pub number: u32,
    pub title: String,
    pub version: String,
    pub definitions: bool,
    pub clauses: Vec<ClauseOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseOut {
    /// Stable id (`module.name`); also the HTML anchor.
    pub id: String,
    /// "10.2"
    pub number: String,
    pub title: String,
    pub version: String,
    /// Where the wording came from.
    pub origin: Origin,
    /// Source file, relative to the project root.
    pub source: String,
    /// SHA-256 of the clause's template text: tells a wording change from a change that
    /// only parameters or references caused.
    pub source_hash: String,
    /// Terms this clause defines (definitions article only).
    pub defines: Vec<String>,
    /// Parameters the body uses, as `module.name`.
    pub parameters: Vec<String>,
    /// Clause or module ids the body references with `ref()`.
    pub references: Vec<String>,
    /// The body after templating, as Markdown.
    pub markdown: String,
    /// The same as plain text (lists lettered), for diffs and notices.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnexRef {
    pub id: String,
    pub title: String,
    /// "Bijlage 2": the annex's number, which inside a contract is the contract's.
    #[serde(default)]
    pub number: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamRecord {
    pub label: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// As the document writes it ("EUR 25.000,-").
    pub display: String,
    /// The machine value.
    pub raw: serde_json::Value,
    /// Which layer set it.
    pub layer: Layer,
    /// The file that set it; absent for a declared default.
    pub source: Option<String>,
}

/// Where a clause's wording came from: "library", "vendor" or "customer" on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Library,
    Vendor,
    Customer,
    /// The text of a change notice laid out as a document.
    Notice,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Library => "library",
            Origin::Vendor => "vendor",
            Origin::Customer => "customer",
            Origin::Notice => "notice",
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn yes() -> bool {
    true
}
