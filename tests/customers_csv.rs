//! Customer tables (`customers/<vendor>.csv`), end to end with the real binary.
//!
//! Every test copies `tests/fixtures/good` (vendor `acme`, customer file `bakkerij-bol`) or
//! `tests/fixtures/editions` into a fresh temporary directory and adds a table. The error
//! cases snapshot the whole diagnostic as `check` prints it, so the `file:line:column` of the
//! cell, the caret and the hints are all pinned.

use std::fs;
use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

mod common;
use common::{copy_dir, run};

/// A fresh copy of `tests/fixtures/<name>`.
fn project(name: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(),
    );
    dir
}

/// The good fixture with `customers/acme.csv` holding `table`.
fn with_table(table: impl AsRef<[u8]>) -> TempDir {
    let dir = project("good");
    fs::write(dir.path().join("customers/acme.csv"), table).unwrap();
    dir
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `check` of a project that must fail: its stderr, for a snapshot.
fn check_fails(dir: &TempDir) -> String {
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "check should fail:\n{}", r.stderr);
    r.stderr
}

/// `check` of a good fixture with `table` as `customers/acme.csv`: its stderr.
fn table_errors(table: &str) -> String {
    check_fails(&with_table(table))
}

const GOOD_TABLE: &str = "\
id,name,short_name,kvk,city,liability.cap_amount,delivery.installations,delivery.locations,delivery.express,payment.method,payment.interest,payment.indexation,payment.payment_term,delivery.start_date,law.forum,payment.fee
drukkerij-de-pers,Drukkerij De Pers B.V.,De Pers,01234567,Eindhoven,EUR 90000,5,\"[Eindhoven, Best]\",true,direct_debit,\"2,5%\",1.5,21 dagen,2025-04-01,\"de rechtbank Oost-Brabant, locatie Eindhoven\",\"{amount: 1500, currency: EUR}\"
kapsalon-knip,Kapsalon Knip,,,,,,,,,,,,,,
,,,,,,,,,,,,,,,
";

// ---------------------------------------------------------------------------------------------
// Customers from a table behave like customer files
// ---------------------------------------------------------------------------------------------

