//! Load + check + assemble + HTML for the repository's example documents.
//! Run: `cargo bench --bench pipeline`.
#![allow(clippy::result_large_err)]

use std::hint::black_box;
use std::path::Path;

use clausebook::assemble::{Assembler, Target};
use clausebook::load;
use clausebook::render::{html, templates::OutputTemplates};
use criterion::{Criterion, criterion_group, criterion_main};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn first_target(p: &load::Project) -> Target<'_> {
    let vendor = p.vendors.values().next().expect("an example vendor");
    // A contract is built for customers only: the first document of another kind.
    let doc = p
        .documents
        .values()
        .find(|d| d.kind != load::DocKind::Contract)
        .expect("an example document");
    Target {
        vendor,
        customer: None,
        doc,
    }
}

fn pipeline(c: &mut Criterion) {
    c.bench_function("load project", |b| {
        b.iter(|| black_box(load::load(root()).expect("loads")))
    });

    let (project, _) = load::load(root()).expect("loads");
    c.bench_function("prepare (templates + static checks)", |b| {
        b.iter(|| black_box(Assembler::new(&project)))
    });

    let (assembler, _) = Assembler::new(&project);
    let (templates, _) = OutputTemplates::load(&project);
    let target = first_target(&project);
    c.bench_function("assemble one document", |b| {
        b.iter(|| black_box(assembler.assemble(target)))
    });
    let doc = assembler.assemble(target).0.expect("assembles");
    c.bench_function("render HTML", |b| {
        b.iter(|| black_box(html::render(&doc, &templates)))
    });

    c.bench_function("end to end: load + check + assemble + HTML", |b| {
        b.iter(|| {
            let (project, _) = load::load(root()).expect("loads");
            let (assembler, _) = Assembler::new(&project);
            let (templates, _) = OutputTemplates::load(&project);
            let doc = assembler
                .assemble(first_target(&project))
                .0
                .expect("assembles");
            black_box(html::render(&doc, &templates))
        })
    });
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
