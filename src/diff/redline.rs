//! Word-level redlines with `similar`.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

/// Diff two texts word by word. Changes separated only by a space are joined, so a
/// replaced phrase reads `[-per gebeurtenis-]{+in totaal+}`, not word by word.
pub fn words(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::from_words(old, new);
    let changes: Vec<(Op, &str)> = diff
        .iter_all_changes()
        .map(|c| {
            let op = match c.tag() {
                ChangeTag::Equal => Op::Equal,
                ChangeTag::Delete => Op::Delete,
                ChangeTag::Insert => Op::Insert,
            };
            (op, c.value())
        })
        .collect();
    let mut out: Vec<Segment> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<Segment>, del: &mut String, ins: &mut String| {
        for (op, text) in [(Op::Delete, del), (Op::Insert, ins)] {
            if !text.is_empty() {
                out.push(Segment {
                    op,
                    text: std::mem::take(text),
                });
            }
        }
    };
    for (i, (op, text)) in changes.iter().enumerate() {
        match op {
            Op::Delete => del.push_str(text),
            Op::Insert => ins.push_str(text),
            Op::Equal => {
                let joins = text.trim().is_empty()
                    && !del.is_empty()
                    && !ins.is_empty()
                    && changes.get(i + 1).is_some_and(|(o, _)| *o != Op::Equal);
                if joins {
                    del.push_str(text);
                    ins.push_str(text);
                    continue;
                }
                flush(&mut out, &mut del, &mut ins);
                match out.last_mut() {
                    Some(last) if last.op == Op::Equal => last.text.push_str(text),
                    _ => out.push(Segment {
                        op: Op::Equal,
                        text: text.to_string(),
                    }),
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_words() {
        let r = words(
            "betaalt binnen veertien dagen",
            "betaalt binnen dertig dagen",
        );
        let ins: Vec<&str> = r
            .iter()
            .filter(|s| s.op == Op::Insert)
            .map(|s| s.text.as_str())
            .collect();
        let del: Vec<&str> = r
            .iter()
            .filter(|s| s.op == Op::Delete)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(ins, vec!["dertig"]);
        assert_eq!(del, vec!["veertien"]);
    }

    #[test]
    fn joins_phrases() {
        let r = words("is per gebeurtenis beperkt", "is in totaal beperkt");
        let text: String = r
            .iter()
            .map(|s| match s.op {
                Op::Equal => s.text.clone(),
                Op::Delete => format!("[-{}-]", s.text),
                Op::Insert => format!("{{+{}+}}", s.text),
            })
            .collect();
        assert_eq!(text, "is [-per gebeurtenis-]{+in totaal+} beperkt");
    }
}
