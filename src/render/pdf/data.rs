//! The document as data for the Typst template: [`Assembled`] plus every clause body converted
//! from Markdown into a tree of blocks and styled text runs. The template lays these out with
//! plain functions; no text from the library, a vendor or a customer is ever parsed as Typst.
//!
//! Shape (`data.json`; `format` is bumped when it changes):
//!
//! ```text
//! { format, generator, locale, region, labels: {contents, article, version, effective, draft,
//!   kvk, annexes, annex, for_customer, page, parties, undersigned, agree, hereinafter,
//!   represented_by, negotiated, negotiated_none, item, agreed, standard, signatures,
//!   signed_for, name, capacity, place, date, signature, annex_to},
//!   document, title, subtitle?, version?, effective? ("1 januari 2025"), effective_iso?,
//!   vendor: {id, name, fields}, customer?: {id, name, fields}, logo? (project path),
//!   articles: [{id, label, number, heading ("Artikel 5"), title, definitions,
//!               clauses: [{id, label, number, title, body: [Block]}]}],
//!   annexes: [{id, number, heading ("Bijlage 1"), title}],
//!   parameters: {"module.name": {label, type, display, raw, layer, source}},
//!   kind ("terms" | "contract"),
//!   parties: [{role ("Afnemer"), name, address: [line], kvk?, representative?,
//!              representative_role?}]  (vendor first; the customer on a customer's copy),
//!   negotiated: [{key, label, value, standard?}], signature (bool),
//!   attachments: [Data]  (a contract's annexes, in order, each of this same shape) }
//! Block  = {type: "paragraph" | "heading", content: [Inline]}
//!        | {type: "list", ordered, start, items: [[Block]]}
//!        | {type: "quote", blocks: [Block]} | {type: "code", text} | {type: "rule"}
//!        | {type: "table", align: ["left"|"center"|"right"|null], header: [[Inline]],
//!           rows: [[[Inline]]]}
//! Inline = {text, strong?, emph?, strike?, code?, link? (http/https/mailto), ref? (a label)}
//!        | {break: true}
//! ```
//!
//! The Markdown rules are those of [`crate::render::markdown`]: raw HTML is text, images are
//! their alt text, links keep only http, https and mailto targets, and `#id` targets become
//! references to the article or clause with that id (other `#` targets are dropped).

use std::collections::HashMap;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use chrono::NaiveDate;

use crate::assemble::{Assembled, model::PartyData};
use crate::params::Locale;

/// Bumped when the shape above changes, so overridden templates can check it.
pub const DATA_FORMAT: u32 = 2;

#[derive(Serialize)]
pub struct Data<'a> {
    pub format: u32,
    pub generator: String,
    pub locale: &'a str,
    pub region: Option<&'static str>,
    pub labels: serde_json::Value,
    pub document: &'a str,
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub version: Option<&'a str>,
    pub effective: Option<String>,
    pub effective_iso: Option<NaiveDate>,
    pub vendor: Party<'a>,
    pub customer: Option<Party<'a>>,
    pub logo: Option<String>,
    /// Whether articles and clauses show their numbers (`numbering: none` turns them off).
    pub numbered: bool,
    /// Whether the document opens with a table of contents (not a change notice).
    pub contents: bool,
    pub articles: Vec<ArticleData<'a>>,
    pub annexes: Vec<AnnexData<'a>>,
    /// Every parameter in force, as in [`Assembled::parameters`].
    pub parameters: &'a indexmap::IndexMap<String, crate::assemble::model::ParamRecord>,
    /// "terms" or "contract".
    pub kind: crate::assemble::model::DocKind,
    /// Vendor, then (on a customer's copy) the customer: identity as the document shows it.
    pub parties: Vec<crate::render::PartyView>,
    pub negotiated: &'a [crate::assemble::model::Negotiated],
    pub signature: bool,
    /// A contract's annexes, each a document of this same shape ("Bijlage N").
    pub attachments: Vec<Data<'a>>,
}

