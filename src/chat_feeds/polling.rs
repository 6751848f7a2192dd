//! Polling of chat-added feeds in one process (sled): one poll task per feed that has
//! followers and is not paused, started and stopped as the records change. In a cluster
//! (PostgreSQL) the nodes claim chat feeds like their own instead (`source::claims`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::ChatFeeds;
use crate::model::ChatFeed;
use crate::source::poll::Poller;

/// The records are read again at least this often (another process may have changed them).
const RESCAN: Duration = Duration::from_secs(30);

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
                    .filter(ChatFeed::is_polled)
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
