//! The event pass: pulldown-cmark events in, HTML and page facts out.
//!
//! In: the prepared Markdown (see `preprocess`). Out: the page's HTML and what the rest of
//! the pipeline needs from it: title, headings with final ids, description, every link
//! with its file position, components, unknown code languages, diagrams. Events are
//! rewritten into `Html` events where lectern's markup differs from pulldown-cmark's, then
//! written by `pulldown_cmark::html::push_html` in one go, so tables keep its handling;
//! footnotes are gathered at the page's end as Docusaurus places them (`footnote`).

use super::admonition::{AdmonitionKind, open_html};
use super::footnote::Footnotes;
use super::highlight::render_code;
use super::inline;
use super::preprocess::{MARKER_PREFIX, Marker, Prepared};
use super::slug::Slugger;
use super::{Heading, LinkKind, LinkRef, LinkResolver, escape, escape_url, rawhtml};
use crate::diagnostic::Diagnostic;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;
use std::path::Path;

/// The longest description, in characters.
const DESCRIPTION_MAX: usize = 300;

/// CommonMark plus the GFM extensions Docusaurus enables, and `{#custom-id}`.
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// What the event pass produces.
#[derive(Default)]
pub(crate) struct Page {
    pub html: String,
    pub title: Option<String>,
    /// The title heading stays where it was written (`html` holds it): content came first.
    pub title_in_place: bool,
    pub headings: Vec<Heading>,
    pub description: Option<String>,
    pub links: Vec<LinkRef>,
    pub components: Vec<super::Component>,
    pub unknown_languages: Vec<String>,
    pub diagrams: Vec<super::DiagramAt>,
    pub code_blocks: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Maps byte offsets of the prepared text to lines and columns of the file.
struct Positions<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    line_map: &'a [usize],
    line_offset: usize,
}

impl Positions<'_> {
    /// The index of the line of the prepared text `offset` is on.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|s| *s <= offset).saturating_sub(1)
    }

    /// 1-based file line and character column of `offset`.
    fn at(&self, offset: usize) -> (usize, usize) {
        let idx = self.line_starts.partition_point(|s| *s <= offset).saturating_sub(1);
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        let body_line = self.line_map.get(idx).copied().unwrap_or(idx + 1);
        (body_line + self.line_offset, column)
    }
}

struct HeadingBuf<'a> {
    level: HeadingLevel,
    custom_id: Option<String>,
    classes: Vec<String>,
    events: Vec<Event<'a>>,
    text: String,
    title: TitlePlace,
}

/// Whether a heading is the page's title, as Docusaurus's MDX loader finds it (the `contentTitle`
/// remark plugin of `@docusaurus/mdx-loader`): the first heading of the page, if it is an H1
/// and no thematic break came before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TitlePlace {
    /// Not the title.
    No,
    /// The first block: the theme shows it at the top of the page.
    Top,
    /// After other content: shown where it is, and the theme adds no title of its own.
    InPlace,
}

struct ImageBuf {
    url: String,
    file: Option<std::path::PathBuf>,
    title: String,
    alt: String,
    nested: usize,
    in_link: bool,
    /// Where the image starts in the file, for a warning about its alt text.
    line: usize,
    column: usize,
}

enum Description {
    Waiting,
    Collecting(String),
    Done,
}

