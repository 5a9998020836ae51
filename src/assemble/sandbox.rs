//! What a clause template may do, and how much of it.
//!
//! Tera 2 has no hook to stop a render that runs too long or grows too large, so the limits
//! are built around it:
//!
//! - **Tags**: a clause holds text, conditions and loops. `set`/`set_global` are refused
//!   statically: a variable fed back into itself (`s = s ~ s`, 29 times) doubles memory per
//!   line, and without variables no value can grow faster than the text that writes it.
//!   `include`, `extends`, `block`, `macro`, `import` and components have no use in a clause.
//! - **Steps**: every `{% for %}` body is rewritten to start with a call to a step counter
//!   (`{{ __step() }}`, which writes nothing), so every loop iteration, over `range()` or
//!   anything else, counts against [`MAX_STEPS`] per render and against the clock
//!   ([`MAX_TIME`]). Nested `range(10000)` loops stop after 100 000 steps instead of running
//!   for minutes.
//! - **Size**: output goes through a writer that refuses more than [`MAX_OUTPUT`] bytes, and
//!   `replace` (the one built-in filter that can multiply a text) is capped the same way.

use std::cell::Cell;
use std::ops::Range;
use std::time::{Duration, Instant};

use tera::{Kwargs, State, StringInput, Tera, TeraResult, Value as TValue};

/// Largest rendered clause, in bytes.
pub const MAX_OUTPUT: usize = 1024 * 1024;
/// Loop iterations per render of one clause.
pub const MAX_STEPS: u64 = 100_000;
/// Time for one render of one clause.
pub const MAX_TIME: Duration = Duration::from_secs(2);

const STEP_FN: &str = "__step";

/// Tags a clause body may use.
const ALLOWED_TAGS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "endfor",
    "break",
    "continue",
    "raw",
    "endraw",
    "filter",
    "endfilter",
];

/// Which limit a render ran into, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Steps,
    Time,
    Output,
}

impl Exceeded {
    pub fn message(self) -> String {
        match self {
            Exceeded::Steps => format!(
                "the clause's loops run more than {MAX_STEPS} times; a clause may loop over its values, not compute"
            ),
            Exceeded::Time => format!(
                "the clause took more than {} s to render",
                MAX_TIME.as_secs()
            ),
            Exceeded::Output => format!(
                "the clause renders to more than {} KB of text",
                MAX_OUTPUT / 1024
            ),
        }
    }
}

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    static EXCEEDED: Cell<Option<Exceeded>> = const { Cell::new(None) };
}

/// Reset the budget before rendering one template on this thread.
pub fn start() {
    STEPS.set(0);
    DEADLINE.set(Some(Instant::now() + MAX_TIME));
    EXCEEDED.set(None);
}

/// The limit the last render on this thread ran into.
pub fn exceeded() -> Option<Exceeded> {
    EXCEEDED.get()
}

fn fail(e: Exceeded) -> tera::Error {
    EXCEEDED.set(Some(e));
    tera::Error::message(e.message())
}

fn check_time() -> Result<(), Exceeded> {
    match DEADLINE.get() {
        Some(d) if Instant::now() > d => Err(Exceeded::Time),
        _ => Ok(()),
    }
}

fn step() -> TeraResult<TValue> {
    let n = STEPS.get() + 1;
    STEPS.set(n);
    if n > MAX_STEPS {
        return Err(fail(Exceeded::Steps));
    }
    // The clock is read every 256 steps: cheap, and often enough.
    if n.is_multiple_of(256) {
        check_time().map_err(fail)?;
    }
    Ok(TValue::from(""))
}

/// The step counter and the capped `replace`.
pub fn register(tera: &mut Tera) {
    tera.register_function(STEP_FN, |_: Kwargs, _: &State| step());
    tera.register_filter(
        "replace",
        |val: StringInput, kw: Kwargs, state: &State| -> TeraResult<TValue> {
            let from = kw.must_get::<&str>("from")?;
            let to = kw.must_get::<StringInput>("to")?;
            let safe = state.autoescaping_enabled() && (val.is_safe() || to.is_safe());
            let (text, with) = if safe {
                (
                    val.rendered(state)?.to_string(),
                    to.rendered(state)?.to_string(),
                )
            } else {
                (val.as_str().to_string(), to.as_str().to_string())
            };
            let hits = if from.is_empty() {
                text.chars().count() + 1
            } else {
                text.matches(from).count()
            };
            if text.len() + hits.saturating_mul(with.len()) > MAX_OUTPUT {
                return Err(fail(Exceeded::Output));
            }
            let out = text.replace(from, &with);
            Ok(if safe {
                TValue::safe_string(&out)
            } else {
                TValue::from(out)
            })
        },
    );
}

/// Output that refuses to grow past [`MAX_OUTPUT`] and checks the clock as it grows.
pub struct CappedWriter<'a>(pub &'a mut Vec<u8>);

impl std::io::Write for CappedWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let over = if self.0.len() + buf.len() > MAX_OUTPUT {
            Some(Exceeded::Output)
        } else {
            check_time().err()
        };
        if let Some(e) = over {
            EXCEEDED.set(Some(e));
            return Err(std::io::Error::other(e.message()));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A `{% %}` tag: its keyword and where it is.
fn tags<'b>(body: &'b str, ranges: &[Range<usize>]) -> Vec<(&'b str, Range<usize>)> {
    ranges
        .iter()
        .filter(|r| body[(*r).clone()].starts_with("{%"))
        .map(|r| {
            let inner = body[r.start + 2..r.end]
                .trim_start_matches(['-', '+'])
                .trim_start();
            let word_end = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            (&inner[..word_end], r.clone())
        })
        .collect()
}

/// Tags a clause may not use, as (keyword, span in the body).
pub fn forbidden_tags(body: &str, ranges: &[Range<usize>]) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut in_raw = false;
    for (word, r) in tags(body, ranges) {
        match word {
            "raw" => in_raw = true,
            "endraw" => in_raw = false,
            _ if in_raw || ALLOWED_TAGS.contains(&word) => {}
            _ => out.push((word.to_string(), r)),
        }
    }
    out
}

/// Where a step counter goes: right after each `{% for %}` tag, with the text to insert
/// (`{{ __step() -}}` after a `-%}` tag, so its whitespace trimming still applies).
pub fn step_points(body: &str, ranges: &[Range<usize>]) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    let mut in_raw = false;
    for (word, r) in tags(body, ranges) {
        match word {
            "raw" => in_raw = true,
            "endraw" => in_raw = false,
            "for" if !in_raw && body[..r.end].ends_with("%}") => {
                let trims = body[..r.end].ends_with("-%}");
                out.push((
                    r.end,
                    if trims {
                        "{{ __step() -}}"
                    } else {
                        "{{ __step() }}"
                    },
                ));
            }
            _ => {}
        }
    }
    out
}
