//! Deliveries other nodes queue, brought to this node's engine (cluster only). Each ingest
//! notifies on commit with the ids it took; the node reads those rows at once. Where the
//! database has no LISTEN (or `[cluster] listen = false`), the outbox is polled every 250 ms.
//! Every reconnect, and every minute when polling, reads the whole outbox again: nothing a
//! lost notification announced stays behind.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::Queue;
use crate::cluster::LeaseView;
use crate::storage::{ClusterStore, OutboxEvent, Store, StoreError};

/// How often the outbox is polled without LISTEN.
const POLL_EVERY: Duration = Duration::from_millis(250);
/// A poll reads again the ids of the last second: an ingest that took its ids before a later
/// one committed is still found.
const POLL_LOOKBACK: Duration = Duration::from_secs(1);
/// How often the whole outbox is read again when polling.
const POLL_RESCAN: Duration = Duration::from_secs(60);
/// Wait before listening again after the connection failed.
const RELISTEN: Duration = Duration::from_secs(1);

/// Brings deliveries queued anywhere to `queue` while this node holds any of `leases`.
pub async fn follow(
    store: Store,
    cluster: ClusterStore,
    queue: Queue,
    leases: Vec<LeaseView>,
    listen: bool,
    shutdown: CancellationToken,
) {
    let follower = Follower {
        store,
        cluster,
        queue,
        leases,
    };
    if listen && follower.listen(&shutdown).await.is_err() {
        tracing::warn!("the database has no LISTEN/NOTIFY: polling the outbox every 250 ms");
    }
    if !shutdown.is_cancelled() {
        follower.poll(&shutdown).await;
    }
}

struct Follower {
    store: Store,
    cluster: ClusterStore,
    queue: Queue,
    leases: Vec<LeaseView>,
}

impl Follower {
    fn sending(&self) -> bool {
        self.leases.iter().any(|l| l.held().is_some())
    }

    /// Follows notifications until `shutdown`; `Err` when the database has no LISTEN.
    async fn listen(&self, shutdown: &CancellationToken) -> Result<(), ()> {
        let mut warned = false;
        loop {
            let mut listener = match self.cluster.listen_outbox().await {
                Ok(l) => l,
                Err(StoreError::Unavailable(e)) => {
                    if !warned {
                        tracing::warn!("cannot listen for new deliveries, retrying: {e}");
                        warned = true;
                    }
                    tokio::select! {
                        _ = shutdown.cancelled() => return Ok(()),
                        _ = tokio::time::sleep(RELISTEN) => continue,
                    }
                }
                Err(e) => {
                    tracing::warn!("LISTEN refused: {e}");
                    return Err(());
                }
            };
            warned = false;
            // Whatever was announced before this connection listened.
            self.rescan().await;
            loop {
                let event = tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    e = listener.next() => e,
                };
                match event {
                    Ok(OutboxEvent::Added { from, to }) => self.read(from, to).await,
                    Ok(OutboxEvent::Rescan) => self.rescan().await,
                    Err(e) => {
                        tracing::warn!("lost the LISTEN connection, listening again: {e}");
                        break;
                    }
                }
            }
        }
    }

    /// Polls for new ids every 250 ms, and the whole outbox every minute.
    async fn poll(&self, shutdown: &CancellationToken) {
        let mut highest: VecDeque<(Instant, u64)> = VecDeque::new();
        let mut rescanned = Instant::now();
        self.rescan().await;
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(POLL_EVERY) => {}
            }
            if !self.sending() {
                continue;
            }
            let now = Instant::now();
            if now.duration_since(rescanned) >= POLL_RESCAN {
                rescanned = now;
                self.rescan().await;
                continue;
            }
            while highest.len() > 1 && now.duration_since(highest[1].0) >= POLL_LOOKBACK {
                highest.pop_front();
            }
            let from = highest.front().map_or(0, |&(_, id)| id + 1);
            match self.cluster.pending_between(from, u64::MAX).await {
                Ok(found) => {
                    let top = found.iter().map(|(k, _)| k.seq).max();
                    let last = highest.back().map_or(0, |&(_, id)| id);
                    highest.push_back((now, top.unwrap_or(last).max(last)));
                    self.queue.push(&found);
                }
                Err(e) => tracing::warn!("cannot poll the outbox: {e}"),
            }
        }
    }

    async fn read(&self, from: u64, to: u64) {
        if !self.sending() {
            return;
        }
        match self.cluster.pending_between(from, to).await {
            Ok(found) => self.queue.push(&found),
            Err(e) => {
                tracing::warn!("cannot read new deliveries, reading the whole outbox: {e}");
                self.rescan().await;
            }
        }
    }

    async fn rescan(&self) {
        if !self.sending() {
            return;
        }
        match self.store.pending().await {
            Ok(all) => self.queue.push(&all),
            Err(e) => tracing::warn!("cannot read the outbox: {e}"),
        }
    }
}
