//! Editions, diffs and change notices, on a realistic sequence: publish 2024-01; change a
//! parameter default, reword a clause, insert a clause mid-article (renumbering the rest and
//! a cross-reference), remove one; publish 2025-01; then diff, notice and verify.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::copy_dir;

struct Project {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    fn new() -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("p");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editions"),
            &root,
        );
        Project { _tmp: tmp, root }
    }

    fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_clausebook"))
            .arg("--root")
            .arg(&self.root)
            .args(["--color", "never"])
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1704067200")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    fn ok<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(&self, args: &[S]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "{args:?} failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// `publish` of the fixture's vendor and document.
    fn publish(&self, edition: &str, effective: &str) -> Vec<String> {
        self.args("publish", &["--edition", edition, "--effective", effective])
    }

    /// `diff` of the fixture's vendor and document, `from` → `to`, with more flags.
    fn diff(&self, from: &str, to: &str, more: &[&str]) -> Vec<String> {
        let mut a = vec!["--from", from, "--to", to];
        a.extend(more);
        self.args("diff", &a)
    }

    /// `notice` of the fixture's vendor and document, `from` → `to`, with more flags.
    fn notice(&self, from: &str, to: &str, more: &[&str]) -> Vec<String> {
        let mut a = vec!["--from", from, "--to", to];
        a.extend(more);
        self.args("notice", &a)
    }

    fn args(&self, command: &str, more: &[&str]) -> Vec<String> {
        [command, "--vendor", "wolkenwerk", "--doc", "terms"]
            .iter()
            .chain(more)
            .map(|s| s.to_string())
            .collect()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.path(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Issue 14's change: a reworded clause, a changed parameter, a moved clause, a list
    /// edited in a clause marked editorial, and the editor's toelichting; published with
    /// a notice date that leaves the notice period.
    fn issue14() -> Project {
        let p = Project::new();
        p.ok(&p.publish("2024-01", "2024-01-01"));
        p.edit(
            "clauses/20-service/01-availability.md",
            "spant zich ervoor in dat",
            "zorgt ervoor dat",
        );
        p.edit(
            "clauses/40-liability/module.yaml",
            "default: EUR 25000",
            "default: EUR 30000",
        );
        p.edit(
            "clauses/20-service/02-support.md",
            "bevestigt een melding",
            "bevestigt elke melding",
        );
        std::fs::rename(
            p.path("clauses/40-liability/02-intent.md"),
            p.path("clauses/40-liability/04-intent.md"),
        )
        .unwrap();
        p.write(
            "changes/wolkenwerk/terms/2025-01.yaml",
            "service.availability:\n  kind: material\n  toelichting: Wij beloven de beschikbaarheid voortaan, in plaats van alleen ons best te doen.\nliability.cap:\n  kind: material\n  toelichting: De grens van onze aansprakelijkheid gaat omhoog.\nservice.support:\n  kind: editorial\n  toelichting: Alleen een taalkundige verbetering.\n",
        );
        let mut a = p.publish("2025-01", "2025-03-01");
        a.extend(["--notice-date".into(), "2025-01-15".into()]);
        p.ok(&a);
        p
    }

    /// The 2024-01 → 2025-01 sequence of the issue.
    fn sequence() -> Project {
        let p = Project::new();
        p.ok(&p.publish("2024-01", "2024-01-01"));
        p.edit(
            "clauses/40-liability/module.yaml",
            "default: EUR 25000",
            "default: EUR 30000",
        );
        p.edit(
            "clauses/20-service/01-availability.md",
            "spant zich ervoor in dat",
            "zorgt ervoor dat",
        );
        p.write(
            "clauses/40-liability/02-insurance.md",
            "---\nid: liability.insurance\nversion: 1.0.0\n---\n{{ vendor.short_name }} houdt een passende aansprakelijkheidsverzekering in stand.\n",
        );
        p.write(
            "clauses/60-term/01-renewal.md",
            "---\nid: term.renewal-notice\nversion: 1.0.0\n---\n{{ vendor.short_name }} herinnert de Klant tijdig aan de verlenging.\n",
        );
        std::fs::remove_file(p.path("clauses/10-applicability/02-offers.md")).unwrap();
        p.ok(&p.publish("2025-01", "2025-03-01"));
        p
    }
}

fn clause<'a>(diff: &'a Value, id: &str) -> &'a Value {
    diff["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["clauses"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id} in diff"))
}

