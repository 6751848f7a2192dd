//! Chat-added feeds in the claims: every polled chat feed registered, and a claimed chat
//! feed's name turned back into what its poll needs.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::config::{ChatFeedsConfig, FeedConfig};
use crate::storage::{ClusterStore, Store, StoreError};

/// A name unknown to the cache reloads the records at most this often.
const RELOAD: Duration = Duration::from_secs(1);

/// Chat feed configs by name, for polls claimed in a cluster; loaded from the store when a
/// name is not known yet (a feed's URL and name never change, so entries stay true).
pub struct ChatFeedConfigs {
    store: Store,
    config: ChatFeedsConfig,
    cache: Mutex<(HashMap<String, FeedConfig>, Option<Instant>)>,
}

impl ChatFeedConfigs {
    pub fn new(store: Store, config: ChatFeedsConfig) -> ChatFeedConfigs {
        ChatFeedConfigs {
            store,
            config,
            cache: Mutex::default(),
        }
    }

    /// Makes every polled chat feed claimable in the cluster (those added while no node ran,
    /// or copied in); each keeps the next poll it has.
    pub async fn register_all(&self, cluster: &ClusterStore) -> Result<(), StoreError> {
        for feed in self.store.chat_feeds().await? {
            if feed.is_polled() {
                let host = crate::source::poll::host_of(&feed.url);
                cluster
                    .register_chat_feed(&feed.name, &host, Duration::ZERO)
                    .await?;
            }
        }
        Ok(())
    }

    /// The config of chat feed `name`, if there is one.
    pub async fn get(&self, name: &str) -> Option<FeedConfig> {
        {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(config) = cache.0.get(name) {
                return Some(config.clone());
            }
            if cache.1.is_some_and(|at| at.elapsed() < RELOAD) {
                return None;
            }
        }
        let all = match self.store.chat_feeds().await {
            Ok(all) => all,
            Err(e) => {
                tracing::warn!("cannot read the chat feeds: {e}");
                return None;
            }
        };
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.1 = Some(Instant::now());
        for feed in all {
            let config = self.config.feed_config(&feed);
            cache.0.insert(feed.name, config);
        }
        cache.0.get(name).cloned()
    }
}
