//! config.toml as written, before validation decides what its values mean: the `[bot]` language
//! still a code, each `[[feeds]]` entry with `url` and `path` still two keys. Loading deserializes this, validation turns it into
//! the typed [`Config`](super::Config); the key names in errors come from these structs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use super::feed::default_interval;
use super::request::{BasicAuth, RequestSettings};
use super::{
    AlertsConfig, BotConfig, ChatFeedsConfig, ClusterConfig, ConsoleMode, DeliveryConfig,
    DiscordConfig, FeedConfig, FeedSource, FullText, HttpConfig, RouteConfig, ServerConfig,
    StoreConfig, TelegramConfig, de_duration,
};
use crate::summary::llm::SummaryConfig;

/// The whole file; a section left out keeps its default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfigFile {
    #[serde(default)]
    pub bot: BotFile,
    #[serde(default)]
    pub alerts: AlertsConfig,
    #[serde(default)]
    pub summary: SummaryConfig,
    #[serde(default)]
    pub http: HttpConfig,
    #[serde(default)]
    pub delivery: DeliveryConfig,
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub cluster: ClusterConfig,
    #[serde(default)]
    pub chat_feeds: ChatFeedsConfig,
    #[serde(default)]
    pub telegram: Option<TelegramConfig>,
    #[serde(default)]
    pub discord: Option<DiscordConfig>,
    #[serde(default)]
    pub server: Option<ServerConfig>,
    #[serde(default)]
    pub feeds: Vec<FeedFile>,
    #[serde(default)]
    pub routes: Vec<RouteConfig>,
}

/// `[bot]` as written; see [`BotConfig`] for what the keys mean.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct BotFile {
    pub data_dir: PathBuf,
    pub language: String,
    #[serde(deserialize_with = "de_tz")]
    pub timezone: chrono_tz::Tz,
    pub console: ConsoleMode,
}

impl Default for BotFile {
    fn default() -> Self {
        let bot = BotConfig::default();
        BotFile {
            data_dir: bot.data_dir,
            language: bot.language.code().to_owned(),
            timezone: bot.timezone,
            console: bot.console,
        }
    }
}

/// One `[[feeds]]` entry as written; see [`FeedConfig`] for what the keys mean.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FeedFile {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Resolved against the config file's directory when relative.
    #[serde(default)]
    pub path: Option<PathBuf>,
    #[serde(default)]
    pub site_url: Option<String>,
    #[serde(default)]
    pub permalink: Option<String>,
    #[serde(default = "default_interval", deserialize_with = "de_duration")]
    pub interval: Duration,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub breaking: bool,
    #[serde(default)]
    pub full_text: FullText,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub cookies: BTreeMap<String, String>,
    #[serde(default)]
    pub basic_auth: Option<BasicAuth>,
    #[serde(default)]
    pub proxy: Option<String>,
}

impl FeedFile {
    /// The entry as a feed reading `source` (decided from its `url` and `path`).
    pub fn with_source(self, source: FeedSource) -> FeedConfig {
        let request = self.request();
        FeedConfig {
            name: self.name,
            source,
            site_url: self.site_url,
            permalink: self.permalink,
            interval: self.interval,
            categories: self.categories,
            breaking: self.breaking,
            full_text: self.full_text,
            request,
        }
    }

    /// The entry's request settings.
    pub fn request(&self) -> RequestSettings {
        RequestSettings {
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            basic_auth: self.basic_auth.clone(),
            proxy: self.proxy.clone(),
        }
    }
}

fn de_tz<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(|_| {
        serde::de::Error::custom(format!("unknown time zone {s:?} (try \"Asia/Seoul\")"))
    })
}
