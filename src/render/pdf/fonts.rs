//! The fonts a PDF may use: only those embedded in the binary (typst-assets), parsed once per
//! process and shared by every engine, world and thread. System fonts are never looked at, so a
//! PDF comes out the same on every machine.
//!
//! typst-assets 0.15 embeds Libertinus Serif (regular, italic, semibold, bold and their
//! italics), New Computer Modern 10 (a serif), New Computer Modern Math and DejaVu Sans Mono,
//! but no proportional sans face; headings are set in DejaVu Sans Bold, which the repository
//! carries in `templates/fonts/` (free licence, see `templates/fonts/LICENSE-DejaVu.txt`).
//! Body text is Libertinus Serif; raw text DejaVu Sans Mono.

use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The sans face for headings.
const HEADING_SANS: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans-Bold.ttf");

pub(crate) struct Fonts {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .chain([HEADING_SANS])
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
