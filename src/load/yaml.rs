//! A small, position-carrying YAML tree for project files.
//!
//! Every project file (manifest, `module.yaml`, clause front matter, documents, profiles) is
//! parsed into [`Node`]s that remember their byte range, so later code can point at the exact
//! `file:line:col` of a problem. We deliberately do not deserialise through serde: callers walk
//! the tree by hand and get precise locations for every value.
//!
//! YAML's traps are closed here rather than downstream: duplicate keys, tags, anchors and
//! aliases (and with them alias bombs), merge keys, multiple documents and absurd nesting are
//! all errors. Plain scalars are resolved with the YAML 1.2 core schema, so `no` stays a string.

use std::collections::HashMap;
use std::ops::Range;

use serde_saphyr::granit_parser::{
    ErrorKind, Event, Parser, ScalarStyle, ScanError, Span, StrInput,
};

/// Deepest allowed nesting of collections; the root collection is level 1.
pub const MAX_DEPTH: usize = 64;

/// Mappings with more entries than this get a hash index for the duplicate-key check, so huge
/// mappings stay linear while the common small ones avoid the allocation.
const INDEX_THRESHOLD: usize = 8;

const ANCHOR_MESSAGE: &str = "anchors and aliases (`&a`, `*a`) are not supported";
const ANCHOR_HINT: &str = "write the value out in full";
const TAG_MESSAGE: &str = "tags such as `!foo` are not supported";
const QUOTE_HINT: &str = "quote the value if it is meant as text";

/// A parsed YAML value with the byte range it occupies in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: Range<usize>,
    /// A plain scalar that resolved to a number, boolean or null, exactly as written: a text
    /// parameter `0x10` must stay `0x10`, and value grammars judge what the editor typed,
    /// not YAML's reading of it. `None` for strings (their value is the text) and collections.
    pub plain: Option<String>,
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    /// A plain scalar that is a YAML 1.2 core-schema float; the source text is kept so that
    /// decimals like 99.9 are never rounded through f64 by later code.
    Float(String),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in source order. Keys are always strings (a non-string key such as `1:` or `true:`
    /// becomes its source text as the key name; a complex key `? [a, b]` or a collection key is
    /// an error).
    Map(Vec<(Key, Node)>),
}

/// A mapping key with the byte range of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

/// Why a YAML text was rejected, with enough location data for a caret diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// Lower-case, names the cause: "duplicate key `title`", "tags such as `!foo` are not supported", ...
    pub message: String,
    /// Byte range in the source the error points at (may be empty: start..start).
    pub span: Range<usize>,
    /// Optional extra help line, e.g. "remove one of the two entries" or "quote the value".
    pub hint: Option<String>,
    /// Optional second location, e.g. where the first of two duplicate keys is: (label, span).
    pub related: Option<(String, Range<usize>)>,
}

impl YamlError {
    fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        YamlError {
            message: message.into(),
            span,
            hint: None,
            related: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

impl Node {
    /// User-facing name of the value's type, for "expected a list, found a string" messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "boolean",
            Kind::Int(_) => "integer",
            Kind::Float(_) => "number",
            Kind::Str(_) => "string",
            Kind::Seq(_) => "list",
            Kind::Map(_) => "mapping",
        }
    }

    /// A scalar exactly as written (`0x10`, `1.50`, `true`, `some text`); `None` for null
    /// and collections.
    pub fn written(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            Kind::Null | Kind::Seq(_) | Kind::Map(_) => None,
            _ => self.plain.as_deref(),
        }
    }

    /// The text of a string node; `None` for every other kind (numbers are not coerced).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Looks up `key` in a mapping node; `None` if absent or if this is not a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// 1-based line and 1-based column (in chars) of a byte offset; used by diagnostics.
