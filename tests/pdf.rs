//! PDF output (src/render/pdf): text, injection safety, reproducibility, the sandbox and
//! error reporting, on the project in tests/fixtures/pdf. Text is extracted with `pdftotext`
//! from poppler-utils.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use clausebook::assemble::{Assembled, Assembler, Target};
use clausebook::load::{self, Project};
use clausebook::render::pdf::{BUILTIN_TEMPLATE, PdfEngine, PdfOptions};

mod common;
use common::copy_dir;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
}

fn assemble_in(project: &Project, vendor: &str, customer: Option<&str>, doc: &str) -> Assembled {
    let (assembler, _) = Assembler::new(project);
    let v = &project.vendors[vendor];
    let target = Target {
        vendor: v,
        customer: customer.map(|c| &v.customers[c]),
        doc: &project.documents[doc],
    };
    let (doc, diags) = assembler.assemble(target);
    doc.unwrap_or_else(|| panic!("assembles: {diags:?}"))
}

/// Documents of the fixture, assembled once.
struct Docs {
    terms: Assembled,
    customer: Assembled,
    english: Assembled,
    injection: Assembled,
}

fn docs() -> &'static Docs {
    static DOCS: OnceLock<Docs> = OnceLock::new();
    DOCS.get_or_init(|| {
        let (project, diags) = load::load(&fixture()).expect("loads");
        assert!(!diags.has_errors(), "fixture has errors: {diags:?}");
        Docs {
            terms: assemble_in(&project, "wolkenwerk", None, "terms"),
            customer: assemble_in(&project, "wolkenwerk", Some("bakkerij"), "terms"),
            english: assemble_in(&project, "wolkenwerk", None, "terms-en"),
            injection: assemble_in(&project, "injectie", None, "injectie"),
        }
    })
}

fn engine() -> &'static PdfEngine {
    static ENGINE: OnceLock<PdfEngine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        PdfEngine::new(
            &fixture(),
            BUILTIN_TEMPLATE.to_string(),
            "templates/document.typ".into(),
        )
    })
}

fn stamp() -> PdfOptions {
    PdfOptions {
        pdfa: false,
        timestamp: NaiveDate::from_ymd_opt(2025, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
    }
}

/// The text of a PDF, via `pdftotext -raw` (content order, so a hanging number stays with its
/// line).
fn pdf_text(pdf: &[u8]) -> String {
    // Pages are separated by form feeds; make them line breaks. The template joins
    // "artikel 5.1" and "EUR 25.000,-" with no-break spaces; compare them as spaces.
    poppler("pdftotext", pdf, &["-enc", "UTF-8", "-raw"], true)
        .replace('\u{c}', "\n")
        .replace('\u{a0}', " ")
}

/// `pdfinfo` of a PDF.
fn pdf_info(pdf: &[u8]) -> String {
    poppler("pdfinfo", pdf, &["-enc", "UTF-8"], false)
}

fn poppler(tool: &str, pdf: &[u8], args: &[&str], to_stdout: bool) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(&path);
    if to_stdout {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (install poppler-utils): {e}"));
    assert!(out.status.success(), "{tool} failed: {:?}", out);
    String::from_utf8(out.stdout).expect("utf-8")
}

fn pdf(doc: &Assembled) -> Vec<u8> {
    engine()
        .pdf(doc, &stamp())
        .unwrap_or_else(|e| panic!("compiles: {e:?}"))
}

fn assert_contains(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in:\n{text}");
    }
}

#[test]
fn text_has_title_block_toc_headings_numbers_and_values() {
    let d = docs();
    let text = pdf_text(&pdf(&d.terms));
    assert_contains(
        &text,
        &[
            // Title block.
            "Wolkenwerk B.V.",
            "Algemene voorwaarden",
            "voor clouddiensten aan zakelijke afnemers",
            "Versie 2025.2",
            "Ingangsdatum 1 maart 2025",
            "KvK-nummer 87654321",
            // Table of contents, with page numbers.
            "Inhoud",
            "Artikel 5 Aansprakelijkheid . . .",
            // Headings and hanging clause numbers at the start of their line.
            "\nArtikel 1 Definities\n",
            "\nArtikel 6 Duur en beëindiging\n",
            "\n1.1 Afnemer: de natuurlijke persoon",
            "\n5.1 De totale aansprakelijkheid",
            "\n8.2 Geschillen",
            // Lettered and nested lists.
            "\na. gepland onderhoud",
            "\ni. handelingen of nalatigheden",
            "\niii. overmacht als bedoeld in artikel 5.5;",
            // Parameter values as the locale writes them.
            "99,8%",
            "EUR 25.000,-",
            "dertig (30) dagen",
            "09:00–17:00 uur",
            // Non-ASCII intact.
            "euro’s (€)",
            "vóór de schadeveroorzakende",
            "één gebeurtenis",
            // Annexes, footer.
            "Bijlagen",
            "Bijlage 1 Verwerkersovereenkomst",
            "Bijlage 2 Service Level Agreement",
            "Algemene voorwaarden · Versie 2025.2 pagina 1 / 4",
            "pagina 4 / 4",
        ],
    );
    // Every article heading and every clause number of the document.
    for a in &d.terms.articles {
        assert!(text.contains(&format!("Artikel {} {}", a.number, a.title)));
        for c in &a.clauses {
            assert!(text.contains(&format!("\n{} ", c.number)), "{}", c.number);
        }
    }
}

