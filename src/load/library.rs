//! The clause library: `clauses/<module>/module.yaml` and `clauses/<module>/<clause>.md`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use std::collections::HashMap;

use indexmap::IndexMap;

use super::fields::MapReader;
use super::{Loader, Manifest, display_path};
use crate::diagnostics::{Diagnostic, FileId};
use crate::params::Locale;
use crate::params::labels::Role;
use crate::params::resolve::Schema;
use crate::params::{self, is_clause_name, is_identifier};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleKind {
    /// An ordinary article.
    Articles,
    /// The generated definitions article: its clauses are sorted by the term they define.
    Definitions,
}

#[derive(Debug, Clone)]
pub struct Module {
    pub id: String,
    pub title: String,
    pub version: String,
    pub kind: ModuleKind,
    pub file: FileId,
    pub dir: PathBuf,
    /// Clause ids in their order.
    pub clauses: Vec<String>,
    /// The vendor whose own module this is (added through the vendor profile).
    pub owner: Option<String>,
    /// Clauses or modules a document holding this module must hold too (`requires:`).
    pub requires: Vec<Rule>,
    /// Conditions over parameters that must hold wherever the module is used
    /// (`constraints:`), each a Tera expression like a `when:`.
    pub constraints: Vec<Rule>,
    /// Definitions this definitions module takes from another (`shared:`), so that the
    /// documents of one contract define a term in one wording: source clause id and span.
    pub shared: Vec<(String, Range<usize>)>,
}

/// A declarative rule of a module: what it names (a clause or module id for `requires`, an
/// expression for `constraints`), the message when it fails, and where it is written.
#[derive(Debug, Clone)]
pub struct Rule {
    pub what: String,
    pub message: String,
    pub file: FileId,
    /// The span of `what` in module.yaml (for an expression: of its text, unquoted).
    pub span: Range<usize>,
}

/// An inclusion condition, a Tera expression over parameters.
#[derive(Debug, Clone)]
pub struct When {
    pub expr: String,
    pub file: FileId,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub id: String,
    pub module: String,
    pub title: String,
    pub version: String,
    pub when: Option<When>,
    /// Terms a definitions clause defines; the first is the headword.
    pub defines: Vec<String>,
    /// Lints this clause allows, each with the editor's reason (`allow: {lint: reason}`).
    pub allow: Vec<(String, String)>,
    /// For the definition of a party (`defines_party: customer`): the party whose name,
    /// as the vendor gives it, this clause defines; its title and `defines` follow the name.
    pub party: Option<Role>,
    pub defines_span: Range<usize>,
    pub file: FileId,
    /// Byte offset of the body in the file, so template errors map back to file lines.
    pub body_offset: usize,
    pub body: String,
    /// Sort key inside the module: `order`, else the file-name prefix, then the file name.
    pub order: (i64, String),
    pub id_span: Range<usize>,
    /// For a definition a module takes with `shared:`, the id of the clause it copies.
    pub shared_from: Option<String>,
}

impl Clause {
    /// The terms this clause defines in a document whose parties go by `labels`.
    pub fn defines(&self, labels: &crate::params::labels::Labels) -> Vec<String> {
        match self.party {
            Some(role) => labels.get(role).terms(),
            None => self.defines.clone(),
        }
    }

    /// The title, which for a party's definition is the party's name.
    pub fn title(&self, labels: &crate::params::labels::Labels) -> String {
        match self.party {
            Some(role) => labels.get(role).noun.clone(),
            None => labels.fill(&self.title),
        }
    }
}

#[derive(Debug, Default)]
pub struct Library {
    pub modules: IndexMap<String, Module>,
    pub clauses: IndexMap<String, Clause>,
    pub schema: Schema,
    /// Clause translations by locale and clause id (see `translations`).
    pub translations: HashMap<(Locale, String), super::translations::Translation>,
    /// Module titles and parameter texts by locale and module id.
    pub module_texts: HashMap<(Locale, String), super::translations::ModuleText>,
}

impl Library {
    pub fn module_of(&self, clause_id: &str) -> Option<&Module> {
        self.modules
            .get(self.clauses.get(clause_id)?.module.as_str())
    }
}

pub const RESERVED_MODULE_IDS: &[&str] =
    &["vendor", "customer", "document", "party", "raw", "loop"];

