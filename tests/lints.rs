//! The lints over clause text and parameter values (`stale_law`, `residue`,
//! `hand_typed_reference`, `drafting_style`, `role_noun`, `enum_literal`): one defect at a time
//! is put into a copy of `tests/fixtures/good`, and `check` must name the lint, the place
//! (`file:line:col`) and the problem, in text and in `--json`; correct prose must pass.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, run};
use serde_json::Value;
use tempfile::TempDir;

/// A copy of the `good` fixture. Its texts would also be read by `undefined_term` (every
/// statute's capitalised name), which is not under test here: the copy allows it (the
/// fixture's manifest ends with its `lints:` map).
fn good() -> TempDir {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&src, dir.path());
    let manifest = dir.path().join("clausebook.yaml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, format!("{text}  undefined_term: allow\n")).unwrap();
    dir
}

/// Replace `from` (exactly once in the file) by `to`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` in {file}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A new clause in the `law` module of the fixture, with `front` added to its front matter.
fn clause(dir: &Path, name: &str, front: &str, body: &str) -> String {
    let file = format!("clauses/40-law/{name}.md");
    fs::write(
        dir.join(&file),
        format!("---\nid: law.{name}\ntitle: Test\nversion: 1.0.0\n{front}---\n{body}\n"),
    )
    .unwrap();
    file
}

/// One finding of `check --json`.
#[derive(Debug)]
struct Finding {
    code: String,
    severity: String,
    at: String,
    message: String,
    label: String,
    hints: String,
}

/// `check` in text and in JSON: the exit code, the text output, the findings.
fn check(dir: &Path) -> (i32, String, Vec<Finding>) {
    let text = run(dir, &["check"]);
    let json = run(dir, &["check", "--json"]);
    assert_eq!(text.code, json.code);
    let v: Value = serde_json::from_str(&json.stdout).expect("check --json prints JSON");
    let findings = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Finding {
            code: d["code"].as_str().unwrap_or("").to_string(),
            severity: d["severity"].as_str().unwrap_or("").to_string(),
            at: format!(
                "{}:{}:{}",
                d["file"].as_str().unwrap_or(""),
                d["line"],
                d["column"]
            ),
            message: d["message"].as_str().unwrap_or("").to_string(),
            label: d["label"].as_str().unwrap_or("").to_string(),
            hints: d["hints"].to_string(),
        })
        .collect();
    (text.code, text.stderr, findings)
}

/// `check` finds exactly one problem: lint `code` at `at`, its message containing `message`.
/// Returns it, for more assertions.
fn one(dir: &Path, code: &str, at: &str, message: &str) -> Finding {
    let (exit, text, mut findings) = check(dir);
    assert_eq!(findings.len(), 1, "{findings:#?}\n{text}");
    let f = findings.remove(0);
    let severity = if f.severity == "error" {
        "error"
    } else {
        "warning"
    };
    assert_eq!(exit, if severity == "error" { 1 } else { 0 }, "{text}");
    assert_eq!(f.code, code, "{f:#?}");
    assert_eq!(f.at, at, "{f:#?}");
    assert!(f.message.contains(message), "{f:#?}");
    // The text output names the lint in brackets and the place.
    assert!(text.contains(&format!("{severity}[{code}]: ")), "{text}");
    assert!(text.contains(&format!("┌─ {at}")), "{text}");
    f
}

fn clean(dir: &Path) {
    let (exit, text, findings) = check(dir);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(exit, 0, "{text}");
    assert!(text.contains("0 error(s), 0 warning(s)"), "{text}");
}

// ---------------------------------------------------------------------------------------
// stale_law

#[test]
fn stale_law_in_clause_text() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/40-law/01-governing.md",
        "van toepassing.",
        "van toepassing.\nPersoonsgegevens verwerken wij volgens de Wet bescherming persoonsgegevens.",
    );
    let f = one(
        dir.path(),
        "stale_law",
        "clauses/40-law/01-governing.md:7:43",
        "“Wet bescherming persoonsgegevens”: the Wet bescherming persoonsgegevens was repealed",
    );
    assert!(
        f.label.contains("Algemene verordening gegevensbescherming"),
        "{f:#?}"
    );
    assert!(f.hints.contains("source: AVG"), "{f:#?}");
    let (_, text, _) = check(dir.path());
    assert!(
        text.contains("error[stale_law]: stale law: “Wet bescherming persoonsgegevens”"),
        "{text}"
    );
}

