//! The ledger of notices: proof of which customer was sent which notice, when and how (the
//! vendor's answer when a customer contests a change, BW 6:234). One JSON object per line in
//! `published/<vendor>/<doc>/notices.jsonl`, append-only and hash-chained: each line carries
//! the previous line's hash and its own, so `verify` catches a line edited, removed or moved.
//! A line is never appended in place: the whole file is rewritten beside itself and renamed
//! over it, so a crash leaves the old ledger or the new one, never a torn line.

use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use crate::source::{Files, Kind, display_path};

pub const LEDGER: &str = "notices.jsonl";

/// The `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// 1, 2, 3, ...
    pub seq: u64,
    pub vendor: String,
    pub document: String,
    pub customer: Option<String>,
    pub from: String,
    pub to: String,
    /// YYYY-MM-DD: the date the notice carries.
    pub notice_date: String,
    /// YYYY-MM-DD: when it was recorded (SOURCE_DATE_EPOCH or the clock).
    pub recorded: String,
    /// How it went out: e-mail, post, portal, ...
    pub channel: String,
    /// SHA-256 of the notice: of its files' names and hashes, one "name sha256" line each.
    pub notice_sha256: String,
    /// Each file sent (notice.pdf, notice.md, the attached edition) with its SHA-256.
    pub files: IndexMap<String, String>,
    /// The previous line's `hash` ([`GENESIS`] for the first).
    pub prev: String,
    /// SHA-256 of this line written with `hash` empty.
    pub hash: String,
}

/// One notice written by `notice`, to be recorded.
pub struct Sent {
    pub customer: Option<String>,
    pub files: IndexMap<String, String>,
}

pub fn notice_hash(files: &IndexMap<String, String>) -> String {
    let mut s = String::new();
    for (name, h) in files {
        s.push_str(&format!("{name} {h}\n"));
    }
    sha256_hex(s.as_bytes())
}

fn line_hash(e: &Entry) -> String {
    let mut blank = e.clone();
    blank.hash = String::new();
    sha256_hex(serde_json::to_string(&blank).unwrap_or_default().as_bytes())
}

/// Read the ledger (relative path `doc_dir`), one entry per line; none yet is empty. Lines
/// that do not parse are errors with their line number.
pub fn read(files: &dyn Files, doc_dir: &Path) -> Result<Vec<Entry>, String> {
    let path = doc_dir.join(LEDGER);
    if files.kind(&path) == Kind::Missing {
        return Ok(Vec::new());
    }
    let bytes = files.read(&path, super::MAX_EDITION_FILE)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{}: is not UTF-8 text", display_path(&path)))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| format!("{}:{}: not a ledger entry: {e}", display_path(&path), i + 1))
        })
        .collect()
}

/// Every break in the chain: (line number, what is wrong).
pub fn check(entries: &[Entry]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let line = i + 1;
        if e.hash != line_hash(e) {
            out.push((
                line,
                format!(
                    "entry {} (customer {}) was changed after it was recorded: its hash does not match its content",
                    e.seq,
                    e.customer.as_deref().unwrap_or("-")
                ),
            ));
        }
        if e.prev != prev {
            out.push((
                line,
                format!(
                    "entry {} does not follow the line before it: a line was removed, inserted or moved",
                    e.seq
                ),
            ));
        }
        if e.seq != line as u64 {
            out.push((
                line,
                format!(
                    "entry {} stands at line {line}: lines were removed or moved",
                    e.seq
                ),
            ));
        }
        prev = e.hash.clone();
    }
    out
}

/// Append `sent` to the ledger in `dir` (a path on disk; `rel` the same relative to the
/// project, for reading through the project's files). The caller holds the document's lock.
pub fn append(
    files: &dyn Files,
    rel: &Path,
    dir: &Path,
    head: (&str, &str, &str, &str),
    notice_date: &str,
    channel: &str,
    sent: &[Sent],
) -> Result<Vec<Entry>, String> {
    let (vendor, document, from, to) = head;
    let mut entries = read(files, rel)?;
    let broken = check(&entries);
    if let Some((line, what)) = broken.first() {
        return Err(format!(
            "{}:{line}: {what}; nothing was recorded (run `clausebook verify`)",
            display_path(&rel.join(LEDGER))
        ));
    }
    let recorded = super::today().format("%Y-%m-%d").to_string();
    let mut added = Vec::new();
    for s in sent {
        let mut e = Entry {
            seq: entries.len() as u64 + 1,
            vendor: vendor.into(),
            document: document.into(),
            customer: s.customer.clone(),
            from: from.into(),
            to: to.into(),
            notice_date: notice_date.into(),
            recorded: recorded.clone(),
            channel: channel.into(),
            notice_sha256: notice_hash(&s.files),
            files: s.files.clone(),
            prev: entries
                .last()
                .map_or_else(|| GENESIS.to_string(), |l| l.hash.clone()),
            hash: String::new(),
        };
        e.hash = line_hash(&e);
        entries.push(e.clone());
        added.push(e);
    }
    let mut text = String::new();
    for e in &entries {
        text.push_str(&serde_json::to_string(e).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    crate::output::write_atomic(&dir.join(LEDGER), text.as_bytes())?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemFiles;

    fn entries(n: usize) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for i in 0..n {
            let mut e = Entry {
                seq: i as u64 + 1,
                vendor: "v".into(),
                document: "d".into(),
                customer: Some(format!("c{i}")),
                from: "1".into(),
                to: "2".into(),
                notice_date: "2025-01-15".into(),
                recorded: "2025-01-15".into(),
                channel: "e-mail".into(),
                notice_sha256: "x".into(),
                files: IndexMap::new(),
                prev: out.last().map_or(GENESIS.into(), |l| l.hash.clone()),
                hash: String::new(),
            };
            e.hash = line_hash(&e);
            out.push(e);
        }
        out
    }

    #[test]
    fn the_chain_catches_edits_removals_and_reordering() {
        let good = entries(3);
        assert!(check(&good).is_empty());
        let mut edited = good.clone();
        edited[1].channel = "post".into();
        assert_eq!(check(&edited)[0].0, 2);
        let mut removed = good.clone();
        removed.remove(1);
        assert!(!check(&removed).is_empty());
        let mut moved = good.clone();
        moved.swap(0, 1);
        assert!(!check(&moved).is_empty());
        // Re-hashing an edited line does not help: the next line's `prev` no longer matches.
        let mut rehashed = good.clone();
        rehashed[0].customer = Some("someone-else".into());
        rehashed[0].hash = line_hash(&rehashed[0]);
        assert_eq!(check(&rehashed)[0].0, 2);
    }

    #[test]
    fn a_damaged_line_is_named() {
        let mut m = MemFiles::new();
        m.insert("p/notices.jsonl", "{\"seq\": 1}\n");
        let e = read(&m, Path::new("p")).unwrap_err();
        assert!(
            e.starts_with("p/notices.jsonl:1: not a ledger entry"),
            "{e}"
        );
    }
}
