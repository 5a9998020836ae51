//! `clausebook.yaml`: where things are and project-wide settings. Every key is optional.

use std::path::PathBuf;

use super::fields::MapReader;
use super::yaml::{Kind, Node};
use crate::catalogue::{self, Level};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Severity, did_you_mean};
use crate::params::{Locale, MoneyStyle};

#[derive(Debug, Clone)]
pub struct Manifest {
    pub name: String,
    pub clauses: PathBuf,
    pub templates: PathBuf,
    pub documents: PathBuf,
    pub vendors: PathBuf,
    pub customers: PathBuf,
    pub out: PathBuf,
    pub published: PathBuf,
    pub locale: Locale,
    pub money_style: MoneyStyle,
    /// Capitalised words that are names, not defined terms ("Nederland", "Europese Unie").
    pub proper_names: Vec<String>,
    /// Lint levels the project sets (`lints: {stale_law: warn}`); others keep their default.
    pub lints: Levels,
    /// The parameter (`module.name`) holding the notice period for changes to the terms.
    pub notice_period_parameter: String,
    /// The bool parameter that says whether a customer may terminate because of a change.
    pub notice_exit_parameter: String,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            name: String::new(),
            clauses: "clauses".into(),
            templates: "templates".into(),
            documents: "documents".into(),
            vendors: "vendors".into(),
            customers: "customers".into(),
            out: "out".into(),
            published: "published".into(),
            locale: Locale::Nl,
            money_style: MoneyStyle::Code,
            proper_names: Vec::new(),
            lints: Levels::default(),
            notice_period_parameter: "changes.notice_period".into(),
            notice_exit_parameter: "changes.customer_exit".into(),
        }
    }
}

pub fn parse(file: FileId, node: &Node, diags: &mut Diagnostics) -> Manifest {
    let mut m = Manifest::default();
    let Some(mut r) = MapReader::new(file, node, "clausebook.yaml", diags) else {
        return m;
    };
    if let Some(v) = r.string("name") {
        m.name = v;
    }
    for (key, slot) in [
        ("clauses", &mut m.clauses),
        ("templates", &mut m.templates),
        ("documents", &mut m.documents),
        ("vendors", &mut m.vendors),
        ("customers", &mut m.customers),
        ("out", &mut m.out),
        ("published", &mut m.published),
    ] {
        if let Some((v, span)) = r.spanned_string(key) {
            if v.starts_with('/') || v.split('/').any(|p| p == "..") {
                r.diags().push(
                    Diagnostic::error(format!("`{key}` must be a path inside the project"))
                        .at(file, span)
                        .hint("use a relative path without `..`"),
                );
            } else {
                *slot = v.into();
            }
        }
    }
    if let Some((v, span)) = r.spanned_string("locale") {
        match Locale::parse(&v) {
            Some(l) => m.locale = l,
            None => r.diags().push(
                Diagnostic::error(format!("unknown locale `{v}`"))
                    .at(file, span)
                    .hint("supported locales: nl, en"),
            ),
        }
    }
    if let Some((v, span)) = r.spanned_string("money_style") {
        match MoneyStyle::parse(&v) {
            Some(s) => m.money_style = s,
            None => r.diags().push(
                Diagnostic::error(format!("unknown money style `{v}`"))
                    .at(file, span)
                    .hint("use `code` (EUR 25.000,-), `symbol` (€ 25.000) or `symbol-dash` (€ 25.000,-)"),
            ),
        }
    }
    if let Some(p) = r.string("notice_period_parameter") {
        m.notice_period_parameter = p;
    }
    if let Some(p) = r.string("notice_exit_parameter") {
        m.notice_exit_parameter = p;
    }
    m.proper_names = r
        .string_list("proper_names")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    if let Some(node) = r.node("lints") {
        m.lints = read_levels(file, node, r.diags());
    }
    r.finish();
    m
}

/// Levels per lint, the catalogue's defaults unless the project sets one.
#[derive(Debug, Clone, Default)]
pub struct Levels(Vec<(&'static str, Level)>);

impl Levels {
    pub fn level(&self, lint: &str) -> Level {
        self.0
            .iter()
            .find(|(n, _)| *n == lint)
            .map(|(_, l)| *l)
            .or_else(|| catalogue::find(lint).map(|l| l.level))
            .unwrap_or(Level::Deny)
    }

    /// The severity of a finding, `None` when the lint is allowed.
    pub fn severity(&self, lint: &str) -> Option<Severity> {
        self.level(lint).severity()
    }
}

/// `lints: {stale_law: warn, unused_term: allow}`: names from the catalogue, levels `deny`
/// (or `error`), `warn` (or `warning`), `allow`.
fn read_levels(file: FileId, node: &Node, diags: &mut Diagnostics) -> Levels {
    let mut out = Vec::new();
    let Kind::Map(entries) = &node.kind else {
        diags.push(
            Diagnostic::error("`lints` must map lint names to levels")
                .at(file, node.span.clone())
                .hint("e.g. `lints: {stale_law: warn}`"),
        );
        return Levels(out);
    };
    for (key, value) in entries {
        let Some(lint) = catalogue::find(&key.name) else {
            diags.push(
                Diagnostic::error(format!("unknown lint `{}`", key.name))
                    .at(file, key.span.clone())
                    .maybe_hint(did_you_mean(
                        &key.name,
                        catalogue::LINTS.iter().map(|l| l.name),
                    ))
                    .hint("`clausebook check --explain LINT` describes a lint; docs/lints.md lists them all"),
            );
            continue;
        };
        match value.as_str().and_then(Level::parse) {
            Some(level) => out.push((lint.name, level)),
            None => diags.push(
                Diagnostic::error(format!(
                    "unknown lint level `{}`",
                    value.as_str().or(value.written()).unwrap_or("?")
                ))
                .at(file, value.span.clone())
                .hint("use deny, warn or allow"),
            ),
        }
    }
    Levels(out)
}
