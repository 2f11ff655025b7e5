//! Card lists: what `<DocCardList />` shows, and what a category's generated index page lists.
//! Runs once the sidebars are built, since a page's cards are its sidebar category's items.
//!
//! In: the docs, the sidebars, and a page's markdown-stage HTML, where `<DocCardList />` left
//! an empty slot ([`crate::markdown::CARDS_OPEN`] then [`crate::markdown::CARDS_CLOSE`]). Out:
//! the HTML with each slot holding the cards, kept between its two comments so the slot can be
//! filled again when a page the cards describe changes (`serve`). Pure.
//!
//! Docusaurus's rules (theme-classic `DocCardList`, `DocCard`; `useCurrentSidebarSiblings` and
//! `filterDocCardListItems` of `@docusaurus/plugin-content-docs/client`): the items are those of
//! the deepest sidebar category that holds the page or links to it, else the top level of the
//! page's sidebar. A doc's card shows its sidebar label, links to it and describes it with its
//! front matter `description`, else its excerpt ([`crate::markdown::excerpt`]). A category's
//! card links to the category's own page, else to the first page inside it, and says its
//! `description` from `_category_`, else how many items it holds ("1 item", "3 items"); one with
//! no page anywhere inside is left out.

use crate::content::Doc;
use crate::links::encode_path;
use crate::markdown::{CARDS_CLOSE, CARDS_OPEN, escape};
use crate::sidebar::{Category, CategoryLink, Item, Sidebars};

/// The items a `<DocCardList />` on doc `doc` lists, or `None` when the doc is in no sidebar.
pub fn items_for_doc(sidebars: &Sidebars, doc: usize) -> Option<&[Item]> {
    let placement = sidebars.placements.get(doc)?.as_ref()?;
    let items = &sidebars.sidebars.get(placement.sidebar)?.items;
    Some(deepest_category(items, doc).map_or(items.as_slice(), |c| c.items.as_slice()))
}

/// Whether the card list on doc `page` has a card of doc `doc` (which shows its label and
/// description): a card of a category shows none of its docs' text.
pub fn lists_doc(sidebars: &Sidebars, page: usize, doc: usize) -> bool {
    items_for_doc(sidebars, page).is_some_and(|items| {
        items.iter().any(|item| matches!(item, Item::Doc { doc: d, .. } | Item::Ref { doc: d, .. } if *d == doc))
    })
}

/// The innermost category that links to `doc` or holds it among its items, at any depth.
fn deepest_category(items: &[Item], doc: usize) -> Option<&Category> {
    items.iter().find_map(|item| match item {
        Item::Category(c) => deepest_category(&c.items, doc).or_else(|| {
            let holds = c.items.iter().any(|i| matches!(i, Item::Doc { doc: d, .. } if *d == doc));
            (holds || c.link == Some(CategoryLink::Doc(doc))).then_some(c)
        }),
        Item::Doc { .. } | Item::Ref { .. } | Item::Link { .. } | Item::Html { .. } => None,
    })
}

/// What a doc's card says of it: its front matter `description`, else its excerpt.
pub fn card_description(d: &Doc) -> Option<String> {
    d.front.description.clone().or_else(|| crate::markdown::excerpt(d.body()))
}

/// The docs whose cards `items` show (their own items, not those of categories among them).
pub fn card_docs(items: &[Item]) -> Vec<usize> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Doc { doc, .. } | Item::Ref { doc, .. } => Some(*doc),
            _ => None,
        })
        .collect()
}

/// One card: where it links, its title, its icon and its description.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub href: String,
    pub title: String,
    /// Docusaurus's icons: a page, or a card file box for a category.
    pub icon: &'static str,
    pub description: Option<String>,
}

