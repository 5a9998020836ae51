//! Translations beside the Dutch library (issue 15): an English document uses the English
//! files everywhere, a missing translation is an error naming the clause, and `check` warns
//! when a Dutch clause's version moves past the one its translation was made from.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, copy_dir, run};

struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("p");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/english"),
            &root,
        );
        Fixture { _tmp: tmp, root }
    }

    fn run(&self, args: &[&str]) -> Run {
        run(&self.root, args)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(self.root.join(rel), text.replacen(from, to, 1)).unwrap();
    }
}

#[test]
fn english_document_uses_the_translations_everywhere() {
    let f = Fixture::new();
    let r = f.run(&["build", "--format", "md,html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = f.read("out/acme/terms-en.md");
    insta::assert_snapshot!("english_terms_md", md);
    // Module titles, definitions, enum labels, durations, references and headings.
    for s in [
        "## Clause 1 Definitions",
        "**Service**: the online service",
        "## Clause 2 Payment",
        "fourteen (14) days of the invoice date, by direct debit, quoting the invoice number.",
        "See also clause 2.2.",
        "KvK no. 12345678",
        // The vendor's own module, placed in the Dutch `terms`, is in their translation too.
        "## Clause 3 Helpdesk",
        "The helpdesk of Acme is open on business days.",
    ] {
        assert!(md.contains(s), "{s:?} missing from:\n{md}");
    }
    let html = f.read("out/acme/terms-en.html");
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(!html.contains("Artikel") && !html.contains("Betaling"));
    // The Dutch document stays Dutch.
    let nl = f.read("out/acme/terms.md");
    for s in [
        "Artikel 2 Betaling",
        "automatische incasso",
        "veertien (14) dagen",
    ] {
        assert!(nl.contains(s), "{s:?} missing from:\n{nl}");
    }
}

#[test]
fn missing_translation_is_an_error_naming_the_clause() {
    let f = Fixture::new();
    std::fs::remove_file(f.root.join("clauses/10-betaling/02-rente.en.md")).unwrap();
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "clause `betaling.rente` has no en translation, and document `terms-en` is in en"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("clauses/10-betaling/02-rente.en.md"));
    // Only the English document needs it.
    let r = f.run(&["build", "--doc", "terms", "--format", "md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn translation_of_an_unknown_clause_is_an_error() {
    let f = Fixture::new();
    std::fs::write(
        f.root.join("clauses/10-betaling/03-korting.en.md"),
        "---\nid: betaling.korting\ntitle: Discount\ntranslates: 1.0.0\n---\nNone.\n",
    )
    .unwrap();
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("translates clause `betaling.korting`, which does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_translation_without_translates_is_an_error() {
    let f = Fixture::new();
    f.edit(
        "clauses/10-betaling/02-rente.en.md",
        "translates: 1.0.0\n",
        "",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("missing the required key `translates`"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_warns_when_the_dutch_version_is_bumped_without_its_translation() {
    let f = Fixture::new();
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("translation_drift"), "{}", r.stderr);

    f.edit(
        "clauses/10-betaling/02-rente.md",
        "version: 1.0.0",
        "version: 1.1.0",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning[translation_drift]: the translation of clause `betaling.rente` was made from Dutch version 1.0.0, but the Dutch wording is now version 1.1.0"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("02-rente.en.md:4:"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("no published edition holds the Dutch text of version 1.0.0")
    );

    // Brought up to date: quiet again.
    f.edit(
        "clauses/10-betaling/02-rente.en.md",
        "translates: 1.0.0",
        "translates: 1.1.0",
    );
    let r = f.run(&["check"]);
    assert!(!r.stderr.contains("translation_drift"), "{}", r.stderr);
}

#[test]
fn drift_shows_the_dutch_redline_from_a_published_edition() {
    let f = Fixture::new();
    let r = f.run(&[
        "publish",
        "--vendor",
        "acme",
        "--doc",
        "terms",
        "--edition",
        "2026.1",
        "--effective",
        "2026-12-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    f.edit(
        "clauses/10-betaling/02-rente.md",
        "version: 1.0.0",
        "version: 1.1.0",
    );
    f.edit(
        "clauses/10-betaling/02-rente.md",
        "de wettelijke handelsrente",
        "een rente van 1% per maand",
    );
    let r = f.run(&["check"]);
    assert!(
        r.stderr
            .contains("the Dutch changed since 1.0.0 (edition 2026.1 of `terms` for acme)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("[-de wettelijke handelsrente-]{+een rente van 1% per maand+}"),
        "{}",
        r.stderr
    );
}

/// Dutch function words: a sentence of Dutch has several, English none. Not "met", which
/// is English too ("if it is not met").
const DUTCH: &[&str] = &[
    "de", "het", "een", "van", "en", "niet", "wordt", "voor", "zijn", "deze", "die", "dat",
];

/// Words of an HTML page's text (tags, entities and punctuation dropped), in lower case.
fn words(html: &str) -> Vec<String> {
    let body = html.split("<body").nth(1).unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn dutch_count(words: &[String]) -> usize {
    words.iter().filter(|w| DUTCH.contains(&w.as_str())).count()
}

#[test]
fn the_example_vendors_english_documents_hold_no_dutch() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = run(
        root,
        &[
            "build",
            "--vendor",
            "kustlijn",
            "--format",
            "html,pdf",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Page by page in the PDFs: no page of an English document holds Dutch.
    let mut pages = 0;
    for doc in ["terms-en", "dpa-en", "sla-en"] {
        let text = common::pdf_text(&out.join(format!("kustlijn/{doc}.pdf")));
        for (n, page) in text.split('\u{c}').enumerate() {
            let w: Vec<String> = page
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            pages += usize::from(!w.is_empty());
            assert_eq!(dutch_count(&w), 0, "{doc}.pdf page {}:\n{page}", n + 1);
        }
    }
    assert!(pages >= 15, "only {pages} pages");
    let mut english = 0;
    for entry in std::fs::read_dir(out.join("kustlijn")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(doc) = name.strip_suffix(".html") else {
            continue;
        };
        let html = std::fs::read_to_string(&path).unwrap();
        let w = words(&html);
        let dutch = dutch_count(&w);
        if doc.ends_with("-en") {
            english += 1;
            assert!(html.contains(r#"<html lang="en">"#), "{name}");
            assert!(w.len() > 500, "{name} has only {} words", w.len());
            let found: Vec<&String> = w.iter().filter(|x| DUTCH.contains(&x.as_str())).collect();
            assert_eq!(dutch, 0, "{name}: Dutch function words {found:?}");
        } else {
            // The measure works: the Dutch documents are full of them.
            assert!(dutch * 10 > w.len(), "{name}: {dutch} of {} words", w.len());
        }
    }
    assert_eq!(
        english, 3,
        "kustlijn publishes terms, DPA and SLA in English"
    );
}

#[test]
fn an_english_notice_is_english_and_says_which_language_prevails() {
    let f = Fixture::new();
    let publish = |edition: &str, effective: &str| {
        let r = f.run(&[
            "publish",
            "--vendor",
            "acme",
            "--doc",
            "terms-en",
            "--edition",
            edition,
            "--effective",
            effective,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    publish("2026.1", "2026-12-01");
    f.edit(
        "clauses/10-betaling/02-rente.en.md",
        "the statutory commercial interest",
        "interest of 1% per month",
    );
    publish("2026.2", "2027-03-01");
    let r = f.run(&[
        "notice", "--vendor", "acme", "--doc", "terms-en", "--from", "2026.1", "--to", "2026.2",
        "--format", "md",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = f.read("out/notices/acme/terms-en/2026.1-to-2026.2/notice.md");
    for s in [
        "# Changes to the General terms and conditions",
        "**Clause 2 Payment**: 2.2 Interest: reworded",
        "~~the statutory commercial interest~~ **interest of 1% per month**",
        "The terms are published in Dutch and in English; in the event of any difference, the Dutch text prevails.",
    ] {
        assert!(md.contains(s), "{s:?} missing from:\n{md}");
    }
    assert_eq!(dutch_count(&words(&md)), 0, "{md}");
}

#[test]
fn dutch_text_values_in_an_english_document_are_errors() {
    let f = Fixture::new();
    // The vendor writes the reference in Dutch only.
    std::fs::write(
        f.root.join("vendors/acme.yaml"),
        f.read("vendors/acme.yaml") + "  betaling:\n    reference: het klantnummer\n",
    )
    .unwrap();
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "vendor `acme` sets `betaling.reference` in Dutch only, and document `terms-en` is in en"
        ),
        "{}",
        r.stderr
    );
    // Given in English too: the English document takes it.
    std::fs::write(
        f.root.join("vendors/acme.yaml"),
        f.read("vendors/acme.yaml")
            + "locale_parameters:\n  en:\n    betaling: {reference: the customer number}\n",
    )
    .unwrap();
    let r = f.run(&["build", "--format", "md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        f.read("out/acme/terms-en.md")
            .contains("quoting the customer number.")
    );
    assert!(
        f.read("out/acme/terms.md")
            .contains("onder vermelding van het klantnummer.")
    );

    // A Dutch default without an English one.
    let f = Fixture::new();
    f.edit(
        "clauses/10-betaling/module.en.yaml",
        "    default: the invoice number\n",
        "",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "parameter `betaling.reference` has no en default, and document `terms-en` is in en"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn an_enum_label_without_its_translation_is_an_error() {
    let f = Fixture::new();
    f.edit(
        "clauses/10-betaling/module.en.yaml",
        "      direct_debit: direct debit\n",
        "",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "enum `betaling.method` has no en label for `direct_debit`, and document `terms-en` is in en"
        ),
        "{}",
        r.stderr
    );
}
