//! `word/document.xml` of an assembled document: the title block, the parties, the table of
//! contents, the numbered articles and clauses, the negotiated values, the signatures and a
//! contract's attached documents, in the order and words of the HTML.

use std::collections::HashMap;

use super::fields;
use super::inline::{self, Block, Ctx, Target};
use super::numbering::{List, Numbering};
use super::xml::{Fmt, PAGE_BREAK, PPr, para, run, text_para};
use crate::assemble::Assembled;
use crate::assemble::model::{Article, ClauseOut, DocKind};

/// How a document's articles and clauses get their numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// Word's list numbering, instance `n` of the outline list.
    Word(u32),
    /// Numbers written as text (they are not 1, 2, 3… so a list cannot produce them).
    Literal,
    None,
}

/// The writer of one DOCX body, shared by the plain document and the redline.
pub struct Writer {
    pub out: String,
    pub numbering: Numbering,
    pub links: Vec<String>,
    pub targets: HashMap<String, Target>,
    /// Ids for bookmarks, revisions and comments (one counter: they only need be unique).
    next_id: u32,
    labels: serde_json::Value,
}

impl Writer {
    pub fn new(doc: &Assembled) -> Writer {
        let labels = crate::render::labels(doc.locale);
        let word = labels["article"].as_str().unwrap_or("Artikel").to_string();
        let first = doc.articles.first().map_or(1, |a| a.number);
        Writer {
            out: String::new(),
            numbering: Numbering::new(&word, first),
            links: Vec::new(),
            targets: HashMap::new(),
            next_id: 0,
            labels,
        }
    }

    pub fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    pub fn label(&self, k: &str) -> String {
        self.labels[k].as_str().unwrap_or_default().to_string()
    }

    /// Bookmarks for every article and clause of `doc`, for REF fields; and how the
    /// document is numbered (`main`: the first document, which owns list instance 1).
    pub fn begin_doc(&mut self, doc: &Assembled, main: bool) -> Numbers {
        self.targets.clear();
        for a in &doc.articles {
            let n = self.id();
            self.targets.insert(
                a.id.clone(),
                Target {
                    bookmark: format!("_Ref{n}"),
                    number: a.number.to_string(),
                    article: true,
                },
            );
            for c in &a.clauses {
                let n = self.id();
                self.targets.insert(
                    c.id.clone(),
                    Target {
                        bookmark: format!("_Ref{n}"),
                        number: c.number.clone(),
                        article: false,
                    },
                );
            }
        }
        if !doc.numbered {
            return Numbers::None;
        }
        if !consecutive(doc) {
            return Numbers::Literal;
        }
        if main {
            Numbers::Word(1)
        } else {
            let first = doc.articles.first().map_or(1, |a| a.number);
            Numbers::Word(self.numbering.add(List::Outline, Some(first)))
        }
    }

    /// The title block: vendor line, title, subtitle, customer, version and effective date.
    pub fn title_block(&mut self, doc: &Assembled, annex: Option<usize>) {
        let first = match annex {
            Some(n) => format!("{} {n}", self.label("annex")),
            None => doc.vendor.name().to_string(),
        };
        self.out.push_str(&text_para("Meta", &first));
        self.out.push_str(&text_para("Title", &doc.title));
        if let Some(s) = &doc.subtitle {
            self.out.push_str(&text_para("Subtitle", s));
        }
        if annex.is_none()
            && let Some(c) = &doc.customer
        {
            self.out.push_str(&text_para(
                "Meta",
                &format!("{} {}", self.label("for_customer"), c.name()),
            ));
        }
        let meta = meta_line(doc, self);
        self.out.push_str(&para(
            &PPr {
                style: "Meta",
                ..PPr::default()
            },
            &meta,
        ));
    }

