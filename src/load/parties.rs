//! Vendor profiles (`vendors/<vendor>.yaml`) and customer overrides
//! (`customers/<vendor>/<customer>.yaml`, or rows of `customers/<vendor>.csv`, see
//! `customers_csv`): party data, parameter values, clause choices.

use std::ops::Range;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::fields::{MapReader, string_list};
use super::library::{Clause, Library, load_clause, load_module};
use super::yaml::{Kind, Node};
use super::{Document, Loader, Manifest, display_path};
use crate::diagnostics::{Diagnostic, FileId, did_you_mean};
use crate::params::labels::{Label, Labels, Role};
use crate::params::resolve::{Assignments, read_assignments};
use crate::params::{Locale, MoneyStyle};

/// Party data as the templates see it (`vendor.name`, `customer.kvk`, ...).
#[derive(Debug, Clone, Default)]
pub struct Party {
    pub id: String,
    pub fields: IndexMap<String, String>,
}

impl Party {
    pub fn name(&self) -> &str {
        self.fields
            .get("name")
            .map(String::as_str)
            .unwrap_or(&self.id)
    }
}

pub const PARTY_FIELDS: &[&str] = &[
    "name",
    "short_name",
    "kvk",
    "vat",
    "address",
    "postcode",
    "city",
    "country",
    "email",
    "phone",
    "website",
    // Who signs for the party, and in what capacity ("directeur", "gevolmachtigde").
    "representative",
    "representative_role",
];

/// A place in a file, for messages about a choice.
#[derive(Debug, Clone)]
pub struct At {
    pub file: FileId,
    pub span: Range<usize>,
}

/// What a vendor or customer changes about the library's clauses.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Module or clause ids left out.
    pub exclude: Vec<(String, At)>,
    /// Clause id -> the party's own wording (which keeps the id).
    pub replace: IndexMap<String, (Clause, At)>,
    /// The party's own clauses, each placed after a clause or at the end of its module.
    pub add: Vec<(Clause, Option<(String, At)>)>,
    /// The party's own modules: module id, placed after this module (or at the end), and
    /// the documents that include it (empty: every document).
    pub modules: Vec<AddedModule>,
}

#[derive(Debug, Clone)]
pub struct AddedModule {
    pub id: String,
    pub after: Option<(String, At)>,
    pub documents: Vec<String>,
    pub at: At,
}

#[derive(Debug, Clone)]
pub struct Vendor {
    pub id: String,
    pub file: FileId,
    pub party: Party,
    pub params: Assignments,
    /// Values for documents in another language (`locale_parameters: {en: {...}}`): text
    /// and list values are written in a language, so an English document needs its own.
    pub locale_params: Vec<(Locale, Assignments)>,
    pub choices: Choices,
    /// Documents this vendor publishes; empty means all.
    pub documents: Vec<(String, Range<usize>)>,
    pub money_style: Option<MoneyStyle>,
    /// The names the vendor gives the parties (`parties:`), per locale.
    pub labels: Vec<(Locale, Role, Label, At)>,
    /// Whether articles and clauses carry numbers (`numbering: none` for terms without).
    pub numbered: bool,
    pub customers: IndexMap<String, Customer>,
}

impl Vendor {
    /// Whether this vendor publishes `doc`: every document when `documents:` is empty, except
    /// translations (their text values must be given in their language), which, like
    /// contracts, only the vendors that list them publish.
    pub fn publishes(&self, doc: &super::Document) -> bool {
        let listed = self.documents.iter().any(|(x, _)| x == &doc.id);
        listed || (self.documents.is_empty() && doc.translation_of.is_none())
    }
}

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: String,
    pub file: FileId,
    pub party: Party,
    pub params: Assignments,
    pub choices: Choices,
    /// For a customer from a table (`customers/<vendor>.csv`): its id cell, where messages
    /// about the customer as a whole point. `None` for a customer file.
    pub row: Option<Range<usize>>,
}

