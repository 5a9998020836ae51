//! Bad input must give a clear error (file, line:col, what is wrong), exit status 1, nothing
//! in out/, and never a panic, an abort or a hang. One test per kind of bad input, each on a
//! fresh copy of `tests/fixtures/good` with one thing broken.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_clausebook");

fn good() -> TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&src, dir.path());
    dir
}

struct Run {
    code: i32,
    stderr: String,
}

fn run(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("killed by a signal"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(path: impl AsRef<Path>, text: &str) {
    let path = path.as_ref();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn edit(path: impl AsRef<Path>, from: &str, to: &str) {
    let path = path.as_ref();
    let text = fs::read_to_string(path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` in {}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `build` fails with exit 1 and writes nothing; `check` says the same. Returns check's stderr.
fn fails(dir: &Path) -> String {
    let b = run(dir, &["build", "--format", "html,md"]);
    assert_eq!(b.code, 1, "build should fail:\n{}", b.stderr);
    assert!(!dir.join("out").exists(), "a failed build wrote out/");
    assert!(!b.stderr.contains("panicked"), "{}", b.stderr);
    let c = run(dir, &["check"]);
    assert_eq!(c.code, 1, "check should fail:\n{}", c.stderr);
    c.stderr
}

/// A diagnostic with `message` at `location` (`file:line:col`) is in `stderr`.
fn has(stderr: &str, message: &str, location: &str) {
    let blocks: Vec<&str> = stderr.split("\n\n").collect();
    assert!(
        blocks
            .iter()
            .any(|b| b.contains(message) && b.contains(&format!("┌─ {location}"))),
        "no `{message}` at {location} in:\n{stderr}"
    );
}

/// Set `liability.cap_amount` in the vendor file to `value` (as written in YAML).
fn cap(dir: &Path, value: &str) {
    edit(
        dir.join("vendors/acme.yaml"),
        "liability.cap_amount: EUR 25000",
        &format!("liability.cap_amount: {value}"),
    );
}

#[test]
fn money_that_could_be_misread_is_refused() {
    for (value, says) in [
        ("EUR 1,500.50", "uses `,` to group thousands"),
        ("EUR 0.500", "ambiguous"),
        ("EUR 25,000", "ambiguous"),
        ("1e3", "exponent"),
        ("0x10", "another base"),
        ("EUR 12.3456", "more than two decimals"),
    ] {
        let dir = good();
        cap(dir.path(), value);
        let err = fails(dir.path());
        has(&err, says, "vendors/acme.yaml:9:25");
        assert!(err.contains("help: write it like `EUR 1500.50`"), "{err}");
    }
    let dir = good();
    let err = {
        cap(dir.path(), "EUR 1,500.50");
        fails(dir.path())
    };
    insta::assert_snapshot!("money_misread", err);
}

#[test]
fn money_in_every_documented_form_is_read() {
    for (value, shown) in [
        ("EUR 25.000", "EUR 25.000,-"),
        ("EUR 25.000,50", "EUR 25.000,50"),
        ("EUR 25000.50", "EUR 25.000,50"),
        ("25.000 EUR", "EUR 25.000,-"),
        ("€ 1.500.000", "EUR 1.500.000,-"),
        ("EUR 25.000,-", "EUR 25.000,-"),
    ] {
        let dir = good();
        cap(dir.path(), value);
        let r = run(dir.path(), &["build", "--format", "md", "--vendor", "acme"]);
        assert_eq!(r.code, 0, "{value}: {}", r.stderr);
        let md = fs::read_to_string(dir.path().join("out/acme/terms.md")).unwrap();
        assert!(md.contains(shown), "{value} should show as {shown}:\n{md}");
    }
}

#[test]
fn integer_in_another_notation_is_refused() {
    for value in ["0x10", "1e3", "1_000", "+5"] {
        let dir = good();
        edit(
            dir.path().join("vendors/acme.yaml"),
            "parameters:\n",
            &format!("parameters:\n  delivery.installations: {value}\n"),
        );
        let err = fails(dir.path());
        has(
            &err,
            "wrong value for parameter `delivery.installations`",
            "vendors/acme.yaml:6:27",
        );
    }
}

#[test]
fn a_parameter_set_twice_in_one_file_names_both_places() {
    let dir = good();
    edit(
        dir.path().join("vendors/acme.yaml"),
        "parameters:\n",
        "parameters:\n  liability:\n    cap_amount: EUR 30000\n",
    );
    let err = fails(dir.path());
    has(
        &err,
        "parameter `liability.cap_amount` is set twice in this file",
        "vendors/acme.yaml:11:3",
    );
    assert!(
        err.contains("7 │     cap_amount: EUR 30000") && err.contains("first set here"),
        "first place not named:\n{err}"
    );
    insta::assert_snapshot!("set_twice", err);
}

#[test]
fn two_files_for_one_id_are_an_error() {
    for (a, b) in [
        ("vendors/acme.yaml", "vendors/acme.yml"),
        (
            "customers/acme/bakkerij-bol.yaml",
            "customers/acme/bakkerij-bol.yml",
        ),
        ("documents/terms.yaml", "documents/terms.yml"),
    ] {
        let dir = good();
        fs::copy(dir.path().join(a), dir.path().join(b)).unwrap();
        let err = fails(dir.path());
        assert!(
            err.contains(&format!("`{a}` and `{b}`")),
            "both files not named:\n{err}"
        );
    }
}

#[test]
fn a_text_parameter_stays_as_written() {
    let dir = good();
    edit(
        dir.path().join("vendors/acme.yaml"),
        "parameters:\n",
        "parameters:\n  law.forum: 0x10\n",
    );
    let r = run(dir.path(), &["build", "--format", "md", "--vendor", "acme"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = fs::read_to_string(dir.path().join("out/acme/terms.md")).unwrap();
    assert!(md.contains("voorgelegd aan 0x10."), "{md}");
}

#[test]
fn percent_above_100_is_refused_and_a_quoted_percent_is_read_as_written() {
    let dir = good();
    edit(
        dir.path().join("clauses/20-payment/module.yaml"),
        "    max: 10\n",
        "",
    );
    edit(
        dir.path().join("vendors/acme.yaml"),
        "    payment_term: 30 dagen\n",
        "    payment_term: 30 dagen\n    interest: 199.8\n",
    );
    let err = fails(dir.path());
    has(
        &err,
        "`payment.interest` must be at most 100, got 199.8",
        "vendors/acme.yaml:9:15",
    );

    let dir = good();
    edit(
        dir.path().join("vendors/acme.yaml"),
        "    payment_term: 30 dagen\n",
        "    payment_term: 30 dagen\n    interest: \"1.125%\"\n",
    );
    let r = run(dir.path(), &["build", "--format", "md", "--vendor", "acme"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = fs::read_to_string(dir.path().join("out/acme/terms.md")).unwrap();
    assert!(md.contains("rente van 1,125% per maand"), "{md}");
}

const CLAUSE: &str = "clauses/40-law/01-governing.md";

fn clause_body(dir: &Path, body: &str) {
    write(
        dir.join(CLAUSE),
        &format!("---\nid: law.governing\ntitle: Recht\nversion: 1.0.0\n---\n{body}\n"),
    );
}

#[test]
fn control_characters_are_escaped_in_diagnostics() {
    let dir = good();
    clause_body(
        dir.path(),
        "Recht \u{1b}]0;PWNED\u{7}\u{1b}[2J van {{ law.nope }}.",
    );
    let err = fails(dir.path());
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "raw escapes printed:\n{err:?}"
    );
    has(
        &err,
        "escape character (ESC) U+001B",
        "clauses/40-law/01-governing.md:6:7",
    );
    insta::assert_snapshot!("control_characters", err);
}

#[test]
fn invisible_and_bidi_characters_are_reported_where_they_are() {
    for (ch, says) in [
        ('\u{202e}', "error: bidirectional control character U+202E"),
        ('\u{0}', "error: NUL character U+0000"),
        ('\u{7}', "error: bell character (BEL) U+0007"),
        ('\u{85}', "error: C1 control character U+0085"),
    ] {
        let dir = good();
        clause_body(dir.path(), &format!("Nederlands{ch} recht."));
        let err = fails(dir.path());
        has(&err, says, "clauses/40-law/01-governing.md:6:11");
    }
    // Zero-width joiners are a warning; the build goes on.
    let dir = good();
    clause_body(
        dir.path(),
        "Nederlands\u{200d} recht, art.\u{a0}6:248\u{ad}BW.",
    );
    let r = run(dir.path(), &["build", "--format", "md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    has(
        &r.stderr,
        "warning: zero-width joiner U+200D",
        "clauses/40-law/01-governing.md:6:11",
    );
    assert!(
        !r.stderr.contains("U+00A0") && !r.stderr.contains("U+00AD"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_byte_order_mark_is_accepted_everywhere() {
    let dir = good();
    for f in [
        CLAUSE,
        "vendors/acme.yaml",
        "clauses/40-law/module.yaml",
        "clausebook.yaml",
        "documents/terms.yaml",
    ] {
        let p = dir.path().join(f);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(&p, format!("\u{feff}{text}")).unwrap();
    }
    let r = run(dir.path(), &["build", "--format", "html,md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.is_empty() || !r.stderr.contains("warning"),
        "{}",
        r.stderr
    );
    let md = fs::read_to_string(dir.path().join("out/acme/terms.md")).unwrap();
    assert!(!md.contains('\u{feff}'));
}

#[test]
fn raw_html_in_a_clause_is_an_error() {
    let dir = good();
    clause_body(dir.path(), "Nederlands recht is <b>vet</b> van toepassing.");
    let err = fails(dir.path());
    has(
        &err,
        "raw HTML `<b>` in a clause",
        "clauses/40-law/01-governing.md:6:21",
    );
    assert!(err.contains("`**vet**`"), "{err}");
    insta::assert_snapshot!("raw_html", err);
}

/// Runs `check`, failing the test if it takes longer than `limit`.
fn check_within(dir: &Path, limit: Duration) -> Run {
    let start = Instant::now();
    let r = run(dir, &["check"]);
    assert!(start.elapsed() < limit, "check took {:?}", start.elapsed());
    r
}

#[test]
fn a_clause_that_doubles_a_variable_is_refused_before_it_runs() {
    let dir = good();
    let bomb = "{% set_global s = \"ab\" %}\n".to_string()
        + &"{% set_global s = s ~ s %}\n".repeat(29)
        + "{{ s }}";
    clause_body(dir.path(), &bomb);
    let r = check_within(dir.path(), Duration::from_secs(20));
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(
        &r.stderr,
        "`{% set_global %}` cannot be used in a clause",
        "clauses/40-law/01-governing.md:6:1",
    );
}

#[test]
fn nested_loops_stop_at_the_step_budget() {
    let dir = good();
    clause_body(
        dir.path(),
        "Recht.\n{% for i in range(end=10000) %}{% for j in range(end=10000) %}{% for k in range(end=10000) %}{% endfor %}{% endfor %}{% endfor %}",
    );
    let r = check_within(dir.path(), Duration::from_secs(20));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("loops run more than 100000 times"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("┌─ clauses/40-law/01-governing.md:7:"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_clause_that_renders_too_much_text_is_refused() {
    let dir = good();
    clause_body(
        dir.path(),
        "{% for i in range(end=60000) %}{{ \"0123456789012345678901234567890\" }}{% endfor %}",
    );
    let r = check_within(dir.path(), Duration::from_secs(20));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("renders to more than 1024 KB"),
        "{}",
        r.stderr
    );
}

#[test]
fn oversized_files_and_names_are_refused() {
    let dir = good();
    clause_body(dir.path(), &"Tekst. ".repeat(200_000));
    let err = fails(dir.path());
    assert!(err.contains("larger than the limit of 1024 KB"), "{err}");
    assert!(err.contains("01-governing.md"), "{err}");

    let dir = good();
    edit(
        dir.path().join("vendors/acme.yaml"),
        "name: Acme Software B.V.",
        &format!("name: {}", "A".repeat(1200)),
    );
    let err = fails(dir.path());
    has(
        &err,
        "`name` is longer than 1000 characters",
        "vendors/acme.yaml:1:7",
    );
}

#[test]
fn markdown_nested_too_deep_is_refused_at_its_line() {
    // A list indented 600 levels deep (3000 would pass the 1 MB file limit first).
    let dir = good();
    let mut body = String::from("Recht.\n\n");
    for depth in 0..600 {
        body.push_str(&"  ".repeat(depth));
        body.push_str("- punt\n");
    }
    clause_body(dir.path(), &body);
    let err = fails(dir.path());
    has(
        &err,
        "lists or quotes nested more than 8 levels deep",
        "clauses/40-law/01-governing.md:16:17",
    );
    // Quotes 3000 deep on one line.
    let dir = good();
    clause_body(
        dir.path(),
        &format!("Recht.\n\n{} tekst", "> ".repeat(3000)),
    );
    let err = fails(dir.path());
    has(
        &err,
        "lists or quotes nested more than 8 levels deep",
        "clauses/40-law/01-governing.md:8:17",
    );
}

#[test]
fn a_document_cannot_be_its_own_annex() {
    let dir = good();
    edit(
        dir.path().join("documents/terms.yaml"),
        "modules:",
        "annexes: [terms]\nmodules:",
    );
    let err = fails(dir.path());
    has(
        &err,
        "document `terms` is its own annex",
        "documents/terms.yaml:5:11",
    );

    let dir = good();
    edit(
        dir.path().join("documents/terms.yaml"),
        "modules:",
        "annexes: [sla]\nmodules:",
    );
    write(
        dir.path().join("documents/sla.yaml"),
        "title: SLA\nannexes: [terms]\nmodules: [law]\n",
    );
    let err = fails(dir.path());
    has(
        &err,
        "annexes form a cycle: sla → terms → sla",
        "documents/sla.yaml:2:11",
    );
}

#[test]
fn an_id_that_is_not_a_plain_name_is_refused() {
    let dir = good();
    fs::copy(
        dir.path().join("vendors/acme.yaml"),
        dir.path()
            .join("vendors/acme\"><img src=x onerror=alert(1)>.yaml"),
    )
    .unwrap();
    let err = fails(dir.path());
    assert!(err.contains("cannot be a vendor id"), "{err}");
}

#[test]
fn a_vendor_that_fails_to_parse_gets_only_its_own_error() {
    let dir = good();
    edit(
        dir.path().join("vendors/acme.yaml"),
        "city: Utrecht",
        "city: [Utrecht",
    );
    let err = fails(dir.path());
    assert!(err.contains("invalid YAML"), "{err}");
    assert!(
        !err.contains("does not match any vendor"),
        "misleading error:\n{err}"
    );
    let first = err.lines().next().unwrap_or_default();
    assert!(first.contains("invalid YAML"), "first error: {first}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let dir = good();
    clause_body(dir.path(), "{{ law.nope }} {{ law.nope2 }} {{ law.nope3 }}");
    for args in [&["check"][..], &["check", "--json"], &["params"]] {
        let mut child = Command::new(BIN)
            .arg("--root")
            .arg(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Nobody reads: both pipes are closed before the first write.
        drop(child.stdout.take());
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert!(
            status.code().is_some_and(|c| c <= 1) || status.signal() == Some(13),
            "{args:?}: {status:?}"
        );
    }
}

/// A vendor's own modules belong to it: another vendor may not set their parameters or place
/// anything after them — whichever vendor file comes first — and `params --vendor` lists only
/// that vendor's parameters.
#[test]
fn vendor_modules_are_scoped_to_their_vendor() {
    for name in ["aaa", "zzz"] {
        let dir = good();
        fs::write(
            dir.path().join(format!("vendors/{name}.yaml")),
            "name: Ander B.V.\nparameters:\n  support.response_time: 5 werkdagen\n",
        )
        .unwrap();
        let err = fails(dir.path());
        has(
            &err,
            "error: parameter `support.response_time` belongs to module `support`, which is vendor `acme`'s own module",
            &format!("vendors/{name}.yaml:3:"),
        );
    }

    let dir = good();
    fs::write(
        dir.path().join("vendors/beta.yaml"),
        "name: Beta B.V.\nclauses:\n  exclude: [support]\n",
    )
    .unwrap();
    let err = fails(dir.path());
    assert!(
        err.contains("`support` belongs to module `support`"),
        "{err}"
    );

    let dir = good();
    fs::write(dir.path().join("vendors/beta.yaml"), "name: Beta B.V.\n").unwrap();
    let params = |vendor: &str| {
        let o = Command::new(BIN)
            .args(["--root", dir.path().to_str().unwrap()])
            .args(["params", "--vendor", vendor, "--format", "json"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(params("acme").contains("\"support.response_time\""));
    let beta = params("beta");
    assert!(!beta.contains("support.response_time"), "{beta}");
    assert!(beta.contains("\"payment.payment_term\""), "{beta}");
}
