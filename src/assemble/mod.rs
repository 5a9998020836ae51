//! Assembly: for one vendor (and customer) and one document, pick the clauses, number them,
//! render their bodies with the resolved parameters, and produce the [`Assembled`] value.

pub mod hygiene;
mod language;
pub mod model;
pub mod sandbox;
pub mod scan;
pub mod template;
pub mod terms;

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value as Json, json};
use tera::Context;

pub use model::{Article, Assembled, ClauseOut, Origin};

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::parties::{Choices, PARTY_FIELDS};
use crate::load::{Clause, Customer, DocKind, Document, ModuleKind, Project, Vendor};
use crate::params::labels::Labels;
use crate::params::resolve::{Layer, Resolved, resolve};
use crate::params::{Locale, MoneyStyle};
use crate::render::markdown::{TextStyle, to_text};
use scan::Scan;
use template::{ClauseTemplates, all_clauses, body_name, when_name};

/// The values a customer's file sets, next to what they would be without it (the vendor's
/// standard), in schema order.
fn negotiated(
    p: &Project,
    values: &IndexMap<String, Resolved>,
    standard_layers: &[(Layer, &crate::params::resolve::Assignments)],
    locale: Locale,
    style: MoneyStyle,
) -> Vec<model::Negotiated> {
    let (standard, _) = resolve(&p.library.schema, standard_layers, |f| {
        p.sources.name(f).to_string()
    });
    values
        .iter()
        .filter(|(_, r)| r.layer == Layer::Customer)
        .filter_map(|(k, r)| {
            let spec = &*p.library.spec_in(locale, p.library.schema.by_key(k)?);
            let value = r.value.display(spec, locale, style);
            let standard = standard
                .get(k)
                .map(|s| s.value.display(spec, locale, style));
            (standard.as_ref() != Some(&value)).then(|| model::Negotiated {
                key: k.clone(),
                label: spec.label.clone(),
                value,
                standard,
            })
        })
        .collect()
}

/// Every string in a value with the parties' names filled in.
fn fill_json(v: Json, labels: &Labels) -> Json {
    match v {
        Json::String(s) => Json::String(labels.fill(&s)),
        Json::Array(items) => {
            Json::Array(items.into_iter().map(|i| fill_json(i, labels)).collect())
        }
        Json::Object(m) => Json::Object(
            m.into_iter()
                .map(|(k, i)| (k, fill_json(i, labels)))
                .collect(),
        ),
        other => other,
    }
}

/// What to assemble.
#[derive(Clone, Copy)]
pub struct Target<'p> {
    pub vendor: &'p Vendor,
    pub customer: Option<&'p Customer>,
    pub doc: &'p Document,
}

/// Everything prepared once per project and shared by every document of a run (and by
/// threads: it is read-only after construction).
pub struct Assembler<'p> {
    pub project: &'p Project,
    templates: ClauseTemplates,
    scans: HashMap<String, Scan>,
}

const DOCUMENT_FIELDS: &[&str] = &["id", "title", "subtitle", "version", "effective", "locale"];

