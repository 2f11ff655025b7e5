//! Spoken text: how written words are read aloud so that a listener can follow them.
//!
//! In: the pieces of one segment of text (prose, inline code, and words only a listener needs,
//! such as a list item's number) from `extract`. Out: [`Word`]s, each with the text the page
//! shows and the text that is spoken. The rules: stray emphasis markers are dropped; inline code
//! is said the way a person would say it (identifiers split into words, `serverless.yml` as
//! "serverless dot YAML", a path by its last part, long code and regular expressions as
//! "(code)"); abbreviations (i.e., e.g., vs., etc.), "~60", currency, powers, ISO dates, "C#",
//! slashes ("CI/CD", "and/or", "a/b") and URLs (their host) read as words; acronyms the voice
//! would read as a word ("AWS" as "awes") spelled. Pure.

/// One word as the page shows it and as it is spoken; either may be empty (a list item's
/// number is only spoken; a stray `**` is only shown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    pub shown: String,
    pub spoken: String,
}

/// A piece of a segment's text, as the HTML walker found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Prose.
    Text(String),
    /// The text of an inline `<code>` element.
    Code(String),
    /// Words only a listener hears (a list item's number, a table cell's column name).
    Said(String),
    /// A line break in the source: ends a run-in label's line ("Version: V4").
    Break,
    /// Punctuation a listener needs at the end of the words so far (a table cell's end).
    Stop(char),
}

/// Short for code that cannot be read aloud usefully.
pub const CODE_NOTE: &str = "(code)";

/// Words that are spoken letter by letter or are names: kept in capitals inside identifiers.
const ACRONYMS: &[&str] = &[
    "AWS", "ID", "IDS", "API", "APIS", "URL", "URI", "HTTP", "HTTPS", "JSON", "YAML", "XML", "HTML", "CSS", "SQL",
    "DB", "IO", "CI", "CD", "SSH", "ARN", "KMS", "SSO", "IAM", "UI", "UUID", "GUID", "JWT", "DNS", "IP", "TCP", "UTC",
    "RDS", "ES", "S3", "EC2", "SNS", "SQS", "VPC", "CLI", "SDK", "PR", "OK", "CSV", "PDF", "MFA", "TLS", "SSL", "GCP",
];

/// Letter-by-letter acronyms that the voices' phonemiser (espeak-ng's English rules, which
/// Piper uses too) reads as words: "AWS" as "awes", "CI" as "sigh", "ECS" as "ecks", "CLI" as
/// "cly", "ES" as "ease", and "IDs" as "ID" (the plural lost). Spoken with hyphens between
/// their letters ("A-W-S"), which both engines spell.
const SPELLED: &[&str] = &["AWS", "CI", "ECS", "EC2", "CLI", "ES", "SES", "EDA", "ADR", "IO", "ID"];

