//! `Location`: which store to open, a sled folder or a PostgreSQL URL, shown without password.

use std::path::PathBuf;

use super::redact_url;

/// Where the data lives: `[store] url` when set, else sled in `bot.data_dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sled(PathBuf),
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names PostgreSQL; anything else a sled folder.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_owned())
        } else {
            Location::Sled(PathBuf::from(text))
        }
    }
}

impl std::fmt::Display for Location {
    /// For logs and errors: a PostgreSQL URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sled(dir) => write!(f, "sled at {}", dir.display()),
            Location::Postgres(url) => write!(f, "PostgreSQL at {}", redact_url(url)),
        }
    }
}
