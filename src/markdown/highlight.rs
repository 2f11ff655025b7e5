//! Code blocks: syntax highlighting with syntect and bat's syntaxes (two-face), emitting CSS
//! classes, plus the Docusaurus metastring (`title="..."`, `{1,3-5}`).
//!
//! In: a fence's info string and its code. Out: the block's HTML, and the language when no
//! syntax knows it. [`highlight_css`] gives the matching stylesheet.
//!
//! Each token is styled by both themes (light and dark) at build time and gets at most one
//! short class per theme for its colour (`hl-3`, `hl-d5`: the colour's number in that theme's
//! palette) and one per font style (`hl-i`, `hl-db`, ...), rather than one class per scope
//! atom: the markup is about a fifth of the size, which the output, the highlight cache and the
//! build's memory all feel.

use super::escape;
use std::sync::OnceLock;
use syntect::highlighting::{Color, FontStyle, HighlightState, Highlighter, RangedHighlightIterator, Style, Theme};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

/// A theme and its palette: every foreground colour it can give a token, sorted.
struct Palette {
    theme: Theme,
    /// The colour of text no rule styles.
    default: Color,
    colours: Vec<Color>,
    /// `""` for the light theme's classes, `"d"` for the dark one's.
    prefix: &'static str,
}

impl Palette {
    fn new(theme: Theme, prefix: &'static str) -> Palette {
        let default = theme.settings.foreground.unwrap_or(Color::BLACK);
        let mut colours: Vec<Color> = theme.scopes.iter().filter_map(|item| item.style.foreground).collect();
        colours.push(default);
        colours.sort_by_key(|c| (c.r, c.g, c.b, c.a));
        colours.dedup();
        Palette { theme, default, colours, prefix }
    }

    /// The classes of a token with `style`, each followed by a space.
    fn classes(&self, style: Style, out: &mut String) {
        use std::fmt::Write as _;
        if style.foreground != self.default
            && let Ok(n) = self.colours.binary_search_by_key(&key(style.foreground), |c| key(*c))
        {
            let _ = write!(out, "hl-{}{n} ", self.prefix);
        }
        for (flag, letter) in [(FontStyle::BOLD, 'b'), (FontStyle::ITALIC, 'i'), (FontStyle::UNDERLINE, 'u')] {
            if style.font_style.contains(flag) {
                let _ = write!(out, "hl-{}{letter} ", self.prefix);
            }
        }
    }

    /// The theme's rules: the default colour on `.hl-code`, one rule per palette colour and
    /// font style. The dark theme's rules first undo the light one's on every token.
    fn css(&self) -> String {
        let hex = |c: &Color| format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
        let mut css = format!(".hl-code {{\n color: {};\n}}\n", hex(&self.default));
        let within = if self.prefix.is_empty() {
            ""
        } else {
            css.push_str(".hl-code span {\n color: inherit;\n font-weight: normal;\n font-style: normal;\n text-decoration: none;\n}\n");
            ".hl-code "
        };
        for (n, c) in self.colours.iter().enumerate() {
            css.push_str(&format!("{within}.hl-{}{n} {{\n color: {};\n}}\n", self.prefix, hex(c)));
        }
        for (letter, rule) in
            [('b', "font-weight: bold"), ('i', "font-style: italic"), ('u', "text-decoration: underline")]
        {
            css.push_str(&format!("{within}.hl-{}{letter} {{\n {rule};\n}}\n", self.prefix));
        }
        css
    }
}

fn key(c: Color) -> (u8, u8, u8, u8) {
    (c.r, c.g, c.b, c.a)
}

/// The light and the dark theme, loaded once.
fn palettes() -> &'static [Palette; 2] {
    static PALETTES: OnceLock<[Palette; 2]> = OnceLock::new();
    PALETTES.get_or_init(|| {
        let themes = two_face::theme::extra();
        let get = |name: EmbeddedThemeName| themes.get(name).clone();
        [Palette::new(get(EmbeddedThemeName::Github), ""), Palette::new(get(EmbeddedThemeName::OneHalfDark), "d")]
    })
}