pub fn load(loader: &mut Loader, manifest: &Manifest) -> Library {
    let mut lib = Library::default();
    let dir = manifest.clauses.clone();
    if !loader.is_dir(&dir) {
        loader.diags.push(Diagnostic::error(format!(
            "the clause library `{}` does not exist",
            display_path(&dir)
        )));
        return lib;
    }
    for entry in loader.list_dir(&dir) {
        if loader.is_dir(&entry) {
            load_module(loader, &mut lib, &entry, None);
        }
    }
    resolve_shared(loader, &mut lib, None);
    lib
}

/// Copy every `shared:` definition into the module that lists it, as `<module>.<name>`
/// with the source's text and file, so the copy cannot drift from the source and a
/// diagnostic about it points at the one file an editor edits.
fn resolve_shared(loader: &mut Loader, lib: &mut Library, only: Option<&str>) {
    type Sharing = (String, FileId, Vec<(String, Range<usize>)>);
    let sharing: Vec<Sharing> = lib
        .modules
        .values()
        .filter(|m| !m.shared.is_empty() && only.is_none_or(|o| o == m.id))
        .map(|m| (m.id.clone(), m.file, m.shared.clone()))
        .collect();
    for (module_id, file, shared) in sharing {
        for (source_id, span) in shared {
            let source = lib.clauses.get(&source_id).filter(|c| {
                lib.modules
                    .get(&c.module)
                    .is_some_and(|m| m.kind == ModuleKind::Definitions && m.shared.is_empty())
            });
            let Some(source) = source else {
                if lib.schema.is_broken(&source_id) {
                    continue;
                }
                loader.diags.push(
                    Diagnostic::error(format!(
                        "`shared:` names `{source_id}`, which is not a clause of a definitions module"
                    ))
                    .at(file, span)
                    .hint("list ids of definition clauses, such as `definitions.customer`, from a module with `kind: definitions` that shares nothing itself"),
                );
                continue;
            };
            let name = source_id
                .split_once('.')
                .map_or(source_id.as_str(), |(_, n)| n);
            let id = format!("{module_id}.{name}");
            if let Some(existing) = lib.clauses.get(&id) {
                let (efile, espan) = (existing.file, existing.id_span.clone());
                loader.diags.push(
                    Diagnostic::error(format!(
                        "`shared:` would add `{id}`, but the module already has a clause with that id"
                    ))
                    .at(file, span)
                    .related(efile, espan, "defined here")
                    .hint("remove the module's own clause, or do not share this definition"),
                );
                continue;
            }
            let mut copy = source.clone();
            copy.id = id.clone();
            copy.module = module_id.clone();
            copy.shared_from = Some(source_id.clone());
            lib.clauses.insert(id.clone(), copy);
            if let Some(m) = lib.modules.get_mut(&module_id) {
                m.clauses.push(id);
            }
        }
    }
}

/// Strip an ordering prefix such as `10-` or `02_` from a file or directory name.
pub fn split_prefix(name: &str) -> (Option<i64>, &str) {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let rest = &name[digits..];
        if let Some(stripped) = rest.strip_prefix(['-', '_']) {
            return (name[..digits].parse().ok(), stripped);
        }
    }
    (None, name)
}