/// The words of a segment: prose split at whitespace, inline code kept whole and glued to the
/// punctuation written against it (`` `a.yml`. `` is one word).
pub fn words(pieces: &[Piece]) -> Vec<Word> {
    let mut out = Vec::new();
    // The word being built: its parts, as (text, is code).
    let mut parts: Vec<(String, bool)> = Vec::new();
    let mut line_start = 0;
    let finish = |parts: &mut Vec<(String, bool)>, out: &mut Vec<Word>| {
        if parts.is_empty() {
            return;
        }
        let shown: String = parts.iter().map(|(t, _)| t.as_str()).collect();
        let spoken = if parts.len() == 1 && !parts[0].1 {
            speak_word(&parts[0].0)
        } else {
            let said: Vec<String> = parts
                .iter()
                .map(|(t, code)| match (code, t.as_str()) {
                    (true, _) => speak_code(t),
                    // `next`/`prev`
                    (false, "/") => " or ".to_string(),
                    (false, _) => speak_word(t),
                })
                .filter(|s| !s.is_empty())
                .collect();
            said.concat()
        };
        out.push(Word { shown, spoken });
        parts.clear();
    };
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                // Text split by inline markup (`<a>x</a>.`) joins the word before it.
                let push_text = |parts: &mut Vec<(String, bool)>, text: String| match parts.last_mut() {
                    Some((prev, false)) => prev.push_str(&text),
                    _ => parts.push((text, false)),
                };
                let mut current = String::new();
                for c in text.chars() {
                    if c.is_whitespace() || c == '\u{a0}' {
                        if !current.is_empty() {
                            push_text(&mut parts, std::mem::take(&mut current));
                        }
                        finish(&mut parts, &mut out);
                    } else {
                        current.push(c);
                    }
                }
                if !current.is_empty() {
                    push_text(&mut parts, current);
                }
            }
            Piece::Code(code) => {
                let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
                if !code.is_empty() {
                    parts.push((code, true));
                }
            }
            Piece::Said(said) => {
                finish(&mut parts, &mut out);
                out.push(Word { shown: String::new(), spoken: said.clone() });
            }
            Piece::Break => {
                finish(&mut parts, &mut out);
                end_label_line(&mut out[line_start..]);
                line_start = out.len();
            }
            Piece::Stop(stop) => {
                finish(&mut parts, &mut out);
                if let Some(last) = out.iter_mut().rfind(|w| !w.spoken.is_empty()) {
                    add_stop(&mut last.spoken, *stop);
                }
            }
        }
    }
    finish(&mut parts, &mut out);
    for word in &mut out {
        if word.spoken.chars().any(|c| c.is_ascii_uppercase()) {
            word.spoken = spell_acronyms(&word.spoken);
        }
    }
    // A slash standing alone between words is a pause: "Development / Staging" → "Development, Staging".
    for i in 1..out.len() {
        if out[i].spoken == "," {
            out[i].spoken.clear();
            if let Some(prev) = out[..i].iter_mut().rfind(|w| !w.spoken.is_empty()) {
                add_stop(&mut prev.spoken, ',');
            }
        }
    }
    out
}

/// The [`SPELLED`] acronyms of `text` with hyphens between their letters: "AWS's" → "A-W-S's",
/// "IDs" → "I-D's".
fn spell_acronyms(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, token) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let start = token.len() - token.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let end = token.trim_end_matches(|c: char| !c.is_alphanumeric()).len().max(start);
        let core = &token[start..end];
        let (base, plural) = match core.strip_suffix("'s").or_else(|| core.strip_suffix("’s")) {
            Some(base) => (base, true),
            None => match core.strip_suffix('s') {
                Some(base) if SPELLED.contains(&base) => (base, true),
                _ => (core, false),
            },
        };
        if !SPELLED.contains(&base) {
            out.push_str(token);
            continue;
        }
        let letters: Vec<String> = base.chars().map(String::from).collect();
        out.push_str(&token[..start]);
        out.push_str(&letters.join("-"));
        if plural {
            out.push_str("'s");
        }
        out.push_str(&token[end..]);
    }
    out
}

/// Puts `stop` at the end of `word` unless it already ends a clause; a full stop replaces a
/// trailing colon or comma, and is not added after one (`source.:` → `source.`, `setup?:` →
/// `setup?`). Closing brackets and quotes stay inside: `(code)` → `(code).`.
fn add_stop(word: &mut String, stop: char) {
    let body = word.trim_end_matches(['"', '\'', ')', ']', '”', '’']);
    if body.ends_with(['.', '!', '?', '…']) || (stop == ',' && body.ends_with([',', ';', ':'])) {
        return;
    }
    if body.len() == word.len() {
        let trimmed = word.trim_end_matches([':', ',', ';', '-', '–', '—']).len();
        word.truncate(trimmed);
        if word.ends_with(['.', '!', '?', '…']) {
            return;
        }
    }
    word.push(stop);
}

/// A line that starts with a run-in label ("Product Name: API Playbook") ends its sentence.
fn end_label_line(line: &mut [Word]) {
    let spoken: Vec<usize> = (0..line.len()).filter(|&i| !line[i].spoken.is_empty()).collect();
    let labelled = spoken.iter().take(3).any(|&i| line[i].spoken.ends_with(':'));
    if let (true, Some(&last)) = (labelled && spoken.len() >= 2, spoken.last())
        && !line[last].spoken.ends_with(':')
    {
        add_stop(&mut line[last].spoken, '.');
    }
}

