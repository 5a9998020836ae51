//! The standard library's legal guards (`constraints:` in module.yaml) and its shared
//! definitions (`shared:`), each tried on a copy of the repository with one value changed.

mod common;

use std::fs;
use std::path::Path;

use common::{repo_copy, run};

/// Put `text` (module blocks, indented two spaces) at the start of Noordlicht's parameters.
fn noordlicht_params(dir: &Path, text: &str) {
    let path = dir.join("examples/vendors/noordlicht.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    assert!(yaml.contains("\nparameters:\n"));
    fs::write(
        &path,
        yaml.replacen("\nparameters:\n", &format!("\nparameters:\n{text}"), 1),
    )
    .unwrap();
}

fn check_noordlicht(dir: &Path) -> common::Run {
    run(dir, &["check", "--vendor", "noordlicht"])
}

#[test]
fn the_library_as_shipped_passes_its_own_guards() {
    let dir = repo_copy();
    let r = check_noordlicht(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_consumer_withdrawal_period_under_fourteen_days_is_refused() {
    let dir = repo_copy();
    noordlicht_params(
        dir.path(),
        "  consumers:\n    enabled: true\n    withdrawal_period: 7 dagen\n",
    );
    let r = check_noordlicht(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[constraint]"), "{}", r.stderr);
    assert!(r.stderr.contains("art. 6:230o BW"), "{}", r.stderr);
    assert!(
        r.stderr.contains("clauses/12-consumers/module.yaml"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("examples/vendors/noordlicht.yaml"),
        "{}",
        r.stderr
    );

    // Fourteen days, or a werkdagen period at least as long, passes.
    let dir = repo_copy();
    noordlicht_params(
        dir.path(),
        "  consumers:\n    enabled: true\n    withdrawal_period: 10 werkdagen\n",
    );
    let r = check_noordlicht(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_consumer_cannot_be_charged_more_than_statutory_interest() {
    let dir = repo_copy();
    noordlicht_params(dir.path(), "  consumers:\n    enabled: true\n");
    let path = dir.path().join("examples/vendors/noordlicht.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        yaml.replacen(
            "\n  payment:\n",
            "\n  payment:\n    late_interest: monthly\n",
            1,
        ),
    )
    .unwrap();
    let r = check_noordlicht(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("wettelijke rente"), "{}", r.stderr);
    assert!(
        r.stderr.contains("payment.late_interest: statutory"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_breach_notice_past_the_controllers_72_hours_is_refused() {
    let dir = repo_copy();
    let path = dir.path().join("examples/vendors/noordlicht.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        yaml.replacen("\n  dpa:\n", "\n  dpa:\n    breach_notice: 96 uren\n", 1),
    )
    .unwrap();
    let r = check_noordlicht(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[constraint]"), "{}", r.stderr);
    assert!(r.stderr.contains("art. 33 AVG"), "{}", r.stderr);
}

#[test]
fn a_governing_law_other_than_dutch_needs_the_vendors_own_wording() {
    let dir = repo_copy();
    noordlicht_params(dir.path(), "  law:\n    governing_law: belgium\n");
    let r = check_noordlicht(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[constraint]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("geschreven voor Nederlands recht"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("clauses/99-law/module.yaml"),
        "{}",
        r.stderr
    );

    // The vendor that confirms it replaced the Dutch-law articles passes this guard.
    let dir = repo_copy();
    noordlicht_params(
        dir.path(),
        "  law:\n    governing_law: belgium\n    own_wording: true\n",
    );
    let r = check_noordlicht(dir.path());
    assert!(
        !r.stderr.contains("geschreven voor Nederlands recht"),
        "{}",
        r.stderr
    );
}

/// The definition of `term` in a built Markdown document: the text after `**term**: `.
fn definition(md: &str, term: &str) -> String {
    let head = format!("**{term}**: ");
    let at = md
        .find(&head)
        .unwrap_or_else(|| panic!("no definition of {term}:\n{md}"));
    md[at + head.len()..].lines().next().unwrap().to_string()
}

#[test]
fn terms_dpa_and_sla_define_shared_terms_alike() {
    let dir = repo_copy();
    let r = run(
        dir.path(),
        &[
            "build",
            "--vendor",
            "noordlicht",
            "--format",
            "md",
            "--out",
            "out",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let read = |doc: &str| {
        fs::read_to_string(dir.path().join(format!("out/noordlicht/{doc}.md"))).unwrap()
    };
    let (terms, dpa, sla) = (read("terms"), read("dpa"), read("sla"));
    for term in ["Klant", "Dienst", "Overeenkomst", "Noordlicht"] {
        let t = definition(&terms, term);
        assert_eq!(t, definition(&dpa, term), "{term} in the DPA");
        assert_eq!(t, definition(&sla, term), "{term} in the SLA");
    }
    assert_eq!(definition(&terms, "Storing"), definition(&sla, "Storing"));
    assert_eq!(definition(&terms, "AVG"), definition(&dpa, "AVG"));
    // A foundation without a business is a Klant too.
    assert!(definition(&terms, "Klant").contains("of de rechtspersoon,"));
    // A document keeps its own terms next to the shared ones.
    definition(&dpa, "Subverwerker");
    definition(&sla, "Meetperiode");
}

#[test]
fn a_vendor_replacing_a_shared_definition_replaces_it_in_every_document() {
    let dir = repo_copy();
    fs::write(
        dir.path().join("examples/vendors/noordlicht/service.md"),
        "---\nid: definitions.service\ntitle: Dienst\nversion: 1.0.0\ndefines: [Dienst, Diensten]\n---\nhet online CRM-systeem dat {{ party.vendor }} op afstand beschikbaar stelt.\n",
    )
    .unwrap();
    let path = dir.path().join("examples/vendors/noordlicht.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    assert!(yaml.contains("\nclauses:\n"));
    fs::write(
        &path,
        yaml.replacen(
            "\nclauses:\n",
            "\nclauses:\n  replace:\n    definitions.service: noordlicht/service.md\n",
            1,
        ),
    )
    .unwrap();
    let r = run(
        dir.path(),
        &[
            "build",
            "--vendor",
            "noordlicht",
            "--format",
            "md",
            "--out",
            "out",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for doc in ["terms", "dpa", "sla"] {
        let md = fs::read_to_string(dir.path().join(format!("out/noordlicht/{doc}.md"))).unwrap();
        assert_eq!(
            definition(&md, "Dienst"),
            "het online CRM-systeem dat Noordlicht op afstand beschikbaar stelt.",
            "{doc}"
        );
    }
}

#[test]
fn sharing_a_clause_that_is_not_a_definition_is_an_error_at_the_entry() {
    let dir = repo_copy();
    let path = dir.path().join("clauses/110-sla_definitions/module.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        yaml.replace("definitions.vendor]", "definitions.vendor, payment.term]"),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "--vendor", "noordlicht"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "`shared:` names `payment.term`, which is not a clause of a definitions module"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("clauses/110-sla_definitions/module.yaml"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_optional_module_switched_on_checks_clean_and_renders() {
    let dir = repo_copy();
    noordlicht_params(
        dir.path(),
        // Noordlicht has `cooperation` and `marketing` on already.
        "  consumers: {enabled: true}\n  projects: {enabled: true}\n  training: {enabled: true}\n  rates: {enabled: true}\n  warranty: {enabled: true}\n  retention: {enabled: true}\n  staff: {enabled: true}\n  complaints: {enabled: true}\n",
    );
    let r = check_noordlicht(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning["), "{}", r.stderr);
    let r = run(
        dir.path(),
        &[
            "build",
            "--vendor",
            "noordlicht",
            "--doc",
            "terms",
            "--format",
            "md",
            "--out",
            "out",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = fs::read_to_string(dir.path().join("out/noordlicht/terms.md")).unwrap();
    for heading in [
        "Consumenten",
        "Medewerking en termijnen",
        "Ontwikkelprojecten",
        "Trainingen",
        "Werk buiten kantoortijd",
        "Garanties",
        "Eigendomsvoorbehoud",
        "Personeel",
        "Informatie over producten",
    ] {
        assert!(
            md.contains(&format!(" {heading}\n")),
            "{heading} missing:\n{md}"
        );
    }
    // With consumers, the customer is any natural or legal person, and the withdrawal period
    // is the statutory fourteen days.
    assert!(definition(&md, "Klant").starts_with("de natuurlijke persoon of rechtspersoon die"));
    assert!(
        md.contains("binnen veertien (14) dagen na het sluiten ervan"),
        "{md}"
    );
}

#[test]
fn the_wording_a_court_would_strike_is_gone() {
    let dir = repo_copy();
    let r = run(dir.path(), &["build", "--format", "md", "--out", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let read = |vendor: &str, doc: &str| {
        fs::read_to_string(dir.path().join(format!("out/{vendor}/{doc}.md"))).unwrap()
    };
    // Dommelsoft bans set-off, but only for a customer that 6:235 BW leaves unprotected; its
    // complaint bar does not cut into the three months' warranty.
    let terms = read("dommelsoft", "terms");
    assert!(
        terms.contains("ten minste vijftig (50) personen in dienst"),
        "{terms}"
    );
    assert!(
        terms.contains("zolang de garantietermijn uit artikel"),
        "{terms}"
    );
    // Noordlicht's credits: 3 werkdagen to report the outage, not to claim; not the only remedy.
    let sla = read("noordlicht", "sla");
    assert!(sla.contains("meldt een Storing waarvoor hij een Servicecredit wil aanvragen binnen drie (3) werkdagen"), "{sla}");
    assert!(!sla.contains("enige vergoeding"), "{sla}");
    assert!(sla.contains("onverlet"), "{sla}");
    // The DPA: audits by the customer itself, sub-processors with sufficient guarantees.
    let dpa = read("noordlicht", "dpa");
    assert!(
        dpa.contains("de Klant zelf of een auditor die hij daartoe aanwijst"),
        "{dpa}"
    );
    assert!(dpa.contains("voldoende garanties"), "{dpa}");
    assert!(
        dpa.contains("een kopie van de bepalingen over gegevensbescherming"),
        "{dpa}"
    );
    // The general terms no longer let the vendor improve the service with personal data.
    let terms = read("noordlicht", "terms");
    assert!(!terms.contains("te beveiligen en te verbeteren"), "{terms}");
    assert!(terms.contains("Om de Dienst te verbeteren gebruikt zij uitsluitend gegevens die niet meer tot personen herleidbaar zijn"), "{terms}");
    // Electronic hand-over only for electronic contracts or with consent (6:234 BW).
    assert!(terms.contains("uitdrukkelijk ingestemd"), "{terms}");
}
