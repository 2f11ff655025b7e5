//! Plausible handbook English from the embedded word lists: labels, titles, headings,
//! sentences and paragraphs. Every function draws only from the [`Rng`] it is given.

use super::plan::Heading;
use super::rng::Rng;
use super::words::{
    ACTORS, ADJECTIVES, ADVERBS, JUDGEMENTS, NOUNS, PREPOSITIONS, VERBS, article, capitalise, plural, slug,
    third_person, title_case,
};

fn noun(rng: &mut Rng) -> &'static str {
    rng.pick(NOUNS)
}

fn verb(rng: &mut Rng) -> &'static str {
    rng.pick(VERBS)
}

fn adjective(rng: &mut Rng) -> &'static str {
    rng.pick(ADJECTIVES)
}

/// A folder's label: one or two words (page titles have three or more, so a page is never
/// named like its folder, which would make it the folder's index page).
pub fn folder_label(rng: &mut Rng) -> String {
    let text = match rng.below(3) {
        0 => plural(noun(rng)),
        1 => format!("{} {}", adjective(rng), plural(noun(rng))),
        _ => format!("{} {}", noun(rng), plural(noun(rng))),
    };
    title_case(&text)
}

/// A page title of three to five words.
pub fn page_title(rng: &mut Rng) -> String {
    let text = match rng.below(6) {
        0 => format!("{} {} {}", adjective(rng), noun(rng), plural(noun(rng))),
        1 => format!("working with {} {}", adjective(rng), plural(noun(rng))),
        2 => format!("{} the {} {}", verb(rng), noun(rng), noun(rng)),
        3 => format!("{} and the {}", plural(noun(rng)), plural(noun(rng))),
        4 => format!("{} {} guide", adjective(rng), noun(rng)),
        _ => format!("how to {} {}", verb(rng), plural(noun(rng))),
    };
    title_case(&text)
}

/// One heading's text; some carry punctuation that the slug drops.
fn heading_text(rng: &mut Rng, step: usize) -> String {
    let text = match rng.below(10) {
        0 => format!("{} the {}", verb(rng), noun(rng)),
        1 => format!("{} {}", adjective(rng), plural(noun(rng))),
        2 => format!("how {} work", plural(noun(rng))),
        3 => format!("why {} {} matter?", noun(rng), plural(noun(rng))),
        4 => format!("{} & {}", plural(noun(rng)), plural(noun(rng))),
        5 => format!("step {step}: {} the {}", verb(rng), noun(rng)),
        6 => format!("{} {} (optional)", noun(rng), plural(noun(rng))),
        7 => format!("common {} mistakes", noun(rng)),
        8 => {
            let n = noun(rng);
            format!("when to {} {} {n}", verb(rng), article(n))
        }
        _ => format!("{}, {} and {}", plural(noun(rng)), plural(noun(rng)), plural(noun(rng))),
    };
    capitalise(&text)
}

/// 3–6 headings: an `##` first, then `##` or `###` (a `###` only below an `##`); ids unique.
pub fn headings(rng: &mut Rng) -> Vec<Heading> {
    let count = rng.between(3, 6);
    let mut out: Vec<Heading> = Vec::with_capacity(count);
    while out.len() < count {
        let level = if out.is_empty() || rng.chance(60) { 2 } else { 3 };
        let text = heading_text(rng, out.len() + 1);
        let id = slug(&text);
        // Reserved-looking or repeated ids would get a `-1` suffix from the slugger; redraw.
        if !out.iter().any(|h| h.id == id) {
            out.push(Heading { level, text, id });
        }
    }
    out
}

/// A noun phrase for an object: `the cache`, `a shared token`, `the nightly builds`.
fn noun_phrase(rng: &mut Rng) -> String {
    if rng.chance(30) {
        let adj = rng.chance(40).then(|| adjective(rng));
        let n = plural(noun(rng));
        return adj.map_or(format!("the {n}"), |a| format!("the {a} {n}"));
    }
    subject(rng)
}

