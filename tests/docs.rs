//! lectern's own playbook (`docs/`), `lectern new` and the CI recipes (`examples/ci/`), held to
//! the code so that none of them can drift:
//!
//! - the configuration reference has one `### \`key\`` heading per key `lectern.yml` accepts
//!   (and per key of its nested `speech` section), and no others;
//! - the command-line reference has one section per subcommand of `lectern --help`, naming
//!   every argument, flag and value its `--help` prints, and no flag it does not;
//! - `lectern check` on the repository is clean: no errors, no warnings;
//! - `lectern new` writes the same files every time, and they build and check clean;
//! - the CI recipes are valid YAML, and every `lectern …` command in them exists with its flags;
//! - the built playbook has no axe violations in light and dark mode, at two widths.
//!   `LECTERN_SCREENSHOTS=<dir>` also saves the light and dark screenshots the README shows.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use serde::de::DeserializeOwned;

const CONFIG_PAGE: &str = "docs/04-reference/01-configuration.md";
const CLI_PAGE: &str = "docs/04-reference/02-command-line.md";
const RECIPES: [&str; 4] = [
    "examples/ci/github-pages.yml",
    "examples/ci/circleci.yml",
    "examples/ci/github-pages-speech-shards.yml",
    "examples/ci/circleci-speech-shards.yml",
];
/// The README's screenshots, made by `LECTERN_SCREENSHOTS=doc-images cargo test --test docs`.
const SCREENSHOTS: [&str; 2] = ["doc-images/lectern-light-1280.png", "doc-images/lectern-dark-1280.png"];
/// Pages of the playbook checked with axe, as URL paths.
const AXE_PAGES: [&str; 3] = ["/", "/writing/speech/", "/reference/configuration/"];

