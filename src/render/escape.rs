//! Text helpers for the render stage: HTML escaping and URL percent-encoding.
//!
//! In: untrusted strings (titles, labels, URLs from front matter and config).
//! Out: strings safe to place in HTML text and attributes, or in a URL query.

/// Escapes text for HTML element content and double- or single-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` escaped to `out`; the renderer builds whole fragments without temporaries.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Percent-encodes every byte except RFC 3986 unreserved characters, for query values.
pub fn percent_encode(text: &str) -> String {
    const UNRESERVED: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(text, UNRESERVED).to_string()
}

/// A GitHub "new issue" URL with a title and body about the page already filled in.
///
/// `repository` is the repository's web address (`https://github.com/org/repo`); a trailing
/// `/` or `.git` is dropped.
pub fn feedback_url(repository: &str, page_title: &str, page_url: &str) -> String {
    let repo = repository.trim().trim_end_matches('/');
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    let title = format!("Docs: problem with \"{page_title}\"");
    let body = format!("Page: {page_url}\n\n**What is wrong or missing?**\n\n\n**What did you expect to find?**\n");
    format!("{repo}/issues/new?title={}&body={}", percent_encode(&title), percent_encode(&body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html_specials() {
        let cases = [
            ("plain", "plain"),
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
            ("Tom & Jerry's", "Tom &amp; Jerry&#39;s"),
            ("déjà vu", "déjà vu"),
        ];
        for (input, want) in cases {
            assert_eq!(escape_html(input), want, "escaping {input:?}");
        }
    }

    #[test]
    fn percent_encodes_all_but_unreserved() {
        let cases = [
            ("abc-._~XYZ019", "abc-._~XYZ019"),
            ("a b", "a%20b"),
            ("a&b=c?d#e/f+g", "a%26b%3Dc%3Fd%23e%2Ff%2Bg"),
            ("\"<é>\n", "%22%3C%C3%A9%3E%0A"),
            ("💡", "%F0%9F%92%A1"),
        ];
        for (input, want) in cases {
            assert_eq!(percent_encode(input), want, "encoding {input:?}");
        }
    }

    #[test]
    fn feedback_url_prefills_title_and_body() {
        let url = feedback_url(
            "https://github.com/acme/docs.git/",
            "Install & run",
            "https://docs.acme.dev/guide/install?x=1",
        );
        let (base, query) = url.split_once('?').unwrap_or_default();
        assert_eq!(base, "https://github.com/acme/docs/issues/new");
        let (title, body) = query.split_once('&').unwrap_or_default();
        assert_eq!(title, "title=Docs%3A%20problem%20with%20%22Install%20%26%20run%22");
        assert!(body.starts_with("body=Page%3A%20https%3A%2F%2Fdocs.acme.dev%2Fguide%2Finstall%3Fx%3D1%0A%0A"));
        assert!(!body.contains(['&', ' ', '\n', '#']));
    }

    #[test]
    fn feedback_url_keeps_plain_repository() {
        let url = feedback_url("https://github.com/acme/docs", "A", "/a");
        assert!(url.starts_with("https://github.com/acme/docs/issues/new?title=Docs%3A"));
    }
}
