//! PDF output: one document through `PdfEngine`, the same Typst input through a plain World
//! (the floor: compile only, and compile + export), and a batch of 100 contracts, sequential
//! and with rayon. Run: `cargo bench --bench pdf`.
//!
//! Typst memoises across compilations (comemo). "cold" runs evict that cache before every
//! iteration, as a fresh `clausebook build` process would start; "warm" runs do not, as for
//! the second and later documents of one build.
#![allow(clippy::result_large_err)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use clausebook::assemble::model::PartyData;
use clausebook::assemble::{Assembled, Assembler, Target};
use clausebook::load;
use clausebook::render::pdf::{BUILTIN_TEMPLATE, PdfEngine, PdfOptions};
use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use typst::comemo;
use typst::diag::FileResult;
use typst::foundations::{Bytes, Datetime, Duration as TypstDuration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
}

fn example() -> Assembled {
    let (project, _) = load::load(&root()).expect("the fixture loads");
    let (assembler, _) = Assembler::new(&project);
    let vendor = &project.vendors["wolkenwerk"];
    let target = Target {
        vendor,
        customer: Some(&vendor.customers["bakkerij"]),
        doc: &project.documents["terms"],
    };
    assembler.assemble(target).0.expect("assembles")
}

/// 100 contracts: the example for 100 different customers.
fn batch(doc: &Assembled) -> Vec<Assembled> {
    (1..=100)
        .map(|i| {
            let mut d = doc.clone();
            let mut fields = indexmap::IndexMap::new();
            fields.insert("name".to_string(), format!("Klant nummer {i} B.V."));
            d.customer = Some(PartyData {
                id: format!("klant-{i}"),
                fields,
            });
            d
        })
        .collect()
}

fn options() -> PdfOptions {
    PdfOptions {
        pdfa: false,
        timestamp: NaiveDate::from_ymd_opt(2025, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
    }
}

/// The floor: a plain World that serves one self-contained main file (`PdfEngine::markup`:
/// template + data literal) and the embedded fonts, nothing else.
struct PlainWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
}

impl PlainWorld {
    fn new(markup: String) -> PlainWorld {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|d| Font::iter(Bytes::new(d)))
            .collect();
        let id = RootedPath::new(
            VirtualRoot::Project,
            VirtualPath::new("/main.typ").expect("path"),
        )
        .intern();
        PlainWorld {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main: Source::new(id, markup),
        }
    }
}

impl World for PlainWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(typst::diag::FileError::NotSource)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Err(typst::diag::FileError::NotFound(
            id.vpath().get_with_slash().into(),
        ))
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _: Option<TypstDuration>) -> Option<Datetime> {
        Datetime::from_ymd(2025, 3, 1)
    }
}

fn compile(world: &PlainWorld) -> PagedDocument {
    typst::compile::<PagedDocument>(world)
        .output
        .expect("compiles")
}

fn pdf(c: &mut Criterion) {
    let doc = example();
    let engine = PdfEngine::new(
        &root(),
        BUILTIN_TEMPLATE.to_string(),
        "templates/document.typ".into(),
    );
    let opts = options();
    let pages = compile(&PlainWorld::new(engine.markup(&doc))).pages().len();
    eprintln!("example: {pages} pages");

    c.bench_function("PdfEngine::new", |b| {
        b.iter(|| {
            black_box(PdfEngine::new(
                &root(),
                BUILTIN_TEMPLATE.to_string(),
                "templates/document.typ".into(),
            ))
        })
    });
    c.bench_function("markup (data + template text)", |b| {
        b.iter(|| black_box(engine.markup(&doc)))
    });

    let mut one = c.benchmark_group("one PDF");
    one.sample_size(20);
    one.bench_function("PdfEngine::pdf, cold", |b| {
        b.iter(|| {
            comemo::evict(0);
            black_box(engine.pdf(&doc, &opts).expect("pdf"))
        })
    });
    one.bench_function("PdfEngine::pdf, warm", |b| {
        b.iter(|| black_box(engine.pdf(&doc, &opts).expect("pdf")))
    });
    let world = PlainWorld::new(engine.markup(&doc));
    one.bench_function("plain World: compile only, cold", |b| {
        b.iter(|| {
            comemo::evict(0);
            black_box(compile(&world))
        })
    });
    one.bench_function("plain World: compile + export, cold", |b| {
        b.iter(|| {
            comemo::evict(0);
            let d = compile(&world);
            black_box(typst_pdf::pdf(&d, &typst_pdf::PdfOptions::default()).expect("export"))
        })
    });
    let compiled = compile(&world);
    one.bench_function("export only (typst-pdf)", |b| {
        b.iter(|| {
            black_box(typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).expect("export"))
        })
    });
    one.finish();

    let docs = batch(&doc);
    let mut many = c.benchmark_group("100 contracts");
    many.sample_size(10);
    many.measurement_time(Duration::from_secs(30));
    many.bench_function("sequential", |b| {
        b.iter(|| {
            comemo::evict(0);
            for d in &docs {
                black_box(engine.pdf(d, &opts).expect("pdf"));
            }
        })
    });
    many.bench_function("rayon", |b| {
        b.iter(|| {
            comemo::evict(0);
            docs.par_iter().for_each(|d| {
                black_box(engine.pdf(d, &opts).expect("pdf"));
            })
        })
    });
    many.finish();

    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM"))
    {
        eprintln!("peak memory: {}", line.trim_start_matches("VmHWM:").trim());
    }
}

criterion_group!(benches, pdf);
criterion_main!(benches);