/// Load one module directory into the library; returns its id.
pub fn load_module(
    loader: &mut Loader,
    lib: &mut Library,
    dir: &Path,
    owner: Option<&str>,
) -> Option<String> {
    let yaml_path = dir.join("module.yaml");
    if !loader.exists(&yaml_path) {
        loader.diags.push(
            Diagnostic::error(format!(
                "module directory `{}` has no module.yaml",
                display_path(dir)
            ))
            .hint("every directory in the clause library is a module and needs a module.yaml with at least `title`"),
        );
        return None;
    }
    let dir_name = dir.file_name()?.to_string_lossy().to_string();
    // A module.yaml that does not parse still names its module, so that its parameters and
    // clauses are not reported again as unknown wherever they are used.
    let broken = |lib: &mut Library, loader: &Loader, file: Option<FileId>| {
        lib.schema
            .broken
            .insert(split_prefix(&dir_name).1.to_string());
        if let Some(id) = file.and_then(|f| guess_id(loader.sources.text(f))) {
            lib.schema.broken.insert(id);
        }
    };
    let mark = loader.diags.len();
    let Some((file, node)) = loader.read_yaml(&yaml_path) else {
        let file = loader.sources.find(&yaml_path);
        broken(lib, loader, file);
        loader.diags.mark_incomplete_since(mark);
        return None;
    };
    let Some(mut r) = MapReader::new(file, &node, "module.yaml", &mut loader.diags) else {
        broken(lib, loader, Some(file));
        loader.diags.mark_incomplete_since(mark);
        return None;
    };
    let (id, id_span) = r
        .spanned_string("id")
        .unwrap_or_else(|| (split_prefix(&dir_name).1.to_string(), 0..0));
    let title = r.required_string("title").unwrap_or_default();
    let version = r.string("version").unwrap_or_else(|| "1.0.0".into());
    let kind = match r.spanned_string("kind") {
        None => ModuleKind::Articles,
        Some((k, _)) if k == "articles" => ModuleKind::Articles,
        Some((k, _)) if k == "definitions" => ModuleKind::Definitions,
        Some((k, span)) => {
            r.diags().push(
                Diagnostic::error(format!("unknown module kind `{k}`"))
                    .at(file, span)
                    .hint("use `articles` (the default) or `definitions`"),
            );
            ModuleKind::Articles
        }
    };
    let params_node = r.node("parameters");
    r.string("description");
    let requires_node = r.node("requires");
    let constraints_node = r.node("constraints");
    let shared = r.string_list("shared");
    r.finish();
    let requires = requires_node
        .map(|n| read_rules(loader, file, n, "requires", "clause"))
        .unwrap_or_default();
    let constraints = constraints_node
        .map(|n| read_rules(loader, file, n, "constraints", "check"))
        .unwrap_or_default();

    if !is_identifier(&id) || RESERVED_MODULE_IDS.contains(&id.as_str()) {
        loader.diags.push(
            Diagnostic::error(format!("`{id}` cannot be a module id"))
                .at(file, id_span)
                .hint("use lower case letters, digits and `_` (a `-` would read as a minus sign in `{{ module.param }}`); `vendor`, `customer`, `document`, `raw` and `loop` are reserved"),
        );
        lib.schema.broken.insert(id);
        loader.diags.mark_incomplete_since(mark);
        return None;
    }
    if let Some(existing) = lib.modules.get(&id) {
        let first = existing.file;
        loader.diags.push(
            Diagnostic::error(format!("duplicate module id `{id}`"))
                .at(file, id_span)
                .related(first, 0..0, "first declared here"),
        );
        return None;
    }
    let specs = params_node
        .map(|n| params::parse_specs(&id, file, n, &mut lib.schema.broken, &mut loader.diags))
        .unwrap_or_default();
    lib.schema.modules.insert(id.clone(), specs);

    let mut clauses = Vec::new();
    let mut translated = Vec::new();
    let mut module_texts = Vec::new();
    for path in loader.list_dir(dir) {
        let is_md = path.extension().is_some_and(|e| e == "md");
        if super::translations::locale_of(&path).is_some() && !loader.is_dir(&path) {
            if is_md {
                translated.push(path);
            } else if path
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().starts_with("module."))
            {
                module_texts.push(path);
            }
        } else if is_md {
            let mark = loader.diags.len();
            match load_clause(loader, &path, &id) {
                Some(c) => clauses.push(c),
                None => {
                    loader.diags.mark_incomplete_since(mark);
                    let text = loader.sources.find(&path).map(|f| loader.sources.text(f));
                    if let Some(cid) = text.and_then(guess_id) {
                        lib.schema.broken.insert(cid);
                    }
                }
            }
        } else if path.file_name().is_some_and(|n| n != "module.yaml") && !loader.is_dir(&path) {
            loader.diags.push(Diagnostic::warning(format!(
                "`{}` is ignored: a module holds module.yaml and clause files ending in .md",
                display_path(&path)
            )));
        }
    }
    clauses.sort_by(|a, b| a.order.cmp(&b.order));
    let mut ids = Vec::new();
    for c in clauses {
        if let Some(existing) = lib.clauses.get(&c.id) {
            loader.diags.push(
                Diagnostic::error(format!("duplicate clause id `{}`", c.id))
                    .at(c.file, c.id_span.clone())
                    .related(existing.file, existing.id_span.clone(), "first used here")
                    .hint("clause ids must be unique across the library; ids are what references and diffs use"),
            );
            continue;
        }
        ids.push(c.id.clone());
        lib.clauses.insert(c.id.clone(), c);
    }
    let translated: Vec<&Path> = translated.iter().map(PathBuf::as_path).collect();
    super::translations::load_clauses(loader, lib, &id, &translated);
    for path in &module_texts {
        super::translations::load_module_text(loader, lib, &id, path);
    }
    lib.modules.insert(
        id.clone(),
        Module {
            id: id.clone(),
            title,
            version,
            kind,
            file,
            dir: dir.to_path_buf(),
            clauses: ids,
            owner: owner.map(str::to_string),
            requires,
            constraints,
            shared,
        },
    );
    // A vendor's module is loaded after the library, whose definitions it may share.
    if owner.is_some() {
        resolve_shared(loader, lib, Some(&id));
    }
    Some(id)
}