fn read(rel: &str) -> String {
    let path = support::manifest_dir().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn stdout_of(args: &[&str]) -> String {
    String::from_utf8_lossy(&support::lectern_ok(args).stdout).into_owned()
}

/// The field names serde accepts for `T`, read from its "unknown field" error, which lists them.
fn serde_fields<T: DeserializeOwned + std::fmt::Debug>() -> BTreeSet<String> {
    let err = yaml_serde::from_str::<T>("zz_not_a_field: 1").expect_err("an unknown field is rejected");
    let msg = err.to_string();
    let list = msg.split("expected ").nth(1).unwrap_or_else(|| panic!("no field list in {msg:?}"));
    let list = list.split(" at line ").next().unwrap_or(list);
    list.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// `(errors, warnings)` from `check`'s summary line on stderr.
fn check_counts(stderr: &str) -> (usize, usize) {
    let line =
        stderr.lines().rev().find(|l| l.starts_with("check: ")).unwrap_or_else(|| panic!("no summary in {stderr}"));
    let nums: Vec<usize> = line.split([',', ' ']).filter_map(|w| w.parse().ok()).collect();
    assert_eq!(nums.len(), 3, "unexpected summary line {line:?}");
    (nums[1], nums[2])
}

/// Runs `lectern check ROOT`: it must exit 0 with no errors, and with no warnings when espeak-ng
/// is installed (without it, speech falls back to browser voices with one warning).
fn assert_check_clean(root: &Path) {
    let root_arg = root.to_string_lossy().into_owned();
    let out = support::lectern(["check", root_arg.as_str(), "--format", "human"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "`lectern check {root_arg}` failed:\n{stderr}");
    let (errors, warnings) = check_counts(&stderr);
    assert_eq!(errors, 0, "{stderr}");
    if support::require("espeak-ng") {
        assert_eq!(warnings, 0, "`lectern check {root_arg}` warned:\n{stderr}");
    }
}

#[test]
fn configuration_reference_lists_exactly_the_config_keys() {
    let accepted = serde_fields::<lectern::config::RawConfig>();
    let keys: BTreeSet<String> = lectern::config::KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(keys, accepted, "config::KEYS and RawConfig's fields differ");

    let mut expected = keys.clone();
    if keys.contains("speech") {
        expected.extend(serde_fields::<lectern::speech::RawSpeech>().into_iter().map(|k| format!("speech.{k}")));
    }
    let page = read(CONFIG_PAGE);
    let documented: BTreeSet<String> =
        page.lines().filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`').map(str::to_string)).collect();
    let missing: Vec<_> = expected.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&expected).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "{CONFIG_PAGE}: undocumented keys {missing:?}, unknown keys {stale:?}"
    );

    // The fields of one `sidebars` entry are a table in that key's section.
    let sidebars = section(&page, "### `sidebars`", "### ");
    for field in serde_fields::<lectern::config::SidebarSpec>() {
        assert!(sidebars.contains(&format!("| `{field}` |")), "{CONFIG_PAGE}: `sidebars` does not describe `{field}`");
    }
}

/// The text from the line `start` to the next line starting with `next` (or the end).
fn section<'a>(page: &'a str, start: &str, next: &str) -> &'a str {
    let from = page.find(&format!("\n{start}")).unwrap_or_else(|| panic!("no {start:?} heading"));
    let rest = &page[from + 1..];
    let end = rest[start.len()..].find(&format!("\n{next}")).map_or(rest.len(), |i| i + start.len());
    &rest[..end]
}

/// What `lectern <cmd> --help` lists: arguments, flags and possible values.
#[derive(Debug, Default)]
struct Help {
    arguments: BTreeSet<String>,
    flags: BTreeSet<String>,
    values: BTreeSet<String>,
}

/// The subcommands `lectern --help` lists (without `help`).
fn subcommands() -> Vec<String> {
    let help = stdout_of(&["--help"]);
    let list = help.split("Commands:").nth(1).expect("a Commands: section");
    list.lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

fn parse_help(cmd: &str) -> Help {
    let text = stdout_of(&[cmd, "--help"]);
    let mut help = Help::default();
    let mut part = "";
    for line in text.lines() {
        let trimmed = line.trim();
        // Items start within six spaces (`      --port`, `  -h, --help`); their descriptions,
        // `[default: …]` and `- value:` lines are deeper.
        let item = (2..=6).contains(&(line.len() - line.trim_start().len()));
        if !line.starts_with(' ') && trimmed.ends_with(':') {
            part = trimmed;
            continue;
        }
        match part {
            "Arguments:" if item && trimmed.starts_with(['[', '<']) => {
                let name = trimmed.split_whitespace().next().unwrap_or("");
                help.arguments.insert(name.trim_matches(['[', ']', '<', '>', '.']).to_string());
            }
            "Options:" if item && trimmed.starts_with('-') && !trimmed.starts_with("- ") => {
                let head = trimmed.split("  ").next().unwrap_or("");
                for word in head.split([' ', ',']).filter(|w| w.starts_with("--")) {
                    help.flags.insert(word.to_string());
                }
            }
            "Options:" => {
                // `Possible values:` lists `- human: …` lines.
                if let Some(v) = trimmed.strip_prefix("- ").and_then(|v| v.split(':').next()) {
                    help.values.insert(v.to_string());
                }
            }
            _ => {}
        }
    }
    help.flags.remove("--help");
    help
}

/// Every `--flag` written in `text`.
fn flags_in(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("--") {
        let rest = &text[i + 2..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let before = text[..i].chars().last();
        if name.starts_with(|c: char| c.is_ascii_lowercase())
            && !matches!(before, Some(c) if c.is_alphanumeric() || c == '-')
        {
            out.insert(format!("--{name}"));
        }
    }
    out
}

#[test]
fn command_line_reference_matches_every_help_text() {
    let page = read(CLI_PAGE);
    let commands = subcommands();
    assert!(commands.len() >= 4, "too few subcommands: {commands:?}");
    let documented: BTreeSet<String> =
        page.lines().filter_map(|l| l.strip_prefix("## `lectern ")?.strip_suffix('`').map(str::to_string)).collect();
    assert_eq!(documented, commands.iter().cloned().collect(), "{CLI_PAGE}: sections vs `lectern --help`");

    for cmd in &commands {
        let help = parse_help(cmd);
        let text = section(&page, &format!("## `lectern {cmd}`"), "## ");
        let written = flags_in(text);
        assert_eq!(written, help.flags, "{CLI_PAGE}, `lectern {cmd}`: flags written vs `lectern {cmd} --help`");
        for arg in &help.arguments {
            assert!(
                text.contains(&format!("`{arg}`")),
                "{CLI_PAGE}, `lectern {cmd}`: argument `{arg}` is not described"
            );
        }
        for value in &help.values {
            assert!(
                text.contains(&format!("`{value}`")),
                "{CLI_PAGE}, `lectern {cmd}`: value `{value}` is not described"
            );
        }
    }
}

#[test]
fn the_repository_playbook_checks_clean_and_builds() {
    let root = support::manifest_dir();
    assert_check_clean(&root);

    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().to_string_lossy().into_owned();
    support::lectern_ok(["build", root.to_string_lossy().as_ref(), "--out", out_arg.as_str()]);
    let home = std::fs::read_to_string(out.path().join("index.html")).expect("the home page");
    let html = Html::parse_document(&home);
    let title = Selector::parse("title").expect("selector");
    assert!(html.select(&title).any(|t| t.text().collect::<String>().contains("lectern")));
    // Every image in doc-images/ is shown by some page of the guide.
    let mut sources = std::collections::HashSet::new();
    let img = Selector::parse("img").expect("selector");
    for page in walkdir::WalkDir::new(out.path()).into_iter().flatten().filter(|e| e.file_name() == "index.html") {
        let html = Html::parse_document(&std::fs::read_to_string(page.path()).expect("a built page"));
        sources.extend(html.select(&img).filter_map(|i| i.value().attr("src").map(String::from)));
    }
    for entry in std::fs::read_dir(support::manifest_dir().join("doc-images")).expect("doc-images") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(out.path().join(&name).is_file(), "doc-images/{name} is not in the built site");
        assert!(sources.contains(&format!("/{name}")), "doc-images/{name} is shown by no page: {sources:?}");
    }
    let readme = read("README.md");
    for shot in SCREENSHOTS {
        assert!(readme.contains(shot) && root.join(shot).is_file(), "README.md should show {shot}");
    }
}

#[test]
fn the_playbook_has_no_axe_violations() {
    if !support::require("chromium") {
        return;
    }
    let out = tempfile::tempdir().expect("temp dir");
    let root = support::manifest_dir();
    let args = [
        "build".as_ref(),
        root.as_os_str(),
        "--env".as_ref(),
        "production".as_ref(),
        "--out".as_ref(),
        out.path().as_os_str(),
    ];
    support::lectern_ok(args);
    let server = support::StaticServer::start(out.path());
    let pages: Vec<String> = AXE_PAGES.iter().map(|p| server.url_for(p)).collect();
    let mut job = serde_json::json!({ "pages": pages, "checks": ["axe"], "modes": support::browser::standard_modes() });
    if let Some(dir) = std::env::var_os("LECTERN_SCREENSHOTS") {
        let dir = std::path::absolute(&dir).expect("resolving LECTERN_SCREENSHOTS");
        job["screenshots"] = serde_json::json!({
            "url": server.url_for(AXE_PAGES[1]),
            "dir": dir,
            "name": "lectern",
            "modes": [{ "colorScheme": "light", "width": 1280 }, { "colorScheme": "dark", "width": 1280 }],
        });
    }
    let result = support::browser::run(job);
    for path in result["screenshots"].as_array().into_iter().flatten() {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "saved {}", path.as_str().unwrap_or_default());
    }
    support::browser::assert_ok(&result);
}

#[test]
fn lectern_new_writes_the_same_playbook_every_time_and_it_builds_clean() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        support::lectern_ok(["new".as_ref(), dir.as_os_str()]);
    }
    let (files_a, files_b) = (tree(&a), tree(&b));
    assert_eq!(files_a, files_b, "two runs of `lectern new` differ");
    for rel in
        ["lectern.yml", ".github/workflows/docs.yml", ".circleci/config.yml", "docs/doc-images/pages-to-site.png"]
    {
        assert!(files_a.contains_key(rel), "`lectern new` wrote no {rel}");
    }
    assert_eq!(files_a[".github/workflows/docs.yml"], read(RECIPES[0]).into_bytes());
    assert_eq!(files_a[".circleci/config.yml"], read(RECIPES[1]).into_bytes());

    let refused = support::lectern(["new".as_ref(), a.as_os_str()]);
    assert_eq!(refused.status.code(), Some(2), "`lectern new` into a non-empty folder must fail");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not empty"));

    assert_check_clean(&a);
    let out = a.join("build");
    support::lectern_ok(["build".as_ref(), a.as_os_str()]);
    assert_skeleton_site(&out);
}

