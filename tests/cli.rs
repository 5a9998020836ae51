//! End-to-end tests of the `clausebook` binary.
//!
//! Every test copies a project from `tests/fixtures/` into a fresh temporary directory and
//! runs the real binary on it, so tests never write into the repository and can run in
//! parallel.
//!
//! - `fixtures/good/`: a small but complete terms project (every parameter type, a
//!   definitions module, a `when:` clause, references, a vendor with exclude/replace/add and
//!   an own module, a customer override). It must build without a single diagnostic.
//! - `fixtures/bad/<kind>/`: one tiny project per kind of mistake, each a copy of the same
//!   minimal base (one module `payment`, one document `terms`, one vendor `acme`) with one
//!   thing broken. The tests assert the exact `file:line:col` of each problem.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

mod common;
use common::copy_dir;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// A fresh temporary copy of `tests/fixtures/<name>`.
fn project(name: &str) -> TempDir {
    let src = fixtures().join(name);
    assert!(src.is_dir(), "no fixture {}", src.display());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&src, dir.path());
    dir
}

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run `clausebook --root <root> --color never <args>` in `root`.
fn run(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("cannot start clausebook");
    Run {
        code: out
            .status
            .code()
            .expect("clausebook was killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is not UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is not UTF-8"),
    }
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: impl AsRef<Path>, text: &str) {
    let path = path.as_ref();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Replace the one occurrence of `from` in a file (fails if it is not there exactly once).
fn edit(path: impl AsRef<Path>, from: &str, to: &str) {
    let path = path.as_ref();
    let text = read(path);
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` not exactly once in {}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Every file under `dir`, relative path -> bytes.
/// Every output file with its bytes; the build cache (`.clausebook-build.json`) is not an
/// output and is left out.
fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".clausebook-build.json") {
                continue;
            }
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// One diagnostic as printed on stderr: its first line and everything up to the next one.
#[derive(Debug)]
struct Printed {
    /// "error: unknown key `titel` in module.yaml"
    header: String,
    /// The whole block, header included.
    text: String,
    /// `file:line:col` of the primary label (the first `┌─` line), if any.
    location: Option<String>,
}

fn printed(stderr: &str) -> Vec<Printed> {
    let mut out: Vec<Printed> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("error") || line.starts_with("warning") {
            out.push(Printed {
                header: line.to_string(),
                text: String::new(),
                location: None,
            });
        }
        let Some(cur) = out.last_mut() else { continue };
        cur.text.push_str(line);
        cur.text.push('\n');
        if cur.location.is_none()
            && let Some(loc) = line.trim_start().strip_prefix("┌─ ")
        {
            cur.location = Some(loc.trim().to_string());
        }
    }
    out
}

/// Assert stderr holds a diagnostic whose header contains `message`, whose primary location
/// is exactly `location` (`file:line:col`), which draws a caret, and which also contains each
/// of `more` (hints, labels).
fn assert_diag(run: &Run, location: &str, message: &str, more: &[&str]) {
    let all = printed(&run.stderr);
    let found = all
        .iter()
        .find(|p| p.header.contains(message) && p.location.as_deref() == Some(location));
    let Some(p) = found else {
        panic!(
            "no diagnostic `{message}` at {location}; got:\n{}",
            all.iter()
                .map(|p| format!("  {} @ {:?}", p.header, p.location))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n--- stderr ---\n"
                + &run.stderr
        );
    };
    assert!(p.header.starts_with("error"), "not an error: {}", p.header);
    assert!(
        p.text.contains('^'),
        "no caret under the problem:\n{}",
        p.text
    );
    for m in more {
        assert!(p.text.contains(m), "diagnostic lacks `{m}`:\n{}", p.text);
    }
}

/// Build a bad fixture: exit 1, a summary line, no out/ directory. Returns the run.
fn build_fails(dir: &Path) -> Run {
    let r = run(dir, &["build"]);
    assert_eq!(r.code, 1, "build should fail:\n{}", r.stderr);
    assert!(r.stdout.is_empty(), "stdout: {}", r.stdout);
    assert!(
        r.stderr.contains("error(s); nothing was written"),
        "no failure summary:\n{}",
        r.stderr
    );
    assert!(!dir.join("out").exists(), "a failed build created out/");
    assert!(
        !r.stderr.contains('\x1b'),
        "colour codes despite --color never"
    );
    r
}

fn bad(kind: &str) -> (TempDir, Run) {
    let dir = project(&format!("bad/{kind}"));
    let r = build_fails(dir.path());
    (dir, r)
}

/// Number of error diagnostics in a run's stderr, from the build/check summary line.
fn error_count(r: &Run) -> usize {
    printed(&r.stderr)
        .iter()
        .filter(|p| p.location.is_some() && p.header.starts_with("error"))
        .count()
}

/// `check --json` output, parsed.
fn check_json(dir: &Path) -> (i32, serde_json::Value) {
    let r = run(dir, &["check", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("check --json is not JSON ({e}):\n{}", r.stdout));
    assert_eq!(
        r.stderr, "",
        "check --json writes diagnostics to stdout only"
    );
    (r.code, json)
}

/// (file, line, column, message) of every JSON diagnostic.
fn json_diags(json: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    json["diagnostics"]
        .as_array()
        .expect("`diagnostics` is not an array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"]
                    .as_str()
                    .expect("diagnostic without message")
                    .to_string(),
            )
        })
        .collect()
}

/// The HTML with what does not belong to the document itself (the built-in stylesheet and
/// the generator version) replaced, so the snapshot shows only what the fixture controls.
fn redact_html(html: &str) -> String {
    let start = html.find("<style>").expect("no <style>") + "<style>".len();
    let end = html.find("</style>").expect("no </style>");
    let mut s = format!(
        "{}\n[built-in stylesheet]\n{}",
        &html[..start],
        &html[end..]
    );
    let version = format!("clausebook {}", env!("CARGO_PKG_VERSION"));
    s = s.replace(&version, "clausebook [version]");
    s
}

const VENDOR_HTML: &str = "out/acme/terms.html";
const VENDOR_MD: &str = "out/acme/terms.md";
const CUSTOMER_HTML: &str = "out/acme/customers/bakkerij-bol/terms.html";
const CUSTOMER_MD: &str = "out/acme/customers/bakkerij-bol/terms.md";

fn built_good() -> TempDir {
    let dir = project("good");
    let r = run(dir.path(), &["build", "--all-customers"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

// ---------------------------------------------------------------------------------------------
// The good fixture
// ---------------------------------------------------------------------------------------------

#[test]
fn good_fixture_checks_clean() {
    let dir = project("good");
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "checked 2 document(s): 0 error(s), 0 warning(s)\n"
    );
    assert!(r.stdout.is_empty());
    assert!(
        !dir.path().join("out").exists(),
        "check must not write output"
    );

    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0);
    assert_eq!(json["errors"], 0);
    assert_eq!(json["warnings"], 0);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
}

#[test]
fn good_fixture_builds_every_file() {
    let dir = project("good");
    let r = run(dir.path(), &["build", "--all-customers"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .starts_with("built 2 document(s) as html, md, pdf: 2 rendered, 0 unchanged, 6 file(s) written, into "),
        "{}",
        r.stderr
    );
    let files: Vec<String> = snapshot_tree(&dir.path().join("out")).into_keys().collect();
    assert_eq!(
        files,
        [
            "acme/customers/bakkerij-bol/terms.html",
            "acme/customers/bakkerij-bol/terms.md",
            "acme/customers/bakkerij-bol/terms.pdf",
            "acme/terms.html",
            "acme/terms.md",
            "acme/terms.pdf",
        ]
    );
    for f in [VENDOR_HTML, VENDOR_MD, CUSTOMER_HTML, CUSTOMER_MD] {
        assert!(!read(dir.path().join(f)).trim().is_empty(), "{f} is empty");
    }

    // A second build changes nothing.
    let before = snapshot_tree(&dir.path().join("out"));
    let r = run(dir.path(), &["build", "--all-customers"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("0 rendered, 2 unchanged, 0 file(s) written"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot_tree(&dir.path().join("out")));
}

#[test]
fn build_without_all_customers_writes_only_the_vendor() {
    let dir = project("good");
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files: Vec<String> = snapshot_tree(&dir.path().join("out")).into_keys().collect();
    assert_eq!(
        files,
        ["acme/terms.html", "acme/terms.md", "acme/terms.pdf"]
    );
}

#[test]
fn build_selects_customer_and_format() {
    let dir = project("good");
    let r = run(
        dir.path(),
        &[
            "build",
            "--customer",
            "bakkerij-bol",
            "--format",
            "md",
            "--quiet",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "--quiet prints nothing on success");
    let files: Vec<String> = snapshot_tree(&dir.path().join("out")).into_keys().collect();
    assert_eq!(files, ["acme/customers/bakkerij-bol/terms.md"]);
}

#[test]
fn build_out_flag_writes_elsewhere() {
    let dir = project("good");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("publish");
    let r = run(dir.path(), &["build", "--out", target.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(target.join("acme/terms.html").is_file());
    assert!(target.join("acme/terms.md").is_file());
    assert!(!dir.path().join("out").exists());
}

#[test]
fn vendor_html_snapshot() {
    let dir = built_good();
    insta::assert_snapshot!(
        "good_vendor_html",
        redact_html(&read(dir.path().join(VENDOR_HTML)))
    );
}

#[test]
fn vendor_markdown_snapshot() {
    let dir = built_good();
    insta::assert_snapshot!("good_vendor_md", read(dir.path().join(VENDOR_MD)));
}

#[test]
fn customer_markdown_snapshot() {
    let dir = built_good();
    insta::assert_snapshot!("good_customer_md", read(dir.path().join(CUSTOMER_MD)));
}

#[test]
fn html_is_self_contained_dutch_with_toc_and_anchors() {
    let dir = built_good();
    for f in [VENDOR_HTML, CUSTOMER_HTML] {
        let html = read(dir.path().join(f));
        assert!(html.starts_with("<!DOCTYPE html>"), "{f}");
        assert!(html.contains("<html lang=\"nl\">"), "{f}: no lang=\"nl\"");
        // Table of contents: one entry per article, in order, linking to the article anchor.
        let toc_start = html
            .find("<nav class=\"toc\"")
            .expect("no table of contents");
        let toc = &html[toc_start..toc_start + html[toc_start..].find("</nav>").unwrap()];
        let mut last = 0;
        for (n, (id, title)) in [
            ("definitions", "Definities"),
            ("delivery", "Levering en installatie"),
            ("payment", "Prijzen en betaling"),
            ("liability", "Aansprakelijkheid"),
            ("support", "Ondersteuning"),
            ("law", "Toepasselijk recht"),
        ]
        .iter()
        .enumerate()
        {
            let entry = format!(
                "<a href=\"#{id}\"><span class=\"num\">Artikel {}</span> {title}</a>",
                n + 1
            );
            let at = toc
                .find(&entry)
                .unwrap_or_else(|| panic!("{f}: no TOC entry {entry}"));
            assert!(at > last || n == 0, "{f}: TOC out of order at {id}");
            last = at;
            let class = if *id == "definitions" {
                "article definitions"
            } else {
                "article"
            };
            assert!(
                html.contains(&format!("<section class=\"{class}\" id=\"{id}\">")),
                "{f}: no article section with anchor id=\"{id}\""
            );
        }
        for clause in [
            "definitions.customer",
            "definitions.working-day",
            "delivery.start",
            "delivery.steps",
            "payment.fee",
            "payment.reminder",
            "payment.interest",
            "payment.indexation",
            "payment.direct-debit",
            "liability.cap",
            "liability.intent",
            "support.helpdesk",
            "law.governing",
            "law.forum",
        ] {
            assert!(
                html.contains(&format!("<div class=\"clause\" id=\"{clause}\"")),
                "{f}: no anchor for clause {clause}"
            );
        }
        // References are in-document links.
        assert!(
            html.contains("<a href=\"#liability.cap\">artikel 4.1</a>"),
            "{f}"
        );
        // Ordered lists are lettered.
        assert!(html.contains("<ol class=\"lettered\">"), "{f}");
        // Nothing that runs or fetches.
        let lower = html.to_ascii_lowercase();
        for bad in [
            "<script",
            "src=",
            "href=\"http",
            "href='http",
            "<link",
            "@import",
            "url(",
            "<iframe",
        ] {
            assert!(!lower.contains(bad), "{f} contains `{bad}`");
        }
    }
}

#[test]
fn vendor_choices_and_conditions_are_applied() {
    let dir = built_good();
    let md = read(dir.path().join(VENDOR_MD));
    // Excluded by the vendor.
    assert!(
        !md.contains("training"),
        "excluded clause delivery.training is present:\n{md}"
    );
    // `when: delivery.express` is false (default), `when: raw.payment.method == ...` is true.
    assert!(
        !md.contains("spoedlevering"),
        "clause with a false `when` is present:\n{md}"
    );
    assert!(md.contains("**3.5** De Afnemer machtigt Acme"), "{md}");
    // Replaced wording.
    assert!(
        md.contains("**6.2** Partijen proberen een geschil eerst"),
        "{md}"
    );
    assert!(!md.contains("Geschillen worden voorgelegd"), "{md}");
    // Added clause right after payment.fee, renumbering what follows.
    assert!(
        md.contains("**3.2** Voordat Acme rente in rekening brengt"),
        "{md}"
    );
    assert!(
        md.contains("**3.3** Betaalt de Afnemer een factuur niet op tijd"),
        "{md}"
    );
    // The vendor's own module, placed after liability.
    assert!(md.contains("## Artikel 5 Ondersteuning"), "{md}");
    assert!(md.contains("## Artikel 6 Toepasselijk recht"), "{md}");
    // Every parameter type, as the document writes it.
    for text in [
        "vanaf 1 maart 2025",                       // date (default)
        "in Amsterdam en Utrecht",                  // list (default)
        "drie (3) installaties",                    // integer, through `count`
        "vergoeding van EUR 1.200,- per jaar",      // money (default)
        "per automatische incasso",                 // enum label (vendor)
        "binnen dertig (30) dagen",                 // duration (vendor)
        "een rente van 1,5% per maand",             // percent (default)
        "de factor 1,25",                           // decimal (default)
        "aan de rechtbank Midden-Nederland",        // text (default)
        "binnen twee (2) werkdagen antwoordt",      // duration of the vendor's own module
        "beperkt tot EUR 25.000,- per gebeurtenis", // money (vendor)
    ] {
        assert!(md.contains(text), "missing `{text}`:\n{md}");
    }
    // Definitions are sorted by term and bolded.
    let order: Vec<usize> = [
        "**Afnemer**",
        "**Overeenkomst**",
        "**Programmatuur**",
        "**Werkdag**",
    ]
    .iter()
    .map(|t| md.find(t).unwrap_or_else(|| panic!("no definition {t}")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "definitions out of order"
    );
    // Ordered list items lettered in Markdown.
    assert!(
        md.contains("a. stelt Acme de installatiebestanden beschikbaar;\n\nb. installeert"),
        "{md}"
    );
}

#[test]
fn customer_override_only_in_customer_output() {
    let dir = built_good();
    let vendor_md = read(dir.path().join(VENDOR_MD));
    let customer_md = read(dir.path().join(CUSTOMER_MD));
    let vendor_html = read(dir.path().join(VENDOR_HTML));
    let customer_html = read(dir.path().join(CUSTOMER_HTML));

    assert!(
        customer_md.contains("beperkt tot EUR 75.000,- per gebeurtenis"),
        "{customer_md}"
    );
    assert!(!customer_md.contains("EUR 25.000"), "{customer_md}");
    assert!(customer_html.contains("beperkt tot EUR 75.000,- per gebeurtenis"));
    assert!(customer_md.contains("**Acme Software B.V.** — Overeenkomst met Bakkerij Bol B.V."));
    assert!(customer_html.contains("<p class=\"customer\">Overeenkomst met Bakkerij Bol B.V.</p>"));

    assert!(
        vendor_md.contains("beperkt tot EUR 25.000,- per gebeurtenis"),
        "{vendor_md}"
    );
    for out in [&vendor_md, &vendor_html] {
        assert!(
            !out.contains("75.000"),
            "customer override leaked into vendor output"
        );
        assert!(
            !out.contains("Bakkerij Bol"),
            "customer name leaked into vendor output"
        );
    }
}

#[test]
fn moving_a_module_renumbers_references() {
    let dir = built_good();
    let before = read(dir.path().join(VENDOR_MD));
    assert!(
        before.contains("binnen de grenzen van artikel 4.1."),
        "{before}"
    );
    assert!(
        before.contains("**4.2** De beperking in artikel 4.1 geldt niet"),
        "{before}"
    );

    edit(
        dir.path().join("documents/terms.yaml"),
        "modules: [definitions, delivery, payment, liability, law]",
        "modules: [definitions, liability, delivery, payment, law]",
    );
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = read(dir.path().join(VENDOR_MD));
    // Liability is article 2 now, the vendor's own module (after liability) 3, so
    // payment.interest is 5.3 and refers to liability.cap as 2.1.
    assert!(after.contains("## Artikel 2 Aansprakelijkheid"), "{after}");
    assert!(
        after.contains("**2.1** De aansprakelijkheid van Acme"),
        "{after}"
    );
    assert!(
        after.contains(
            "**5.3** Betaalt de Afnemer een factuur niet op tijd, dan is hij over het openstaande \
             bedrag een rente van 1,5% per maand verschuldigd. Voor fouten in facturen is Acme \
             alleen aansprakelijk binnen de grenzen van artikel 2.1."
        ),
        "{after}"
    );
    assert!(
        after.contains("**2.2** De beperking in artikel 2.1 geldt niet"),
        "{after}"
    );
    assert!(!after.contains("artikel 4.1"), "{after}");
    // The vendor's module still follows liability.
    assert!(after.contains("## Artikel 3 Ondersteuning"), "{after}");
    let html = read(dir.path().join(VENDOR_HTML));
    assert!(html.contains("<a href=\"#liability.cap\">artikel 2.1</a>"));
}

/// `--emit typst` writes the PDF's generated markup beside it; `--pdf-standard a-2b` writes
/// PDF/A (its XMP names the conformance).
#[test]
fn emit_typst_and_pdf_a() {
    let dir = project("good");
    let r = run(
        dir.path(),
        &["build", "--emit", "typst", "--pdf-standard", "a-2b"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let typ = read(dir.path().join("out/acme/terms.typ"));
    assert!(typ.contains("#render(json("), "{typ}");
    let pdf = fs::read(dir.path().join("out/acme/terms.pdf")).unwrap();
    assert!(
        String::from_utf8_lossy(&pdf).contains("pdfaid:part"),
        "not PDF/A"
    );
    let r = run(dir.path(), &["build", "--pdf-standard", "a-1b"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// Terms without numbering (as one seed vendor's): no article or clause numbers anywhere,
/// and references name the article instead.
#[test]
fn unnumbered_terms_name_articles_in_references() {
    let dir = built_good();
    edit(
        dir.path().join("vendors/acme.yaml"),
        "city: Utrecht\n",
        "city: Utrecht\nnumbering: none\n",
    );
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = read(dir.path().join(VENDOR_MD));
    assert!(!md.contains("## Artikel"), "{md}");
    assert!(md.contains("## Aansprakelijkheid"), "{md}");
    assert!(!md.contains("**4.2**"), "{md}");
    // A reference into the article it stands in says "dit artikel", not the article's own
    // title; a reference from elsewhere names the article.
    assert!(
        md.contains("De beperking in dit artikel geldt niet"),
        "{md}"
    );
    assert!(
        !md.contains("De beperking in artikel “Aansprakelijkheid”"),
        "{md}"
    );
    assert!(
        md.contains("alleen aansprakelijk binnen de grenzen van artikel “Aansprakelijkheid”."),
        "{md}"
    );
    let html = read(dir.path().join(VENDOR_HTML));
    assert!(!html.contains("class=\"num\""), "no number column");
    assert!(html.contains("<a href=\"#liability.cap\">dit artikel</a>"));
    let wrong = run(dir.path(), &["check"]);
    assert_eq!(wrong.code, 0);
    edit(
        dir.path().join("vendors/acme.yaml"),
        "numbering: none",
        "numbering: roman",
    );
    let bad = run(dir.path(), &["check"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("unknown numbering `roman`"),
        "{}",
        bad.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Tables in clauses (fixtures/tables)
// ---------------------------------------------------------------------------------------------

/// The text of a PDF (`pdftotext` from poppler-utils), white space collapsed: a cell's text
/// may wrap inside its column.
fn pdf_words(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-raw"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext runs (install poppler-utils): {e}"));
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A clause with a GFM table: header words and cells that open with a capital ("Omschrijving",
/// "De", "Een", "Noodnummer") are sentence starts, not undefined terms; the table reaches every
/// format with its cells, alignment and parameter values.
#[test]
fn tables_check_clean_and_reach_every_format() {
    let dir = project("tables");
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["diagnostics"], serde_json::json!([]));

    let r = run(dir.path(), &["build", "--all-customers"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let html = read(dir.path().join("out/wolkenwerk/sla.html"));
    assert_eq!(
        html.matches("<div class=\"table\">\n<table>").count(),
        2,
        "every table in its scrolling wrapper: {html}"
    );
    assert_eq!(html.matches("</table>\n</div>").count(), 2, "{html}");
    assert!(
        html.contains("<th style=\"text-align: right\">Reactietijd</th>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td style=\"text-align: right\"><span class=\"nw\">twee (2) uur</span></td>"
        ),
        "{html}"
    );
    // A `|` in a parameter value is text in its cell, not a new column.
    assert!(
        html.contains("<td>support@wolkenwerk.example | 030 123 45 67</td>"),
        "{html}"
    );

    let md = read(dir.path().join("out/wolkenwerk/sla.md"));
    assert!(md.contains("\n| Prioriteit | Omschrijving "), "{md}");
    assert!(
        md.contains("\n| :--------: | ------"),
        "alignment kept: {md}"
    );
    assert!(md.contains("|    twee (2) uur |"), "{md}");
    // A clause that opens with a table: the number on a line of its own, so the table stays one.
    assert!(md.contains("\n**2.2**\n\n| Kanaal "), "{md}");
    assert!(
        md.contains("| support@wolkenwerk.example \\| 030 123 45 67 |"),
        "{md}"
    );
    let customer = read(dir.path().join("out/wolkenwerk/customers/bakkerij/sla.md"));
    assert!(customer.contains("| drie (3) werkdagen |"), "{customer}");

    let text = pdf_words(&dir.path().join("out/wolkenwerk/sla.pdf"));
    for cell in [
        "Prioriteit Omschrijving Reactietijd Hersteltijd",
        "twee (2) uur vier (4) uur",
        "vier (4) uur één (1) werkdag",
        "Kanaal Bereikbaar",
        "support@wolkenwerk.example | 030 123 45 67",
        "Noodnummer Dag en nacht, alleen voor prioriteit 1",
    ] {
        assert!(text.contains(cell), "missing {cell:?} in:\n{text}");
    }
    let text = pdf_words(&dir.path().join("out/wolkenwerk/customers/bakkerij/sla.pdf"));
    assert!(text.contains("drie (3) werkdagen"), "{text}");
}

/// Inside a cell the lint still reads running text: a capitalised word mid-sentence is found,
/// at its own line and column.
#[test]
fn tables_mid_cell_undefined_term_is_found() {
    let dir = project("tables");
    edit(
        dir.path().join("clauses/10-support/02-channels.md"),
        "| Noodnummer | Dag en nacht,",
        "| Noodnummer | Dag en nacht bij een Calamiteit,",
    );
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1, "{json}");
    let diags = json_diags(&json);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let (file, line, column, message) = &diags[0];
    assert_eq!(
        (file.as_str(), *line, *column),
        ("clauses/10-support/02-channels.md", 9, 37)
    );
    assert!(
        message.starts_with("`Calamiteit` is capitalised"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Injection
// ---------------------------------------------------------------------------------------------

const EVIL_NAME: &str = "<script>alert(1)</script> **bold** [x](javascript:alert(1))";

/// The good project with a hostile vendor name and a clause that shows HTML tags as text
/// (escaped: raw HTML in a clause is an error, see tests/hardening.rs).
fn hostile_project() -> TempDir {
    let dir = project("good");
    edit(
        dir.path().join("vendors/acme.yaml"),
        "name: Acme Software B.V.",
        &format!("name: \"{EVIL_NAME}\""),
    );
    write(
        dir.path().join("clauses/40-law/03-raw.md"),
        "---\nid: law.raw\ntitle: Ruw\nversion: 1.0.0\n---\n\
         Deze bepaling bevat \\<b>vet\\</b>, \\<img src=\"x\" onerror=\"alert(2)\"> en \
         \\<script>alert(3)\\</script> als tekst. Partij: {{ vendor.name }}.\n",
    );
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

#[test]
fn parameter_and_raw_html_are_escaped_in_html() {
    let dir = hostile_project();
    let html = read(dir.path().join(VENDOR_HTML));
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "<img",
        "<b>",
        "href=\"javascript:",
        "href='javascript:",
    ] {
        assert!(!lower.contains(bad), "HTML contains live `{bad}`");
    }
    // The name is shown as text: in the title block, in the footer and inside a clause.
    assert!(
        html.contains(
            "<p class=\"vendor\">&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](javascript:alert(1))</p>"
        ),
        "vendor name not shown escaped in the title block"
    );
    assert!(
        html.contains(
            "<footer>\n  <p>&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](javascript:alert(1)) · "
        ),
        "vendor name not shown escaped in the footer"
    );
    let clause_start = html
        .find("<a class=\"num\" href=\"#law.raw\">6.3</a>")
        .expect("no law.raw clause");
    let body_start = clause_start + html[clause_start..].find("<div class=\"body\">").unwrap();
    let clause = &html[body_start..body_start + html[body_start..].find("</div>").unwrap()];
    assert!(clause.contains("&lt;b&gt;vet&lt;/b&gt;"), "{clause}");
    assert!(clause.contains("&lt;img src="), "{clause}");
    assert!(
        clause.contains("&lt;script&gt;alert(3)&lt;/script&gt;"),
        "{clause}"
    );
    // Markup in a parameter value stays literal: no <strong>, no link.
    assert!(
        clause.contains("&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](javascript:alert(1))"),
        "{clause}"
    );
    assert!(!clause.contains("<strong>bold</strong>"), "{clause}");
    assert!(!clause.contains("<a "), "{clause}");
}

/// The `.md` output is for e-mail and review: Markdown readers render inline HTML and links,
/// so a parameter value or a clause must not turn into live markup there either.
#[test]
fn parameter_and_raw_html_are_inert_in_markdown() {
    let dir = hostile_project();
    let md = read(dir.path().join(VENDOR_MD));
    // Escaped (`\<img`, `\](`) is literal text in Markdown; unescaped would be live.
    for bad in ["<script>", "<img ", "<b>", "](javascript:"] {
        for (i, _) in md.match_indices(bad) {
            assert!(
                i > 0 && md.as_bytes()[i - 1] == b'\\',
                "Markdown output contains live `{bad}`:\n{md}"
            );
        }
    }
    assert!(md.contains("\\<img src="), "{md}");
}

// ---------------------------------------------------------------------------------------------
// Bad fixtures: one per kind of mistake
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_yaml_syntax() {
    let (_d, r) = bad("yaml-syntax");
    assert_diag(
        &r,
        "vendors/acme.yaml:3:12",
        "invalid YAML: unclosed bracket '{'",
        &[],
    );
}

#[test]
fn bad_unknown_key() {
    let (_d, r) = bad("unknown-key");
    assert_diag(
        &r,
        "clauses/payment/module.yaml:1:1",
        "unknown key `titel` in module.yaml",
        &["did you mean `title`?", "unknown key"],
    );
    assert_diag(
        &r,
        "clauses/payment/module.yaml:1:1",
        "module.yaml is missing the required key `title`",
        &[],
    );
}

#[test]
fn bad_wrong_type() {
    let (_d, r) = bad("wrong-type");
    assert_diag(
        &r,
        "vendors/acme.yaml:4:19",
        "wrong value for parameter `payment.payment_term`: `veertien` does not start with a number",
        &["expected duration", "write it like `14 dagen`"],
    );
    assert_diag(
        &r,
        "vendors/acme.yaml:5:16",
        "wrong value for parameter `payment.reminders`: expected `true` or `false`, found string",
        &["expected bool"],
    );
    assert_eq!(error_count(&r), 2, "{}", r.stderr);
}

#[test]
fn bad_duplicate_key() {
    let (_d, r) = bad("duplicate-key");
    assert_diag(
        &r,
        "vendors/acme.yaml:3:1",
        "invalid YAML: duplicate key `name`",
        &["first defined here", "each key may appear once"],
    );
}

#[test]
fn bad_duplicate_clause_id() {
    let (_d, r) = bad("duplicate-clause-id");
    assert_diag(
        &r,
        "clauses/payment/02-invoices-again.md:2:5",
        "duplicate clause id `payment.invoices`",
        &["clauses/payment/01-invoices.md:2:5", "first used here"],
    );
}

#[test]
fn bad_unknown_parameter_in_body() {
    let (_d, r) = bad("unknown-parameter-in-body");
    assert_diag(
        &r,
        "clauses/payment/01-invoices.md:6:43",
        "unknown parameter `payment.payment_trm`",
        &["did you mean `payment.payment_term`?"],
    );
}

#[test]
fn bad_unknown_parameter_in_vendor() {
    let (_d, r) = bad("unknown-parameter-in-vendor");
    assert_diag(
        &r,
        "vendors/acme.yaml:4:5",
        "unknown parameter `payment.payment_trm`",
        &["did you mean `payment_term`?"],
    );
    assert_eq!(error_count(&r), 1, "{}", r.stderr);
}

#[test]
fn bad_enum_value_not_allowed() {
    let (_d, r) = bad("enum-value-not-allowed");
    assert_diag(
        &r,
        "vendors/acme.yaml:4:13",
        "wrong value for parameter `payment.method`: `direct-debit` is not one of the allowed values",
        &["did you mean `direct_debit`? (allowed: invoice, direct_debit)"],
    );
    assert_eq!(error_count(&r), 1, "{}", r.stderr);
}

#[test]
fn bad_dangling_reference() {
    let (_d, r) = bad("dangling-reference");
    // The caret is under the id inside `ref("...")`.
    assert_diag(
        &r,
        "clauses/payment/01-invoices.md:6:99",
        "reference to unknown clause `nope.nothing`",
        &["no clause or module has this id"],
    );
}

#[test]
fn bad_excluded_reference() {
    let (_d, r) = bad("excluded-reference");
    assert_diag(
        &r,
        "clauses/payment/01-invoices.md:7:29",
        "reference to `payment.reminders`, which is not in this document: it is excluded in vendors/acme.yaml",
        &[],
    );
    assert_eq!(error_count(&r), 1, "{}", r.stderr);
}

#[test]
fn bad_excluded_reference_by_false_condition() {
    let (_d, r) = bad("excluded-reference-when");
    assert_diag(
        &r,
        "clauses/payment/01-invoices.md:7:29",
        "reference to `payment.reminders`, which is not in this document: its condition \
         `when: document.id == \"offerte\"` is false",
        &[],
    );
    assert_eq!(error_count(&r), 1, "{}", r.stderr);
}

