//! The DOCX package: the parts, their relationships and content types, zipped with a fixed
//! timestamp and in a fixed order, so the same document gives the same bytes.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::xml::esc;

pub const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// Everything that goes into one package.
pub struct Parts {
    pub document: String,
    pub styles: String,
    pub numbering: String,
    pub header: String,
    pub footer: String,
    pub comments: Option<String>,
    /// External hyperlink targets; relationship `rIdL{n}` is the n-th (from 1).
    pub links: Vec<String>,
    pub title: String,
    pub author: String,
    pub lang: String,
    /// ISO 8601, e.g. "2024-01-01T00:00:00Z": the edition's date, never the clock.
    pub date: Option<String>,
}

pub fn zip(p: &Parts) -> Result<Vec<u8>, String> {
    let mut files: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", content_types(p.comments.is_some())),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(p)),
        ("docProps/app.xml", APP.to_string()),
        ("word/document.xml", p.document.clone()),
        ("word/styles.xml", p.styles.clone()),
        ("word/numbering.xml", p.numbering.clone()),
        ("word/settings.xml", settings(&p.lang)),
        ("word/header1.xml", p.header.clone()),
        ("word/footer1.xml", p.footer.clone()),
        ("word/_rels/document.xml.rels", doc_rels(p)),
    ];
    if let Some(c) = &p.comments {
        files.push(("word/comments.xml", c.clone()));
    }
    let mut z = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, body) in files {
        z.start_file(name, opts).map_err(|e| e.to_string())?;
        z.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(z.finish().map_err(|e| e.to_string())?.into_inner())
}

fn content_types(comments: bool) -> String {
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{wml}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{wml}.styles+xml\"/>\
         <Override PartName=\"/word/numbering.xml\" ContentType=\"{wml}.numbering+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{wml}.settings+xml\"/>\
         <Override PartName=\"/word/header1.xml\" ContentType=\"{wml}.header+xml\"/>\
         <Override PartName=\"/word/footer1.xml\" ContentType=\"{wml}.footer+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    );
    if comments {
        s.push_str(&format!(
            "<Override PartName=\"/word/comments.xml\" ContentType=\"{wml}.comments+xml\"/>"
        ));
    }
    s.push_str("</Types>");
    s
}

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>clausebook</Application></Properties>";

fn core(p: &Parts) -> String {
    let dates = p
        .date
        .as_ref()
        .map(|d| {
            format!(
                "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{d}</dcterms:created>\
                 <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{d}</dcterms:modified>"
            )
        })
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy>\
         <dc:language>{}</dc:language>{dates}</cp:coreProperties>",
        esc(&p.title),
        esc(&p.author),
        esc(&p.author),
        esc(&p.lang)
    )
}

fn settings(lang: &str) -> String {
    // updateFields: Word fills the table of contents' page numbers on opening.
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:settings {W_NS}><w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"708\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/><w:themeFontLang w:val=\"{}\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         </w:settings>",
        esc(lang)
    )
}

fn doc_rels(p: &Parts) -> String {
    let t = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{t}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{t}/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{t}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rId4\" Type=\"{t}/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rId5\" Type=\"{t}/footer\" Target=\"footer1.xml\"/>"
    );
    if p.comments.is_some() {
        s.push_str(&format!(
            "<Relationship Id=\"rId6\" Type=\"{t}/comments\" Target=\"comments.xml\"/>"
        ));
    }
    for (i, l) in p.links.iter().enumerate() {
        s.push_str(&format!(
            "<Relationship Id=\"rIdL{}\" Type=\"{t}/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
            i + 1,
            esc(l)
        ));
    }
    s.push_str("</Relationships>");
    s
}

/// The document part around a body: A4, the PDF's margins, header and footer.
pub fn document_xml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document {W_NS}><w:body>{body}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId4\"/><w:footerReference w:type=\"default\" r:id=\"rId5\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1417\" w:right=\"1417\" w:bottom=\"1587\" w:left=\"1984\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>"
    )
}

pub fn header_xml(content: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr {W_NS}>{content}</w:hdr>"
    )
}

pub fn footer_xml(content: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {W_NS}>{content}</w:ftr>"
    )
}