/// The cards of `items`, in order.
pub fn cards(items: &[Item], docs: &[Doc]) -> Vec<Card> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Doc { doc, label, .. } | Item::Ref { doc, label, .. } => {
                let d = docs.get(*doc)?;
                let description = card_description(d);
                Some(Card { href: encode_path(&d.url), title: label.clone(), icon: "📄️", description })
            }
            Item::Category(c) => Some(Card {
                href: encode_path(&first_link(c, docs)?),
                title: c.label.clone(),
                icon: "🗃️",
                description: Some(c.description.clone().unwrap_or_else(|| match c.items.len() {
                    1 => "1 item".to_string(),
                    n => format!("{n} items"),
                })),
            }),
            // `DocCard`'s `CardLink`: a page icon for a link inside the site, a link icon for
            // one leaving it; no description of its own.
            Item::Link { label, href, .. } => Some(Card {
                href: href.clone(),
                title: label.clone(),
                icon: if crate::links::is_external(href) { "🔗" } else { "📄️" },
                description: None,
            }),
            // Markup for the sidebar only (`filterDocCardListItems`).
            Item::Html { .. } => None,
        })
        .collect()
}

/// The category's own page, else the first page inside it (`findFirstSidebarItemLink`).
fn first_link(c: &Category, docs: &[Doc]) -> Option<String> {
    match &c.link {
        Some(CategoryLink::Doc(d)) => return docs.get(*d).map(|d| d.url.clone()),
        Some(CategoryLink::Generated { url, .. }) => return Some(url.clone()),
        None => {}
    }
    c.items.iter().find_map(|item| match item {
        Item::Doc { doc, .. } | Item::Ref { doc, .. } => docs.get(*doc).map(|d| d.url.clone()),
        Item::Category(inner) => first_link(inner, docs),
        Item::Link { href, .. } => Some(href.clone()),
        Item::Html { .. } => None,
    })
}

