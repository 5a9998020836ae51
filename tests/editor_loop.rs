//! The editor's loop, end to end: `init`, `params`, `watch`, `serve` and the live preview in a
//! real browser.
//!
//! Every test creates a project with the real binary's `clausebook init` in a fresh temporary
//! directory and runs the binary on it. `watch` and `serve` run as child processes held by a
//! guard that kills them when the test ends, also when an assertion fails; their stderr is
//! read on a thread into a buffer the test polls. Waits poll with short sleeps up to a bound
//! (10 s) that only catches a hang: no test depends on how fast a rebuild is.
//!
//! `browser_reloads_after_an_edit` drives Debian's Chromium through playwright-core
//! (`tests/browser/reload.mjs`). It needs `/usr/bin/chromium` (`apt-get install -y chromium`)
//! and `tests/browser/node_modules` (`npm ci --prefix tests/browser`); `.ci/run` installs both.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const BIN: &str = env!("CARGO_BIN_EXE_clausebook");

/// How long a wait may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(10);

/// The starter project's clause that the tests edit, and the document that holds it.
const CLAUSE: &str = "clauses/10-service/01-availability.md";
const TERMS_HTML: &str = "out/example/terms.html";

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run clausebook");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh project made by `clausebook init` (in the temporary directory itself, which is
/// new and empty).
fn new_project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["init", "."]);
    assert_eq!(r.code, 0, "init failed: {r:?}");
    dir
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The clause file with the front matter of the starter clause and a new body.
fn clause_text(body: &str) -> String {
    format!("---\nid: service.availability\ntitle: Beschikbaarheid\nversion: 1.0.0\n---\n{body}\n")
}

/// A body that renders to a sentence containing `marker` (lower case, so that no lint takes
/// it for an undefined term).
fn good_body(marker: &str) -> String {
    format!(
        "{{{{ vendor.short_name }}}} zorgt ervoor dat de Dienst ten minste {{{{ service.availability }}}} per kalendermaand beschikbaar is ({marker})."
    )
}

/// A body with an unknown parameter (line 6 of the file, after the five lines of front
/// matter) and markup characters that must reach the overlay as text.
const BROKEN_BODY: &str =
    "De Dienst is {{ service.availabilty }} beschikbaar, <i>cursief</i> & wel.";

/// Save the way many editors do: write a temporary file beside the original (a dot file, as
/// editors name them) and rename it over the original.
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, path).unwrap();
}

/// Poll `cond` every 20 ms until it holds; panic with `what` and `context()` after [`HANG`].
fn wait_for(what: &str, mut cond: impl FnMut() -> bool, context: impl Fn() -> String) {
    let start = Instant::now();
    while !cond() {
        if start.elapsed() > HANG {
            panic!(
                "timed out after {HANG:?} waiting for {what}\n--- context ---\n{}",
                context()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Text that a reader thread appends to.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<String>>);

impl Buffer {
    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    /// Read `from` until it ends, on a thread of its own.
    fn fill_from(&self, mut from: impl Read + Send + 'static) {
        let buf = self.0.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            let mut pending: Vec<u8> = Vec::new();
            loop {
                match from.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        pending.extend_from_slice(&chunk[..n]);
                        // Append only whole UTF-8 (a read can split a `✓`).
                        let valid = match std::str::from_utf8(&pending) {
                            Ok(s) => s.len(),
                            Err(e) => e.valid_up_to(),
                        };
                        let text = String::from_utf8_lossy(&pending[..valid]).into_owned();
                        buf.lock().unwrap().push_str(&text);
                        pending.drain(..valid);
                    }
                }
            }
        });
    }
}

/// A running `watch` or `serve`; killed when dropped, so a failing assertion cannot leave it
/// running.
struct Loop {
    child: Mutex<Child>,
    stderr: Buffer,
}

impl Loop {
    fn spawn(dir: &Path, args: &[&str]) -> Loop {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start clausebook");
        let stderr = Buffer::default();
        stderr.fill_from(child.stderr.take().unwrap());
        Loop {
            child: Mutex::new(child),
            stderr,
        }
    }

    fn stderr(&self) -> String {
        self.stderr.text()
    }

    /// The complete lines of stderr so far (a line still being written is left out).
    fn lines(&self) -> Vec<String> {
        let text = self.stderr();
        let done = text.rfind('\n').map_or("", |i| &text[..i]);
        done.lines().map(str::to_string).collect()
    }