/// Every file below `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("reading a folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("below dir").to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("reading a file"));
            }
        }
    }
    out
}

/// The skeleton's pages hold what `lectern new` promises: an image, a category, an admonition,
/// highlighted code and a speech section with its player.
fn assert_skeleton_site(out: &Path) {
    let page = |rel: &str| {
        let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"));
        Html::parse_document(&text)
    };
    let count = |html: &Html, css: &str| html.select(&Selector::parse(css).expect("selector")).count();
    let home = page("index.html");
    let img = Selector::parse("main img").expect("selector");
    let src = home.select(&img).next().and_then(|i| i.value().attr("src")).expect("an image on the home page");
    assert!(out.join(src.trim_start_matches('/')).is_file(), "the image {src} was not copied");
    let sidebar_text: String = home.select(&Selector::parse("nav").expect("selector")).flat_map(|n| n.text()).collect();
    assert!(sidebar_text.contains("Getting started"), "no `Getting started` category in the navigation");

    let writing = page("getting-started/writing-pages/index.html");
    assert_eq!(count(&writing, "aside.admonition"), 1);
    assert_eq!(count(&writing, "pre code"), 1);
    let listening = page("getting-started/listening/index.html");
    assert_eq!(count(&listening, "section.lectern-speech"), 1);
    assert_eq!(count(&listening, ".speech-player"), 1);
}

