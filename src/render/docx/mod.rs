//! Word output: a numbered DOCX written as WordprocessingML by hand and zipped with fixed
//! timestamps (see the README for why not a DOCX crate). Articles, clauses and lettered items
//! are one multi-level list linked to the Heading1, Clause and ClauseList styles; references
//! are bookmarks and REF fields; the table of contents, page numbers and page count are
//! fields. [`revisions`] holds the pieces `diff --format docx` writes tracked changes with.

pub mod body;
mod fields;
mod inline;
mod numbering;
mod package;
pub mod revisions;
mod styles;
pub mod xml;

use std::io::Read;
use std::path::Path;

use crate::assemble::Assembled;
use crate::diagnostics::Diagnostic;
use crate::params::Locale;
use crate::source::{Files, Kind};
use xml::{Fmt, PPr, para, run};

/// The house style's file name in the templates directory, as pandoc's `--reference-doc`.
pub const REFERENCE: &str = "reference.docx";

/// A reference document larger than this is refused: it is a style sheet, not a library.
const REFERENCE_LIMIT: u64 = 20 << 20;

/// The styles every DOCX of a run uses: the built-in ones, or a reference document's.
#[derive(Debug, Clone, Default)]
pub struct DocxStyle {
    /// `word/styles.xml` of `templates/reference.docx`, when the project has one.
    reference: Option<String>,
}

impl DocxStyle {
    /// Read `reference.docx` from the templates directory if the project has one.
    pub fn load(files: &dyn Files, templates: &Path) -> Result<DocxStyle, Diagnostic> {
        let path = templates.join(REFERENCE);
        let rel = path.as_path();
        if files.kind(rel) != Kind::File {
            return Ok(DocxStyle::default());
        }
        let shown = rel.display().to_string();
        let bad = |why: String| {
            Diagnostic::error(format!("`{shown}`: {why}"))
                .hint("save the reference document from Word as .docx, or delete it to use the built-in styles")
        };
        let bytes = files
            .read(rel, REFERENCE_LIMIT)
            .map_err(Diagnostic::error)?;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| bad(format!("not a DOCX (zip) file: {e}")))?;
        let mut styles = String::new();
        zip.by_name("word/styles.xml")
            .map_err(|_| bad("it has no `word/styles.xml`".into()))?
            .read_to_string(&mut styles)
            .map_err(|e| bad(format!("cannot read `word/styles.xml`: {e}")))?;
        if !styles.contains("</w:styles>") {
            return Err(bad("its `word/styles.xml` is not a Word style sheet".into()));
        }
        Ok(DocxStyle {
            reference: Some(styles),
        })
    }

    fn xml(&self, lang: &str) -> String {
        self.reference
            .as_deref()
            .and_then(styles::merged_xml)
            .unwrap_or_else(|| styles::default_xml(lang))
    }
}

fn lang(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => "nl-NL",
        Locale::En => "en-GB",
    }
}

/// The DOCX of one document.
pub fn render(doc: &Assembled, style: &DocxStyle) -> Result<Vec<u8>, Diagnostic> {
    let w = body::document(doc);
    package_doc(doc, w, style, None)
}

/// A document's body into a package: header, footer, properties.
pub fn package_doc(
    doc: &Assembled,
    w: body::Writer,
    style: &DocxStyle,
    comments: Option<String>,
) -> Result<Vec<u8>, Diagnostic> {
    let mut head = format!("{} · {}", doc.vendor.name(), doc.title);
    if let Some(v) = &doc.version {
        head.push_str(&format!(" · {} {v}", w.label("version")));
    }
    let (page, of) = match doc.locale {
        Locale::Nl => ("pagina", "van"),
        Locale::En => ("page", "of"),
    };
    let foot = format!(
        "{}{}{}{}",
        run(&format!("{page} "), Fmt::default()),
        fields::page(),
        run(&format!(" {of} "), Fmt::default()),
        fields::pages()
    );
    let p = |style: &str, content: &str| {
        para(
            &PPr {
                style,
                ..PPr::default()
            },
            content,
        )
    };
    let title = match &doc.customer {
        Some(c) => format!("{} — {}", doc.title, c.name()),
        None => doc.title.clone(),
    };
    let parts = package::Parts {
        document: package::document_xml(&w.out),
        styles: style.xml(lang(doc.locale)),
        numbering: w.numbering.xml(),
        header: package::header_xml(&p("Header", &run(&head, Fmt::default()))),
        footer: package::footer_xml(&p("Footer", &foot)),
        comments,
        links: w.links,
        title,
        author: doc.vendor.name().to_string(),
        lang: lang(doc.locale).to_string(),
        date: doc
            .effective
            .map(|d| format!("{}T00:00:00Z", d.format("%Y-%m-%d"))),
    };
    package::zip(&parts).map_err(|e| Diagnostic::error(format!("cannot write the DOCX: {e}")))
}
