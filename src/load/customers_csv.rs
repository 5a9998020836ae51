//! Customer tables: `customers/<vendor>.csv`, one row per customer, as a CRM or Excel exports
//! them, beside (or instead of) one YAML file per customer.
//!
//! The header names the columns: `id`, party fields (`name`, `kvk`, ...) and parameters as
//! `module.param`. An empty cell sets nothing. A cell is read as the same text after `key: `
//! in a customer file would be, through the same value parser, so `25000` in an integer column
//! is the integer 25000 and `abc` gets the same message as in YAML. What CSV cannot express
//! differs on purpose: a cell never needs YAML quoting (text columns take the cell as it is
//! written, since CSV quotes are CSV syntax), and `[a, b]` or `{amount: .., ..}` are read as
//! YAML flow syntax only in list, money and duration columns. Clause choices (exclude, replace,
//! add) need a customer file.
//!
//! Every cell keeps the byte range it occupies in the file, so diagnostics name
//! `file:line:column` of the exact cell.

use std::ops::Range;
use std::path::Path;

use csv_core::ReadFieldResult;
use indexmap::IndexMap;

use super::parties::{Choices, Customer, PARTY_FIELDS, Party};
use super::yaml::{self, Kind, Node};
use super::{Loader, display_path};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::params::resolve::{Assignment, Assignments, Schema};
use crate::params::{ParamSpec, ParamType, value};

const BOM: &str = "\u{feff}";

/// One field as written in the file.
struct Cell {
    /// The value, CSV quoting undone.
    text: String,
    /// Where the field is in the file, quotes included.
    span: Range<usize>,
}

