//! WebSub subscriber (W3C recommendation): feeds that advertise a hub are subscribed to it, the
//! hub's verification is answered, signed notifications go into the pipeline, leases are renewed.
//!
//! Polling never stops: while a subscription is verified and its lease runs, the feed is polled
//! at `http.max_interval` as a safety net; otherwise at its own interval.

mod callback;
mod hub;
mod plan;
pub mod signature;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::{Config, FeedConfig};
use crate::metrics::Metrics;
use crate::storage::Store;

pub use callback::Callbacks;
pub use hub::{HubError, SubscribeRequest};
pub use plan::{
    Discovery, LEASE_REQUEST_SECS, RETRY_BASE_SECS, Step, SubState, Subscription, VERIFY_WAIT_SECS,
    backoff, step,
};

/// The callback path segment of a feed: the first 16 hex digits of the BLAKE3 hash of its
/// name (URL-safe, stable across restarts and config order).
pub fn callback_id(feed: &str) -> String {
    blake3::hash(feed.as_bytes()).to_hex()[..16].to_owned()
}

/// Unix seconds now.
pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A fresh `hub.secret`: 32 bytes from the operating system's CSPRNG, hex.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(signature::encode_hex(&bytes))
}

struct FeedEntry {
    feed: FeedConfig,
    id: String,
    found: watch::Sender<Option<Discovery>>,
    /// Wakes the feed's subscription task when its record changed from outside.
    kick: Arc<Notify>,
    /// Wakes the feed's poll task (a denied subscription: back to the normal interval).
    poll: Option<Arc<Notify>>,
}

/// Subscriptions of every http feed; shared by the pollers, the callback and the tasks.
pub struct WebSub {
    store: Store,
    metrics: Metrics,
    client: reqwest::Client,
    /// `server.public_url` without a trailing `/`.
    public_url: String,
    max_backoff: i64,
    feeds: HashMap<String, FeedEntry>,
    ids: HashMap<String, String>,
}

impl WebSub {
    /// The subscriber, when `[server] public_url` is set (hubs need somewhere to call back).
    /// `polls` are the feeds' poll-now triggers.
    pub async fn new(
        config: &Config,
        store: Store,
        metrics: Metrics,
        client: reqwest::Client,
        polls: &HashMap<String, Arc<Notify>>,
    ) -> Option<Arc<WebSub>> {
        let public_url = config.server.as_ref()?.public_url.trim();
        if public_url.is_empty() {
            return None;
        }
        let mut feeds = HashMap::new();
        let mut ids = HashMap::new();
        for feed in config.feeds.iter().filter(|f| f.source.url().is_some()) {
            let id = callback_id(&feed.name);
            ids.insert(id.clone(), feed.name.clone());
            // A stored subscription stands for the last discovery until a fetched document
            // says otherwise (a feed answering 304 after a restart still gets renewed).
            let stored = store.websub(&feed.name).await.ok().flatten();
            let found = stored.map(|sub| Discovery {
                hub: sub.hub,
                topic: sub.topic,
            });
            let entry = FeedEntry {
                feed: feed.clone(),
                id,
                found: watch::Sender::new(found),
                kick: Arc::new(Notify::new()),
                poll: polls.get(&feed.name).cloned(),
            };
            feeds.insert(feed.name.clone(), entry);
        }
        Some(Arc::new(WebSub {
            store,
            metrics,
            client,
            public_url: public_url.trim_end_matches('/').to_owned(),
            max_backoff: i64::try_from(config.http.max_backoff.as_secs()).unwrap_or(i64::MAX),
            feeds,
            ids,
        }))
    }

    /// The feed a callback id belongs to.
    pub fn feed_of(&self, id: &str) -> Option<&FeedConfig> {
        let name = self.ids.get(id)?;
        self.feeds.get(name).map(|entry| &entry.feed)
    }

    /// `<public_url>/websub/<id>` of `feed`.
    pub fn callback_url(&self, feed: &str) -> Option<String> {
        let entry = self.feeds.get(feed)?;
        Some(format!("{}/websub/{}", self.public_url, entry.id))
    }

    /// A poll of `feed` (fetched from `url`) found `hub` and `self_url` in the document.
    pub fn discovered(&self, feed: &str, url: &str, hub: Option<&str>, self_url: Option<&str>) {
        let Some(entry) = self.feeds.get(feed) else {
            return;
        };
        let found = hub.map(|hub| Discovery {
            hub: hub.to_owned(),
            topic: self_url.unwrap_or(url).to_owned(),
        });
        entry.found.send_if_modified(|current| {
            let changed = *current != found;
            *current = found;
            changed
        });
    }