/// Ends a segment as a sentence: a heading, a run-in label or a list item without a full stop
/// gets one (a trailing colon, comma or semicolon becomes it), so the voice falls at its end.
/// A segment that is only a host name (a bare link) says that it is a link.
pub fn finish_segment(words: &mut [Word]) {
    let spoken: Vec<usize> = (0..words.len()).filter(|&i| !words[i].spoken.is_empty()).collect();
    let Some(&last) = spoken.last() else { return };
    let shown = &words[last].shown;
    let host = !words[last].spoken.contains(CODE_NOTE);
    if spoken.len() == 1 && host && (shown.contains("://") || shown.starts_with("www.")) {
        words[last].spoken = format!("Link to {}", words[last].spoken);
    }
    add_stop(&mut words[last].spoken, '.');
}

/// Whether an image's alt text says nothing about it: a placeholder (`alt_text`, `image`, `pic`,
/// `screenshot`…) or a file name (`img_01.png`).
pub fn is_placeholder_alt(alt: &str) -> bool {
    let lower = alt.trim().trim_end_matches('.').to_lowercase();
    let squashed: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    let bare = squashed.trim_end_matches(|c: char| c.is_ascii_digit());
    const PLACEHOLDERS: &[&str] = &[
        "alt",
        "alttext",
        "image",
        "img",
        "pic",
        "picture",
        "photo",
        "screenshot",
        "screencapture",
        "figure",
        "untitled",
        "placeholder",
        "imagealt",
        "altimage",
        "insertimage",
        "enteralttext",
    ];
    let file_name = lower.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && !stem.contains(' ')
            && matches!(ext, "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "bmp" | "avif" | "tif" | "tiff")
    });
    squashed.is_empty() || PLACEHOLDERS.contains(&squashed.as_str()) || PLACEHOLDERS.contains(&bare) || file_name
}

/// Drops emphasis markers that Markdown left in the text (`**Note:**`, `_word_`).
fn strip_emphasis(word: &str) -> String {
    let no_stars: String = word.chars().filter(|&c| c != '*').collect();
    let lead = no_stars.len() - no_stars.trim_start_matches(['_', '(', '[', '"', '\'']).len();
    let trimmed_start = &no_stars[lead..];
    let opening = &no_stars[..lead];
    let opening: String = opening.chars().filter(|&c| c != '_').collect();
    // Underscores closing the word, before its punctuation: `_word_,` → `word,`.
    let core_end = trimmed_start.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '_']).len();
    let (core, tail) = trimmed_start.split_at(core_end);
    let tail: String = tail.chars().filter(|&c| c != '_').collect();
    format!("{opening}{core}{tail}")
}

/// How a word of prose is spoken.
pub fn speak_word(word: &str) -> String {
    let word = strip_emphasis(word);
    if word.is_empty() {
        return word;
    }
    let url = super::extract::speak_url(&word);
    if url != word {
        return url;
    }
    let lead_len = word.len() - word.trim_start_matches(['(', '[', '"', '\'', '“', '‘']).len();
    let (lead, rest) = word.split_at(lead_len);
    let core_len = rest.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '”', '’']).len();
    let (core, tail) = rest.split_at(core_len);
    let lower = core.to_lowercase();
    // Abbreviations swallow their own full stop.
    let with_stop = |s: &str| format!("{lead}{s}{}", tail.strip_prefix('.').unwrap_or(tail));
    match lower.as_str() {
        "i.e" => return with_stop("that is"),
        "e.g" | "eg" => return with_stop("for example"),
        "ie" if tail.starts_with(['.', ',', ':']) => return with_stop("that is"),
        "vs" => return with_stop("versus"),
        "etc" => return with_stop("et cetera"),
        "cf" if tail.starts_with('.') => return with_stop("compare"),
        "and/or" => return format!("{lead}and or{tail}"),
        _ => {}
    }
    match spoken_core(core) {
        Some(said) => format!("{lead}{said}{tail}"),
        None => word,
    }
}

