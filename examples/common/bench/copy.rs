//! Copying a site into a scratch folder, so a benchmark's caches and output never land in the
//! original (a corpus may be read-only, or shared).

use std::path::Path;

use anyhow::{Context, Result};

/// Copies a site's files (not its `build/` or `.lectern-cache/`) into `to`.
pub fn copy_site(from: &Path, to: &Path) -> Result<()> {
    let mut stack = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((src, dest)) = stack.pop() {
        std::fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
        for entry in std::fs::read_dir(&src).with_context(|| format!("reading {}", src.display()))? {
            let entry = entry.with_context(|| format!("reading {}", src.display()))?;
            let (path, target) = (entry.path(), dest.join(entry.file_name()));
            let kind = entry.file_type().with_context(|| format!("reading {}", path.display()))?;
            let skipped = src == from && matches!(entry.file_name().to_str(), Some("build" | ".lectern-cache"));
            if kind.is_dir() && !skipped {
                stack.push((path, target));
            } else if kind.is_file() {
                std::fs::copy(&path, &target)
                    .with_context(|| format!("copying {} to {}", path.display(), target.display()))?;
            }
        }
    }
    Ok(())
}