pub fn load(
    loader: &mut Loader,
    manifest: &Manifest,
    lib: &mut Library,
    docs: &IndexMap<String, Document>,
) -> IndexMap<String, Vendor> {
    let mut vendors = IndexMap::new();
    let files = loader.list_yaml(&manifest.vendors, "vendor");
    // Every vendor's own modules join the library before any parameter or choice is read,
    // so what a vendor may refer to does not depend on the order of the vendor files.
    let mut pending = Vec::new();
    for (id, path) in &files {
        if let Some(x) = load_vendor(loader, lib, docs, path, id.clone()) {
            pending.push(x);
        }
    }
    for (mut v, rest) in pending {
        let id = v.id.clone();
        let file = v.file;
        v.choices = rest
            .clauses
            .map(|n| read_choices(loader, lib, file, &rest.base, &n))
            .unwrap_or_default();
        v.choices.modules = rest.modules;
        v.params = rest
            .params
            .map(|n| read_assignments(&lib.schema, file, &n, &mut loader.diags))
            .unwrap_or_default();
        v.locale_params = rest
            .locale_params
            .map(|n| read_locale_params(loader, lib, file, &n))
            .unwrap_or_default();
        let cdir = manifest.customers.join(&id);
        for (cid, cpath) in loader.list_yaml(&cdir, "customer") {
            if let Some(c) = load_customer(loader, lib, &cpath, cid.clone()) {
                v.customers.insert(cid, c);
            }
        }
        vendors.insert(id, v);
    }
    // Customer tables, `customers/<vendor>.csv`, after the customer files (an id in both is
    // an error). Customers filed under a vendor that does not exist would silently never be
    // built.
    for path in loader.list_dir(&manifest.customers.clone()) {
        let is_table = !loader.is_dir(&path)
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if !is_table && !loader.is_dir(&path) {
            continue;
        }
        let name = if is_table {
            path.file_stem()
        } else {
            path.file_name()
        }
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
        match vendors.get_mut(&name) {
            Some(v) if is_table => {
                super::customers_csv::load(loader, &lib.schema, &path, &mut v.customers)
            }
            Some(_) => {}
            // A vendor whose file failed to load has its own error; this one would mislead.
            None if files.iter().any(|(id, _)| *id == name) => {}
            None => loader.diags.push(
                Diagnostic::error(format!(
                    "customer {} `{}` does not match any vendor",
                    if is_table { "table" } else { "directory" },
                    display_path(&path)
                ))
                .maybe_hint(did_you_mean(&name, vendors.keys().map(String::as_str))),
            ),
        }
    }
    for v in vendors.values() {
        check_labels(loader, lib, v);
        check_scope(loader, lib, &v.id, &v.params, &v.choices);
        for c in v.customers.values() {
            check_scope(loader, lib, &v.id, &c.params, &c.choices);
        }
    }
    vendors
}

/// A vendor's own modules belong to that vendor: another vendor (or its customers) may not
/// set their parameters, leave out, replace or place anything after them. Checked once all
/// vendors are loaded, so the answer no longer depends on which vendor file comes first.
fn check_scope(
    loader: &mut Loader,
    lib: &Library,
    vendor: &str,
    params: &Assignments,
    choices: &Choices,
) {
    let owner_of = |id: &str| {
        let module = lib
            .modules
            .get(id)
            .or_else(|| lib.module_of(id))
            .or_else(|| lib.modules.get(id.split_once('.').map_or(id, |(m, _)| m)))?;
        module
            .owner
            .as_deref()
            .filter(|o| *o != vendor)
            .map(|o| (module.id.clone(), o.to_string()))
    };
    let mut found: Vec<(String, (String, String), At)> = Vec::new();
    for (key, a) in params {
        if let Some((m, o)) = owner_of(key) {
            let at = At {
                file: a.file,
                span: a.span.clone(),
            };
            found.push((format!("parameter `{key}`"), (m, o), at));
        }
    }
    let placed = choices
        .exclude
        .iter()
        .map(|(id, at)| (id, at))
        .chain(choices.replace.iter().map(|(id, (_, at))| (id, at)))
        .chain(
            choices
                .add
                .iter()
                .filter_map(|(_, after)| after.as_ref().map(|(id, at)| (id, at))),
        )
        .chain(
            choices
                .modules
                .iter()
                .filter_map(|m| m.after.as_ref().map(|(id, at)| (id, at))),
        );
    for (id, at) in placed {
        if let Some((m, o)) = owner_of(id) {
            found.push((format!("`{id}`"), (m, o), at.clone()));
        }
    }
    for (what, (module, owner), at) in found {
        loader.diags.push(
            Diagnostic::error(format!(
                "{what} belongs to module `{module}`, which is vendor `{owner}`'s own module"
            ))
            .at(at.file, at.span)
            .hint(format!(
                "a vendor's own modules are part of that vendor's documents only; vendor `{vendor}` can add a module of its own with `modules:`"
            )),
        );
    }
}

