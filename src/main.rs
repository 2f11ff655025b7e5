//! The `lectern` command: parses arguments, runs the library, prints errors once and sets the
//! exit code (0 success, 1 problems in the site's files, 2 usage or environment errors).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use lectern::build::{self, BuildError, Mode};
use lectern::config::Overrides;
use lectern::diagnostic::{PER_FILE_CAP, Shown, capped, more_text};

/// Builds a Docusaurus-style docs folder into a fast, accessible static site.
#[derive(Parser)]
#[command(name = "lectern", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Preview the site: serve it from memory, rebuild on every save, reload open tabs.
    Serve {
        /// The site's root folder (where lectern.yml is).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Address to listen on. Anything but 127.0.0.1/localhost exposes the preview to others.
        /// Requests must name 127.0.0.1, localhost, [::1] or this value in their Host header.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port to listen on; 0 picks a free one (the URL is printed).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// The environment: development, staging, production or one declared in lectern.yml
        /// [env: LECTERN_ENV] [default: development]
        #[arg(long)]
        env: Option<String>,
    },
    /// Build the site into a folder.
    Build {
        /// The site's root folder (where lectern.yml is).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/build]. Replaced whole; refused when it holds
        /// the site's sources, or files lectern did not write (see --force).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The environment: development, staging, production or one declared in lectern.yml
        /// [env: LECTERN_ENV] [default: production]
        #[arg(long)]
        env: Option<String>,
        /// Replace --out even when it holds files lectern did not write (no .lectern-build
        /// file). Never overrides the refusal to write over the site's sources.
        #[arg(long)]
        force: bool,
        /// Build every page again, even when nothing changed since the last build into --out
        /// (which otherwise leaves it as it is) or a page's inputs did not.
        #[arg(long)]
        full: bool,
    },
    /// Build in memory and check every link, anchor and image; writes nothing.
    ///
    /// Exit code 0 when clean (warnings allowed), 1 when an error-level problem exists,
    /// 2 on a usage or environment error.
    Check {
        /// The site's root folder (where lectern.yml is).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The environment: development, staging, production or one declared in lectern.yml
        /// [env: LECTERN_ENV] [default: production]
        #[arg(long)]
        env: Option<String>,
        /// Output format [default: github when GITHUB_ACTIONS=true, else human].
        #[arg(long, value_enum)]
        format: Option<CheckFormat>,
        /// Also check every external http(s) link over the network: bounded concurrency, a
        /// minimum interval per host, retries with backoff; answers are cached in
        /// .lectern-cache/external-links.json (settings: external_links in lectern.yml).
        #[arg(long)]
        external: bool,
    },
    /// Write the lectern.yml equivalent to a Docusaurus site's docusaurus.config.js and sidebars.
    ///
    /// Prints what could not be carried over (values only running JavaScript would give), each
    /// at its file and line. Building with the written file gives the same URLs and sidebars.
    Migrate {
        /// The Docusaurus site's root folder (where docusaurus.config.js is).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Replace an existing lectern.yml.
        #[arg(long)]
        force: bool,
    },
    /// Write a new playbook to start from: lectern.yml, pages, an image and CI recipes.
    New {
        /// The folder to create; it must not exist or be empty.
        dir: PathBuf,
    },
    /// Read a page aloud, or write its spoken text as audio with --out.
    ///
    /// Both use the build's engine (speech.engine in lectern.yml). With --out no audio device is
    /// needed. Without --out, Piper's or a command's audio is played by the first of paplay,
    /// pw-play, aplay, play or afplay found; otherwise the operating system's voice (the `speak`
    /// cargo feature, on by default on macOS and Windows; Linux builds without it: espeak-ng).
    Speak {
        /// The Markdown page to read.
        page: PathBuf,
        /// Voice, e.g. `joe` for Piper, `en-gb` for espeak-ng or a system voice's name [default: speech.voice].
        #[arg(long)]
        voice: Option<String>,
        /// Speaking rate in words per minute, 80-450 [default: speech.rate, or 175].
        #[arg(long)]
        rate: Option<u32>,
        /// Write the audio to FILE.mp3 or FILE.wav instead of speaking it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Synthesise the site's speech into the cache folder, or one shard of it, and write nothing else.
    ///
    /// For spreading the speech stage over CI jobs: each job runs `--shard I/N` on the same
    /// commit and cache, then the jobs' cache folders (speech.cache_dir) are copied into one,
    /// and `lectern build` finds every sentence cached. A sentence's shard follows from its cache
    /// key alone. Needs the speech engine; fails when speech.prerender is `never`.
    Speech {
        /// The site's root folder (where lectern.yml is).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Synthesise only the I-th of N shards of the sentences not yet cached, e.g. `2/4`
        /// [default: 1/1, everything].
        #[arg(long, value_name = "I/N")]
        shard: Option<lectern::speech::Shard>,
        /// The environment: development, staging, production or one declared in lectern.yml
        /// [env: LECTERN_ENV] [default: production]
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
        /// The environment: development, staging, production or one declared in lectern.yml
        /// [env: LECTERN_ENV] [default: production]
        #[arg(long)]
        env: Option<String>,
    },
}

