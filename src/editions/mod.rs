//! Published editions: `published/<vendor>/<doc>/<edition>/` holds the assembled document as
//! data, its renderings, every customer's contract as data, and a manifest of SHA-256 hashes.
//! A per-document log (`editions.json`) chains the manifests' hashes so that an edited
//! manifest is caught too. Nothing here ever rewrites a published file.

pub mod commands;
pub mod drift;
pub mod ledger;
pub mod publish;
pub mod verify;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::assemble::Assembled;
use crate::assemble::model::FORMAT_VERSION;
use crate::source::{Files, Kind, display_path};

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

/// The largest file of an edition clausebook reads back (a PDF of a long document is a few
/// MB; a stored contract far less).
pub const MAX_EDITION_FILE: u64 = 256 * 1024 * 1024;

/// Read a published file through the project's files: confined to the project, regular
/// files only.
fn read_json<T: serde::de::DeserializeOwned>(
    files: &dyn Files,
    path: &Path,
    what: &str,
) -> Result<T, String> {
    let bytes = files.read(path, MAX_EDITION_FILE)?;
    serde_json::from_slice(&bytes).map_err(|e| format!("`{}` {what}: {e}", display_path(path)))
}

/// The log of a document's editions (`dir` relative to the project); none yet is empty.
pub fn read_log(files: &dyn Files, dir: &Path) -> Result<Vec<LogEntry>, String> {
    let path = dir.join(LOG);
    if files.kind(&path) == Kind::Missing {
        return Ok(Vec::new());
    }
    read_json(files, &path, "is damaged")
}

/// Read the stored document of an edition (or one customer's contract in it). A document
/// written by a newer clausebook, in a shape this one does not know, is refused rather than
/// misread.
pub fn read_document(
    files: &dyn Files,
    edition_dir: &Path,
    customer: Option<&str>,
) -> Result<Assembled, String> {
    let path = match customer {
        Some(c) => edition_dir.join("customers").join(format!("{c}.json")),
        None => edition_dir.join(DOCUMENT_JSON),
    };
    let format: FormatOnly = read_json(files, &path, "is not a clausebook edition document")?;
    if format.format > FORMAT_VERSION {
        return Err(format!(
            "`{}` has document format {}, newer than this clausebook's {FORMAT_VERSION}: \
             upgrade clausebook to read it",
            display_path(&path),
            format.format
        ));
    }
    read_json(files, &path, "is not a clausebook edition document")
}

#[derive(Deserialize)]
struct FormatOnly {
    format: u32,
}

pub fn read_manifest(files: &dyn Files, edition_dir: &Path) -> Result<EditionManifest, String> {
    read_json(files, &edition_dir.join(MANIFEST), "is damaged")
}

/// The customers whose contracts an edition stores.
pub fn stored_customers(files: &dyn Files, edition_dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = files
        .list(&edition_dir.join("customers"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemFiles;

    #[test]
    fn a_document_of_a_newer_format_is_refused_not_misread() {
        let mut m = MemFiles::new();
        m.insert(
            "published/v/d/e/document.json",
            format!("{{\"format\": {}, \"anything\": 1}}", FORMAT_VERSION + 1),
        );
        m.insert("published/v/d/f/document.json", "{\"format\": 1}");
        let e = read_document(&m, Path::new("published/v/d/e"), None).unwrap_err();
        assert!(e.contains("newer than this clausebook's"), "{e}");
        let e = read_document(&m, Path::new("published/v/d/f"), None).unwrap_err();
        assert!(e.contains("is not a clausebook edition document"), "{e}");
        assert!(read_log(&m, Path::new("published/v/d")).unwrap().is_empty());
    }
}