/// Loaded once per process: building the set takes tens of milliseconds.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// A fenced block's info string, split Docusaurus-style.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct CodeInfo {
    /// The language as written, lowercased.
    pub lang: Option<String>,
    pub title: Option<String>,
    /// 1-based inclusive line ranges to highlight.
    pub highlight: Vec<(usize, usize)>,
    /// `showLineNumbers` (or `showLineNumbers=N`): the number of the first line.
    pub line_numbers: Option<usize>,
}

/// Parses ``` `csharp title="Startup.cs" {1,3-5}` ```.
pub(crate) fn parse_info(info: &str) -> CodeInfo {
    let mut parsed = CodeInfo::default();
    let mut rest = info.trim();
    let lang_end = rest.find(|c: char| c.is_whitespace() || c == '{').unwrap_or(rest.len());
    if !rest[..lang_end].contains('=') {
        let lang = rest[..lang_end].to_lowercase();
        parsed.lang = (!lang.is_empty()).then_some(lang);
        rest = &rest[lang_end..];
    }
    while let Some(c) = rest.trim_start().chars().next() {
        rest = rest.trim_start();
        if c == '{' {
            let end = rest.find('}').unwrap_or(rest.len());
            parsed.highlight.extend(parse_ranges(&rest[1..end]));
            rest = rest.get(end + 1..).unwrap_or("");
        } else if let Some(value) = rest.strip_prefix("title=") {
            let (title, after) = quoted(value);
            parsed.title = Some(title.to_string());
            rest = after;
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..end];
            // As Docusaurus's `getMetaLineNumbersStart`: a number that does not parse is 1.
            if let Some(start) = word.strip_prefix("showLineNumbers") {
                parsed.line_numbers = match start.strip_prefix('=') {
                    Some(n) => Some(n.parse().unwrap_or(1)),
                    None => Some(1),
                };
            }
            rest = &rest[end..];
        }
    }
    parsed
}

/// A value in `"..."`, `'...'` or up to the next space, and what follows it.
fn quoted(value: &str) -> (&str, &str) {
    if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &value[1..];
        return match inner.find(q) {
            Some(end) => (&inner[..end], &inner[end + 1..]),
            None => (inner, ""),
        };
    }
    let end = value.find(char::is_whitespace).unwrap_or(value.len());
    (&value[..end], &value[end..])
}

/// `1,3-5` → `[(1,1), (3,5)]`; anything unreadable is skipped.
fn parse_ranges(spec: &str) -> Vec<(usize, usize)> {
    spec.split(',')
        .filter_map(|part| {
            let part = part.trim();
            match part.split_once('-') {
                Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
                None => part.parse().ok().map(|n| (n, n)),
            }
        })
        .collect()
}

/// The name used in classes and `data-lang`, and the token that finds its syntax.
fn canonical(lang: &str) -> (&str, &str) {
    match lang {
        "c#" | "cs" | "csharp" => ("csharp", "cs"),
        "yml" | "yaml" => ("yaml", "yaml"),
        "shell" | "sh" | "bash" | "zsh" | "console" | "shellsession" => ("bash", "bash"),
        "ts" | "typescript" => ("typescript", "ts"),
        "tsx" => ("tsx", "tsx"),
        "js" | "javascript" | "mjs" | "cjs" => ("javascript", "js"),
        "jsx" => ("jsx", "jsx"),
        "hcl" | "terraform" | "tf" => ("hcl", "tf"),
        "powershell" | "ps1" | "ps" | "pwsh" => ("powershell", "ps1"),
        "py" | "python" => ("python", "py"),
        "rs" | "rust" => ("rust", "rs"),
        "md" | "markdown" | "mdx" => ("markdown", "md"),
        "xml" | "csproj" | "xaml" => ("xml", "xml"),
        "dockerfile" | "docker" => ("dockerfile", "Dockerfile"),
        "golang" | "go" => ("go", "go"),
        "rb" | "ruby" => ("ruby", "rb"),
        "kt" | "kotlin" => ("kotlin", "kt"),
        "jsonc" | "json5" => ("json", "json"),
        other => (other, other),
    }
}

