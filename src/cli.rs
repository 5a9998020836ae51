//! The command line: clap definitions and dispatch. Exit status: 0 success, 1 the input has
//! errors, 2 wrong usage.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions, Format, Selection};
use crate::exit::{Exit, Fatal, Outcome};

#[derive(Parser)]
#[command(
    name = "clausebook",
    version,
    about = "Compile clause libraries into numbered contracts"
)]
pub struct Cli {
    /// The project root (where clausebook.yaml is)
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// When to colour diagnostics
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
pub enum Command {
    /// Assemble documents and render them to out/
    Build(BuildArgs),
    /// Report every problem in every vendor × document (and customer contract)
    Check(CheckArgs),
    /// Freeze an edition into published/<vendor>/<doc>/<edition>/
    Publish(PublishCli),
    /// Re-hash every published edition and report any file that changed
    Verify,
    /// Compare two editions (or an edition and `working`) clause by clause
    Diff(DiffCli),
    /// Write the change notice customers receive for a new edition
    Notice(NoticeCli),
    /// List the recorded notices: who was told what, when and how
    Notices(NoticesCli),
    /// Rebuild on every change (what an edit affects), keeping the last good output
    Watch(LoopArgs),
    /// Live preview in the browser: watch, serve out/, reload pages after each rebuild
    Serve {
        #[command(flatten)]
        args: LoopArgs,
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; the default keeps the preview on this machine
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
    },
    /// The parameter reference: every parameter, its type, default and use
    Params(ParamsCli),
    /// Create a new terms project in DIR (which must be new or empty)
    Init {
        /// The directory to create
        dir: PathBuf,
    },
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
    /// Remove the output directory (and clausebook's lock and staging beside it)
    Clean {
        /// Output directory (default: `out` from clausebook.yaml)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct LoopArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Also build every customer's contract
    #[arg(long, conflicts_with = "customer")]
    pub all_customers: bool,
    /// Output formats, comma-separated: html, md, pdf, docx (and typst: the PDF's generated markup)
    #[arg(long, value_delimiter = ',', default_value = "html,md,pdf", value_parser = parse_format)]
    pub format: Vec<Format>,
    /// Output directory (default: `out` from clausebook.yaml)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl LoopArgs {
    fn session(&self, root: &std::path::Path) -> crate::watch::Session {
        crate::watch::Session {
            root: root.to_path_buf(),
            selection: self.select.selection(self.all_customers),
            formats: self.format.clone(),
            out: self.out.clone(),
        }
    }
}

#[derive(Args)]
pub struct ParamsCli {
    /// Show the values in force for this vendor, and which layer set each
    #[arg(long, value_name = "V")]
    pub vendor: Option<String>,
    /// Include this document's values (with --vendor)
    #[arg(long, value_name = "D")]
    pub doc: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ParamsFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ParamsFormat {
    Text,
    Md,
    Json,
}

/// The vendor and document an edition command is about.
#[derive(Args)]
pub struct VendorDoc {
    /// The vendor
    #[arg(long, value_name = "V")]
    pub vendor: String,
    /// The document
    #[arg(long, value_name = "D")]
    pub doc: String,
}

#[derive(Args)]
pub struct PublishCli {
    #[command(flatten)]
    pub target: VendorDoc,
    /// Edition name, e.g. 2025-01
    #[arg(long, value_name = "E")]
    pub edition: String,
    /// Effective date, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub effective: chrono::NaiveDate,
    /// The date customers will be told (default: today, or SOURCE_DATE_EPOCH): the effective
    /// date must respect the notice period counted from it
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub notice_date: Option<chrono::NaiveDate>,
    /// Show what would be frozen and the changes against the previous edition; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args)]
pub struct DiffCli {
    #[command(flatten)]
    pub target: VendorDoc,
    /// The older edition
    #[arg(long, value_name = "E1")]
    pub from: String,
    /// The newer edition, or `working` for the current files
    #[arg(long, value_name = "E2|working")]
    pub to: String,
    /// Compare this customer's contracts
    #[arg(long, value_name = "C")]
    pub customer: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormatArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DiffFormatArg {
    Text,
    Json,
    Html,
    /// Word, with every change a tracked change (binary: redirect it to a file)
    Docx,
}

#[derive(Args)]
pub struct NoticeCli {
    #[command(flatten)]
    pub target: VendorDoc,
    #[arg(long, value_name = "E1")]
    pub from: String,
    #[arg(long, value_name = "E2")]
    pub to: String,
    /// One customer's notice, about their own contract
    #[arg(long, value_name = "C")]
    pub customer: Option<String>,
    /// A notice for every customer whose contract text changed
    #[arg(long, conflicts_with = "customer")]
    pub all_customers: bool,
    /// Output formats, comma-separated: html, md, pdf, docx
    #[arg(long, value_delimiter = ',', default_value = "html,md,pdf", value_parser = parse_notice_format)]
    pub format: Vec<crate::editions::commands::NoticeFormat>,
    /// The date of the notice (default: today, or SOURCE_DATE_EPOCH)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Output directory (default: `out` from clausebook.yaml)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Record each notice written in the ledger, published/<vendor>/<doc>/notices.jsonl
    #[arg(long)]
    pub record: bool,
    /// How the notices are sent, for the ledger (e-mail, post, portal, ...)
    #[arg(
        long,
        value_name = "HOW",
        default_value = "e-mail",
        requires = "record"
    )]
    pub channel: String,
}

#[derive(Args)]
pub struct NoticesCli {
    #[command(flatten)]
    pub target: VendorDoc,
    /// Print the ledger entries as JSON lines
    #[arg(long)]
    pub json: bool,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}

fn parse_notice_format(s: &str) -> Result<crate::editions::commands::NoticeFormat, String> {
    use crate::editions::commands::NoticeFormat;
    match s.trim() {
        "html" => Ok(NoticeFormat::Html),
        "md" | "markdown" => Ok(NoticeFormat::Md),
        "pdf" => Ok(NoticeFormat::Pdf),
        "docx" | "word" => Ok(NoticeFormat::Docx),
        _ => Err(format!(
            "unknown format `{s}` (formats: html, md, pdf, docx)"
        )),
    }
}

#[derive(Args)]
pub struct SelectArgs {
    /// Only this vendor (repeatable)
    #[arg(long = "vendor", value_name = "V")]
    pub vendors: Vec<String>,
    /// Only this document
    #[arg(long, value_name = "D")]
    pub doc: Option<String>,
    /// Only this customer's contract
    #[arg(long, value_name = "C")]
    pub customer: Option<String>,
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: LoopArgs,
    /// Also write the generated Typst markup next to each PDF
    #[arg(long, value_name = "WHAT", value_parser = ["typst"])]
    pub emit: Option<String>,
    /// Write archival PDF/A-2b
    #[arg(long, value_name = "STANDARD", value_parser = ["a-2b"])]
    pub pdf_standard: Option<String>,
    /// Print nothing but diagnostics
    #[arg(long, short)]
    pub quiet: bool,
    /// Render every document again, ignoring the build cache
    #[arg(long)]
    pub force: bool,
    /// Build only share K of N of the contracts (1 ≤ K ≤ N), e.g. `--shard 3/8`: the same
    /// customers every time, for splitting a batch over machines
    #[arg(long, value_name = "K/N", value_parser = crate::pipeline::shard::Shard::parse)]
    pub shard: Option<crate::pipeline::shard::Shard>,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Print diagnostics as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// Explain a lint (its name as `check` prints it: error[NAME]) and exit; `all` lists them
    #[arg(long, value_name = "LINT")]
    pub explain: Option<String>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s)
        .ok_or_else(|| format!("unknown format `{s}` (formats: html, md, pdf, docx, typst)"))
}

impl SelectArgs {
    fn selection(&self, all_customers: bool) -> Selection {
        Selection {
            vendors: self.vendors.clone(),
            doc: self.doc.clone(),
            customer: self.customer.clone(),
            all_customers,
        }
    }
}

pub fn run() -> ExitCode {
    crate::pipeline::workers::init_global_pool();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal(),
    };
    let exit: Exit = match &cli.command {
        Command::Build(a) => build::build(
            &cli.root,
            &BuildOptions {
                selection: a.common.select.selection(a.common.all_customers),
                formats: {
                    let mut f = a.common.format.clone();
                    if a.emit.is_some() && !f.contains(&Format::Typst) {
                        f.push(Format::Typst);
                    }
                    if a.pdf_standard.is_some() {
                        for x in f.iter_mut().filter(|x| **x == Format::Pdf) {
                            *x = Format::PdfA;
                        }
                    }
                    f
                },
                out: a.common.out.clone(),
                quiet: a.quiet,
                force: a.force,
                shard: a.shard,
            },
            color,
        ),
        Command::Check(a) => match &a.explain {
            Some(name) => explain(name),
            None => build::check(&cli.root, &a.select.selection(false), a.json, color),
        },
        Command::Publish(a) => crate::editions::publish::publish(
            &cli.root,
            &crate::editions::publish::PublishArgs {
                vendor: a.target.vendor.clone(),
                doc: a.target.doc.clone(),
                edition: a.edition.clone(),
                effective: a.effective,
                notice_date: a.notice_date,
                dry_run: a.dry_run,
            },
            color,
        ),
        Command::Verify => crate::editions::commands::verify(&cli.root),
        Command::Params(a) => params(&cli.root, a, color),
        Command::Watch(a) => crate::watch::watch(&a.session(&cli.root)),
        Command::Serve {
            args,
            port,
            bind,
            open,
        } => crate::serve::serve(
            args.session(&cli.root),
            &crate::serve::ServeOptions {
                bind: bind.clone(),
                port: *port,
                open: *open,
            },
        ),
        Command::Init { dir } => crate::init::init(dir),
        Command::Clean { out } => build::clean(&cli.root, out.as_deref()),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "clausebook",
                &mut std::io::stdout(),
            );
            Ok(Outcome::Success)
        }
        Command::Man => {
            use clap::CommandFactory;
            let man = clap_mangen::Man::new(Cli::command());
            man.render(&mut std::io::stdout())
                .map(|()| Outcome::Success)
                .map_err(|e| Fatal::input(e.to_string()))
        }
        Command::Diff(a) => {
            use crate::editions::commands::{DiffArgs, DiffFormat, diff_cmd};
            let stdout_color = match cli.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            diff_cmd(
                &cli.root,
                &DiffArgs {
                    vendor: a.target.vendor.clone(),
                    doc: a.target.doc.clone(),
                    from: a.from.clone(),
                    to: a.to.clone(),
                    customer: a.customer.clone(),
                    format: match a.format {
                        DiffFormatArg::Text => DiffFormat::Text,
                        DiffFormatArg::Json => DiffFormat::Json,
                        DiffFormatArg::Html => DiffFormat::Html,
                        DiffFormatArg::Docx => DiffFormat::Docx,
                    },
                },
                stdout_color,
            )
        }
        Command::Notice(a) => crate::editions::commands::notice_cmd(
            &cli.root,
            &crate::editions::commands::NoticeArgs {
                vendor: a.target.vendor.clone(),
                doc: a.target.doc.clone(),
                from: a.from.clone(),
                to: a.to.clone(),
                customer: a.customer.clone(),
                all_customers: a.all_customers,
                formats: a.format.clone(),
                date: a.date,
                out: a.out.clone(),
                record: a.record.then(|| a.channel.clone()),
            },
        ),
        Command::Notices(a) => crate::editions::commands::notices_cmd(
            &cli.root,
            &a.target.vendor,
            &a.target.doc,
            a.json,
        ),
    };
    ExitCode::from(crate::exit::status(exit))
}