#[test]
fn customer_contract_and_english_labels() {
    let d = docs();
    let text = pdf_text(&pdf(&d.customer));
    assert_contains(
        &text,
        &[
            "Overeenkomst met Bakkerij Van Dam & Zonen B.V.",
            "EUR 75.000,-",
        ],
    );
    let info = pdf_info(&pdf(&d.customer));
    assert_contains(
        &info,
        &["Algemene voorwaarden – Overeenkomst met Bakkerij Van Dam & Zonen B.V."],
    );

    let text = pdf_text(&pdf(&d.english));
    assert_contains(
        &text,
        &[
            "Contents",
            "Version 2025.2",
            "Effective date",
            "\nClause 1 Definitions\n",
            "page 1 / 2",
        ],
    );
}

#[test]
fn metadata_title_author_language_and_date() {
    let bytes = pdf(&docs().terms);
    let info = pdf_info(&bytes);
    assert_contains(
        &info,
        &[
            "Title:           Algemene voorwaarden",
            "Author:          Wolkenwerk B.V.",
            "Creator:         clausebook",
            "CreationDate:    Sat Mar  1 00:00:00 2025 UTC",
            "Page size:       595.276 x 841.89 pts (A4)",
        ],
    );
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/Lang(nl-NL)"), "document language");
    let en = pdf(&docs().english);
    assert!(String::from_utf8_lossy(&en).contains("/Lang(en)"));
}

#[test]
fn injection_strings_come_out_literally() {
    let d = docs();
    let bytes = pdf(&d.injection);
    let text = pdf_text(&bytes);
    let evil = r#"#read("/etc/passwd") $x$ ] [ * _ @ref <l> // /* \ # ="#;
    assert_contains(
        &text,
        &[
            // The vendor name, in the title block and in a clause.
            &format!("{evil} Café €"),
            // A parameter value and clause text that look like Typst.
            &format!("Waarde: {evil} en"),
            &format!("Letterlijk: {evil} en #image(\"/etc/x.png\")."),
            // Lines that would be headings or lists in Typst markup.
            "\n1.1 = geen kop\n",
            "\n- geen opsomming\n",
            "\n+ geen plus\n",
            "\n1. geen lijst\n",
            "\n= regel met is-teken\n",
            "\n- regel met streepje\n",
            "\n1. regel met cijfer\n",
            "Met <b>html</b> en #eval(\"1 + 1\") en een link.",
            // The document title in the title block and the footer.
            "Injectie #read(\"/etc/passwd\") = kop · Versie 1",
            "Artikel 1 Injectie: #read(\"/etc/passwd\") $x$",
        ],
    );
    assert!(!text.contains("root:"), "no file was read");
    assert_contains(
        &pdf_info(&bytes),
        &[&format!("Author:          {evil} Café €")],
    );
}

#[test]
fn same_input_gives_identical_bytes_across_engines_and_threads() {
    let d = docs();
    let first = pdf(&d.terms);
    assert_eq!(first, pdf(&d.terms), "second compilation");
    let fresh = PdfEngine::new(
        &fixture(),
        BUILTIN_TEMPLATE.to_string(),
        "templates/document.typ".into(),
    );
    assert_eq!(first, fresh.pdf(&d.terms, &stamp()).expect("compiles"));
    let parallel: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| engine().pdf(&d.terms, &stamp()).expect("compiles")))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("joins"))
            .collect()
    });
    assert!(parallel.iter().all(|p| *p == first), "threads agree");
}

