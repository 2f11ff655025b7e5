//! The left sidebar as HTML, built in Rust: pages are rendered thousands at a time and a
//! recursive template macro is both slow and hard to override safely.
//!
//! In: the page's [`NavItem`] tree (active and open flags already set).
//! Out: a `<ul class="sidebar-list">` tree. Collapsible categories are `<details>` so they
//! open and close without JavaScript; a category with its own page keeps its link outside the
//! `<summary>` (a link inside a summary is a nested interactive control that screen readers drop).

use super::escape::push_escaped;
use super::views::{NavItem, NavKind};

/// The sidebar tree as HTML.
pub fn sidebar_html(items: &[NavItem]) -> String {
    let mut out = String::with_capacity(64 + items.len() * 160);
    push_list(&mut out, items);
    out
}

/// The JSON a lazy category's `lazy_src` points to: `{"html": "<li>…</li>…"}`, the category's
/// children rendered as they would be inline. `theme/lectern.js` inserts it when opened.
pub fn sidebar_fragment_json(items: &[NavItem]) -> String {
    let mut html = String::with_capacity(items.len() * 160);
    for item in items {
        push_item(&mut html, item);
    }
    serde_json::json!({ "html": html }).to_string()
}

fn push_list(out: &mut String, items: &[NavItem]) {
    out.push_str("<ul class=\"sidebar-list\">");
    for item in items {
        push_item(out, item);
    }
    out.push_str("</ul>");
}

fn push_item(out: &mut String, item: &NavItem) {
    out.push_str("<li class=\"sidebar-item sidebar-item-");
    out.push_str(match item.kind {
        NavKind::Doc => "doc",
        NavKind::Category => "category",
        NavKind::Link => "link",
        NavKind::Html => "html",
    });
    if item.kind == NavKind::Html && item.default_style {
        out.push_str(" sidebar-html-padded");
    }
    if item.kind == NavKind::Category && item.url.is_some() && item.collapsible {
        out.push_str(" has-link");
    }
    if let Some(class) = &item.class_name {
        out.push(' ');
        push_escaped(out, class);
    }
    out.push_str("\">");
    match item.kind {
        NavKind::Doc | NavKind::Link => push_link(out, item, "sidebar-link"),
        NavKind::Category => push_category(out, item),
        // The site's own markup, from its sidebar settings: trusted like its theme.
        NavKind::Html => out.push_str(item.html.as_deref().unwrap_or_default()),
    }
    out.push_str("</li>");
}

/// `<a>` for an entry with a URL, `<span>` otherwise.
fn push_link(out: &mut String, item: &NavItem, class: &str) {
    let Some(url) = &item.url else {
        out.push_str("<span class=\"");
        out.push_str(class);
        out.push_str("\">");
        push_escaped(out, &item.label);
        out.push_str("</span>");
        return;
    };
    out.push_str("<a class=\"");
    out.push_str(class);
    out.push_str("\" href=\"");
    push_escaped(out, url);
    out.push('"');
    if item.active {
        out.push_str(" aria-current=\"page\"");
    }
    out.push('>');
    push_escaped(out, &item.label);
    if item.kind == NavKind::Link && is_external(url) {
        out.push_str("<span class=\"external-icon\" aria-hidden=\"true\">↗</span>");
    }
    out.push_str("</a>");
}

fn push_category(out: &mut String, item: &NavItem) {
    if !item.collapsible {
        push_link(out, item, "sidebar-category-label");
        push_list(out, &item.items);
        return;
    }
    if item.url.is_some() {
        push_link(out, item, "sidebar-link sidebar-category-link");
    }
    out.push_str("<details class=\"sidebar-details\"");
    if item.open || item.active {
        out.push_str(" open");
    }
    let lazy = item.items.is_empty().then_some(item.lazy_src.as_ref()).flatten();
    if let Some(src) = lazy {
        out.push_str(" data-lazy-src=\"");
        push_escaped(out, src);
        out.push('"');
    }
    out.push_str("><summary class=\"sidebar-summary\">");
    if item.url.is_some() {
        // The visible label is the link beside it; the summary is the caret, named for readers.
        out.push_str("<span class=\"visually-hidden\">");
        push_escaped(out, &item.label);
        out.push_str("</span>");
    } else {
        push_escaped(out, &item.label);
    }
    out.push_str("</summary>");
    if lazy.is_some() {
        // Without JavaScript the children never arrive; the category's own page still helps.
        out.push_str("<ul class=\"sidebar-list\">");
        if let Some(url) = &item.url {
            out.push_str("<li class=\"sidebar-item sidebar-lazy-fallback\"><a class=\"sidebar-link\" href=\"");
            push_escaped(out, url);
            out.push_str("\">");
            push_escaped(out, &item.label);
            out.push_str("</a></li>");
        }
        out.push_str("</ul>");
    } else {
        push_list(out, &item.items);
    }
    out.push_str("</details>");
}

fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(label: &str, url: &str) -> NavItem {
        NavItem { label: label.into(), url: Some(url.into()), ..NavItem::default() }
    }

    #[test]
    fn renders_docs_categories_links_and_html() {
        let items = vec![
            doc("Intro", "/intro"),
            NavItem {
                label: "Guides".into(),
                kind: NavKind::Category,
                collapsible: true,
                open: true,
                items: vec![NavItem { active: true, ..doc("Install", "/guides/install") }],
                ..NavItem::default()
            },
            NavItem { kind: NavKind::Link, ..doc("GitHub", "https://github.com/acme") },
            NavItem { kind: NavKind::Html, html: Some("<hr>".into()), default_style: true, ..NavItem::default() },
        ];
        let html = sidebar_html(&items);
        assert_eq!(
            html,
            "<ul class=\"sidebar-list\">\
             <li class=\"sidebar-item sidebar-item-doc\"><a class=\"sidebar-link\" href=\"/intro\">Intro</a></li>\
             <li class=\"sidebar-item sidebar-item-category\"><details class=\"sidebar-details\" open>\
             <summary class=\"sidebar-summary\">Guides</summary><ul class=\"sidebar-list\">\
             <li class=\"sidebar-item sidebar-item-doc\"><a class=\"sidebar-link\" href=\"/guides/install\" aria-current=\"page\">Install</a></li>\
             </ul></details></li>\
             <li class=\"sidebar-item sidebar-item-link\"><a class=\"sidebar-link\" href=\"https://github.com/acme\">GitHub\
             <span class=\"external-icon\" aria-hidden=\"true\">↗</span></a></li>\
             <li class=\"sidebar-item sidebar-item-html sidebar-html-padded\"><hr></li></ul>"
        );
    }

    #[test]
    fn linked_category_keeps_link_out_of_summary() {
        let item =
            NavItem { kind: NavKind::Category, collapsible: true, items: vec![doc("A", "/a")], ..doc("API", "/api") };
        let html = sidebar_html(&[item]);
        assert!(html.contains("<li class=\"sidebar-item sidebar-item-category has-link\"><a class=\"sidebar-link sidebar-category-link\" href=\"/api\">API</a><details class=\"sidebar-details\"><summary class=\"sidebar-summary\"><span class=\"visually-hidden\">API</span></summary>"));
    }

    #[test]
    fn lazy_category_points_at_its_json() {
        let item = NavItem {
            kind: NavKind::Category,
            collapsible: true,
            lazy_src: Some("/_sidebar/ref.json".into()),
            ..doc("Reference", "/ref")
        };
        let html = sidebar_html(&[item]);
        assert!(html.contains("data-lazy-src=\"/_sidebar/ref.json\""));
        assert!(html.contains("sidebar-lazy-fallback"));
        let json = sidebar_fragment_json(&[doc("x<y", "/x")]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(
            value["html"],
            "<li class=\"sidebar-item sidebar-item-doc\"><a class=\"sidebar-link\" href=\"/x\">x&lt;y</a></li>"
        );
    }

    #[test]
    fn static_category_is_always_expanded() {
        let item = NavItem {
            label: "Basics".into(),
            kind: NavKind::Category,
            items: vec![doc("A", "/a")],
            ..NavItem::default()
        };
        let html = sidebar_html(&[item]);
        assert!(html.contains("<span class=\"sidebar-category-label\">Basics</span><ul"));
        assert!(!html.contains("<details"));
    }
}
