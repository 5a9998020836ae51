//! How much of Typst's work one PDF reuses from the one before, in one engine: the
//! Breinstorm terms cold, the same again, and variants that change one thing each (the
//! title, which every page footer shows; a clause at the end; a clause near the start; a
//! vendor field on the title page). Run: `cargo bench --bench reuse`. A variant should cost
//! a fraction of the cold compile; if it costs as much, something in the template captures
//! per-document data in a style every element inherits (see the footer in
//! `templates/document.typ`).
use chrono::NaiveDate;
use clausebook::assemble::{Assembler, Target};
use clausebook::load;
use clausebook::render::pdf::{PdfEngine, PdfOptions};
use std::path::Path;
use std::time::Instant;

fn main() {
    // The repository is itself a terms project.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (project, _) = load::load(root).unwrap();
    let (assembler, _) = Assembler::new(&project);
    let vendor = &project.vendors["breinstorm"];
    let doc = &project.documents["terms"];
    let a = assembler
        .assemble(Target {
            vendor,
            customer: None,
            doc,
        })
        .0
        .unwrap();
    let (engine, _) = PdfEngine::for_project(&project);
    let opts = PdfOptions {
        pdfa: false,
        timestamp: NaiveDate::from_ymd_opt(2025, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
    };
    let time = |label: &str, d: &clausebook::assemble::Assembled| {
        let t = Instant::now();
        engine.pdf(d, &opts).unwrap();
        eprintln!("{label}: {:?}", t.elapsed());
    };
    time("cold", &a);
    time("same again", &a);
    let mut b = a.clone();
    b.title.push_str(" X");
    time("title changed", &b);
    let mut c = a.clone();
    let last = c.articles.len() - 1;
    c.articles[last].clauses[0].markdown.push_str(" extra");
    time("last clause changed", &c);
    let mut d = a.clone();
    d.articles[1].clauses[0].markdown.push_str(" extra");
    time("article 2 clause changed", &d);
    let mut e = a.clone();
    e.vendor.fields.insert("city".into(), "Elders".into());
    time("vendor city changed", &e);
    time("same as first again", &a);
}
