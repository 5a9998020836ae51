//! What may be in a text file the project reads: a byte-order mark is dropped, and characters
//! that are invisible or change how text displays are reported where they are.
//!
//! - Errors: C0 controls but tab, line feed and carriage return; DEL; C1 controls; the
//!   bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
//!   can make a clause read differently on screen than it does in the file ("Trojan source").
//!   A build stops on them, so they never reach HTML, Markdown or PDF.
//! - Warnings: zero-width space, joiner and non-joiner, word joiner, a byte-order mark inside
//!   the text, the left-to-right and right-to-left marks, line and paragraph separators. Some
//!   scripts need them; in Dutch or English terms they are nearly always pasted by accident.
//! - Allowed without comment: no-break space (U+00A0), narrow no-break space (U+202F) and
//!   soft hyphen (U+00AD): Dutch drafting uses them on purpose ("art. 6:248 BW").

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Severity};

/// The UTF-8 byte-order mark some Windows editors write first; it is not part of the text.
pub fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// How a character is judged, and what to call it in a message.
pub fn classify(c: char) -> Option<(Severity, &'static str)> {
    use Severity::{Error, Warning};
    Some(match c {
        '\t' | '\n' | '\r' => return None,
        '\0' => (Error, "NUL character"),
        '\u{1b}' => (Error, "escape character (ESC)"),
        '\u{7}' => (Error, "bell character (BEL)"),
        '\u{1}'..='\u{1f}' | '\u{7f}' => (Error, "control character"),
        '\u{80}'..='\u{9f}' => (Error, "C1 control character"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            (Error, "bidirectional control character")
        }
        '\u{200b}' => (Warning, "zero-width space"),
        '\u{200c}' => (Warning, "zero-width non-joiner"),
        '\u{200d}' => (Warning, "zero-width joiner"),
        '\u{2060}' => (Warning, "word joiner"),
        '\u{feff}' => (Warning, "zero-width no-break space (byte-order mark)"),
        '\u{200e}' | '\u{200f}' | '\u{61c}' => (Warning, "direction mark"),
        '\u{2028}' | '\u{2029}' => (Warning, "line or paragraph separator"),
        _ => return None,
    })
}

/// Errors and warnings beyond this many per file are summed up in one line: a binary file
/// read by mistake should not print a thousand diagnostics.
const MAX_REPORTED: usize = 5;

/// Every doubtful character in `text`, as diagnostics without a file (the caller adds it).
pub fn check(text: &str) -> Vec<(Range<usize>, Diagnostic)> {
    let mut out = Vec::new();
    let mut more = 0;
    for (i, c) in text.char_indices() {
        let Some((severity, what)) = classify(c) else {
            continue;
        };
        if out.len() == MAX_REPORTED {
            more += 1;
            continue;
        }
        let message = format!("{what} U+{:04X} in the text", c as u32);
        let d = match severity {
            Severity::Error => Diagnostic::error(message)
                .label("invisible character here")
                .hint("delete it: it could make the text show something other than what the file says"),
            Severity::Warning => Diagnostic::warning(message)
                .label("invisible character here")
                .hint("delete it unless the text needs it"),
        };
        out.push((i..i + c.len_utf8(), d));
    }
    if more > 0 {
        let first = out.last().map(|(r, _)| r.clone()).unwrap_or(0..0);
        out.push((
            first,
            Diagnostic::error(format!(
                "{more} more invisible or control characters in this file"
            )),
        ));
    }
    out
}

/// Text safe to print on a terminal: every character `classify` doubts is written as a
/// `\u{..}` escape, so a file cannot move the cursor, retitle the window or reverse a line.
pub fn escape_for_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c != '\n' && c != '\t' && (classify(c).is_some() || c == '\r') {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A copy of a source text with the same byte length, for showing source lines: every doubted
/// character becomes `?` (or `?` plus padding spaces for a wider one), so spans still fit.
/// A carriage return before a line feed stays; a lone one would rewrite the line.
pub fn display_copy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let lone_cr = c == '\r' && chars.peek().is_none_or(|(_, n)| *n != '\n');
        if classify(c).is_some() || lone_cr {
            out.push('?');
            out.extend(std::iter::repeat_n(' ', c.len_utf8() - 1));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_copy_keeps_byte_length() {
        let s = "a\u{1b}]0;x\u{7}b\u{202e}c\u{85}d\r\ne\rf";
        let d = display_copy(s);
        assert_eq!(d.len(), s.len());
        assert!(!d.contains('\u{1b}') && !d.contains('\u{202e}') && !d.contains('\u{85}'));
        assert!(d.contains("\r\n") && d.ends_with("e?f"));
    }

    #[test]
    fn escapes_controls_for_terminals() {
        assert_eq!(escape_for_terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_for_terminal("tab\tok\n"), "tab\tok\n");
    }

    #[test]
    fn classifies() {
        assert!(classify('\u{a0}').is_none());
        assert!(classify('\u{ad}').is_none());
        assert_eq!(classify('\u{202e}').unwrap().0, Severity::Error);
        assert_eq!(classify('\u{200d}').unwrap().0, Severity::Warning);
        assert!(check("ok\u{0}\u{0}").len() == 2);
    }
}