    /// When `feed`'s subscription is verified and its lease runs: the unix second it ends.
    pub async fn healthy_until(&self, feed: &str, now: i64) -> Option<i64> {
        let sub = self.store.websub(feed).await.ok()??;
        sub.is_healthy(now).then_some(sub.lease_expires).flatten()
    }

    /// Starts one subscription task per http feed.
    pub fn spawn(self: &Arc<Self>, tracker: &TaskTracker, shutdown: CancellationToken) {
        for name in self.feeds.keys() {
            tracker.spawn(self.clone().run_feed(name.clone(), shutdown.clone()));
        }
    }

    fn kick(&self, feed: &str) {
        if let Some(entry) = self.feeds.get(feed) {
            entry.kick.notify_one();
        }
    }

    fn wake_poll(&self, feed: &str) {
        if let Some(poll) = self.feeds.get(feed).and_then(|e| e.poll.as_ref()) {
            poll.notify_one();
        }
    }

    /// Subscribes `feed` when its polls find a hub, renews before the lease ends, retries
    /// with backoff; until `shutdown`.
    async fn run_feed(self: Arc<Self>, feed: String, shutdown: CancellationToken) {
        let Some(entry) = self.feeds.get(&feed) else {
            return;
        };
        let mut found = entry.found.subscribe();
        let kick = entry.kick.clone();
        let mut just_tried = false;
        loop {
            let discovery = found.borrow_and_update().clone();
            let now = unix_now();
            let wait = match &discovery {
                None => None,
                Some(d) => match self
                    .store
                    .websub(&feed)
                    .await
                    .map(|r| step(r.as_ref(), d, now))
                {
                    Ok(Step::Subscribe { .. }) if just_tried => Some(RETRY_BASE_SECS),
                    Ok(Step::Subscribe { .. }) => {
                        just_tried = true;
                        tokio::select! {
                            _ = shutdown.cancelled() => return,
                            () = self.subscribe(&feed, d) => {}
                        }
                        continue;
                    }
                    Ok(Step::Wait { until }) => Some(until - now),
                    Err(e) => {
                        tracing::error!(feed = %feed, "cannot read the WebSub state: {e}");
                        Some(RETRY_BASE_SECS)
                    }
                },
            };
            just_tried = false;
            let sleep = wait.map(|s| Duration::from_secs(u64::try_from(s.max(0)).unwrap_or(0)));
            tokio::select! {
                _ = shutdown.cancelled() => return,
                changed = found.changed() => if changed.is_err() { return },
                () = kick.notified() => {}
                () = async {
                    match sleep {
                        Some(d) => tokio::time::sleep(d).await,
                        None => std::future::pending().await,
                    }
                } => {}
            }
        }
    }

    /// Records the request, then sends it; a failure is recorded with its backoff.
    async fn subscribe(&self, feed: &str, found: &Discovery) {
        let now = unix_now();
        let secret = match new_secret() {
            Ok(secret) => secret,
            Err(e) => {
                tracing::error!(feed = %feed, "cannot make a WebSub secret: {e}");
                return;
            }
        };
        let written = self
            .store
            .update_websub(feed, |previous| {
                Some(Subscription::requested(
                    previous,
                    found,
                    secret.clone(),
                    now,
                ))
            })
            .await;
        let record = match written {
            Ok(Some(record)) => record,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(feed = %feed, "cannot record the WebSub request: {e}");
                return;
            }
        };
        let Some(callback) = self.callback_url(feed) else {
            return;
        };
        let request = SubscribeRequest {
            hub: &record.hub,
            topic: &record.topic,
            callback: &callback,
            secret: &record.secret,
            lease_seconds: LEASE_REQUEST_SECS,
        };
        match request.send(&self.client).await {
            Ok(()) => {
                self.metrics.websub_subscribe(feed, "requested");
                tracing::info!(feed = %feed, hub = %record.hub, topic = %record.topic, "WebSub subscription requested");
            }
            Err(e) => {
                self.metrics.websub_subscribe(feed, "failed");
                let message = e.to_string();
                let max_backoff = self.max_backoff;
                let stored = self
                    .store
                    .update_websub(feed, |current| {
                        let sub = current.filter(|s| s.awaiting && s.requested_at == now)?;
                        Some(sub.request_failed(message.clone(), unix_now(), max_backoff))
                    })
                    .await;
                if let Err(e) = stored {
                    tracing::error!(feed = %feed, "cannot record the WebSub failure: {e}");
                }
                tracing::warn!(feed = %feed, hub = %record.hub, "WebSub subscribe failed (polling goes on): {message}");
            }
        }
    }
}