    /// The status lines printed so far (`✓ rebuilt ...` or `✗ N error(s) ...`).
    fn statuses(&self) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|l| l.starts_with('[') && (l.contains("] ✓ ") || l.contains("] ✗ ")))
            .collect()
    }

    /// Wait until more than `seen` status lines have been printed; return the new ones.
    fn next_statuses(&self, seen: usize) -> Vec<String> {
        let mut lines = Vec::new();
        wait_for(
            "a new status line",
            || {
                self.assert_running();
                lines = self.statuses();
                lines.len() > seen
            },
            || self.stderr(),
        );
        lines.split_off(seen)
    }

    /// Wait for the first status line (the initial build) and check it succeeded.
    fn wait_ready(&self) {
        let first = self.next_statuses(0);
        assert!(
            first[0].contains("✓ rebuilt"),
            "the first build failed:\n{}",
            self.stderr()
        );
    }

    fn assert_running(&self) {
        let status = self.child.lock().unwrap().try_wait().unwrap();
        if let Some(status) = status {
            panic!("clausebook exited ({status}):\n{}", self.stderr.text());
        }
    }

    /// The port `serve` printed on its first line.
    fn port(&self) -> u16 {
        let mut line = String::new();
        wait_for(
            "the `serving the preview on` line",
            || {
                self.assert_running();
                line = self
                    .lines()
                    .into_iter()
                    .find(|l| l.starts_with("serving the preview on "))
                    .unwrap_or_default();
                !line.is_empty()
            },
            || self.stderr(),
        );
        // By default the preview is on the loopback address only.
        let rest = line
            .strip_prefix("serving the preview on http://127.0.0.1:")
            .unwrap_or_else(|| panic!("not served on 127.0.0.1 by default: {line}"));
        let port = rest.split('/').next().unwrap();
        port.parse()
            .unwrap_or_else(|_| panic!("no port in `{line}`"))
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The number in `rebuilt N document(s)`.
fn documents_in(status: &str) -> usize {
    let rest = status
        .split("✓ rebuilt ")
        .nth(1)
        .unwrap_or_else(|| panic!("not a successful rebuild: {status}"));
    rest.split(' ').next().unwrap().parse().unwrap()
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

// ---------------------------------------------------------------------------------------------
// HTTP, with nothing but std::net
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect to the preview");
    s.set_read_timeout(Some(HANG)).unwrap();
    s
}

/// One request (the target is sent exactly as given); the server closes the connection.
fn request(port: u16, method: &str, target: &str) -> Response {
    let mut s = connect(port);
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("{method} {target}: {e}"));
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("{method} {target}: no end of headers in {raw:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{method} {target}: bad status line in {head:?}"));
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn get(port: u16, target: &str) -> Response {
    request(port, "GET", target)
}