/// What a column holds, from its header.
enum Column<'s> {
    Id,
    Party(&'static str),
    Param(&'s ParamSpec),
    /// No name: fine while its cells are empty (spreadsheets export trailing empty columns);
    /// the first value in it is reported, once.
    Unnamed {
        reported: bool,
    },
    /// Unknown or duplicate: already reported at the header.
    Skip,
}

/// Read `customers/<vendor>.csv` into `customers`, which already holds the vendor's customer
/// files (an id may come from only one of the two).
pub fn load(
    loader: &mut Loader,
    schema: &Schema,
    path: &Path,
    customers: &mut IndexMap<String, Customer>,
) {
    let Some(bytes) = loader.read_bytes(path) else {
        return;
    };
    let name = display_path(path);
    // Invalid UTF-8 (Excel's "CSV (comma delimited)" writes Windows-1252): register the text
    // with the bad bytes replaced, so the message can point at the first of them.
    let (text, bad_byte) = match String::from_utf8(bytes) {
        Ok(t) => (t, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    };
    let file = loader.sources.add(&name, text);
    if let Some(at) = bad_byte {
        loader.diags.push(
            Diagnostic::error(format!("`{name}` is not UTF-8 text"))
                .at(file, at..at + '\u{fffd}'.len_utf8())
                .label("not UTF-8")
                .hint("save the table as UTF-8: in Excel as \"CSV UTF-8\", in LibreOffice with the character set \"Unicode (UTF-8)\""),
        );
        return;
    }
    let mut t = Table {
        file,
        name: &name,
        text: loader.sources.text(file),
        sources: &loader.sources,
        schema,
        diags: &mut loader.diags,
    };
    t.read(customers);
}

struct Table<'a> {
    file: FileId,
    name: &'a str,
    text: &'a str,
    sources: &'a Sources,
    schema: &'a Schema,
    diags: &'a mut Diagnostics,
}

impl<'a> Table<'a> {
    fn read(&mut self, customers: &mut IndexMap<String, Customer>) {
        // Excel writes a byte order mark: parsing starts after it, offsets still count it.
        let start = if self.text.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        // Excel in a Dutch locale separates with `;` (the comma is the decimal separator).
        let header_line = self.text[start..].lines().next().unwrap_or("");
        let delimiter = if header_line.contains(';') && !header_line.contains(',') {
            b';'
        } else {
            b','
        };
        let mut rows = records(self.text, start, delimiter).into_iter();
        let Some(header) = rows.next() else {
            self.diags.push(
                Diagnostic::error(format!("customer table `{}` is empty", self.name))
                    .at(self.file, start..start)
                    .label("expected a header line")
                    .hint(
                        "the first line names the columns, e.g. `id,name,kvk,liability.cap_amount`",
                    ),
            );
            return;
        };
        let mut columns = self.columns(&header, delimiter);
        let Some(id_col) = columns.iter().position(|c| matches!(c, Column::Id)) else {
            return;
        };
        let mut seen: IndexMap<String, Range<usize>> = IndexMap::new();
        for row in rows {
            if row.iter().all(|c| c.text.trim().is_empty()) {
                continue; // `;;;;` lines that spreadsheets write for empty rows
            }
            let row_span = row[0].span.start..row[row.len() - 1].span.end;
            if row.len() != columns.len() {
                let hint = if row.len() > columns.len() {
                    let d = delimiter as char;
                    format!(
                        "a value that contains `{d}` must be in double quotes: `\"Vestdijk 27{d} Eindhoven\"`"
                    )
                } else {
                    "every row needs a field for every column; leave a field empty to set nothing"
                        .to_string()
                };
                self.diags.push(
                    Diagnostic::error(format!(
                        "row has {} field(s), the header has {}",
                        row.len(),
                        columns.len()
                    ))
                    .at(self.file, row_span)
                    .label(format!("{} field(s)", row.len()))
                    .hint(hint),
                );
                continue;
            }
            let id_cell = &row[id_col];
            let (id, id_span) = self.trimmed(id_cell);
            if id.is_empty() {
                self.diags.push(
                    Diagnostic::error("customer row without an id")
                        .at(self.file, id_span)
                        .label("empty `id`")
                        .hint("every row needs an id, the name its contract is built under (`out/<vendor>/customers/<id>/`)"),
                );
                continue;
            }
            if !valid_id(id) {
                self.diags.push(
                    Diagnostic::error(format!("`{id}` cannot be a customer id"))
                        .at(self.file, id_span)
                        .label("not a valid id")
                        .hint("an id names a directory in the output: use lower-case letters, digits, `-` and `_` (at most 100), like `bakkerij-van-dam`"),
                );
                continue;
            }
            if let Some(first) = seen.get(id) {
                self.diags.push(
                    Diagnostic::error(format!("customer `{id}` appears twice in `{}`", self.name))
                        .at(self.file, id_span)
                        .label("second row")
                        .related(self.file, first.clone(), "first row")
                        .hint("each customer has one row"),
                );
                continue;
            }
            seen.insert(id.to_string(), id_span.clone());
            if let Some(other) = customers.get(id) {
                self.diags.push(
                    Diagnostic::error(format!(
                        "customer `{id}` is defined twice: by a row of `{}` and by `{}`",
                        self.name,
                        self.sources.name(other.file)
                    ))
                    .at(self.file, id_span)
                    .label("row for this customer")
                    .related(other.file, 0..0, "customer file")
                    .hint("keep one: delete the row, or the customer file (which can also make clause choices)"),
                );
                continue;
            }
            let customer = self.customer(id, id_span, &row, &mut columns);
            customers.insert(id.to_string(), customer);
        }
    }

    /// Interpret the header; reports unknown, duplicate and missing columns.
    fn columns(&mut self, header: &[Cell], delimiter: u8) -> Vec<Column<'a>> {
        let mut out = Vec::new();
        let mut first: IndexMap<&str, Range<usize>> = IndexMap::new();
        for cell in header {
            let (name, span) = self.trimmed(cell);
            if name.is_empty() {
                out.push(Column::Unnamed { reported: false });
                continue;
            }
            if let Some(prev) = first.get(name) {
                self.diags.push(
                    Diagnostic::error(format!("duplicate column `{name}`"))
                        .at(self.file, span)
                        .label("second column of this name")
                        .related(self.file, prev.clone(), "first column")
                        .hint("each column may appear once"),
                );
                out.push(Column::Skip);
                continue;
            }
            first.insert(name, span.clone());
            if name == "id" {
                out.push(Column::Id);
            } else if let Some(f) = PARTY_FIELDS.iter().find(|f| **f == name) {
                out.push(Column::Party(f));
            } else if let Some(spec) = self.schema.by_key(name) {
                out.push(Column::Param(spec));
            } else {
                self.unknown_column(name, span, delimiter);
                out.push(Column::Skip);
            }
        }
        let header_span = match (header.first(), header.last()) {
            (Some(a), Some(b)) => a.span.start..b.span.end,
            _ => 0..0,
        };
        for (required, hint) in [
            (
                "id",
                "the id is the customer's name in the output, as a customer file's name would be: add a first column `id`",
            ),
            ("name", "every customer needs a name: add a column `name`"),
        ] {
            if !first.contains_key(required) {
                self.diags.push(
                    Diagnostic::error(format!(
                        "customer table `{}` has no `{required}` column",
                        self.name
                    ))
                    .at(self.file, header_span.clone())
                    .label("the header line")
                    .hint(hint),
                );
            }
        }
        out
    }

    fn unknown_column(&mut self, name: &str, span: Range<usize>, delimiter: u8) {
        if self.schema.is_broken(name) {
            return;
        }
        let keys: Vec<&str> = self.schema.all().map(|s| s.key.as_str()).collect();
        let lower = name.to_lowercase();
        let hint = if name.contains(if delimiter == b',' { ';' } else { ',' }) {
            Some(
                "the header line mixes `,` and `;`: a table separates its columns with one of them throughout"
                    .to_string(),
            )
        } else if lower == "clauses"
            || lower.starts_with("clauses.")
            || ["exclude", "replace", "add"].contains(&lower.as_str())
        {
            Some(
                "clause choices cannot be made in a table: give this customer a customer file `<vendor>/<id>.yaml` instead"
                    .to_string(),
            )
        } else if let Some((module, _)) = lower.split_once('.')
            && let Some(params) = self.schema.modules.get(module)
        {
            did_you_mean(&lower, keys.iter().copied()).or_else(|| {
                Some(format!(
                    "parameters of `{module}`: {}",
                    params.keys().cloned().collect::<Vec<_>>().join(", ")
                ))
            })
        } else {
            let all = ["id"]
                .into_iter()
                .chain(PARTY_FIELDS.iter().copied())
                .chain(keys.iter().copied());
            did_you_mean(&lower, all)
        };
        self.diags.push(
            Diagnostic::error(format!("unknown column `{name}`"))
                .at(self.file, span)
                .label("not `id`, a party field or a parameter `module.name`")
                .maybe_hint(hint),
        );
    }

    /// One row, its id already checked.
    fn customer(
        &mut self,
        id: &str,
        id_span: Range<usize>,
        row: &[Cell],
        columns: &mut [Column<'a>],
    ) -> Customer {
        let mut fields = IndexMap::new();
        let mut params = Assignments::new();
        for (cell, column) in row.iter().zip(columns.iter_mut()) {
            let (value, span) = self.trimmed(cell);
            match column {
                Column::Party(field) => {
                    if !value.is_empty() {
                        fields.insert(field.to_string(), value.to_string());
                    } else if *field == "name" {
                        self.diags.push(
                            Diagnostic::error(format!("customer `{id}` has no name"))
                                .at(self.file, span)
                                .label("empty `name`")
                                .hint("every customer needs a name"),
                        );
                    }
                }
                Column::Param(spec) if !value.is_empty() => {
                    if let Some(node) = self.node(spec, cell, value)
                        && let Some(v) = value::parse(spec, self.file, &node, self.diags)
                    {
                        params.insert(
                            spec.key.clone(),
                            Assignment {
                                value: v,
                                file: self.file,
                                span: node.span,
                            },
                        );
                    }
                }
                Column::Unnamed { reported } if !value.is_empty() && !*reported => {
                    *reported = true;
                    self.diags.push(
                        Diagnostic::error("value in a column without a name")
                            .at(self.file, span)
                            .label("this column has no header")
                            .hint("name the column in the header line, or empty it"),
                    );
                }
                _ => {}
            }
        }
        if !fields.contains_key("short_name")
            && let Some(n) = fields.get("name").cloned()
        {
            fields.insert("short_name".into(), n);
        }
        Customer {
            id: id.to_string(),
            file: self.file,
            party: Party {
                id: id.to_string(),
                fields,
            },
            params,
            choices: Choices::default(),
            row: Some(id_span),
        }
    }

    /// The YAML node a cell stands for; `None` (with a diagnostic) if it is not one.
    fn node(&mut self, spec: &ParamSpec, cell: &Cell, value: &str) -> Option<Node> {
        let lead = cell.text.len() - cell.text.trim_start().len();
        let text = self.text;
        let at = |off: usize| raw_offset(text, cell, lead + off);
        let span = at(0)..at(value.len());
        let collection = matches!(
            spec.ty,
            ParamType::List | ParamType::Money | ParamType::Duration
        ) && value.starts_with(['[', '{']);
        let parsed = if spec.ty == ParamType::Text {
            Ok(Node {
                kind: Kind::Str(value.to_string()),
                span,
                plain: None,
            })
        } else if collection {
            yaml::parse(value).map(|mut n| {
                remap(&mut n, &at);
                n
            })
        } else {
            yaml::plain_scalar(value, span)
        };
        parsed
            .map_err(|e| {
                self.diags.push(
                    Diagnostic::error(format!(
                        "wrong value for parameter `{}`: {}",
                        spec.key, e.message
                    ))
                    .at(self.file, at(e.span.start)..at(e.span.end))
                    .label(format!("expected {}", spec.ty.name()))
                    .maybe_hint(e.hint)
                    .hint(format!("write it like `{}`", spec.ty.example())),
                )
            })
            .ok()
    }

    /// The cell's text without surrounding spaces, and where that is in the file.
    fn trimmed<'c>(&self, cell: &'c Cell) -> (&'c str, Range<usize>) {
        let t = cell.text.trim();
        let lead = cell.text.len() - cell.text.trim_start().len();
        (
            t,
            raw_offset(self.text, cell, lead)..raw_offset(self.text, cell, lead + t.len()),
        )
    }
}

