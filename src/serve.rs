//! `serve`: a local preview server. It runs the `watch` loop, serves the output directory,
//! and tells open pages to reload after every rebuild through server-sent events; when the
//! input has errors the page shows them as an overlay instead of a stale document.
//!
//! The HTTP side is a few dozen lines on `std::net`: it only answers GET and HEAD from
//! 127.0.0.1, and server-sent events need a response that stays open and is flushed event by
//! event, which the small server crates buffer.

use crate::exit::{Exit, Fatal};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::build::load_project;
use crate::watch::{Outcome, Session};

pub struct ServeOptions {
    pub bind: String,
    pub port: u16,
    pub open: bool,
}

#[derive(Default)]
struct Live {
    generation: u64,
    errors: usize,
    report: String,
}

struct Shared {
    live: Mutex<Live>,
    changed: Condvar,
}

pub fn serve(session: Session, opts: &ServeOptions) -> Exit {
    let listener = TcpListener::bind((opts.bind.as_str(), opts.port))
        .map_err(|e| Fatal::input(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Fatal::input(e.to_string()))?;
    let url = format!("http://{addr}/");
    eprintln!("serving the preview on {url} (Ctrl-C to stop)");
    let shared = Arc::new(Shared {
        live: Mutex::new(Live::default()),
        changed: Condvar::new(),
    });
    let root = session.root.clone();
    let out_dir = load_project(&root)
        .map(|(p, _)| session.out_dir(&p))
        .unwrap_or_else(|_| root.join("out"));
    {
        let shared = shared.clone();
        let root = root.clone();
        let out_dir = out_dir.clone();
        let bind = opts.bind.clone();
        std::thread::spawn(move || accept_loop(listener, shared, root, out_dir, bind));
    }
    if opts.open {
        open_browser(&url);
    }
    let result = crate::watch::run(&session, |o: &Outcome| {
        let mut live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
        live.generation += 1;
        live.errors = o.errors;
        live.report = o.report.clone();
        shared.changed.notify_all();
    });
    result
        .map(|()| crate::exit::Outcome::Success)
        .map_err(Fatal::input)
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("note: could not start a browser; open {url} yourself");
    }
}

/// Connections served at once; more wait for a free slot's `503` (a page retries its event
/// stream by itself). Each holds a thread, and event streams stay open.
const MAX_CONNECTIONS: usize = 64;
/// The request line and headers together, at most: nothing here needs more.
const MAX_HEAD: usize = 8 * 1024;

/// Accept connections until the process ends. Nothing here may end the loop: a failed accept
/// (out of file descriptors) waits a moment, a failed thread start drops that one connection.
fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    root: PathBuf,
    out_dir: PathBuf,
    bind: String,
) {
    let open = Arc::new(AtomicUsize::new(0));
    let bind = Arc::new(bind);
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => {
                eprintln!("warning: preview server: cannot accept a connection: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = respond(&mut stream, 503, TEXT, b"too many connections\n", false);
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(open.clone());
        let (shared, root, out_dir, bind) =
            (shared.clone(), root.clone(), out_dir.clone(), bind.clone());
        let spawned = std::thread::Builder::new()
            .name("preview".into())
            .spawn(move || {
                let _slot = slot;
                let _ = handle(stream, &shared, &root, &out_dir, &bind);
            });
        if let Err(e) = spawned {
            eprintln!("warning: preview server: cannot start a thread for a connection: {e}");
        }
    }
}

/// A connection's place in the count; freed when the connection's thread ends (or never starts).
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

const TEXT: &str = "text/plain; charset=utf-8";

/// Whether a `Host` header names this machine: `localhost`, an IP address, or the address the
/// server was bound to. Anything else is a page on another site whose name was pointed at
/// 127.0.0.1 (DNS rebinding) to read the preview.
pub fn host_allowed(host: &str, bind: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((v6, _)) => return v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(n, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                n
            } else {
                host
            }
        })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || name == bind.to_ascii_lowercase()
}