    /// The parties: a numbered list for a contract ("De ondergetekenden: …"), else one line
    /// per party.
    pub fn parties(&mut self, doc: &Assembled) {
        let parties = crate::render::parties(doc);
        if doc.kind == DocKind::Contract {
            self.out
                .push_str(&text_para("", &self.label("undersigned")));
            let inst = self.numbering.add(List::Decimal, None);
            for p in &parties {
                let mut rest = String::new();
                for a in &p.address {
                    rest.push_str(&format!(", {a}"));
                }
                if let Some(k) = &p.kvk {
                    rest.push_str(&format!(", {} {k}", self.label("kvk")));
                }
                if let Some(r) = &p.representative {
                    rest.push_str(&format!(", {} {r}", self.label("represented_by")));
                    if let Some(role) = &p.representative_role {
                        rest.push_str(&format!(" ({role})"));
                    }
                }
                rest.push_str(&format!(", {}: ", self.label("hereinafter")));
                let runs = format!(
                    "{}{}{}{}",
                    run(&p.name, Fmt::bold()),
                    run(&rest, Fmt::default()),
                    run(&p.role, Fmt::bold()),
                    run(";", Fmt::default())
                );
                self.out.push_str(&para(
                    &PPr {
                        num: Some((inst, 0)),
                        ..PPr::default()
                    },
                    &runs,
                ));
            }
            self.out.push_str(&text_para("", &self.label("agree")));
        } else {
            for p in &parties {
                let mut line = run(&format!("{}: ", p.role), Fmt::default());
                line.push_str(&run(&p.name, Fmt::bold()));
                let mut rest = String::new();
                for a in &p.address {
                    rest.push_str(&format!(", {a}"));
                }
                if let Some(k) = &p.kvk {
                    rest.push_str(&format!(", {} {k}", self.label("kvk")));
                }
                line.push_str(&run(&rest, Fmt::default()));
                self.out.push_str(&para(&PPr::default(), &line));
            }
        }
    }

    pub fn toc(&mut self, doc: &Assembled, numbers: Numbers) {
        self.out
            .push_str(&text_para("TOCHeading", &self.label("contents")));
        let mut entries: Vec<String> = doc
            .articles
            .iter()
            .map(|a| match numbers {
                Numbers::None => a.title.clone(),
                _ => format!("{} {} {}", self.label("article"), a.number, a.title),
            })
            .collect();
        if !doc.annexes.is_empty() {
            entries.push(self.label("annexes"));
        }
        self.out.push_str(&fields::toc(&entries));
    }

    /// An article heading, bookmarked for references; `mark` is a revision on the
    /// paragraph, `runs` the heading's own runs (the title unless a redline gives more).
    pub fn heading(
        &mut self,
        a: &Article,
        numbers: Numbers,
        mark: Option<String>,
        runs: Option<String>,
    ) {
        let runs = runs.unwrap_or_else(|| run(&a.title, Fmt::default()));
        let (num, prefix) = match numbers {
            Numbers::Word(n) => (Some((n, 0)), String::new()),
            Numbers::Literal => (
                Some((0, 0)),
                run(
                    &format!("{} {} ", self.label("article"), a.number),
                    Fmt::default(),
                ),
            ),
            Numbers::None => (Some((0, 0)), String::new()),
        };
        let content = self.bookmarked(&a.id, &format!("{prefix}{runs}"));
        self.out.push_str(&para(
            &PPr {
                style: "Heading1",
                num,
                mark,
                ..PPr::default()
            },
            &content,
        ));
    }

    /// A clause as its Markdown renders: the first paragraph carries the number.
    pub fn clause(&mut self, c: &ClauseOut, numbers: Numbers) {
        let xml = self.clause_xml(c, numbers);
        self.out.push_str(&xml);
    }

    pub fn clause_xml(&mut self, c: &ClauseOut, numbers: Numbers) -> String {
        let mut ctx = Ctx {
            targets: &self.targets,
            numbering: &mut self.numbering,
            links: &mut self.links,
        };
        let blocks = inline::blocks(&c.markdown, &mut ctx);
        let mut first = true;
        let mut xml = String::new();
        for b in blocks {
            match b {
                Block::Para { runs, list } => {
                    if first && list.is_none() {
                        xml.push_str(&self.clause_para(c, numbers, &runs, None));
                    } else {
                        if first {
                            xml.push_str(&self.clause_para(c, numbers, "", None));
                        }
                        let p = list_or(
                            list,
                            PPr {
                                style: "ClauseText",
                                ..PPr::default()
                            },
                        );
                        xml.push_str(&para(&p, &runs));
                    }
                }
                Block::Table(t) => {
                    if first {
                        xml.push_str(&self.clause_para(c, numbers, "", None));
                    }
                    xml.push_str(&t);
                    // Word needs a paragraph between two tables and after a table in a cell;
                    // an empty one also keeps the next clause off the table.
                    xml.push_str(&text_para("ClauseText", ""));
                }
            }
            first = false;
        }
        if first {
            xml.push_str(&self.clause_para(c, numbers, "", None));
        }
        xml
    }

    /// `content` inside the bookmark of article or clause `id`, if it is a reference target.
    fn bookmarked(&mut self, id: &str, content: &str) -> String {
        match self.targets.get(id).map(|t| t.bookmark.clone()) {
            Some(name) => {
                let n = self.id();
                format!(
                    "{}{content}{}",
                    fields::bookmark_start(n, &name),
                    fields::bookmark_end(n)
                )
            }
            None => content.to_string(),
        }
    }