impl<'p> Assembler<'p> {
    pub fn new(project: &'p Project) -> (Assembler<'p>, Diagnostics) {
        let (mut templates, mut diags) = ClauseTemplates::build(project);
        // A template that does not compile leaves its clause out.
        diags.mark_incomplete_since(0);
        let mut scans = HashMap::new();
        let clauses = all_clauses(project);
        let mut ids: std::collections::HashSet<&str> =
            clauses.iter().map(|c| c.id.as_str()).collect();
        ids.extend(project.library.modules.keys().map(String::as_str));
        crate::lint::document::vendors(project, &mut diags);
        // A rule must name something that exists.
        for m in project.library.modules.values() {
            for rule in &m.requires {
                if !ids.contains(rule.what.as_str())
                    && !project.library.schema.is_broken(&rule.what)
                {
                    diags.push(
                        Diagnostic::error(format!(
                            "`requires` names `{}`, which is no clause or module",
                            rule.what
                        ))
                        .at(rule.file, rule.span.clone())
                        .maybe_hint(did_you_mean(&rule.what, ids.iter().copied())),
                    );
                }
            }
        }
        for c in &clauses {
            let mark = diags.len();
            let broken_before = templates.broken_count();
            let s = scan::scan(&c.body);
            let name = body_name(project, c);
            // Reported here already: rendering would only repeat it less precisely.
            if !check_mentions(project, (c.file, c.body_offset), &s, &ids, &mut diags) {
                templates.mark_broken(&name);
            }
            if !hygiene::check(c.file, c.body_offset, &c.body, &s.tags, &mut diags) {
                templates.mark_broken(&name);
            }
            if let Some(w) = &c.when
                && !hygiene::check_when(w.file, w.span.clone(), &w.expr, &mut diags)
            {
                templates.mark_broken(&when_name(project, c));
            }
            if let Some(w) = &c.when {
                // Scan the condition as if it were `{{ expr }}`; offsets map to the YAML value.
                let quoted = matches!(
                    project.sources.text(w.file).as_bytes().get(w.span.start),
                    Some(b'"' | b'\'')
                );
                let start = w.span.start + usize::from(quoted);
                let ws = scan::scan(&format!("{{{{ {} }}}}", w.expr));
                if !check_mentions(
                    project,
                    (w.file, start.saturating_sub(3)),
                    &ws,
                    &ids,
                    &mut diags,
                ) {
                    templates.mark_broken(&when_name(project, c));
                }
            }
            if templates.broken_count() > broken_before {
                diags.mark_incomplete_since(mark);
            }
            crate::lint::text::clause(project, c, &s, &mut diags);
            scans.insert(name, s);
        }
        crate::lint::text::values(project, &mut diags);
        (
            Assembler {
                project,
                templates,
                scans,
            },
            diags,
        )
    }

    /// Assemble one document. Diagnostics come back whether or not it succeeded; the
    /// document only when there were no errors. A contract holds its annexes, each
    /// assembled for the same customer.
    pub fn assemble(&self, t: Target) -> (Option<Assembled>, Diagnostics) {
        if t.doc.kind == DocKind::Contract {
            return self.assemble_contract(t);
        }
        self.assemble_one(t)
    }