/// `check --explain NAME`: the catalogue entry, for reading in a terminal.
fn explain(name: &str) -> Exit {
    use crate::catalogue::{LINTS, find};
    if name == "all" {
        for l in LINTS {
            println!("{:<22} {:<5} {}", l.name, l.level.name(), l.summary);
        }
        return Ok(Outcome::Success);
    }
    let Some(l) = find(name) else {
        let hint = crate::diagnostics::did_you_mean(name, LINTS.iter().map(|l| l.name))
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        return Err(Fatal::usage(format!(
            "no lint `{name}`{hint} (`clausebook check --explain all` lists them)"
        )));
    };
    println!("{} (default level: {})\n", l.name, l.level.name());
    println!("{}\n", l.summary);
    println!("{}\n", textwrap(l.explanation));
    println!("fix: {}", textwrap(l.fix));
    Ok(Outcome::Success)
}

/// Catalogue texts are written on long lines; wrap them at 90 columns for a terminal.
fn textwrap(s: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for w in s.split_whitespace() {
        if width > 0 && width + w.len() > 90 {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(w);
        width += w.chars().count();
    }
    out
}

fn params(root: &std::path::Path, a: &ParamsCli, color: bool) -> Exit {
    use crate::params::reference;
    let (project, diags) = build::load_project(root)?;
    if diags.has_errors() {
        diags.emit(&project.sources, color);
        eprintln!("error: the project has errors; the reference may be incomplete");
    }
    let entries = reference::entries(&project, a.vendor.as_deref(), a.doc.as_deref())
        .map_err(Fatal::usage)?;
    let out = match a.format {
        ParamsFormat::Text => reference::text(&entries),
        ParamsFormat::Md => reference::markdown(&entries, a.vendor.is_some()),
        ParamsFormat::Json => serde_json::to_string_pretty(&entries).unwrap_or_default() + "\n",
    };
    print!("{out}");
    Ok(Outcome::problems_if(diags.has_errors()))
}