#[test]
fn publish_writes_a_complete_read_only_edition() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    let dir = p.path("published/wolkenwerk/terms/2024-01");
    for f in [
        "document.json",
        "document.html",
        "document.md",
        "manifest.json",
        "customers/bakkerij-van-dam.json",
    ] {
        let meta = std::fs::metadata(dir.join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        assert!(meta.permissions().readonly(), "{f} should be read-only");
    }
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["edition"], "2024-01");
    assert_eq!(manifest["effective"], "2024-01-01");
    assert_eq!(
        manifest["published"], "2024-01-01",
        "SOURCE_DATE_EPOCH is the publication date"
    );
    assert!(
        manifest["inputs"]["clauses/40-liability/01-cap.md"]
            .as_str()
            .unwrap()
            .len()
            == 64
    );
    assert!(manifest["outputs"]["document.json"].is_string());
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("document.json")).unwrap()).unwrap();
    assert_eq!(doc["version"], "2024-01");
    assert_eq!(
        doc["parameters"]["liability.cap_amount"]["display"],
        "EUR 25.000,-"
    );
    assert_eq!(doc["parameters"]["service.availability"]["layer"], "vendor");
    let html = std::fs::read_to_string(dir.join("document.html")).unwrap();
    assert!(
        html.contains("1 januari 2024"),
        "the edition's date is in the document"
    );

    // Publishing the same edition again is refused, quoting its hash, and changes nothing.
    let before = std::fs::read(dir.join("manifest.json")).unwrap();
    let o = p.run(&p.publish("2024-01", "2024-02-01"));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already published (manifest sha256 "), "{err}");
    assert_eq!(std::fs::read(dir.join("manifest.json")).unwrap(), before);
}

#[test]
fn publish_of_broken_terms_writes_nothing() {
    let p = Project::new();
    p.edit(
        "clauses/40-liability/01-cap.md",
        "{{ liability.cap_amount }}",
        "{{ liability.cap_amont }}",
    );
    let o = p.run(&p.publish("2024-01", "2024-01-01"));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("clauses/40-liability/01-cap.md:"));
    assert!(!p.path("published/wolkenwerk/terms/2024-01").exists());
    let leftovers: Vec<_> = std::fs::read_dir(p.path("published/wolkenwerk/terms"))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "no partial edition: {leftovers:?}");
}

