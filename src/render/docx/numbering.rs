//! `word/numbering.xml`: the multi-level list that numbers the document. Level 0 is the
//! article ("Artikel 3"), linked to the Heading1 style; level 1 the clause ("3.2"), linked to
//! the Clause style; level 2 a lettered item ("a."), linked to ClauseList. Because the
//! levels are linked to styles, a paragraph a lawyer gives one of these styles in Word is
//! numbered in sequence, and every number after it moves up.

use super::xml::esc;

/// The list definitions (`w:abstractNum`) the document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Articles, clauses, lettered items.
    Outline = 0,
    /// A lettered list inside a clause (a., i., 1.).
    Lettered = 1,
    Bullet = 2,
    /// The parties of a contract (1., 2.).
    Decimal = 3,
}

/// The list instances (`w:num`) of one document; id 1 is the main document's outline.
pub struct Numbering {
    instances: Vec<(List, Option<u32>)>,
    article_word: String,
}

impl Numbering {
    pub fn new(article_word: &str, first_article: u32) -> Numbering {
        let start = (first_article != 1).then_some(first_article);
        Numbering {
            instances: vec![(List::Outline, start)],
            article_word: article_word.to_string(),
        }
    }

    /// A new instance of `list`, numbered from its start (or from `start` at level 0).
    pub fn add(&mut self, list: List, start: Option<u32>) -> u32 {
        self.instances.push((list, start));
        self.instances.len() as u32
    }

    pub fn xml(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        );
        let word = esc(&self.article_word);
        let outline = [
            lvl(
                0,
                "decimal",
                &format!("{word} %1"),
                Some("Heading1"),
                0,
                0,
                "space",
            ),
            lvl(1, "decimal", "%1.%2", Some("Clause"), 680, 680, "tab"),
            lvl(
                2,
                "lowerLetter",
                "%3.",
                Some("ClauseList"),
                1134,
                454,
                "tab",
            ),
            lvl(3, "lowerRoman", "%4.", None, 1588, 454, "tab"),
        ];
        let lettered = [
            lvl(0, "lowerLetter", "%1.", None, 1134, 454, "tab"),
            lvl(1, "lowerRoman", "%2.", None, 1588, 454, "tab"),
            lvl(2, "decimal", "%3.", None, 2042, 454, "tab"),
        ];
        let bullet = [
            lvl(0, "bullet", "•", None, 1134, 454, "tab"),
            lvl(1, "bullet", "–", None, 1588, 454, "tab"),
            lvl(2, "bullet", "•", None, 2042, 454, "tab"),
        ];
        let decimal = [lvl(0, "decimal", "%1.", None, 454, 454, "tab")];
        for (id, levels) in [
            (0, &outline[..]),
            (1, &lettered[..]),
            (2, &bullet[..]),
            (3, &decimal[..]),
        ] {
            out.push_str(&format!(
                "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"multilevel\"/>{}</w:abstractNum>",
                levels.concat()
            ));
        }
        for (i, (list, start)) in self.instances.iter().enumerate() {
            // Every instance but the outline restarts, so each list counts from a.
            let restart = match (list, start) {
                (List::Outline, None) if i == 0 => String::new(),
                (_, s) => format!(
                    "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{}\"/></w:lvlOverride>",
                    s.unwrap_or(1)
                ),
            };
            out.push_str(&format!(
                "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{}\"/>{restart}</w:num>",
                i + 1,
                *list as u32
            ));
        }
        out.push_str("</w:numbering>");
        out
    }
}

fn lvl(
    ilvl: u32,
    fmt: &str,
    text: &str,
    style: Option<&str>,
    left: u32,
    hanging: u32,
    suff: &str,
) -> String {
    let style = style
        .map(|s| format!("<w:pStyle w:val=\"{s}\"/>"))
        .unwrap_or_default();
    let ind = if hanging == 0 {
        format!("<w:ind w:left=\"{left}\" w:firstLine=\"0\"/>")
    } else {
        format!("<w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/>")
    };
    format!(
        "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/>{style}\
         <w:suff w:val=\"{suff}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/>\
         <w:pPr>{ind}</w:pPr></w:lvl>"
    )
}