/// Languages that mean "no highlighting" on purpose, so they are not reported as unknown.
fn is_plain(lang: &str) -> bool {
    matches!(lang, "text" | "txt" | "plain" | "plaintext" | "none" | "output" | "log")
}

/// The syntax for a lowercased language name.
fn find_syntax(token: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    set.find_syntax_by_token(token).or_else(|| set.find_syntax_by_extension(token))
}

/// A rendered code block and, when its language has no syntax, that language.
pub(crate) struct CodeHtml {
    pub html: String,
    pub unknown_language: Option<String>,
}

/// Renders a code block; `info` is `None` for indented code.
/// Time spent highlighting since the process started, summed over threads (for benchmarks).
static HIGHLIGHT_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Total time spent in code highlighting so far, summed over all threads.
pub fn highlight_time() -> std::time::Duration {
    std::time::Duration::from_nanos(HIGHLIGHT_NANOS.load(std::sync::atomic::Ordering::Relaxed))
}

pub(crate) fn render_code(info: Option<&str>, code: &str, highlight: bool) -> CodeHtml {
    if !highlight {
        return render_code_timed(info, code, false);
    }
    let key = super::memo::key(info, code);
    if let Some(html) = super::memo::get(&key) {
        // Only blocks in a known language are cached, so a hit has nothing to report.
        return CodeHtml { html, unknown_language: None };
    }
    let started = std::time::Instant::now();
    let out = render_code_timed(info, code, true);
    if out.unknown_language.is_none() {
        super::memo::put(key, &out.html);
    }
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    HIGHLIGHT_NANOS.fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    out
}

fn render_code_timed(info: Option<&str>, code: &str, highlight: bool) -> CodeHtml {
    let mut info = info.map(parse_info).unwrap_or_default();
    // Magic comments only when no line ranges are given, as in Docusaurus.
    let stripped = if info.highlight.is_empty() { super::magic::strip(info.lang.as_deref(), code) } else { None };
    let code = match &stripped {
        Some((code, lines)) => {
            info.highlight = lines.iter().map(|&l| (l, l)).collect();
            code.as_str()
        }
        None => code,
    };
    let mut unknown_language = None;
    let (name, syntax) = match info.lang.as_deref() {
        None => (None, None),
        Some(lang) => {
            let (name, token) = canonical(lang);
            let syntax = if is_plain(lang) { None } else { find_syntax(token) };
            if syntax.is_none() && !is_plain(lang) {
                unknown_language = Some(lang.to_string());
            }
            (Some(name), syntax)
        }
    };
    let body = syntax
        .filter(|_| highlight)
        .and_then(|s| highlighted_lines(s, code, &info.highlight))
        .unwrap_or_else(|| plain_lines(code, &info.highlight));
    let mut html = String::with_capacity(body.len() + 200);
    html.push_str("<div class=\"code-block\"");
    if let Some(name) = name {
        html.push_str(&format!(" data-lang=\"{}\"", escape(name)));
    }
    html.push('>');
    if let Some(title) = &info.title {
        html.push_str(&format!("<div class=\"code-title\">{}</div>", escape(title)));
    }
    match info.line_numbers {
        // The numbers are CSS counters: not text, so never copied, read out or searched.
        Some(first) => html.push_str(&format!(
            "<pre class=\"code hl-code line-numbers\" tabindex=\"0\" style=\"counter-reset: code-line {}\"><code",
            first.saturating_sub(1)
        )),
        None => html.push_str("<pre class=\"code hl-code\" tabindex=\"0\"><code"),
    }
    if let Some(name) = name {
        html.push_str(&format!(" class=\"language-{}\"", escape(name)));
    }
    html.push('>');
    html.push_str(&body);
    html.push_str("</code></pre></div>\n");
    CodeHtml { html, unknown_language }
}