/// Each `lectern …` command in a shell script, as its words.
fn lectern_commands(script: &str) -> Vec<Vec<String>> {
    script
        .lines()
        .flat_map(|line| line.split("&&").flat_map(|p| p.split("||")).flat_map(|p| p.split(';')))
        .map(|cmd| cmd.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|words| words.first().is_some_and(|w| w == "lectern"))
        .collect()
}

fn strings(value: &yaml_serde::Value, out: &mut Vec<String>) {
    match value {
        yaml_serde::Value::String(s) => out.push(s.clone()),
        yaml_serde::Value::Sequence(items) => items.iter().for_each(|v| strings(v, out)),
        yaml_serde::Value::Mapping(map) => map.iter().for_each(|(k, v)| {
            strings(k, out);
            strings(v, out);
        }),
        yaml_serde::Value::Tagged(t) => strings(&t.value, out),
        _ => {}
    }
}

#[test]
fn ci_recipes_are_yaml_and_run_only_real_commands() {
    let commands = subcommands();
    let mut helps = BTreeMap::new();
    for recipe in RECIPES {
        let text = read(recipe);
        let yaml: yaml_serde::Value = yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{recipe}: {e}"));
        let mut texts = Vec::new();
        strings(&yaml, &mut texts);
        let runs: Vec<Vec<String>> = texts.iter().flat_map(|t| lectern_commands(t)).collect();
        let names: BTreeSet<&str> = runs.iter().map(|r| r.get(1).map_or("", String::as_str)).collect();
        assert!(names.contains("check") && names.contains("build"), "{recipe} runs {names:?}");
        for run in &runs {
            let sub = run.get(1).map_or("", String::as_str);
            assert!(commands.iter().any(|c| c == sub), "{recipe}: `{}`: no such subcommand", run.join(" "));
            let help = helps.entry(sub.to_string()).or_insert_with(|| parse_help(sub));
            for flag in run.iter().filter(|w| w.starts_with("--")) {
                assert!(help.flags.contains(flag), "{recipe}: `{}`: `lectern {sub}` has no {flag}", run.join(" "));
            }
        }
        assert!(runs.iter().any(|r| r[1] == "build" && r.iter().any(|w| w == "--env")), "{recipe}: no build --env");
    }
    let circle = read(RECIPES[1]);
    let yaml: yaml_serde::Value = yaml_serde::from_str(&circle).expect("valid YAML");
    let jobs = yaml["workflows"]["docs"]["jobs"].as_sequence().expect("workflow jobs");
    let approvals = jobs
        .iter()
        .filter_map(|j| j.as_mapping())
        .flat_map(|m| m.values())
        .filter(|v| v["type"].as_str() == Some("approval"))
        .count();
    assert_eq!(approvals, 2, "staging and production each need a manual approval");
    assert!(circle.contains("aws s3 sync build"), "the CircleCI recipe uploads with aws s3 sync");
    assert_s3_headers(RECIPES[1], &circle);
}

