//! A clause's Markdown (after templating) as Word paragraphs and tables, with the same rules
//! as the HTML (`render::markdown`): raw HTML is text, only http(s)/mailto and in-document
//! links are kept, images show their alt text, ordered lists are lettered, headings inside a
//! clause are bold lines. An in-document link to a clause or article becomes a REF field.

use std::collections::HashMap;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

use super::fields;
use super::numbering::{List, Numbering};
use super::xml::{BREAK, Fmt, PPr, para, run};

/// A bookmarked target: its bookmark name and the number Word will show for it.
pub struct Target {
    pub bookmark: String,
    pub number: String,
    /// An article heading, whose number reads "Artikel 3" in Word.
    pub article: bool,
}

/// What the body writer shares with clause rendering.
pub struct Ctx<'a> {
    pub targets: &'a HashMap<String, Target>,
    pub numbering: &'a mut Numbering,
    /// External link targets, in order; relationship ids are `rIdL{n}`.
    pub links: &'a mut Vec<String>,
}

/// One block of a clause.
pub enum Block {
    /// Runs of a paragraph, and the list it is an item of (instance, level).
    Para {
        runs: String,
        list: Option<(u32, u32)>,
    },
    Table(String),
}

#[derive(Default)]
struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<(bool, Vec<String>)>,
    row: Vec<String>,
    head: bool,
}

enum Link {
    External(usize),
    Internal(String, bool, String),
    Dropped,
}

/// The paragraph being written: its runs and the list item it is.
type Open = Option<(String, Option<(u32, u32)>)>;

