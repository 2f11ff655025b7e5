//! MDX partials: `import Shared from './_shared.mdx'` then `<Shared />` puts the partial's
//! Markdown in place, as Docusaurus does (`@docusaurus/mdx-loader` compiles the partial as a
//! component of its own and the page renders it there).
//!
//! In: a page body, its path, and the [`LinkResolver`] that says where an import path lies.
//! Out: the body with every used partial inlined (its front matter dropped, its own imports
//! followed relative to itself), a map from each line back to the file and line it came from,
//! each file's exported constants, the files read (so `serve` rebuilds the page when one
//! changes), and the mistakes: an import of a file that is not there (an error at the import's
//! path) and partials that include each other in a loop (an error at the tag that closes the
//! loop, naming the chain). A partial's lines are read as if written at its tag; the tag line
//! is where positions in the page point for them (links, images). Reads the partials' files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::mdx::{self, Import};
use super::preprocess::{closes_fence, lone_tag, opens_fence};
use super::{ImportedFile, LinkResolver};
use crate::diagnostic::Diagnostic;

/// How deep partials may nest before lectern stops following them.
const MAX_DEPTH: usize = 32;

/// A file whose lines are part of the page: the page itself (index 0) or a partial.
#[derive(Debug, Clone, Default)]
pub(crate) struct Source {
    /// The path to print for it.
    pub display: PathBuf,
    /// Lines of the file before its body (front matter).
    pub line_offset: usize,
    /// The file on disk, for a partial.
    pub file: Option<PathBuf>,
    /// Its exported constants.
    pub consts: HashMap<String, String>,
}

/// Where a line of the expanded text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Origin {
    /// Index into [`Expanded::sources`].
    pub source: usize,
    /// 1-based line of that source's body.
    pub line: usize,
    /// 1-based line of the page's body it stands at (the tag that included it, for a partial).
    pub page_line: usize,
}

/// A page body with its partials inlined.
#[derive(Debug, Default)]
pub(crate) struct Expanded {
    /// The text, when a partial was inlined (else the body is used as it is).
    pub text: Option<String>,
    /// Per line of `text`; empty when `text` is `None`.
    pub origins: Vec<Origin>,
    pub sources: Vec<Source>,
    /// The partials' files on disk, each once.
    pub includes: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Inlines the partials `body` uses.
pub(crate) fn expand(body: &str, path: &Path, line_offset: usize, resolver: &dyn LinkResolver) -> Expanded {
    let mut expander = Expander {
        resolver,
        out: Expanded {
            sources: vec![Source { display: path.to_path_buf(), line_offset, file: None, consts: HashMap::new() }],
            ..Default::default()
        },
        text: String::new(),
        inlined: false,
        cache: HashMap::new(),
    };
    expander.file(0, body, None, &mut Vec::new(), None);
    let mut out = expander.out;
    if expander.inlined {
        out.text = Some(expander.text);
    } else {
        out.origins.clear();
    }
    out
}

struct Expander<'r> {
    resolver: &'r dyn LinkResolver,
    out: Expanded,
    text: String,
    inlined: bool,
    /// Partials read so far, by file: their body and front matter lines, or why not.
    cache: HashMap<PathBuf, Result<(String, usize), String>>,
}

/// A partial the file imports: where it is, and the import that names it.
struct Binding {
    file: Option<ImportedFile>,
    import: Import,
}