#[test]
fn diff_classifies_every_clause() {
    let p = Project::sequence();
    let json: Value =
        serde_json::from_str(&p.ok(&p.diff("2024-01", "2025-01", &["--format", "json"]))).unwrap();
    let change = |id: &str| clause(&json, id)["change"].as_str().unwrap().to_string();
    assert_eq!(change("applicability.offers"), "removed");
    assert_eq!(change("service.availability"), "reworded");
    assert_eq!(change("liability.insurance"), "added");
    assert_eq!(change("term.renewal-notice"), "added");
    assert_eq!(change("liability.cap"), "parameter_changed");
    assert_eq!(change("liability.intent"), "renumbered");
    assert_eq!(clause(&json, "liability.intent")["old_number"], "5.2");
    assert_eq!(clause(&json, "liability.intent")["new_number"], "5.3");
    assert_eq!(change("liability.deadline"), "renumbered");
    // payment.price-changes refers to term.termination, which moved from 7.2 to 7.3.
    assert_eq!(change("payment.price-changes"), "references_renumbered");
    assert_eq!(change("term.termination"), "renumbered");
    assert_eq!(change("law.governing"), "unchanged");
    assert_eq!(json["summary"]["added"], 2);
    assert_eq!(json["summary"]["removed"], 1);
    assert_eq!(json["summary"]["reworded"], 1);

    // The parameter change is named as such, with the clauses it affects.
    let params = json["parameters"].as_array().unwrap();
    assert_eq!(params.len(), 1, "{params:?}");
    assert_eq!(params[0]["label"], "aansprakelijkheidslimiet");
    assert_eq!(params[0]["old"], "EUR 25.000,-");
    assert_eq!(params[0]["new"], "EUR 30.000,-");
    assert_eq!(params[0]["clauses"], serde_json::json!(["liability.cap"]));

    // Word-level redline of the reworded clause.
    let red = clause(&json, "service.availability")["redline"]
        .as_array()
        .unwrap();
    let deleted: String = red
        .iter()
        .filter(|s| s["op"] == "delete")
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    let inserted: String = red
        .iter()
        .filter(|s| s["op"] == "insert")
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(deleted.contains("spant zich"), "{deleted}");
    assert!(inserted.contains("zorgt"), "{inserted}");

    let text = p.ok(&p.diff("2024-01", "2025-01", &[]));
    insta::assert_snapshot!("diff_text", text);
    assert!(text.contains("5.3 (was 5.2)"));
    assert!(text.contains("aansprakelijkheidslimiet: EUR 25.000,- → EUR 30.000,-"));
    let html = p.ok(&p.diff("2024-01", "2025-01", &["--format", "html"]));
    assert!(html.contains("<del>") && html.contains("<ins>"));
    assert!(
        html.contains("text-decoration:line-through"),
        "deletions survive black-and-white printing"
    );
}

#[test]
fn diff_against_working_copy_and_old_side_is_stored_data() {
    let p = Project::sequence();
    let before = p.ok(&p.diff("2024-01", "2025-01", &[]));
    // Editing templates after publishing must not change either side of a diff of editions.
    p.edit(
        "clauses/40-liability/01-cap.md",
        "is per gebeurtenis beperkt",
        "is in totaal beperkt",
    );
    std::fs::create_dir_all(p.path("templates")).unwrap();
    p.write("templates/document.html", "<html>{{ doc.title }}</html>");
    let after = p.ok(&p.diff("2024-01", "2025-01", &[]));
    assert_eq!(before, after);
    let working = p.ok(&p.diff("2025-01", "working", &[]));
    assert!(working.contains("werkversie"), "{working}");
    assert!(
        working.contains("[-per gebeurtenis-]{+in totaal+}"),
        "{working}"
    );
}

#[test]
fn notice_for_each_customer_whose_text_changed() {
    let p = Project::sequence();
    let o = p.run(&p.notice(
        "2024-01",
        "2025-01",
        &["--all-customers", "--date", "2025-01-15"],
    ));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2 written, 0 skipped"), "{err}");
    let dir = p.path("out/notices/wolkenwerk/terms/2024-01-to-2025-01");
    let md = std::fs::read_to_string(dir.join("drukkerij-jansen/notice.md")).unwrap();
    insta::assert_snapshot!("notice_md", md);
    assert!(md.contains("Aan: Drukkerij Jansen V.O.F."));
    assert!(md.contains("Ingangsdatum: **1 maart 2025**"));
    assert!(md.contains("aansprakelijkheidslimiet: ~~EUR 25.000,-~~ → **EUR 30.000,-**"));
    assert!(md.contains("kosteloos opzeggen"));
    // Van Dam negotiated their own cap: the default's change is not in their notice.
    let vd = std::fs::read_to_string(dir.join("bakkerij-van-dam/notice.md")).unwrap();
    assert!(!vd.contains("aansprakelijkheidslimiet"), "{vd}");
    let html = std::fs::read_to_string(dir.join("drukkerij-jansen/notice.html")).unwrap();
    assert!(html.contains("lang=\"nl\"") && html.contains("<ins>"));
    let pdf = std::fs::read(dir.join("drukkerij-jansen/notice.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "the notice is also a PDF");
}

#[test]
fn customer_whose_contract_did_not_change_gets_no_notice() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    // Only the cap default changes; Van Dam has their own cap, so their contract is the same.
    p.edit(
        "clauses/40-liability/module.yaml",
        "default: EUR 25000",
        "default: EUR 30000",
    );
    p.ok(&p.publish("2025-01", "2025-03-01"));
    let o = p.run(&p.notice(
        "2024-01",
        "2025-01",
        &["--all-customers", "--date", "2025-01-15"],
    ));
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 written, 1 skipped"));
    let dir = p.path("out/notices/wolkenwerk/terms/2024-01-to-2025-01");
    assert!(dir.join("drukkerij-jansen/notice.md").exists());
    assert!(!dir.join("bakkerij-van-dam").exists());
}

#[test]
fn notice_refuses_an_effective_date_inside_the_notice_period() {
    let p = Project::sequence();
    let o = p.run(&p.notice("2024-01", "2025-01", &["--date", "2025-02-15"]));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("effective date 2025-03-01 is too early"),
        "{err}"
    );
    assert!(
        err.contains("earliest effective date is 2025-03-17"),
        "{err}"
    );
    assert!(!p.path("out/notices").exists());
}

