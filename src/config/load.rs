//! Loading: read, parse with spans, reject unknown keys, deserialize section by section, resolve
//! relative paths, apply environment overrides, validate — every error located by line and key.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::Config;
use super::error::ConfigError;
use super::fields::{self, Shape};
use super::file::ConfigFile;
use super::lines::{DocIndex, key_segment};

/// Environment variables that override config values, with the key each one sets.
pub const ENV_OVERRIDES: [(&str, &str); 5] = [
    ("SOKBO_DATA_DIR", "bot.data_dir"),
    ("SOKBO_DATABASE_URL", "store.url"),
    ("SOKBO_NODE_ID", "cluster.node_id"),
    ("SOKBO_TELEGRAM_TOKEN", "telegram.token"),
    ("SOKBO_DISCORD_TOKEN", "discord.token"),
];

impl Config {
    /// Reads and validates the file at `path`, with overrides from the process environment.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with_env(path, &|name| std::env::var(name).ok())
    }

    /// `load`, with the environment given as a lookup function (for hermetic callers).
    pub fn load_with_env(
        path: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        let base_dir = path.parent().unwrap_or(Path::new(""));
        Config::from_toml_with_env(&text, &path.display().to_string(), base_dir, env)
    }

    /// Parses and validates `text`, without environment overrides. `origin` names the text in
    /// errors; relative paths in it are resolved against `base_dir`.
    pub fn from_toml(text: &str, origin: &str, base_dir: &Path) -> Result<Config, ConfigError> {
        Config::from_toml_with_env(text, origin, base_dir, &|_| None)
    }

    /// `from_toml`, then the overrides of [`ENV_OVERRIDES`] looked up through `env` (an empty
    /// value counts as unset; `SOKBO_DATA_DIR` is taken as given, not resolved against
    /// `base_dir`), then validation.
    pub fn from_toml_with_env(
        text: &str,
        origin: &str,
        base_dir: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let root = DeTable::parse(text).map_err(|e| ConfigError::Parse {
            origin: origin.to_owned(),
            line: e.span().map(|span| line_in(text, span.start)),
            key: String::new(),
            message: e.message().to_owned(),
        })?;
        let index = DocIndex::new(text, root.get_ref());
        let located = Located {
            origin,
            index: &index,
        };
        if let Some(error) = ConfigError::collect(located.unknown_keys(root.get_ref())) {
            return Err(error);
        }
        let mut file = located.deserialize(root.into_inner())?;
        resolve_paths(&mut file, base_dir);
        let overridden = apply_env(&mut file, env);
        let (config, problems) = file.validate();
        let errors = problems.into_iter().map(|problem| {
            let (origin, line) = match overridden.iter().find(|(_, key)| *key == problem.key) {
                Some((var, _)) => (format!("env {var}"), None),
                None => (origin.to_owned(), index.line_of(&problem.key)),
            };
            ConfigError::Invalid {
                origin,
                line,
                key: problem.key,
                message: problem.message,
            }
        });
        match ConfigError::collect(errors.collect()) {
            Some(error) => Err(error),
            None => Ok(config),
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_in(text: &str, offset: usize) -> usize {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    before.iter().filter(|b| **b == b'\n').count() + 1
}

/// Turns spans into located errors for one document.
struct Located<'a> {
    origin: &'a str,
    index: &'a DocIndex,
}

impl Located<'_> {
    /// Keys that no section accepts: unknown top-level keys, and unknown keys inside `[section]`
    /// tables and `[[section]]` entries. Values of the wrong shape are left to deserialization.
    fn unknown_keys(&self, root: &DeTable<'_>) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        for (key, value) in root.iter() {
            let name = key.get_ref();
            match (fields::shape(name), value.get_ref()) {
                (None, _) => {
                    errors.push(self.unknown(&key_segment(name), key, fields::top_level()))
                }
                (Some(Shape::Table(known)), DeValue::Table(table)) => {
                    self.unknown_in(table, name, known, &mut errors)
                }
                (Some(Shape::TableArray(known)), DeValue::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        if let DeValue::Table(table) = item.get_ref() {
                            self.unknown_in(table, &format!("{name}[{i}]"), known, &mut errors);
                        }
                    }
                }
                _ => {}
            }
        }
        errors
    }

    fn unknown_in(
        &self,
        table: &DeTable<'_>,
        path: &str,
        known: &[&str],
        errors: &mut Vec<ConfigError>,
    ) {
        for (key, _) in table.iter() {
            if !known.contains(&key.get_ref().as_ref()) {
                let path = format!("{path}.{}", key_segment(key.get_ref()));
                errors.push(self.unknown(&path, key, known));
            }
        }
    }

    fn unknown<K>(&self, path: &str, key: &Spanned<K>, known: &[&str]) -> ConfigError {
        ConfigError::UnknownKey {
            origin: self.origin.to_owned(),
            line: Some(self.index.line_at(key.span().start)),
            key: path.to_owned(),
            expected: known.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    /// Deserializes each section, and each `[[feeds]]`/`[[routes]]` entry, on its own, so that
    /// one bad value does not hide the errors of the others.
    fn deserialize(&self, root: DeTable<'_>) -> Result<ConfigFile, ConfigError> {
        let mut config = ConfigFile::default();
        let mut errors = Vec::new();
        for (key, value) in root {
            if let Some(error) = self.shape_error(key.get_ref(), &value) {
                errors.push(error);
                continue;
            }
            let mut take = Take {
                located: self,
                errors: &mut errors,
            };
            // On an error the section keeps its default; the config is then discarded anyway.
            match key.get_ref().as_ref() {
                "bot" => config.bot = take.one(value).unwrap_or_default(),
                "alerts" => config.alerts = take.one(value).unwrap_or_default(),
                "summary" => config.summary = take.one(value).unwrap_or_default(),
                "http" => config.http = take.one(value).unwrap_or_default(),
                "delivery" => config.delivery = take.one(value).unwrap_or_default(),
                "store" => config.store = take.one(value).unwrap_or_default(),
                "cluster" => config.cluster = take.one(value).unwrap_or_default(),
                "chat_feeds" => config.chat_feeds = take.one(value).unwrap_or_default(),
                "telegram" => config.telegram = take.one(value),
                "discord" => config.discord = take.one(value),
                "server" => config.server = take.one(value),
                "feeds" => config.feeds = take.list(value).unwrap_or_default(),
                "routes" => config.routes = take.list(value).unwrap_or_default(),
                _ => {}
            }
        }
        match ConfigError::collect(errors) {
            Some(error) => Err(error),
            None => Ok(config),
        }
    }

    /// A section written as the wrong kind of value (`bot = 3`, `[[bot]]`, `[feeds]`).
    fn shape_error(&self, section: &str, value: &Spanned<DeValue<'_>>) -> Option<ConfigError> {
        let expected = match fields::shape(section)? {
            Shape::Table(_) if !value.get_ref().is_table() => format!("a table [{section}]"),
            Shape::TableArray(_) if !value.get_ref().is_array() => {
                format!("an array of tables [[{section}]]")
            }
            _ => return None,
        };
        let found = match value.get_ref() {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a float",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a date-time",
            DeValue::Array(_) => "an array",
            DeValue::Table(_) => "a table",
        };
        Some(ConfigError::Parse {
            origin: self.origin.to_owned(),
            line: Some(self.index.line_at(value.span().start)),
            key: section.to_owned(),
            message: format!("expected {expected}, found {found}"),
        })
    }

    fn parse_error(&self, error: &toml::de::Error) -> ConfigError {
        let (line, key) = match error.span() {
            Some(span) => (
                Some(self.index.line_at(span.start)),
                self.index.path_at(&span),
            ),
            None => (None, ""),
        };
        ConfigError::Parse {
            origin: self.origin.to_owned(),
            line,
            key: key.to_owned(),
            message: error.message().to_owned(),
        }
    }
}

/// Deserializes values, recording failures instead of stopping at them.
struct Take<'a, 'b> {
    located: &'a Located<'a>,
    errors: &'b mut Vec<ConfigError>,
}

impl Take<'_, '_> {
    fn one<T: DeserializeOwned>(&mut self, value: Spanned<DeValue<'_>>) -> Option<T> {
        T::deserialize(ValueDeserializer::from(value))
            .map_err(|e| self.errors.push(self.located.parse_error(&e)))
            .ok()
    }

    fn list<T: DeserializeOwned>(&mut self, value: Spanned<DeValue<'_>>) -> Option<Vec<T>> {
        let span = value.span();
        match value.into_inner() {
            DeValue::Array(items) => {
                let all: Vec<Option<T>> = items.into_iter().map(|item| self.one(item)).collect();
                all.into_iter().collect()
            }
            other => self.one(Spanned::new(span, other)),
        }
    }
}

/// Joins relative, non-empty `bot.data_dir` and `feeds[].path` onto `base_dir`.
fn resolve_paths(config: &mut ConfigFile, base_dir: &Path) {
    let resolve = |path: &mut PathBuf| {
        if path.is_relative() && !path.as_os_str().is_empty() {
            *path = base_dir.join(&*path);
        }
    };
    resolve(&mut config.bot.data_dir);
    for feed in &mut config.feeds {
        if let Some(path) = &mut feed.path {
            resolve(path);
        }
    }
}

/// Applies the set, non-empty overrides; returns `(variable, key)` of each one applied.
fn apply_env(
    config: &mut ConfigFile,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<(&'static str, &'static str)> {
    let mut applied = Vec::new();
    for (var, key) in ENV_OVERRIDES {
        let Some(value) = env(var).filter(|v| !v.is_empty()) else {
            continue;
        };
        match key {
            "bot.data_dir" => config.bot.data_dir = PathBuf::from(value),
            "store.url" => config.store.url = value,
            "cluster.node_id" => config.cluster.node_id = value,
            "telegram.token" => config.telegram.get_or_insert_with(Default::default).token = value,
            "discord.token" => config.discord.get_or_insert_with(Default::default).token = value,
            _ => continue,
        }
        applied.push((var, key));
    }
    applied
}
