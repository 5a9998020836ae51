//! One self-contained HTML file per document: inline CSS, no external resources.

use serde::Serialize;

use super::markdown::to_html;
use super::templates::{OutputTemplates, template_error};
use crate::assemble::Assembled;
use crate::diagnostics::Diagnostic;

#[derive(Serialize)]
struct ArticleView<'a> {
    id: &'a str,
    number: u32,
    title: &'a str,
    definitions: bool,
    clauses: Vec<ClauseView<'a>>,
}

#[derive(Serialize)]
struct ClauseView<'a> {
    id: &'a str,
    number: &'a str,
    title: &'a str,
    html: String,
}

/// A document a contract holds, shown after the contract's cover as "Bijlage N".
#[derive(Serialize)]
struct AttachmentView<'a> {
    number: usize,
    doc: &'a Assembled,
    articles: Vec<ArticleView<'a>>,
    effective: Option<String>,
}

fn article_views(doc: &Assembled) -> Vec<ArticleView<'_>> {
    doc.articles
        .iter()
        .map(|a| ArticleView {
            id: &a.id,
            number: a.number,
            title: &a.title,
            definitions: a.definitions,
            clauses: a
                .clauses
                .iter()
                .map(|c| ClauseView {
                    id: &c.id,
                    number: &c.number,
                    title: &c.title,
                    html: to_html(&c.markdown),
                })
                .collect(),
        })
        .collect()
}

pub fn render(doc: &Assembled, t: &OutputTemplates) -> Result<String, Diagnostic> {
    let attachments: Vec<AttachmentView> = doc
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| AttachmentView {
            number: i + 1,
            doc: a,
            articles: article_views(a),
            effective: super::effective_text(a),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("doc", doc);
    ctx.insert("articles", &article_views(doc));
    ctx.insert("attachments", &attachments);
    ctx.insert("parties", &super::parties(doc));
    ctx.insert(
        "contract",
        &(doc.kind == crate::assemble::model::DocKind::Contract),
    );
    ctx.insert("css", &t.css);
    ctx.insert("labels", &super::labels(doc.locale));
    ctx.insert("effective", &super::effective_text(doc));
    ctx.insert("generator_version", env!("CARGO_PKG_VERSION"));
    t.tera
        .render("document.html", &ctx)
        .map_err(|e| template_error(std::path::Path::new("templates/document.html"), &e))
}
