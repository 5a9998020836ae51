//! The table of stale legal terms (src/lint/stale_law.yaml).
