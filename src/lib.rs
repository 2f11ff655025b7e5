//! lectern: builds a Docusaurus-style docs folder into a fast static site.
//!
//! The model sits below every stage: `files` (the built site's files) and `site` (the loaded
//! site, one record per page), with `diagnostic` for mistakes in a user's files, `located` for
//! settings read with the line of every part, and `html` for reading HTML back. The stages, in the order the pipeline runs them, each taking the model and
//! giving data back; `build` drives them and only the binary (`main.rs`) and `serve` import it.
//! See docs/06-ways-of-working/04-code-layout.md for the picture.

// The model.
pub mod diagnostic;
pub mod files;
pub mod html;
pub mod located;
pub mod site;

// The stages, in the order the pipeline runs them (one comment each keeps rustfmt from sorting
// them).
// 1. lectern.yml, --env and LECTERN_* into a Config.
pub mod config;
// 1a. A Docusaurus site's own config, when there is no lectern.yml.
pub mod docusaurus;
// 1b. Which environment a build is for, and its banner.
pub mod environment;
// 2. The docs folder into docs, categories and static files.
pub mod content;
// 3. The link index every page's links resolve against.
pub mod links;
// 3a. Redirect pages from lectern.yml and old_paths.
pub mod redirects;
// 4. Each page's markdown into HTML.
pub mod markdown;
// 5. Sidebars, previous/next, breadcrumbs.
pub mod sidebar;
// 5a. What `<DocCardList />` and generated index pages list, from the sidebars.
pub mod cards;
// 6. Spoken sections into audio, captions and players.
pub mod speech;
// 7. Broken links and anchors (`lectern check`), and external links (`--external`).
pub mod check;
pub mod external;
// 8. What each output file is made from, for reuse.
pub mod fingerprint;
// 9. Each page's view and the render loop into a sink.
pub mod pages;
// 10. The theme's templates, views and escaping.
pub mod render;
// 11. The search index.
pub mod search;
// 11a. llms.txt and llms-full.txt.
pub mod llms;
// 12. The output folder.
pub mod output;
// 12a. What a build's output was made from, so a build with nothing changed does nothing.
pub mod unchanged;
// 12b. What a build leaves for the next one, so a build after a few pages changed does the work
// of those pages and what depends on them.
pub mod incremental;

// On top: the pipeline, and the commands beside it.
pub mod build;
pub mod migrate;
pub mod new;
pub mod serve;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