/// Replace every occurrence of `from` by `to` (same length).
fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
    out
}

/// The value of an XMP element (`<xmpMM:InstanceID>...<`).
fn xmp(bytes: &[u8], tag: &str) -> String {
    let raw = String::from_utf8_lossy(bytes);
    let open = format!("<{tag}>");
    let start = raw.find(&open).map(|i| i + open.len()).expect(tag);
    raw[start..start + raw[start..].find('<').expect("close")].to_string()
}

#[test]
fn the_timestamp_changes_only_the_dates() {
    let d = docs();
    let at = |y, m, d, h| PdfOptions {
        pdfa: false,
        timestamp: NaiveDate::from_ymd_opt(y, m, d).and_then(|x| x.and_hms_opt(h, 0, 0)),
    };
    let a = engine().pdf(&d.terms, &at(2025, 3, 1, 0)).expect("a");
    let b = engine().pdf(&d.terms, &at(2026, 4, 15, 9)).expect("b");
    assert_ne!(a, b);
    assert_contains(
        &pdf_info(&b),
        &["CreationDate:    Wed Apr 15 09:00:00 2026 UTC"],
    );
    // The dates, and the XMP instance id (a hash of the whole file), are the only differences.
    let a = replace(&a, "D:20250301000000", "D:20260415090000");
    let a = replace(&a, "2025-03-01T00:00:00", "2026-04-15T09:00:00");
    let a = replace(
        &a,
        &xmp(&a, "xmpMM:InstanceID"),
        &xmp(&b, "xmpMM:InstanceID"),
    );
    assert_eq!(a, b);

    // Without a timestamp there is no creation date at all.
    let none = engine()
        .pdf(&d.terms, &PdfOptions::default())
        .expect("compiles");
    assert!(!pdf_info(&none).contains("CreationDate"));
    assert_eq!(
        none,
        engine()
            .pdf(&d.terms, &PdfOptions::default())
            .expect("again")
    );
}

#[test]
fn pdfa_2b() {
    let d = docs();
    let opts = PdfOptions {
        pdfa: true,
        ..stamp()
    };
    let bytes = engine().pdf(&d.terms, &opts).expect("PDF/A compiles");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A part");
    assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    // Without a timestamp PDF/A falls back to the fixed epoch, not the clock.
    let epoch = engine()
        .pdf(
            &d.terms,
            &PdfOptions {
                pdfa: true,
                timestamp: None,
            },
        )
        .expect("compiles");
    assert_contains(
        &pdf_info(&epoch),
        &["CreationDate:    Tue Jan  1 00:00:00 1980 UTC"],
    );
}

/// A copy of the fixture with `templates/document.typ` replaced by `template`.
fn with_template(template: &str) -> (tempfile::TempDir, PdfEngine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("project");
    copy_dir(&fixture(), &root);
    std::fs::write(root.join("templates/document.typ"), template).expect("write");
    let (project, _) = load::load(&root).expect("loads");
    let (engine, diags) = PdfEngine::for_project(&project);
    assert!(!diags.has_errors(), "{diags:?}");
    (dir, engine)
}

/// The error of compiling the fixture's terms with `template`: message plus hints.
fn template_error(template: &str) -> String {
    let (_dir, engine) = with_template(template);
    let Err(err) = engine.pdf(&docs().terms, &stamp()) else {
        panic!("the template must fail: {template}");
    };
    format!("{}\n{}", err.message, err.hints.join("\n"))
}

