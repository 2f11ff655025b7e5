//! Environments: which ones exist and which one a command uses when none is named.
//!
//! In: the name asked for (`--env`, `LECTERN_ENV` or the command's default) and the names
//! declared under `environments:` in `lectern.yml`. Out: the name, or an error with a
//! "did you mean" hint — a mistyped `--env prod` must not publish a site labelled "prod".

/// The environments every site has, declared or not.
pub const BUILT_IN: [&str; 3] = ["development", "staging", "production"];

/// The environment `build`, `check` and `routes` use when none is named: what is published.
pub const PUBLISHED: &str = "production";

/// The environment `serve` uses when none is named.
pub const PREVIEW: &str = "development";

/// Accepts `name` when it is built in or declared; otherwise an error naming the choices.
pub fn validate<'a>(name: &str, declared: impl IntoIterator<Item = &'a str>) -> anyhow::Result<()> {
    let mut known: Vec<&str> = BUILT_IN.to_vec();
    for d in declared {
        if !known.contains(&d) {
            known.push(d);
        }
    }
    if known.contains(&name) {
        return Ok(());
    }
    let hint = match crate::diagnostic::closest(name, known.iter().copied()).or_else(|| prefixed(name, &known)) {
        Some(k) => format!("did you mean `{k}`? "),
        None => String::new(),
    };
    anyhow::bail!(
        "unknown environment `{name}`\nhelp: {hint}the environments are {}; declare others under `environments:` in lectern.yml",
        known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
    )
}

/// `prod` → `production`: an abbreviation is a likely typo even when it is far in edit distance.
fn prefixed<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut hits = known.iter().filter(|k| lower.len() >= 3 && k.starts_with(&lower));
    match (hits.next(), hits.next()) {
        (Some(k), None) => Some(k),
        _ => None,
    }
}

/// The first line a build prints: which environment, and what that means for the output.
pub fn banner_line(environment: &str) -> String {
    if environment == PUBLISHED {
        format!("building for {environment}: drafts left out, indexable by search engines")
    } else {
        format!(
            "building for {environment}: drafts included, an environment banner on every page, not indexable (--env production to publish)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown() {
        assert!(validate("production", []).is_ok());
        assert!(validate("qa", ["qa"]).is_ok());
        for (name, declared, hint) in [
            ("prod", vec![], Some("production")),
            ("prodution", vec![], Some("production")),
            ("stagin", vec![], Some("staging")),
            ("qa2", vec!["qa"], Some("qa")),
            ("xyzzy", vec![], None),
        ] {
            let e = validate(name, declared).unwrap_err().to_string();
            assert!(e.starts_with(&format!("unknown environment `{name}`")), "{e}");
            match hint {
                Some(h) => assert!(e.contains(&format!("did you mean `{h}`?")), "{e}"),
                None => assert!(!e.contains("did you mean"), "{e}"),
            }
        }
    }
}
