//! `[store]`: where the data lives. Without `url`, sled in `bot.data_dir`.

use serde::Deserialize;

/// Where the data lives.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// `postgres://user:password@host:5432/database`; env `SOKBO_DATABASE_URL`. Empty: sled.
    pub url: String,
}

impl std::fmt::Debug for StoreConfig {
    /// The password never shows.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = if self.url.is_empty() {
            String::new()
        } else {
            crate::storage::redact_url(&self.url)
        };
        f.debug_struct("StoreConfig").field("url", &url).finish()
    }
}