/// How `check` prints problems.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// Like a compiler: `path:line:col`, the line, a caret and a hint.
    Human,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`).
    Github,
    /// One JSON object per problem, one per line.
    Json,
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
        Command::Serve { root, host, port, open, env } => {
            let options = lectern::serve::ServeOptions {
                root,
                host,
                port,
                open,
                overrides: Overrides::from_process(env).or_default_env(lectern::environment::PREVIEW),
            };
            lectern::serve::run(options).map_err(BuildError::from)
        }
        Command::Build { root, out, env, force, full } => {
            let started = std::time::Instant::now();
            let overrides = Overrides::from_process(env).or_default_env(lectern::environment::PUBLISHED);
            let config = lectern::config::load(&root, &overrides)?;
            eprintln!("{}", lectern::environment::banner_line(&config.environment));
            let out = out.unwrap_or_else(|| root.join("build"));
            // What the output will be made from, taken before any of it is read.
            let mut inputs = lectern::unchanged::snapshot(&config);
            if !full
                && let Some(inputs) = &inputs
                && let Ok(target) = lectern::output::claim_out_dir(&config, &out, false)
                && let Some(skip) = lectern::unchanged::unchanged(&config, inputs, &target.path)
            {
                // The warnings that build printed, so a log of this one shows them too.
                eprint!("{}", skip.warnings);
                eprintln!(
                    "nothing changed since the last build: {} is up to date ({} pages for {}, checked in {:.2} s; \
                     --full builds it again)",
                    out.display(),
                    skip.pages,
                    config.environment,
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            if !full && let Some(inputs) = &inputs {
                match build::incremental::prepare(config.clone(), inputs, &out)? {
                    build::incremental::Attempt::Ready(prepared) => {
                        let mut printed = print_warnings(prepared.warnings());
                        if let Some(summary) = &prepared.speech_summary {
                            eprintln!("{summary}");
                        }
                        let (errors, warnings): (Vec<_>, Vec<_>) =
                            prepared.problems().into_iter().partition(|d| d.is_error());
                        printed.push_str(&print_warnings(&warnings));
                        if !errors.is_empty() {
                            return Err(BuildError::Content(errors));
                        }
                        match prepared.write(inputs, &printed)? {
                            Some(done) => {
                                eprintln!(
                                    "built {} pages for {} into {} in {:.2} s (incremental: {} page{} made again, {} \
                                     file{} changed{}; the rest kept from the last build)",
                                    done.pages,
                                    config.environment,
                                    out.display(),
                                    started.elapsed().as_secs_f64(),
                                    done.rendered,
                                    if done.rendered == 1 { "" } else { "s" },
                                    done.files,
                                    if done.files == 1 { "" } else { "s" },
                                    if done.search { ", search index updated" } else { "" }
                                );
                                return Ok(());
                            }
                            None => eprintln!("the last build's output does not match its record: building every page"),
                        }
                    }
                    build::incremental::Attempt::Full(Some(why)) => eprintln!("{why}: building every page"),
                    build::incremental::Attempt::Full(None) => {}
                }
            }
            let mut site = build::load_site(config, Mode::Disk)?;
            if let Some(inputs) = &mut inputs {
                let includes = site.pages.iter().flat_map(|p| &p.markdown.includes);
                inputs.outside = lectern::unchanged::outside_includes(&site.config, includes);
            }
            let mut printed = print_warnings(&site.warnings);
            if let Some(summary) = &site.speech.summary {
                eprintln!("{summary}");
            }
            let t = std::time::Instant::now();
            let checks = build::check_site(&site);
            let problems = checks.problems();
            site.timings.check = lectern::site::ms_since(t);
            let (errors, warnings): (Vec<_>, Vec<_>) = problems.into_iter().partition(|d| d.is_error());
            printed.push_str(&print_warnings(&warnings));
            if !errors.is_empty() {
                return Err(BuildError::Content(errors));
            }
            let target = lectern::output::claim_out_dir(&site.config, &out, force)?;
            let theme = build::load_theme(&site.config)?;
            let (reused, listing) = build::write_site_reusing(&mut site, &theme, &target.path, !full)?;
            if let Some(inputs) = &inputs {
                // Still holding the folder's lock: no other build's output is recorded as this one's.
                let (engine, pages) = (&site.speech.engine, site.content.docs.len());
                lectern::unchanged::record(&site.config, inputs, &target.path, &listing, engine, pages, &printed);
                build::save_state(&site, &theme, inputs, &checks, &target.path);
            }
            if let Some(replaced) = &target.replaced {
                eprintln!("--force: replaced {} ({replaced})", out.display());
            }
            if std::env::var_os("LECTERN_TIMINGS").is_some() {
                eprintln!("timings: {}", serde_json::to_string(&site.timings).map_err(anyhow::Error::from)?);
                let peaks: Vec<String> = site.timings.peak_rss.iter().map(|(s, m)| format!("{s} {m:.0}")).collect();
                eprintln!("peak memory (MiB) after each stage: {}", peaks.join(", "));
            }
            eprintln!(
                "built {} pages for {} into {} in {:.2} s{}",
                site.content.docs.len(),
                site.config.environment,
                out.display(),
                started.elapsed().as_secs_f64(),
                if reused.pages > 0 || reused.search { format!(" ({reused})") } else { String::new() }
            );
            Ok(())
        }
        Command::Check { root, env, format, external } => {
            let format = format.unwrap_or(if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
                CheckFormat::Github
            } else {
                CheckFormat::Human
            });
            // Speech from the cache only: `check` writes no audio and must not wait for it.
            let overrides = Overrides::from_process(env).or_default_env(lectern::environment::PUBLISHED);
            let load = || {
                let mut config = lectern::config::load(&root, &overrides)?;
                config.speech.cache_only = true;
                build::load_site(config, Mode::Memory)
            };
            let site = match load() {
                Ok(site) => site,
                Err(BuildError::Content(ds)) if format != CheckFormat::Human => {
                    print_problems(&ds, format);
                    return Err(BuildError::Content(Vec::new()));
                }
                Err(e) => return Err(e),
            };
            let theme = build::load_theme(&site.config)?;
            build::render_site(&site, &theme, None, lectern::pages::Pages::All)?;
            let mut problems = site.warnings.clone();
            problems.extend(lectern::check::check_site(&site));
            let external_summary = if external {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or_default();
                let (found, summary) = lectern::external::check(&site, now)?;
                problems.extend(found);
                Some(summary)
            } else {
                None
            };
            print_problems(&problems, format);
            if let Some(summary) = external_summary {
                eprintln!("{summary}");
            }
            let errors = problems.iter().filter(|d| d.is_error()).count();
            let warnings = problems.len() - errors;
            eprintln!(
                "check: {} pages, {errors} error{}, {warnings} warning{}",
                site.content.docs.len(),
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
            if errors > 0 {
                return Err(BuildError::Content(Vec::new()));
            }
            Ok(())
        }
        Command::Migrate { root, force } => {
            use lectern::migrate::MigrateError;
            let to_build_error = |e: MigrateError| match e {
                MigrateError::Invalid(d) => BuildError::Content(vec![d]),
                MigrateError::Other(e) => BuildError::Other(e),
            };
            let migration = lectern::migrate::migrate(&root).map_err(to_build_error)?;
            let path = lectern::migrate::write(&root, &migration, force).map_err(to_build_error)?;
            // Every value left behind, at its line: the team decides what to write by hand.
            print_warnings(&migration.not_carried);
            let sources: Vec<String> = migration.sources.iter().map(|p| lectern::diagnostic::display_path(p)).collect();
            eprintln!(
                "wrote {} from {}; {}",
                path.display(),
                sources.join(" and "),
                match migration.not_carried.len() {
                    0 => "everything lectern reads was carried over".to_string(),
                    1 => "1 value was not carried over (above)".to_string(),
                    n => format!("{n} values were not carried over (above)"),
                }
            );
            Ok(())
        }
        Command::New { dir } => {
            let written = lectern::new::create(&dir)?;
            eprintln!(
                "wrote {} files into {}; preview them with `lectern serve {}`",
                written.len(),
                dir.display(),
                dir.display()
            );
            Ok(())
        }
        Command::Speak { page, voice, rate, out } => {
            let done = lectern::speech::speak(&lectern::speech::SpeakOptions { page, voice, rate, out })?;
            eprintln!("{done}");
            Ok(())
        }
        Command::Speech { root, shard, env } => {
            let overrides = Overrides::from_process(env).or_default_env(lectern::environment::PUBLISHED);
            let mut config = lectern::config::load(&root, &overrides)?;
            config.speech.shard = Some(shard.unwrap_or(lectern::speech::Shard { index: 1, count: 1 }));
            let (cache_dir, environment) = (config.speech.cache_dir.clone(), config.environment.clone());
            let site = build::load_site(config, Mode::Disk)?;
            print_warnings(&site.warnings);
            if let Some(summary) = &site.speech.summary {
                eprintln!("{summary}");
            }
            eprintln!("speech cache: {} (pages of the {environment} environment)", cache_dir.display());
            Ok(())
        }
        Command::Routes { root, format, env } => {
            let overrides = Overrides::from_process(env).or_default_env(lectern::environment::PUBLISHED);
            let site = build::load_routes(&root, &overrides)?;
            let routes = build::routes(&site.content, &site.sidebars);
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

/// Prints problems in the chosen format: human to stderr, github and json to stdout. Human and
/// github output show at most [`PER_FILE_CAP`] problems per file (GitHub shows only a few
/// annotations per step anyway); json lists every one.
fn print_problems(problems: &[lectern::Diagnostic], format: CheckFormat) {
    let mut out = std::io::stdout().lock();
    if format == CheckFormat::Json {
        for d in problems {
            let _ = writeln!(out, "{}", serde_json::to_string(d).unwrap_or_default());
        }
        return;
    }
    let mut err = std::io::stderr().lock();
    for shown in capped(problems, PER_FILE_CAP) {
        let _ = match (format, shown) {
            (CheckFormat::Github, Shown::Problem(d)) => writeln!(out, "{}", github_annotation(d)),
            (CheckFormat::Github, Shown::More { path, count }) => {
                let file = github_property(&lectern::diagnostic::display_path(path));
                writeln!(out, "::notice file={file}::{}", github_data(&more_text(count)))
            }
            (_, shown) => write!(err, "{shown}"),
        };
    }
}

/// GitHub's escapes for a workflow command's message.
fn github_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// GitHub's escapes for a workflow command's property value.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=docs/a.md,line=3,col=5::message` — GitHub's workflow command syntax, with its
/// escapes for `%`, newlines, and (in properties) `:` and `,`.
fn github_annotation(d: &lectern::Diagnostic) -> String {
    let (data, prop) = (github_data, github_property);
    let kind = if d.is_error() { "error" } else { "warning" };
    let mut msg = d.message.clone();
    if let Some(h) = &d.help {
        msg.push_str(&format!("\nhelp: {h}"));
    }
    let mut props = format!("file={}", prop(&lectern::diagnostic::display_path(&d.path)));
    if d.line > 0 {
        props.push_str(&format!(",line={}", d.line));
    }
    if d.column > 0 {
        props.push_str(&format!(",col={}", d.column));
    }
    format!("::{kind} {props}::{}", data(&msg))
}

/// Prints warnings to stderr, at most [`PER_FILE_CAP`] per file; returns what it printed.
fn print_warnings(warnings: &[lectern::Diagnostic]) -> String {
    let mut text = String::new();
    for shown in capped(warnings, PER_FILE_CAP) {
        text.push_str(&shown.to_string());
    }
    eprint!("{text}");
    text
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
