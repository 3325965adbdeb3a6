//! Bumped by each default sandbox commit, so a new commit is a real (if harmless) code change.
pub const REVISION: u32 = 0;