#[derive(Serialize)]
pub struct Party<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub fields: &'a indexmap::IndexMap<String, String>,
}

impl<'a> Party<'a> {
    fn new(p: &'a PartyData) -> Self {
        Party {
            id: &p.id,
            name: p.name(),
            fields: &p.fields,
        }
    }
}

#[derive(Serialize)]
pub struct ArticleData<'a> {
    pub id: &'a str,
    pub label: String,
    pub number: u32,
    pub heading: String,
    pub title: &'a str,
    pub definitions: bool,
    pub clauses: Vec<ClauseData<'a>>,
}

#[derive(Serialize)]
pub struct ClauseData<'a> {
    pub id: &'a str,
    pub label: String,
    pub number: &'a str,
    pub title: &'a str,
    pub body: Vec<Block>,
}

#[derive(Serialize)]
pub struct AnnexData<'a> {
    pub id: &'a str,
    pub number: usize,
    pub heading: String,
    pub title: &'a str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph {
        content: Vec<Inline>,
    },
    Heading {
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Code {
        text: String,
    },
    Rule,
    Table {
        align: Vec<Option<&'static str>>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Inline {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(skip_serializing_if = "is_false")]
    pub strong: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub emph: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub strike: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub code: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(rename = "break", skip_serializing_if = "is_false")]
    pub line_break: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Typst label of an article; clause labels are [`clause_label`].
pub fn article_label(id: &str) -> String {
    format!("article:{id}")
}

pub fn clause_label(id: &str) -> String {
    format!("clause:{id}")
}

/// The data of one document. `logo` is a project path (`/templates/logos/x.png`) if the
/// vendor has a logo.
pub fn build(doc: &Assembled, logo: Option<String>) -> Data<'_> {
    let labels = labels(doc.locale);
    let word = |k: &str| labels[k].as_str().unwrap_or_default().to_string();
    // Every `#id` a clause may link to: the ids of this document's articles and clauses.
    let mut targets: HashMap<&str, String> = HashMap::new();
    for a in &doc.articles {
        targets.insert(&a.id, article_label(&a.id));
        for c in &a.clauses {
            targets.insert(&c.id, clause_label(&c.id));
        }
    }
    let articles = doc
        .articles
        .iter()
        .map(|a| ArticleData {
            id: &a.id,
            label: article_label(&a.id),
            number: a.number,
            heading: format!("{} {}", word("article"), a.number),
            title: &a.title,
            definitions: a.definitions,
            clauses: a
                .clauses
                .iter()
                .map(|c| ClauseData {
                    id: &c.id,
                    label: clause_label(&c.id),
                    number: &c.number,
                    title: &c.title,
                    body: blocks(&c.markdown, &targets),
                })
                .collect(),
        })
        .collect();
    let annexes = doc
        .annexes
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let number = if x.number > 0 {
                x.number as usize
            } else {
                i + 1
            };
            AnnexData {
                id: &x.id,
                number,
                heading: format!("{} {number}", word("annex")),
                title: &x.title,
            }
        })
        .collect();
    Data {
        format: DATA_FORMAT,
        generator: format!("clausebook {}", env!("CARGO_PKG_VERSION")),
        locale: doc.locale.code(),
        region: match doc.locale {
            Locale::Nl => Some("NL"),
            Locale::En => None,
        },
        labels,
        document: &doc.document,
        title: &doc.title,
        subtitle: doc.subtitle.as_deref(),
        version: doc.version.as_deref(),
        effective: crate::render::effective_text(doc),
        effective_iso: doc.effective,
        vendor: Party::new(&doc.vendor),
        customer: doc.customer.as_ref().map(Party::new),
        logo,
        numbered: doc.numbered,
        contents: doc.document != crate::notice::DOCUMENT_ID,
        articles,
        annexes,
        parameters: &doc.parameters,
        kind: doc.kind,
        parties: crate::render::parties(doc),
        negotiated: &doc.negotiated,
        signature: doc.signature,
        attachments: doc.attachments.iter().map(|a| build(a, None)).collect(),
    }
}