/// Every `put "GLOB" "CONTENT-TYPE" "$long|$short"` of an S3 upload step, with the values of
/// `long` and `short` substituted: glob → (content type, cache control).
fn s3_puts(script: &str) -> BTreeMap<String, (String, String)> {
    let var = |name: &str| {
        let prefix = format!("{name}=\"");
        let line =
            script.lines().map(str::trim).find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {name}="));
        line[prefix.len()..].trim_end_matches('"').to_string()
    };
    let (long, short) = (var("long"), var("short"));
    script
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("put \""))
        .map(|rest| {
            let parts: Vec<&str> = rest.split('"').collect();
            let cache = match parts[4] {
                "$long" => long.clone(),
                "$short" => short.clone(),
                literal => literal.to_string(),
            };
            (parts[0].to_string(), (parts[2].to_string(), cache))
        })
        .collect()
}

/// The S3 upload of a recipe gives audio and versioned assets a year, HTML five minutes, and
/// each its content type; then deletes what the site no longer has and refreshes CloudFront.
fn assert_s3_headers(recipe: &str, text: &str) {
    let puts = s3_puts(text);
    let year = "public, max-age=31536000, immutable";
    let short = "public, max-age=300, must-revalidate";
    for (glob, kind, cache) in [
        ("audio/*.mp3", "audio/mpeg", year),
        ("audio/*.vtt", "text/vtt; charset=utf-8", year),
        ("assets/*.css", "text/css; charset=utf-8", year),
        ("assets/*.js", "text/javascript; charset=utf-8", year),
        ("search/[dt]/*.json", "application/json", year),
        ("*.html", "text/html; charset=utf-8", short),
        ("*.txt", "text/plain; charset=utf-8", short),
    ] {
        assert_eq!(puts.get(glob), Some(&(kind.to_string(), cache.to_string())), "{recipe}: {glob}");
    }
    let html = text.find("put \"*.html\"").expect("HTML is uploaded");
    assert!(text.find("put \"audio/*.mp3\"").is_some_and(|audio| audio < html), "{recipe}: audio before pages");
    let delete = text.find("--delete").expect("deletes what the site no longer has");
    assert!(html < delete, "{recipe}: old files are deleted after the new pages are up");
    assert!(text.contains("aws cloudfront create-invalidation"), "{recipe}: CloudFront is refreshed");
}