///
/// Offsets past the end are clamped to the end; offsets inside a multi-byte character are
/// treated as pointing at that character.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Parse one YAML document. Empty input or only comments -> `Node { kind: Null, span: 0..0 }`.
pub fn parse(src: &str) -> Result<Node, YamlError> {
    // The parser's own nesting limits equal ours: its scanner looks ahead and may hit the limit
    // before we see the offending event, and it must never build deep internal state for a
    // `[[[[…` bomb. Both limits reject only input that our combined depth check would reject too.
    let options = serde_saphyr::granit_parser::options! {
        flow_nesting_limit: MAX_DEPTH,
        block_nesting_limit: MAX_DEPTH,
        // Anchor events give us the `&name` span; unresolved aliases are reported by us, with our
        // message, instead of as a parser error about an unknown anchor.
        emit_anchor_events: true,
        emit_unresolved_aliases: true,
        emit_comments: false,
    };
    let mut events = Events {
        src,
        parser: Parser::new_from_str_with_options(src, options),
    };
    let mut builder = Builder {
        stack: Vec::new(),
        root: None,
        extra_document: None,
    };
    while let Some((event, span)) = events.pull()? {
        let range = events.range(&span);
        let is_map = matches!(event, Event::MappingStart(..));
        match event {
            Event::DocumentStart(..) if builder.root.is_some() => {
                builder.extra_document = Some(range);
            }
            Event::Scalar(value, style, anchor, tag) => {
                check_properties(&mut events, anchor, tag.is_some(), &span)?;
                if let Some(doc) = &builder.extra_document {
                    // A trailing `---` with nothing after it yields an implicit empty scalar;
                    // that is harmless. Real content in a second document is not.
                    if style == ScalarStyle::Plain && range.is_empty() {
                        continue;
                    }
                    return Err(extra_document_error(doc.clone()));
                }
                builder.scalar(&value, style, range)?;
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                check_properties(&mut events, anchor, tag.is_some(), &span)?;
                if let Some(doc) = &builder.extra_document {
                    return Err(extra_document_error(doc.clone()));
                }
                builder.open(is_map, range)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(range),
            Event::Alias(_) | Event::UnresolvedAlias(_) => {
                return Err(YamlError::new(ANCHOR_MESSAGE, range).with_hint(ANCHOR_HINT));
            }
            Event::StreamEnd => break,
            // StreamStart, DocumentEnd, comments and anchor metadata carry no data for us.
            _ => {}
        }
    }
    Ok(builder.root.unwrap_or(Node {
        kind: Kind::Null,
        span: 0..0,
        plain: None,
    }))
}

fn extra_document_error(span: Range<usize>) -> YamlError {
    YamlError::new("only one YAML document per file is allowed", span)
        .with_hint("remove the second `---` and everything after it, or move it to its own file")
}

/// Rejects anchors and tags on a node event. Anchors are checked first: they are the
/// alias-bomb vector, so that is the most important message to give.
fn check_properties(
    events: &mut Events<'_>,
    anchor: usize,
    tagged: bool,
    span: &Span,
) -> Result<(), YamlError> {
    if anchor != 0 {
        // With `emit_anchor_events` the parser emits the `&name` token right after the node.
        // A parse error in this look-ahead is ignored: the anchor is the problem to report.
        let at = match events.parser.next() {
            Some(Ok((Event::Anchor(..), anchor_span))) => events.range(&anchor_span),
            _ => events.range(span),
        };
        return Err(YamlError::new(ANCHOR_MESSAGE, at).with_hint(ANCHOR_HINT));
    }
    if tagged {
        let at = span
            .tag_span()
            .map(|t| events.range(&t))
            .or_else(|| {
                let start = events.offset(&span.tag_start?);
                Some(start..events.offset(&span.end).max(start))
            })
            .unwrap_or_else(|| events.range(span));
        let text = events.src.get(at.clone()).unwrap_or("");
        let hint = if text.is_empty() {
            "remove the tag".to_string()
        } else {
            format!("remove `{text}`; quote the value if the `!` is meant as text")
        };
        return Err(YamlError::new(TAG_MESSAGE, at).with_hint(hint));
    }
    Ok(())
}

/// The parser plus byte-offset conversion and error translation.
struct Events<'a> {
    src: &'a str,
    parser: Parser<'a, StrInput<'a>>,
}

impl<'a> Events<'a> {
    fn pull(&mut self) -> Result<Option<(Event<'a>, Span)>, YamlError> {
        match self.parser.next() {
            None => Ok(None),
            Some(Ok(pair)) => Ok(Some(pair)),
            Some(Err(err)) => Err(self.scan_error(&err)),
        }
    }

    /// Byte offset of a marker. Parsers over `&str` always provide byte offsets; the char-index
    /// fallback only guards against that ever changing, since spans must be byte ranges.
    fn offset(&self, marker: &serde_saphyr::granit_parser::Marker) -> usize {
        marker
            .byte_offset()
            .unwrap_or_else(|| {
                self.src
                    .char_indices()
                    .nth(marker.index())
                    .map_or(self.src.len(), |(i, _)| i)
            })
            .min(self.src.len())
    }

    fn range(&self, span: &Span) -> Range<usize> {
        let start = self.offset(&span.start);
        start..self.offset(&span.end).max(start)
    }

