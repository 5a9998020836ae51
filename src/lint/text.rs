//! Lints over clause source text and parameter values.