/// An open `/__events` stream: its response head, and everything received since.
struct Events {
    head: String,
    received: Buffer,
    _stream: TcpStream,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut s = connect(port);
        write!(
            s,
            "GET /__events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        // Read the head line by line (the body never ends).
        let mut reader = BufReader::new(s.try_clone().unwrap());
        let mut head = String::new();
        loop {
            let mut line = String::new();
            let n = reader
                .read_line(&mut line)
                .expect("read the /__events head");
            if n == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        // The stream has no read timeout from here on: a quiet stream is no error.
        s.set_read_timeout(None).unwrap();
        let received = Buffer::default();
        received.fill_from(reader);
        Events {
            head,
            received,
            _stream: s,
        }
    }

    /// The events (`event:` name and `data:` text) received so far, complete ones only.
    fn events(&self) -> Vec<(String, String)> {
        let text = self.received.text();
        let mut blocks: Vec<&str> = text.split("\n\n").collect();
        // What follows the last blank line is still arriving.
        blocks.pop();
        blocks
            .into_iter()
            .filter_map(|block| {
                let mut name = None;
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event: ") {
                        name = Some(n.to_string());
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data.push(d);
                    }
                }
                Some((name?, data.join("\n")))
            })
            .collect()
    }

    /// Wait for an event named `name` after the first `seen` events; return its data.
    fn next(&self, name: &str, seen: usize, server: &Loop) -> String {
        let mut found = None;
        wait_for(
            &format!("an `event: {name}`"),
            || {
                server.assert_running();
                found = self
                    .events()
                    .into_iter()
                    .skip(seen)
                    .find(|(n, _)| n == name)
                    .map(|(_, d)| d);
                found.is_some()
            },
            || {
                format!(
                    "events: {}\nstderr:\n{}",
                    self.received.text(),
                    server.stderr()
                )
            },
        );
        found.unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// 1. init
// ---------------------------------------------------------------------------------------------

#[test]
fn init_creates_a_project_that_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("terms");
    let r = run_in(tmp.path(), &["init", "terms"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("created a terms project"), "{r:?}");
    assert!(dir.join("clausebook.yaml").is_file());
    let gitignore = read(&dir.join(".gitignore"));
    assert!(
        gitignore.lines().any(|l| l.trim() == "out/"),
        ".gitignore without `out/`: {gitignore:?}"
    );

    let r = run_in(&dir, &["build", "--all-customers"]);
    assert_eq!(r.code, 0, "{r:?}");
    for f in [
        "out/example/terms.html",
        "out/example/terms.md",
        "out/example/customers/bakkerij/terms.html",
        "out/example/customers/bakkerij/terms.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} was not built: {r:?}");
    }
    let html = read(&dir.join("out/example/terms.html"));
    assert!(html.contains("Voorbeeld Software B.V."), "{html}");
    assert!(
        html.contains("99,8%"),
        "the vendor's availability is missing"
    );
    // The customer's override reaches the customer's contract only.
    let customer = read(&dir.join("out/example/customers/bakkerij/terms.html"));
    assert!(customer.contains("EUR 50.000,-"), "{customer}");
    assert!(!html.contains("EUR 50.000,-"));

    let r = run_in(&dir, &["check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("0 error(s), 0 warning(s)"), "{r:?}");
    assert!(
        !r.stderr.contains("warning:") && !r.stderr.contains("error:"),
        "{r:?}"
    );
}

#[test]
fn init_refuses_a_non_empty_directory_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mine");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mijn aantekeningen\n").unwrap();

    let r = run_in(tmp.path(), &["init", "mine"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("error:") && r.stderr.contains("is not empty"),
        "no clear message: {r:?}"
    );
    assert!(
        r.stderr.contains("nothing of yours is overwritten"),
        "{r:?}"
    );
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["notes.txt"],
        "init wrote into a non-empty directory"
    );
    assert_eq!(read(&dir.join("notes.txt")), "mijn aantekeningen\n");

    // A directory holding only a dot file is not empty either.
    let hidden = tmp.path().join("hidden");
    fs::create_dir(&hidden).unwrap();
    fs::write(hidden.join(".git"), "gitdir: elsewhere\n").unwrap();
    let r = run_in(tmp.path(), &["init", "hidden"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(fs::read_dir(&hidden).unwrap().count(), 1);
}

// ---------------------------------------------------------------------------------------------
// 2. params
// ---------------------------------------------------------------------------------------------

/// The starter project's parameters: key, type, default (as written in Dutch), the clause
/// that uses it, and its description.
const PARAMS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "service.availability",
        "percent",
        "99,5%",
        "service.availability",
        "Beschikbaarheid van de Dienst per kalendermaand, in procenten.",
    ),
    (
        "service.response_time",
        "duration",
        "één (1) werkdag",
        "service.support",
        "Binnen welke termijn de helpdesk op een melding reageert.",
    ),
    (
        "service.support_email",
        "text",
        "support@example.nl",
        "service.support",
        "Het e-mailadres van de helpdesk.",
    ),
    (
        "liability.cap_amount",
        "money",
        "EUR 25.000,-",
        "liability.cap",
        "Maximaal bedrag dat de leverancier per gebeurtenis vergoedt.",
    ),
    (
        // Used only in a `when:` condition.
        "liability.insurance",
        "bool",
        "nee",
        "liability.insurance",
        "Of de leverancier een verzekeringsclausule opneemt.",
    ),
];

/// The text output's block for `key` (up to the next blank line).
fn text_block<'a>(out: &'a str, key: &str) -> &'a str {
    out.split("\n\n")
        .find(|b| b.starts_with(&format!("{key}  (")))
        .unwrap_or_else(|| panic!("no block for {key} in:\n{out}"))
}

