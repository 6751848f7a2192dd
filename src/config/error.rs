//! ConfigError: every way loading a config fails, each rendered as `origin:line: key: message`.

use std::fmt;
use std::path::PathBuf;

/// Why a config could not be loaded. `line` is 1-based; it is `None` when the value did not come
/// from the file (an environment override, whose variable is then the `origin`).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read (missing, unreadable, not UTF-8).
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not TOML, or a value of the wrong type or form (`key` is empty for syntax errors).
    #[error("{}", Located { origin, line: *line, key, message })]
    Parse {
        origin: String,
        line: Option<usize>,
        key: String,
        message: String,
    },
    /// A key that no section knows; `expected` lists the keys its table accepts.
    #[error("{}unknown key {key} (expected one of {})", Where(origin, *line), expected.join(", "))]
    UnknownKey {
        origin: String,
        line: Option<usize>,
        key: String,
        expected: Vec<String>,
    },
    /// Well-formed, but a value breaks a rule (range, URL, reference to a feed, …).
    #[error("{}", Located { origin, line: *line, key, message })]
    Invalid {
        origin: String,
        line: Option<usize>,
        key: String,
        message: String,
    },
    /// More than one of the above, in file order; displayed one per line.
    #[error("{}", Lines(.0))]
    Many(Vec<ConfigError>),
}

impl ConfigError {
    /// The single errors this error stands for (itself, unless it is `Many`).
    pub fn errors(&self) -> &[ConfigError] {
        match self {
            ConfigError::Many(all) => all,
            one => std::slice::from_ref(one),
        }
    }

    /// The line this error points at (the first one's, for `Many`).
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfigError::Io { .. } => None,
            ConfigError::Parse { line, .. }
            | ConfigError::UnknownKey { line, .. }
            | ConfigError::Invalid { line, .. } => *line,
            ConfigError::Many(all) => all.first().and_then(ConfigError::line),
        }
    }

    /// One error, or `Many` sorted by line (errors without a line last); `None` for no errors.
    pub(crate) fn collect(mut errors: Vec<ConfigError>) -> Option<ConfigError> {
        errors.sort_by_key(|e| (e.line().is_none(), e.line()));
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(ConfigError::Many(errors)),
        }
    }
}

/// `origin:line: ` (or `origin: ` without a line).
struct Where<'a>(&'a str, Option<usize>);

impl fmt::Display for Where<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(line) => write!(f, "{}:{line}: ", self.0),
            None => write!(f, "{}: ", self.0),
        }
    }
}

/// `origin:line: key: message`, leaving out `key: ` when there is no key.
struct Located<'a> {
    origin: &'a str,
    line: Option<usize>,
    key: &'a str,
    message: &'a str,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Where(self.origin, self.line))?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(self.message)
    }
}

struct Lines<'a>(&'a [ConfigError]);

impl fmt::Display for Lines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}
