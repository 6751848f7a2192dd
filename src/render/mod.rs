//! Pure formatting of alerts for each platform, within its limits.

pub mod console;
pub mod telegram;
