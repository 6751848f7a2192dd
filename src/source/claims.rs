//! Feed polling spread over the nodes of a cluster (PostgreSQL). Instead of one task per feed,
//! each node runs one scheduler that claims due http feeds in batches, polls them through the
//! same [`Poller`] path as a single process, and writes each result under its claim.
//!
//! - **Claims.** A claim is a lease on a feed row (`lease_holder`, `lease_until` set from the
//!   database's `now()`, a claim number that grows with every claim). Due rows are picked
//!   `FOR UPDATE SKIP LOCKED`, oldest due first, only among the feeds of this node's config (its
//!   feed set). A node renews the claims it holds at a third of the lease time; a node that dies
//!   stops renewing, its claims lapse after `[cluster] lease_ttl` and the others take its feeds,
//!   which are still due: they are polled within their interval plus the lease time.
//! - **Fencing.** A poll's result (validators, failures, next poll) is written only while the
//!   claim number is still the feed's, which releases the claim. A node whose claim lapsed and
//!   was taken does not overwrite the newer state; what it ingested stays (an ingest decides
//!   "new?" in its own transaction, from any node).
//! - **Politeness.** `[http] per_host` bounds the fetches in flight per host across the
//!   cluster: a claim skips feeds of hosts that already have that many claims in flight. Claims
//!   are taken one claimer at a time (a row lock held for the claim's short transaction), so
//!   the count a claim reads includes every other node's claims. The cost is a count over the
//!   few claims in flight (a partial index), not over all feeds. Each node's per-host semaphore
//!   still bounds its own fetches, article pages included. Article pages (full-text
//!   summaries) are bounded per node only.
//! - **Batches.** A node claims at most its free fetch slots (`[http] max_concurrent`, a slot
//!   held from claim to result) and at most its share of the due feeds (due / live nodes),
//!   feeds due within [`LOOKAHEAD`]; then it sleeps at most [`IDLE`], or until a /ping makes
//!   a feed due now in the store.

mod chat;
mod pings;
mod stats;
mod task;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::{FeedConfig, FeedSource};
use crate::model::NodeStatus;
use crate::source::poll::{Poller, host_of};
use crate::source::schedule::Schedule;
use crate::storage::{ClaimAsk, ClusterStore, FeedEntry, FeedSet};

pub use chat::ChatFeedConfigs;
pub use stats::ClaimStats;

/// Feeds due this soon are claimed already (and polled at their time).
pub const LOOKAHEAD: Duration = Duration::from_millis(500);
/// Longest sleep between two claims when nothing more was due.
pub const IDLE: Duration = Duration::from_millis(250);
/// A busy node waits this long for a quarter of its slots before it claims fewer feeds.
const BATCH_WAIT: Duration = Duration::from_millis(50);

/// How this node takes part in the cluster's polling.
pub struct FeedClaims {
    pub store: ClusterStore,
    /// The holder written into claims: this node's id.
    pub node_id: String,
    /// How long a claim lasts without renewal (`[cluster] lease_ttl`).
    pub ttl: Duration,
    /// The node's heartbeat status: its claimed feeds and poll lag are kept up to date there.
    pub status: Arc<Mutex<NodeStatus>>,
    /// Chat-added feeds, claimed by every node alongside its own (`None`: chat feeds are off).
    pub chat: Option<Arc<ChatFeedConfigs>>,
}

impl FeedClaims {
    /// Polls the http feeds of `feeds` by claims until `shutdown`, on `tracker`, once they are
    /// registered in the store (keeping the state of those it has; retried until the store
    /// answers). `triggers` are the feeds' poll-now triggers (/ping, WebSub): each makes its
    /// feed due now for the whole cluster.
    pub fn spawn(
        self,
        poller: Arc<Poller>,
        feeds: &[FeedConfig],
        triggers: &HashMap<String, Arc<Notify>>,
        tracker: &TaskTracker,
        shutdown: &CancellationToken,
    ) -> ClaimStats {
        let stats = ClaimStats::new(poller.metrics.clone(), self.status);
        let feeds: HashMap<String, FeedConfig> = feeds
            .iter()
            .filter(|f| matches!(f.source, FeedSource::Http(_)))
            .map(|f| (f.name.clone(), f.clone()))
            .collect();
        if feeds.is_empty() && self.chat.is_none() {
            return stats;
        }
        let pinged = feeds
            .keys()
            .filter_map(|name| Some((name.clone(), triggers.get(name)?.clone())))
            .collect();
        let max = poller.http.max_concurrent.max(1);
        let scheduler = Arc::new(Scheduler {
            per_host: poller.http.per_host.max(1),
            slots: Arc::new(Semaphore::new(max)),
            max,
            set_id: feed_set(&feeds, &poller).id,
            poller,
            store: self.store,
            node: self.node_id,
            feeds,
            chat: self.chat,
            ttl: self.ttl,
            held: Mutex::default(),
            wake: Notify::new(),
            stats: stats.clone(),
        });
        tracing::info!(node = %scheduler.node, feeds = scheduler.feeds.len(), "polling feeds by claims");
        tracker.spawn(scheduler.clone().keep(shutdown.clone()));
        tracker.spawn(pings::watch(scheduler.clone(), pinged, shutdown.clone()));
        tracker.spawn(scheduler.run(shutdown.clone()));
        stats
    }
}

