//! `clausebook params`: the parameter reference for editors — every declared parameter with
//! its type, default, description and the clauses that use it; for a vendor also the value in
//! force and the layer that set it.

use indexmap::IndexMap;
use serde::Serialize;

use super::ParamType;
use super::resolve::{Layer, resolve};
use crate::assemble::scan;
use crate::load::Project;

#[derive(Debug, Serialize)]
pub struct Entry {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    pub description: String,
    pub default: Option<String>,
    /// Allowed values of an enum.
    pub values: Vec<String>,
    pub used_by: Vec<String>,
    /// For a vendor: the value in force, the layer and the file that set it.
    pub value: Option<String>,
    pub layer: Option<Layer>,
    pub source: Option<String>,
}

/// Which clauses (by id) mention each parameter, in bodies and `when` conditions.
fn usage(project: &Project) -> IndexMap<String, Vec<String>> {
    let mut out: IndexMap<String, Vec<String>> = IndexMap::new();
    for c in crate::assemble::template::all_clauses(project) {
        let mut mentions = scan::scan(&c.body).mentions;
        if let Some(w) = &c.when {
            mentions.extend(scan::scan(&format!("{{{{ {} }}}}", w.expr)).mentions);
        }
        for m in mentions {
            let Some((module, name)) = m.param() else {
                continue;
            };
            if project.library.schema.get(module, name).is_some() {
                let list = out.entry(format!("{module}.{name}")).or_default();
                if !list.contains(&c.id) {
                    list.push(c.id.clone());
                }
            }
        }
    }
    out
}

pub fn entries(
    project: &Project,
    vendor: Option<&str>,
    doc: Option<&str>,
) -> Result<Vec<Entry>, String> {
    let used = usage(project);
    let locale = doc
        .and_then(|d| project.documents.get(d))
        .map(|d| d.locale)
        .unwrap_or(project.manifest.locale);
    let style = vendor
        .and_then(|v| project.vendors.get(v))
        .and_then(|v| v.money_style)
        .unwrap_or(project.manifest.money_style);
    let resolved = match vendor {
        Some(v) => {
            let vendor = project
                .vendors
                .get(v)
                .ok_or_else(|| format!("no vendor `{v}`"))?;
            let mut layers = Vec::new();
            if let Some(d) = doc {
                let d = project
                    .documents
                    .get(d)
                    .ok_or_else(|| format!("no document `{d}`"))?;
                layers.push((Layer::Document, &d.params));
            }
            layers.push((Layer::Vendor, &vendor.params));
            Some(
                resolve(&project.library.schema, &layers, |f| {
                    project.sources.name(f).to_string()
                })
                .0,
            )
        }
        None => None,
    };
    // Another vendor's own modules are not this vendor's parameters.
    let foreign = |key: &str| {
        vendor.is_some_and(|v| {
            let module = key.split_once('.').map_or(key, |(m, _)| m);
            project
                .library
                .modules
                .get(module)
                .and_then(|m| m.owner.as_deref())
                .is_some_and(|o| o != v)
        })
    };
    Ok(project
        .library
        .schema
        .all()
        .filter(|spec| !foreign(&spec.key))
        .map(|spec| {
            let r = resolved.as_ref().and_then(|r| r.get(&spec.key));
            Entry {
                key: spec.key.clone(),
                label: spec.label.clone(),
                ty: spec.ty,
                description: spec.description.clone(),
                default: spec
                    .default
                    .as_ref()
                    .map(|d| d.display(spec, locale, style)),
                values: spec.values.keys().cloned().collect(),
                used_by: used.get(&spec.key).cloned().unwrap_or_default(),
                value: r.map(|r| r.value.display(spec, locale, style)),
                layer: r.map(|r| r.layer),
                source: r.and_then(|r| r.source.clone()),
            }
        })
        .collect())
}

fn layer_name(l: Layer) -> &'static str {
    match l {
        Layer::Default => "default",
        Layer::Document => "document",
        Layer::Vendor => "vendor",
        Layer::Customer => "customer",
    }
}

pub fn text(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&format!("{}  ({}, {})\n", e.key, e.ty.name(), e.label));
        out.push_str(&format!("    {}\n", e.description));
        if !e.values.is_empty() {
            out.push_str(&format!("    values:  {}\n", e.values.join(", ")));
        }
        out.push_str(&format!(
            "    default: {}\n",
            e.default.as_deref().unwrap_or("(none: required)")
        ));
        if let Some(v) = &e.value {
            let from = match (&e.layer, &e.source) {
                (Some(l), Some(s)) => format!("{} ({s})", layer_name(*l)),
                (Some(l), None) => layer_name(*l).to_string(),
                _ => String::new(),
            };
            out.push_str(&format!("    value:   {v}   <- {from}\n"));
        }
        out.push_str(&format!(
            "    used by: {}\n\n",
            if e.used_by.is_empty() {
                "(no clause)".to_string()
            } else {
                e.used_by.join(", ")
            }
        ));
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(entries: &[Entry], with_values: bool) -> String {
    let mut out = String::new();
    let mut module = "";
    for e in entries {
        let m = e.key.split('.').next().unwrap_or_default();
        if m != module {
            module = m;
            out.push_str(&format!("\n## `{m}`\n\n"));
            if with_values {
                out.push_str("| parameter | type | default | value | set by | description | used by |\n|---|---|---|---|---|---|---|\n");
            } else {
                out.push_str("| parameter | type | default | description | used by |\n|---|---|---|---|---|\n");
            }
        }
        let ty = if e.values.is_empty() {
            e.ty.name().to_string()
        } else {
            format!("enum: {}", e.values.join(", "))
        };
        let default = e.default.clone().unwrap_or_else(|| "*required*".into());
        let used = e
            .used_by
            .iter()
            .map(|u| format!("`{u}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if with_values {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} |\n",
                e.key,
                md_cell(&ty),
                md_cell(&default),
                md_cell(e.value.as_deref().unwrap_or("—")),
                e.layer.map(layer_name).unwrap_or("—"),
                md_cell(&e.description),
                used
            ));
        } else {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                e.key,
                md_cell(&ty),
                md_cell(&default),
                md_cell(&e.description),
                used
            ));
        }
    }
    out.trim_start().to_string()
}
