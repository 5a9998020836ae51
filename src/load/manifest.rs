//! `clausebook.yaml`: where things are and project-wide settings. Every key is optional.

use std::path::PathBuf;

use super::fields::MapReader;
use super::yaml::Node;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Severity};
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
    pub lint_unused_term: Option<Severity>,
    pub lint_undefined_term: Option<Severity>,
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
            lint_unused_term: Some(Severity::Error),
            lint_undefined_term: Some(Severity::Error),
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
    if let Some(lints) = r.node("lints")
        && let Some(mut l) = MapReader::new(file, lints, "`lints`", r.diags())
    {
        for (key, slot) in [
            ("unused_term", &mut m.lint_unused_term),
            ("undefined_term", &mut m.lint_undefined_term),
        ] {
            if let Some((v, span)) = l.spanned_string(key) {
                *slot = match v.as_str() {
                    "error" => Some(Severity::Error),
                    "warning" => Some(Severity::Warning),
                    "allow" => None,
                    _ => {
                        l.diags().push(
                            Diagnostic::error(format!("unknown lint level `{v}`"))
                                .at(file, span)
                                .hint("use error, warning or allow"),
                        );
                        *slot
                    }
                }
            }
        }
        l.finish();
    }
    r.finish();
    m
}
