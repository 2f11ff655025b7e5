//! The error page `serve` shows while the site has never built: the diagnostics as plain HTML
//! (readable without JavaScript), plus the live-reload script, which shows the same errors as an
//! overlay and reloads the tab once a fix makes the site build.
//!
//! In: the [`ErrorReport`] of the failed build. Out: an HTML document.

use crate::render::escape_html;

use super::livereload;
use super::state::ErrorReport;

/// The page served for every path until the site builds.
pub fn error_page(report: Option<&ErrorReport>, version_token: &str) -> String {
    let mut items = String::new();
    for e in report.map(|r| r.errors.as_slice()).unwrap_or_default() {
        items.push_str("<li>");
        if !e.location.is_empty() {
            items.push_str(&format!("<p><code>{}</code></p>", escape_html(&e.location)));
        }
        items.push_str(&format!("<p>{}</p>", escape_html(&e.message)));
        if let Some(source) = &e.source {
            items.push_str(&format!("<pre>{}</pre>", escape_html(source)));
        }
        if let Some(help) = &e.help {
            items.push_str(&format!("<p>help: {}</p>", escape_html(help)));
        }
        items.push_str("</li>\n");
    }
    let script = livereload::stamp(livereload::script_tag().into(), version_token);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The site does not build</title>\n</head>\n<body>\n<main>\n\
         <h1>The site does not build</h1>\n<p>lectern serve shows the site as soon as these are fixed.</p>\n\
         <ul>\n{items}</ul>\n</main>\n{}\n</body>\n</html>\n",
        String::from_utf8_lossy(&script)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::state::OverlayError;

    #[test]
    fn lists_each_error_escaped() {
        let report = ErrorReport {
            errors: vec![OverlayError {
                location: "docs/a.md:2:7".into(),
                message: "bad <value>".into(),
                source: Some("title: [".into()),
                column: 7,
                help: None,
            }],
            text: String::new(),
        };
        let html = error_page(Some(&report), "id.3");
        let doc = scraper::Html::parse_document(&html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let item: Vec<String> = doc.select(&sel("li p, li pre")).map(|e| e.text().collect()).collect();
        assert_eq!(item, ["docs/a.md:2:7", "bad <value>", "title: ["]);
        let script = doc.select(&sel("script")).next().unwrap();
        assert_eq!(script.value().attr("data-lectern-version"), Some("id.3"));
    }
}