#[test]
fn verify_catches_a_flipped_byte_and_an_edited_manifest() {
    let p = Project::sequence();
    p.ok(&["verify"]);
    let pdf_or_html = p.path("published/wolkenwerk/terms/2025-01/document.pdf");
    let mut bytes = std::fs::read(&pdf_or_html).unwrap();
    let last = bytes.len() / 2;
    bytes[last] ^= 0x01;
    let mut perms = std::fs::metadata(&pdf_or_html).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pdf_or_html, perms.clone()).unwrap();
    std::fs::write(&pdf_or_html, bytes).unwrap();
    let manifest = p.path("published/wolkenwerk/terms/2024-01/manifest.json");
    std::fs::set_permissions(&manifest, perms).unwrap();
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(
            "\"effective\": \"2024-01-01\"",
            "\"effective\": \"2023-01-01\"",
        ),
    )
    .unwrap();
    let o = p.run(&["verify"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "published/wolkenwerk/terms/2025-01/document.pdf: content changed: expected sha256"
        ),
        "{err}"
    );
    assert!(
        err.contains("published/wolkenwerk/terms/2024-01/manifest.json: manifest changed"),
        "{err}"
    );
}

/// The notice's HTML comes from a built-in template that a project can replace.
#[test]
fn notice_template_can_be_overridden() {
    let p = Project::sequence();
    std::fs::create_dir_all(p.path("templates")).unwrap();
    p.write(
        "templates/notice.html",
        "<html lang=\"{{ n.locale }}\"><body>EIGEN SJABLOON {{ n.effective_date }} {{ detail | safe }}</body></html>",
    );
    p.ok(&p.notice(
        "2024-01",
        "2025-01",
        &[
            "--customer",
            "drukkerij-jansen",
            "--date",
            "2025-01-15",
            "--format",
            "html",
        ],
    ));
    let html = std::fs::read_to_string(
        p.path("out/notices/wolkenwerk/terms/2024-01-to-2025-01/drukkerij-jansen/notice.html"),
    )
    .unwrap();
    assert!(
        html.starts_with("<html lang=\"nl\"><body>EIGEN SJABLOON 1 maart 2025"),
        "{html}"
    );
    assert!(html.contains("<ins>"));
    // A broken override is an error naming the file, and writes nothing.
    p.write("templates/notice.html", "{% if %}");
    std::fs::remove_dir_all(p.path("out")).unwrap();
    let o = p.run(&p.notice("2024-01", "2025-01", &["--date", "2025-01-15"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("templates/notice.html"));
    assert!(!p.path("out/notices").exists());
}

/// Issue 10, row 21: `editions.json` is covered by `verify` as a whole, dates included.
#[test]
fn verify_catches_an_edited_date_in_the_edition_log() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    p.ok(&["verify"]);
    let log = p.path("published/wolkenwerk/terms/editions.json");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("\"published\": \"2024-01-01\""), "{text}");
    std::fs::write(
        &log,
        text.replace(
            "\"published\": \"2024-01-01\"",
            "\"published\": \"2020-01-01\"",
        ),
    )
    .unwrap();
    let o = p.run(&["verify"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`published` of edition `2024-01` changed: the edition's manifest says 2024-01-01, editions.json says 2020-01-01"),
        "{err}"
    );
}

/// Issue 10, row 20: a publish killed after its edition was renamed into place but before the
/// log recorded it is repaired by the next publish; two publishes at once both land.
#[test]
fn a_torn_publish_is_repaired_and_concurrent_publishes_both_land() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    p.ok(&p.publish("2024-02", "2024-02-01"));
    // As if killed between the edition's rename and the log's: 2024-02 is not in the log.
    let log = p.path("published/wolkenwerk/terms/editions.json");
    let entries: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    std::fs::write(&log, serde_json::to_string_pretty(&entries[..1]).unwrap()).unwrap();
    let o = p.run(&["verify"]);
    assert_eq!(o.status.code(), Some(1), "the torn state is visible");

    // Two publishes at once: the lock serialises them, and the first repairs the log.
    // The same effective date for both: whichever lands second must not be refused for
    // taking effect before the first.
    let a = p.publish("2024-03", "2024-03-01");
    let b = p.publish("2024-04", "2024-03-01");
    let spawn = |args: &Vec<String>| {
        Command::new(env!("CARGO_BIN_EXE_clausebook"))
            .arg("--root")
            .arg(&p.root)
            .args(["--color", "never"])
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1704067200")
            .spawn()
            .unwrap()
    };
    let (mut x, mut y) = (spawn(&a), spawn(&b));
    assert!(x.wait().unwrap().success());
    assert!(y.wait().unwrap().success());
    p.ok(&["verify"]);
    let entries: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["edition"].as_str().unwrap())
        .collect();
    for e in ["2024-01", "2024-02", "2024-03", "2024-04"] {
        assert!(names.contains(&e), "{e} is recorded: {names:?}");
    }
    assert_eq!(names.len(), 4);
}