fn line_open(number: usize, highlight: &[(usize, usize)]) -> &'static str {
    if highlight.iter().any(|(a, b)| (*a..=*b).contains(&number)) {
        "<span class=\"code-line highlighted\">"
    } else {
        "<span class=\"code-line\">"
    }
}

fn plain_lines(code: &str, highlight: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(code.len() + 64);
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        out.push_str(line_open(i + 1, highlight));
        out.push_str(&escape(line));
        out.push_str("</span>");
    }
    out
}

/// Each line is wrapped in its own `code-line` span holding flat token spans, so nothing stays
/// open across lines. `None` if syntect fails.
fn highlighted_lines(syntax: &SyntaxReference, code: &str, highlight: &[(usize, usize)]) -> Option<String> {
    let set = syntaxes();
    let [light, dark] = palettes();
    let highlighters = [Highlighter::new(&light.theme), Highlighter::new(&dark.theme)];
    let mut states = highlighters.each_ref().map(|h| HighlightState::new(h, ScopeStack::new()));
    let mut state = ParseState::new(syntax);
    let mut out = String::with_capacity(code.len() * 2);
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        out.push_str(line_open(i + 1, highlight));
        let ops = state.parse_line(line, set).ok()?;
        let [light_styles, dark_styles] = [0, 1].map(|t| {
            RangedHighlightIterator::new(&mut states[t], &ops, line, &highlighters[t])
                .map(|(style, _, range)| (style, range.end))
                .collect::<Vec<_>>()
        });
        // Cut the line where either theme's style changes; runs of one class list are merged.
        let (mut a, mut b, mut from) = (0, 0, 0);
        let mut run = (String::new(), String::new());
        let mut classes = String::new();
        while a < light_styles.len() && b < dark_styles.len() {
            let (l, d) = (light_styles[a], dark_styles[b]);
            let to = l.1.min(d.1);
            classes.clear();
            light.classes(l.0, &mut classes);
            dark.classes(d.0, &mut classes);
            if classes != run.0 {
                flush(&mut out, &run);
                std::mem::swap(&mut run.0, &mut classes);
                run.1.clear();
            }
            run.1.push_str(&escape(&line[from..to]));
            from = to;
            a += usize::from(l.1 == to);
            b += usize::from(d.1 == to);
        }
        flush(&mut out, &run);
        out.push_str("</span>");
    }
    Some(out)
}

/// Writes a run of text with its classes (plain text when it has none).
fn flush(out: &mut String, (classes, text): &(String, String)) {
    if text.is_empty() {
        return;
    }
    match classes.trim_end() {
        "" => out.push_str(text),
        classes => {
            out.push_str("<span class=\"");
            out.push_str(classes);
            out.push_str("\">");
            out.push_str(text);
            out.push_str("</span>");
        }
    }
}

/// Stylesheet for the `hl-` classes: a light theme, and a dark one applied under
/// `[data-theme="dark"]` or, when no theme is chosen, under a dark system preference.
pub fn highlight_css() -> String {
    let [light, dark] = palettes();
    let (light, dark) = (light.css(), dark.css());
    // The theme's own code background is used; token colours are adjusted until they pass
    // WCAG AA (4.5:1) on it, with a margin for highlighted lines.
    let light = readable(&light, LIGHT_CODE_BG);
    let dark = readable(&dark, DARK_CODE_BG);
    let mut css = String::from("/* Code highlighting (generated by lectern from syntect themes). */\n");
    css.push_str(&light);
    css.push_str("\n/* Dark theme, chosen explicitly. */\n");
    css.push_str(&scope_css(&dark, "[data-theme=\"dark\"]"));
    css.push_str("\n/* Dark theme, from the system preference. */\n@media (prefers-color-scheme: dark) {\n");
    css.push_str(&scope_css(&dark, ":root:not([data-theme=\"light\"])"));
    css.push_str("}\n");
    css
}

