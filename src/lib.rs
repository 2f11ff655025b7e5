//! lectern: builds a Docusaurus-style docs folder into a fast static site.
//!
//! The pipeline, one module per stage: `config` → `content` → `sidebar` → `markdown` →
//! `render` → `output`. `build` ties them together; the binary in `main.rs` only parses
//! arguments and prints errors.

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod environment;
pub mod external;
pub mod fingerprint;
pub mod links;
pub mod llms;
pub mod markdown;
pub mod new;
pub mod output;
pub mod pages;
pub mod redirects;
pub mod render;
pub mod search;
pub mod serve;
pub mod sidebar;
pub mod speech;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
