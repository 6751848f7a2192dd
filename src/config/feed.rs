//! One `[[feeds]]` entry as the rest of sokbo sees it: its source decided once at load (an
//! http(s) feed or a folder of posts), and its per-feed options.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::RequestSettings;

/// Where a feed's posts come from: the entry's `url` or `path`, exactly one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedSource {
    /// An http(s) feed (RSS, Atom, JSON Feed), polled; the URL as written in the config.
    Http(String),
    /// A directory of front-matter posts, watched; resolved against the config file's directory
    /// when it was relative.
    Folder(PathBuf),
}

impl FeedSource {
    /// The feed URL of an http source.
    pub fn url(&self) -> Option<&str> {
        match self {
            FeedSource::Http(url) => Some(url),
            FeedSource::Folder(_) => None,
        }
    }

    /// The directory of a folder source.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            FeedSource::Http(_) => None,
            FeedSource::Folder(path) => Some(path),
        }
    }
}

/// One source and how its posts are turned into alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedConfig {
    pub name: String,
    pub source: FeedSource,
    /// Base for links and images of a folder source.
    pub site_url: Option<String>,
    /// Jekyll permalink pattern for a folder source ("date" when unset).
    pub permalink: Option<String>,
    pub interval: Duration,
    /// Added to every post of this feed.
    pub categories: Vec<String>,
    /// Every post of this feed is breaking news.
    pub breaking: bool,
    /// Summarize new posts from their article page: "auto" (when the feed gives only teasers),
    /// "always" or "never".
    pub full_text: FullText,
    /// Headers, cookies, basic auth and proxy of this feed's requests.
    pub request: RequestSettings,
}

impl FeedConfig {
    /// A feed named `name` reading `source`, with every other key at its default.
    pub fn new(name: impl Into<String>, source: FeedSource) -> FeedConfig {
        FeedConfig {
            name: name.into(),
            source,
            site_url: None,
            permalink: None,
            interval: default_interval(),
            categories: Vec::new(),
            breaking: false,
            full_text: FullText::Auto,
            request: RequestSettings::default(),
        }
    }
}

/// When a post's article page is fetched to summarize it from its own text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FullText {
    /// When the feed gives only a teaser (no content, a short or cut description).
    #[default]
    Auto,
    Always,
    Never,
}

pub(super) fn default_interval() -> Duration {
    Duration::from_secs(60)
}
