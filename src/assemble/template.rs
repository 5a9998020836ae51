//! The Tera environment for clause bodies: one instance per project holding every clause
//! template, the locale filters, `ref()`, and Markdown escaping of every inserted value.
//!
//! Why Tera 2: it reports template errors with line and column, and has no `get_env`, `now`
//! or random functions, so a clause can read nothing but its context.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value as TValue};

use crate::diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};
use crate::load::{Clause, Project};
use crate::params::locale::{self, DurationUnit, Locale, MoneyStyle};

/// Where a template's text sits in its file, so Tera's spans map back to file positions.
struct Origin {
    file: FileId,
    /// The template text as given to Tera.
    text: String,
    offset: usize,
    /// Text inserted by [`rewrite`], as (offset in the rewritten text, length), so error
    /// positions map back to the file.
    inserts: Vec<(usize, usize)>,
}

pub struct ClauseTemplates {
    tera: Tera,
    origins: HashMap<String, Origin>,
    broken: HashSet<String>,
}

/// Template name of a clause body: its file path, unique by construction.
pub fn body_name(project: &Project, c: &Clause) -> String {
    project.sources.name(c.file).to_string()
}

pub fn when_name(project: &Project, c: &Clause) -> String {
    format!("when:{}", project.sources.name(c.file))
}

const WHEN_PREFIX: &str = "{% if ";
const WHEN_SUFFIX: &str = " %}1{% endif %}";

impl ClauseTemplates {
    pub fn build(project: &Project) -> (ClauseTemplates, Diagnostics) {
        let mut tera = Tera::new();
        tera.set_escape_fn(crate::render::markdown::escape_into);
        register(&mut tera);
        super::sandbox::register(&mut tera);
        let mut me = ClauseTemplates {
            tera,
            origins: HashMap::new(),
            broken: HashSet::new(),
        };
        let mut diags = Diagnostics::default();
        for c in all_clauses(project) {
            let name = body_name(project, c);
            if me.origins.contains_key(&name) {
                continue;
            }
            let (text, inserts) = rewrite(&c.body);
            me.origins.insert(
                name,
                Origin {
                    file: c.file,
                    offset: c.body_offset,
                    inserts,
                    text,
                },
            );
            if let Some(w) = &c.when {
                let text = format!("{WHEN_PREFIX}{}{WHEN_SUFFIX}", w.expr);
                let offset = w.span.start + quote_len(project, w);
                let origin = Origin {
                    file: w.file,
                    offset: offset.saturating_sub(WHEN_PREFIX.len()),
                    inserts: vec![],
                    text,
                };
                me.origins.insert(when_name(project, c), origin);
            }
        }
        // Module constraints, evaluated like conditions.
        for m in project.library.modules.values() {
            for (i, rule) in m.constraints.iter().enumerate() {
                me.origins.insert(
                    constraint_name(&m.id, i),
                    Origin {
                        file: rule.file,
                        offset: rule.span.start.saturating_sub(WHEN_PREFIX.len()),
                        inserts: vec![],
                        text: format!("{WHEN_PREFIX}{}{WHEN_SUFFIX}", rule.what),
                    },
                );
            }
        }
        // Tera re-checks every template on each insert, so add them in one batch; only when
        // that fails, add them one by one to find every broken template.
        let batch = me.tera.add_raw_templates(
            me.origins
                .iter()
                .map(|(n, o)| (n.as_str(), o.text.as_str())),
        );
        if batch.is_err() {
            let mut names: Vec<String> = me.origins.keys().cloned().collect();
            names.sort();
            for name in names {
                let origin = &me.origins[&name];
                if let Err(e) = me.tera.add_raw_template(&name, &origin.text) {
                    diags.push(me.map_error(&e, origin, &name));
                    me.broken.insert(name);
                }
            }
        }
        // Escape everything: every template here produces Markdown.
        me.tera.autoescape_on(vec![""]);
        (me, diags)
    }

    pub fn mark_broken(&mut self, name: &str) {
        self.broken.insert(name.to_string());
    }

    pub fn broken_count(&self) -> usize {
        self.broken.len()
    }

    pub fn is_broken(&self, name: &str) -> bool {
        self.broken.contains(name)
    }

