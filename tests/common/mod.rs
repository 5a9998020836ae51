//! Helpers shared by the integration-test binaries (and the watch benchmark).

use std::path::Path;

/// Copy a fixture project, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// What a run of the binary gave.
#[allow(dead_code)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `clausebook --root <root> --color never <args>` with a fixed clock.
#[allow(dead_code)]
pub fn run(root: &Path, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1704067200")
        .output()
        .expect("cannot start clausebook");
    Run {
        code: out.status.code().expect("killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The text of a PDF, by poppler's `pdftotext` (in reading order, lines as laid out).
#[allow(dead_code)]
pub fn pdf_text(path: &Path) -> String {
    let o = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-raw"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for the PDF tests");
    assert!(o.status.success(), "pdftotext failed on {}", path.display());
    // A word hyphenated at a line end comes out as "ver\u{ad}\ntegenwoordigd": join it.
    String::from_utf8_lossy(&o.stdout)
        .replace('\u{a0}', " ")
        .replace("\u{ad}\n", "")
        .replace('\u{ad}', "")
}

/// A copy of the repository's own project (library, examples, clausebook.yaml), so that
/// builds write into a temporary directory and tests can edit it.
#[allow(dead_code)]
pub fn repo_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for d in ["clauses", "examples"] {
        copy_dir(&repo.join(d), &dir.path().join(d));
    }
    std::fs::copy(
        repo.join("clausebook.yaml"),
        dir.path().join("clausebook.yaml"),
    )
    .unwrap();
    dir
}