/// The spoken form of a word without its surrounding punctuation, when it differs.
fn spoken_core(core: &str) -> Option<String> {
    if core.is_empty() {
        return None;
    }
    if let Some(lang) = core.strip_suffix('#').filter(|l| matches!(*l, "C" | "F" | "c" | "f")) {
        return Some(format!("{} sharp", lang.to_uppercase()));
    }
    if let Some(rest) = core.strip_prefix('~') {
        return Some(if rest.is_empty() { "about".into() } else { format!("about {}", speak_word(rest)) });
    }
    if let Some(said) = currency(core).or_else(|| power(core)).or_else(|| iso_date(core)) {
        return Some(said);
    }
    if let Some(said) = symbol_word(core) {
        return Some(said.into());
    }
    if looks_like_code(core) {
        return Some(CODE_NOTE.into());
    }
    if core.contains('/') {
        return Some(slashes(core));
    }
    if core.contains('_') {
        return Some(identifier(core));
    }
    None
}

/// `$5` → "5 dollars", `£1` → "1 pound", `€2.50` → "2.50 euros".
fn currency(core: &str) -> Option<String> {
    let mut chars = core.chars();
    let (one, many) = match chars.next()? {
        '$' => ("dollar", "dollars"),
        '£' => ("pound", "pounds"),
        '€' => ("euro", "euros"),
        _ => return None,
    };
    let amount = chars.as_str();
    let digits = amount.trim_end_matches(['k', 'K', 'm', 'M', 'b', 'B']);
    if digits.is_empty()
        || !digits.starts_with(|c: char| c.is_ascii_digit())
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let scale = match &amount[digits.len()..] {
        "" => "",
        "k" | "K" => " thousand",
        "m" | "M" => " million",
        "b" | "B" => " billion",
        _ => return None,
    };
    let unit = if amount == "1" { one } else { many };
    Some(format!("{digits}{scale} {unit}"))
}

/// `2^31` → "2 to the power of 31"; `-2^31` → "minus 2 to the power of 31"; `2^31-1` → "… minus 1".
fn power(core: &str) -> Option<String> {
    let (sign, rest) = match core.strip_prefix(['-', '−']) {
        Some(r) => ("minus ", r),
        None => ("", core),
    };
    let (base, exponent) = rest.split_once('^')?;
    if base.is_empty() || !base.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let exp_len = exponent.find(|c: char| !c.is_ascii_digit()).unwrap_or(exponent.len());
    if exp_len == 0 {
        return None;
    }
    let after = &exponent[exp_len..];
    let after = match after.chars().next() {
        None => String::new(),
        Some('-' | '−') if after[1..].chars().all(|c| c.is_ascii_digit()) => format!(" minus {}", &after[1..]),
        Some('+') if after[1..].chars().all(|c| c.is_ascii_digit()) => format!(" plus {}", &after[1..]),
        Some(_) => return None,
    };
    Some(format!("{sign}{base} to the power of {}{after}", &exponent[..exp_len]))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2024-03-05` → "5 March 2024"; with a time (`2015-05-28T14:07:17Z`), "… at 14:07:17".
fn iso_date(core: &str) -> Option<String> {
    let (date, time) = match core.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (core, None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (year, month, day): (u32, usize, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut said = format!("{day} {} {year}", MONTHS[month - 1]);
    if let Some(time) = time {
        let clock = time.trim_end_matches(['Z', 'z']);
        let clock = clock.split(['+', '.']).next().unwrap_or(clock);
        if clock.is_empty() || !clock.chars().all(|c| c.is_ascii_digit() || c == ':') {
            return None;
        }
        said.push_str(&format!(" at {clock}"));
        if time.ends_with(['Z', 'z']) {
            said.push_str(" UTC");
        }
    }
    Some(said)
}

/// A word made only of symbols: the ones people say, said; the rest not spoken.
fn symbol_word(word: &str) -> Option<&'static str> {
    if word.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(match word {
        "=" | "==" | "===" => "equals",
        "!=" | "≠" => "not equal to",
        "->" | "=>" | "→" => "to",
        "<=" | "≤" => "at most",
        ">=" | "≥" => "at least",
        "<" => "less than",
        ">" => "more than",
        "+" => "plus",
        "&" | "&&" => "and",
        "||" => "or",
        // A slash between the words of a list is a pause (see `words`).
        "/" => ",",
        "-" | "–" | "—" | "…" | "..." => return None,
        _ => "",
    })
}

/// Regular expressions, globs and other symbol soup nobody reads aloud.
fn looks_like_code(text: &str) -> bool {
    let symbols = text.chars().filter(|c| "\\^$|*[]{}()<>=+;`?@!~".contains(*c)).count();
    text.contains('\\')
        || text.contains("(?")
        || (text.contains('^') && text.contains('['))
        || text.matches(':').count() >= 3
        || symbols * 4 > text.chars().count().max(1)
}