    /// Render within the limits of `sandbox`: a render that runs into one is an error at
    /// the clause, never a hang or an abort.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        use super::sandbox;
        sandbox::start();
        let mut out = Vec::with_capacity(256);
        let result = self
            .tera
            .render_to(name, ctx, sandbox::CappedWriter(&mut out));
        let origin = &self.origins[name];
        if let Some(limit) = sandbox::exceeded() {
            let at = result
                .err()
                .map(|e| self.map_error(&e, origin, name).span)
                .unwrap_or(origin.offset..origin.offset);
            return Err(Diagnostic::error(limit.message())
                .at(origin.file, at)
                .label("stopped here")
                .hint("a clause is text with values, conditions and short loops; move computation into parameters"));
        }
        result.map_err(|e| self.map_error(&e, origin, name))?;
        String::from_utf8(out).map_err(|_| {
            Diagnostic::error("the clause rendered to invalid UTF-8")
                .at(origin.file, origin.offset..origin.offset)
        })
    }

    /// Evaluate a clause's `when`; a broken condition counts as false (its error is reported).
    pub fn when(&self, name: &str, ctx: &Context) -> Result<bool, Diagnostic> {
        if self.is_broken(name) {
            return Ok(false);
        }
        self.render(name, ctx).map(|s| s == "1")
    }

    fn map_error(&self, e: &tera::Error, origin: &Origin, name: &str) -> Diagnostic {
        let (message, range) = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                (r.message().to_string(), Some(r.span().range.clone()))
            }
            _ => parse_msg(&e.to_string(), name, &origin.text),
        };
        let mut message = clean_message(&message);
        // Tera lists every variable in the context, internal ones (`__locale`) included: name
        // the unknown one, and suggest from the names an editor can write.
        let mut suggestion = None;
        if let Some((head, rest)) = message.split_once(" is not defined. Available variables: ")
            && let Some(name) = head
                .strip_prefix("variable `")
                .and_then(|h| h.strip_suffix('`'))
        {
            let known: Vec<&str> = rest.split(", ").filter(|v| !v.starts_with("__")).collect();
            suggestion = did_you_mean(name, known.iter().copied());
            message =
                format!("unknown name `{name}`: no module, party or document field is called that");
        }
        // A condition (`when:`, a module constraint) is wrapped in `{% if ... %}` to be
        // evaluated: speak of the condition, never of the wrapper the editor did not write.
        let condition = name.starts_with("when:") || name.starts_with("constraint:");
        if condition {
            message = message
                .replace("but expected %}", "where the condition should end")
                .replace("expected %}", "expected the end of the condition");
        }
        let Some(range) = range else {
            return Diagnostic::error(format!("template error: {message}"))
                .at(origin.file, origin.offset..origin.offset);
        };
        // A position inside inserted text maps to where it was inserted.
        let map = |p: usize| {
            let shift: usize = origin
                .inserts
                .iter()
                .filter(|(i, _)| *i < p)
                .map(|(i, len)| (*len).min(p - i))
                .sum();
            origin.offset + p - shift
        };
        let span = map(range.start)..map(range.end).max(map(range.start));
        let mut d = Diagnostic::error(message.clone())
            .at(origin.file, span)
            .label("here");
        if let Some(h) = suggestion.or_else(|| hint_for(&message)) {
            d = d.hint(h);
        }
        if condition && message.contains("found `=`") {
            d = d.hint("to compare, write `==` (or `!=`): `raw.payment.method == \"invoice\"`");
        }
        d
    }
}

/// The template name of a module's constraint.
pub fn constraint_name(module: &str, index: usize) -> String {
    format!("constraint:{module}:{index}")
}

/// Every clause a project can use: the library's plus every vendor's and customer's own.
pub fn all_clauses(project: &Project) -> Vec<&Clause> {
    let mut out: Vec<&Clause> = project.library.clauses.values().collect();
    // Translations are templates of their own; sorted so that error order is stable.
    let mut translations: Vec<&Clause> = (project.library.translations.values())
        .map(|t| &t.clause)
        .collect();
    translations.sort_by_key(|c| c.file);
    out.extend(translations);
    for v in project.vendors.values() {
        let mut choices = vec![&v.choices];
        choices.extend(v.customers.values().map(|c| &c.choices));
        for ch in choices {
            out.extend(ch.replace.values().map(|(c, _)| c));
            out.extend(ch.add.iter().map(|(c, _)| c));
        }
    }
    out
}