    fn scan_error(&self, err: &ScanError) -> YamlError {
        let at = self.offset(err.marker());
        // Cover the offending character so a caret has something to underline.
        let end = self.src[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        if matches!(err.kind(), ErrorKind::RecursionLimitExceeded) {
            return depth_error(at..end);
        }
        let mut message = err.info();
        if message.is_empty() {
            message = format!("{:?}", err.kind());
        }
        let message = lower_first(&message);
        let hint = match err.kind() {
            ErrorKind::TabNotAllowed
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabAtBlockScalarStart => Some("indent with spaces, not tabs"),
            ErrorKind::UnknownAnchor => Some(ANCHOR_HINT),
            ErrorKind::InvalidSimpleKey | ErrorKind::SimpleKeyExpected => {
                Some("a key must fit on one line and be followed by `: `")
            }
            _ => None,
        };
        YamlError {
            message,
            span: at..end,
            hint: hint.map(str::to_string),
            related: None,
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn depth_error(span: Range<usize>) -> YamlError {
    YamlError::new(format!("nesting deeper than {MAX_DEPTH} levels"), span)
        .with_hint("flatten the structure; project files never need this much nesting")
}

/// A collection under construction. The explicit stack replaces recursion, so input depth
/// never turns into call depth.
enum Frame {
    Seq {
        start: usize,
        last_end: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        last_end: usize,
        entries: Vec<(Key, Node)>,
        /// A key whose value has not been seen yet.
        pending: Option<Key>,
        /// Key name -> entry index, built only for large mappings.
        index: Option<HashMap<String, usize>>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    /// Span of a second document's start marker, once one has been seen.
    extra_document: Option<Range<usize>>,
}

impl Builder {
    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { pending: None, .. }))
    }

    fn open(&mut self, is_map: bool, span: Range<usize>) -> Result<(), YamlError> {
        if self.expecting_key() {
            return Err(YamlError::new(
                "a mapping key must be a single value, not a list or mapping",
                span,
            )
            .with_hint("use a plain text key such as `name:`"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(depth_error(span));
        }
        let start = span.start;
        self.stack.push(if is_map {
            Frame::Map {
                start,
                last_end: start,
                entries: Vec::new(),
                pending: None,
                index: None,
            }
        } else {
            Frame::Seq {
                start,
                last_end: start,
                items: Vec::new(),
            }
        });
        Ok(())
    }

    fn close(&mut self, span: Range<usize>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (kind, start, last_end) = match frame {
            Frame::Seq {
                start,
                last_end,
                items,
            } => (Kind::Seq(items), start, last_end),
            Frame::Map {
                start,
                last_end,
                entries,
                ..
            } => (Kind::Map(entries), start, last_end),
        };
        // Flow collections end at their closing bracket. Block collections get an empty end
        // event at the next token (possibly after blank lines and comments), so they end with
        // their last child instead.
        let end = if span.is_empty() { last_end } else { span.end };
        self.attach(Node {
            kind,
            span: start..end.max(start),
            plain: None,
        });
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        span: Range<usize>,
    ) -> Result<(), YamlError> {
        if self.expecting_key() {
            return self.key(value, style, span);
        }
        let kind = if style == ScalarStyle::Plain {
            resolve_plain(value, &span)?
        } else {
            Kind::Str(value.to_string())
        };
        let plain = (!matches!(kind, Kind::Str(_))).then(|| value.to_string());
        self.attach(Node { kind, span, plain });
        Ok(())
    }

    fn key(
        &mut self,
        value: &str,
        style: ScalarStyle,
        span: Range<usize>,
    ) -> Result<(), YamlError> {
        let plain = style == ScalarStyle::Plain;
        if value.is_empty() || (plain && matches!(resolve_null_or_bool(value), Some(Kind::Null))) {
            return Err(
                YamlError::new("a mapping key must not be empty or null", span)
                    .with_hint("give the entry a name, or quote it if the key really is `null`"),
            );
        }
        if plain && value == "<<" {
            // `<<` is the YAML 1.1 merge key, which only makes sense together with aliases.
            return Err(YamlError::new(ANCHOR_MESSAGE, span).with_hint(ANCHOR_HINT));
        }
        let Some(Frame::Map {
            entries,
            pending,
            index,
            last_end,
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        let first = match index {
            Some(index) => index.get(value).copied(),
            None => entries.iter().position(|(k, _)| k.name == value),
        };
        if let Some(i) = first {
            let name = value.replace('`', "'");
            let mut err = YamlError::new(format!("duplicate key `{name}`"), span)
                .with_hint("each key may appear once in a mapping");
            err.related = Some(("first defined here".to_string(), entries[i].0.span.clone()));
            return Err(err);
        }
        *last_end = (*last_end).max(span.end);
        *pending = Some(Key {
            name: value.to_string(),
            span,
        });
        Ok(())
    }

    /// Adds a finished node to the enclosing collection, or makes it the document root.
    fn attach(&mut self, node: Node) {
        let end = node.span.end;
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq {
                items, last_end, ..
            }) => {
                *last_end = (*last_end).max(end);
                items.push(node);
            }
            Some(Frame::Map {
                entries,
                pending,
                index,
                last_end,
                ..
            }) => {
                *last_end = (*last_end).max(end);
                // `open`/`scalar` route keys elsewhere, so a pending key is always present here.
                let Some(key) = pending.take() else {
                    return;
                };
                if let Some(index) = index {
                    index.insert(key.name.clone(), entries.len());
                } else if entries.len() >= INDEX_THRESHOLD {
                    let mut map: HashMap<String, usize> = entries
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.name.clone(), i))
                        .collect();
                    map.insert(key.name.clone(), entries.len());
                    *index = Some(map);
                }
                entries.push((key, node));
            }
        }
    }
}

/// A plain scalar written outside a YAML file (a cell of a customer table), resolved exactly
/// as the same text after `key: ` would be: `25000` is an integer, `true` a boolean, `99.9` a
/// number, anything else text.
pub fn plain_scalar(value: &str, span: Range<usize>) -> Result<Node, YamlError> {
    let kind = resolve_plain(value, &span)?;
    let plain = (!matches!(kind, Kind::Str(_))).then(|| value.to_string());
    Ok(Node { kind, span, plain })
}

/// `Null` or `Bool` if the plain scalar is one of the core-schema spellings.
fn resolve_null_or_bool(value: &str) -> Option<Kind> {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => Some(Kind::Null),
        "true" | "True" | "TRUE" => Some(Kind::Bool(true)),
        "false" | "False" | "FALSE" => Some(Kind::Bool(false)),
        _ => None,
    }
}

/// YAML 1.2 core-schema resolution of a plain scalar. Anything that is not null, a boolean, an
/// integer or a float is a string; notably `yes`/`no`/`on`/`off` and dates stay strings.
fn resolve_plain(value: &str, span: &Range<usize>) -> Result<Kind, YamlError> {
    if let Some(kind) = resolve_null_or_bool(value) {
        return Ok(kind);
    }
    let out_of_range = || {
        YamlError::new("integer out of range", span.clone()).with_hint(format!(
            "integers must lie between {} and {}; {QUOTE_HINT}",
            i64::MIN,
            i64::MAX
        ))
    };
    let not_finite =
        || YamlError::new("not a finite number", span.clone()).with_hint(QUOTE_HINT.to_string());

    let radix =
        |prefix: &str, radix: u32, ok: fn(&u8) -> bool| -> Option<Result<Kind, YamlError>> {
            let digits = value.strip_prefix(prefix)?;
            if digits.is_empty() || !digits.as_bytes().iter().all(ok) {
                return None;
            }
            Some(
                i64::from_str_radix(digits, radix)
                    .map(Kind::Int)
                    .map_err(|_| out_of_range()),
            )
        };
    if let Some(result) = radix("0x", 16, u8::is_ascii_hexdigit) {
        return result;
    }
    if let Some(result) = radix("0o", 8, |b| (b'0'..=b'7').contains(b)) {
        return result;
    }

    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return value
            .parse::<i64>()
            .map(Kind::Int)
            .map_err(|_| out_of_range());
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(value, ".nan" | ".NaN" | ".NAN") {
        return Err(not_finite());
    }
    if is_core_float(unsigned) {
        // Huge exponents such as `1e999` match the float pattern but are not finite either.
        if value.parse::<f64>().map_or(true, |f| !f.is_finite()) {
            return Err(not_finite());
        }
        return Ok(Kind::Float(value.to_string()));
    }
    Ok(Kind::Str(value.to_string()))
}

/// Matches `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign is already stripped).
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |mut i: usize| {
        let from = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (i, i - from)
    };
    let (mut i, int_digits) = digits(0);
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        (i, frac_digits) = digits(i + 1);
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let (end, exp_digits) = digits(i);
        if exp_digits == 0 {
            return false;
        }
        i = end;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn ok(src: &str) -> Node {
        match parse(src) {
            Ok(node) => node,
            Err(e) => panic!("unexpected error {e:?} for {src:?}"),
        }
    }

