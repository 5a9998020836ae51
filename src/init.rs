//! `clausebook init DIR`: a new terms project that builds at once and shows each feature by
//! example (parameters of several types, a definitions module, a `when` condition, a
//! cross-reference, an ordered list, a vendor's own clause and a customer override).

use std::path::Path;

/// The starter project, embedded in the binary: (path, text).
const FILES: &[(&str, &str)] = &[
    (
        "clausebook.yaml",
        include_str!("../templates/init/clausebook.yaml"),
    ),
    (
        "clauses/00-definitions/agreement.md",
        include_str!("../templates/init/clauses/00-definitions/agreement.md"),
    ),
    (
        "clauses/00-definitions/customer.md",
        include_str!("../templates/init/clauses/00-definitions/customer.md"),
    ),
    (
        "clauses/00-definitions/module.yaml",
        include_str!("../templates/init/clauses/00-definitions/module.yaml"),
    ),
    (
        "clauses/00-definitions/service.md",
        include_str!("../templates/init/clauses/00-definitions/service.md"),
    ),
    (
        "clauses/10-service/01-availability.md",
        include_str!("../templates/init/clauses/10-service/01-availability.md"),
    ),
    (
        "clauses/10-service/02-support.md",
        include_str!("../templates/init/clauses/10-service/02-support.md"),
    ),
    (
        "clauses/10-service/module.yaml",
        include_str!("../templates/init/clauses/10-service/module.yaml"),
    ),
    (
        "clauses/20-liability/01-cap.md",
        include_str!("../templates/init/clauses/20-liability/01-cap.md"),
    ),
    (
        "clauses/20-liability/02-intent.md",
        include_str!("../templates/init/clauses/20-liability/02-intent.md"),
    ),
    (
        "clauses/20-liability/03-insurance.md",
        include_str!("../templates/init/clauses/20-liability/03-insurance.md"),
    ),
    (
        "clauses/20-liability/module.yaml",
        include_str!("../templates/init/clauses/20-liability/module.yaml"),
    ),
    (
        "customers/example/bakkerij.yaml",
        include_str!("../templates/init/customers/example/bakkerij.yaml"),
    ),
    (
        "documents/terms.yaml",
        include_str!("../templates/init/documents/terms.yaml"),
    ),
    (".gitignore", include_str!("../templates/init/gitignore")),
    (
        "vendors/example.yaml",
        include_str!("../templates/init/vendors/example.yaml"),
    ),
    (
        "vendors/example/backup.md",
        include_str!("../templates/init/vendors/example/backup.md"),
    ),
];

pub fn init(dir: &Path) -> crate::exit::Exit {
    match run(dir) {
        Ok(()) => {
            eprintln!(
                "created a terms project in {}\nnext: cd {} && clausebook build   (or clausebook serve for a live preview)",
                dir.display(),
                dir.display()
            );
            Ok(crate::exit::Outcome::Success)
        }
        Err(e) => Err(crate::exit::Fatal::input(e)),
    }
}

fn run(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "`{}` is not empty; init only writes into a new or empty directory, so nothing of yours is overwritten",
                dir.display()
            ));
        }
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
    }
    Ok(())
}