    fn assemble_contract(&self, t: Target) -> (Option<Assembled>, Diagnostics) {
        let p = self.project;
        if t.customer.is_none() {
            let mut diags = Diagnostics::default();
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is a contract: it is assembled for a customer of `{}`, not for the vendor alone",
                    t.doc.id, t.vendor.id
                ))
                .at(t.doc.file, 0..0),
            );
            return (None, diags);
        }
        let (main, mut diags) = self.assemble_one(t);
        let annexes: Vec<&Document> = t
            .doc
            .annexes
            .iter()
            .filter(|(id, _)| {
                t.vendor.documents.is_empty() || t.vendor.documents.iter().any(|(d, _)| d == id)
            })
            .filter_map(|(id, _)| p.documents.get(id))
            .collect();
        let number_of = |id: &str| {
            annexes
                .iter()
                .position(|d| d.id == id)
                .map(|i| i as u32 + 1)
        };
        let mut attachments = Vec::new();
        for (i, doc) in annexes.iter().enumerate() {
            let (a, d) = self.assemble_one(Target { doc, ..t });
            diags.extend(d);
            let Some(mut a) = a else { continue };
            let bij = match t.doc.locale {
                Locale::Nl => format!("Bijlage {} bij de {}", i + 1, t.doc.title),
                Locale::En => format!("Annex {} to the {}", i + 1, t.doc.title),
            };
            a.subtitle = Some(bij);
            // Numbered as the contract numbers them; the contract's signatures cover all.
            for x in &mut a.annexes {
                x.number = number_of(&x.id).unwrap_or(x.number);
            }
            a.signature = false;
            attachments.push(a);
        }
        let Some(mut main) = main else {
            return (None, diags);
        };
        if diags.has_errors() {
            return (None, diags);
        }
        for a in &attachments {
            for n in &a.negotiated {
                if !main.negotiated.iter().any(|m| m.key == n.key) {
                    main.negotiated.push(n.clone());
                }
            }
        }
        main.annexes = attachments
            .iter()
            .enumerate()
            .map(|(i, a)| model::AnnexRef {
                id: a.document.clone(),
                title: a.title.clone(),
                number: i as u32 + 1,
            })
            .collect();
        main.attachments = attachments;
        (Some(main), diags)
    }

    fn assemble_one(&self, t: Target) -> (Option<Assembled>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let p = self.project;
        let locale = t.doc.locale;
        let style = t.vendor.money_style.unwrap_or(p.manifest.money_style);
        let labels = t.vendor.labels(locale);

        // Parameters.
        // In another language: the translated modules' defaults under everything else, and
        // the vendor's values in that language over its Dutch ones.
        let locale_defaults = p.library.defaults_in(locale);
        let mut layers = vec![
            (Layer::Default, &locale_defaults),
            (Layer::Document, &t.doc.params),
            (Layer::Vendor, &t.vendor.params),
        ];
        layers.extend(
            (t.vendor.locale_params.iter())
                .filter(|(l, _)| *l == locale)
                .map(|(_, a)| (Layer::Vendor, a)),
        );
        if let Some(c) = t.customer {
            layers.push((Layer::Customer, &c.params));
        }
        let (values, missing) = resolve(&p.library.schema, &layers, |f| {
            p.sources.name(f).to_string()
        });

        // Selection and numbering.
        let mut ctx = self.base_context(t, &values, locale, style, &labels);
        ctx.insert("party", &labels.context());
        let plan = self.plan(t, &ctx, &labels, &mut diags);
        let modules_in_doc: Vec<&str> = plan.articles.iter().map(|a| a.0.as_str()).collect();
        let mut unset: Vec<&str> = Vec::new();
        for spec in missing {
            unset.push(spec.key.as_str());
            // An invalid default was reported where it is written; one error, not one per
            // document.
            if modules_in_doc.contains(&spec.module.as_str()) && !spec.bad_default {
                let (file, span, who) = match t.customer {
                    Some(c) => (c.file, c.row.clone().unwrap_or(0..0), Origin::Customer),
                    None => (t.vendor.file, 0..0, Origin::Vendor),
                };
                let hint = if t.customer.is_some_and(|c| c.row.is_some()) {
                    format!(
                        "add a column `{}` to the table and fill it in for this row, e.g. `{}` ({})",
                        spec.key,
                        spec.ty.example(),
                        spec.description
                    )
                } else {
                    format!(
                        "set it under `parameters:` here, e.g. `{}: {{{}: {}}}` ({})",
                        spec.module,
                        spec.name,
                        spec.ty.example(),
                        spec.description
                    )
                };
                diags.push(
                    Diagnostic::error(format!(
                        "parameter `{}` has no value for this {who}: it has no default and no file sets it",
                        spec.key
                    ))
                    .at(file, span)
                    .hint(hint)
                    .related(spec.file, spec.span.clone(), "declared here without a default"),
                );
            }
        }
        // What `ref()` writes after "artikel": the number, or in unnumbered terms the
        // article's title in quotes.
        let mut refs = Map::new();
        for (n, (module_id, clauses)) in plan.articles.iter().enumerate() {
            let title = p
                .library
                .module_title(locale, module_id)
                .unwrap_or_default();
            let label = |number: String| {
                if t.vendor.numbered {
                    number
                } else {
                    format!("“{title}”")
                }
            };
            refs.insert(module_id.clone(), json!(label((n + 1).to_string())));
            for (m, (c, _)) in clauses.iter().enumerate() {
                refs.insert(c.id.clone(), json!(label(format!("{}.{}", n + 1, m + 1))));
            }
        }
        ctx.insert("__refs", &Json::Object(refs));
        // Without numbers, a reference into the article it stands in would name that very
        // article by its title; `ref()` writes "dit artikel" instead.
        ctx.insert("__unnumbered", &!t.vendor.numbered);
        ctx.insert(
            "__excluded",
            &Json::Object(
                plan.excluded
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect(),
            ),
        );

        // Render.
        let mut articles = Vec::new();
        for (n, (module_id, clauses)) in plan.articles.iter().enumerate() {
            let module = &p.library.modules[module_id];
            ctx.insert("__article", module_id);
            let mut outs = Vec::new();
            for (m, (c, origin)) in clauses.iter().enumerate() {
                let name = body_name(p, c);
                let scan = &self.scans[&name];
                // Broken templates and clauses using a parameter without a value were
                // reported already; rendering them would only say it again, less clearly.
                let uses_unset = scan.mentions.iter().any(|mn| {
                    unset
                        .iter()
                        .any(|k| k.split_once('.') == Some((mn.head.as_str(), mn.field.as_str())))
                });
                if self.templates.is_broken(&name) || uses_unset {
                    continue;
                }
                let markdown = match self.templates.render(&name, &ctx) {
                    // A definition reads "**Term**: meaning", in every output alike.
                    Ok(md)
                        if module.kind == ModuleKind::Definitions
                            && !c.defines(&labels).is_empty() =>
                    {
                        let term = crate::render::markdown::escape(&c.defines(&labels)[0]);
                        format!("**{term}**: {}", md.trim())
                    }
                    Ok(md) => md.trim().to_string(),
                    Err(d) => {
                        diags.push(d.incomplete());
                        continue;
                    }
                };
                let mut parameters: Vec<String> = scan
                    .mentions
                    .iter()
                    .filter_map(|mn| mn.param())
                    .filter(|(m, n)| p.library.schema.get(m, n).is_some())
                    .map(|(m, n)| format!("{m}.{n}"))
                    .collect();
                parameters.sort();
                parameters.dedup();
                let mut references: Vec<String> = scan.refs.iter().map(|r| r.0.clone()).collect();
                references.dedup();
                outs.push(ClauseOut {
                    id: c.id.clone(),
                    number: format!("{}.{}", n + 1, m + 1),
                    title: c.title(&labels),
                    version: c.version.clone(),
                    origin: *origin,
                    source: p.sources.name(c.file).to_string(),
                    source_hash: crate::hash::sha256_hex(c.body.as_bytes()),
                    defines: c.defines(&labels),
                    parameters,
                    references,
                    text: to_text(&markdown, TextStyle::Plain),
                    markdown,
                });
            }
            articles.push(Article {
                id: module.id.clone(),
                number: (n + 1) as u32,
                title: labels.fill(
                    p.library
                        .module_title(locale, module_id)
                        .unwrap_or_default(),
                ),
                version: module.version.clone(),
                definitions: module.kind == ModuleKind::Definitions,
                clauses: outs,
            });
        }

        let sources: Vec<&Clause> = plan
            .articles
            .iter()
            .flat_map(|a| a.1.iter().map(|(c, _)| *c))
            .collect();
        if locale != Locale::Nl {
            language::check(p, t, &articles, &values, &locale_defaults, &mut diags);
        }
        terms::lint(p, t, &labels, &sources, &articles, &mut diags);
        crate::lint::document::check(p, &t.doc.id, &articles, &sources, &mut diags);
        crate::lint::terms::check(p, &t.doc.id, &labels, &sources, &articles, &mut diags);
        self.check_constraints(t, &plan, &ctx, &mut diags);

        if diags.has_errors() {
            return (None, diags);
        }
        let assembled = Assembled {
            format: model::FORMAT_VERSION,
            document: t.doc.id.clone(),
            title: t.doc.title.clone(),
            subtitle: t.doc.subtitle.clone(),
            locale,
            vendor: party_data(&t.vendor.party),
            customer: t.customer.map(|c| party_data(&c.party)),
            version: t.doc.version.clone(),
            effective: t.doc.effective,
            numbered: t.vendor.numbered,
            articles,
            annexes: t
                .doc
                .annexes
                .iter()
                .filter(|(id, _)| {
                    t.vendor.documents.is_empty() || t.vendor.documents.iter().any(|(d, _)| d == id)
                })
                .filter_map(|(id, _)| p.documents.get(id).map(|d| (id, d)))
                .enumerate()
                .map(|(i, (id, d))| model::AnnexRef {
                    id: id.clone(),
                    title: d.title.clone(),
                    number: i as u32 + 1,
                })
                .collect(),
            parameters: values
                .iter()
                .filter_map(|(k, r)| {
                    let spec = &*p.library.spec_in(locale, p.library.schema.by_key(k)?);
                    Some((
                        k.clone(),
                        model::ParamRecord {
                            label: spec.label.clone(),
                            ty: spec.ty.name().to_string(),
                            display: labels.fill(&r.value.display(spec, locale, style)),
                            raw: r.value.raw(),
                            layer: r.layer,
                            source: r.source.clone(),
                        },
                    ))
                })
                .collect(),
            kind: t.doc.kind,
            party_names: model::PartyNames {
                customer: labels.customer.noun.clone(),
                vendor: labels.vendor.noun.clone(),
            },
            signature: t.doc.signature && t.customer.is_some(),
            negotiated: match t.customer {
                Some(_) => negotiated(p, &values, &layers[..layers.len() - 1], locale, style),
                None => Vec::new(),
            },
            attachments: Vec::new(),
        };
        (Some(assembled), diags)
    }

    /// Every `constraints:` rule of the modules in the document, over this target's values.
    /// A failing rule points at the rule and at the files that set the values it names.
    fn check_constraints(&self, t: Target, plan: &Plan, ctx: &Context, diags: &mut Diagnostics) {
        let p = self.project;
        for (module_id, _) in &plan.articles {
            let Some(m) = p.library.modules.get(module_id) else {
                continue;
            };
            for (i, rule) in m.constraints.iter().enumerate() {
                // A rule over a parameter that did not load cannot be judged.
                let names = scan::scan(&format!("{{{{ {} }}}}", rule.what)).mentions;
                if names.iter().any(|mn| {
                    mn.param()
                        .is_some_and(|(a, b)| p.library.schema.is_broken(&format!("{a}.{b}")))
                }) {
                    continue;
                }
                match self
                    .templates
                    .when(&template::constraint_name(module_id, i), ctx)
                {
                    Ok(true) => {}
                    Ok(false) => {
                        let who = match t.customer {
                            Some(c) => format!("customer `{}` of `{}`", c.id, t.vendor.id),
                            None => format!("vendor `{}`", t.vendor.id),
                        };
                        let mut d = Diagnostic::error(format!("{} ({who})", rule.message))
                            .at(rule.file, rule.span.clone())
                            .label("this rule does not hold")
                            .hint(format!("the rule is `{}`", rule.what));
                        let names = scan::scan(&format!("{{{{ {} }}}}", rule.what)).mentions;
                        for mn in &names {
                            let Some((a, b)) = mn.param() else { continue };
                            let key = format!("{a}.{b}");
                            let set = [
                                t.customer.and_then(|c| c.params.get(&key)),
                                t.vendor.params.get(&key),
                                t.doc.params.get(&key),
                            ];
                            if let Some(asg) = set.into_iter().flatten().next() {
                                d = d.related(
                                    asg.file,
                                    asg.span.clone(),
                                    format!("`{key}` is set here"),
                                );
                            }
                        }
                        diags.extend_opt(crate::lint::finding(p, None, "constraint", d));
                    }
                    Err(d) => diags.push(d),
                }
            }
        }
    }

    fn base_context(
        &self,
        t: Target,
        values: &IndexMap<String, Resolved>,
        locale: Locale,
        style: MoneyStyle,
        labels: &Labels,
    ) -> Context {
        let p = self.project;
        let mut modules: IndexMap<&str, Map<String, Json>> = IndexMap::new();
        let mut raw: IndexMap<&str, Map<String, Json>> = IndexMap::new();
        for (module, specs) in &p.library.schema.modules {
            let m = modules.entry(module).or_default();
            let r = raw.entry(module).or_default();
            for (name, spec) in specs {
                let spec = &*p.library.spec_in(locale, spec);
                if let Some(v) = values.get(&spec.key) {
                    // Text values, list items and enum labels may name the parties too.
                    m.insert(
                        name.clone(),
                        fill_json(v.value.context_value(spec, locale, style), labels),
                    );
                    r.insert(name.clone(), fill_json(v.value.raw(), labels));
                }
            }
        }
        let mut ctx = Context::new();
        for (module, map) in modules {
            ctx.insert(module.to_string(), &Json::Object(map));
        }
        ctx.insert("raw", &raw);
        ctx.insert("vendor", &t.vendor.party.fields);
        match t.customer {
            Some(c) => ctx.insert("customer", &c.party.fields),
            None => ctx.insert("customer", &Json::Null),
        }
        ctx.insert(
            "document",
            &json!({
                "id": t.doc.id,
                "title": t.doc.title,
                "subtitle": t.doc.subtitle,
                "version": t.doc.version,
                "effective": t.doc.effective.map(|d| d.format("%Y-%m-%d").to_string()),
                "locale": locale.code(),
            }),
        );
        ctx.insert("__locale", locale.code());
        ctx.insert("__money_style", style.name());
        ctx
    }

    /// Choose modules and clauses in order, applying exclusions, replacements, additions and
    /// `when` conditions. Records why each left-out clause is not there, for `ref()` errors.
    fn plan(
        &self,
        t: Target<'p>,
        ctx: &Context,
        labels: &Labels,
        diags: &mut Diagnostics,
    ) -> Plan<'p> {
        let p = self.project;
        let sets: Vec<(&'p Choices, Origin)> = std::iter::once((&t.vendor.choices, Origin::Vendor))
            .chain(t.customer.map(|c| (&c.choices, Origin::Customer)))
            .collect();
        let mut excluded: IndexMap<String, String> = IndexMap::new();
        for (ch, _) in &sets {
            for (id, at) in &ch.exclude {
                excluded.insert(
                    id.clone(),
                    format!("it is excluded in {}", p.sources.name(at.file)),
                );
            }
        }
        let mut module_ids: Vec<String> = t
            .doc
            .modules
            .iter()
            .filter(|(m, _)| p.library.modules.contains_key(m))
            .map(|(m, _)| m.clone())
            .collect();
        for am in &t.vendor.choices.modules {
            if !am.documents.is_empty() && !am.documents.iter().any(|d| t.doc.is_or_translates(d)) {
                continue;
            }
            let pos = am
                .after
                .as_ref()
                .and_then(|(a, _)| module_ids.iter().position(|m| m == a))
                .map(|i| i + 1)
                .unwrap_or(module_ids.len());
            module_ids.insert(pos, am.id.clone());
        }
        let mut articles = Vec::new();
        for module_id in module_ids {
            if let Some(reason) = excluded.get(&module_id).cloned() {
                for c in &p.library.modules[&module_id].clauses {
                    excluded.entry(c.clone()).or_insert(reason.clone());
                }
                continue;
            }
            let module = &p.library.modules[&module_id];
            let mut list: Vec<(&'p Clause, Origin)> = Vec::new();
            for id in &module.clauses {
                if excluded.contains_key(id) {
                    continue;
                }
                let replaced = sets
                    .iter()
                    .rev()
                    .find_map(|(ch, origin)| ch.replace.get(id).map(|(c, _)| (c, *origin)));
                list.push(replaced.unwrap_or((&p.library.clauses[id], Origin::Library)));
            }
            for (ch, origin) in &sets {
                for (c, after) in &ch.add {
                    if c.module != module_id || excluded.contains_key(&c.id) {
                        continue;
                    }
                    let pos = after
                        .as_ref()
                        .and_then(|(a, _)| list.iter().position(|(x, _)| &x.id == a))
                        .map(|i| i + 1)
                        .unwrap_or(list.len());
                    list.insert(pos, (c, *origin));
                }
            }
            if t.doc.locale != Locale::Nl {
                list = self.translate(t, list, diags);
            }
            list.retain(|(c, _)| {
                if c.when.is_none() {
                    return true;
                }
                match self.templates.when(&when_name(p, c), ctx) {
                    Ok(true) => true,
                    Ok(false) => {
                        let expr = c.when.as_ref().map(|w| w.expr.as_str()).unwrap_or_default();
                        excluded.insert(
                            c.id.clone(),
                            format!("its condition `when: {expr}` is false"),
                        );
                        false
                    }
                    Err(d) => {
                        diags.push(d.incomplete());
                        false
                    }
                }
            });
            if module.kind == ModuleKind::Definitions {
                list.sort_by_key(|(c, _)| {
                    sort_key(c.defines(labels).first().unwrap_or(&c.title(labels)))
                });
            }
            if list.is_empty() {
                excluded.insert(module_id.clone(), "none of its clauses is included".into());
                continue;
            }
            articles.push((module_id, list));
        }
        // Everything else in the library is absent because its module is not in the document.
        for (id, c) in &p.library.clauses {
            if !articles.iter().any(|(m, _)| m == &c.module) {
                excluded.entry(id.clone()).or_insert_with(|| {
                    format!(
                        "its module `{}` is not part of document `{}`",
                        c.module, t.doc.id
                    )
                });
            }
        }
        for m in p.library.modules.keys() {
            if !articles.iter().any(|(a, _)| a == m) {
                excluded.entry(m.clone()).or_insert_with(|| {
                    format!("module `{m}` is not part of document `{}`", t.doc.id)
                });
            }
        }
        Plan { articles, excluded }
    }
}

