//! WordprocessingML fragments: escaping, runs and paragraphs. Everything here is a string
//! builder; the parts are small and written in one pass, so no XML library is needed.

/// Text for an XML attribute or element.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0; a tab is Word's own element.
            '\t' => out.push(' '),
            c if (c as u32) < 0x20 && c != '\n' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Character formatting of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fmt {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
    pub link: bool,
}

impl Fmt {
    pub fn bold() -> Fmt {
        Fmt {
            bold: true,
            ..Fmt::default()
        }
    }

    fn rpr(self, extra: &str) -> String {
        let mut p = String::new();
        if self.link {
            p.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
        }
        if self.code {
            p.push_str("<w:rFonts w:ascii=\"DejaVu Sans Mono\" w:hAnsi=\"DejaVu Sans Mono\" w:cs=\"DejaVu Sans Mono\"/>");
        }
        if self.bold {
            p.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            p.push_str("<w:i/><w:iCs/>");
        }
        if self.strike {
            p.push_str("<w:strike/>");
        }
        p.push_str(extra);
        if p.is_empty() {
            p
        } else {
            format!("<w:rPr>{p}</w:rPr>")
        }
    }
}

/// One run of text. `deleted` writes `w:delText`, the text a deletion revision holds.
pub fn run_ext(text: &str, fmt: Fmt, deleted: bool) -> String {
    if text.is_empty() {
        return String::new();
    }
    let tag = if deleted { "w:delText" } else { "w:t" };
    format!(
        "<w:r>{}<{tag} xml:space=\"preserve\">{}</{tag}></w:r>",
        fmt.rpr(""),
        esc(text)
    )
}

pub fn run(text: &str, fmt: Fmt) -> String {
    run_ext(text, fmt, false)
}

/// A line break inside a paragraph.
pub const BREAK: &str = "<w:r><w:br/></w:r>";

/// A page break before the next paragraph.
pub const PAGE_BREAK: &str = "<w:r><w:br w:type=\"page\"/></w:r>";

/// Paragraph properties: style, numbering (`Some((0, _))` switches a style's numbering off),
/// alignment, and a revision mark on the paragraph mark itself.
#[derive(Debug, Clone, Default)]
pub struct PPr<'a> {
    pub style: &'a str,
    pub num: Option<(u32, u32)>,
    pub jc: Option<&'a str>,
    /// `<w:ins …/>` or `<w:del …/>` for the paragraph mark.
    pub mark: Option<String>,
}

pub fn para(p: &PPr, content: &str) -> String {
    let mut pr = String::new();
    if !p.style.is_empty() {
        pr.push_str(&format!("<w:pStyle w:val=\"{}\"/>", p.style));
    }
    if let Some((num, lvl)) = p.num {
        pr.push_str(&format!(
            "<w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{num}\"/></w:numPr>"
        ));
    }
    if let Some(jc) = p.jc {
        pr.push_str(&format!("<w:jc w:val=\"{jc}\"/>"));
    }
    if let Some(m) = &p.mark {
        pr.push_str(&format!("<w:rPr>{m}</w:rPr>"));
    }
    if pr.is_empty() {
        format!("<w:p>{content}</w:p>")
    } else {
        format!("<w:p><w:pPr>{pr}</w:pPr>{content}</w:p>")
    }
}

/// A paragraph of one style holding plain text.
pub fn text_para(style: &str, text: &str) -> String {
    para(
        &PPr {
            style,
            ..PPr::default()
        },
        &run(text, Fmt::default()),
    )
}