#[test]
fn bad_template_syntax_error() {
    let (_d, r) = bad("template-syntax-error");
    assert_diag(
        &r,
        "clauses/payment/01-invoices.md:6:48",
        "found `}}` but expected identifier",
        &[],
    );
    // An `{% if %}` that is never closed: Tera reports the end of input, starting right
    // after the opening tag.
    assert_diag(
        &r,
        "clauses/payment/02-unclosed.md:7:30",
        "unexpected end of input",
        &[],
    );
    assert_eq!(error_count(&r), 2, "{}", r.stderr);
}

#[test]
fn bad_unused_defined_term() {
    let (_d, r) = bad("unused-defined-term");
    assert_diag(
        &r,
        "clauses/definitions/customer.md:5:1",
        "defined term `Klant` is not used anywhere else in document `terms`",
        &["defined here"],
    );
    assert_eq!(error_count(&r), 1, "{}", r.stderr);
}

#[test]
fn bad_undefined_capitalised_term() {
    let (_d, r) = bad("undefined-capitalised-term");
    assert_diag(
        &r,
        "clauses/payment/01-invoices.md:7:16",
        "`Fouten` is capitalised like a defined term, but document `terms` does not define it",
        &["not a defined term", "proper_names"],
    );
    assert_eq!(error_count(&r), 1, "{}", r.stderr);
}