/// `parties: {customer: Afnemer, vendor: de Leverancier, user: {name: Eindgebruiker,
/// plural: Eindgebruikers}, en: {customer: the Client}}`: the Dutch names, and under `en:`
/// the English ones.
fn read_labels(loader: &mut Loader, file: FileId, node: &Node) -> Vec<(Locale, Role, Label, At)> {
    let mut out = Vec::new();
    read_label_map(loader, file, node, Locale::Nl, &mut out);
    out
}

fn read_label_map(
    loader: &mut Loader,
    file: FileId,
    node: &Node,
    locale: Locale,
    out: &mut Vec<(Locale, Role, Label, At)>,
) {
    let Kind::Map(entries) = &node.kind else {
        loader.diags.push(
            Diagnostic::error("`parties` must map `customer`, `vendor` and `user` to names")
                .at(file, node.span.clone())
                .hint("e.g. `parties: {customer: Afnemer, vendor: de Leverancier}`"),
        );
        return;
    };
    for (key, value) in entries {
        if key.name == "en" && locale == Locale::Nl {
            read_label_map(loader, file, value, Locale::En, out);
            continue;
        }
        let Some(role) = Role::parse(&key.name) else {
            loader.diags.push(
                Diagnostic::error(format!("unknown party `{}` in `parties`", key.name))
                    .at(file, key.span.clone())
                    .hint(if locale == Locale::Nl {
                        "the parties are `customer`, `vendor` and `user` (a person who uses the service); `en:` holds the English names"
                    } else {
                        "the parties are `customer`, `vendor` and `user` (a person who uses the service)"
                    }),
            );
            continue;
        };
        let (name, plural) = match &value.kind {
            Kind::Map(_) => {
                let Some(mut r) = MapReader::new(file, value, "a party name", &mut loader.diags)
                else {
                    continue;
                };
                let name = r.required_string("name");
                let plural = r.string("plural");
                r.finish();
                let Some(name) = name else { continue };
                (name, plural)
            }
            _ => match value.as_str().or(value.written()) {
                Some(s) => (s.to_string(), None),
                None => {
                    loader.diags.push(
                        Diagnostic::error(format!(
                            "the name of `{}` must be text such as `de Klant` or `Afnemer`",
                            key.name
                        ))
                        .at(file, value.span.clone()),
                    );
                    continue;
                }
            },
        };
        match Label::parse(&name, plural.as_deref(), locale) {
            Ok(label) => out.push((
                locale,
                role,
                label,
                At {
                    file,
                    span: value.span.clone(),
                },
            )),
            Err(e) => loader
                .diags
                .push(Diagnostic::error(e).at(file, value.span.clone())),
        }
    }
}

impl Vendor {
    /// The parties' names in a document of `locale`: the vendor's own where it gave them,
    /// else the library's defaults.
    pub fn labels(&self, locale: Locale) -> Labels {
        let short = self
            .party
            .fields
            .get("short_name")
            .map(String::as_str)
            .unwrap_or(self.party.name());
        let mut labels = Labels::defaults(locale, short);
        for (l, role, label, _) in &self.labels {
            if *l == locale {
                labels.set(*role, label.clone());
            }
        }
        labels
    }
}