struct Pass<'a, 'r> {
    prepared: &'a Prepared,
    path: &'r Path,
    resolver: &'r dyn LinkResolver,
    positions: Positions<'a>,
    out: Vec<Event<'a>>,
    page: Page,
    slugger: Slugger,
    heading: Option<HeadingBuf<'a>>,
    image: Option<ImageBuf>,
    /// The code block being read: its info string, its text so far, where it starts.
    code: Option<(Option<String>, String, usize)>,
    html_block: Option<(String, usize)>,
    link_depth: usize,
    footnote_depth: usize,
    /// The footnote definition being read: its label and events, emitted at the page's end.
    footnote: Option<(String, Vec<Event<'a>>)>,
    footnotes: Footnotes<'a>,
    seen_block: bool,
    /// A heading or a thematic break came: no later H1 is the title.
    past_title: bool,
    description: Description,
    /// Whether code blocks are highlighted.
    highlight: bool,
}

/// Runs the event pass over prepared Markdown.
pub(crate) fn transform(
    prepared: &Prepared,
    path: &Path,
    line_offset: usize,
    resolver: &dyn LinkResolver,
    highlight: bool,
) -> Page {
    let text = prepared.text.as_str();
    let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect::<Vec<usize>>();
    let positions = Positions { text, line_starts, line_map: &prepared.line_map, line_offset };
    let mut pass = Pass {
        prepared,
        path,
        resolver,
        positions,
        out: Vec::new(),
        page: Page::default(),
        slugger: Slugger::default(),
        heading: None,
        image: None,
        code: None,
        html_block: None,
        link_depth: 0,
        footnote_depth: 0,
        footnote: None,
        footnotes: Footnotes::default(),
        seen_block: false,
        past_title: false,
        description: Description::Waiting,
        highlight,
    };
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        pass.event(event, range);
    }
    let mut page = std::mem::take(&mut pass.page);
    let footnotes = pass.footnotes.section();
    pulldown_cmark::html::push_html(&mut page.html, pass.out.into_iter().chain(footnotes));
    page
}