/// The sharded recipes: N speech jobs that each run one `--shard`, handing their cache files
/// to one build job, which checks, builds and is the only one to deploy.
#[test]
fn sharded_ci_recipes_spread_speech_and_merge_before_the_build() {
    let circle_text = read(RECIPES[3]);
    let circle: yaml_serde::Value = yaml_serde::from_str(&circle_text).expect("valid YAML");
    let speech = &circle["jobs"]["speech"];
    assert!(speech["parallelism"].as_u64().is_some_and(|n| n > 1), "the speech job runs in parallel");
    let steps = |job: &yaml_serde::Value| -> Vec<String> {
        let mut texts = Vec::new();
        strings(&job["steps"], &mut texts);
        texts
    };
    let speech_steps = steps(speech);
    let runs: Vec<Vec<String>> = speech_steps.iter().flat_map(|t| lectern_commands(t)).collect();
    assert!(runs.iter().any(|r| r[1] == "speech" && r.iter().any(|w| w == "--shard")), "{runs:?}");
    assert!(
        speech_steps.iter().any(|t| t.contains("CIRCLE_NODE_INDEX + 1))/$CIRCLE_NODE_TOTAL")),
        "shard from the node"
    );
    assert!(speech_steps.iter().any(|t| t == "persist_to_workspace"));
    let build_steps = steps(&circle["jobs"]["build"]);
    assert!(build_steps.iter().any(|t| t == "attach_workspace"));
    let merge = build_steps.iter().position(|t| t.contains(".lectern-cache/speech/")).expect("a merge step");
    let build = build_steps.iter().position(|t| t.starts_with("lectern build")).expect("a build step");
    assert!(merge < build, "the shards are merged before the build");
    let jobs = circle["workflows"]["docs"]["jobs"].as_sequence().expect("workflow jobs");
    let requires = |name: &str| -> Vec<String> {
        let job = jobs.iter().find_map(|j| j.get(name)).unwrap_or_else(|| panic!("no {name} in the workflow"));
        job["requires"]
            .as_sequence()
            .map(|r| r.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    assert_eq!(requires("build"), ["speech"]);
    assert_eq!(requires("deploy"), ["build"]);
    assert_s3_headers(RECIPES[3], &circle_text);

    let gh: yaml_serde::Value = yaml_serde::from_str(&read(RECIPES[2])).expect("valid YAML");
    let shards = gh["jobs"]["speech"]["strategy"]["matrix"]["shard"].as_sequence().expect("a shard matrix");
    let count = gh["env"]["SHARDS"].as_u64().expect("SHARDS");
    let listed: Vec<u64> = shards.iter().filter_map(|s| s.as_u64()).collect();
    assert_eq!(listed, (1..=count).collect::<Vec<_>>(), "the matrix lists shards 1 to SHARDS");
    let speech_steps = steps(&gh["jobs"]["speech"]);
    assert!(
        speech_steps
            .iter()
            .any(|t| t.contains("lectern speech . --env production --shard \"${{ matrix.shard }}/$SHARDS\""))
    );
    assert!(speech_steps.iter().any(|t| t.starts_with("actions/upload-artifact@")));
    assert_eq!(gh["jobs"]["build"]["needs"].as_str(), Some("speech"));
    let build_steps = steps(&gh["jobs"]["build"]);
    let download = build_steps.iter().position(|t| t.starts_with("actions/download-artifact@")).expect("downloads");
    let merge = build_steps
        .iter()
        .position(|t| t.contains("cp -R /tmp/shards/cache/. .lectern-cache/speech/"))
        .expect("merges");
    let build = build_steps.iter().position(|t| t.starts_with("lectern build")).expect("builds");
    assert!(download < merge && merge < build, "downloaded, merged, then built");
    assert_eq!(gh["jobs"]["deploy"]["needs"].as_str(), Some("build"));
    assert!(steps(&gh["jobs"]["deploy"]).iter().any(|t| t.starts_with("actions/deploy-pages@")));
    assert_eq!(gh["jobs"]["deploy"]["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(gh["permissions"]["contents"].as_str(), Some("read"), "everything else only reads");
}
