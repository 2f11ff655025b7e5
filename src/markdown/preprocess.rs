//! MDX-lite, line by line, before CommonMark parsing (spec section 8).
//!
//! In: a page body (with its imported partials inlined first, see `partials`). Out: Markdown
//! that pulldown-cmark can parse, a table of markers and a map from its lines back to the
//! page's lines (and to the partial each came from). Removed here: top-level `import`/`export`
//! statements, `{/* comments */}`, lines that hold only an unknown component's tag. Filled in:
//! `{name}` of a constant the file exports (`mdx`); other `{expressions}` stay, reported.
//! Replaced by marker comments (each between blank lines, so CommonMark sees a block
//! boundary): `<TextToSpeech>`, `</TextToSpeech>`, `:::note Title`, `:::`, and the tags of the
//! components lectern renders (`<Tabs>`, `<TabItem>`, `<Details>`, `<Admonition>`, and
//! `<DocCardList />`, whose slot is filled once the sidebars exist; see `components`), whose
//! opening tag may span lines. A `<CodeBlock>` becomes the fenced block it stands for. Inside
//! a component, the indentation of its content is taken off (MDX has no indented code). Fenced
//! code is never touched. The structure of speech blocks and admonitions is checked here, so
//! the markers that come out are always balanced.

use super::admonition::AdmonitionKind;
use super::components::{self, Tab};
use super::partials::{self, Expanded, Origin, Source};
use super::{LinkResolver, mdx};
use crate::diagnostic::{Diagnostic, closest};
use std::path::Path;

/// Marker comments look like `<!--lectern:7-->`; 7 indexes [`Prepared::markers`].
pub(crate) const MARKER_PREFIX: &str = "<!--lectern:";

/// What a marker line stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Marker {
    SpeechOpen(usize),
    SpeechClose,
    AdmonitionOpen {
        kind: AdmonitionKind,
        title: Option<String>,
    },
    AdmonitionClose,
    /// The opening or closing HTML of a component (`components`).
    Html(String),
}

/// The body made ready for pulldown-cmark.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    pub text: String,
    /// For each line of `text`, the 1-based line of the body it came from.
    pub line_map: Vec<usize>,
    /// For each line of `text`, the partial's file it came from (an index into `partial_files`),
    /// when the page includes any.
    pub line_sources: Vec<usize>,
    /// The files of the page's sources: `None` for the page itself, then each partial's.
    pub partial_files: Vec<Option<std::path::PathBuf>>,
    pub markers: Vec<Marker>,
    pub speech_blocks: usize,
    /// Each use of a component lectern does not know, at its page body line.
    pub components: Vec<super::Component>,
    /// Body lines of the `<DocCardList />`s, whose cards are filled in once the sidebars exist.
    pub card_lists: Vec<usize>,
    /// The partials' files read.
    pub includes: Vec<std::path::PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

enum Open {
    Speech {
        line: usize,
    },
    Admonition {
        kind: AdmonitionKind,
        line: usize,
        column: usize,
    },
    /// A known component (`KNOWN`); `tabs` holds a `<Tabs>` block's tabs for its `<TabItem>`s.
    Component {
        name: &'static str,
        line: usize,
        column: usize,
        tabs: Vec<Tab>,
        /// A `<Tabs>` block's tab shown first.
        selected: String,
        /// The indentation of its first line of content, taken off every line inside it: MDX
        /// has no indented code, so JSX indented inside a component is not code.
        indent: Option<usize>,
    },
}

/// The components rendered here; others keep their children and are reported.
const KNOWN: [&str; 5] = ["Tabs", "TabItem", "Details", "Admonition", "DocCardList"];

/// The `items={…}` of a `<DocCardList>` that mean the current category's items, as written in
/// Docusaurus's docs (spaces aside).
const CURRENT_ITEMS: [&str; 2] = ["useCurrentSidebarCategory().items", "useCurrentSidebarSiblings()"];

pub(super) struct Fence {
    ch: char,
    len: usize,
}