impl Expander<'_> {
    /// Appends `body` (of source `source`, read from `importer` on disk unless it is the page),
    /// inlining what it includes. `chain`: the partials being inlined, outermost first.
    fn file(
        &mut self,
        source: usize,
        body: &str,
        importer: Option<&Path>,
        chain: &mut Vec<(PathBuf, PathBuf)>,
        page_line: Option<usize>,
    ) {
        let lines: Vec<&str> = body.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        let esm = mdx::scan(&lines);
        let mut bindings: HashMap<String, Binding> = HashMap::new();
        for import in esm.partials() {
            let file = self.resolver.import_file(importer, &import.source);
            let found = file.as_ref().is_some_and(|f| f.file.is_file());
            if !found {
                let shown = file.as_ref().map(|f| crate::diagnostic::display_path(&f.display));
                let message = match shown {
                    Some(shown) => format!("the partial `{}` is not there (looked for `{shown}`)", import.source),
                    None => format!("cannot follow the import of `{}`", import.source),
                };
                let help =
                    "write the path relative to this file (`./_shared.mdx`) or to the site (`@site/docs/_shared.mdx`)";
                let d = self.error(source, &lines, import.line, import.column, message).with_help(help);
                self.out.diagnostics.push(d);
            }
            bindings.insert(import.name.clone(), Binding { file: file.filter(|_| found), import: import.clone() });
        }
        self.out.sources[source].consts = esm.consts;
        if source == 0 && bindings.is_empty() {
            // Nothing to inline: the page is read as it is.
            return;
        }
        let mut fence = None;
        for (idx, raw) in lines.iter().enumerate() {
            let number = idx + 1;
            let origin = Origin { source, line: number, page_line: page_line.unwrap_or(number) };
            let trimmed = raw.trim();
            if let Some(open) = &fence {
                if closes_fence(trimmed, open) {
                    fence = None;
                }
            } else if let Some(open) = opens_fence(trimmed) {
                fence = Some(open);
            } else if let Some(tag) = lone_tag(trimmed).filter(|t| bindings.contains_key(t.name)) {
                // `<Shared />`, or `<Shared>` … `</Shared>` (its children are props, unread).
                if !tag.closing {
                    let binding = &bindings[tag.name];
                    let column = raw.len() - raw.trim_start().len() + 1;
                    self.include(binding, source, &lines, number, column, origin.page_line, chain);
                }
                continue;
            }
            self.line(raw, origin);
        }
    }

    fn line(&mut self, text: &str, origin: Origin) {
        self.text.push_str(text);
        self.text.push('\n');
        self.out.origins.push(origin);
    }

    /// Inlines the partial of `binding` at line `number` of source `from`.
    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        binding: &Binding,
        from: usize,
        lines: &[&str],
        number: usize,
        column: usize,
        page_line: usize,
        chain: &mut Vec<(PathBuf, PathBuf)>,
    ) {
        let here = Origin { source: from, line: number, page_line };
        let Some(file) = &binding.file else {
            self.line("", here);
            return;
        };
        if chain.iter().any(|(f, _)| *f == file.file) || chain.len() >= MAX_DEPTH {
            let mut names: Vec<String> = std::iter::once(&self.out.sources[0].display)
                .chain(chain.iter().map(|(_, display)| display))
                .map(|p| crate::diagnostic::display_path(p))
                .collect();
            names.push(crate::diagnostic::display_path(&file.display));
            let message = format!(
                "<{} /> includes `{}` inside itself",
                binding.import.name,
                names.last().cloned().unwrap_or_default()
            );
            let d = self
                .error(from, lines, number, column, message)
                .with_help(format!("partials include each other in a loop: {}", names.join(" → ")));
            self.out.diagnostics.push(d);
            self.line("", here);
            return;
        }
        let read = self.cache.entry(file.file.clone()).or_insert_with(|| read_partial(file)).clone();
        let (body, front_lines) = match read {
            Ok(read) => read,
            Err(why) => {
                let d = self.error(from, lines, number, column, why);
                self.out.diagnostics.push(d);
                self.line("", here);
                return;
            }
        };
        if !self.out.includes.contains(&file.file) {
            self.out.includes.push(file.file.clone());
        }
        self.inlined = true;
        let index = self.out.sources.len();
        self.out.sources.push(Source {
            display: file.display.clone(),
            line_offset: front_lines,
            file: Some(file.file.clone()),
            consts: HashMap::new(),
        });
        // Blank lines around it: the partial's blocks are blocks of their own, and its imports
        // start after a blank line, as ESM must.
        self.line("", here);
        chain.push((file.file.clone(), file.display.clone()));
        self.file(index, &body, Some(&file.file), chain, Some(page_line));
        chain.pop();
        self.line("", here);
    }

    /// An error at line `number` (1-based, of the body) of source `source`.
    fn error(&self, source: usize, lines: &[&str], number: usize, column: usize, message: String) -> Diagnostic {
        let s = &self.out.sources[source];
        let d = Diagnostic::error(&s.display, number + s.line_offset, column, message);
        match lines.get(number.wrapping_sub(1)) {
            Some(text) => d.with_source_line(text),
            None => d,
        }
    }
}

/// A partial's body without its front matter, and the number of lines the front matter took.
fn read_partial(file: &ImportedFile) -> Result<(String, usize), String> {
    let shown = crate::diagnostic::display_path(&file.display);
    let text = std::fs::read_to_string(&file.file).map_err(|e| format!("cannot read the partial `{shown}`: {e}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = crate::content::frontmatter::split(text, &file.display)
        .map_err(|d| format!("cannot read the partial `{shown}`: {}", d.message))?;
    Ok((split.body.to_string(), split.body_line_offset))
}