/// The shared output labels plus the words only the PDF needs.
fn labels(locale: Locale) -> serde_json::Value {
    let mut labels = crate::render::labels(locale);
    if let Some(map) = labels.as_object_mut() {
        let page = match locale {
            Locale::En => "page",
            Locale::Nl => "pagina",
        };
        map.insert("page".into(), page.into());
    }
    labels
}

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

fn external_link(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// An open container while walking the Markdown events.
enum Frame {
    /// Root, list item or block quote: holds blocks.
    Blocks(Vec<Block>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    /// Paragraph (explicit or, in a tight list item, implicit), heading or table cell.
    Inlines {
        kind: InlineKind,
        content: Vec<Inline>,
    },
    Code(String),
    Table {
        align: Vec<Option<&'static str>>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum InlineKind {
    Paragraph,
    Implicit,
    Heading,
    Cell,
}

/// The inline styles in force.
#[derive(Default, Clone)]
struct Style {
    strong: u32,
    emph: u32,
    strike: u32,
    /// Innermost link state: `Some(target)` for a kept link, `None` for a dropped one.
    links: Vec<Option<Target>>,
    /// Inside an image: its alt text is plain text.
    image: u32,
}

#[derive(Clone)]
enum Target {
    Url(String),
    Label(String),
}

struct Walker<'t> {
    stack: Vec<Frame>,
    style: Style,
    targets: &'t HashMap<&'t str, String>,
}

/// Clause Markdown to blocks.
pub fn blocks(md: &str, targets: &HashMap<&str, String>) -> Vec<Block> {
    let mut w = Walker {
        stack: vec![Frame::Blocks(Vec::new())],
        style: Style::default(),
        targets,
    };
    for ev in Parser::new_ext(md, options()) {
        w.event(ev);
    }
    w.close_implicit();
    while w.stack.len() > 1 {
        w.pop();
    }
    match w.stack.pop() {
        Some(Frame::Blocks(b)) => b,
        _ => Vec::new(),
    }
}

impl Walker<'_> {
    fn event(&mut self, ev: Event) {
        match ev {
            Event::Text(t) => self.text(&t, false),
            Event::Code(t) => self.text(&t, true),
            // Raw HTML is shown as text; a block of it as a paragraph of its own.
            Event::Html(t) => self.text(&t.replace('\n', " "), false),
            Event::InlineHtml(t) => self.text(&t, false),
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => self.inline(Inline {
                line_break: true,
                ..Inline::default()
            }),
            Event::Rule => {
                self.close_implicit();
                self.push_block(Block::Rule);
            }
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            // Footnotes, math and task lists are not enabled.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self.open_inlines(InlineKind::Paragraph),
            Tag::Heading { .. } => self.open_inlines(InlineKind::Heading),
            Tag::BlockQuote(_) => {
                self.close_implicit();
                self.stack.push(Frame::Blocks(Vec::new()));
            }
            Tag::CodeBlock(_) => {
                self.close_implicit();
                self.stack.push(Frame::Code(String::new()));
            }
            Tag::List(start) => {
                self.close_implicit();
                self.stack.push(Frame::List {
                    ordered: start.is_some(),
                    start: start.unwrap_or(1),
                    items: Vec::new(),
                });
            }
            Tag::Item => self.stack.push(Frame::Blocks(Vec::new())),
            Tag::Table(align) => {
                self.close_implicit();
                self.stack.push(Frame::Table {
                    align: align
                        .iter()
                        .map(|a| match a {
                            Alignment::None => None,
                            Alignment::Left => Some("left"),
                            Alignment::Center => Some("center"),
                            Alignment::Right => Some("right"),
                        })
                        .collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                });
            }
            Tag::HtmlBlock => self.close_implicit(),
            Tag::TableHead | Tag::TableRow => {}
            Tag::TableCell => self.stack.push(Frame::Inlines {
                kind: InlineKind::Cell,
                content: Vec::new(),
            }),
            Tag::Emphasis => self.style.emph += 1,
            Tag::Strong => self.style.strong += 1,
            Tag::Strikethrough => self.style.strike += 1,
            Tag::Link { dest_url, .. } => {
                let dest = dest_url.trim();
                let target = if external_link(dest) {
                    Some(Target::Url(dest.to_string()))
                } else {
                    dest.strip_prefix('#')
                        .and_then(|id| self.targets.get(id))
                        .map(|l| Target::Label(l.clone()))
                };
                self.style.links.push(target);
            }
            Tag::Image { .. } => self.style.image += 1,
            // Not enabled: footnotes, definition lists, metadata, superscript, ...
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::TableCell => {
                self.pop()
            }
            TagEnd::HtmlBlock => self.close_implicit(),
            TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::List(_) => {
                self.close_implicit();
                self.pop();
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table { header, row, .. }) = self.stack.last_mut() {
                    *header = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { rows, row, .. }) = self.stack.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => self.pop(),
            TagEnd::Emphasis => self.style.emph = self.style.emph.saturating_sub(1),
            TagEnd::Strong => self.style.strong = self.style.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.style.strike = self.style.strike.saturating_sub(1),
            TagEnd::Link => {
                self.style.links.pop();
            }
            TagEnd::Image => self.style.image = self.style.image.saturating_sub(1),
            _ => {}
        }
    }

    fn open_inlines(&mut self, kind: InlineKind) {
        self.close_implicit();
        self.stack.push(Frame::Inlines {
            kind,
            content: Vec::new(),
        });
    }

    /// Close a paragraph that a tight list item (or raw HTML) opened implicitly.
    fn close_implicit(&mut self) {
        if let Some(Frame::Inlines {
            kind: InlineKind::Implicit,
            ..
        }) = self.stack.last()
        {
            self.pop();
        }
    }

    fn text(&mut self, t: &str, code: bool) {
        if let Some(Frame::Code(s)) = self.stack.last_mut() {
            s.push_str(t);
            return;
        }
        if t.is_empty() {
            return;
        }
        let link = if self.style.image > 0 {
            None
        } else {
            self.style.links.last().cloned().flatten()
        };
        let (link, reference) = match link {
            Some(Target::Url(u)) => (Some(u), None),
            Some(Target::Label(l)) => (None, Some(l)),
            None => (None, None),
        };
        self.inline(Inline {
            text: t.to_string(),
            strong: self.style.strong > 0,
            emph: self.style.emph > 0,
            strike: self.style.strike > 0,
            code,
            link,
            reference,
            line_break: false,
        });
    }

    /// Add a run to the open paragraph, merging it with the previous run of the same style.
    fn inline(&mut self, run: Inline) {
        if !matches!(self.stack.last(), Some(Frame::Inlines { .. })) {
            self.stack.push(Frame::Inlines {
                kind: InlineKind::Implicit,
                content: Vec::new(),
            });
        }
        let Some(Frame::Inlines { content, .. }) = self.stack.last_mut() else {
            return;
        };
        if let Some(last) = content.last_mut()
            && !run.line_break
            && !last.line_break
            && same_style(last, &run)
        {
            last.text.push_str(&run.text);
            return;
        }
        content.push(run);
    }

    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Blocks(b)) => b.push(block),
            // A block directly in a list (should not happen): give it an item of its own.
            Some(Frame::List { items, .. }) => items.push(vec![block]),
            _ => {}
        }
    }

    fn pop(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Inlines { kind, content } => match kind {
                InlineKind::Cell => {
                    if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                        row.push(trim_runs(content));
                    }
                }
                InlineKind::Heading => self.push_block(Block::Heading {
                    content: trim_runs(content),
                }),
                InlineKind::Paragraph | InlineKind::Implicit => {
                    let content = trim_runs(content);
                    if !content.is_empty() {
                        self.push_block(Block::Paragraph { content });
                    }
                }
            },
            Frame::Blocks(blocks) => match self.stack.last_mut() {
                Some(Frame::List { items, .. }) => items.push(blocks),
                _ => self.push_block(Block::Quote { blocks }),
            },
            Frame::List {
                ordered,
                start,
                items,
            } => self.push_block(Block::List {
                ordered,
                start,
                items,
            }),
            Frame::Code(text) => self.push_block(Block::Code {
                text: text.trim_end_matches('\n').to_string(),
            }),
            Frame::Table {
                align,
                header,
                rows,
                ..
            } => self.push_block(Block::Table {
                align,
                header,
                rows,
            }),
        }
    }
}