fn quote_len(project: &Project, w: &crate::load::library::When) -> usize {
    let text = project.sources.text(w.file);
    match text.as_bytes().get(w.span.start) {
        Some(b'"') | Some(b'\'') => 1,
        _ => 0,
    }
}

/// The template text Tera gets for a clause body: `ref("id")` becomes `ref(id="id")` (Tera 2
/// functions take keyword arguments only; editors write `ref("id")` as the spec says), and
/// every loop body starts with the step counter of `sandbox`. Returns the text and what was
/// inserted where, to map error columns back.
fn rewrite(body: &str) -> (String, Vec<(usize, usize)>) {
    let tags = super::scan::scan(body).tags;
    let mut points: Vec<(usize, &str)> = ref_points(body).into_iter().map(|p| (p, "id=")).collect();
    points.extend(super::sandbox::step_points(body, &tags));
    points.sort_by_key(|(p, _)| *p);
    let mut out = String::with_capacity(body.len() + 16 * points.len());
    let mut inserts = Vec::with_capacity(points.len());
    let mut from = 0;
    for (at, text) in points {
        out.push_str(&body[from..at]);
        inserts.push((out.len(), text.len()));
        out.push_str(text);
        from = at;
    }
    out.push_str(&body[from..]);
    (out, inserts)
}

/// Offsets in `body` just after the `(` of each `ref("...")` call.
fn ref_points(body: &str) -> Vec<usize> {
    let mut points = Vec::new();
    let mut pos = 0;
    while let Some(i) = body[pos..].find("ref(").map(|i| i + pos) {
        let after = &body[i + 4..];
        let trimmed = after.trim_start();
        let prev_ok = i == 0
            || !body.as_bytes()[i - 1].is_ascii_alphanumeric() && body.as_bytes()[i - 1] != b'_';
        if prev_ok && (trimmed.starts_with('"') || trimmed.starts_with('\'')) {
            points.push(i + 4);
        }
        pos = i + 4;
    }
    points
}

/// Tera reports some errors (unknown functions and filters) only as rendered text:
/// take the first message and its ` --> name:line:col` position.
fn parse_msg(msg: &str, name: &str, text: &str) -> (String, Option<Range<usize>>) {
    let first = msg
        .lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(msg.lines().next().unwrap_or(msg))
        .to_string();
    let marker = format!("--> {name}:");
    let pos = msg.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix(marker.trim_start())?;
        let (line, col) = rest.split_once(':')?;
        Some((
            line.trim().parse::<usize>().ok()?,
            col.trim().parse::<usize>().ok()?,
        ))
    });
    let range = pos.map(|(line, col)| {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let at = text[line_start..]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| line_start + i)
            .unwrap_or(text.len());
        at..at
    });
    (first, range)
}

/// Filters a clause can use: clausebook's own and the common ones of Tera, for did-you-mean.
const FILTERS: &[&str] = &[
    "count",
    "words",
    "duration",
    "money",
    "percent",
    "date",
    "decimal",
    "join_list",
    "hours",
    "days",
    "lower",
    "upper",
    "capitalize",
    "title",
    "trim",
    "replace",
    "default",
    "length",
    "join",
    "first",
    "last",
    "round",
    "abs",
    "safe",
    "truncate",
    "split",
    "int",
    "float",
];

fn clean_message(m: &str) -> String {
    let m = m.trim().trim_end_matches('.');
    let mut chars = m.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.split("is not defined. Available fields: ").nth(1) {
        let name = message.split('`').nth(1).unwrap_or_default();
        let fields: Vec<&str> = rest.split(", ").collect();
        return did_you_mean(name, fields.iter().copied())
            .or_else(|| Some(format!("available: {rest}")));
    }
    if message.contains("end of input") {
        return Some("a block is not closed: every `{% if %}` needs its `{% endif %}`, every `{% for %}` its `{% endfor %}`".into());
    }
    if message.contains("unknown filter") {
        let name = message.split('`').nth(1).unwrap_or_default();
        if let Some(h) = did_you_mean(name, FILTERS.iter().copied()) {
            return Some(h);
        }
    }
    if message.contains("unknown function") || message.contains("unknown filter") {
        return Some("clause functions: ref; filters: count, words, duration, money, percent, date, decimal, join_list, hours, days and Tera's own".into());
    }
    None
}