impl<'p> Assembler<'p> {
    /// The clauses of a document in another language, each replaced by its translation; a
    /// clause without one is an error naming it, since a document in one language must not
    /// fall back to another.
    fn translate(
        &self,
        t: Target<'p>,
        list: Vec<(&'p Clause, Origin)>,
        diags: &mut Diagnostics,
    ) -> Vec<(&'p Clause, Origin)> {
        let p = self.project;
        let locale = t.doc.locale;
        list.into_iter()
            .filter_map(|(c, origin)| match p.library.translation(locale, c) {
                Some(tr) => Some((&tr.clause, origin)),
                None => {
                    let path = p.sources.name(c.file);
                    let suggested = path
                        .strip_suffix(".md")
                        .map(|s| format!("{s}.{}.md", locale.code()))
                        .unwrap_or_default();
                    diags.push(
                        Diagnostic::error(format!(
                            "clause `{}` has no {} translation, and document `{}` is in {}",
                            c.id,
                            locale.code(),
                            t.doc.id,
                            locale.code()
                        ))
                        .at(c.file, c.id_span.clone())
                        .hint(format!(
                            "write `{suggested}` with `id: {}`, `title`, `translates: {}` and the text",
                            c.id, c.version
                        ))
                        .incomplete(),
                    );
                    None
                }
            })
            .collect()
    }
}

struct Plan<'p> {
    articles: Vec<(String, Vec<(&'p Clause, Origin)>)>,
    excluded: IndexMap<String, String>,
}

/// Alphabetical order for defined terms: case- and accent-insensitive.
fn sort_key(term: &str) -> String {
    term.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            c => c,
        })
        .collect()
}