struct Pass<'a> {
    out: Prepared,
    lines: Vec<&'a str>,
    /// Per line, where it comes from (empty: the page's own lines, in order).
    origins: &'a [Origin],
    /// The page (0) and the partials inlined into it.
    sources: &'a [Source],
    stack: Vec<Open>,
    /// Extra `<TextToSpeech>` opened inside another; their closing tags are swallowed.
    nested_speech: usize,
}

/// Runs the line pass over `body`, with the partials it includes inlined.
pub(crate) fn prepare(body: &str, path: &Path, line_offset: usize, resolver: &dyn LinkResolver) -> Prepared {
    let Expanded { text, origins, sources, includes, diagnostics } =
        partials::expand(body, path, line_offset, resolver);
    let text = text.as_deref().unwrap_or(body);
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let partial_files = sources.iter().map(|s| s.file.clone()).collect();
    let out = Prepared { includes, diagnostics, partial_files, ..Default::default() };
    let mut pass = Pass { out, lines, origins: &origins, sources: &sources, stack: Vec::new(), nested_speech: 0 };
    pass.run();
    pass.out
}

impl<'a> Pass<'a> {
    fn run(&mut self) {
        let mut fence: Option<Fence> = None;
        let mut in_comment = false; // inside a block `<!-- ... -->`
        let mut in_mdx_comment = false; // inside a `{/* ... */}` that spans lines
        let mut in_esm = false; // inside an import/export statement, which ends at a blank line
        let mut prev_blank = true;
        let mut joined_lines = 0; // lines already read as part of a multi-line tag
        for idx in 0..self.lines.len() {
            let number = idx + 1;
            if joined_lines > 0 {
                joined_lines -= 1;
                self.push("", number);
                continue;
            }
            let raw = self.dedent(self.lines[idx]);
            let trimmed = raw.trim_start();
            let indent = raw.len() - trimmed.len();
            let blank = trimmed.is_empty();
            if let Some(open) = &fence {
                if closes_fence(trimmed, open) {
                    fence = None;
                }
                self.push(raw, number);
            } else if in_comment {
                in_comment = !raw.contains("-->");
                self.push(raw, number);
            } else if in_esm {
                in_esm = !blank;
                self.push("", number);
            } else if let Some(open) = opens_fence(trimmed) {
                fence = Some(open);
                self.push(raw, number);
            } else if indent <= 3 && trimmed.starts_with("<!--") && !trimmed[4..].contains("-->") {
                in_comment = true;
                self.push(raw, number);
            } else if indent == 0 && prev_blank && is_esm(trimmed) {
                in_esm = true;
                self.push("", number);
            } else if let Some(extra) = self.code_block(idx, raw, indent, number) {
                joined_lines = extra;
            } else if let Some((tag, extra)) = self.multi_line_tag(idx, indent) {
                joined_lines = extra;
                if !self.directive(&tag, &tag, 0, number) {
                    // Not one lectern reads: keep the lines as they were, for CommonMark.
                    joined_lines = 0;
                    let cleaned = strip_mdx_comments(raw, &mut in_mdx_comment);
                    self.push(&cleaned, number);
                }
            } else if !self.directive(raw, trimmed, indent, number) {
                let cleaned = strip_mdx_comments(raw, &mut in_mdx_comment);
                let dedented_by = self.lines[idx].len() - raw.len();
                let line = self.expressions(&cleaned, indent, dedented_by, number);
                self.push(&line, number);
            }
            prev_blank = blank;
        }
        self.close_all();
    }

