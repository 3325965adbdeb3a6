//! Plain text by default; with the `color` feature, painted by the optional tint.

#[cfg(feature = "color")]
pub fn render(text: &str) -> String {
    tint::paint(text)
}

#[cfg(not(feature = "color"))]
pub fn render(text: &str) -> String {
    text.to_string()
}