/// `requires: [{clause: liability.intent, message: ...}]` or
/// `constraints: [{check: "raw.a.b <= raw.c.d", message: ...}]`.
fn read_rules(
    loader: &mut Loader,
    file: FileId,
    node: &crate::load::yaml::Node,
    what: &'static str,
    key: &'static str,
) -> Vec<Rule> {
    use crate::load::yaml::Kind;
    let Kind::Seq(items) = &node.kind else {
        loader.diags.push(
            Diagnostic::error(format!(
                "`{what}` must be a list of `{{{key}: ..., message: ...}}` entries"
            ))
            .at(file, node.span.clone()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(mut r) = MapReader::new(file, item, "a rule", &mut loader.diags) else {
            continue;
        };
        let target = r.spanned_string(key);
        if target.is_none() {
            r.required_string(key);
        }
        let message = r.required_string("message");
        r.finish();
        let (Some((target, mut span)), Some(message)) = (target, message) else {
            continue;
        };
        // A quoted expression: point at its text, as for `when:`.
        let text = loader.sources.text(file);
        if matches!(text.as_bytes().get(span.start), Some(b'"' | b'\'')) {
            span = span.start + 1..span.end.saturating_sub(1).max(span.start + 1);
        }
        out.push(Rule {
            what: target,
            message,
            file,
            span,
        });
    }
    out
}

/// Load a clause file: YAML front matter between `---` lines, then the Markdown body.
/// `module` is the module the clause must belong to (its id must start with `module.`).
pub fn load_clause(loader: &mut Loader, path: &Path, module: &str) -> Option<Clause> {
    read_clause(loader, path, module, false).map(|(c, _)| c)
}

/// A clause's version of the source text it translates, and where that is written.
type Translates = Option<(String, Range<usize>)>;

/// Read a clause file; a translation (`translation`) has `translates:` in place of `version:`.
pub(super) fn read_clause(
    loader: &mut Loader,
    path: &Path,
    module: &str,
    translation: bool,
) -> Option<(Clause, Translates)> {
    let file = loader.read(path, None)?;
    let text = loader.sources.text(file);
    let Some((fm_start, fm_end, body_offset)) = split_front_matter(text) else {
        let first = text.find('\n').unwrap_or(text.len());
        if text[..first].trim_end() == "---" {
            loader.diags.push(
                Diagnostic::error("the front matter is not closed")
                    .at(file, 0..first)
                    .label("opened here, but no line `---` follows")
                    .hint("end the keys `id`, `title`, `version` with a line `---`, then write the clause text"),
            );
            return None;
        }
        loader.diags.push(
            Diagnostic::error("clause file has no front matter")
                .at(file, 0..text.find('\n').unwrap_or(text.len()))
                .label("expected `---` on the first line")
                .hint("start the file with `---`, the keys `id`, `title`, `version`, then `---` and the clause text"),
        );
        return None;
    };
    let body = text[body_offset..].to_string();
    let node = loader.parse_yaml(file, fm_start, fm_end)?;
    let mut r = MapReader::new(file, &node, "clause front matter", &mut loader.diags)?;
    let id_entry = r.spanned_string("id");
    if id_entry.is_none() && r.key_span("id").is_none() {
        r.required_string("id");
    }
    let title = r.string("title").unwrap_or_default();
    let (version, translates) = if translation {
        if r.key_span("translates").is_none() {
            r.required_string("translates");
        }
        (String::new(), r.spanned_string("translates"))
    } else {
        let v = r
            .required_string("version")
            .unwrap_or_else(|| "1.0.0".into());
        (v, None)
    };
    if translation && translates.is_none() {
        r.finish();
        return None;
    }
    let order_value = r.integer("order");
    let when = r
        .spanned_string("when")
        .map(|(expr, span)| When { expr, file, span });
    let defines_list = r.string_list("defines");
    let party = r.spanned_string("defines_party");
    let defines_span = r
        .key_span("defines")
        .or_else(|| r.key_span("defines_party"))
        .unwrap_or(0..0);
    r.string("note");
    let allow_node = r.node("allow");
    r.finish();
    let allow = allow_node
        .map(|n| read_allow(file, n, &mut loader.diags))
        .unwrap_or_default();
    let (id, id_span) = id_entry?;
    let party = party.and_then(|(p, span)| {
        let role = Role::parse(&p);
        if role.is_none() {
            loader.diags.push(
                Diagnostic::error(format!("unknown party `{p}` in `defines_party`"))
                    .at(file, span)
                    .hint("use `customer`, `vendor` or `user`"),
            );
        }
        role
    });

    let valid = id
        .split_once('.')
        .is_some_and(|(m, n)| m == module && !n.is_empty() && n.split('.').all(is_clause_name));
    if !valid {
        loader.diags.push(
            Diagnostic::error(format!(
                "clause id `{id}` does not belong to module `{module}`"
            ))
            .at(file, id_span)
            .hint(format!(
                "clause ids are `{module}.<name>`, in lower case, e.g. `{module}.{}`",
                stem_name(path)
            )),
        );
        return None;
    }
    let stem = path.file_stem()?.to_string_lossy().to_string();
    let (prefix, _) = split_prefix(&stem);
    let clause = Clause {
        id,
        module: module.to_string(),
        title,
        version,
        when,
        defines: defines_list.into_iter().map(|(s, _)| s).collect(),
        party,
        allow,
        defines_span,
        file,
        body_offset,
        body,
        order: (order_value.or(prefix).unwrap_or(i64::MAX), stem),
        id_span,
        shared_from: None,
    };
    Some((clause, translates))
}

/// `allow: {stale_law: "quotes the old act on purpose"}`: lint names from the catalogue, each
/// with a reason, so that the next editor knows why.
fn read_allow(
    file: FileId,
    node: &crate::load::yaml::Node,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Vec<(String, String)> {
    use crate::load::yaml::Kind;
    let Kind::Map(entries) = &node.kind else {
        diags.push(
            Diagnostic::error("`allow` maps lint names to the reason for allowing them")
                .at(file, node.span.clone())
                .hint("e.g. `allow: {hand_typed_reference: \"quotes article 7:408 BW\"}`"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        if crate::catalogue::find(&key.name).is_none() {
            diags.push(
                Diagnostic::error(format!("unknown lint `{}`", key.name))
                    .at(file, key.span.clone())
                    .maybe_hint(crate::diagnostics::did_you_mean(
                        &key.name,
                        crate::catalogue::LINTS.iter().map(|l| l.name),
                    )),
            );
            continue;
        }
        match value.as_str().map(str::trim).filter(|r| !r.is_empty()) {
            Some(reason) => out.push((key.name.clone(), reason.to_string())),
            None => diags.push(
                Diagnostic::error(format!("allowing `{}` needs a reason", key.name))
                    .at(file, value.span.clone())
                    .hint("say why the finding is right here, in a few words"),
            ),
        }
    }
    out
}

fn stem_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    split_prefix(&stem).1.to_string()
}

/// (front matter start, front matter end, body start) as byte offsets.
pub fn split_front_matter(text: &str) -> Option<(usize, usize, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let start = first_end + 1;
    let mut pos = start;
    while pos <= text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        if text[pos..end].trim_end() == "---" {
            let body = (end + 1).min(text.len());
            return Some((start, pos, body));
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

/// The value of an `id:` line in YAML that did not parse, if it looks like an id.
fn guess_id(text: &str) -> Option<String> {
    text.lines().take(40).find_map(|l| {
        let v = l.strip_prefix("id:")?;
        let v = v
            .trim()
            .trim_matches(|c: char| "[]{}'\" ,".contains(c) || c.is_whitespace());
        let ok = !v.is_empty()
            && v.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
        ok.then(|| v.to_string())
    })
}
