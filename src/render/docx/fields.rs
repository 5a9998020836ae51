//! Word fields (complex fields: begin, instruction, separate, cached result, end) and
//! bookmarks. The cached result is the text clausebook computed, so a reader that never
//! updates fields shows the same words as the HTML; Word recomputes them after editing.

use super::xml::{Fmt, esc, run};

/// A complex field whose cached result is `result` (already runs).
pub fn field(instr: &str, result: &str) -> String {
    format!(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> {} </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{result}\
         <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
        esc(instr)
    )
}

/// A cross-reference to the paragraph number of a bookmarked clause or article. `\r` gives
/// the number in full ("10.2"), `\h` makes it a link; `\* Lower` keeps "artikel 3" lower
/// case when the reference is to an article heading numbered "Artikel 3".
pub fn reference(bookmark: &str, shown: &str, lower: bool, fmt: Fmt) -> String {
    let case = if lower { " \\* Lower" } else { "" };
    field(&format!("REF {bookmark} \\r \\h{case}"), &run(shown, fmt))
}

pub fn page() -> String {
    field("PAGE", &run("1", Fmt::default()))
}

pub fn pages() -> String {
    field("NUMPAGES", &run("1", Fmt::default()))
}

pub fn bookmark_start(id: u32, name: &str) -> String {
    format!("<w:bookmarkStart w:id=\"{id}\" w:name=\"{name}\"/>")
}

pub fn bookmark_end(id: u32) -> String {
    format!("<w:bookmarkEnd w:id=\"{id}\"/>")
}

/// The table of contents: a TOC field over the heading-1 paragraphs, whose cached result is
/// one paragraph per article (page numbers come when Word updates the field on opening).
pub fn toc(entries: &[String]) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let last = entries.len() - 1;
    for (i, e) in entries.iter().enumerate() {
        let mut content = String::new();
        if i == 0 {
            content.push_str(
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
                 <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-1\" \\h \\z \\u </w:instrText></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
            );
        }
        content.push_str(&run(e, Fmt::default()));
        if i == last {
            content.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
        }
        out.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr>{content}</w:p>"
        ));
    }
    out
}
