//! The editor's loop: time from a saved clause edit to the rebuilt HTML on disk, for the
//! repository's example project (debounce not included: it waits 25 ms of quiet).
//! Run: `cargo bench --bench watch`.

use std::path::{Path, PathBuf};

use clausebook::build::{Format, Selection};
use clausebook::watch::Session;
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/mod.rs"]
mod common;
use common::copy_dir;

fn edit_to_html(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for d in ["clauses", "examples", "templates"] {
        copy_dir(&repo.join(d), &root.join(d));
    }
    std::fs::copy(repo.join("clausebook.yaml"), root.join("clausebook.yaml")).unwrap();
    let session = Session {
        root: root.clone(),
        selection: Selection::default(),
        formats: vec![Format::Html, Format::Md],
        out: None,
    };
    session.rebuild(None, |_| {});
    let clause: PathBuf = root
        .join("clauses/75-liability/04-intent.md")
        .canonicalize()
        .unwrap();
    let original = std::fs::read_to_string(&clause).unwrap();
    let mut n = 0u64;
    c.bench_function(
        "clause edit to rebuilt HTML (example, vendor documents)",
        |b| {
            b.iter(|| {
                n += 1;
                std::fs::write(&clause, format!("{original}\nRevisie {n}.\n")).unwrap();
                session.rebuild(Some(std::slice::from_ref(&clause)), |o| {
                    assert_eq!(o.errors, 0, "{}", o.report)
                });
            })
        },
    );
    let html = std::fs::read_to_string(root.join("out/breinstorm/terms.html")).unwrap();
    assert!(
        html.contains(&format!("Revisie {n}.")),
        "the last edit reached the HTML"
    );
}

criterion_group!(benches, edit_to_html);
criterion_main!(benches);