    /// `raw` without the indentation of the innermost component's content (see
    /// [`Open::Component`]), which the first line with text inside it sets.
    fn dedent<'l>(&mut self, raw: &'l str) -> &'l str {
        let lead = raw.len() - raw.trim_start_matches(' ').len();
        let blank = raw.trim().is_empty();
        let Some(Open::Component { indent, .. }) =
            self.stack.iter_mut().rev().find(|o| matches!(o, Open::Component { .. }))
        else {
            return raw;
        };
        let strip = match indent {
            Some(strip) => *strip,
            None if blank => return raw,
            None => *indent.insert(lead),
        };
        &raw[lead.min(strip)..]
    }

    /// The constants of the file line `number` comes from.
    fn consts(&self, number: usize) -> &'a std::collections::HashMap<String, String> {
        let source = self.origins.get(number.wrapping_sub(1)).map_or(0, |o| o.source);
        &self.sources[source].consts
    }

    /// A line of text with `{name}` of the file's constants filled in; other expressions stay as
    /// written, each with a warning (at its column in the file: `shift` spaces were taken off
    /// the line's start). Indented code is left alone.
    fn expressions<'l>(
        &mut self,
        line: &'l str,
        indent: usize,
        shift: usize,
        number: usize,
    ) -> std::borrow::Cow<'l, str> {
        if indent > 3 {
            return std::borrow::Cow::Borrowed(line);
        }
        let (text, unknown) = mdx::substitute(line, self.consts(number));
        for u in unknown {
            let d = self.warning(
                number,
                u.column + shift,
                format!("`{}` is not evaluated: it is shown as written", u.text),
            );
            d.help = Some(
                "lectern fills in `{name}` only for a constant this file exports (`export const name = '…';`); write the text itself"
                    .into(),
            );
        }
        text
    }

    /// A `<CodeBlock>` starting on line `number` (its code may span the lines after): written out
    /// as a fenced code block, so it is highlighted like one. The lines it took after the first.
    fn code_block(&mut self, idx: usize, raw: &str, indent: usize, number: usize) -> Option<usize> {
        let trimmed = raw.trim_start();
        let rest = trimmed.strip_prefix("<CodeBlock")?;
        if indent > 3 || !rest.starts_with([' ', '\t', '>', '/']) && !rest.is_empty() {
            return None;
        }
        let mut lines: Vec<&str> = vec![trimmed];
        lines.extend(self.lines.iter().skip(idx + 1).map(|l| self.dedent_peek(l)));
        let Some(block) = components::code_block(&lines, self.consts(number)) else {
            self.warning(number, indent + 1, "<CodeBlock> is never closed").help =
                Some("end it with `</CodeBlock>`; its code is shown as text until then".into());
            return None;
        };
        let lead = &raw[..indent];
        let info = components::code_block_info(&block.attrs);
        let longest = block.code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.push("", number);
        self.push(&format!("{lead}{fence}{info}"), number);
        for (k, line) in block.code.split('\n').enumerate() {
            self.push(&format!("{lead}{line}"), (number + k).min(number + block.extra_lines));
        }
        self.push(&format!("{lead}{fence}"), number + block.extra_lines);
        self.push("", number + block.extra_lines);
        // The caller keeps the other lines it took as blank lines.
        Some(block.extra_lines)
    }

    /// `line` without the current component's content indentation, without setting it.
    fn dedent_peek<'l>(&self, line: &'l str) -> &'l str {
        let strip = self.stack.iter().rev().find_map(|o| match o {
            Open::Component { indent, .. } => Some(indent.unwrap_or(0)),
            _ => None,
        });
        let lead = line.len() - line.trim_start_matches(' ').len();
        &line[lead.min(strip.unwrap_or(0))..]
    }

    fn push(&mut self, line: &str, number: usize) {
        self.out.text.push_str(line);
        self.out.text.push('\n');
        let page_line = self.page_line(number);
        self.out.line_map.push(page_line);
        if let Some(origin) = self.origins.get(number.wrapping_sub(1)) {
            self.out.line_sources.push(origin.source);
        }
    }

    /// The line of the page's body that line `number` of the text stands at.
    fn page_line(&self, number: usize) -> usize {
        self.origins.get(number.wrapping_sub(1)).map_or(number, |o| o.page_line)
    }

    /// The file line `number` of the text comes from, and that file's line.
    fn located(&self, number: usize) -> (&'a Path, usize) {
        let (source, line) = self.origins.get(number.wrapping_sub(1)).map_or((0, number), |o| (o.source, o.line));
        let s = &self.sources[source];
        (&s.display, line + s.line_offset)
    }

    /// A marker line, with blank lines around it so it is always a block of its own.
    fn push_marker(&mut self, marker: Marker, indent: &str, number: usize) {
        let id = self.out.markers.len();
        self.out.markers.push(marker);
        self.push("", number);
        let line = format!("{indent}{MARKER_PREFIX}{id}-->");
        self.push(&line, number);
        self.push("", number);
    }

    /// A known component's opening tag written over several lines (`<Tabs\n  values={[…]}>`),
    /// joined into one line, with the number of lines after the first that it took.
    fn multi_line_tag(&self, idx: usize, indent: usize) -> Option<(String, usize)> {
        let first = self.lines[idx].trim();
        let name = first.strip_prefix('<')?;
        if indent > 3
            || first.ends_with('>')
            || !KNOWN
                .iter()
                .any(|k| name.strip_prefix(k).is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace)))
        {
            return None;
        }
        let mut tag = first.to_string();
        for (extra, line) in self.lines.iter().enumerate().skip(idx + 1).take(40).map(|(i, l)| (i - idx, l.trim())) {
            if line.is_empty() {
                return None;
            }
            tag.push(' ');
            tag.push_str(line);
            let depth = tag.chars().fold(0i32, |d, c| match c {
                '{' => d + 1,
                '}' => d - 1,
                _ => d,
            });
            if depth == 0 && line.ends_with('>') {
                return Some((tag, extra));
            }
        }
        None
    }

    /// Handles a line that is a speech tag, an admonition fence or a lone component tag.
    fn directive(&mut self, raw: &str, trimmed: &str, indent: usize, number: usize) -> bool {
        let lead = &raw[..indent];
        let column = raw[..indent].chars().count() + 1;
        if let Some(colons) = trimmed.strip_prefix(":::") {
            let rest = colons.trim_start_matches(':');
            return self.admonition(rest.trim(), lead, number, column);
        }
        if indent > 3 {
            return false;
        }
        let Some(tag) = lone_tag(trimmed.trim_end()) else { return false };
        if tag.name == "TextToSpeech" {
            self.speech(&tag, lead, number, column);
        } else if let Some(name) = KNOWN.iter().find(|k| **k == tag.name) {
            self.component(name, &tag, lead, number, column);
        } else {
            let page_line = self.page_line(number);
            let name = tag.name.to_string();
            self.out.components.push(super::Component { name, line: page_line, column, dropped: tag.self_closing });
            self.push("", number);
        }
        true
    }

    /// `<Tabs>`, `<TabItem>`, `<Details>` or `<Admonition>`, opening or closing.
    fn component(&mut self, name: &'static str, tag: &LoneTag<'_>, lead: &str, number: usize, column: usize) {
        if tag.closing {
            let Some(at) = self.stack.iter().rposition(|o| matches!(o, Open::Component { name: n, .. } if *n == name))
            else {
                self.warning(number, column, format!("</{name}> closes no <{name}>"));
                self.push("", number);
                return;
            };
            while self.stack.len() > at + 1 {
                let open = self.stack.pop();
                self.close(open, number, true);
            }
            let open = self.stack.pop();
            self.close(open, number, false);
            return;
        }
        let attrs = components::attributes(tag.attrs);
        let marker = match name {
            "Tabs" => {
                let tabs = self.tab_items(number, &attrs);
                let selected = tabs
                    .iter()
                    .find(|(_, default)| *default)
                    .map(|(t, _)| t.value.clone())
                    .or_else(|| components::get(&attrs, "defaultValue").map(str::to_string))
                    .or_else(|| tabs.first().map(|(t, _)| t.value.clone()))
                    .unwrap_or_default();
                let group = components::get(&attrs, "groupId");
                let html = components::tabs_open(group, &selected);
                self.stack.push(Open::Component {
                    name,
                    line: number,
                    column,
                    tabs: tabs.into_iter().map(|(t, _)| t).collect(),
                    selected,
                    indent: None,
                });
                Marker::Html(html)
            }
            "TabItem" => {
                let value = components::get(&attrs, "value").unwrap_or_default().to_string();
                let (known, shown) = self
                    .stack
                    .iter()
                    .rev()
                    .find_map(|o| match o {
                        Open::Component { name: "Tabs", tabs, selected, .. } => {
                            Some((tabs.iter().find(|t| t.value == value).cloned(), *selected == value))
                        }
                        _ => None,
                    })
                    .unwrap_or((None, false));
                let label = components::get(&attrs, "label").map(str::to_string);
                let tab = Tab { label: label.or(known.map(|t| t.label)).unwrap_or_else(|| value.clone()), value };
                self.stack.push(Open::Component {
                    name,
                    line: number,
                    column,
                    tabs: Vec::new(),
                    selected: String::new(),
                    indent: None,
                });
                Marker::Html(components::panel_open(&tab, shown))
            }
            "Details" => {
                self.stack.push(Open::Component {
                    name,
                    line: number,
                    column,
                    tabs: Vec::new(),
                    selected: String::new(),
                    indent: None,
                });
                let summary = components::get(&attrs, "summary")
                    .map(|s| format!("<summary>{}</summary>\n", super::escape(s)))
                    .unwrap_or_default();
                Marker::Html(format!("<details class=\"details\">\n{summary}"))
            }
            "DocCardList" => {
                let items = attrs.iter().find(|(n, _)| n == "items").map(|(_, v)| v);
                if let Some(components::Value::Expr(expr)) = items {
                    let compact: String = expr.split_whitespace().collect();
                    if !CURRENT_ITEMS.contains(&compact.as_str()) {
                        self.warning(number, column, "<DocCardList items={…}> lists the current category's items: the expression is not evaluated").help =
                            Some("lectern reads `items={useCurrentSidebarCategory().items}` or no `items`; list other pages with links".into());
                    }
                }
                let page_line = self.page_line(number);
                self.out.card_lists.push(page_line);
                self.stack.push(Open::Component {
                    name,
                    line: number,
                    column,
                    tabs: Vec::new(),
                    selected: String::new(),
                    indent: None,
                });
                Marker::Html(format!("{}{}\n", super::CARDS_OPEN, super::CARDS_CLOSE))
            }
            _ => {
                let kind =
                    components::get(&attrs, "type").and_then(AdmonitionKind::from_name).unwrap_or(AdmonitionKind::Note);
                let title = components::get(&attrs, "title").map(str::to_string);
                self.stack.push(Open::Component {
                    name,
                    line: number,
                    column,
                    tabs: Vec::new(),
                    selected: String::new(),
                    indent: None,
                });
                Marker::AdmonitionOpen { kind, title }
            }
        };
        if tag.self_closing {
            let open = self.stack.pop();
            self.push_marker(marker, lead, number);
            self.close(open, number, false);
        } else {
            self.push_marker(marker, lead, number);
        }
    }

    /// The `<TabItem>`s of the `<Tabs>` opened on line `number` (not those of nested tabs), with
    /// whether each is marked `default`; labels missing from a tab come from `values={[…]}`.
    fn tab_items(&self, number: usize, attrs: &[(String, components::Value)]) -> Vec<(Tab, bool)> {
        let values = attrs
            .iter()
            .find_map(|(n, v)| match v {
                components::Value::Expr(e) if n == "values" => Some(components::tab_values(e)),
                _ => None,
            })
            .unwrap_or_default();
        let mut items = Vec::new();
        let mut depth = 1;
        let mut fence: Option<Fence> = None;
        for line in self.lines.iter().skip(number) {
            let trimmed = line.trim();
            if let Some(open) = &fence {
                if closes_fence(trimmed, open) {
                    fence = None;
                }
                continue;
            }
            if let Some(open) = opens_fence(trimmed) {
                fence = Some(open);
                continue;
            }
            let Some(tag) = lone_tag(trimmed) else { continue };
            match (tag.name, tag.closing) {
                ("Tabs", false) if !tag.self_closing => depth += 1,
                ("Tabs", true) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ("TabItem", false) if depth == 1 => {
                    let attrs = components::attributes(tag.attrs);
                    let value = components::get(&attrs, "value").unwrap_or_default().to_string();
                    let label = components::get(&attrs, "label")
                        .map(str::to_string)
                        .or_else(|| values.iter().find(|t| t.value == value).map(|t| t.label.clone()))
                        .unwrap_or_else(|| value.clone());
                    items.push((Tab { value, label }, components::flag(&attrs, "default")));
                }
                _ => {}
            }
        }
        if items.is_empty() {
            items = values.into_iter().map(|t| (t, false)).collect();
        }
        items
    }

    /// Writes the closing marker of `open`; `unclosed`: it is closed because an enclosing block
    /// ended first, which is reported.
    fn close(&mut self, open: Option<Open>, at: usize, unclosed: bool) {
        match open {
            Some(Open::Admonition { kind, line, column }) => self.unclosed_admonition(kind, line, column, at),
            Some(Open::Component { name, line, column, .. }) => {
                if unclosed {
                    self.warning(line, column, format!("<{name}> is never closed")).help =
                        Some(format!("add `</{name}>` on its own line where it ends"));
                }
                let marker = match name {
                    // Its slot was written whole with its opening tag.
                    "DocCardList" => return,
                    "Details" => Marker::Html("</details>\n".into()),
                    "Admonition" => Marker::AdmonitionClose,
                    _ => Marker::Html("</div>\n".into()),
                };
                self.push_marker(marker, "", at);
            }
            Some(Open::Speech { .. }) | None => {}
        }
    }

    fn speech(&mut self, tag: &LoneTag<'_>, lead: &str, number: usize, column: usize) {
        if tag.self_closing {
            self.push("", number);
        } else if !tag.closing {
            let inside = self.stack.iter().any(|o| matches!(o, Open::Speech { .. }));
            if inside {
                self.nested_speech += 1;
                self.error(number, column, "<TextToSpeech> inside another <TextToSpeech>").help =
                    Some("close the first block with `</TextToSpeech>` before opening the next".into());
                self.push("", number);
            } else {
                let n = self.out.speech_blocks;
                self.out.speech_blocks += 1;
                self.stack.push(Open::Speech { line: number });
                self.push_marker(Marker::SpeechOpen(n), lead, number);
            }
        } else if self.nested_speech > 0 {
            self.nested_speech -= 1;
            self.push("", number);
        } else if self.stack.iter().any(|o| matches!(o, Open::Speech { .. })) {
            while let Some(open) = self.stack.pop() {
                if matches!(open, Open::Speech { .. }) {
                    break;
                }
                self.close(Some(open), number, true);
            }
            self.push_marker(Marker::SpeechClose, lead, number);
        } else {
            self.error(number, column, "</TextToSpeech> without an opening <TextToSpeech>").help =
                Some("remove it, or add `<TextToSpeech>` on its own line where the spoken part starts".into());
            self.push("", number);
        }
    }

    /// `rest` is what follows the colons: `note[Title]`, `tip Title`, or nothing (a close).
    fn admonition(&mut self, rest: &str, lead: &str, number: usize, column: usize) -> bool {
        if rest.is_empty() {
            if matches!(self.stack.last(), Some(Open::Admonition { .. })) {
                self.stack.pop();
                self.push_marker(Marker::AdmonitionClose, lead, number);
                return true;
            }
            self.warning(number, column, "`:::` closes no admonition");
            return false;
        }
        let name_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        let Some(kind) = AdmonitionKind::from_name(name) else {
            let names = AdmonitionKind::NAMES;
            let diag = self.warning(number, column, format!("unknown admonition type `{name}`"));
            diag.help = Some(match closest(name, names.iter().copied()) {
                Some(near) => format!("did you mean `:::{near}`?"),
                None => format!("use one of {}", names.join(", ")),
            });
            return false;
        };
        let title = admonition_title(after);
        self.stack.push(Open::Admonition { kind, line: number, column });
        self.push_marker(Marker::AdmonitionOpen { kind, title }, lead, number);
        true
    }

    fn close_all(&mut self) {
        let end = self.lines.len();
        while let Some(open) = self.stack.pop() {
            match open {
                Open::Speech { line } => {
                    self.error(line, 1, "<TextToSpeech> is never closed").help =
                        Some("add `</TextToSpeech>` on its own line where the spoken part ends".into());
                    self.push_marker(Marker::SpeechClose, "", end);
                }
                other => self.close(Some(other), end, true),
            }
        }
    }

    fn unclosed_admonition(&mut self, kind: AdmonitionKind, line: usize, column: usize, at: usize) {
        let name = kind.name();
        self.warning(line, column, format!("`:::{name}` is never closed")).help =
            Some("add a line with only `:::` where the admonition ends".into());
        self.push_marker(Marker::AdmonitionClose, "", at);
    }

    fn error(&mut self, line: usize, column: usize, message: impl Into<String>) -> &mut Diagnostic {
        let (path, file_line) = self.located(line);
        let d = Diagnostic::error(path, file_line, column, message);
        self.record(d, line)
    }

    fn warning(&mut self, line: usize, column: usize, message: impl Into<String>) -> &mut Diagnostic {
        let (path, file_line) = self.located(line);
        let d = Diagnostic::warning(path, file_line, column, message);
        self.record(d, line)
    }

    fn record(&mut self, mut d: Diagnostic, body_line: usize) -> &mut Diagnostic {
        if let Some(src) = self.lines.get(body_line.wrapping_sub(1)) {
            d = d.with_source_line(src);
        }
        self.out.diagnostics.push(d);
        let last = self.out.diagnostics.len() - 1;
        &mut self.out.diagnostics[last]
    }
}