/// Every input that shaped an edition is in its manifest: the page template, the HTML
/// template and the vendor's logo too, not only clauses and YAML (all are read through the
/// project's one door to the disk, which records each read).
#[test]
fn manifest_hashes_templates_and_logos() {
    let p = Project::new();
    std::fs::create_dir_all(p.path("templates/logos")).unwrap();
    let builtin_html = include_str!("../templates/document.html");
    p.write(
        "templates/document.html",
        &builtin_html.replacen("<body", "<!-- house style --><body", 1),
    );
    p.write(
        "templates/logos/wolkenwerk.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#,
    );
    p.ok(&p.publish("2024-01", "2024-01-01"));
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(p.path("published/wolkenwerk/terms/2024-01/manifest.json"))
            .unwrap(),
    )
    .unwrap();
    let inputs = manifest["inputs"].as_object().unwrap();
    for f in [
        "clausebook.yaml",
        "vendors/wolkenwerk.yaml",
        "templates/document.html",
        "templates/logos/wolkenwerk.svg",
    ] {
        assert!(
            inputs
                .get(f)
                .and_then(Value::as_str)
                .is_some_and(|h| h.len() == 64),
            "{f} missing from the manifest's inputs: {:?}",
            inputs.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        !inputs.keys().any(|k| k.starts_with("published/")),
        "earlier editions are not inputs"
    );
}

/// Symbolic links under `published/` are reported, never followed: links to `.` made the
/// walk endless, one to `/etc` walked outside the project.
#[cfg(unix)]
#[test]
fn verify_reports_symlinks_and_never_follows_them() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    let edition = p.path("published/wolkenwerk/terms");
    for name in ["a", "b", "c"] {
        std::os::unix::fs::symlink(".", edition.join(name)).unwrap();
    }
    std::os::unix::fs::symlink("/etc", p.path("published/wolkenwerk/etc")).unwrap();
    let start = std::time::Instant::now();
    let o = p.run(&["verify"]);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("published/wolkenwerk/terms/a: is a symbolic link"),
        "{err}"
    );
    assert!(
        err.contains("published/wolkenwerk/etc: is a symbolic link"),
        "{err}"
    );
    assert!(!err.contains("passwd"), "{err}");
}

