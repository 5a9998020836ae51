//! Contracts a customer signs (issue 11), end to end with the real binary: the shipped
//! library with the example vendor Velddata (customer "Afnemer", vendor "Gebruiker", user
//! "Eindgebruiker", amounts "€ 10.000,-"), and fixture projects for the errors.

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{pdf_text, repo_copy, run};

/// Velddata's documents for one customer, built once per test into `dir/out`.
fn build_velddata(dir: &Path, formats: &str) {
    let r = run(
        dir,
        &[
            "build",
            "--vendor",
            "velddata",
            "--all-customers",
            "--format",
            formats,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

const CUSTOMER: &str = "out/velddata/customers/loonbedrijf-van-asperen";

#[test]
fn the_signed_contract_names_both_parties_values_annexes_and_signatures() {
    let dir = repo_copy();
    build_velddata(dir.path(), "pdf,html,md");
    let text = pdf_text(&dir.path().join(CUSTOMER).join("contract.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // The parties, each with its own KvK number, address and representative.
    for want in [
        "Velddata B.V., Stationsweg 14, 6711 PM Ede, KvK-nummer 71946203",
        "vertegenwoordigd door M.J. (Marloes) Hendriks (algemeen directeur), hierna: Gebruiker",
        "Loonbedrijf Van Asperen B.V., Dijkweg 3, 4233 EA Ameide, KvK-nummer 09183746",
        "hierna: Afnemer",
        // The negotiated values against the vendor's standard.
        "Afwijkende afspraken",
        "betaaltermijn vijfenveertig (45) dagen dertig (30) dagen",
        "aansprakelijkheidslimiet € 25.000,- € 10.000,-",
        // The documents that form the contract, numbered once, and held in the same file.
        "Bijlage 1 Algemene voorwaarden",
        "Bijlage 2 Verwerkersovereenkomst",
        "Bijlage 3 Service Level Agreement",
        "Bijlage 1: Algemene voorwaarden",
        "Bijlage 1 bij de Overeenkomst",
        "Bijlage 3: Service Level Agreement",
        // Signature lines for both parties.
        "Ondertekening",
        "VOOR GEBRUIKER",
        "VOOR AFNEMER",
        "Handtekening",
    ] {
        assert!(
            flat.contains(want),
            "missing {want:?} in the contract:\n{flat}"
        );
    }
    // The terms inside the contract point at the contract's own annex numbers.
    assert!(
        flat.contains("Bijlage 2 Verwerkersovereenkomst")
            && !flat.contains("Bijlage 1 bij de algemene voorwaarden"),
        "{flat}"
    );
    // The customer is named in the footer of every page.
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
    assert!(pages > 10, "the annexes are in the file: {pages} pages");
    assert_eq!(
        text.matches("Overeenkomst · Versie 2026.2 · Loonbedrijf Van Asperen B.V.")
            .count(),
        pages,
        "{text}"
    );

    let html = fs::read_to_string(dir.path().join(CUSTOMER).join("contract.html")).unwrap();
    assert!(html.contains("id=\"annex-3\""), "annexes in the HTML");
    assert!(
        html.contains("<td>aansprakelijkheidslimiet</td><td>€ 25.000,-</td><td>€ 10.000,-</td>")
    );
    let md = fs::read_to_string(dir.path().join(CUSTOMER).join("contract.md")).unwrap();
    let cover = md.split("\n---\n").next().unwrap();
    insta::assert_snapshot!("velddata_contract_cover_md", cover);
}

#[test]
fn the_vendors_own_party_names_run_through_terms_dpa_sla_and_definitions() {
    let dir = repo_copy();
    build_velddata(dir.path(), "md,pdf");
    for doc in ["terms", "dpa", "sla"] {
        let md = fs::read_to_string(dir.path().join(CUSTOMER).join(format!("{doc}.md"))).unwrap();
        assert!(md.contains("Afnemer"), "{doc}");
        // "Klant" as a word (not "Klantgegevens", a term of its own).
        let klant = md
            .match_indices("Klant")
            .any(|(i, _)| !md[i + 5..].starts_with(|c: char| c.is_alphabetic()));
        assert!(!klant, "{doc} still says Klant:\n{md}");
        for gone in ["Breinstorm", "{{", "}}"] {
            assert!(!md.contains(gone), "{doc} still says {gone:?}");
        }
    }
    let terms = fs::read_to_string(dir.path().join(CUSTOMER).join("terms.md")).unwrap();
    for definition in [
        "**Afnemer**: de natuurlijke persoon die handelt in de uitoefening van een beroep of bedrijf, of de rechtspersoon,",
        "**Gebruiker**: Velddata B.V., gevestigd te Ede",
        "**Eindgebruiker**: een natuurlijke persoon aan wie Afnemer toegang",
    ] {
        assert!(terms.contains(definition), "{definition}");
    }
    assert!(terms.contains("€ 10.000,-") || terms.contains("€ 25.000,-"));
    // A customer's copy of the DPA ends with signatures; its title page names both parties.
    let dpa = pdf_text(&dir.path().join(CUSTOMER).join("dpa.pdf"));
    assert!(dpa.contains("Ondertekening"), "{dpa}");
    assert!(dpa.contains("KvK-nummer 09183746"), "{dpa}");
    // The vendor's own copy has no customer and no signature block; no contract either.
    let vendor_terms = fs::read_to_string(dir.path().join("out/velddata/terms.md")).unwrap();
    assert!(vendor_terms.contains("Gebruiker: **Velddata B.V.**"));
    assert!(!dir.path().join("out/velddata/contract.md").exists());
    // Other vendors keep "de Klant" and get no contract.
    let r = run(
        dir.path(),
        &[
            "build",
            "--vendor",
            "noordlicht",
            "--all-customers",
            "--format",
            "md",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let n = fs::read_to_string(dir.path().join("out/noordlicht/terms.md")).unwrap();
    assert!(n.contains("de Klant"));
    assert!(
        !dir.path()
            .join("out/noordlicht/customers/accountantskantoor-jansen/contract.md")
            .exists()
    );
    assert_eq!(run(dir.path(), &["check"]).code, 0);
}

fn vendor_file(dir: &Path) -> PathBuf {
    dir.join("examples/vendors/velddata.yaml")
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_party_name_that_collides_is_an_error_with_a_hint() {
    // "Gebruiker" for the vendor while the user keeps the library's "Gebruiker".
    let dir = repo_copy();
    edit(&vendor_file(dir.path()), "  user: Eindgebruiker\n", "");
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "`Gebruiker` names both the vendor and the user (a person who uses the service)"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("examples/vendors/velddata.yaml:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("parties: {user: ...}"), "{}", r.stderr);

    // A name the library already defines for something else.
    let dir = repo_copy();
    edit(
        &vendor_file(dir.path()),
        "customer: Afnemer",
        "customer: Dienst",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("`Dienst` is already a term the library defines (`definitions.service`)"),
        "{}",
        r.stderr
    );

    // Not a name at all.
    let dir = repo_copy();
    edit(
        &vendor_file(dir.path()),
        "customer: Afnemer",
        "customer: \"Afnemer{{ x }}\"",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("may hold letters, digits, spaces"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_contract_must_hold_every_annex_its_documents_point_at() {
    let dir = repo_copy();
    edit(
        &dir.path().join("examples/documents/contract.yaml"),
        "annexes: [terms, dpa, sla]",
        "annexes: [terms]",
    );
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "`terms` has `dpa` as its annex, but contract `contract` does not hold `dpa`"
        ),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn an_unknown_party_field_in_a_clause_is_reported() {
    let dir = repo_copy();
    fs::write(
        dir.path().join("clauses/05-agreement/05-bad.md"),
        "---\nid: agreement.bad\ntitle: X\nversion: 1.0.0\n---\n{{ party.klant }} betaalt.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown party name `party.klant`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("known: customer, Customer, customers"),
        "{}",
        r.stderr
    );
}
