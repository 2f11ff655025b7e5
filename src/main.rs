//! The `lectern` command: parses arguments, runs the library, prints errors once and sets the
//! exit code (0 success, 1 problems in the site's files, 2 usage or environment errors).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use lectern::build::{self, BuildError};
use lectern::config::Overrides;

/// Builds a Docusaurus-style docs folder into a fast, accessible static site.
#[derive(Parser)]
#[command(name = "lectern", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder.
    Build {
        /// The site's root folder (where lectern.yml is).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/build].
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The environment: development, staging, production, ... [env: LECTERN_ENV]
        #[arg(long)]
        env: Option<String>,
    },
    /// List every page with its URL, sidebar and labels.
    Routes {
        /// The site's root folder (where lectern.yml is).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = RoutesFormat::Table)]
        format: RoutesFormat,
        /// The environment: development, staging, production, ... [env: LECTERN_ENV]
        #[arg(long)]
        env: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoutesFormat {
    /// Aligned columns for people.
    Table,
    /// Tab-separated, with a header row.
    Tsv,
    /// A JSON array of objects.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{e}");
            if !e.to_string().ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(match e {
                BuildError::Content(_) => 1,
                BuildError::Other(_) => 2,
            })
        }
    }
}

fn run(cli: Cli) -> Result<(), BuildError> {
    match cli.command {
        Command::Build { root, out, env } => {
            let started = std::time::Instant::now();
            let mut site = build::load_site(&root, &Overrides::from_process(env))?;
            print_warnings(&site.warnings);
            let out = out.unwrap_or_else(|| root.join("build"));
            lectern::output::check_out_dir(&site.config, &out)?;
            let t = std::time::Instant::now();
            let theme = build::load_theme(&site.config)?;
            let files = build::render_site(&site, &theme, None)?;
            site.timings.render = build::ms_since(t);
            let t = std::time::Instant::now();
            lectern::output::write_site(&out, &files)?;
            site.timings.write = build::ms_since(t);
            if std::env::var_os("LECTERN_TIMINGS").is_some() {
                eprintln!("timings: {}", serde_json::to_string(&site.timings).map_err(anyhow::Error::from)?);
            }
            eprintln!(
                "built {} pages for {} into {} in {:.2} s",
                site.content.docs.len(),
                site.config.environment,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Routes { root, format, env } => {
            let site = build::load_site(&root, &Overrides::from_process(env))?;
            print_warnings(&site.warnings);
            let routes = build::routes(&site);
            let text = match format {
                RoutesFormat::Tsv => routes_tsv(&routes),
                RoutesFormat::Json => serde_json::to_string_pretty(&routes).map_err(anyhow::Error::from)? + "\n",
                RoutesFormat::Table => routes_table(&routes),
            };
            std::io::stdout().write_all(text.as_bytes()).map_err(anyhow::Error::from)?;
            Ok(())
        }
    }
}

fn print_warnings(warnings: &[lectern::Diagnostic]) {
    for w in warnings {
        eprint!("{w}");
    }
}

/// Tabs and newlines in values would break the columns; they become spaces.
fn tsv_field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn routes_tsv(routes: &[build::Route]) -> String {
    let mut out = String::from("source\turl\ttitle\tsidebar\tlabel\tcategories\n");
    for r in routes {
        let cats = r.categories.join(" > ");
        let row = [&r.source, &r.url, &r.title, &r.sidebar, &r.label, &cats].map(|f| tsv_field(f));
        out.push_str(&row.join("\t"));
        out.push('\n');
    }
    out
}

fn routes_table(routes: &[build::Route]) -> String {
    let width = |f: &dyn Fn(&build::Route) -> usize| routes.iter().map(f).max().unwrap_or(0);
    let wu = width(&|r| r.url.chars().count()).max(3);
    let wl = width(&|r| r.label.chars().count()).max(5);
    let mut out = format!("{:wu$}  {:wl$}  SOURCE\n", "URL", "LABEL");
    for r in routes {
        out.push_str(&format!("{:wu$}  {:wl$}  {}\n", r.url, r.label, r.source));
    }
    out
}
