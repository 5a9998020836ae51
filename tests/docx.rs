//! Word output, read back by independent readers: LibreOffice (`soffice`) and Debian's
//! python-docx with lxml (tests/docx/read.py, run by /usr/bin/python3). The project is the
//! editions fixture with one more clause holding a table, emphasis and a web link.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{copy_dir, run};

struct Project {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

const EXTRA: &str = "---\nid: service.times\nversion: 1.0.0\n---\n\
Voor een melding gelden deze *reactietijden*, zie ook [de statuspagina](https://status.example):\n\n\
| Prioriteit | Omschrijving | Reactietijd |\n|:--|:--|--:|\n| 1 | **kritiek** | 1 uur |\n| 2 | hoog | 4 uur |\n\n\
Een melding die geen prioriteit krijgt, geldt als prioriteit 2.\n";

impl Project {
    fn new() -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("p");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editions"),
            &root,
        );
        std::fs::write(root.join("clauses/20-service/03-times.md"), EXTRA).unwrap();
        Project { _tmp: tmp, root }
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = run(&self.root, args);
        assert_eq!(r.code, 0, "{args:?} failed:\n{}", r.stderr);
        r.stdout
    }

    /// `diff` of the fixture's terms as a DOCX, written to `name` in the project.
    fn diff_docx(&self, from: &str, to: &str, name: &str) -> PathBuf {
        let out = Command::new(env!("CARGO_BIN_EXE_clausebook"))
            .arg("--root")
            .arg(&self.root)
            .args([
                "--color",
                "never",
                "diff",
                "--vendor",
                "wolkenwerk",
                "--doc",
                "terms",
            ])
            .args(["--from", from, "--to", to, "--format", "docx"])
            .env("SOURCE_DATE_EPOCH", "1704067200")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = self.root.join(name);
        std::fs::write(&path, out.stdout).unwrap();
        path
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    /// Two editions: a parameter, a reworded clause, an inserted and a removed clause.
    fn editions() -> Project {
        let p = Project::new();
        let publish = |e: &str, d: &str| {
            p.ok(&[
                "publish",
                "--vendor",
                "wolkenwerk",
                "--doc",
                "terms",
                "--edition",
                e,
                "--effective",
                d,
            ])
        };
        publish("2024-01", "2024-01-01");
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
        std::fs::write(
            p.root.join("clauses/40-liability/02-insurance.md"),
            "---\nid: liability.insurance\nversion: 1.0.0\n---\n{{ vendor.short_name }} houdt een passende aansprakelijkheidsverzekering in stand.\n",
        )
        .unwrap();
        std::fs::remove_file(p.root.join("clauses/10-applicability/02-offers.md")).unwrap();
        publish("2025-01", "2025-03-01");
        p
    }
}