fn same_style(a: &Inline, b: &Inline) -> bool {
    (a.strong, a.emph, a.strike, a.code, &a.link, &a.reference)
        == (b.strong, b.emph, b.strike, b.code, &b.link, &b.reference)
}

/// Drop leading and trailing white space of a paragraph (a soft break at an edge).
fn trim_runs(mut content: Vec<Inline>) -> Vec<Inline> {
    if let Some(first) = content.first_mut()
        && !first.line_break
    {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = content.last_mut()
        && !last.line_break
    {
        last.text = last.text.trim_end().to_string();
    }
    content.retain(|r| r.line_break || !r.text.is_empty());
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Inline {
        Inline {
            text: text.into(),
            ..Inline::default()
        }
    }

    fn plain(b: &Block) -> String {
        match b {
            Block::Paragraph { content } => content.iter().map(|r| r.text.as_str()).collect(),
            other => panic!("not a paragraph: {other:?}"),
        }
    }

    #[test]
    fn paragraphs_and_styles() {
        let t = HashMap::new();
        let b = blocks("Een **vet** en *schuin*\nwoord.\n\nTweede.", &t);
        assert_eq!(b.len(), 2);
        let Block::Paragraph { content } = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(content[0], run("Een "));
        assert!(content[1].strong && content[1].text == "vet");
        assert!(content[3].emph);
        assert_eq!(content[4], run(" woord."));
    }

    #[test]
    fn escaped_markdown_stays_text() {
        let t = HashMap::new();
        let b = blocks(r#"\#read(\"/etc/passwd\") \*x\* <l> \- a"#, &t);
        assert_eq!(plain(&b[0]), r#"#read("/etc/passwd") *x* <l> - a"#);
        let b = blocks("<div>\n<b>x</b>\n</div>\n\nna", &t);
        assert_eq!(plain(&b[0]), "<div> <b>x</b> </div>");
        assert_eq!(plain(&b[1]), "na");
    }

    #[test]
    fn tight_and_nested_lists() {
        let t = HashMap::new();
        let b = blocks(
            "Intro:\n\n1. een;\n2. twee:\n   1. binnen\n3. drie.\n\nSlot.",
            &t,
        );
        assert_eq!(plain(&b[0]), "Intro:");
        let Block::List { ordered, items, .. } = &b[1] else {
            panic!("{b:?}")
        };
        assert!(ordered);
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].len(), 2, "{:?}", items[1]);
        assert!(matches!(items[1][1], Block::List { .. }));
        assert_eq!(plain(&b[2]), "Slot.");
    }

    #[test]
    fn links_are_filtered_and_refs_resolved() {
        let mut t = HashMap::new();
        t.insert("liability.cap", clause_label("liability.cap"));
        let b = blocks(
            "[artikel 5.1](#liability.cap), [x](javascript:alert(1)), [y](https://a.nl), \
             [z](#nope) ![alt](/etc/passwd)",
            &t,
        );
        let Block::Paragraph { content } = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(
            content[0].reference.as_deref(),
            Some("clause:liability.cap")
        );
        assert!(
            content
                .iter()
                .all(|r| r.link.as_deref() != Some("javascript:alert(1)"))
        );
        assert!(
            content
                .iter()
                .any(|r| r.link.as_deref() == Some("https://a.nl"))
        );
        assert_eq!(plain(&b[0]), "artikel 5.1, x, y, z alt");
    }
}