#[test]
fn stale_law_bewerker_and_old_authorities() {
    let dir = good();
    let file = clause(
        dir.path(),
        "privacy",
        "",
        "Als bewerker sluit {{ vendor.short_name }} met de Afnemer een bewerkersovereenkomst.",
    );
    let (exit, _, findings) = check(dir.path());
    assert_eq!(exit, 1);
    let found: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.at.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (format!("{file}:6:5").as_str(), "stale_law"),
            (format!("{file}:6:63").as_str(), "stale_law"),
        ]
    );
    assert!(findings[1].label.contains("verwerkersovereenkomst"));
    assert!(findings[1].hints.contains("AVG art. 28 lid 3"));
}

#[test]
fn stale_law_in_a_clause_title() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/30-liability/02-intent.md",
        "title: Opzet",
        "title: Opzet (zie het rapport Voorwerk II)",
    );
    one(
        dir.path(),
        "stale_law",
        "clauses/30-liability/02-intent.md:3:23",
        "“rapport Voorwerk II”",
    );
}

#[test]
fn stale_law_in_a_module_title() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/20-payment/module.yaml",
        "title: Prijzen en betaling",
        "title: Prijzen en betaling (herroepingsrecht van zeven dagen)",
    );
    one(
        dir.path(),
        "stale_law",
        "clauses/20-payment/module.yaml:1:29",
        "a consumer's withdrawal period is 14 days",
    );
}

#[test]
fn stale_law_in_a_module_default() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/40-law/module.yaml",
        "default: de rechtbank Midden-Nederland",
        "default: de rechtbank die de Kamer van Koophandel voor Amsterdam aanwijst",
    );
    let f = one(
        dir.path(),
        "stale_law",
        "clauses/40-law/module.yaml:6:34",
        "regional Chambers of Commerce merged",
    );
    assert!(f.hints.contains("2014"), "{f:#?}");
}

#[test]
fn stale_law_in_a_vendor_value() {
    let dir = good();
    edit(
        dir.path(),
        "vendors/acme.yaml",
        "  liability.cap_amount: EUR 25000\n",
        "  liability.cap_amount: EUR 25000\n  law.forum: de rechter die het CBP aanwijst\n",
    );
    one(
        dir.path(),
        "stale_law",
        "vendors/acme.yaml:10:33",
        "Autoriteit Persoonsgegevens since 1 January 2016",
    );
}

#[test]
fn stale_law_in_a_customer_value_and_an_enum_label() {
    let dir = good();
    edit(
        dir.path(),
        "customers/acme/bakkerij-bol.yaml",
        "    cap_amount: EUR 75000\n",
        "    cap_amount: EUR 75000\n  law:\n    forum: \"de rechtbank (richtlijn 95/46/EG)\"\n",
    );
    edit(
        dir.path(),
        "clauses/20-payment/module.yaml",
        "invoice: overschrijving,",
        "invoice: overschrijving volgens de Wbp,",
    );
    let (exit, _, findings) = check(dir.path());
    assert_eq!(exit, 1);
    let at: Vec<&str> = findings.iter().map(|f| f.at.as_str()).collect();
    assert_eq!(
        at,
        vec![
            "clauses/20-payment/module.yaml:25:49",
            "customers/acme/bakkerij-bol.yaml:8:37"
        ],
        "{findings:#?}"
    );
    assert!(findings.iter().all(|f| f.code == "stale_law"));
}

#[test]
fn current_law_is_not_stale() {
    let dir = good();
    clause(
        dir.path(),
        "current",
        "",
        "{{ vendor.short_name }} is verwerker in de zin van de AVG en sluit met de Afnemer een \
         verwerkersovereenkomst. Toezichthouder is de Autoriteit Persoonsgegevens. De Afnemer \
         heeft een bedenktijd van veertien (14) dagen. {{ vendor.short_name }} is ingeschreven \
         in het Handelsregister van de Kamer van Koophandel. De Wet op de economische delicten \
         en de Wet bescherming persoonsgegevens BES blijven onverlet.",
    );
    clean(dir.path());
}