/// tests/docx/read.py with these arguments.
fn read(args: &[&str]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docx/read.py");
    let o = Command::new("/usr/bin/python3")
        .arg(script)
        .args(args)
        .output()
        .expect("/usr/bin/python3 with python3-docx and LibreOffice are needed (.ci/test)");
    assert!(
        o.status.success(),
        "read.py {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One part of a DOCX package.
fn part(docx: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut out = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{} has no {name}", docx.display()))
        .read_to_string(&mut out)
        .unwrap();
    out
}

fn files_with(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_with(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

#[test]
fn a_docx_beside_every_pdf_whose_text_is_the_html_text() {
    let p = Project::new();
    p.ok(&["build", "--all-customers", "--format", "html,pdf,docx"]);
    let mut pdfs = Vec::new();
    files_with(&p.root.join("out"), "pdf", &mut pdfs);
    assert!(pdfs.len() >= 3, "{pdfs:?}");
    let lo = p.root.join("lo");
    for pdf in &pdfs {
        let docx = pdf.with_extension("docx");
        assert!(docx.is_file(), "no DOCX beside {}", pdf.display());
        // LibreOffice lays the document out (list numbers, fields) and exports its text; the
        // HTML's <main> is everything after the title block and contents, which the DOCX
        // ends with, word for word.
        let html = read(&["html", s(&pdf.with_extension("html"))]);
        let text = read(&["lo-text", s(&docx), s(&lo)]);
        assert!(html.len() > 500, "{html}");
        assert!(
            text.trim_end().ends_with(html.trim_end()),
            "{}: LibreOffice's text does not end with the HTML's\nDOCX: {text}\nHTML: {html}",
            docx.display()
        );
        // python-docx opens it too, and sees the styles the numbering is linked to.
        let paras = read(&["docx", s(&docx)]);
        assert!(paras.contains("Heading 1\tDefinities"), "{paras}");
        assert!(
            paras.contains("Clause\tDe Klant kan Storingen melden"),
            "{paras}"
        );
        assert!(
            paras.contains("Clause List\tbevestigt een melding"),
            "{paras}"
        );
    }
}

#[test]
fn numbering_fields_properties_and_page_are_word_structures() {
    let p = Project::new();
    p.ok(&["build", "--format", "docx"]);
    let docx = p.root.join("out/wolkenwerk/terms.docx");
    let numbering = part(&docx, "word/numbering.xml");
    // Articles, clauses and lettered items: one multi-level list linked to the styles.
    assert!(numbering.contains("<w:pStyle w:val=\"Heading1\"/><w:suff w:val=\"space\"/><w:lvlText w:val=\"Artikel %1\"/>"), "{numbering}");
    assert!(
        numbering.contains(
            "<w:pStyle w:val=\"Clause\"/><w:suff w:val=\"tab\"/><w:lvlText w:val=\"%1.%2\"/>"
        ),
        "{numbering}"
    );
    assert!(
        numbering.contains("<w:numFmt w:val=\"lowerLetter\"/><w:pStyle w:val=\"ClauseList\"/>"),
        "{numbering}"
    );
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Clause\"><w:name w:val=\"Clause\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr>"), "{styles}");
    assert!(styles.contains("<w:lang w:val=\"nl-NL\""));
    assert!(styles.contains("Libertinus Serif"));

    let doc = part(&docx, "word/document.xml");
    // "zoals bepaald in artikel 7.2": the word, then a REF field to the bookmarked clause.
    let at = doc.find("zoals bepaald in ").expect("reference sentence");
    let after = &doc[at..];
    let instr = after.find(" REF _Ref").expect("a REF field after the text");
    let name: String = after[instr + 5..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(after[instr..].starts_with(&format!(" REF {name} \\r \\h ")));
    assert!(after.contains(
        "<w:t xml:space=\"preserve\">7.2</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/>"
    ));
    let mark = doc
        .find(&format!("w:name=\"{name}\"/>"))
        .expect("the bookmark the REF points at");
    assert!(
        doc[mark..].contains("De Klant kan de Overeenkomst"),
        "bookmark on the clause 7.2"
    );
    assert!(doc.contains(" TOC \\o \"1-1\" \\h \\z \\u "));
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "A4");
    assert!(doc.contains("<w:hyperlink r:id=\"rIdL1\">"));
    assert!(
        part(&docx, "word/_rels/document.xml.rels")
            .contains("Target=\"https://status.example\" TargetMode=\"External\"")
    );
    assert!(doc.contains("<w:tbl>") && doc.contains("<w:tblHeader/>"));
    let footer = part(&docx, "word/footer1.xml");
    assert!(
        footer.contains("pagina ") && footer.contains(" PAGE ") && footer.contains(" NUMPAGES ")
    );
    let header = part(&docx, "word/header1.xml");
    assert!(
        header.contains("Wolkenwerk B.V. · Algemene voorwaarden · Versie 2024.1"),
        "{header}"
    );
    let core = part(&docx, "docProps/core.xml");
    assert!(
        core.contains(
            "<dc:title>Algemene voorwaarden</dc:title><dc:creator>Wolkenwerk B.V.</dc:creator>"
        ),
        "{core}"
    );
    assert!(core.contains("<dc:language>nl-NL</dc:language>"));
    assert!(
        core.contains("2024-01-01T00:00:00Z"),
        "the effective date, not the clock"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let p = Project::new();
    p.ok(&["build", "--all-customers", "--format", "docx", "--out", "a"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    p.ok(&[
        "build",
        "--all-customers",
        "--format",
        "docx",
        "--out",
        "b",
        "--force",
    ]);
    let mut a = Vec::new();
    files_with(&p.root.join("a"), "docx", &mut a);
    assert_eq!(a.len(), 3, "{a:?}");
    for f in a {
        let rel = f.strip_prefix(p.root.join("a")).unwrap();
        let other = p.root.join("b").join(rel);
        assert!(
            std::fs::read(&f).unwrap() == std::fs::read(&other).unwrap(),
            "{} differs between two builds",
            rel.display()
        );
    }
}

#[test]
fn a_clause_inserted_in_word_renumbers_the_rest_and_the_references() {
    let p = Project::new();
    p.ok(&["build", "--format", "docx"]);
    let docx = p.root.join("out/wolkenwerk/terms.docx");
    let lo = p.root.join("lo");
    let before = read(&["lo-text", s(&docx), s(&lo)]);
    assert!(
        before.contains("7.2 De Klant kan de Overeenkomst"),
        "{before}"
    );
    assert!(before.contains("zoals bepaald in artikel 7.2."), "{before}");
    // A lawyer adds a paragraph in the Clause style before 7.2, as Word's style gallery would.
    let edited = p.root.join("edited.docx");
    read(&[
        "insert",
        s(&docx),
        s(&edited),
        "De Klant kan de Overeenkomst",
    ]);
    let after = read(&["lo-text", s(&edited), s(&lo)]);
    assert!(
        after.contains("7.2 Ingevoegd door de advocaat. 7.3 De Klant kan de Overeenkomst"),
        "{after}"
    );
    // The REF field follows the clause it points at once the document is laid out again
    // (LibreOffice's text export keeps the stored result; its PDF export updates it).
    let printed = read(&["lo-pdf-text", s(&edited), s(&lo)]);
    assert!(
        printed.contains("zoals bepaald in artikel 7.3."),
        "{printed}"
    );
    assert!(!printed.contains("artikel 7.2"), "{printed}");
}

#[test]
fn a_reference_to_an_article_is_a_field_kept_lower_case() {
    let p = Project::new();
    std::fs::write(
        p.root.join("clauses/20-service/04-cap.md"),
        "---\nid: service.cap\nversion: 1.0.0\n---\nVoor schade geldt {{ ref(\"liability\") }}.\n",
    )
    .unwrap();
    p.ok(&["build", "--format", "docx"]);
    let docx = p.root.join("out/wolkenwerk/terms.docx");
    let doc = part(&docx, "word/document.xml");
    assert!(doc.contains("\\r \\h \\* Lower </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t xml:space=\"preserve\">artikel 5</w:t>"), "{doc}");
    assert!(read(&["docx", s(&docx)]).contains("Voor schade geldt artikel 5."));
}

#[test]
fn diff_docx_accepts_to_the_new_edition_and_rejects_to_the_old() {
    let p = Project::editions();
    let red = p.diff_docx("2024-01", "2025-01", "red.docx");
    let new = p.diff_docx("2025-01", "2025-01", "new.docx");
    let old = p.diff_docx("2024-01", "2024-01", "old.docx");
    let doc = part(&red, "word/document.xml");
    let who = "w:author=\"Wolkenwerk B.V.\" w:date=\"2025-03-01T00:00:00Z\"";
    assert!(doc.contains("<w:del w:id=") && doc.contains(who), "{doc}");
    assert!(
        !part(&new, "word/document.xml").contains("<w:ins "),
        "no changes, no revisions"
    );
    assert_eq!(read(&["accept", s(&red)]), read(&["accept", s(&new)]));
    // Rejecting gives the old text in the new edition's frame (title block and version).
    let rejected = read(&["reject", s(&red)]);
    let old_text = read(&["accept", s(&old)]);
    let body = |t: &str| t[t.find("\nDefinities\n").unwrap()..].to_string();
    assert_eq!(body(&rejected), body(&old_text));
    // The changes themselves.
    assert!(
        doc.contains("<w:delText xml:space=\"preserve\">spant zich</w:delText>"),
        "{doc}"
    );
    assert!(
        doc.contains("<w:t xml:space=\"preserve\">zorgt</w:t></w:r></w:ins>"),
        "{doc}"
    );
    assert!(doc.contains("aansprakelijkheidsverzekering"));
    let comments = part(&red, "word/comments.xml");
    assert!(
        comments
            .contains("Gewijzigde waarde: aansprakelijkheidslimiet: EUR 25.000,- → EUR 30.000,-"),
        "{comments}"
    );
    // LibreOffice opens it; its text export shows deleted and inserted words side by side.
    let text = read(&["lo-text", s(&red), s(&p.root.join("lo"))]);
    assert!(
        text.contains("Wolkenwerk spant zichzorgt ervoor in dat"),
        "{text}"
    );
    assert!(
        text.contains("5.2 Wolkenwerk houdt een passende aansprakelijkheidsverzekering"),
        "{text}"
    );
}

/// The Word notice is the letter every other format carries (what changes, the customer's
/// rights, the notice period), then the customer's contract with its tracked changes.
#[test]
fn notice_docx_is_the_letter_and_the_redline_of_the_customer_contract() {
    let p = Project::editions();
    p.ok(&[
        "notice",
        "--vendor",
        "wolkenwerk",
        "--doc",
        "terms",
        "--from",
        "2024-01",
        "--to",
        "2025-01",
        "--all-customers",
        "--format",
        "docx",
        "--date",
        "2024-12-01",
    ]);
    let mut found = Vec::new();
    files_with(&p.root.join("out"), "docx", &mut found);
    assert!(!found.is_empty());
    for f in found {
        assert!(f.ends_with("notice.docx"), "{}", f.display());
        let doc = part(&f, "word/document.xml");
        assert!(
            doc.contains("<w:ins ") && doc.contains("<w:del "),
            "{}",
            f.display()
        );
        let paras = read(&["docx", s(&f)]);
        let lines: Vec<&str> = paras.lines().collect();
        assert!(
            lines[0].starts_with("Title\tWijziging van de algemene voorwaarden"),
            "{paras}"
        );
        // The letter's headings in the order of the other formats, before the contract.
        let contract = lines
            .iter()
            .position(|l| *l == "Title\tAlgemene voorwaarden")
            .expect("the contract follows the letter");
        let headings: Vec<&str> = lines[..contract]
            .iter()
            .filter_map(|l| l.strip_prefix("Heading 1\t"))
            .filter(|h| *h != "Gewijzigde waarden" && *h != "Toelichting")
            .collect();
        assert_eq!(
            headings,
            ["Wat verandert er", "Uw rechten", "Aankondigingstermijn"],
            "{paras}"
        );
        assert!(
            lines[..contract]
                .iter()
                .any(|l| l.contains("kosteloos opzeggen")),
            "{paras}"
        );
        assert!(
            !paras.contains("Doorgehaalde tekst"),
            "no Markdown redline: {paras}"
        );
    }
}

#[test]
fn a_reference_docx_gives_the_house_style() {
    let p = Project::new();
    p.ok(&["build", "--format", "docx"]);
    let built = p.root.join("out/wolkenwerk/terms.docx");
    // A house style: the built-in styles with a red heading, and no Clause style.
    let styles = part(&built, "word/styles.xml");
    let start = styles
        .find("<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Clause\">")
        .unwrap();
    let end = start + styles[start..].find("</w:style>").unwrap() + "</w:style>".len();
    let house = format!("{}{}", &styles[..start], &styles[end..]).replace(
        "<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>",
        "<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:color w:val=\"C00000\"/>",
    );
    assert!(house.contains("C00000") && !house.contains("w:styleId=\"Clause\""));
    let mut z = zip::ZipWriter::new(
        std::fs::File::create(p.root.join("templates/reference.docx")).unwrap_or_else(|_| {
            std::fs::create_dir_all(p.root.join("templates")).unwrap();
            std::fs::File::create(p.root.join("templates/reference.docx")).unwrap()
        }),
    );
    z.start_file("word/styles.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut z, house.as_bytes()).unwrap();
    z.finish().unwrap();
    p.ok(&["build", "--format", "docx"]);
    let styles = part(&built, "word/styles.xml");
    assert!(styles.contains("C00000"), "the house heading");
    assert!(
        styles.contains("w:styleId=\"Clause\""),
        "the missing style added"
    );

    // A reference document that is not a DOCX: an error naming it, nothing written.
    std::fs::write(p.root.join("templates/reference.docx"), "not a zip").unwrap();
    std::fs::remove_dir_all(p.root.join("out")).unwrap();
    let r = run(&p.root, &["build", "--format", "docx"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("templates/reference.docx") && r.stderr.contains("not a DOCX"),
        "{}",
        r.stderr
    );
    assert!(!p.root.join("out/wolkenwerk/terms.docx").exists());
}

#[test]
fn a_moved_clause_carries_a_comment_saying_where_it_was() {
    let p = Project::new();
    let publish = |e: &str, d: &str| {
        p.ok(&[
            "publish",
            "--vendor",
            "wolkenwerk",
            "--doc",
            "terms",
            "--edition",
            e,
            "--effective",
            d,
        ])
    };
    publish("2024-01", "2024-01-01");
    // The deposit clause now follows the release clause.
    std::fs::rename(
        p.root.join("clauses/50-escrow/01-deposit.md"),
        p.root.join("clauses/50-escrow/03-deposit.md"),
    )
    .unwrap();
    publish("2025-01", "2025-03-01");
    let red = p.diff_docx("2024-01", "2025-01", "red.docx");
    let comments = part(&red, "word/comments.xml");
    // Of the two clauses that swapped places, the diff calls the release clause moved (the
    // deposit clause keeps its relative order with the rest).
    assert!(comments.contains("Verplaatst; was 6.2"), "{comments}");
    let doc = part(&red, "word/document.xml");
    let anchor = doc.find("<w:commentRangeStart").expect("comment anchor");
    assert!(doc[anchor..].starts_with("<w:commentRangeStart w:id="));
    let paragraph = &doc[anchor..anchor + doc[anchor..].find("</w:p>").unwrap()];
    assert!(
        paragraph.contains("Het depot wordt aan de Klant afgegeven"),
        "{paragraph}"
    );
    // The move changes no text: nothing to accept.
    assert!(
        !doc.contains("<w:ins ") && !doc.contains("<w:del "),
        "{doc}"
    );
    let new = p.diff_docx("2025-01", "2025-01", "new.docx");
    assert_eq!(read(&["accept", s(&red)]), read(&["accept", s(&new)]));
}
