//! Clause Markdown, after templating, into HTML fragments and plain text. The pulldown-cmark
//! options and the sanitising rules live here and nowhere else.
//!
//! Rules: raw HTML in a clause is shown as text, never passed through; links keep only
//! http, https, mailto and in-document `#` targets; images become their alt text; ordered
//! lists are lettered (a., b., c.) as Dutch drafting expects.

use pulldown_cmark::{Alignment, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Parameter text must never become Markdown markup: escape what could start it. This is the
/// escape function of every value a clause inserts, which may stand at the start or the end of
/// a line: a blank first (four would indent the line into a code block, one lets `# x` or
/// `1. x` after it start a heading or a list) and a blank last (two before the line break
/// make it a hard break) are written as character references, which are text.
pub fn escape_into(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(escape_text(input, true).as_bytes())
}

/// Escape text for Markdown (see [`escape_into`]), for a text run that continues a line:
/// blanks at its edges stay blanks.
pub fn escape(input: &str) -> String {
    escape_text(input, false)
}

fn escape_text(input: &str, blank_edges: bool) -> String {
    let mut buf = String::with_capacity(input.len() + 8);
    let mut chars = input.chars().peekable();
    let mut at_start = true;
    while let Some(ch) = chars.next() {
        let ch = if ch == '\n' || ch == '\r' { ' ' } else { ch };
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!' => {
                buf.push('\\');
                buf.push(ch);
            }
            '#' | '-' | '+' | '=' if at_start => {
                buf.push('\\');
                buf.push(ch);
            }
            ' ' | '\t' if blank_edges && (at_start || chars.peek().is_none()) => {
                buf.push_str(if ch == ' ' { "&#32;" } else { "&#9;" });
            }
            _ => buf.push(ch),
        }
        at_start = false;
    }
    // "1. text", "1)\ttext" or a lone "1." at the start would become a list.
    if let Some(pos) = buf.find(|c: char| !c.is_ascii_digit())
        && pos > 0
        && buf[pos..].starts_with(['.', ')'])
        && matches!(buf[pos + 1..].chars().next(), None | Some(' ' | '\t'))
    {
        buf.insert(pos, '\\');
    }
    buf
}

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

fn safe_link(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
}