/// The registration of `feeds`: each with its host and a first poll spread as at start.
fn feed_set(feeds: &HashMap<String, FeedConfig>, poller: &Poller) -> FeedSet {
    let entries = feeds
        .values()
        .map(|f| FeedEntry {
            name: f.name.clone(),
            host: f.source.url().map(host_of).unwrap_or_default(),
            first_poll: Schedule::new(f.interval, &poller.http).first_poll(fastrand::f64()),
        })
        .collect();
    FeedSet::new(entries)
}

/// One node's claim scheduler, shared by its loop, its renewals, its pings and its polls.
struct Scheduler {
    poller: Arc<Poller>,
    store: ClusterStore,
    node: String,
    set_id: String,
    /// The http feeds of this node's config, by name.
    feeds: HashMap<String, FeedConfig>,
    /// Chat-added feeds' configs, by name.
    chat: Option<Arc<ChatFeedConfigs>>,
    ttl: Duration,
    per_host: usize,
    /// One per feed claimed and not finished.
    slots: Arc<Semaphore>,
    max: usize,
    /// Claims held: feed → claim number.
    held: Mutex<HashMap<String, i64>>,
    /// Told when a feed was made due now.
    wake: Notify,
    stats: ClaimStats,
}

impl Scheduler {
    /// Claims and polls until `shutdown`; then releases the claims still held.
    async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        if !self.register(&shutdown).await {
            return;
        }
        let polls = TaskTracker::new();
        let mut failing = false;
        loop {
            let slots = tokio::select! {
                _ = shutdown.cancelled() => break,
                slots = self.free_slots() => slots,
            };
            let Some(mut slots) = slots else { break };
            let asked = Instant::now();
            let claimed = match self.store.claim_feeds(&self.ask(slots.num_permits())).await {
                Ok(claimed) => {
                    if std::mem::take(&mut failing) {
                        tracing::info!("claiming feeds again");
                    }
                    claimed
                }
                Err(e) => {
                    if !std::mem::replace(&mut failing, true) {
                        tracing::warn!("cannot claim feeds (retrying): {e}");
                    }
                    Vec::new()
                }
            };
            let more = !claimed.is_empty() && claimed.len() == slots.num_permits();
            for claim in claimed {
                let Some(slot) = slots.split(1) else { break };
                self.start(claim, slot, asked, &polls, &shutdown);
            }
            drop(slots);
            if !more {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(IDLE) => {}
                    _ = self.wake.notified() => {}
                }
            }
        }
        polls.close();
        polls.wait().await;
        self.release_all().await;
    }

    /// Registers this node's feeds, again every second until the store answers; false when
    /// `shutdown` came first.
    async fn register(&self, shutdown: &CancellationToken) -> bool {
        let mut warned = false;
        loop {
            let set = feed_set(&self.feeds, &self.poller);
            let registered = match self.store.register_feeds(&set).await {
                Ok(()) => match &self.chat {
                    Some(chat) => chat.register_all(&self.store).await,
                    None => Ok(()),
                },
                Err(e) => Err(e),
            };
            match registered {
                Ok(()) => return true,
                Err(e) if !warned => {
                    tracing::warn!("cannot register the feeds for polling (retrying): {e}");
                    warned = true;
                }
                Err(_) => {}
            }
            tokio::select! {
                _ = shutdown.cancelled() => return false,
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }

    /// The free fetch slots, at least one: a busy node waits a moment for a quarter of them,
    /// so it claims in batches rather than one feed per finished poll. Only this loop takes
    /// slots (polls give them back), so those counted free are there. `None`: closed.
    async fn free_slots(&self) -> Option<OwnedSemaphorePermit> {
        drop(self.slots.acquire().await.ok()?);
        let quarter = u32::try_from(self.max / 4).unwrap_or(u32::MAX).max(1);
        if let Ok(Ok(some)) =
            tokio::time::timeout(BATCH_WAIT, self.slots.acquire_many(quarter)).await
        {
            drop(some);
        }
        let free = u32::try_from(self.slots.available_permits()).unwrap_or(u32::MAX);
        self.slots.clone().try_acquire_many_owned(free.max(1)).ok()
    }

    fn ask(&self, max: usize) -> ClaimAsk<'_> {
        ClaimAsk {
            holder: &self.node,
            set_id: &self.set_id,
            max,
            per_host: self.per_host,
            lookahead: LOOKAHEAD,
            ttl: self.ttl,
            chat_feeds: self.chat.is_some(),
        }
    }
}