#[test]
fn params_lists_every_parameter_with_type_default_description_and_use() {
    let p = new_project();
    let r = run_in(p.path(), &["params"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout.matches("\n    default: ").count(),
        PARAMS.len(),
        "{}",
        r.stdout
    );
    for (key, ty, default, used_by, description) in PARAMS {
        let b = text_block(&r.stdout, key);
        assert!(b.starts_with(&format!("{key}  ({ty}, ")), "{b}");
        assert!(b.contains(description), "{b}");
        assert!(b.contains(&format!("\n    default: {default}\n")), "{b}");
        assert!(b.contains(&format!("\n    used by: {used_by}")), "{b}");
        // Without a vendor there is no value in force.
        assert!(!b.contains("value:"), "{b}");
    }
}

#[test]
fn params_for_a_vendor_shows_each_value_and_the_layer_that_set_it() {
    let p = new_project();
    let r = run_in(p.path(), &["params", "--vendor", "example"]);
    assert_eq!(r.code, 0, "{r:?}");
    let b = text_block(&r.stdout, "service.availability");
    assert!(
        b.contains("value:   99,8%   <- vendor (vendors/example.yaml)"),
        "{b}"
    );
    assert!(b.contains("default: 99,5%"), "{b}");
    let b = text_block(&r.stdout, "liability.insurance");
    assert!(
        b.contains("value:   ja   <- vendor (vendors/example.yaml)"),
        "{b}"
    );
    for key in [
        "service.response_time",
        "service.support_email",
        "liability.cap_amount",
    ] {
        let b = text_block(&r.stdout, key);
        let value = b
            .lines()
            .find(|l| l.trim_start().starts_with("value:"))
            .unwrap_or_else(|| panic!("no value for {key}: {b}"));
        assert!(value.ends_with("<- default"), "{value}");
    }

    // JSON: one object per parameter, with the resolved value, layer and source.
    let r = run_in(
        p.path(),
        &["params", "--vendor", "example", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let json: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", r.stdout));
    let list = json.as_array().expect("a JSON array");
    assert_eq!(list.len(), PARAMS.len());
    for (key, ty, default, used_by, _) in PARAMS {
        let e = list
            .iter()
            .find(|e| e["key"] == *key)
            .unwrap_or_else(|| panic!("no entry for {key}"));
        for field in [
            "key", "type", "default", "used_by", "value", "layer", "source",
        ] {
            assert!(e.get(field).is_some(), "{key} has no `{field}`: {e}");
        }
        assert_eq!(e["type"], *ty);
        assert_eq!(e["default"], *default);
        assert_eq!(e["used_by"], serde_json::json!([used_by]));
    }
    let avail = list
        .iter()
        .find(|e| e["key"] == "service.availability")
        .unwrap();
    assert_eq!(avail["value"], "99,8%");
    assert_eq!(avail["layer"], "vendor");
    assert_eq!(avail["source"], "vendors/example.yaml");
    let cap = list
        .iter()
        .find(|e| e["key"] == "liability.cap_amount")
        .unwrap();
    assert_eq!(cap["value"], "EUR 25.000,-");
    assert_eq!(cap["layer"], "default");
    assert_eq!(cap["source"], serde_json::Value::Null);

    // Markdown: a table per module, with the value and the layer for a vendor.
    let r = run_in(
        p.path(),
        &["params", "--vendor", "example", "--format", "md"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let md = &r.stdout;
    assert!(
        md.contains("## `service`") && md.contains("## `liability`"),
        "{md}"
    );
    assert_eq!(
        md.matches("| parameter | type | default | value | set by | description | used by |")
            .count(),
        2,
        "{md}"
    );
    assert!(md.contains("|---|---|---|---|---|---|---|"), "{md}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| `service.availability` |"))
        .unwrap_or_else(|| panic!("no row for service.availability:\n{md}"));
    let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
    assert_eq!(
        cells,
        [
            "`service.availability`",
            "percent",
            "99,5%",
            "99,8%",
            "vendor",
            "Beschikbaarheid van de Dienst per kalendermaand, in procenten.",
            "`service.availability`",
        ],
        "{row}"
    );
    for (key, ..) in PARAMS {
        let row = format!("| `{key}` |");
        let rows = md.lines().filter(|l| l.starts_with(&row)).count();
        assert_eq!(rows, 1, "{key}:\n{md}");
    }
    // Without a vendor, the table has no value columns.
    let r = run_in(p.path(), &["params", "--format", "md"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("| parameter | type | default | description | used by |"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("set by"), "{}", r.stdout);
}

#[test]
fn params_for_an_unknown_vendor_is_a_usage_error() {
    let p = new_project();
    let r = run_in(p.path(), &["params", "--vendor", "nobody"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("no vendor `nobody`"), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    let r = run_in(
        p.path(),
        &["params", "--vendor", "nobody", "--format", "json"],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// 3. watch
// ---------------------------------------------------------------------------------------------

#[test]
fn watch_rebuilds_after_edits_and_keeps_the_last_good_output() {
    let p = new_project();
    let root = p.path();
    let clause = root.join(CLAUSE);
    let html = root.join(TERMS_HTML);
    fs::create_dir(root.join("published")).unwrap();
    fs::write(root.join("published/x"), "frozen\n").unwrap();
    let published = mtime(&root.join("published/x"));

    let w = Loop::spawn(root, &["watch"]);
    w.wait_ready();
    let page = || fs::read_to_string(&html).unwrap_or_default();
    let ctx = |w: &Loop| format!("stderr:\n{}\n--- {TERMS_HTML} ---\n{}", w.stderr(), page());

    // An edit that writes the whole file anew.
    fs::write(&clause, clause_text(&good_body("wijziging alfa"))).unwrap();
    wait_for(
        "the first edit in the HTML",
        || page().contains("(wijziging alfa)"),
        || ctx(&w),
    );

    // An edit saved as editors do: a temporary file renamed over the clause.
    save_by_rename(&clause, &clause_text(&good_body("wijziging bravo")));
    wait_for(
        "the renamed-over edit in the HTML",
        || page().contains("(wijziging bravo)"),
        || ctx(&w),
    );
    assert!(!page().contains("(wijziging alfa)"));
    assert!(
        !root
            .join("clauses/10-service/.01-availability.md.tmp")
            .exists()
    );

    // A broken edit: the error with file:line:col, the ✗ status, and the last good HTML.
    let seen = w.statuses().len();
    save_by_rename(&clause, &clause_text(BROKEN_BODY));
    wait_for(
        "the ✗ status line after the broken edit",
        || w.statuses().iter().skip(seen).any(|l| l.contains("] ✗ ")),
        || ctx(&w),
    );
    let err = w.stderr();
    assert!(
        err.contains("error: unknown parameter `service.availabilty`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{CLAUSE}:6:17")),
        "no file:line:col in:\n{err}"
    );
    assert!(
        err.contains("did you mean `service.availability`?"),
        "{err}"
    );
    assert!(err.contains("the last good output is kept"), "{err}");
    let kept = page();
    assert!(
        kept.contains("(wijziging bravo)"),
        "the last good output is gone:\n{kept}"
    );
    assert!(!kept.contains("cursief"), "{kept}");

    // Fixing it brings the HTML up to date again.
    fs::write(&clause, clause_text(&good_body("wijziging charlie"))).unwrap();
    wait_for(
        "the fixed edit in the HTML",
        || page().contains("(wijziging charlie)"),
        || ctx(&w),
    );
    wait_for(
        "a ✓ status line after the fix",
        || w.statuses().last().is_some_and(|l| l.contains("✓ rebuilt")),
        || w.stderr(),
    );
    w.assert_running();

    assert_eq!(
        mtime(&root.join("published/x")),
        published,
        "published/ was touched"
    );
    assert_eq!(read(&root.join("published/x")), "frozen\n");
    assert_eq!(fs::read_dir(root.join("published")).unwrap().count(), 1);
}

/// The starter project plus a second vendor, a second document (`sla`, of its own module)
/// and a module that no document uses.
fn project_with_two_vendors() -> TempDir {
    let p = new_project();
    let root = p.path();
    fs::write(
        root.join("vendors/second.yaml"),
        "name: Tweede Leverancier B.V.\nshort_name: Tweede\nparameters:\n  service:\n    availability: 99.0\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("clauses/30-sla")).unwrap();
    fs::write(
        root.join("clauses/30-sla/module.yaml"),
        "title: Serviceniveau\nversion: 1.0.0\n",
    )
    .unwrap();
    fs::write(
        root.join("clauses/30-sla/01-credits.md"),
        "---\nid: sla.credits\ntitle: Creditering\nversion: 1.0.0\n---\nBij een lagere beschikbaarheid volgt een creditering.\n",
    )
    .unwrap();
    fs::write(
        root.join("documents/sla.yaml"),
        "title: Serviceniveauovereenkomst\nlocale: nl\nversion: \"2026.1\"\neffective: 2026-01-01\nmodules: [sla]\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("clauses/40-unused")).unwrap();
    fs::write(
        root.join("clauses/40-unused/module.yaml"),
        "title: Ongebruikt\nversion: 1.0.0\n",
    )
    .unwrap();
    fs::write(
        root.join("clauses/40-unused/01-note.md"),
        "---\nid: unused.note\ntitle: Notitie\nversion: 1.0.0\n---\nDeze bepaling staat in geen enkel document.\n",
    )
    .unwrap();
    let r = run_in(root, &["check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("0 error(s), 0 warning(s)"), "{r:?}");
    p
}

#[test]
fn watch_rebuilds_only_what_an_edit_affects() {
    let p = project_with_two_vendors();
    let root = p.path();
    // Contracts: example × {terms, sla} × {general, bakkerij} and second × {terms, sla}.
    let w = Loop::spawn(root, &["watch", "--all-customers"]);
    let first = w.next_statuses(0);
    assert_eq!(documents_in(&first[0]), 6, "{}", w.stderr());

    // Each edit is saved by a rename, so that it makes exactly one rebuild.
    let edit = |w: &Loop, rel: &str, from: &str, to: &str| -> usize {
        let path = root.join(rel);
        let text = read(&path);
        assert!(text.contains(from), "{rel} has no `{from}`");
        let seen = w.statuses().len();
        save_by_rename(&path, &text.replacen(from, to, 1));
        let new = w.next_statuses(seen);
        assert_eq!(new.len(), 1, "one edit, one rebuild: {new:?}");
        documents_in(&new[0])
    };

    // A vendor's file: that vendor's documents and its customers' contracts, no others.
    let n = edit(&w, "vendors/example.yaml", "99.8", "99.7");
    assert_eq!(n, 4, "{}", w.stderr());
    let n = edit(&w, "vendors/second.yaml", "99.0", "99.1");
    assert_eq!(n, 2, "{}", w.stderr());
    wait_for(
        "the second vendor's new value",
        || {
            fs::read_to_string(root.join("out/second/terms.html"))
                .is_ok_and(|h| h.contains("99,1%"))
        },
        || w.stderr(),
    );
    // A customer's file: that contract alone.
    let n = edit(
        &w,
        "customers/example/bakkerij.yaml",
        "EUR 50000",
        "EUR 60000",
    );
    assert_eq!(n, 2, "the customer's terms and sla: {}", w.stderr());
    // A clause: the documents whose modules hold it.
    let n = edit(
        &w,
        "clauses/30-sla/01-credits.md",
        "volgt een creditering",
        "volgt een ruime creditering",
    );
    assert_eq!(n, 3, "only the sla documents: {}", w.stderr());
    let n = edit(&w, CLAUSE, "ten minste", "minstens");
    assert_eq!(n, 3, "only the terms documents: {}", w.stderr());
    // A clause of a module that no document uses: nothing.
    let n = edit(&w, "clauses/40-unused/01-note.md", "geen enkel", "geen");
    assert_eq!(n, 0, "{}", w.stderr());
    // The document file: that document for every vendor and customer.
    let n = edit(&w, "documents/sla.yaml", "2026.1", "2026.2");
    assert_eq!(n, 3, "{}", w.stderr());

    let sla = read(&root.join("out/example/sla.html"));
    assert!(sla.contains("ruime creditering"), "{sla}");
    let terms = read(&root.join("out/second/terms.html"));
    assert!(terms.contains("minstens"), "{terms}");
    w.assert_running();
}

/// A customer table (`customers/<vendor>.csv`): an edit of it rebuilds the contracts of its
/// customers, and a mistake in it is reported at the cell while the last good output stays.
#[test]
fn watch_rebuilds_the_customers_of_an_edited_table() {
    let p = new_project();
    let root = p.path();
    let table = root.join("customers/example.csv");
    fs::write(
        &table,
        "id,name,liability.cap_amount\nkapsalon-knip,Kapsalon Knip,EUR 60000\nslagerij-piet,Slagerij Piet,\n",
    )
    .unwrap();
    let w = Loop::spawn(root, &["watch", "--all-customers", "--format", "html"]);
    let first = w.next_statuses(0);
    // The vendor's terms, the customer file's contract and the table's two.
    assert_eq!(documents_in(&first[0]), 4, "{}", w.stderr());

    let seen = w.statuses().len();
    save_by_rename(&table, &read(&table).replacen("EUR 60000", "EUR 70000", 1));
    let new = w.next_statuses(seen);
    assert_eq!(new.len(), 1, "one edit, one rebuild: {new:?}");
    assert_eq!(
        documents_in(&new[0]),
        2,
        "the table's customers: {}",
        w.stderr()
    );
    let knip = root.join("out/example/customers/kapsalon-knip/terms.html");
    wait_for(
        "the table's new value",
        || fs::read_to_string(&knip).is_ok_and(|h| h.contains("EUR 70.000,-")),
        || w.stderr(),
    );

    let seen = w.statuses().len();
    save_by_rename(&table, &read(&table).replacen("EUR 70000", "veel", 1));
    let new = w.next_statuses(seen);
    assert!(new[0].contains("✗ 1 error(s)"), "{new:?}");
    assert!(
        w.stderr().contains("┌─ customers/example.csv:2:29"),
        "{}",
        w.stderr()
    );
    assert!(
        read(&knip).contains("EUR 70.000,-"),
        "the last good output stays"
    );
    w.assert_running();
}

// ---------------------------------------------------------------------------------------------
// 4. serve
// ---------------------------------------------------------------------------------------------

#[test]
fn serve_serves_the_preview_with_live_reload_and_an_error_overlay() {
    let p = new_project();
    let root = p.path();
    let clause = root.join(CLAUSE);
    let s = Loop::spawn(root, &["serve", "--port", "0"]);
    let port = s.port();
    s.wait_ready();

    // The index lists the vendor and its document, with links to the HTML and the PDF.
    let index = get(port, "/");
    assert_eq!(index.status, 200, "{index:?}");
    assert!(
        index
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/html")),
        "{index:?}"
    );
    let b = &index.body;
    assert!(b.contains("Voorbeeld Software B.V."), "{b}");
    assert!(b.contains("Algemene voorwaarden"), "{b}");
    assert!(b.contains("href=\"/example/terms.html\""), "{b}");
    assert!(b.contains("href=\"/example/terms.pdf\""), "{b}");

    // The document, with the live-reload script injected before </body>.
    let doc = get(port, "/example/terms.html");
    assert_eq!(doc.status, 200, "{doc:?}");
    assert!(
        doc.header("content-type")
            .is_some_and(|c| c.starts_with("text/html")),
        "{doc:?}"
    );
    assert!(
        doc.body.contains("ten minste 99,8% per kalendermaand"),
        "{}",
        doc.body
    );
    let script = doc
        .body
        .find("EventSource('/__events?since=")
        .expect("no live-reload script");
    assert!(script < doc.body.rfind("</body>").unwrap());
    assert!(!doc.body.contains("id=\"cb-overlay\""));
    // The file on disk stays as built: the script is added when serving.
    assert!(!read(&root.join(TERMS_HTML)).contains("__events"));
    // Other files as they are.
    let md = get(port, "/example/terms.md");
    assert_eq!(md.status, 200);
    assert_eq!(md.body, read(&root.join("out/example/terms.md")));

    // The event stream.
    let events = Events::open(port);
    assert!(events.head.starts_with("HTTP/1.1 200"), "{}", events.head);
    assert!(
        events
            .head
            .to_ascii_lowercase()
            .contains("content-type: text/event-stream"),
        "{}",
        events.head
    );

    // An edit: `event: reload`, and the page shows the new text.
    let seen = events.events().len();
    save_by_rename(&clause, &clause_text(&good_body("wijziging delta")));
    events.next("reload", seen, &s);
    let doc = get(port, "/example/terms.html");
    assert!(doc.body.contains("(wijziging delta)"), "{}", doc.body);

    // A broken edit: `event: errors` with the diagnostic, and an overlay on every page.
    let seen = events.events().len();
    save_by_rename(&clause, &clause_text(BROKEN_BODY));
    let data = events.next("errors", seen, &s);
    let report: String = serde_json::from_str(&data)
        .unwrap_or_else(|e| panic!("the errors event is not a JSON string ({e}): {data}"));
    assert!(
        report.contains("error: unknown parameter `service.availabilty`"),
        "{report}"
    );
    assert!(report.contains(&format!("{CLAUSE}:6:17")), "{report}");
    assert!(report.contains("<i>cursief</i> & wel"), "{report}");

    let doc = get(port, "/example/terms.html");
    assert_eq!(doc.status, 200);
    let b = &doc.body;
    let at = b
        .find("<div id=\"cb-overlay\">")
        .unwrap_or_else(|| panic!("no overlay:\n{b}"));
    let overlay = &b[at..];
    assert!(
        overlay.contains("unknown parameter `service.availabilty`"),
        "{overlay}"
    );
    assert!(overlay.contains(&format!("{CLAUSE}:6:17")), "{overlay}");
    // The source line is escaped: it shows as text, it is no markup.
    assert!(
        overlay.contains("&lt;i&gt;cursief&lt;/i&gt; &amp; wel"),
        "{overlay}"
    );
    assert!(!b.contains("<i>cursief</i>"), "unescaped error text:\n{b}");
    // Under the overlay: the last good document.
    assert!(b.contains("(wijziging delta)"), "{b}");
    assert!(get(port, "/").body.contains("id=\"cb-overlay\""));

    // The fix: `event: reload`, and the overlay is gone.
    let seen = events.events().len();
    save_by_rename(&clause, &clause_text(&good_body("wijziging echo")));
    events.next("reload", seen, &s);
    let doc = get(port, "/example/terms.html");
    assert!(doc.body.contains("(wijziging echo)"), "{}", doc.body);
    assert!(!doc.body.contains("id=\"cb-overlay\""), "{}", doc.body);

    // Nothing outside the output directory.
    for target in [
        "/../clausebook.yaml",
        "/%2e%2e/clausebook.yaml",
        "/%2E%2E/clausebook.yaml",
        "/..%2fclausebook.yaml",
        "/example/../../clausebook.yaml",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/nothing-here.html",
    ] {
        let r = get(port, target);
        assert_eq!(r.status, 404, "GET {target}: {r:?}");
        assert!(!r.body.contains("Mijn voorwaarden"), "GET {target}: {r:?}");
    }

    // Only GET and HEAD.
    let r = request(port, "POST", "/");
    assert_eq!(r.status, 405, "{r:?}");
    let r = request(port, "DELETE", "/example/terms.html");
    assert_eq!(r.status, 405, "{r:?}");
    assert!(root.join(TERMS_HTML).is_file());
    let r = request(port, "HEAD", "/example/terms.html");
    assert_eq!(r.status, 200, "{r:?}");
    assert!(r.body.is_empty(), "HEAD with a body: {r:?}");

    s.assert_running();
}

// ---------------------------------------------------------------------------------------------
// 5. The live preview in a real browser
// ---------------------------------------------------------------------------------------------

#[test]
fn browser_reloads_after_an_edit() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = repo.join("tests/browser/reload.mjs");
    let chromium =
        std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    let mut missing = Vec::new();
    if !Path::new(&chromium).is_file() {
        missing.push(format!(
            "Chromium at {chromium}: install it with `apt-get install -y chromium`"
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node: install Node.js (20 or newer) and npm".to_string());
    }
    if !repo
        .join("tests/browser/node_modules/playwright-core/package.json")
        .is_file()
    {
        missing.push(
            "tests/browser/node_modules/playwright-core: run `npm ci --prefix tests/browser`"
                .to_string(),
        );
    }
    assert!(
        missing.is_empty(),
        "the browser test cannot run; missing:\n  - {}\n(.ci/run installs all of these)",
        missing.join("\n  - ")
    );

    let p = new_project();
    let s = Loop::spawn(p.path(), &["serve", "--port", "0"]);
    let port = s.port();
    s.wait_ready();

    let shot_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(&shot_dir).unwrap();
    let shot = shot_dir.join("editor_loop_overlay.png");
    let _ = fs::remove_file(&shot);
    let mut node = Command::new("node")
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}/example/terms.html"))
        .arg(p.path().join(CLAUSE))
        .arg(&shot)
        .env("CHROMIUM_PATH", &chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let out = Buffer::default();
    out.fill_from(node.stdout.take().unwrap());
    out.fill_from(node.stderr.take().unwrap());
    // Every wait in the script has its own 30 s timeout; this bound only catches a hang.
    let start = Instant::now();
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = node.kill();
            let _ = node.wait();
            panic!(
                "the browser test hung\n--- node ---\n{}\n--- serve ---\n{}",
                out.text(),
                s.stderr()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Let the reader threads take the last output.
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        status.success(),
        "the browser test failed ({status})\n--- node ---\n{}\n--- serve ---\n{}",
        out.text(),
        s.stderr()
    );
    assert!(shot.is_file(), "no screenshot at {}", shot.display());
    eprintln!("screenshot of the error overlay: {}", shot.display());
    s.assert_running();
}

/// Send raw request bytes; the status of the answer (0 if the server closed without one).
fn raw_status(port: u16, request: &[u8]) -> u16 {
    let mut s = connect(port);
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw);
    raw.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn serve_refuses_oversized_headers_and_foreign_hosts() {
    let p = new_project();
    let s = Loop::spawn(p.path(), &["serve", "--port", "0"]);
    let port = s.port();
    s.wait_ready();

    // Headers past 8 KB: 431, and the server goes on.
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    assert_eq!(raw_status(port, big.as_bytes()), 431);
    // A name other than localhost (DNS rebinding): 403. No Host at all: 400.
    assert_eq!(
        raw_status(port, b"GET / HTTP/1.1\r\nHost: evil.example:3000\r\n\r\n"),
        403
    );
    assert_eq!(raw_status(port, b"GET / HTTP/1.0\r\n\r\n"), 400);
    for host in ["localhost:1", "127.0.0.1", "[::1]:3000"] {
        let req = format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
        assert_eq!(raw_status(port, req.as_bytes()), 200, "{host}");
    }

    // More connections than the server serves at once: the extra ones get 503, and once they
    // close the server answers again.
    // The server takes the held connections in as fast as the machine lets it: ask until
    // they fill it (a busy machine needs longer than an idle one), within 20 s.
    let held: Vec<TcpStream> = (0..80).map(|_| connect(port)).collect();
    let start = Instant::now();
    let answer = loop {
        let mut extra = connect(port);
        let _ = extra.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        let mut raw = Vec::new();
        let _ = extra.read_to_end(&mut raw);
        let head = String::from_utf8_lossy(&raw)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        if head.starts_with("HTTP/1.1 503") || start.elapsed() > Duration::from_secs(20) {
            break head;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(held);
    wait_for(
        "the server to answer after the held connections closed",
        || {
            raw_status(
                port,
                format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
            ) == 200
        },
        || s.stderr(),
    );
    s.assert_running();
}

#[test]
fn watch_keeps_watching_a_directory_that_was_replaced() {
    let p = new_project();
    let root = p.path();
    let html = root.join(TERMS_HTML);
    let w = Loop::spawn(root, &["watch", "--format", "html"]);
    w.wait_ready();
    let page = || fs::read_to_string(&html).unwrap_or_default();

    // `mv clauses c.old && cp -r c.old clauses`, as a script or a git checkout might.
    fs::rename(root.join("clauses"), root.join("c.old")).unwrap();
    copy_tree(&root.join("c.old"), &root.join("clauses"));
    let seen = w.statuses().len();
    wait_for(
        "a rebuild after the directory came back",
        || w.statuses().len() > seen && w.statuses().last().is_some_and(|l| l.contains("✓")),
        || w.stderr(),
    );

    // An edit in the new directory is rebuilt.
    fs::write(root.join(CLAUSE), clause_text(&good_body("na vervanging"))).unwrap();
    wait_for(
        "the edit in the replaced directory in the HTML",
        || page().contains("(na vervanging)"),
        || format!("{}\n--- html ---\n{}", w.stderr(), page()),
    );
    // And the old copy is no longer watched as if it were the library.
    fs::write(
        root.join("c.old/10-service/01-availability.md"),
        clause_text(&good_body("oud")),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(!page().contains("(oud)"));
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