#[test]
fn a_clause_allows_stale_law_with_a_reason() {
    let dir = good();
    clause(
        dir.path(),
        "history",
        "allow: {stale_law: \"describes the law before 2018 on purpose\"}\n",
        "Tot 25 mei 2018 gold de Wet bescherming persoonsgegevens.",
    );
    clean(dir.path());
}

// ---------------------------------------------------------------------------------------
// residue

#[test]
fn residue_placeholder_in_clause_text() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/10-delivery/04-training.md",
        "Op verzoek geeft",
        "Op verzoek van Xxxxx geeft",
    );
    let f = one(
        dir.path(),
        "residue",
        "clauses/10-delivery/04-training.md:6:16",
        "“Xxxxx” is an anonymisation placeholder",
    );
    assert!(f.hints.contains("party.customer"), "{f:#?}");
}

#[test]
fn residue_web_page_text_in_a_vendor_clause() {
    let dir = good();
    edit(
        dir.path(),
        "vendors/acme/reminder.md",
        "{{ payment.payment_term }}.",
        "{{ payment.payment_term }}. Lees meer",
    );
    one(
        dir.path(),
        "residue",
        "vendors/acme/reminder.md:6:152",
        "“Lees meer” is web-page text",
    );
}

#[test]
fn residue_brackets_blanks_and_values() {
    let dir = good();
    let file = clause(
        dir.path(),
        "blanks",
        "",
        "Geschillen gaan naar [naam rechtbank] te …\nDe boete is ___ euro.",
    );
    edit(
        dir.path(),
        "clauses/10-delivery/module.yaml",
        "default: [Amsterdam, Utrecht]",
        "default: [Amsterdam, <plaats>]",
    );
    let (exit, _, findings) = check(dir.path());
    assert_eq!(exit, 1);
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.at.as_str(), f.code.as_str()))
        .collect();
    let want = [
        "clauses/10-delivery/module.yaml:15:26".to_string(),
        format!("{file}:6:22"),
        format!("{file}:6:42"),
        format!("{file}:7:13"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|w| (w.as_str(), "residue"))
            .collect::<Vec<_>>(),
        "{findings:#?}"
    );
}

#[test]
fn signature_lines_lists_and_rules_are_not_residue() {
    let dir = good();
    clause(
        dir.path(),
        "sign",
        "",
        "Aldus overeengekomen.\n\n___\n\nHandtekening: ____________\n\nDatum: ______\n\n\
         Zie [de website](https://acme.example) en ___vet en schuin___.",
    );
    clean(dir.path());
}

// ---------------------------------------------------------------------------------------
// hand_typed_reference

#[test]
fn hand_typed_reference_in_clause_text() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/30-liability/02-intent.md",
        "De beperking in {{ ref(\"liability.cap\") }} geldt",
        "De beperking in artikel 5.b tot en met 5.d geldt",
    );
    let f = one(
        dir.path(),
        "hand_typed_reference",
        "clauses/30-liability/02-intent.md:6:17",
        "“artikel 5.b tot en met 5.d” is a cross-reference typed as text",
    );
    assert!(f.hints.contains("{{ ref(\\\"<clause id>\\\") }}"), "{f:#?}");
}

#[test]
fn hand_typed_clause_number_is_one_finding() {
    let dir = good();
    let file = clause(dir.path(), "typed", "", "Zie clausule 3 en lid 2.");
    let (exit, _, findings) = check(dir.path());
    assert_eq!(exit, 1);
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.at.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (format!("{file}:6:5").as_str(), "hand_typed_reference"),
            (format!("{file}:6:19").as_str(), "hand_typed_reference"),
        ],
        "{findings:#?}"
    );
}

#[test]
fn statute_references_are_not_hand_typed() {
    let dir = good();
    clause(
        dir.path(),
        "statutes",
        "",
        "Artikel 6:248 BW en art. 7:408 BW blijven van toepassing, net als artikel 28 lid 3 AVG, \
         artikel 82 van de AVG, artikel 28, lid 10, van de AVG, de artikelen 32 tot en met 36 van \
         de AVG en de wettelijke handelsrente van artikel 6:119a van het Burgerlijk Wetboek. \
         Berichten volgen artikel 11.7 van de Telecommunicatiewet en artikel 6 van richtlijn \
         2011/83/EU. Dit artikel geldt voor de leden van het bestuur en voor subverwerkers.",
    );
    clean(dir.path());
}

