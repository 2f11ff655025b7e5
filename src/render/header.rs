//! Where the navbar collapses: the narrowest viewport at which the site's header fits whole.
//!
//! In: the [`SiteView`] (title, logo, navbar labels, repository link). Out: a width in CSS
//! pixels; below it the theme moves the navbar links, theme toggle and repository link into the
//! menu (the `<style>` in `base.html`). It is worked out at build time from the content rather
//! than fixed, because a fixed breakpoint either wastes room on short headers or lets a long title
//! with seven links overflow; media queries cannot read custom properties, so the number is
//! written into the page. The estimate errs wide: a header that collapses a little early still
//! fits, one that collapses late would scroll sideways.

use super::SiteView;

/// Width of the header's content box: `.navbar-inner { max-width: 96rem }`.
const MAX_INNER_PX: u32 = 1536;
/// Up to this width (lectern.css) the sidebar is a menu opened by a navbar button.
const SIDEBAR_MENU_PX: u32 = 996;
/// Average advance of a character of the bold 1.1rem title, with room for wide letters.
const TITLE_CHAR_PX: f64 = 11.0;
/// Average advance of a character of a 1rem navbar link (weight 500).
const LINK_CHAR_PX: f64 = 9.5;
/// A link's horizontal padding (2 × .7rem) plus the gap after it (.25rem).
const LINK_BOX_PX: f64 = 26.4;
/// `.navbar-inner` padding (2 × 1rem).
const PADDING_PX: f64 = 32.0;
/// The gap between the header's children (1rem).
const GAP_PX: f64 = 16.0;
/// The menu button (2.5rem), which shows beside everything on narrow screens with a sidebar.
const BUTTON_PX: f64 = 40.0;
/// The search box at its widest (16rem).
const SEARCH_PX: f64 = 256.0;
/// The logo (2rem) and its gap (.6rem).
const LOGO_PX: f64 = 41.6;
/// Slack for fonts that run wider than the estimate.
const MARGIN_PX: f64 = 16.0;

/// The narrowest viewport width, in CSS pixels, at which the whole header fits on one line;
/// `u32::MAX` when it never does (wider than the header's maximum width).
pub fn header_collapse_width(site: &SiteView) -> u32 {
    let chars = |s: &str| s.chars().count() as f64;
    let brand = chars(&site.title) * TITLE_CHAR_PX + if site.logo.is_some() { LOGO_PX } else { 0.0 };
    let links: f64 = site.navbar.iter().map(|l| chars(&l.label) * LINK_CHAR_PX + LINK_BOX_PX).sum();
    // Theme toggle and repository link, with the .25rem gap between them.
    let actions = BUTTON_PX + if site.repository.is_some() { BUTTON_PX + 4.0 } else { 0.0 };
    let children = [brand, links, SEARCH_PX, actions];
    let gaps = GAP_PX * (children.iter().filter(|w| **w > 0.0).count() - 1) as f64;
    let wide = (children.iter().sum::<f64>() + gaps + PADDING_PX + MARGIN_PX).ceil() as u32;
    // Up to the sidebar's own breakpoint the menu button shows too (`max-width: 996px`).
    let narrow = wide + (BUTTON_PX + GAP_PX) as u32;
    match () {
        _ if narrow <= SIDEBAR_MENU_PX => narrow,
        _ if wide <= SIDEBAR_MENU_PX + 1 => SIDEBAR_MENU_PX + 1,
        _ if wide <= MAX_INNER_PX => wide,
        _ => u32::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::NavLink;

    fn site(title: &str, links: &[&str], repository: bool) -> SiteView {
        SiteView {
            title: title.into(),
            navbar: links.iter().map(|l| NavLink { label: l.to_string(), ..NavLink::default() }).collect(),
            repository: repository.then(|| "https://github.com/example/docs".to_string()),
            ..SiteView::default()
        }
    }

    #[test]
    fn short_headers_collapse_only_on_narrow_screens() {
        let width = header_collapse_width(&site("lectern", &[], true));
        assert!((400..700).contains(&width), "{width}");
    }

    #[test]
    fn longer_titles_and_more_links_collapse_sooner() {
        let short = header_collapse_width(&site("Docs", &["Guides", "API"], true));
        let long_title =
            header_collapse_width(&site("The Example Engineering Team Playbook", &["Guides", "API"], true));
        let more_links = header_collapse_width(&site("Docs", &["Guides", "API", "Recipes", "Support"], true));
        assert!(long_title > short && more_links > short, "{short} {long_title} {more_links}");
    }

    #[test]
    fn a_header_wider_than_its_maximum_is_always_collapsed() {
        let links = ["Architecture", "Development", "Deployment", "Operations", "Security", "Standards", "Support"];
        assert_eq!(header_collapse_width(&site("Hackney Development System Documentation", &links, true)), u32::MAX);
    }
}
