//! Tracked changes (`w:ins`, `w:del`) and comments, with the author and date of an edition,
//! so Word's Review pane accepts or rejects each one.

use super::package::W_NS;
use super::xml::{BREAK, Fmt, esc, run, run_ext};

/// Who made the changes and when (an edition's vendor and effective date).
#[derive(Debug, Clone)]
pub struct Rev {
    pub author: String,
    /// "2024-01-01T00:00:00Z"
    pub date: Option<String>,
}

impl Rev {
    fn attrs(&self, id: u32) -> String {
        let date = self
            .date
            .as_ref()
            .map(|d| format!(" w:date=\"{d}\""))
            .unwrap_or_default();
        format!("w:id=\"{id}\" w:author=\"{}\"{date}", esc(&self.author))
    }

    /// Inserted text.
    pub fn ins(&self, id: u32, text: &str) -> String {
        format!("<w:ins {}>{}</w:ins>", self.attrs(id), lines(text, false))
    }

    /// Deleted text.
    pub fn del(&self, id: u32, text: &str) -> String {
        format!("<w:del {}>{}</w:del>", self.attrs(id), lines(text, true))
    }

    /// The mark of an inserted paragraph (inside its `w:pPr/w:rPr`).
    pub fn mark_ins(&self, id: u32) -> String {
        format!("<w:ins {}/>", self.attrs(id))
    }

    pub fn mark_del(&self, id: u32) -> String {
        format!("<w:del {}/>", self.attrs(id))
    }

    /// `word/comments.xml` for `(id, text)` comments.
    pub fn comments_xml(&self, comments: &[(u32, String)]) -> String {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments {W_NS}>"
        );
        for (id, text) in comments {
            out.push_str(&format!(
                "<w:comment {} w:initials=\"cb\"><w:p>{}</w:p></w:comment>",
                self.attrs(*id),
                run(text, Fmt::default())
            ));
        }
        out.push_str("</w:comments>");
        out
    }
}

/// Text as runs, a line break for each newline.
fn lines(text: &str, deleted: bool) -> String {
    text.split('\n')
        .map(|l| run_ext(l, Fmt::default(), deleted))
        .collect::<Vec<_>>()
        .join(BREAK)
}

/// Plain (unchanged) text as runs, a line break for each newline.
pub fn plain(text: &str) -> String {
    lines(text, false)
}

/// Anchor comment `id` on a paragraph's whole content.
pub fn with_comment(paragraph: &str, id: u32) -> String {
    let start = format!("<w:commentRangeStart w:id=\"{id}\"/>");
    let end =
        format!("<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>");
    let mut p = paragraph.to_string();
    let open = match p.find("</w:pPr>") {
        Some(i) => i + "</w:pPr>".len(),
        None => p.find('>').map_or(0, |i| i + 1),
    };
    p.insert_str(open, &start);
    if let Some(close) = p.find("</w:p>") {
        p.insert_str(close, &end);
    }
    p
}
