//! Routes: number prefixes, doc ids, index detection, slugs and URLs (spec sections 3 and 4).
//!
//! Pure functions over names and paths; no filesystem.

/// Splits a number prefix off a file (without extension) or folder name.
/// Returns the number, if there is one, and the name without it.
pub fn strip_number_prefix(name: &str) -> (Option<f64>, &str) {
    let bytes = name.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return (None, name);
    }
    // `^\d+[-_.]\d+`: dates and versions (`2021-11-x`, `1.2-notes`, `01-1st-step`) keep their name.
    if let Some(sep) = bytes.get(digits)
        && matches!(sep, b'-' | b'_' | b'.')
        && bytes.get(digits + 1).is_some_and(|b| b.is_ascii_digit())
    {
        return (None, name);
    }
    // `^(\d+)\s*[-_.]+\s*([^-_.\s].*)$`
    let rest = &name[digits..];
    let after_space = rest.trim_start();
    let seps = after_space.bytes().take_while(|b| matches!(b, b'-' | b'_' | b'.')).count();
    if seps == 0 {
        return (None, name);
    }
    let tail = after_space[seps..].trim_start();
    match tail.chars().next() {
        Some(c) if !matches!(c, '-' | '_' | '.') && !c.is_whitespace() => (name[..digits].parse().ok(), tail),
        _ => (None, name),
    }
}

/// The name a file gets once its number prefix is gone (unless prefixes are off for it).
pub fn stripped(name: &str, parse_prefixes: bool) -> &str {
    if parse_prefixes { strip_number_prefix(name).1 } else { name }
}

/// Whether a file (raw name without extension) is the index of its folder (raw name).
pub fn is_index_name(file_stem: &str, folder: Option<&str>) -> bool {
    let lower = file_stem.to_lowercase();
    lower == "index" || lower == "readme" || folder.is_some_and(|f| f.to_lowercase() == lower)
}

/// Resolves a relative slug like a URL against `base` (which ends with `/`).
/// `x` → base + x; `../x` climbs; `./x` stays; an absolute slug is returned as is.
pub fn resolve_slug(base: &str, slug: &str) -> String {
    if slug.starts_with('/') {
        return normalise(slug);
    }
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = slug.ends_with('/');
    for seg in slug.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

/// Collapses double slashes; keeps a trailing slash.
pub fn normalise(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        out.push('/');
    }
    let mut prev_slash = false;
    for c in path.chars() {
        if c == '/' && prev_slash {
            continue;
        }
        prev_slash = c == '/';
        out.push(c);
    }
    out
}

/// The slug of a doc (below route_base_path). `folder` is the stripped folder path (`A/B`, or empty).
pub fn slug_for(folder: &str, base_id: &str, front_slug: Option<&str>, is_index: bool) -> String {
    let base = if folder.is_empty() { "/".to_string() } else { format!("/{folder}/") };
    match front_slug {
        Some(s) if s.starts_with('/') => normalise(s),
        Some(s) => resolve_slug(&base, s),
        None if is_index => base,
        None => resolve_slug(&base, base_id),
    }
}

/// The full URL path: base_url + route_base_path + slug, with the trailing-slash setting applied.
pub fn url_for(base_url: &str, route_base_path: &str, slug: &str, trailing_slash: Option<bool>) -> String {
    let url = normalise(&format!("{base_url}/{route_base_path}/{slug}"));
    // A slug of `/` means the route itself: `/docs/` for route_base_path docs.
    let url = if slug == "/" && url.len() > 1 && !url.ends_with('/') { format!("{url}/") } else { url };
    apply_trailing_slash(&url, base_url, trailing_slash)
}

/// `true` adds `/` to every route, `false` removes it (but never from the site's root).
pub fn apply_trailing_slash(url: &str, base_url: &str, trailing_slash: Option<bool>) -> String {
    match trailing_slash {
        Some(true) if !url.ends_with('/') => format!("{url}/"),
        Some(false) if url.ends_with('/') && url != base_url && url != "/" => url.trim_end_matches('/').to_string(),
        _ => url.to_string(),
    }
}

/// Where a route is written below the output folder: `a/b/index.html`, or `a/b.html` with
/// `trailing_slash: false`. `url` includes base_url.
pub fn output_file(url: &str, base_url: &str, trailing_slash: Option<bool>) -> String {
    let rel = url.strip_prefix(base_url).or_else(|| url.strip_prefix(base_url.trim_end_matches('/'))).unwrap_or(url);
    let rel = rel.trim_start_matches('/');
    if rel.is_empty() {
        return "index.html".into();
    }
    let dir = rel.trim_end_matches('/');
    if trailing_slash == Some(false) { format!("{dir}.html") } else { format!("{dir}/index.html") }
}

