//! `lectern new DIR`: writes a small, working playbook to start from.
//!
//! In: a folder that does not exist or is empty. Out: `lectern.yml` with three environments,
//! pages in a numbered category with an image, an admonition, code and a `<TextToSpeech>` block,
//! a `.gitignore`, and the CI recipes of `examples/ci/` (GitHub Pages and CircleCI). The files
//! are compiled into the binary, so the output is the same byte for byte on every run, and it
//! builds and checks with no warnings.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Every file of the skeleton: (path below DIR, contents).
pub const FILES: &[(&str, &[u8])] = &[
    ("lectern.yml", LECTERN_YML.as_bytes()),
    (".gitignore", b"/build\n.lectern-cache/\n"),
    ("README.md", README.as_bytes()),
    ("docs/index.md", INDEX.as_bytes()),
    ("docs/01-getting-started/_category_.yml", CATEGORY.as_bytes()),
    ("docs/01-getting-started/01-writing-pages.md", WRITING.as_bytes()),
    ("docs/01-getting-started/02-listening.md", LISTENING.as_bytes()),
    ("docs/02-publishing.md", PUBLISHING.as_bytes()),
    ("docs/doc-images/pages-to-site.png", include_bytes!("../doc-images/pages-to-site.png")),
    (".github/workflows/docs.yml", include_str!("../examples/ci/github-pages.yml").as_bytes()),
    (".circleci/config.yml", include_str!("../examples/ci/circleci.yml").as_bytes()),
];

/// Writes the skeleton into `dir` (created when missing) and returns the files written, in
/// order. Refuses a `dir` that is a file or a folder with anything in it.
pub fn create(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let mut entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        if entries.next().is_some() {
            bail!("{} is not empty: `lectern new` only writes into a new or empty folder", dir.display());
        }
    }
    let mut written = Vec::with_capacity(FILES.len());
    for (rel, bytes) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

const LECTERN_YML: &str = r#"# lectern's settings for this playbook. Every key is optional; see the configuration reference.
title: Our playbook
tagline: How we design, build and run our services
docs_dir: docs
route_base_path: /
on_broken_links: error
on_broken_anchors: warn
on_broken_images: error

# Pre-rendered audio for <TextToSpeech> blocks, made with espeak-ng when it is installed.
speech:
  prerender: auto
  voice: en-gb
  cache_dir: .lectern-cache/speech

# `--env NAME` picks one of these (`lectern build` uses production unless told); each overrides the keys above.
environments:
  development:
    url: https://docs-development.example.org
  staging:
    url: https://docs-staging.example.org
  production:
    url: https://docs.example.org
"#;

const README: &str = "# Our playbook

The pages are in `docs/`. Preview them while you write:

```sh
lectern serve
```

Check every link, anchor and image, as CI does:

```sh
lectern check .
```

CI recipes: `.github/workflows/docs.yml` (GitHub Pages) and `.circleci/config.yml` (CircleCI
with S3 and approvals). Keep the one you use and delete the other.
";

const INDEX: &str = "---
id: index
title: Welcome
sidebar_position: 0
---

# Welcome

This playbook collects how our team designs, builds, tests and runs its services. It is a folder
of Markdown pages that lectern builds into a website.

![Markdown pages in docs/ go through lectern build and come out as a static site in build/](./doc-images/pages-to-site.png)

- [Writing pages](./01-getting-started/01-writing-pages.md) shows what a page can hold.
- [Listening](./01-getting-started/02-listening.md) has a section you can listen to.
- [Publishing](./02-publishing.md) explains how the site reaches its readers.
";

const CATEGORY: &str = "label: Getting started
position: 1
collapsed: false
";

const WRITING: &str = "---
title: Writing pages
sidebar_position: 1
description: What a page of this playbook can hold.
---

# Writing pages

Every page is a Markdown file with a little YAML front matter at the top. The file name's number
prefix (`01-`) orders the sidebar and never shows in the URL.

## Admonitions

:::tip[Keep pages short]
One topic per page. Link to the next page instead of growing this one.
:::

## Code

Code blocks name their language, so they are highlighted:

```sh
lectern serve
```

## Links

Link to other pages by their file, like [the page you can listen to](./02-listening.md), or to a
heading on a page, like [the code section](#code).
";

const LISTENING: &str = "---
title: Listening
sidebar_position: 2
---

# Listening

Readers can listen to the section below: the build turns its text into audio, and the page shows
a player above it.

<TextToSpeech>

## On call in three steps

First, acknowledge the alert within five minutes. Then, open the runbook linked from the alert
and follow it. Finally, write down what you did in the incident channel, so the next person
knows.

</TextToSpeech>
";

const PUBLISHING: &str = "---
title: Publishing
sidebar_position: 2
---

# Publishing

`lectern check .` checks every link, anchor and image and exits with 1 when something is
broken, so CI can stop a bad change. `lectern build --env production` writes the site into
`build/`, ready for any static host.

:::note
Two CI recipes come with this playbook: `.github/workflows/docs.yml` deploys to GitHub Pages, and
`.circleci/config.yml` deploys to S3 buckets for development, staging and production.
:::
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_folder_with_files_and_writes_into_an_empty_one() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("x"), "").expect("writing");
        let err = create(tmp.path()).unwrap_err();
        assert!(err.to_string().contains("is not empty"), "{err}");
        let err = create(&tmp.path().join("x")).unwrap_err();
        assert!(err.to_string().contains("not a folder"), "{err}");

        let dir = tmp.path().join("site");
        let written = create(&dir).expect("new folder");
        assert_eq!(written.len(), FILES.len());
        for (rel, bytes) in FILES {
            assert_eq!(std::fs::read(dir.join(rel)).expect("written file"), *bytes, "{rel}");
        }
    }
}