#[test]
fn bad_yaml_tag() {
    let (_d, r) = bad("yaml-tag");
    assert_diag(
        &r,
        "vendors/acme.yaml:1:7",
        "invalid YAML: tags such as `!foo` are not supported",
        &["remove `!foo`"],
    );
}

#[test]
fn bad_yaml_alias() {
    let (_d, r) = bad("yaml-alias");
    assert_diag(
        &r,
        "vendors/acme.yaml:1:7",
        "invalid YAML: anchors and aliases (`&a`, `*a`) are not supported",
        &["write the value out in full"],
    );
}

#[test]
fn bad_yaml_alias_bomb() {
    let (_d, r) = bad("yaml-alias-bomb");
    assert_diag(
        &r,
        "vendors/acme.yaml:3:9",
        "invalid YAML: anchors and aliases (`&a`, `*a`) are not supported",
        &[],
    );
}

#[test]
fn bad_deep_nesting() {
    let dir = project("bad/deep-nesting");
    let text = read(dir.path().join("vendors/acme.yaml"));
    assert!(
        text.matches('[').count() >= 10_000,
        "the fixture lost its nesting"
    );
    let r = build_fails(dir.path());
    // `parameters: ` is 12 columns; the 65th bracket is the first one too deep.
    assert_diag(
        &r,
        "vendors/acme.yaml:2:77",
        "invalid YAML: nesting deeper than 64 levels",
        &["flatten the structure"],
    );
}