#[test]
fn a_clause_allows_a_quoted_reference() {
    let dir = good();
    clause(
        dir.path(),
        "quoted",
        "allow: {hand_typed_reference: \"cites article 3 of the NLdigital terms, not ours\"}\n",
        "Daarnaast geldt artikel 3 van de NLdigital Voorwaarden.",
    );
    clean(dir.path());
}

// ---------------------------------------------------------------------------------------
// drafting_style

#[test]
fn drafting_style_digits_before_a_unit() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/10-delivery/03-express.md",
        "binnen twee Werkdagen",
        "binnen 30 dagen",
    );
    let f = one(
        dir.path(),
        "drafting_style",
        "clauses/10-delivery/03-express.md:7:90",
        "“30 dagen” is written in digits only",
    );
    assert_eq!(f.label, "write “dertig (30) dagen”");
    assert!(f.hints.contains("count"), "{f:#?}");
}

#[test]
fn drafting_style_dates_and_amounts_typed_into_the_text() {
    let dir = good();
    let file = clause(
        dir.path(),
        "typed",
        "",
        "De Afnemer betaalt uiterlijk op 1 januari 2026 een bijdrage van EUR 5.000.\nSinds 25 mei 2018 geldt de AVG.",
    );
    let (exit, _, findings) = check(dir.path());
    assert_eq!(exit, 0, "warnings only");
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.at.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                format!("{file}:6:33").as_str(),
                "“1 januari 2026” is a date typed into the clause text"
            ),
            (
                format!("{file}:6:65").as_str(),
                "“EUR 5.000” is an amount typed into the clause text"
            ),
        ],
        "the date of a law is history, not a value: {findings:#?}"
    );
}

#[test]
fn drafting_style_clausule_and_lettered_lists() {
    let dir = good();
    let file = clause(
        dir.path(),
        "style",
        "",
        "De clausules hieronder gelden:\na. eerst;\n(b) daarna.",
    );
    let (exit, _, findings) = check(dir.path());
    assert_eq!(exit, 0, "warnings only");
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.at.as_str(), f.severity.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (format!("{file}:6:4").as_str(), "warning"),
            (format!("{file}:7:1").as_str(), "warning"),
            (format!("{file}:8:1").as_str(), "warning"),
        ],
        "{findings:#?}"
    );
    assert!(
        findings[0]
            .message
            .contains("the library writes “artikelen”")
    );
    assert!(findings[1].message.contains("hand-lettered list item"));
    assert!(findings.iter().all(|f| f.code == "drafting_style"));
}

#[test]
fn drafting_style_passes_words_times_and_markdown_lists() {
    let dir = good();
    clause(
        dir.path(),
        "words",
        "",
        "Binnen dertig (30) dagen, op werkdagen van 09.00 tot 17.00 uur, binnen \
         {{ payment.payment_term }} en {{ delivery.installations | count }} dagen:\n\n\
         1. eerst;\n2. daarna.\n\n| Prioriteit | Reactietijd |\n|---|---|\n| 1 | vier (4) uur |",
    );
    clean(dir.path());
}

#[test]
fn the_project_allows_drafting_style() {
    let dir = good();
    clause(dir.path(), "days", "", "Binnen 30 dagen.");
    let (exit, _, findings) = check(dir.path());
    assert_eq!((exit, findings.len()), (0, 1));
    let manifest = dir.path().join("clausebook.yaml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, format!("{text}  drafting_style: allow\n")).unwrap();
    clean(dir.path());
}

// ---------------------------------------------------------------------------------------
// role_noun

#[test]
fn role_noun_in_clause_text() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/20-payment/03-indexation.md",
        "{{ vendor.short_name }} mag de vergoeding",
        "De leverancier mag de vergoeding",
    );
    let f = one(
        dir.path(),
        "role_noun",
        "clauses/20-payment/03-indexation.md:6:4",
        "role noun “leverancier” instead of the party's name",
    );
    assert_eq!(f.label, "write `{{ party.vendor }}`");
}

