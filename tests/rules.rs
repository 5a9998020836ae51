//! The lint engine (issue 12): named lints with levels, `--explain`, `--json` codes, per-clause
//! `allow:`, and the document lints and declarative module rules (`requires:`,
//! `constraints:`), each on the good fixture with one defect typed in.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;
use common::{copy_dir, run};

fn good() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good"),
        dir.path(),
    );
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut s = fs::read_to_string(path).unwrap();
    s.push_str(text);
    fs::write(path, s).unwrap();
}

const LIABILITY: &str = "clauses/30-liability/module.yaml";
const PAYMENT: &str = "clauses/20-payment/module.yaml";
const VENDOR: &str = "vendors/acme.yaml";

#[test]
fn a_required_carve_out_that_a_vendor_excludes_is_reported_at_the_rule() {
    let dir = good();
    edit(
        &dir.path().join(LIABILITY),
        "parameters:",
        "requires:\n  - clause: liability.intent\n    message: zonder uitzondering voor opzet houdt de beperking geen stand\nparameters:",
    );
    assert_eq!(run(dir.path(), &["check"]).code, 0, "holds as shipped");
    edit(
        &dir.path().join(VENDOR),
        "exclude: [delivery.training]",
        "exclude: [delivery.training, liability.intent]",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[requirement]: document `terms` holds module `liability` but not `liability.intent`: zonder uitzondering voor opzet houdt de beperking geen stand"), "{}", r.stderr);
    assert!(
        r.stderr.contains("clauses/30-liability/module.yaml:4:13"),
        "{}",
        r.stderr
    );

    // A rule naming nothing is an error of its own.
    let dir = good();
    edit(
        &dir.path().join(LIABILITY),
        "parameters:",
        "requires:\n  - clause: liability.intnet\n    message: x\nparameters:",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("`requires` names `liability.intnet`, which is no clause or module"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `liability.intent`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_constraint_between_values_points_at_the_rule_and_the_values() {
    let dir = good();
    edit(
        &dir.path().join(PAYMENT),
        "parameters:",
        "constraints:\n  - check: \"(raw.payment.payment_term | days) <= 30\"\n    message: een betaaltermijn van meer dan dertig dagen is voor een zakelijke klant te lang\nparameters:",
    );
    assert_eq!(run(dir.path(), &["check"]).code, 0);
    edit(
        &dir.path().join(VENDOR),
        "payment_term: 30 dagen",
        "payment_term: 9 weken",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[constraint]: een betaaltermijn van meer dan dertig dagen is voor een zakelijke klant te lang (vendor `acme`)"), "{}", r.stderr);
    assert!(
        r.stderr.contains("clauses/20-payment/module.yaml:4:13"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("`payment.payment_term` is set here"),
        "{}",
        r.stderr
    );

    // Working days, weeks and hours compare by their length.
    edit(
        &dir.path().join(VENDOR),
        "payment_term: 9 weken",
        "payment_term: 20 werkdagen",
    );
    assert_eq!(run(dir.path(), &["check"]).code, 0);
}

#[test]
fn duplicate_headings_and_empty_clauses() {
    let dir = good();
    edit(
        &dir.path().join("clauses/40-law/module.yaml"),
        "title: ",
        "title: Aansprakelijkheid\nx_old_title: ",
    );
    edit(
        &dir.path().join("clauses/40-law/module.yaml"),
        "x_old_title: ",
        "description: ",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[duplicate_heading]: articles 4 and 6 of document `terms` are both headed \"Aansprakelijkheid\""), "{}", r.stderr);

    let dir = good();
    fs::write(
        dir.path().join("clauses/20-payment/05-empty.md"),
        "---\nid: payment.empty\ntitle: Leeg\nversion: 1.0.0\n---\n{% if raw.payment.method == \"invoice\" %}De afnemer betaalt per overschrijving.{% endif %}\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[empty_clause]"), "{}", r.stderr);
    assert!(r.stderr.contains("renders empty"), "{}", r.stderr);
    assert!(
        r.stderr.contains("clauses/20-payment/05-empty.md:6:1"),
        "{}",
        r.stderr
    );
}

#[test]
fn levels_allow_and_json() {
    // A negotiated value that no clause of the customer's documents uses: a warning, exit 0.
    let dir = good();
    append(
        &dir.path().join("customers/acme/bakkerij-bol.yaml"),
        "  payment:\n    indexation: 1.1\nclauses:\n  exclude: [payment.indexation]\n",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning[unused_override]: `payment.indexation` is set for customer `bakkerij-bol`, but no clause of its documents uses it"), "{}", r.stderr);
    assert!(
        r.stderr.contains("customers/acme/bakkerij-bol.yaml:8:17"),
        "{}",
        r.stderr
    );

    // The project sets a level; a clause allows a lint with a reason.
    let dir = good();
    fs::write(
        dir.path().join("clauses/20-payment/05-empty.md"),
        "---\nid: payment.empty\ntitle: Leeg\nversion: 1.0.0\n---\n{% if raw.payment.method == \"invoice\" %}De afnemer betaalt per overschrijving.{% endif %}\n",
    )
    .unwrap();
    let j = run(dir.path(), &["check", "--json"]);
    assert_eq!(j.code, 1);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "empty_clause", "{v}");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 6);
    fs::write(
        dir.path().join("clausebook.yaml"),
        format!(
            "{}  empty_clause: warn\n",
            fs::read_to_string(dir.path().join("clausebook.yaml")).unwrap()
        ),
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning[empty_clause]"), "{}", r.stderr);
    edit(
        &dir.path().join("clauses/20-payment/05-empty.md"),
        "version: 1.0.0\n",
        "version: 1.0.0\nallow: {empty_clause: \"only for vendors that collect by direct debit\"}\n",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("empty_clause"), "{}", r.stderr);

    // Unknown names and levels, and an allow without a reason, are errors.
    edit(
        &dir.path().join("clausebook.yaml"),
        "empty_clause: warn",
        "empty_clauses: warn\n  stale_law: sometimes",
    );
    edit(
        &dir.path().join("clauses/20-payment/05-empty.md"),
        "\"only for vendors that collect by direct debit\"",
        "\"\"",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown lint `empty_clauses`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `empty_clause`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("unknown lint level `sometimes`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("allowing `empty_clause` needs a reason"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_prints_the_catalogue_entry() {
    let dir = good();
    let r = run(dir.path(), &["check", "--explain", "requirement"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with("requirement (default level: deny)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("6:248"), "{}", r.stdout);
    let r = run(dir.path(), &["check", "--explain", "all"]);
    assert!(r.stdout.lines().count() >= 10);
    let r = run(dir.path(), &["check", "--explain", "stale_lwa"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `stale_law`"),
        "{}",
        r.stderr
    );
}

/// Everyday slips get a message about the real problem, at the right place, once.
#[test]
fn slips_are_reported_plainly_and_once() {
    // `=` in a `when:`: no internal `%}` in the message, a hint to write `==`.
    let dir = good();
    edit(
        &dir.path().join("clauses/20-payment/03-indexation.md"),
        "version: 1.0.0\n",
        "version: 1.0.0\nwhen: raw.payment.method = \"invoice\"\n",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: found `=` where the condition should end"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("%}"), "{}", r.stderr);
    assert!(r.stderr.contains("to compare, write `==`"), "{}", r.stderr);

    // A front matter without its closing `---`.
    let dir = good();
    fs::write(
        dir.path().join("clauses/20-payment/06-x.md"),
        "---\nid: payment.x\ntitle: X\nversion: 1.0.0\nTekst.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert!(
        r.stderr.contains("error: the front matter is not closed"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("06-x.md:1:1"), "{}", r.stderr);

    // A typo in a filter name.
    let dir = good();
    edit(
        &dir.path().join("clauses/20-payment/03-indexation.md"),
        "{{ payment.indexation }}",
        "{{ payment.indexation | decimall }}",
    );
    let r = run(dir.path(), &["check"]);
    assert!(r.stderr.contains("did you mean `decimal`?"), "{}", r.stderr);

    // An invalid default is one error, not one more per document that lacks the value.
    let dir = good();
    edit(
        &dir.path().join(PAYMENT),
        "default: 14 dagen",
        "default: 14 dagn",
    );
    edit(&dir.path().join(VENDOR), "    payment_term: 30 dagen\n", "");
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.matches("error").count(),
        2,
        "one error and the summary line:\n{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("unknown unit `dagn` (did you mean `dagen`?)"),
        "{}",
        r.stderr
    );
}

/// A reference that breaks only under a value no vendor uses yet is found, with the smallest
/// change that breaks it.
#[test]
fn a_reference_that_breaks_under_another_choice_is_found() {
    let dir = good();
    fs::write(
        dir.path().join("clauses/20-payment/05-debit.md"),
        "---\nid: payment.debit\ntitle: Incasso\nversion: 1.0.0\nwhen: raw.payment.method == \"direct_debit\"\n---\nDe afnemer geeft een machtiging.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("clauses/20-payment/06-refund.md"),
        "---\nid: payment.refund\ntitle: Storno\nversion: 1.0.0\n---\nEen storno van een incasso als bedoeld in {{ ref(\"payment.debit\") }} kost de afnemer niets.\n",
    )
    .unwrap();
    // Acme collects by direct debit: as shipped, everything holds; `build` is fine.
    assert_eq!(run(dir.path(), &["build", "--format", "md"]).code, 0);
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[combination]: with `payment.method` = \"invoice\" (vendor `acme`, document `terms`): reference to `payment.debit`, which is not in this document: its condition `when: raw.payment.method == \"direct_debit\"` is false"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("clauses/20-payment/06-refund.md:6:"),
        "{}",
        r.stderr
    );
    // Giving the reference the same condition fixes it.
    fs::write(
        dir.path().join("clauses/20-payment/06-refund.md"),
        "---\nid: payment.refund\ntitle: Storno\nversion: 1.0.0\nwhen: raw.payment.method == \"direct_debit\"\n---\nEen storno van een incasso als bedoeld in {{ ref(\"payment.debit\") }} kost de afnemer niets.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn definitions_twice_only_in_definitions_and_in_lower_case() {
    // A second definition of a term.
    let dir = good();
    fs::write(
        dir.path().join("clauses/00-definitions/agreement2.md"),
        "---\nid: definitions.agreement2\ntitle: Overeenkomst\nversion: 1.0.0\ndefines: [Overeenkomst]\n---\nelke afspraak met de Afnemer.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[duplicate_definition]: `Overeenkomst` is defined twice in document `terms`: by `definitions.agreement` and by `definitions.agreement2`"), "{}", r.stderr);

    // A term only other definitions use.
    let dir = good();
    fs::write(
        dir.path().join("clauses/00-definitions/licence.md"),
        "---\nid: definitions.licence\ntitle: Licentie\nversion: 1.0.0\ndefines: [Licentie]\n---\nhet recht de Programmatuur te gebruiken.\n",
    )
    .unwrap();
    edit(
        &dir.path().join("clauses/00-definitions/software.md"),
        "met de bijbehorende documentatie.",
        "met de bijbehorende documentatie, onder een Licentie.",
    );
    let r = run(dir.path(), &["check"]);
    assert!(r.stderr.contains("warning[term_definition]: `Licentie` is used only inside other definitions of document `terms`"), "{}", r.stderr);

    // A defined term in lower case in the body.
    let dir = good();
    edit(
        &dir.path().join("clauses/20-payment/03-indexation.md"),
        "mag de vergoeding",
        "mag voor de programmatuur de vergoeding",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "a warning:\n{}", r.stderr);
    assert!(r.stderr.contains("warning[term_case]: `programmatuur` in lower case, while document `terms` defines `Programmatuur`"), "{}", r.stderr);
    assert!(r.stderr.contains("03-indexation.md:6:"), "{}", r.stderr);
}

#[test]
fn an_annex_the_vendor_does_not_publish_and_a_module_in_every_document() {
    let dir = good();
    fs::write(
        dir.path().join("documents/dpa.yaml"),
        "title: Verwerkersovereenkomst\nmodules: [law]\n",
    )
    .unwrap();
    // acme's own module `support` has no `documents:`: now that acme publishes two
    // documents, it lands in both.
    let r = run(dir.path(), &["check"]);
    assert!(r.stderr.contains("warning[module_everywhere]: vendor module `support` has no `documents:`, so it is an article of all 2 documents vendor `acme` publishes"), "{}", r.stderr);
    assert!(r.stderr.contains("vendors/acme.yaml:18:"), "{}", r.stderr);

    edit(
        &dir.path().join("documents/terms.yaml"),
        "modules:",
        "annexes: [dpa]\nmodules:",
    );
    edit(
        &dir.path().join(VENDOR),
        "short_name: Acme\n",
        "short_name: Acme\ndocuments: [terms]\n",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[missing_annex]: document `terms` has `dpa` as its annex, but vendor `acme` does not publish `dpa`"), "{}", r.stderr);
    assert!(r.stderr.contains("documents/terms.yaml:"), "{}", r.stderr);
}

#[test]
fn a_vendor_clause_spelling_the_vendor_another_way() {
    let dir = good();
    fs::write(
        dir.path().join("vendors/acme/reminder.md"),
        "---\nid: payment.reminder\ntitle: Herinnering\nversion: 1.0.0\n---\nVoordat Acmee rente in rekening brengt, stuurt zij de Afnemer een herinnering.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[party_spelling]: `Acmee` in clause `payment.reminder` looks like a second spelling of the vendor `Acme`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("vendors/acme/reminder.md:6:9"),
        "{}",
        r.stderr
    );

    // The library's own governing-law rule: excluding the choice of law is reported.
    let dir = good();
    edit(
        &dir.path().join("clauses/10-delivery/module.yaml"),
        "version: 1.0.0\n",
        "version: 1.0.0\nrequires:\n  - clause: law.governing\n    message: geen rechtskeuze\n",
    );
    edit(
        &dir.path().join(VENDOR),
        "exclude: [delivery.training]",
        "exclude: [delivery.training, law.governing]",
    );
    let r = run(dir.path(), &["check"]);
    assert!(r.stderr.contains("error[requirement]"), "{}", r.stderr);
}

/// A vendor that replaces the carve-out with wording of its own that drops it: the `requires`
/// rule is satisfied (the id is still there), the text is not.
#[test]
fn a_limitation_of_liability_without_the_carve_out() {
    let dir = good();
    fs::write(
        dir.path().join("vendors/acme/intent.md"),
        "---\nid: liability.intent\ntitle: Uitzondering\nversion: 1.0.0\n---\nDe beperking in {{ ref(\"liability.cap\") }} geldt ook bij grove schuld.\n",
    )
    .unwrap();
    edit(
        &dir.path().join(VENDOR),
        "    law.forum: acme/forum.md\n",
        "    law.forum: acme/forum.md\n    liability.intent: acme/intent.md\n",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[liability_carveout]: clause 4.1 (`liability.cap`) limits or excludes liability, but no clause of document `terms` keeps liability for opzet and bewuste roekeloosheid"), "{}", r.stderr);
    assert!(
        r.stderr.contains("clauses/30-liability/01-cap.md:6:1"),
        "{}",
        r.stderr
    );
}

/// Numbers compared in conditions are explored at their boundaries, within the parameter's
/// bounds.
#[test]
fn a_reference_that_breaks_at_a_numeric_boundary_is_found() {
    let dir = good();
    fs::write(
        dir.path().join("clauses/20-payment/05-low.md"),
        "---\nid: payment.low\ntitle: Lage rente\nversion: 1.0.0\nwhen: raw.payment.interest < 5\n---\nDe rente is laag.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("clauses/20-payment/06-see.md"),
        "---\nid: payment.see\ntitle: Zie\nversion: 1.0.0\n---\nZie {{ ref(\"payment.low\") }}.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error[combination]: with `payment.interest` = 5"),
        "{}",
        r.stderr
    );
}

/// Turned on, `exclusion` leaves out each clause in turn and says what breaks.
#[test]
fn exclusions_a_vendor_could_make_are_explored_when_asked() {
    let dir = good();
    assert_eq!(run(dir.path(), &["check"]).code, 0, "off by default");
    append(&dir.path().join("clausebook.yaml"), "  exclusion: warn\n");
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning[exclusion]: excluding `liability.cap` (document `terms`) breaks it: reference to `liability.cap`, which is not in this document: it is the one excluded"),
        "{}",
        r.stderr
    );
}

#[test]
fn definitions_that_only_point_at_each_other() {
    let dir = good();
    fs::write(
        dir.path().join("clauses/00-definitions/software.md"),
        "---\nid: definitions.software\ntitle: Programmatuur\nversion: 1.0.0\ndefines: [Programmatuur]\n---\nde Software.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("clauses/00-definitions/software2.md"),
        "---\nid: definitions.software2\ntitle: Software\nversion: 1.0.0\ndefines: [Software]\n---\nde Programmatuur.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert!(
        r.stderr.contains("warning[term_definition]: the definitions of `Software` and `Programmatuur` in document `terms` only point at each other"),
        "{}",
        r.stderr
    );
}

/// One slip, one error: whatever fails to load or render is not reported again as unknown
/// where it is used, and lints that judge a document by what it lacks wait until the input is
/// whole — a broken carve-out file is not also "a cap without a carve-out", a broken
/// definition not also a dozen undefined terms.
#[test]
fn one_slip_gives_one_error() {
    let errors = |r: &common::Run| {
        r.stderr
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("warning"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    type Slip = (&'static str, &'static str, &'static str, &'static str);
    let slips: &[Slip] = &[
        // module.yaml that does not parse: its parameters, set by the vendor and the customer,
        // and the document naming the module are not "unknown".
        (LIABILITY, "title:", "title: [", "invalid YAML"),
        // a parameter declaration with an unknown type: the values set for it are not
        // "unknown parameters", the clause text using it is not an error again.
        (
            PAYMENT,
            "    type: duration\n",
            "    type: duraton\n",
            "unknown parameter type `duraton`",
        ),
        // the carve-out's own file does not parse: no `liability_carveout`, no reference error.
        (
            "clauses/30-liability/02-intent.md",
            "title: Opzet",
            "title: [Opzet",
            "invalid YAML",
        ),
        // a definition does not parse: the term is not "undefined" everywhere it is used.
        (
            "clauses/00-definitions/software.md",
            "title: Programmatuur",
            "title: [Programmatuur",
            "invalid YAML",
        ),
        // the document does not parse: the vendor naming it is not told it is unknown.
        (
            "documents/terms.yaml",
            "title: Licentievoorwaarden",
            "title: [Licentievoorwaarden",
            "invalid YAML",
        ),
        // a clause template that does not close: the clause is out, its absence not reported.
        (
            "clauses/30-liability/02-intent.md",
            "bewuste roekeloosheid",
            "bewuste {% if x %}roekeloosheid",
            "unexpected end of input",
        ),
    ];
    for (file, from, to, expected) in slips {
        let dir = good();
        edit(&dir.path().join(file), from, to);
        let r = run(dir.path(), &["check"]);
        assert_eq!(r.code, 1, "{file}: {}", r.stderr);
        let all = errors(&r);
        assert_eq!(all.len(), 1, "{file}: one slip, one error:\n{}", r.stderr);
        assert!(all[0].contains(expected), "{file}: {}", r.stderr);
    }

    // An unknown name in a condition is named, with a suggestion, and Tera's internal
    // variables are not listed.
    let dir = good();
    edit(
        &dir.path().join("clauses/20-payment/03-indexation.md"),
        "version: 1.0.0\n",
        "version: 1.0.0\nwhen: paymnt.method == \"invoice\"\n",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(errors(&r).len(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "error: unknown name `paymnt`: no module, party or document field is called that"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `payment`?"), "{}", r.stderr);
    assert!(!r.stderr.contains("__"), "{}", r.stderr);
    // (tests/cli.rs `check_reports_every_error_in_one_run`: an undefined term is still
    // reported next to errors that leave nothing out.)
}

/// Staff-size tiers that do not meet (the seeds' "<20 staff" and ">20 staff"), also when
/// the bound comes from a parameter; tiers that meet, and bounds of other rules far apart, are
/// not findings.
#[test]
fn staff_size_tiers_that_leave_a_gap() {
    let clause = "clauses/10-delivery/05-term.md";
    let write = |dir: &Path, body: &str| {
        fs::write(
            dir.join(clause),
            format!("---\nid: delivery.term\ntitle: Looptijd\nversion: 1.0.0\n---\n{body}\n"),
        )
        .unwrap();
    };
    let dir = good();
    write(
        dir.path(),
        "De eerste looptijd is zes (6) maanden bij minder dan 20 werknemers.\n\nBij meer dan twintig (20) werknemers is de eerste looptijd één (1) jaar.",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[threshold_gap]: staff-size tiers of document `terms` do not meet: \"minder dan 20 werknemers\" (2.3) and \"meer dan 20 werknemers\" (2.3) — neither applies to a customer with exactly 20 staff"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("05-term.md:6:43"), "{}", r.stderr);

    // Overlapping tiers: a customer with exactly 20 is in both.
    write(
        dir.path(),
        "Zes (6) maanden bij ten hoogste 20 werknemers; één (1) jaar bij ten minste 20 werknemers.",
    );
    let r = run(dir.path(), &["check"]);
    assert!(
        r.stderr
            .contains("both apply to a customer with exactly 20 staff"),
        "{}",
        r.stderr
    );

    // The bound from a parameter: the rendered text counts.
    edit(
        &dir.path().join("clauses/10-delivery/module.yaml"),
        "parameters:\n",
        "parameters:\n  small:\n    type: integer\n    default: 20\n    description: Grens voor kleine afnemers.\n",
    );
    write(
        dir.path(),
        "Zes (6) maanden bij minder dan {{ delivery.small }} werknemers; één (1) jaar bij {{ delivery.small | count }} of meer werknemers.",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "tiers that meet: {}", r.stderr);
    edit(
        &dir.path().join(VENDOR),
        "parameters:\n",
        "parameters:\n  delivery.small: 20\n",
    );
    write(
        dir.path(),
        "Zes (6) maanden bij minder dan {{ delivery.small }} werknemers; één (1) jaar vanaf 21 werknemers.",
    );
    let r = run(dir.path(), &["check"]);
    assert!(
        r.stderr.contains("\"minder dan 20 werknemers\" (2.3) and \"vanaf 21 werknemers\" (2.3) — neither applies to a customer with exactly 20 staff"),
        "{}",
        r.stderr
    );

    // Bounds of different rules, far apart, are not compared.
    write(
        dir.path(),
        "Bij minder dan 10 werknemers geldt een korting. Bij meer dan 250 werknemers is een eigen contactpersoon beschikbaar.",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