#[test]
fn bad_missing_required_parameter() {
    let (_d, r) = bad("missing-required-parameter");
    assert_diag(
        &r,
        "vendors/acme.yaml:1:1",
        "parameter `payment.payment_term` has no value for this vendor: it has no default and no file sets it",
        &[
            "declared here without a default",
            "clauses/payment/module.yaml:4:3",
        ],
    );
}

/// A clause file that is a symlink to a file outside the project is refused, even though
/// the target is a perfectly valid clause.
#[test]
fn bad_symlink_outside_root() {
    let dir = project("bad/symlink-outside-root");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("secret.md");
    write(
        &target,
        "---\nid: payment.invoices\ntitle: Geheim\nversion: 9.9.9\n---\nGEHEIME TEKST\n",
    );
    symlink(&target, &dir.path().join("vendors/acme/invoices.md"));
    let r = build_fails(dir.path());
    assert_diag(
        &r,
        "vendors/acme.yaml:4:23",
        "`vendors/acme/invoices.md` is a symlink that leads outside the project",
        &[],
    );
    assert!(!r.stderr.contains("GEHEIME TEKST"));
}

/// Symlinks anywhere the loader looks (a library clause, a vendor profile) are refused too.
#[test]
fn symlinks_in_library_and_vendors_are_refused() {
    let dir = project("bad/symlink-outside-root");
    fs::write(dir.path().join("vendors/acme.yaml"), "name: Acme B.V.\n").unwrap();
    let outside = tempfile::tempdir().unwrap();
    let clause = outside.path().join("leak.md");
    write(
        &clause,
        "---\nid: payment.leak\nversion: 1.0.0\n---\nGEHEIME TEKST\n",
    );
    symlink(&clause, &dir.path().join("clauses/payment/02-leak.md"));
    symlink(
        Path::new("/etc/hostname"),
        &dir.path().join("vendors/evil.yaml"),
    );
    let r = build_fails(dir.path());
    assert!(
        r.stderr.contains(
            "error: `clauses/payment/02-leak.md` is a symlink that leads outside the project"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("error: `vendors/evil.yaml` is a symlink that leads outside the project"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("GEHEIME TEKST"));
}

/// A symlink that stays inside the project is fine.
#[test]
fn symlink_inside_root_is_allowed() {
    let dir = project("bad/symlink-outside-root");
    let inside = dir.path().join("shared/invoices.md");
    write(
        &inside,
        "---\nid: payment.invoices\ntitle: Facturen\nversion: 1.1.0\n---\n\
         De klant betaalt binnen {{ payment.payment_term }} na ontvangst.\n",
    );
    symlink(&inside, &dir.path().join("vendors/acme/invoices.md"));
    let r = run(dir.path(), &["build", "--format", "md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = read(dir.path().join("out/acme/terms.md"));
    assert!(
        md.contains("De klant betaalt binnen veertien (14) dagen na ontvangst."),
        "{md}"
    );
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) {
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::windows::fs::symlink_file(target, link).unwrap();
}

/// Each mistake above is one problem and should be reported once, not once by the static
/// check and again, in Tera's words, when the clause is rendered.
#[test]
fn one_mistake_is_reported_once() {
    for kind in [
        "dangling-reference",
        "unknown-parameter-in-body",
        "missing-required-parameter",
    ] {
        let (_d, r) = bad(kind);
        assert_eq!(
            error_count(&r),
            1,
            "{kind}: expected exactly one error:\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("build failed with 1 error(s)"),
            "{kind}:\n{}",
            r.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A failed build leaves earlier output alone
// ---------------------------------------------------------------------------------------------

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let dir = built_good();
    let out = dir.path().join("out");
    let before = snapshot_tree(&out);
    assert_eq!(before.len(), 6);
    let mtime = fs::metadata(out.join("acme/terms.html"))
        .unwrap()
        .modified()
        .unwrap();

    // A valid change (which would alter the output) plus an error elsewhere.
    edit(
        dir.path().join("vendors/acme.yaml"),
        "name: Acme Software B.V.",
        "name: Acme Nieuw B.V.",
    );
    edit(
        dir.path().join("clauses/40-law/02-forum.md"),
        "{{ law.forum }}",
        "{{ law.forun }}",
    );
    let r = run(dir.path(), &["build", "--all-customers"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown parameter `law.forun`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);

    assert_eq!(before, snapshot_tree(&out), "a failed build changed out/");
    assert_eq!(
        mtime,
        fs::metadata(out.join("acme/terms.html"))
            .unwrap()
            .modified()
            .unwrap()
    );
    // No stray temporary files either.
    assert_eq!(snapshot_tree(&out).len(), 6);
}

// ---------------------------------------------------------------------------------------------
// check: every problem in one run, and JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn check_reports_every_error_in_one_run() {
    let dir = project("bad/multiple-errors");
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_diag(
        &r,
        "clauses/payment/module.yaml:3:1",
        "unknown key `descripton` in module.yaml",
        &["did you mean `description`?"],
    );
    assert_diag(
        &r,
        "clauses/payment/01-invoices.md:7:16",
        "`Fouten` is capitalised like a defined term",
        &[],
    );
    assert_diag(
        &r,
        "vendors/acme.yaml:4:19",
        "wrong value for parameter `payment.payment_term`",
        &[],
    );
    assert!(
        r.stderr
            .ends_with("checked 1 document(s): 3 error(s), 0 warning(s)\n"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn check_json_lists_every_diagnostic() {
    let dir = project("bad/multiple-errors");
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    assert_eq!(json["errors"], 3);
    assert_eq!(json["warnings"], 0);
    let diags = json_diags(&json);
    let expected = [
        (
            "clauses/payment/module.yaml",
            3,
            1,
            "unknown key `descripton` in module.yaml",
        ),
        (
            "clauses/payment/01-invoices.md",
            7,
            16,
            "`Fouten` is capitalised like a defined term, but document `terms` does not define it",
        ),
        (
            "vendors/acme.yaml",
            4,
            19,
            "wrong value for parameter `payment.payment_term`: `veertien` does not start with a number",
        ),
    ];
    assert_eq!(diags.len(), expected.len(), "{json:#}");
    for (file, line, col, msg) in expected {
        assert!(
            diags
                .iter()
                .any(|d| d.0 == file && d.1 == line && d.2 == col && d.3 == msg),
            "no {file}:{line}:{col} {msg} in {json:#}"
        );
    }
    for d in json["diagnostics"].as_array().unwrap() {
        assert_eq!(d["severity"], "error");
        assert!(d["end_line"].is_u64() && d["end_column"].is_u64(), "{d}");
        assert!(d["hints"].is_array(), "{d}");
    }
    // The Fouten diagnostic ends after the word.
    let fouten = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "clauses/payment/01-invoices.md")
        .unwrap();
    assert_eq!(
        (fouten["end_line"].as_u64(), fouten["end_column"].as_u64()),
        (Some(7), Some(22))
    );
}

/// Three mistakes made in three files of the good project all come out of one `check`.
#[test]
fn check_collects_errors_across_files_of_the_good_project() {
    let dir = project("good");
    edit(
        dir.path().join("clauses/30-liability/module.yaml"),
        "title: Aansprakelijkheid",
        "titel: Aansprakelijkheid",
    );
    edit(
        dir.path().join("clauses/20-payment/01-fee.md"),
        "{{ payment.fee }}",
        "{{ payment.fees }}",
    );
    edit(
        dir.path().join("customers/acme/bakkerij-bol.yaml"),
        "cap_amount: EUR 75000",
        "cap_amount: veel",
    );
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let diags = json_diags(&json);
    let has = |file: &str, line: u64, col: u64, msg: &str| {
        diags
            .iter()
            .any(|d| d.0 == file && d.1 == line && d.2 == col && d.3.contains(msg))
    };
    assert!(
        has(
            "clauses/30-liability/module.yaml",
            1,
            1,
            "unknown key `titel`"
        ),
        "{json:#}"
    );
    assert!(
        has(
            "clauses/20-payment/01-fee.md",
            6,
            80,
            "unknown parameter `payment.fees`"
        ),
        "{json:#}"
    );
    assert!(
        has(
            "customers/acme/bakkerij-bol.yaml",
            6,
            17,
            "wrong value for parameter `liability.cap_amount`"
        ),
        "{json:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// YAML safety: each refused with a message naming the file, and the command finishes
// ---------------------------------------------------------------------------------------------

fn yaml_refused(vendor_yaml: &str, message: &str) {
    let dir = project("good");
    write(dir.path().join("vendors/acme.yaml"), vendor_yaml);
    for args in [&["check"][..], &["build", "--all-customers"][..]] {
        let r = run(dir.path(), args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        let p = printed(&r.stderr);
        let d = p
            .iter()
            .find(|p| p.header.contains(message))
            .unwrap_or_else(|| panic!("{args:?}: no `{message}`:\n{}", r.stderr));
        assert!(
            d.location
                .as_deref()
                .is_some_and(|l| l.starts_with("vendors/acme.yaml:")),
            "{args:?}: message does not name the file:\n{}",
            d.text
        );
    }
    assert!(!dir.path().join("out").exists());
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    assert!(
        json_diags(&json)
            .iter()
            .any(|d| d.0 == "vendors/acme.yaml" && d.3.contains(message)),
        "{json:#}"
    );
}

#[test]
fn yaml_duplicate_key_is_refused() {
    yaml_refused(
        "name: Acme\nkvk: \"1\"\nkvk: \"2\"\n",
        "duplicate key `kvk`",
    );
}

#[test]
fn yaml_tag_is_refused() {
    yaml_refused(
        "name: !!binary QWNtZQ==\n",
        "tags such as `!foo` are not supported",
    );
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let mut s = String::from(
        "name: Acme\nparameters:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];
    for w in names.windows(2) {
        s.push_str(&format!(
            "  {}: &{} [{}]\n",
            w[1],
            w[1],
            vec![format!("*{}", w[0]); 10].join(", ")
        ));
    }
    yaml_refused(&s, "anchors and aliases (`&a`, `*a`) are not supported");
}

#[test]
fn yaml_merge_key_is_refused() {
    yaml_refused(
        "name: Acme\nparameters:\n  <<: {payment: {fee: EUR 1}}\n",
        "anchors and aliases",
    );
}

#[test]
fn yaml_deep_flow_nesting_is_refused() {
    let s = format!(
        "name: Acme\nparameters: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    yaml_refused(&s, "nesting deeper than 64 levels");
}

#[test]
fn yaml_deep_unclosed_flow_nesting_is_refused() {
    yaml_refused(
        &format!("name: Acme\nparameters: {}\n", "{a: ".repeat(10_000)),
        "nesting deeper than 64 levels",
    );
}

#[test]
fn yaml_deep_block_nesting_is_refused() {
    let s = format!("name: Acme\nparameters:\n{}x\n", "- ".repeat(10_000));
    yaml_refused(&s, "nesting deeper than 64 levels");
}

#[test]
fn yaml_second_document_is_refused() {
    yaml_refused(
        "name: Acme\n---\nname: Evil\n",
        "only one YAML document per file is allowed",
    );
}

// ---------------------------------------------------------------------------------------------
// Usage errors
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_subcommand_is_usage_error() {
    let dir = project("good");
    let r = run(dir.path(), &["frobnicate"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("unrecognized subcommand 'frobnicate'"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn missing_subcommand_is_usage_error() {
    let dir = project("good");
    let r = run(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("Usage: clausebook"), "{}", r.stderr);
}

#[test]
fn unknown_flag_is_usage_error() {
    let dir = project("good");
    for args in [
        &["build", "--frobnicate"][..],
        &["check", "--all-customers"][..],
    ] {
        let r = run(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("unexpected argument"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let r = run(dir.path(), &["build", "--format", "odt"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("unknown format `odt`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("html, md, pdf, docx, typst"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn help_and_version_succeed() {
    let dir = project("good");
    let r = run(dir.path(), &["--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("build") && r.stdout.contains("check"),
        "{}",
        r.stdout
    );
    let r = run(dir.path(), &["--version"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.trim(),
        format!("clausebook {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_vendor_is_usage_error_with_did_you_mean() {
    let dir = project("good");
    for cmd in ["build", "check"] {
        let r = run(dir.path(), &[cmd, "--vendor", "acmee"]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert_eq!(
            r.stderr,
            "error: no vendor `acmee` in vendors; did you mean `acme`?\n"
        );
        // Too far from any vendor for a suggestion: the known ones are listed.
        let r = run(dir.path(), &[cmd, "--vendor", "nope"]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert_eq!(
            r.stderr,
            "error: no vendor `nope` in vendors (known: acme)\n"
        );
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn unknown_document_and_customer_are_usage_errors() {
    let dir = project("good");
    let r = run(dir.path(), &["build", "--doc", "term"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: no document `term` in documents; did you mean `terms`?\n"
    );
    let r = run(dir.path(), &["build", "--customer", "bakkerij"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: no customer `bakkerij` for the selected vendor(s); did you mean `bakkerij-bol`?\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn missing_manifest_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["build", "check"] {
        let r = run(dir.path(), &[cmd]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: no clausebook.yaml in `"),
            "{cmd}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("--root"), "{cmd}: {}", r.stderr);
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn missing_root_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let out = Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .arg("--root")
        .arg(&missing)
        .args(["--color", "never", "check"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot open project root `"),
        "{stderr}"
    );
    assert!(stderr.contains("nowhere"), "{stderr}");
}

/// Shell completions and the man page come from the command definitions.
#[test]
fn completions_and_man_page() {
    let dir = project("good");
    let r = run(dir.path(), &["completions", "bash"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("_clausebook()"), "{}", r.stdout);
    assert!(r.stdout.contains("publish"), "every subcommand completes");
    let r = run(dir.path(), &["completions", "zsh"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("#compdef clausebook"));
    let r = run(dir.path(), &["man"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH clausebook 1"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("serve"));
    let r = run(dir.path(), &["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}
