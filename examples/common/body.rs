//! One generated page's body as blocks, and those blocks as Markdown in two flavours:
//! Docusaurus-style for lectern (`<TextToSpeech>`, `:::tip` admonitions) and portable
//! CommonMark for Hugo and mdBook (no MDX tags, admonitions as blockquotes).

use super::code::{self, CodeSample};
use super::plan::Plan;
use super::rng::Rng;
use super::text::{paragraph, sentence};
use super::words::{ADMONITIONS, capitalise};

/// Salt for the body streams, so they differ from the planning streams of the same page.
const BODY_STREAM: u64 = 0x626f_6479;

/// A block of a page.
pub enum Block {
    Paragraph(String),
    Heading { level: usize, text: String },
    Code(CodeSample),
    Table(String),
    Admonition { kind: &'static str, title: Option<String>, text: String },
}

/// The blocks of page `page`: ~600 words, its planned headings, a code block, a table,
/// 2–4 internal links and sometimes an admonition.
pub fn blocks(plan: &Plan, page: usize) -> Vec<Block> {
    let mut rng = Rng::stream(plan.seed ^ BODY_STREAM, page as u64);
    let headings = &plan.pages[page].headings;
    let words = rng.between(520, 680);
    let per_section: Vec<usize> = (0..=headings.len()).map(|_| rng.between(1, 2)).collect();
    let paragraphs: usize = per_section.iter().sum();
    let mut text: Vec<String> = (0..paragraphs).map(|_| paragraph(&mut rng, words / paragraphs)).collect();
    for link in links(plan, page, &mut rng) {
        let i = rng.below(text.len());
        text[i] = format!("{} {link}", text[i]);
    }
    let code_after = rng.between(1, headings.len());
    let table_after = rng.between(1, headings.len());
    let admonition_after = rng.chance(50).then(|| rng.below(headings.len() + 1));
    let mut text = text.into_iter();
    let mut out = Vec::new();
    for (section, count) in per_section.iter().enumerate() {
        if section > 0 {
            let h = &headings[section - 1];
            out.push(Block::Heading { level: h.level, text: h.text.clone() });
        }
        out.extend(text.by_ref().take(*count).map(Block::Paragraph));
        if section == code_after {
            out.push(Block::Code(code::code_block(&mut rng)));
        }
        if section == table_after {
            out.push(Block::Table(code::table(&mut rng)));
        }
        if admonition_after == Some(section) {
            out.push(admonition(&mut rng));
        }
    }
    out
}

fn admonition(rng: &mut Rng) -> Block {
    let kind = rng.pick(ADMONITIONS);
    let title = rng.chance(30).then(|| format!("{} first", capitalise(super::words::NOUNS[rng.below(20)])));
    Block::Admonition { kind, title, text: format!("{} {}", sentence(rng), sentence(rng)) }
}

/// 2–4 link sentences: to a heading of this page, to other pages and to their headings.
fn links(plan: &Plan, page: usize, rng: &mut Rng) -> Vec<String> {
    let count = rng.between(2, 4);
    let headings = &plan.pages[page].headings;
    let mut out = Vec::with_capacity(count);
    for n in 0..count {
        let others = plan.pages.len() > 1;
        if n == 0 || !others {
            let h = &headings[rng.below(headings.len())];
            out.push(format!("The section [{}](#{}) covers this in more depth.", h.text, h.id));
            continue;
        }
        let target = link_target(plan, page, rng);
        let path = plan.relative_link(page, target);
        let to = &plan.pages[target];
        if rng.chance(50) {
            let h = &to.headings[rng.below(to.headings.len())];
            out.push(format!("This builds on [{}]({path}#{}) in {}.", h.text, h.id, to.title));
        } else {
            out.push(format!("See [{}]({path}) for the details.", to.title));
        }
    }
    out
}

/// Another page: often one of the same folder, otherwise anywhere in the site.
fn link_target(plan: &Plan, page: usize, rng: &mut Rng) -> usize {
    let siblings = &plan.folders[plan.pages[page].folder].pages;
    loop {
        let target = if rng.chance(40) { rng.pick(siblings) } else { rng.below(plan.pages.len()) };
        if target != page {
            return target;
        }
    }
}

/// Markdown for lectern/Docusaurus: MDX-lite, with the body in `<TextToSpeech>` when planned.
pub fn docusaurus(plan: &Plan, page: usize, blocks: &[Block]) -> String {
    let p = &plan.pages[page];
    let mut out = format!("---\nid: {}\ntitle: \"{}\"\nsidebar_position: {}\n---\n\n", p.id, p.title, p.position);
    if p.speech {
        out.push_str("import TextToSpeech from '@site/src/components/TextToSpeech';\n\n<TextToSpeech>\n\n");
    }
    for b in blocks {
        match b {
            Block::Admonition { kind, title, text } => {
                let title = title.as_ref().map(|t| format!(" {t}")).unwrap_or_default();
                out.push_str(&format!(":::{kind}{title}\n\n{text}\n\n:::\n\n"));
            }
            other => push_common(&mut out, other),
        }
    }
    if p.speech {
        out.push_str("</TextToSpeech>\n");
    }
    out
}

/// Portable Markdown for Hugo and mdBook: the same text, without MDX.
pub fn portable(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Admonition { kind, title, text } => {
                let title = title.clone().unwrap_or_else(|| capitalise(kind));
                out.push_str(&format!("> **{title}:** {text}\n\n"));
            }
            other => push_common(&mut out, other),
        }
    }
    out
}

/// The blocks both flavours write alike; admonitions differ, so each flavour writes its own.
fn push_common(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(text) => out.push_str(&format!("{text}\n\n")),
        Block::Heading { level, text } => out.push_str(&format!("{} {text}\n\n", "#".repeat(*level))),
        Block::Code(c) => out.push_str(&format!("```{}\n{}```\n\n", c.language, c.code)),
        Block::Table(t) => out.push_str(&format!("{t}\n")),
        Block::Admonition { .. } => {}
    }
}