/// `[Title]` or ` Title` after the admonition name.
fn admonition_title(after: &str) -> Option<String> {
    let after = after.trim();
    let title = match after.strip_prefix('[') {
        Some(inner) => inner.rfind(']').map_or(inner, |end| &inner[..end]),
        None => after,
    };
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// A backtick or tilde fence opening, as CommonMark defines it.
pub(super) fn opens_fence(trimmed: &str) -> Option<Fence> {
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == ch).count();
    if len < 3 || (ch == '`' && trimmed[len..].contains('`')) {
        return None;
    }
    Some(Fence { ch, len })
}

pub(super) fn closes_fence(trimmed: &str, open: &Fence) -> bool {
    let len = trimmed.chars().take_while(|c| *c == open.ch).count();
    len >= open.len && trimmed[len * open.ch.len_utf8()..].trim().is_empty()
}

/// MDX treats these as ES module statements, not content.
pub(super) fn is_esm(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix("import") {
        return rest.starts_with([' ', '{', '*', '\'', '"'])
            && (rest.contains(" from ") || rest.trim_start().starts_with(['\'', '"', '{']));
    }
    if let Some(rest) = line.strip_prefix("export ") {
        let rest = rest.trim_start();
        return ["const ", "let ", "var ", "function ", "default ", "class ", "async ", "{", "*"]
            .iter()
            .any(|k| rest.starts_with(k));
    }
    false
}

