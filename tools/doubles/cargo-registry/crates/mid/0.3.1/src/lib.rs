//! Depends on leaf 0.1, so whoever depends on mid pulls leaf in transitively.

pub const VERSION: &str = "0.3.1";

/// Names this crate and the leaf it was built against.
pub fn describe() -> String {
    format!("mid {VERSION} on leaf {}", leaf::VERSION)
}

pub fn digest(text: &str) -> u32 {
    leaf::hash(text.as_bytes())
}
