//! Published editions: `published/<vendor>/<doc>/<edition>/` holds the assembled document as
//! data, its renderings, every customer's contract as data, and a manifest of SHA-256 hashes.
//! A per-document log (`editions.json`) chains the manifests' hashes so that an edited
//! manifest is caught too. Nothing here ever rewrites a published file.

pub mod commands;
pub mod publish;
pub mod verify;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::assemble::Assembled;

pub const MANIFEST: &str = "manifest.json";
pub const LOG: &str = "editions.json";
pub const DOCUMENT_JSON: &str = "document.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EditionManifest {
    pub clausebook_version: String,
    pub vendor: String,
    pub document: String,
    pub edition: String,
    /// YYYY-MM-DD
    pub effective: String,
    /// YYYY-MM-DD: the day it was published (SOURCE_DATE_EPOCH or the clock).
    pub published: String,
    /// Every project file the edition was built from, by path, with its SHA-256.
    pub inputs: IndexMap<String, String>,
    /// Every file of the edition (paths relative to the edition directory) with its SHA-256.
    pub outputs: IndexMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LogEntry {
    pub edition: String,
    pub effective: String,
    pub published: String,
    pub manifest_sha256: String,
}

/// Directory of one vendor's document editions.
pub fn doc_dir(published: &Path, vendor: &str, doc: &str) -> PathBuf {
    published.join(vendor).join(doc)
}

/// Edition names become directory names: keep them to a safe, portable alphabet.
pub fn valid_edition_name(e: &str) -> bool {
    !e.is_empty()
        && e.len() <= 64
        && !e.starts_with('.')
        && e.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && e != "working"
}

pub fn read_log(dir: &Path) -> Result<Vec<LogEntry>, String> {
    let path = dir.join(LOG);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("`{}` is damaged: {e}", path.display()))
}

/// Read the stored document of an edition (or one customer's contract in it).
pub fn read_document(edition_dir: &Path, customer: Option<&str>) -> Result<Assembled, String> {
    let path = match customer {
        Some(c) => edition_dir.join("customers").join(format!("{c}.json")),
        None => edition_dir.join(DOCUMENT_JSON),
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "`{}` is not a clausebook edition document: {e}",
            path.display()
        )
    })
}

pub fn read_manifest(edition_dir: &Path) -> Result<EditionManifest, String> {
    let path = edition_dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("`{}` is damaged: {e}", path.display()))
}

/// The customers whose contracts an edition stores.
pub fn stored_customers(edition_dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(edition_dir.join("customers"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".json")
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Today's date for publication records: SOURCE_DATE_EPOCH when set (reproducible builds),
/// else the clock.
pub fn today() -> chrono::NaiveDate {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        && let Some(dt) = chrono::DateTime::from_timestamp(secs, 0)
    {
        return dt.date_naive();
    }
    chrono::Utc::now().date_naive()
}