/// The code background of the default theme (`--code-bg` in theme/lectern.css).
const LIGHT_CODE_BG: (u8, u8, u8) = (0xf6, 0xf8, 0xfa);
const DARK_CODE_BG: (u8, u8, u8) = (0x1e, 0x21, 0x27);
/// Contrast every token colour must reach: AA's 4.5 plus room for the highlighted-line tint.
const MIN_CONTRAST: f64 = 5.0;

/// Drops syntect's backgrounds and moves each `color: #rrggbb[aa]` towards black (on a light
/// background) or white (on a dark one) until it reaches [`MIN_CONTRAST`] against `bg`.
fn readable(css: &str, bg: (u8, u8, u8)) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("background-color:") {
            continue;
        }
        match trimmed.strip_prefix("color: #").and_then(|rest| parse_hex(rest.trim_end_matches(';'))) {
            Some(fg) => {
                let (r, g, b) = adjust(fg, bg);
                out.push_str(&format!(" color: #{r:02x}{g:02x}{b:02x};\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok());
    (hex.len() == 6 || hex.len() == 8).then_some(())?;
    Some((byte(0)?, byte(2)?, byte(4)?))
}

fn adjust(fg: (u8, u8, u8), bg: (u8, u8, u8)) -> (u8, u8, u8) {
    let target = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mix = |c: u8, t: f64| (f64::from(c) + (target - f64::from(c)) * t).round().clamp(0.0, 255.0) as u8;
    let mut step = 0.0;
    loop {
        let c = (mix(fg.0, step), mix(fg.1, step), mix(fg.2, step));
        if contrast(c, bg) >= MIN_CONTRAST || step >= 1.0 {
            return c;
        }
        step += 0.05;
    }
}

/// WCAG relative luminance.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Prefixes every selector of a flat stylesheet (no at-rules, as syntect writes it).
fn scope_css(css: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let (comments, selectors) = split_comments(&rest[..open]);
        if !comments.trim().is_empty() {
            out.push_str(comments.trim());
            out.push('\n');
        }
        let scoped: Vec<String> =
            selectors.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| format!("{prefix} {s}")).collect();
        out.push_str(&scoped.join(", "));
        out.push(' ');
        out.push_str(&rest[open..=close]);
        out.push('\n');
        rest = &rest[close + 1..];
    }
    out
}

/// Comments before a rule's selectors stay unprefixed.
fn split_comments(head: &str) -> (&str, &str) {
    match head.rfind("*/") {
        Some(end) => (&head[..end + 2], &head[end + 2..]),
        None => ("", head),
    }
}

#[cfg(test)]
mod contrast_tests {
    use super::*;

    #[test]
    fn every_token_colour_is_readable_on_both_backgrounds() {
        let css = highlight_css();
        assert!(!css.contains("background-color"));
        let mut dark = false;
        let mut checked = 0;
        for line in css.lines() {
            if line.contains("Dark theme") {
                dark = true;
            }
            if let Some(fg) = line.trim().strip_prefix("color: #").and_then(|h| parse_hex(h.trim_end_matches(';'))) {
                let bg = if dark { DARK_CODE_BG } else { LIGHT_CODE_BG };
                assert!(contrast(fg, bg) >= 4.5, "{line} on {bg:?}");
                checked += 1;
            }
        }
        // The default colour and every palette colour of each theme; the dark theme twice (chosen,
        // and from the system preference).
        let [light, dark] = palettes();
        assert_eq!(checked, light.colours.len() + 1 + 2 * (dark.colours.len() + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        let cases = [
            ("c#", Some("c#"), None, vec![]),
            ("bash title=\"Terminal\" {14}", Some("bash"), Some("Terminal"), vec![(14, 14)]),
            (
                "shell title=\"Folder Structure\" {6,12,16}",
                Some("shell"),
                Some("Folder Structure"),
                vec![(6, 6), (12, 12), (16, 16)],
            ),
            ("js{1,3-5}", Some("js"), None, vec![(1, 1), (3, 5)]),
            ("JSON", Some("json"), None, vec![]),
            ("title='x y' {x,2}", None, Some("x y"), vec![(2, 2)]),
            ("yaml title=\"unterminated", Some("yaml"), Some("unterminated"), vec![]),
        ];
        for (info, lang, title, hl) in cases {
            let got = parse_info(info);
            assert_eq!(got.lang.as_deref(), lang, "{info}");
            assert_eq!(got.title.as_deref(), title, "{info}");
            assert_eq!(got.highlight, hl, "{info}");
        }
    }

    #[test]
    fn aliases_find_a_syntax() {
        let cases = [
            ("c#", "csharp"),
            ("csharp", "csharp"),
            ("cs", "csharp"),
            ("yml", "yaml"),
            ("yaml", "yaml"),
            ("shell", "bash"),
            ("sh", "bash"),
            ("zsh", "bash"),
            ("bash", "bash"),
            ("ts", "typescript"),
            ("tsx", "tsx"),
            ("hcl", "hcl"),
            ("terraform", "hcl"),
            ("tf", "hcl"),
            ("powershell", "powershell"),
            ("ps1", "powershell"),
            ("ps", "powershell"),
            ("json", "json"),
            ("sql", "sql"),
            ("http", "http"),
            ("python", "python"),
            ("xml", "xml"),
            ("dockerfile", "dockerfile"),
        ];
        for (lang, name) in cases {
            let (canon, token) = canonical(lang);
            assert_eq!(canon, name, "{lang}");
            assert!(find_syntax(token).is_some(), "no syntax for {lang}");
        }
    }

    #[test]
    fn unknown_and_plain_languages() {
        let got = render_code(Some("dotnet"), "dotnet pack <X>\n", true);
        assert_eq!(got.unknown_language.as_deref(), Some("dotnet"));
        assert!(got.html.contains("dotnet pack &lt;X&gt;"));
        assert!(render_code(Some("text"), "x\n", true).unknown_language.is_none());
        assert!(render_code(None, "x\n", true).unknown_language.is_none());
    }

    #[test]
    fn multi_line_scopes_are_closed_per_line() {
        let got = render_code(Some("csharp"), "/* a\n b */\nint x;\n", true).html;
        let opens = got.matches("<span").count();
        let closes = got.matches("</span>").count();
        assert_eq!(opens, closes);
        assert_eq!(got.matches("class=\"code-line\"").count(), 3);
    }

    #[test]
    fn tokens_get_one_colour_class_per_theme_from_its_palette() {
        let html = render_code(Some("csharp"), "public class A { } // note\n", true).html;
        let doc = scraper::Html::parse_fragment(&html);
        let spans = scraper::Selector::parse("span.code-line span").unwrap();
        let class_of = |text: &str| {
            doc.select(&spans)
                .find(|s| s.text().collect::<String>().contains(text))
                .and_then(|s| s.value().attr("class").map(str::to_string))
                .unwrap_or_else(|| panic!("no span for {text}: {html}"))
        };
        let [light, dark] = palettes();
        for token in ["public", "// note"] {
            let classes = class_of(token);
            let light_n: Vec<usize> = classes.split(' ').filter_map(|c| c.strip_prefix("hl-")?.parse().ok()).collect();
            let dark_n: Vec<usize> = classes.split(' ').filter_map(|c| c.strip_prefix("hl-d")?.parse().ok()).collect();
            assert_eq!((light_n.len(), dark_n.len()), (1, 1), "{token}: {classes}");
            assert_ne!(light.colours[light_n[0]], light.default, "{token}");
            assert_ne!(dark.colours[dark_n[0]], dark.default, "{token}");
        }
        assert_ne!(class_of("public"), class_of("// note"), "keywords and comments differ");
        assert!(!html.contains("hl-source"), "no scope classes: {html}");
    }

    #[test]
    fn css_has_both_themes() {
        let css = highlight_css();
        assert!(css.contains(".hl-code"));
        assert!(css.contains("[data-theme=\"dark\"] .hl-"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains(":root:not([data-theme=\"light\"]) .hl-"));
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }
}
