//! The vocabulary of the generated corpus: engineering-handbook English, embedded so generating
//! needs no download. Nouns and verbs are regular, so plurals and third-person forms follow
//! simple spelling rules ([`plural`], [`third_person`]).

/// Singular, single-word, regular nouns.
#[rustfmt::skip]
pub const NOUNS: &[&str] = &[
        "service", "endpoint", "request", "response", "token", "queue", "pipeline", "deployment", "database", "migration",
        "schema", "cache", "gateway", "cluster", "container", "repository", "branch", "commit", "release", "test",
        "fixture", "module", "handler", "controller", "record", "resident", "payment", "account", "tenant", "report",
        "dashboard", "alert", "metric", "trace", "secret", "credential", "policy", "role", "permission", "bucket",
        "function", "worker", "job", "schedule", "event", "message", "topic", "subscriber", "consumer", "producer",
        "client", "library", "package", "dependency", "version", "environment", "stage", "developer", "team", "reviewer",
        "owner", "ticket", "incident", "backup", "snapshot", "index", "query", "table", "column", "field", "payload",
        "header", "parameter", "contract", "specification", "interface", "boundary", "layer", "domain", "entity",
        "factory", "mock", "stub", "assertion", "build", "artifact", "image", "registry", "template", "variable",
        "setting", "flag", "feature", "rollout", "canary", "region", "network", "subnet", "firewall", "certificate",
        "timeout", "retry", "limit", "quota", "threshold", "budget", "checklist", "guideline", "standard", "practice",
        "convention", "decision", "diagram", "workflow", "process", "step", "review", "approval", "change", "document",
        "page", "section", "example", "note", "warning", "error", "exception", "failure", "fallback", "result", "value",
        "key", "identifier", "reference", "link", "resource", "property", "address", "user", "customer", "officer",
        "tool", "script", "command", "runner", "agent", "proxy", "router", "listener", "connection", "session",
        "cookie", "route", "path", "file", "folder", "format", "parser", "serializer", "validator", "rule",
        "constraint", "transaction", "lock", "batch", "stream", "window", "buffer", "offset", "cursor", "filter", "sort",
        "search", "feed",
];

/// Regular verbs in their base form.
#[rustfmt::skip]
pub const VERBS: &[&str] = &[
      "validate", "deploy", "store", "send", "receive", "check", "update", "create", "delete", "review", "test", "log",
      "monitor", "cache", "retry", "publish", "consume", "configure", "document", "rotate", "encrypt", "decrypt",
      "migrate", "query", "index", "build", "release", "approve", "merge", "describe", "record", "measure", "handle",
      "return", "reject", "accept", "expose", "protect", "schedule", "trigger", "call", "read", "write", "load",
      "parse", "render", "map", "transform", "compare", "track", "report", "restore", "share", "reuse", "replace",
      "remove", "add", "define", "tag", "split", "group", "limit", "throttle", "follow", "apply", "enforce", "verify",
      "inspect", "debug", "fix", "refactor", "simplify", "wrap", "mock", "stub", "archive", "upload",
      "download", "sign", "filter", "collect", "forward", "notify", "register", "resolve", "invoke", "provision",
      "scale", "patch",
];

/// Adjectives.
#[rustfmt::skip]
pub const ADJECTIVES: &[&str] = &[
    "reliable", "small", "large", "new", "existing", "shared", "private", "public", "internal", "external",
    "automated", "manual", "consistent", "secure", "stable", "slow", "fast", "simple", "complex", "optional",
    "required", "default", "custom", "separate", "single", "previous", "current", "latest", "local", "remote",
    "readable", "valid", "invalid", "expensive", "cheap", "clear", "explicit", "implicit", "temporary", "permanent",
    "central", "isolated", "independent", "nightly", "weekly", "critical", "minor", "major", "healthy", "failing",
    "flaky", "idempotent", "versioned", "signed", "encrypted", "cached", "paginated", "asynchronous", "synchronous",
    "immutable", "legacy", "modern", "typical", "common", "rare", "unexpected", "careful", "strict", "lenient",
    "generic", "specific",
];

/// Adverbs that close a clause.
#[rustfmt::skip]
pub const ADVERBS: &[&str] = &[
    "carefully", "quickly", "early", "regularly", "automatically", "manually", "safely", "explicitly", "consistently",
    "once", "again", "first", "later", "locally", "remotely", "daily", "in parallel", "in order", "on every change",
    "before each release", "where possible", "by default",
];

/// Prepositions that introduce a noun phrase.
#[rustfmt::skip]
pub const PREPOSITIONS: &[&str] = &[
    "in", "on", "for", "from", "with", "without", "behind", "across", "through", "after", "before", "during",
    "inside", "around", "against", "under", "beside",
];

/// Plural subjects that can start a sentence.
#[rustfmt::skip]
pub const ACTORS: &[&str] = &[
    "Developers", "Teams", "Reviewers", "Engineers", "Most services", "New starters", "Operators", "Product owners",
    "Maintainers", "Consumers of the API", "Our pipelines", "Automated checks",
];

/// Words that make a recommendation.
#[rustfmt::skip]
pub const JUDGEMENTS: &[&str] = &[
    "important", "useful", "safer", "easier", "common", "good practice", "worth the effort", "cheaper",
];

/// Kinds of admonition.
#[rustfmt::skip]
pub const ADMONITIONS: &[&str] = &["note", "tip", "info", "caution", "warning", "danger"];

/// `service` → `services`, `dependency` → `dependencies`, `branch` → `branches`.
pub fn plural(noun: &str) -> String {
    add_suffix(noun)
}

/// `validate` → `validates`, `apply` → `applies`, `fix` → `fixes`.
pub fn third_person(verb: &str) -> String {
    add_suffix(verb)
}

/// English's regular `-s` suffix for nouns and verbs alike.
fn add_suffix(word: &str) -> String {
    let bytes = word.as_bytes();
    let before_last = bytes.len().checked_sub(2).map(|i| bytes[i]);
    if word.ends_with('y') && before_last.is_some_and(|b| !b"aeiou".contains(&b)) {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|end| word.ends_with(end)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// `a` or `an`, by the first letter of the next word.
pub fn article(next: &str) -> &'static str {
    if next.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// The first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every word capitalised, except short joining words after the first.
pub fn title_case(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && matches!(w, "and" | "or" | "the" | "of" | "to" | "for" | "with" | "in" | "a" | "an") {
                w.to_string()
            } else {
                capitalise(w)
            }
        })
        .collect();
    words.join(" ")
}

/// github-slugger's id for ASCII text: lowercase, each space a `-`, other punctuation dropped.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_rules() {
        assert_eq!(plural("dependency"), "dependencies");
        assert_eq!(plural("key"), "keys");
        assert_eq!(plural("branch"), "branches");
        assert_eq!(third_person("fix"), "fixes");
        assert_eq!(slug("Tokens & scopes"), "tokens--scopes");
        assert_eq!(slug("Step 2: deploy the worker"), "step-2-deploy-the-worker");
    }
}
