//! lectern: builds a Docusaurus-style docs folder into a fast static site.
//!
//! The model sits below every stage: `files` (the built site's files) and `site` (the loaded
//! site, one record per page), with `diagnostic` for mistakes in a user's files and `html` for
//! reading HTML back. The stages, in the order the pipeline runs them, each taking the model and
//! giving data back; `build` drives them and only the binary (`main.rs`) and `serve` import it.
//! See docs/06-ways-of-working/04-code-layout.md for the picture.

// The model.
pub mod diagnostic;
pub mod files;
pub mod html;
pub mod site;

// The stages, in pipeline order.
pub mod check;
pub mod config;
pub mod content;
pub mod fingerprint;
pub mod links;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod render;
pub mod search;
pub mod sidebar;
pub mod speech;

// On top: the pipeline, and the commands beside it.
pub mod build;
pub mod new;
pub mod serve;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
