//! Reading typed fields out of a YAML tree, reporting every wrong type and unknown key
//! with its position. This plays the part serde's `deny_unknown_fields` plays elsewhere, but
//! keeps positions and gives a did-you-mean from the keys the reader actually asked for.

use std::ops::Range;

use super::yaml::{Key, Kind, Node};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};

/// Reads the keys of one YAML mapping. Every key asked for becomes "known"; `finish` reports
/// the rest as unknown keys.
pub struct MapReader<'a, 'd> {
    file: FileId,
    /// "module.yaml", "the vendor profile", ... for messages.
    what: &'static str,
    span: Range<usize>,
    entries: &'a [(Key, Node)],
    known: Vec<String>,
    diags: &'d mut Diagnostics,
}

const EMPTY: &[(Key, Node)] = &[];

impl<'a, 'd> MapReader<'a, 'd> {
    /// `None` (with a diagnostic) when the node is not a mapping; null counts as empty.
    pub fn new(
        file: FileId,
        node: &'a Node,
        what: &'static str,
        diags: &'d mut Diagnostics,
    ) -> Option<Self> {
        let entries: &'a [(Key, Node)] = match &node.kind {
            Kind::Map(entries) => entries,
            Kind::Null => EMPTY,
            _ => {
                diags.push(
                    Diagnostic::error(format!(
                        "{what} must be a mapping of `key: value` lines, found {}",
                        node.type_name()
                    ))
                    .at(file, node.span.clone())
                    .label("expected a mapping"),
                );
                return None;
            }
        };
        Some(MapReader {
            file,
            what,
            span: node.span.clone(),
            entries,
            known: Vec::new(),
            diags,
        })
    }

    pub fn file(&self) -> FileId {
        self.file
    }

    pub fn diags(&mut self) -> &mut Diagnostics {
        self.diags
    }

    /// The raw node under `key`, if present.
    pub fn node(&mut self, key: &str) -> Option<&'a Node> {
        self.known.push(key.to_string());
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, n)| n)
    }

    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span.clone())
    }

    /// Span to point at when a required key is missing: the start of the mapping.
    pub fn whole_span(&self) -> Range<usize> {
        self.span.start..self.span.start
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        let node = self.node(key)?;
        expect_string(self.file, key, node, self.diags)
    }

    /// Like `string`, with the span of the value.
    pub fn spanned_string(&mut self, key: &str) -> Option<(String, Range<usize>)> {
        let node = self.node(key)?;
        expect_string(self.file, key, node, self.diags).map(|s| (s, node.span.clone()))
    }

    pub fn required_string(&mut self, key: &str) -> Option<String> {
        if self.key_span(key).is_none() {
            self.known.push(key.to_string());
            let what = self.what;
            let span = self.whole_span();
            self.diags.push(
                Diagnostic::error(format!("{what} is missing the required key `{key}`"))
                    .at(self.file, span)
                    .label(format!("`{key}` expected in this mapping"))
                    .hint(format!("add a line `{key}: ...`")),
            );
            return None;
        }
        self.string(key)
    }

    pub fn integer(&mut self, key: &str) -> Option<i64> {
        let node = self.node(key)?;
        match node.kind {
            Kind::Int(i) => Some(i),
            _ => {
                self.type_error(key, node, "an integer");
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let node = self.node(key)?;
        match node.kind {
            Kind::Bool(b) => Some(b),
            _ => {
                self.type_error(key, node, "`true` or `false`");
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn string_list(&mut self, key: &str) -> Vec<(String, Range<usize>)> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        string_list(self.file, key, node, self.diags)
    }

    fn type_error(&mut self, key: &str, node: &Node, expected: &str) {
        self.diags.push(
            Diagnostic::error(format!(
                "wrong type for `{key}`: expected {expected}, found {}",
                node.type_name()
            ))
            .at(self.file, node.span.clone())
            .label(format!("expected {expected}")),
        );
    }

    /// Report every key nobody asked for.
    pub fn finish(self) {
        for (k, _) in self.entries {
            if !self.known.contains(&k.name) {
                let mut known = self.known.clone();
                known.sort_unstable();
                known.dedup();
                let d = Diagnostic::error(format!("unknown key `{}` in {}", k.name, self.what))
                    .at(self.file, k.span.clone())
                    .label("unknown key")
                    .maybe_hint(did_you_mean(&k.name, known.iter().map(String::as_str)))
                    .hint(format!("known keys here: {}", known.join(", ")));
                self.diags.push(d);
            }
        }
    }
}

/// The longest text a single field (a name, a title, an id) may hold, in characters: a longer
/// one is a paste gone wrong, and would only make every output slow to lay out.
pub const MAX_FIELD_CHARS: usize = 1000;

/// Scalars that read naturally as text (numbers such as a KvK number) are accepted as text,
/// exactly as written (`01234567` keeps its zero).
pub fn expect_string(
    file: FileId,
    key: &str,
    node: &Node,
    diags: &mut Diagnostics,
) -> Option<String> {
    match (&node.kind, node.written()) {
        (Kind::Str(_) | Kind::Float(_) | Kind::Int(_), Some(s)) => {
            if s.chars().count() > MAX_FIELD_CHARS {
                diags.push(
                    Diagnostic::error(format!(
                        "`{key}` is longer than {MAX_FIELD_CHARS} characters"
                    ))
                    .at(file, node.span.start..node.span.start)
                    .label("this text is too long"),
                );
                return None;
            }
            Some(s.to_string())
        }
        _ => {
            diags.push(
                Diagnostic::error(format!(
                    "wrong type for `{key}`: expected text, found {}",
                    node.type_name()
                ))
                .at(file, node.span.clone())
                .label("expected text"),
            );
            None
        }
    }
}

pub fn string_list(
    file: FileId,
    key: &str,
    node: &Node,
    diags: &mut Diagnostics,
) -> Vec<(String, Range<usize>)> {
    match &node.kind {
        Kind::Null => Vec::new(),
        Kind::Seq(items) => items
            .iter()
            .filter_map(|n| expect_string(file, key, n, diags).map(|s| (s, n.span.clone())))
            .collect(),
        _ => expect_string(file, key, node, diags)
            .map(|s| vec![(s, node.span.clone())])
            .unwrap_or_default(),
    }
}