impl<'a> Pass<'a, '_> {
    fn emit(&mut self, event: Event<'a>) {
        match (&mut self.heading, &mut self.footnote) {
            (Some(h), _) => h.events.push(event),
            (None, Some((_, f))) => f.push(event),
            (None, None) => self.out.push(event),
        }
    }

    fn emit_html(&mut self, html: String) {
        self.emit(Event::Html(CowStr::from(html)));
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.inside_leaf(&event) {
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.inline_rewrite(&t) => {}
            Event::Text(_) | Event::Code(_) => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    self.add_text(t);
                }
                self.emit(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.add_text(" ");
                self.emit(event);
            }
            Event::Html(t) | Event::InlineHtml(t) => self.inline_html(&t, range.start),
            Event::FootnoteReference(label) => {
                let html = self.footnotes.reference(&label);
                self.emit(Event::InlineHtml(CowStr::from(html)));
            }
            Event::Rule => {
                self.seen_block = true;
                self.past_title = true;
                self.emit(Event::Rule);
            }
            other => self.emit(other),
        }
    }

    /// Emoji shortcodes and bare URLs in prose ([`inline`]); true when `text` had some and was
    /// emitted rewritten.
    fn inline_rewrite(&mut self, text: &str) -> bool {
        let Some(pieces) = inline::rewrite(text, self.link_depth > 0) else { return false };
        for piece in pieces {
            match piece {
                inline::Piece::Text(t) => {
                    self.add_text(&t);
                    self.emit(Event::Text(CowStr::from(t.into_owned())));
                }
                inline::Piece::Url { text, href } => {
                    self.add_text(text);
                    let (dest_url, title, id) = (CowStr::from(href), CowStr::from(""), CowStr::from(""));
                    self.emit(Event::Start(Tag::Link { link_type: LinkType::Autolink, dest_url, title, id }));
                    self.emit(Event::Text(CowStr::from(text.to_string())));
                    self.emit(Event::End(TagEnd::Link));
                }
            }
        }
        true
    }

    /// Code blocks, HTML blocks and image alt text collect their content; true when the
    /// event went there.
    fn inside_leaf(&mut self, event: &Event<'a>) -> bool {
        if let Some((_, code, _)) = &mut self.code {
            if let Event::Text(t) = event {
                code.push_str(t);
                return true;
            }
            return !matches!(event, Event::End(TagEnd::CodeBlock));
        }
        if let Some(image) = &mut self.image {
            match event {
                Event::Text(t) | Event::Code(t) => image.alt.push_str(t),
                Event::Start(Tag::Image { .. }) => image.nested += 1,
                Event::End(TagEnd::Image) if image.nested == 0 => return false,
                Event::End(TagEnd::Image) => image.nested -= 1,
                _ => {}
            }
            return true;
        }
        false
    }

    /// Heading text and the first paragraph's text (the description).
    fn add_text(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        } else if let Description::Collecting(d) = &mut self.description {
            d.push_str(text);
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, id, classes, .. } => {
                let title = match (level, self.seen_block, self.past_title) {
                    (HeadingLevel::H1, false, _) => TitlePlace::Top,
                    (HeadingLevel::H1, true, false) => TitlePlace::InPlace,
                    _ => TitlePlace::No,
                };
                self.seen_block = true;
                self.past_title = true;
                self.heading = Some(HeadingBuf {
                    level,
                    custom_id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    events: Vec::new(),
                    text: String::new(),
                    title,
                });
            }
            Tag::Image { dest_url, title, .. } => self.start_image(&dest_url, &title, range.start),
            Tag::Link { link_type, dest_url, title, id } => {
                let dest_url = self.link(link_type, dest_url, range.start);
                self.link_depth += 1;
                self.emit(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Tag::CodeBlock(kind) => {
                self.seen_block = true;
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info.to_string()),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((info, String::new(), range.start));
            }
            Tag::HtmlBlock => self.html_block = Some((String::new(), range.start)),
            Tag::BlockQuote(Some(kind)) => {
                self.seen_block = true;
                self.emit_html(open_html(AdmonitionKind::from_alert(kind), None));
            }
            Tag::Table(_) => {
                self.seen_block = true;
                self.emit_html("<div class=\"table-wrap\">".to_string());
                self.emit(Event::Start(tag));
            }
            Tag::Paragraph => {
                self.seen_block = true;
                if matches!(self.description, Description::Waiting) && self.footnote_depth == 0 {
                    self.description = Description::Collecting(String::new());
                }
                self.emit(Event::Start(tag));
            }
            Tag::FootnoteDefinition(label) => {
                self.seen_block = true;
                self.footnote_depth += 1;
                self.footnote = Some((label.to_string(), Vec::new()));
            }
            other => {
                self.seen_block = true;
                self.emit(Event::Start(other));
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::Image => self.end_image(),
            TagEnd::Link => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.emit(Event::End(tag));
            }
            TagEnd::CodeBlock => {
                if let Some((info, code, start)) = self.code.take() {
                    if super::diagram::is_diagram(info.as_deref()) {
                        let (line, column) = self.positions.at(start);
                        self.page.diagrams.push(super::DiagramAt { line, column });
                        self.emit_html(super::diagram::figure_html(&code));
                        return;
                    }
                    let rendered = render_code(info.as_deref(), &code, self.highlight);
                    self.page.code_blocks += 1;
                    if let Some(lang) = rendered.unknown_language
                        && !self.page.unknown_languages.contains(&lang)
                    {
                        self.page.unknown_languages.push(lang);
                    }
                    self.emit_html(rendered.html);
                }
            }
            TagEnd::HtmlBlock => self.end_html_block(),
            TagEnd::BlockQuote(Some(_)) => self.emit_html("</aside>\n".to_string()),
            TagEnd::Table => {
                self.emit(Event::End(tag));
                self.emit_html("</div>\n".to_string());
            }
            TagEnd::Paragraph => {
                if let Description::Collecting(text) = &self.description {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !text.is_empty() {
                        self.page.description = Some(truncate_words(&text, DESCRIPTION_MAX));
                        self.description = Description::Done;
                    } else {
                        self.description = Description::Waiting;
                    }
                }
                self.emit(Event::End(tag));
            }
            TagEnd::FootnoteDefinition => {
                self.footnote_depth = self.footnote_depth.saturating_sub(1);
                if let Some((label, events)) = self.footnote.take() {
                    self.footnotes.define(&label, events);
                }
            }
            other => self.emit(Event::End(other)),
        }
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        let id = match &h.custom_id {
            Some(id) => {
                self.slugger.claim(id);
                id.clone()
            }
            None => self.slugger.slug(&text),
        };
        let mut inner = String::new();
        match h.title {
            TitlePlace::Top => {
                self.page.title = Some(text);
                return;
            }
            TitlePlace::InPlace => {
                // As Docusaurus's content title: a plain `<h1>`, without an anchor.
                pulldown_cmark::html::push_html(&mut inner, h.events.into_iter());
                self.emit_html(format!("<h1>{inner}</h1>\n"));
                self.page.title = Some(text);
                self.page.title_in_place = true;
                return;
            }
            TitlePlace::No => {}
        }
        pulldown_cmark::html::push_html(&mut inner, h.events.into_iter());
        let level = h.level as u8;
        let class =
            if h.classes.is_empty() { String::new() } else { format!(" class=\"{}\"", escape(&h.classes.join(" "))) };
        let (id_attr, label) = (escape(&id), escape(&text));
        self.emit_html(format!(
            "<h{level} id=\"{id_attr}\"{class}>{inner}<a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Direct link to {label}\">#</a></h{level}>\n"
        ));
        self.page.headings.push(Heading { level, id, text, html: inner });
    }

    /// A destination written in a partial in another folder, made relative to the page.
    fn rebased<'d>(&self, dest: CowStr<'d>, offset: usize) -> CowStr<'d> {
        let source = self.prepared.line_sources.get(self.positions.line_index(offset)).copied().unwrap_or(0);
        match self.prepared.partial_files.get(source).and_then(Option::as_ref) {
            Some(file) => self.resolver.rebase_link(file, &dest).map_or(dest, CowStr::from),
            None => dest,
        }
    }

    /// Records a link, and returns the destination to emit.
    fn link(&mut self, link_type: LinkType, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let dest = if link_type == LinkType::Email { dest } else { self.rebased(dest, offset) };
        let (line, column) = self.positions.at(offset);
        if link_type == LinkType::Email {
            // pulldown-cmark writes the `mailto:` itself; the checker wants to see it.
            self.page.links.push(LinkRef { kind: LinkKind::Link, dest: format!("mailto:{dest}"), line, column });
            return dest;
        }
        self.page.links.push(LinkRef { kind: LinkKind::Link, dest: dest.to_string(), line, column });
        match self.resolver.resolve_link(&dest) {
            Some(resolved) => CowStr::from(resolved),
            None => dest,
        }
    }

    fn start_image(&mut self, src: &str, title: &str, offset: usize) {
        let src = self.rebased(CowStr::from(src.to_string()), offset);
        let src = src.as_ref();
        let (line, column) = self.positions.at(offset);
        self.page.links.push(LinkRef { kind: LinkKind::Image, dest: src.to_string(), line, column });
        let (url, file) = match self.resolver.resolve_image(src) {
            Some(resolved) => (resolved.url, resolved.file),
            None => (src.to_string(), None),
        };
        let in_link = self.link_depth > 0;
        self.image = Some(ImageBuf {
            url,
            file,
            title: title.to_string(),
            alt: String::new(),
            nested: 0,
            in_link,
            line,
            column,
        });
    }

    fn end_image(&mut self) {
        let Some(image) = self.image.take() else { return };
        if !image.alt.trim().is_empty() && crate::speech::is_placeholder_alt(&image.alt) {
            let d = Diagnostic::warning(
                self.path,
                image.line,
                image.column,
                format!("image alt text '{}' does not describe the image", image.alt.trim()),
            )
            .with_help("screen readers and the speech player skip it: say what the image shows, or write `![](…)` if it is decoration");
            self.page.diagnostics.push(d);
        }
        let url = escape_url(&image.url);
        let mut html = format!("<img src=\"{url}\" alt=\"{}\"", escape(&image.alt));
        if !image.title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", escape(&image.title)));
        }
        html.push_str(" loading=\"lazy\" decoding=\"async\"");
        if let Some(size) = image.file.as_deref().and_then(|f| imagesize::size(f).ok()) {
            html.push_str(&format!(" width=\"{}\" height=\"{}\"", size.width, size.height));
        }
        html.push('>');
        if !image.in_link {
            // A click on a lone image opens it full size.
            html = format!("<a class=\"image-link\" href=\"{url}\">{html}</a>");
        }
        self.emit(Event::InlineHtml(CowStr::from(html)));
    }

    /// Inline HTML, or one line of an HTML block: its URLs are recorded here, with positions.
    fn inline_html(&mut self, html: &str, offset: usize) {
        for found in rawhtml::urls(html) {
            let (line, column) = self.positions.at(offset + found.offset);
            let kind = if found.image { LinkKind::Image } else { LinkKind::Link };
            self.page.links.push(LinkRef { kind, dest: found.url, line, column });
        }
        if let Some((block, _)) = &mut self.html_block {
            block.push_str(html);
            return;
        }
        let cleaned = self.clean(html, offset);
        if !cleaned.is_empty() {
            self.emit(Event::InlineHtml(CowStr::from(cleaned)));
        }
    }

    /// Drops comments and component tags, noting the components.
    fn clean(&mut self, html: &str, offset: usize) -> String {
        let cleaned = rawhtml::clean(html);
        let (line, column) = self.positions.at(offset);
        for (name, self_closing) in cleaned.components {
            if name == "TextToSpeech" {
                let d = Diagnostic::warning(
                    self.path,
                    line,
                    column,
                    "<TextToSpeech> is ignored unless it is alone on its line",
                )
                .with_help("put `<TextToSpeech>` and `</TextToSpeech>` each on a line of their own");
                self.page.diagnostics.push(d);
            } else {
                self.page.components.push(super::Component { name, line, column, dropped: self_closing });
            }
        }
        cleaned.html
    }

    fn end_html_block(&mut self) {
        let Some((block, offset)) = self.html_block.take() else { return };
        if let Some(marker) = self.marker(&block) {
            let html = self.marker_html(marker);
            self.emit_html(html);
            return;
        }
        let cleaned = self.clean(&block, offset);
        if !cleaned.trim().is_empty() {
            self.seen_block = true;
            self.emit_html(cleaned);
        }
    }

    fn marker(&self, block: &str) -> Option<&'a Marker> {
        let id = block.trim().strip_prefix(MARKER_PREFIX)?.strip_suffix("-->")?;
        self.prepared.markers.get(id.parse::<usize>().ok()?)
    }

    fn marker_html(&self, marker: &Marker) -> String {
        match marker {
            Marker::SpeechOpen(n) => format!("<section class=\"lectern-speech\" data-speech-block=\"{n}\">\n"),
            Marker::SpeechClose => "</section>\n".to_string(),
            Marker::AdmonitionOpen { kind, title } => match title {
                Some(title) => {
                    let (html, text) = inline_markdown(title);
                    open_html(*kind, Some((&html, &text)))
                }
                None => open_html(*kind, None),
            },
            Marker::AdmonitionClose => "</aside>\n".to_string(),
            Marker::Html(html) => html.clone(),
        }
    }
}

/// An admonition title rendered as inline HTML, and its plain text.
fn inline_markdown(markdown: &str) -> (String, String) {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, parser_options())
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph | Tag::Heading { .. }) | Event::End(TagEnd::Paragraph | TagEnd::Heading(_))
            )
        })
        .collect();
    let text: String = events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html.trim_end().to_string(), text)
}

/// At most `max` characters, cut at a word boundary, with an ellipsis when cut.
fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(' ').filter(|i| *i > 0).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_cut_at_words() {
        assert_eq!(truncate_words("short", 300), "short");
        let long = "word ".repeat(100);
        let got = truncate_words(long.trim(), 300);
        assert!(got.chars().count() <= 301);
        assert!(got.ends_with("word…"));
    }

    #[test]
    fn inline_titles() {
        assert_eq!(inline_markdown("Use **this**"), ("Use <strong>this</strong>".to_string(), "Use this".to_string()));
    }
}