pub(super) struct LoneTag<'a> {
    pub name: &'a str,
    /// What follows the name: the attributes, and `/` when self-closing.
    pub attrs: &'a str,
    pub closing: bool,
    pub self_closing: bool,
}

/// A line that is exactly one capitalised JSX tag: `<Tabs>`, `</Tabs>`, `<Tab value="a">`, `<Foo />`.
pub(super) fn lone_tag(line: &str) -> Option<LoneTag<'_>> {
    let inner = line.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(inner.len());
    let name = &inner[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let attrs = &inner[name_len..];
    if !(attrs.is_empty() || attrs.starts_with(char::is_whitespace) || attrs == "/") || attrs.contains(['<', '>']) {
        return None;
    }
    Some(LoneTag { name, attrs, closing, self_closing: attrs.trim_end().ends_with('/') })
}

/// Blanks `{/* ... */}` outside inline code, keeping the columns of what follows.
fn strip_mdx_comments(line: &str, in_comment: &mut bool) -> String {
    if !*in_comment && !line.contains("{/*") {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if *in_comment {
            if chars[i] == '*' && chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'}') {
                *in_comment = false;
                out.push_str("   ");
                i += 3;
            } else {
                out.push(' ');
                i += 1;
            }
        } else if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            let end = code_span_end(&chars, i + run, run).unwrap_or(i + run);
            out.extend(&chars[i..end]);
            i = end;
        } else if chars[i] == '{' && chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'*') {
            *in_comment = true;
            out.push_str("   ");
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    // Trailing spaces would turn the line break into a hard break.
    out.truncate(out.trim_end().len());
    out
}