fn state_locale(state: &State) -> Locale {
    state
        .get::<String>("__locale")
        .ok()
        .flatten()
        .and_then(|s| Locale::parse(&s))
        .unwrap_or_default()
}

fn state_money_style(state: &State) -> MoneyStyle {
    state
        .get::<String>("__money_style")
        .ok()
        .flatten()
        .and_then(|s| MoneyStyle::parse(&s))
        .unwrap_or_default()
}

fn err(msg: impl Into<String>) -> tera::Error {
    tera::Error::message(msg.into())
}

fn to_decimal(v: &TValue) -> TeraResult<Decimal> {
    if let Some(i) = v.as_i64() {
        return Ok(Decimal::from(i));
    }
    if let Some(f) = v.as_f64() {
        return Decimal::try_from(f).map_err(|_| err(format!("{f} is not a usable number")));
    }
    if let Some(s) = v.as_str() {
        return s
            .replace(',', ".")
            .parse::<Decimal>()
            .map_err(|_| err(format!("`{s}` is not a number")));
    }
    Err(err(format!("expected a number, found {}", v.name())))
}

fn to_count(v: &TValue) -> TeraResult<u64> {
    v.as_u64()
        .or_else(|| v.as_i64().and_then(|i| u64::try_from(i).ok()))
        .ok_or_else(|| {
            err(format!(
                "expected a whole number of at least 0, found {}",
                v.name()
            ))
        })
}

/// A raw duration `{amount, unit}` in hours, for comparisons in conditions and module
/// `constraints:` ("the breach notice must come within 72 hours"). Calendar approximations:
/// a werkdag is 24 hours of a 5-in-7 week (so 5 werkdagen ≈ 7 dagen), a month 30 days, a year
/// 365 days.
fn duration_hours(v: &TValue) -> TeraResult<f64> {
    let amount = to_count(v.get_from_path("amount").unwrap_or(&TValue::none()))? as f64;
    let unit = v
        .get_from_path("unit")
        .and_then(|u| u.as_str())
        .and_then(DurationUnit::parse)
        .ok_or_else(|| {
            err("`hours` and `days` take a raw duration, e.g. `raw.payment.payment_term | days`")
        })?;
    let per = match unit {
        DurationUnit::Hours => 1.0,
        DurationUnit::Days => 24.0,
        DurationUnit::WorkingDays => 24.0 * 7.0 / 5.0,
        DurationUnit::Weeks => 24.0 * 7.0,
        DurationUnit::Months => 24.0 * 30.0,
        DurationUnit::Years => 24.0 * 365.0,
    };
    Ok(amount * per)
}

