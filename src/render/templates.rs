//! The output templates: built in, each overridable by a file of the same name in the
//! project's templates directory.

use std::path::Path;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Loader, Project, display_path};

/// (file name, built-in text)
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    ("notice.html", include_str!("../../templates/notice.html")),
    ("style.css", include_str!("../../templates/style.css")),
];

/// Output templates ready to render; HTML-escaping is on for `.html` templates.
pub struct OutputTemplates {
    pub tera: Tera,
    pub css: String,
}

impl OutputTemplates {
    pub fn load(project: &Project) -> (OutputTemplates, Diagnostics) {
        let mut diags = Diagnostics::default();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        let mut css = String::new();
        let mut loader = Loader::new(project.files.clone());
        for (name, builtin) in BUILTIN {
            let rel = project.manifest.templates.join(name);
            let text = if loader.exists(&rel) && !is_same(&loader, &rel, builtin) {
                match loader.read(&rel, None) {
                    Some(id) => loader.sources.text(id).to_string(),
                    None => builtin.to_string(),
                }
            } else {
                builtin.to_string()
            };
            if *name == "style.css" {
                css = text;
                continue;
            }
            if let Err(e) = tera.add_raw_template(name, &text) {
                diags.push(template_error(&rel, &e));
            }
        }
        diags.extend(loader.diags);
        (OutputTemplates { tera, css }, diags)
    }
}

/// Whether an override is a copy of the built-in template (`init` writes such copies), so
/// that its byte-order mark or characters are not reported as the user's. Anything else goes
/// through `Loader::read` and its checks.
fn is_same(loader: &Loader, rel: &Path, builtin: &str) -> bool {
    loader
        .files
        .read(rel, builtin.len() as u64)
        .is_ok_and(|b| b == builtin.as_bytes())
}

/// Output-template errors name the template file; Tera's own report carries line and column.
pub fn template_error(rel: &Path, e: &tera::Error) -> Diagnostic {
    let detail = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => format!(
            "{} (line {}, column {})",
            r.message(),
            r.span().start_line,
            r.span().start_col + 1
        ),
        _ => e.to_string(),
    };
    Diagnostic::error(format!("in template `{}`: {detail}", display_path(rel)))
        .hint("fix the override in templates/, or delete it to use the built-in template")
}