/// A singular noun phrase, so that a third-person verb agrees with it: `each shared token`.
fn subject(rng: &mut Rng) -> String {
    let adj = rng.chance(40).then(|| adjective(rng));
    let n = noun(rng);
    let words = adj.map_or(n.to_string(), |a| format!("{a} {n}"));
    match rng.below(3) {
        0 => format!("{} {words}", article(&words)),
        1 => format!("each {words}"),
        _ => format!("the {words}"),
    }
}

/// One sentence, ending with a full stop.
pub fn sentence(rng: &mut Rng) -> String {
    let text = match rng.below(10) {
        0 => format!("{} {} {}", subject(rng), third_person(verb(rng)), noun_phrase(rng)),
        1 => format!("{} should {} {} {}", rng.pick(ACTORS), verb(rng), noun_phrase(rng), rng.pick(ADVERBS)),
        2 => format!(
            "when {} {} {}, {} {} {}",
            subject(rng),
            third_person(verb(rng)),
            noun_phrase(rng),
            subject(rng),
            third_person(verb(rng)),
            noun_phrase(rng)
        ),
        3 => format!(
            "to {} {}, {} {} {} {}",
            verb(rng),
            noun_phrase(rng),
            verb(rng),
            noun_phrase(rng),
            rng.pick(PREPOSITIONS),
            noun_phrase(rng)
        ),
        4 => format!("it is {} to {} {} {}", rng.pick(JUDGEMENTS), verb(rng), noun_phrase(rng), rng.pick(ADVERBS)),
        5 => format!(
            "{} usually {} {} {} {}, which {} {}",
            rng.pick(ACTORS),
            verb(rng),
            noun_phrase(rng),
            rng.pick(PREPOSITIONS),
            noun_phrase(rng),
            third_person(verb(rng)),
            noun_phrase(rng)
        ),
        6 => format!(
            "this {} {} how {} {} {}",
            noun(rng),
            third_person(verb(rng)),
            subject(rng),
            third_person(verb(rng)),
            noun_phrase(rng)
        ),
        7 => format!(
            "in {} {}, {} can {} {} {}",
            adjective(rng),
            plural(noun(rng)),
            noun_phrase(rng),
            verb(rng),
            noun_phrase(rng),
            rng.pick(ADVERBS)
        ),
        8 => format!(
            "if {} fails, {} {} and {} {} again",
            subject(rng),
            verb(rng),
            noun_phrase(rng),
            verb(rng),
            noun_phrase(rng)
        ),
        _ => format!(
            "{} {} `{}` {} {}",
            subject(rng),
            third_person(verb(rng)),
            identifier(rng),
            rng.pick(PREPOSITIONS),
            noun_phrase(rng)
        ),
    };
    let text = if rng.chance(8) { emphasise(&text, rng) } else { text };
    format!("{}.", capitalise(&text))
}

/// Puts one word of `text` in bold.
fn emphasise(text: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let i = rng.below(words.len());
    // Short words (articles, `to`) look odd in bold; so do code spans and punctuation.
    if words[i].len() < 5 || words[i].contains(['`', ',']) {
        return text.to_string();
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[i] = format!("**{}**", words[i]);
    out.join(" ")
}

/// A code identifier: `retryBudget`, `payment_queue`.
pub fn identifier(rng: &mut Rng) -> String {
    let (a, b) = (noun(rng), noun(rng));
    if rng.chance(50) { format!("{a}{}", capitalise(b)) } else { format!("{a}_{b}") }
}

/// A paragraph of at least `words` words.
pub fn paragraph(rng: &mut Rng, words: usize) -> String {
    let mut sentences = Vec::new();
    let mut count = 0;
    while count < words {
        let s = sentence(rng);
        count += s.split_whitespace().count();
        sentences.push(s);
    }
    sentences.join(" ")
}