/// Issue 14, "done when": each customer whose text changed gets a notice in HTML, PDF and
/// Markdown with the editor's toelichting, the editorial change apart, the moved clause
/// named, no internal ids or diff markup, lists intact, and the new edition attached.
#[test]
fn notice_a_customer_can_act_on_in_every_format() {
    let p = Project::issue14();
    let stored =
        std::fs::read_to_string(p.path("published/wolkenwerk/terms/2025-01/changes.json")).unwrap();
    assert!(
        stored.contains("Alleen een taalkundige verbetering."),
        "{stored}"
    );
    p.ok(&p.notice(
        "2024-01",
        "2025-01",
        &["--all-customers", "--date", "2025-01-15"],
    ));
    let dir = p.path("out/notices/wolkenwerk/terms/2024-01-to-2025-01/drukkerij-jansen");
    let md = std::fs::read_to_string(dir.join("notice.md")).unwrap();
    insta::assert_snapshot!("notice_issue14_md", md);
    let html = std::fs::read_to_string(dir.join("notice.html")).unwrap();
    let pdf = common::pdf_text(&dir.join("notice.pdf"));
    for (format, text) in [("md", &md), ("html", &html), ("pdf", &pdf)] {
        for must in [
            "3.1 Beschikbaarheid",
            "Wij beloven de beschikbaarheid voortaan",
            "Redactionele wijzigingen",
            "Alleen een taalkundige verbetering.",
            "Vervaltermijn",
            "verplaatst",
            "14 februari 2025",
            "algemene-voorwaarden-2025-01.pdf",
        ] {
            assert!(text.contains(must), "{format} lacks {must:?}:\n{text}");
        }
        for never in [
            "service.availability",
            "liability.cap",
            "[-",
            "{+",
            "wolkenwerk /",
            "drukkerij-jansen",
        ] {
            assert!(!text.contains(never), "{format} shows {never:?}:\n{text}");
        }
    }
    // The redlined list is still a list, item by item.
    assert!(
        md.contains("\na. bevestigt ~~een~~ **elke** melding binnen één (1) werkdag;  \nb. houdt"),
        "{md}"
    );
    assert!(pdf.contains("\nb. houdt de Klant"), "{pdf}");
    // The new edition is attached: beside the notice, linked, and embedded in the PDF.
    let attached = std::fs::read(dir.join("algemene-voorwaarden-2025-01.pdf")).unwrap();
    assert!(attached.starts_with(b"%PDF-"));
    assert!(
        common::pdf_text(&dir.join("algemene-voorwaarden-2025-01.pdf"))
            .contains("zorgt ervoor dat")
    );
    assert!(html.contains("<a href=\"algemene-voorwaarden-2025-01.pdf\">"));
    let notice_pdf = std::fs::read(dir.join("notice.pdf")).unwrap();
    assert!(
        notice_pdf.windows(13).any(|w| w == b"/EmbeddedFile"),
        "the notice PDF embeds the new edition"
    );
    // Van Dam negotiated their cap; their contract still changed (availability), so they
    // get a notice too, without the cap.
    let vd =
        std::fs::read_to_string(dir.parent().unwrap().join("bakkerij-van-dam/notice.md")).unwrap();
    assert!(!vd.contains("Aansprakelijkheidslimiet"), "{vd}");
}

#[test]
fn changes_file_with_an_unknown_id_is_an_error_at_its_line() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    p.write(
        "changes/wolkenwerk/terms/2025-01.yaml",
        "service.availability:\n  kind: material\n  toelichting: Ok.\nservice.availabilty:\n  kind: materieel\n  toelichting: Typo.\n",
    );
    let o = p.run(&p.publish("2025-01", "2025-03-01"));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`service.availabilty` is no clause or article"),
        "{err}"
    );
    assert!(
        err.contains("changes/wolkenwerk/terms/2025-01.yaml:4:1"),
        "{err}"
    );
    assert!(err.contains("service.availability"), "did you mean: {err}");
    assert!(!p.path("published/wolkenwerk/terms/2025-01").exists());
}

