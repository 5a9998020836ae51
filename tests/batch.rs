//! The customer batch: hundreds of contracts in one run, the build cache, the crash-safe
//! output set, the lock, shards, `clean`, and output hygiene. Each test copies
//! `tests/fixtures/good` (one small document) and generates customers into it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use tempfile::TempDir;

mod common;
use common::copy_dir;

fn project(customers: usize) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good"),
        dir.path(),
    );
    for i in 1..=customers {
        write_customer(dir.path(), i, 10_000 + i as u64);
    }
    dir
}

/// Customer `klant-<i>` with its own liability cap.
fn write_customer(root: &Path, i: usize, cap: u64) {
    let text = format!(
        "name: Klant {i} B.V.\nkvk: \"{}\"\nparameters:\n  liability.cap_amount: EUR {cap}\n",
        10_000_000 + i
    );
    fs::write(root.join(format!("customers/acme/klant-{i}.yaml")), text).unwrap();
}

fn cmd(root: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_clausebook"));
    c.arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .args(args)
        .current_dir(root);
    c
}

fn run(root: &Path, args: &[&str]) -> Output {
    cmd(root, args).output().expect("cannot start clausebook")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn ok(root: &Path, args: &[&str]) -> String {
    let o = run(root, args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stderr(&o)
}

/// Every file under `dir`, relative, `/`-separated.
fn files(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut out = BTreeSet::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out
}

fn pdf_text(path: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for the PDF tests");
    assert!(o.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Issue 9's crash: 250+ customer PDFs on one rayon thread overflowed the stack, because
/// every document was laid out on top of the one before. 300 PDFs now build, and each
/// carries its customer's own value.
#[test]
fn three_hundred_customer_pdfs_on_one_thread() {
    let p = project(300);
    let o = cmd(
        p.path(),
        &["build", "-q", "--all-customers", "--format", "pdf"],
    )
    .env("RAYON_NUM_THREADS", "1")
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = p.path().join("out/acme/customers");
    let pdfs = files(&out);
    assert_eq!(
        pdfs.len(),
        301,
        "300 generated customers and the fixture's own"
    );
    for i in [1, 150, 300] {
        let text = pdf_text(&out.join(format!("klant-{i}/terms.pdf")));
        assert!(
            text.contains(&format!("Klant {i} B.V.")),
            "customer {i}: {text}"
        );
        let cap = format!("EUR {}.{:03},-", (10_000 + i) / 1000, (10_000 + i) % 1000);
        assert!(text.contains(&cap), "customer {i} has {cap}: {text}");
    }
}

#[test]
fn second_run_renders_only_what_changed() {
    let p = project(20);
    let first = ok(
        p.path(),
        &["build", "--all-customers", "--format", "html,pdf"],
    );
    assert!(first.contains("22 document(s)"), "{first}");
    assert!(first.contains("22 rendered, 0 unchanged"), "{first}");
    let html = p.path().join("out/acme/customers/klant-7/terms.html");
    let untouched = p.path().join("out/acme/customers/klant-8/terms.pdf");
    let before = fs::metadata(&untouched).unwrap().modified().unwrap();

    let again = ok(
        p.path(),
        &["build", "--all-customers", "--format", "html,pdf"],
    );
    assert!(again.contains("0 rendered, 22 unchanged"), "{again}");

    write_customer(p.path(), 7, 77_777);
    let edited = ok(
        p.path(),
        &["build", "--all-customers", "--format", "html,pdf"],
    );
    assert!(edited.contains("1 rendered, 21 unchanged"), "{edited}");
    assert!(fs::read_to_string(&html).unwrap().contains("EUR 77.777,-"));
    assert_eq!(
        fs::metadata(&untouched).unwrap().modified().unwrap(),
        before
    );

    // A file changed behind the cache's back is rendered again, not trusted.
    fs::write(&html, "edited by hand").unwrap();
    let repaired = ok(
        p.path(),
        &["build", "--all-customers", "--format", "html,pdf"],
    );
    assert!(repaired.contains("1 rendered"), "{repaired}");
    assert!(fs::read_to_string(&html).unwrap().contains("EUR 77.777,-"));

    // A clause edit is an input of every contract: all are assembled and rendered again.
    let clause = p.path().join("clauses/30-liability/01-cap.md");
    let text = fs::read_to_string(&clause).unwrap();
    fs::write(
        &clause,
        text.replace("per gebeurtenis", "per schadeveroorzakende gebeurtenis"),
    )
    .unwrap();
    let reworded = ok(
        p.path(),
        &["build", "--all-customers", "--format", "html,pdf"],
    );
    assert!(reworded.contains("22 rendered, 0 unchanged"), "{reworded}");
    assert!(
        fs::read_to_string(&html)
            .unwrap()
            .contains("per schadeveroorzakende gebeurtenis")
    );

    // --force ignores the cache.
    let forced = ok(
        p.path(),
        &["build", "--all-customers", "--format", "html", "--force"],
    );
    assert!(forced.contains("22 rendered, 0 unchanged"), "{forced}");
}

#[test]
fn contracts_of_removed_customers_leave_out() {
    let p = project(3);
    ok(p.path(), &["build", "--all-customers", "--format", "html"]);
    let dir = p.path().join("out/acme/customers/klant-2");
    assert!(dir.is_dir());
    fs::remove_file(p.path().join("customers/acme/klant-2.yaml")).unwrap();
    let msg = ok(p.path(), &["build", "--all-customers", "--format", "html"]);
    assert!(!dir.exists(), "klant-2's contract is gone");
    assert!(msg.contains("1 removed"), "{msg}");
    assert!(
        p.path()
            .join("out/acme/customers/klant-3/terms.html")
            .is_file()
    );
}

#[test]
fn a_second_run_waits_for_nobody_it_fails_clearly() {
    let p = project(1);
    ok(p.path(), &["build", "--format", "html"]);
    // Hold the output directory's lock as a running build would.
    let lock = fs::File::open(p.path().join(".out.clausebook/lock")).unwrap();
    lock.lock().unwrap();
    let o = run(p.path(), &["build", "--format", "html"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("another clausebook run is writing"),
        "{}",
        stderr(&o)
    );
    drop(lock);
    ok(p.path(), &["build", "--format", "html"]);
}

#[test]
fn refuses_an_output_directory_that_holds_inputs() {
    let p = project(0);
    fs::create_dir_all(p.path().join("published")).unwrap();
    for (out, why) in [
        ("clauses", "inside the clause library"),
        ("clauses/x", "inside the clause library"),
        ("published", "inside the published editions"),
        (".", "holds the project itself"),
        ("..", "holds the project itself"),
        ("vendors/acme", "inside the vendors directory"),
    ] {
        let o = run(p.path(), &["build", "--out", out]);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {}", stderr(&o));
        assert!(stderr(&o).contains(why), "--out {out}: {}", stderr(&o));
    }
    // A directory of someone else's files is not replaced.
    let foreign = p.path().join("mine");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "keep").unwrap();
    let o = run(p.path(), &["build", "--out", "mine"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "keep"
    );
    assert!(
        files(&p.path().join("clauses"))
            .iter()
            .all(|f| f.ends_with(".md") || f.ends_with(".yaml"))
    );
}

#[test]
fn clean_removes_the_output() {
    let p = project(1);
    ok(p.path(), &["build", "--format", "html"]);
    assert!(p.path().join("out").is_dir());
    let msg = ok(p.path(), &["clean"]);
    assert!(msg.contains("removed"), "{msg}");
    assert!(!p.path().join("out").exists());
    assert!(!p.path().join(".out.clausebook").exists());
    ok(p.path(), &["clean"]);
}

#[test]
fn shards_split_the_batch_exactly() {
    let p = project(30);
    let mut seen: Vec<BTreeSet<String>> = Vec::new();
    for k in 1..=3 {
        let out = format!("shard-{k}");
        ok(
            p.path(),
            &[
                "build",
                "--all-customers",
                "--format",
                "html",
                "--shard",
                &format!("{k}/3"),
                "--out",
                &out,
            ],
        );
        seen.push(
            files(&p.path().join(out))
                .into_iter()
                .filter(|f| f.ends_with(".html"))
                .collect(),
        );
    }
    ok(p.path(), &["build", "--all-customers", "--format", "html"]);
    let all: BTreeSet<String> = files(&p.path().join("out"))
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    let union: BTreeSet<String> = seen.iter().flatten().cloned().collect();
    assert_eq!(union, all, "the shards together build everything");
    assert_eq!(
        seen.iter().map(BTreeSet::len).sum::<usize>(),
        all.len(),
        "and nothing twice"
    );
    assert!(seen.iter().all(|s| !s.is_empty()));
    let o = run(p.path(), &["build", "--shard", "4/3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("1 ≤ K ≤ N"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let p = project(1);
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec '{}' --root . build -q --format html,md",
            env!("CARGO_BIN_EXE_clausebook")
        ))
        .current_dir(p.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = fs::metadata(p.path().join("out/acme/terms.html"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}

/// Kill builds at random moments: the output directory always holds one whole set (every
/// contract, all of one generation), and the next run leaves no temporary files.
#[cfg(unix)]
#[test]
fn sigkill_never_leaves_a_mixed_set() {
    let p = project(40);
    let set_generation = |g: u64| {
        for i in 1..=40 {
            write_customer(p.path(), i, 1000 * g + i as u64);
        }
    };
    set_generation(1);
    ok(
        p.path(),
        &["build", "--all-customers", "--format", "html,md"],
    );
    let expected = files(&p.path().join("out"));
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for round in 2..14u64 {
        set_generation(round);
        let mut child = cmd(
            p.path(),
            &["build", "-q", "--all-customers", "--format", "html,md"],
        )
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(seed % 400));
        let _ = child.kill();
        let _ = child.wait();
        let out = p.path().join("out");
        assert_eq!(
            files(&out)
                .into_iter()
                .filter(|f| !f.starts_with('.'))
                .collect::<BTreeSet<_>>(),
            expected
                .iter()
                .filter(|f| !f.starts_with('.'))
                .cloned()
                .collect::<BTreeSet<_>>(),
            "round {round}: every contract is there"
        );
        let mut generations = BTreeSet::new();
        for i in 1..=40 {
            let html = fs::read_to_string(out.join(format!("acme/customers/klant-{i}/terms.html")))
                .unwrap();
            let md =
                fs::read_to_string(out.join(format!("acme/customers/klant-{i}/terms.md"))).unwrap();
            let g = (1..=round).rev().find(|g| {
                let v = 1000 * g + i as u64;
                html.contains(&format!("EUR {}.{:03},-", v / 1000, v % 1000))
            });
            let gm = (1..=round).rev().find(|g| {
                let v = 1000 * g + i as u64;
                md.contains(&format!("EUR {}.{:03},-", v / 1000, v % 1000))
            });
            assert!(g.is_some() && g == gm, "round {round}: klant-{i} is torn");
            generations.insert(g);
        }
        assert_eq!(
            generations.len(),
            1,
            "round {round}: one generation, not a mix: {generations:?}"
        );
    }
    ok(
        p.path(),
        &["build", "--all-customers", "--format", "html,md"],
    );
    let side: Vec<PathBuf> = fs::read_dir(p.path().join(".out.clausebook"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        side,
        vec![p.path().join(".out.clausebook/lock")],
        "no staging left behind"
    );
}