pub fn blocks(md: &str, ctx: &mut Ctx) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur: Open = None;
    let mut fmt = Fmt::default();
    let (mut bold, mut italic, mut strike) = (0, 0, 0);
    // Each list: its instance and whether ordered.
    let mut lists: Vec<u32> = Vec::new();
    let mut table: Option<Table> = None;
    let mut link: Option<(Link, String)> = None;
    let opts = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;

    fn flush(cur: &mut Open, out: &mut Vec<Block>) {
        if let Some((runs, list)) = cur.take() {
            out.push(Block::Para { runs, list });
        }
    }

    for ev in Parser::new_ext(md, opts) {
        fmt.bold = bold > 0;
        fmt.italic = italic > 0;
        fmt.strike = strike > 0;
        let mut text: Option<String> = None;
        match ev {
            Event::Start(Tag::Paragraph) | Event::Start(Tag::CodeBlock(_))
                if table.is_none() && cur.is_none() =>
            {
                cur = Some((String::new(), None));
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::CodeBlock) if table.is_none() => {
                flush(&mut cur, &mut out)
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut cur, &mut out);
                cur = Some((String::new(), None));
                bold += 1;
            }
            Event::End(TagEnd::Heading(_)) => {
                bold -= 1;
                flush(&mut cur, &mut out);
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut cur, &mut out);
                let inst = match first {
                    Some(_) => ctx.numbering.add(List::Lettered, None),
                    None => ctx.numbering.add(List::Bullet, None),
                };
                // A nested list continues its parent's instance one level down, so its
                // letters restart under each parent item as in HTML.
                let inst = lists.first().copied().unwrap_or(inst);
                lists.push(inst);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut cur, &mut out);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut cur, &mut out);
                let level = lists.len().saturating_sub(1) as u32;
                let inst = lists.last().copied().unwrap_or(0);
                cur = Some((String::new(), Some((inst, level))));
            }
            Event::End(TagEnd::Item) => flush(&mut cur, &mut out),
            Event::Start(Tag::Table(aligns)) => {
                flush(&mut cur, &mut out);
                table = Some(Table {
                    aligns,
                    ..Table::default()
                });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut table {
                    t.head = true;
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push((t.head, row));
                    t.head = false;
                }
            }
            Event::Start(Tag::TableCell) => {
                cur = Some((String::new(), None));
                if table.as_ref().is_some_and(|t| t.head) {
                    bold += 1;
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(t), Some((runs, _))) = (&mut table, cur.take()) {
                    t.row.push(runs);
                    if t.head {
                        bold -= 1;
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    out.push(Block::Table(table_xml(&t)));
                }
            }
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic -= 1,
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold -= 1,
            Event::Start(Tag::Strikethrough) => strike += 1,
            Event::End(TagEnd::Strikethrough) => strike -= 1,
            Event::Start(Tag::Link { dest_url, .. }) => {
                let dest = dest_url.trim();
                let lower = dest.to_ascii_lowercase();
                let kind = if let Some(id) = dest.strip_prefix('#') {
                    match ctx.targets.get(id) {
                        Some(t) => Link::Internal(t.bookmark.clone(), t.article, t.number.clone()),
                        None => Link::Dropped,
                    }
                } else if lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || lower.starts_with("mailto:")
                {
                    ctx.links.push(dest.to_string());
                    Link::External(ctx.links.len())
                } else {
                    Link::Dropped
                };
                link = Some((kind, String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((kind, shown)) = link.take() {
                    let runs = link_runs(kind, &shown, fmt);
                    push(&mut cur, &runs);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text = Some(t.to_string())
            }
            Event::SoftBreak => text = Some(" ".into()),
            Event::HardBreak => push(&mut cur, BREAK),
            _ => {}
        }
        if let Some(t) = text {
            if let Some((_, shown)) = &mut link {
                shown.push_str(&t);
            } else {
                // Code blocks end in a newline; lines inside become breaks.
                let t = t.strip_suffix('\n').unwrap_or(&t).to_string();
                let runs: Vec<String> = t.split('\n').map(|l| run(l, fmt)).collect();
                if cur.is_none() && table.is_none() {
                    cur = Some((String::new(), None));
                }
                push(&mut cur, &runs.join(BREAK));
            }
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn push(cur: &mut Open, runs: &str) {
    cur.get_or_insert_with(|| (String::new(), None))
        .0
        .push_str(runs);
}

/// A link's runs: a hyperlink, a literal word and a REF field, or plain text.
fn link_runs(kind: Link, shown: &str, fmt: Fmt) -> String {
    match kind {
        Link::External(n) => format!(
            "<w:hyperlink r:id=\"rIdL{n}\">{}</w:hyperlink>",
            run(shown, Fmt { link: true, ..fmt })
        ),
        Link::Internal(bookmark, article, number) => {
            if article {
                // The heading's number reads "Artikel 3": the field holds the whole phrase.
                let lower = shown.starts_with(|c: char| c.is_lowercase());
                fields::reference(&bookmark, shown, lower, fmt)
            } else if let Some(prefix) = shown.strip_suffix(number.as_str()) {
                format!(
                    "{}{}",
                    run(prefix, fmt),
                    fields::reference(&bookmark, &number, false, fmt)
                )
            } else {
                run(shown, fmt)
            }
        }
        Link::Dropped => run(shown, fmt),
    }
}

fn table_xml(t: &Table) -> String {
    let cols = t
        .rows
        .iter()
        .map(|(_, r)| r.len())
        .max()
        .unwrap_or(0)
        .max(1);
    // Column widths share the text width (A4 less the margins) right of the clause indent.
    let width = 7820 / cols as u32;
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"680\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
        width * cols as u32
    );
    for _ in 0..cols {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    for (head, row) in &t.rows {
        out.push_str("<w:tr>");
        if *head {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for c in 0..cols {
            let jc = match t.aligns.get(c) {
                Some(Alignment::Center) => Some("center"),
                Some(Alignment::Right) => Some("right"),
                _ => None,
            };
            let runs = row.get(c).map(String::as_str).unwrap_or_default();
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
                para(
                    &PPr {
                        style: "TableText",
                        jc,
                        ..PPr::default()
                    },
                    runs
                )
            ));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> (Vec<Block>, Vec<String>) {
        let mut targets = HashMap::new();
        targets.insert(
            "term.termination".to_string(),
            Target {
                bookmark: "_Ref7".into(),
                number: "7.2".into(),
                article: false,
            },
        );
        let mut numbering = Numbering::new("Artikel", 1);
        let mut links = Vec::new();
        let blocks = blocks(
            md,
            &mut Ctx {
                targets: &targets,
                numbering: &mut numbering,
                links: &mut links,
            },
        );
        (blocks, links)
    }

    fn runs(b: &Block) -> &str {
        match b {
            Block::Para { runs, .. } => runs,
            Block::Table(t) => t,
        }
    }

    #[test]
    fn raw_html_is_text_and_unsafe_links_are_plain() {
        let (b, links) = render("<b>vet</b> en [klik](javascript:alert(1))");
        assert_eq!(b.len(), 1);
        assert!(
            runs(&b[0]).contains(">&lt;b&gt;</w:t></w:r><w:r><w:t xml:space=\"preserve\">vet<"),
            "{}",
            runs(&b[0])
        );
        assert!(!runs(&b[0]).contains("hyperlink") && links.is_empty());
        assert!(runs(&b[0]).contains(">klik</w:t>"));
    }

    #[test]
    fn references_become_ref_fields_after_the_word() {
        let (b, _) = render("zie [artikel 7.2](#term.termination) en [7.2](#term.termination)");
        let r = runs(&b[0]);
        assert!(
            r.contains(">artikel </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/>"),
            "{r}"
        );
        assert_eq!(
            r.matches(" REF _Ref7 \\r \\h </w:instrText>").count(),
            2,
            "{r}"
        );
        // A link to a clause that is not in the document stays text.
        let (b, _) = render("[artikel 9.9](#gone)");
        assert!(!runs(&b[0]).contains("REF"));
    }

    #[test]
    fn lists_are_items_of_their_own_instance_and_nested_one_level_down() {
        let (b, _) = render("Voor:\n\n1. een\n2. twee\n   1. diep\n\nNa.");
        let lists: Vec<Option<(u32, u32)>> = b
            .iter()
            .map(|b| match b {
                Block::Para { list, .. } => *list,
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(
            lists,
            [None, Some((2, 0)), Some((2, 0)), Some((2, 1)), None]
        );
    }

    #[test]
    fn tables_have_a_repeating_header_row_and_aligned_cells() {
        let (b, _) = render("| A | B |\n|:--|--:|\n| x | 1 |\n");
        let t = runs(&b[0]);
        assert!(matches!(b[0], Block::Table(_)));
        assert!(t.contains("<w:tblHeader/>"));
        assert!(t.contains("<w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">A</w:t>"));
        assert!(t.contains("<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">1<"));
    }
}
