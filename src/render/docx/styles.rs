//! `word/styles.xml`: the built-in house style (the PDF's fonts and sizes), or a
//! `templates/reference.docx`'s styles with any style clausebook needs added when missing.

use super::xml::esc;

/// Styles clausebook writes paragraphs in, by id, with their definitions.
fn builtin(numbered_outline: bool) -> Vec<(&'static str, String)> {
    let heading_font =
        "<w:rFonts w:ascii=\"DejaVu Sans\" w:hAnsi=\"DejaVu Sans\" w:cs=\"DejaVu Sans\"/>";
    let num = |lvl: u32| {
        if numbered_outline {
            format!("<w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"1\"/></w:numPr>")
        } else {
            String::new()
        }
    };
    let p = |id: &'static str, name: &str, ppr: String, rpr: String| {
        (
            id,
            format!(
                "<w:style w:type=\"paragraph\" w:customStyle=\"{}\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
                 <w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>",
                u8::from(
                    !name.starts_with(|c: char| c.is_lowercase())
                        && name != "Title"
                        && name != "Subtitle"
                )
            ),
        )
    };
    vec![
        p(
            "Title",
            "Title",
            "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"120\"/>".into(),
            format!("{heading_font}<w:b/><w:bCs/><w:sz w:val=\"48\"/><w:szCs w:val=\"48\"/>"),
        ),
        p(
            "Subtitle",
            "Subtitle",
            "<w:spacing w:after=\"120\"/>".into(),
            "<w:i/><w:iCs/><w:color w:val=\"555555\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>".into(),
        ),
        p(
            "Heading1",
            "heading 1",
            format!(
                "<w:keepNext/><w:keepLines/>{}<w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/>",
                num(0)
            ),
            format!("{heading_font}<w:b/><w:bCs/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"),
        ),
        p(
            "Clause",
            "Clause",
            format!(
                "{}<w:spacing w:after=\"120\"/><w:ind w:left=\"680\" w:hanging=\"680\"/><w:jc w:val=\"both\"/>",
                num(1)
            ),
            String::new(),
        ),
        p(
            "ClauseText",
            "Clause Text",
            "<w:spacing w:after=\"120\"/><w:ind w:left=\"680\"/><w:jc w:val=\"both\"/>".into(),
            String::new(),
        ),
        p(
            "ClauseList",
            "Clause List",
            format!(
                "{}<w:spacing w:after=\"60\"/><w:ind w:left=\"1134\" w:hanging=\"454\"/>",
                num(2)
            ),
            String::new(),
        ),
        p(
            "TableText",
            "Table Text",
            "<w:spacing w:before=\"20\" w:after=\"20\"/>".into(),
            "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>".into(),
        ),
        p(
            "Meta",
            "Meta",
            "<w:spacing w:after=\"60\"/>".into(),
            "<w:color w:val=\"555555\"/>".into(),
        ),
        p(
            "TOCHeading",
            "TOC Heading",
            "<w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/>".into(),
            format!("{heading_font}<w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>"),
        ),
        p(
            "TOC1",
            "toc 1",
            "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9060\"/></w:tabs><w:spacing w:after=\"40\"/>".into(),
            String::new(),
        ),
        p(
            "Header",
            "header",
            "<w:jc w:val=\"right\"/>".into(),
            "<w:color w:val=\"777777\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/>".into(),
        ),
        p(
            "Footer",
            "footer",
            "<w:jc w:val=\"center\"/>".into(),
            "<w:color w:val=\"777777\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/>".into(),
        ),
        (
            "Hyperlink",
            "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/>\
             <w:rPr><w:color w:val=\"1F4E79\"/><w:u w:val=\"single\"/></w:rPr></w:style>"
                .into(),
        ),
        (
            "TableGrid",
            "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>\
             <w:tblPr><w:tblBorders>\
             <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
             <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
             <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
             <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
             <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
             </w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
                .into(),
        ),
    ]
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">";

/// The built-in styles.xml, for a document in `lang` ("nl-NL", "en-GB").
pub fn default_xml(lang: &str) -> String {
    let mut out = String::from(HEAD);
    out.push_str(&format!(
        "<w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Libertinus Serif\" w:hAnsi=\"Libertinus Serif\" w:eastAsia=\"Libertinus Serif\" w:cs=\"Libertinus Serif\"/>\
         <w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/><w:lang w:val=\"{0}\" w:eastAsia=\"{0}\" w:bidi=\"ar-SA\"/>\
         </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
        esc(lang)
    ));
    for (_, s) in builtin(true) {
        out.push_str(&s);
    }
    out.push_str("</w:styles>");
    out
}

/// A reference document's styles.xml with every built-in style it lacks appended, so the
/// house style wins where it defines a style and the numbering links still hold.
pub fn merged_xml(reference: &str) -> Option<String> {
    let end = reference.rfind("</w:styles>")?;
    let mut out = reference[..end].to_string();
    for (id, s) in builtin(true) {
        if !reference.contains(&format!("w:styleId=\"{id}\"")) {
            out.push_str(&s);
        }
    }
    out.push_str(&reference[end..]);
    Some(out)
}