#[test]
fn publish_refuses_bad_dates_with_the_earliest_valid_one() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2025-03-01"));
    // Before the previous edition's effective date.
    let mut a = p.publish("2025-01", "2020-01-01");
    a.extend(["--notice-date".into(), "2019-11-01".into()]);
    let o = p.run(&a);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("before the previous edition `2024-01` takes effect (2025-03-01)"),
        "{err}"
    );
    assert!(
        err.contains("the earliest valid effective date is 2025-03-01"),
        "{err}"
    );
    // Inside the notice period counted from --notice-date (30 dagen).
    let mut a = p.publish("2025-01", "2025-03-10");
    a.extend(["--notice-date".into(), "2025-02-20".into()]);
    let o = p.run(&a);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "customers told on 2025-02-20 must have the notice period of dertig (30) dagen"
        ),
        "{err}"
    );
    assert!(
        err.contains("the earliest valid effective date is 2025-03-22"),
        "{err}"
    );
    assert!(!p.path("published/wolkenwerk/terms/2025-01").exists());
    // The earliest valid date is accepted.
    let mut a = p.publish("2025-01", "2025-03-22");
    a.extend(["--notice-date".into(), "2025-02-20".into()]);
    p.ok(&a);
}

#[test]
fn notice_period_in_werkdagen_skips_public_holidays() {
    let p = Project::new();
    p.edit(
        "clauses/70-changes/module.yaml",
        "default: 30 dagen",
        "default: 5 werkdagen",
    );
    p.ok(&p.publish("2024-01", "2024-01-01"));
    p.edit(
        "clauses/20-service/01-availability.md",
        "spant zich ervoor in dat",
        "zorgt ervoor dat",
    );
    // Told on Thursday 17 April 2025: Goede Vrijdag, the weekend and Tweede Paasdag do not
    // count; five werkdagen end on Monday 28 April (weekends alone would give Thursday 24).
    let mut a = p.publish("2025-01", "2025-04-25");
    a.extend(["--notice-date".into(), "2025-04-17".into()]);
    let o = p.run(&a);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Goede Vrijdag 2025-04-18, Tweede Paasdag 2025-04-21"),
        "{err}"
    );
    assert!(
        err.contains("the earliest valid effective date is 2025-04-28"),
        "{err}"
    );
    let mut a = p.publish("2025-01", "2025-04-28");
    a.extend(["--notice-date".into(), "2025-04-17".into()]);
    p.ok(&a);
    p.ok(&p.notice(
        "2024-01",
        "2025-01",
        &["--date", "2025-04-17", "--format", "md"],
    ));
    let md = std::fs::read_to_string(
        p.path("out/notices/wolkenwerk/terms/2024-01-to-2025-01/notice.md"),
    )
    .unwrap();
    assert!(
        md.contains("op zijn vroegst ingaan op 28 april 2025"),
        "{md}"
    );
    assert!(
        md.contains("Goede Vrijdag (18 april 2025), Tweede Paasdag (21 april 2025)"),
        "{md}"
    );
}

#[test]
fn publish_dry_run_shows_the_edition_and_writes_nothing() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    p.edit(
        "clauses/20-service/01-availability.md",
        "spant zich ervoor in dat",
        "zorgt ervoor dat",
    );
    let mut a = p.publish("2025-01", "2025-03-01");
    a.push("--dry-run".into());
    let out = p.ok(&a);
    assert!(
        out.contains("dry run: edition 2025-01 of terms for wolkenwerk (effective 2025-03-01)"),
        "{out}"
    );
    assert!(out.contains("customers/drukkerij-jansen.json"), "{out}");
    assert!(
        out.contains("changes against edition 2024-01 (effective 2024-01-01): 1 tekst gewijzigd"),
        "{out}"
    );
    assert!(
        out.contains("3.1 Beschikbaarheid: tekst gewijzigd  (no toelichting)"),
        "{out}"
    );
    assert!(!p.path("published/wolkenwerk/terms/2025-01").exists());
    let log = std::fs::read_to_string(p.path("published/wolkenwerk/terms/editions.json")).unwrap();
    assert!(!log.contains("2025-01"));
    // The dry run refuses what publish would refuse.
    let mut a = p.publish("2025-01", "2023-01-01");
    a.push("--dry-run".into());
    assert_eq!(p.run(&a).status.code(), Some(1));
}

