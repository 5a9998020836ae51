//! clausebook compiles a library of clause modules (YAML + Markdown) into numbered contracts.
//!
//! The pipeline, one module per stage:
//! 1. [`load`]: read the project (manifest, clause library, documents, vendors, customers)
//!    into plain data, confined to the project root, with positions for every value.
//! 2. [`params`]: the typed parameter schema, layered values and locale formatting.
//! 3. [`assemble`]: choose, number and render clauses for one vendor/customer and document,
//!    giving an [`assemble::Assembled`] value: the document as data.
//! 4. [`render`]: HTML, Markdown, PDF and Word (DOCX) from that value.
//! 5. [`pipeline`]: the renderer a run shares, the threads documents are typeset on, shards.
//! 6. [`output`]: the output directory as one atomically swapped set, and the build cache.
//! 7. [`build`]: the `build` and `check` commands that drive the stages.
//!
//! Problems are collected as [`diagnostics::Diagnostics`] rather than returned at the first.

// Diagnostics are the error type throughout; they are built on the cold path and carry
// their hints inline, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod assemble;
pub mod build;
pub mod catalogue;
pub mod cli;
pub mod diagnostics;
pub mod diff;
pub mod editions;
pub mod exit;
pub mod hash;
pub mod init;
pub mod lint;
pub mod load;
pub mod notice;
pub mod output;
pub mod params;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod serve;
pub mod source;
pub mod watch;