/// Compares by UTF-16 code units, as JavaScript's default sort does (`B.md` < `a.md`).
pub fn cmp_utf16(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_prefixes() {
        let cases: &[(&str, Option<f64>, &str)] = &[
            ("01-x", Some(1.0), "x"),
            ("01_x", Some(1.0), "x"),
            ("01.x", Some(1.0), "x"),
            ("01 - x", Some(1.0), "x"),
            ("01 x", None, "01 x"),
            ("2021-11-x", None, "2021-11-x"),
            ("1.2-notes", None, "1.2-notes"),
            ("01-1st-step", None, "01-1st-step"),
            ("05-Development Lifecycle", Some(5.0), "Development Lifecycle"),
            ("10--double", Some(10.0), "double"),
            ("01-", None, "01-"),
            ("01- -x", None, "01- -x"),
            ("007_bond", Some(7.0), "bond"),
            ("x-01", None, "x-01"),
            ("42", None, "42"),
            ("3._x", Some(3.0), "x"),
        ];
        for (name, num, rest) in cases {
            assert_eq!(strip_number_prefix(name), (*num, *rest), "{name}");
        }
        assert_eq!(stripped("01-x", false), "01-x");
    }

    #[test]
    fn index_detection() {
        let cases = [
            ("index", Some("02-Guides"), true),
            ("INDEX", None, true),
            ("Readme", Some("x"), true),
            ("README", None, true),
            ("02-Guides", Some("02-Guides"), true),
            ("Guides", Some("02-Guides"), false),
            ("01-index", Some("x"), false),
            ("intro", Some("x"), false),
        ];
        for (file, folder, want) in cases {
            assert_eq!(is_index_name(file, folder), want, "{file} in {folder:?}");
        }
    }

    #[test]
    fn slugs() {
        let cases: &[(&str, &str, Option<&str>, bool, &str)] = &[
            ("", "intro", None, false, "/intro"),
            ("Guides", "intro", None, false, "/Guides/intro"),
            ("Getting Started", "My Doc", None, false, "/Getting Started/My Doc"),
            ("Guides", "index", None, true, "/Guides/"),
            ("", "index", None, true, "/"),
            ("Guides", "x", Some("/abs/path"), false, "/abs/path"),
            ("Guides", "x", Some("rel"), false, "/Guides/rel"),
            ("Guides/Deep", "x", Some("../up"), false, "/Guides/up"),
            ("Guides", "x", Some("./here"), false, "/Guides/here"),
            ("Guides", "x", Some("../../../too-far"), false, "/too-far"),
            ("Introdution", "index", Some("/"), true, "/"),
            ("Guides", "x", Some("//double//slash"), false, "/double/slash"),
        ];
        for (folder, id, slug, index, want) in cases {
            assert_eq!(slug_for(folder, id, *slug, *index), *want, "{folder} {id} {slug:?}");
        }
    }

    /// base_url, route_base_path, slug, trailing_slash, URL, output file.
    type UrlCase<'a> = (&'a str, &'a str, &'a str, Option<bool>, &'a str, &'a str);

    #[test]
    fn urls_and_files() {
        let cases: &[UrlCase] = &[
            ("/", "/", "/intro", None, "/intro", "intro/index.html"),
            ("/API-Playbook/", "/", "/", None, "/API-Playbook/", "index.html"),
            (
                "/API-Playbook/",
                "/",
                "/Release Notes/v3",
                None,
                "/API-Playbook/Release Notes/v3",
                "Release Notes/v3/index.html",
            ),
            ("/", "/docs/", "/", None, "/docs/", "docs/index.html"),
            ("/", "/docs/", "/a", Some(true), "/docs/a/", "docs/a/index.html"),
            ("/", "/", "/Guides/", Some(false), "/Guides", "Guides.html"),
            ("/b/", "/", "/", Some(false), "/b/", "index.html"),
        ];
        for (base, rbp, slug, ts, url, file) in cases {
            let u = url_for(base, rbp, slug, *ts);
            assert_eq!(u, *url, "{base} {rbp} {slug}");
            assert_eq!(output_file(&u, base, *ts), *file, "{u}");
        }
    }

    #[test]
    fn utf16_order() {
        use std::cmp::Ordering::Less;
        assert_eq!(cmp_utf16("B.md", "a.md"), Less);
        assert_eq!(cmp_utf16("02-x.md", "Guides"), Less);
        // U+FF21 (fullwidth A) sorts after U+1F600 in UTF-8 order, before it in UTF-16.
        assert_eq!(cmp_utf16("\u{FF21}", "\u{1F600}"), std::cmp::Ordering::Greater);
        assert!("\u{FF21}" < "\u{1F600}");
    }
}
