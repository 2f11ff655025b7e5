//! The built site's files, as the stages hand them to a sink: below every stage, it imports
//! nothing from the crate.
//!
//! In: nothing. Out: [`OutputFile`] (one file's content or where to take it from) and
//! [`SiteFiles`] (the whole site in memory, for `serve` and `check`).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputFile {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied from the source tree.
    Copy(PathBuf),
    /// A file of lectern's own cache that never changes once made (named by a hash of what it
    /// holds, such as a block's audio): hard-linked into the output where it can be, as copying
    /// megabytes of audio into every fresh output folder costs more than the rest of the build.
    Cached(PathBuf),
}

/// The whole built site, by path relative to the output folder (`/` separators).
pub type SiteFiles = BTreeMap<String, OutputFile>;