#[test]
fn table_customers_are_built_with_their_values() {
    let dir = with_table(GOOD_TABLE);
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "checked 4 document(s): 0 error(s), 0 warning(s)\n"
    );

    let r = run(
        dir.path(),
        &["build", "--all-customers", "--format", "html,md"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("out/acme/customers");
    let html = read(out.join("drukkerij-de-pers/terms.html"));
    for expected in [
        "Drukkerij De Pers B.V.",
        "EUR 90.000,-",                                 // money
        "vijf (5) installaties",                        // integer, through `count`
        "Eindhoven en Best",                            // list
        "automatische incasso",                         // enum label
        "2,5%",                                         // percent written the Dutch way in the cell
        "1,5",                                          // decimal
        "eenentwintig (21) dagen",                      // duration
        "1 april 2025",                                 // date
        "de rechtbank Oost-Brabant, locatie Eindhoven", // text with the delimiter, quoted
        "EUR 1.500,-",                                  // money as a YAML flow mapping
    ] {
        assert!(html.contains(expected), "no `{expected}` in:\n{html}");
    }
    // The customer file's customer is still there; the vendor's values reach the one whose
    // row leaves everything empty.
    assert!(out.join("bakkerij-bol/terms.html").is_file());
    let knip = read(out.join("kapsalon-knip/terms.md"));
    assert!(knip.contains("Kapsalon Knip"), "{knip}");
    assert!(knip.contains("EUR 25.000,-"), "the vendor's cap: {knip}");
    // The table's value stays in the table's customer.
    let vendor = read(dir.path().join("out/acme/terms.html"));
    assert!(!vendor.contains("EUR 90.000,-"));

    // --customer selects a table customer like any other.
    let r = run(
        dir.path(),
        &[
            "build",
            "--customer",
            "kapsalon-knip",
            "--format",
            "md",
            "--out",
            "sel",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        dir.path()
            .join("sel/acme/customers/kapsalon-knip/terms.md")
            .is_file()
    );
    assert!(!dir.path().join("sel/acme/terms.md").exists());
}

/// Dutch Excel: `;` between fields, a byte order mark, `\r\n` line ends, every field quoted.
/// The contracts are byte for byte those of the plain comma table.
#[test]
fn excel_semicolon_table_with_bom_reads_the_same() {
    let plain = with_table(GOOD_TABLE);
    let r = run(
        plain.path(),
        &["build", "--all-customers", "--format", "md"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    let mut excel = String::from("\u{feff}");
    for line in GOOD_TABLE.lines() {
        let fields = csv_fields(line);
        let quoted: Vec<String> = fields
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        excel.push_str(&quoted.join(";"));
        excel.push_str("\r\n");
    }
    let dutch = with_table(&excel);
    let r = run(
        dutch.path(),
        &["build", "--all-customers", "--format", "md"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for id in ["drukkerij-de-pers", "kapsalon-knip"] {
        let rel = format!("out/acme/customers/{id}/terms.md");
        assert_eq!(read(plain.path().join(&rel)), read(dutch.path().join(&rel)));
    }
}

/// The fields of one line of `GOOD_TABLE` (which quotes only with plain `"..."`).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// Publishing stores table customers, and `notice --all-customers` writes them a notice when
/// their contract changed, like customers from files.
#[test]
fn notices_reach_table_customers() {
    let dir = project("editions");
    let root = dir.path();
    fs::write(
        root.join("customers/wolkenwerk.csv"),
        "id,name,liability.cap_amount\nsmederij-kok,Smederij Kok,\ntuincentrum-groen,Tuincentrum Groen B.V.,EUR 60000\n",
    )
    .unwrap();
    let ok = |args: &[&str]| {
        let r = run(root, args);
        assert_eq!(r.code, 0, "{args:?}:\n{}", r.stderr);
        r.stderr
    };
    let base = ["--vendor", "wolkenwerk", "--doc", "terms"];
    let publish = |e: &str, d: &str| {
        let mut a = vec!["publish"];
        a.extend(base);
        a.extend(["--edition", e, "--effective", d]);
        ok(&a);
    };
    publish("2024-01", "2024-01-01");
    assert!(
        root.join("published/wolkenwerk/terms/2024-01/customers/smederij-kok.json")
            .is_file()
    );
    let module = root.join("clauses/40-liability/module.yaml");
    fs::write(
        &module,
        read(&module).replacen("default: EUR 25000", "default: EUR 30000", 1),
    )
    .unwrap();
    publish("2025-01", "2025-03-01");
    let mut a = vec!["notice"];
    a.extend(base);
    a.extend([
        "--from",
        "2024-01",
        "--to",
        "2025-01",
        "--all-customers",
        "--date",
        "2025-01-15",
        "--format",
        "md",
    ]);
    let err = ok(&a);
    // Jansen (file) and Kok (table) see the new default; Van Dam (file) and Groen (table)
    // negotiated their own cap.
    assert!(err.contains("2 written, 2 skipped"), "{err}");
    let notices = root.join("out/notices/wolkenwerk/terms/2024-01-to-2025-01");
    let kok = read(notices.join("smederij-kok/notice.md"));
    assert!(kok.contains("Aan: Smederij Kok"), "{kok}");
    assert!(kok.contains("~~EUR 25.000,-~~ → **EUR 30.000,-**"), "{kok}");
    assert!(!notices.join("tuincentrum-groen").exists());
}

// ---------------------------------------------------------------------------------------------
// Mistakes, each pointing at the cell
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_columns_with_did_you_mean() {
    insta::assert_snapshot!(table_errors(
        "id,name,adress,liability.cap_amout,Kvk,clauses.exclude\nbakker-jan,Bakker Jan,Markt 1,EUR 5,1,x\n"
    ));
}

#[test]
fn missing_id_and_name_columns() {
    insta::assert_snapshot!(table_errors("naam,city\nBakker Jan,Oss\n"));
}

#[test]
fn value_in_a_column_without_a_name() {
    insta::assert_snapshot!(table_errors(
        "id,name,\nbakker-jan,Bakker Jan,\nslager-piet,Slager Piet,Oss\nvisboer-vis,Visboer Vis,Urk\n"
    ));
}

#[test]
fn empty_and_invalid_ids() {
    insta::assert_snapshot!(table_errors("id,name\n,Bakker Jan\n../x,Slager Piet\n"));
}

#[test]
fn duplicate_id_in_the_table() {
    insta::assert_snapshot!(table_errors(
        "id,name\nbakker-jan,Bakker Jan\nslager-piet,Slager Piet\nbakker-jan,Bakkerij Jan B.V.\n"
    ));
}

#[test]
fn id_with_a_customer_file_too() {
    insta::assert_snapshot!(table_errors("id,name\nbakkerij-bol,Bakkerij Bol\n"));
}

#[test]
fn row_with_the_wrong_number_of_fields() {
    insta::assert_snapshot!(table_errors(
        "id,name,city\nbakker-jan,Bakker Jan,Oss,extra\nslager-piet,Slager Piet\n"
    ));
}

#[test]
fn bad_values_for_their_type() {
    // A quoted cell is the same value: the caret is inside the quotes.
    insta::assert_snapshot!(table_errors(
        "id,name,delivery.installations,payment.method,delivery.express,payment.interest,delivery.locations\n\
         bakker-jan,Bakker Jan,abc,\"cash\",ja,12,\"[Oss, [x]]\"\n\
         slager-piet,Slager Piet,0,invoice,false,1,[Oss\n"
    ));
}

#[test]
fn semicolon_table_with_bom_points_at_the_right_cell() {
    insta::assert_snapshot!(table_errors(
        "\u{feff}id;name;delivery.installations\r\nbakker-jan;\"Bakker \"\"Jan\"\"\";\"  drie \"\r\n"
    ));
}

#[test]
fn table_for_an_unknown_vendor() {
    let dir = project("good");
    fs::write(dir.path().join("customers/acne.csv"), "id,name\nx,X\n").unwrap();
    insta::assert_snapshot!(check_fails(&dir));
}

#[test]
fn table_that_is_not_utf8() {
    // What Excel's plain "CSV" writes on Windows: Windows-1252, `é` as the byte 0xE9.
    insta::assert_snapshot!(check_fails(&with_table(
        b"id,name,city\nbakker-jan,Bakker Jan,Li\xe9ge\n"
    )));
}

#[test]
fn json_diagnostics_give_line_and_column_of_the_cell() {
    let dir =
        with_table("id,name,city,delivery.installations\nbakker-jan,\"Bakker\nJan\",Oss,veel\n");
    let out = Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .arg("--root")
        .arg(dir.path())
        .args(["check", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(json["errors"], 1, "{json}");
    assert_eq!(d["file"], "customers/acme.csv");
    // The row's second field spans two lines; `veel` is on the third line, column 10.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(10)),
        "{json}"
    );
    assert_eq!(d["end_column"], 14);
}