#[test]
fn ledger_records_each_notice_and_verify_catches_an_edited_line() {
    let p = Project::issue14();
    let mut a = p.notice(
        "2024-01",
        "2025-01",
        &[
            "--all-customers",
            "--date",
            "2025-01-15",
            "--record",
            "--channel",
            "post",
        ],
    );
    let o = p.run(&a);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("recorded 2 notice(s)"));
    let ledger = p.path("published/wolkenwerk/terms/notices.jsonl");
    let text = std::fs::read_to_string(&ledger).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["customer"], "bakkerij-van-dam");
    assert_eq!(lines[1]["customer"], "drukkerij-jansen");
    assert_eq!(lines[1]["prev"], lines[0]["hash"]);
    assert_eq!(lines[1]["channel"], "post");
    // The recorded hash is that of the files sent.
    let sent = std::fs::read(
        p.path("out/notices/wolkenwerk/terms/2024-01-to-2025-01/drukkerij-jansen/notice.pdf"),
    )
    .unwrap();
    assert_eq!(lines[1]["files"]["notice.pdf"], sha256(&sent));
    p.ok(&["verify"]);
    let list = p.ok(&p.args("notices", &[]));
    assert!(list.contains("2025-01-15 drukkerij-jansen"), "{list}");
    assert!(list.contains("2024-01 → 2025-01"), "{list}");

    // Recording again appends (a second mailing is a fact too), chained on.
    a.truncate(a.len() - 2);
    p.ok(&a);
    let text = std::fs::read_to_string(&ledger).unwrap();
    assert_eq!(text.lines().count(), 4);

    // An edited line: verify names it, and nothing more is recorded on a broken chain.
    std::fs::write(
        &ledger,
        text.replacen("\"channel\":\"post\"", "\"channel\":\"portal\"", 1),
    )
    .unwrap();
    let o = p.run(&["verify"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("published/wolkenwerk/terms/notices.jsonl:1: entry 1 (customer bakkerij-van-dam) was changed"), "{err}");
    let o = p.run(&a);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&ledger).unwrap().lines().count(), 4);

    // A removed line breaks the chain too.
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(
        &ledger,
        format!("{}\n{}\n{}\n", lines[0], lines[2], lines[3]),
    )
    .unwrap();
    let o = p.run(&["verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a line was removed, inserted or moved"));
}

fn sha256(b: &[u8]) -> String {
    clausebook::hash::sha256_hex(b)
}

/// A changed parameter without a `label` would show its key in a customer's letter:
/// `publish` warns, and `check` reports every one when the project turns the lint on.
#[test]
fn a_changed_parameter_without_a_label_is_a_warning() {
    let p = Project::new();
    p.ok(&p.publish("2024-01", "2024-01-01"));
    p.edit(
        "clauses/40-liability/module.yaml",
        "default: 12 maanden",
        "default: 6 maanden",
    );
    let o = p.run(&p.publish("2025-01", "2025-03-01"));
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning[missing_label]: parameter `liability.claim_deadline` changed but has no `label`: the change notice will call it `claim deadline`"),
        "{err}"
    );
    assert!(
        !err.contains("liability.cap_amount"),
        "it has a label: {err}"
    );
    // `check` warns by default, at the declaration.
    let check = p.run(&["check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(
        err.contains("warning[missing_label]: parameter `liability.claim_deadline` has no `label`"),
        "{err}"
    );
    assert!(
        err.contains("clauses/40-liability/module.yaml:9:3"),
        "{err}"
    );
    // A project may allow it.
    let manifest = std::fs::read_to_string(p.path("clausebook.yaml")).unwrap();
    p.write(
        "clausebook.yaml",
        &format!("{manifest}lints:\n  missing_label: allow\n"),
    );
    let check = p.run(&["check"]);
    assert!(!String::from_utf8_lossy(&check.stderr).contains("missing_label"));
}
