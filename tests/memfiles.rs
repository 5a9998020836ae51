//! A project held in memory (`source::MemFiles`) loads, checks and renders exactly as the same
//! project on disk: the loader reads only through the project's `Files`.

use std::path::Path;
use std::sync::Arc;

use clausebook::assemble::{Assembler, Target};
use clausebook::load;
use clausebook::render::templates::OutputTemplates;
use clausebook::source::{Files, MemFiles};

fn add_dir(mem: &mut MemFiles, root: &Path, rel: &Path) {
    for e in std::fs::read_dir(root.join(rel)).unwrap() {
        let e = e.unwrap();
        let child = rel.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            add_dir(mem, root, &child);
        } else {
            mem.insert(child.to_str().unwrap(), std::fs::read(e.path()).unwrap());
        }
    }
}

/// Every contract of a project as HTML, in a stable order.
fn all_html(project: &load::Project) -> Vec<String> {
    let (assembler, diags) = Assembler::new(project);
    assert!(!diags.has_errors());
    let (templates, d) = OutputTemplates::load(project);
    assert!(!d.has_errors());
    let mut out = Vec::new();
    for vendor in project.vendors.values() {
        let customers = std::iter::once(None).chain(vendor.customers.values().map(Some));
        for customer in customers {
            for doc in project.documents.values() {
                let (a, d) = assembler.assemble(Target {
                    vendor,
                    customer,
                    doc,
                });
                assert!(!d.has_errors());
                if let Some(a) = a {
                    out.push(clausebook::render::html::render(&a, &templates).unwrap());
                }
            }
        }
    }
    out
}

#[test]
fn a_project_in_memory_renders_as_on_disk() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let mut mem = MemFiles::new();
    add_dir(&mut mem, &root, Path::new(""));
    let mem = Arc::new(mem);
    let (in_memory, diags) = load::load_from(mem.clone(), "/nonexistent/project".into()).unwrap();
    assert!(!diags.has_errors());
    let (on_disk, diags) = load::load(&root).unwrap();
    assert!(!diags.has_errors());
    let html = all_html(&in_memory);
    assert!(!html.is_empty());
    assert_eq!(html, all_html(&on_disk));
    // Every file was read through the door and recorded.
    let reads = mem.reads();
    assert!(reads.contains_key("clausebook.yaml"));
    assert!(reads.keys().any(|k| k.starts_with("clauses/")));
}

#[test]
fn paths_out_of_an_in_memory_project_are_refused() {
    let mut mem = MemFiles::new();
    mem.insert("clausebook.yaml", "clauses: ../elsewhere\n");
    let (_, diags) = load::load_from(Arc::new(mem), "/p".into()).unwrap();
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("must be a path inside the project")),
        "{messages:?}"
    );
}
