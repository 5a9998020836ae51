//! The command line: clap definitions and dispatch. Exit status: 0 success, 1 the input has
//! errors, 2 wrong usage.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions, Format, Selection};

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
    pub select: SelectArgs,
    /// Also build every customer's contract
    #[arg(long, conflicts_with = "customer")]
    pub all_customers: bool,
    /// Output formats, comma-separated: html, md
    #[arg(long, value_delimiter = ',', default_value = "html,md", value_parser = parse_format)]
    pub format: Vec<Format>,
    /// Output directory (default: `out` from clausebook.yaml)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing but diagnostics
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Print diagnostics as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("unknown format `{s}` (formats: html, md)"))
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
    let code = match &cli.command {
        Command::Build(a) => build::build(
            &cli.root,
            &BuildOptions {
                selection: a.select.selection(a.all_customers),
                formats: a.format.clone(),
                out: a.out.clone(),
                quiet: a.quiet,
            },
            color,
        ),
        Command::Check(a) => build::check(&cli.root, &a.select.selection(false), a.json, color),
    };
    ExitCode::from(code)
}
