//! Polling of chat-added feeds. In one process (sled), one poll task per feed that has
//! followers and is not paused, started and stopped as the records change. In a cluster
//! (PostgreSQL) the nodes claim chat feeds like their own (the claim query reads the records);
//! [`ChatFeedConfigs`] turns a claimed chat feed's name back into what its poll needs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::ChatFeeds;
use crate::config::FeedConfig;
use crate::model::ChatFeed;
use crate::source::poll::Poller;
use crate::storage::{ClusterStore, StoreError};

/// The records are read again at least this often (another process may have changed them).
const RESCAN: Duration = Duration::from_secs(30);
/// A name unknown to the cache reloads the records at most this often.
const RELOAD: Duration = Duration::from_secs(1);

/// Whether a chat feed is polled: someone follows it and it is not paused.
pub fn is_polled(feed: &ChatFeed) -> bool {
    !feed.paused && !feed.followers.is_empty()
}

/// Polls the chat feeds in this process until `shutdown` (sled).
pub async fn run_local(feeds: Arc<ChatFeeds>, poller: Arc<Poller>, shutdown: CancellationToken) {
    let changes = feeds.changes();
    let polls = TaskTracker::new();
    let mut running: HashMap<String, CancellationToken> = HashMap::new();
    let mut failing = false;
    loop {
        match feeds.store.chat_feeds().await {
            Ok(all) => {
                failing = false;
                let wanted: HashMap<String, ChatFeed> = all
                    .into_iter()
                    .filter(is_polled)
                    .map(|f| (f.name.clone(), f))
                    .collect();
                running.retain(|name, token| {
                    let keep = wanted.contains_key(name);
                    if !keep {
                        token.cancel();
                    }
                    keep
                });
                for (name, feed) in wanted {
                    if running.contains_key(&name) {
                        continue;
                    }
                    let token = shutdown.child_token();
                    let config = feeds.feed_config(&feed);
                    let now = Arc::new(Notify::new());
                    polls.spawn(poller.clone().run_feed(config, now, token.clone()));
                    running.insert(name, token);
                }
            }
            Err(e) if !failing => {
                tracing::warn!("cannot read the chat feeds (retrying): {e}");
                failing = true;
            }
            Err(_) => {}
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = changes.notified() => {}
            _ = tokio::time::sleep(RESCAN) => {}
        }
    }
    polls.close();
    polls.wait().await;
}

/// Chat feed configs by name, for polls claimed in a cluster; loaded from the store when a
/// name is not known yet (a feed's URL and name never change, so entries stay true).
pub struct ChatFeedConfigs {
    feeds: Arc<ChatFeeds>,
    cache: Mutex<(HashMap<String, FeedConfig>, Option<Instant>)>,
}

impl ChatFeedConfigs {
    pub fn new(feeds: Arc<ChatFeeds>) -> ChatFeedConfigs {
        ChatFeedConfigs {
            feeds,
            cache: Mutex::default(),
        }
    }

    /// Makes every polled chat feed claimable in the cluster (those added while no node ran,
    /// or copied in); each keeps the next poll it has.
    pub async fn register_all(&self, cluster: &ClusterStore) -> Result<(), StoreError> {
        for feed in self.feeds.store.chat_feeds().await? {
            if is_polled(&feed) {
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
        let all = match self.feeds.store.chat_feeds().await {
            Ok(all) => all,
            Err(e) => {
                tracing::warn!("cannot read the chat feeds: {e}");
                return None;
            }
        };
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.1 = Some(Instant::now());
        for feed in all {
            let config = self.feeds.feed_config(&feed);
            cache.0.insert(feed.name, config);
        }
        cache.0.get(name).cloned()
    }
}