/// Where the byte at `decoded` of a cell's value is in the file: past the opening quote
/// and one of each doubled `""` for a quoted field.
fn raw_offset(text: &str, cell: &Cell, decoded: usize) -> usize {
    let raw = &text.as_bytes()[cell.span.clone()];
    if raw.first() != Some(&b'"') {
        return cell.span.start + decoded.min(raw.len());
    }
    let (mut i, mut j) = (1, 0);
    while i < raw.len() {
        if raw[i] == b'"' {
            if raw.get(i + 1) == Some(&b'"') {
                if j == decoded {
                    return cell.span.start + i;
                }
                i += 2;
                j += 1;
            } else {
                if j == decoded {
                    return cell.span.start + i;
                }
                i += 1; // the closing quote
            }
            continue;
        }
        if j == decoded {
            return cell.span.start + i;
        }
        i += 1;
        j += 1;
    }
    cell.span.end
}

/// The rule a customer file's name follows: the id becomes a directory name and a URL.
fn valid_id(id: &str) -> bool {
    super::is_file_id(id)
}

fn remap(node: &mut Node, at: &impl Fn(usize) -> usize) {
    node.span = at(node.span.start)..at(node.span.end);
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|n| remap(n, at)),
        Kind::Map(entries) => {
            for (k, v) in entries {
                k.span = at(k.span.start)..at(k.span.end);
                remap(v, at);
            }
        }
        _ => {}
    }
}