/// A word with slashes: `CI/CD` → "CI CD", `and/or` → "and or", `batch/bulk` → "batch or
/// bulk", `application/json` → "application JSON", `/customers/{id}/addresses` → "addresses path".
fn slashes(core: &str) -> String {
    let parts: Vec<&str> = core.split('/').collect();
    if parts.iter().all(|p| p.trim().is_empty()) {
        return ",".into();
    }
    let is_path = core.starts_with('/')
        || core.ends_with('/')
        || parts.len() > 3
        || core.starts_with("./")
        || core.starts_with("~/");
    if is_path {
        return path(core);
    }
    if let Some(said) = media_type(core) {
        return said;
    }
    let capitals = |p: &&str| {
        p.chars().any(|c| c.is_ascii_uppercase()) && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let numbers = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if parts.iter().all(capitals) || (parts.len() == 3 && parts.iter().all(numbers)) {
        return parts.join(" ");
    }
    let said: Vec<String> = parts.iter().filter(|p| !p.is_empty()).map(|p| speak_plain(p)).collect();
    said.join(" or ")
}

/// `application/json` → "application JSON".
fn media_type(text: &str) -> Option<String> {
    let (kind, sub) = text.split_once('/')?;
    let known = matches!(kind, "application" | "text" | "image" | "audio" | "video" | "multipart" | "font");
    (known && !sub.is_empty() && !sub.contains('/')).then(|| format!("{kind} {}", code_token(sub)))
}

/// A prose word without slashes: identifiers split, the rest unchanged.
fn speak_plain(part: &str) -> String {
    if part.contains('_') { identifier(part) } else { part.to_string() }
}

/// A path by its last meaningful part: `/customers/{id}/addresses` → "addresses path";
/// `terraform/development/main.tf` → "main dot T F".
fn path(text: &str) -> String {
    let text = text.split(['?', '#']).next().unwrap_or(text);
    let last = text
        .split(['/', '\\'])
        .filter(|p| !p.starts_with(['{', ':', '<', '[']))
        .map(|p| p.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '_' && c != '-'))
        .rfind(|p| p.chars().any(char::is_alphanumeric));
    match last {
        Some(file) if file_extension(file).is_some() => file_name(file),
        Some(dir) => format!("{} path", identifier(dir)),
        None => "a path".into(),
    }
}

/// How inline code is spoken.
pub fn speak_code(code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        return String::new();
    }
    if code.contains("://") {
        let host = super::extract::speak_url(code);
        return if host != code && host.chars().all(|c| c.is_alphanumeric() || ".-:".contains(c)) {
            host
        } else {
            CODE_NOTE.into()
        };
    }
    if let Some(date) = iso_date(code).or_else(|| power(code)) {
        return date;
    }
    if let Some(said) = symbol_word(code) {
        return if said.is_empty() { CODE_NOTE.into() } else { said.into() };
    }
    let tokens: Vec<&str> = code.split_whitespace().collect();
    if tokens.len() > 4 || code.chars().count() > 40 || looks_like_code(code.trim_end_matches("()")) {
        return CODE_NOTE.into();
    }
    tokens.iter().map(|t| code_token(t)).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
}