/// Markdown to an HTML fragment with the rules above.
pub fn to_html(md: &str) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut link_stack: Vec<bool> = Vec::new();
    for ev in Parser::new_ext(md, options()) {
        match ev {
            Event::Html(t) | Event::InlineHtml(t) => events.push(Event::Text(t)),
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(Tag::Link {
                dest_url,
                title,
                link_type,
                id,
            }) => {
                let keep = safe_link(&dest_url);
                link_stack.push(keep);
                if keep {
                    events.push(Event::Start(Tag::Link {
                        dest_url,
                        title,
                        link_type,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if link_stack.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            // An image shows its alt text (the Text events inside), never loads anything.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::List(Some(_))) => {
                events.push(Event::Html(CowStr::Borrowed("<ol class=\"lettered\">\n")));
            }
            Event::End(TagEnd::List(true)) => events.push(Event::Html(CowStr::Borrowed("</ol>\n"))),
            // A wide table scrolls inside its wrapper instead of widening the page on a phone.
            Event::Start(Tag::Table(align)) => {
                events.push(Event::Html(CowStr::Borrowed("<div class=\"table\">\n")));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            // Headings inside a clause would break the document outline; show them as bold lines.
            Event::Start(Tag::Heading { .. }) => events.push(Event::Html(CowStr::Borrowed(
                "<p class=\"subhead\"><strong>",
            ))),
            Event::End(TagEnd::Heading(_)) => {
                events.push(Event::Html(CowStr::Borrowed("</strong></p>\n")))
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut out, keep_short_columns_whole(events).into_iter());
    out
}

/// Longest cell text of a column whose cells are kept on one line.
const SHORT_CELL: usize = 30;

/// Wrap the body cells of a table column whose body cells are all short ("één (1) werkdag",
/// "EUR 25.000,-") in `<span class="nw">`, so the browser does not break such a value over two
/// lines to give a neighbouring column of running text a little more room.
fn keep_short_columns_whole(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // Pass 1: per table, the longest body cell of each column.
    let mut longest: Vec<Vec<usize>> = Vec::new();
    let (mut head, mut col, mut len) = (false, 0, 0);
    for ev in &events {
        match ev {
            Event::Start(Tag::Table(_)) => longest.push(Vec::new()),
            Event::Start(Tag::TableHead) => (head, col) = (true, 0),
            Event::End(TagEnd::TableHead) => head = false,
            Event::Start(Tag::TableRow) => col = 0,
            Event::Start(Tag::TableCell) => len = 0,
            Event::Text(t) | Event::Code(t) => len += t.chars().count(),
            Event::End(TagEnd::TableCell) => {
                if let Some(cols) = longest.last_mut().filter(|_| !head) {
                    if cols.len() <= col {
                        cols.resize(col + 1, 0);
                    }
                    cols[col] = cols[col].max(len);
                }
                col += 1;
            }
            _ => {}
        }
    }
    if longest.is_empty() {
        return events;
    }
    // Pass 2: the spans, in body cells only (a long header may still wrap).
    let mut out = Vec::with_capacity(events.len() + 16);
    let (mut table, mut col, mut short) = (0, 0, false);
    for ev in events {
        match ev {
            Event::Start(Tag::Table(_)) => {
                table += 1;
                out.push(ev);
            }
            Event::Start(Tag::TableHead) => {
                (head, col) = (true, 0);
                out.push(ev);
            }
            Event::End(TagEnd::TableHead) => {
                head = false;
                out.push(ev);
            }
            Event::Start(Tag::TableRow) => {
                col = 0;
                out.push(ev);
            }
            Event::Start(Tag::TableCell) => {
                short = !head
                    && longest
                        .get(table - 1)
                        .and_then(|cols| cols.get(col))
                        .is_some_and(|n| *n <= SHORT_CELL);
                out.push(ev);
                if short {
                    out.push(Event::Html(CowStr::Borrowed("<span class=\"nw\">")));
                }
            }
            Event::End(TagEnd::TableCell) => {
                if short {
                    out.push(Event::Html(CowStr::Borrowed("</span>")));
                }
                col += 1;
                out.push(ev);
            }
            other => out.push(other),
        }
    }
    out
}

/// How `to_text` marks emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    /// No markup at all: for diffs, lints and e-mail.
    Plain,
    /// Light Markdown (emphasis, links) for the `.md` output.
    Markdown,
    /// Plain, with every in-document reference replaced by its target id: two texts that
    /// differ only in renumbered references compare equal.
    RefIds,
}

/// Markdown to readable text: paragraphs separated by blank lines, ordered list items as
/// "a. ", nested ones as "i. ", bullets as "- ".
pub fn to_text(md: &str, style: TextStyle) -> String {
    let mut out = String::with_capacity(md.len());
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link_dest: Vec<String> = Vec::new();
    let md_style = style == TextStyle::Markdown;
    let mut muted = 0usize;
    // The open table: cells are written to `out` like any text, then cut off into `row`.
    let mut table: Option<Table> = None;
    let mut cell_start = 0;
    for ev in Parser::new_ext(md, options()) {
        match ev {
            Event::Start(Tag::Table(align)) => {
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
                }
                table = Some(Table {
                    align,
                    ..Table::default()
                });
            }
            Event::Start(Tag::TableCell) => cell_start = out.len(),
            Event::End(TagEnd::TableCell) => {
                let cell = out.split_off(cell_start.min(out.len()));
                if let Some(t) = table.as_mut() {
                    t.row.push(cell.replace('\n', " ").trim().to_string());
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    t.write(md_style, &mut out);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                // In Markdown output, text must stay text: parsing unescaped it, so escape again.
                if muted == 0 && md_style {
                    out.push_str(&escape(&t))
                } else if muted == 0 {
                    out.push_str(&t)
                }
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => out.push_str("\n\n"),
            Event::Start(Tag::Heading { .. }) if md_style => out.push_str("**"),
            Event::End(TagEnd::Heading(_)) => {
                if md_style {
                    out.push_str("**");
                }
                out.push_str("\n\n");
            }
            Event::Start(Tag::List(start)) => {
                if !out.is_empty() && !out.ends_with("\n\n") && !out.ends_with('\n') {
                    out.push('\n');
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"   ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = if depth.is_multiple_of(2) {
                            letter(*n)
                        } else {
                            roman(*n)
                        };
                        out.push_str(&format!("{marker}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) => {
                while out.ends_with("\n\n") {
                    out.pop();
                }
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                // "a." is no Markdown list marker: a blank line keeps items apart in viewers.
                if md_style {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) if md_style => out.push('*'),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) if md_style => {
                out.push_str("**")
            }
            Event::Start(Tag::Link { dest_url, .. })
                if style == TextStyle::RefIds && dest_url.starts_with('#') =>
            {
                out.push_str(&format!("⟦{}⟧", &dest_url[1..]));
                muted += 1;
                link_dest.push(String::from("#"));
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if md_style && safe_link(&dest_url) && !dest_url.starts_with('#') {
                    out.push('[');
                    link_dest.push(dest_url.to_string());
                } else {
                    link_dest.push(String::new());
                }
            }
            Event::End(TagEnd::Link) => match link_dest.pop().as_deref() {
                Some("#") => muted = muted.saturating_sub(1),
                Some("") | None => {}
                Some(d) => out.push_str(&format!("]({d})")),
            },
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// A table's cells as text, header row first.
#[derive(Default)]
struct Table {
    align: Vec<Alignment>,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
}

impl Table {
    /// As a GFM table (Markdown output, columns padded so the source reads as a table too),
    /// or as plain lines with cells between ` | `.
    fn write(&self, md_style: bool, out: &mut String) {
        let cols = self
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(self.align.len());
        if cols == 0 {
            return;
        }
        fn cell(r: &[String], c: usize) -> &str {
            r.get(c).map(String::as_str).unwrap_or("")
        }
        if !md_style {
            for r in &self.rows {
                let cells: Vec<&str> = (0..cols).map(|c| cell(r, c)).collect();
                out.push_str(cells.join(" | ").trim_end());
                out.push('\n');
            }
            out.push('\n');
            return;
        }
        let width = |c: usize| {
            self.rows
                .iter()
                .map(|r| cell(r, c).chars().count())
                .max()
                .unwrap_or(0)
                .max(3)
        };
        let widths: Vec<usize> = (0..cols).map(width).collect();
        let line = |r: &[String]| {
            let mut s = String::from("|");
            for (c, w) in widths.iter().enumerate() {
                let t = cell(r, c);
                let pad = w - t.chars().count();
                let (left, right) = match self.align.get(c) {
                    Some(Alignment::Right) => (pad, 0),
                    Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                s.push_str(&format!(" {}{t}{} |", " ".repeat(left), " ".repeat(right)));
            }
            s + "\n"
        };
        let mut rows = self.rows.iter();
        if let Some(header) = rows.next() {
            out.push_str(&line(header));
        }
        out.push('|');
        for (c, w) in widths.iter().enumerate() {
            let dashes = |n: usize| "-".repeat(n);
            let rule = match self.align.get(c) {
                Some(Alignment::Left) => format!(":{}", dashes(w - 1)),
                Some(Alignment::Center) => format!(":{}:", dashes(w - 2)),
                Some(Alignment::Right) => format!("{}:", dashes(w - 1)),
                _ => dashes(*w),
            };
            out.push_str(&format!(" {rule} |"));
        }
        out.push('\n');
        for r in rows {
            out.push_str(&line(r));
        }
        out.push('\n');
    }
}

fn letter(n: u64) -> String {
    // a..z, then aa, ab, ...: more than 26 list items in a clause is rare but must not panic.
    let mut n = n.max(1) - 1;
    let mut s = Vec::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.iter().rev().collect()
}

fn roman(n: u64) -> String {
    const TABLE: &[(u64, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut n = n.max(1);
    let mut s = String::new();
    for &(v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value as a clause inserts it (Tera's escape function).
    fn value(v: &str) -> String {
        let mut out = Vec::new();
        escape_into(v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escaped_values_stay_text_at_the_edges_of_a_line() {
        // Found by the clause_body fuzz target: line breaks become blanks, and four blanks
        // at the start of a line made the value a code block.
        for v in [
            "\n\n\n\n`x`",
            "    code",
            " # heading",
            "  - item",
            " 1. item",
            "1.\titem",
            "1)\titem",
            "\t> quote",
            "  ===",
        ] {
            let html = to_html(&value(v));
            assert!(
                html.starts_with("<p>") && html.matches('<').count() == 2,
                "{v:?} as {:?}: {html}",
                value(v)
            );
        }
        // Two blanks before the line break after a value would make it a hard break.
        let html = to_html(&format!("{}\nverder", value("naam  ")));
        assert!(!html.contains("<br"), "{html}");
        // The blanks are still there, as text.
        let md = format!("Zie {} hier.", value("  a  "));
        assert_eq!(to_text(&md, TextStyle::Plain), "Zie   a   hier.");
        // Runs of text inside a line keep plain blanks.
        assert_eq!(escape(" a "), " a ");
        assert_eq!(value("1. x"), "1\\. x");
    }

    #[test]
    fn raw_html_is_text() {
        let html = to_html("Hello <script>alert(1)</script> world");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn unsafe_links_are_dropped() {
        let html = to_html("[click](javascript:alert(1)) and [ok](https://example.nl)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://example.nl\""));
        assert!(html.contains("click"));
    }

    #[test]
    fn ordered_lists_are_lettered() {
        let md = "Intro:\n\n1. first\n2. second\n   1. inner\n";
        assert!(to_html(md).contains("<ol class=\"lettered\">"));
        let text = to_text(md, TextStyle::Plain);
        assert!(text.contains("a. first"), "{text}");
        assert!(text.contains("b. second"), "{text}");
        assert!(text.contains("i. inner"), "{text}");
    }

    #[test]
    fn references_become_ids() {
        let md = "zie [artikel 5.1](#liability.cap) en [site](https://x.nl)";
        assert_eq!(
            to_text(md, TextStyle::RefIds),
            "zie ⟦liability.cap⟧ en site"
        );
        assert_eq!(to_text(md, TextStyle::Plain), "zie artikel 5.1 en site");
        assert_eq!(
            to_text(md, TextStyle::Markdown),
            "zie artikel 5.1 en [site](https://x.nl)"
        );
    }

    const TABLE: &str = "Tijden:\n\n| Prioriteit | Omschrijving | Reactietijd |\n\
                         |:--|:-:|--:|\n| 1 | *kritiek* \\| dringend | 1 uur |\n| 2 | hoog |\n\nSlot.";

    #[test]
    fn tables_are_wrapped_in_html() {
        let html = to_html(TABLE);
        assert!(html.contains("<div class=\"table\">\n<table>"), "{html}");
        assert!(html.contains("</table>\n</div>"), "{html}");
        assert!(
            html.contains("<th style=\"text-align: center\">Omschrijving</th>"),
            "{html}"
        );
        // A column of short values stays on one line; running text may wrap.
        assert!(
            html.contains("<td style=\"text-align: right\"><span class=\"nw\">1 uur</span></td>"),
            "{html}"
        );
        assert!(
            html.contains("<th style=\"text-align: right\">Reactietijd</th>"),
            "{html}"
        );
        let long =
            to_html("| a | b |\n|---|---|\n| kort | een cel met meer dan dertig tekens erin |\n");
        assert!(
            long.contains("<td><span class=\"nw\">kort</span></td>"),
            "{long}"
        );
        assert!(long.contains("<td>een cel met meer"), "{long}");
    }

    #[test]
    fn tables_stay_tables_in_markdown() {
        assert_eq!(
            to_text(TABLE, TextStyle::Markdown),
            "Tijden:\n\n\
             | Prioriteit |     Omschrijving      | Reactietijd |\n\
             | :--------- | :-------------------: | ----------: |\n\
             | 1          | *kritiek* \\| dringend |       1 uur |\n\
             | 2          |         hoog          |             |\n\n\
             Slot."
        );
        // What the Markdown output writes reads back as the same table.
        let md = to_text(TABLE, TextStyle::Markdown);
        assert_eq!(to_html(&md), to_html(TABLE));
    }

    #[test]
    fn tables_as_plain_text() {
        assert_eq!(
            to_text(TABLE, TextStyle::Plain),
            "Tijden:\n\nPrioriteit | Omschrijving | Reactietijd\n1 | kritiek | dringend | 1 uur\n2 | hoog |\n\nSlot."
        );
    }

    #[test]
    fn letters_past_z() {
        assert_eq!(letter(1), "a");
        assert_eq!(letter(26), "z");
        assert_eq!(letter(27), "aa");
        assert_eq!(roman(4), "iv");
    }
}