#[test]
fn other_firms_and_defined_terms_are_not_role_nouns() {
    let dir = good();
    // "Afnemer" is a term the fixture's definitions define; "een nieuwe leverancier" is
    // somebody else.
    clause(
        dir.path(),
        "exit",
        "",
        "Bij het einde helpt {{ vendor.short_name }} de Afnemer bij de overstap naar een nieuwe \
         leverancier of naar geen enkele opdrachtnemer.",
    );
    clean(dir.path());
}

#[test]
fn a_vendor_clause_may_use_its_own_party_names() {
    let dir = good();
    edit(
        dir.path(),
        "vendors/acme.yaml",
        "city: Utrecht\n",
        "city: Utrecht\nparties:\n  customer: de Opdrachtgever\n",
    );
    edit(
        dir.path(),
        "vendors/acme/reminder.md",
        "stuurt zij de Afnemer een herinnering",
        "stuurt zij de Opdrachtgever een herinnering",
    );
    clean(dir.path());
    // The library's own clauses serve every vendor: there the word is a role noun.
    edit(
        dir.path(),
        "clauses/20-payment/03-indexation.md",
        "mag de vergoeding",
        "mag de Opdrachtgever de vergoeding",
    );
    one(
        dir.path(),
        "role_noun",
        "clauses/20-payment/03-indexation.md:6:32",
        "role noun “Opdrachtgever”",
    );
}

// ---------------------------------------------------------------------------------------
// enum_literal

#[test]
fn enum_literal_in_when() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/20-payment/04-direct-debit.md",
        "when: raw.payment.method == \"direct_debit\"",
        "when: raw.payment.method == \"direct_debet\"",
    );
    let f = one(
        dir.path(),
        "enum_literal",
        "clauses/20-payment/04-direct-debit.md:5:29",
        "`raw.payment.method == \"direct_debet\"` is never true: \"direct_debet\" is not a value of `payment.method`",
    );
    assert!(f.hints.contains("did you mean `direct_debit`?"), "{f:#?}");
}

#[test]
fn enum_literal_in_a_quoted_when() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/20-payment/04-direct-debit.md",
        "when: raw.payment.method == \"direct_debit\"",
        "when: 'raw.payment.method != \"cash\"'",
    );
    one(
        dir.path(),
        "enum_literal",
        "clauses/20-payment/04-direct-debit.md:5:30",
        "is always true",
    );
}

#[test]
fn enum_literal_in_a_when_with_escaped_quotes() {
    let dir = good();
    edit(
        dir.path(),
        "clauses/20-payment/04-direct-debit.md",
        "when: raw.payment.method == \"direct_debit\"",
        "when: \"raw.payment.method == \\\"invoice\\\" or raw.payment.method == \\\"direct_debt\\\"\"",
    );
    let f = one(
        dir.path(),
        "enum_literal",
        "clauses/20-payment/04-direct-debit.md:5:67",
        "\"direct_debt\" is not a value of `payment.method`",
    );
    assert!(f.hints.contains("did you mean `direct_debit`?"), "{f:#?}");
}

#[test]
fn enum_literal_in_tags() {
    let dir = good();
    let file = clause(
        dir.path(),
        "conditions",
        "",
        "{% if raw.payment.method == \"invoce\" %}a{% elif payment.method == \"invoice\" %}b{% endif %}\n\
         {% if delivery.express == \"true\" %}c{% endif %}{% if raw.payment.method == \"invoice\" %}d{% endif %} tekst",
    );
    let (exit, _, findings) = check(dir.path());
    assert_eq!(exit, 1);
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.at.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (format!("{file}:6:29").as_str(), "enum_literal"),
            (format!("{file}:6:67").as_str(), "enum_literal"),
            (format!("{file}:7:27").as_str(), "enum_literal"),
        ],
        "{findings:#?}"
    );
    assert!(findings[0].hints.contains("did you mean `invoice`?"));
    assert!(findings[1].message.contains("the text the document shows"));
    assert!(
        findings[1]
            .hints
            .contains("raw.payment.method == \\\"invoice\\\"")
    );
    assert!(findings[2].message.contains("is yes/no, not text"));
}
