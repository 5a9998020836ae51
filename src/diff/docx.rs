//! `diff --format docx`: the newer edition as a Word document in which every change since the
//! older one is a tracked change (author: the vendor; date: the newer edition's effective
//! date). Accepting them all gives the newer edition's text; rejecting them all, the older's.
//! A moved clause and a clause changed by a parameter carry a comment saying so.

use std::collections::HashMap;

use super::redline::{Op, words};
use super::{ClauseChange, DocDiff};
use crate::assemble::Assembled;
use crate::assemble::model::{Article, ClauseOut, DocKind};
use crate::diagnostics::Diagnostic;
use crate::render::docx::body::Writer;
use crate::render::docx::revisions::{Rev, plain, with_comment};
use crate::render::docx::{DocxStyle, package_doc};

/// `letter`: Markdown written before the document (the change notice's letter), if any.
pub fn render(
    old: &Assembled,
    new: &Assembled,
    d: &DocDiff,
    style: &DocxStyle,
    letter: Option<&str>,
) -> Result<Vec<u8>, Diagnostic> {
    let rev = Rev {
        author: new.vendor.name().to_string(),
        date: new
            .effective
            .map(|e| format!("{}T00:00:00Z", e.format("%Y-%m-%d"))),
    };
    let old_articles: HashMap<&str, &Article> =
        old.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let new_articles: HashMap<&str, &Article> =
        new.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut w = Writer::new(new);
    let numbers = w.begin_doc(new, true);
    if let Some(md) = letter {
        w.letter(md);
    }
    w.title_block(new, None);
    w.parties(new);
    if !new.articles.is_empty() {
        w.toc(new, numbers);
    }
    let mut comments: Vec<(u32, String)> = Vec::new();
    let was = match new.locale {
        crate::params::Locale::Nl => ("Verplaatst; was", "Gewijzigde waarde"),
        crate::params::Locale::En => ("Moved; was", "Changed value"),
    };
    for ad in &d.articles {
        let (o, n) = (
            old_articles.get(ad.id.as_str()).copied(),
            new_articles.get(ad.id.as_str()).copied(),
        );
        let Some(article) = n.or(o) else { continue };
        // The heading: inserted, deleted, retitled or as it is.
        let (mark, runs) = match (o, n) {
            (None, Some(a)) => {
                let id = w.id();
                let mid = w.id();
                (Some(rev.mark_ins(mid)), Some(rev.ins(id, &a.title)))
            }
            (Some(a), None) => {
                let id = w.id();
                let mid = w.id();
                (Some(rev.mark_del(mid)), Some(rev.del(id, &a.title)))
            }
            (Some(x), Some(y)) if x.title != y.title => {
                (None, Some(segments(&mut w, &rev, &x.title, &y.title)))
            }
            _ => (None, None),
        };
        w.heading(article, numbers, mark, runs);
        let old_clauses: HashMap<&str, &ClauseOut> = o
            .map(|a| a.clauses.iter().map(|c| (c.id.as_str(), c)).collect())
            .unwrap_or_default();
        let new_clauses: HashMap<&str, &ClauseOut> = n
            .map(|a| a.clauses.iter().map(|c| (c.id.as_str(), c)).collect())
            .unwrap_or_default();
        for cd in &ad.clauses {
            let (oc, nc) = (
                old_clauses.get(cd.id.as_str()).copied(),
                new_clauses.get(cd.id.as_str()).copied(),
            );
            let xml = match (oc, nc, cd.change) {
                (None, Some(c), _) => {
                    let id = w.id();
                    let mid = w.id();
                    let runs = rev.ins(id, &c.text);
                    w.clause_para(c, numbers, &runs, Some(rev.mark_ins(mid)))
                }
                (Some(c), None, _) => {
                    let id = w.id();
                    let mid = w.id();
                    let runs = rev.del(id, &c.text);
                    w.clause_para(c, numbers, &runs, Some(rev.mark_del(mid)))
                }
                (Some(x), Some(y), _) if x.text != y.text => {
                    let runs = segments(&mut w, &rev, &x.text, &y.text);
                    let p = w.clause_para(y, numbers, &runs, None);
                    if cd.change == ClauseChange::ParameterChanged && !cd.parameters.is_empty() {
                        let note = d
                            .parameters
                            .iter()
                            .filter(|p| cd.parameters.contains(&p.key))
                            .map(|p| {
                                format!(
                                    "{}: {} → {}",
                                    p.label,
                                    p.old.as_deref().unwrap_or("–"),
                                    p.new.as_deref().unwrap_or("–")
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; ");
                        let id = w.id();
                        comments.push((id, format!("{}: {note}", was.1)));
                        with_comment(&p, id)
                    } else {
                        p
                    }
                }
                (_, Some(c), change) => {
                    let xml = w.clause_xml(c, numbers);
                    if change == ClauseChange::Moved {
                        let id = w.id();
                        let from = cd.old_number.as_deref().unwrap_or("?");
                        comments.push((id, format!("{} {from}", was.0)));
                        with_comment(&xml, id)
                    } else {
                        xml
                    }
                }
                (None, None, _) => String::new(),
            };
            w.out.push_str(&xml);
        }
    }
    w.annexes(new);
    if new.kind == DocKind::Contract {
        w.negotiated(new);
    }
    if new.signature {
        w.signatures(new);
    }
    let comments = (!comments.is_empty()).then(|| rev.comments_xml(&comments));
    package_doc(new, w, style, comments)
}

/// The word-level redline of two texts as runs: unchanged, deleted and inserted.
fn segments(w: &mut Writer, rev: &Rev, old: &str, new: &str) -> String {
    let mut out = String::new();
    for s in words(old, new) {
        match s.op {
            Op::Equal => out.push_str(&plain(&s.text)),
            Op::Delete => {
                let id = w.id();
                out.push_str(&rev.del(id, &s.text));
            }
            Op::Insert => {
                let id = w.id();
                out.push_str(&rev.ins(id, &s.text));
            }
        }
    }
    out
}
