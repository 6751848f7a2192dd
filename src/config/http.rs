//! `[http]`: how feeds and article pages are fetched and scheduled.

use std::time::Duration;

use serde::Deserialize;

use super::de_duration;

/// How feeds are fetched and scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    #[serde(deserialize_with = "de_duration")]
    pub connect_timeout: Duration,
    #[serde(deserialize_with = "de_duration")]
    pub timeout: Duration,
    /// Largest feed body accepted, in bytes.
    pub max_body_bytes: u64,
    /// Feeds fetched at the same time, overall.
    pub max_concurrent: usize,
    /// Connections at the same time to one host.
    pub per_host: usize,
    /// `<ttl>` / Cache-Control may lengthen a feed's interval up to this, never beyond.
    #[serde(deserialize_with = "de_duration")]
    pub max_interval: Duration,
    /// Longest wait after repeated failures.
    #[serde(deserialize_with = "de_duration")]
    pub max_backoff: Duration,
    pub user_agent: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 8 * 1024 * 1024,
            max_concurrent: 32,
            per_host: 2,
            max_interval: Duration::from_secs(3600),
            max_backoff: Duration::from_secs(6 * 3600),
            user_agent: concat!("sokbo/", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}