/// A party name that is also a term the library defines elsewhere ("Gebruiker" for the
/// vendor while the library's user is "Gebruiker"), or the name of another party, would make
/// every sentence with it ambiguous.
fn check_labels(loader: &mut Loader, lib: &Library, v: &Vendor) {
    for locale in [Locale::Nl, Locale::En] {
        if !v.labels.iter().any(|(l, ..)| *l == locale) {
            continue;
        }
        let labels = v.labels(locale);
        for (l, role, label, at) in &v.labels {
            if *l != locale {
                continue;
            }
            for other in Role::ALL.into_iter().filter(|r| r != role) {
                let o = labels.get(other);
                if label.terms().iter().any(|t| o.terms().contains(t)) {
                    loader.diags.push(
                        Diagnostic::error(format!(
                            "`{}` names both the {} and the {}",
                            label.noun,
                            role_words(*role),
                            role_words(other)
                        ))
                        .at(at.file, at.span.clone())
                        .hint(format!(
                            "give the {} another name under `parties: {{{}: ...}}`",
                            role_words(other),
                            other.key()
                        )),
                    );
                }
            }
            let clash = lib.clauses.values().find(|c| {
                c.party.is_none()
                    && c.defines
                        .iter()
                        .any(|d| label.terms().iter().any(|t| t.eq_ignore_ascii_case(d)))
            });
            if let Some(c) = clash {
                loader.diags.push(
                    Diagnostic::error(format!(
                        "`{}` is already a term the library defines (`{}`)",
                        label.noun, c.id
                    ))
                    .at(at.file, at.span.clone())
                    .related(c.file, c.defines_span.clone(), "defined here")
                    .hint("choose another name, or exclude that definition and the clauses that use it"),
                );
            }
        }
    }
}

fn role_words(r: Role) -> &'static str {
    match r {
        Role::Customer => "customer",
        Role::Vendor => "vendor",
        Role::User => "user (a person who uses the service)",
    }
}

fn read_party(r: &mut MapReader, id: &str) -> Party {
    let mut fields = IndexMap::new();
    if let Some(name) = r.required_string("name") {
        fields.insert("name".to_string(), name);
    }
    for key in &PARTY_FIELDS[1..] {
        if let Some(v) = r.string(key) {
            fields.insert(key.to_string(), v);
        }
    }
    if !fields.contains_key("short_name")
        && let Some(n) = fields.get("name").cloned()
    {
        fields.insert("short_name".into(), n);
    }
    Party {
        id: id.to_string(),
        fields,
    }
}

/// What of a vendor file is read once every vendor's own modules are known.
struct VendorRest {
    base: PathBuf,
    params: Option<Node>,
    locale_params: Option<Node>,
    clauses: Option<Node>,
    modules: Vec<AddedModule>,
}

