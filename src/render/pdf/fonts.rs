//! The fonts a PDF may use: only those embedded in the binary (typst-assets), parsed once per
//! process and shared by every engine, world and thread. System fonts are never looked at, so a
//! PDF comes out the same on every machine.
//!
//! typst-assets 0.15 embeds Libertinus Serif (regular, italic, semibold, bold and their
//! italics), New Computer Modern 10 (a serif), New Computer Modern Math and DejaVu Sans Mono.
//! It has no proportional sans face, so the built-in template sets headings in Libertinus
//! Serif Semibold; raw text uses DejaVu Sans Mono.

use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

pub(crate) struct Fonts {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// The embedded fonts, parsed on first use.
pub(crate) fn embedded() -> &'static Fonts {
    &FONTS
}

/// The family names available to templates (for documentation and messages).
pub fn families() -> Vec<String> {
    let mut names: Vec<String> = embedded()
        .fonts
        .iter()
        .map(|f| f.info().family.clone())
        .collect();
    names.dedup();
    names
}