#[test]
fn an_override_cannot_read_outside_the_project() {
    let err = template_error("#let render(data) = {\n  read(\"/etc/passwd\")\n}\n");
    assert_contains(
        &err,
        &[
            "PDF of `terms` for `wolkenwerk`: error in `templates/document.typ` line 2: file not found",
            "fix the override `templates/document.typ`",
        ],
    );
    assert!(!err.contains("root:"));

    let err = template_error("#let render(data) = image(\"../../x.png\")\n");
    assert_contains(
        &err,
        &[
            "`templates/document.typ` line 1",
            "would escape the project root",
        ],
    );

    let err = template_error("#import \"@preview/x:1.0.0\": *\n#let render(data) = []\n");
    assert_contains(
        &err,
        &[
            "`templates/document.typ` line 1",
            "@preview/x:1.0.0",
            "packages are not available",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_project_is_refused() {
    let (dir, engine) = with_template("#let render(data) = read(\"/templates/secret.txt\")\n");
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "geheim").expect("write");
    std::os::unix::fs::symlink(&outside, dir.path().join("project/templates/secret.txt"))
        .expect("symlink");
    let err = engine.pdf(&docs().terms, &stamp()).expect_err("refused");
    assert!(
        err.message
            .contains("is a symlink that leads outside the project"),
        "{}",
        err.message
    );
}

#[test]
fn project_assets_and_the_vendor_logo_are_readable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("project");
    copy_dir(&fixture(), &root);
    std::fs::create_dir_all(root.join("templates/logos")).expect("mkdir");
    std::fs::write(
        root.join("templates/logos/wolkenwerk.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#2a6"/><text x="10" y="27" font-size="18">Wolkenwerk</text></svg>"##,
    )
    .expect("write logo");
    let doc = assemble_in(
        &load::load(&root).expect("loads").0,
        "wolkenwerk",
        None,
        "terms",
    );
    let (project, _) = load::load(&root).expect("loads");
    let (engine, _) = PdfEngine::for_project(&project);
    assert!(
        engine
            .data_json(&doc)
            .contains("\"logo\": \"/templates/logos/wolkenwerk.svg\"")
    );
    let bytes = engine.pdf(&doc, &stamp()).expect("compiles with the logo");
    assert_ne!(bytes, pdf(&doc), "the logo is drawn");
}

#[test]
fn template_errors_name_the_file_and_line() {
    let err = template_error(
        "// A broken override.\n#let render(data) = {\n  let x = 1\n  undefined-thing(x)\n}\n",
    );
    assert_contains(
        &err,
        &["error in `templates/document.typ` line 4: unknown variable: undefined-thing"],
    );

    let err = template_error("#let draw(data) = []\n");
    assert_contains(
        &err,
        &[
            "error in generated markup line 2",
            "must define `#let render(data) = ...`",
        ],
    );

    let err = template_error("#let render(data) = {\n  set page(paper: \"a3\", margin: 2)\n}\n");
    assert_contains(
        &err,
        &["error in `templates/document.typ` line 2: expected"],
    );
}

#[test]
fn markup_is_the_template_plus_the_data_as_a_string_literal() {
    let d = docs();
    let markup = engine().markup(&d.injection);
    assert!(markup.contains(BUILTIN_TEMPLATE));
    assert!(markup.contains("#render(json(bytes(\""));
    // Data is inside one string literal: quotes and backslashes are escaped, nothing else.
    assert!(markup.contains(r#"#read(\\\"/etc/passwd\\\") $x$ ] [ * _ @ref <l> // /* \\\\ # ="#));
}

#[test]
fn data_snapshot() {
    insta::assert_snapshot!("pdf_data_injection", engine().data_json(&docs().injection));
    insta::assert_snapshot!("pdf_data_terms", engine().data_json(&docs().terms));
}

/// A clause's Markdown reaches the PDF as text: whatever words and Typst-special characters
/// (`# $ @ = % & +`) a clause holds, in paragraphs, emphasis or list items, the PDF's text
/// holds the same characters in the same order (compared without spaces and hyphens, which
/// line breaking adds).
mod markdown_to_pdf_text {
    use super::*;
    use proptest::prelude::*;

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => "[a-zA-Z]{1,8}",
            2 => "[0-9]{1,4}",
            1 => prop::sample::select(vec!["#", "$", "@", "=", "%", "&", "+"]).prop_map(str::to_string),
        ]
    }

    fn block() -> impl Strategy<Value = (String, String)> {
        (prop::collection::vec(token(), 1..12), 0..3u8).prop_map(|(words, kind)| {
            let plain = words.join(" ");
            let md = match kind {
                0 => format!("Tekst {plain}"),
                1 => format!("Tekst *{plain}*"),
                _ => format!("- Tekst {plain}"),
            };
            (md, format!("Tekst {plain}"))
        })
    }

    fn squeeze(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
        #[test]
        fn clause_text_survives(blocks in prop::collection::vec(block(), 1..5)) {
            let mut doc = docs().terms.clone();
            let md: Vec<String> = blocks.iter().map(|(m, _)| m.clone()).collect();
            let clause = &mut doc.articles[0].clauses[0];
            clause.markdown = md.join("\n\n");
            let text = squeeze(&pdf_text(&pdf(&doc)));
            for (_, plain) in &blocks {
                let want = squeeze(plain);
                prop_assert!(text.contains(&want), "{want:?} not in the PDF text {text:?}");
            }
        }
    }
}