/// Where the code span whose opening run of `run` backticks ends at `from` closes.
pub(super) fn code_span_end(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let len = chars[i..].iter().take_while(|c| **c == '`').count();
            if len == run {
                return Some(i + len);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;

    impl LinkResolver for NoLinks {
        fn resolve_link(&self, _: &str) -> Option<String> {
            None
        }
        fn resolve_image(&self, _: &str) -> Option<super::super::ResolvedImage> {
            None
        }
    }

    fn prep(body: &str) -> Prepared {
        prepare(body, Path::new("docs/a.md"), 0, &NoLinks)
    }

    #[test]
    fn esm_lines_are_recognised() {
        let cases = [
            ("import TextToSpeech from '../src/SpeechComponent.js';", true),
            ("import '../styles.css';", true),
            ("import {a, b} from 'x';", true),
            ("export const meta = 1;", true),
            ("export default function X() {}", true),
            ("important things", false),
            ("import the module first.", false),
            ("export your data to CSV", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_esm(line), want, "{line}");
        }
    }

    #[test]
    fn lone_tags() {
        let cases = [
            ("<Tabs>", Some(("Tabs", false, false))),
            ("</TabItem>", Some(("TabItem", true, false))),
            ("<TabItem value=\"a\" label=\"A\">", Some(("TabItem", false, false))),
            ("<Foo />", Some(("Foo", false, true))),
            ("<div>", None),
            ("<Entity> is a class", None),
            ("<Version>1.0.22</Version>", None),
        ];
        for (line, want) in cases {
            let got = lone_tag(line).map(|t| (t.name, t.closing, t.self_closing));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn comments_are_blanked_outside_code() {
        let mut state = false;
        assert_eq!(strip_mdx_comments("a {/* x */} b", &mut state), "a           b");
        assert_eq!(strip_mdx_comments("keep `{/* x */}` here", &mut state), "keep `{/* x */}` here");
        assert_eq!(strip_mdx_comments("text {/* start", &mut state), "text");
        assert!(state);
        assert_eq!(strip_mdx_comments("end */} tail", &mut state), "        tail");
        assert!(!state);
    }

    #[test]
    fn lines_map_back_and_code_is_left_alone() {
        let body =
            "import X from 'x';\n\n<TextToSpeech>\n## Hi\n```xml\n<PropertyGroup>\n:::note\n```\n</TextToSpeech>\n";
        let p = prep(body);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.speech_blocks, 1);
        assert_eq!(p.markers, vec![Marker::SpeechOpen(0), Marker::SpeechClose]);
        assert!(p.text.contains("<PropertyGroup>\n:::note\n"));
        assert!(!p.text.contains("import"));
        let hi = p.text.lines().position(|l| l == "## Hi").unwrap();
        assert_eq!(p.line_map[hi], 4);
        assert!(p.components.is_empty());
    }

    #[test]
    fn structure_problems_are_reported() {
        let cases: [(&str, &[&str]); 5] = [
            ("<TextToSpeech>\ntext\n", &["error: <TextToSpeech> is never closed"]),
            (
                "<TextToSpeech>\n<TextToSpeech>\nx\n</TextToSpeech>\n</TextToSpeech>\n",
                &["error: <TextToSpeech> inside another <TextToSpeech>"],
            ),
            ("</TextToSpeech>\n", &["error: </TextToSpeech> without an opening <TextToSpeech>"]),
            ("text\n:::tip\nx\n", &["warning: `:::tip` is never closed"]),
            ("::: nota\nx\n", &["warning: unknown admonition type `nota`"]),
        ];
        for (body, want) in cases {
            let p = prep(body);
            let got: Vec<String> = p
                .diagnostics
                .iter()
                .map(|d| format!("{}: {}", if d.is_error() { "error" } else { "warning" }, d.message))
                .collect();
            assert_eq!(got, want, "{body:?}");
        }
    }

    #[test]
    fn admonition_titles() {
        let cases = [
            (":::note", None),
            (":::note[My title]", Some("My title")),
            (":::tip Some **bold** title", Some("Some **bold** title")),
            ("::::warning[Outer]", Some("Outer")),
        ];
        for (line, want) in cases {
            let p = prep(&format!("{line}\nx\n:::\n"));
            match &p.markers[0] {
                Marker::AdmonitionOpen { title, .. } => assert_eq!(title.as_deref(), want, "{line}"),
                other => panic!("{line}: {other:?}"),
            }
        }
    }
}