/// The HTML of a card list: a grid of articles, each a heading whose link covers the card, and
/// the description below it, one line on screen with the whole text in its `title` (as
/// Docusaurus truncates it) and whole for screen readers, search and speech.
pub fn html(cards: &[Card]) -> String {
    let mut out = String::from("<section class=\"doc-card-list\">\n");
    for card in cards {
        out.push_str(&format!(
            "<article class=\"doc-card\"><h2 class=\"doc-card-title\"><a href=\"{}\"><span class=\"doc-card-icon\" aria-hidden=\"true\">{}</span> {}</a></h2>",
            escape(&card.href),
            card.icon,
            escape(&card.title)
        ));
        if let Some(d) = &card.description {
            let d = escape(d);
            out.push_str(&format!("<p class=\"doc-card-description\" title=\"{d}\">{d}</p>"));
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
    out
}

/// Whether `html` has a card list slot.
pub fn has_slot(html: &str) -> bool {
    html.contains(CARDS_OPEN)
}

/// `html` with every card list slot holding `cards` (whatever they held before is replaced).
pub fn fill(html: &str, cards: &str) -> String {
    let mut out = String::with_capacity(html.len() + cards.len());
    let mut rest = html;
    while let Some(open) = rest.find(CARDS_OPEN) {
        let inner = open + CARDS_OPEN.len();
        let Some(close) = rest[inner..].find(CARDS_CLOSE).map(|c| inner + c) else { break };
        out.push_str(&rest[..inner]);
        out.push_str(cards);
        out.push_str(CARDS_CLOSE);
        rest = &rest[close + CARDS_CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

/// Doc `doc`'s HTML with its card lists filled from the sidebars: `None` when it has none.
pub fn fill_doc(html: &str, docs: &[Doc], sidebars: &Sidebars, doc: usize) -> Option<String> {
    if !has_slot(html) {
        return None;
    }
    let cards = items_for_doc(sidebars, doc).map(|items| cards(items, docs)).unwrap_or_default();
    Some(fill(html, &self::html(&cards)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, text: &str) -> Doc {
        use crate::config::{GitInfo, Overrides, RawConfig, resolve};
        let config = resolve(
            std::path::Path::new("/site"),
            RawConfig::default(),
            "production",
            &Overrides::default(),
            &GitInfo::default(),
        );
        let mut d = crate::content::parse_doc(&config, "x.md", std::path::Path::new("x.md"), text.as_bytes().to_vec())
            .expect("a doc");
        d.url = url.to_string();
        d
    }

    fn category(label: &str, link: Option<CategoryLink>, items: Vec<Item>) -> Item {
        Item::Category(Category {
            label: label.into(),
            dir: String::new(),
            link,
            collapsed: true,
            collapsible: true,
            class_name: None,
            description: None,
            items,
        })
    }

    fn doc_item(doc: usize, label: &str) -> Item {
        Item::Doc { doc, label: label.into(), class_name: None }
    }

    #[test]
    fn cards_describe_docs_and_count_category_items() {
        let docs = vec![
            doc("/a", "---\ndescription: From front matter\n---\n# A\n\nBody."),
            doc("/b", "# B\n\nFirst line of *B*.\nSecond line.\n"),
            doc("/c", "# C\n"),
            doc("/d", "# D\n"),
        ];
        let items = vec![
            doc_item(0, "Alpha"),
            doc_item(1, "Beta"),
            category("Gamma", None, vec![doc_item(2, "C"), doc_item(3, "D")]),
            category(
                "Delta",
                Some(CategoryLink::Generated { url: "/cat/delta".into(), title: "D".into(), description: None }),
                vec![doc_item(3, "D")],
            ),
            category("Empty", None, vec![]),
        ];
        let got = cards(&items, &docs);
        let view: Vec<(&str, &str, Option<&str>)> =
            got.iter().map(|c| (c.href.as_str(), c.title.as_str(), c.description.as_deref())).collect();
        assert_eq!(
            view,
            [
                ("/a", "Alpha", Some("From front matter")),
                ("/b", "Beta", Some("First line of B.")),
                ("/c", "Gamma", Some("2 items")),
                ("/cat/delta", "Delta", Some("1 item")),
            ]
        );
    }

    #[test]
    fn a_page_lists_its_deepest_category_else_its_sidebar() {
        let items = vec![
            doc_item(0, "Top"),
            category(
                "Guides",
                Some(CategoryLink::Doc(1)),
                vec![doc_item(2, "One"), category("Deep", None, vec![doc_item(3, "Three")])],
            ),
        ];
        let mut sidebars = Sidebars { placements: vec![None; 5], ..Default::default() };
        sidebars.sidebars.push(crate::sidebar::Sidebar { id: "s".into(), label: "S".into(), items });
        for i in 0..4 {
            sidebars.placements[i] = Some(crate::sidebar::Placement { sidebar: 0, ..Default::default() });
        }
        let labels = |doc: usize| {
            items_for_doc(&sidebars, doc).map(|items| {
                items
                    .iter()
                    .map(|i| match i {
                        Item::Doc { label, .. } | Item::Ref { label, .. } | Item::Link { label, .. } => label.clone(),
                        Item::Category(c) => c.label.clone(),
                        Item::Html { value, .. } => value.clone(),
                    })
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(labels(0), Some(vec!["Top".to_string(), "Guides".to_string()]), "at the top level");
        assert_eq!(labels(1), Some(vec!["One".to_string(), "Deep".to_string()]), "the category's own page");
        assert_eq!(labels(2), Some(vec!["One".to_string(), "Deep".to_string()]), "a page inside it");
        assert_eq!(labels(3), Some(vec!["Three".to_string()]), "the deepest category");
        assert_eq!(labels(4), None, "in no sidebar");
        // A card shows a doc's own text only for the docs among the items.
        assert!(lists_doc(&sidebars, 2, 2) && lists_doc(&sidebars, 1, 2));
        assert!(!lists_doc(&sidebars, 2, 3), "a category's card shows none of its docs' text");
        assert!(lists_doc(&sidebars, 3, 3) && !lists_doc(&sidebars, 0, 2) && !lists_doc(&sidebars, 4, 0));
    }

    #[test]
    fn slots_are_filled_and_filled_again() {
        let page = format!("<p>a</p>\n{CARDS_OPEN}{CARDS_CLOSE}\n<p>b</p>\n");
        let once = fill(&page, "<x>1</x>");
        assert_eq!(once, format!("<p>a</p>\n{CARDS_OPEN}<x>1</x>{CARDS_CLOSE}\n<p>b</p>\n"));
        assert_eq!(fill(&once, "<x>2</x>"), fill(&page, "<x>2</x>"));
        assert!(!has_slot("<p>none</p>"));
        let card =
            Card { href: "/a?b&c".into(), title: "A <b>".into(), icon: "📄️", description: Some("\"d\"".into()) };
        let html = html(&[card]);
        assert!(html.contains("href=\"/a?b&amp;c\""), "{html}");
        assert!(html.contains("A &lt;b&gt;</a></h2>"), "{html}");
        assert!(html.contains("title=\"&quot;d&quot;\">&quot;d&quot;</p>"), "{html}");
    }
}