/// Read the request line and headers, at most [`MAX_HEAD`] bytes: (request line, Host).
/// `Err(status)` for a request to refuse.
fn read_head(stream: &TcpStream) -> std::io::Result<Result<(String, Option<String>), u16>> {
    let mut reader = BufReader::new(stream.try_clone()?.take(MAX_HEAD as u64 + 1));
    let mut total = 0;
    let mut request = String::new();
    let mut host = None;
    let mut first = true;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        total += n;
        if total > MAX_HEAD {
            return Ok(Err(431));
        }
        if n == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if first {
            request = line;
            first = false;
        } else if let Some((k, v)) = line.split_once(':')
            && k.trim().eq_ignore_ascii_case("host")
        {
            host = Some(v.trim().to_string());
        }
    }
    Ok(Ok((request, host)))
}

fn handle(
    mut stream: TcpStream,
    shared: &Shared,
    root: &Path,
    out_dir: &Path,
    bind: &str,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let (line, host) = match read_head(&stream)? {
        Ok(x) => x,
        Err(status) => {
            return respond(
                &mut stream,
                status,
                TEXT,
                b"request headers too large\n",
                false,
            );
        }
    };
    match host {
        Some(h) if host_allowed(&h, bind) => {}
        Some(_) => {
            return respond(
                &mut stream,
                403,
                TEXT,
                b"this preview only answers to localhost\n",
                false,
            );
        }
        None => return respond(&mut stream, 400, TEXT, b"no Host header\n", false),
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or("/").to_string();
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            false,
        );
    }
    let head = method == "HEAD";
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    // A page says which build it shows (`?since=N`), so a rebuild between serving the page
    // and opening the stream still reaches it.
    let since = target
        .split_once("since=")
        .and_then(|(_, n)| n.split('&').next()?.parse::<u64>().ok());
    match path.as_str() {
        "/__events" => events(stream, shared, since),
        "/" | "/index.html" => {
            let live = snapshot(shared);
            let body = index(root, &live);
            respond(
                &mut stream,
                200,
                "text/html; charset=utf-8",
                body.as_bytes(),
                head,
            )
        }
        p => match file_in(out_dir, p) {
            Some(file) => {
                let bytes = std::fs::read(&file)?;
                let ext = file
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or_default();
                if ext == "html" {
                    let live = snapshot(shared);
                    let page = inject(&String::from_utf8_lossy(&bytes), &live);
                    respond(
                        &mut stream,
                        200,
                        "text/html; charset=utf-8",
                        page.as_bytes(),
                        head,
                    )
                } else {
                    respond(&mut stream, 200, content_type(ext), &bytes, head)
                }
            }
            None => respond(
                &mut stream,
                404,
                "text/plain; charset=utf-8",
                b"not found\n",
                head,
            ),
        },
    }
}