    /// The numbered first paragraph of a clause, bookmarked for references.
    pub fn clause_para(
        &mut self,
        c: &ClauseOut,
        numbers: Numbers,
        runs: &str,
        mark: Option<String>,
    ) -> String {
        let (style, num, prefix) = match numbers {
            Numbers::Word(n) => ("Clause", Some((n, 1)), String::new()),
            Numbers::Literal => (
                "Clause",
                Some((0, 0)),
                format!("{}<w:r><w:tab/></w:r>", run(&c.number, Fmt::default())),
            ),
            Numbers::None => ("ClauseText", Some((0, 0)), String::new()),
        };
        let content = self.bookmarked(&c.id, &format!("{prefix}{runs}"));
        para(
            &PPr {
                style,
                num,
                mark,
                ..PPr::default()
            },
            &content,
        )
    }

    /// Articles, then the list of annexes.
    pub fn body(&mut self, doc: &Assembled, numbers: Numbers) {
        for a in &doc.articles {
            self.heading(a, numbers, None, None);
            for c in &a.clauses {
                self.clause(c, numbers);
            }
        }
        self.annexes(doc);
    }

    pub fn annexes(&mut self, doc: &Assembled) {
        if doc.annexes.is_empty() {
            return;
        }
        self.plain_heading(&self.label("annexes"));
        for x in &doc.annexes {
            let line = format!("{} {}: {}", self.label("annex"), x.number, x.title);
            self.out.push_str(&text_para("ClauseText", &line));
        }
    }

    /// A letter before the document (the Word change notice), from Markdown: `# ` is the
    /// title, `## ` a heading outside the article numbering, the rest paragraphs and lists;
    /// then a page break.
    pub fn letter(&mut self, md: &str) {
        let mut chunk = String::new();
        for line in md.lines() {
            let heading = [("# ", "Title"), ("## ", "Heading1")]
                .into_iter()
                .find_map(|(p, style)| line.strip_prefix(p).map(|t| (t, style)));
            let Some((text, style)) = heading else {
                chunk.push_str(line);
                chunk.push('\n');
                continue;
            };
            self.markdown_paras(&std::mem::take(&mut chunk), "ClauseText");
            // A heading's text is Markdown too (escapes, emphasis): its runs, one paragraph.
            let mut ctx = Ctx {
                targets: &self.targets,
                numbering: &mut self.numbering,
                links: &mut self.links,
            };
            let runs: String = inline::blocks(text, &mut ctx)
                .into_iter()
                .filter_map(|b| match b {
                    Block::Para { runs, .. } => Some(runs),
                    Block::Table(_) => None,
                })
                .collect();
            let num = (style == "Heading1").then_some((0, 0));
            self.out.push_str(&para(
                &PPr {
                    style,
                    num,
                    ..PPr::default()
                },
                &runs,
            ));
        }
        self.markdown_paras(&chunk, "ClauseText");
        self.out.push_str(&para(&PPr::default(), PAGE_BREAK));
    }

    /// Markdown outside any clause as paragraphs of `style`, list items and tables.
    fn markdown_paras(&mut self, md: &str, style: &'static str) {
        if md.trim().is_empty() {
            return;
        }
        let mut ctx = Ctx {
            targets: &self.targets,
            numbering: &mut self.numbering,
            links: &mut self.links,
        };
        for b in inline::blocks(md, &mut ctx) {
            match b {
                Block::Para { runs, list } => {
                    // A letter's lines end in breaks ("Aan: …"): justified, they would be
                    // stretched across the line.
                    let p = list_or(
                        list,
                        PPr {
                            style,
                            jc: Some("left"),
                            ..PPr::default()
                        },
                    );
                    self.out.push_str(&para(&p, &runs));
                }
                Block::Table(t) => self.out.push_str(&t),
            }
        }
    }

    /// A heading outside the article numbering ("Bijlagen", "Ondertekening").
    pub fn plain_heading(&mut self, text: &str) {
        self.out.push_str(&para(
            &PPr {
                style: "Heading1",
                num: Some((0, 0)),
                ..PPr::default()
            },
            &run(text, Fmt::default()),
        ));
    }