/// `locale_parameters: {en: {support: {support_hours: "..."}}}`.
fn read_locale_params(
    loader: &mut Loader,
    lib: &Library,
    file: FileId,
    node: &Node,
) -> Vec<(Locale, Assignments)> {
    let crate::load::yaml::Kind::Map(entries) = &node.kind else {
        loader.diags.push(
            Diagnostic::error("`locale_parameters` maps a locale to parameters, e.g. `en: {support: {support_hours: ...}}`")
                .at(file, node.span.clone()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        match Locale::parse(&key.name) {
            Some(l) => out.push((
                l,
                read_assignments(&lib.schema, file, value, &mut loader.diags),
            )),
            None => loader.diags.push(
                Diagnostic::error(format!("unknown locale `{}`", key.name))
                    .at(file, key.span.clone())
                    .hint("use `en` or `nl`"),
            ),
        }
    }
    out
}

fn load_vendor(
    loader: &mut Loader,
    lib: &mut Library,
    docs: &IndexMap<String, Document>,
    path: &Path,
    id: String,
) -> Option<(Vendor, VendorRest)> {
    let (file, node) = loader.read_yaml(path)?;
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut r = MapReader::new(file, &node, "the vendor profile", &mut loader.diags)?;
    let party = read_party(&mut r, &id);
    let documents = r.string_list("documents");
    let money_style = r.spanned_string("money_style").and_then(|(s, span)| {
        let parsed = MoneyStyle::parse(&s);
        if parsed.is_none() {
            r.diags().push(
                Diagnostic::error(format!("unknown money style `{s}`"))
                    .at(file, span)
                    .hint("use `code` (EUR 25.000,-), `symbol` (€ 25.000) or `symbol-dash` (€ 25.000,-)"),
            );
        }
        parsed
    });
    let numbered = match r.spanned_string("numbering") {
        None => true,
        Some((v, _)) if v == "articles" => true,
        Some((v, _)) if v == "none" => false,
        Some((v, span)) => {
            r.diags().push(
                Diagnostic::error(format!("unknown numbering `{v}`"))
                    .at(file, span)
                    .hint("use `articles` (Artikel 1, 1.1, ...; the default) or `none`"),
            );
            true
        }
    };
    let params_node = r.node("parameters").cloned();
    let locale_params_node = r.node("locale_parameters").cloned();
    let clauses_node = r.node("clauses").cloned();
    let modules_node = r.node("modules");
    let parties_node = r.node("parties");
    r.finish();
    let labels = parties_node
        .map(|n| read_labels(loader, file, n))
        .unwrap_or_default();

    for (d, span) in &documents {
        if !docs.contains_key(d) && !loader.unloaded_documents.contains(d) {
            loader.diags.push(
                Diagnostic::error(format!("unknown document `{d}`"))
                    .at(file, span.clone())
                    .maybe_hint(did_you_mean(d, docs.keys().map(String::as_str))),
            );
        }
    }
    let mut modules = Vec::new();
    if let Some(n) = modules_node {
        modules = read_added_modules(loader, lib, file, &base, n, &id);
    }
    Some((
        Vendor {
            id,
            file,
            party,
            params: Assignments::default(),
            locale_params: Vec::new(),
            choices: Choices::default(),
            documents,
            money_style,
            labels,
            numbered,
            customers: IndexMap::new(),
        },
        VendorRest {
            base,
            params: params_node,
            locale_params: locale_params_node,
            clauses: clauses_node,
            modules,
        },
    ))
}

fn load_customer(
    loader: &mut Loader,
    lib: &mut Library,
    path: &Path,
    id: String,
) -> Option<Customer> {
    let (file, node) = loader.read_yaml(path)?;
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut r = MapReader::new(file, &node, "the customer file", &mut loader.diags)?;
    let party = read_party(&mut r, &id);
    let params_node = r.node("parameters");
    let clauses_node = r.node("clauses");
    r.finish();
    let choices = clauses_node
        .map(|n| read_choices(loader, lib, file, &base, n))
        .unwrap_or_default();
    let params = params_node
        .map(|n| read_assignments(&lib.schema, file, n, &mut loader.diags))
        .unwrap_or_default();
    Some(Customer {
        id,
        file,
        party,
        params,
        choices,
        row: None,
    })
}

fn relative(base: &Path, rel: &str) -> PathBuf {
    base.join(rel)
}

/// `clauses: {exclude: [...], replace: {id: file.md}, add: [{file: x.md, after: id}]}`
fn read_choices(
    loader: &mut Loader,
    lib: &Library,
    file: FileId,
    base: &Path,
    node: &Node,
) -> Choices {
    let mut choices = Choices::default();
    let (exclude, replace, add) = {
        let Some(mut r) = MapReader::new(file, node, "`clauses`", &mut loader.diags) else {
            return choices;
        };
        let e = r.string_list("exclude");
        let rep = r.node("replace");
        let add = r.node("add");
        r.finish();
        (e, rep, add)
    };
    for (id, span) in exclude {
        if !lib.modules.contains_key(&id) && !lib.clauses.contains_key(&id) {
            if lib.schema.is_broken(&id) {
                continue;
            }
            let all = lib
                .modules
                .keys()
                .chain(lib.clauses.keys())
                .map(String::as_str);
            loader.diags.push(
                Diagnostic::error(format!("cannot exclude `{id}`: no such module or clause"))
                    .at(file, span.clone())
                    .maybe_hint(did_you_mean(&id, all)),
            );
            continue;
        }
        choices.exclude.push((id, At { file, span }));
    }
    if let Some(rep) = replace {
        match &rep.kind {
            Kind::Map(entries) => {
                for (key, val) in entries {
                    let Some(target) = lib.clauses.get(&key.name) else {
                        if lib.schema.is_broken(&key.name) {
                            continue;
                        }
                        loader.diags.push(
                            Diagnostic::error(format!(
                                "cannot replace `{}`: no such clause",
                                key.name
                            ))
                            .at(file, key.span.clone())
                            .maybe_hint(did_you_mean(
                                &key.name,
                                lib.clauses.keys().map(String::as_str),
                            )),
                        );
                        continue;
                    };
                    let Some(path) =
                        super::fields::expect_string(file, &key.name, val, &mut loader.diags)
                    else {
                        continue;
                    };
                    let module = target.module.clone();
                    if let Some(c) =
                        load_clause_at(loader, base, &path, &module, file, val.span.clone())
                    {
                        if c.id != key.name {
                            loader.diags.push(
                                Diagnostic::error(format!(
                                    "replacement for `{}` declares id `{}`",
                                    key.name, c.id
                                ))
                                .at(c.file, c.id_span.clone())
                                .hint(format!("a replacement keeps the id of the clause it replaces: `id: {}`", key.name)),
                            );
                            continue;
                        }
                        choices.replace.insert(
                            key.name.clone(),
                            (
                                c,
                                At {
                                    file,
                                    span: key.span.clone(),
                                },
                            ),
                        );
                    }
                }
            }
            _ => loader.diags.push(
                Diagnostic::error(
                    "`replace` must map clause ids to files, e.g. `liability.cap: acme/cap.md`",
                )
                .at(file, rep.span.clone()),
            ),
        }
    }
    // A replaced definition replaces its `shared:` copies too, so that the documents of a
    // contract keep defining the term alike (unless the copy is replaced on its own).
    let copies: Vec<(String, String, String)> = lib
        .clauses
        .values()
        .filter_map(|c| {
            let source = c.shared_from.as_ref()?;
            (choices.replace.contains_key(source) && !choices.replace.contains_key(&c.id))
                .then(|| (c.id.clone(), c.module.clone(), source.clone()))
        })
        .collect();
    for (copy_id, module, source) in copies {
        let (clause, at) = &choices.replace[&source];
        let mut clause = clause.clone();
        clause.id = copy_id.clone();
        clause.module = module;
        clause.shared_from = Some(source);
        let at = at.clone();
        choices.replace.insert(copy_id, (clause, at));
    }
    if let Some(add) = add {
        let items: Vec<&Node> = match &add.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => {
                loader.diags.push(
                    Diagnostic::error("`add` must be a list of `{file: ..., after: ...}` entries")
                        .at(file, add.span.clone()),
                );
                Vec::new()
            }
        };
        for item in items {
            let (path, after, module) = {
                let Some(mut r) = MapReader::new(file, item, "an `add` entry", &mut loader.diags)
                else {
                    continue;
                };
                let p = r.required_string("file");
                let a = r.spanned_string("after");
                let m = r.spanned_string("module");
                r.finish();
                (p, a, m)
            };
            let Some(path) = path else { continue };
            // The module comes from `module:`, else from the clause the new one follows.
            let module_span = module
                .as_ref()
                .map(|(_, s)| s.clone())
                .unwrap_or(item.span.clone());
            let module = match (&module, &after) {
                (Some((m, _)), _) => m.clone(),
                (None, Some((a, _))) => a.split('.').next().unwrap_or_default().to_string(),
                (None, None) => {
                    loader.diags.push(
                        Diagnostic::error(
                            "an added clause needs `after: <clause id>` or `module: <module id>`",
                        )
                        .at(file, item.span.clone()),
                    );
                    continue;
                }
            };
            if !lib.modules.contains_key(&module) {
                if lib.schema.is_broken(&module) {
                    continue;
                }
                loader.diags.push(
                    Diagnostic::error(format!("unknown module `{module}` for an added clause"))
                        .at(file, module_span)
                        .maybe_hint(did_you_mean(
                            &module,
                            lib.modules.keys().map(String::as_str),
                        )),
                );
                continue;
            }
            if let Some((a, span)) = &after
                && !lib.clauses.contains_key(a)
                && !lib.schema.is_broken(a)
            {
                loader.diags.push(
                    Diagnostic::error(format!("`after: {a}` names no clause"))
                        .at(file, span.clone())
                        .maybe_hint(did_you_mean(a, lib.clauses.keys().map(String::as_str))),
                );
                continue;
            }
            if let Some(c) = load_clause_at(loader, base, &path, &module, file, item.span.clone()) {
                if let Some(existing) = lib.clauses.get(&c.id) {
                    loader.diags.push(
                        Diagnostic::error(format!("added clause `{}` has the id of a library clause", c.id))
                            .at(c.file, c.id_span.clone())
                            .related(existing.file, existing.id_span.clone(), "library clause")
                            .hint("to change that clause's wording use `replace`; to add one, give it a new id"),
                    );
                    continue;
                }
                choices
                    .add
                    .push((c, after.map(|(a, span)| (a, At { file, span }))));
            }
        }
    }
    choices
}

fn load_clause_at(
    loader: &mut Loader,
    base: &Path,
    rel: &str,
    module: &str,
    from: FileId,
    span: Range<usize>,
) -> Option<Clause> {
    let path = relative(base, rel);
    if let Err(msg) = loader.confine(&path) {
        loader.diags.push(Diagnostic::error(msg).at(from, span));
        return None;
    }
    load_clause(loader, &path, module)
}

/// `modules: [{path: acme/spam, after: hosting, documents: [terms]}]`
fn read_added_modules(
    loader: &mut Loader,
    lib: &mut Library,
    file: FileId,
    base: &Path,
    node: &Node,
    vendor: &str,
) -> Vec<AddedModule> {
    let mut out = Vec::new();
    let Kind::Seq(items) = &node.kind else {
        loader.diags.push(
            Diagnostic::error("`modules` must be a list of `{path: ..., after: ...}` entries")
                .at(file, node.span.clone()),
        );
        return out;
    };
    for item in items {
        let (path, after, documents) = {
            let Some(mut r) = MapReader::new(file, item, "a `modules` entry", &mut loader.diags)
            else {
                continue;
            };
            let p = r.spanned_string("path");
            if p.is_none() {
                r.required_string("path");
            }
            let a = r.spanned_string("after");
            let d = r.node("documents");
            r.finish();
            (p, a, d)
        };
        let Some((path, span)) = path else { continue };
        let dir = relative(base, &path);
        if let Err(msg) = loader.confine(&dir) {
            loader.diags.push(Diagnostic::error(msg).at(file, span));
            continue;
        }
        let Some(id) = load_module(loader, lib, &dir, Some(vendor)) else {
            continue;
        };
        if let Some((a, aspan)) = &after
            && !lib.modules.contains_key(a)
            && !lib.schema.is_broken(a)
        {
            loader.diags.push(
                Diagnostic::error(format!("`after: {a}` names no module"))
                    .at(file, aspan.clone())
                    .maybe_hint(did_you_mean(a, lib.modules.keys().map(String::as_str))),
            );
        }
        let documents = documents
            .map(|n| string_list(file, "documents", n, &mut loader.diags))
            .unwrap_or_default()
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        out.push(AddedModule {
            id,
            after: after.map(|(a, s)| (a, At { file, span: s })),
            documents,
            at: At { file, span },
        });
    }
    out
}