fn snapshot(shared: &Shared) -> (u64, usize, String) {
    let live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
    (live.generation, live.errors, live.report.clone())
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// A file under the output directory; nothing outside it, whatever the path says.
fn file_in(out_dir: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = url_path.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s.starts_with('.')) {
        return None;
    }
    let full = out_dir.join(rel).canonicalize().ok()?;
    let base = out_dir.canonicalize().ok()?;
    (full.starts_with(&base) && full.is_file()).then_some(full)
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "pdf" => "application/pdf",
        "md" => "text/markdown; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "typ" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Server-sent events: `reload` after a good rebuild, `errors` (JSON string) after a bad one.
fn events(mut stream: TcpStream, shared: &Shared, since: Option<u64>) -> std::io::Result<()> {
    let mut seen = since.unwrap_or_else(|| snapshot(shared).0);
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    stream.flush()?;
    loop {
        let live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
        let (live, _) = shared
            .changed
            .wait_timeout_while(live, Duration::from_secs(15), |l| l.generation == seen)
            .unwrap_or_else(|e| e.into_inner());
        let message = if live.generation == seen {
            ": keep-alive\n\n".to_string()
        } else {
            seen = live.generation;
            if live.errors > 0 {
                format!(
                    "event: errors\ndata: {}\n\n",
                    serde_json::to_string(&live.report).unwrap_or_default()
                )
            } else {
                format!("event: reload\ndata: {}\n\n", live.generation)
            }
        };
        drop(live);
        stream.write_all(message.as_bytes())?;
        stream.flush()?;
    }
}

const LIVE_SCRIPT: &str = r#"<script>
(function () {
  var es = new EventSource('/__events?since=__GENERATION__');
  // Tells a test driving the page that this page's stream is open (edits reach it from now).
  es.addEventListener('open', function () { document.documentElement.dataset.cbLive = '1'; });
  es.addEventListener('reload', function () { location.reload(); });
  es.addEventListener('errors', function (e) { show(JSON.parse(e.data)); });
  function show(text) {
    var o = document.getElementById('cb-overlay');
    if (!o) { o = document.createElement('div'); o.id = 'cb-overlay'; document.body.appendChild(o); }
    o.textContent = '';
    var h = document.createElement('h2'); h.textContent = 'clausebook: the terms have errors';
    var p = document.createElement('pre'); p.textContent = text;
    var n = document.createElement('p'); n.textContent = 'Fix them and save: this page reloads by itself.';
    o.appendChild(h); o.appendChild(p); o.appendChild(n);
  }
})();
</script>
<style>
#cb-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2rem;
  background: rgb(24, 24, 28); color: #f4f4f4; font: 14px/1.45 ui-monospace, monospace; }
#cb-overlay h2 { color: #ff8a80; font: 600 1.2rem/1.3 system-ui, sans-serif; margin: 0 0 1rem; }
#cb-overlay pre { white-space: pre-wrap; }
@media print { #cb-overlay { display: none; } }
</style>
"#;

fn html_escape(s: &str) -> String {
    crate::diff::report::esc(s)
}

/// Add the live-reload script, and the error overlay when the last build failed.
fn inject(page: &str, live: &(u64, usize, String)) -> String {
    let mut extra = LIVE_SCRIPT.replace("__GENERATION__", &live.0.to_string());
    if live.1 > 0 {
        extra.push_str(&format!(
            "<div id=\"cb-overlay\"><h2>clausebook: the terms have errors</h2><pre>{}</pre><p>Fix them and save: this page reloads by itself.</p></div>",
            html_escape(&live.2)
        ));
    }
    match page.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &page[..i], &page[i..]),
        None => format!("{page}{extra}"),
    }
}

/// The index: every vendor × document (and customer contract) with links to HTML and PDF.
fn index(root: &Path, live: &(u64, usize, String)) -> String {
    let mut rows = String::new();
    if let Ok((project, _)) = load_project(root) {
        for v in project.vendors.values() {
            rows.push_str(&format!("<h2>{}</h2><ul>", html_escape(v.party.name())));
            for d in project.documents.values() {
                if !v.publishes(d) {
                    continue;
                }
                let base = format!("{}/{}", v.id, d.id);
                let base = html_escape(&base);
                rows.push_str(&format!(
                    "<li><a href=\"/{base}.html\">{}</a> · <a href=\"/{base}.pdf\">PDF</a> · <a href=\"/{base}.md\">Markdown</a>",
                    html_escape(&d.title)
                ));
                if !v.customers.is_empty() {
                    rows.push_str("<ul>");
                    for c in v.customers.values() {
                        let cb = html_escape(&format!("{}/customers/{}/{}", v.id, c.id, d.id));
                        rows.push_str(&format!(
                            "<li><a href=\"/{cb}.html\">{}</a> · <a href=\"/{cb}.pdf\">PDF</a></li>",
                            html_escape(c.party.name())
                        ));
                    }
                    rows.push_str("</ul>");
                }
                rows.push_str("</li>");
            }
            rows.push_str("</ul>");
        }
    }
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>clausebook preview</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:0 auto;padding:1.5rem}}a{{color:#23415f}}li{{margin:.2rem 0}}</style></head>\
<body><h1>clausebook preview</h1><p>Customer contracts appear once built (`serve --all-customers`).</p>{rows}</body></html>"
    );
    inject(&page, live)
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn hosts() {
        for ok in [
            "localhost",
            "localhost:3000",
            "127.0.0.1:1",
            "[::1]:3000",
            "192.168.1.5:80",
            "LOCALHOST.",
        ] {
            assert!(host_allowed(ok, "127.0.0.1"), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "[nope]",
            "127.0.0.1.nip.io",
        ] {
            assert!(!host_allowed(bad, "127.0.0.1"), "{bad}");
        }
        assert!(host_allowed("preview.lan:3000", "preview.lan"));
    }
}
