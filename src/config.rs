//! Typed config.toml: sections, defaults, env overrides; errors name the key and the line.

mod chat_feeds;
mod checks;
mod cluster;
mod delivery;
mod error;
mod feed;
mod fields;
mod file;
mod http;
mod lines;
mod load;
mod request;
mod secrets;
mod store;
mod validate;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::model::Lang;

pub use chat_feeds::{ChatFeedsAllow, ChatFeedsConfig};
pub use cluster::ClusterConfig;
pub use delivery::DeliveryConfig;
pub use error::ConfigError;
pub use feed::{FeedConfig, FeedSource, FullText};
pub use http::HttpConfig;
pub use load::ENV_OVERRIDES;
pub use request::{BasicAuth, RequestSettings, redact_proxy};
pub use store::StoreConfig;
pub use validate::Problem;

/// The whole configuration, as loaded and validated.
///
/// `Config::default()` is the configuration of an empty file: no feeds, no chat platforms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub bot: BotConfig,
    pub alerts: AlertsConfig,
    /// Optional abstractive summaries through an OpenAI-compatible endpoint.
    pub summary: crate::summary::llm::SummaryConfig,
    pub http: HttpConfig,
    pub delivery: DeliveryConfig,
    pub store: StoreConfig,
    pub cluster: ClusterConfig,
    /// Feeds chats add themselves.
    pub chat_feeds: ChatFeedsConfig,
    pub telegram: Option<TelegramConfig>,
    pub discord: Option<DiscordConfig>,
    pub server: Option<ServerConfig>,
    pub feeds: Vec<FeedConfig>,
    pub routes: Vec<RouteConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotConfig {
    /// sled lives here. A relative path in the file is resolved against the file's directory;
    /// `SOKBO_DATA_DIR` is taken as given.
    pub data_dir: PathBuf,
    /// Replies and alerts; a Telegram or Discord user's own language overrides it for replies.
    pub language: Lang,
    pub timezone: chrono_tz::Tz,
    /// Print alerts to stdout: "auto" (when no Telegram token is set), "always" or "never".
    pub console: ConsoleMode,
}

impl Default for BotConfig {
    fn default() -> Self {
        BotConfig {
            data_dir: PathBuf::from("data"),
            language: Lang::Ko,
            timezone: chrono_tz::Asia::Seoul,
            console: ConsoleMode::Auto,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsoleMode {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// Alerts for posts already present when a feed is first seen (newest first).
    pub backlog: usize,
    pub summary_max_chars: usize,
    pub breaking_keywords: Vec<String>,
    /// "sentences" (a short paragraph) or "lines" (up to three bullet lines).
    pub summary_style: SummaryStyle,
    /// Posts first seen longer ago than this are forgotten (a post coming back after that alerts
    /// again only if it is newer than this).
    #[serde(deserialize_with = "de_duration")]
    pub seen_retention: Duration,
    /// Longest wait for an article page (full-text summaries); past it the teaser's summary goes.
    #[serde(deserialize_with = "de_duration")]
    pub full_text_timeout: Duration,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            backlog: 0,
            summary_max_chars: 200,
            breaking_keywords: vec!["속보".into(), "긴급".into(), "Breaking".into()],
            summary_style: SummaryStyle::Sentences,
            seen_retention: Duration::from_secs(180 * 24 * 3600),
            full_text_timeout: Duration::from_secs(3),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SummaryStyle {
    Sentences,
    Lines,
}

/// Debug prints secrets as `"<redacted>"`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {
    #[serde(default)]
    pub token: String,
    #[serde(default = "default_telegram_api")]
    pub api_url: String,
    /// Send an alert's image as a photo with the alert as its caption (else: link preview).
    #[serde(default)]
    pub photo: bool,
}

/// Debug prints secrets as `"<redacted>"`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    #[serde(default)]
    pub token: String,
    #[serde(default = "default_discord_api")]
    pub api_url: String,
    #[serde(default)]
    pub gateway_url: String,
}

/// Debug prints secrets as `"<redacted>"`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    #[serde(default = "default_listen")]
    pub listen: String,
    #[serde(default)]
    pub ping_token: String,
    #[serde(default)]
    pub public_url: String,
}

/// A static push target, besides chat subscriptions.
/// Debug shows only the scheme and host of `discord_webhook` (its path is a secret).
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    #[serde(default)]
    pub telegram_chat: Option<String>,
    #[serde(default)]
    pub discord_channel: Option<u64>,
    #[serde(default)]
    pub discord_webhook: Option<String>,
    /// Only posts in one of these categories (empty: all).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Only posts of these feeds (empty: all).
    #[serde(default)]
    pub feeds: Vec<String>,
}

impl Default for TelegramConfig {
    fn default() -> Self {
        TelegramConfig {
            token: String::new(),
            api_url: default_telegram_api(),
            photo: false,
        }
    }
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            token: String::new(),
            api_url: default_discord_api(),
            gateway_url: String::new(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: default_listen(),
            ping_token: String::new(),
            public_url: String::new(),
        }
    }
}

fn default_telegram_api() -> String {
    "https://api.telegram.org".into()
}
fn default_discord_api() -> String {
    "https://discord.com".into()
}
fn default_listen() -> String {
    "127.0.0.1:8080".into()
}
pub(crate) fn de_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    humantime::parse_duration(&s).map_err(|_| {
        serde::de::Error::custom(format!("invalid duration {s:?} (try \"90s\", \"5m\")"))
    })
}

impl Config {
    /// Where the data lives: PostgreSQL at `store.url` when set, else sled in `bot.data_dir`.
    pub fn store_location(&self) -> crate::storage::Location {
        if self.store.url.is_empty() {
            crate::storage::Location::Sled(self.bot.data_dir.clone())
        } else {
            crate::storage::Location::Postgres(self.store.url.clone())
        }
    }

    /// The categories the configured feeds add to their posts, sorted, each once.
    pub fn feed_categories(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .feeds
            .iter()
            .flat_map(|f| f.categories.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