/// One whitespace-free token of code.
fn code_token(token: &str) -> String {
    let token =
        token.trim_end_matches("()").trim_matches(|c: char| matches!(c, '"' | '\'' | '{' | '}' | ':' | ',' | ';'));
    match token {
        "" => return String::new(),
        "=" | "==" => return "equals".into(),
        "!=" => return "not equals".into(),
        "&&" => return "and".into(),
        "||" => return "or".into(),
        _ => {}
    }
    let token = token.trim_start_matches('-');
    if token.contains('/') {
        return media_type(token).unwrap_or_else(|| path(token));
    }
    if let Some((key, value)) = token.split_once('=') {
        return format!("{} equals {}", code_token(key), code_token(value));
    }
    if token.contains(':') {
        return token.split(':').map(code_token).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
    }
    if file_extension(token).is_some() {
        return file_name(token);
    }
    identifier(token)
}

/// The extension of a file name written in code (`serverless.yml`, `.editorconfig`), when the
/// token looks like one: a dotted name whose last part is short and not a number.
fn file_extension(token: &str) -> Option<&str> {
    let (stem, ext) = token.rsplit_once('.')?;
    let known = matches!(
        ext.to_ascii_lowercase().as_str(),
        "yml"
            | "yaml"
            | "json"
            | "md"
            | "mdx"
            | "cs"
            | "csproj"
            | "sln"
            | "js"
            | "ts"
            | "tsx"
            | "jsx"
            | "tf"
            | "py"
            | "sql"
            | "csv"
            | "txt"
            | "html"
            | "css"
            | "pem"
            | "sh"
            | "xml"
            | "toml"
            | "rs"
            | "go"
            | "java"
            | "rb"
            | "env"
            | "lock"
            | "zip"
            | "nupkg"
            | "png"
            | "jpg"
            | "svg"
            | "editorconfig"
            | "gitignore"
            | "dockerignore"
            | "config"
    );
    (known && (stem.is_empty() || stem.chars().any(char::is_alphanumeric))).then_some(ext)
}

/// `serverless.yml` → "serverless dot YAML", `.editorconfig` → "dot editorconfig".
fn file_name(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let said: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| if i + 1 == parts.len() { extension_word(p) } else { identifier(p) })
        .collect();
    said.join(" dot ").trim().to_string()
}

fn extension_word(ext: &str) -> String {
    match ext.to_ascii_lowercase().as_str() {
        "yml" | "yaml" => "YAML".into(),
        "json" => "JSON".into(),
        "md" => "M D".into(),
        "mdx" => "M D X".into(),
        "cs" => "C S".into(),
        "csproj" => "C S proj".into(),
        "js" => "J S".into(),
        "ts" => "T S".into(),
        "tsx" => "T S X".into(),
        "jsx" => "J S X".into(),
        "tf" => "T F".into(),
        "py" => "P Y".into(),
        "sh" => "S H".into(),
        "rs" => "R S".into(),
        "txt" => "text".into(),
        e @ ("sql" | "csv" | "html" | "css" | "xml" | "pem" | "toml" | "svg" | "png" | "jpg") => e.to_uppercase(),
        _ => identifier(ext),
    }
}

/// An identifier as words: `AWS_ACCESS_KEY_ID` → "AWS access key ID", `dateOfBirth` → "date of
/// birth", `docker-compose` → "docker compose". Acronyms keep their capitals.
pub fn identifier(ident: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let ident = ident.replace('+', " plus ");
    for chunk in ident.split(|c: char| c == '_' || c == '-' || c == '.' || c.is_whitespace()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (prev, cur) = (chars[i - 1], chars[i]);
            let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            // fooBar | FOOBar (before "Bar") | foo2 stays (v2, S3, EC2)
            let boundary = (prev.is_lowercase() && cur.is_uppercase())
                || ((prev.is_uppercase() || prev.is_ascii_digit()) && cur.is_uppercase() && next_lower);
            if boundary {
                words.push(chars[start..i].iter().collect());
                start = i;
            }
        }
        if start < chars.len() {
            words.push(chars[start..].iter().collect());
        }
    }
    let said: Vec<String> = words
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let upper = w.to_uppercase();
            let all_caps = w.chars().all(|c| !c.is_lowercase());
            let vowels = upper.chars().any(|c| "AEIOUY".contains(c));
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else if all_caps && (!vowels || w.chars().count() <= 2) {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    said.join(" ")
}

#[cfg(test)]
#[path = "spoken_tests.rs"]
mod tests;
