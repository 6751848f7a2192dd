//! `[http]`: how feeds and article pages are fetched and scheduled.

use std::time::Duration;

use serde::Deserialize;

use super::de_duration;

/// How feeds are fetched and scheduled.
#[derive(Clone, PartialEq, Eq, Deserialize)]
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
    /// `http://host:port` every fetch goes through (a feed's own `proxy` wins). Empty: the
    /// environment's `HTTPS_PROXY` / `HTTP_PROXY`, minus `NO_PROXY`.
    pub proxy: String,
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
            proxy: String::new(),
        }
    }
}

impl std::fmt::Debug for HttpConfig {
    /// The proxy's password never shows.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let proxy = if self.proxy.is_empty() {
            String::new()
        } else {
            super::redact_proxy(&self.proxy)
        };
        f.debug_struct("HttpConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_concurrent", &self.max_concurrent)
            .field("per_host", &self.per_host)
            .field("max_interval", &self.max_interval)
            .field("max_backoff", &self.max_backoff)
            .field("user_agent", &self.user_agent)
            .field("proxy", &proxy)
            .finish()
    }
}