fn party_data(p: &crate::load::Party) -> model::PartyData {
    model::PartyData {
        id: p.id.clone(),
        fields: p.fields.clone(),
    }
}

/// Unknown parameters, party fields and reference targets, on every branch of a body.
fn check_mentions(
    project: &Project,
    (file, offset): (crate::diagnostics::FileId, usize),
    s: &Scan,
    ids: &std::collections::HashSet<&str>,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    let schema = &project.library.schema;
    for m in &s.mentions {
        let span = offset + m.span.start..offset + m.span.end;
        let name = match m.head.as_str() {
            "raw" => format!("{}.{}", m.field, m.next.as_deref().unwrap_or("")),
            head => format!("{head}.{}", m.field),
        };
        if schema.is_broken(&name) {
            ok = false;
            continue;
        }
        // `raw.module.name`: check the name within the module.
        if m.head == "raw"
            && let (Some(params), Some(name)) = (schema.modules.get(&m.field), &m.next)
            && !params.contains_key(name)
        {
            ok = false;
            let known: Vec<&str> = params.keys().map(String::as_str).collect();
            diags.push(
                Diagnostic::error(format!("unknown parameter `raw.{}.{name}`", m.field))
                    .at(file, span)
                    .label("not a parameter")
                    .maybe_hint(did_you_mean(name, known.iter().copied()))
                    .hint(format!("parameters of `{}`: {}", m.field, known.join(", "))),
            );
            continue;
        }
        let known: Vec<&str> = match m.head.as_str() {
            "vendor" | "customer" => PARTY_FIELDS.to_vec(),
            "document" => DOCUMENT_FIELDS.to_vec(),
            "party" => crate::params::labels::CONTEXT_KEYS.to_vec(),
            "raw" => schema.modules.keys().map(String::as_str).collect(),
            head => match schema.modules.get(head) {
                Some(params) => params.keys().map(String::as_str).collect(),
                None => continue,
            },
        };
        if !known.contains(&m.field.as_str()) {
            ok = false;
            let what = match m.head.as_str() {
                "vendor" | "customer" => "party field",
                "document" => "document field",
                "party" => "party name",
                "raw" => "module",
                _ => "parameter",
            };
            diags.push(
                Diagnostic::error(format!("unknown {what} `{}.{}`", m.head, m.field))
                    .at(file, span)
                    .label(format!("not a {what}"))
                    .maybe_hint({
                        let full: Vec<String> =
                            known.iter().map(|k| format!("{}.{k}", m.head)).collect();
                        did_you_mean(
                            &format!("{}.{}", m.head, m.field),
                            full.iter().map(String::as_str),
                        )
                    })
                    .hint(format!("known: {}", known.join(", "))),
            );
        }
    }
    for (id, span) in &s.refs {
        if !ids.contains(id.as_str()) {
            ok = false;
            if schema.is_broken(id) {
                continue;
            }
            let candidates: Vec<&str> = ids.iter().copied().collect();
            diags.push(
                Diagnostic::error(format!("reference to unknown clause `{id}`"))
                    .at(file, offset + span.start..offset + span.end)
                    .label("no clause or module has this id")
                    .maybe_hint(did_you_mean(id, candidates)),
            );
        }
    }
    ok
}
