//! What happens to each claim: its poll, at its planned time, in a task of its own; the
//! renewal of every claim held at a third of the lease time; and their release at shutdown.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{Scheduler, feed_set};
use crate::storage::{Claimed, StoreError};

/// How often a node tells the store its feed set is still in use.
const TOUCH_SET: Duration = Duration::from_secs(3600);

/// The moment `due_in_ms` (by the database clock, negative when late) after `asked`.
fn planned_at(asked: Instant, due_in_ms: i64) -> Instant {
    let offset = Duration::from_millis(due_in_ms.unsigned_abs());
    if due_in_ms >= 0 {
        asked + offset
    } else {
        asked.checked_sub(offset).unwrap_or(asked)
    }
}

impl Scheduler {
    /// Polls `claimed` in a task of `polls`, holding `slot` until its result is written. A
    /// poll cut by `shutdown` leaves its claim held, for [`Scheduler::release_all`].
    pub(super) fn start(
        self: &Arc<Self>,
        claimed: Claimed,
        slot: OwnedSemaphorePermit,
        asked: Instant,
        polls: &TaskTracker,
        shutdown: &CancellationToken,
    ) {
        let (feed, number) = (claimed.claim.feed.clone(), claimed.claim.number);
        self.hold(&feed, number, false);
        let this = self.clone();
        let shutdown = shutdown.clone();
        polls.spawn(async move {
            let _slot = slot;
            tokio::select! {
                _ = shutdown.cancelled() => {}
                _ = this.poll(claimed, asked) => this.hold(&feed, number, true),
            }
        });
    }

    /// Waits for the planned time, polls, and writes the result under the claim.
    async fn poll(&self, claimed: Claimed, asked: Instant) {
        let planned = planned_at(asked, claimed.due_in_ms);
        tokio::time::sleep_until(planned).await;
        let name = claimed.claim.feed.clone();
        let chat = match (&self.chat, self.feeds.contains_key(&name)) {
            (Some(chat), false) => chat.get(&name).await,
            _ => None,
        };
        let Some(feed) = self.feeds.get(&name).or(chat.as_ref()) else {
            // Not in this node's config (claims are limited to its set): give it back.
            let held = [(name, claimed.claim.number)];
            if let Err(e) = self.store.release_claims(&self.node, &held).await {
                tracing::warn!("cannot release a claim: {e}");
            }
            return;
        };
        let started = || {
            let lag = Instant::now().saturating_duration_since(planned);
            self.stats.started(lag);
        };
        match self
            .poller
            .poll_claimed(feed, claimed, &self.store, started)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Fenced { .. }) => {
                tracing::info!(feed = %name, "another node took this feed while it was polled here; its result was not written");
            }
            Err(e) => {
                tracing::warn!(feed = %name, "cannot write the poll result (the claim lapses, the feed is polled again): {e}");
            }
        }
    }

    /// Records claim `number` of `feed` as held, or (`done`) as no longer held; a newer
    /// claim of the same feed is left alone.
    fn hold(&self, feed: &str, number: i64, done: bool) {
        let n = {
            let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
            if !done {
                held.insert(feed.to_owned(), number);
            } else if held.get(feed) == Some(&number) {
                held.remove(feed);
            }
            held.len()
        };
        self.stats.set_claimed(n);
    }

    fn held(&self) -> Vec<(String, i64)> {
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.iter().map(|(f, n)| (f.clone(), *n)).collect()
    }

    /// Renews the claims held at a third of the lease time, until `shutdown`; keeps the feed
    /// set registered.
    pub(super) async fn keep(self: Arc<Self>, shutdown: CancellationToken) {
        let mut touched = Instant::now();
        let mut failing = false;
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(self.ttl / 3) => {}
            }
            let held = self.held();
            match self.store.renew_claims(&self.node, &held, self.ttl).await {
                Ok(kept) if kept.len() < held.len() => {
                    let lost = held.len() - kept.len();
                    tracing::info!(lost, "feed claims lapsed before their renewal");
                    failing = false;
                }
                Ok(_) => failing = false,
                Err(e) if !failing => {
                    tracing::warn!("cannot renew feed claims: {e}");
                    failing = true;
                }
                Err(_) => {}
            }
            // The worst lag of the last minute moves on even without polls.
            self.stats.set_claimed(held.len());
            if touched.elapsed() >= TOUCH_SET && self.touch_set().await {
                touched = Instant::now();
            }
        }
    }

    /// Tells the store the feed set is in use, registering it again if it was forgotten;
    /// false when the store did not answer.
    async fn touch_set(&self) -> bool {
        let registered = match self.store.touch_feed_set(&self.set_id).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                let set = feed_set(&self.feeds, &self.poller);
                self.store.register_feeds(&set).await
            }
            Err(e) => Err(e),
        };
        match registered {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("cannot keep the feed set registered: {e}");
                false
            }
        }
    }

    /// Gives back the claims still held (polls cut by shutdown): the others take them at once.
    pub(super) async fn release_all(&self) {
        let held = self.held();
        if let Err(e) = self.store.release_claims(&self.node, &held).await {
            tracing::warn!(
                claims = held.len(),
                "cannot release feed claims (they lapse): {e}"
            );
        }
        self.hold_none();
    }

    fn hold_none(&self) {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.stats.set_claimed(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_times_count_from_the_claim() {
        let asked = Instant::now() + Duration::from_secs(10);
        assert_eq!(planned_at(asked, 250), asked + Duration::from_millis(250));
        assert_eq!(planned_at(asked, 0), asked);
        assert_eq!(
            planned_at(asked, -1500),
            asked - Duration::from_millis(1500)
        );
    }
}