/// Split `text[start..]` into records of fields with their byte ranges. csv-core does the
/// parsing (quotes, doubled quotes, `\r\n`, blank lines); this only keeps count of the bytes
/// each field took, which csv's own `Position` cannot give exactly (after a `\r\n` it points
/// at the `\n`, and it has no field offsets at all).
fn records(text: &str, start: usize, delimiter: u8) -> Vec<Vec<Cell>> {
    let bytes = text.as_bytes();
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // A field never decodes to more bytes than it is written with.
    let mut out = vec![0u8; bytes.len() - start + 1];
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut field_start = None;
    let mut pos = start;
    loop {
        let (result, nin, nout) = reader.read_field(&bytes[pos..], &mut out);
        field_start.get_or_insert(pos);
        pos += nin;
        field.extend_from_slice(&out[..nout]);
        let record_end = match result {
            ReadFieldResult::Field { record_end } => record_end,
            ReadFieldResult::End => break,
            // Only at the end of the input (the whole text is given at once): call again
            // with nothing left to finish the field.
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {
                if nin == 0 && nout == 0 && pos == bytes.len() && field.is_empty() {
                    break;
                }
                continue;
            }
        };
        let mut from = field_start.take().unwrap_or(pos);
        let mut to = pos;
        if row.is_empty() {
            // Line ends and blank lines before a record are skipped by the parser.
            while from < to && matches!(bytes[from], b'\r' | b'\n') {
                from += 1;
            }
        }
        // The delimiter or line end that closed the field.
        if to > from && (!record_end || matches!(bytes[to - 1], b'\r' | b'\n')) {
            to -= 1;
        }
        row.push(Cell {
            text: String::from_utf8_lossy(&field).into_owned(),
            span: from..to,
        });
        field.clear();
        if record_end {
            rows.push(std::mem::take(&mut row));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str, delimiter: u8) -> Vec<Vec<(String, String)>> {
        records(text, 0, delimiter)
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|c| (c.text, text[c.span].to_string()))
                    .collect()
            })
            .collect()
    }

    fn pairs(rows: &[&[(&str, &str)]]) -> Vec<Vec<(String, String)>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn fields_keep_their_exact_place() {
        let text = "id,name\r\na,\"b \"\"x\"\", c\"\r\n\r\nc,\n,d";
        assert_eq!(
            cells(text, b','),
            pairs(&[
                &[("id", "id"), ("name", "name")],
                &[("a", "a"), ("b \"x\", c", "\"b \"\"x\"\", c\"")],
                &[("c", "c"), ("", "")],
                &[("", ""), ("d", "d")],
            ])
        );
    }

    #[test]
    fn semicolons_and_multi_line_values() {
        let text = "id;name\n\"x;y\";\"two\nlines\"\n";
        assert_eq!(
            cells(text, b';'),
            pairs(&[
                &[("id", "id"), ("name", "name")],
                &[("x;y", "\"x;y\""), ("two\nlines", "\"two\nlines\"")],
            ])
        );
    }

    #[test]
    fn ids() {
        for ok in ["bakkerij-van-dam", "c1042", "klant_17", "1042"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in [
            "../x", "a/b", ".hidden", "a b", "a\\b", "x:y", "C1042", "café.nl",
        ] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