    fn err(src: &str) -> YamlError {
        match parse(src) {
            Ok(node) => panic!("expected an error for {src:?}, got {node:?}"),
            Err(e) => e,
        }
    }

    /// Kind of the value under `key` in a one-entry document `key: <text>`.
    fn scalar(text: &str) -> Kind {
        ok(&format!("v: {text}\n")).get("v").unwrap().kind.clone()
    }

    fn text<'a>(src: &'a str, span: &Range<usize>) -> &'a str {
        &src[span.clone()]
    }

    fn keys(node: &Node) -> Vec<&str> {
        match &node.kind {
            Kind::Map(entries) => entries.iter().map(|(k, _)| k.name.as_str()).collect(),
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn empty_and_comment_only_input_is_null() {
        for src in ["", "# only a comment\n", "\n\n  # two\n# comments\n"] {
            assert_eq!(
                ok(src),
                Node {
                    kind: Kind::Null,
                    span: 0..0,
                    plain: None,
                }
            );
        }
        assert_eq!(ok("---\n").kind, Kind::Null);
    }

    #[test]
    fn null_and_bool_scalars() {
        for s in ["null", "Null", "NULL", "~", ""] {
            assert_eq!(scalar(s), Kind::Null, "{s:?}");
        }
        for s in ["true", "True", "TRUE"] {
            assert_eq!(scalar(s), Kind::Bool(true), "{s:?}");
        }
        for s in ["false", "False", "FALSE"] {
            assert_eq!(scalar(s), Kind::Bool(false), "{s:?}");
        }
    }

    #[test]
    fn yaml_1_1_booleans_and_near_misses_are_strings() {
        for s in [
            "yes", "no", "No", "on", "off", "y", "n", "tRue", "nULL", "none",
        ] {
            assert_eq!(scalar(s), Kind::Str(s.to_string()), "{s:?}");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(scalar("0"), Kind::Int(0));
        assert_eq!(scalar("42"), Kind::Int(42));
        assert_eq!(scalar("-17"), Kind::Int(-17));
        assert_eq!(scalar("+5"), Kind::Int(5));
        assert_eq!(scalar("007"), Kind::Int(7));
        assert_eq!(scalar("0x1F"), Kind::Int(31));
        assert_eq!(scalar("0o17"), Kind::Int(15));
        assert_eq!(scalar("9223372036854775807"), Kind::Int(i64::MAX));
        assert_eq!(scalar("-9223372036854775808"), Kind::Int(i64::MIN));
        // Not core-schema integers.
        for s in [
            "0x", "0xG1", "0o8", "-0x1", "1_000", "12a", "+", "-x", "--1",
        ] {
            assert_eq!(scalar(s), Kind::Str(s.to_string()), "{s:?}");
        }
    }

    #[test]
    fn integer_out_of_range_is_an_error() {
        for s in [
            "9223372036854775808",
            "-9223372036854775809",
            "0x8000000000000000",
        ] {
            let src = format!("v: {s}\n");
            let e = err(&src);
            assert_eq!(e.message, "integer out of range");
            assert_eq!(text(&src, &e.span), s);
            assert!(e.hint.unwrap().contains("quote"));
        }
    }

    #[test]
    fn floats_keep_their_source_text() {
        for s in [
            "99.9", "1.5", "-2e3", ".5", "-.5", "+1.0", "1.", "1e5", "6.02E+23", "0.1e-3",
        ] {
            assert_eq!(scalar(s), Kind::Float(s.to_string()), "{s:?}");
        }
        for s in ["1.2.3", "1e", "e5", ".", "1.5x", "1,5"] {
            assert_eq!(scalar(s), Kind::Str(s.to_string()), "{s:?}");
        }
    }

    #[test]
    fn infinite_and_nan_floats_are_errors() {
        for s in [
            ".inf", "-.inf", "+.Inf", ".INF", ".nan", ".NaN", ".NAN", "1e999",
        ] {
            let src = format!("v: {s}\n");
            let e = err(&src);
            assert_eq!(e.message, "not a finite number", "{s:?}");
            assert_eq!(text(&src, &e.span), s);
        }
    }

    #[test]
    fn quoted_and_block_scalars_are_always_strings() {
        assert_eq!(scalar("'99.9'"), Kind::Str("99.9".into()));
        assert_eq!(scalar("\"42\""), Kind::Str("42".into()));
        assert_eq!(scalar("'true'"), Kind::Str("true".into()));
        assert_eq!(scalar("\"null\""), Kind::Str("null".into()));
        assert_eq!(scalar("''"), Kind::Str(String::new()));
        assert_eq!(scalar("'.inf'"), Kind::Str(".inf".into()));
        assert_eq!(scalar("2019-09-16"), Kind::Str("2019-09-16".into()));
        assert_eq!(scalar("hello world"), Kind::Str("hello world".into()));

        let doc =
            ok("lit: |\n  12\n  line two\nfold: >\n  a\n  b\nkeep: |+\n  x\n\nstrip: |-\n  42\n");
        assert_eq!(doc.get("lit").unwrap().as_str(), Some("12\nline two\n"));
        assert_eq!(doc.get("fold").unwrap().as_str(), Some("a b\n"));
        assert_eq!(doc.get("keep").unwrap().as_str(), Some("x\n\n"));
        assert_eq!(doc.get("strip").unwrap().kind, Kind::Str("42".into()));
    }

    #[test]
    fn nested_block_collections() {
        let src = "title: Terms\nparties:\n  - name: Acme\n    role: vendor\n  - name: Bob\nmeta:\n  version: 3\n  draft: no\n";
        let doc = ok(src);
        assert_eq!(keys(&doc), ["title", "parties", "meta"]);
        assert_eq!(doc.type_name(), "mapping");
        let parties = doc.get("parties").unwrap();
        assert_eq!(parties.type_name(), "list");
        let Kind::Seq(items) = &parties.kind else {
            panic!("not a seq")
        };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].get("role").unwrap().as_str(), Some("vendor"));
        assert_eq!(items[1].get("name").unwrap().as_str(), Some("Bob"));
        let meta = doc.get("meta").unwrap();
        assert_eq!(meta.get("version").unwrap().kind, Kind::Int(3));
        assert_eq!(meta.get("draft").unwrap().kind, Kind::Str("no".into()));
        assert_eq!(meta.get("missing"), None);
        assert_eq!(items[0].get("name").unwrap().get("x"), None);
        assert_eq!(doc.as_str(), None);
    }

    #[test]
    fn flow_collections() {
        let src = "a: [1, two, {x: 1.5, y: [true, null]}]\nb: {}\nc: []\nd: [k: v]\n";
        let doc = ok(src);
        let Kind::Seq(items) = &doc.get("a").unwrap().kind else {
            panic!()
        };
        assert_eq!(items[0].kind, Kind::Int(1));
        assert_eq!(items[1].kind, Kind::Str("two".into()));
        assert_eq!(items[2].get("x").unwrap().kind, Kind::Float("1.5".into()));
        assert_eq!(
            items[2].get("y").unwrap().kind,
            Kind::Seq(vec![
                Node {
                    kind: Kind::Bool(true),
                    span: 25..29,
                    plain: Some("true".into()),
                },
                Node {
                    kind: Kind::Null,
                    span: 31..35,
                    plain: Some("null".into()),
                },
            ])
        );
        assert_eq!(doc.get("b").unwrap().kind, Kind::Map(vec![]));
        assert_eq!(doc.get("c").unwrap().kind, Kind::Seq(vec![]));
        assert_eq!(
            text(src, &doc.get("a").unwrap().span),
            "[1, two, {x: 1.5, y: [true, null]}]"
        );
        assert_eq!(text(src, &doc.get("b").unwrap().span), "{}");
        // A single-pair mapping inside a flow sequence.
        let Kind::Seq(d) = &doc.get("d").unwrap().kind else {
            panic!()
        };
        assert_eq!(d[0].get("k").unwrap().as_str(), Some("v"));
        assert_eq!(text(src, &d[0].span), "k: v");
    }

    #[test]
    fn non_string_keys_become_their_text() {
        let doc = ok("1: one\ntrue: yes\n1.5: x\n'quoted': q\n0x10: h\n");
        assert_eq!(keys(&doc), ["1", "true", "1.5", "quoted", "0x10"]);
        // Out-of-range numbers are fine as keys: keys are never resolved.
        assert_eq!(
            keys(&ok("99999999999999999999: x\n.inf: y\n")),
            ["99999999999999999999", ".inf"]
        );
    }

    #[test]
    fn spans_are_byte_ranges_after_multibyte_text() {
        let src = "naïve: “quoted” ë\nprice: 9€\n€uro: '€'\nlist: [ä, 3]\nn: 99.9\nmap:\n  ö: 1\n";
        let doc = ok(src);
        let Kind::Map(entries) = &doc.kind else {
            panic!()
        };
        let got: Vec<(&str, &str)> = entries
            .iter()
            .map(|(k, v)| (text(src, &k.span), text(src, &v.span)))
            .collect();
        assert_eq!(
            got,
            [
                ("naïve", "“quoted” ë"),
                ("price", "9€"),
                ("€uro", "'€'"),
                ("list", "[ä, 3]"),
                ("n", "99.9"),
                ("map", "ö: 1"),
            ]
        );
        assert_eq!(doc.get("€uro").unwrap().as_str(), Some("€"));
        let Kind::Seq(list) = &doc.get("list").unwrap().kind else {
            panic!()
        };
        assert_eq!(text(src, &list[0].span), "ä");
        assert_eq!(text(src, &list[1].span), "3");
        let Kind::Map(inner) = &doc.get("map").unwrap().kind else {
            panic!()
        };
        assert_eq!(text(src, &inner[0].0.span), "ö");
        assert_eq!(text(src, &inner[0].1.span), "1");
        assert_eq!(text(src, &doc.span), src.trim_end());
    }

    #[test]
    fn block_collection_spans_end_at_last_child() {
        let src = "a:\n  - x\n  - y\n\n# trailing comment\nb: 1\n";
        let doc = ok(src);
        assert_eq!(text(src, &doc.get("a").unwrap().span), "- x\n  - y");
        assert_eq!(
            text(src, &doc.span),
            "a:\n  - x\n  - y\n\n# trailing comment\nb: 1"
        );
        let src = "key: |\n  body\n";
        assert_eq!(text(src, &ok(src).get("key").unwrap().span), "body\n");
    }

    #[test]
    fn line_col_counts_lines_and_chars() {
        let src = "ab\nç€d\n\nx";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 2), (1, 3));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 5), (2, 2)); // after "ç" (2 bytes)
        assert_eq!(line_col(src, 8), (2, 3)); // after "€" (3 bytes)
        assert_eq!(line_col(src, 6), (2, 2)); // inside "€": points at it
        assert_eq!(line_col(src, 11), (4, 1));
        assert_eq!(line_col(src, 999), (4, 2));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn syntax_errors_are_translated() {
        let src = "é: [1,\n  ]x";
        let e = err(src);
        assert!(
            e.message.starts_with("while parsing a block mapping"),
            "{e:?}"
        );
        assert_eq!(text(src, &e.span), "x");
        assert_eq!(line_col(src, e.span.start), (2, 4));

        let src = "a: 1\nb: [1, 2\n";
        let e = err(src);
        assert!(e.message.contains("unclosed"), "{e:?}");
        assert_eq!(text(src, &e.span), "[");

        let src = "a: \"open\n";
        let e = err(src);
        let first = e.message.chars().next().unwrap();
        assert!(!first.is_uppercase(), "{e:?}");
        assert!(e.span.end <= src.len());

        let e = err("a:\n\t- x\n");
        assert!(e.hint.as_ref().is_some_and(|h| h.contains("tabs")), "{e:?}");
    }

    #[test]
    fn duplicate_keys_in_block_flow_and_nested_mappings() {
        let src = "title: A\nbody: x\ntitle: B\n";
        let e = err(src);
        assert_eq!(e.message, "duplicate key `title`");
        assert_eq!(e.span, 17..22);
        assert_eq!(
            e.hint.as_deref(),
            Some("each key may appear once in a mapping")
        );
        assert_eq!(e.related, Some(("first defined here".to_string(), 0..5)));

        let src = "{a: 1, b: 2, a: 3}";
        let e = err(src);
        assert_eq!(e.message, "duplicate key `a`");
        assert_eq!(e.span, 13..14);
        assert_eq!(e.related.unwrap().1, 1..2);

        let src = "outer:\n  list:\n    - x: 1\n      \"x\": 2\n";
        let e = err(src);
        assert_eq!(e.message, "duplicate key `x`");
        assert_eq!(text(src, &e.span), "\"x\"");
        assert_eq!(line_col(src, e.span.start), (4, 7));
        assert_eq!(line_col(src, e.related.unwrap().1.start), (3, 7));

        // Same key in different mappings is fine; a number and its text collide as keys.
        ok("a: {x: 1}\nb: {x: 2}\n");
        assert_eq!(err("1: a\n'1': b\n").message, "duplicate key `1`");
    }

    #[test]
    fn duplicate_keys_in_large_mappings() {
        let mut src: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        assert_eq!(keys(&ok(&src)).len(), 100);
        src.push_str("k42: again\n");
        let e = err(&src);
        assert_eq!(e.message, "duplicate key `k42`");
        assert_eq!(text(&src, &e.related.unwrap().1), "k42");
        assert_eq!(&src[e.span.start..e.span.start + 10], "k42: again");
    }

    #[test]
    fn tags_are_rejected() {
        for (src, tag) in [
            ("v: !foo x\n", "!foo"),
            ("v: !!str 5\n", "!!str"),
            ("v: !!binary |\n  aGVsbG8=\n", "!!binary"),
            (
                "v: !<tag:yaml.org,2002:str> x\n",
                "!<tag:yaml.org,2002:str>",
            ),
            ("v: !foo\n  - 1\n", "!foo"),
            ("v: !!map {a: 1}\n", "!!map"),
            ("!!str key: v\n", "!!str"),
        ] {
            let e = err(src);
            assert_eq!(
                e.message, "tags such as `!foo` are not supported",
                "{src:?}"
            );
            assert_eq!(text(src, &e.span), tag, "{src:?}");
            assert!(e.hint.unwrap().contains(tag));
        }
    }

    #[test]
    fn anchors_aliases_and_merge_keys_are_rejected() {
        for (src, at) in [
            ("a: &x 1\nb: 2\n", "&x"),
            ("a: &anchor [1, 2]\n", "&anchor"),
            ("a: &m\n  k: v\n", "&m"),
            ("a: *nowhere\n", "*nowhere"),
            ("[*x]\n", "*x"),
            ("base: {a: 1}\nmore:\n  <<: {b: 2}\n", "<<"),
        ] {
            let e = err(src);
            assert_eq!(
                e.message, "anchors and aliases (`&a`, `*a`) are not supported",
                "{src:?}"
            );
            assert_eq!(text(src, &e.span), at, "{src:?}");
            assert_eq!(e.hint.as_deref(), Some("write the value out in full"));
        }
        // Quoted `<<` is just text, never a merge.
        assert_eq!(keys(&ok("'<<': x\n")), ["<<"]);
        // `&` and `*` inside scalars are text.
        assert_eq!(scalar("'&x'"), Kind::Str("&x".into()));
        assert_eq!(scalar("a&b*c"), Kind::Str("a&b*c".into()));
    }

    #[test]
    fn billion_laughs_fails_fast() {
        let mut src = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let (prev, name) = (pair[0], pair[1]);
            let refs = vec![format!("*{prev}"); 9].join(",");
            src.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let start = Instant::now();
        let e = err(&src);
        assert!(start.elapsed() < Duration::from_secs(1));
        assert_eq!(
            e.message,
            "anchors and aliases (`&a`, `*a`) are not supported"
        );
        assert_eq!(text(&src, &e.span), "&a");
    }

    #[test]
    fn complex_and_empty_keys_are_rejected() {
        let src = "? [a, b]\n: c\n";
        let e = err(src);
        assert!(e.message.contains("mapping key"), "{e:?}");
        assert_eq!(text(src, &e.span), "[");

        let e = err("{[a]: 1}");
        assert!(e.message.contains("mapping key"), "{e:?}");

        let e = err("? {x: 1}\n: y\n");
        assert!(e.message.contains("mapping key"), "{e:?}");

        for src in [
            ": 3\n",
            "~: 1\n",
            "null: 1\n",
            "\"\": 1\n",
            "a: 1\n? \n: 3\n",
        ] {
            let e = err(src);
            assert_eq!(
                e.message, "a mapping key must not be empty or null",
                "{src:?}"
            );
        }
        // A quoted "null" key is an ordinary string.
        assert_eq!(keys(&ok("'null': 1\n")), ["null"]);
    }

    #[test]
    fn multiple_documents_are_rejected() {
        let src = "---\na: 1\n---\nb: 2\n";
        let e = err(src);
        assert_eq!(e.message, "only one YAML document per file is allowed");
        assert_eq!(e.span, 9..12);
        assert_eq!(text(src, &e.span), "---");

        assert_eq!(
            err("a\n...\nb\n").message,
            "only one YAML document per file is allowed"
        );
        assert_eq!(
            err("---\n---\nx\n").message,
            "only one YAML document per file is allowed"
        );
        // A trailing marker with nothing after it is harmless.
        assert_eq!(keys(&ok("---\na: 1\n---\n")), ["a"]);
        assert_eq!(keys(&ok("a: 1\n...\n")), ["a"]);
    }

    fn assert_depth_error(src: &str) -> YamlError {
        let start = Instant::now();
        let e = err(src);
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "took {:?}",
            start.elapsed()
        );
        assert_eq!(e.message, "nesting deeper than 64 levels");
        e
    }

    #[test]
    fn nesting_up_to_the_limit_is_fine() {
        let flow = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        ok(&flow);
        let block = format!("{}x\n", "- ".repeat(MAX_DEPTH));
        ok(&block);
        let mixed: String = (0..MAX_DEPTH / 2)
            .map(|i| format!("{}k{i}:\n{}-\n", "  ".repeat(2 * i), "  ".repeat(2 * i + 1)))
            .collect();
        ok(&mixed);
    }

    #[test]
    fn nesting_one_past_the_limit_fails() {
        let flow = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let e = assert_depth_error(&flow);
        assert_eq!(e.span, MAX_DEPTH..MAX_DEPTH + 1);
        let block = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        assert_depth_error(&block);
        // Mixed block and flow nesting counts both kinds.
        let mixed = format!("{}{}x{}", "- ".repeat(40), "[".repeat(25), "]".repeat(25));
        let e = assert_depth_error(&mixed);
        assert_eq!(e.span, 104..105);
        let maps: String = (0..=MAX_DEPTH)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert_depth_error(&maps);
    }

    #[test]
    fn deep_flow_nesting_fails_fast() {
        assert_depth_error(&format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)));
        assert_depth_error(&"{a: ".repeat(10_000));
    }

    #[test]
    fn deep_block_nesting_fails_fast() {
        assert_depth_error(&format!("{}x\n", "- ".repeat(10_000)));
        let indented: String = (0..10_000)
            .map(|i| format!("{}-\n", " ".repeat(i)))
            .collect();
        assert_depth_error(&indented);
    }

    #[test]
    fn hundred_thousand_open_brackets_do_not_overflow() {
        assert_depth_error(&"[".repeat(100_000));
        assert_depth_error(&format!("a: {}", "[".repeat(100_000)));
    }

    #[test]
    fn large_file_parses_quickly() {
        let mut src = String::from("title: Big\nclauses:\n");
        let mut i = 0;
        while src.len() < 100_000 {
            src.push_str(&format!(
                "  - id: c{i}\n    price: {i}.95\n    tags: [a, b, \"c\"]\n    text: >\n      Lorem ipsum “{i}” dolor.\n"
            ));
            i += 1;
        }
        let start = Instant::now();
        let doc = ok(&src);
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "took {:?}",
            start.elapsed()
        );
        let Kind::Seq(items) = &doc.get("clauses").unwrap().kind else {
            panic!()
        };
        assert_eq!(items.len(), i);
        assert_eq!(
            items[7].get("price").unwrap().kind,
            Kind::Float("7.95".into())
        );
    }
}