fn register(tera: &mut Tera) {
    tera.register_filter(
        "hours",
        |v: TValue, _: Kwargs, _: &State| -> TeraResult<f64> { duration_hours(&v) },
    );
    tera.register_filter(
        "days",
        |v: TValue, _: Kwargs, _: &State| -> TeraResult<f64> { Ok(duration_hours(&v)? / 24.0) },
    );
    tera.register_filter(
        "count",
        |v: TValue, _: Kwargs, s: &State| -> TeraResult<String> {
            Ok(locale::count(to_count(&v)?, state_locale(s)))
        },
    );
    tera.register_filter(
        "words",
        |v: TValue, _: Kwargs, s: &State| -> TeraResult<String> {
            let n = to_count(&v)?;
            Ok(locale::number_words(n, state_locale(s)).unwrap_or_else(|| n.to_string()))
        },
    );
    tera.register_filter(
        "duration",
        |v: TValue, kw: Kwargs, s: &State| -> TeraResult<String> {
            // Accepts a raw duration `{amount, unit}` or a number with `unit=`.
            let (amount, unit) = match v.as_map() {
                Some(_) => (
                    to_count(v.get_from_path("amount").unwrap_or(&TValue::none()))?,
                    v.get_from_path("unit")
                        .and_then(|u| u.as_str())
                        .unwrap_or_default()
                        .to_string(),
                ),
                None => (to_count(&v)?, kw.must_get::<String>("unit")?),
            };
            let unit = DurationUnit::parse(&unit)
                .ok_or_else(|| err(format!("unknown duration unit `{unit}`")))?;
            Ok(locale::duration(amount, unit, state_locale(s)))
        },
    );
    tera.register_filter(
        "money",
        |v: TValue, kw: Kwargs, s: &State| -> TeraResult<String> {
            let (amount, currency) = match v.as_map() {
                Some(_) => (
                    to_decimal(v.get_from_path("amount").unwrap_or(&TValue::none()))?,
                    v.get_from_path("currency")
                        .and_then(|c| c.as_str())
                        .unwrap_or("EUR")
                        .to_string(),
                ),
                None => (
                    to_decimal(&v)?,
                    kw.get::<String>("currency")?
                        .unwrap_or_else(|| "EUR".into()),
                ),
            };
            Ok(locale::money(
                amount,
                &currency,
                state_money_style(s),
                state_locale(s),
            ))
        },
    );
    tera.register_filter(
        "percent",
        |v: TValue, _: Kwargs, s: &State| -> TeraResult<String> {
            Ok(locale::percent(to_decimal(&v)?, state_locale(s)))
        },
    );
    tera.register_filter(
        "decimal",
        |v: TValue, _: Kwargs, s: &State| -> TeraResult<String> {
            Ok(locale::decimal(to_decimal(&v)?, state_locale(s)))
        },
    );
    tera.register_filter(
        "date",
        |v: &str, _: Kwargs, s: &State| -> TeraResult<String> {
            let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| err(format!("`{v}` is not a date (YYYY-MM-DD)")))?;
            Ok(locale::date(d, state_locale(s)))
        },
    );
    tera.register_filter(
        "join_list",
        |v: TValue, _: Kwargs, s: &State| -> TeraResult<String> {
            let items: Vec<String> = v
                .as_array()
                .ok_or_else(|| err(format!("expected a list, found {}", v.name())))?
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect();
            Ok(locale::join_list(&items, state_locale(s)))
        },
    );
    tera.register_function("ref", |kw: Kwargs, s: &State| -> TeraResult<TValue> {
        let id: String = kw.must_get("id")?;
        let bare = kw.get::<bool>("bare")?.unwrap_or(false);
        let capital = kw.get::<bool>("capital")?.unwrap_or(false);
        let refs: Option<TValue> = s.get("__refs")?;
        let found = refs.as_ref().and_then(|r| lookup(r, &id));
        let Some(number) = found.and_then(|n| n.as_str().map(str::to_string)) else {
            let why: Option<TValue> = s.get("__excluded")?;
            let reason = why
                .as_ref()
                .and_then(|r| lookup(r, &id))
                .and_then(|r| r.as_str().map(str::to_string));
            return Err(err(match reason {
                Some(r) => format!("reference to `{id}`, which is not in this document: {r}"),
                None => format!("reference to unknown clause `{id}`"),
            }));
        };
        let word = match (state_locale(s), capital) {
            (Locale::Nl, false) => "artikel",
            (Locale::Nl, true) => "Artikel",
            (Locale::En, false) => "clause",
            (Locale::En, true) => "Clause",
        };
        let unnumbered: Option<TValue> = s.get("__unnumbered")?;
        let article: Option<TValue> = s.get("__article")?;
        let own_article = unnumbered.is_some_and(|u| u.as_bool() == Some(true))
            && article.as_ref().and_then(|a| a.as_str())
                == Some(id.split('.').next().unwrap_or_default());
        let text = if own_article && !bare {
            match (state_locale(s), capital) {
                (Locale::Nl, false) => "dit artikel".to_string(),
                (Locale::Nl, true) => "Dit artikel".to_string(),
                (Locale::En, false) => "this clause".to_string(),
                (Locale::En, true) => "This clause".to_string(),
            }
        } else if bare {
            number
        } else {
            format!("{word} {number}")
        };
        Ok(TValue::safe_string(&format!("[{text}](#{id})")))
    });
}

fn lookup<'v>(map: &'v TValue, key: &str) -> Option<&'v TValue> {
    map.as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}
