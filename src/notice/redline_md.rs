//! A redline as light Markdown that every notice format shares: deletions `~~struck~~`,
//! insertions `**bold**` (both survive black-and-white printing and plain-text e-mail),
//! paragraphs and list items kept on their own lines so a redlined list stays a list.

use crate::diff::redline::{Op, Segment};
use crate::render::markdown::escape;

/// One line of the redline: its pieces, in order.
type Line = Vec<(Op, String)>;

fn lines(segs: &[Segment]) -> Vec<Line> {
    let mut out: Vec<Line> = vec![Vec::new()];
    for s in segs {
        for (i, part) in s.text.split('\n').enumerate() {
            if i > 0 {
                out.push(Vec::new());
            }
            if !part.is_empty() {
                out.last_mut()
                    .expect("never empty")
                    .push((s.op.clone(), part.to_string()));
            }
        }
    }
    out
}

/// The list marker a plain-text line starts with ("- ", "1. ", "a. "), if any.
fn marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") {
        return Some(2);
    }
    let head = line.find(". ")?;
    let label = &line[..head];
    (!label.is_empty()
        && label.len() <= 4
        && (label.chars().all(|c| c.is_ascii_digit())
            || label.chars().all(|c| c.is_ascii_lowercase())))
    .then_some(head + 2)
}

/// Text that was wholly added or removed, marked as one piece per line.
pub fn whole(text: &str, op: Op) -> String {
    redline(&[Segment {
        op,
        text: text.to_string(),
    }])
}

pub fn redline(segs: &[Segment]) -> String {
    let mut out = Vec::new();
    for mut line in lines(segs) {
        let text: String = line.iter().map(|(_, t)| t.as_str()).collect();
        let mut prefix = String::new();
        let mut kind = if text.is_empty() {
            Kind::Blank
        } else {
            Kind::Text
        };
        if let Some(n) = marker(&text) {
            // A bullet stays a bullet; an "a." or "1." item keeps its label as text on a line
            // of its own, so the numbering the contract uses is the one the reader sees.
            let label = text[..n].trim_end();
            kind = if label == "-" {
                prefix = "- ".into();
                Kind::Bullet
            } else {
                prefix = format!("{} ", escape(label));
                Kind::Labelled
            };
            let mut cut = n;
            while cut > 0 && !line.is_empty() {
                let first = &mut line[0].1;
                if first.len() <= cut {
                    cut -= first.len();
                    line.remove(0);
                } else {
                    *first = first[cut..].to_string();
                    cut = 0;
                }
            }
        }
        let mut body = String::new();
        for (i, (op, t)) in line.iter().enumerate() {
            // Markers must hug the text: keep the spaces around them outside.
            let (lead, rest) = t.split_at(t.len() - t.trim_start().len());
            let core = rest.trim_end();
            let trail = &rest[core.len()..];
            if *op == Op::Insert
                && i > 0
                && line[i - 1].0 == Op::Delete
                && !body.ends_with(char::is_whitespace)
            {
                body.push(' ');
            }
            match op {
                _ if core.is_empty() => body.push_str(t),
                Op::Equal => body.push_str(&escape(t)),
                Op::Delete => body.push_str(&format!("{lead}~~{}~~{trail}", escape(core))),
                Op::Insert => body.push_str(&format!("{lead}**{}**{trail}", escape(core))),
            }
        }
        out.push((kind, format!("{prefix}{body}")));
    }
    // Lines of one paragraph and labelled items get hard breaks (two spaces); a list starts
    // a paragraph of its own; blank lines stay paragraph breaks.
    let mut s = String::new();
    for (i, (kind, l)) in out.iter().enumerate() {
        if i > 0 {
            let prev = out[i - 1].0;
            s.push_str(match (prev, kind) {
                (Kind::Blank, _) | (_, Kind::Blank) => "\n",
                (Kind::Bullet, Kind::Bullet) => "\n",
                (Kind::Text, Kind::Bullet | Kind::Labelled) => "\n\n",
                _ => "  \n",
            });
        }
        s.push_str(l);
    }
    s
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Text,
    Bullet,
    Labelled,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(op: Op, t: &str) -> Segment {
        Segment { op, text: t.into() }
    }

    #[test]
    fn a_redlined_list_stays_a_list() {
        let md = redline(&[
            seg(Op::Equal, "De leverancier:\n1. bevestigt binnen "),
            seg(Op::Delete, "vier uur"),
            seg(Op::Insert, "twee uur"),
            seg(Op::Equal, ";\n2. meldt het herstel."),
        ]);
        assert_eq!(
            md,
            "De leverancier:\n\n1\\. bevestigt binnen ~~vier uur~~ **twee uur**;  \n2\\. meldt het herstel."
        );
    }

    #[test]
    fn markers_hug_words_and_escape_markup() {
        let md = redline(&[
            seg(Op::Equal, "tot EUR "),
            seg(Op::Delete, "25.000,-. "),
            seg(Op::Insert, "30.000,-*"),
        ]);
        assert_eq!(md, "tot EUR ~~25.000,-.~~ **30.000,-\\***");
    }
}
