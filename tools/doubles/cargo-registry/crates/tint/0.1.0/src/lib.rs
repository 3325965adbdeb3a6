//! Wraps text in a colour; only reached through fancy's `color` feature.

pub fn paint(text: &str) -> String {
    format!("[red]{text}[/red]")
}