    pub fn negotiated(&mut self, doc: &Assembled) {
        self.plain_heading(&self.label("negotiated"));
        if doc.negotiated.is_empty() {
            self.out
                .push_str(&text_para("ClauseText", &self.label("negotiated_none")));
            return;
        }
        let esc_md = |s: &str| s.replace('|', "\\|");
        let mut md = format!(
            "| {} | {} | {} |\n|---|---|---|\n",
            self.label("item"),
            self.label("agreed"),
            self.label("standard")
        );
        for n in &doc.negotiated {
            md.push_str(&format!(
                "| {} | {} | {} |\n",
                esc_md(&crate::render::markdown::escape(&n.label)),
                esc_md(&crate::render::markdown::escape(&n.value)),
                n.standard.as_deref().map_or("–".to_string(), |s| esc_md(
                    &crate::render::markdown::escape(s)
                ))
            ));
        }
        let mut ctx = Ctx {
            targets: &self.targets,
            numbering: &mut self.numbering,
            links: &mut self.links,
        };
        for b in inline::blocks(&md, &mut ctx) {
            if let Block::Table(t) = b {
                self.out.push_str(&t);
            }
        }
        self.out.push_str(&text_para("", ""));
    }

    pub fn signatures(&mut self, doc: &Assembled) {
        self.plain_heading(&self.label("signatures"));
        for p in crate::render::parties(doc) {
            self.out.push_str(&para(
                &PPr {
                    style: "ClauseText",
                    ..PPr::default()
                },
                &run(
                    &format!("{} {}", self.label("signed_for"), p.role),
                    Fmt::bold(),
                ),
            ));
            self.out.push_str(&text_para("ClauseText", &p.name));
            // A two-column table: the label, and the line to fill in or the value given.
            let mut rows = String::new();
            for (k, v) in [
                ("name", p.representative.clone()),
                ("capacity", p.representative_role.clone()),
                ("place", None),
                ("date", None),
                ("signature", None),
            ] {
                let height = if k == "signature" { 900 } else { 400 };
                rows.push_str(&format!(
                    "<w:tr><w:trPr><w:trHeight w:val=\"{height}\"/></w:trPr>\
                     <w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>\
                     <w:tc><w:tcPr><w:tcW w:w=\"5000\" w:type=\"dxa\"/><w:tcBorders><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/></w:tcBorders><w:vAlign w:val=\"bottom\"/></w:tcPr>{}</w:tc></w:tr>",
                    text_para("TableText", &self.label(k)),
                    text_para("TableText", v.as_deref().unwrap_or_default())
                ));
            }
            self.out.push_str(&format!(
                "<w:tbl><w:tblPr><w:tblW w:w=\"7000\" w:type=\"dxa\"/><w:tblInd w:w=\"680\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr>\
                 <w:tblGrid><w:gridCol w:w=\"2000\"/><w:gridCol w:w=\"5000\"/></w:tblGrid>{rows}</w:tbl>"
            ));
            self.out.push_str(&text_para("ClauseText", ""));
        }
    }
}

/// "Versie 2024.1", a tab, "Ingangsdatum 1 januari 2024", as runs.
pub fn meta_line(doc: &Assembled, w: &Writer) -> String {
    let version = doc.version.clone().unwrap_or_else(|| w.label("draft"));
    let mut line = run(&format!("{} {version}", w.label("version")), Fmt::default());
    if let Some(e) = crate::render::effective_text(doc) {
        line.push_str("<w:r><w:tab/></w:r>");
        line.push_str(&run(
            &format!("{} {e}", w.label("effective")),
            Fmt::default(),
        ));
    }
    line
}

/// Whether Word's list numbering gives exactly the document's numbers: articles counting up
/// by one, clauses N.1, N.2, … in each.
fn consecutive(doc: &Assembled) -> bool {
    let first = doc.articles.first().map_or(1, |a| a.number);
    for (expect, a) in (first..).zip(&doc.articles) {
        if a.number != expect {
            return false;
        }
        for (i, c) in a.clauses.iter().enumerate() {
            if c.number != format!("{}.{}", a.number, i + 1) {
                return false;
            }
        }
    }
    true
}

/// A list item's paragraph properties, or `otherwise` for a paragraph outside a list.
fn list_or(list: Option<(u32, u32)>, otherwise: PPr<'static>) -> PPr<'static> {
    match list {
        Some((inst, lvl)) => PPr {
            style: "ClauseList",
            num: Some((inst, lvl)),
            ..PPr::default()
        },
        None => otherwise,
    }
}

/// The whole body of a document and its attachments.
pub fn document(doc: &Assembled) -> Writer {
    let mut w = Writer::new(doc);
    let numbers = w.begin_doc(doc, true);
    w.title_block(doc, None);
    w.parties(doc);
    if !doc.articles.is_empty() {
        w.toc(doc, numbers);
    }
    w.body(doc, numbers);
    if doc.kind == DocKind::Contract {
        w.negotiated(doc);
    }
    if doc.signature {
        w.signatures(doc);
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        w.out.push_str(&para(&PPr::default(), PAGE_BREAK));
        let numbers = w.begin_doc(a, false);
        w.title_block(a, Some(i + 1));
        w.body(a, numbers);
    }
    w
}
